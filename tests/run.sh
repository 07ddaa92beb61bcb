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
# No test reads or writes the real user's configuration (~/.config/tianbao/forms): a
# scratch one, emptied here. Tests that use one set their own in their $T_TMP.
export XDG_CONFIG_HOME=$root/build/test/xdg-config
rm -rf "$XDG_CONFIG_HOME"
mkdir -p "$XDG_CONFIG_HOME"
export TIANBAO_LOCALEDIR=$root/build/locale
export LANG=C.UTF-8 LC_ALL=C.UTF-8
# The tests read in the words of the sources: English unless a test asks for Chinese
# (--lang zh) or tests the choice of language itself (which unsets TIANBAO_LANG).
export TIANBAO_LANG=en
unset LANGUAGE TIANBAO_DB TIANBAO_SYSCONFDIR
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

filter=${1:-}
passed=0
failed=0
log_dir=$root/build/test/logs
mkdir -p "$log_dir"

# Test programs run JOBS at a time (TIANBAO_TEST_JOBS, default: the number of processors):
# each writes its own log and uses its own scratch folder, and a line per program is
# printed as it ends. The slowest start first, so the others run beside them.
jobs=${TIANBAO_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

# run_program NAME CMD...: runs one program, then writes what it found to NAME's .result.
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
	{
		echo "$p $f"
		printf '%-44s %4d passed, %d failed (%ds)\n' "$name" "$p" "$f" $((SECONDS - start))
		if [ "$f" -ne 0 ]; then
			# Each failure with the diagnostics that follow it, then the tail.
			grep -n -A12 '^not ok ' "$log" | head -n 80 | sed 's/^/    /'
			echo "    --- last lines of $log:"
			tail -n 25 "$log" | sed 's/^/    /'
		fi
	} >"$log.result"
}

# Prints a finished program's lines and counts them.
report() {
	local result=$1 p f
	read -r p f <"$result"
	passed=$((passed + p))
	failed=$((failed + f))
	tail -n +2 "$result"
	rm -f "$result"
}

names=()
cmds=()
for t in build/test/test_*; do
	[ -x "$t" ] || continue
	case $t in *"$filter"*) ;; *) continue ;; esac
	names+=("${t#build/test/}")
	cmds+=("$t")
done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	case $t in *"$filter"*) ;; *) continue ;; esac
	names+=("$t")
	cmds+=("bash $t")
done
# The slowest first (minutes, where the rest take seconds).
order=()
for slow in tests/cli/exchange_orders.sh tests/cli/exchange_bad.sh tests/tui/screens.sh; do
	for i in "${!names[@]}"; do [ "${names[$i]}" = "$slow" ] && order+=("$i"); done
done
for i in "${!names[@]}"; do
	case " ${order[*]} " in *" $i "*) ;; *) order+=("$i") ;; esac
done

declare -A running=()
for i in "${order[@]}"; do
	while [ "${#running[@]}" -ge "$jobs" ]; do
		wait -n -p done_pid
		report "${running[$done_pid]}"
		unset "running[$done_pid]"
	done
	# shellcheck disable=SC2086
	run_program "${names[$i]}" ${cmds[$i]} &
	running[$!]=$log_dir/$(echo "${names[$i]}" | tr '/' '_').log.result
done
while [ "${#running[@]}" -gt 0 ]; do
	wait -n -p done_pid
	report "${running[$done_pid]}"
	unset "running[$done_pid]"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
