#!/usr/bin/env bash
# The store through the command line: round trips, all-or-nothing writes, every kind of
# bad input refused with a message and the database left as it was, two writers at once.
. "$(dirname "$0")/../lib.sh"

V1=360730105201   # 东风村
V2=360730105202   # 红旗村
HC=360730105-hc
export TIANBAO_DB=$T_TMP/twp.db

dump() { "$TB" dump "$@" 2>&1; }

# as_nobody CMD...: root ignores file permissions, so read-only cases run as nobody.
as_nobody() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"
	else
		"$@"
	fi
}

# ---- init -------------------------------------------------------------------------
run "$TB" init --unit 360730105000 --operator 王会计
expect_rc "init as the township" 0
expect_match "init names the unit" "$OUT" "Shifan Township \(360730105000, township\)"
check "database created" test -s "$TIANBAO_DB"

run "$TB" init --unit 999999999999
expect_rc "init with an unknown unit" 1
expect_match "unknown unit named, with the file" "$ERR" "there is no unit '999999999999' in .*units.ini"
expect_match "the units are listed to choose from" "$ERR" "^  360730105202 +Hongqi Village +village$"
run "$TB" init
expect_rc "init without --unit is a usage error" 2
run "$TB" init --unit 东风村
expect_rc "init --unit NAME: an exact name is taken" 0
expect_match "the name's unit" "$OUT" "Dongfeng Village \(360730105201, village\)"
run "$TB" init --unit "Hongqi Village"
expect_rc "init --unit takes the English name too" 0
expect_match "the English name's unit" "$OUT" "\(360730105202, village\)"
run "$TB" init --unit 东风
expect_rc "init --unit: a part of a name is not a unit" 1
run "$TB" init --unit 示范乡
expect_rc "init --unit 示范乡: the township by its name" 0
# Changing the unit of a database that holds another unit's values needs --force, and is
# written in the audit trail (a database of its own: the one above goes on as the
# township's).
fdb=$T_TMP/force.db
run "$TB" --db "$fdb" init --unit 360730105201 --operator 李秀英
expect_rc "a new village database" 0
run "$TB" --db "$fdb" init --unit 360730105000 --operator 王会计
expect_rc "to the township: no values yet, no --force needed" 0
run "$TB" --db "$fdb" set --unit 360730105203 --period 2024 v_vc_total=5
expect_rc "a value of 石桥村 entered at the township" 0
run "$TB" --db "$fdb" init --unit 360730105201
expect_rc "init to a village over another unit's values: refused" 1
expect_match "it says how many values and how to confirm" "$ERR" "already holds 1 value\(s\) of units other than Dongfeng Village \(360730105201\).*add --force"
expect_eq "the unit did not change" "$(sqlite3 "$fdb" "SELECT value FROM meta WHERE key = 'unit'")" "360730105000"
run "$TB" --db "$fdb" init --unit 360730105203
expect_rc "to 石桥村, whose values they are: no --force needed" 0
run "$TB" --db "$fdb" init --unit 360730105201 --force
expect_rc "init --force changes it" 0
run "$TB" --db "$fdb" log
expect_match "the first unit set is in the audit trail" "$OUT" "this installation reports for: \(none\) -> 360730105201  \[unit set, 李秀英\]"
expect_match "each change, by whom" "$OUT" "this installation reports for: 360730105000 -> 360730105203  \[unit set, 王会计\]"
expect_match "the forced change too" "$OUT" "this installation reports for: 360730105203 -> 360730105201  \[unit set, 王会计\]"
run "$TB" --db "$fdb" --lang zh log
expect_match "in Chinese too" "$OUT" "本机填报单位：360730105203 -> 360730105201  \[更改填报单位, 王会计\]"
run "$TB" --db "$fdb" init --unit 360730105201 --force
expect_eq "setting the same unit again writes no audit row" "$("$TB" --db "$fdb" log | grep -c 'unit set')" "4"

run "$TB" init --unit 360730105000 --operator "$(printf 'a\tb')"
expect_rc "operator with a control character refused" 2

# ---- set and dump: round trip with Chinese text -------------------------------------
run "$TB" set --unit $V1 --period 2026 v_vc_total=5 v_vc_female=2 'v_notes=东风村, "一组"
第二行'
expect_rc "a newline in text is refused" 1
expect_match "control characters named" "$ERR" "v_notes: the text contains control characters"
run "$TB" set --unit $V1 --period 2026 "v_notes=一组$(printf '\u2028')二组"
expect_rc "a line separator (U+2028) in text is refused like a newline" 1
expect_match "U+2028 named as a line break" "$ERR" "v_notes: the text contains control characters"
# Spaces alone (ASCII or the ideographic space of a Chinese input method) look empty
# everywhere: the question is not answered, and nothing is stored.
run "$TB" set --unit $V1 --period 2026 "v_filled_by=  $(printf '\u3000') "
expect_rc "blank text is taken" 0
expect_eq "blank text stores nothing" "$(dump | grep -c ',v_filled_by,')" "0"

run "$TB" set --unit $V1 --period 2026 v_vc_total=5 v_vc_female=２ 'v_notes=东风村, "一组"；妇女主任 😀' v_filled_on=2026/12/31
expect_rc "set four values" 0
expect_match "set says what it saved" "$OUT" "saved: 4 changed, 0 unchanged"
run "$TB" dump
expect_rc "dump" 0
expect_eq "dump header" "$(head -1 <<<"$OUT")" "unit,period,form,field,value,updated_at,updated_by"
expect_match "text kept exactly, quoted per RFC 4180" "$OUT" "^$V1,2026,village,v_notes,\"东风村, \"\"一组\"\"；妇女主任 😀\",[0-9T:-]+Z,王会计$"
expect_match "full-width digits stored as 2" "$OUT" "^$V1,2026,village,v_vc_female,2,"
expect_match "date normalized" "$OUT" "^$V1,2026,village,v_filled_on,2026-12-31,"
expect_eq "sorted by unit, period, form, field" "$(cut -d, -f4 <<<"$OUT" | tail -n +2 | tr '\n' ' ')" "v_filled_on v_notes v_vc_female v_vc_total "

# The CSV reads back to the same values (Python's csv module as an independent reader).
back=$(dump | /usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print([r["value"] for r in rows if r["field"] == "v_notes"][0])')
expect_eq "CSV round trip of Chinese text" "$back" '东风村, "一组"；妇女主任 😀'

# Text a spreadsheet would run as a formula gets the CSV report's guard (lib/csv); a
# number, negative too, stays a number.
fdb=$T_TMP/formula.db
"$TB" --db "$fdb" init --unit 360730105000 >/dev/null
for t in '=1+2' '+1' '@SUM(A1)' '-1+2' '-x'; do
	run "$TB" --db "$fdb" set --unit $V1 --period 2026 "v_notes=$t"
	run "$TB" --db "$fdb" dump --unit $V1
	check "dump guards text starting with ${t:0:1} ($t)" grep -Fq "$V1,2026,village,v_notes,\"'$t\"," <<<"$OUT"
done
"$TB" --db "$fdb" set --unit $V1 --period 2026 v_vc_total=5 v_vc_female=2 >/dev/null
expect_match "a number stays a number" "$("$TB" --db "$fdb" dump)" "^$V1,2026,village,v_vc_total,5,"

# An unknown --unit: named, with how to list the units, not an empty dump that exits 0.
run "$TB" --db "$fdb" dump --unit 36073010529
expect_rc "dump --unit of an unknown unit: refused" 1
expect_match "it names the unit and how to list the units" "$ERR" "unknown unit '36073010529': it is not in .*units.ini \('tianbao units' lists them\)"
expect_eq "it prints no CSV" "$OUT" ""
run "$TB" --db "$fdb" dump --unit 360730105202
expect_rc "dump --unit of a known unit with no values: fine" 0
expect_eq "it prints the header only" "$OUT" "unit,period,form,field,value,updated_at,updated_by"
sqlite3 "$fdb" "UPDATE vals SET unit = '999999999999' WHERE field = 'v_vc_total'"
run "$TB" --db "$fdb" dump --unit 999999999999
expect_rc "dump --unit of a unit units.ini no longer lists, with values: printed" 0
expect_match "its value" "$OUT" "^999999999999,2026,village,v_vc_total,5,"

run "$TB" set --unit $V1 --period 2026 v_vc_total=5
expect_match "same value again is unchanged" "$OUT" "saved: 0 changed, 1 unchanged"

# ---- all or nothing ------------------------------------------------------------------
before=$(dump)
run "$TB" set --unit $V1 --period 2026 v_vc_total=6 v_vc_female=abc v_pb_total=99 v_nosuch=1
expect_rc "a batch with refused values" 1
expect_match "letters in a number named" "$ERR" "v_vc_female: 'abc' is not a whole number"
expect_match "hard range named" "$ERR" "v_pb_total: 99 is out of range: it must be between 1 and 15"
expect_match "unknown field named" "$ERR" "v_nosuch: no form has this field"
expect_match "says nothing was saved" "$ERR" "nothing was saved \(3 value\(s\) refused\)"
expect_eq "nothing of the batch written" "$(dump)" "$before"

# ---- every kind of bad input: message, and the database unchanged ----------------------
bad() { # DESC WANT_RC REGEX CMD...
	local desc=$1 want=$2 re=$3; shift 3
	local b; b=$(dump)
	run "$@"
	expect_rc "$desc: status" "$want"
	expect_match "$desc: message" "$ERR" "$re"
	expect_eq "$desc: database unchanged" "$(dump)" "$b"
}
bad "unknown unit" 1 "unknown unit '123'" "$TB" set --unit 123 --period 2026 v_vc_total=5
# A period that is no period at all is a usage mistake (2), as in status and report; said
# once, not once per field. A real period the form does not take is a data problem (1).
bad "period in the wrong format" 2 "set: '26' is not a period" "$TB" set --unit $V1 --period 26 v_vc_total=5 v_vc_female=2
expect_eq "period in the wrong format: said once" "$(printf '%s\n' "$ERR" | grep -c 'is not a period')" "1"
bad "complete: period in the wrong format" 2 "complete: '2026q1' is not a period" "$TB" complete --unit $V1 --period 2026q1 --form village
run "$TB" dump --period 2026q1
expect_rc "dump: a period in the wrong format is refused, not an empty list" 2
expect_match "dump: says what a period looks like" "$ERR" "dump: '2026q1' is not a period: write a year \(2026\)"
bad "period of the wrong type" 1 "form 'village' is yearly, so write the period like 2026, not '2026Q1'" \
	"$TB" set --unit $V1 --period 2026Q1 v_vc_total=5
bad "month 13" 2 "'202613' is not a period" "$TB" set --unit $V1 --period 202613 v_vc_total=5
bad "unknown form" 1 "unknown form 'nosuch'" "$TB" set --unit $V1 --period 2026 --form nosuch v_vc_total=5
bad "field of another form" 1 "v_vc_total: this field is on form 'village', not 'hc'" \
	"$TB" set --unit $V1 --period 2026 --form hc v_vc_total=5
bad "form the unit does not report" 1 "form 'village' is not reported by" "$TB" set --unit $HC --period 2026 v_vc_total=5
bad "a computed field" 1 "v_vc_female_pct: this value is computed from other fields and cannot be entered" \
	"$TB" set --unit $V1 --period 2026 v_vc_female_pct=40
bad "a question skipped by the skip logic" 1 "v_left_behind: this question is not asked here \(skip_if: v_children_0_17 == 0\)" \
	"$TB" set --unit $V1 --period 2026 v_children_0_17=0 v_left_behind=3
bad "invalid UTF-8" 1 "v_notes: the text is not valid UTF-8" "$TB" set --unit $V1 --period 2026 "$(printf 'v_notes=\xff\xfe')"
bad "over-long text" 1 "v_filled_by: the text is 21 characters long; at most 20 are allowed" \
	"$TB" set --unit $V1 --period 2026 "v_filled_by=$(printf '张%.0s' $(seq 21))"
bad "a field given twice" 1 "v_vc_total: given twice" "$TB" set --unit $V1 --period 2026 v_vc_total=5 v_vc_total=6
bad "a bad date" 1 "'2026-02-30' is not a date" "$TB" set --unit $V1 --period 2026 v_filled_on=2026-02-30
bad "not FIELD=VALUE" 2 "'v_vc_total' is not FIELD=VALUE" "$TB" set --unit $V1 --period 2026 v_vc_total
bad "no period" 2 "--period P is required" "$TB" set --unit $V1 v_vc_total=5
bad "unknown option" 2 "unknown option '--colour'" "$TB" set --colour --unit $V1 --period 2026 v_vc_total=5

# ---- databases that are not ours ------------------------------------------------------
for kind in text truncated other sqlite-empty-table; do
	f=$T_TMP/not-ours-$kind.db
	case $kind in
	text) printf 'just some notes\n' >"$f" ;;
	truncated) cp "$TIANBAO_DB" "$f"; "$TB" --db "$f" dump >/dev/null 2>&1; truncate -s 2000 "$f"; rm -f "$f-wal" "$f-shm" ;;
	other) sqlite3 "$f" "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'x');" ;;
	sqlite-empty-table) sqlite3 "$f" "PRAGMA application_id = 42; CREATE TABLE t (a);" ;;
	esac
	sum=$(sha256sum "$f")
	run "$TB" --db "$f" set --unit $V1 --period 2026 v_vc_total=5
	expect_rc "$kind file: refused" 1
	expect_match "$kind file: the message names the file" "$ERR" "$(basename "$f")"
	expect_match "$kind file: says it is not a tianbao database or damaged" "$ERR" "not a tianbao database|another program|damaged"
	expect_eq "$kind file: not modified" "$(sha256sum "$f")" "$sum"
	check "$kind file: no WAL left beside it" test ! -e "$f-wal"
done

# A database from a newer tianbao.
newer=$T_TMP/newer.db
cp "$TIANBAO_DB" "$newer"; sqlite3 "$newer" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99;" >/dev/null
sum=$(sha256sum "$newer")
run "$TB" --db "$newer" dump
expect_rc "newer schema refused" 1
expect_match "newer schema: versions named" "$ERR" "newer tianbao \(schema version 99; this tianbao knows up to [0-9]+\)"
expect_eq "newer schema: not modified" "$(sha256sum "$newer")" "$sum"

# An SQLite file made but never filled (a first run cut short, or an empty file made by
# hand): a command that only reads says it is empty, and changes nothing.
blank=$T_TMP/blank.db
sqlite3 "$blank" "PRAGMA user_version = 0; VACUUM;"
for f in "$blank" "$T_TMP/zero.db"; do
	[ -e "$f" ] || : >"$f"
	sum=$(sha256sum "$f")
	for cmd in status dump "report --period 2026"; do
		# shellcheck disable=SC2086
		run "$TB" --db "$f" $cmd
		expect_rc "$(basename "$f") never filled, $cmd: refused" 1
		expect_eq "$(basename "$f") never filled, $cmd: says it is empty" "$ERR" "tianbao: $f is empty: it holds no data yet"
	done
	expect_eq "$(basename "$f") never filled: not modified" "$(sha256sum "$f")" "$sum"
done

# ---- read-only database, read-only folder ---------------------------------------------
ro=$T_TMP/ro; mkdir -p "$ro"; cp "$TIANBAO_DB" "$ro/db"; sqlite3 "$ro/db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$ro/db-wal" "$ro/db-shm"
chmod 755 "$T_TMP"; chmod 555 "$ro"; chmod 444 "$ro/db"
sum=$(sha256sum "$ro/db")
run as_nobody "$TB" --db "$ro/db" set --unit $V1 --period 2026 v_vc_total=6
expect_rc "read-only database: refused" 1
expect_match "read-only database: says so" "$ERR" "read-only"
expect_eq "read-only database: not modified" "$(sha256sum "$ro/db")" "$sum"
run as_nobody "$TB" --db "$ro/new/sub/db" set --unit $V1 --period 2026 v_vc_total=6
expect_rc "read-only folder: cannot create" 1
expect_match "read-only folder: says why" "$ERR" "cannot make the folder .*Permission denied"
chmod 755 "$ro"

# ---- two writers at once ---------------------------------------------------------------
par=$T_TMP/par.db
"$TB" --db "$par" init --unit 360730105000 >/dev/null
pids=""
for i in $(seq 1 8); do
	( for j in $(seq 1 5); do
		"$TB" --db "$par" set --unit 3607301052$(printf '%02d' "$i") --period 2026 v_rep_total=$((i * 10 + j)) >/dev/null || echo FAIL
	  done ) >"$T_TMP/par.$i" 2>&1 &
	pids="$pids $!"
done
wait $pids
expect_eq "eight processes writing at once: none failed" "$(cat "$T_TMP"/par.* | grep -c FAIL)" "0"
expect_eq "every last value is there" "$("$TB" --db "$par" dump | grep -c ',v_rep_total,[0-9]*5,')" "8"
expect_eq "integrity" "$(sqlite3 "$par" 'PRAGMA integrity_check')" "ok"
expect_eq "40 audit rows of values" "$(sqlite3 "$par" "SELECT count(*) FROM audit WHERE reason = 'typed'")" "40"

# ---- status, complete, log ---------------------------------------------------------------
"$TB" set --unit $V2 --period 2026 v_vc_total=5 v_vc_female=6 >/dev/null 2>&1
run "$TB" set --unit $V2 --period 2026 v_vc_total=5 v_vc_female=4 v_vc_chair_female=1 v_pb_total=5 v_pb_female=1 \
	v_pb_sec_female=0 v_yijiantiao=1 v_wf_chair_in_2c=1 v_rep_total=30 v_rep_female=12 v_children_0_17=200 \
	v_left_behind=300 v_child_director=1 v_children_home=0 v_filled_by=李四 v_filled_on=2026-12-20
expect_rc "a whole form" 0
run "$TB" status --period 2026 --unit $V2
expect_match "status: state and count" "$OUT" "360730105202 +2026 +village +in progress +16/17 +0 to fill, 2 error"
expect_match "status: the cross-field error" "$OUT" "error: \[v_yijiantiao\] When one person is both"
expect_match "status: left-behind error" "$OUT" "error: \[v_left_behind\]"
run "$TB" complete --unit $V2 --period 2026 --form village
expect_rc "complete refused with errors" 1
expect_match "complete lists the errors" "$ERR" "has 2 error\(s\) and cannot be completed"
run "$TB" set --unit $V2 --period 2026 v_pb_sec_female=1 v_left_behind=30
run "$TB" complete --unit $V2 --period 2026 --form village
expect_rc "complete once fixed" 0
expect_match "complete names the warning left" "$OUT" "complete \(1 warning\(s\)\)"
run "$TB" status --period 2026 --unit $V2
expect_match "status says complete" "$OUT" "village +complete +16/17 +0 to fill, 0 error"
run "$TB" set --unit $V2 --period 2026 v_rep_female=13
run "$TB" status --period 2026 --unit $V2
expect_match "a change reopens a complete form" "$OUT" "village +in progress"
run "$TB" log --unit $V2
expect_match "log: typed values" "$OUT" "v_vc_female: \(empty\) -> 6  \[typed, 王会计\]"
expect_match "log: old and new value" "$OUT" "v_vc_female: 6 -> 4"
expect_match "log: completion" "$OUT" "village: progress -> complete  \[completed, 王会计\]"
expect_match "log: reopening" "$OUT" "village: complete -> progress  \[reopened, 王会计\]"
run "$TB" log --since 2099-01-01
expect_rc "log --since a date to come" 0
expect_eq "log --since filters" "$OUT" ""
# A unit with nothing to show says so: a mistyped code is an unknown unit (1), a known
# unit without changes is told on stderr, not left to an empty screen.
run "$TB" log --unit 36073010520
expect_rc "log --unit with a mistyped code" 1
expect_match "log: the mistyped code is an unknown unit" "$ERR" "unknown unit '36073010520': it is not in .*units.ini"
run "$TB" log --unit $V2 --since 2099-01-01
expect_rc "log: a known unit with nothing since the date" 0
expect_match "log: says nothing is recorded since the date" "$ERR" "no change of $V2 is recorded since 2099-01-01"
run "$TB" complete --unit $V2 --period 2026 --form village extra
expect_rc "complete with an extra argument" 2
expect_match "complete: the extra argument named" "$ERR" "complete: unexpected argument 'extra'"
run "$TB" log --since yesterday
expect_rc "log --since with a bad date" 2
# A date the stamps would compare with wrongly as text is refused, not silently misread
# (2026-3-1 sorts after 2026-12-01, so it would hide this year's changes).
# 2025-02-29: no such day (2025 is no leap year), refused as a date field and a file's
# times refuse it (lib/clock.c: date_valid is the one rule for a real date).
for bad in 2026-3-1 2026-13-01 2026-02-30 2025-02-29 2026xyz 2026-03-01x 2026-03-01T25:00; do
	run "$TB" log --since "$bad"
	expect_rc "log --since $bad is refused" 2
	expect_match "log --since $bad: says what to write" "$ERR" "--since takes a date such as 2026-03-01, not '$bad'"
done
for good in 2026 2026-01 2026-01-01 2024-02-29 2026-01-01T00:00 2026-01-01T00:00:00Z; do
	run "$TB" log --since "$good"
	expect_match "log --since $good lists this year's changes" "$OUT" "v_vc_female: 6 -> 4"
done

# ---- storage settings ----------------------------------------------------------------------
expect_eq "journal mode is WAL" "$(sqlite3 "$TIANBAO_DB" 'PRAGMA journal_mode')" "wal"
expect_eq "application id is tianbao's" "$(sqlite3 "$TIANBAO_DB" 'PRAGMA application_id')" "1413628994"
expect_eq "integrity after all of the above" "$(sqlite3 "$TIANBAO_DB" 'PRAGMA integrity_check')" "ok"

# ---- default location ------------------------------------------------------------------------
home=$T_TMP/home; mkdir -p "$home"
run env -u TIANBAO_DB HOME="$home" XDG_DATA_HOME= "$TB" init --unit $V1
check "default database under ~/.local/share/tianbao" test -s "$home/.local/share/tianbao/tianbao.db"
run env -u TIANBAO_DB HOME="$home" XDG_DATA_HOME="$home/xdg" "$TB" init --unit $V1
check "XDG_DATA_HOME honoured" test -s "$home/xdg/tianbao/tianbao.db"
run env TIANBAO_DB="$home/env.db" "$TB" --db "$home/opt.db" init --unit $V1
check "--db beats TIANBAO_DB" test -s "$home/opt.db"
check "TIANBAO_DB not created when --db is given" test ! -e "$home/env.db"
run "$TB" --db /media/stick/tianbao.db init --unit $V1
expect_rc "a live database on removable media is refused" 1
expect_match "removable media: says what to do" "$ERR" "USB stick.*tianbao export"

# ---- migration from schema version 1 (tests/fixtures/v1.db, written by version 1) ------------
mig=$T_TMP/mig; mkdir -p "$mig"; cp "$ROOT/tests/fixtures/v1.db" "$mig/old.db"
v1dump=$(cat <<'CSV'
unit,period,form,field,value,updated_at,updated_by
360730105201,2025,village,v_vc_female,2,2026-11-29T11:53:23Z,王会计
360730105201,2025,village,v_vc_total,5,2026-11-29T11:53:23Z,王会计
360730105202,2025,village,v_vc_female,1,2026-11-29T11:53:23Z,王会计
360730105202,2025,village,v_vc_total,6,2026-11-29T11:53:23Z,王会计
CSV
)
run "$TB" --db "$mig/old.db" dump
expect_rc "an old database opens" 0
expect_eq "its values survive the upgrade" "$OUT" "$v1dump"
expect_eq "upgraded to the current version" "$(sqlite3 "$mig/old.db" 'PRAGMA user_version')" "6"
check "a backup copy was made first" test -s "$mig/old.db.v1.bak"
expect_eq "the backup is the old version" "$(sqlite3 "$mig/old.db.v1.bak" 'PRAGMA user_version')" "1"
expect_eq "the backup holds the same values" "$("$TB" --db "$mig/old.db.v1.bak" dump 2>/dev/null | sed 1d | wc -l)" "4"
expect_eq "candidates filled from the old values" "$(sqlite3 "$mig/old.db" 'SELECT count(*) FROM candidates')" "5"
expect_eq "audit trail kept" "$(sqlite3 "$mig/old.db" 'SELECT count(*) FROM audit')" "7"
expect_eq "form states kept, set by this installation" \
	"$(sqlite3 "$mig/old.db" "SELECT group_concat(unit || ' ' || state || ' ' || changed_by, ', ') FROM form_state WHERE installation = (SELECT value FROM meta WHERE key = 'installation_id')")" \
	"360730105201 progress 王会计, 360730105202 progress 王会计"
expect_eq "integrity after the upgrade" "$(sqlite3 "$mig/old.db" 'PRAGMA integrity_check')" "ok"
run "$TB" --db "$mig/old.db" set --unit 360730105201 --period 2025 v_vc_total=6
expect_rc "the upgraded database takes new values" 0
expect_eq "the old installation keeps counting revisions" \
	"$(sqlite3 "$mig/old.db" "SELECT revision FROM vals WHERE unit = '360730105201' AND field = 'v_vc_total'")" "2"

# ---- migration from schema version 3 (tests/fixtures/v3.db): the audit table made anew ----
cp "$ROOT/tests/fixtures/v3.db" "$mig/v3.db"
audit_rows() { sqlite3 "$1" "SELECT id, at, unit, period, form, field, old_value, new_value, by_operator, installation, reason, source FROM audit ORDER BY id"; }
audit_before=$(audit_rows "$mig/v3.db")
run "$TB" --db "$mig/v3.db" dump
expect_rc "a version 3 database opens" 0
expect_eq "version 3 upgraded to the current version" "$(sqlite3 "$mig/v3.db" 'PRAGMA user_version')" "6"
expect_eq "every audit row kept, ids and all" "$(audit_rows "$mig/v3.db")" "$audit_before"
expect_eq "version 3: integrity after the upgrade" "$(sqlite3 "$mig/v3.db" 'PRAGMA integrity_check')" "ok"
expect_eq "the audit index is back" "$(sqlite3 "$mig/v3.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_by_unit'")" "1"
run sqlite3 "$mig/v3.db" "INSERT INTO audit (at, unit, period, form, field, by_operator, installation, reason) VALUES ('x', 'u', '2025', 'f', 'v', 'o', 'i', 'guessed')"
expect_match "an unknown reason is still refused" "$ERR" "CHECK constraint failed"
run sqlite3 "$mig/v3.db" "INSERT INTO audit (at, unit, period, form, field, by_operator, installation, reason) VALUES ('x', 'u', '', '', '', 'o', 'i', 'unit_set')"
expect_rc "the upgraded audit trail takes a change of unit (schema version 5)" 0
run sqlite3 "$mig/v3.db" "INSERT INTO audit (at, unit, period, form, field, by_operator, installation, reason) VALUES ('x', 'u', '2025', 'f', 'v', 'o', 'i', 'undone')"
expect_rc "and a decision taken back (schema version 6)" 0
# An audit row is written with every value; an IN list of more than two values in its
# CHECK made SQLite build a temporary index for each row (a third of a merge's time).
audit_plan() { sqlite3 "$1" "EXPLAIN INSERT INTO audit (at, unit, period, form, field, by_operator, installation, reason) VALUES ('x', 'u', '2025', 'f', 'v', 'o', 'i', 'typed')" | grep -c OpenEphemeral; }
expect_eq "an audit row builds no temporary index (upgraded database)" "$(audit_plan "$mig/v3.db")" "0"
"$TB" --db "$mig/fresh.db" init --unit 360730105201 >/dev/null 2>&1
expect_eq "an audit row builds no temporary index (new database)" "$(audit_plan "$mig/fresh.db")" "0"
run "$TB" --db "$mig/v3.db" set --unit 360730105201 --period 2025 v_vc_total=7
expect_rc "the upgraded version 3 database takes new values" 0
expect_eq "and audits them" "$(sqlite3 "$mig/v3.db" "SELECT reason || ' ' || old_value || ' ' || new_value FROM audit ORDER BY id DESC LIMIT 1")" "typed 5 7"

# A migration that fails midway changes nothing: here the old file already has a table
# the upgrade wants to create.
cp "$ROOT/tests/fixtures/v1.db" "$mig/clash.db"
sqlite3 "$mig/clash.db" "CREATE TABLE merges (x)"
sum=$(sha256sum "$mig/clash.db" | cut -d' ' -f1)
run "$TB" --db "$mig/clash.db" dump
expect_rc "a failing upgrade is refused" 1
expect_match "the failing upgrade is explained" "$ERR" "upgrading from schema version 1 failed \(a copy was kept in .*clash.db.v1.bak\)"
expect_eq "still version 1" "$(sqlite3 "$mig/clash.db" 'PRAGMA user_version')" "1"
expect_eq "no half upgrade: no candidates table" "$(sqlite3 "$mig/clash.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'candidates'")" "0"

# ---- found in review: copies, special files, the clock, vanished units, conflicts ----------
rv=$T_TMP/review; mkdir -p "$rv"
"$TB" --db "$rv/a.db" init --unit $V1 --operator 甲 >/dev/null
"$TB" --db "$rv/a.db" set --period 2025 v_vc_total=5 >/dev/null
ida=$(sqlite3 "$rv/a.db" "SELECT value FROM meta WHERE key = 'installation_id'")
cp "$rv/a.db" "$rv/b.db"
run "$TB" --db "$rv/b.db" set --period 2025 v_vc_total=6
expect_rc "a copied database still takes values" 0
expect_match "it says it was copied and takes a new installation id" "$ERR" "was copied or restored from a backup, so it now has installation id"
idb=$(sqlite3 "$rv/b.db" "SELECT value FROM meta WHERE key = 'installation_id'")
check "the copy's installation id differs from the original's" test "$ida" != "$idb"
expect_eq "the copy remembers where it came from" "$(sqlite3 "$rv/b.db" "SELECT value FROM meta WHERE key = 'copied_from'")" "$ida"
expect_eq "the value typed in the copy is its own candidate" \
	"$(sqlite3 "$rv/b.db" "SELECT installation FROM vals WHERE field = 'v_vc_total'")" "$idb"
run "$TB" --db "$rv/b.db" set --period 2025 v_vc_total=7
expect_no_match "the note is said once" "$ERR" "copied or restored"
run "$TB" --db "$rv/a.db" set --period 2025 v_vc_total=4
expect_eq "the original keeps its id" "$(sqlite3 "$rv/a.db" "SELECT value FROM meta WHERE key = 'installation_id'")" "$ida"
mv "$rv/a.db" "$rv/a-moved.db"
run "$TB" --db "$rv/a-moved.db" set --period 2025 v_vc_total=3
expect_no_match "a database renamed on the same disk is not a copy" "$ERR" "copied or restored"

mkfifo "$rv/fifo.db"
run timeout 10 "$TB" --db "$rv/fifo.db" init --unit $V1
expect_rc "--db naming a pipe: refused, not hung" 1
expect_match "it says it is not a regular file" "$ERR" "fifo.db is not a regular file"
run "$TB" --db /dev/null dump
expect_rc "--db /dev/null: refused" 1
expect_match "it says so" "$ERR" "/dev/null is not a regular file"
ln -s "$rv/b.db" "$rv/link.db"
run "$TB" --db "$rv/link.db" dump
expect_rc "--db naming a symbolic link: refused" 1
expect_match "it asks for the file itself" "$ERR" "link.db is a symbolic link: give the path of the database file itself"

run env ASAN_OPTIONS=verify_asan_link_order=0 faketime '1999-06-01 10:00:00' "$TB" --db "$rv/b.db" set --period 2025 v_vc_total=5
expect_rc "a clock before this tianbao was made: refused" 1
expect_match "it names the clock's date and says what to do" "$ERR" "clock says 1999-06-01, before this tianbao was made .* Set the date and time"
expect_eq "nothing was saved with the wrong clock" "$(sqlite3 "$rv/b.db" "SELECT value FROM vals WHERE field = 'v_vc_total'")" "7"

mkdir -p "$rv/forms"
cp "$ROOT"/forms/*.ini "$rv/forms/"
sed -i '/^\[village.360730105201\]/,/^$/d' "$rv/forms/units.ini"
run "$TB" --db "$rv/b.db" --forms "$rv/forms" set --unit $V2 --period 2025 v_vc_total=5
expect_rc "a village whose code left units.ini is not treated as a township" 1
expect_match "it says its unit is no longer listed" "$ERR" "reports for unit 360730105201, which .* no longer lists"
# ... nor without --unit, where the unit meant is the installation's own: set said
# "--unit CODE is required (this installation is not set to one village or department)"
# and status listed every other unit, as for a township.
run "$TB" --db "$rv/b.db" --forms "$rv/forms" set --period 2025 v_vc_total=5
expect_rc "without --unit: set refuses the unlisted unit as a data problem" 1
expect_match "without --unit: set names the unit and the units file" "$ERR" "unknown unit '360730105201': it is not in .*/units.ini"
run "$TB" --db "$rv/b.db" --forms "$rv/forms" status --period 2025
expect_rc "without --unit: status refuses the unlisted unit" 1
expect_no_match "without --unit: status does not list the township's units" "$OUT" "Hongqi Village"
run "$TB" --db "$rv/b.db" --forms "$rv/forms" complete --period 2025 --form village
expect_rc "without --unit: complete refuses the unlisted unit" 1
# A township without --unit: told to give one, and nothing leaks (the sanitizer build
# exits 23 on a leak).
"$TB" --db "$rv/twp.db" init --unit 360730105000 >/dev/null
run "$TB" --db "$rv/twp.db" set --period 2025 v_vc_total=5
expect_rc "township set without --unit: a usage mistake" 2
expect_match "township set without --unit: says so" "$ERR" "--unit CODE is required"
run "$TB" --db "$rv/twp.db" complete --period 2025 --form village
expect_rc "township complete without --unit: a usage mistake" 2

mkdir -p "$rv/ffifo"
cp "$ROOT"/forms/*.ini "$rv/ffifo/"
mkfifo "$rv/ffifo/99-pipe.ini"
run timeout 10 "$TB" check-forms "$rv/ffifo"
expect_rc "a pipe among the forms: reported, not hung" 1
expect_match "it names the pipe" "$OUT" "99-pipe.ini.*not a regular file"

# Completing a form with a value in conflict is refused.
"$TB" --db "$rv/v1.db" init --unit $V1 --operator 甲 >/dev/null
"$TB" --db "$rv/v2.db" init --unit $V1 --operator 乙 >/dev/null
"$TB" --db "$rv/v1.db" set --period 2025 v_vc_total=5 >/dev/null
"$TB" --db "$rv/v2.db" set --period 2025 v_vc_total=6 >/dev/null
"$TB" --db "$rv/t.db" init --unit 360730105000 >/dev/null
mkdir -p "$rv/s1" "$rv/s2"
"$TB" --db "$rv/v1.db" export --out "$rv/s1" >/dev/null
"$TB" --db "$rv/v2.db" export --out "$rv/s2" >/dev/null
"$TB" --db "$rv/t.db" merge "$rv/s1" "$rv/s2" >/dev/null
"$TB" --db "$rv/t.db" set --unit $V1 --period 2025 v_vc_female=2 v_vc_chair_female=0 v_pb_total=5 v_pb_female=1 \
	v_pb_sec_female=0 v_yijiantiao=0 v_wf_chair_in_2c=1 v_rep_total=30 v_rep_female=10 v_children_0_17=100 \
	v_left_behind=10 v_child_director=1 v_children_home=1 v_filled_by=丙 v_filled_on=2025-12-01 >/dev/null
run "$TB" --db "$rv/t.db" complete --unit $V1 --period 2025 --form village
expect_rc "completing a form with a value in conflict is refused" 1
expect_match "it says to decide the conflict first" "$ERR" "1 value\(s\) in conflict between copies: decide them first"

done_testing
