#!/usr/bin/env bash
# tianbao report on a test township whose figures were worked out by hand (below, with
# the arithmetic), checked in every format: text, CSV, Excel (read back with openpyxl)
# and DHIS2 CSV. The township is built by tests/fixtures/report/township.sh.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/fixtures/report/township.sh"

PY=/usr/bin/python3

if build_report_township 2>"$T_TMP/fixture.err"; then ok "the test township is built with init, set and complete"; else
	not_ok "the test township is built"; diag "$(cat "$T_TMP/fixture.err")"; done_testing; exit 1
fi

R() { "$TB" --db "$RF_DB" --forms "$RF_FORMS" "$@"; }

# line_of TEXT LABEL: the first line of TEXT that starts (after spaces) with LABEL.
line_of() { printf '%s\n' "$1" | grep -m1 -F -- "$2" ; }
# after TEXT LABEL: the line after that one (a row's note).
after() { printf '%s\n' "$1" | grep -m1 -F -A1 -- "$2" | tail -1; }

# ==== The figures, by hand ===============================================================
# Villages 2026 (form village; 5 villages report it, so M = 5):
#   东风村 V1      committee 5, women 1 (20%); reps 30, women 12 (40%); children 400, left-behind 50
#   =SUM(1,2)村 V2 committee 4, women 3 (75%); reps 0, women 0 (n/a); children 0 (left-behind skipped)
#   -石桥村 V3     committee 7, women 2 (28.6%) IN CONFLICT (other installation: 3); reps 60, women 15 (25%);
#                  children 800, left-behind 120; in progress
#   @柳树村 V4     committee 6, children 300, nothing else; in progress
#   新田村 V5      nothing
# v_vc_total        = 5 + 4 + 7 + 6 = 22, covers 4 of 5
# v_vc_female       = 1 + 3 + 2 = 6, covers 3 of 5, includes 1 value in conflict
# v_vc_female_pct   over the 3 villages where it can be computed: (1+3+2)/(5+4+7) = 6/16 = 37.5%
#                   (the average of the villages' own shares would be (20+75+28.57)/3 = 41.2%);
#                   target >= 30: met; 1 value in conflict
# v_rep_female_pct  = (12+0+15)/(30+0+60) = 27/90 = 30.0%; target >= 33.33: not met
#                   (=SUM(1,2)村's own share is n/a: 0 of 0)
# v_vc_chair_female yes in 1 of 3 answering villages = 33.3%; target >= 10: met
# v_children_home   yes in 2 of 3 = 66.7%; target >= 90: not met
# v_children_0_17   = 400 + 0 + 800 + 300 = 1500, covers 4 of 5
# v_left_behind     = 50 + 120 = 170; asked in 4 villages (skipped at =SUM(1,2)村): covers 2 of 4
# Villages 2025: 东风村 committee 5, women 1, women's chair on committee yes;
#                =SUM(1,2)村 committee 4, women 2, no
# v_vc_total 2025 = 9, change +13;  v_vc_female_pct 2025 = 3/9 = 33.3%, change 37.5 - 33.33 = +4.2
# v_wf_chair_in_2c 2026: yes at 东风村 and =SUM(1,2)村, no at -石桥村 = 66.7%; 2025: 1 of 2 = 50.0%;
#                  change +16.7; target >= 100: not met
# Hospital 2026: no births: hc_srb = 0/0 and hc_mmr = 0/0 are n/a.
# School 2026: retention 97/100 = 97.0% (target >= 96: met); 2025: 114/120 = 95.0%; change +2.0;
#              cohort 100 vs 120 in 2025: change -20 (a negative number); dropouts 1 (target <= 0: not met)
# Activity form (test): sessions 4 + 2 = 6, covers 2 of 5; venue: 儿童之家 2 (V1, V3), 学校 1 (V2)
# Completeness: 5 villages x 2 village forms + 7 departments x 1 = 17 forms.
#   complete: V1 village, V2 village, V1 activity, agr = 4 (23.5%)
#   in progress: V3 village, V4 village, V2 activity, V3 activity, hc, edu = 6
#   empty: V4 activity, V5 village, V5 activity, wf, org, ca, lj = 7
#   village form: 2 of 5 complete = 40.0%

# ==== Text ==================================================================================
run R --lang en report --period 2026 --width 132
expect_rc "indicators (the default kind) as text" 0
TXT=$OUT
expect_match "the title names the township, the report and the period" "$(head -1 <<<"$TXT")" "^Shifan Township: Indicators, period 2026$"
expect_match "completeness summary: 4 of 17 complete" "$TXT" "Forms complete: 4 of 17 \(23\.5%\); in progress: 6; empty: 7\."
expect_match "committee members summed: 22, was 9, +13" "$(line_of "$TXT" "Village committee members")" "22 人 +9 人 +\+13$"
expect_match "  ... covering 4 of 5 villages" "$(after "$TXT" "Village committee members")" "covers 4 of 5 units"
row=$(line_of "$TXT" "Women's share of committee members")
expect_match "women's share recomputed from the sums: 6/16 = 37.5%, met, 33.3% before, +4.2" "$row" "37\.5% +>= 30 +met +33\.3% +\+4\.2$"
expect_no_match "  ... not the average of the villages' shares (41.2%)" "$row" "41\.2"
expect_match "  ... covers 3 of 5 and includes the value in conflict" "$(after "$TXT" "Women's share of committee members")" "covers 3 of 5 units; includes 1 value\(s\) in conflict"
expect_match "women representatives: 27/90 = 30.0%, not met" "$(line_of "$TXT" "Women's share of representatives")" "30\.0% +>= 33\.33 +not met"
expect_match "chair is a woman: yes in 1 of 3 = 33.3%, met" "$(line_of "$TXT" "Committee chair is a woman")" "33\.3% +>= 10 +met"
expect_match "  ... with the count of yes answers" "$(after "$TXT" "Committee chair is a woman")" "1 of 3 answering units said yes; covers 3 of 5 units"
expect_match "children's home: 66.7% against >= 90, not met" "$(line_of "$TXT" "The village has a children's home")" "66\.7% +>= 90 +not met"
expect_match "women's chair on a committee: 66.7%, was 50.0%, +16.7" "$(line_of "$TXT" "Village women's chair sits on a village committee")" "66\.7% +>= 100 +not met +50\.0% +\+16\.7$"
expect_match "left-behind children: 170" "$(line_of "$TXT" "of whom left-behind children")" " 170 人"
expect_match "  ... asked in 4 villages (skipped in one), given by 2" "$(after "$TXT" "of whom left-behind children")" "covers 2 of 4 units"
expect_match "sex ratio at birth with no girls born: n/a" "$(line_of "$TXT" "Sex ratio at birth")" " n/a +103\.\.107 +-$"
expect_match "  ... said to be not applicable" "$(after "$TXT" "Sex ratio at birth")" "not applicable: the denominator is 0"
expect_match "maternal mortality with no births: n/a" "$(line_of "$TXT" "Maternal mortality ratio")" " n/a +<= 12"
expect_match "retention 97.0%, met, 95.0% before, +2.0" "$(line_of "$TXT" "Nine-year compulsory education retention rate")" "97\.0% +>= 96 +met +95\.0% +\+2\.0$"
expect_match "a fall shows as a negative change (-20)" "$(line_of "$TXT" "Grade-1 intake")" "100 人 +120 人 +-20$"
expect_match "dropouts 1 against <= 0: not met" "$(line_of "$TXT" "Dropouts from compulsory school")" "1 人 +<= 0 +not met"
expect_match "a choice is counted per answer: children's home 2" "$(line_of "$TXT" "Children's home")" "Children's home +2 "
expect_match "  ... school 1" "$(line_of "$TXT" "    School")" "School +1 "
expect_match "a form nobody has started says so" "$TXT" "No values have been entered for this period yet\."
expect_match "the conflict legend" "$TXT" "^! = a value in conflict"

run R --lang en report --period 2026 --kind completeness --width 132
expect_rc "completeness as text" 0
CT=$OUT
expect_match "village form: 2 complete, 2 in progress, 1 empty, 40%" "$(line_of "$CT" "Village women's and children's outline indicators")" " 2 +2 +1 +40\.0%$"
expect_match "all forms: 4 / 6 / 7, 23.5%" "$(line_of "$CT" "All forms")" " 4 +6 +7 +23\.5%$"
expect_match "who and when: the operator and a date" "$(line_of "$CT" "东风村")" "complete +王会计 +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +100\.0%$"
expect_match "the unit with a value in conflict is marked" "$(line_of "$CT" "-石桥村")" "in progress!"
expect_match "a unit half done: 50%" "$(line_of "$CT" "=SUM(1,2)村")" "50\.0%$"
MISSING=$(sed -n '/^Still missing/,$p' <<<"$CT")
expect_match "the phone list: 10 units to call" "$MISSING" "^Still missing: 10 unit\(s\) to call"
expect_eq "  ... 新田村 with its code and its empty forms, one a line" "$(grep -A1 新田村 <<<"$MISSING" | sed -E 's/ +/ /g')" \
	" 新田村 360730105205 empty: Village women's and children's outline indicators
 empty: Village children's activities (test)"
expect_no_match "  ... not 东风村, which is done" "$MISSING" "东风村"

run R --lang en report --period 2026 --kind units --field v_vc_female_pct
expect_rc "by unit as text" 0
UT=$OUT
expect_eq "ranked best first, units without a value last" \
	"$(grep -E '^ +([0-9]+|-) ' <<<"$UT" | sed -E 's/^ +([0-9]+|-) +!? *([^ ]+).*/\1 \2/' | tr '\n' ' ')" \
	"1 =SUM(1,2)村 2 -石桥村 3 东风村 - @柳树村, - 新田村 "
expect_match "75%: met" "$(line_of "$UT" "=SUM(1,2)村")" "75\.0% .* met$"
expect_match "28.6% (the value in conflict): marked, not met" "$(line_of "$UT" "-石桥村")" "^ +2 ! -石桥村 +28\.6% .* not met$"
expect_match "the township as a yardstick: 37.5%, met" "$(line_of "$UT" "! Township")" "! Township +37\.5% .* met$"
expect_match "the target and its source" "$UT" "Target: >= 30% \(marked ┃\)"
# The bars: eighths of a column, the target marker in one column on every row.
bars=$(printf '%s\n' "$UT" | $PY -c '
import sys, unicodedata
def w(s): return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = [l.rstrip("\n") for l in sys.stdin if "┃" in l and "marked" not in l]
cols = set()
fill = {}
for l in rows:
    i = l.index("┃"); cols.add(w(l[:i]))
    blocks = "▏▎▍▌▋▊▉█"
    eighths = sum(blocks.index(c) + 1 for c in l if c in blocks)
    for name in ("=SUM(1,2)村", "东风村", "新田村"):
        if name in l: fill[name] = eighths
print(len(cols), fill["=SUM(1,2)村"] > 3 * fill["东风村"] > 0, fill["新田村"])')
expect_eq "one target column on every row; 75% draws over three times 20%; no value draws nothing" "$bars" "1 True 0"

run R --lang en report --period 2026 --kind targets --width 132
expect_rc "targets as text" 0
TT=$OUT
block=$(sed -n '/^Women.s share of committee members/,/^$/p' <<<"$TT")
expect_match "target with its source text, wrapped" "$(tr '\n' ' ' <<<"$block")" "Source: China Women's Development Outline 2011-2020: .* +not verified\."
expect_match "township: 37.5%, met, 33.3%, +4.2" "$(line_of "$block" "Township ")" "37\.5% +met +33\.3% +\+4\.2 +3/5 !$"
expect_match "东风村: 20.0%, not met, unchanged" "$(line_of "$block" "东风村")" "20\.0% +not met +20\.0% +0\.0$"
expect_match "-石桥村: 28.6%, not met, in conflict" "$(line_of "$block" "-石桥村")" "28\.6% +not met +- +!$"
expect_match "@柳树村: no value" "$(line_of "$block" "@柳树村")" "no value$"
expect_match "units met and not" "$block" "Units: 1 met, 2 not met, 2 without a value to judge\."

# No line wider than asked, measured independently (East Asian Width: W and F are 2).
width_of() {
	$PY -c '
import sys, unicodedata
def w(s): return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(max(w(l.rstrip("\n")) for l in sys.stdin))'
}
for lang in zh en; do
	for width in 80 100; do
		for kind in completeness indicators units targets; do
			f=; [ $kind = units ] && f="--field v_rep_female_pct"
			widest=$(R --lang $lang report --period 2026 --kind $kind $f --width $width | width_of)
			if [ "$widest" -le "$width" ]; then ok "$kind, $lang, $width columns: widest line $widest"; else
				not_ok "$kind, $lang, $width columns: widest line $widest"; fi
		done
	done
done
widest=$(R --lang zh report --period 2026 --kind units --field v_children_home | width_of)
if [ "$widest" -le 80 ]; then ok "yes/no bars fit 80 columns"; else not_ok "yes/no bars: $widest columns"; fi

# ---- numbers are never cut; wrapped Chinese keeps numbers whole --------------------------------
# A township of its own with the test form wide.ini: 东风村 9999999999 people (1 the year
# before), =SUM(1,2)村 1: the township's 10000000000 人, a change of +9999999999 and a
# target of <= 0.000001 are wider than the columns that usually hold them.
WD_FORMS=$T_TMP/wide-forms WD_DB=$T_TMP/wide.db
mkdir -p "$WD_FORMS" && cp "$ROOT"/tests/fixtures/report/{wide,units}.ini "$WD_FORMS"/
WD() { "$TB" --db "$WD_DB" --forms "$WD_FORMS" "$@"; }
{ WD init --unit 360730105000 --operator 王会计 &&
	WD set --unit $RF_V1 --period 2026 w_big=9999999999 w_tiny=0.000003 &&
	WD set --unit $RF_V2 --period 2026 w_big=1 w_tiny=0.000001 &&
	WD set --unit $RF_V1 --period 2025 w_big=1; } >/dev/null
for lang in zh en; do
	for width in 80 100; do
		for kind in indicators targets "units --field w_big" "units --field w_tiny"; do
			txt=$(WD --lang $lang report --period 2026 --kind $kind --width $width)
			k=${kind/ --field/}
			expect_no_match "wide numbers, $k, $lang, $width columns: nothing cut with …" "$txt" "…"
			widest=$(printf '%s\n' "$txt" | width_of)
			if [ "$widest" -le "$width" ]; then ok "  ... widest line $widest"; else not_ok "  ... widest line $widest"; fi
		done
	done
done
WT=$(WD --lang en report --period 2026)
expect_match "indicators: the sum, the target, the previous figure and the change whole" "$(line_of "$WT" "People")" \
	"^  People +10000000000 人 >= 1000000000 met +1 人 \+9999999999$"
expect_match "  ... a target of <= 0.000001 whole" "$(line_of "$WT" "Rate")" "^  Rate +0\.000004 <= 0\.000001 +not met +-$"
expect_match "  ... the columns still line up: the heading over its widened column" "$(grep "^  Indicator" <<<"$WT")" \
	"^  Indicator {7}Township Target {8}Met {13}2025 {6}Change$"
WT=$(WD --lang en report --period 2026 --kind targets)
expect_match "targets: a unit's 9999999999 whole, and its change" "$(line_of "$WT" "东风村")" \
	" 9999999999 人 met +1 人 \+9999999998 in progress$"
WT=$(WD --lang en report --period 2026 --kind units --field w_big)
expect_match "by unit: 9999999999 whole beside its bar" "$(line_of "$WT" "东风村")" "^ +1 +东风村 +9999999999 人 █"
# The source of w_big, in Chinese: "    依据：" and 34 Chinese characters fill 74 of the 80
# columns, then comes "2021年": the year goes whole to the next line.
WT=$(WD --lang zh report --period 2026 --kind targets)
expect_eq "a year at the wrap point goes whole to the next line" "$(grep -A1 '依据：本表' <<<"$WT")" \
	"    依据：本表目标来自一份虚构的乡级工作总结，只为检验报表换行时不把年份拆开：
    2021年起的目标，未核实。"
src=$(sed -n '/依据：见/,/未核实/p' <<<"$WT")
expect_eq "a web address longer than a line starts a line and is cut only where the line ends" "$src" \
	"    依据：见
    https://www.example.org/a-made-up-plan/with-an-address-much-longer-than-one-
    line-of-the-report/2021-2030.html，未核实。"
# The shipped forms' sources, in Chinese at 80 columns: no line ends inside a number.
for kind in targets "units --field v_vc_female_pct"; do
	split=$(R --lang zh report --period 2026 --kind $kind | grep -A1 '依据' | $PY -c '
import sys
lines = [l.rstrip("\n") for l in sys.stdin]
print(sum(1 for a, b in zip(lines, lines[1:]) if a[-1:].isascii() and a[-1:].isalnum() and b.strip()[:1].isascii() and b.strip()[:1].isalnum()))')
	expect_eq "${kind%% *}: no Chinese source wraps inside a number" "$split" "0"
done
expect_match "  ... 2021—2030 starts the line after 30%以上。" "$(R --lang zh report --period 2026 --kind targets)" \
	"^    2021—2030年纲要的表述未核实。$"

# ==== CSV ===================================================================================
csv_checks() { # NAME FILE: one BOM, CRLF only
	local name=$1 f=$2
	expect_eq "$name: starts with one byte-order mark" "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" "efbbbf"
	expect_eq "$name: no second byte-order mark" "$(grep -c $'\xEF\xBB\xBF' "$f")" "1"
	expect_eq "$name: every line ends in CRLF" "$(tr -cd '\n' <"$f" | wc -c)" "$(grep -c $'\r$' "$f")"
	check "$name: no bare CR or LF inside" $PY -c '
import sys; b = open(sys.argv[1], "rb").read()
sys.exit(0 if b.count(b"\r") == b.count(b"\r\n") == b.count(b"\n") else 1)' "$f"
}
R --lang en report --period 2026 --format csv >"$T_TMP/ind.csv"
csv_checks "indicators CSV" "$T_TMP/ind.csv"
# Read back with Python's csv module: one line per checked figure.
got=$($PY - "$T_TMP/ind.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
by = {(r["Field"], r["Choice"]): r for r in rows}
def show(field, *cols, choice=""):
    r = by[(field, choice)]
    print(field + (":" + choice if choice else ""), *[r[c] for c in cols])
show("v_vc_total", "Value", "Reporting units", "Units asked", "Previous value", "Change")
show("v_vc_female_pct", "Value", "Reporting units", "Units asked", "Values in conflict", "Target", "Met", "Previous period", "Previous value", "Change")
show("v_rep_female_pct", "Value", "Met")
show("v_children_home", "Value", "Unit of measure", "Met")
show("v_left_behind", "Value", "Reporting units", "Units asked")
show("hc_srb", "Value", "Shown")
show("edu_g1_cohort", "Value", "Previous value", "Change")
show("act_place", "Value", "Reporting units", choice="Children's home")
print("numbers", all(float(by[(f, "")]["Value"]) >= 0 for f in ("v_vc_total", "v_vc_female_pct")))
print("text fields left out", ("v_notes", "") not in by and ("v_filled_on", "") not in by)
EOF
)
expect_eq "indicators CSV read back" "$got" "v_vc_total 22 4 5 9 13
v_vc_female_pct 37.5 3 5 1 >= 30 met 2025 33.3 4.2
v_rep_female_pct 30.0 not met
v_children_home 66.7 % not met
v_left_behind 170 2 4
hc_srb n/a n/a
edu_g1_cohort 100 120 -20
act_place:Children's home 2 3
numbers True
text fields left out True"
expect_match "a negative number is written as a number, not guarded" "$(grep '^2026,edu,edu_g1_cohort,' "$T_TMP/ind.csv")" ",120,-20"$'\r'"$"

R --lang en report --period 2026 --kind units --field v_vc_female_pct --format csv >"$T_TMP/units.csv"
csv_checks "units CSV" "$T_TMP/units.csv"
raw=$(cat "$T_TMP/units.csv")
expect_match "a name starting with = is guarded and quoted (it has a comma)" "$raw" ",\"'=SUM\(1,2\)村\",75\.0,"
expect_match "a name starting with - is guarded" "$raw" ",\"'-石桥村\",28\.6,"
expect_match "a name starting with @, with a comma and quotes: guarded, quotes doubled" "$raw" ",\"'@柳树村, \"\"老村\"\"\",,"
got=$($PY - "$T_TMP/units.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
for r in rows:
    print(r["Rank"] or "-", r["Unit"], r["Value"], r["Met"], r["Values in conflict"], r["State"])
EOF
)
expect_eq "units CSV read back: the names come back with the guard, the numbers as written" "$got" "- Township 37.5 met 1 
1 '=SUM(1,2)村 75.0 met 0 complete
2 '-石桥村 28.6 not met 1 in progress
3 东风村 20.0 not met 0 complete
- '@柳树村, \"老村\"   0 in progress
- 新田村   0 empty"

R --lang en report --period 2026 --kind completeness --format csv >"$T_TMP/comp.csv"
csv_checks "completeness CSV" "$T_TMP/comp.csv"
got=$($PY - "$T_TMP/comp.csv" <<'EOF'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
print(len(rows), sorted(collections.Counter(r["State"] for r in rows).items()))
r = [r for r in rows if r["Unit code"] == "360730105203" and r["Form"] == "village"][0]
print(r["Unit"], r["State"], r["Changed by"], r["Values in conflict"], r["Changed at"][:2])
EOF
)
expect_eq "completeness CSV read back: 17 forms, states, who, conflicts" "$got" "17 [('complete', 4), ('empty', 7), ('in progress', 6)]
'-石桥村 in progress 王会计 1 20"

R --lang en report --period 2026 --kind targets --format csv >"$T_TMP/targets.csv"
csv_checks "targets CSV" "$T_TMP/targets.csv"
got=$($PY - "$T_TMP/targets.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
for r in rows:
    if r["Field"] in ("v_vc_female_pct", "edu_retention") and r["Unit code"] in ("360730105000", "360730105201", "360730105-edu"):
        print(r["Field"], r["Unit"], r["Value"], r["Met"], r["Previous value"], r["Change"], r["Reporting units"], r["Units asked"], "未核实" in r["Source"] or "not verified" in r["Source"])
EOF
)
expect_eq "targets CSV read back" "$got" "v_vc_female_pct Township 37.5 met 33.3 4.2 3 5 True
v_vc_female_pct 东风村 20.0 not met 20.0 0.0   True
edu_retention Township 97.0 met 95.0 2.0 1 1 True
edu_retention Central School 97.0 met 95.0 2.0   True"

# ==== Excel ==================================================================================
R --lang en report --period 2026 --format xlsx --out "$T_TMP/ind.xlsx"
check "indicators workbook written" test -s "$T_TMP/ind.xlsx"
check "no temporary file left beside it" test -z "$(ls "$T_TMP" | grep '\.tmp$')"
got=$($PY - "$T_TMP/ind.xlsx" <<'EOF'
import sys, openpyxl, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(s))
wb = openpyxl.load_workbook(sys.argv[1])
print(len(wb.sheetnames), wb.sheetnames[:2])
ws = wb.worksheets[1]
print("frozen", ws.freeze_panes)
head = [c.value for c in ws[1]]
print(head[:6])
col = {}
for i, h in enumerate(head):
    col.setdefault(h, i + 1)   # "of whom women" is the label of two fields: the first
rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
def cell(unit, header):
    return ws.cell(rows[unit], col[header])
T, P = "Village committee members (人)", "Women's share of committee members (%)"
for unit, h in (("东风村", T), ("Township", T), ("Township", P), ("-石桥村", P), ("2025", T), ("Change", T), ("2025", P)):
    c = cell(unit, h)
    print(unit, h[:8], type(c.value).__name__, round(c.value, 4), c.number_format)
c = cell("-石桥村", "of whom women (人)")
print("conflict", c.value, c.fill.fgColor.rgb, "3 (李四)" in c.comment.text)
yn = "The village has a children's home (yes/no; township: share saying yes)"
c = cell("Township", yn)
print("share", round(c.value, 2), c.number_format, cell("东风村", yn).value, cell("东风村", yn).number_format.startswith("[=1]"))
print("met", cell("Met", P).value, cell("Units covered", P).value, cell("Target", P).value)
print("formula-looking name is text", ws.cell(rows["=SUM(1,2)村"], 2).data_type, ws.cell(rows["=SUM(1,2)村"], 2).value)
widths_ok = all((ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width or 0) >= min(w(ws.cell(r, i).value or ""), 48)
                for i in range(1, ws.max_column + 1) for r in range(2, ws.max_row + 1))
print("widths", widths_ok)
hc = wb.worksheets[4]
hrow = [hc.cell(r, 2).value for r in range(1, hc.max_row + 1)].index("Township") + 1
hcol = [c.value for c in hc[1]].index("Sex ratio at birth (女=100)") + 1
print("n/a", hc.cell(hrow, hcol).value)
cw = wb["Completeness"]
print("completeness", cw.freeze_panes, [c.value for c in cw[2]][:3], round(cw.cell(cw.max_row, cw.max_column).value, 1))
EOF
)
expect_eq "indicators workbook read back" "$got" "10 ['Completeness', \"Village women's and children's\"]
frozen C2
['Unit code', 'Unit', 'State', 'Village committee members (人)', 'of whom women (人)', \"Women's share of committee members (%)\"]
东风村 Village  int 5 0
Township Village  int 22 0
Township Women's  float 37.5 0.0
-石桥村 Women's  float 28.5714 0.0
2025 Village  int 9 0
Change Village  int 13 0
2025 Women's  float 33.3333 0.0
conflict 2 FFFFEB9C True
share 66.67 0.0\"%\" 1 True
met met 3/5 >= 30
formula-looking name is text s =SUM(1,2)村
widths True
n/a n/a
completeness C2 ['360730105201', '东风村', 'complete'] 23.5"
# In Chinese: the sheets are named after the forms, the columns after the fields.
R --lang zh report --period 2026 --format xlsx --out "$T_TMP/ind-zh.xlsx"
got=$($PY - "$T_TMP/ind-zh.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames[1:4])
print([c.value for c in wb.worksheets[1][1]][3:6])
EOF
)
expect_eq "Chinese sheet names and headers" "$got" "['村级妇女儿童发展纲要监测表', '乡妇联妇女儿童发展纲要监测表', '乡人大代表和党代会代表性别结构统计表']
['村委会成员数 (人)', '其中：女性成员数 (人)', '村委会成员中女性比例 (%)']"

for kind in completeness units targets; do
	f=; [ $kind = units ] && f="--field v_vc_female_pct"
	run R --lang en report --period 2026 --kind $kind $f --format xlsx --out "$T_TMP/$kind.xlsx"
	expect_rc "$kind workbook written" 0
done
got=$($PY - "$T_TMP" <<'EOF'
import sys, openpyxl
d = sys.argv[1]
wb = openpyxl.load_workbook(d + "/completeness.xlsx")
print(wb.sheetnames)
ws = wb["Who and when"]
print(ws.freeze_panes, ws.max_row - 1, [c.value for c in ws[1]][:4])
ms = wb["Still missing"]
print(ms.max_row - 1)
wb = openpyxl.load_workbook(d + "/units.xlsx")
ws = wb.worksheets[0]
print(wb.sheetnames, ws.freeze_panes)
for r in ws.iter_rows(min_row=2, values_only=True):
    print(r[0], r[2], round(r[3], 4) if isinstance(r[3], float) else r[3], r[4])
wb = openpyxl.load_workbook(d + "/targets.xlsx")
ws = wb["Targets"]
head = [c.value for c in ws[1]]
for r in ws.iter_rows(min_row=2, values_only=True):
    if r[1] == "v_rep_female_pct" and r[5] in ("Township", "=SUM(1,2)村", "东风村"):
        print(r[5], r[head.index("Value")], r[head.index("Met")], r[head.index("Reporting units")])
EOF
)
expect_eq "completeness, units and targets workbooks read back" "$got" "['Completeness', 'Who and when', 'Still missing']
C2 17 ['Unit code', 'Unit', 'Form', 'State']
13
[\"Women's share of committee memb\"] D2
None Township 37.5 met
1 =SUM(1,2)村 75 met
2 -石桥村 28.5714 not met
3 东风村 20 not met
None @柳树村, \"老村\" None None
None 新田村 None None
Township 30 not met 3
东风村 40 met None
=SUM(1,2)村 n/a None None"

# ---- the workbook and the CSV show the same table -----------------------------------------------
# Both are written from one table of each kind (src/report/table.h): every column of a sheet
# is the CSV's column of that header, row for row, cell for cell (the sheet's number to the
# CSV's decimals; its text without the CSV's formula guard; its time the CSV's UTC time in
# local time). Only what the table says differs: Who and when heads the form's title
# "Form"; Still missing is its rows not complete; a units sheet gives the target once.
for lang in en zh; do
	for kind in completeness targets "units --field v_vc_female_pct" "units --field v_children_home"; do
		k=${kind// /_}
		R --lang $lang report --period 2026 --kind $kind --format csv --out "$T_TMP/same-$k-$lang.csv"
		R --lang $lang report --period 2026 --kind $kind --format xlsx --out "$T_TMP/same-$k-$lang.xlsx"
	done
done
got=$($PY - "$T_TMP" <<'EOF'
import csv, datetime, sys, openpyxl
d = sys.argv[1]
LABELS = {"en": ("Form", "Form title", "State", "complete", "Target", "Who and when", "Still missing"),
          "zh": ("表", "表名", "状态", "已完成", "目标", "修改人和时间", "尚未完成")}

def unguard(s):
    return s[1:] if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@", "\t", "\r") else s

def local(utc):
    t = datetime.datetime.strptime(utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return t.astimezone().strftime("%Y-%m-%d %H:%M")

def same(name, ws, table, renames={}, keep=lambda r: True, once=()):
    head, bad = table[0], []
    sheet_head = [c.value for c in ws[1]]
    if any(renames.get(h, h) not in head for h in sheet_head):
        return "%s: a sheet column the CSV has not: %s" % (name, sheet_head)
    cols = [head.index(renames.get(h, h)) for h in sheet_head]
    data = [r for r in table[1:] if keep(dict(zip(head, r)))]
    if ws.max_row - 1 != len(data):
        bad.append("%d rows, the CSV %d" % (ws.max_row - 1, len(data)))
    for i, r in enumerate(data):
        for j, c in enumerate(cols):
            v, want = ws.cell(i + 2, j + 1).value, r[c]
            if sheet_head[j] in once and i > 0:
                ok = v is None and want == data[i - 1][c]
            elif v is None:
                ok = want == ""
            elif isinstance(v, (int, float)):
                dec = len(want.split(".")[1]) if "." in want else 0
                ok = want != "" and "%.*f" % (dec, v) == want
            elif len(want) == 20 and want.endswith("Z") and want[10:11] == "T":
                ok = v == local(want)
            else:
                ok = v == unguard(want)
            if not ok:
                bad.append("row %d %s: %r, the CSV %r" % (i + 2, sheet_head[j], v, want))
    return "%s: %s" % (name, "; ".join(bad[:3]) if bad else "same, %d rows" % len(data))

for lang in ("en", "zh"):
    form, title, state, complete, target, who, missing = LABELS[lang]
    for k in ("completeness", "targets", "units_--field_v_vc_female_pct", "units_--field_v_children_home"):
        table = list(csv.reader(open("%s/same-%s-%s.csv" % (d, k, lang), encoding="utf-8-sig", newline="")))
        wb = openpyxl.load_workbook("%s/same-%s-%s.xlsx" % (d, k, lang))
        name = "%s %s" % (k.replace("_--field_", " "), lang)
        if k == "completeness":
            print(same(name + " " + who, wb[who], table, {form: title}))
            print(same(name + " " + missing, wb[missing], table, {form: title}, lambda r: r[state] != complete))
        else:
            print(same(name, wb.worksheets[0], table, once=(target,) if k.startswith("units") else ()))
EOF
)
expect_eq "every sheet shows the CSV's table, cell for cell" "$got" "completeness en Who and when: same, 17 rows
completeness en Still missing: same, 13 rows
targets en: same, 76 rows
units v_vc_female_pct en: same, 6 rows
units v_children_home en: same, 6 rows
completeness zh 修改人和时间: same, 17 rows
completeness zh 尚未完成: same, 13 rows
targets zh: same, 76 rows
units v_vc_female_pct zh: same, 6 rows
units v_children_home zh: same, 6 rows"

# ==== DHIS2 ==================================================================================
run R --lang en report --period 2026 --format dhis2 --out "$T_TMP/dv.csv"
expect_rc "DHIS2 export" 0
expect_match "stderr lists the value in conflict" "$ERR" "360730105203 -石桥村 v_vc_female=2 \(other: 3 by 李四\)"
expect_match "stderr says which codes fell back" "$ERR" "1 field\(s\) and 1 unit\(s\) have no dhis2 code"
# From forms not complete: -石桥村 15 + @柳树村 2 + activity at =SUM(1,2)村 2 and -石桥村 1 + hospital 5
# + school 5 = 30 of the 68.
expect_match "stderr says how many values come from forms not complete" "$ERR" "30 of the 68 value\(s\) come from forms not marked complete"
csv_checks "DHIS2 CSV" "$T_TMP/dv.csv"
expect_eq "the DHIS2 header" "$(head -1 "$T_TMP/dv.csv" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')" \
	"dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted"
# 68 typed values: 东风村 16 (14 answers, filler, date), =SUM(1,2)村 16 (13 + filler, date, notes),
# -石桥村 15, @柳树村 2, activity 2 + 2 + 1, hospital 5, school 5, agriculture 4.
got=$($PY - "$T_TMP/dv.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))[1:]
print(len(rows), set(len(r) for r in rows), set(r[1] for r in rows))
key = {(r[0], r[2]): r for r in rows}
print(key[("LG_V_VC_TOTAL", "OU_SF_DONGFENG")][3:7], key[("LG_V_VC_TOTAL", "OU_SF_DONGFENG")][8:])
r = key[("LG_V_VC_FEMALE", "360730105203")]
print("conflict", r[5], r[9], "3 (李四)" in r[8])
print("fallback element", key[("act_place", "OU_SF_DONGFENG")][5])
print("no computed", any(r[0].endswith("_PCT") or r[0] in ("LG_HC_SRB", "LG_HC_MMR", "LG_EDU_RETENTION") for r in rows))
print("guarded text", key[("LG_V_NOTES", "OU_SF_HONGQI")][5], key[("LG_V_NOTES", "360730105203")][5])
print("yes/no", key[("LG_V_CHILDREN_HOME", "OU_SF_HONGQI")][5], "date", key[("LG_V_FILLED_ON", "OU_SF_DONGFENG")][5])
EOF
)
expect_eq "DHIS2 values read back" "$got" "68 {11} {'2026'}
['', '', '5', '王会计'] ['', 'false', 'false']
conflict 2 true True
fallback element 1
no computed False
guarded text '=cmd|' /C calc'!A0 '-2户未统计, \"待核\"
yes/no 0 date 2026-12-20"

# ---- what the forms no longer count is not sent ----------------------------------------------
# 东风村 typed 10 children and 3 left behind, then corrected the children to 0: the form no
# longer asks about left-behind children (skip logic), but the 3 stays stored. Then the
# forms were tightened: at most 5 committee members (6 was typed) and notes of at most 4
# characters (a longer one was typed). The reports count none of the three; nor may DHIS2.
LO_FORMS=$T_TMP/leftout-forms LO_DB=$T_TMP/leftout.db
rm -rf "$LO_FORMS" && cp -r "$RF_FORMS" "$LO_FORMS"
LO() { "$TB" --db "$LO_DB" --forms "$LO_FORMS" "$@"; }
{ LO init --unit 360730105000 --operator 王会计 &&
	LO set --unit $RF_V1 --period 2026 v_children_0_17=10 v_left_behind=3 v_vc_total=6 v_vc_female=2 &&
	LO set --unit $RF_V1 --period 2026 v_children_0_17=0 &&
	LO set --unit $RF_V1 --period 2026 act_sessions=3 act_note=十个字以内的说明; } >/dev/null
sed -i 's/^range = 3\.\.7$/range = 3..5/' "$LO_FORMS/10-village.ini"
sed -i 's/^max_length = 50$/max_length = 4/' "$LO_FORMS/95-activity.ini"
run LO --lang en report --period 2026 --format dhis2 --out "$T_TMP/leftout.csv"
expect_rc "DHIS2 export with values the forms no longer count" 0
expect_eq "  ... sends only what the forms count: no skipped, no longer accepted values" \
	"$(tail -n +2 "$T_TMP/leftout.csv" | tr -d '\r' | cut -d, -f1,6 | sort | tr '\n' ' ')" \
	"LG_ACT_SESSIONS,3 LG_V_CHILDREN,0 LG_V_VC_FEMALE,2 "
expect_match "  ... stderr says one was left out by the skip logic" "$ERR" \
	"note: 1 stored value\(s\) were left out because the form's skip logic no longer asks for them"
expect_match "  ... and two the current form no longer accepts" "$ERR" \
	"warning: 2 stored value\(s\) were left out because the current version of the form no longer accepts them"
expect_match "  ... naming them, to be typed again" "$ERR" "^  360730105201 东风村 v_vc_total=6$"
expect_match "  ... the note too" "$ERR" "^  360730105201 东风村 act_note=十个字以内的说明$"
expect_match "  ... and counts only what was written" "$ERR" "3 of the 3 value\(s\) come from forms not marked complete"
# The other reports agree: no figure for left-behind children or committee members.
LO --lang en report --period 2026 --format csv >"$T_TMP/leftout-ind.csv"
expect_eq "the indicators CSV counts none of them either" \
	"$(grep -E '^2026,village,(v_children_0_17|v_left_behind|v_vc_total),' "$T_TMP/leftout-ind.csv" | cut -d, -f3,7 | tr '\n' ' ')" \
	"v_vc_total, v_children_0_17,0 v_left_behind, "
LO --lang en report --period 2026 --format xlsx --out "$T_TMP/leftout.xlsx"
got=$($PY - "$T_TMP/leftout.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets[1:]:
    head = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    for h in ("Village committee members (人)", "of whom left-behind children (人)", "Note"):
        if h in head:
            print(h, row[head.index(h)])
EOF
)
expect_eq "the Excel sheets leave them out, the text note too" "$got" "Village committee members (人) None
of whom left-behind children (人) None
Note None"

# ==== Other periods, errors ===================================================================
run R --lang en report --period 2024
expect_rc "a period without data" 0
expect_match "  ... says nothing is complete" "$OUT" "Forms complete: 0 of 17 \(0\.0%\)"
expect_match "  ... and that there is nothing to compare with" "$OUT" "No data for 2023, the period before"

bad() { # DESC RC REGEX ARGS...
	local desc=$1 want=$2 re=$3; shift 3
	run R --lang en report "$@"
	expect_rc "$desc: status $want" "$want"
	expect_match "$desc: message" "$ERR" "$re"
}
bad "no period" 2 "--period P is required" --kind targets
bad "not a period" 2 "'26' is not a period" --period 26
bad "unknown kind" 2 "--kind takes completeness" --period 2026 --kind summary
bad "unknown format" 2 "--format takes text" --period 2026 --format pdf
bad "units without a field" 2 "needs --field CODE" --period 2026 --kind units
bad "a field for another kind" 2 "--field is only for --kind units" --period 2026 --field v_vc_total
bad "xlsx to the terminal" 2 "--format xlsx needs --out" --period 2026 --format xlsx
bad "an empty --out" 2 "--out takes a file name \(or - for standard output\), not an empty one" --period 2026 --format csv --out ''
bad "dhis2 with a report kind" 2 "--format dhis2 writes the typed values" --period 2026 --kind targets --format dhis2
bad "a narrow width" 2 "--width takes a number of columns from 80" --period 2026 --width 60
bad "an unknown field" 1 "unknown field 'v_nosuch'" --period 2026 --kind units --field v_nosuch
bad "a text field ranked" 1 "v_notes is a text field" --period 2026 --kind units --field v_notes
bad "a quarter, with only yearly forms" 1 "no form is filled in for a period like 2026Q1" --period 2026Q1
run "$TB" --db "$T_TMP/none.db" --forms "$RF_FORMS" report --period 2026
expect_rc "no database: status 1" 1
run R --lang en report --period 2026 --format csv --out "$T_TMP/no/such/dir/x.csv"
expect_rc "an output folder that does not exist: status 1" 1
expect_match "  ... named in the message" "$ERR" "cannot write .*/no/such/dir/x\.csv: .*/no/such/dir: No such file or directory"
run R --lang en report --period 2026 --format xlsx --out "$T_TMP/no/such/dir/x.xlsx"
expect_rc "a workbook in a folder that does not exist: status 1" 1
expect_no_match "  ... said once, in our words" "$ERR" "ERROR|\.tmp"

# ---- --out replaces only a regular file ---------------------------------------------------------
# A symbolic link, a fifo or a folder at the --out name is refused, and left as it was.
printf 'keep\n' >"$T_TMP/real.csv"
ln -s "$T_TMP/real.csv" "$T_TMP/link.csv"
mkfifo "$T_TMP/fifo.csv"
mkdir "$T_TMP/folder.csv"
for f in csv xlsx; do
	run R --lang en report --period 2026 --format $f --out "$T_TMP/link.csv"
	expect_rc "$f to a symbolic link: status 1" 1
	expect_match "  ... refused in words" "$ERR" "will not write .*/link\.csv: it is a symbolic link, not a regular file"
	check "  ... the link is still a link" test -L "$T_TMP/link.csv"
	expect_eq "  ... and the file it points to is untouched" "$(cat "$T_TMP/real.csv")" "keep"
	run timeout 10 "$TB" --db "$RF_DB" --forms "$RF_FORMS" --lang en report --period 2026 --format $f --out "$T_TMP/fifo.csv"
	expect_rc "$f to a fifo: status 1" 1
	expect_match "  ... refused in words" "$ERR" "will not write .*/fifo\.csv: it is a named pipe \(fifo\), not a regular file"
	check "  ... the fifo is still a fifo" test -p "$T_TMP/fifo.csv"
	run R --lang en report --period 2026 --format $f --out "$T_TMP/folder.csv"
	expect_rc "$f to a folder: status 1" 1
	expect_match "  ... refused in words" "$ERR" "will not write .*/folder\.csv: it is a folder, not a regular file"
	check "  ... the folder is still a folder" test -d "$T_TMP/folder.csv"
done
run R --lang zh report --period 2026 --out "$T_TMP/link.csv"
expect_match "the refusal in Chinese" "$ERR" "拒绝写入 .*/link\.csv：它是符号链接，不是普通文件"
# The temporary file (NAME.PID.tmp) is created anew, never through what is at its name: a
# link planted there by someone else (the shell's PID is the program's, through exec) is
# not followed; another name is taken.
for f in csv xlsx; do
	rm -f "$T_TMP/planted.$f" "$T_TMP"/planted.$f.*.tmp
	run sh -c 'ln -s "$1" "$2.$$.tmp" && shift 2 && exec "$@"' sh "$T_TMP/real.csv" "$T_TMP/planted.$f" \
		"$TB" --db "$RF_DB" --forms "$RF_FORMS" report --period 2026 --format $f --out "$T_TMP/planted.$f"
	expect_rc "$f beside a planted link at the temporary name: written" 0
	expect_eq "  ... not through the link" "$(cat "$T_TMP/real.csv")" "keep"
	check "  ... a regular file" test -f "$T_TMP/planted.$f" -a ! -L "$T_TMP/planted.$f"
	expect_eq "  ... no temporary file left but the planted link" "$(cd "$T_TMP" && ls -d planted.$f.*.tmp | wc -l)" "1"
done
expect_eq "the Excel file written through /proc is a workbook" "$(head -c 2 "$T_TMP/planted.xlsx")" "PK"
# Replacing a regular file is what --out is for.
printf 'old\n' >"$T_TMP/old.csv"
run R --lang en report --period 2026 --format csv --out "$T_TMP/old.csv"
expect_rc "a regular file is replaced" 0
expect_eq "  ... by the report" "$(head -c 3 "$T_TMP/old.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"

# ---- the Excel library is loaded only for Excel files ---------------------------------------
run ldd "$TB"
expect_no_match "the program does not link libxlsxwriter (nor the libcrypto it pulls in)" "$OUT" "libxlsxwriter|libcrypto"
run env TIANBAO_XLSXWRITER=/nonexistent/libxlsxwriter.so "$TB" --db "$RF_DB" --forms "$RF_FORMS" report --period 2026 \
	--format xlsx --out "$T_TMP/nolib.xlsx"
expect_rc "without the Excel library: refused" 1
expect_match "it names the package to install" "$ERR" "libxlsxwriter \(Debian package libxlsxwriter4\)"
check "and writes no file" test ! -e "$T_TMP/nolib.xlsx"

done_testing
