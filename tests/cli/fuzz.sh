#!/usr/bin/env bash
# The fuzzers, briefly: every committed seed replayed (tests/fuzz/seeds), then a few
# seconds of fuzzing each. `make fuzz` runs them for a minute each.
. "$(dirname "$0")/../lib.sh"

secs=${FUZZ_SHORT_SECONDS:-5}
# Every harness is built and has seeds: one left out would never run here.
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	check "$name: built (build/fuzz/fuzz_$name)" test -x "$ROOT/build/fuzz/fuzz_$name"
	check "$name: has seeds (tests/fuzz/seeds/$name)" test -n "$(ls -A "$ROOT/tests/fuzz/seeds/$name" 2>/dev/null)"
done
for bin in "$ROOT"/build/fuzz/fuzz_*; do
	name=${bin##*/fuzz_}
	seeds=$ROOT/tests/fuzz/seeds/$name
	corpus=$T_TMP/corpus-$name
	mkdir -p "$corpus"
	# Each seed file named: libFuzzer runs every one, whole (no -max_len cut), once.
	nseeds=$(find "$seeds" -type f | wc -l)
	if find "$seeds" -type f -print0 | xargs -0 "$bin" >"$T_TMP/$name.replay" 2>&1; then
		ok "$name: every seed replays without a crash ($nseeds seeds)"
	else
		not_ok "$name: a seed crashes"; tail -30 "$T_TMP/$name.replay" | diag "$(cat)"
	fi
	expect_eq "$name: ... all $nseeds run" "$(grep -c '^Executed ' "$T_TMP/$name.replay")" "$nseeds"
	# The same -max_len as `make fuzz`: above the largest seed, or every seed is cut.
	max_len=$("$ROOT/tests/fuzz/max_len.sh" "$name")
	if [ "$max_len" -gt "$(find "$seeds" -type f -exec wc -c {} + | awk '$2 != "total" && $1 > m { m = $1 } END { print m + 0 }')" ]; then
		ok "$name: -max_len $max_len is above the largest seed"
	else
		not_ok "$name: -max_len $max_len is above the largest seed"
	fi
	if "$bin" -print_final_stats=1 -max_total_time="$secs" -max_len="$max_len" "$corpus" "$seeds" >"$T_TMP/$name.fuzz" 2>&1; then
		ok "$name: $secs s of fuzzing, $(grep -o 'stat::number_of_executed_units: [0-9]*' "$T_TMP/$name.fuzz" | cut -d' ' -f2) runs" 
	else
		not_ok "$name: fuzzing found a crash"; grep -A30 "ERROR\|SUMMARY" "$T_TMP/$name.fuzz" | head -40 | diag "$(cat)"
	fi
done
done_testing
