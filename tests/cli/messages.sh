#!/usr/bin/env bash
# What the commands say back: a folder merge names what it skipped and why; user input
# echoed in a message is cropped and shows control characters visibly.
. "$(dirname "$0")/../lib.sh"

V1=360730105201
vdb=$T_TMP/v.db tdb=$T_TMP/t.db
"$TB" --db "$vdb" init --unit $V1 >/dev/null
"$TB" --db "$vdb" set --period 2026 v_vc_total=5 >/dev/null
"$TB" --db "$tdb" init --unit 360730105000 >/dev/null
x=$T_TMP/x
mkdir -p "$x"
"$TB" --db "$vdb" export --out "$x" >/dev/null
good=$(ls "$x"/*.tbx)

# ---- a folder merge: what is skipped is said, a pipe never opened -----------------------
m=$T_TMP/stick
mkdir -p "$m"
cp "$good" "$m/a.tbx"
ln -s "$good" "$m/link.tbx"
mkfifo "$m/pipe.tbx"
mkdir "$m/folder.tbx"
run timeout 20 "$TB" --db "$tdb" merge "$m"
expect_rc "a folder with a link, a pipe and a folder named *.tbx: the file merged, the others said" 1
expect_match "the export file is merged" "$OUT" "^$m/a.tbx \($V1; 2026\): 1 new"
expect_match "the symbolic link is named, with why" "$ERR" "$m/link.tbx: skipped: it is a symbolic link, not an export file; copy the file itself into the folder"
expect_match "the pipe is named, and was not opened" "$ERR" "$m/pipe.tbx: skipped: it is a pipe or a device, not an export file; it was not opened"
expect_match "the folder is named" "$ERR" "$m/folder.tbx: skipped: it is a folder, not an export file"
expect_match "the count says they were not merged" "$OUT" "1 file\(s\) merged, 0 already merged before, 3 refused"
run timeout 20 "$TB" --db "$tdb" merge --dry-run "$m"
expect_match "a dry run (what the screens' import shows) says the same" "$ERR" "$m/pipe.tbx: skipped: it is a pipe"
rm -f "$m/a.tbx"
run timeout 20 "$TB" --db "$tdb" merge "$m"
expect_rc "a folder of only such entries: refused" 1
expect_no_match "it does not claim the folder is empty of them" "$ERR" "there is no export file"
expect_match "it names them" "$ERR" "link.tbx: skipped"

# ---- user input echoed in messages: cropped, control characters shown -------------------
big=$(head -c 100000 /dev/zero | tr '\0' x)
esc=$(printf 'a\033[2Jb')
ctl=$(printf '[\001-\010\013-\037\177]')
echoes() {   # echoes DESC ARG: each command that echoes its input, given ARG
	local what=$1 arg=$2 c
	local -a cmds=(
		"$arg"
		"dump --$arg"
		"dump --unit $arg"
		"status --unit $arg"
		"status --period $arg"
		"dump $arg"
		"set --unit $V1 --period 2026 $arg=1"
		"set --unit $V1 --period 2026 v_vc_total=${arg:0:200}"
		"log --since $arg"
		"report --period 2026 --format $arg"
		"units $arg"
		"--lang $arg dump"
	)
	for c in "${cmds[@]}"; do
		run "$TB" --db "$vdb" $c
		c=${c//$'\033'/ESC}
		expect_no_match "$what: 'tianbao ${c:0:24}' sends no control character" "$ERR" "$ctl"
		if [ ${#ERR} -gt 600 ]; then
			not_ok "$what: 'tianbao ${c:0:24}': a short message"; diag "${#ERR} bytes: ${ERR:0:300}"
		else
			ok "$what: 'tianbao ${c:0:24}': a short message (${#ERR} bytes)"
		fi
	done
}
echoes "100 KB argument" "$big"
echoes "ESC in an argument" "$esc"
run "$TB" --db "$vdb" "$big"
expect_match "a long argument is cropped with an ellipsis" "$ERR" "^tianbao: unknown command 'x{39}…'$"
run "$TB" --db "$vdb" "$esc"
expect_match "ESC is shown as \\x1B" "$ERR" "^tianbao: unknown command 'a\\\\x1B\[2Jb'$"
run "$TB" --db "$vdb" status --unit "$(printf '示%.0s' $(seq 1 30))"
expect_match "Chinese is cropped by columns (two each), never mid-character" "$ERR" "unknown unit '(示){19}…'"
run "$TB" --db "$vdb" "a$(printf '\u2028')b"
expect_match "a line separator is shown" "$ERR" "unknown command 'a\\\\u2028b'"

done_testing
