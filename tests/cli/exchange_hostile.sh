#!/usr/bin/env bash
# Hostile export files that are well formed (issue 16): a value with thousands of
# candidates, candidates piled up over several files, too many copies of one database, a
# file claiming this installation's own id with a change it never made; and refusals
# that must give the true reason (a bad row before another one, a header whose page count
# is stale, a number stored where text belongs). Each made with build/test/tools/tbx_forge
# from one good export, its checksums recomputed, so the file is wrong in that way only.
. "$(dirname "$0")/../lib.sh"

V1=360730105201 TWP=360730105000
FORGE=$ROOT/build/test/tools/tbx_forge
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
unset TIANBAO_DB

vdb=$T_TMP/village.db tdb=$T_TMP/township.db bad=$T_TMP/bad
mkdir -p "$bad" "$T_TMP/out" "$T_TMP/out2"
"$TB" --db "$vdb" init --unit $V1 --operator 李村长 >/dev/null
"$TB" --db "$vdb" set --period 2025 v_vc_total=4 v_notes=旧 >/dev/null
"$TB" --db "$vdb" set --period 2026 v_vc_total=5 v_vc_female=2 v_notes=东风村一组 v_filled_by=李四 >/dev/null
good=$("$TB" --db "$vdb" export --out "$T_TMP/out")
check "a good export to start from" test -s "$good"
"$TB" --db "$tdb" init --unit $TWP --operator 王会计 >/dev/null
tinst=$(sqlite3 "$tdb" "SELECT value FROM meta WHERE key = 'installation_id'")

state() { "$TB" --db "$tdb" dump 2>&1; sqlite3 "$tdb" "SELECT count(*) FROM merges; SELECT count(*) FROM audit; SELECT count(*) FROM candidates"; }

forge() {
	local name=$1; shift
	cp "$good" "$bad/$name.tbx"
	"$FORGE" "$bad/$name.tbx" "$@" || echo "FORGE FAILED: $name" >&2
}

# refused FILE REGEX [verify]: merge refuses it saying why, nothing changes; with
# `verify`, verify refuses it too.
refused() {
	local f=$1 re=$2 also=${3:-} name b
	name=$(basename "$f")
	b=$(state)
	run "$TB" --db "$tdb" merge "$f"
	expect_rc "$name: refused" 1
	expect_match "$name: the reason" "$ERR" "$re"
	expect_match "$name: the message names the file" "$ERR" "$name"
	expect_no_match "$name: no sanitizer report" "$ERR" "Sanitizer|runtime error"
	expect_eq "$name: the township is unchanged" "$(state)" "$b"
	if [ "$also" = verify ]; then
		run "$TB" verify "$f"
		expect_rc "$name: verify refuses it too" 1
		expect_match "$name: verify gives the reason" "$ERR" "$re"
	fi
}

# many NAME N [IDEXPR]: the file with all values but v_notes 2026 deleted, and N more
# candidates of it, installation ids IDEXPR of i (default printf('%032x', i)).
many() {
	local name=$1 n=$2 id=${3:-"printf('%032x', i.x)"}
	forge "$name" "DELETE FROM vals WHERE NOT (field = 'v_notes' AND period = '2026')" \
		"DELETE FROM form_states WHERE period != '2026'" "DELETE FROM superseded" \
		"INSERT INTO vals SELECT v.unit, v.period, v.field, $id, v.form, v.value || i.x, 1, v.updated_at, v.updated_by, NULL FROM vals v, (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $n) SELECT x FROM c) i"
}

# ---- one value with thousands of candidates: refused at once, nothing carried on ----------
for n in 20000 40000; do
	many "many-$n" $n
	start=$(date +%s%N)
	refused "$bad/many-$n.tbx" "$V1 2026 v_notes has $((n + 1)) candidates \(values written on different computers\); tianbao takes at most 64 for one value \(EXPORT_KEY_CANDIDATES_MAX, docs/exchange.md\)" verify
	ms=$((($(date +%s%N) - start) / 1000000))
	# a sanity bound only (the test build runs under the sanitizers; the release build
	# takes a fraction of a second, see docs/exchange.md)
	check "many-$n: refused without a stall (${ms} ms for merge and verify)" test "$ms" -lt 60000
done
expect_eq "no candidate of them is kept" "$(sqlite3 "$tdb" "SELECT count(*) FROM candidates")" "0"

# The limit itself: 64 candidates of a value merge, 65 do not.
many at-limit 63
run "$TB" --db "$tdb" merge "$bad/at-limit.tbx"
expect_rc "64 candidates of one value: merged" 0
expect_eq "all 64 kept" "$(sqlite3 "$tdb" "SELECT count(*) FROM candidates WHERE field = 'v_notes'")" "64"
many over-limit 64
refused "$bad/over-limit.tbx" "v_notes has 65 candidates .*at most 64" verify

# Piled up over files: each within the limit, together over it (the value has 64 now). The second is refused,
# naming the limit, so the database never holds more than it and its export stays
# readable (the candidates are carried on, at most 64 of them).
many pile-2 40 "'1' || printf('%031x', i.x)"
refused "$bad/pile-2.tbx" "merged, $V1 2026 v_notes would have 104 candidates .*tianbao keeps at most 64 for one value \(EXPORT_KEY_CANDIDATES_MAX, docs/exchange.md\)"
run "$TB" --db "$tdb" export --out "$T_TMP/out2"
expect_rc "the township exports what it has" 0
twp_file=$OUT
expect_eq "its export carries the 64 candidates, no more" "$(sqlite3 "$twp_file" "SELECT count(*) FROM vals WHERE field = 'v_notes'")" "64"
t2=$T_TMP/township2.db
"$TB" --db "$t2" init --unit $TWP >/dev/null
run "$TB" --db "$t2" merge "$twp_file"
expect_rc "and the township's export merges elsewhere" 0

# Copies of one database: at most 8 candidates of a value under related ids.
many copies 9 "printf('%08x', i.x) || 'cccccccccccccccccccccccc'"
refused "$bad/copies.tbx" "v_notes has 9 candidates from copies of one database .*at most 8 \(EXPORT_KEY_COPIES_MAX, docs/exchange.md\)" verify

# Copies piled up over two files, each within the limit: the second is refused.
for k in 1 2; do
	forge "copies-$k" "DELETE FROM vals WHERE NOT (field = 'v_notes' AND period = '2025')" \
		"DELETE FROM form_states WHERE period != '2025'" "DELETE FROM superseded" \
		"INSERT INTO vals SELECT v.unit, v.period, v.field, printf('%08x', i.x + $k * 100) || 'dddddddddddddddddddddddd', v.form, v.value || i.x, 1, v.updated_at, v.updated_by, NULL FROM vals v, (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6) SELECT x FROM c) i"
done
run "$TB" --db "$tdb" merge "$bad/copies-1.tbx"
expect_rc "6 copies of one database: merged" 0
refused "$bad/copies-2.tbx" "merged, $V1 2025 v_notes would have 12 candidates from copies of one database; tianbao keeps at most 8 \(EXPORT_KEY_COPIES_MAX, docs/exchange.md\)"

# After all that, an ordinary file merges as fast as ever.
"$TB" --db "$vdb" set --period 2026 v_notes=东风村二组 >/dev/null
ord=$("$TB" --db "$vdb" export --out "$T_TMP/out")
start=$(date +%s%N)
run "$TB" --db "$tdb" merge "$ord"
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc "an ordinary file touching that value merges" 0
check "an ordinary merge after them is quick (${ms} ms)" test "$ms" -lt 10000

# ---- a file claiming to be this installation -------------------------------------------
run "$TB" --db "$tdb" set --unit $V1 --period 2026 v_vc_total=6
expect_rc "the clerk types a value at the township" 0
typed_at=$(sqlite3 "$tdb" "SELECT updated_at FROM candidates WHERE field = 'v_vc_total' AND period = '2026' AND installation = '$tinst'")
forge own-id-higher "UPDATE vals SET installation = '$tinst', revision = 2, value = '4', updated_at = '2026-01-01T00:00:00Z' WHERE field = 'v_vc_total' AND period = '2026'"
refused "$bad/own-id-higher.tbx" "$V1 2026 v_vc_total as changed on this computer \(revision 2, written 2026-01-01T00:00:00Z by 李村长\), but this computer's latest change of it is revision 1. This computer never made that change"
expect_eq "the typed value stays" "$("$TB" --db "$tdb" dump --unit $V1 | awk -F, '$2 == "2026" && $4 == "v_vc_total" {print $5}')" "6"
forge own-id-never "UPDATE vals SET installation = '$tinst' WHERE field = 'v_vc_female'"
refused "$bad/own-id-never.tbx" "$V1 2026 v_vc_female as written on this computer \(written .* by 李村长\), but this computer never wrote that value"
forge own-id-set-aside "INSERT INTO superseded SELECT unit, period, field, '$tinst', form, '3', 9, updated_at, updated_by, NULL FROM vals WHERE field = 'v_vc_total' AND period = '2026'"
refused "$bad/own-id-set-aside.tbx" "v_vc_total as changed on this computer \(revision 9"
# Its own export, merged back, is its own history: nothing new, nothing refused.
own=$("$TB" --db "$tdb" export --out "$T_TMP/out2")
run "$TB" --db "$tdb" merge "$own"
expect_rc "its own export merged back: not refused" 0
expect_match "its own export: nothing changes" "$OUT" " 0 new, 0 updated"
expect_eq "the typed value is still the clerk's" \
	"$(sqlite3 "$tdb" "SELECT value, updated_at FROM candidates WHERE field = 'v_vc_total' AND period = '2026' AND installation = '$tinst'")" "6|$typed_at"

# ---- the true reason, not a checksum mismatch -------------------------------------------
forge bad-state-first "UPDATE form_states SET installation = 'XYZ' WHERE period = '2025'"
refused "$bad/bad-state-first.tbx" "a form state's unit, period, form or installation is not what tianbao writes" verify
expect_no_match "bad-state-first: not called a checksum mismatch" "$ERR" "checksum"
forge bad-set-aside-first \
	"INSERT INTO superseded SELECT unit, period, field, 'XYZ', form, '9', 1, updated_at, updated_by, NULL FROM vals WHERE field = 'v_filled_by'" \
	"INSERT INTO superseded SELECT unit, period, field, '$(printf 'f%.0s' {1..32})', form, '9', 1, updated_at, updated_by, NULL FROM vals WHERE field = 'v_notes' AND period = '2026'"
refused "$bad/bad-set-aside-first.tbx" "a value's unit, period, field, installation or form is not what tianbao writes" verify
expect_no_match "bad-set-aside-first: not called a checksum mismatch" "$ERR" "checksum"
# The header's page count counts only while its version-valid-for is the change counter.
python3 - "$good" "$bad/stale-count.tbx" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[95] ^= 1
open(sys.argv[2], 'wb').write(b)
PY
refused "$bad/stale-count.tbx" "its SQLite header is not what tianbao writes" verify
expect_no_match "stale-count: no 'N bytes where its header says N'" "$ERR" "bytes where its header says"

# ---- a number where text belongs, text where a number does -------------------------------
# swapped NAME SQL: the file with the columns' declared types taken away (so SQLite keeps
# what is stored as it is), SQL run, the schema put back, the checksums recomputed.
swapped() {
	local name=$1; shift
	cp "$good" "$bad/$name.tbx"
	"$FORGE" --no-reseal "$bad/$name.tbx" "PRAGMA writable_schema = ON" \
		"UPDATE sqlite_schema SET sql = replace(replace(replace(sql, ' TEXT ', ' BLOB '), ' TEXT,', ' BLOB,'), ' INTEGER ', ' BLOB ') WHERE type = 'table'" &&
		"$FORGE" --no-reseal "$bad/$name.tbx" "$@" &&
		python3 - "$bad/$name.tbx" "$good" <<'PY' && "$FORGE" "$bad/$name.tbx" "SELECT 1" || echo "FORGE FAILED: $name" >&2
import sqlite3, sys
orig = sqlite3.connect(sys.argv[2]).execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").fetchall()
d = sqlite3.connect(sys.argv[1])
d.execute("PRAGMA writable_schema = ON")
for n, s in orig:
    d.execute("UPDATE sqlite_schema SET sql = ? WHERE name = ?", (s, n))
d.commit()
PY
}
swapped value-integer "UPDATE vals SET value = 5 WHERE field = 'v_vc_total' AND period = '2026'"
refused "$bad/value-integer.tbx" "column 'value' of its table 'vals' holds a value of type integer, where tianbao writes text \(or nothing\)" verify
swapped value-real "UPDATE vals SET value = 5.0 WHERE field = 'v_vc_total' AND period = '2026'"
refused "$bad/value-real.tbx" "column 'value' of its table 'vals' holds a value of type real" verify
swapped revision-text "UPDATE vals SET revision = '1'"
refused "$bad/revision-text.tbx" "column 'revision' of its table 'vals' holds a value of type text, where tianbao writes a whole number \(integer\)" verify
swapped revision-real "UPDATE vals SET revision = 1.0"
refused "$bad/revision-real.tbx" "column 'revision' of its table 'vals' holds a value of type real" verify
swapped unit-integer "UPDATE vals SET unit = $V1" "UPDATE form_states SET unit = $V1"
refused "$bad/unit-integer.tbx" "column 'unit' of its table 'vals' holds a value of type integer, where tianbao writes text" verify
swapped version-text "UPDATE forms SET version = '1'"
refused "$bad/version-text.tbx" "column 'version' of its table 'forms' holds a value of type text" verify
swapped manifest-integer "UPDATE manifest SET value = 3 WHERE key = 'export_version'"
refused "$bad/manifest-integer.tbx" "column 'value' of its table 'manifest' holds a value of type integer" verify
swapped state-period-integer "UPDATE form_states SET period = 2026 WHERE period = '2026'"
refused "$bad/state-period-integer.tbx" "column 'period' of its table 'form_states' holds a value of type integer" verify
swapped set-aside-revision-real \
	"INSERT INTO superseded SELECT unit, period, field, '$(printf 'f%.0s' {1..32})', form, '9', 1.5, updated_at, updated_by, NULL FROM vals WHERE field = 'v_notes' AND period = '2026'"
refused "$bad/set-aside-revision-real.tbx" "column 'revision' of its table 'superseded' holds a value of type real" verify

done_testing
