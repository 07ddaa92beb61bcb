#!/bin/sh
# deb.sh ARCH VERSION FOLDER OUT.deb - a .deb of the static tianbao in FOLDER (made by
# packaging/folder.sh), built with dpkg-deb alone (nothing from the network).
#
# It installs to /usr: the binary, the forms as defaults (/usr/share/tianbao/forms), the
# catalogues, the terminfo entries and C.UTF-8 data the static binary may need
# (/usr/share/tianbao), the manual in both languages. It owns nothing in /etc or a home
# folder: a township's own forms (/etc/tianbao/forms, ~/.config/tianbao/forms) and the
# database are never written by an upgrade or removed with the package.
# Depends on nothing: the binary is static (lintian's statically-linked-binary and
# embedded-library are overridden, saying why). DEB_MAINTAINER names who builds it.
set -eu
maintainer=${DEB_MAINTAINER:-tianbao developers <tianbao@localhost>}
arch=$1 version=$2 folder=$3 out=$4
root=$out.root

rm -rf "$root"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/tianbao" "$root/usr/share/man/man1" \
	"$root/usr/share/man/zh_CN/man1" "$root/usr/share/doc/tianbao"
install -m 755 "$folder/tianbao" "$root/usr/bin/tianbao"
cp -r "$folder/forms" "$folder/terminfo" "$folder/C.utf8" "$root/usr/share/tianbao/"
cp -r "$folder/locale" "$root/usr/share/locale"
gzip -9n <"$folder/man/man1/tianbao.1" >"$root/usr/share/man/man1/tianbao.1.gz"
gzip -9n <"$folder/man/zh_CN/man1/tianbao.1" >"$root/usr/share/man/zh_CN/man1/tianbao.1.gz"
cp packaging/copyright "$root/usr/share/doc/tianbao/copyright"
cp docs/guide.md "$root/usr/share/doc/tianbao/guide.md"
install -d "$root/usr/share/lintian/overrides"
cat >"$root/usr/share/lintian/overrides/tianbao" <<'OVR'
# Static on purpose: offices run UOS and Kylin, whose glibc may be older than the one
# this was built with and whose repositories may lack iniparser; one binary for all.
tianbao: statically-linked-binary [usr/bin/tianbao]
tianbao: embedded-library ncurses [usr/bin/tianbao]
OVR
{
	echo "tianbao ($version) stable; urgency=medium"
	echo
	echo "  * Version $version."
	echo
	echo " -- $maintainer  $(date -u -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n >"$root/usr/share/doc/tianbao/changelog.gz"
find "$root" -type d -exec chmod 755 {} +
find "$root/usr/share" -type f -exec chmod 644 {} +
size=$(du -sk "$root/usr" | cut -f1)
cat >"$root/DEBIAN/control" <<CTRL
Package: tianbao
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Section: misc
Priority: optional
Homepage: https://example.invalid/tianbao
Description: enter, exchange and merge yearly monitoring indicators (两纲)
 tianbao (填报) is a terminal program for entering the yearly monitoring
 forms of the women's and children's development outlines (两纲) in
 villages and township departments, exchanging them on USB sticks, and
 merging and reporting them at the township. Chinese by default, English
 beside it. Statically linked: it needs no library from the system.
CTRL
(cd "$root" && find usr -type f -exec md5sum {} +) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out.tmp" >/dev/null
mv "$out.tmp" "$out"
rm -rf "$root"
echo "$out"
