#!/usr/bin/env bash
# Forms that travel, end to end with the real binary: a township renames a village, adds
# one and changes a form's range and version; its form package goes on a stick; a village
# laptop on the old (shipped) forms sees what the package changes, installs it, enters a
# value only the new version allows, exports; the township merges with no refusal. The
# same village file at a township still on the old forms: refused, both versions named,
# nothing lost. Then the package's own rules: the same package again, the township's own
# package, undo and redo, an older package, another township's.
. "$(dirname "$0")/../lib.sh"

STICK=$T_TMP/stick
mkdir -p "$STICK"
# Each computer has its own configuration folder; none is given its forms by
# TIANBAO_FORMS (a package is never installed into a folder given so).
twp() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/twp" "$TB" --db "$T_TMP/twp.db" "$@"; }
vil() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/vil" "$TB" --db "$T_TMP/vil.db" "$@"; }
old() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/old" "$TB" --db "$T_TMP/old.db" "$@"; }
tree_sum() { (cd "$1" 2>/dev/null && find . -type f | LC_ALL=C sort | xargs -r sha256sum); }
TF=$T_TMP/twp/tianbao/forms
VF=$T_TMP/vil/tianbao/forms

# ---- the township sets up its own forms -------------------------------------------------
run twp init --unit 示范乡 --operator 王会计
expect_rc "the township's laptop" 0
run twp units rename 360730105201 东风新村
expect_rc "a village renamed" 0
run twp units add 360730105209 新建村
expect_rc "a village added" 0
check "its forms are now in its own configuration" test -s "$TF/units.ini"
# Version 2 of the village form widens a range (3..7 -> 3..9).
python3 - "$TF/10-village.ini" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'(?m)^version = 1$', 'version = 2', s, count=1)
i = s.index('[field.v_vc_total]'); j = s.index('\n[', i + 1)
part = re.sub(r'(?m)^range = .*$', 'range = 3..9', s[i:j], count=1)
open(sys.argv[1], 'w').write(s[:i] + part + s[j:])
PY
run twp check-forms
expect_rc "the township's edited forms check clean" 0
run twp export --forms --out "$STICK"
expect_rc "export --forms" 0
pkg=$OUT
expect_match "the package is named in ASCII with the township and its version" "$pkg" "/tianbao-forms-360730105000-v1\.tbp$"
check "it is on the stick" test -s "$pkg"
expect_eq "nothing else on the stick (no .tmp)" "$(ls -A "$STICK")" "tianbao-forms-360730105000-v1.tbp"
run twp export --forms --out "$STICK"
expect_rc "the same forms again" 0
expect_eq "the same package printed" "$OUT" "$pkg"
expect_match "the same version, said" "$ERR" "that form package \(version 1\) was on the stick already"

run twp verify "$pkg"
expect_rc "verify of a package: not an export" 1
expect_match "it says what the file is" "$ERR" "this is a township's form package \(\.tbp\), not an export of data: 'tianbao merge' \(or F4\) installs it"

# ---- a village laptop on the shipped forms ----------------------------------------------
run vil set --unit 360730105209 --period 2025 v_vc_total=8
expect_rc "before the package, the new village is unknown here" 1
expect_match "refused as unknown" "$ERR" "360730105209"
run vil merge --dry-run "$STICK"
expect_rc "a dry run of the package" 0
expect_match "it names the package" "$OUT" "^Form package tianbao-forms-360730105000-v1.tbp: the forms of 示范乡 \(360730105000\), version 1, written [0-9-]{10} by 王会计\.$"
expect_match "what is here now" "$OUT" "^This computer now: the forms of 示范乡 \(360730105000\), from no package\.$"
expect_match "the form's version before -> after" "$OUT" "^  form village \(Village women's and children's outline indicators\): version 1 -> 2$"
expect_match "the renamed village" "$OUT" "^  unit 360730105201: renamed 东风村 -> 东风新村$"
expect_match "the added village" "$OUT" "^  unit 360730105209 新建村: added$"
expect_match "a dry run changes nothing" "$OUT" "dry run: nothing was changed"
check "a dry run installs nothing" test ! -e "$VF"
run vil --lang zh merge --dry-run "$STICK"
expect_match "in Chinese" "$OUT" "^  单位 360730105201：改名 东风村 → 东风新村$"
run vil merge "$STICK"
expect_rc "the package installed" 0
expect_match "said so" "$OUT" "^Installed: the forms of 示范乡, version 1, in $VF\.$"
check "the forms are in the village's configuration" cmp "$VF/10-village.ini" "$TF/10-village.ini"
check "and the units" cmp "$VF/units.ini" "$TF/units.ini"
check "with the package it came from" test -s "$VF/.package"
check "the set it replaced is kept" test -s "$VF.prev/units.ini"
run vil --version
expect_match "--version names the forms folder" "$OUT" "forms: $VF \(this user's configuration\)"
run vil init --unit 新建村 --operator 赵四
expect_rc "the new village, by its name" 0
run vil set --period 2025 v_vc_total=8 v_vc_female=3
expect_rc "8 committee members: only version 2 allows it" 0
run vil export --out "$STICK"
expect_rc "the village exports" 0
vfile=$OUT
expect_eq "the file says version 2" "$(sqlite3 "$vfile" "SELECT version FROM forms WHERE id = 'village'")" "2"
run vil merge "$STICK"
expect_rc "the same package again (and the village's own file)" 0
expect_match "the same package: nothing to change" "$OUT" "This package is installed already: nothing to change\."

# A township with forms of its own sends them with every export.
run twp set --unit 360730105202 --period 2025 v_vc_total=5
mkdir -p "$T_TMP/county"
run twp export --out "$T_TMP/county"
expect_rc "the township's data export" 0
expect_match "its package went with it" "$ERR" "the township's forms and units went with it: $T_TMP/county/tianbao-forms-360730105000-v1\.tbp \(form package version 1\)"
check "the package is there" test -s "$T_TMP/county/tianbao-forms-360730105000-v1.tbp"

# ---- the township merges ----------------------------------------------------------------
run twp merge --dry-run "$STICK"
expect_match "a dry run with packages and export files says how the files are read" "$OUT" "^note: a dry run installs no package, so the export files are read with the forms here now$"
run twp merge "$STICK"
expect_rc "the township merges the stick" 0
expect_match "its own package: skipped" "$OUT" "This is this township's own form package"
expect_match "the village's file, no refusal" "$OUT" "\(360730105209; 2025\): 2 new"
run twp dump --unit 360730105209
expect_match "the value typed at the village" "$OUT" "^360730105209,2025,village,v_vc_total,8,"

# ---- a township still on the old forms ---------------------------------------------------
old init --unit 360730105000 >/dev/null
run old merge "$vfile"
expect_rc "a township on the old forms: refused" 1
expect_match "both versions named, and what to do" "$ERR" "refused: .*filled in version 2 of form 'village' .*this computer has version 1\. Import the township's newest form package here first"
run old dump
expect_eq "nothing of it merged" "$(grep -c 360730105209 <<<"$OUT")" "0"
check "and nothing lost: the file is still on the stick" test -s "$vfile"
run old --lang zh merge "$vfile"
expect_match "in Chinese: both versions" "$ERR" "用第 2 版“村级妇女儿童发展纲要监测表”（village）填报，本机是第 1 版。请先在本机导入乡里最新的表格包"

# ---- undo, and the rules of taking a package ----------------------------------------------
before=$(tree_sum "$VF")
run vil undo-forms
expect_rc "undo-forms" 0
expect_match "says what is back" "$OUT" "Put back: the forms from before the form package"
expect_eq "the shipped units are back" "$(grep -c 东风新村 "$VF/units.ini")" "0"
run vil undo-forms
expect_rc "undo again: redo" 0
expect_eq "the package's forms are back, byte for byte" "$(tree_sum "$VF")" "$before"
# Version 2 of the package: the township renames another village.
run twp units rename 360730105202 红旗新村
run twp export --forms --out "$STICK"
expect_match "changed forms: the next version" "$OUT" "tianbao-forms-360730105000-v2\.tbp$"
# A township laptop set up anew forgets the versions it wrote; the stick remembers them.
rm "$TF/.package-written"
run twp export --forms --out "$STICK"
expect_match "the same forms as the stick's version 2: that package" "$OUT" "tianbao-forms-360730105000-v2\.tbp$"
expect_match "said so" "$ERR" "version 2\) was on the stick already"
rm "$TF/.package-written"
run twp units rename 360730105203 石桥新村
run twp export --forms --out "$STICK"
expect_match "changed forms after it: version 3, not 1" "$OUT" "tianbao-forms-360730105000-v3\.tbp$"
run twp units rename 360730105203 石桥村
rm "$STICK/tianbao-forms-360730105000-v3.tbp" "$TF/.package-written"
run twp export --forms --out "$STICK"
expect_match "back to version 2's forms: version 2 again" "$OUT" "tianbao-forms-360730105000-v2\.tbp$"
run vil merge "$STICK/tianbao-forms-360730105000-v2.tbp"
expect_rc "version 2 installed" 0
expect_match "what is installed, before" "$OUT" "^This computer now: version 1 of the forms of 示范乡, installed [0-9-]{10}\.$"
expect_match "only the change" "$OUT" "^  unit 360730105202: renamed 红旗村 -> 红旗新村$"
before=$(tree_sum "$T_TMP/vil/tianbao")
run vil merge "$STICK/tianbao-forms-360730105000-v1.tbp"
expect_rc "an older package: refused" 1
expect_match "older, both versions named" "$ERR" "refused: it is version 1 of the forms of 示范乡, older than version 2 installed here"
expect_eq "the configuration unchanged" "$(tree_sum "$T_TMP/vil/tianbao")" "$before"
run vil merge "$STICK"
expect_rc "the stick with versions 1 and 2: only the newest is looked at" 0
expect_no_match "no refusal of the older one" "$ERR" "older than"
expect_match "version 2, installed already" "$OUT" "This package is installed already"
# Another township's package (its own codes throughout).
oth=$T_TMP/oth/tianbao/forms
mkdir -p "$oth"
cp "$ROOT"/forms/*.ini "$oth/"
sed -i 's/360730105/360730106/g; s/示范乡/东山乡/; s/OU_SF/OU_DS/g; s/OU_SHIFAN/OU_DONGSHAN/' "$oth/units.ini"
env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/oth" "$TB" --db "$T_TMP/oth.db" init --unit 360730106000 >/dev/null
mkdir -p "$T_TMP/stick2"
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/oth" "$TB" --db "$T_TMP/oth.db" export --forms --out "$T_TMP/stick2"
expect_rc "another township's package" 0
run vil merge "$T_TMP/stick2"
expect_rc "another township's package: refused" 1
expect_match "names both townships" "$ERR" "refused: it holds the forms of 东山乡 \(360730106000\), but this computer has the forms of 示范乡 \(360730105000\)"
expect_eq "the configuration unchanged by it" "$(tree_sum "$T_TMP/vil/tianbao")" "$before"
# A village laptop that never installed a package takes the first one of any township
# (a new laptop comes with the sample forms), but not when it reports for a unit the
# package does not list.
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/new" "$TB" --db "$T_TMP/new.db" merge --dry-run "$T_TMP/stick2"
expect_rc "a new laptop on the sample forms: another township's first package is taken" 0
expect_match "shown as a change of township" "$OUT" "^  unit 360730106201 东风村: added$"
env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/v2" "$TB" --db "$T_TMP/v2.db" init --unit 360730105203 >/dev/null
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/v2" "$TB" --db "$T_TMP/v2.db" merge "$T_TMP/stick2"
expect_rc "a package that does not list this computer's unit: refused" 1
expect_match "it says so: another township's" "$ERR" "refused: it holds the forms of 东山乡 \(360730106000\), another township: this computer reports for Shiqiao Village \(360730105203\)"
check "nothing installed" test ! -e "$T_TMP/v2/tianbao/forms"
# A package is never installed into a folder given by --forms or TIANBAO_FORMS.
run env XDG_CONFIG_HOME="$T_TMP/v3" TIANBAO_FORMS="$ROOT/forms" "$TB" --db "$T_TMP/v3.db" merge "$pkg"
expect_rc "with TIANBAO_FORMS: refused" 1
expect_match "says why" "$ERR" "given by TIANBAO_FORMS; a form package is installed only into this user's configuration"
# Only a township writes packages.
run vil export --forms --out "$STICK"
expect_rc "a village cannot write a package" 1
expect_match "says why" "$ERR" "only the township hands out its forms"

# A forms folder with a subfolder of the user's own: installing twice keeps the set
# replaced (the old forms.prev, subfolder and all, is moved aside, then removed), and
# undo puts a whole set back.
mkdir -p "$VF/mine"
echo note >"$VF/mine/x.txt"
run twp units rename 360730105204 柳树新村
run twp export --forms --out "$STICK"
expect_match "version 3" "$OUT" "v3\.tbp$"
run vil merge "$STICK"
expect_rc "version 3 over a folder with a subfolder" 0
check "the set replaced is kept, with its subfolder" test -s "$VF.prev/units.ini" -a -s "$VF.prev/mine/x.txt"
run vil undo-forms
expect_rc "undo" 0
check "a whole set is back" test -s "$VF/units.ini"
expect_eq "version 2's units" "$(grep -c 柳树新村 "$VF/units.ini")" "0"
run vil undo-forms
expect_rc "redo" 0
expect_eq "version 3's units" "$(grep -c 柳树新村 "$VF/units.ini")" "1"
rm -rf "$VF.prev"
mkdir "$VF.prev"
run vil undo-forms
expect_match "a forms.prev without forms: nothing to undo" "$OUT" "Nothing to undo"
check "the forms stay" test -s "$VF/units.ini"

done_testing
