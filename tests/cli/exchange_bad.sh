#!/usr/bin/env bash
# Bad export files: a corpus made at test time from one good export (deterministically:
# fixed seeds, and build/test/tools/tbx_forge to make a file wrong in exactly one way,
# its checksums recomputed), and from tests/fixtures/export-v1.tbx (export version 1).
# Each is refused with its reason, under the sanitizers, and the township's database is
# unchanged after each; files beside an export (-journal, -wal) are ignored and never
# written.
. "$(dirname "$0")/../lib.sh"

V1=360730105201 V2=360730105202 TWP=360730105000
FORGE=$ROOT/build/test/tools/tbx_forge
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
unset TIANBAO_DB

vdb=$T_TMP/village.db tdb=$T_TMP/township.db bad=$T_TMP/bad
mkdir -p "$bad" "$T_TMP/out"
"$TB" --db "$vdb" init --unit $V1 --operator 李村长 >/dev/null
"$TB" --db "$vdb" set --period 2026 v_vc_total=5 v_vc_female=2 v_notes=东风村一组 v_filled_by=李四 v_rep_total=30 >/dev/null
good=$("$TB" --db "$vdb" export --out "$T_TMP/out")
check "a good export to start from" test -s "$good"
"$TB" --db "$tdb" init --unit $TWP --operator 王会计 >/dev/null
run "$TB" --db "$tdb" merge "$good"
expect_rc "the good file merges" 0

state() { "$TB" --db "$tdb" dump 2>&1; sqlite3 "$tdb" "SELECT count(*) FROM merges; SELECT count(*) FROM audit; SELECT count(*) FROM candidates"; }

# forge NAME [--no-reseal] SQL...: a copy of the good file, changed.
forge() {
	local name=$1; shift
	cp "$good" "$bad/$name.tbx"
	if [ "${1:-}" = --no-reseal ]; then shift; "$FORGE" --no-reseal "$bad/$name.tbx" "$@"
	else "$FORGE" "$bad/$name.tbx" "$@"; fi || echo "FORGE FAILED: $name" >&2
}

n_files=0
# refused FILE REGEX [verify]: merge refuses it saying why, nothing changes, no sanitizer
# report; with `verify`, verify refuses it too (a file broken in itself, not only here).
refused() {
	local f=$1 re=$2 also=${3:-} name b
	name=$(basename "$f")
	b=$(state)
	run "$TB" --db "$tdb" merge "$f"
	n_files=$((n_files + 1))
	expect_rc "$name: refused" 1
	expect_match "$name: the reason" "$ERR" "$re"
	expect_match "$name: the message names the file" "$ERR" "$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')"
	expect_no_match "$name: no sanitizer report" "$ERR" "Sanitizer|runtime error"
	expect_eq "$name: the township is unchanged" "$(state)" "$b"
	if [ "$also" = verify ]; then
		run "$TB" verify "$f"
		expect_rc "$name: verify refuses it too" 1
		expect_match "$name: verify gives the reason" "$ERR" "$re"
	fi
}

# ---- not export files at all --------------------------------------------------------
: >"$bad/empty.tbx"
refused "$bad/empty.tbx" "the file is empty \(0 bytes\)" verify
python3 -c 'import random,sys; random.seed(7); sys.stdout.buffer.write(bytes(random.getrandbits(8) for _ in range(20000)))' >"$bad/random.tbx"
refused "$bad/random.tbx" "not a tianbao export file \(it is not even an SQLite file\)" verify
printf 'unit,period,field,value\n%s,2026,v_vc_total,5\n' $V1 >"$bad/text.tbx"
refused "$bad/text.tbx" "not even an SQLite file" verify
sqlite3 "$bad/other-program.tbx" "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'x');"
refused "$bad/other-program.tbx" "an SQLite file of another program" verify
sqlite3 "$vdb" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$vdb" "$bad/a-database.tbx"
refused "$bad/a-database.tbx" "this is a tianbao database, not an export file. Run 'tianbao export'" verify
forge newer-version --no-reseal "PRAGMA user_version = 5"
refused "$bad/newer-version.tbx" "made by a newer tianbao \(export version 5; this tianbao reads up to 4\). Update tianbao" verify
forge no-version --no-reseal "PRAGMA user_version = 0"
refused "$bad/no-version.tbx" "no export version" verify

# ---- a schema tianbao never writes: refused before any data is read ----------------------
forge trigger "CREATE TRIGGER t AFTER INSERT ON vals BEGIN DELETE FROM vals; END"
refused "$bad/trigger.tbx" "holds a trigger 't', which tianbao never writes" verify
forge view "CREATE VIEW v AS SELECT * FROM vals"
refused "$bad/view.tbx" "holds a view 'v'" verify
forge extra-table "CREATE TABLE extra (x)"
refused "$bad/extra-table.tbx" "holds a table 'extra'" verify
forge extra-index "CREATE INDEX by_value ON vals (value)"
refused "$bad/extra-index.tbx" "holds an index 'by_value'" verify
forge changed-table --no-reseal "ALTER TABLE vals ADD COLUMN note TEXT"
refused "$bad/changed-table.tbx" "its table 'vals' is not laid out the way tianbao writes it" verify
forge changed-states --no-reseal "ALTER TABLE form_states ADD COLUMN note TEXT"
refused "$bad/changed-states.tbx" "its table 'form_states' is not laid out the way tianbao writes it" verify
forge states-index "CREATE INDEX by_state ON form_states (state)"
refused "$bad/states-index.tbx" "holds an index 'by_state'" verify
forge no-states-table --no-reseal "DROP TABLE form_states"
refused "$bad/no-states-table.tbx" "it has no table 'form_states', so it is not a tianbao export file" verify
# Export version 1 has its own exact schema: a version 1 file with version 2's table,
# or a version 2 file that says it is version 1, is refused.
cp "$ROOT/tests/fixtures/export-v1.tbx" "$bad/v1-with-states.tbx"
"$FORGE" "$bad/v1-with-states.tbx" "CREATE TABLE form_states (x)" || echo "FORGE FAILED: v1-with-states" >&2
refused "$bad/v1-with-states.tbx" "holds a table 'form_states', which tianbao never writes" verify
forge v3-says-v1 --no-reseal "PRAGMA user_version = 1"
refused "$bad/v3-says-v1.tbx" "holds a table '(form_states|superseded)', which tianbao never writes" verify
# Version 3 added superseded (the candidates decisions set aside): a version 3 file that
# says it is version 2 has a table version 2 never had; one without it, or with it
# changed, is refused like any other.
forge v3-says-v2 --no-reseal "PRAGMA user_version = 2"
refused "$bad/v3-says-v2.tbx" "holds a table 'superseded', which tianbao never writes" verify
forge no-superseded-table --no-reseal "DROP TABLE superseded"
refused "$bad/no-superseded-table.tbx" "it has no table 'superseded', so it is not a tianbao export file" verify
forge changed-superseded --no-reseal "ALTER TABLE superseded ADD COLUMN note TEXT"
refused "$bad/changed-superseded.tbx" "its table 'superseded' is not laid out the way tianbao writes it" verify
# Version 4 added the comment column: a version 4 file that says it is version 3 has
# columns version 3 never had; a comment tianbao would not write is refused with its value.
forge v4-says-v3 --no-reseal "PRAGMA user_version = 3"
refused "$bad/v4-says-v3.tbx" "its table '(vals|superseded)' is not laid out the way tianbao writes it" verify
forge comment-two-lines "UPDATE vals SET comment = 'a' || char(10) || 'b' WHERE field = 'v_vc_total'"
refused "$bad/comment-two-lines.tbx" "the comment on the value is not text of at most 100 characters on one line" verify
forge comment-long "UPDATE vals SET comment = printf('%.*c', 101, 'x') WHERE field = 'v_vc_total'"
refused "$bad/comment-long.tbx" "the comment on the value is not text of at most 100 characters" verify
forge comment-blob "UPDATE vals SET comment = x'e6b3a8' WHERE field = 'v_vc_total'"
refused "$bad/comment-blob.tbx" "the comment on the value is not text" verify
# A candidate both active and set aside, and a value with set-aside candidates only: the
# writer never makes either.
forge set-aside-and-active "INSERT INTO superseded SELECT * FROM vals WHERE field = 'v_vc_total'"
refused "$bad/set-aside-and-active.tbx" "$V1 2026 v_vc_total of installation [0-9a-f]{32} is both an active and a set-aside candidate" verify
forge set-aside-only "INSERT INTO superseded SELECT * FROM vals WHERE field = 'v_notes'" "DELETE FROM vals WHERE field = 'v_notes'"
refused "$bad/set-aside-only.tbx" "$V1 2026 v_notes has only set-aside candidates and no active one" verify
forge set-aside-unsealed --no-reseal "INSERT INTO superseded SELECT unit, period, field, '$(printf 'f%.0s' {1..32})', form, '9', 1, updated_at, updated_by, NULL FROM vals WHERE field = 'v_vc_total'"
refused "$bad/set-aside-unsealed.tbx" "checksum mismatch: its values or form states are not the ones it was written with" verify
forge set-aside-bad-time "INSERT INTO superseded SELECT unit, period, field, '$(printf 'f%.0s' {1..32})', form, '9', 1, '1999-12-31T23:59:59Z', updated_by, NULL FROM vals WHERE field = 'v_vc_total'"
refused "$bad/set-aside-bad-time.tbx" "before 2000" verify
forge control-in-name --no-reseal "CREATE TABLE \"x$(printf '\033')[2J\" (a)"
refused "$bad/control-in-name.tbx" "holds a table 'x\?\[2J'" verify
# Made to hurt: each would take seconds or gigabytes if anything of it ran.
forge generated-column --no-reseal "ALTER TABLE vals ADD COLUMN g TEXT AS (printf('%.*c', 300000000, 'x')) VIRTUAL"
forge view-as-table --no-reseal "DROP TABLE vals" \
	"CREATE VIEW vals AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT '$V1' AS unit, '2026' AS period, 'v_notes' AS field, printf('%032d', x) AS installation, 'village' AS form, 'x' AS value, 1 AS revision, '2026-01-01T00:00:00Z' AS updated_at, 'a' AS updated_by FROM c"
forge heavy-check --no-reseal "PRAGMA writable_schema = ON" \
	"UPDATE sqlite_schema SET sql = replace(sql, 'value TEXT NOT NULL', 'value TEXT NOT NULL CHECK (length(printf(''%.*c'', 300000000, ''x'')) > 0)') WHERE name = 'manifest'"
for name in generated-column view-as-table heavy-check; do
	start=$(date +%s%N)
	case $name in
	generated-column) refused "$bad/$name.tbx" "its table 'vals' is not laid out the way tianbao writes it \(a changed, added or generated column\)" verify ;;
	view-as-table) refused "$bad/$name.tbx" "holds a view 'vals'" verify ;;
	heavy-check) refused "$bad/$name.tbx" "its table 'manifest' is not laid out the way tianbao writes it" verify ;;
	esac
	ms=$((($(date +%s%N) - start) / 1000000))
	check "$name: refused at once (${ms} ms for merge and verify)" test "$ms" -lt 3000
done

# ---- damaged: cut short, bits flipped, checksums that do not match ----------------------------
size=$(stat -c %s "$good")
for cut in 1 15 16 99 100 101 1000 4095 4096 4097 8192 10000 $((size - 4096)) $((size - 1)); do
	head -c "$cut" "$good" >"$bad/cut-$cut.tbx"
	refused "$bad/cut-$cut.tbx" "cut short|not even an SQLite file" verify
done
head -c "$size" "$good" >"$bad/longer.tbx"; printf 'x' >>"$bad/longer.tbx"
refused "$bad/longer.tbx" "damaged or cut short" verify

# flip FILE OFFSET BIT: a copy of the good file with one bit flipped.
flip() {
	python3 - "$good" "$1" "$2" "$3" <<'PY'
import sys
src, dst, off, bit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
b = bytearray(open(src, 'rb').read())
b[off] ^= 1 << bit
open(dst, 'wb').write(b)
PY
}
# Bits in the values and the manifest: the checksums catch every one.
offsets=$(python3 - "$good" <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
out = []
for needle in ['东风村一组'.encode(), '李四'.encode(), '李村长'.encode(), b'360730105201', b'v_rep_total', b'2026-']:
    i = b.find(needle)
    while i >= 0:
        out.append(i + len(needle) // 2)
        i = b.find(needle, i + 1)
print(' '.join(str(o) for o in sorted(set(out))))
PY
)
k=0
for off in $offsets; do
	k=$((k + 1))
	flip "$bad/flip-data-$off.tbx" "$off" $((k % 8))
	refused "$bad/flip-data-$off.tbx" "checksum mismatch|damaged" verify
done
check "flips in the data: at least 10" test "$k" -ge 10
flip "$bad/flip-appid.tbx" 71 0
refused "$bad/flip-appid.tbx" "an SQLite file of another program" verify
flip "$bad/flip-version.tbx" 63 3
refused "$bad/flip-version.tbx" "made by a newer tianbao" verify
flip "$bad/flip-pagesize.tbx" 16 3
refused "$bad/flip-pagesize.tbx" "SQLite header is not what tianbao writes" verify
flip "$bad/flip-pagecount.tbx" 31 4
refused "$bad/flip-pagecount.tbx" "cut short" verify
forge wrong-checksum --no-reseal "UPDATE vals SET value = '4' WHERE field = 'v_vc_total'"
refused "$bad/wrong-checksum.tbx" "checksum mismatch: its values or form states are not the ones it was written with" verify
forge wrong-checksum-state --no-reseal "UPDATE form_states SET state = 'complete'"
refused "$bad/wrong-checksum-state.tbx" "checksum mismatch: its values or form states are not the ones it was written with" verify
forge wrong-manifest --no-reseal "UPDATE manifest SET value = '某人' WHERE key = 'operator'"
refused "$bad/wrong-manifest.tbx" "checksum mismatch: its manifest" verify
# Random bits anywhere (fixed seed): refused for a reason, or, when the bit is in unused
# space, the very same content (already merged). Never a crash, never a change.
for off in $(python3 -c "import random; random.seed(2026); print(' '.join(str(random.randrange($size)) for _ in range(40)))"); do
	flip "$bad/flip-any.tbx" "$off" $((off % 8))
	b=$(state)
	run "$TB" --db "$tdb" merge "$bad/flip-any.tbx"
	if [ "$RC" -eq 0 ]; then
		expect_match "random flip at $off: unused space, the same content" "$OUT" "already merged on"
	else
		expect_match "random flip at $off: refused for a reason" "$RC $ERR" \
			"^1 .*refused: .*(damaged|cut short|checksum mismatch|not what tianbao writes|another program|newer tianbao|not laid out|holds a|no export version|has no table|not even an SQLite)"
	fi
	expect_eq "random flip at $off: township unchanged" "$(state)" "$b"
done

# ---- intact files this township must refuse ------------------------------------------------
forge unknown-unit "UPDATE vals SET unit = '360730199201'" "UPDATE form_states SET unit = '360730199201'"
refused "$bad/unknown-unit.tbx" "holds data of 1 unit\(s\) this township does not have: 360730199201"
forge unknown-field "UPDATE vals SET field = 'v_new_thing' WHERE field = 'v_notes'" \
	"UPDATE vals SET field = 'v_other_new' WHERE field = 'v_filled_by'" "UPDATE forms SET version = 2"
refused "$bad/unknown-field.tbx" "filled in version 2 of form 'village' \(Village women's and children's outline indicators\); this computer has version 1. Import the township's newest form package here first"
forge unknown-field-same-version "UPDATE vals SET field = 'v_new_thing' WHERE field = 'v_notes'"
refused "$bad/unknown-field-same-version.tbx" "field\(s\) that form 'village' here does not have: v_new_thing"
forge unknown-form "UPDATE vals SET form = 'village2'" "UPDATE forms SET id = 'village2'" "UPDATE form_states SET form = 'village2'"
refused "$bad/unknown-form.tbx" "made with form 'village2' \(version 1\), which this township does not have"
forge computed-field "UPDATE vals SET field = 'v_vc_female_pct', value = '40' WHERE field = 'v_vc_female'"
refused "$bad/computed-field.tbx" "$V1 2026 v_vc_female_pct: this field is computed here from other fields"
forge invalid-utf8 "UPDATE vals SET value = CAST(X'E4B8FF41' AS TEXT) WHERE field = 'v_notes'"
refused "$bad/invalid-utf8.tbx" "$V1 2026 v_notes: the text is not valid UTF-8" verify
forge nul-byte "UPDATE vals SET value = CAST(X'6100620063' AS TEXT) WHERE field = 'v_notes'"
refused "$bad/nul-byte.tbx" "$V1 2026 v_notes: the text is not valid UTF-8" verify
forge control-chars "UPDATE vals SET value = 'a' || char(9) || 'b' WHERE field = 'v_notes'"
refused "$bad/control-chars.tbx" "$V1 2026 v_notes: the text contains control characters" verify
forge over-long-text "UPDATE vals SET value = replace(printf('%.201c', 'x'), 'x', '长') WHERE field = 'v_notes'"
refused "$bad/over-long-text.tbx" "$V1 2026 v_notes: the text is 201 characters long; at most 200 are allowed"
forge huge-text "UPDATE vals SET value = printf('%.100000c', 'x') WHERE field = 'v_notes'"
refused "$bad/huge-text.tbx" "$V1 2026 v_notes: the value is longer than any field allows" verify
forge blob-value "UPDATE vals SET value = X'0102' WHERE field = 'v_vc_total'"
refused "$bad/blob-value.tbx" "$V1 2026 v_vc_total: the value is not stored as text" verify
forge out-of-range "UPDATE vals SET value = '99' WHERE field = 'v_vc_total'"
refused "$bad/out-of-range.tbx" "$V1 2026 v_vc_total: 99 is out of range: it must be between 3 and 7"
forge not-a-number "UPDATE vals SET value = 'abc' WHERE field = 'v_vc_total'"
refused "$bad/not-a-number.tbx" "$V1 2026 v_vc_total: 'abc' is not a whole number"
forge not-canonical "UPDATE vals SET value = '05' WHERE field = 'v_vc_total'"
refused "$bad/not-canonical.tbx" "$V1 2026 v_vc_total: '05' is not written the way tianbao stores it"
forge two-bad-values "UPDATE vals SET value = '99' WHERE field IN ('v_vc_total', 'v_vc_female')"
refused "$bad/two-bad-values.tbx" "v_vc_female: 99 is out of range.*\(and 1 more problem\(s\)\)"
forge wrong-period "UPDATE vals SET period = '2026Q1'" "UPDATE form_states SET period = '2026Q1'"
refused "$bad/wrong-period.tbx" "$V1 2026Q1 v_filled_by: the period does not fit form 'village' \(year\)"
forge wrong-unit-kind "UPDATE vals SET unit = '360730105-hc'" "UPDATE form_states SET unit = '360730105-hc'"
refused "$bad/wrong-unit-kind.tbx" "360730105-hc 2026 v_filled_by: form 'village' is not reported by"
forge revision-zero "UPDATE vals SET revision = 0 WHERE field = 'v_notes'"
refused "$bad/revision-zero.tbx" "v_notes has a revision that is not a positive whole number" verify
# A huge revision under the township's own id would overflow its next revision of that
# value (and under a village's id make the village's later values look older): refused.
tinst=$(sqlite3 "$tdb" "SELECT value FROM meta WHERE key = 'installation_id'")
forge revision-huge "UPDATE vals SET installation = '$tinst', revision = 9223372036854775807 WHERE field = 'v_vc_total'"
refused "$bad/revision-huge.tbx" "$V1 2026 v_vc_total has revision 9223372036854775807, more than tianbao ever writes \(at most 2147483647\)" verify
forge revision-over "UPDATE vals SET revision = 2147483648 WHERE field = 'v_vc_total'"
refused "$bad/revision-over.tbx" "v_vc_total has revision 2147483648, more than tianbao ever writes" verify
run "$TB" --db "$tdb" set --unit $V1 --period 2026 v_vc_total=6
expect_rc "after the refusal the township writes that value as usual" 0
expect_no_match "no sanitizer report" "$ERR" "Sanitizer|runtime error"
expect_eq "its own revision of it is 1" \
	"$(sqlite3 "$tdb" "SELECT revision FROM candidates WHERE field = 'v_vc_total' AND installation = '$tinst'")" "1"
forge revision-max "UPDATE vals SET revision = 2147483647 WHERE field = 'v_vc_total'"
t4=$T_TMP/t4.db
"$TB" --db "$t4" init --unit $TWP >/dev/null
run "$TB" --db "$t4" merge "$bad/revision-max.tbx"
expect_rc "the highest revision allowed merges" 0
# Times from the future or before 2000: either clock may be wrong; this one's is shown.
today=$(date -u +%Y-%m-%d)
forge future-time "UPDATE vals SET updated_at = '2099-01-01T00:00:00Z' WHERE field = 'v_notes'"
refused "$bad/future-time.tbx" "v_notes was written at 2099-01-01T00:00:00Z, more than a day later than this computer's clock \(now ${today}T[0-9:]{8}Z\). Either this computer's clock or that of the computer that wrote it is wrong: check this computer's date and time first" verify
forge early-time "UPDATE vals SET updated_at = '1999-12-31T23:59:59Z' WHERE field = 'v_notes'"
refused "$bad/early-time.tbx" "v_notes was written at 1999-12-31T23:59:59Z, before 2000: the clock of the computer that wrote it was wrong then" verify
forge future-written "UPDATE manifest SET value = '2099-01-01T00:00:00Z' WHERE key = 'written_at'"
refused "$bad/future-written.tbx" "it says it was written at 2099-01-01T00:00:00Z, more than a day later than this computer's clock \(now ${today}T[0-9:]{8}Z\). Either this computer's clock or that of the computer that wrote it is wrong" verify
forge early-written "UPDATE manifest SET value = '1999-01-01T00:00:00Z' WHERE key = 'written_at'"
refused "$bad/early-written.tbx" "it says it was written at 1999-01-01T00:00:00Z, before 2000: the clock of the computer that wrote it was wrong" verify
forge bad-time "UPDATE vals SET updated_at = '2026-02-30T00:00:00Z' WHERE field = 'v_notes'"
refused "$bad/bad-time.tbx" "v_notes was written at '2026-02-30T00:00:00Z', which is not a real date and time; the file is damaged" verify
forge bad-operator "UPDATE vals SET updated_by = char(27) || '[2J' WHERE field = 'v_notes'"
refused "$bad/bad-operator.tbx" "v_notes: the name of who wrote it is empty, too long, not valid UTF-8 or holds control characters" verify
forge long-operator "UPDATE vals SET updated_by = printf('%.300c', 'x') WHERE field = 'v_notes'"
refused "$bad/long-operator.tbx" "the name of who wrote it is empty, too long" verify
forge bad-installation "UPDATE vals SET installation = 'XYZ'"
refused "$bad/bad-installation.tbx" "unit, period, field, installation or form is not what tianbao writes" verify
# Form states (export version 2): each refused for what is wrong with it.
forge state-unknown-form "UPDATE form_states SET form = 'village2'"
refused "$bad/state-unknown-form.tbx" "holds a state of form 'village2' for $V1 2026 but no value of that form there" verify
forge state-other-unit "UPDATE form_states SET unit = '$V2'"
refused "$bad/state-other-unit.tbx" "holds a state of form 'village' for $V2 2026 but no value of that form there" verify
forge state-other-period "UPDATE form_states SET period = '2025'"
refused "$bad/state-other-period.tbx" "holds a state of form 'village' for $V1 2025 but no value of that form there" verify
forge state-word "UPDATE form_states SET state = 'done'"
refused "$bad/state-word.tbx" "$V1 2026 village: the form state 'done' is not one tianbao writes \('progress' or 'complete'\)" verify
forge state-word-case "UPDATE form_states SET state = 'Complete'"
refused "$bad/state-word-case.tbx" "the form state 'Complete' is not one tianbao writes" verify
forge state-blob "UPDATE form_states SET state = CAST('complete' AS BLOB)"
refused "$bad/state-blob.tbx" "the form state 'complete' is not one tianbao writes" verify
forge state-number "UPDATE form_states SET state = 2"
refused "$bad/state-number.tbx" "the form state '2' is not one tianbao writes" verify
forge state-invalid-utf8 "UPDATE form_states SET changed_by = CAST(X'E4B8FF41' AS TEXT)"
refused "$bad/state-invalid-utf8.tbx" "$V1 2026 village: the name of who set the form's state is empty, too long, not valid UTF-8 or holds control characters" verify
forge state-control "UPDATE form_states SET changed_by = char(27) || '[2J'"
refused "$bad/state-control.tbx" "the name of who set the form's state is empty, too long" verify
forge state-empty-operator "UPDATE form_states SET changed_by = ''"
refused "$bad/state-empty-operator.tbx" "the name of who set the form's state is empty" verify
forge state-future "UPDATE form_states SET changed_at = '2099-01-01T00:00:00Z'"
refused "$bad/state-future.tbx" "the state of $V1 2026 village was set at 2099-01-01T00:00:00Z, more than a day later than this computer's clock \(now ${today}T[0-9:]{8}Z\). Either this computer's clock or that of the computer that set it is wrong" verify
forge state-early "UPDATE form_states SET changed_at = '1999-06-01T00:00:00Z'"
refused "$bad/state-early.tbx" "the state of $V1 2026 village was set at 1999-06-01T00:00:00Z, before 2000: the clock of the computer that set it was wrong then" verify
forge state-bad-time "UPDATE form_states SET changed_at = '2026-11-29 10:00:00'"
refused "$bad/state-bad-time.tbx" "the state of $V1 2026 village has no valid time" verify
forge state-bad-installation "UPDATE form_states SET installation = 'XYZ'"
refused "$bad/state-bad-installation.tbx" "a form state's unit, period, form or installation is not what tianbao writes" verify
forge state-bad-unit "UPDATE form_states SET unit = 'x y'"
refused "$bad/state-bad-unit.tbx" "a form state's unit, period or form is not written the way tianbao writes them" verify
forge manifest-extra "INSERT INTO manifest VALUES ('colour', 'red')"
refused "$bad/manifest-extra.tbx" "its manifest has an entry 'colour'" verify
forge manifest-missing "DELETE FROM manifest WHERE key = 'operator'"
refused "$bad/manifest-missing.tbx" "its manifest lacks 'operator'" verify
forge manifest-wrong-units --no-reseal "UPDATE manifest SET value = '$V2' WHERE key = 'units'"
refused "$bad/manifest-wrong-units.tbx" "checksum mismatch: its manifest" verify

# ---- not files, unfinished files, folders --------------------------------------------------
cp "$good" "$bad/.tianbao-x.tbx.tmp"
refused "$bad/.tianbao-x.tbx.tmp" "the temporary file of an export that was interrupted, not an export" verify
mkfifo "$bad/pipe.tbx"
refused "$bad/pipe.tbx" "this is not a file \(a folder, a device or a pipe\)" verify
truncate -s 65M "$bad/huge.tbx"
refused "$bad/huge.tbx" "larger than any export file" verify
rm -f "$bad/huge.tbx" "$bad/pipe.tbx"
mkdir -p "$T_TMP/nothing-here"; : >"$T_TMP/nothing-here/notes.txt"
refused "$T_TMP/nothing-here" "there is no export file \(\*\.tbx\) in this folder"
ok "corpus: $n_files bad files, each refused"
check "at least 25 bad files" test "$n_files" -ge 25

# ---- files beside an export are ignored, and the stick is never written ------------------------
jw=$T_TMP/stick-jw
mkdir -p "$jw"
cp "$good" "$jw/x.tbx"
python3 -c 'import random,sys; random.seed(11); sys.stdout.buffer.write(bytes(random.getrandbits(8) for _ in range(8192)))' >"$jw/x.tbx-journal"
python3 -c 'import random,sys; random.seed(12); sys.stdout.buffer.write(bytes(random.getrandbits(8) for _ in range(8192)))' >"$jw/x.tbx-wal"
sums=$(cd "$jw" && sha256sum x.tbx x.tbx-journal x.tbx-wal)
chmod 555 "$jw"
t2=$T_TMP/t2.db
"$TB" --db "$t2" init --unit $TWP >/dev/null
run "$TB" --db "$t2" merge "$jw/x.tbx"
expect_rc "-journal and -wal beside the file: merged, they are ignored" 0
expect_match "-journal/-wal: the file's values merged" "$OUT" "5 new, 0 updated, 0 unchanged, 0 conflicting"
expect_eq "-journal/-wal: the values are the village's" "$("$TB" --db "$t2" dump)" "$("$TB" --db "$vdb" dump)"
expect_eq "-journal/-wal: nothing on the stick changed" "$(cd "$jw" && sha256sum x.tbx x.tbx-journal x.tbx-wal)" "$sums"
expect_eq "-journal/-wal: nothing added on the stick" "$(ls -A "$jw" | tr '\n' ' ')" "x.tbx x.tbx-journal x.tbx-wal "
run "$TB" verify "$jw/x.tbx"
expect_rc "-journal/-wal: verify accepts the file" 0
chmod 755 "$jw"

# ---- a refused file in the middle: the ones before and after still merge -------------------
"$TB" --db "$T_TMP/v2.db" init --unit $V2 >/dev/null
"$TB" --db "$T_TMP/v2.db" set --period 2026 v_vc_total=4 >/dev/null
mix=$T_TMP/mix
mkdir -p "$mix"
cp "$good" "$mix/a.tbx"
cp "$bad/out-of-range.tbx" "$mix/b.tbx"
cp "$("$TB" --db "$T_TMP/v2.db" export --out "$T_TMP/out")" "$mix/c.tbx"
t3=$T_TMP/t3.db
"$TB" --db "$t3" init --unit $TWP >/dev/null
run "$TB" --db "$t3" merge "$mix"
expect_rc "a folder with one bad file: exit 1" 1
expect_match "the bad one is named" "$ERR" "b.tbx: refused: .*99 is out of range"
expect_match "the one before merged" "$OUT" "a.tbx \($V1; 2026\): 5 new"
expect_match "the one after merged" "$OUT" "c.tbx \($V2; 2026\): 1 new"
expect_match "the summary" "$OUT" "2 file\(s\) merged, 0 already merged before, 1 refused"
expect_eq "both good files' values are there" "$("$TB" --db "$t3" dump | cut -d, -f1 | sort | uniq -c | awk '{print $1, $2}' | tr '\n' ' ')" \
	"5 $V1 1 $V2 1 unit "
expect_eq "no private temporary files left" "$(ls -A "$TMPDIR" | wc -l)" "0"

done_testing
