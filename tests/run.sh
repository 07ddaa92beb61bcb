#!/usr/bin/env bash
# Runs every test program (unit tests in build/test/test_*, scripts in tests/cli and
# tests/tui), each speaking TAP, and ends with the total: "N passed, N failed".
# A program that dies without reporting a failure counts as one failure.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$PWD

export TIANBAO_ROOT=$root
export TIANBAO_BIN=$root/build/test/tianbao
export TIANBAO_FORMS=$root/forms
export TIANBAO_LOCALEDIR=$root/build/locale
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE TIANBAO_DB TIANBAO_LANG
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

filter=${1:-}
passed=0
failed=0
log_dir=$root/build/test/logs
mkdir -p "$log_dir"

run_program() {
	local name=$1; shift
	local log=$log_dir/$(echo "$name" | tr '/' '_').log
	local start=$SECONDS rc p f
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-44s %4d passed, %d failed (%ds)\n' "$name" "$p" "$f" $((SECONDS - start))
	if [ "$f" -ne 0 ]; then
		# Show each failure with the diagnostics that follow it, then the tail.
		grep -n -A12 '^not ok ' "$log" | head -n 80 | sed 's/^/    /'
		echo "    --- last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    /'
	fi
}

for t in build/test/test_*; do
	[ -x "$t" ] || continue
	case $t in *"$filter"*) ;; *) continue ;; esac
	run_program "${t#build/test/}" "$t"
done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	case $t in *"$filter"*) ;; *) continue ;; esac
	run_program "$t" bash "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
