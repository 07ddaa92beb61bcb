#!/usr/bin/env bash
# The data-entry screens, end to end: the real binary in a pseudo-terminal under libvterm
# (tests/tools/vtdrive.c), keys typed, the screen and `tianbao dump` checked.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
DB=$T_TMP/v.db

# vt: runs a vtdrive script (stdin); its TAP lines count as this test's.
vt() { "$VT"; }
# The stored values, one "unit,period,form,field,value" per line (read as CSV, so a
# value with a comma or a quote stays one value).
dump() {
	"$TB" --db "$DB" dump | /usr/bin/python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print(",".join([r["unit"], r["period"], r["form"], r["field"], r["value"]]))'
}
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.lock"; "$TB" --db "$DB" init --unit "$1" --operator 测试员 >/dev/null; }

# ---- 1. a whole form: enter, quit, reopen; every value there and on dump -----------------
fresh $V1
vt <<EOF
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
wait 村级妇女儿童发展纲要监测表
key Enter
wait 村委会成员数
type 5
key Tab
type 2
key Tab
type 0
key Enter
type 5
key Down
type 1
key Tab
type 0
key Tab
type 1
key Tab
type 1
key Tab
type 36
key Tab
type 13
key Tab
type 412
key Tab
type 57
key Tab
type 1
key Tab
type 1
key Tab
type 李秀英
key Tab
type 2026-12-28
key Tab
type 村委会换届, "二组"
key Tab
expect 40.0
expect 36.1
key F10
wait 17/17
expect_not 个错误
expect_not 个警告
key Esc
key Esc
expect_exit 0
expect_term_restored
EOF
expected="$V1,2026,village,v_child_director,1
$V1,2026,village,v_children_0_17,412
$V1,2026,village,v_children_home,1
$V1,2026,village,v_filled_by,李秀英
$V1,2026,village,v_filled_on,2026-12-28
$V1,2026,village,v_left_behind,57
$V1,2026,village,v_notes,村委会换届, \"二组\"
$V1,2026,village,v_pb_female,1
$V1,2026,village,v_pb_sec_female,0
$V1,2026,village,v_pb_total,5
$V1,2026,village,v_rep_female,13
$V1,2026,village,v_rep_total,36
$V1,2026,village,v_vc_chair_female,0
$V1,2026,village,v_vc_female,2
$V1,2026,village,v_vc_total,5
$V1,2026,village,v_wf_chair_in_2c,1
$V1,2026,village,v_yijiantiao,1"
expect_eq "every value typed is stored (dump)" "$(dump)" "$expected"
vt <<EOF
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
wait 17/17
key Enter
wait 村委会成员数
expect_at 2 37 5
expect_at 3 37 2
expect 36.1
expect 40.0
key PgDn
wait 李秀英
expect 二组
key C-x
key C-x
key C-x
expect_exit 0
EOF

# ---- 2. a wrong-type value stays in its field with its message, and is not stored --------
fresh $V1
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
type 5x
key Tab
wait is not a whole number
expect Not saved: '5x' is not a whole number
expect_cursor_after 5x
key Down
expect Not saved: '5x' is not a whole number
key BS
type 9
key Tab
wait 59 is out of range
key BS
key BS
key BS
type 6
key Tab
wait Saved: Village committee members = 6
key Esc
key Esc
key Esc
expect_exit 0
EOF
expect_eq "only the valid value was stored" "$(dump)" "$V1,2026,village,v_vc_total,6"

# Esc on a field being typed in puts its saved value back (as in a spreadsheet), saying
# what was not kept; Esc again leaves the form.
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
type 7
expect_at 2 37 7
expect_not 67
key Esc
wait '7' was not saved: the field is back to its saved value.
expect_at 2 37 6
type abc
key Esc
wait 'abc' was not saved: the field is back to its saved value.
expect_at 2 37 6
key Esc
wait Village women's and children
key Esc
key Esc
expect_exit 0
EOF
expect_eq "the discarded text was not stored" "$(dump)" "$V1,2026,village,v_vc_total,6"

# 填表人 is offered the operator's name; the help (F1) says how to write a date; the date
# field, offered today, takes a date as people write it (typing replaces what was
# offered), stored as 2025-12-28.
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
key PgDn
wait text, at most 20 characters
expect Filled in by                       测试员
key Tab
wait Saved: Filled in by = 测试员
expect Date filled in                     $(date +%F)
key F1
wait Answer: a date, year first: 2025-12-28, 2025年12月28日 or 20251228
key Esc
waitgone Answer:
type 2025年12月28日
expect 2025年12月28日
key Tab
wait Saved: Date filled in = 2025-12-28
key Esc
key Esc
key Esc
expect_exit 0
EOF
expect_eq "the date typed in Chinese is stored year-month-day" "$(dump | grep v_filled_on)" "$V1,2026,village,v_filled_on,2025-12-28"

# ---- 3. a cross-field error shows, blocks completing; completing works once fixed ----------
fresh $V1
"$TB" --db "$DB" set --period 2026 v_vc_total=5 v_vc_female=2 v_vc_chair_female=1 v_pb_total=5 v_pb_female=2 \
	v_pb_sec_female=1 v_yijiantiao=1 v_wf_chair_in_2c=1 v_rep_total=30 v_rep_female=10 v_children_0_17=100 \
	v_left_behind=10 v_child_director=1 v_children_home=1 v_filled_by=甲 v_filled_on=2026-12-01 >/dev/null
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
key Tab
key BS
type 6
key Tab
wait Women on the committee cannot outnumber its members
expect 1 error(s)
key F2
wait Review
expect Women on the committee cannot outnumber its members
key F2
wait Cannot complete: 1 error(s) remain
key Enter
wait Village committee members
expect_cursor 3 38
key BS
type 2
key Tab
wait 0 error(s)
key C-r
wait No errors and no warnings
key C-r
wait The form is marked complete
expect complete
key Esc
wait complete
key Esc
key Esc
expect_exit 0
EOF
run "$TB" --db "$DB" status --period 2026
expect_match "the form is complete in the database" "$OUT" "village +complete +16/17"
run sqlite3 "$DB" "SELECT count(*) FROM audit WHERE reason = 'completed'"
expect_eq "completion is in the audit trail" "$OUT" "1"

# ---- 4. Chinese: typed text stored exactly, drawn in the right columns; aligned inputs ----
fresh $V1
vt <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
key Enter
wait 村委会成员数
expect_col 村委会成员数 2
expect_col 其中：女性成员数 2
expect_col 0—17岁儿童数 2
key Down 14
wait 填表人
type 张桂兰
expect_cursor_after 张桂兰
key Left
key Left
type 王
expect_cursor_after 张王
key End
expect_cursor_after 张王桂兰
key Tab
type 2026-01-05
key Tab
type 东风村一组：妇女主任兼任，😀
key Tab
wait 2026-01-05
expect 张王桂兰
key C-x
key C-x
key C-x
expect_exit 0
EOF
run "$TB" --db "$DB" dump --unit $V1
expect_match "Chinese text stored exactly" "$OUT" ",v_filled_by,张王桂兰,"
expect_match "a long Chinese note with an emoji stored exactly" "$OUT" ",v_notes,东风村一组：妇女主任兼任，😀,"

# Inputs line up at one column whatever the width of the Chinese labels before them.
"$TB" --db "$DB" set --period 2026 v_vc_total=5 v_vc_female=2 v_pb_total=7 v_pb_female=1 v_rep_total=36 \
	v_rep_female=12 v_children_0_17=412 v_left_behind=57 >/dev/null
vt <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
key Enter
wait 村委会成员数
key Esc
key Enter
wait 村委会成员数
expect_at 2 2 村委会成员数
expect_at 2 37 5
expect_at 3 2 其中：女性成员数
expect_at 3 37 2
expect_at 6 2 村党组织委员数
expect_at 6 37 7
expect_at 13 2 村民代表人数
expect_at 13 37 36
expect_at 17 2 0—17岁儿童数
expect_at 17 37 412
expect_at 18 37 57
expect_at 4 37 40.0
expect_at 2 50 人
expect_at 3 50 人
expect_at 4 50 %
expect_at 18 50 人
key C-x
key C-x
key C-x
expect_exit 0
EOF

# Long labels are cut with "…" at a column, never inside a character.
mkdir -p "$T_TMP/forms"
cp "$ROOT"/forms/*.ini "$T_TMP/forms/"
sed -i 's/^label = 村委会成员数$/label = 村民委员会成员总数（含主任、副主任和委员，按换届结果）/' "$T_TMP/forms/10-village.ini"
vt <<EOF
size 80 24
spawn $TB --lang zh --db $DB --forms $T_TMP/forms
wait 东风村
key Enter
key Enter
wait 村民委员会成员总数
expect_at 2 2 村民委员会成员总数（含主任、副主…
expect_at 2 34 …
expect_at 2 37 5
key C-x
key C-x
key C-x
expect_exit 0
EOF

# ---- 5. resizing while typing: 120x40 -> 80x24 -> 60x15 -> back; nothing lost -----------
fresh $V1
vt <<EOF
size 120 40
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
type 7
resize 80 24
wait Village committee members
expect_cursor 2 38
type 3
resize 60 15
wait The window is too small: 60x15.
expect tianbao needs at least 80x24.
expect Esc: leave tianbao
resize 120 40
wait Village committee members
expect_cursor_after 73
key BS
key Tab
wait Saved: Village committee members = 7
resize 80 24
wait Village committee members
key C-x
key C-x
key C-x
expect_exit 0
EOF
expect_eq "the text typed across resizes is what was saved" "$(dump)" "$V1,2026,village,v_vc_total,7"

# ---- 6. SIGKILL in the middle of a form: what was left before the kill is there -----------
fresh $V1
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
type 6
key Tab
type 3
key Tab
type 1
key Tab
wait Saved
type 9
signal KILL
expect_exit 137
EOF
expect_eq "values left before SIGKILL survive; the one being typed is not half-stored" "$(dump)" \
"$V1,2026,village,v_vc_chair_female,1
$V1,2026,village,v_vc_female,3
$V1,2026,village,v_vc_total,6"
expect_eq "integrity after SIGKILL" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
wait 3/17
key Esc
key Esc
expect_exit 0
EOF

# ---- SIGTERM, SIGHUP, Ctrl-C: database intact, terminal restored, valid text kept ----------
for how in TERM HUP CTRLC; do
	fresh $V1
	if [ $how = CTRLC ]; then stop="key C-c"; else stop="signal $how"; fi
	vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
type 4
$stop
expect_exit 0
expect_term_restored
EOF
	expect_eq "$how: the value being typed is saved on the way out" "$(dump)" "$V1,2026,village,v_vc_total,4"
	expect_eq "$how: integrity" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
done

# ---- 7. the key bar's Ctrl alternatives ------------------------------------------------------
fresh $V1
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
expect F1/^G
expect Esc/F10/^X quit
key Enter
wait Enter open
expect F3/^E
expect F6/^K conflicts
key C-g
wait Choose a form with
key C-x
wait Enter open
key Enter
wait Village committee members
expect F2/^R
expect F10/^X
key C-g
wait The committee has three to seven members
expect Keys
key C-x
wait Village committee members
key C-r
wait Review
key C-x
wait Village committee members
key C-l
wait Village committee members
key C-n
type 3
key C-p
wait Saved: of whom women = 3
key C-x
wait Enter open
key C-x
wait Period
key C-x
expect_exit 0
EOF

# ---- moving between fields reads nothing; leaving a changed field writes only that value --
fresh $V1
log=$T_TMP/sql.log
vt <<EOF
env TIANBAO_SQL_LOG=$log
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
sleep 200
snapshot $log
key Down 6
key Up 3
key PgDn
key PgUp
sleep 200
snapshot $log
type 5
key Tab
wait Saved
snapshot $log
key C-x
key C-x
key C-x
expect_exit 0
EOF
read -r m1 m2 m3 <<<"$(tr '\n' ' ' <"$log.marks")"
expect_eq "moving between fields without typing runs no statement" "$((m2 - m1))" "0"
writes=$(sed -n "$((m2 + 1)),${m3}p" "$log")
expect_eq "leaving a changed field: one transaction" "$(grep -c '^BEGIN' <<<"$writes")" "1"
expect_match "it writes that one value" "$writes" "^INSERT INTO vals .*'village', '5'"
expect_no_match "it does not reload the form's values" "$writes" "SELECT field, value, comment FROM vals"
expect_eq "it reads no other value" "$(grep -c '^SELECT value, conflict, comment FROM vals' <<<"$writes")" "1"

# ---- help: the field's help text and the source of its target ---------------------------------
vt <<EOF
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
key Enter
wait 村委会成员数
key Down
key F1
wait 村委会成员中女性比例
expect 《中国妇女发展纲要(2011—2020年)》
expect 未核实
key Esc
key Esc
key Esc
key Esc
expect_exit 0
EOF

# ---- skip logic: fields disappear and reappear as answers change ----------------------------
fresh $V1
vt <<EOF
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
key Enter
wait 村委会成员数
key Down 10
type 0
expect_not 其中：农村留守儿童数
key Tab
expect_not 其中：农村留守儿童数
key Up
key BS
type 30
expect 其中：农村留守儿童数
key Tab
expect_cursor 18 37
key C-x
key C-x
key C-x
expect_exit 0
EOF

# ---- a long form scrolls and keeps the current field in view ----------------------------------
fresh 360730105-hc
vt <<EOF
spawn $TB --lang zh --db $DB
wait 卫生院
key Enter
key Enter
wait 其中：男婴
key PgDn 6
wait 填表人
key Up 2
type 王医生
key Tab
wait 王医生
key PgUp 8
wait 其中：男婴
key C-x
key C-x
key C-x
expect_exit 0
EOF
run "$TB" --db "$DB" dump
expect_match "a field at the end of a long form was reached and saved" "$OUT" ",hc_filled_by,王医生,"

# ---- bytes that are not UTF-8 (a GBK input method, an 8-bit Alt key) swallow no keys -------
# Each bad byte is dropped alone: the keys typed right after it (text, Tab, Esc) still arrive.
# (A database of its own: the tests below go on with the one before.)
db_before=$DB
DB=$T_TMP/bytes.db
fresh $V1
vt <<EOF
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
key Enter
wait Village committee members
key Down 16
raw a\xffb\xc3(c\xed\xa0\x80d\xe4\xb8
type 注Z
key Tab
wait Saved: Notes = ab(cd注Z
key Esc
key Esc
key Esc
expect_exit 0
EOF
expect_eq "only the valid characters around the bad bytes are stored" "$(dump | grep v_notes)" "$V1,2026,village,v_notes,ab(cd注Z"
# On the way, 填表人 and 填表日期 were offered the operator and today (prefill =), and kept.
expect_eq "the filler passed through is the operator" "$(dump | grep v_filled_by)" "$V1,2026,village,v_filled_by,测试员"
expect_eq "the date passed through is today" "$(dump | grep v_filled_on)" "$V1,2026,village,v_filled_on,$(date +%F)"
DB=$db_before

# ---- terminals and locales -----------------------------------------------------------------
# LANG=C says nothing about characters: the screens draw in UTF-8 (C.UTF-8), in Chinese.
# (An installed locale of another character set is refused: tests/cli/i18n.sh.)
vt <<EOF
env LANG=C
env LC_ALL=C
env TIANBAO_LANG=
spawn $TB --db $DB
wait 卫生院(计生办)（360730105-hc，部门）
key Esc
expect_exit 0
EOF
for term in vt100 linux xterm-256color; do
	vt <<EOF
env TERM=$term
env NO_COLOR=1
spawn $TB --lang en --db $DB
wait Township Hospital
key C-x
expect_exit 0
EOF
done
# TERM=vt100 in a terminal that sends xterm's keys: F5 in a form types nothing, F2 opens
# the review (vt100's entry knows neither: "5~" was typed into the field).
vt <<EOF
env TERM=vt100
spawn $TB --lang en --db $DB
wait Township Hospital
key Enter
wait Enter open
key Enter
wait Live births
key F5
settle
expect_not 5~
key F2
wait Review: Township hospital
key C-x
key C-x
key C-x
key C-x
expect_exit 0
EOF
vt <<EOF
env TERM=linux
spawn $TB --lang en --db $DB
wait Township Hospital
raw \r
wait Enter open
raw \r
wait Live births
raw 12\t
wait Saved
raw \e[[A
wait Keys
raw \x18
raw \x18
raw \x18
raw \x18
expect_exit 0
EOF

# A form whose one value was set and then cleared again: it was worked on, so every
# screen and command says it is in progress (core/form_status.c), the form's own title
# included (it said empty while the list, status and the reports said in progress).
fresh $V1
"$TB" --db "$DB" set --period 2026 v_vc_total=5 >/dev/null
"$TB" --db "$DB" set --period 2026 v_vc_total= >/dev/null
run "$TB" --db "$DB" --lang en status --period 2026
expect_match "set then cleared: status says in progress" "$OUT" "^.*$V1 +2026 +village +in progress +0/17"
run "$TB" --db "$DB" --lang en report --period 2026 --kind completeness
expect_match "set then cleared: the completeness report says in progress" "$OUT" "Dongfeng Village.* in progress"
vt <<EOF
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
wait 村级妇女儿童发展纲要监测表
expect 填写中
key Enter
wait 村委会成员数
expect 填写中  0/17
expect_not 未填
key Esc
key Esc
key Esc
expect_exit 0
EOF

# A terminal that cannot address the cursor gets a message, not a key bar on a blank screen.
vt <<EOF
env TERM=dumb
spawn $TB --lang en --db $DB
wait cannot draw screens; try TERM=xterm
expect_exit 1
EOF

# Two windows on one database: the second waits briefly, then says so.
(
	exec 9>"$DB.lock"
	flock 9
	start=$(date +%s%N)
	"$TB" --db "$DB" --lang en >"$T_TMP/second.out" 2>&1 </dev/null
	echo "$? $((($(date +%s%N) - start) / 1000000))" >"$T_TMP/second.rc"
)
read -r rc ms <"$T_TMP/second.rc"
expect_eq "a second window on the same database is refused" "$rc" "1"
expect_match "it says the database is open in another window" "$(cat "$T_TMP/second.out")" "already open in another tianbao window"
check "it waited briefly first (${ms} ms)" test "$ms" -ge 1500

done_testing
