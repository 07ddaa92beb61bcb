#!/usr/bin/env bash
# The command table and its dispatcher (src/cli/cli.h, dispatch.c): every command reads
# its options, says its help and refuses a mistake the same way, once, with exit 2, and
# before any database is opened or made.
. "$(dirname "$0")/../lib.sh"

V1=360730105201
export TIANBAO_DB=$T_TMP/never.db   # no case below may make it

# no_db DESC: the last command left no database behind.
no_db() { check "$1: no database made" test ! -e "$TIANBAO_DB"; }

# usage_error DESC CMD MESSAGE: the last run was a usage mistake of CMD saying MESSAGE
# (a fixed string), in exactly two lines on stderr and nothing on stdout.
usage_error() {
	local desc=$1 cmd=$2 msg=$3
	expect_rc "$desc: exit status 2" 2
	expect_eq "$desc: the message and where to get help" "$ERR" \
		"tianbao $cmd: $msg
Run 'tianbao $cmd --help' for how to use it."
	expect_eq "$desc: nothing on stdout" "$OUT" ""
	no_db "$desc"
}

# ---- the table, as the program's help lists it ------------------------------------------
run "$TB" --help
expect_rc "--help" 0
commands=$(sed -n '/^Commands:$/,/^$/p' <<<"$OUT" | sed -n 's/^  \([a-z-]*\) .*/\1/p' | tr '\n' ' ')
expect_eq "--help lists the sixteen commands, in order" "$commands" \
	"init set dump status complete log export verify merge conflicts resolve report check-forms units undo-forms demo "

# "tianbao help" is --help, "tianbao help COMMAND" is COMMAND --help.
help_all=$OUT
run "$TB" help
expect_eq "tianbao help is tianbao --help" "$OUT" "$help_all"
run "$TB" help export
expect_rc "help export" 0
expect_eq "tianbao help export is export --help" "$OUT" "$("$TB" export --help)"
run "$TB" --lang zh help nope
expect_rc "help of an unknown command" 2
expect_match "... is named" "$ERR" "未知命令“nope”"
run "$TB" help export set
expect_rc "help with two names" 2
expect_match "... says how help is used" "$ERR" "help takes one command's name at most"
no_db "help"

for c in $commands; do
	run "$TB" $c --help
	expect_rc "$c --help: exit status 0" 0
	expect_match "$c --help: its usage first" "$(head -1 <<<"$OUT")" "^Usage: tianbao $c( |$)"
	expect_match "$c --help: the options every command takes" "$OUT" "^  --db FILE +the database"
	expect_eq "$c --help: nothing on stderr" "$ERR" ""
	help=$OUT
	run "$TB" $c -h
	expect_eq "$c -h is $c --help" "$OUT" "$help"
	run "$TB" $c extra --db "$T_TMP/elsewhere.db" --help
	expect_eq "$c: --help after a mistake the options do not show still helps" "$OUT" "$help"
	run "$TB" --lang zh $c --help
	expect_match "$c --help in Chinese" "$(head -1 <<<"$OUT")" "^用法：tianbao $c"
	no_db "$c --help"
done

# ---- option mistakes, the same for every command ----------------------------------------
for c in $commands; do
	run "$TB" $c --frobnicate
	usage_error "$c --frobnicate" $c "unknown option '--frobnicate'"
	run "$TB" $c --frobnicate=1
	usage_error "$c --frobnicate=1: the option named without its value" $c "unknown option '--frobnicate'"
	run "$TB" $c -x
	usage_error "$c -x" $c "unknown option '-x'"
	run "$TB" $c --version
	usage_error "$c --version: the program's option only before a command" $c "unknown option '--version'"
	run "$TB" $c --db
	usage_error "$c --db without a value" $c "option '--db' needs a value"
	run "$TB" $c --help=yes
	usage_error "$c --help=yes" $c "unknown option '--help'"
done
run "$TB" merge --dry-run=yes x.tbx
usage_error "a flag given a value" merge "option '--dry-run' takes no value"
run "$TB" log --merges=1
usage_error "another flag given a value" log "option '--merges' takes no value"
run "$TB" report --period
usage_error "a command's own option without a value" report "option '--period' needs a value"
run "$TB" set --colour --period 26
usage_error "the first mistake on the line is said" set "unknown option '--colour'"

# ---- a period that is no period: the one message, for every command that takes one ------
for c in set dump status complete export conflicts report; do
	case $c in
	set) extra=(v_vc_total=5) ;;
	complete) extra=(--form village) ;;
	*) extra=() ;;
	esac
	for p in 26 2026q1 202613; do
		run "$TB" $c --period $p "${extra[@]}"
		usage_error "$c --period $p" $c "'$p' is not a period: write a year (2026), a quarter (2026Q1) or a month (202603)"
	done
done
run "$TB" export --period 2026,2025q4
usage_error "export: the first bad period of a list" export "'2025q4' is not a period: write a year (2026), a quarter (2026Q1) or a month (202603)"
run "$TB" export --period 2026,
usage_error "export: an empty period in a list" export "'' is not a period: write a year (2026), a quarter (2026Q1) or a month (202603)"

# ---- arguments --------------------------------------------------------------------------
for c in init dump status complete log export conflicts resolve report; do
	run "$TB" $c extra more
	usage_error "$c with an argument it does not take" $c "unexpected argument 'extra'"
	run "$TB" $c -- -extra
	usage_error "$c: after --, an argument even when it looks like an option" $c "unexpected argument '-extra'"
done
run "$TB" set --period 2026
usage_error "set without FIELD=VALUE" set "give at least one FIELD=VALUE"
run "$TB" verify
usage_error "verify without a file" verify "name at least one export file"
run "$TB" merge --dry-run
usage_error "merge without a file" merge "name at least one export file or folder"
run "$TB" set --period 2026 v_vc_total
usage_error "set: an argument that is not FIELD=VALUE" set "'v_vc_total' is not FIELD=VALUE"

# ---- required options ----------------------------------------------------------------------
run "$TB" init --operator 王
expect_rc "init without --unit: a usage mistake" 2
expect_match "init without --unit asks which unit" "$ERR" "^tianbao init: which unit does this computer report for\? The units are:$"
expect_match "and lists them, villages first" "$(sed -n 2p <<<"$ERR")" "^  360730105201 +Dongfeng Village +village$"
expect_match "then says how to choose" "$ERR" "^Give its code or its name: tianbao init --unit CODE"
check "init without --unit makes no database" test ! -e "$TIANBAO_DB"
run "$TB" set v_vc_total=5
usage_error "set without --period" set "--period P is required (2026, 2026Q1 or 202603)"
run "$TB" report
usage_error "report without --period" report "--period P is required (2026, 2026Q1 or 202603)"
run "$TB" complete --period 2026
usage_error "complete without --form" complete "--period and --form are required"
run "$TB" resolve --unit $V1 --field v_vc_total --take abcdef
usage_error "resolve without --period" resolve "--unit, --period and --field are required"
run "$TB" complete x --period 2026
usage_error "an extra argument is said before a missing option" complete "unexpected argument 'x'"
run "$TB" set --period 26
usage_error "a bad period is said before a missing FIELD=VALUE" set "'26' is not a period: write a year (2026), a quarter (2026Q1) or a month (202603)"

# ---- global options anywhere, once ------------------------------------------------------------
db=$T_TMP/anywhere.db
"$TB" --db "$db" init --unit $V1 >/dev/null 2>&1
"$TB" --db "$db" set --period 2026 v_vc_total=5 >/dev/null 2>&1
before=$("$TB" --db "$db" dump 2>&1)
expect_match "a value stored" "$before" "^$V1,2026,village,v_vc_total,5,"
expect_eq "--db after the command" "$("$TB" dump --db "$db" 2>&1)" "$before"
expect_eq "--db=FILE after the command" "$("$TB" dump --db="$db" 2>&1)" "$before"
expect_eq "--db between the options" "$("$TB" dump --period 2026 --db "$db" --unit $V1 2>&1)" "$before"
run "$TB" --db "$db" dump --lang zh --period 26
expect_match "--lang after the command sets the language of the message" "$ERR" "^tianbao dump: “26”不是报告期"
run "$TB" --db
expect_rc "--db without a value before the command" 2
expect_eq "... says so in the program's words" "$ERR" "tianbao: option '--db' needs a value"
run "$TB" --unit $V1 dump
expect_rc "a command's option before the command" 2
expect_match "... is an unknown option of the program" "$ERR" "^tianbao: unknown option '--unit'$"

# ---- the output cannot be written ----------------------------------------------------------------
run sh -c "'$TB' --db '$db' dump >/dev/full"
expect_rc "dump onto a full disk: exit status 1" 1
expect_eq "... says the output could not be written, once" "$ERR" "tianbao: could not write the output"
run sh -c "'$TB' status --help >/dev/full"
expect_rc "a command's help onto a full disk: exit status 1" 1
expect_eq "... says so" "$ERR" "tianbao: could not write the output"
# More than a buffer's worth (the rows' own writes fail, not only the last flush), each
# command that prints a walk or a report, and the program's help and version: said once.
big=$T_TMP/big.db
"$TB" --db "$big" init --unit 360730105000 --operator 王会计 >/dev/null
for u in 01 02 03 04 05 06 07 08; do
	"$TB" --db "$big" set --unit 3607301052$u --period 2026 v_vc_total=5 v_vc_female=2 v_notes="$(printf '第%s组%.0s' $(seq 40))" >/dev/null
	"$TB" --db "$big" set --unit 3607301052$u --period 2026 v_vc_total=6 v_notes=改 >/dev/null
done
for cmd in dump log "report --period 2026" "report --period 2026 --format csv" "--help" "--version"; do
	run sh -c "'$TB' --db '$big' $cmd >/dev/full"
	expect_rc "$cmd onto a full disk: exit status 1" 1
	expect_eq "$cmd onto a full disk: says the output could not be written, once" "$ERR" "tianbao: could not write the output"
done

done_testing
