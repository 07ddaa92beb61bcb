#!/usr/bin/env bash
# The USB screens end to end: a village exports to a "stick" (F3), the township imports
# from it (F4) after a dry run, a second copy disagrees, the clerk decides (F6), and the
# form marks the value in conflict until then. The stick is a folder named by
# TIANBAO_MEDIA, the setting that says where to look for sticks.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
STICK=$T_TMP/stick
mkdir -p "$STICK"
VIL=$T_TMP/village.db
VIL2=$T_TMP/village-copy.db
TWP=$T_TMP/township.db
V1=360730105201

"$TB" --db "$VIL" init --unit $V1 --operator 李秀英 >/dev/null
"$TB" --db "$VIL" set --period 2025 v_vc_total=5 v_vc_female=2 'v_notes=东风村, "一组"' >/dev/null
"$TB" --db "$TWP" init --unit 360730105000 --operator 王会计 >/dev/null

# ---- export to the stick -----------------------------------------------------------------
"$VT" <<VT
env TIANBAO_MEDIA=$STICK
spawn $TB --lang en --db $VIL
wait Dongfeng Village
key Down
key BS 4
type 2025
key Enter
wait Dongfeng Village · 2025 · forms
key F3
wait Choose the USB stick.
expect $STICK
key Enter
wait Only the period 2025
key Enter
wait It is safe to remove the USB stick now.
expect Written and read back from the stick:
expect 3 value(s) of 1 unit(s), 1 period(s)
key Esc
wait Dongfeng Village · 2025 · forms
key C-x
key C-x
expect_exit 0
VT
file=$(ls "$STICK"/*.tbx 2>/dev/null | head -1)
check "an export file is on the stick" test -n "$file"
expect_match "its name is ASCII and tells unit and period" "$(basename "$file")" '^tianbao-360730105201-2025-[0-9]{8}T[0-9]{6}Z\.tbx$'
run "$TB" verify "$file"
expect_rc "tianbao verify accepts it" 0
expect_eq "no temporary file left" "$(ls -A "$STICK" | grep -vc '\.tbx$')" "0"

# No stick: the screen says so and offers to look again or type a folder.
"$VT" <<VT
env TIANBAO_MEDIA=$T_TMP/no-such-stick
spawn $TB --lang en --db $VIL
wait Dongfeng Village
key Enter
wait forms
key C-e
wait No USB stick found.
expect Type a folder...
expect Look again
key Esc
key C-x
key C-x
expect_exit 0
VT

# Typing a folder: it starts at /media/, Tab completes its name (Chinese too, and says the
# choices when there are several), and the export goes there.
mkdir -p "$T_TMP/media/李秀英/KINGSTON" "$T_TMP/media/李秀英/KINGMAX" "$T_TMP/media/李秀英/新加卷"
"$VT" <<VT
env TIANBAO_MEDIA=$T_TMP/no-such-stick
spawn $TB --lang en --db $VIL
wait Dongfeng Village
key Enter
wait forms
key F3
wait No USB stick found.
key Enter
wait The folder (for example /media/user/STICK):
expect /media/
expect Tab completes the folder's name
key C-u
type $T_TMP/media/李
key Tab
expect $T_TMP/media/李秀英/
type K
key Tab
wait 2 folders:
expect KINGSTON
expect KINGMAX
expect $T_TMP/media/李秀英/KING
type S
key Tab
expect $T_TMP/media/李秀英/KINGSTON/
key Enter
wait Only the period
key Enter
wait Written and read back from the stick:
expect /KINGSTON/tianbao-360730105201-
key Esc
key C-x
key C-x
expect_exit 0
VT
expect_eq "the export is in the folder typed" "$(ls "$T_TMP/media/李秀英/KINGSTON" | grep -c '^tianbao-360730105201-.*\.tbx$')" "1"

# A stick's line says its label (the folder udisks names after it) and its free space.
"$VT" <<VT
env TIANBAO_MEDIA=$T_TMP/media/李秀英/KINGSTON
spawn $TB --lang zh --db $VIL
wait 东风村
key Enter
wait 表格列表
key F3
wait KINGSTON，剩余
expect GB
key Esc
key C-x
key C-x
expect_exit 0
VT

# ---- import at the township: the dry run first, then the merge ----------------------------
"$VT" <<VT
env TIANBAO_MEDIA=$STICK
spawn $TB --lang en --db $TWP
wait Shifan Township
key Down
key BS 4
type 2025
key Enter
wait Shifan Township · 2025 · the units' forms
key F4
wait Choose the USB stick.
key Enter
wait What merging it would do
key F1
wait Nothing has been
key Esc
wait What merging it would do
expect_at 2 0 [x] Dongfeng Village
expect_at 2 21 2025
expect_at 2 30 new 3, updated 0, unchanged 0, conflicts 0
expect 1 of 1 chosen
expect tianbao-360730105201-2025-
expect · 李秀英 20
key Enter
wait Merged. Nothing was written to the stick
expect new 3, updated 0, unchanged 0, conflicts 0
key Esc
wait Shifan Township · 2025 · the units' forms
key F4
key Enter
wait What merging it would do
expect already merged
expect 0 of 1 chosen
key Esc
key C-x
key C-x
expect_exit 0
VT
expect_eq "the township holds exactly the village's values" \
	"$("$TB" --db "$TWP" dump --unit $V1)" "$("$TB" --db "$VIL" dump)"

# ---- a second copy of the village disagrees: a conflict, marked, then decided --------------
"$TB" --db "$VIL2" init --unit $V1 --operator 张三 >/dev/null
"$TB" --db "$VIL2" set --period 2025 v_vc_total=6 >/dev/null
rm -f "$STICK"/*.tbx
"$TB" --db "$VIL2" export --out "$STICK" >/dev/null
"$VT" <<VT
env TIANBAO_MEDIA=$STICK
spawn $TB --lang en --db $TWP
wait Shifan Township
key Down
key BS 4
type 2025
key Enter
wait forms
key F4
key Enter
wait What merging it would do
expect conflicts 1
key Enter
wait Merged.
key Esc
wait forms
key F6
wait Conflicts · 2025
expect Dongfeng Village
expect Village committee members
expect 2 different values
key Esc
wait forms
key Esc
wait Period
key Up
key Enter
wait Choose the unit
key Down
key Enter
key Enter
wait Dongfeng Village · 2025 · forms
expect 1 conflict
key Enter
wait Village committee members
expect in conflict
expect In conflict: two copies sent different values.
key Esc
wait forms
key Esc
wait Period
key Up
key Enter
wait Choose the unit
key Home
key Enter
key Enter
wait forms
key C-k
wait Conflicts · 2025
key F1
wait the values two copies of a unit's data disagree on
key Esc
waitgone disagree on: the same
key Enter
wait Conflict: Dongfeng Village · 2025 · Village committee members
expect 5
expect 6
expect 李秀英
expect 张三
# The computers told apart by letters, not by their ids; the file by what is its own.
expect_at 1 4 Value          By         When              Computer       File
expect computer A
expect computer B
expect_not tianbao-$V1-2025-
key F1
wait guess which is right
key Esc
waitgone does not guess
key Down
key Enter
wait Take 6 (typed by 张三
expect Take this value
key Esc
wait Enter takes the chosen value (you are asked once more)
type 2
wait Take 6 (typed by 张三
key Enter
wait Decided: Dongfeng Village · Village committee members = 6
expect No conflicts: every copy merged agrees.
expect (张三). U: undo
expect_at 23 0 ↑↓ move
expect U undo
# Taken back: the conflict is listed again, and U is no longer offered.
type u
wait Taken back: Dongfeng Village · Village committee members is a conflict again
expect 2 different values
expect_not U undo
type u
expect_not No conflicts
key Enter
wait Conflict: Dongfeng Village · 2025 · Village committee members
type 2
wait Take 6 (typed by 张三
key Enter
wait Decided: Dongfeng Village · Village committee members = 6
key Esc
key C-x
key C-x
expect_exit 0
VT
run "$TB" --db "$TWP" conflicts --period 2025
expect_no_match "no conflict is left" "$OUT" "v_vc_total"
expect_match "the decision took the second copy's value" "$("$TB" --db "$TWP" dump --unit $V1)" ",v_vc_total,6,"
run "$TB" --db "$TWP" log --unit $V1
expect_match "the decision is in the audit trail" "$OUT" "v_vc_total: [56] -> 6  \\[resolved, 王会计\\]"
expect_match "so is taking it back" "$OUT" "v_vc_total: 6 -> [56]  \\[undone, 王会计\\]"

# ---- the township's own export read back, and a damaged file -----------------------------
# The township's export holds several units: named after the township with their number,
# and not chosen (it is this computer's own). A damaged file's reason shows whole on Space.
BACK=$T_TMP/back
mkdir -p "$BACK" "$T_TMP/one"
"$TB" --db "$TWP" set --unit 360730105202 --period 2025 v_vc_total=5 >/dev/null
"$TB" --db "$TWP" export --period 2025 --out "$BACK" >/dev/null
"$TB" --db "$VIL" export --period 2025 --out "$T_TMP/one" >/dev/null
for f in "$T_TMP"/one/*.tbx; do head -c 3000 "$f" >"$BACK/tianbao-$V1-2025-cut.tbx"; done
"$VT" <<VT
env TIANBAO_MEDIA=$BACK
spawn $TB --lang zh --db $TWP
wait 示范乡
key Enter
wait 各单位的表
key F4
wait 请选择U盘。
key Enter
wait 合并预览
expect_at 2 0 [ ] 示范乡·2个单位
key Down
key Down
wait 按空格键看这个文件被拒绝的完整原因。
type  
wait 这个文件为什么被拒绝
expect tianbao-$V1-2025-cut.tbx
expect 3000 字节
key Esc
wait 合并预览
key Esc
key C-x
key C-x
expect_exit 0
VT

done_testing
