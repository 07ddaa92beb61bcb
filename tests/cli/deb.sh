#!/usr/bin/env bash
# The .debs of make deb (packaging/deb.sh): what dpkg-deb and lintian say of them; one
# installed into a throwaway root (dpkg --root), the installed program started there
# (chroot: nothing else of this computer) finding its forms and catalogues; an upgrade
# from an older .deb keeping an edited configuration and the database byte for byte;
# removing it keeping them too.
. "$(dirname "$0")/../lib.sh"

DIST=$ROOT/build/dist
VERSION=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
DEB=$DIST/tianbao_${VERSION}_amd64.deb
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)

for a in amd64 arm64; do
	d=$DIST/tianbao_${VERSION}_$a.deb
	check "make deb built the $a .deb" test -f "$d"
	info=$(dpkg-deb -I "$d")
	expect_match "$a: Architecture $a" "$info" "^ Architecture: $a$"
	expect_no_match "$a: depends on nothing (static)" "$info" "^ (Pre-)?Depends:"
	files=$(dpkg-deb -c "$d")
	expect_match "$a: the binary in /usr/bin" "$files" " \./usr/bin/tianbao$"
	expect_match "$a: the forms as defaults" "$files" " \./usr/share/tianbao/forms/units\.ini$"
	expect_match "$a: the Chinese catalogue" "$files" " \./usr/share/locale/zh_CN/LC_MESSAGES/tianbao\.mo$"
	expect_match "$a: the manual, English" "$files" " \./usr/share/man/man1/tianbao\.1\.gz$"
	expect_match "$a: the manual, Chinese" "$files" " \./usr/share/man/zh_CN/man1/tianbao\.1\.gz$"
	expect_no_match "$a: nothing in /etc (a township's forms are never the package's)" "$files" " \./etc/"
	# lintian: only the maintainer's address may be wrong (DEB_MAINTAINER sets it).
	lint=$(lintian "$d" 2>&1 | grep -E '^[EW]:' | grep -v 'bogus-mail-host')
	expect_eq "$a: lintian finds no error or warning (beside the maintainer's address)" "$lint" ""
done

# A throwaway root with an empty dpkg database.
R=$T_TMP/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/tmp" "$R/root"
: >"$R/var/lib/dpkg/status"
dp() { dpkg --root="$R" --force-script-chrootless --log=/dev/null "$@"; }
in_root() { env -i TERM=xterm LANG=zh_CN.UTF-8 HOME=/root "$CHROOT" "$R" "$@"; }

# The older version: the same program packaged as 0.0.1.
OLD=$T_TMP/tianbao_0.0.1_amd64.deb
(cd "$ROOT" && packaging/deb.sh amd64 0.0.1 "$DIST/tianbao-amd64" "$OLD") >/dev/null
run dp -i "$OLD"
expect_rc "dpkg -i of the older .deb into the throwaway root" 0
run in_root /usr/bin/tianbao --version
expect_match "the installed program starts and finds its forms" "$OUT" "^表格定义：/usr/share/tianbao/forms（tianbao 自带的默认表格）"

# A township's own configuration in /etc, a user's database.
mkdir -p "$R/etc/tianbao"
cp -r "$R/usr/share/tianbao/forms" "$R/etc/tianbao/forms"
sed -i 's/^name *= *东风村/name = 东风新村/' "$R/etc/tianbao/forms/units.ini"
run in_root /usr/bin/tianbao init --unit 360730105201 --operator 李秀英
expect_rc "init with the computer's own forms" 0
expect_match "... the edited name" "$OUT" "东风新村"
run in_root /usr/bin/tianbao set --unit 360730105201 --period 2025 v_vc_total=6
expect_rc "a value entered" 0
conf_before=$(cd "$R/etc/tianbao" && find . -type f | sort | xargs sha256sum)
db_before=$(sha256sum <"$R/root/.local/share/tianbao/tianbao.db")

run dp -i "$DEB"
expect_rc "dpkg -i of $VERSION over 0.0.1" 0
expect_match "the upgrade is version $VERSION" "$(dp -s tianbao)" "^Version: $VERSION$"
expect_eq "the upgrade kept the configuration byte for byte" "$(cd "$R/etc/tianbao" && find . -type f | sort | xargs sha256sum)" "$conf_before"
expect_eq "... and the database" "$(sha256sum <"$R/root/.local/share/tianbao/tianbao.db")" "$db_before"
run in_root /usr/bin/tianbao dump
expect_match "the upgraded program reads the value" "$OUT" "^360730105201,2025,village,v_vc_total,6,"

run dp -r tianbao
expect_rc "dpkg -r" 0
check "removed: the binary is gone" test ! -e "$R/usr/bin/tianbao"
check "... the defaults are gone" test ! -e "$R/usr/share/tianbao/forms/units.ini"
expect_eq "... the configuration is kept byte for byte" "$(cd "$R/etc/tianbao" && find . -type f | sort | xargs sha256sum)" "$conf_before"
check "... and the database" test -f "$R/root/.local/share/tianbao/tianbao.db"

done_testing
