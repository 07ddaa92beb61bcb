#!/usr/bin/env bash
# Bad form packages given to the real binary: the corpus of build/test/test_package
# (TIANBAO_PACKAGE_CORPUS: a good package made wrong in one way each, its checksums
# recomputed, with the words each refusal must say in expected.txt), files that are not
# files (a link, a pipe, a folder), 9 MiB of random bytes, and sound packages this
# village must not take: another township's, an older one, one not listing its unit.
# Each is refused by merge and by merge --dry-run, exit status 1, with its reason and
# the file's name, under the sanitizers, and the village's configuration (forms and
# forms.prev) is byte for byte as it was.
. "$(dirname "$0")/../lib.sh"

TWP=360730105000 V1=360730105201 V2=360730105202
OTHER=360730106000
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
unset TIANBAO_DB
cd "$T_TMP" || exit 2

# A package is never installed into a folder given by TIANBAO_FORMS: the township and
# the village each use a configuration of their own.
twp() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/twp" "$TB" --db "$T_TMP/twp.db" "$@"; }
vil() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/vil" "$TB" --db "$T_TMP/vil.db" "$@"; }
# export_forms N: the township writes its package into p/N; prints its path.
export_forms() { mkdir -p "$T_TMP/p/$1" && twp export --forms --out "$T_TMP/p/$1" 2>/dev/null; }

# ---- the township and the village ---------------------------------------------------
twp init --unit $TWP --operator 王会计 >/dev/null
twp units rename $V1 东风新村 >/dev/null
v1=$(export_forms 1)
check "the township writes version 1" test -s "$v1"
vil init --unit $V2 --operator 李村长 >/dev/null
run vil merge "$v1"
expect_rc "the village installs version 1" 0
twp units rename $V1 东风三村 >/dev/null
v2=$(export_forms 2)
expect_match "the township writes version 2" "$v2" "-v2\.tbp$"
run vil merge "$v2"
expect_rc "the village installs version 2" 0
check "the village keeps the set replaced" test -s "$T_TMP/vil/tianbao/forms.prev/units.ini"
# The township removes the village's unit, then writes version 3.
twp units remove $V2 >/dev/null
v3=$(export_forms 3)
expect_match "the township writes version 3 without the village" "$v3" "-v3\.tbp$"
# A second computer at the township, set up apart: its version 2 is not ours.
tw2() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/twp2" "$TB" --db "$T_TMP/twp2.db" "$@"; }
tw2 init --unit $TWP --operator 钱会计 >/dev/null
tw2 units rename $V1 东风一村 >/dev/null
mkdir -p "$T_TMP/p/twp2-1" "$T_TMP/p/twp2-2"
tw2 export --forms --out "$T_TMP/p/twp2-1" >/dev/null 2>&1
tw2 units rename $V1 东风二村 >/dev/null
v2_other=$(tw2 export --forms --out "$T_TMP/p/twp2-2" 2>/dev/null)
expect_match "a second township computer writes its own version 2" "$v2_other" "-v2\.tbp$"
check "... which differs from the one installed" test "$(sha256sum <"$v2_other")" != "$(sha256sum <"$v2")"
# Another township: its own folder of forms, every code in units.ini its own.
mkdir -p "$T_TMP/other/tianbao/forms"
cp "$ROOT"/forms/*.ini "$T_TMP/other/tianbao/forms/"
sed -i -e 's/360730105/360730106/g' -e 's/示范乡/红星乡/' "$T_TMP/other/tianbao/forms/units.ini"
oth() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/other" "$TB" --db "$T_TMP/other.db" "$@"; }
oth init --unit $OTHER --operator 赵会计 >/dev/null
mkdir -p "$T_TMP/p/other"
vo=$(oth export --forms --out "$T_TMP/p/other" 2>/dev/null)
expect_match "another township writes its package" "$vo" "-$OTHER-v1\.tbp$"

# ---- the corpus ----------------------------------------------------------------------
corpus=$T_TMP/corpus
mkdir -p "$corpus"
TIANBAO_PACKAGE_CORPUS=$corpus "$ROOT"/build/test/test_package >/dev/null 2>"$T_TMP/corpus.err"
check "test_package writes the corpus" test -s "$corpus/expected.txt"
n_corpus=$(wc -l <"$corpus/expected.txt")
check "the corpus holds 50 packages or more ($n_corpus)" test "$n_corpus" -ge 50
expected=$T_TMP/expected.txt
while IFS=$'\t' read -r f re; do printf '%s\t%s\n' "$corpus/$f" "$re"; done <"$corpus/expected.txt" >"$expected"

# Made here: not files, too large, and sound packages this village must not take.
ln -s "$v2" "$T_TMP/link.tbp"
mkfifo "$T_TMP/x.tbp"
mkdir "$T_TMP/y.tbp"
python3 -c 'import random,sys; random.seed(9); sys.stdout.buffer.write(random.randbytes(9 << 20))' >"$T_TMP/huge.tbp"
cp "$v3" "$T_TMP/not-my-unit.tbp"
cp "$vo" "$T_TMP/other-township.tbp"
cp "$v1" "$T_TMP/older.tbp"
cp "$v2_other" "$T_TMP/same-version-other-content.tbp"
{
	printf '%s\t%s\n' "$T_TMP/link.tbp" "refused: this is a symbolic link, not a file"
	printf '%s\t%s\n' "$T_TMP/x.tbp" "refused: this is not a file \\(a folder, a device or a pipe\\).*give the file itself"
	printf '%s\t%s\n' "$T_TMP/y.tbp" "refused: this is not a file \\(a folder, a device or a pipe\\).*give the file itself"
	printf '%s\t%s\n' "$T_TMP/huge.tbp" "refused: it is 9437184 bytes, larger than any form package.*right file"
	printf '%s\t%s\n' "$T_TMP/other-township.tbp" "refused: it holds the forms of 红星乡 \($OTHER\), but this computer has the forms of 示范乡 \($TWP\)"
	printf '%s\t%s\n' "$T_TMP/older.tbp" "refused: it is version 1 of the forms of 示范乡, older than version 2 installed here"
	printf '%s\t%s\n' "$T_TMP/same-version-other-content.tbp" "refused: it says it is version 2 of the forms of 示范乡, the version installed here, but its content differs"
	printf '%s\t%s\n' "$T_TMP/not-my-unit.tbp" "refused: this computer reports for .*$V2.*do not list"
} >>"$expected"

state() { (cd "$T_TMP/vil/tianbao" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum); }
before=$(state)
check "the village's configuration has forms and forms.prev" test "$(printf '%s\n' "$before" | grep -c '\./forms\.prev/')" -gt 0

n=0
while IFS=$'\t' read -r f re; do
	name=$(basename "$f")
	name_re=$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')
	n=$((n + 1))
	run timeout 60 env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/vil" "$TB" --db "$T_TMP/vil.db" merge "$f"
	expect_rc "$name: refused" 1
	expect_match "$name: the reason" "$ERR" "$re"
	expect_match "$name: the message names the file" "$ERR" "^tianbao merge: .*$name_re"
	expect_no_match "$name: no sanitizer report" "$ERR" "Sanitizer|runtime error"
	expect_eq "$name: the village's forms and forms.prev are unchanged" "$(state)" "$before"
	run timeout 60 env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/vil" "$TB" --db "$T_TMP/vil.db" merge --dry-run "$f"
	expect_rc "$name: merge --dry-run refuses it too" 1
	expect_match "$name: --dry-run gives the reason" "$ERR" "$re"
	expect_no_match "$name: --dry-run: no sanitizer report" "$ERR" "Sanitizer|runtime error"
done <"$expected"
check "at least 30 bad packages were given ($n)" test "$n" -ge 30
expect_eq "the village's configuration is unchanged at the end" "$(state)" "$before"

# ---- a village that has installed no package yet ------------------------------------
# Any township's package may come first (its forms replace the sample ones), but not
# one that leaves this village out; another township's is called that.
vil0() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$T_TMP/vil0" "$TB" --db "$T_TMP/vil0.db" "$@"; }
vil0 init --unit $V2 --operator 孙村长 >/dev/null
state0() { ls -A "$T_TMP/vil0"; [ -d "$T_TMP/vil0/tianbao" ] && (cd "$T_TMP/vil0/tianbao" && find . -type f | LC_ALL=C sort | xargs -d '\n' -r sha256sum); }
before0=$(state0)
run vil0 merge "$T_TMP/other-township.tbp"
expect_rc "new village: another township's package refused" 1
expect_match "new village: the refusal says it is another township's" "$ERR" "other-township\.tbp: refused: it holds the forms of 红星乡 \($OTHER\), another township: this computer reports for .*\($V2\)"
expect_eq "new village: its configuration is unchanged" "$(state0)" "$before0"
run vil0 --lang zh merge "$T_TMP/other-township.tbp"
expect_match "new village: the refusal in Chinese" "$ERR" "other-township\.tbp: 拒绝：它是另一个乡红星乡（$OTHER）的表"
run vil0 merge "$T_TMP/not-my-unit.tbp"
expect_rc "new village: its township's package without it refused" 1
expect_match "new village: the refusal says the unit is not listed" "$ERR" "not-my-unit\.tbp: refused: this computer reports for .*\($V2\), which the forms of 示范乡 in it do not list"
expect_eq "new village: its configuration is still unchanged" "$(state0)" "$before0"

# ---- in Chinese ------------------------------------------------------------------------
run vil --lang zh merge "$T_TMP/other-township.tbp"
expect_rc "zh: another township's package refused" 1
expect_match "zh: the refusal in Chinese, naming the townships" "$ERR" "other-township\.tbp.*拒绝.*红星乡.*示范乡"
run vil --lang zh merge "$T_TMP/older.tbp"
expect_rc "zh: an older package refused" 1
expect_match "zh: the older package's refusal in Chinese" "$ERR" "older\.tbp：拒绝：它是 示范乡 的表格第 1 版，比本机（[0-9-]{10}）安装的第 2 版旧"
run vil --lang zh merge "$T_TMP/not-my-unit.tbp"
expect_rc "zh: a package without this village refused" 1
expect_match "zh: its refusal in Chinese, naming the village" "$ERR" "not-my-unit\.tbp：拒绝：这台电脑为 红旗村（$V2）填报"
run vil --lang zh merge "$T_TMP/y.tbp"
expect_rc "zh: a folder named .tbp refused" 1
expect_match "zh: its refusal in Chinese" "$ERR" "y\.tbp: 拒绝：这不是一个文件"
run vil --lang zh merge "$corpus/$(grep -m1 cut-half "$corpus/expected.txt" | cut -f1)"
expect_rc "zh: a package cut short refused" 1
expect_match "zh: the refusal in Chinese" "$ERR" "拒绝"
expect_eq "the village's configuration is unchanged after the Chinese runs" "$(state)" "$before"

# ---- the good package still installs ----------------------------------------------------
run vil merge "$v2"
expect_rc "version 2 again: nothing to change" 0
done_testing
