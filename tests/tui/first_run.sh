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
expect_at 23 0 ↑↓ 移动  Enter 就是这个  F1/^G 帮助  Esc/F10/^X 退出
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

done_testing
