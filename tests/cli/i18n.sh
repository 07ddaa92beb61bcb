#!/usr/bin/env bash
# The Chinese catalogue: complete for the current sources, and the language chosen the way
# a user would choose it (--lang, LANG, a zh_CN locale that was never installed), on the
# command line and on screen, where the Chinese must line up by display columns.
. "$(dirname "$0")/../lib.sh"

PO=$ROOT/po/zh_CN.po
VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
export TIANBAO_DB=$T_TMP/i18n.db

# No language from the environment but what each case sets.
plain() { env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u TIANBAO_LANG "$@"; }

# ---- the catalogue ---------------------------------------------------------------------------
run msgfmt --check --statistics -o /dev/null "$PO"
expect_rc "msgfmt --check accepts zh_CN.po" 0
expect_match "every message translated, none fuzzy" "$ERR" "^[0-9]+ translated messages\.$"
expect_no_match "no untranslated or fuzzy message" "$ERR" "untranslated|fuzzy"
expect_match "one plural form, as Chinese has" "$(cat "$PO")" '^"Plural-Forms: nplurals=1; plural=0;\\n"$'

# Every message of the current sources is in the catalogue (msgcmp ignores untranslated and
# fuzzy entries, so a message added to src/ and not translated fails here).
run xgettext --from-code=UTF-8 -k_ -kN_ -c -o "$T_TMP/now.pot" "$ROOT"/src/*.c "$ROOT"/src/*/*.c
expect_rc "xgettext reads the sources" 0
run msgcmp "$PO" "$T_TMP/now.pot"
expect_rc "every message of src/*.c has a translation" 0
if [ "$RC" -ne 0 ]; then diag "$ERR"; fi

# ---- the command line ------------------------------------------------------------------------
run "$TB" --lang zh --help
expect_rc "--lang zh --help" 0
expect_match "help in Chinese: usage" "$OUT" "^用法：tianbao "
expect_match "help in Chinese: a command's summary" "$OUT" "^  merge +把各村、各部门的导出文件合并到本机数据库$"
expect_no_match "help has no English summary left" "$OUT" "^  [a-z-]+ +[a-z]+ [a-z]+"
expect_eq "every command's summary is Chinese" "$(grep -E '^  [a-z-]+ ' <<<"$OUT" | grep -cvP '\p{Han}')" "0"

"$TB" --lang zh init --unit $V1 --operator 李秀英 >/dev/null
run "$TB" --lang zh set --period 2026 v_vc_total=99 v_vc_female=abc
expect_rc "a refused set" 1
expect_match "range refusal in Chinese" "$ERR" "v_vc_total: 99 超出允许范围：必须在 3 到 7 之间"
expect_match "type refusal in Chinese" "$ERR" "v_vc_female: “abc”不是整数"
expect_match "says nothing was saved, in Chinese" "$ERR" "tianbao set: 全部未保存（2 个数值被拒绝）"

# LANG=zh_CN.UTF-8 on a machine without that locale (src/i18n.c falls back to C.UTF-8 for
# the characters and still picks the Chinese catalogue).
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	ok "# SKIP zh_CN.UTF-8 is installed here: the fallback is not exercised"
else
	ok "zh_CN.UTF-8 is not installed here"
fi
run plain LANG=zh_CN.UTF-8 "$TB" --help
expect_match "LANG=zh_CN.UTF-8: help in Chinese" "$OUT" "^用法："
run plain LANG=zh_CN.UTF-8 "$TB" set --period 2026Q1 v_vc_total=5
expect_match "LANG=zh_CN.UTF-8: a refusal in Chinese" "$ERR" "表“village”按年填报，报告期应写成 2026 这样，不能写“2026Q1”"
run plain LANG=zh_CN.UTF-8 "$TB" --lang en --help
expect_match "--lang en beats LANG=zh_CN.UTF-8" "$OUT" "^Usage: tianbao "

# The users are Chinese: a locale that names no language of ours gives Chinese, only
# one that asks for English ("en...") gives English.
for loc in C.UTF-8 C POSIX fr_FR.UTF-8; do
	run plain LANG=$loc "$TB" --help
	expect_match "LANG=$loc: help in Chinese" "$OUT" "^用法：tianbao "
done
run plain LANG=C.UTF-8 "$TB" set --period 2026 v_vc_female=abc
expect_match "C.UTF-8: a refusal in Chinese" "$ERR" "v_vc_female: “abc”不是整数"
run plain LC_ALL=C.UTF-8 LANG=en_US.UTF-8 "$TB" --help
expect_match "LC_ALL=C.UTF-8 beats LANG=en_US.UTF-8, as gettext reads them: Chinese" "$OUT" "^用法："
for loc in en_US.UTF-8 en_GB.UTF-8; do
	run plain LANG=$loc "$TB" --help
	expect_match "LANG=$loc (not installed here): help in English" "$OUT" "^Usage: tianbao "
	n=$(grep -v '填报' <<<"$OUT" | grep -cP '\p{Han}')
	expect_eq "LANG=$loc: no Chinese but the program's name" "$n" "0"
done
run plain LANGUAGE=en:zh_CN LANG=C.UTF-8 "$TB" --help
expect_match "LANGUAGE=en:zh_CN: the first language asked for, English" "$OUT" "^Usage: "
run plain LANG=C.UTF-8 TIANBAO_LANG=en "$TB" --help
expect_match "TIANBAO_LANG=en beats the locale" "$OUT" "^Usage: "
run plain LANG=en_US.UTF-8 "$TB" --lang zh --help
expect_match "--lang zh beats LANG=en_US.UTF-8" "$OUT" "^用法："
run plain LANG=C.UTF-8 "$TB" --lang en set --period 2026 v_vc_female=abc
expect_match "--lang en: a refusal in English" "$ERR" "v_vc_female: 'abc' is not a whole number"

# A locale asked for that this machine does not have (LOCPATH: an empty folder of
# locales), on screen: the screens start, in Chinese, and draw Chinese by its widths.
mkdir -p "$T_TMP/no-locales"
"$VT" <<EOF
size 80 24
env LOCPATH=$T_TMP/no-locales
env LANG=zh_CN.UTF-8
env LC_ALL=
env TIANBAO_LANG=
spawn $TB --db $TIANBAO_DB
wait 东风村
expect_at 23 0 ↑↓ 移动  Enter 选择/继续  F1/^G 帮助  Esc/F10/^X 退出
key Esc
expect_exit 0
EOF

# An installed locale of another character set (GB18030, made here with localedef): the
# terminal is set up for it, so the screens refuse, with a command that works here.
mkdir -p "$T_TMP/gb-locales"
if localedef -i zh_CN -f GB18030 "$T_TMP/gb-locales/zh_CN.GB18030" >/dev/null 2>&1; then
	run plain LOCPATH=$T_TMP/gb-locales LANG=zh_CN.GB18030 "$TB" --db "$TIANBAO_DB"
	expect_rc "LANG=zh_CN.GB18030: the screens refuse" 1
	expect_match "it names the locale" "$ERR" "zh_CN.GB18030"
	expect_match "and gives a command that works here (LC_ALL beats every other setting)" "$ERR" "^  LC_ALL=C.UTF-8 tianbao$"
	run plain LOCPATH=$T_TMP/gb-locales LANG=zh_CN.GB18030 "$TB" --help
	expect_rc "LANG=zh_CN.GB18030: the commands still run" 0
else
	ok "# SKIP localedef cannot make a GB18030 locale here"
fi

# ---- on screen: the key bar and the columns of the list of forms -----------------------------
"$TB" set --period 2026 v_vc_total=4 v_vc_female=5 >/dev/null
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $TIANBAO_DB
wait 东风村
expect_at 23 0 ↑↓ 移动  Enter 选择/继续  F1/^G 帮助  Esc/F10/^X 退出
key Down
key BS 4
type 2026
key Enter
wait 东风村 · 2026 · 表格列表
# Back is named Esc/F10/^X on every bar (src/ui/keys.c); the list was the one bar that
# said Esc alone, and the form F10/^X. At 80 columns the list then drops F5/^T, the key of
# least priority (its help names it; 120 columns show it: tests/tui/frame.sh).
expect_at 23 0 Enter 打开  F1/^G 帮助  F3/^E 导出  F4/^O 导入  F6/^K 冲突  Esc/F10/^X 返回
expect_at 1 4 表名
expect_at 1 36 状态
expect_at 1 48 已填项
expect_at 1 56 问题
expect_at 2 4 村级妇女儿童发展纲要监测表
expect_at 2 36 填写中
expect_at 2 50 2/17
expect_at 2 56 1 个错误
key Enter
wait 村委会成员数
expect_at 23 0 Tab/↓ 下一项  ↑ 上一项  F1/^G 帮助  F2/^R 审核  F11/^D 备注  Esc/F10/^X 返回
expect_at 2 59 错误
key C-x
key Esc
wait 东风村
key Esc
expect_exit 0
EOF

done_testing
