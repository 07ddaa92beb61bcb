#!/usr/bin/env bash
# A comment on a value in the form screen (F11 or Ctrl-D): typed in its dialog, saved with
# the value, marked on the field's line and read on the message line, still there after
# the form is opened again; Esc leaves it as it was; an empty one removes it. At the
# township, the conflicts screen shows each value's comment and asks with it.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
DB=$T_TMP/village.db
"$TB" --db "$DB" init --unit $V1 --operator 李秀英 >/dev/null
"$TB" --db "$DB" set --period 2025 v_vc_total=5 >/dev/null

"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 东风村
key Down
key BS 4
type 2025
key Enter
wait 东风村 · 2025
key Enter
wait 村委会成员数
expect_at 23 0 Tab/↓ 下一项  ↑ 上一项  F1/^G 帮助  F2/^R 审核  F11/^D 备注
# What is being typed is saved first, then the comment is asked for.
type 6
key C-d
wait 备注 · 村委会成员数
expect 给核对这个数的人写一句说明（留空即删除备注），按 Enter 保存：
type 村委会换届后人数待核实
key Enter
wait 备注已保存：村委会成员数 · 村委会换届后人数待核实
expect_at 2 2 村委会成员数                       6            人       （有备注）
# Esc in the dialog: nothing changes.
key F11
wait 备注 · 村委会成员数
expect 村委会换届后人数待核实
key Esc
wait 备注没有改动。
key Esc
wait 东风村 · 2025
key Enter
wait 村委会成员数
expect （有备注）
expect_at 22 1 备注：村委会换届后人数待核实（按 F11 或 Ctrl-D 修改）
# On a field without a value, a comment is refused: it explains a figure. The text stays.
key Tab
key C-d
wait 备注 · 其中：女性成员数
type 待问妇女主任
key Enter
wait 未保存：备注要跟着数值：请先填上数值
expect 待问妇女主任
key Esc
wait 备注没有改动。
# Removing one: emptied and saved.
key Up
key C-d
wait 村委会换届后人数待核实
key C-u
key Enter
wait 备注已删除：村委会成员数
key C-d
type 村委会换届后人数待核实
key Enter
wait 备注已保存：村委会成员数
key C-x
key C-x
key C-x
expect_exit 0
EOF
expect_eq "the value and its comment are stored" \
	"$(sqlite3 "$DB" "SELECT value || ' ' || comment FROM vals WHERE field = 'v_vc_total' AND period = '2025'")" "6 村委会换届后人数待核实"
expect_eq "no comment on the empty field" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM vals WHERE field = 'v_vc_female' AND comment IS NOT NULL")" "0"
expect_eq "a comment alone is no change of the figure: the value keeps its revision's value" \
	"$(sqlite3 "$DB" "SELECT group_concat(new_value, ',') FROM audit WHERE field = 'v_vc_total' AND period = '2025'")" "5,6,6,6,6"

# ---- the conflicts screen shows each value's comment ----------------------------------------
STICK=$T_TMP/stick
mkdir -p "$STICK"
DB2=$T_TMP/village-2.db
TWP=$T_TMP/township.db
"$TB" --db "$DB2" init --unit $V1 --operator 张三 >/dev/null
"$TB" --db "$DB2" set --period 2025 v_vc_total=7 --comment "含新选的两名委员" >/dev/null
"$TB" --db "$DB" export --out "$STICK" >/dev/null
"$TB" --db "$DB2" export --out "$STICK" >/dev/null
"$TB" --db "$TWP" init --unit 360730105000 --operator 王会计 >/dev/null
"$TB" --db "$TWP" merge "$STICK" >/dev/null 2>&1
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $TWP
wait 示范乡
key Down
key BS 4
type 2025
key Enter
wait 各单位的表
key F6
wait 冲突 · 2025
key Enter
wait 冲突：东风村 · 2025 · 村委会成员数
expect_at 22 1 备注 — 电脑 A：村委会换届后人数待核实；电脑 B：含新选的两名委员
key End
key Enter
wait 采用 7（张三
expect_at 1 4 它的备注：含新选的两名委员
key Esc
key Esc
key Esc
# In the form, a value in conflict takes no comment: it is decided first.
wait 各单位的表
key Esc
wait 报告期
key Up
key Enter
wait 选择要录入数据的单位
key Down
key Enter
key Enter
wait 东风村 · 2025 · 表格列表
key Enter
wait 东风村 · 2025 · 村级
key C-d
wait 这一项有冲突：请先决定（在表格列表里按 F6），再写备注。
expect_not 备注 · 村委会成员数
key C-x
key C-x
key C-x
expect_exit 0
EOF

done_testing
