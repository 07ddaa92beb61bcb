#!/usr/bin/env bash
# A comment on a value ("村委会换届后人数待核实"): set with `set --comment`, kept when the
# value is retyped, refused when it is not one short line, in the audit trail, carried by
# the export (version 4) and merged with its value (repeats change nothing, a new comment
# is an update), shown beside both values of a conflict and taken with the value a
# decision takes, and in the reports: text, the by-unit CSV, the DHIS2 comment column and
# the spreadsheet's cell notes (read back with openpyxl).
. "$(dirname "$0")/../lib.sh"

V1=360730105201   # 东风村
TWP=360730105000
export TIANBAO_LANG=zh
vdb=$T_TMP/village.db
v2db=$T_TMP/village-2.db
tdb=$T_TMP/township.db
stick=$T_TMP/stick
mkdir -p "$stick"
com() { sqlite3 "$1" "SELECT quote(comment) FROM vals WHERE unit = '$V1' AND field = '$2'"; }

"$TB" --db "$vdb" init --unit $V1 --operator 李秀英 >/dev/null
run "$TB" --db "$vdb" set --period 2025 v_vc_total=5 v_vc_female=2 --comment "村委会换届后人数待核实"
expect_rc "a value with a comment is saved" 0
expect_eq "the comment is stored with each value given" "$(com "$vdb" v_vc_total) $(com "$vdb" v_vc_female)" \
	"'村委会换届后人数待核实' '村委会换届后人数待核实'"
run "$TB" --db "$vdb" set --period 2025 v_vc_total=6
expect_eq "retyping the value keeps its comment" "$(com "$vdb" v_vc_total)" "'村委会换届后人数待核实'"
run "$TB" --db "$vdb" set --period 2025 v_vc_female=2 --comment ""
expect_eq "--comment '' removes it" "$(com "$vdb" v_vc_female)" "NULL"
expect_match "removing it is a change" "$OUT" "1 个有改动"
run "$TB" --db "$vdb" set --period 2025 v_vc_female=2 --comment ""
expect_match "the same again is none" "$OUT" "0 个有改动，1 个未变"
# A comment needs a value: clearing the value drops its comment, and a comment on nothing is refused.
"$TB" --db "$vdb" set --period 2025 v_left_behind=57 --comment "含外出务工家庭" >/dev/null
"$TB" --db "$vdb" set --period 2025 v_left_behind= >/dev/null
expect_eq "clearing a value drops its comment" "$(com "$vdb" v_left_behind)" "NULL"
run "$TB" --db "$vdb" set --period 2025 v_left_behind= --comment "待统计"
expect_rc "a comment on no value: refused" 1
expect_match "the reason says to enter the value first" "$ERR" "v_left_behind：备注要跟着数值：请先填上数值"

# Refused with the reason, nothing written.
before=$(sqlite3 "$vdb" "SELECT group_concat(quote(comment) || revision) FROM vals")
run "$TB" --db "$vdb" set --period 2025 v_vc_total=6 --comment "$(printf '第一行\n第二行')"
expect_rc "a comment of two lines: refused" 1
expect_match "the reason: one line" "$ERR" "v_vc_total: 备注里有控制字符（如换行或制表符）：请写成一行"
run "$TB" --db "$vdb" set --period 2025 v_vc_total=6 --comment "$(printf '长%.0s' {1..101})"
expect_rc "a comment of 101 characters: refused" 1
expect_match "the reason: its length and the limit" "$ERR" "备注有 101 个字，最多只能写 100 个字"
run "$TB" --db "$vdb" set --period 2025 v_vc_total=6 --comment "$(printf '长%.0s' {1..100})"
expect_rc "100 characters fit" 0
run "$TB" --db "$vdb" set --period 2025 v_vc_total=6 --comment "村委会换届后人数待核实"
expect_eq "a refused comment writes nothing" "$(sqlite3 "$vdb" "SELECT count(*) FROM audit WHERE comment LIKE '%第二行%'")" "0"

run "$TB" --db "$vdb" log
expect_match "the audit trail has the comment with the value" "$OUT" "v_vc_total: （空） -> 5  \[录入, 李秀英\]  备注：村委会换届后人数待核实"

# ---- travels in the export, merges with its value ----------------------------------------
f1=$("$TB" --db "$vdb" export --out "$stick")
expect_eq "export version 4" "$(sqlite3 "$f1" 'PRAGMA user_version')" "4"
expect_eq "the file carries the comment" "$(sqlite3 "$f1" "SELECT comment FROM vals WHERE field = 'v_vc_total'")" "村委会换届后人数待核实"
run "$TB" verify "$f1"
expect_rc "verify reads it" 0
"$TB" --db "$tdb" init --unit $TWP --operator 王会计 >/dev/null
run "$TB" --db "$tdb" merge "$f1"
expect_rc "merged" 0
expect_eq "the township has the comment" "$(com "$tdb" v_vc_total)" "'村委会换届后人数待核实'"
expect_match "and its audit trail" "$("$TB" --db "$tdb" log --unit $V1)" "v_vc_total: （空） -> 6  \[导入, 王会计\]  备注：村委会换届后人数待核实"
run "$TB" --db "$tdb" merge "$f1"
expect_match "merged again: nothing" "$OUT" "合并过（内容相同）；跳过"
# The same value with another comment: an update the clerk can see.
"$TB" --db "$vdb" set --period 2025 v_vc_total=6 --comment "已与村支书核实" >/dev/null
f2=$("$TB" --db "$vdb" export --out "$stick")
run "$TB" --db "$tdb" merge "$f2"
expect_match "a new comment on the same value is an update" "$OUT" "新增 0，更新 1，"
expect_eq "the township has the new comment" "$(com "$tdb" v_vc_total)" "'已与村支书核实'"
run "$TB" --db "$tdb" merge "$f1"
expect_eq "the older file afterwards changes nothing" "$(com "$tdb" v_vc_total)" "'已与村支书核实'"

# ---- a conflict: each value with its comment; a decision takes the taken one's ---------
"$TB" --db "$v2db" init --unit $V1 --operator 张三 >/dev/null
"$TB" --db "$v2db" set --period 2025 v_vc_total=7 --comment "含新选的两名委员" >/dev/null
f3=$("$TB" --db "$v2db" export --out "$stick")
"$TB" --db "$tdb" merge "$f3" >/dev/null
run "$TB" --db "$tdb" conflicts --period 2025
expect_match "the conflict lists one value's comment" "$OUT" "备注：已与村支书核实"
expect_match "and the other's" "$OUT" "备注：含新选的两名委员"
run "$TB" --db "$tdb" resolve --unit $V1 --period 2025 --field v_vc_total --take "$(sqlite3 "$v2db" "SELECT value FROM meta WHERE key = 'installation_id'")"
expect_rc "decided" 0
expect_eq "the decision takes the value with its comment" "$(sqlite3 "$tdb" "SELECT value || ' ' || comment FROM vals WHERE unit = '$V1' AND field = 'v_vc_total'")" \
	"7 含新选的两名委员"
f4=$("$TB" --db "$tdb" export --period 2025 --out "$T_TMP")
t2db=$T_TMP/county.db
"$TB" --db "$t2db" init --unit $TWP >/dev/null
"$TB" --db "$t2db" merge "$f4" >/dev/null
expect_eq "the township's export carries the decision and its comment on" \
	"$(sqlite3 "$t2db" "SELECT value || ' ' || conflict || ' ' || comment FROM vals WHERE unit = '$V1' AND field = 'v_vc_total'")" \
	"7 0 含新选的两名委员"

# ---- in the reports ------------------------------------------------------------------------
run "$TB" --db "$tdb" report --period 2025 --kind indicators
expect_match "the text report lists the comments" "$OUT" "^数值的备注（1 条）$"
# Who: the value shown is the clerk's decision, which took 张三's value and comment.
expect_match "with unit, indicator, value and who" "$OUT" "^  东风村 · 村委会成员数 = 7：含新选的两名委员（王会计）$"
run "$TB" --db "$tdb" report --period 2025 --kind units --field v_vc_total --format csv
expect_match "the by-unit CSV has a comment column" "$OUT" ",备注"
expect_match "with the unit's comment" "$OUT" "^2025,v_vc_total,村委会成员数,1,$V1,东风村,7,.*,含新选的两名委员"
run "$TB" --db "$tdb" report --period 2025 --format dhis2
expect_match "DHIS2: the comment column" "$OUT" "^[^,]*,2025,[^,]*,,,7,王会计,[^,]*,含新选的两名委员,false,false"
"$TB" --db "$tdb" report --period 2025 --kind indicators --format xlsx --out "$T_TMP/r.xlsx" >/dev/null 2>&1
run /usr/bin/python3 - "$T_TMP/r.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
notes = [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
print("\n".join(notes))
PY
expect_match "the spreadsheet: the value's cell has the comment as its note" "$OUT" "^备注：含新选的两名委员（王会计）$"

done_testing
