#!/usr/bin/env bash
# Property: the result of merging never depends on the order files arrive in.
# Random scenarios (fixed seed, printed): several installations (each its own database,
# set up as the township so it may write any village) write overlapping units, periods
# and fields several times, clear some, and export at different moments, so one
# installation's files carry different revisions. All files are merged in several orders
# into fresh township databases: the values (every column but the source file), the
# candidates and the `conflicts` listing are identical across orders and equal to what
# an independent model (Python, reading the files) says; merging everything again, or
# a township's export carrying it all, changes nothing.
# 50 scenarios in `make test`; TIANBAO_STRESS=1 runs 300. TIANBAO_SEED=N reproduces one run.
. "$(dirname "$0")/../lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
unset TIANBAO_DB

SEED=${TIANBAO_SEED:-20261129}
RANDOM=$SEED
scenarios=50
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

vals() { sqlite3 "$1" "SELECT unit, period, field, form, quote(value), updated_at, updated_by, installation, revision, conflict FROM vals ORDER BY 1, 2, 3"; }
cands() { sqlite3 "$1" "SELECT unit, period, field, installation, form, quote(value), revision, updated_at, updated_by, superseded FROM candidates ORDER BY 1, 2, 3, 4"; }
# The conflicts listing without the file each candidate came from: that is the first file
# that carried it, which by nature depends on the order.
conflicts() { "$TB" --db "$1" conflicts 2>&1 | sed 's/  [^ ]*\.tbx$//'; }
state() { "$TB" --db "$1" dump 2>&1; vals "$1"; cands "$1"; conflicts "$1"; }

# The model: per key and installation the highest revision; the value from the latest
# write (ties to the greater installation id); a conflict when the candidates differ.
model() {
	python3 - "$@" <<'PY'
import sqlite3, sys
best = {}
for path in sys.argv[1:]:
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    for r in db.execute('SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by FROM vals'):
        k = (r[0], r[1], r[2], r[3])
        if k not in best or best[k][6] < r[6]:
            best[k] = r
    db.close()
keys = {}
for k, r in best.items():
    keys.setdefault(k[:3], []).append(r)
def q(v):
    return 'NULL' if v is None else "'" + v.replace("'", "''") + "'"
for k in sorted(keys):
    rs = keys[k]
    pick = max(rs, key=lambda r: (r[7], r[3]))
    conflict = 1 if len({r[5] for r in rs}) > 1 else 0
    print('|'.join([k[0], k[1], k[2], pick[4], q(pick[5]), pick[7], pick[8], pick[3], str(pick[6]), str(conflict)]))
PY
}

fail_orders=0 fail_model=0 fail_again=0 fail_rc=0 total_files=0 total_conflicts=0 total_clears=0
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
	for r in $(seq 1 $rounds); do
		for i in $(seq 1 $k); do
			[ $((RANDOM % 3)) -eq 0 ] && continue
			args=() used=" "
			for _ in $(seq 1 $((1 + RANDOM % 3))); do
				f=${fields[$((RANDOM % ${#fields[@]}))]}
				case $used in *" $f "*) continue ;; esac
				used="$used$f "
				if [ $((RANDOM % 6)) -eq 0 ]; then
					args+=("$f=")
					total_clears=$((total_clears + 1))
				else
					eval "d=(\"\${domain_$f[@]}\")"
					args+=("$f=${d[$((RANDOM % ${#d[@]}))]}")
				fi
			done
			"$TB" --db "$dir/i$i.db" set --unit "${units[$((RANDOM % nu))]}" --period "${periods[$((RANDOM % np))]}" \
				"${args[@]}" >/dev/null 2>"$dir/set.err" || { fail_rc=$((fail_rc + 1)); diag "s$s: set failed: $(cat "$dir/set.err")"; }
		done
		for i in $(seq 1 $k); do
			[ "$r" -lt "$rounds" ] && [ $((RANDOM % 2)) -eq 0 ] && continue
			p=$("$TB" --db "$dir/i$i.db" export --out "$dir/e$i" 2>/dev/null) && files+=("$p")
		done
	done
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
	if [ "$(vals "$dir/t0.db")" != "$want" ]; then
		fail_model=$((fail_model + 1))
		diag "s$s: the values differ from the model:" "$(diff <(echo "$want") <(vals "$dir/t0.db") | head -20)"
	fi
	total_conflicts=$((total_conflicts + $(sqlite3 "$dir/t0.db" 'SELECT count(*) FROM vals WHERE conflict = 1')))

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
	if [ "$(vals "$dir/t1.db")$(cands "$dir/t1.db")" != "$(vals "$dir/t0.db")$(cands "$dir/t0.db")" ] ||
		! grep -Eq ': 0 new, 0 updated, |already merged on' "$dir/again1.out"; then
		fail_again=$((fail_again + 1)); diag "s$s: the township's own export changed another township" "$(cat "$dir/again1.out")"
	fi
	rm -rf "$dir"
done

ok "$total_files files merged in 4 orders each; $total_conflicts conflicts and $total_clears clearings along the way"
check "the scenarios hold conflicts (the property is not trivially true)" test "$total_conflicts" -gt 20
expect_eq "no command failed" "$fail_rc" "0"
expect_eq "every order gives the same values, candidates and conflicts" "$fail_orders" "0"
expect_eq "the values are what the model says" "$fail_model" "0"
expect_eq "merging everything again changes nothing" "$fail_again" "0"
expect_eq "no private temporary files left" "$(ls -A "$TMPDIR" | wc -l)" "0"

done_testing
