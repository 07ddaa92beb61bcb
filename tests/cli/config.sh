#!/usr/bin/env bash
# Where the forms folder is looked for (src/core/config.h): --forms, $TIANBAO_FORMS, this
# user's configuration, the computer's (/etc, moved for the test by its hook
# $TIANBAO_SYSCONFDIR), then the defaults; and the copy made when the units are edited
# while the folder in use is one never edited.
. "$(dirname "$0")/../lib.sh"

export XDG_CONFIG_HOME=$T_TMP/xdg
export TIANBAO_SYSCONFDIR=$T_TMP/etc
export TIANBAO_DB=$T_TMP/t.db
unset TIANBAO_FORMS
user=$XDG_CONFIG_HOME/tianbao/forms
sys=$TIANBAO_SYSCONFDIR/tianbao/forms

# forms_in WHERE: makes a forms folder (the shipped one) whose township is named WHERE.
forms_in() {
	mkdir -p "$1"
	cp "$ROOT"/forms/*.ini "$1"/
	sed -i "0,/^name = 示范乡\$/s//name = 示范乡$2/" "$1/units.ini"
}
township() { run "$TB" --lang zh units "$@"; sed -n 's/^360730105000 *\([^ ]*\).*/\1/p' <<<"$OUT"; }

run "$TB" --version
expect_match "nothing configured: the defaults" "$OUT" "^forms: $ROOT/forms \(the defaults that come with tianbao\)$"
run "$TB" --lang zh --version
expect_match "... said in Chinese" "$OUT" "^表格定义：$ROOT/forms（tianbao 自带的默认表格）$"

forms_in "$sys" 系统
run "$TB" --version
expect_match "the computer's configuration before the defaults" "$OUT" "^forms: $sys \(this computer's configuration\)$"
expect_eq "... and its units are the ones used" "$(township)" "示范乡系统"

mkdir -p "$user"
run "$TB" --version
expect_match "a user folder without units.ini does not count" "$OUT" "^forms: $sys "
rmdir "$user"

forms_in "$user" 用户
run "$TB" --version
expect_match "the user's configuration before the computer's" "$OUT" "^forms: $user \(this user's configuration\)$"
expect_eq "... and its units are the ones used" "$(township)" "示范乡用户"
run "$TB" init --unit 360730105000
expect_rc "init (for status)" 0
run "$TB" status
expect_match "status says which forms folder it uses" "$OUT" "^Forms: $user \(this user's configuration\)$"

XDG_CONFIG_HOME=relative run "$TB" --version
expect_match "XDG_CONFIG_HOME not absolute: ~/.config is looked at instead" "$OUT" "^forms: $sys "
mkdir -p "$T_TMP/home/.config/tianbao"
cp -r "$user" "$T_TMP/home/.config/tianbao/"
HOME=$T_TMP/home XDG_CONFIG_HOME= run "$TB" --version
expect_match "XDG_CONFIG_HOME unset: ~/.config/tianbao/forms" "$OUT" "^forms: $T_TMP/home/.config/tianbao/forms \(this user's configuration\)$"

forms_in "$T_TMP/env" 环境
TIANBAO_FORMS=$T_TMP/env run "$TB" --version
expect_match "\$TIANBAO_FORMS before the user's configuration" "$OUT" "^forms: $T_TMP/env \(given by \\\$TIANBAO_FORMS\)$"
expect_eq "... and its units are the ones used" "$(TIANBAO_FORMS=$T_TMP/env township)" "示范乡环境"
forms_in "$T_TMP/opt" 选项
TIANBAO_FORMS=$T_TMP/env run "$TB" --forms "$T_TMP/opt" --version
expect_match "--forms before \$TIANBAO_FORMS" "$OUT" "^forms: $T_TMP/opt \(given by --forms\)$"
expect_eq "... and its units are the ones used" "$(TIANBAO_FORMS=$T_TMP/env township --forms "$T_TMP/opt")" "示范乡选项"

# ---- an edit while the folder in use is the computer's: the user's folder is made -------
rm -rf "$user"
(cd "$sys" && sha256sum ./*.ini) >"$T_TMP/sys.sum"
run "$TB" units rename 360730105201 东风新村
expect_rc "an edit of the computer's units" 0
expect_match "... says where it is written" "$OUT" "$user"
check "... into a new user folder" test -f "$user/units.ini"
check "... the computer's folder unchanged" sh -c "cd '$sys' && sha256sum -c --quiet '$T_TMP/sys.sum'"
check "... every form copied" sh -c "for f in '$sys'/*.ini; do n=\${f##*/}; [ \$n = units.ini ] || cmp -s \"\$f\" '$user'/\$n || exit 1; done"
expect_eq "... no temporary folder left" "$(ls -A "$XDG_CONFIG_HOME/tianbao")" "forms"
run "$TB" --version
expect_match "... and it is the folder in use after" "$OUT" "^forms: $user "
run "$TB" check-forms
expect_rc "... and checks clean" 0

# The defaults: the same (the shipped forms stay as they are).
rm -rf "$user" "$sys"
run "$TB" units rename 360730105201 东风新村
expect_rc "an edit of the defaults" 0
check "... goes into a new user folder" grep -q '^name = 东风新村$' "$user/units.ini"
check "... the shipped units.ini unchanged" sh -c "cd '$ROOT' && git diff --quiet -- forms/units.ini"

# A user folder with files but no units.ini is not taken over.
rm -rf "$user"
mkdir -p "$user"
echo '; mine' >"$user/notes.ini"
run "$TB" units rename 360730105201 东风新村
expect_rc "a user folder with other files: refused" 1
expect_match "... saying what to do" "$ERR" "has files but no units.ini"
expect_eq "... and left as it was" "$(ls -A "$user")" "notes.ini"

done_testing
