#!/usr/bin/env bash
# `tianbao units`: the township's units listed, added, renamed, removed and imported from
# a county's list (CSV, UTF-8 or GBK), each change checked before units.ini is replaced.
# The folder in use is this user's configuration (in $T_TMP): the first change makes it
# as a copy of the shipped forms.
. "$(dirname "$0")/../lib.sh"

export XDG_CONFIG_HOME=$T_TMP/xdg
export TIANBAO_DB=$T_TMP/t.db
unset TIANBAO_FORMS
user=$XDG_CONFIG_HOME/tianbao/forms
units=$user/units.ini
V1=360730105201

# unchanged DESC: units.ini is byte for byte what was saved in $T_TMP/before.ini.
save() { cp "$units" "$T_TMP/before.ini"; }
unchanged() { check "$1: units.ini unchanged" cmp -s "$units" "$T_TMP/before.ini"; }
clean() {
	run "$TB" check-forms
	expect_rc "$1: check-forms clean" 0
}

# ---- the list ----------------------------------------------------------------------------
run "$TB" units
expect_rc "units lists the units" 0
expect_match "... a header" "$OUT" "^Code +Name +Kind +Forms it reports$"
expect_match "... a village, with the forms it reports" "$OUT" "^$V1 +Dongfeng Village +village +village$"
expect_match "... a department and its form" "$OUT" "^360730105-hc +Township Hospital \(Family Planning Office\) +department +hc$"
expect_eq "... one line per unit" "$(grep -c '^360730105' <<<"$OUT")" 16
run "$TB" --lang zh units
expect_match "in Chinese: the header" "$OUT" "^代码 +名称 +类别 +报送的表$"
expect_match "... the Chinese names and kinds" "$OUT" "^$V1 +东风村 +村 +village$"
# Aligned by display width: the kind starts in the same column on every line (CJK: 2
# columns; wc -L counts display columns).
cols=$(grep '^360730105' <<<"$OUT" | while IFS= read -r l; do
	pre=${l%%  村 *}; [ "$pre" = "$l" ] && pre=${l%%  乡 *}; [ "$pre" = "$l" ] && pre=${l%%  部门 *}
	printf '%s\n' "$pre" | LC_ALL=C.UTF-8 wc -L
done | sort -u | wc -l)
expect_eq "... columns aligned by display width" "$cols" 1
check "listing makes no user folder" test ! -e "$user"

# ---- add, rename, remove ---------------------------------------------------------------------
run "$TB" units add 360730105209 新村 --name-en "Xincun Village"
expect_rc "add a village" 0
expect_match "... says where" "$OUT" "added 360730105209 新村 to $units"
expect_match "... copied the forms first, and says so" "$OUT" "copied first"
check "... into the user folder" grep -q '^\[village.360730105209\]$' "$units"
check "... the header comment kept" sh -c "head -1 '$units' | grep -q '^; units.ini - the sample township'"
clean "after add"
run "$TB" --lang zh units
expect_match "... listed" "$OUT" "^360730105209 +新村 +村 +village$"

run "$TB" units add 360730105-jd 计生服务站 --role hc
expect_rc "add a department with a role" 0
run "$TB" units
expect_match "... it reports its role's forms" "$OUT" "^360730105-jd +计生服务站 +department +hc$"

save
run "$TB" units add 360730105-xx 某办 --role nosuch
expect_rc "a role no form is reported by: refused" 1
expect_match "... naming the roles there are" "$ERR" "no form is reported by role 'nosuch': the forms' roles are wf, org, hc"
unchanged "unknown role"
run "$TB" units add 360730105-xx 某办
expect_rc "a department without --role: refused" 1
expect_match "... saying it needs one" "$ERR" "needs --role"
run "$TB" units add 360730106201 外村
expect_rc "a village of another township: refused" 1
expect_match "... saying why" "$ERR" "not under the township 示范乡 \(360730105\)"
run "$TB" units add 360730105210 红旗村
expect_rc "a name another unit has: refused" 1
expect_match "... naming that unit" "$ERR" "already the name of unit 360730105202"
run "$TB" units add $V1 重复村
expect_rc "a code already there: refused" 1
expect_match "... saying to rename instead" "$ERR" "already in .*units rename $V1"
run "$TB" units add 360730105210 '坏"名'
expect_rc "a name with a quote: refused" 1
run "$TB" units add 360730105210 新村2 --role hc
expect_rc "--role for a village: refused" 1
unchanged "the refused additions"
run "$TB" units rename 360730105209 新村 --role hc
expect_rc "--role with rename: a usage mistake" 2
run "$TB" units frob
expect_rc "an unknown word: a usage mistake" 2
expect_match "... naming the words" "$ERR" "unknown word 'frob'"
run "$TB" units add 360730105210
expect_rc "add without a name: a usage mistake" 2
unchanged "the usage mistakes"

run "$TB" units rename $V1 东风新村
expect_rc "rename" 0
check "... written" grep -q '^name = 东风新村$' "$units"
run "$TB" units rename $V1 东风新村
expect_match "rename to the same name: nothing changed" "$OUT" "already called"
run "$TB" units rename 360730105000 示范镇
expect_rc "rename the township" 0
run "$TB" units rename 999 某
expect_rc "rename an unknown unit: refused" 1
clean "after rename"

run "$TB" units remove 360730105209
expect_rc "remove a unit without data" 0
check "... gone from units.ini" sh -c "! grep -q 360730105209 '$units'"
run "$TB" units remove 360730105000
expect_rc "the township cannot be removed" 1
clean "after remove"

# With data in the database: refused, saying how many values.
run "$TB" init --unit 360730105202
expect_rc "init as a village" 0
run "$TB" set --period 2025 v_vc_total=5 v_vc_female=2
expect_rc "... values set" 0
save
run "$TB" units remove 360730105202
expect_rc "remove a unit with data: refused" 1
expect_match "... saying how many values" "$ERR" "holds 2 value\(s\) for it"
unchanged "remove refused"
run "$TB" --lang zh units remove 360730105202
expect_match "... in Chinese" "$ERR" "2 个数据"

# ---- import ---------------------------------------------------------------------------------
# A county's list as Excel saves it in China: GBK, CRLF, a header, the township's line.
printf '%s\r\n' "统计用区划代码,名称" "360730105000,示范乡" "360730105201,东风村" "360730105202,红旗村" \
	"360730105211,白云村" "360730105212,青山村" >"$T_TMP/list.utf8"
iconv -f UTF-8 -t GBK "$T_TMP/list.utf8" >"$T_TMP/list-gbk.csv"
check "the GBK list is not UTF-8 (the test means it)" sh -c "! iconv -f UTF-8 -t UTF-8 '$T_TMP/list-gbk.csv' >/dev/null 2>&1"
run "$TB" units import "$T_TMP/list-gbk.csv"
expect_rc "import a GBK list" 0
expect_match "... the township's name from the list" "$OUT" "called 示范镇 before"
expect_match "... what it did" "$OUT" "2 village\(s\) added, 1 renamed, 1 unchanged"
expect_match "... villages not in the list kept and listed" "$OUT" "^  360730105203 石桥村$"
check "... the new villages written in UTF-8" grep -q '^name = 白云村$' "$units"
check "... the township renamed" sh -c "grep -A1 '^\[township' '$units' | grep -q '^name = 示范乡\$'"
check "... the kept village still there" grep -q '^\[village.360730105208\]$' "$units"
clean "after the GBK import"

# UTF-8 with a byte-order mark, CRLF, tab-separated, no header.
{ printf '\xef\xbb\xbf'; printf '%s\r\n' "360730105213	金沙村" "360730105211	白云新村"; } >"$T_TMP/list-bom.txt"
run "$TB" units import "$T_TMP/list-bom.txt"
expect_rc "import a UTF-8 list with a BOM and CRLF" 0
expect_match "... what it did" "$OUT" "1 village\(s\) added, 1 renamed, 0 unchanged"
check "... the name without BOM or CR" grep -qx 'name = 金沙村' "$units"
clean "after the UTF-8 import"
run "$TB" units import "$T_TMP/list-bom.txt"
expect_match "the same list again: nothing to write" "$OUT" "0 village\(s\) added, 0 renamed, 2 unchanged \(nothing to write\)"
run "$TB" --lang zh units import "$T_TMP/list-bom.txt"
expect_match "... in Chinese" "$OUT" "新增 0 个村，改名 0 个，未变 2 个（无需改动）"

# A bad code on line 4, a duplicate on line 6: both said, nothing changed.
save
printf '%s\n' "代码,名称" "360730105221,甲村" "360730105222,乙村" "36073010522X,丙村" "360730105223,丁村" \
	"360730105222,戊村" >"$T_TMP/bad.csv"
run "$TB" units import "$T_TMP/bad.csv"
expect_rc "a list with problems: refused" 1
expect_match "... the bad code on line 4" "$ERR" "^$T_TMP/bad.csv:4: '36073010522X' is not a division code"
expect_match "... the duplicate on line 6, naming line 3" "$ERR" "^$T_TMP/bad.csv:6: code 360730105222 is also on line 3"
expect_match "... and nothing changed" "$ERR" "nothing was changed"
unchanged "the refused list"
printf '%s\n' "360730105231,甲村" "360730105232,甲村" "360730106233,乙村" >"$T_TMP/bad2.csv"
run "$TB" units import "$T_TMP/bad2.csv"
expect_match "a name twice in the list" "$ERR" "^$T_TMP/bad2.csv:2: the name 甲村 is also on line 1"
expect_match "a code of another township" "$ERR" "^$T_TMP/bad2.csv:3: code 360730106233 is not under the township"
printf '%s\n' "3.60730105261E+11,某村" >"$T_TMP/excel.csv"
run "$TB" units import "$T_TMP/excel.csv"
expect_match "a code Excel made a number: said so" "$ERR" "excel.csv:1: '3.60730105261E\+11' is a code the spreadsheet turned into a number"
printf '360730105241,\xff\xfe\xff\n' >"$T_TMP/bad3.csv"
run "$TB" units import "$T_TMP/bad3.csv"
expect_rc "neither UTF-8 nor GBK: refused" 1
expect_match "... naming the line" "$ERR" "bad3.csv:1: this line is neither UTF-8 nor GBK"
head -c 1100000 /dev/zero | tr '\0' 'a' >"$T_TMP/big.csv"
run "$TB" units import "$T_TMP/big.csv"
expect_rc "a list over 1 MiB: refused" 1
# A name the list gives that another unit of units.ini has: the loader's check.
printf '%s\n' "360730105251,民政办" >"$T_TMP/dupcfg.csv"
run "$TB" units import "$T_TMP/dupcfg.csv"
expect_rc "a village named as a department: refused" 1
expect_match "... by the check of the whole set" "$ERR" "nothing was changed: with this change the forms would have 1 problem\(s\): unit name '民政办'"
expect_no_match "... naming units.ini, not its temporary file" "$ERR" '\.units\.'
unchanged "all refused lists"
check "no temporary file left" sh -c "[ -z \"\$(ls -A '$user' | grep -v '\.ini\$')\" ] && ! ls -A '$user' | grep -q '^\.'"

# ---- a real township's own list, on a laptop set up with the sample -------------------
# The statistics bureau's list (code, urban-rural class, name) of another township, with
# its own line: the township takes the list's code and name, its villages replace the
# sample's, the departments keep their names under the new code. Refused where the
# database holds values of the units here.
sw=$T_TMP/switch
mkdir -p "$sw"
printf '%s\n' "统计用区划代码,城乡分类代码,名称" "360730106000,,青山乡" "360730106201,220,青山村" \
	"360730106202,121,重阳村" | iconv -f UTF-8 -t GBK >"$sw/list.csv"
swtb() { env -u TIANBAO_FORMS XDG_CONFIG_HOME="$sw/cfg" "$TB" --db "$sw/t.db" "$@"; }
run swtb units import "$sw/list.csv"
expect_rc "another township's list on the sample: taken" 0
expect_match "said, naming the township it replaced" "$OUT" "the units are now the list's township's, in place of 示范乡 \(360730105\)"
run swtb units
expect_match "the township's new code and name" "$OUT" "^360730106000 +青山乡 +township"
expect_match "the name column, not the urban-rural class" "$OUT" "^360730106202 +重阳村 +village"
expect_no_match "the sample's villages are gone" "$OUT" "东风村"
expect_match "the departments under the new code" "$OUT" "^360730106-hc +卫生院\(计生办\) +department +hc"
run swtb check-forms
expect_rc "check-forms clean after the switch" 0
run swtb init --unit 青山乡
expect_rc "init as the new township, by its name" 0
run swtb set --unit 360730106201 --period 2025 v_vc_total=5
expect_rc "a value for a village of the new township" 0
printf '%s\n' "360730107000,红石乡" "360730107201,红石村" >"$sw/other.csv"
cp "$sw/cfg/tianbao/forms/units.ini" "$sw/before.ini"
run swtb units import "$sw/other.csv"
expect_rc "a third township's list over stored values: refused" 1
expect_match "says why, and how many values" "$ERR" "the list is of another township \(红石乡, 360730107\) than the one here \(青山乡, 360730106\), and the database .* holds 1 value\(s\)"
check "units.ini unchanged by it" cmp -s "$sw/cfg/tianbao/forms/units.ini" "$sw/before.ini"
printf '%s\n' "360730107201,红石村" >"$sw/noline.csv"
run swtb units import "$sw/noline.csv"
expect_rc "another township's villages without its own line: refused" 1
expect_match "says to add the township's line" "$ERR" "noline.csv:1: code 360730107201 is not under the township 360730106 here: .*add the township's own line"

# A units.ini whose township comes after its villages (written by hand): the same.
sw2=$T_TMP/switch2
mkdir -p "$sw2/cfg/tianbao/forms"
cp "$ROOT"/forms/*.ini "$sw2/cfg/tianbao/forms/"
python3 - "$sw2/cfg/tianbao/forms/units.ini" <<'PY'
import sys
s = open(sys.argv[1]).read()
i = s.index('[township.'); j = s.index('[village.')
open(sys.argv[1], 'w').write(s[:i] + s[j:] + '\n' + s[i:j])
PY
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$sw2/cfg" "$TB" --db "$sw2/t.db" units import "$sw/list.csv"
expect_rc "the township last in units.ini: the list still replaces it" 0
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$sw2/cfg" "$TB" --db "$sw2/t.db" units
expect_match "the township's new code" "$OUT" "^360730106000 +青山乡 +township"
run env -u TIANBAO_FORMS XDG_CONFIG_HOME="$sw2/cfg" "$TB" --db "$sw2/t.db" check-forms
expect_rc "and check-forms is clean" 0

done_testing
