#!/usr/bin/env bash
# Copies of one database, and decisions that travel (docs/exchange.md, "Merging values").
#
# Copies: a village's database put back from a backup by copying it over the file keeps
# its file identity, so its installation id: the copy and the original number their
# revisions alike and write different values at the same revision. A township merging
# both files, in either order, keeps both values (the later under the installation's id,
# the other under an id derived from it) and shows a conflict; nothing is dropped.
#
# Decisions travel: the township decides that conflict (and one between two
# installations) and exports; a county merging the villages' files and the township's
# file in every order sees no open conflict and the township's decision; a later
# revision from a village counts again.
. "$(dirname "$0")/../lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
unset TIANBAO_DB

V1=360730105201 V2=360730105202 TWP=360730105000
# Every command runs a minute after the one before, on a clock frozen for its run (from a
# day ago): no two writes share a second, so which is the later never depends on how fast
# the machine is. (In a tie, the comparator of store/latest.c gives this installation's
# own write, then the greater installation id: a township that takes a village's value
# shows its decision, a county merging both shows the greater id's row, same value.)
echo $(($(date -u +%s) - 86400)) >"$T_TMP/clock"
tb() {
	local at
	at=$(($(cat "$T_TMP/clock") + 60))
	echo "$at" >"$T_TMP/clock"
	env TZ=UTC ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
		faketime -f "$(date -u -d "@$at" '+%Y-%m-%d %H:%M:%S')" "$TB" "$@"
}
inst() { sqlite3 "$1" "SELECT value FROM meta WHERE key = 'installation_id'"; }
# Everything a merge decides, without the file each candidate came from (that is the
# first file that carried it, which by nature depends on the order).
snap() {
	tb --db "$1" dump 2>&1
	sqlite3 "$1" "SELECT unit, period, field, form, quote(value), updated_at, updated_by, installation, revision, conflict FROM vals ORDER BY 1, 2, 3"
	sqlite3 "$1" "SELECT unit, period, field, installation, form, quote(value), revision, updated_at, updated_by, superseded FROM candidates ORDER BY 1, 2, 3, 4"
	tb --db "$1" conflicts 2>&1 | sed 's/  [^ ]*\.tbx$//'
}
fresh() { rm -f "$1"; tb --db "$1" init --unit $TWP --operator "${2:-王会计}" >/dev/null; }
# merged_all NAME FILE...: merges the files into a fresh township database, in one go.
merged_all() { local d=$T_TMP/$1.db; shift; fresh "$d"; tb --db "$d" merge "$@" >"$d.out" 2>&1; echo "$d"; }

# ---- copies of one database ------------------------------------------------------------
va=$T_TMP/village.db
mkdir -p "$T_TMP/ea" "$T_TMP/eb" "$T_TMP/et"
tb --db "$va" init --unit $V1 --operator 甲 >/dev/null
tb --db "$va" set --period 2026 v_vc_total=5 v_notes=一组 >/dev/null
A=$(inst "$va")
check "no WAL left beside the database" test ! -e "$va-wal"
cp "$va" "$T_TMP/backup.db"
# The original goes on: v_vc_total's revision 2 is 6, and a new value.
tb --db "$va" set --period 2026 v_vc_total=6 v_rep_total=30 >/dev/null
fa=$(tb --db "$va" export --out "$T_TMP/ea")
# The backup is copied back over the database file (the file keeps its identity, so the
# installation id) and work goes on from there: revision 2 of v_vc_total is now 7.
cp "$T_TMP/backup.db" "$va"
tb --db "$va" set --period 2026 v_vc_total=7 >/dev/null
expect_eq "the restored database keeps the installation id" "$(inst "$va")" "$A"
fb=$(tb --db "$va" export --out "$T_TMP/eb")
expect_eq "both files: v_vc_total at revision 2 of one installation, different values" \
	"$(sqlite3 "$fa" "SELECT installation, revision, value FROM vals WHERE field = 'v_vc_total'")
$(sqlite3 "$fb" "SELECT installation, revision, value FROM vals WHERE field = 'v_vc_total'")" "$A|2|6
$A|2|7"

t1=$T_TMP/t1.db t2=$T_TMP/t2.db
fresh "$t1"
run tb --db "$t1" merge "$fa" "$fb"
expect_rc "the copies' files merge" 0
expect_match "the second file: v_vc_total conflicting" "$OUT" "$(basename "$fb") .*: 0 new, 0 updated, 1 unchanged, 1 conflicting"
expect_match "the merge says copies of one database wrote differently" "$OUT" \
	"^  copies of one database: 1 value\(s\) written differently under one installation id"
fresh "$t2"
tb --db "$t2" merge "$fb" >/dev/null
run tb --db "$t2" merge "$fa"
expect_match "the other order: the second file conflicting too" "$OUT" "$(basename "$fa") .*: 1 new, 0 updated, 1 unchanged, 1 conflicting"
expect_eq "either order: the same values, candidates and conflicts" "$(snap "$t2")" "$(snap "$t1")"
expect_eq "nothing dropped: both values of revision 2 kept, the later under the installation's id" \
	"$(sqlite3 "$t1" "SELECT value, revision, installation = '$A', substr(installation, 9) = substr('$A', 9), superseded FROM candidates WHERE field = 'v_vc_total' ORDER BY value")" \
	"6|2|0|1|0
7|2|1|1|0"
expect_eq "the other values of both copies" "$(sqlite3 "$t1" "SELECT field, value FROM vals WHERE field <> 'v_vc_total' ORDER BY field")" \
	"v_notes|一组
v_rep_total|30"
expect_eq "v_vc_total in conflict, the later write shown" "$(sqlite3 "$t1" "SELECT value, conflict FROM vals WHERE field = 'v_vc_total'")" "7|1"
C=$(sqlite3 "$t1" "SELECT installation FROM candidates WHERE field = 'v_vc_total' AND value = '6'")
run tb --db "$t1" conflicts
expect_match "conflicts: two candidates" "$OUT" "^$V1 .* 2026 v_vc_total .*: 2 candidates"
expect_match "conflicts: the original's value, under the derived id" "$OUT" "^    $C  6 "
expect_match "conflicts: the restored copy's value, under the installation's id" "$OUT" "^    $A  7 "
before=$(snap "$t1")
run tb --db "$t1" merge "$fb" "$fa"
expect_match "merged again: skipped" "$OUT" "already merged on"
expect_eq "merged again: nothing changes" "$(snap "$t1")" "$before"

# A township's export carries both copies' values under their ids: another township
# merging it alone, or with the villages' files in any order, ends the same.
ft0=$(tb --db "$t1" export --out "$T_TMP/et")
for o in "$ft0" "$fa $ft0 $fb" "$fb $ft0" "$ft0 $fb $fa"; do
	# shellcheck disable=SC2086
	d=$(merged_all x $o)
	expect_eq "a township's export, merged as: $(for f in $o; do basename "$f" | cut -c1-20; done | tr '\n' ' ')" \
		"$(snap "$d")" "$(snap "$t1")"
done

# ---- decisions travel -------------------------------------------------------------------
# A second conflict, between two installations that write the same unit: 甲 and 乙.
pa=$T_TMP/pa.db pb=$T_TMP/pb.db
tb --db "$pa" init --unit $TWP --operator 甲 >/dev/null
tb --db "$pb" init --unit $TWP --operator 乙 >/dev/null
P=$(inst "$pa") Q=$(inst "$pb")
tb --db "$pa" set --unit $V2 --period 2026 v_vc_total=3 v_rep_total=20 >/dev/null
tb --db "$pb" set --unit $V2 --period 2026 v_vc_total=4 >/dev/null
fp=$(tb --db "$pa" export --out "$T_TMP/ea")
fq=$(tb --db "$pb" export --out "$T_TMP/eb")
run tb --db "$t1" merge "$fp" "$fq"
expect_match "the township: 甲 and 乙 disagree" "$OUT" "$(basename "$fq") .*1 conflicting"
# The clerk decides both: the original's 6 (the derived id), and 乙's 4.
run tb --db "$t1" resolve --unit $V1 --period 2026 --field v_vc_total --take "${C:0:8}"
expect_rc "resolve the copies' conflict" 0
run tb --db "$t1" resolve --unit $V2 --period 2026 --field v_vc_total --take "${Q:0:8}"
expect_rc "resolve 甲 and 乙" 0
run tb --db "$t1" conflicts
expect_match "the township: no open conflict" "$OUT" "No open conflicts"
ft=$(tb --db "$t1" export --out "$T_TMP/et")
run tb verify "$ft"
expect_match "verify: what the decisions set aside" "$OUT" "set aside: +2 candidate\(s\) that a decision set aside$"
expect_eq "the file: the set-aside candidates" \
	"$(sqlite3 "$ft" "SELECT unit, field, installation, value FROM superseded ORDER BY 1, 2")" "$V1|v_vc_total|$A|7
$V2|v_vc_total|$P|3"
expect_eq "the file: the decisions are the township's own candidates" \
	"$(sqlite3 "$ft" "SELECT unit, value FROM vals WHERE field = 'v_vc_total' AND installation = '$(inst "$t1")' ORDER BY 1")" "$V1|6
$V2|4"

# The county merges the villages' files and the township's, in every order.
files=("$fa" "$fb" "$fp" "$fq" "$ft")
ref="" n_orders=0 bad_orders=0 open=0
for order in "0 1 2 3 4" "4 3 2 1 0" "4 0 1 2 3" "0 4 1 3 2" "2 3 4 0 1" "1 0 3 2 4" "3 4 1 0 2"; do
	list=()
	for x in $order; do list+=("${files[$x]}"); done
	d=$(merged_all county "${list[@]}")
	grep -q "refused" "$d.out" && diag "order $order: $(cat "$d.out")"
	s=$(snap "$d")
	n_orders=$((n_orders + 1))
	[ -z "$ref" ] && { ref=$s; cp "$d" "$T_TMP/county.db"; }
	[ "$s" = "$ref" ] || { bad_orders=$((bad_orders + 1)); diag "order $order differs:" "$(diff <(echo "$ref") <(echo "$s") | head -20)"; }
	open=$((open + $(sqlite3 "$d" "SELECT count(*) FROM vals WHERE conflict = 1")))
done
expect_eq "the county: $n_orders orders, the same result" "$bad_orders" "0"
expect_eq "the county: no open conflict in any order" "$open" "0"
cty=$T_TMP/county.db
expect_eq "the county: the township's decisions hold" \
	"$(sqlite3 "$cty" "SELECT unit, value, conflict FROM vals WHERE field = 'v_vc_total' ORDER BY 1")" "$V1|6|0
$V2|4|0"
expect_eq "the county: every value is kept, the set-aside ones marked" \
	"$(sqlite3 "$cty" "SELECT unit, installation = '$(inst "$t1")', quote(value), superseded FROM candidates WHERE field = 'v_vc_total' ORDER BY 1, 2, 3")" \
	"$V1|0|'6'|0
$V1|0|'7'|1
$V1|1|'6'|0
$V2|0|'3'|1
$V2|0|'4'|0
$V2|1|'4'|0"
expect_eq "the county's values equal the township's" "$(tb --db "$cty" dump)" "$(tb --db "$t1" dump)"

# A later revision from a village counts again, at the county and at the township: 甲
# agreeing with the decision opens nothing; 甲 disagreeing reopens the conflict.
tb --db "$pa" set --unit $V2 --period 2026 v_vc_total=4 >/dev/null
fp2=$(tb --db "$pa" export --out "$T_TMP/ea")
run tb --db "$cty" merge "$fp2"
expect_match "甲 now agrees: no conflict" "$OUT" "0 conflicting"
expect_eq "甲 agrees: 4, no conflict" "$(sqlite3 "$cty" "SELECT value, conflict FROM vals WHERE unit = '$V2' AND field = 'v_vc_total'")" "4|0"
tb --db "$pa" set --unit $V2 --period 2026 v_vc_total=5 >/dev/null
fp3=$(tb --db "$pa" export --out "$T_TMP/ea")
for d in "$cty" "$t1"; do
	run tb --db "$d" merge "$fp3"
	expect_match "$(basename "$d" .db): 甲's revision 3 differs from the decision: conflicting" "$OUT" "1 conflicting"
	expect_eq "$(basename "$d" .db): the conflict is open again" \
		"$(sqlite3 "$d" "SELECT value, conflict FROM vals WHERE unit = '$V2' AND field = 'v_vc_total'")" "5|1"
done
# The restored copy writes again: its revision 3 is the installation's latest, and
# takes the place of both revision 2 values; it differs from the township's decision.
tb --db "$va" set --period 2026 v_vc_total=3 >/dev/null
fb3=$(tb --db "$va" export --out "$T_TMP/eb")
run tb --db "$cty" merge "$fb3"
expect_eq "the village's revision 3 replaces its revision 2 values; conflict with the decision" \
	"$(sqlite3 "$cty" "SELECT installation = '$A', value, revision, superseded FROM candidates WHERE unit = '$V1' AND field = 'v_vc_total' ORDER BY 1, 2")" \
	"0|6|1|0
1|3|3|0"
expect_eq "the conflict is open" "$(sqlite3 "$cty" "SELECT value, conflict FROM vals WHERE unit = '$V1' AND field = 'v_vc_total'")" "3|1"

expect_eq "no private temporary files left" "$(ls -A "$TMPDIR" | wc -l)" "0"
done_testing
