#!/usr/bin/env bash
# ui-start.sh - start-up of the screens: from exec to the first full screen, median of
# RUNS runs, with a township database holding five years of every unit's data; peak
# memory of the program (VmHWM). Also the time to open the longest form.
# Run by `make bench-ui` with the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-30}
work=build/bench
mkdir -p "$work"
cc -O2 -o "$work/vtdrive" tests/tools/vtdrive.c $(pkg-config --cflags --libs vterm) -lutil
db=$work/five-years.db
# The benchmarks type into the 2025 forms of 东风村 (a village), so start there.
rm -f "$db" "$db"-*
./tianbao --db "$db" init --unit 360730105000 --operator 演示 >/dev/null
python3 bench/gen_township.py forms 2021 2022 2023 2024 2025 | sqlite3 "$db"
echo "database: $(du -h "$db" | cut -f1), $(sqlite3 "$db" 'SELECT count(*) FROM vals') values, $(sqlite3 "$db" 'SELECT count(*) FROM audit') audit rows"
./tianbao --db "$db" init --unit 360730105000 >/dev/null   # last_period and the like as a user leaves them

measure() { # WHAT SCRIPT-TAIL: each run on a fresh copy of the database
	local what=$1 tail=$2 out times=() rss=() copy=$work/run.db
	for i in $(seq 1 "$runs"); do
		rm -f "$copy" "$copy"-*
		cp "$db" "$copy"
		out=$(printf 'env LANGUAGE=zh_CN\nspawn ./tianbao --lang zh --db %s\n%s\npeak_rss\nkey C-c\nexpect_exit\n' "$copy" "$tail" |
			VTDRIVE_NO_SETTLE=1 "$work/vtdrive")
		times+=("$(sed -n 's/^# time_until: \([0-9]*\) ms.*/\1/p' <<<"$out" | tail -1)")
		rss+=("$(sed -n 's/^# peak_rss: \([0-9]*\) kB/\1/p' <<<"$out")")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v what="$what" '{a[NR]=$1} END {
		printf "%-32s median %d ms, min %d ms, p90 %d ms, max %d ms (%d runs)\n", what, a[int((NR+1)/2)], a[1], a[int(NR*0.9+0.5)], a[NR], NR }'
	printf '%s\n' "${rss[@]}" | sort -n | tail -1 | awk -v what="$what" '{ printf "%-32s peak memory %.1f MiB\n", what, $1/1024 }'
}

measure "start to first full screen" "time_until 示范乡"
# From the start screen to the first field of 东风村's 2025 village form.
to_village_form="wait 示范乡
key Enter
wait 东风村
sleep 100
key Home
sleep 50
key Down
sleep 50
key Enter
sleep 100
key Enter
wait 村级妇女儿童
sleep 100
key Enter
wait 村委会成员数
sleep 100"
measure "open the longest form (HC, 49 fields)" "wait 示范乡
key Enter
wait 卫生院
sleep 100
key End
sleep 50
key Up 4
sleep 100
key Enter
sleep 100
key Enter
wait 妇幼
sleep 100
time_reset
key Enter
time_until 活产数"
measure "keystroke to echo (a text field)" "$to_village_form
key Down 14
sleep 200
time_reset
type 测
time_until 测"
measure "leave a field: save and redraw" "$to_village_form
type 6
sleep 200
time_reset
key Tab
time_until = 6"
