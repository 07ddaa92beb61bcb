#!/usr/bin/env bash
# I/O faults: EIO and ENOSPC from the K-th write, sync, truncate, creation or rename on the
# database's folder or the stick on (tests/tools/powercut.c; a full disk stays full) for
# `set`, `export` and `merge`. Each time: a message on stderr (a full disk says "full"),
# never a false success (exit 0 only when the value, the file or the merge is really
# there), integrity_check ok, the values saved before still there.
# make test: a sample of the fault points; TIANBAO_STRESS=1: every one.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/powercut.sh"

V1=360730105201 V2=360730105202
DB=$PC_DB/v.db
"$TB" --db "$DB" init --unit $V1 --operator 李村长 >/dev/null
"$TB" --db "$DB" set --unit $V1 --period 1990 v_rep_total=321 v_rep_female=12 >/dev/null
"$TB" --db "$T_TMP/v2.db" init --unit $V2 --operator 村长 >/dev/null
"$TB" --db "$T_TMP/v2.db" set --unit $V2 --period 2026 v_vc_total=5 v_vc_female=2 >/dev/null
mkdir -p "$T_TMP/in"
"$TB" --db "$T_TMP/v2.db" export --out "$T_TMP/in" >/dev/null
pc_save_base
val() { sqlite3 "$DB" "SELECT value FROM vals WHERE unit = '$1' AND period = '$2' AND field = '$3'" 2>/dev/null; }

do_set() { pc_step "$TB" --db "$DB" set --unit $V1 --period 1991 v_rep_total=101 v_rep_female=2; }
done_set() { [ "$(val $V1 1991 v_rep_total)/$(val $V1 1991 v_rep_female)" = "101/2" ]; }
do_export() { pc_step "$TB" --db "$DB" export --out "$PC_STICK"; }
done_export() {
	local f n=0
	for f in "$PC_STICK"/*.tbx; do [ -e "$f" ] && "$TB" verify "$f" >/dev/null 2>&1 && n=$((n + 1)); done
	[ "$n" -eq 1 ]
}
do_merge() { pc_step "$TB" --db "$DB" merge "$T_TMP/in"; }
done_merge() { [ "$(val $V2 2026 v_vc_total)/$(val $V2 2026 v_vc_female)" = "5/2" ]; }

total=0 false_ok=0 unclear=0 damaged=0 open_unclear=0
for what in set export merge; do
	pc_restore
	rm -f "$T_TMP/events"
	PC_LOG=$T_TMP/events do_$what
	n=$(cat "$PC_IMG/count")
	if [ -n "${TIANBAO_STRESS:-}" ]; then points=$(seq 1 "$n"); else points=$(seq 1 $(((n + 5) / 6)) "$n"); fi
	for fault in ENOSPC EIO; do
		tried=0 oks=0
		for k in $points; do
			op=$(awk -v k="$k" '$1 == k { print $2 }' "$T_TMP/events")
			pc_restore
			PC_FAULT=$fault PC_FAULT_AT=$k do_$what
			rc=$PC_RC out=$(cat "$T_TMP/pc.out") err=$(cat "$T_TMP/pc.err")
			PC_FAULT= PC_FAULT_AT=
			tried=$((tried + 1))
			integ=$(pc_integrity "$DB")
			if [ "$integ" != ok ] || [ "$(val $V1 1990 v_rep_total)/$(val $V1 1990 v_rep_female)" != "321/12" ]; then
				damaged=$((damaged + 1)); diag "$what, $fault at $k ($op): the database: $integ, values before: $(val $V1 1990 v_rep_total)"
			fi
			if [ "$rc" -eq 0 ]; then
				oks=$((oks + 1))
				done_$what || { false_ok=$((false_ok + 1)); diag "$what, $fault at $k ($op): exit 0, but not done"; }
				continue
			fi
			if printf '%s' "$out" | grep -q '^saved'; then
				false_ok=$((false_ok + 1)); diag "$what, $fault at $k ($op): exit $rc but says saved: $out"
			fi
			if [ -z "$err" ] || { [ "$fault" = ENOSPC ] && ! printf '%s' "$err" | grep -q 'full'; }; then
				if [ "$op" = create ] && printf '%s' "$err" | grep -q 'cannot open the database'; then
					# SQLite retries a failed creation read-only, so its errno is lost:
					# left to the read-side messages (docs/reliability.md).
					open_unclear=$((open_unclear + 1))
				else
					unclear=$((unclear + 1)); diag "$what, $fault at $k ($op): unclear: $err"
				fi
			fi
		done
		total=$((total + tried))
		ok "$what, $fault: $tried fault points of $n events ($oks still succeeded, each really done)"
	done
done
expect_eq "no false success in $total faults" "$false_ok" 0
expect_eq "the database intact, the values before there, after each of $total faults" "$damaged" 0
expect_eq "each failure says what happened (a full disk: full)" "$unclear" 0
diag "a failed creation of the database's side files (known, reported): $open_unclear"

done_testing
