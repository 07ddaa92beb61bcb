# lib.sh - helpers for shell tests: TAP output, assertions, a scratch directory.
# Source it; then call the assertions. Each prints "ok N - ..." or "not ok N - ...".

set -u
: "${TIANBAO_BIN:?run tests through tests/run.sh (make test)}"
TB=$TIANBAO_BIN
ROOT=$TIANBAO_ROOT
T_N=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tianbao-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); echo "not ok $T_N - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/#   /'; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR and the status in $RC.
run() {
	OUT=$("$@" 2>"$T_TMP/.stderr")
	RC=$?
	ERR=$(cat "$T_TMP/.stderr")
}

# expect_rc DESC WANT: the last run's status.
expect_rc() {
	if [ "$RC" -eq "$2" ]; then ok "$1"; else
		not_ok "$1"; diag "status $RC, expected $2" "stdout: $OUT" "stderr: $ERR"
	fi
}

expect_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"; diag "expected: $3" "actual:   $2"
	fi
}

# expect_match DESC TEXT REGEX (grep -E, any line)
expect_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
		not_ok "$1"; diag "no line matches: $3" "in:" "$2"
	fi
}

expect_no_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		not_ok "$1"; diag "a line matches: $3" "in:" "$2"
	else ok "$1"; fi
}

# check DESC CMD...: passes when the command succeeds.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

done_testing() { echo "1..$T_N"; }
