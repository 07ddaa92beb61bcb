#!/usr/bin/env bash
# The high-contrast theme in a real X terminal: xterm under Xvfb, with a CJK font (all
# Debian packages), on a white and on a black background, the village form with two
# warnings on screen. The pictures stay in build/test/artefacts/ for a person to look at;
# the test checks that the contrast pictures have no colour at all (every pixel grey)
# while the normal theme's has some, and that text was drawn.
. "$(dirname "$0")/../lib.sh"

ART=$ROOT/build/test/artefacts
mkdir -p "$ART"
DB=$T_TMP/shot.db
"$TB" --db "$DB" init --unit 360730105201 --operator 测试员 >/dev/null
"$TB" --db "$DB" set --period 2026 v_vc_total=5 v_pb_total=5 v_pb_female=1 >/dev/null

# A display of its own: Xvfb picks a free number and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1100x700x24 -nolisten tcp 3>"$T_TMP/display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -s "$T_TMP/display" ] && break; sleep 0.1; done
export DISPLAY=:$(cat "$T_TMP/display")

# shoot NAME BG FG THEME: the form in xterm, as a PNG, and as a PPM for the checks.
shoot() {
	local name=$1 bg=$2 fg=$3 theme=$4 wid pid
	xterm -xrm 'XTerm*allowSendEvents: true' -fa 'WenQuanYi Micro Hei Mono' -fs 13 -bg "$bg" -fg "$fg" \
		-geometry 80x24+0+0 -T "tianbao-$name" \
		-e env TIANBAO_LOCALEDIR="$TIANBAO_LOCALEDIR" "$TB" --lang zh --theme "$theme" --db "$DB" &
	pid=$!
	wid=$(xdotool search --sync --name "tianbao-$name" | head -1)
	sleep 1.5
	# The start screen, the list of forms, the form; a 0 for 女性成员数 gives the warnings.
	xkey() { xdotool key --window "$wid" "$@" 2>/dev/null; }
	xkey Return; sleep 0.7
	xkey Return; sleep 0.7
	xkey Tab; sleep 0.3
	xkey 0 Tab; sleep 1.2
	xwd -silent -id "$wid" | xwdtopnm 2>/dev/null >"$T_TMP/$name.ppm"
	pnmtopng <"$T_TMP/$name.ppm" >"$ART/$name.png"
	xkey ctrl+c; sleep 0.5
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
shoot contrast-white white black contrast
shoot contrast-black black white contrast
shoot normal-white white black normal
kill "$xvfb"

# Pixels of a binary PPM (P6): how many have a colour (channels apart by more than 24),
# and how many are of the foreground (far from the corner pixel, the background).
count() {
	/usr/bin/python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
parts = data.split(maxsplit=4)
assert parts[0] == b'P6', 'not a P6 picture'
w, h, px = int(parts[1]), int(parts[2]), parts[4]
bg = px[0:3]
colored = ink = 0
for i in range(0, w * h * 3, 3):
    r, g, b = px[i], px[i + 1], px[i + 2]
    if max(r, g, b) - min(r, g, b) > 24:
        colored += 1
    if abs(r - bg[0]) + abs(g - bg[1]) + abs(b - bg[2]) > 200:
        ink += 1
print(colored, ink, w * h)
PY
}
for name in contrast-white contrast-black normal-white; do
	check "$name.png is written" test -s "$ART/$name.png"
done
read -r c_white ink_white all_white < <(count "$T_TMP/contrast-white.ppm")
read -r c_black ink_black all_black < <(count "$T_TMP/contrast-black.ppm")
read -r c_normal _ _ < <(count "$T_TMP/normal-white.ppm")
expect_eq "high contrast on white: not one coloured pixel" "$c_white" "0"
expect_eq "high contrast on black: not one coloured pixel" "$c_black" "0"
check "the normal theme has colour ($c_normal pixels): the check can tell" test "$c_normal" -gt 1000
check "text is drawn on white ($ink_white of $all_white pixels)" test "$ink_white" -gt $((all_white / 50))
check "text is drawn on black ($ink_black of $all_black pixels)" test "$ink_black" -gt $((all_black / 50))
echo "# the pictures: $ART/contrast-white.png, contrast-black.png, normal-white.png"

done_testing
