#!/usr/bin/env bash
# I/O faults in the screens: ENOSPC and EIO from the K-th write or sync of a session on
# (tests/tools/powercut.c) while a value is typed and saved in a form. The screen never
# shows "Saved: …" for a value the database does not have; when it does not, it says
# what happened (a full disk: "full"); integrity_check ok, the value saved before there.
# make test: a sample of the fault points; TIANBAO_STRESS=1: every one.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/powercut.sh"

VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
DB=$PC_DB/v.db
"$TB" --db "$DB" init --unit $V1 --operator 测试员 >/dev/null
"$TB" --db "$DB" set --unit $V1 --period 2025 v_vc_total=4 >/dev/null
pc_save_base
val() { sqlite3 "$DB" "SELECT value FROM vals WHERE unit = '$V1' AND period = '$1' AND field = '$2'" 2>/dev/null; }

session() {
	"$VT" >"$T_TMP/vt.out" 2>&1 <<EOF
env ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0
env LD_PRELOAD=$PC_SO
env POWERCUT_DIRS=$PC_DB:$PC_STICK
env POWERCUT_IMAGE=$PC_IMG
env POWERCUT_FAULT=${PC_FAULT:-}
env POWERCUT_FAULT_AT=${PC_FAULT_AT:-}
spawn $TB --lang en --db $DB
wait Dongfeng
key Enter
wait Village women
key Enter
wait Village committee members
type 5
key Tab
wait Saved: Village committee members = 5
screen
signal KILL
EOF
}

pc_restore
session
n=$(cat "$PC_IMG/count")
expect_match "without a fault the value is saved" "$(cat "$T_TMP/vt.out")" '^ok .*Saved: Village committee members = 5'
if [ -n "${TIANBAO_STRESS:-}" ]; then points=$(seq 1 "$n"); else points=$(seq 2 $(((n + 4) / 5)) "$n"); fi
total=0 false_ok=0 unclear=0 damaged=0 saved=0 known=0
for fault in ENOSPC EIO; do
	for k in $points; do
		pc_restore
		PC_FAULT=$fault PC_FAULT_AT=$k session
		total=$((total + 1))
		integ=$(pc_integrity "$DB")
		if [ "$integ" != ok ] || [ "$(val 2025 v_vc_total)" != 4 ]; then
			damaged=$((damaged + 1)); diag "$fault at $k: the database: $integ; the value before: $(val 2025 v_vc_total)"
		fi
		if grep -q '^ok .*Saved: Village committee members = 5' "$T_TMP/vt.out"; then
			saved=$((saved + 1))
			[ "$(val 2026 v_vc_total)" = 5 ] || { false_ok=$((false_ok + 1)); diag "$fault at $k: shown as saved, not in the database"; }
		else
			want='disk error|cannot|full'
			[ "$fault" = ENOSPC ] && want=full
			if grep '^# [0-9][0-9]|' "$T_TMP/vt.out" | grep -q 'cannot open the database'; then
				# Creating the side files failed at the start: the known case of
				# tests/cli/iofault.sh (SQLite's errno is lost; docs/reliability.md).
				known=$((known + 1))
				continue
			fi
			grep '^# [0-9][0-9]|' "$T_TMP/vt.out" | grep -Eq "$want" || {
				unclear=$((unclear + 1)); diag "$fault at $k: not saved, and the screen does not say why:" "$(grep '^# [0-9][0-9]|' "$T_TMP/vt.out" | grep -v '|$' | tail -6)"
			}
		fi
	done
done
ok "$total faults in a screen save ($n events; $saved still saved)"
expect_eq "screens: never shown as saved when it was not" "$false_ok" 0
expect_eq "screens: the database intact, the value before there" "$damaged" 0
expect_eq "screens: a failed save says why (a full disk: full)" "$unclear" 0
diag "a failed creation of the database's side files at the start (known, reported): $known"

done_testing
