#!/usr/bin/env bash
# `make demo`, the README's first command, in a real terminal: it builds the demo
# database and opens the screens on it, in Chinese; the demo township's 2025 forms are
# there, and so is the late file on its USB stick.
. "$(dirname "$0")/../lib.sh"

"$ROOT/build/test/tools/vtdrive" <<VT
size 80 24
spawn make -s -C $ROOT demo
wait 示范乡
expect F1/^G
key Up
key Enter
wait 东风村
key Down
key Enter
key BS 4
type 2025
key Enter
wait 东风村 · 2025
expect 村级妇女儿童发展纲要监测表
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
