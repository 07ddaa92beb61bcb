#!/usr/bin/env bash
# Power loss in the screens: values typed into a form (tests/tools/vtdrive.c), the power
# cut at many points of the session (tests/powercut.sh). Every value the screen showed as
# saved ("Saved: LABEL = VALUE") must be in the database afterwards, and integrity_check
# ok. Then with the test build's TIANBAO_TEST_SYNC=NORMAL (commits not synced until the
# database is closed): the harness must find values shown as saved and lost.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/powercut.sh"

VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
DB=$PC_DB/v.db
"$TB" --db "$DB" init --unit $V1 --operator 测试员 >/dev/null
"$TB" --db "$DB" set --unit $V1 --period 2025 v_vc_total=4 >/dev/null
pc_save_base

screen_scenario() {
	"$VT" >"$T_TMP/vt.out" 2>&1 <<EOF
env ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0
env LD_PRELOAD=$PC_SO
env POWERCUT_DIRS=$PC_DB:$PC_STICK
env POWERCUT_IMAGE=$PC_IMG
env POWERCUT_CUT=${PC_CUT:-0}
env POWERCUT_LOG=${PC_LOG:-}
spawn $TB --lang en --db $DB
wait Dongfeng
key Enter
wait Village women
key Enter
wait Village committee members
type 5
key Tab
wait Saved: Village committee members = 5
type 2
key Tab
wait Saved: of whom women = 2
key Esc
key Esc
key Esc
expect_exit 0
EOF
}
val() { sqlite3 "$DB" "SELECT value FROM vals WHERE unit = '$V1' AND period = '$1' AND field = '$2'" 2>/dev/null; }
screen_check() {
	local integ
	integ=$(pc_integrity "$DB")
	[ "$integ" = ok ] || { PC_BAD=$((PC_BAD + 1)); diag "cut at $1: integrity_check: $integ"; return; }
	PC_CHECKED=$((PC_CHECKED + 1))
	[ "$(val 2025 v_vc_total)" = 4 ] || { PC_LOST=$((PC_LOST + 1)); diag "cut at $1: the value saved before is gone"; }
	if grep -q '^ok .*Saved: Village committee members = 5' "$T_TMP/vt.out"; then
		PC_CHECKED=$((PC_CHECKED + 1))
		[ "$(val 2026 v_vc_total)" = 5 ] || { PC_LOST=$((PC_LOST + 1)); diag "cut at $1: shown as saved, lost: v_vc_total = 5"; }
	fi
	if grep -q '^ok .*Saved: of whom women = 2' "$T_TMP/vt.out"; then
		PC_CHECKED=$((PC_CHECKED + 1))
		[ "$(val 2026 v_vc_female)" = 2 ] || { PC_LOST=$((PC_LOST + 1)); diag "cut at $1: shown as saved, lost: v_vc_female = 2"; }
	fi
}

# The session without a cut: every step as expected.
pc_restore
screen_scenario
expect_eq "the session, no cut: both values saved, the program ends" "$(grep -c '^ok ' "$T_TMP/vt.out")" 6
[ "$(grep -c '^ok ' "$T_TMP/vt.out")" -eq 6 ] || diag "$(cat "$T_TMP/vt.out")"

# make stress: every event (an empty PC_MAX_POINTS is no limit there).
max=8
[ -n "${TIANBAO_STRESS:-}" ] && max=
PC_MAX_POINTS=$max pc_sweep screens screen_scenario screen_check
ok "screens: $PC_POINTS cut points of $PC_EVENTS events, $PC_CHECKED values checked"
expect_eq "screens: no value shown as saved lost" "$PC_LOST" 0
expect_eq "screens: integrity_check ok after every cut" "$PC_BAD" 0
fig_screens="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

export TIANBAO_TEST_SYNC=NORMAL
PC_MAX_POINTS=12 pc_sweep "screens, synchronous=NORMAL" screen_scenario screen_check
unset TIANBAO_TEST_SYNC
check "synchronous=NORMAL: the harness finds values shown as saved and lost ($PC_LOST at $PC_POINTS cut points)" \
	test "$PC_LOST" -gt 0
diag "figures (cut points, checked, lost, damaged):" "screens: $fig_screens" \
	"screens, synchronous=NORMAL: $PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

done_testing
