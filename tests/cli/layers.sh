#!/usr/bin/env bash
# The folders of src/ are layers (tests/tools/layers.sh holds the table): the tree obeys
# it, and the checker catches each kind of violation planted in a copy of the tree.
. "$(dirname "$0")/../lib.sh"

checker=$ROOT/tests/tools/layers.sh

run "$checker" "$ROOT/src"
expect_rc "src/ keeps its layers" 0
expect_eq "and says nothing" "$OUT$ERR" ""

# plant DESC FILE EXPECT EDIT...: a copy of src/ with one violation, which must fail the
# check with a line naming the file and matching EXPECT.
plant() {
	local desc=$1 file=$2 want=$3
	shift 3
	rm -rf "$T_TMP/src"
	cp -r "$ROOT/src" "$T_TMP/src"
	"$@" "$T_TMP/src/$file"
	run "$checker" "$T_TMP/src"
	expect_rc "$desc: refused" 1
	expect_match "$desc: named" "$OUT" "^$T_TMP/src/$file(:[0-9]+)?: $want"
}

append() { printf '%s\n' "$line" >>"$1"; }
line='#include "ui/ui.h"'
plant "lib/ including a screen header" lib/text.c 'lib/ may not include "ui/ui.h"' append
line='#include "store/store.h"'
plant "forms/ including the store" forms/expr.c 'forms/ may not include "store/store.h"' append
line='#include "core/app.h"'
plant "the store including the core" store/store.c 'store/ may not include "core/app.h"' append
line='#include "ui/ui.h"'
plant "a command including a screen" cli/cli.c 'cli/ may not include "ui/ui.h"' append
line='#include <sqlite3.h>'
plant "SQL outside the store and the export format" core/entry.c '<sqlite3.h> belongs to store tbx only' append
line='#include <curses.h>'
plant "curses outside the screens" report/report.c '<curses.h> belongs to ui only' append
line='#include <iniparser.h>'
plant "iniparser outside the form definitions" core/app.c '<iniparser.h> belongs to forms only' append
line='#include <xlsxwriter.h>'
plant "libxlsxwriter outside the reports" cli/cli.c '<xlsxwriter.h> belongs to report only' append
line='#include "util.h"'
plant "an include without its folder" lib/csv.c '#include "util.h" does not name its folder' append
line='static void f(void) { store_write_values(0, 0, 0, 0, 0, 0, 0, 0, 0); }'
plant "a screen writing the store itself" ui/ui.c 'store_write_values changes the database: ui/ writes through the core' append
lonely() { : >"${1%.c}.c"; rm -f "${1%.c}.h"; }
plant "a source file without its header" lib/lonely.c 'has no header' lonely
stray() { mkdir -p "$(dirname "$1")"; : >"$1"; }
plant "a folder that is no layer" misc/x.h 'the folder "misc" is not a layer' stray
rename_write() { sed -i 's/\bstore_write_values(/store_put_values(/' "$1"; }
rm -rf "$T_TMP/src"
cp -r "$ROOT/src" "$T_TMP/src"
rename_write "$T_TMP/src/store/values.h"
run "$checker" "$T_TMP/src"
expect_rc "a store write renamed without the checker knowing: refused" 1
expect_match "a store write renamed: named" "$OUT" "^$T_TMP/src/store: declares no store_write_values"

# README's table ("How it is built") is the checker's: the same folders, in the same order,
# each with the same folders it may include.
script_table=$(awk "/^layers='/ { on = 1; next } on && /^'/ { exit } on && NF { \$1 = \$1; print }" "$checker" | grep -v '^\. ')
readme_table=$(sed -n '/^## How it is built/,/^## /p' "$ROOT/README.md" |
	awk -F'|' '/^\| `[a-z]+\/` \|/ {
		gsub(/[ `\/]/, "", $2); inc = $4; gsub(/`/, "", inc); gsub(/nothing of ours/, "", inc)
		n = split(inc, w, " "); line = $2; for (i = 1; i <= n; i++) line = line " " w[i]; print line }')
expect_eq "README's table of layers is the checker's" "$readme_table" "$script_table"

done_testing
