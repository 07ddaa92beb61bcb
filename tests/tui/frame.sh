#!/usr/bin/env bash
# The screen frame and the key table (src/ui/frame.c, src/ui/keys.c), end to end: the key
# bars at 80 columns in both languages (back never dropped), the help texts' lists of keys
# against the keys that work (each key a help names is pressed, and does what it says),
# and Ctrl-L and a resize redrawing every kind of screen.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
V1=360730105201
DB=$T_TMP/v.db
"$TB" --db "$DB" init --unit $V1 --operator 测试员 >/dev/null

# ---- 1. the key bars at 80 columns ------------------------------------------------------------
# The English list of forms needs 93 columns for all its keys: it drops the least important
# (F5 reports, which its help names), never back. Chinese: one column short, the same.
"$VT" <<EOF
size 80 24
spawn $TB --lang en --db $DB
wait Dongfeng Village
expect_at 23 0 ↑↓ line  Enter choose / go on  F1/^G help  Esc/F10/^X quit
key Enter
wait Dongfeng Village · 2026 · forms
expect_at 23 0 Enter open F1/^G help F3/^E export F4/^O import F6/^K conflicts Esc/F10/^X back
key Enter
wait Village committee members
expect_at 23 0 Tab/↓ next  ↑ previous  F1/^G help  F2/^R review  F11/^D note  Esc/F10/^X back
key F2
wait Review:
expect_at 23 0 Enter go to the field  F2/^R complete the form  Esc/F10/^X back
key Esc
waitgone Review:
key F1
wait Keys
expect_at 23 0 ↑↓ scroll  PgUp/PgDn page  Home/End top/end  Esc/F10/^X back
key Esc
waitgone Keys
key Esc
wait forms
resize 120 24
wait forms
expect_at 23 0 Enter open  F1/^G help  F3/^E export  F4/^O import  F5/^T reports  F6/^K conflicts  Esc/F10/^X back
key C-c
expect_exit 0
EOF
"$VT" <<EOF
size 80 24
spawn $TB --lang zh --db $DB
wait 东风村
expect_at 23 0 ↑↓ 移动  Enter 选择/继续  F1/^G 帮助  Esc/F10/^X 退出
key Enter
wait 东风村 · 2026 · 表格列表
expect_at 23 0 Enter 打开  F1/^G 帮助  F3/^E 导出  F4/^O 导入  F6/^K 冲突  Esc/F10/^X 返回
key Enter
wait 村委会成员数
expect_at 23 0 Tab/↓ 下一项  ↑ 上一项  F1/^G 帮助  F2/^R 审核  F11/^D 备注  Esc/F10/^X 返回
key F2
wait 审核
expect_at 23 0 Enter 转到该项  F2/^R 标为完成  Esc/F10/^X 返回
key Esc
waitgone 标为完成
key F1
wait 按键
expect_at 23 0 ↑↓ 滚动  PgUp/PgDn 翻页  Home/End 首/尾  Esc/F10/^X 返回
key C-c
expect_exit 0
EOF

# ---- 2. every key a help text names does what the help says ------------------------------------
# The help of the list of forms and of the form, read off the screen; each line "KEYS: what"
# becomes key presses, each checked for its effect.
# A tall window, so each help text shows whole (the keys every screen takes come last).
"$VT" >"$T_TMP/help.out" <<EOF
size 80 60
spawn $TB --lang en --db $DB
wait Dongfeng Village
key Enter
wait forms
key F1
wait Keys
screen
key Esc
waitgone Keys
key Enter
wait Village committee members
key F1
wait Keys
key End
settle
screen
key C-c
expect_exit 0
EOF
sed -n "/^#/!p" "$T_TMP/help.out"
mkdir -p "$T_TMP/home"
/usr/bin/python3 - "$T_TMP/help.out" "$TB" "$DB" "$T_TMP/home" >"$T_TMP/keys.vt" <<'PY'
import re, sys
out, tb, db, home = sys.argv[1:5]
names = {"Esc": "Esc", "Enter": "Enter", "Tab": "Tab", "Shift-Tab": "BTab", "↑": "Up", "↓": "Down",
         "←": "Left", "→": "Right", "Home": "Home", "End": "End", "Backspace": "BS", "Delete": "Del",
         "PgUp": "PgUp", "PgDn": "PgDn"}

def vtkey(name):
    if re.fullmatch(r"F\d+", name):
        return name
    m = re.fullmatch(r"Ctrl-([A-Z])", name)
    return "C-" + m.group(1).lower() if m else names[name]

# The help texts on screen: "    KEYS: what they do", keys joined by ", ", " or ", " / " or " ".
helps = []
for line in open(out):
    if line.startswith("# screen "):
        helps.append([])
    m = re.match(r"^# \d\d\|    (.+?): (.+)$", line)
    if m and helps:
        helps[-1].append((m.group(2).strip(), [vtkey(k) for k in re.split(r", | or | / | ", m.group(1))]))
if len(helps) != 2 or not helps[0] or not helps[1]:
    print("spawn true\nexpect the two help texts were read off the screen")
    sys.exit(0)

LIST = "Dongfeng Village · 2026 · forms"
redraw = "garble 10 GARBLED-BY-ANOTHER-PROGRAM\nexpect GARBLED\nkey {k}\nexpect_not GARBLED\nexpect {title}"
list_effects = {
    "open the chosen form": "key {k}\nwait Village committee members\nkey Esc\nwait " + LIST,
    "this help": "key {k}\nwait Choose a form with\nkey Esc\nwait " + LIST,
    "export to a USB stick": "key {k}\nwait Export to a USB stick\nkey Esc\nwait " + LIST,
    "import from a USB stick": "key {k}\nwait Import from a USB stick\nkey Esc\nwait " + LIST,
    "the reports": "key {k}\nwait Reports · 2026\nkey Esc\nwait " + LIST,
    "conflicts between copies": "key {k}\nwait Conflicts · 2026\nkey Esc\nwait " + LIST,
    "back to the choice of unit and period": "key {k}\nwait Period\nkey Enter\nwait " + LIST,
    "redraw the screen": redraw.replace("{title}", LIST),
}
# The keys every screen takes, on the list and in the form: each does what it says and
# is undone (the tour left, the language and the theme switched back).
def every_effect(desc, k, title, zh_title):
    if desc == "the guided tour, step by step":
        return "key %s\nwait Tour \nkey C-q\nwait The tour is over\nexpect_not Tour " % k
    if desc == "leave the guided tour":
        return "key F9\nwait Tour \nkey %s\nwait The tour is over\nexpect_not Tour " % k
    if desc == "Chinese / English (what is being typed stays)":
        return "key %s\nwait %s\nkey %s\nwait %s" % (k, zh_title, k, title)
    if desc == "high contrast on and off, for projectors":
        return "key %s\nwait High contrast: on\nexpect_colored no\nkey %s\nwait High contrast: off\nexpect_colored yes" % (k, k)
    if desc == "this screen as text into a file, for handouts":
        return "key %s\nwait This screen is saved as text: %s/tianbao-screen-" % (k, home)
    return None

# The form, from its first field: three values saved by the three "next" keys, back up by
# the two "previous" ones, a page down and up, the editing keys on "1", then the others.
saved = iter([("5", "Village committee members", 3), ("1", "of whom women", 5), ("0", "Committee chair is a woman", 6)])
previous = iter([(5, 38), (3, 38)])
edits = {
    "Left": "key Left\ntype x\nexpect 12x3",
    "Right": "key Right\ntype y\nexpect 12x3y",
    "Home": "key Home\ntype h\nexpect h12x3y",
    "End": "key End\ntype e\nexpect h12x3ye",
    "BS": "key BS\nexpect_not h12x3ye\nexpect h12x3y",
    "Del": "key Home\nkey Del\nexpect_not h12x3y\nexpect 12x3y",
}
FORM = "Village committee members"
# The comment keys: the first writes one on the field's value, the second removes it.
comment_steps = iter(["type 换届后待核实\nkey Enter\nwait Comment saved: ", "key C-u\nkey Enter\nwait Comment removed: "])

def form_effect(desc, k):
    if desc == "next field (the value is saved)":
        v, label, row = next(saved)
        return "type %s\nkey %s\nwait Saved: %s = %s\nexpect_cursor %d 37" % (v, k, label, v, row)
    if desc == "previous field":
        return "key %s\nexpect_cursor %d %d" % ((k,) + next(previous))
    if desc == "next / previous page":
        return "key %s\nwait %s" % (k, "a date, year first" if k == "PgDn" else "a whole number")
    if desc == "edit inside the field (Ctrl-U empties it)":
        return edits[k]
    if desc == "this help":
        return "key %s\nwait Keys\nkey Esc\nwaitgone Keys" % k
    if desc == "review the form's problems and complete it":
        return "key %s\nwait Review:\nkey Esc\nwaitgone Review:" % k
    if desc == "a comment on the value: why it is so, what to check":
        return "key %s\nwait Comment · \n%s" % (k, next(comment_steps))
    if desc == "back to the list of forms":
        return "key %s\nwait %s\nkey Enter\nwait %s" % (k, LIST, FORM)
    if desc == "redraw the screen":
        return redraw.replace("{title}", FORM).replace("{k}", k)
    e = every_effect(desc, k, FORM, "村委会成员数")
    if e:
        return e
    if desc == "leave tianbao, saving the value being typed when it is valid":
        # Quitting goes last, after the keys every screen takes.
        quit_seen.append("key End\nkey BS 5\ntype 4\nkey %s\nexpect_exit 0" % k)
        return ""
    return None
quit_seen = []

print("size 80 24\nenv HOME=%s\nspawn %s --lang en --db %s\nwait Dongfeng Village\nkey Enter\nwait %s" % (home, tb, db, LIST))
for desc, keys in helps[0]:
    for k in keys:
        e = every_effect(desc, k, LIST, "东风村 · 2026 · 表格列表")
        print(e if e else list_effects[desc].replace("{k}", k) if desc in list_effects
              else "expect the list's help line '%s' is one this test knows" % desc)
print("key Enter\nwait " + FORM)
for desc, keys in helps[1]:
    if desc == "edit inside the field (Ctrl-U empties it)":
        # End keeps the value to edit in place (a character typed first would replace it).
        print("key End\ntype 23\nexpect 123")
    for k in keys:
        e = form_effect(desc, k)
        if e != "":
            print(e if e else "expect the form's help line '%s' is one this test knows" % desc)
    if desc == "edit inside the field (Ctrl-U empties it)":
        print("key End\nkey BS 5\ntype 1")
print(quit_seen[0] if quit_seen else "key C-c\nexpect_exit 0")
PY
sed 's/^/# /' "$T_TMP/keys.vt"
"$VT" <"$T_TMP/keys.vt"
if grep -q '^key C-c$' "$T_TMP/keys.vt" && grep -q '^type 4$' "$T_TMP/keys.vt"; then
	expect_eq "Ctrl-C, as the form's help says, kept the value being typed" \
		"$(sqlite3 "$DB" "SELECT value FROM vals WHERE field = 'v_vc_total'")" "4"
fi

# ---- 3. Ctrl-L and a resize redraw every kind of screen -----------------------------------------
# Another program's text over the screen goes on Ctrl-L; a larger window gets the screen
# laid out again (its key bar on the new last row), and so does the window made 80x24 again.
mkdir -p "$T_TMP/demo"
run $TB demo --db "$T_TMP/demo/demo.db" --build-only
expect_rc "the demo database builds" 0
# redraw TITLE BAR: the vtdrive lines that check one screen.
redraw() {
	cat <<EOF
garble 12 GARBLED-BY-ANOTHER-PROGRAM
expect GARBLED
key C-l
expect_not GARBLED
expect_at 0 1 $1
resize 100 30
expect_at 0 1 $1
expect_at 29 0 $2
resize 80 24
expect_at 0 1 $1
expect_at 23 0 $2
EOF
}
"$VT" <<EOF
env TIANBAO_MEDIA=$T_TMP/demo/stick
size 80 24
spawn $TB --lang en --db $T_TMP/demo/demo.db
wait Shifan Township
$(redraw "tianbao 填报 · Shifan Township" "↑↓ line  Enter choose / go on")
key F1
wait Keys
$(redraw "Help" "↑↓ scroll  PgUp/PgDn page")
key Esc
waitgone Keys
key Up
key Enter
wait Choose the unit
$(redraw "Choose the unit to enter data for" "↑↓ move  Enter choose  1-9 choose")
key Down
key Enter
waitgone Choose the unit to enter
key BS 4
type 2025
key Enter
wait Dongfeng Village · 2025 · forms
$(redraw "Dongfeng Village · 2025 · forms" "Enter open")
key Enter
wait Village committee members
$(redraw "Dongfeng Village · 2025 · Village" "Tab/↓ next  ↑ previous")
key F2
wait Review:
$(redraw "Review: Village" "Enter go to the field")
key Esc
waitgone Review:
key Esc
wait Dongfeng Village · 2025 · forms
key F5
wait Reports · 2025
$(redraw "Reports · 2025" "↑↓ move  Enter choose")
type 1
wait Forms complete
$(redraw "Completeness" "↑↓ scroll  PgUp/PgDn page  Home/End top/end")
key Esc
wait Reports · 2025
key Esc
wait Dongfeng Village · 2025 · forms
key F3
wait Choose the USB stick.
$(redraw "Export to a USB stick" "↑↓ move  Enter choose")
key Down
key Enter
wait The folder (for example
$(redraw "Export to a USB stick" "Enter OK  Tab complete name  Esc/F10/^X back")
key Esc
wait Choose the USB stick.
key Esc
wait Dongfeng Village · 2025 · forms
key F4
wait Choose the USB stick.
key Enter
wait What merging it would do
$(redraw "Import from" "Space choose  A all  Enter merge the chosen")
key Esc
wait Dongfeng Village · 2025 · forms
key F6
wait Conflicts · 2025
$(redraw "Conflicts · 2025" "↑↓ move  Enter choose")
key Esc
wait Dongfeng Village · 2025 · forms
resize 60 15
wait The window is too small: 60x15.
garble 3 GARBLED-BY-ANOTHER-PROGRAM
expect GARBLED
key C-l
expect_not GARBLED
expect The window is too small: 60x15.
resize 80 24
wait Dongfeng Village · 2025 · forms
expect_at 23 0 Enter open F1/^G help F3/^E export
key C-c
expect_exit 0
expect_term_restored
EOF

# Too small, Esc leaves (the screen behind cannot be seen), keeping a valid value typed
# (into a field Ctrl-U emptied first).
"$VT" <<EOF
spawn $TB --lang zh --db $DB
wait 东风村
key Enter
wait 村级妇女儿童发展纲要监测表
key Enter
wait 村委会成员数
# Ctrl-U empties the pre-filled field (typing would add to it).
key C-u
type 6
resize 60 15
wait 窗口太小
expect Esc：退出 tianbao
key Esc
expect_exit 0
expect_term_restored
EOF
expect_eq "Ctrl-U, 6, then Esc in a window too small: the value typed saved" \
	"$(sqlite3 "$DB" "SELECT value FROM vals WHERE field = 'v_vc_total' AND period = '2026' AND unit = '360730105201'")" 6

done_testing
