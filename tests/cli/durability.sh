#!/usr/bin/env bash
# Durability: `tianbao set` killed with SIGKILL at random moments. Afterwards the database
# passes integrity_check, every value whose command returned 0 is there, and each killed
# command's two values are there both or not at all.
# 200 kills in `make test`; TIANBAO_STRESS=1 (make stress) runs 2000.
. "$(dirname "$0")/../lib.sh"

n=200
[ -n "${TIANBAO_STRESS:-}" ] && n=2000
db=$T_TMP/kill.db
villages=(360730105201 360730105202 360730105203 360730105204 360730105205 360730105206 360730105207 360730105208)
pairs=("v_rep_total v_rep_female" "v_vc_total v_vc_female" "v_pb_total v_pb_female")

# How long one write takes here, so the kills spread over the whole of it.
start=$(date +%s%N)
"$TB" --db "$T_TMP/probe.db" set --unit ${villages[0]} --period 2026 v_rep_total=1 >/dev/null
span_ms=$((($(date +%s%N) - start) / 1000000 + 5))
ok "one write takes about ${span_ms} ms; kills fall within 0..$((span_ms * 5 / 4)) ms"

# Command i writes two fields of its own (unit, period, pair), never overwritten later.
key_of() {
	local i=$1
	local v=$((i % 8)) p=$(((i / 8) % 3)) y=$((1990 + i / 24))
	echo "${villages[$v]} $y ${pairs[$p]}"
}
value_of() { # the pair's values: committee sizes stay within their hard ranges
	local i=$1 p=$(((i / 8) % 3))
	case $p in 0) echo "$((100 + i % 900)) $((i % 50))" ;; 1) echo "$((3 + i % 5)) $((i % 3))" ;; 2) echo "$((5 + i % 10)) $((i % 5))" ;; esac
}

: >"$T_TMP/results"
killed=0
for i in $(seq 0 $((n - 1))); do
	read -r unit year f1 f2 <<<"$(key_of "$i")"
	read -r a b <<<"$(value_of "$i")"
	"$TB" --db "$db" set --unit "$unit" --period "$year" "$f1=$a" "$f2=$b" >/dev/null 2>&1 &
	pid=$!
	delay=$((RANDOM % (span_ms * 5 / 4 + 1)))
	sleep "$(printf '0.%03d' "$delay")"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ "$rc" -eq 137 ] && killed=$((killed + 1))
	echo "$i $rc" >>"$T_TMP/results"
done
ok "$n writes started, $killed killed by SIGKILL"
check "some writes were killed" test "$killed" -gt $((n / 10))
check "some writes finished" test "$killed" -lt "$n"

integrity=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
expect_eq "integrity_check after $n kills" "$integrity" "ok"

"$TB" --db "$db" dump >"$T_TMP/dump" 2>"$T_TMP/dump.err"
expect_eq "dump works after the kills" "$?" "0"

lost=0 half=0 wrong=0
while read -r i rc; do
	read -r unit year f1 f2 <<<"$(key_of "$i")"
	read -r a b <<<"$(value_of "$i")"
	have1=$(grep -c "^$unit,$year,village,$f1,$a," "$T_TMP/dump")
	have2=$(grep -c "^$unit,$year,village,$f2,$b," "$T_TMP/dump")
	any1=$(grep -c "^$unit,$year,village,$f1," "$T_TMP/dump")
	any2=$(grep -c "^$unit,$year,village,$f2," "$T_TMP/dump")
	if [ "$rc" -eq 0 ] && [ "$have1$have2" != "11" ]; then
		lost=$((lost + 1)); diag "command $i returned 0 but its values are missing"
	fi
	if [ "$have1" != "$have2" ]; then
		half=$((half + 1)); diag "command $i left half of its values"
	fi
	if [ "$any1" != "$have1" ] || [ "$any2" != "$have2" ]; then
		wrong=$((wrong + 1)); diag "command $i: a value other than the one written"
	fi
done <"$T_TMP/results"
expect_eq "every value whose command returned 0 is present" "$lost" "0"
expect_eq "killed commands: all of their values or none" "$half" "0"
expect_eq "no value other than the ones written" "$wrong" "0"
audit=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE reason = 'typed'")
values=$(sqlite3 "$db" "SELECT count(*) FROM vals")
expect_eq "one audit row per stored value" "$audit" "$values"

done_testing
