#!/usr/bin/env bash
# bench/merge.sh - `make bench-merge`: how fast `tianbao merge` is against the plainest
# possible merge of the same files, and that its cost grows linearly.
#
# Builds, with the release binary ./tianbao, 300 village export files of 150 values each
# (a generated township of 300 villages and a 150-field form, in build/bench/), then
# merges the first 100, 200 and 300 of them into fresh township databases two ways:
#
#   tianbao   ./tianbao merge FILE... (everything it does: a private copy of each file,
#             header, schema, quick_check, every value through field_parse, checksums,
#             the merge rules, audit rows, the merge log; one transaction per file)
#   sqlite3   the sqlite3 shell with ATTACH and INSERT ... SELECT per file: candidates,
#             vals, audit, form_state and merges rows, no checks at all, one transaction
#             per file
#
# Both write a township database made by `tianbao init` on the same disk, in WAL mode
# with synchronous=FULL (what tianbao always uses), so each commit is synced alike.
# Each measurement is repeated (BENCH_RUNS, default 3) and the median reported.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
TB=$root/tianbao
NFILES=${BENCH_FILES:-300}
NVALUES=${BENCH_VALUES:-150}
RUNS=${BENCH_RUNS:-3}
work=$root/build/bench
rm -rf "$work"
mkdir -p "$work/forms" "$work/files" "$work/db" "$work/tmp"
export TIANBAO_FORMS=$work/forms TMPDIR=$work/tmp
unset TIANBAO_DB

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { tr ' ' '\n' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "bench-merge: $NFILES village files of $NVALUES values; $RUNS runs each, median"
echo "  tianbao $("$TB" --version | cut -d' ' -f2), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite /'), $(nproc) CPU(s), township database on $(df -T "$work" | awk 'NR == 2 {print $2}')"

# ---- the township and its form ------------------------------------------------------
{
	printf '[township.360730105000]\nname = 基准乡\nname_en = Bench Township\n'
	for i in $(seq 1 "$NFILES"); do printf '\n[village.360730105%03d]\nname = 村%d\n' "$i" "$i"; done
} >"$work/forms/units.ini"
{
	printf '[form]\nid = bench\ntitle = 基准表\ntitle_en = Bench form\nreported_by = village\nperiod = year\nversion = 1\n\n[section.all]\nlabel = 全部\n'
	for i in $(seq 1 "$NVALUES"); do printf '\n[field.b_%03d]\nlabel = 指标%d\ntype = integer\nrange = 0..1000000\n' "$i" "$i"; done
} >"$work/forms/10-bench.ini"
"$TB" check-forms "$work/forms" >/dev/null

# ---- 300 villages, each its own database, each exports once ---------------------------------
t0=$(now_ms)
for i in $(seq 1 "$NFILES"); do
	unit=$(printf '360730105%03d' "$i")
	db=$work/db/v$i.db
	"$TB" --db "$db" init --unit "$unit" --operator "村会计$i" >/dev/null
	args=()
	for f in $(seq 1 "$NVALUES"); do args+=("$(printf 'b_%03d=%d' "$f" $(((i * 7919 + f * 104729) % 1000000)))"); done
	"$TB" --db "$db" set --period 2026 "${args[@]}" >/dev/null
	p=$("$TB" --db "$db" export --out "$work/files")
	mv "$p" "$work/files/$(printf '%04d' "$i").tbx"
done
echo "  made $NFILES export files in $(($(now_ms) - t0)) ms ($(du -sh "$work/files" | cut -f1) on disk)"
mapfile -t files < <(ls "$work/files"/*.tbx | sort)

# ---- the plain sqlite3 merge script for the first n files -------------------------------------
plain_sql() {
	local n=$1
	echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	for ((k = 0; k < n; k++)); do
		cat <<SQL
ATTACH '${files[$k]}' AS x;
BEGIN IMMEDIATE;
INSERT INTO merges (checksum, file_name, installation, source_units, exported_by, exported_at, merged_at, merged_by,
                    n_new, n_updated, n_unchanged, n_conflicts)
  SELECT (SELECT value FROM x.manifest WHERE key = 'checksum'), '$(basename "${files[$k]}")',
         (SELECT value FROM x.manifest WHERE key = 'installation'), (SELECT value FROM x.manifest WHERE key = 'units'),
         (SELECT value FROM x.manifest WHERE key = 'operator'), (SELECT value FROM x.manifest WHERE key = 'written_at'),
         strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'bench', 0, 0, 0, 0;
INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, updated_by, source, superseded)
  SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by, last_insert_rowid(), 0
  FROM x.vals WHERE true
  ON CONFLICT (unit, period, field, installation) DO UPDATE SET form = excluded.form, value = excluded.value,
    revision = excluded.revision, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
    source = excluded.source, superseded = 0 WHERE excluded.revision > candidates.revision;
INSERT INTO vals (unit, period, field, form, value, updated_at, updated_by, installation, revision, conflict, source)
  SELECT unit, period, field, form, value, updated_at, updated_by, installation, revision, 0, (SELECT max(id) FROM merges)
  FROM x.vals WHERE true
  ON CONFLICT (unit, period, field) DO UPDATE SET form = excluded.form, value = excluded.value,
    updated_at = excluded.updated_at, updated_by = excluded.updated_by, installation = excluded.installation,
    revision = excluded.revision, source = excluded.source;
INSERT INTO audit (at, unit, period, form, field, old_value, new_value, by_operator, installation, reason, source)
  SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), unit, period, form, field, NULL, value, 'bench', installation,
         'imported', (SELECT max(id) FROM merges) FROM x.vals;
INSERT INTO form_state (unit, period, form, state, changed_at, changed_by, installation)
  SELECT unit, period, form, state, changed_at, changed_by, installation FROM x.form_states WHERE true
  ON CONFLICT (unit, period, form) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at,
    changed_by = excluded.changed_by, installation = excluded.installation
    WHERE excluded.changed_at > form_state.changed_at;
COMMIT;
DETACH x;
SQL
	done
}

fresh_township() {
	rm -f "$1" "$1-wal" "$1-shm"
	"$TB" --db "$1" init --unit 360730105000 --operator 乡会计 >/dev/null
}

declare -A T_TB T_SQL
for n in 100 200 "$NFILES"; do
	[ "$n" -le "$NFILES" ] || continue
	plain_sql "$n" >"$work/plain-$n.sql"
	tb_runs="" sql_runs=""
	for r in $(seq 1 "$RUNS"); do
		t=$work/t-tb.db
		fresh_township "$t"
		sync
		s=$(now_ms)
		"$TB" --db "$t" merge "${files[@]:0:$n}" >"$work/merge.out"
		tb_runs="$tb_runs $(($(now_ms) - s))"
		[ "$(grep -c ': 150 new, 0 updated' "$work/merge.out" || true)" -eq "$n" ] || {
			[ "$NVALUES" -ne 150 ] || { echo "bench-merge: tianbao merge did not merge every file" >&2; exit 1; }
		}

		t2=$work/t-sql.db
		fresh_township "$t2"
		sync
		s=$(now_ms)
		sqlite3 "$t2" <"$work/plain-$n.sql" >/dev/null
		sql_runs="$sql_runs $(($(now_ms) - s))"
	done
	T_TB[$n]=$(echo $tb_runs | median)
	T_SQL[$n]=$(echo $sql_runs | median)
	# Both ways end with the same values.
	if [ "$("$TB" --db "$t" dump | md5sum)" != "$("$TB" --db "$t2" dump | md5sum)" ]; then
		echo "bench-merge: the two merges of $n files differ" >&2
		exit 1
	fi
	echo "  $n files: tianbao merge ${T_TB[$n]} ms (runs:$tb_runs), sqlite3 ATTACH/INSERT ${T_SQL[$n]} ms (runs:$sql_runs)"
done

echo
printf '  %-6s %14s %14s %8s %18s %18s\n' files "tianbao ms" "sqlite3 ms" ratio "tianbao ms/file" "sqlite3 ms/file"
for n in 100 200 "$NFILES"; do
	[ -n "${T_TB[$n]:-}" ] || continue
	awk -v n="$n" -v a="${T_TB[$n]}" -v b="${T_SQL[$n]}" \
		'BEGIN { printf "  %-6d %14d %14d %7.2fx %18.2f %18.2f\n", n, a, b, (b > 0 ? a / b : 0), a / n, b / n }'
done
n=$NFILES
awk -v a="${T_TB[$n]}" -v b="${T_SQL[$n]}" -v a1="${T_TB[100]:-0}" -v n="$n" \
	'BEGIN { r = (b > 0 ? a / b : 0);
	         printf "\n  ratio at %d files: %.2fx (target: within 2x) - %s\n", n, r, (r <= 2 ? "met" : "NOT met");
	         if (a1 > 0) printf "  growth: %d files cost %.2fx what 100 cost (linear would be %.2fx)\n", n, a / a1, n / 100 }'
rm -rf "$work/tmp"
