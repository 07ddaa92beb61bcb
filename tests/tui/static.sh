#!/usr/bin/env bash
# The static binaries of make static (packaging/, src/lib/bundle.h): not dynamic; the
# amd64 folder copied into an empty root (no libraries, no locales, no terminfo, no
# tianbao installed: chroot) runs a form in the terminal emulator with an environment of
# TERM and LANG only, in Chinese, under several terminal types; its files are the ones
# beside it; GBK reads without iconv modules; Excel refused with what to do instead.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
DIST=$ROOT/build/dist
BIN64=$DIST/tianbao-amd64/tianbao
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
V1=360730105201

for a in amd64 arm64; do
	check "make static built the $a folder" test -x "$DIST/tianbao-$a/tianbao"
done
run ldd "$BIN64"
expect_match "ldd: the amd64 binary is not dynamic" "$OUT$ERR" "not a dynamic executable"
expect_match "file: amd64, statically linked" "$(file -b "$BIN64")" "x86-64.*statically linked"
expect_match "file: arm64, statically linked" "$(file -b "$DIST/tianbao-arm64/tianbao")" "aarch64.*statically linked"

# An empty root holding only the copied folder and a /tmp.
R=$T_TMP/root
mkdir -p "$R/tmp" "$R/home/li" "$R/media/stick"
cp -r "$DIST/tianbao-amd64" "$R/media/stick/tianbao"
check "the root has no libraries, locales or terminfo" \
	test ! -e "$R/usr" -a ! -e "$R/lib" -a ! -e "$R/etc"
# in_root CMD...: the copied binary in the empty root, TERM and LANG only.
in_root() { env -i TERM=xterm-256color LANG=zh_CN.UTF-8 HOME=/home/li "$CHROOT" "$R" "$@"; }
TBR=/media/stick/tianbao/tianbao

run in_root $TBR --version
expect_rc "--version in the empty root" 0
expect_match "... its forms are the ones beside it, named in Chinese" "$OUT" "^表格定义：/media/stick/tianbao/forms（tianbao 自带的默认表格）"
run in_root $TBR --db /tmp/v.db init --unit $V1 --operator 李秀英
expect_rc "init in the empty root" 0
expect_match "... in Chinese (the catalogue beside it)" "$OUT" "^这台电脑为 东风村（$V1，村）填报"

# The screens under each terminal type the folder carries an entry for: TERM and LANG
# are all the environment there is.
for term in xterm-256color linux vt100 tmux-256color screen; do
	"$VT" >"$T_TMP/vt.out" 2>&1 <<EOF
size 80 24
spawn env -i TERM=$term LANG=zh_CN.UTF-8 $CHROOT $R $TBR --db /tmp/v.db
wait 东风村
key Enter
wait 村级妇女儿童发展纲要监测表
expect_at 2 4 村级妇女儿童发展纲要监测表
expect_at 1 36 状态
key Enter
wait 村委会成员数
type 5
key Tab
wait 已保存：村委会成员数 = 5
key Esc
key Esc
key Esc
expect_exit 0
EOF
	if grep -q '^not ok' "$T_TMP/vt.out" || [ "$(grep -c '^ok' "$T_TMP/vt.out")" -ne 7 ]; then
		not_ok "TERM=$term: a form filled in the empty root"; diag "$(cat "$T_TMP/vt.out")"
	else
		ok "TERM=$term: a form filled in the empty root, CJK laid out by width, the value shown as saved"
	fi
	sqlite3 "$R/tmp/v.db" "DELETE FROM vals" 2>/dev/null
done
"$VT" >"$T_TMP/vt.out" 2>&1 <<EOF
size 80 24
spawn env -i TERM=xterm-256color LANG=zh_CN.UTF-8 $CHROOT $R $TBR --db /tmp/v.db
wait 东风村
key Enter
wait 村级妇女儿童发展纲要监测表
key Enter
wait 村委会成员数
type 7
key Tab
wait 已保存
key Esc
key Esc
key Esc
expect_exit 0
EOF
expect_eq "the value typed is in the database" "$(sqlite3 "$R/tmp/v.db" "SELECT value FROM vals WHERE field = 'v_vc_total'")" 7

# The same folder copied somewhere else on this computer: its own forms, not the installed.
cp -r "$DIST/tianbao-amd64" "$T_TMP/elsewhere"
run env -i TERM=xterm LANG=C.UTF-8 HOME="$T_TMP" "$T_TMP/elsewhere/tianbao" --version
expect_match "a copy elsewhere finds the forms beside it" "$OUT" "^表格定义：$T_TMP/elsewhere/forms"

# GBK unit lists need no iconv module (the empty root has none).
mkdir -p "$R/home/li/.config/tianbao"
cp -r "$R/media/stick/tianbao/forms" "$R/home/li/.config/tianbao/forms"
printf '%s\r\n' "代码,名称" "360730105201,东风村" "360730105202,西岭村" "360730105209,新建村" |
	iconv -f UTF-8 -t GBK >"$R/tmp/list.csv"
run in_root $TBR --db /tmp/v.db units import /tmp/list.csv
expect_rc "a GBK list imported in the empty root" 0
run in_root $TBR --db /tmp/v.db units
expect_match "... its new village, in UTF-8" "$OUT" "360730105209.*新建村"

# Excel: refused, saying what to do.
run in_root $TBR --db /tmp/v.db report --period 2026 --format xlsx --out /tmp/r.xlsx
expect_rc "xlsx from the static binary: refused" 1
expect_match "... naming CSV instead" "$ERR" "不能写 Excel 文件：请改写 CSV（--format csv）"
check "... and no file written" test ! -e "$R/tmp/r.xlsx"
run in_root $TBR --db /tmp/v.db report --period 2026 --format csv --out /tmp/r.csv
expect_rc "csv from the static binary" 0

done_testing
