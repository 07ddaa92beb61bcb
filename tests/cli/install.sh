#!/usr/bin/env bash
# make install honours DESTDIR (and PREFIX): the binary, the forms and the Chinese
# catalogue land under it, and the installed binary finds its forms there. It installs
# only the defaults: a township's own forms (/etc/tianbao/forms, ~/.config/tianbao/forms)
# are never written or removed by install, a second install or uninstall.
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
check "nothing is written to /etc" test ! -e "$root/etc"
run "$bin" --version
expect_match "the installed binary runs" "$OUT" "^tianbao [0-9]"
run env -u TIANBAO_FORMS "$bin" check-forms "$root/usr/local/share/tianbao/forms"
expect_rc "the installed forms check clean" 0
run make -s -C "$ROOT" uninstall DESTDIR="$root"
expect_rc "make uninstall" 0
check "uninstall removes the binary" test ! -e "$bin"
check "uninstall removes the forms" test ! -e "$root/usr/local/share/tianbao"
check "uninstall removes the manual" test ! -e "$root/usr/local/share/man/man1/tianbao.1" -a ! -e "$root/usr/local/share/man/zh_CN/man1/tianbao.1"
check "uninstall removes the user guide" test ! -e "$root/usr/local/share/doc/tianbao"

# ---- an upgrade over a township's own configuration (PREFIX=/usr: /etc is /etc) ----------
# Built in a copy of the tree: another PREFIX rebuilds every object, which would race
# with the other tests' builds of ./tianbao (make demo) in the tree itself.
tree=$T_TMP/tree
mkdir -p "$tree"
cp -r "$ROOT/Makefile" "$ROOT/src" "$ROOT/db" "$ROOT/forms" "$ROOT/po" "$ROOT/tools" "$ROOT/docs" "$tree"/
root=$T_TMP/usr-root
etc=$root/etc/tianbao/forms
export XDG_CONFIG_HOME=$T_TMP/xdg
user=$XDG_CONFIG_HOME/tianbao/forms
run make -s -C "$tree" install DESTDIR="$root" PREFIX=/usr
expect_rc "make install PREFIX=/usr" 0
bin=$root/usr/bin/tianbao
check "... the defaults in /usr/share/tianbao/forms" test -s "$root/usr/share/tianbao/forms/units.ini"
check "... the manual in both languages" test -s "$root/usr/share/man/man1/tianbao.1" -a -s "$root/usr/share/man/zh_CN/man1/tianbao.1"
check "... the user guide" test -s "$root/usr/share/doc/tianbao/guide.md"
run env MANWIDTH=80 man -M "$root/usr/share/man" tianbao
expect_match "man -M finds the installed page, keys and all" "$OUT" "^KEYS"
expect_match "... and it names the guided tour's key" "$OUT" "F9 \(Ctrl-Y\)"
for page in tianbao.1 tianbao.zh_CN.1; do
	run sh -c "MANWIDTH=80 man -l '$ROOT/docs/$page' 2>&1 >/dev/null"
	expect_eq "man -l renders docs/$page without a warning" "$OUT" ""
done
# The computer's and the user's own forms, as a township would have edited them.
mkdir -p "$etc" "$user"
cp "$ROOT"/forms/*.ini "$etc"/
sed -i 's/^name = 东风村$/name = 东风新村/' "$etc/units.ini"
cp "$ROOT"/forms/*.ini "$user"/
sed -i 's/^name = 红旗村$/name = 红旗新村/' "$user/units.ini"
echo '; a note the clerk keeps' >"$user/notes.txt"
sum() { (cd "$root/etc" && find . -type f | sort | xargs sha256sum; cd "$XDG_CONFIG_HOME" && find . -type f | sort | xargs sha256sum); }
sum >"$T_TMP/config.sum"
check "... the edited /etc units.ini differs from the defaults" sh -c "! cmp -s '$etc/units.ini' '$root/usr/share/tianbao/forms/units.ini'"
# The installed binary finds them (the /etc folder through the test hook).
run env -u TIANBAO_FORMS TIANBAO_SYSCONFDIR="$root/etc" XDG_CONFIG_HOME="$T_TMP/none" "$bin" --version
expect_match "the installed binary uses the computer's forms" "$OUT" "^forms: $etc \(this computer's configuration\)$"
run env -u TIANBAO_FORMS TIANBAO_SYSCONFDIR="$root/etc" "$bin" --version
expect_match "... and the user's before them" "$OUT" "^forms: $user \(this user's configuration\)$"
run env -u TIANBAO_FORMS TIANBAO_SYSCONFDIR="$T_TMP/none" XDG_CONFIG_HOME="$T_TMP/none" "$bin" --version
expect_match "... and the installed defaults when neither is there" "$OUT" "^forms: /usr/share/tianbao/forms \(the defaults that come with tianbao\)$"
for i in 1 2; do
	run make -s -C "$tree" install DESTDIR="$root" PREFIX=/usr
	expect_rc "make install again ($i)" 0
	expect_eq "... the configuration byte for byte unchanged ($i)" "$(sum)" "$(cat "$T_TMP/config.sum")"
done
check "... the edited /etc units.ini kept" cmp -s "$etc/units.ini" <(sed 's/^name = 东风村$/name = 东风新村/' "$ROOT/forms/units.ini")
run make -s -C "$tree" uninstall DESTDIR="$root" PREFIX=/usr
expect_rc "make uninstall PREFIX=/usr" 0
check "... removes the binary" test ! -e "$bin"
check "... removes the defaults" test ! -e "$root/usr/share/tianbao"
expect_eq "... and leaves the configuration as it was" "$(sum)" "$(cat "$T_TMP/config.sum")"
# A file of its own put beside the defaults is not install's to remove.
run make -s -C "$tree" install DESTDIR="$root" PREFIX=/usr
echo '; mine' >"$root/usr/share/tianbao/forms/local.ini"
run make -s -C "$tree" uninstall DESTDIR="$root" PREFIX=/usr
check "uninstall leaves a file it did not install" test -f "$root/usr/share/tianbao/forms/local.ini"
check "... removing the ones it did" test ! -e "$root/usr/share/tianbao/forms/units.ini"

done_testing
