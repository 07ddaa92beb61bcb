#!/usr/bin/env bash
# The first run: a new database opens on the screen that sets this computer up (which
# unit it reports for, found by name, code or pinyin initials; who enters data), then
# goes on to the start screen; `tianbao log` has the change of unit.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
DB=$T_TMP/first.db

"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 这台电脑为哪个单位填报？
expect_at 0 1 tianbao 填报 · 设置这台电脑
expect_at 6 4 东风村
expect_at 6 36 360730105201
expect_at 6 52 村
expect_at 23 0 ↑↓ 移动  Enter 就是这个  F4/^O 表格包  F1/^G 帮助  Esc/F10/^X 退出
expect_at 22 1 列表里没有您的单位？按 F4 从U盘导入乡里的表格包。
# Villages first, the township last.
expect_at 13 4 桃源村
type lqc
settle
expect_at 6 4 龙泉村
expect_not 东风村
key BS 3
type xyz
settle
expect 没有匹配的单位
key BS 3
type 1052
settle
expect_at 6 4 东风村
key BS 4
type 乡
settle
expect_at 6 4 乡妇联
key Down
expect_at 8 4 示范乡
key BS
type 红旗
settle
key Enter
wait 红旗村：谁来填报？
key Enter
wait 需要填写姓名。
expect_at 2 2 您的姓名（会记在您填的每个数值旁
type 李秀英
key Enter
wait 红旗村（360730105202，村）
expect 填报人：李秀英
key Esc
expect_exit 0
EOF

run "$TB" --db "$DB" --lang en log
expect_match "the unit set on the first run is in the audit trail" "$OUT" "this installation reports for: \(none\) -> 360730105202  \[unit set, 李秀英\]"
run sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'operator'"
expect_eq "the operator is the name typed, not the login name" "$OUT" "李秀英"

# The next start goes straight to the start screen.
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 红旗村（360730105202，村）
expect_not 这台电脑为哪个单位填报？
key Esc
expect_exit 0
EOF

# Esc on the first-run screen sets nothing up.
DB2=$T_TMP/second.db
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB2
wait 这台电脑为哪个单位填报？
key Esc
expect_exit 0
EOF
expect_eq "leaving the first-run screen sets no unit" "$(sqlite3 "$DB2" "SELECT count(*) FROM meta WHERE key = 'unit'")" "0"

# A database without a unit that already holds values (entered on the command line for
# two villages) asks before the change, and Esc/No changes nothing.
DB3=$T_TMP/third.db
"$TB" --db "$DB3" set --unit 360730105201 --period 2025 v_vc_total=5 >/dev/null
"$TB" --db "$DB3" set --unit 360730105203 --period 2025 v_vc_total=6 >/dev/null
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB3
wait 这台电脑为哪个单位填报？
type dfc
settle
key Enter
wait 谁来填报？
type 张三
key Enter
wait 更改这台电脑的填报单位？
expect 已有 1 个不属于 东风村
key Enter
wait 这台电脑为哪个单位填报？
key Enter
wait 谁来填报？
type 张三
key Enter
wait 更改这台电脑的填报单位？
key Up
key Enter
wait 东风村（360730105201，村）
key Esc
expect_exit 0
EOF
run "$TB" --db "$DB3" --lang en log
expect_match "confirmed on screen: in the audit trail" "$OUT" "this installation reports for: \(none\) -> 360730105201  \[unit set, 张三\]"

# ---- a new laptop of a village the shipped forms do not have -------------------------------
# The township adds 新建村 and writes its package onto the stick; on the first-run screen
# F4 installs it, and the new village is in the list.
STICK=$T_TMP/stick
mkdir -p "$STICK"
twp() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/twp" "$TB" --db "$T_TMP/twp.db" "$@"; }
twp init --unit 360730105000 --operator 王会计 >/dev/null
twp units add 360730105209 新建村 >/dev/null
twp export --forms --out "$STICK" >/dev/null
"$VT" <<EOF
size 80 24
env XDG_CONFIG_HOME=$T_TMP/newlaptop
env TIANBAO_FORMS=
env TIANBAO_MEDIA=$STICK
spawn $TB --lang zh --db $T_TMP/new.db
wait 这台电脑为哪个单位填报？
type xjc
settle
expect 没有匹配的单位
key BS 3
key F4
wait 导入乡里的表格包
key Enter
wait 乡里的表格包
expect 单位 360730105209 新建村：新增
key Esc
wait 在这台电脑上安装乡里的表格吗？
key Enter
wait 乡里的表格已安装
type xjc
settle
expect_at 6 4 新建村
key Enter
wait 谁来填报？
type 赵四
key Enter
wait 新建村（360730105209，村）
key Esc
expect_exit 0
EOF
check "the package is installed in the laptop's configuration" test -s "$T_TMP/newlaptop/tianbao/forms/.package"
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/newlaptop" "$TB" --db "$T_TMP/new.db" --lang en log
expect_match "set up for the new village" "$OUT" "this installation reports for: \(none\) -> 360730105209  \[unit set, 赵四\]"

# ---- F4 in the list of forms of a laptop already set up: install, then tianbao closes --------
twp units rename 360730105209 新建二村 >/dev/null
twp export --forms --out "$STICK" >/dev/null
"$VT" <<EOF
size 80 24
env XDG_CONFIG_HOME=$T_TMP/newlaptop
env TIANBAO_FORMS=
env TIANBAO_MEDIA=$STICK
spawn $TB --lang zh --db $T_TMP/new.db
wait 新建村（360730105209，村）
key Enter
wait 表格列表
key F4
wait 从U盘导入
key Enter
wait 乡里的表格包
expect 单位 360730105209：改名 新建村 → 新建二村
key Esc
key Enter
wait 乡里的新表格已安装
key Esc
expect_exit 0
EOF
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/newlaptop" "$TB" --db "$T_TMP/new.db" --lang zh units
expect_match "opened again: the new name" "$OUT" "新建二村"

done_testing
