#!/usr/bin/env bash
# The arm64 static binary (make static, cross-built) under qemu-user: init, set, export,
# merge, report and dump, and the same bytes as the amd64 static binary on the same
# inputs. Each architecture exports a village; each township merges both files (so a
# file written on one processor is read on the other); the dumps and reports compared.
. "$(dirname "$0")/../lib.sh"

DIST=$ROOT/build/dist
QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || echo qemu-aarch64-static)
V1=360730105201 V2=360730105202 TWP=360730105000
export HOME=$T_TMP TIANBAO_LANG=zh
unset TIANBAO_FORMS

tb_amd64() { "$DIST/tianbao-amd64/tianbao" "$@"; }
tb_arm64() { "$QEMU" "$DIST/tianbao-arm64/tianbao" "$@"; }

run tb_arm64 --version
expect_rc "the arm64 binary runs under qemu" 0
expect_match "... and finds the forms beside it" "$OUT" "tianbao-arm64/forms"

# A village on each processor.
mkdir -p "$T_TMP/stick"
run tb_amd64 --db "$T_TMP/v1.db" init --unit $V1 --operator 李秀英
run tb_amd64 --db "$T_TMP/v1.db" set --unit $V1 --period 2025 v_vc_total=7 v_vc_female=3 v_rep_total=12 v_rep_female=5
expect_rc "amd64: set" 0
run tb_arm64 --db "$T_TMP/v2.db" init --unit $V2 --operator 王芳
expect_rc "arm64: init" 0
expect_match "... in Chinese" "$OUT" "红旗村"
run tb_arm64 --db "$T_TMP/v2.db" set --unit $V2 --period 2025 v_vc_total=5 v_vc_female=1 v_rep_total=9 v_rep_female=2
expect_rc "arm64: set" 0
run tb_arm64 --db "$T_TMP/v2.db" set --unit $V2 --period 2025 v_vc_total=五
expect_rc "arm64: a value that is not a number refused" 1
run tb_amd64 --db "$T_TMP/v1.db" export --out "$T_TMP/stick"
expect_rc "amd64: export" 0
run tb_arm64 --db "$T_TMP/v2.db" export --out "$T_TMP/stick"
expect_rc "arm64: export" 0
f2=$OUT
run tb_amd64 verify "$f2"
expect_rc "the arm64 file verifies on amd64" 0

# A township on each processor merges both files.
for a in amd64 arm64; do
	run tb_$a --db "$T_TMP/t-$a.db" init --unit $TWP --operator 会计
	run tb_$a --db "$T_TMP/t-$a.db" merge "$T_TMP/stick"
	expect_rc "$a: merge both villages' files" 0
	expect_match "... two files merged" "$OUT" "2"
	tb_$a --db "$T_TMP/t-$a.db" dump >"$T_TMP/dump-$a.csv"
	for k in completeness indicators units targets; do
		field=
		[ $k = units ] && field="--field v_vc_female"
		tb_$a --db "$T_TMP/t-$a.db" report --period 2025 --kind $k $field >"$T_TMP/$k-$a.txt" 2>&1
		tb_$a --db "$T_TMP/t-$a.db" report --period 2025 --kind $k $field --format csv >"$T_TMP/$k-$a.csv" 2>&1
	done
	tb_$a --db "$T_TMP/t-$a.db" report --period 2025 --format dhis2 >"$T_TMP/dhis2-$a.csv" 2>&1
done
expect_eq "the dump holds both villages' values" "$(grep -c "^36073010520[12],2025," "$T_TMP/dump-amd64.csv")" 8
check "dump: the same bytes on amd64 and arm64" cmp "$T_TMP/dump-amd64.csv" "$T_TMP/dump-arm64.csv"
for k in completeness indicators units targets; do
	check "report $k (text): the same bytes" cmp "$T_TMP/$k-amd64.txt" "$T_TMP/$k-arm64.txt"
	check "report $k (csv): the same bytes" cmp "$T_TMP/$k-amd64.csv" "$T_TMP/$k-arm64.csv"
done
check "report dhis2: the same bytes" cmp "$T_TMP/dhis2-amd64.csv" "$T_TMP/dhis2-arm64.csv"
expect_match "the indicators report sums both villages (12 members)" "$(cat "$T_TMP/indicators-arm64.txt")" "村委会成员数 +12 人"

done_testing
