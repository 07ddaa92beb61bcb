#!/usr/bin/env bash
# `make demo`, the README's first command, in a real terminal: it builds the demo
# database (tianbao demo) and opens the screens on it, in Chinese, on the demo's own year
# and on a screen with data: Enter shows the township's units with the state of their
# forms, one more the forms of a village; the late file is on its USB stick.
. "$(dirname "$0")/../lib.sh"

"$ROOT/build/test/tools/vtdrive" <<VT
size 80 24
spawn make -s -C $ROOT demo
wait 示范乡
expect F1/^G
expect_at 4 14 2025
expect 有数据的报告期：2025、2024
key Enter
wait 示范乡 · 2025 · 各单位的表
expect 15 张表中 4 张已完成
expect_at 2 4 东风村
expect_at 2 54 已完成
expect_at 5 4 柳树村
expect_at 5 54 1 张填写中  1 个冲突
expect_at 8 54 未报
key Enter
wait 东风村 · 2025 · 表格列表
expect_at 2 36 已完成
key Esc
wait 各单位的表
key F4
wait $ROOT/build/demo/stick
key Enter
wait 龙泉村
key C-x
key C-x
key C-x
key C-x
expect_exit 0
VT
check "the demo database is in build/demo, not the user's" test -s "$ROOT/build/demo/demo.db"
done_testing
