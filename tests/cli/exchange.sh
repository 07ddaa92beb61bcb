#!/usr/bin/env bash
# The exchange through the command line: export, verify, merge (and --dry-run), conflicts
# and their resolution, the audit and merge logs, exports to a full and to a read-only
# disk, and `tianbao export` killed with SIGKILL at random moments.
# (Bad files: exchange_bad.sh. Merge order independence: exchange_orders.sh.)
. "$(dirname "$0")/../lib.sh"

V1=360730105201   # 东风村
V2=360730105202   # 红旗村
TWP=360730105000
# Sanitizer reports must not pass for an ordinary refusal (both exit 1 by default).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
# Private temporary files go here, so the test sees what is left behind.
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
unset TIANBAO_DB

vdb=$T_TMP/village.db
tdb=$T_TMP/township.db
stick=$T_TMP/stick
mkdir -p "$stick"
dump() { "$TB" --db "$1" dump 2>&1; }
# The value rows as the merge rules see them (everything but the source file id).
vals() { sqlite3 "$1" "SELECT unit, period, field, form, quote(value), updated_at, updated_by, installation, revision, conflict FROM vals ORDER BY 1, 2, 3"; }
inst() { sqlite3 "$1" "SELECT value FROM meta WHERE key = 'installation_id'"; }

# ---- export ------------------------------------------------------------------------
"$TB" --db "$vdb" init --unit $V1 --operator 李村长 >/dev/null
run "$TB" --db "$vdb" set --period 2026 v_vc_total=5 v_vc_female=2 'v_notes=东风村, "一组"；妇女主任 😀' v_filled_by=李四 v_filled_on=2026-12-20
expect_rc "village: values entered" 0
run "$TB" --db "$vdb" set --period 2026 v_filled_by=
expect_rc "village: a value cleared" 0

run "$TB" --db "$vdb" export --out "$stick"
expect_rc "export" 0
f1=$OUT
expect_match "export prints the path of the file" "$f1" "^$stick/tianbao-$V1-2026-[0-9]{8}T[0-9]{6}Z\.tbx$"
check "the file is there" test -s "$f1"
expect_eq "the file name is ASCII" "$(basename "$f1" | LC_ALL=C tr -d '[:alnum:]._-')" ""
expect_eq "nothing else in the folder (no .tmp)" "$(ls -A "$stick" | wc -l)" "1"
expect_eq "no private temporary files left" "$(ls -A "$TMPDIR" | wc -l)" "0"
expect_eq "application_id is TBEX" "$(sqlite3 "$f1" 'PRAGMA application_id')" "1413629272"
expect_eq "export version 4" "$(sqlite3 "$f1" 'PRAGMA user_version')" "4"
expect_eq "not left in WAL mode" "$(sqlite3 "$f1" 'PRAGMA journal_mode')" "delete"
expect_eq "five tables, nothing else" "$(sqlite3 "$f1" "SELECT group_concat(type || ' ' || name, ', ') FROM (SELECT * FROM sqlite_schema ORDER BY name)")" \
	"table form_states, table forms, table manifest, table superseded, table vals"
expect_eq "nothing set aside at a village" "$(sqlite3 "$f1" 'SELECT count(*) FROM superseded')" "0"
expect_eq "the form's state travels, with who set it, when, and where" \
	"$(sqlite3 "$f1" "SELECT unit, period, form, state, changed_by, installation, changed_at = (SELECT max(updated_at) FROM vals) FROM form_states")" \
	"$V1|2026|village|progress|李村长|$(inst "$vdb")|1"
expect_eq "the cleared value travels as NULL" "$(sqlite3 "$f1" "SELECT quote(value) FROM vals WHERE field = 'v_filled_by'")" "NULL"
expect_eq "values carry installation and revision" "$(sqlite3 "$f1" "SELECT installation, revision FROM vals WHERE field = 'v_filled_by'")" \
	"$(inst "$vdb")|2"
expect_eq "manifest: value count" "$(sqlite3 "$f1" "SELECT value FROM manifest WHERE key = 'value_count'")" "5"
expect_eq "manifest: operator" "$(sqlite3 "$f1" "SELECT value FROM manifest WHERE key = 'operator'")" "李村长"
expect_eq "manifest: form version and hash" "$(sqlite3 "$f1" "SELECT id, version, length(hash) FROM forms")" "village|1|64"

run "$TB" verify "$f1"
expect_rc "verify a good file" 0
expect_match "verify: intact" "$OUT" "complete, intact tianbao export"
expect_match "verify: who and when" "$OUT" "written: +[0-9T:-]+Z by 李村长, installation [0-9a-f]{32} \($V1\)"
expect_match "verify: units" "$OUT" "units: +$V1$"
expect_match "verify: periods" "$OUT" "periods: +2026$"
expect_match "verify: form with version" "$OUT" "form: +village version 1 \(definition [0-9a-f]{12}\)"
expect_match "verify: value count" "$OUT" "values: +5$"
expect_match "verify: form states" "$OUT" "states: +1 form state\(s\), 0 of them complete$"
expect_match "verify: nothing set aside" "$OUT" "set aside: +0 candidate\(s\) that a decision set aside$"
expect_match "verify: checksum" "$OUT" "checksum: [0-9a-f]{64}$"
sum1=$(sed -n 's/.*checksum: //p' <<<"$OUT")
run "$TB" verify "$f1" "$T_TMP/nosuch.tbx"
expect_rc "verify with one missing file: exit 1" 1
expect_match "verify names the missing file" "$ERR" "nosuch.tbx: cannot read it: No such file"

# The same content always gives the same checksum.
run "$TB" --db "$vdb" export --out "$stick"
f1b=$OUT
expect_eq "a second export of the same data: same checksum" "$("$TB" verify "$f1b" | sed -n 's/.*checksum: //p')" "$sum1"
rm -f "$f1b"

run "$TB" --db "$vdb" export --period 2025 --out "$stick"
expect_rc "nothing to export for a period without data" 1
expect_match "says so" "$ERR" "nothing to export for 2025"
run "$TB" --db "$vdb" export --period 26 --out "$stick"
expect_rc "a bad period is a usage error" 2
run "$TB" --db "$vdb" export --out "$T_TMP/no/such/folder"
expect_rc "a missing folder" 1
expect_match "a missing folder: says so" "$ERR" "there is no such folder"
expect_eq "no private temporary files left after failures" "$(ls -A "$TMPDIR" | wc -l)" "0"

# Values saved while this computer's clock was wrong: the export says which value, what
# is wrong with its time, and what to do, before writing anything (not "the stick").
cdb=$T_TMP/clock.db cout=$T_TMP/clock-out
mkdir -p "$cout"
"$TB" --db "$cdb" init --unit $V1 --operator 李村长 >/dev/null
"$TB" --db "$cdb" set --period 2026 v_vc_total=5 v_rep_total=30 >/dev/null
today=$(date -u +%Y-%m-%d)
sqlite3 "$cdb" "UPDATE candidates SET updated_at = '2099-01-01T00:00:00Z' WHERE field = 'v_vc_total'; UPDATE vals SET updated_at = '2099-01-01T00:00:00Z' WHERE field = 'v_vc_total'"
run "$TB" --db "$cdb" export --out "$cout"
expect_rc "a value saved in the future: not exported" 1
expect_match "future value: which value, when, and this computer's clock now" "$ERR" \
	"cannot export: $V1 2026 v_vc_total was saved at 2099-01-01T00:00:00Z, more than a day later than this computer's clock \(now ${today}T[0-9:]{8}Z\), so a township would refuse the file"
expect_match "future value: this computer's clock, and what to do" "$ERR" "This computer's clock is wrong now, or was ahead when the value was saved: .*enter that value again"
expect_no_match "future value: the stick is not blamed" "$ERR" "stick|reads back"
expect_eq "future value: nothing written" "$(ls -A "$cout" | wc -l)" "0"
sqlite3 "$cdb" "UPDATE candidates SET updated_at = '1999-12-31T23:00:00Z' WHERE field = 'v_vc_total'; UPDATE vals SET updated_at = '1999-12-31T23:00:00Z' WHERE field = 'v_vc_total'"
run "$TB" --db "$cdb" export --out "$cout"
expect_rc "a value saved before 2000: not exported" 1
expect_match "early value: which value, when, and why" "$ERR" \
	"cannot export: $V1 2026 v_vc_total was saved at 1999-12-31T23:00:00Z, before 2000, so a township would refuse the file: this computer's clock was wrong when the value was saved \(now it says ${today}T"
expect_no_match "early value: the stick is not blamed" "$ERR" "stick|reads back"
# Entering it again (changed, then set back) saves it with the right time.
"$TB" --db "$cdb" set --period 2026 v_vc_total=6 >/dev/null
"$TB" --db "$cdb" set --period 2026 v_vc_total=5 >/dev/null
sqlite3 "$cdb" "UPDATE form_state SET changed_at = '2099-01-01T00:00:00Z'"
run "$TB" --db "$cdb" export --out "$cout"
expect_rc "a form state set in the future: not exported" 1
expect_match "future state: which form, when, and this computer's clock now" "$ERR" \
	"cannot export: the state of $V1 2026 village was set at 2099-01-01T00:00:00Z, more than a day later than this computer's clock \(now ${today}T"
expect_match "future state: what to do" "$ERR" "set the form's state again \(change a value"
# A state set while the clock was ahead does not hold the next one back: a value changed
# now sets the form in progress as of now, and it exports (it used to wait for 2099).
"$TB" --db "$cdb" set --period 2026 v_rep_total=31 >/dev/null
expect_match "future state: a change now stamps the state with now" "$(sqlite3 "$cdb" "SELECT state || ' ' || changed_at FROM form_state")" \
	"^progress ${today}T"
run "$TB" --db "$cdb" export --out "$cout"
expect_rc "the value entered again and the state set again: exported" 0
sqlite3 "$cdb" "UPDATE form_state SET state = 'complete', changed_at = '2099-01-01T00:00:00Z'"
"$TB" --db "$cdb" set --period 2026 v_rep_total=30 >/dev/null
expect_match "a complete form set while the clock was ahead: a change now reopens it as of now" \
	"$(sqlite3 "$cdb" "SELECT state || ' ' || changed_at FROM form_state")" "^progress ${today}T"
rm -f "$cout"/*
# Whatever else in the data would fail an import's checks is found before the stick is
# written, and said to be the data's (a revision from a file merged before such files
# were refused).
sqlite3 "$cdb" "UPDATE candidates SET revision = 1099511627776 WHERE field = 'v_rep_total'"
rm -f "$cout"/*
run "$TB" --db "$cdb" export --out "$cout"
expect_rc "data an import would refuse: not exported" 1
expect_match "data an import would refuse: said to be the data's, not the stick's" "$ERR" \
	"cannot export: the data here does not pass the checks every import makes, so nothing was written to $cout \(this is not the stick's fault\): .*v_rep_total has revision 1099511627776"
expect_eq "data an import would refuse: nothing written" "$(ls -A "$cout" | wc -l)" "0"

# ---- merge ---------------------------------------------------------------------------
"$TB" --db "$tdb" init --unit $TWP --operator 王会计 >/dev/null
run "$TB" --db "$tdb" merge --dry-run "$f1"
expect_rc "dry run" 0
expect_match "dry run: the line" "$OUT" "^$f1 \($V1; 2026\): 5 new, 0 updated, 0 unchanged, 0 conflicting; form states: 0 now complete, 1 now in progress$"
expect_match "dry run: says nothing changed" "$OUT" "dry run: nothing was changed"
expect_eq "dry run: no values" "$(dump "$tdb" | wc -l)" "1"
expect_eq "dry run: no merge logged" "$(sqlite3 "$tdb" 'SELECT count(*) FROM merges')" "0"
expect_eq "dry run: no audit rows" "$(sqlite3 "$tdb" "SELECT count(*) FROM audit WHERE reason <> 'unit_set'")" "0"
expect_eq "dry run: no form state" "$(sqlite3 "$tdb" 'SELECT count(*) FROM form_state')" "0"

run "$TB" --db "$tdb" merge "$f1"
expect_rc "merge" 0
expect_match "merge: the line" "$OUT" "^$f1 \($V1; 2026\): 5 new, 0 updated, 0 unchanged, 0 conflicting; form states: 0 now complete, 1 now in progress$"
expect_eq "township dump equals the village's, Chinese intact" "$(dump "$tdb")" "$(dump "$vdb")"
expect_eq "every column of every value as in the village (cleared included)" "$(vals "$tdb")" "$(vals "$vdb")"
expect_eq "provenance: the value knows its file" \
	"$(sqlite3 "$tdb" "SELECT m.file_name, m.installation, m.exported_by FROM vals v JOIN merges m ON m.id = v.source WHERE v.field = 'v_notes'")" \
	"$(basename "$f1")|$(inst "$vdb")|李村长"
expect_eq "audit: one 'imported' row per value (not the new cleared one)" \
	"$(sqlite3 "$tdb" "SELECT count(*) FROM audit WHERE reason = 'imported' AND source = 1 AND field != ''")" "4"
expect_eq "audit: the form's state imported from the file" \
	"$(sqlite3 "$tdb" "SELECT form, old_value, new_value, by_operator FROM audit WHERE reason = 'imported' AND source = 1 AND field = ''")" \
	"village|empty|progress|王会计"
expect_eq "the township has the village's state: who, when, which installation" \
	"$(sqlite3 "$tdb" "SELECT state, changed_at, changed_by, installation FROM form_state WHERE unit = '$V1'")" \
	"$(sqlite3 "$vdb" "SELECT state, changed_at, changed_by, installation FROM form_state WHERE unit = '$V1'")"
run "$TB" --db "$tdb" status --unit $V1 --period 2026
expect_match "merged form is in progress, by the village's operator" "$OUT" "$V1 +2026 +village +in progress .*; set by 李村长 at "

before=$(dump "$tdb")
run "$TB" --db "$tdb" merge "$f1"
expect_rc "merging the same file twice" 0
expect_match "second merge says so" "$OUT" "^$f1 \($V1; 2026\): already merged on [0-9T:-]+Z \(the same content\); skipped$"
expect_eq "second merge: dump unchanged" "$(dump "$tdb")" "$before"
expect_eq "second merge: one merge logged" "$(sqlite3 "$tdb" 'SELECT count(*) FROM merges')" "1"

# A folder means its export files; the same content under another name is still known.
cp "$f1" "$stick/copy-of-it.tbx"
run "$TB" --db "$tdb" merge "$stick"
expect_rc "merge a folder" 0
expect_eq "a folder: one line per export file" "$(grep -c 'already merged on' <<<"$OUT")" "2"
rm -f "$stick/copy-of-it.tbx"

# Changes travel: an update, and a clearing.
"$TB" --db "$vdb" set --period 2026 v_vc_total=6 'v_notes=' >/dev/null
run "$TB" --db "$vdb" export --out "$stick"
f2=$OUT
run "$TB" --db "$tdb" merge "$f2"
expect_match "update: counts" "$OUT" "0 new, 2 updated, 3 unchanged, 0 conflicting"
expect_eq "update: dump equals the village's" "$(dump "$tdb")" "$(dump "$vdb")"
expect_eq "update: every column as in the village" "$(vals "$tdb")" "$(vals "$vdb")"
run "$TB" --db "$tdb" log --unit $V1
expect_match "log: an imported value names its file" "$OUT" "v_vc_total: 5 -> 6  \[imported, 王会计\]  from $(basename "$f2")$"
expect_match "log: a cleared value" "$OUT" "v_notes: 东风村, \"一组\"；妇女主任 😀 -> \(empty\)  \[imported, 王会计\]"
run "$TB" --db "$tdb" log --merges
expect_eq "log --merges: one line per file" "$(wc -l <<<"$OUT")" "2"
expect_match "log --merges: the first file" "$OUT" \
	"^[0-9T:-]+Z  merged $(basename "$f1") by 王会计: from installation $(inst "$vdb") \($V1\), exported by 李村长 at [0-9T:-]+Z: 5 new, 0 updated, 0 unchanged, 0 conflicting; checksum $sum1$"
run "$TB" --db "$tdb" log --merges --unit $V1
expect_rc "log --merges with --unit is a usage error" 2

# An older file after a newer one changes nothing (its revisions are known).
cp "$f1" "$T_TMP/old-copy.tbx"
sqlite3 "$tdb" "DELETE FROM merges WHERE id = 1"   # forget it was merged, to test the rule itself
before=$(vals "$tdb")
run "$TB" --db "$tdb" merge "$T_TMP/old-copy.tbx"
expect_match "an old file again: all unchanged" "$OUT" "0 new, 0 updated, 5 unchanged, 0 conflicting"
expect_eq "an old file again: values unchanged" "$(vals "$tdb")" "$before"
expect_eq "an old file again: the form's state unchanged (the newer one stays)" \
	"$(sqlite3 "$tdb" "SELECT state, changed_at FROM form_state WHERE unit = '$V1'")" \
	"$(sqlite3 "$vdb" "SELECT state, changed_at FROM form_state WHERE unit = '$V1'")"

# ---- form states -------------------------------------------------------------------
# 柳树村 completes its form, exports; the township sees it complete, with the village's
# operator and time. It reopens (a value changed), then completes again: each file
# carries the state of that moment, and the latest state wins whatever the order.
V4=360730105204
v4db=$T_TMP/v4.db
states() { sqlite3 "$1" "SELECT unit, period, form, state, changed_at, changed_by, installation FROM form_state ORDER BY 1, 2, 3"; }
"$TB" --db "$v4db" init --unit $V4 --operator 赵强 >/dev/null
"$TB" --db "$v4db" set --period 2026 v_vc_total=5 v_vc_female=2 v_vc_chair_female=0 v_pb_total=5 v_pb_female=1 \
	v_pb_sec_female=0 v_yijiantiao=1 v_wf_chair_in_2c=1 v_rep_total=36 v_rep_female=13 v_children_0_17=412 \
	v_left_behind=57 v_child_director=1 v_children_home=1 v_filled_by=赵强 v_filled_on=2026-11-28 >/dev/null
run "$TB" --db "$v4db" complete --period 2026 --form village
expect_rc "village: the form is complete" 0
c1_at=$(sqlite3 "$v4db" "SELECT changed_at FROM form_state")
check "complete: stamped after the values' time (the same second is not later)" \
	test "$c1_at" \> "$(sqlite3 "$v4db" "SELECT max(updated_at) FROM vals")"
fc1=$("$TB" --db "$v4db" export --out "$stick")
expect_eq "the export carries the complete state" "$(sqlite3 "$fc1" "SELECT state, changed_at, changed_by FROM form_states")" \
	"complete|$c1_at|赵强"
run "$TB" verify "$fc1"
expect_match "verify: one form state, complete" "$OUT" "states: +1 form state\(s\), 1 of them complete$"
run "$TB" --db "$tdb" merge "$fc1"
expect_rc "the township merges it" 0
expect_match "merge: says the form is now complete" "$OUT" "\($V4; 2026\): 16 new, 0 updated, 0 unchanged, 0 conflicting; form states: 1 now complete, 0 now in progress$"
expect_eq "the township: the village's state, time, operator and installation" "$(states "$tdb" | grep "^$V4|")" "$(states "$v4db")"
run "$TB" --db "$tdb" status --unit $V4 --period 2026
expect_match "status: complete, by the village's operator at the village's time" "$OUT" \
	"^.*$V4 +2026 +village +complete +16/17 .*; set by 赵强 at $c1_at$"
run env TZ=UTC "$TB" --db "$tdb" --lang en report --period 2026 --kind completeness --width 132
expect_match "completeness report: complete, by 赵强 at the village's time" "$(grep "Liushu" <<<"$OUT")" \
	"complete +赵强 +${c1_at:0:10} ${c1_at:11:5} +100\.0%$"
expect_match "completeness report: counted complete" "$OUT" "Forms complete: 1 of "
expect_eq "audit: the state change, imported from the file" \
	"$(sqlite3 "$tdb" "SELECT a.old_value, a.new_value, a.reason, m.file_name FROM audit a JOIN merges m ON m.id = a.source WHERE a.unit = '$V4' AND a.field = ''")" \
	"empty|complete|imported|$(basename "$fc1")"
run "$TB" --db "$tdb" log --unit $V4
expect_match "log: the state change names its file" "$OUT" "$V4 2026 village: empty -> complete  \[imported, 王会计\]  from $(basename "$fc1")$"
run "$TB" --db "$tdb" --lang zh log --unit $V4
expect_match "log in Chinese: the states in words" "$OUT" "$V4 2026 village: 未填 -> 已完成  \[导入, 王会计\]  来自 $(basename "$fc1")$"
expect_no_match "log in Chinese: no English state word" "$OUT" "empty|progress|complete"

# Reopened at the village: a value changes.
"$TB" --db "$v4db" set --period 2026 v_rep_total=37 >/dev/null
expect_eq "village: reopened" "$(sqlite3 "$v4db" "SELECT state FROM form_state")" "progress"
p_at=$(sqlite3 "$v4db" "SELECT changed_at FROM form_state")
check "reopened: later than the completion" test "$p_at" \> "$c1_at"
fc2=$("$TB" --db "$v4db" export --out "$stick")
run "$TB" --db "$tdb" merge "$fc2"
expect_match "merge: the form is in progress again" "$OUT" "0 new, 1 updated, 15 unchanged, 0 conflicting; form states: 0 now complete, 1 now in progress$"
run "$TB" --db "$tdb" status --unit $V4 --period 2026
expect_match "status: in progress" "$OUT" "$V4 +2026 +village +in progress .*; set by 赵强 at $p_at$"
expect_eq "audit: complete -> progress, imported" \
	"$(sqlite3 "$tdb" "SELECT old_value, new_value, reason FROM audit WHERE unit = '$V4' AND field = '' ORDER BY id DESC LIMIT 1")" \
	"complete|progress|imported"

# Complete again.
"$TB" --db "$v4db" complete --period 2026 --form village >/dev/null
c2_at=$(sqlite3 "$v4db" "SELECT changed_at FROM form_state")
fc3=$("$TB" --db "$v4db" export --out "$stick")
run "$TB" --db "$tdb" merge "$fc3"
expect_match "merge: complete again, no value changed" "$OUT" "0 new, 0 updated, 16 unchanged, 0 conflicting; form states: 1 now complete, 0 now in progress$"
run "$TB" --db "$tdb" status --unit $V4 --period 2026
expect_match "status: complete again" "$OUT" "$V4 +2026 +village +complete .*; set by 赵强 at $c2_at$"
expect_eq "the same state as the village" "$(states "$tdb" | grep "^$V4|")" "$(states "$v4db")"

# The old files again change nothing: known by their checksums...
before=$(states "$tdb")
run "$TB" --db "$tdb" merge "$fc1" "$fc2"
expect_eq "the old files again: already merged" "$(grep -c 'already merged on' <<<"$OUT")" "2"
# ...and by the rule itself, once forgotten.
sqlite3 "$tdb" "DELETE FROM merges WHERE file_name IN ('$(basename "$fc1")', '$(basename "$fc2")')"
run "$TB" --db "$tdb" merge "$fc1" "$fc2"
expect_rc "the old files, forgotten, merge again" 0
expect_no_match "the old files: no state changes" "$OUT" "form states:"
expect_eq "the old files after the new one: the state stays complete" "$(states "$tdb")" "$before"
# Any order into a fresh township ends the same.
for order in "$fc3 $fc2 $fc1" "$fc2 $fc3 $fc1" "$fc1 $fc3 $fc2"; do
	o=$T_TMP/order.db
	rm -f "$o" "$o-wal" "$o-shm"
	"$TB" --db "$o" init --unit $TWP >/dev/null
	# shellcheck disable=SC2086
	"$TB" --db "$o" merge $order >/dev/null
	expect_eq "files in another order: the same state ($(for f in $order; do case $f in "$fc1") printf 1 ;; "$fc2") printf 2 ;; *) printf 3 ;; esac; done))" \
		"$(states "$o")" "$(states "$v4db")"
done
# Two exports of the same values and states: the same checksum.
sum3=$("$TB" verify "$fc3" | sed -n 's/.*checksum: //p')
fc3b=$("$TB" --db "$v4db" export --out "$T_TMP")
expect_eq "the same values and states: the same checksum" "$("$TB" verify "$fc3b" | sed -n 's/.*checksum: //p')" "$sum3"
run "$TB" --db "$tdb" merge "$fc3b"
expect_match "and it is known as merged" "$OUT" "already merged on"

# A value in conflict: the form is not complete for the clerk (shown in progress), though
# the state kept is the village's 'complete'. The second laptop typed its value an hour
# before the village completed the form (its file arrives later): its 'in progress' is
# older, so the village's state stays whatever second the commands run in.
w4db=$T_TMP/w4.db
"$TB" --db "$w4db" init --unit $V4 --operator 孙丽 >/dev/null
w4_at=$(date -u -d "${c2_at/T/ } 1 hour ago" '+%Y-%m-%d %H:%M:%S')
env TZ=UTC ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" faketime "$w4_at" \
	"$TB" --db "$w4db" set --period 2026 v_rep_total=38 >/dev/null
check "the second laptop's value: an hour before the village completed" \
	test "$(sqlite3 "$w4db" "SELECT changed_at FROM form_state")" \< "$c2_at"
fw=$("$TB" --db "$w4db" export --out "$T_TMP")
run "$TB" --db "$tdb" merge "$fw"
expect_match "the second laptop: a conflict" "$OUT" "1 conflicting"
run "$TB" --db "$tdb" status --unit $V4 --period 2026
expect_match "status: in progress while a value is in conflict" "$OUT" \
	"$V4 +2026 +village +in progress .*, 1 in conflict; marked complete by 赵强 at $c2_at, but a value is in conflict$"
run env TZ=UTC "$TB" --db "$tdb" --lang en report --period 2026 --kind completeness --width 132
expect_match "completeness report: in progress while a value is in conflict" "$(grep "Liushu" <<<"$OUT")" "in progress!"
expect_match "completeness report: not counted complete" "$OUT" "Forms complete: 0 of "
expect_eq "the state kept is the village's" "$(sqlite3 "$tdb" "SELECT state, changed_by FROM form_state WHERE unit = '$V4'")" "complete|赵强"
# A decision here is a local change: the clerk's value reopens the form, completing it
# here completes it, as now.
run "$TB" --db "$tdb" resolve --unit $V4 --period 2026 --field v_rep_total --value 37
expect_rc "the clerk decides" 0
run "$TB" --db "$tdb" status --unit $V4 --period 2026
expect_match "after the decision: in progress, by the clerk" "$OUT" "$V4 +2026 +village +in progress .*; set by 王会计 at "
run "$TB" --db "$tdb" complete --unit $V4 --period 2026 --form village
expect_rc "the clerk completes it here" 0
expect_eq "complete, by the clerk, at this installation" \
	"$(sqlite3 "$tdb" "SELECT state, changed_by, installation FROM form_state WHERE unit = '$V4'")" "complete|王会计|$(inst "$tdb")"
# The village's old files cannot undo that: the clerk's states are later.
before=$(states "$tdb")
sqlite3 "$tdb" "DELETE FROM merges WHERE file_name = '$(basename "$fc3")'"
"$TB" --db "$tdb" merge "$fc3" >/dev/null
expect_eq "an older village file after the clerk's decision: the clerk's state stays" "$(states "$tdb")" "$before"

# ---- export version 1 ----------------------------------------------------------------
# A file written before form states travelled (tests/fixtures/export-v1.tbx: 石桥村's
# complete 2025 form, exported 2025-12-20T08:00:00Z) still merges; it carries no state,
# so the form is in progress as of its latest value, by whoever wrote it.
V3=360730105203
v1f=$ROOT/tests/fixtures/export-v1.tbx
run "$TB" verify "$v1f"
expect_rc "verify an export version 1 file" 0
expect_match "verify: export version 1" "$OUT" "export version 1$"
expect_match "verify: no form states in version 1" "$OUT" "states: +none \(export version 1 does not carry form states\)$"
expect_match "verify: its checksum as written then" "$OUT" "checksum: 35d2b974f9f09c96f93c6231e594c6bec6fb040c90ac07b5136d6432866a1895$"
run "$TB" --db "$tdb" merge "$v1f"
expect_rc "an export version 1 file merges" 0
expect_match "version 1: its values, and the form in progress" "$OUT" "\($V3; 2025\): 17 new, 0 updated, 0 unchanged, 0 conflicting; form states: 0 now complete, 1 now in progress$"
expect_eq "version 1: in progress as of its latest value, by its writer, at its installation" \
	"$(sqlite3 "$tdb" "SELECT state, changed_at, changed_by, installation FROM form_state WHERE unit = '$V3'")" \
	"progress|2025-12-20T08:00:00Z|张桂兰|0d7d4a52be8b6f6ffd0d5c89bed0cb16"
run "$TB" --db "$tdb" merge "$v1f"
expect_match "version 1: merged twice, skipped" "$OUT" "already merged on"

# ---- export version 2 ----------------------------------------------------------------
# A file written before decisions travelled (tests/fixtures/export-v2.tbx: 红旗村's 2026
# form in progress, written by tianbao 0.1.0 with export version 2) still merges: it sets
# nothing aside, and its form state comes with it.
v2f=$ROOT/tests/fixtures/export-v2.tbx
run "$TB" verify "$v2f"
expect_rc "verify an export version 2 file" 0
expect_match "verify: export version 2" "$OUT" "export version 2$"
expect_match "verify: its form state" "$OUT" "states: +1 form state\(s\), 0 of them complete$"
expect_no_match "verify: no set-aside line for version 2" "$OUT" "set aside"
expect_match "verify: its checksum as written then" "$OUT" "checksum: 0a4d341c84c7a9ba9aa09ed81cc7c5c8e4da4efdc69ceac60a50f8da38d56859$"
t2db=$T_TMP/township-v2.db
"$TB" --db "$t2db" init --unit $TWP >/dev/null
run "$TB" --db "$t2db" merge "$v2f"
expect_rc "an export version 2 file merges" 0
expect_match "version 2: its values and its form state" "$OUT" "\($V2; 2026\): 4 new, 0 updated, 0 unchanged, 0 conflicting; form states: 0 now complete, 1 now in progress$"
expect_eq "version 2: the values as written" "$(sqlite3 "$t2db" "SELECT field, value, updated_by, installation, revision FROM vals ORDER BY field")" \
	"v_filled_by|周文|周文|f3b6b8addf72826708c63a90e1c61a0b|1
v_notes|二版文件|周文|f3b6b8addf72826708c63a90e1c61a0b|1
v_vc_female|1|周文|f3b6b8addf72826708c63a90e1c61a0b|1
v_vc_total|4|周文|f3b6b8addf72826708c63a90e1c61a0b|1"
expect_eq "version 2: nothing set aside" "$(sqlite3 "$t2db" "SELECT count(*) FROM candidates WHERE superseded = 1")" "0"

# ---- export version 3 ----------------------------------------------------------------
# A township's file written before comments travelled (tests/fixtures/export-v3.tbx:
# 幸福村's 2025 values from two laptops, the township's decision for 刘强's 6 and 张桂兰's
# 7 set aside; written by tianbao 0.1.0 with export version 3) still merges, its
# decision and what it set aside with it, and no comment.
v3f=$ROOT/tests/fixtures/export-v3.tbx
run "$TB" verify "$v3f"
expect_rc "verify an export version 3 file" 0
expect_match "verify: export version 3" "$OUT" "export version 3$"
expect_match "verify: its set-aside candidate" "$OUT" "set aside: 1 candidate"
expect_match "verify: its checksum as written then" "$OUT" "checksum: 70ca724caf6b9e11d98b6fcf9d06fb0a09b7a54da805ae3e579081104fc52d52$"
t3db=$T_TMP/township-v3.db
"$TB" --db "$t3db" init --unit $TWP >/dev/null
run "$TB" --db "$t3db" merge "$v3f"
expect_rc "an export version 3 file merges" 0
expect_eq "version 3: the decided value, no conflict, no comment" \
	"$(sqlite3 "$t3db" "SELECT value, conflict, comment IS NULL FROM vals WHERE field = 'v_vc_total'")" "6|0|1"
expect_eq "version 3: 张桂兰's 7 stays set aside" \
	"$(sqlite3 "$t3db" "SELECT value FROM candidates WHERE field = 'v_vc_total' AND superseded = 1")" "7"

# Upgrading: 石桥村's laptop and a township that merged that file under the old rules
# (tests/fixtures/v2-*.db, schema version 2). The township's 'in progress' of the old
# merge becomes the file's own; the village's next export (version 2) completes it.
up=$T_TMP/upgrade
mkdir -p "$up"
cp "$ROOT/tests/fixtures/v2-village.db" "$up/village.db"
cp "$ROOT/tests/fixtures/v2-township.db" "$up/township.db"
run "$TB" --db "$up/township.db" status --unit $V3 --period 2025
expect_rc "the old township database opens (upgraded)" 0
expect_eq "upgraded to the current schema version" "$(sqlite3 "$up/township.db" 'PRAGMA user_version')" "6"
expect_match "the old merge's state: in progress as of the file's values, by the village's operator" "$OUT" \
	"$V3 +2025 +village +in progress .*; set by 张桂兰 at 2025-12-20T08:00:00Z$"
expect_eq "the state set by the old merge now names the village's installation" \
	"$(sqlite3 "$up/township.db" "SELECT installation FROM form_state")" "0d7d4a52be8b6f6ffd0d5c89bed0cb16"
run "$TB" --db "$up/village.db" status
expect_eq "the village's own state after the upgrade: complete, set at its installation" \
	"$(sqlite3 "$up/village.db" "SELECT state, changed_at, changed_by, installation FROM form_state")" \
	"complete|2025-12-20T08:00:00Z|张桂兰|0d7d4a52be8b6f6ffd0d5c89bed0cb16"
fu=$("$TB" --db "$up/village.db" export --out "$up")
run "$TB" --db "$up/township.db" merge "$fu"
expect_match "the upgraded village's export completes the form at the township" "$OUT" \
	"0 new, 0 updated, 17 unchanged, 0 conflicting; form states: 1 now complete, 0 now in progress$"
run "$TB" --db "$up/township.db" status --unit $V3 --period 2025
expect_match "complete, by the village's operator at its time" "$OUT" "$V3 +2025 +village +complete .*; set by 张桂兰 at 2025-12-20T08:00:00Z$"
run "$TB" --db "$up/township.db" merge "$v1f"
expect_match "the old file again: already merged" "$OUT" "already merged on"

# ---- conflicts ---------------------------------------------------------------------
# Two township laptops (A and B) both enter 红旗村's data; they agree on one field only.
adb=$T_TMP/a.db bdb=$T_TMP/b.db c1=$T_TMP/c1.db
"$TB" --db "$adb" init --unit $TWP --operator 甲 >/dev/null
"$TB" --db "$bdb" init --unit $TWP --operator 乙 >/dev/null
A=$(inst "$adb") B=$(inst "$bdb")
"$TB" --db "$adb" set --unit $V2 --period 2026 v_vc_total=5 v_rep_total=30 >/dev/null
"$TB" --db "$bdb" set --unit $V2 --period 2026 v_vc_total=6 v_rep_total=30 >/dev/null
mkdir -p "$T_TMP/ea" "$T_TMP/eb"
fa1=$("$TB" --db "$adb" export --out "$T_TMP/ea")
fb1=$("$TB" --db "$bdb" export --out "$T_TMP/eb")
"$TB" --db "$c1" init --unit $TWP --operator 王会计 >/dev/null
run "$TB" --db "$c1" merge "$fa1" "$fb1"
expect_rc "merging two disagreeing files" 0
expect_match "second file: one conflicting, one unchanged" "$OUT" "$fb1 \($V2; 2026\): 0 new, 0 updated, 1 unchanged, 1 conflicting$"
expect_match "merge points to the conflicts" "$OUT" "tianbao conflicts"
expect_eq "vals marks the conflict" "$(sqlite3 "$c1" "SELECT field, conflict FROM vals ORDER BY field")" "v_rep_total|0
v_vc_total|1"
run "$TB" --db "$c1" conflicts
expect_rc "conflicts" 0
expect_match "conflicts: unit, period, field" "$OUT" "^$V2 .* 2026 v_vc_total .*: 2 candidates"
expect_match "conflicts: A's candidate" "$OUT" "^    $A  5  \[甲, [0-9T:-]+Z\]  $(basename "$fa1")$"
expect_match "conflicts: B's candidate" "$OUT" "^    $B  6  \[乙, [0-9T:-]+Z\]  $(basename "$fb1")$"
expect_no_match "equal values are no conflict" "$OUT" "v_rep_total"
run "$TB" --db "$c1" conflicts --period 2025
expect_match "conflicts of another period: none" "$OUT" "No open conflicts"

# The same, merged the other way round, ends the same.
c2=$T_TMP/c2.db
"$TB" --db "$c2" init --unit $TWP >/dev/null
"$TB" --db "$c2" merge "$fb1" "$fa1" >/dev/null
expect_eq "the other order gives the same values" "$(vals "$c2")" "$(vals "$c1")"

# resolve --take, with a prefix of A's id.
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total --take "${A:0:3}"
expect_rc "a prefix shorter than 6 digits is refused" 1
expect_match "short prefix: says what to give" "$ERR" "at least 6"
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total --take 0000000000
expect_rc "an installation that is not a candidate" 1
expect_match "not a candidate: lists them" "$ERR" "not one of the candidates .* they are: "
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_rep_total --take "${A:0:6}"
expect_rc "no conflict there" 1
expect_match "no conflict: says so" "$ERR" "there is no open conflict for $V2 2026 v_rep_total"
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total
expect_rc "neither --take nor --value: usage" 2
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total --take "$A" --value 5
expect_rc "both --take and --value: usage" 2
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total --take "$(tr a-f A-F <<<"${A:0:8}")"
expect_rc "resolve --take" 0
expect_match "resolve --take says what it kept" "$OUT" "resolved: $V2 2026 v_vc_total = 5 \(the value of installation $A\)"
# The decision is the township's own candidate (A's value, by the clerk, now), so it
# travels in the township's export; A's candidate stays beside it, B's is set aside.
expect_eq "--take: A's value, now the township's decision, no conflict" \
	"$(sqlite3 "$c1" "SELECT value, installation, updated_by, conflict FROM vals WHERE field = 'v_vc_total'")" "5|$(inst "$c1")|王会计|0"
expect_eq "--take: A's candidate still counts, the decision beside it" \
	"$(sqlite3 "$c1" "SELECT installation, value, superseded FROM candidates WHERE field = 'v_vc_total' AND installation <> '$B' ORDER BY installation = '$A'")" \
	"$(inst "$c1")|5|0
$A|5|0"
expect_eq "--take: B's candidate superseded" \
	"$(sqlite3 "$c1" "SELECT superseded FROM candidates WHERE field = 'v_vc_total' AND installation = '$B'")" "1"
expect_match "--take: audit row 'resolved'" "$(sqlite3 "$c1" "SELECT old_value, new_value, reason, by_operator FROM audit ORDER BY id DESC LIMIT 1")" \
	"^[56]\|5\|resolved\|王会计$"
run "$TB" --db "$c1" conflicts
expect_match "no conflicts after resolving" "$OUT" "No open conflicts"

# The decision and the value it takes written in the same second (a fast clerk, or a
# clock frozen for the test): the decision is shown, by rule (store/latest.c: this
# installation's own write wins a tie), not by whichever installation id is greater. The
# township's id is made the smaller, the case where the tie went to the village.
tie=$T_TMP/tie
mkdir -p "$tie"
tie_at=$(date -u -d '1 hour ago' '+%Y-%m-%d %H:%M:%S')
frozen() { env TZ=UTC ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" faketime -f "$tie_at" "$@"; }
for who in a:甲:5 b:乙:6; do
	frozen "$TB" --db "$tie/${who%%:*}.db" init --unit $V2 --operator "$(cut -d: -f2 <<<"$who")" >/dev/null
	frozen "$TB" --db "$tie/${who%%:*}.db" set --period 2026 "v_vc_total=${who##*:}" >/dev/null
	frozen "$TB" --db "$tie/${who%%:*}.db" export --out "$tie" >/dev/null
done
"$TB" --db "$tie/t.db" init --unit $TWP --operator 王会计 >/dev/null
# The smallest id there is (made until smaller, it was not, about one run in eleven).
sqlite3 "$tie/t.db" "UPDATE meta SET value = '$(printf '0%.0s' $(seq 31))1' WHERE key = 'installation_id'"
check "the township's id is the smaller" test "$(inst "$tie/t.db")" \< "$(inst "$tie/a.db")"
frozen "$TB" --db "$tie/t.db" merge "$tie" >/dev/null
run frozen "$TB" --db "$tie/t.db" resolve --unit $V2 --period 2026 --field v_vc_total --take "$(inst "$tie/a.db")"
expect_rc "resolve --take in the same second as the value taken" 0
expect_eq "the same second: the decision is shown, not the village's value" \
	"$(sqlite3 "$tie/t.db" "SELECT value, installation = '$(inst "$tie/t.db")', updated_by, updated_at, conflict FROM vals WHERE unit = '$V2' AND field = 'v_vc_total'")" \
	"5|1|王会计|${tie_at/ /T}Z|0"
expect_eq "the village's value, of the same second, stays beside it" \
	"$(sqlite3 "$tie/t.db" "SELECT updated_at, superseded FROM candidates WHERE unit = '$V2' AND field = 'v_vc_total' AND installation = '$(inst "$tie/a.db")'")" \
	"${tie_at/ /T}Z|0"

# Old files again after the decision change nothing, even in a new file of B's that
# carries B's old revision along with something new.
"$TB" --db "$bdb" set --unit $V2 --period 2026 v_pb_total=5 >/dev/null
fb2=$("$TB" --db "$bdb" export --out "$T_TMP/eb")
before=$(vals "$c1")
run "$TB" --db "$c1" merge "$fa1" "$fb1" "$fb2"
expect_match "old files: already merged" "$OUT" "$fb1 .*already merged"
expect_match "B's new file: one new, two unchanged" "$OUT" "$fb2 \($V2; 2026\): 1 new, 0 updated, 2 unchanged, 0 conflicting$"
expect_eq "the decision stands" "$(sqlite3 "$c1" "SELECT value, conflict FROM vals WHERE field = 'v_vc_total'")" "5|0"

# A newer revision from B counts again: equal to the decision, no conflict...
"$TB" --db "$bdb" set --unit $V2 --period 2026 v_vc_total=5 >/dev/null
fb3=$("$TB" --db "$bdb" export --out "$T_TMP/eb")
run "$TB" --db "$c1" merge "$fb3"
expect_match "B now agrees: no conflict" "$OUT" "0 conflicting"
expect_eq "B agrees: value 5, no conflict" "$(sqlite3 "$c1" "SELECT value, conflict FROM vals WHERE field = 'v_vc_total'")" "5|0"
# ...different from it, the conflict opens again.
"$TB" --db "$bdb" set --unit $V2 --period 2026 v_vc_total=7 >/dev/null
fb4=$("$TB" --db "$bdb" export --out "$T_TMP/eb")
run "$TB" --db "$c1" merge "$fb4"
expect_match "B differs again: conflicting" "$OUT" "1 conflicting"
expect_eq "conflict reopened" "$(sqlite3 "$c1" "SELECT conflict FROM vals WHERE field = 'v_vc_total'")" "1"

# resolve --value: through the form's rules; the value is entered here.
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total --value 99
expect_rc "resolve --value with a value the rules refuse" 1
expect_match "the rule is named" "$ERR" "v_vc_total: 99 is out of range"
expect_eq "the conflict stays open" "$(sqlite3 "$c1" "SELECT conflict FROM vals WHERE field = 'v_vc_total'")" "1"
run "$TB" --db "$c1" resolve --unit $V2 --period 2026 --field v_vc_total --value ６
expect_rc "resolve --value" 0
expect_eq "--value: the value entered here, no conflict" \
	"$(sqlite3 "$c1" "SELECT value, installation, conflict FROM vals WHERE field = 'v_vc_total'")" "6|$(inst "$c1")|0"
expect_eq "--value: every other candidate superseded" \
	"$(sqlite3 "$c1" "SELECT count(*) FROM candidates WHERE field = 'v_vc_total' AND superseded = 0")" "1"
expect_match "--value: audit row 'resolved'" "$(sqlite3 "$c1" "SELECT old_value, new_value, reason FROM audit ORDER BY id DESC LIMIT 1")" \
	"^[0-9]\|6\|resolved$"
before=$(vals "$c1")
run "$TB" --db "$c1" merge "$T_TMP/ea" "$T_TMP/eb"
expect_eq "re-merging every old file after a resolution changes nothing" "$(vals "$c1")" "$before"

# A township's export carries what it merged, both sides of an open conflict included.
c3=$T_TMP/c3.db
"$TB" --db "$c3" init --unit $TWP >/dev/null
"$TB" --db "$c3" merge "$fa1" "$fb1" >/dev/null
fc=$("$TB" --db "$c3" export --out "$T_TMP")
expect_eq "township export: both candidates of the conflict" \
	"$(sqlite3 "$fc" "SELECT count(*) FROM vals WHERE field = 'v_vc_total'")" "2"
c4=$T_TMP/c4.db
"$TB" --db "$c4" init --unit $TWP >/dev/null
run "$TB" --db "$c4" merge "$fc"
expect_match "county side: the conflict arrives as a conflict" "$OUT" "1 conflicting"
expect_eq "county side: same values as the township" "$(vals "$c4")" "$(vals "$c3")"

# ---- form versions ---------------------------------------------------------------------
# The rules (docs/exchange.md, "Form versions"): a file filled in a newer version of a form
# than this computer's is refused whole, naming both versions (import the package first);
# one filled in an older version merges when every value fits the current version, and
# says so; a value that does not fit refuses the whole file, naming both versions. Nothing
# is dropped or merged silently.
fv2=$T_TMP/forms-v2 fdrop=$T_TMP/forms-drop
mkdir -p "$fv2" "$fdrop"
cp "$ROOT"/forms/*.ini "$fv2/"; cp "$ROOT"/forms/*.ini "$fdrop/"
sed -i 's/^version = 1$/version = 2/' "$fv2/10-village.ini"
sed -i 's/^\[check.vc_female_le_total\]$/[field.v_extra]\nlabel = 新指标\ntype = integer\nrange = 0..100\n\n&/' "$fv2/10-village.ini"
python3 - "$fdrop/10-village.ini" <<'PY'
import sys
s = open(sys.argv[1]).read()
i, j = s.index('[field.v_notes]'), s.index('[check.vc_female_le_total]')
open(sys.argv[1], 'w').write(s[:i] + s[j:])
PY
v3db=$T_TMP/v3.db
"$TB" --forms "$fv2" --db "$v3db" init --unit 360730105203 >/dev/null
"$TB" --forms "$fv2" --db "$v3db" set --period 2026 v_vc_total=4 >/dev/null
fv_known=$("$TB" --forms "$fv2" --db "$v3db" export --out "$T_TMP")
expect_eq "a version-2 export says so" "$(sqlite3 "$fv_known" 'SELECT id, version FROM forms')" "village|2"
before=$(dump "$tdb")
run "$TB" --db "$tdb" merge "$fv_known"
expect_rc "a newer form version, even with known fields only: refused" 1
expect_match "the refusal names both versions, who, and what to do" "$ERR" \
	"refused: Shiqiao Village filled in version 2 of form 'village' \(Village women's and children's outline indicators\); this computer has version 1. Import the township's newest form package here first"
run "$TB" --db "$tdb" --lang zh merge "$fv_known"
expect_match "in Chinese, as a clerk reads it" "$ERR" "未合并：石桥村用第 2 版“村级妇女儿童发展纲要监测表”（village）填报，本机是第 1 版。请先在本机导入乡里最新的表格包"
expect_eq "nothing of that file merged" "$(dump "$tdb")" "$before"
"$TB" --forms "$fv2" --db "$v3db" set --period 2026 v_extra=7 >/dev/null
fv_new=$("$TB" --forms "$fv2" --db "$v3db" export --out "$T_TMP")
run "$TB" --forms "$fv2" --db "$tdb" merge "$fv_new"
expect_rc "with the forms updated, the same file merges" 0
expect_match "forms updated: the new field arrives" "$OUT" "2 new, 0 updated, 0 unchanged"
expect_no_match "same version: no note" "$OUT" "note:"
# The other way round: a village still on version 1, merged at a township on version 2.
v1db=$T_TMP/v1-old.db
"$TB" --db "$v1db" init --unit 360730105204 >/dev/null
"$TB" --db "$v1db" set --period 2026 v_vc_total=5 >/dev/null
fv_old=$("$TB" --db "$v1db" export --out "$T_TMP")
run "$TB" --forms "$fv2" --db "$tdb" merge "$fv_old"
expect_rc "an older form version whose values fit: merged" 0
expect_match "and said, naming both versions" "$OUT" "note: Liushu Village filled in version 1 of form 'village' \(Village women's and children's outline indicators\); this computer has version 2: its values were checked against version 2 and fit. Send them this township's form package"
# Version 2 narrows a range: a version-1 value outside it refuses the file, both named.
fv2n=$T_TMP/forms-v2-narrow
mkdir -p "$fv2n"; cp "$fv2"/*.ini "$fv2n/"
python3 - "$fv2n/10-village.ini" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
i = s.index('[field.v_vc_total]'); j = s.index('\n[', i + 1)
open(sys.argv[1], 'w').write(s[:i] + re.sub(r'(?m)^range = .*$', 'range = 3..4', s[i:j], count=1) + s[j:])
PY
before=$(dump "$tdb")
"$TB" --db "$v1db" set --period 2025 v_vc_total=6 >/dev/null
fv_old2=$("$TB" --db "$v1db" export --out "$T_TMP")
run "$TB" --forms "$fv2n" --db "$tdb" merge "$fv_old2"
expect_rc "an older version with a value the current one refuses: refused" 1
expect_match "the refusal names both versions and the value" "$ERR" \
	"Liushu Village filled in version 1 of form 'village' \(Village women's and children's outline indicators\); this computer has version 2, by whose rules 360730105204 2025 v_vc_total is wrong: .*6.* Send them this township's form package"
expect_eq "nothing of it merged" "$(dump "$tdb")" "$before"
# Version 2 drops a field that a version-1 file has a value of: refused, both named.
fdrop2=$T_TMP/forms-drop-v2
mkdir -p "$fdrop2"; cp "$fdrop"/*.ini "$fdrop2/"
sed -i 's/^version = 1$/version = 2/' "$fdrop2/10-village.ini"
"$TB" --db "$v1db" set --period 2026 "v_notes=一组" >/dev/null
fv_old3=$("$TB" --db "$v1db" export --out "$T_TMP")
run "$TB" --forms "$fdrop2" --db "$tdb" merge "$fv_old3"
expect_rc "an older version with a field the current one dropped: refused" 1
expect_match "the refusal names both versions and the field" "$ERR" \
	"Liushu Village filled in version 1 of form 'village' \(Village women's and children's outline indicators\); this computer has version 2, which has no field\(s\) v_notes. Send them this township's form package"
expect_eq "nothing of that one merged either" "$(dump "$tdb")" "$before"
# Forms that dropped a field: its stored values stay, are not exported, and it is said.
run "$TB" --forms "$fdrop" --db "$vdb" export --out "$T_TMP"
expect_rc "export with a field dropped from the forms" 0
expect_match "the values left behind are counted" "$ERR" "note: 1 value\(s\) of fields that the current forms no longer have stay here and were not exported"
expect_eq "the dropped field is not in the file" "$(sqlite3 "$OUT" "SELECT count(*) FROM vals WHERE field = 'v_notes'")" "0"
expect_eq "and stays in the database" "$(sqlite3 "$vdb" "SELECT count(*) FROM candidates WHERE field = 'v_notes'")" "1"

# ---- a county's worth of units --------------------------------------------------------
# A database with values of 3,000 units of 32 characters (a county) exports, reads back,
# verifies and merges: the manifest's list of units is 99,000 bytes.
big=$T_TMP/big
mkdir -p "$big/forms"
cp "$ROOT"/forms/*.ini "$big/forms/"
for i in $(seq 1 3000); do printf '\n[department.360730105-wf-%019d]\nname = 妇联%d\nrole = wf\n' "$i" "$i"; done >>"$big/forms/units.ini"
"$TB" --forms "$big/forms" --db "$big/a.db" init --unit $TWP --operator 统计员 >/dev/null
sqlite3 "$big/a.db" "BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, updated_by, source, superseded)
  SELECT printf('360730105-wf-%019d', i), '2026', 'wf_hotline', (SELECT value FROM meta WHERE key = 'installation_id'), 'wf',
         i % 500, 1, '2026-11-28T08:00:00Z', '统计员', NULL, 0 FROM n;
INSERT INTO vals (unit, period, field, form, value, updated_at, updated_by, installation, revision, conflict, source)
  SELECT unit, period, field, form, value, updated_at, updated_by, installation, revision, 0, NULL FROM candidates;
INSERT INTO form_state (unit, period, form, state, changed_at, changed_by, installation)
  SELECT unit, period, form, 'progress', updated_at, updated_by, installation FROM candidates;
COMMIT;"
run "$TB" --forms "$big/forms" --db "$big/a.db" export --out "$big"
expect_rc "3,000 units of 32 characters: exported" 0
fbig=$OUT
expect_eq "3,000 units: the manifest lists them all" "$(sqlite3 "$fbig" "SELECT length(value) FROM manifest WHERE key = 'units'")" "98999"
run "$TB" verify "$fbig"
expect_rc "3,000 units: verify accepts the file" 0
expect_match "3,000 units: verify lists the first ones and counts the rest" "$OUT" "units: +360730105-wf-0000000000000000001, .* and 2980 more$"
"$TB" --forms "$big/forms" --db "$big/county.db" init --unit $TWP >/dev/null
run "$TB" --forms "$big/forms" --db "$big/county.db" merge "$fbig"
expect_rc "3,000 units: merged" 0
expect_match "3,000 units: every value new" "$OUT" ": 3000 new, 0 updated, 0 unchanged, 0 conflicting; form states: 0 now complete, 3000 now in progress$"
expect_eq "3,000 units: the merge log keeps the list of units" "$(sqlite3 "$big/county.db" "SELECT length(source_units) FROM merges")" "98999"
rm -rf "$big"

# ---- file names that hold control characters -----------------------------------------
# A name on a stick may hold anything: terminal escape sequences are never echoed, and
# what is stored (the merge log, the audit's "from") is the name made safe.
esc=$T_TMP/esc
mkdir -p "$esc"
evil=$(printf 'x\033]0;PWNED\a\033[31mred.tbx')
cp "$f1" "$esc/$evil"
: >"$esc/$(printf 'y\033[2Jempty\x9b.tbx')"
e1=$T_TMP/esc.db
"$TB" --db "$e1" init --unit $TWP --operator 王会计 >/dev/null
run "$TB" --db "$e1" merge "$esc"
expect_rc "a folder with escape sequences in file names: merged, one refused" 1
expect_match "merge: the name is shown with '?' for each control character" "$OUT" "^$esc/x\?\]0;PWNED\?\?\[31mred\.tbx \($V1; 2026\): 5 new"
expect_match "merge: the refused file is named safely too" "$ERR" "$esc/y\?\[2Jempty\?\.tbx: refused: the file is empty"
expect_no_match "merge: no control character reaches the terminal" "$OUT$ERR" "$(printf '[\001-\010\013-\037\177]')"
expect_eq "the merge log stores the name made safe" "$(sqlite3 "$e1" "SELECT file_name FROM merges")" "x?]0;PWNED??[31mred.tbx"
run "$TB" --db "$e1" log --unit $V1
expect_match "log: 'from' the name made safe" "$OUT" "from x\?\]0;PWNED\?\?\[31mred\.tbx$"
# A name stored raw by an older tianbao is made safe when printed.
sqlite3 "$e1" "UPDATE merges SET file_name = 'z' || char(27) || '[31m.tbx'"
run "$TB" --db "$e1" log --unit $V1
expect_match "log: an old raw name is printed safely" "$OUT" "from z\?\[31m\.tbx$"
run "$TB" --db "$e1" log --merges
expect_match "log --merges: an old raw name is printed safely" "$OUT" "merged z\?\[31m\.tbx by "
expect_no_match "log: no control character reaches the terminal" "$OUT" "$(printf '[\001-\010\013-\037\177]')"
run "$TB" verify "$esc/$evil"
expect_rc "verify a file with escape sequences in its name" 0
expect_match "verify: the name made safe" "$OUT" "x\?\]0;PWNED\?\?\[31mred\.tbx: a complete, intact tianbao export"
expect_no_match "verify: no control character reaches the terminal" "$OUT$ERR" "$(printf '[\001-\010\013-\037\177]')"
rm -rf "$esc"

# ---- a full disk and a read-only disk -----------------------------------------------
full=$T_TMP/full ro=$T_TMP/ro
mkdir -p "$full" "$ro"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k tmpfs "$full"; then
	trap 'umount "$full" 2>/dev/null; umount "$ro" 2>/dev/null; rm -rf "$T_TMP"' EXIT
	dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null
	run "$TB" --db "$vdb" export --out "$full"
	expect_rc "export to a full disk: refused" 1
	expect_match "full disk: says so" "$ERR" "$full: the disk is full, so the export was not written"
	expect_eq "full disk: nothing left behind" "$(ls -A "$full")" "filler"
	rm -f "$full/filler"
	dd if=/dev/zero of="$full/filler" bs=1k count=50 2>/dev/null   # room for part of a file only
	run "$TB" --db "$vdb" export --out "$full"
	expect_rc "export to a nearly full disk: refused" 1
	expect_match "nearly full disk: says so" "$ERR" "the disk is full"
	expect_eq "nearly full disk: nothing left behind" "$(ls -A "$full")" "filler"
	rm -f "$full/filler"
	run "$TB" --db "$vdb" export --out "$full"
	expect_rc "the same disk with room: exported" 0
	umount "$full"

	mount -t tmpfs -o ro,size=64k tmpfs "$ro"
	run "$TB" --db "$vdb" export --out "$ro"
	expect_rc "export to a read-only disk: refused" 1
	expect_match "read-only disk: says so" "$ERR" "$ro: the disk is read-only, so the export was not written"
	expect_eq "read-only disk: nothing left behind" "$(ls -A "$ro")" ""
	umount "$ro"
	expect_eq "no private temporary files left" "$(ls -A "$TMPDIR" | wc -l)" "0"
else
	for what in "full disk" "nearly full disk" "disk with room" "read-only disk"; do
		T_N=$((T_N + 1)); echo "ok $T_N # SKIP export to a $what: mounting a small tmpfs needs root (uid $(id -u))"
	done
fi

# ---- SIGKILL during export --------------------------------------------------------------
# Whatever moment the export dies at, the folder never holds a file that verify accepts
# but that is not a complete export; a leftover .tmp is never taken for one.
kills=40
[ -n "${TIANBAO_STRESS:-}" ] && kills=400
kdir=$T_TMP/kill
mkdir -p "$kdir"
ref=$("$TB" verify "$f2" | sed -n 's/.*checksum: //p')
start=$(date +%s%N)
"$TB" --db "$vdb" export --out "$T_TMP" >/dev/null
span_us=$((($(date +%s%N) - start) / 1000 + 2000))
ok "one export takes about $((span_us / 1000)) ms; kills fall within it"
killed=0
for i in $(seq 1 $kills); do
	"$TB" --db "$vdb" export --out "$kdir" >/dev/null 2>&1 &
	pid=$!
	d=$(((RANDOM * 32768 + RANDOM) % span_us))
	sleep "$(printf '%d.%06d' $((d / 1000000)) $((d % 1000000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $? -eq 137 ] && killed=$((killed + 1))
done
ok "$kills exports started, $killed killed by SIGKILL"
check "some exports were killed" test "$killed" -gt 0
bad=0 tbx=0 tmps=0
for f in "$kdir"/* "$kdir"/.[!.]*; do
	[ -e "$f" ] || continue
	if "$TB" verify "$f" >"$T_TMP/v.out" 2>&1; then
		case $f in *.tmp) bad=$((bad + 1)); diag "a .tmp passed verify: $f" ;; esac
		sum=$(sed -n 's/.*checksum: //p' "$T_TMP/v.out")
		[ "$sum" = "$ref" ] || { bad=$((bad + 1)); diag "verify accepts $f but its content differs"; }
		tbx=$((tbx + 1))
	else
		case $f in
		*.tmp) tmps=$((tmps + 1)) ;;
		*) bad=$((bad + 1)); diag "a finished name that verify refuses: $f"; cat "$T_TMP/v.out" ;;
		esac
	fi
done
ok "after the kills: $tbx complete exports, $tmps leftover .tmp files"
expect_eq "no file that looks finished but is not" "$bad" "0"
k1=$T_TMP/k1.db
"$TB" --db "$k1" init --unit $TWP >/dev/null
run "$TB" --db "$k1" merge "$kdir"
expect_no_match "merging the folder never takes a .tmp" "$OUT$ERR" "\.tmp"
if [ "$tbx" -gt 0 ]; then
	expect_rc "merging the folder of survivors" 0
	expect_eq "survivors hold the village's data" "$(dump "$k1")" "$(dump "$vdb")"
else
	ok "no export finished before its kill"
	ok "(nothing to merge)"
fi
# The next export, once the killed ones are some seconds old, clears their .tmp files
# (a live export's .tmp is locked and never touched).
if [ "$tmps" -gt 0 ]; then
	sleep 6
	touch "$kdir/.tianbao-not-ours.tmp"
	"$TB" --db "$vdb" export --out "$kdir" >/dev/null
	expect_eq "a later export clears the .tmp files of killed ones" "$(ls -A "$kdir" | grep -c '^\.tianbao-.*\.tbx\.tmp$')" "0"
	check "other files are left alone" test -e "$kdir/.tianbao-not-ours.tmp"
else
	for what in "a later export clears the .tmp files of killed ones" "other files are left alone"; do
		T_N=$((T_N + 1)); echo "ok $T_N # SKIP $what: no kill this run left a .tmp file"
	done
fi

# ---- SIGKILL during merge --------------------------------------------------------------
# Each file is one transaction: whenever the merge dies, every file is in completely or
# not at all, and running the merge again finishes the job.
mdir=$T_TMP/kill-merge
mkdir -p "$mdir/files"
for v in 1 2 3 4 5 6; do
	"$TB" --db "$mdir/v$v.db" init --unit 36073010520$v >/dev/null
	"$TB" --db "$mdir/v$v.db" set --period 2026 v_vc_total=$((2 + v % 5)) v_rep_total=$((10 * v)) v_notes="第${v}村" >/dev/null
	"$TB" --db "$mdir/v$v.db" export --out "$mdir/files" >/dev/null
done
"$TB" --db "$mdir/whole.db" init --unit $TWP >/dev/null
start=$(date +%s%N)
"$TB" --db "$mdir/whole.db" merge "$mdir/files" >/dev/null
span_us=$((($(date +%s%N) - start) / 1000 + 2000))
mkills=20 partial=0 torn=0
[ -n "${TIANBAO_STRESS:-}" ] && mkills=200
for i in $(seq 1 $mkills); do
	t=$mdir/t.db
	rm -f "$t" "$t-wal" "$t-shm"
	"$TB" --db "$t" init --unit $TWP >/dev/null
	"$TB" --db "$t" merge "$mdir/files" >/dev/null 2>&1 &
	pid=$!
	d=$(((RANDOM * 32768 + RANDOM) % span_us))
	sleep "$(printf '%d.%06d' $((d / 1000000)) $((d % 1000000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(sqlite3 "$t" "SELECT count(*) FROM merges")
	[ "$n" -gt 0 ] && [ "$n" -lt 6 ] && partial=$((partial + 1))
	bad=$(sqlite3 "$t" "PRAGMA integrity_check; SELECT count(*) FROM candidates WHERE source IS NULL OR source NOT IN (SELECT id FROM merges); SELECT count(*) FROM merges m WHERE (SELECT count(*) FROM candidates c WHERE c.source = m.id) != m.n_new OR (SELECT count(*) FROM audit a WHERE a.source = m.id AND a.field != '') != m.n_new OR (SELECT count(*) FROM audit a WHERE a.source = m.id AND a.field = '') != 1; SELECT (SELECT count(*) FROM vals) - (SELECT count(*) FROM candidates); SELECT (SELECT count(*) FROM merges) - (SELECT count(*) FROM form_state)" | tr '\n' ' ')
	[ "$bad" = "ok 0 0 0 0 " ] || { torn=$((torn + 1)); diag "kill $i: $bad"; }
	"$TB" --db "$t" merge "$mdir/files" >/dev/null 2>&1 || { torn=$((torn + 1)); diag "kill $i: the merge run again failed"; }
	[ "$("$TB" --db "$t" dump)" = "$("$TB" --db "$mdir/whole.db" dump)" ] || { torn=$((torn + 1)); diag "kill $i: the merge run again differs"; }
done
ok "$mkills merges killed at random moments, $partial of them between files"
expect_eq "every file all or nothing; integrity ok; running it again finishes the job" "$torn" "0"

done_testing
