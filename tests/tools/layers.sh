#!/usr/bin/env bash
# layers.sh [SRC] - checks that the folders of src/ are layers, one way.
#
# Each folder may include headers of the folders listed after it, and its own; nothing
# else. A library's header may appear only in the folders that own it, and the store's
# writes may be called only from the store and the core (commands and screens write
# through the core, so a rule holds in both). Every source file has its header. Prints
# each violation as FILE:LINE: what, and exits 1 when there is any. README ("How it is
# built") shows the same table.
set -u
src=${1:-src}

# folder   may include (besides itself); "." is src/ itself (main.c)
layers='
lib
forms    lib
tbx      lib forms
store    lib forms tbx
core     lib forms tbx store
report   lib forms store core
ui       lib forms tbx store core report
cli      lib forms tbx store core report
.        lib forms tbx store core report ui cli
'

# library header (an awk regular expression)   the folders that may include it
libraries='
sqlite3\.h                                     store tbx
(n?curses|ncursesw/[a-z]+|term|form|panel)\.h  ui
(iniparser|dictionary)\.h                      forms
xlsxwriter\.h                                  report
'

# Store functions that change the database: only the store and the core call them.
store_writes='store_write_values|store_set_form_state|store_meta_set|store_sync_units|store_resolve_take|store_merger_open|store_merge_file'
writers='store core'

[ -d "$src" ] || { echo "layers.sh: no folder $src" >&2; exit 2; }
cd "$src" || exit 2

bad=0
known=" $(printf '%s\n' "$layers" | awk 'NF { printf "%s ", $1 }')"
for f in $(find . -name '*.[ch]' | sed 's|^\./||' | sort); do
	case $f in */*) folder=${f%%/*} ;; *) folder=. ;; esac
	case $known in
	*" $folder "*) ;;
	*) echo "$src/$f: the folder \"$folder\" is not a layer (add it to tests/tools/layers.sh and README)"; bad=1 ;;
	esac
	# One header per source file: F/x.c has F/x.h (main.c has none).
	case $f in
	main.c | *.h) ;;
	*) [ -f "${f%.c}.h" ] || { echo "$src/$f: has no header $src/${f%.c}.h (one header per source file)"; bad=1; } ;;
	esac
done
# Each of the store's writes is declared by the store: a write renamed is a write the
# check no longer sees.
for w in $(echo "$store_writes" | tr '|' ' '); do
	grep -qE "^[a-z].*\b$w\(" store/*.h 2>/dev/null ||
		{ echo "$src/store: declares no $w (renamed? update store_writes in tests/tools/layers.sh)"; bad=1; }
done
find . -name '*.[ch]' -print | sed 's|^\./||' | sort | xargs awk -v layers="$layers" -v libraries="$libraries" \
	-v writes="$store_writes" -v writers=" $writers " -v src="$src" '
BEGIN {
	n = split(layers, rows, "\n")
	for (i = 1; i <= n; i++) {
		k = split(rows[i], w, /[ \t]+/)
		if (k == 0 || w[1] == "") continue
		may[w[1]] = " " w[1] " "
		list[w[1]] = ""
		for (j = 2; j <= k; j++) if (w[j] != "") { may[w[1]] = may[w[1]] w[j] " "; list[w[1]] = list[w[1]] " " w[j] }
	}
	n = split(libraries, rows, "\n")
	nlib = 0
	for (i = 1; i <= n; i++) {
		k = split(rows[i], w, /[ \t]+/)
		if (k == 0 || w[1] == "") continue
		nlib++
		libre[nlib] = "^(" w[1] ")$"
		libown[nlib] = " "
		for (j = 2; j <= k; j++) if (w[j] != "") libown[nlib] = libown[nlib] w[j] " "
	}
	bad = 0
}
function say(msg) { print src "/" FILENAME ":" FNR ": " msg; bad = 1 }
FNR == 1 {
	folder = index(FILENAME, "/") ? substr(FILENAME, 1, index(FILENAME, "/") - 1) : "."
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
	if (index(inc, "/") == 0) { say("#include \"" inc "\" does not name its folder (write \"FOLDER/" inc "\")"); next }
	dep = substr(inc, 1, index(inc, "/") - 1)
	if ((folder in may) && index(may[folder], " " dep " ") == 0)
		say(folder "/ may not include \"" inc "\": " (list[folder] == "" ? folder "/ includes only its own headers" : folder "/ may use only" list[folder] " and itself"))
	next
}
/^[ \t]*#[ \t]*include[ \t]*</ {
	inc = $0; sub(/^[^<]*</, "", inc); sub(/>.*/, "", inc)
	for (i = 1; i <= nlib; i++)
		if (inc ~ libre[i] && index(libown[i], " " folder " ") == 0)
			say("<" inc "> belongs to" substr(libown[i], 1, length(libown[i]) - 1) " only")
	next
}
index(writers, " " folder " ") == 0 && match($0, "(^|[^A-Za-z0-9_])(" writes ")[ \t]*\\(") {
	call = substr($0, RSTART, RLENGTH); sub(/^[^A-Za-z_]/, "", call); sub(/[ \t]*\($/, "", call)
	say(call " changes the database: " folder "/ writes through the core (src/core), which calls it")
}
END { exit bad }
' || bad=1
exit $bad
