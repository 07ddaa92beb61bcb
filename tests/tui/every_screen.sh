#!/usr/bin/env bash
# The keys every screen takes (src/ui/frame.c): the guided tour (offered on the first
# run, F9 on and on, Ctrl-Q at any step, started from the help), the language switch
# (the cursor's field and the text being typed stay), the high-contrast theme (no colour
# of its own anywhere; --theme and $TIANBAO_THEME), and the screen written as text.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
DB=$T_TMP/v.db
"$TB" --db "$DB" init --unit $V1 --operator 测试员 >/dev/null

# ---- 1. the tour, offered on the first run, step by step to its end ------------------------
NEW=$T_TMP/new.db
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $NEW
wait 这台电脑为哪个单位填报？
type 红旗
settle
key Enter
wait 红旗村：谁来填报？
type 李秀英
key Enter
wait 导览 1/10
expect_at 21 0 导览 1/10 欢迎！这是开始页面
expect_at 23 0 F9/^Y 下一步   ^Q 退出导览
# The screen keeps its key bar, above the tour.
expect_at 20 0 ↑↓ 移动  Enter 选择/继续
# Opening the screen a step is about moves the tour on by itself.
key Enter
wait 导览 2/10 这是表格列表
key Enter
wait 导览 3/10 输入数字
# The form's cursor stays in its field while the tour is drawn.
expect_cursor 2 37
key F9
wait 导览 4/10 填错了？
key F9
wait 导览 5/10
key F9
wait 导览 6/10 按 F1
key F9
wait 导览 7/10 要对某个数说明情况？
# The step's key works while the tour is on: a value, then a comment on it.
type 5
key C-d
wait 备注 · 村委会成员数
type 换届后待核实
key Enter
wait 备注已保存：村委会成员数 · 换届后待核实
expect 导览 7/10
key F2
wait 导览 8/10 按 F2 审核本表
key Esc
key F9
wait 导览 9/10 回到表格列表
key F9
wait 导览 10/10
expect F9/^Y 结束导览
key F9
wait 导览结束。想再看一遍，按 F9。
expect_not 导览 10/10
# Without the tour the screen has its rows back.
expect_at 23 0 Tab/↓ 下一项
key Esc
key Esc
key Esc
expect_exit 0
EOF

# Ctrl-Q leaves the tour at every step: in one session, the tour started again (F9 on the
# start screen starts at its step) and left one step further each time.
script="size 80 24
spawn $TB --lang zh --db $DB
wait 东风村"
for step in 1 2 3 4 5 6 7 8 9 10; do
	script+="
key F9
wait 导览 1/10"
	for ((i = 1; i < step; i++)); do
		script+="
key F9"
	done
	script+="
wait 导览 $step/10
key C-q
wait 导览结束。
expect_not 导览 $step/10
expect_at 23 0 ↑↓ 移动"
done
script+="
key Esc
expect_exit 0"
"$VT" <<<"$script"

# From the help of the form: the tour starts at the step about the form.
"$VT" <<EOF
size 80 24
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
wait forms
key Enter
wait Village committee members
key F1
wait Help
key End
wait On every screen
expect F9 or Ctrl-Y: the guided tour, step by step
expect Ctrl-Q: leave the guided tour
expect F7 or Ctrl-W: Chinese / English
expect F12 or Ctrl-S: this screen as text into a file
key F9
wait Tour 3/10 Type the figure
key Esc
wait Village committee members
expect Tour 3/10
key C-q
wait The tour is over
key Esc
key Esc
key Esc
expect_exit 0
EOF

# ---- 2. the language switch keeps the field and what is being typed -------------------------
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
wait 表格列表
key Enter
wait 村委会成员数
type 5
expect_cursor_after 5
key F7
wait Village committee members
expect Language: English (F7 again for Chinese).
expect_at 0 1 Dongfeng Village · 2026
# The digit typed is still in the field, the cursor after it, not yet saved.
expect_at 2 37 5
expect_cursor 2 38
key BS
type 6
key F7
wait 村委会成员数
expect 语言：中文（再按 F7 换成 English）。
expect_at 2 37 6
expect_cursor 2 38
key Tab
wait 已保存
# Switched in the form: the screens below follow when they show again.
key F7
wait Village committee members
key Esc
wait Dongfeng Village · 2026 · forms
expect_at 1 4 Form                            State
key Esc
wait Period
expect Periods with data: 2026
key Esc
expect_exit 0
EOF
run sqlite3 "$DB" "SELECT value FROM vals WHERE field = 'v_vc_total'"
expect_eq "the value typed across two language switches is the one saved" "$OUT" "6"

# ---- 3. the high-contrast theme ---------------------------------------------------------------
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 东风村
expect_colored yes
key F8
wait 高对比度：开
expect_colored no
key Enter
wait 表格列表
expect_colored no
key Enter
wait 村委会成员数
expect_colored no
key F8
wait 高对比度：关
expect_colored yes
key Esc
key Esc
key Esc
expect_exit 0
EOF
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB --theme contrast
wait 东风村
expect_colored no
key Esc
expect_exit 0
EOF
"$VT" <<EOF
size 80 24
env TIANBAO_THEME=contrast
spawn $TB --lang zh --db $DB
wait 东风村
expect_colored no
key Esc
expect_exit 0
EOF
run "$TB" --lang zh --db "$DB" --theme dark
expect_rc "an unknown theme: a usage error" 2
expect_match "and it names the themes" "$ERR" "--theme 只能是 normal 或 contrast，不能是“dark”"

# ---- 4. the screen as text ----------------------------------------------------------------------
HOMEDIR=$T_TMP/home
mkdir -p "$HOMEDIR"
"$VT" <<EOF
size 80 24
env HOME=$HOMEDIR
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
wait 表格列表
key Enter
wait 村委会成员数
save $T_TMP/seen.txt
key F12
wait 本屏已存为文本文件：$HOMEDIR/tianbao-screen-
key C-s
settle
key Esc
key Esc
key Esc
expect_exit 0
EOF
files=("$HOMEDIR"/tianbao-screen-*.txt)
expect_eq "two presses, two files (never one over the other)" "${#files[@]}" "2"
first=$(ls -1tr "$HOMEDIR"/tianbao-screen-*.txt | head -1)
expect_eq "the file is the screen as it was when the key was pressed" "$(cat "$first")" "$(cat "$T_TMP/seen.txt")"
expect_match "and it is the form, in Chinese" "$(cat "$first")" "村委会成员数"

# A home folder that cannot be written: /tmp, and the message says so.
"$VT" <<EOF
size 80 24
env HOME=/proc
spawn $TB --lang en --db $DB
wait Dongfeng Village
key F12
wait This screen is saved as text: /tmp/tianbao-screen-
key Esc
expect_exit 0
EOF
rm -f /tmp/tianbao-screen-*.txt

done_testing
