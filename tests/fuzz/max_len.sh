#!/bin/sh
# max_len.sh NAME: the -max_len for harness NAME, for `make fuzz` and tests/cli/fuzz.sh:
# the smallest power of two at least twice its largest seed (tests/fuzz/seeds/NAME), and
# at least 4096. libFuzzer cuts every input to -max_len: below a seed's size, it would
# fuzz only the seed's first bytes (the export fuzzer once reached 85 code edges so).
dir=$(dirname "$0")/seeds/$1
big=$(find "$dir" -type f -exec wc -c {} + 2>/dev/null | awk '$2 != "total" && $1 > m { m = $1 } END { print m + 0 }')
n=4096
while [ "$n" -lt $((big * 2)) ]; do n=$((n * 2)); done
echo "$n"
