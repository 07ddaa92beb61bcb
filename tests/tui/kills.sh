#!/usr/bin/env bash
# The screens killed at random: a clerk's entry into the village form, typed in the
# terminal emulator (tests/tools/vtdrive.c), and the tianbao process SIGKILLed at a random
# moment (while it starts, while a value is typed, while one is saved). vtdrive keeps every
# text the message line showed, even for a moment; after each kill:
#   - every value the screen showed as saved ("Saved: LABEL = VALUE", 已保存：…) is in the
#     database (read with `tianbao dump`: the next start),
#   - no field holds a value other than its value before the run or the one typed in it,
#   - each field's last audit row is its value (the value and its audit row are one save),
#   - the database passes integrity_check, and the next run starts (its screens appear).
# One database throughout, each run starting on what the kill before left; runs alternate
# English and Chinese.
#
# 25 kills in `make test`; TIANBAO_STRESS=1 (make stress) runs 1,000. TIANBAO_KILLS=N sets
# the number, TIANBAO_KILLS_SEED=S replays a run's scripts (the keys, the values and the
# moments of the kills; how far tianbao got by then depends on the machine's speed).
# TIANBAO_KILLS_PLANT=1 also requires the value being saved when the kill came (which the
# screen had not shown as saved): the test must then fail, which shows that it can.
. "$(dirname "$0")/../lib.sh"

VT=$ROOT/build/test/tools/vtdrive
UNIT=360730105201
DB=$T_TMP/kills.db
FORM=$TIANBAO_FORMS/10-village.ini

n=25
[ -n "${TIANBAO_STRESS:-}" ] && n=1000
n=${TIANBAO_KILLS:-$n}
seed=${TIANBAO_KILLS_SEED:-$(($(od -An -N4 -tu4 /dev/urandom) % 2147483647))}
plant=${TIANBAO_KILLS_PLANT:-}
echo "# seed $seed ($n kills): replay with TIANBAO_KILLS_SEED=$seed TIANBAO_KILLS=$n"

# A seeded generator of its own (the same numbers on every machine and bash version).
rng=$seed
rnd() { # rnd N: 0..N-1 in $R
	rng=$(((rng * 1103515245 + 12345) & 0x7fffffff))
	R=$(((rng >> 8) % $1))
}

# The form's input fields in order (computed ones are skipped by Tab): code, type and
# both labels, read from the form file itself.
mapfile -t fields < <(awk -F' = ' '
	function flush() { if (code != "" && !computed) print code "\t" type "\t" en "\t" zh; code = "" }
	/^\[/ { flush(); computed = 0; if ($0 ~ /^\[field\./) { code = $0; sub(/^\[field\./, "", code); sub(/\].*/, "", code) } next }
	code == "" { next }
	$1 == "label" { zh = $2 } $1 == "label_en" { en = $2 } $1 == "type" { type = $2 } $1 == "compute" { computed = 1 }
	END { flush() }' "$FORM")
nf=${#fields[@]}
expect_eq "the village form has its 17 input fields" "$nf" "17"

# The value field F gets in run R (in $V): each run changes every field, and no two fields
# that share a label ("of whom women") get the same value; all within the hard ranges.
value_of() {
	local r=$1
	case $2 in
	v_vc_total) V=$((3 + r % 5)) ;;
	v_vc_female) V=$((r % 3)) ;;
	v_pb_total) V=$((8 + r % 8)) ;;
	v_pb_female) V=$((3 + r % 5)) ;;
	v_rep_total) V=$((200 + r % 800)) ;;
	v_rep_female) V=$((100 + r % 100)) ;;
	v_children_0_17) V=$((100 + r)) ;;
	v_left_behind) V=$((r % 100)) ;;
	v_pb_sec_female | v_wf_chair_in_2c | v_children_home) V=$(((r + 1) % 2)) ;;
	v_filled_by) V="李秀英$r" ;;
	v_filled_on) printf -v V '2026-12-%02d' $((1 + r % 28)) ;;
	v_notes) V="第${r}次 seed $seed" ;;
	*) V=$((r % 2)) ;;
	esac
}
codes=() types=() label_en=() label_zh=()
for i in "${!fields[@]}"; do
	IFS=$'\t' read -r "codes[$i]" "types[$i]" "label_en[$i]" "label_zh[$i]" <<<"${fields[$i]}"
done
# Backspaces enough to empty a field of any value the runs give it.
clear_keys() {
	case $1 in integer) C=6 ;; yesno) C=2 ;; date) C=11 ;; *) C=40 ;; esac
}

"$TB" --db "$DB" init --unit $UNIT --operator 测试员 >/dev/null

runs_failed=0 shown=0 lost=0 wrong=0 audit_bad=0 integrity_bad=0 start_bad=0 killed=0
kills_saving=0 kills_typing=0 kills_starting=0 after_saved=0 before_shown=0 before_stored=0
: >"$T_TMP/now" # each field's value as the run before left it (tab-separated)
script=$T_TMP/run.vt
watch=$T_TMP/run.watch
t0=$SECONDS
for r in $(seq 1 "$n"); do
	if [ $((r % 2)) -eq 0 ]; then
		lang=en village="Dongfeng Village" prefix="Saved: "
		labels=("${label_en[@]}")
	else
		lang=zh village=东风村 prefix="已保存："
		labels=("${label_zh[@]}")
	fi
	: >"$watch"
	: >"$T_TMP/run.expected"
	# Where the kill falls: while tianbao starts (10 %), right after a Tab (a save under
	# way, or just done: 70 %) or in the middle of typing a value (20 %).
	rnd 100
	if [ "$R" -lt 10 ]; then
		mode=start kill_at=-1
	elif [ "$R" -lt 80 ]; then
		mode=save; rnd "$nf"; kill_at=$R
	else
		mode=typing; rnd "$nf"; kill_at=$R
	fi
	kill_field="" typed_to=-1
	{
		echo "size 160 40"
		echo "spawn $TB --lang $lang --db $DB"
		echo "watch -2 $watch"
		if [ $mode = start ]; then
			rnd 400; echo "sleep $R"
		else
			echo "wait $village"
			echo "key Enter"
			echo "key Enter"
			echo "wait ${labels[0]}"
			for i in $(seq 0 $((nf - 1))); do
				value_of "$r" "${codes[$i]}"
				clear_keys "${types[$i]}"
				typed_to=$i
				echo "key End"
				echo "key BS $C"
				if [ $mode = typing ] && [ "$i" -eq "$kill_at" ]; then
					rnd $((${#V} + 1)); echo "type ${V:0:$R}"
					rnd 4; echo "sleep $R"
					break
				fi
				echo "type $V"
				echo "key Tab"
				if [ $mode = save ] && [ "$i" -eq "$kill_at" ]; then
					# A save takes 10-20 ms here: the kill falls before, in or after it.
					kill_field=${codes[$i]}
					rnd 20; echo "sleep $R"
					break
				fi
				# The clerk's pace: mostly looking at the screen for the save, at times
				# typing on faster than tianbao draws.
				rnd 10
				if [ "$R" -lt 7 ]; then
					echo "wait $prefix${labels[$i]} = $V"
				else
					rnd 8; echo "sleep $R"
				fi
			done
		fi
		echo "signal KILL"
		echo "expect_exit 137"
	} >"$script"
	# Every field: its value this run, its label, whether the run typed it (to the kill).
	for i in $(seq 0 $((nf - 1))); do
		value_of "$r" "${codes[$i]}"
		printf '%s\t%s\t%s\t%d\n' "${codes[$i]}" "$V" "${labels[$i]}" $((i <= typed_to)) >>"$T_TMP/run.expected"
	done
	case $mode in start) kills_starting=$((kills_starting + 1)) ;; save) kills_saving=$((kills_saving + 1)) ;;
	typing) kills_typing=$((kills_typing + 1)) ;; esac
	VTDRIVE_NO_SETTLE=1 "$VT" <"$script" >"$T_TMP/run.tap" 2>&1
	if grep -q '^not ok' "$T_TMP/run.tap"; then
		if grep -q '^not ok.*exits with status 137' "$T_TMP/run.tap"; then :; else start_bad=$((start_bad + 1)); fi
		runs_failed=$((runs_failed + 1))
		[ "$runs_failed" -le 3 ] && { diag "run $r (seed $seed, $mode): the screens did not do what the script waited for:"; diag "$(grep -v '^ok' "$T_TMP/run.tap" | head -n 50)"; }
	fi
	grep -q '^ok.*exits with status 137' "$T_TMP/run.tap" && killed=$((killed + 1))

	# The database, as the next start reads it.
	if ! "$TB" --db "$DB" dump >"$T_TMP/run.dump" 2>"$T_TMP/run.err"; then
		start_bad=$((start_bad + 1))
		diag "run $r (seed $seed): dump after the kill failed: $(cat "$T_TMP/run.err")"
	fi
	res=$(sqlite3 "$DB" "PRAGMA integrity_check;
		SELECT count(*) FROM vals v WHERE v.value IS NOT (SELECT a.new_value FROM audit a WHERE a.unit = v.unit
		  AND a.period = v.period AND a.field = v.field AND a.reason = 'typed' ORDER BY a.id DESC LIMIT 1);" 2>&1)
	if [ "$(echo "$res" | head -n 1)" != ok ]; then
		integrity_bad=$((integrity_bad + 1)); diag "run $r (seed $seed): integrity_check: $res"
	fi
	bad=$(echo "$res" | tail -n 1)
	if [ "$bad" != 0 ]; then
		audit_bad=$((audit_bad + 1)); diag "run $r (seed $seed): $bad value(s) differ from their last audit row"
	fi

	# Compare: what the screen showed, what was typed, what is stored (one awk a run).
	out=$(awk -F'\t' -v unit=$UNIT -v prefix="$prefix" -v plant="$plant" -v kill_field="$kill_field" '
		FILENAME == ARGV[1] { code[++nf] = $1; typed[$1] = $4 ? $2 : "-"; msg[$1] = prefix $3 " = " $2; next }
		FILENAME == ARGV[2] { before[$1] = $2; next }
		FILENAME == ARGV[3] { sub(/^ +/, ""); seen[++ns] = $0; next }
		{ split($0, c, ","); if (c[1] == unit && c[2] == "2026") stored[c[4]] = c[5] }
		END {
			for (i = 1; i <= nf; i++) {
				f = code[i]; m = msg[f]; shown = 0
				for (j = 1; j <= ns; j++)
					if (seen[j] == m || index(seen[j], m ".") == 1 || index(seen[j], m "\343\200\202") == 1 ||
					    index(seen[j], m " \302\267 ") == 1)
						shown = 1
				need = shown || (plant != "" && f == kill_field)
				if (shown) print "shown"
				if (need && stored[f] != typed[f])
					print "lost\t" f (shown ? " was shown as saved (\"" m "\")" : " was being saved at the kill (the planted check requires it)") \
					      " but the database has \"" stored[f] "\""
				if (stored[f] != typed[f] && stored[f] != before[f])
					print "wrong\t" f " is \"" stored[f] "\", neither \"" typed[f] "\" (typed) nor \"" before[f] "\" (before)"
				# Where the kill fell in the save of the field tabbed out of last.
				if (f == kill_field)
					print "at_kill\t" (shown ? "shown" : stored[f] == typed[f] ? "stored" : "none")
				print "now\t" f "\t" stored[f]
			}
		}' "$T_TMP/run.expected" "$T_TMP/now" "$watch" "$T_TMP/run.dump")
	shown=$((shown + $(grep -c '^shown' <<<"$out")))
	while IFS=$'\t' read -r what text; do
		case $what in
		lost) lost=$((lost + 1)); [ "$lost" -le 5 ] && diag "run $r (seed $seed, $mode at field $kill_at): $text" ;;
		wrong) wrong=$((wrong + 1)); [ "$wrong" -le 5 ] && diag "run $r (seed $seed): $text" ;;
		esac
	done <<<"$out"
	case $(grep '^at_kill' <<<"$out" | cut -f2) in
	shown) after_saved=$((after_saved + 1)) ;; stored) before_shown=$((before_shown + 1)) ;;
	none) before_stored=$((before_stored + 1)) ;; esac
	grep '^now' <<<"$out" | cut -f2- >"$T_TMP/now"
done
secs=$((SECONDS - t0))

ok "$n runs ($kills_starting killed while starting, $kills_saving just after a Tab, $kills_typing while typing), $killed killed by SIGKILL, in ${secs} s"
echo "# kills just after a Tab: $before_stored before the value was stored, $before_shown when stored but not yet shown, $after_saved after it was shown"
echo "# figures: kills=$killed values_shown_saved=$shown lost=$lost wrong=$wrong audit_mismatch=$audit_bad integrity_failures=$integrity_bad start_failures=$start_bad seconds=$secs seed=$seed"
expect_eq "every run was killed by SIGKILL" "$killed" "$n"
check "values were shown as saved ($shown)" test "$shown" -gt $((n * 3))
expect_eq "no value shown as saved is missing from the database" "$lost" "0"
expect_eq "no field holds a value other than its value before or the one typed" "$wrong" "0"
expect_eq "every value is its last audit row" "$audit_bad" "0"
expect_eq "integrity_check passed after every kill" "$integrity_bad" "0"
expect_eq "every start after a kill worked (screens and dump)" "$start_bad" "0"
expect_eq "no run failed" "$runs_failed" "0"

done_testing
