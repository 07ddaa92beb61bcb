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

done_testing
