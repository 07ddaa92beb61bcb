#!/usr/bin/env bash
# make install honours DESTDIR (and PREFIX): the binary, the forms and the Chinese
# catalogue land under it, and the installed binary finds its forms there.
. "$(dirname "$0")/../lib.sh"

root=$T_TMP/root
run make -s -C "$ROOT" install DESTDIR="$root"
expect_rc "make install DESTDIR=..." 0
bin=$root/usr/local/bin/tianbao
check "the binary is installed" test -x "$bin"
check "the forms are installed" test -s "$root/usr/local/share/tianbao/forms/10-village.ini"
check "the units file is installed" test -s "$root/usr/local/share/tianbao/forms/units.ini"
for po in "$ROOT"/po/*.po; do
	[ -e "$po" ] || continue
	lang=$(basename "$po" .po)
	check "the $lang catalogue is installed" test -s "$root/usr/local/share/locale/$lang/LC_MESSAGES/tianbao.mo"
done
run "$bin" --version
expect_match "the installed binary runs" "$OUT" "^tianbao [0-9]"
run env -u TIANBAO_FORMS "$bin" check-forms "$root/usr/local/share/tianbao/forms"
expect_rc "the installed forms check clean" 0
run make -s -C "$ROOT" uninstall DESTDIR="$root"
expect_rc "make uninstall" 0
check "uninstall removes the binary" test ! -e "$bin"
check "uninstall removes the forms" test ! -e "$root/usr/local/share/tianbao"
done_testing
