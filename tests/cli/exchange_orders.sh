#!/usr/bin/env bash
# Property: the result of merging never depends on the order files arrive in.
# Random scenarios (fixed seed, printed): several installations (each its own database,
# set up as the township so it may write any village) write overlapping units, periods
# and fields several times, clear some, complete forms (and reopen them by writing
# again), and export at different moments, so one installation's files carry different
# revisions and form states. Some scenarios add tests/fixtures/export-v1.tbx, a file
# without form states. In some, one installation's database is put back from a backup
# (copied over the file, so it keeps its installation id) and goes on from there: copies
# of one database that write different values at the same revision. Some writes attach,
# change or remove a comment (`set --comment`), which travels with its value and takes
# part in every comparison of candidates. All files are merged in several orders into fresh township
# databases: the values (every column but the source file), the candidates, the form
# states, `status` and the `conflicts` listing are identical across orders, and the
# values and form states equal what an independent model (Python, reading the files)
# says; merging everything again, or a township's export carrying it all, changes
# nothing.
# 26 scenarios in `make test` (kept under its 15 minutes; TIANBAO_SCENARIOS=N for another number); TIANBAO_STRESS=1 runs 300. TIANBAO_SEED=N reproduces one run.
. "$(dirname "$0")/../lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
unset TIANBAO_DB

SEED=${TIANBAO_SEED:-20261129}
RANDOM=$SEED
scenarios=${TIANBAO_SCENARIOS:-26}
[ -n "${TIANBAO_STRESS:-}" ] && scenarios=300
ok "seed $SEED, $scenarios scenarios (rerun one with TIANBAO_SEED=$SEED)"

TWP=360730105000
units=(360730105201 360730105202 360730105203)
periods=(2025 2026)
fields=(v_vc_total v_rep_total v_pb_total v_notes v_filled_by)
domain_v_vc_total=(3 4 5)
domain_v_rep_total=(20 30)
domain_v_pb_total=(5 6)
domain_v_notes=(甲 乙 "东风, \"一\"")
domain_v_filled_by=(张三 李四)
comments=("待核实" "换届后, \"待定\"" "")

# Everything a complete village form needs; the scenario's own fields are drawn at random.
full=(v_vc_female=2 v_vc_chair_female=0 v_pb_female=1 v_pb_sec_female=0 v_yijiantiao=1 v_wf_chair_in_2c=1
	v_rep_female=13 v_children_0_17=412 v_left_behind=57 v_child_director=1 v_children_home=1 v_filled_on=2025-12-28)
V1FILE=$ROOT/tests/fixtures/export-v1.tbx

vals() { sqlite3 "$1" "SELECT unit, period, field, form, quote(value), updated_at, updated_by, installation, revision, conflict, quote(comment) FROM vals ORDER BY 1, 2, 3"; }
cands() { sqlite3 "$1" "SELECT unit, period, field, installation, form, quote(value), revision, updated_at, updated_by, superseded, quote(comment) FROM candidates ORDER BY 1, 2, 3, 4"; }
fstates() { sqlite3 "$1" "SELECT unit, period, form, state, changed_at, changed_by, installation FROM form_state ORDER BY 1, 2, 3"; }
# The conflicts listing without the file each candidate came from: that is the first file
# that carried it, which by nature depends on the order.
conflicts() { "$TB" --db "$1" conflicts 2>&1 | sed 's/  [^ ]*\.tbx$//'; }
state() { "$TB" --db "$1" dump 2>&1; vals "$1"; cands "$1"; fstates "$1"; "$TB" --db "$1" status 2>&1; conflicts "$1"; }

# The model: per key and installation the highest revision; of different rows at that
# revision (copies of one database), the later (updated_at, updated_by, value with a
# cleared one least, form, comment with none least) under the installation's id, each
# other under the id derived from it (the first 8 hex digits from a SHA-256 over the id,
# revision and row, its comment only when it has one); the value and its comment from
# the latest write (ties to the greater installation id); a conflict when the
# candidates' values differ.
# Form states: what each file says of each form it has values of - its form_states row,
# or (none: export version 1) in progress as of its latest value (the greatest
# updated_at, ties to the greater installation), by that value's writer - and of all
# that, the latest: the greatest changed_at, then installation, then complete before
# progress, then changed_by.
model() {
	python3 - "$@" <<'PY'
import hashlib, sqlite3, sys
best = {}
def cell(v):
    if v is None:
        return b'N'
    if isinstance(v, int):
        return b'I%d;' % v
    b = v.encode()
    return b'T%d:' % len(b) + b
def copy_id(base, r):
    row = (base, r[6], r[4], r[5], r[7], r[8]) + ((r[9],) if r[9] is not None else ())
    h = hashlib.sha256(b'tianbao-export-1 copy\n' + b''.join(cell(x) for x in row) + b'\n').hexdigest()
    return (h[8:16] if h[:8] == base[:8] else h[:8]) + base[8:]
def content_key(r):
    return (r[7], r[8], r[5] is not None, r[5] or '', r[4], r[9] is not None, r[9] or '')
said = {}
def later(st):
    return (st[1], st[3], 1 if st[0] == 'complete' else 0, st[2])
for path in sys.argv[1:]:
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    latest = {}
    version = db.execute('PRAGMA user_version').fetchone()[0]
    comment = 'comment' if version >= 4 else 'NULL'
    for r in db.execute('SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by, %s FROM vals' % comment):
        k = (r[0], r[1], r[2], r[3])
        if k not in best or best[k][0][6] < r[6]:
            best[k] = [r]
        elif best[k][0][6] == r[6] and all(x[4:6] + x[7:10] != r[4:6] + r[7:10] for x in best[k]):
            best[k].append(r)
        f = (r[0], r[1], r[4])
        if f not in latest or (r[7], r[3]) > (latest[f][7], latest[f][3]):
            latest[f] = r
    carried = {}
    if db.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'form_states'").fetchone()[0]:
        for r in db.execute('SELECT unit, period, form, state, changed_at, changed_by, installation FROM form_states'):
            carried[(r[0], r[1], r[2])] = (r[3], r[4], r[5], r[6])
    for f, r in latest.items():
        st = carried.get(f, ('progress', r[7], r[8], r[3]))
        if f not in said or later(st) > later(said[f]):
            said[f] = st
    db.close()
keys = {}
for k, rs in best.items():
    rs.sort(key=content_key, reverse=True)
    for n, r in enumerate(rs):
        keys.setdefault(k[:3], []).append(r if n == 0 else r[:3] + (copy_id(k[3], r),) + r[4:])
def q(v):
    return 'NULL' if v is None else "'" + v.replace("'", "''") + "'"
for k in sorted(keys):
    rs = keys[k]
    pick = max(rs, key=lambda r: (r[7], r[3]))
    conflict = 1 if len({r[5] for r in rs}) > 1 else 0
    print('|'.join([k[0], k[1], k[2], pick[4], q(pick[5]), pick[7], pick[8], pick[3], str(pick[6]), str(conflict), q(pick[9])]))
print('--')
for f in sorted(said):
    print('|'.join(list(f) + list(said[f])))
PY
}

fail_orders=0 fail_model=0 fail_again=0 fail_rc=0 total_files=0 total_conflicts=0 total_clears=0
total_completes=0 total_complete_shown=0 total_v1=0 total_restores=0 total_copies=0 total_comments=0 total_comments_end=0
for s in $(seq 1 "$scenarios"); do
	dir=$T_TMP/s$s
	mkdir -p "$dir"
	k=$((2 + RANDOM % 3))
	# Some scenarios crowd everything onto one unit and period, for more overlap.
	nu=$((1 + RANDOM % 3)) np=$((1 + RANDOM % 2))
	for i in $(seq 1 $k); do
		"$TB" --db "$dir/i$i.db" init --unit $TWP --operator "员$i" >/dev/null
		mkdir -p "$dir/e$i"
	done
	files=()
	rounds=$((3 + RANDOM % 3))
	# In some scenarios one installation is put back from a backup made after round 1.
	copy_i="" copy_restore=0
	if [ $((RANDOM % 3)) -eq 0 ]; then
		copy_i=$((1 + RANDOM % k)) copy_restore=$((2 + RANDOM % (rounds - 2)))
	fi
	for r in $(seq 1 $rounds); do
		for i in $(seq 1 $k); do
			[ $((RANDOM % 3)) -eq 0 ] && continue
			args=() used=" " cleared=""
			for _ in $(seq 1 $((1 + RANDOM % 3))); do
				f=${fields[$((RANDOM % ${#fields[@]}))]}
				case $used in *" $f "*) continue ;; esac
				used="$used$f "
				if [ $((RANDOM % 6)) -eq 0 ]; then
					args+=("$f=")
					cleared=1
					total_clears=$((total_clears + 1))
				else
					eval "d=(\"\${domain_$f[@]}\")"
					args+=("$f=${d[$((RANDOM % ${#d[@]}))]}")
				fi
			done
			u=${units[$((RANDOM % nu))]} p=${periods[$((RANDOM % np))]}
			# Now and then with a comment (or its removal) on each value written; a
			# comment needs a value, so not beside a clearing.
			if [ $((RANDOM % 3)) -eq 0 ] && [ -z "$cleared" ]; then
				args+=(--comment "${comments[$((RANDOM % ${#comments[@]}))]}")
				total_comments=$((total_comments + 1))
			fi
			"$TB" --db "$dir/i$i.db" set --unit "$u" --period "$p" \
				"${args[@]}" >/dev/null 2>"$dir/set.err" || { fail_rc=$((fail_rc + 1)); diag "s$s: set failed: $(cat "$dir/set.err")"; }
			# Now and then the form is filled in and completed (a later write reopens it).
			if [ $((RANDOM % 3)) -eq 0 ]; then
				args=("${full[@]}")
				for f in "${fields[@]}"; do
					eval "d=(\"\${domain_$f[@]}\")"
					args+=("$f=${d[$((RANDOM % ${#d[@]}))]}")
				done
				{ "$TB" --db "$dir/i$i.db" set --unit "$u" --period "$p" "${args[@]}" &&
					"$TB" --db "$dir/i$i.db" complete --unit "$u" --period "$p" --form village; } >/dev/null 2>"$dir/set.err" ||
					{ fail_rc=$((fail_rc + 1)); diag "s$s: completing failed: $(cat "$dir/set.err")"; }
				total_completes=$((total_completes + 1))
			fi
		done
		for i in $(seq 1 $k); do
			[ "$r" -lt "$rounds" ] && [ $((RANDOM % 2)) -eq 0 ] && continue
			p=$("$TB" --db "$dir/i$i.db" export --out "$dir/e$i" 2>/dev/null) && files+=("$p")
		done
		# The backup, after round 1; the original then writes a value of 2024 (a period
		# no one else writes, so no later revision takes its place) and exports. At the
		# restore the copy writes another value there, at the same revision, and exports.
		if [ -n "$copy_i" ] && { [ "$r" -eq 1 ] || [ "$r" -eq "$copy_restore" ]; }; then
			if [ "$r" -eq 1 ]; then
				cp "$dir/i$copy_i.db" "$dir/backup.db"
				v=原$s
			else
				# Copied over the file: the same file, so the same installation id.
				cp "$dir/backup.db" "$dir/i$copy_i.db"
				total_restores=$((total_restores + 1))
				v=复$s
			fi
			"$TB" --db "$dir/i$copy_i.db" set --unit "${units[0]}" --period 2024 "v_notes=$v" >/dev/null 2>"$dir/set.err" ||
				{ fail_rc=$((fail_rc + 1)); diag "s$s: set failed: $(cat "$dir/set.err")"; }
			p=$("$TB" --db "$dir/i$copy_i.db" export --out "$dir/e$copy_i" 2>/dev/null) && files+=("$p")
		fi
	done
	# A file without form states (export version 1), in some scenarios.
	if [ "${#files[@]}" -gt 0 ] && [ $((RANDOM % 3)) -eq 0 ]; then
		files+=("$V1FILE")
		total_v1=$((total_v1 + 1))
	fi
	nf=${#files[@]}
	total_files=$((total_files + nf))
	[ "$nf" -eq 0 ] && continue

	# Four orders: as written, reversed, two shuffles.
	ref=""
	for o in 0 1 2 3; do
		order=("${files[@]}")
		if [ $o -eq 1 ]; then
			order=(); for ((x = nf - 1; x >= 0; x--)); do order+=("${files[$x]}"); done
		elif [ $o -ge 2 ]; then
			for ((x = nf - 1; x > 0; x--)); do
				y=$((RANDOM % (x + 1))); t=${order[$x]}; order[$x]=${order[$y]}; order[$y]=$t
			done
		fi
		t=$dir/t$o.db
		"$TB" --db "$t" init --unit $TWP >/dev/null
		"$TB" --db "$t" merge "${order[@]}" >"$dir/merge$o.out" 2>&1 || { fail_rc=$((fail_rc + 1)); diag "s$s order $o: merge failed" "$(cat "$dir/merge$o.out")"; }
		st=$(state "$t")
		if [ $o -eq 0 ]; then
			ref=$st
		elif [ "$st" != "$ref" ]; then
			fail_orders=$((fail_orders + 1))
			diag "s$s: order $o differs from order 0:" "$(diff <(echo "$ref") <(echo "$st") | head -20)"
		fi
	done
	want=$(model "${files[@]}")
	got="$(vals "$dir/t0.db")
--
$(fstates "$dir/t0.db")"
	if [ "$got" != "$want" ]; then
		fail_model=$((fail_model + 1))
		diag "s$s: the values or form states differ from the model:" "$(diff <(echo "$want") <(echo "$got") | head -20)"
	fi
	total_conflicts=$((total_conflicts + $(sqlite3 "$dir/t0.db" 'SELECT count(*) FROM vals WHERE conflict = 1')))
	total_comments_end=$((total_comments_end + $(sqlite3 "$dir/t0.db" 'SELECT count(*) FROM vals WHERE comment IS NOT NULL')))
	# Copies met along the way (a later revision of the installation takes their place).
	total_copies=$((total_copies + $(grep -c '^  copies of one database: ' "$dir/merge0.out")))
	total_complete_shown=$((total_complete_shown + $("$TB" --db "$dir/t0.db" status | grep -c ' complete ')))

	# Everything again changes nothing: every file already merged...
	"$TB" --db "$dir/t0.db" merge "${files[@]}" >"$dir/again.out" 2>&1
	if [ "$(state "$dir/t0.db")" != "$ref" ] || [ "$(grep -c 'already merged on' "$dir/again.out")" -ne "$nf" ]; then
		fail_again=$((fail_again + 1)); diag "s$s: merging everything again changed something"
	fi
	# ...and a township's export carrying all of it finds every candidate known in another
	# township database: values and candidates stay as they are (when it holds exactly
	# what one file held, it is that file's content and is known as already merged).
	tf=$("$TB" --db "$dir/t0.db" export --out "$dir")
	"$TB" --db "$dir/t1.db" merge "$tf" >"$dir/again1.out" 2>&1
	if [ "$(vals "$dir/t1.db")$(cands "$dir/t1.db")$(fstates "$dir/t1.db")" != "$(vals "$dir/t0.db")$(cands "$dir/t0.db")$(fstates "$dir/t0.db")" ] ||
		! grep -Eq ': 0 new, 0 updated, |already merged on' "$dir/again1.out"; then
		fail_again=$((fail_again + 1)); diag "s$s: the township's own export changed another township" "$(cat "$dir/again1.out")"
	fi
	rm -rf "$dir"
done

ok "$total_files files merged in 4 orders each; $total_conflicts conflicts, $total_clears clearings, $total_completes completions along the way; $total_v1 files of export version 1; $total_complete_shown forms shown complete at the end; $total_restores databases put back from a backup, $total_copies values written differently by copies of one"
check "some scenarios have copies of one database writing different values" test "$total_copies" -ge "$total_restores" -a "$total_restores" -gt 5
check "the scenarios hold conflicts (the property is not trivially true)" test "$total_conflicts" -gt 20
check "the scenarios complete forms, and some stay complete at the township" test "$total_complete_shown" -gt 5
check "some scenarios merge a file of export version 1" test "$total_v1" -gt 3
check "some writes carry comments, and some reach the township" test "$total_comments" -gt 20 -a "$total_comments_end" -gt 5
expect_eq "no command failed" "$fail_rc" "0"
expect_eq "every order gives the same values, candidates, form states, status and conflicts" "$fail_orders" "0"
expect_eq "the values and form states are what the model says" "$fail_model" "0"
expect_eq "merging everything again changes nothing" "$fail_again" "0"
expect_eq "no private temporary files left" "$(ls -A "$TMPDIR" | wc -l)" "0"

done_testing
