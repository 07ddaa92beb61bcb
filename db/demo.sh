#!/usr/bin/env bash
# demo.sh DB - builds a fresh demo database of the sample township (forms/units.ini) the
# way the data really arrives: villages enter their figures on their own laptops and
# export them to a USB stick; the township merges the files. Some forms are complete,
# some in progress or with problems to find, two villages have not reported, two
# laptops of one village disagree (a conflict to decide with F6), and the "stick"
# (DB's folder /stick) still holds a file not merged yet and a damaged one, for F4.
# Never touches the user's own database.
#   usage: db/demo.sh build/demo/demo.db   (run by `make demo`; TIANBAO= the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: db/demo.sh DB}
bin=${TIANBAO:-./tianbao}
dir=$(dirname "$db")
stick=$dir/stick
laptops=$dir/laptops

rm -rf "$stick" "$laptops"
rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
mkdir -p "$stick" "$laptops"
tb() { "$bin" --forms forms "$@"; }

y=2025
# village UNIT OPERATOR [complete] FIELD=VALUE...: a village laptop enters its form.
village() {
	local unit=$1 who=$2 done=$3; shift 3
	local vdb=$laptops/$unit-$who.db
	tb --db "$vdb" init --unit "$unit" --operator "$who" >/dev/null
	tb --db "$vdb" set --period $y "$@" >/dev/null
	[ "$done" = complete ] && tb --db "$vdb" complete --period $y --form village >/dev/null
	tb --db "$vdb" export --period $y --out "$stick" >/dev/null
}

village 360730105201 李秀英 complete v_vc_total=5 v_vc_female=2 v_vc_chair_female=0 v_pb_total=5 v_pb_female=1 \
	v_pb_sec_female=0 v_yijiantiao=1 v_wf_chair_in_2c=1 v_rep_total=36 v_rep_female=13 v_children_0_17=412 \
	v_left_behind=57 v_child_director=1 v_children_home=1 v_filled_by=李秀英 v_filled_on=2025-12-28
village 360730105202 王建国 complete v_vc_total=5 v_vc_female=1 v_vc_chair_female=0 v_pb_total=7 v_pb_female=1 \
	v_pb_sec_female=0 v_yijiantiao=0 v_wf_chair_in_2c=0 v_rep_total=42 v_rep_female=10 v_children_0_17=530 \
	v_left_behind=96 v_child_director=1 v_children_home=0 v_filled_by=王建国 v_filled_on=2025-12-30
village 360730105203 张桂兰 complete v_vc_total=3 v_vc_female=1 v_vc_chair_female=1 v_pb_total=3 v_pb_female=1 \
	v_pb_sec_female=1 v_yijiantiao=1 v_wf_chair_in_2c=1 v_rep_total=25 v_rep_female=9 v_children_0_17=198 \
	v_left_behind=31 v_child_director=1 v_children_home=1 v_filled_by=张桂兰 v_filled_on=2026-01-05
# 柳树村: two laptops (the committee office and the women's chair) sent different
# numbers of representatives: a conflict for the clerk to decide.
village 360730105204 赵强 progress v_vc_total=5 v_vc_female=0 v_vc_chair_female=0 v_pb_total=5 v_pb_female=0 \
	v_rep_total=30 v_rep_female=6 v_children_0_17=260
village 360730105204 孙丽 progress v_rep_total=32 v_rep_female=6
village 360730105205 陈明 progress v_vc_total=4 v_vc_female=5 v_pb_total=5 v_pb_female=2 v_children_0_17=321 \
	v_left_behind=40 "v_notes=村委会换届后人数待核实"
village 360730105206 刘芳 complete v_vc_total=7 v_vc_female=2 v_vc_chair_female=0 v_pb_total=5 v_pb_female=1 \
	v_pb_sec_female=0 v_yijiantiao=0 v_wf_chair_in_2c=1 v_rep_total=50 v_rep_female=17 v_children_0_17=0 \
	v_child_director=0 v_children_home=0 v_filled_by=刘芳 v_filled_on=2026-01-08

# The township merges what has arrived so far.
tb --db "$db" init --unit 360730105000 --operator 演示 >/dev/null
tb --db "$db" merge "$stick" >/dev/null || true

# Still on the stick, not merged: 龙泉村's file arrives late, and a copy damaged in transit.
village 360730105207 周红 progress v_vc_total=5 v_vc_female=2 v_pb_total=5 v_pb_female=1 v_rep_total=40 v_rep_female=14
for f in "$stick"/tianbao-36073010520[1-6]-*.tbx; do rm -f "$f"; done
late=$(ls -t "$stick"/tianbao-360730105207-*.tbx | head -1)
head -c 3000 "$late" >"$stick/tianbao-360730105207-2025-copy-damaged.tbx"

# Departments type at the township, 2025.
set_values() { tb --db "$db" set --unit "$1" --period "$2" "${@:3}" >/dev/null; }
set_values 360730105-hc $y hc_lb_male=38 hc_lb_female=33 hc_lb_unknown=0 hc_lb_total=71 hc_mat_deaths=0 \
	hc_nn=0 hc_inf=1 hc_u5_deaths=1 hc_stillbirth=1 hc_sb_rep1h=1 hc_mat_sysmgmt=66 hc_hosp_del=71 hc_pnv=68
set_values 360730105-edu $y edu_g1_cohort=212 edu_g9=203 edu_cs_total=1630 edu_cs_girls=771 edu_dropout=0 \
	edu_kg=268 edu_age3_5=281
set_values 360730105-wf $y wf_hotline=46
set_values 360730105-lj $y lj_aid_tot=12 lj_aid_women=7 lj_fam_disp=23 lj_fam_ok=19 lj_dv_rep=4 lj_dv_warn=2

# The year before, for the change column of the reports.
set_values 360730105201 2024 v_vc_total=5 v_vc_female=1 v_rep_total=36 v_rep_female=11 v_children_0_17=430 v_left_behind=66
set_values 360730105202 2024 v_vc_total=5 v_vc_female=1 v_rep_total=40 v_rep_female=9 v_children_0_17=541 v_left_behind=101

rm -rf "$laptops"
echo "tianbao: demo database $db (示范乡, 2025: 4 villages complete, 2 in progress, 1 conflict, 2 not reported;"
echo "         the USB stick $stick holds 龙泉村's late file and a damaged copy, for F4)"
