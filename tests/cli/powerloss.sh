#!/usr/bin/env bash
# Power loss: `set`, `export` and `merge` with the power cut at many points (tests/powercut.sh,
# tests/tools/powercut.c: what was not synced is lost). After each cut: integrity_check
# ok, every value whose command returned 0 there, each command's values all there or none,
# an export file on the stick either absent or complete (verify), a merge that returned 0
# kept. Then the same harness against the test build's weakened settings
# (TIANBAO_TEST_SYNC=OFF, TIANBAO_TEST_NO_FSYNC=1): it must find the losses.
# make test: the cut points at and after each sync (plus a sample of the writes);
# TIANBAO_STRESS=1 (make stress): every event of longer runs.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/powercut.sh"

V1=360730105201 V2=360730105202 TWP=360730105000
nsets=2 rounds=1
[ -n "${TIANBAO_STRESS:-}" ] && nsets=4 rounds=8
DB=$PC_DB/v.db
# Round r > 1 starts from a database holding more (r - 1 more years of a whole
# committee's values), so that the runs meet pages, checkpoints and WAL sizes of their own.
grow() {
	"$TB" --db "$DB" set --unit $V1 --period $((2000 + $1)) v_vc_total=5 v_vc_female=2 v_pb_total=7 v_pb_female=2 \
		v_rep_total=$((200 + $1)) v_rep_female=$((10 + $1)) >/dev/null
}
# sweep_rounds NAME SCENARIO CHECK: pc_sweep once per round; the figures summed in R_*.
sweep_rounds() {
	local r
	R_POINTS=0 R_CHECKED=0 R_LOST=0 R_BAD=0 R_EVENTS=0
	for r in $(seq 1 $rounds); do
		if [ "$r" -gt 1 ]; then pc_restore; grow "$r"; pc_save_base; fi
		pc_sweep "$@"
		R_POINTS=$((R_POINTS + PC_POINTS)) R_CHECKED=$((R_CHECKED + PC_CHECKED))
		R_LOST=$((R_LOST + PC_LOST)) R_BAD=$((R_BAD + PC_BAD)) R_EVENTS=$((R_EVENTS + PC_EVENTS))
	done
	PC_POINTS=$R_POINTS PC_CHECKED=$R_CHECKED PC_LOST=$R_LOST PC_BAD=$R_BAD PC_EVENTS=$R_EVENTS
	pc_restore
}

# ---- set ---------------------------------------------------------------------------
"$TB" --db "$DB" init --unit $V1 --operator 李村长 >/dev/null
"$TB" --db "$DB" set --unit $V1 --period 1990 v_rep_total=321 v_rep_female=12 >/dev/null
pc_save_base

# Step i: two values of a year of its own, never written again.
set_scenario() {
	: >"$T_TMP/acked"
	for i in $(seq 1 $nsets); do
		pc_step "$TB" --db "$DB" set --unit $V1 --period $((1990 + i)) v_rep_total=$((100 + i)) v_rep_female=$((i + 1))
		[ "$PC_RC" -eq 0 ] && echo "$i" >>"$T_TMP/acked"
		[ "$PC_RC" -eq 137 ] && echo "$i" >"$T_TMP/killed"
	done
}
val() { sqlite3 "$DB" "SELECT value FROM vals WHERE unit = '$V1' AND period = '$1' AND field = '$2'" 2>/dev/null; }
set_check() {
	local i a b integ
	integ=$(pc_integrity "$DB")
	if [ "$integ" != ok ]; then
		PC_BAD=$((PC_BAD + 1)); diag "cut at $1: integrity_check: $integ"
		return
	fi
	PC_CHECKED=$((PC_CHECKED + 2))
	[ "$(val 1990 v_rep_total)/$(val 1990 v_rep_female)" = "321/12" ] || {
		PC_LOST=$((PC_LOST + 1)); diag "cut at $1: the values saved before the run are gone"
	}
	for i in $(seq 1 $nsets); do
		a=$(val $((1990 + i)) v_rep_total) b=$(val $((1990 + i)) v_rep_female)
		if grep -qx "$i" "$T_TMP/acked"; then
			PC_CHECKED=$((PC_CHECKED + 2))
			[ "$a/$b" = "$((100 + i))/$((i + 1))" ] || {
				PC_LOST=$((PC_LOST + 1)); diag "cut at $1: set $i returned 0 but its values are '$a' '$b'"
			}
		elif [ -n "$a$b" ] && [ "$a/$b" != "$((100 + i))/$((i + 1))" ]; then
			PC_BAD=$((PC_BAD + 1)); diag "cut at $1: set $i left half of its values: '$a' '$b'"
		fi
	done
}

sweep_rounds set set_scenario set_check
check "set: cut points tried ($PC_POINTS of $PC_EVENTS events)" test "$PC_POINTS" -ge 8
ok "set: $PC_POINTS cut points, $PC_CHECKED values checked"
expect_eq "set: no acknowledged value lost" "$PC_LOST" 0
expect_eq "set: integrity_check ok and no half-saved command after every cut" "$PC_BAD" 0
fig_set="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

# Weakened: synchronous=OFF (the test build only). The harness must see values lost.
export TIANBAO_TEST_SYNC=OFF
PC_MAX_POINTS=5 pc_sweep "set, synchronous=OFF" set_scenario set_check
unset TIANBAO_TEST_SYNC
check "synchronous=OFF: the harness finds lost values ($PC_LOST lost at $PC_POINTS cut points)" test "$PC_LOST" -gt 0
fig_off="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

# ---- export ------------------------------------------------------------------------
# The export, then a set (so that the power may go after the export said it was done).
export_scenario() {
	: >"$T_TMP/acked"
	pc_step "$TB" --db "$DB" export --out "$PC_STICK"
	[ "$PC_RC" -eq 0 ] && echo export >>"$T_TMP/acked"
	pc_step "$TB" --db "$DB" set --unit $V1 --period 1999 v_rep_total=111 v_rep_female=3
	[ "$PC_RC" -eq 0 ] && echo set >>"$T_TMP/acked"
}
export_check() {
	local integ f n=0
	integ=$(pc_integrity "$DB")
	[ "$integ" = ok ] || { PC_BAD=$((PC_BAD + 1)); diag "cut at $1: integrity_check: $integ"; }
	for f in "$PC_STICK"/*.tbx; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		PC_CHECKED=$((PC_CHECKED + 1))
		"$TB" verify "$f" >/dev/null 2>"$T_TMP/verify.err" || {
			PC_BAD=$((PC_BAD + 1)); diag "cut at $1: $(basename "$f") ($(stat -c %s "$f") bytes) does not verify: $(cat "$T_TMP/verify.err")"
		}
	done
	if grep -qx export "$T_TMP/acked" && [ "$n" -eq 0 ]; then
		PC_LOST=$((PC_LOST + 1)); diag "cut at $1: the export returned 0 but no file is on the stick"
	fi
	if grep -qx set "$T_TMP/acked"; then
		PC_CHECKED=$((PC_CHECKED + 1))
		[ "$(val 1999 v_rep_total)" = 111 ] || { PC_LOST=$((PC_LOST + 1)); diag "cut at $1: the set after the export lost"; }
	fi
}
sweep_rounds export export_scenario export_check
ok "export: $PC_POINTS cut points, $PC_CHECKED files and values checked"
expect_eq "export: none lost" "$PC_LOST" 0
expect_eq "export: every file on the stick complete, the database intact" "$PC_BAD" 0
fig_export="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

export TIANBAO_TEST_NO_FSYNC=1
PC_MAX_POINTS=5 pc_sweep "export without fsync" export_scenario export_check
unset TIANBAO_TEST_NO_FSYNC
check "export without fsync: the harness finds incomplete files ($PC_BAD at $PC_POINTS cut points)" \
	test $((PC_BAD + PC_LOST)) -gt 0
fig_nofsync="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

# ---- merge -------------------------------------------------------------------------
# Two villages' exports on the stick, merged one after the other into a township.
rm -f "$PC_DB"/* "$PC_STICK"/*
for v in $V1 $V2; do
	"$TB" --db "$T_TMP/$v.db" init --unit $v --operator 村长 >/dev/null
	"$TB" --db "$T_TMP/$v.db" set --unit $v --period 2026 v_vc_total=5 v_vc_female=2 v_rep_total=400 v_rep_female=20 >/dev/null
	"$TB" --db "$T_TMP/$v.db" export --out "$PC_STICK" >/dev/null
done
"$TB" --db "$DB" init --unit $TWP --operator 王会计 >/dev/null
pc_save_base
files=("$PC_STICK"/*.tbx)
merge_scenario() {
	: >"$T_TMP/acked"
	pc_step "$TB" --db "$DB" merge "${files[0]}"
	[ "$PC_RC" -eq 0 ] && echo $V1 >>"$T_TMP/acked"
	pc_step "$TB" --db "$DB" merge "${files[1]}"
	[ "$PC_RC" -eq 0 ] && echo $V2 >>"$T_TMP/acked"
}
merge_check() {
	local integ v n
	integ=$(pc_integrity "$DB")
	[ "$integ" = ok ] || { PC_BAD=$((PC_BAD + 1)); diag "cut at $1: integrity_check: $integ"; return; }
	for v in $V1 $V2; do
		n=$(sqlite3 "$DB" "SELECT count(*) FROM vals WHERE unit = '$v' AND period = '2026'" 2>&1)
		if grep -qx $v "$T_TMP/acked"; then
			PC_CHECKED=$((PC_CHECKED + 4))
			[ "$n" -eq 4 ] || { PC_LOST=$((PC_LOST + 1)); diag "cut at $1: the merge of $v returned 0, $n of 4 values there"; }
		elif [ "$n" -ne 0 ] && [ "$n" -ne 4 ]; then
			PC_BAD=$((PC_BAD + 1)); diag "cut at $1: half a merge of $v: $n of 4 values"
		fi
	done
}
sweep_rounds merge merge_scenario merge_check
ok "merge: $PC_POINTS cut points, $PC_CHECKED values checked"
expect_eq "merge: no merged value lost" "$PC_LOST" 0
expect_eq "merge: integrity ok, no half merge" "$PC_BAD" 0
fig_merge="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

export TIANBAO_TEST_SYNC=OFF
PC_MAX_POINTS=5 pc_sweep "merge, synchronous=OFF" merge_scenario merge_check
unset TIANBAO_TEST_SYNC
check "merge, synchronous=OFF: the harness finds lost values ($PC_LOST)" test "$PC_LOST" -gt 0
fig_merge_off="$PC_POINTS $PC_CHECKED $PC_LOST $PC_BAD"

# The figures for docs/reliability.md: cut points, checked, lost, damaged.
diag "figures (cut points, checked, lost, damaged):" "set: $fig_set" "set, synchronous=OFF: $fig_off" \
	"export: $fig_export" "export without fsync: $fig_nofsync" "merge: $fig_merge" "merge, synchronous=OFF: $fig_merge_off"

done_testing
