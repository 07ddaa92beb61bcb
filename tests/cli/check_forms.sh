#!/usr/bin/env bash
# check_forms.sh - the form linter (`tianbao check-forms`) on the broken-forms corpus in
# tests/forms-bad/ (see its README.md), on the shipped forms, and the program's basic
# command line. Run through tests/run.sh.
. "$(dirname "$0")/../lib.sh"

BAD=$ROOT/tests/forms-bad

# expect_line DESC PREFIX TEXT: some line of $OUT starts with PREFIX and contains TEXT
# (both plain text: passed through the environment, as awk -v would read backslashes).
expect_line() {
	if printf '%s\n' "$OUT" | P=$2 M=$3 awk 'index($0, ENVIRON["P"]) == 1 && index($0, ENVIRON["M"]) > 0 { f = 1 } END { exit !f }'; then
		ok "$1"
	else
		not_ok "$1"; diag "no line starts with: $2" "and contains:      $3" "output:" "$OUT"
	fi
}

# expect_clean_stderr DESC: nothing on stderr (no sanitizer report, no stray message).
expect_clean_stderr() {
	if [ -z "$ERR" ]; then ok "$1"; else
		not_ok "$1"; diag "stderr:" "$ERR"
	fi
}

# expect_count DESC: the last line is "N problem(s) found" and N lines come before it.
expect_count() {
	local last n lines
	last=$(printf '%s\n' "$OUT" | tail -n 1)
	lines=$(($(printf '%s\n' "$OUT" | wc -l) - 1))
	n=${last%% *}
	if [[ $last =~ ^[0-9]+\ problem\(s\)\ found$ ]] && [ "$n" -eq "$lines" ]; then ok "$1"; else
		not_ok "$1"; diag "expected the last line 'N problem(s) found' after N lines" "output:" "$OUT"
	fi
}

# The expectations a corpus file declares: "; expect: LINE: TEXT" lines (LINE 0: the
# problem is about the whole file, printed "FILE: TEXT"). LC_ALL=C: some files are not
# valid UTF-8 on purpose, and one starts with a byte-order mark.
expectations() { LC_ALL=C sed -n 's/^\(\xEF\xBB\xBF\)\{0,1\}; expect: //p' "$1"; }
partner_of() { LC_ALL=C sed -n 's/^; with: //p' "$1"; }

# check_file FILE [OTHER...]: runs check-forms on the files and checks FILE's expectations.
check_file() {
	local file=$1 name want line text prefix
	name=${file#"$BAD"/}
	want=$(expectations "$file")
	if [ -z "$want" ]; then
		not_ok "$name: declares what check-forms must print (; expect: LINE: TEXT)"
		return
	fi
	shift
	if [ $# -gt 0 ]; then
		run "$TB" check-forms "$@"
	else
		run "$TB" check-forms "$file"
	fi
	expect_rc "$name: exit status 1" 1
	while IFS= read -r w; do
		line=${w%%: *}
		text=${w#*: }
		if [ "$line" = 0 ]; then prefix="$file: "; else prefix="$file:$line: "; fi
		expect_line "$name: line $line says: $text" "$prefix" "$text"
	done <<<"$want"
	expect_count "$name: ends with the number of problems printed"
	expect_clean_stderr "$name: nothing on stderr (no sanitizer report)"
}

# ---- the corpus: one broken file each -------------------------------------------------

files=0
for f in "$BAD"/*.ini; do
	[ "$(basename "$f")" = units.ini ] && continue
	files=$((files + 1))
	with=$(partner_of "$f")
	if [ -n "$with" ]; then
		# Checked together with a valid form; the problem is reported on the later file.
		check_file "$f" "$BAD/$with" "$f" "$BAD/units.ini"
	else
		check_file "$f"
	fi
done
if [ "$files" -ge 35 ]; then ok "the corpus has $files broken files"; else not_ok "the corpus has only $files broken files"; fi

# One file, one fault: each declares exactly one expectation.
several=
for f in "$BAD"/*.ini; do
	[ "$(basename "$f")" = units.ini ] && continue
	[ "$(expectations "$f" | wc -l)" -eq 1 ] || several="$several $(basename "$f")"
done
if [ -z "$several" ]; then ok "every corpus file declares one fault"; else
	not_ok "every corpus file declares one fault"; diag "more than one expectation in:$several"
fi

# ---- files that must pass ---------------------------------------------------------------

run "$TB" check-forms "$ROOT/forms"
expect_rc "the shipped forms have no problem" 0
expect_match "... and say so" "$OUT" '^no problems: [0-9]+ form\(s\), [0-9]+ field\(s\), [0-9]+ check\(s\), [0-9]+ unit\(s\)$'
expect_clean_stderr "... with nothing on stderr"

run "$TB" check-forms
expect_rc "check-forms without arguments checks \$TIANBAO_FORMS" 0

run "$TB" check-forms "$BAD/units.ini"
expect_rc "the corpus's units.ini is valid" 0
run "$TB" check-forms "$BAD/extra/partner.ini" "$BAD/units.ini"
expect_rc "the partner form is valid" 0
run "$TB" check-forms "$ROOT/forms/10-village.ini"
expect_rc "a single shipped form finds units.ini beside it" 0

# A comment after a quoted value is allowed: iniparser reads the value in the quotes.
sed -e 's/^label = 总数$/label = "总数" ; 人数/' -e "s/^label = 其中\$/label = '其中'	# 女性/" \
	"$BAD/extra/partner.ini" >"$T_TMP/comment.ini"
run "$TB" check-forms "$T_TMP/comment.ini" "$BAD/units.ini"
expect_rc "a comment after a closing quote is no problem" 0
expect_eq "... (the test file has both kinds of comment)" "$(grep -c '^label = .*[;#]' "$T_TMP/comment.ini")" 2

# ---- many problems in one file -------------------------------------------------------------

check_file "$BAD/extra/several-problems.ini" "$BAD/extra/several-problems.ini" "$BAD/units.ini"
n=$(expectations "$BAD/extra/several-problems.ini" | wc -l)
if [ "$(printf '%s\n' "$OUT" | P="$BAD/extra/several-problems.ini:" awk 'index($0, ENVIRON["P"]) == 1' | wc -l)" -ge "$n" ]; then
	ok "several problems in one file: all $n printed"
else
	not_ok "several problems in one file: all $n printed"; diag "$OUT"
fi

# Problems of two files are printed per file, each in line order.
run "$TB" check-forms "$BAD/duplicate-key.ini" "$BAD/range-reversed.ini" "$BAD/units.ini"
expect_rc "two broken files: exit status 1" 1
expect_eq "two broken files: both reported, file by file" \
	"$(printf '%s\n' "$OUT" | cut -d: -f1,2 | sed "s|^$BAD/||")" \
	"$(printf '%s\n' "duplicate-key.ini:$(expectations "$BAD/duplicate-key.ini" | cut -d: -f1)" \
		"range-reversed.ini:$(expectations "$BAD/range-reversed.ini" | cut -d: -f1)" '2 problem(s) found')"

# ---- files that cannot be read ---------------------------------------------------------------

run "$TB" check-forms "$BAD/no-such-file.ini"
expect_rc "a missing file: exit status 1" 1
expect_match "... named in the output" "$OUT" "^$BAD/no-such-file.ini: "

run "$TB" check-forms "$T_TMP"
expect_rc "an empty directory: exit status 1" 1
expect_match "... says there is no units file" "$OUT" "^$T_TMP: no units file"
expect_clean_stderr "... with nothing on stderr (no sanitizer report)"

# ---- names and texts printed safely ---------------------------------------------------------
# A file name (or a text quoted from a file) reaches the terminal: ESC must not (ESC[2J
# clears the screen), a newline must not split the FILE:LINE: message line.

# expect_no_control DESC: no control character in $OUT but the newlines ending lines.
expect_no_control() {
	if printf '%s' "$OUT" | LC_ALL=C tr -d '\n' | LC_ALL=C grep -q '[[:cntrl:]]'; then
		not_ok "$1"; diag "output:" "$(printf '%s\n' "$OUT" | cat -A)"
	else
		ok "$1"
	fi
}

names=$T_TMP/names
mkdir -p "$names"
dup_line=$(expectations "$BAD/duplicate-key.ini" | cut -d: -f1)
esc_name=$(printf 'x\033[2Jy.ini')
cp "$BAD/duplicate-key.ini" "$names/$esc_name"
run "$TB" check-forms "$names/$esc_name" "$BAD/units.ini"
expect_rc "a file name with ESC: exit status 1" 1
expect_no_control "... no ESC reaches the terminal"
expect_line "... the name is shown with the ESC escaped (\\x1B)" "$names/x\\x1B[2Jy.ini:$dup_line: " "duplicate key"
rm -f "$names/$esc_name"

nl_name=$(printf 'a\nb.ini')
cp "$BAD/duplicate-key.ini" "$names/$nl_name"
cp "$BAD/units.ini" "$names/units.ini"
run "$TB" check-forms "$names"
expect_rc "a file name with a newline (a directory checked): exit status 1" 1
expect_eq "... one line for the problem, the newline shown as \\n" "$OUT" \
	"$names/a\\nb.ini:$dup_line: $(printf '%s\n' "$OUT" | sed -n '1s/^[^ ]* //p')
1 problem(s) found"
expect_count "... and the count matches the lines printed"
rm -f "$names/$nl_name"

# A text quoted from the file in a message is escaped too.
printf '[form]\nid = bad\nx\033[2J = 1\n' >"$names/key.ini"
run "$TB" check-forms "$names/key.ini" "$BAD/units.ini"
expect_rc "a key name with ESC: exit status 1" 1
expect_no_control "... the message quoting it prints no ESC"
expect_line "... and shows it escaped" "$names/key.ini:3: " "'x\\x1B[2J'"

# ---- the command line ---------------------------------------------------------------------

run "$TB" --help
expect_rc "--help: exit status 0" 0
expect_match "--help lists check-forms" "$OUT" '^  check-forms '
expect_match "--help shows the usage" "$OUT" '^Usage: tianbao '
run "$TB" -h
expect_rc "-h: exit status 0" 0

run "$TB" --version
expect_rc "--version: exit status 0" 0
expect_match "--version prints the version" "$OUT" '^tianbao [0-9]+\.[0-9]+\.[0-9]+$'

run "$TB" check-forms --help
expect_rc "check-forms --help: exit status 0" 0
expect_match "check-forms --help shows its usage" "$OUT" '^Usage: tianbao check-forms \[DIR \| FILE\.\.\.\]$'
expect_eq "check-forms --help: nothing on stderr" "$ERR" ""

run "$TB" frobnicate
expect_rc "an unknown command: exit status 2" 2
expect_match "... named on stderr" "$ERR" "unknown command 'frobnicate'"
expect_eq "... and nothing on stdout" "$OUT" ""

run "$TB" --frobnicate check-forms
expect_rc "an unknown global option: exit status 2" 2
expect_match "... named on stderr" "$ERR" "unknown option '--frobnicate'"

run "$TB" check-forms --frobnicate
expect_rc "an unknown option of check-forms: exit status 2" 2
expect_match "... named on stderr" "$ERR" "unknown option '--frobnicate'"
expect_match "... with where to get help" "$ERR" "check-forms --help"

run "$TB" check-forms -x
expect_rc "an unknown short option of check-forms: exit status 2" 2
expect_match "... named on stderr" "$ERR" "unknown option '-x'"

run "$TB" --lang fr check-forms
expect_rc "--lang fr: exit status 2" 2
expect_match "... says which languages there are" "$ERR" "--lang takes zh or en"

run "$TB" --forms
expect_rc "--forms without a value: exit status 2" 2
expect_match "... says it needs one" "$ERR" "option '--forms' needs a value"

done_testing
