#!/bin/sh
# folder.sh ARCH BINARY OUT - the folder a static tianbao runs from, wherever it is
# copied (a stick, /opt): the binary, the shipped forms, the message catalogues, the
# terminfo entries of the common terminals, glibc's C.UTF-8 character data, the manual.
# The binary finds each of them beside itself (src/lib/bundle.h, src/core/config.c).
set -eu
arch=$1 bin=$2 out=$3

# The terminals a village or township office meets: the Linux console, the desktop
# terminals (xterm-256color: UOS's and Kylin's), screen and tmux, a serial vt100.
TERMS="linux xterm xterm-256color xterm-color screen screen-256color tmux tmux-256color vt100 vt220 rxvt ansi dumb"

rm -rf "$out.tmp"
mkdir -p "$out.tmp/forms" "$out.tmp/terminfo"
cp "$bin" "$out.tmp/tianbao"
cp forms/*.ini "$out.tmp/forms/"
for mo in build/locale/*/LC_MESSAGES/tianbao.mo; do
	lang=${mo#build/locale/}
	lang=${lang%%/*}
	mkdir -p "$out.tmp/locale/$lang/LC_MESSAGES"
	cp "$mo" "$out.tmp/locale/$lang/LC_MESSAGES/"
done
for t in $TERMS; do
	first=$(printf %.1s "$t")
	src=
	for d in /etc/terminfo /lib/terminfo /usr/share/terminfo; do
		[ -f "$d/$first/$t" ] && { src=$d/$first/$t; break; }
	done
	[ -n "$src" ] || { echo "folder.sh: no terminfo entry $t on this computer (Debian's ncurses-base)" >&2; exit 1; }
	mkdir -p "$out.tmp/terminfo/$first"
	cp "$src" "$out.tmp/terminfo/$first/$t"
done
# glibc's C.UTF-8 (the same glibc the binary was linked with): character widths and
# classes when the computer has no UTF-8 locale the binary can read.
[ -d /usr/lib/locale/C.utf8 ] || { echo "folder.sh: /usr/lib/locale/C.utf8 is missing (Debian's libc-bin)" >&2; exit 1; }
cp -r /usr/lib/locale/C.utf8 "$out.tmp/C.utf8"
mkdir -p "$out.tmp/man/man1" "$out.tmp/man/zh_CN/man1"
cp docs/tianbao.1 "$out.tmp/man/man1/tianbao.1"
cp docs/tianbao.zh_CN.1 "$out.tmp/man/zh_CN/man1/tianbao.1"
sed -e "s/@ARCH@/$arch/g" packaging/README.folder.txt >"$out.tmp/README.txt"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out/"
