#!/usr/bin/env bash
# The report screens (F5), on the demo township (tianbao demo): completeness, indicators,
# targets, and a by-unit bar chart at 80x24, re-laid when the window grows. The demo's
# villages complete their forms on their own laptops and export them: the township
# sees them complete (4 of 15). Its one conflict (柳树村's two laptops) puts a two-line
# note under the summary of every report, so the tables start on row 8.
. "$(dirname "$0")/../lib.sh"

DB=$T_TMP/demo.db
run $TB demo --db "$DB" --build-only
expect_rc "the demo database builds" 0
expect_match "it says what it holds" "$OUT" "4 villages complete, 2 in progress, 1 conflict, 2 not reported"

# The demo opens on its own year, 2025: Enter shows the units, F5 the reports.
open_reports="spawn $TB --lang en --db $DB
wait Shifan Township
expect_at 4 14 2025
key Enter
wait Shifan Township · 2025 · the units' forms
key F5
wait Reports · 2025"

"$ROOT/build/test/tools/vtdrive" <<VT
size 80 24
$open_reports
type 1
wait Forms complete: 4 of 15 (26.7%)
expect_at 3 0 Values in conflict between installations: 1.
expect_at 8 2 Village women's and children's…
expect_at 8 49 4
expect_at 8 75 50.0%
key PgDn
wait Taoyuan Village
key End
expect Still missing
key Esc
wait Reports · 2025
type 4
wait Targets
expect Women's share of committee members
expect not verified
key Esc
type 2
wait Indicators
expect covers
key Esc
type 3
wait choose an indicator
type 3
wait Women's share of committee members (v_vc_female_pct)
expect_at 14 8 Township
expect_at 14 30 37.9%
expect_at 15 8 Xintian Village
expect_at 16 8 Dongfeng Village
expect_at 19 8 Hongqi Village
expect_at 13 43 ┃
expect_at 14 43 ┃
expect_at 15 43 ┃
expect_at 19 43 ┃
expect_at 21 43 ┃
expect_at 16 36 ███████┃█▍
expect_at 19 36 ████▋  ┃
expect_at 16 72 met
expect_at 18 72 not met
expect_at 21 72 no value
key End
wait Units: 3 met, 3 not met, 2 without a value to judge.
resize 120 30
wait Women's share of committee members (v_vc_female_pct)
expect no value
resize 80 24
wait Women's share of committee members (v_vc_female_pct)
key Esc
key Esc
wait Shifan Township · 2025 · the units' forms
key C-t
wait Reports · 2025
key C-x
key C-x
key C-x
key C-x
expect_exit 0
VT

done_testing
