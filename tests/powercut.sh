# powercut.sh - the power-cut harness, sourced by tests/cli/powerloss.sh,
# tests/tui/powerloss.sh and tests/cli/iofault.sh after lib.sh.
#
# A run is a scenario: a few tianbao commands (or a screen session) one after another, all
# under build/test/tools/powercut.so, watching $PC_DB (the database's folder) and $PC_STICK
# (the stick). Counting the run's events first gives N; then for each cut point K the
# folders are put back as they were, the run is started again and at event K the power is
# cut (the shim rewrites the folders as only what had been synced and kills the process).
# The scenario's check then looks at what is left.
#
#   pc_step CMD...   one command of a scenario: skipped once the power is out; $PC_RC
#   pc_cut_points    the cut points to try for N events (all of them with TIANBAO_STRESS
#                    unless PC_MAX_POINTS is set, else each sync and name change, the event
#                    after it, and a few writes, at most PC_MAX_POINTS of them)
#   pc_sweep NAME SCENARIO CHECK   counts, then cuts at each point; figures in PC_FIG_*

PC_SO=$ROOT/build/test/tools/powercut.so
PC_W=$T_TMP/pc
PC_DB=$PC_W/db
PC_STICK=$PC_W/stick
PC_IMG=$PC_W/image
PC_BASE=$T_TMP/pc-base
export TMPDIR=$T_TMP/tmp
mkdir -p "$PC_DB" "$PC_STICK" "$TMPDIR"
unset TIANBAO_DB

[ -f "$PC_SO" ] || { not_ok "build/test/tools/powercut.so is built (make build-test)"; done_testing; exit 1; }

# pc CMD...: CMD under the shim (PC_CUT: the cut point, 0 for none; PC_FAULT, PC_FAULT_AT).
pc() {
	env ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" LD_PRELOAD="$PC_SO" \
		POWERCUT_DIRS="$PC_DB:$PC_STICK" POWERCUT_IMAGE="$PC_IMG" POWERCUT_CUT="${PC_CUT:-0}" \
		POWERCUT_FAULT="${PC_FAULT:-}" POWERCUT_FAULT_AT="${PC_FAULT_AT:-}" POWERCUT_LOG="${PC_LOG:-}" "$@"
}

PC_DEAD=
pc_step() {
	PC_RC=137
	[ -n "$PC_DEAD" ] && return 137
	pc "$@" >"$T_TMP/pc.out" 2>"$T_TMP/pc.err"
	PC_RC=$?
	[ "$PC_RC" -eq 137 ] && PC_DEAD=1
	return "$PC_RC"
}

# The folders as they are now become the state every run starts from.
pc_save_base() {
	rm -rf "$PC_BASE" "$PC_IMG"
	mkdir -p "$PC_BASE"
	cp -a "$PC_DB" "$PC_STICK" "$PC_BASE/"
}

# Back to the saved state, files rewritten in place (tianbao knows its database by its
# inode: a new one would look like a copy).
pc_restore() {
	local d f
	for d in db stick; do
		for f in "$PC_W/$d"/* "$PC_W/$d"/.[!.]*; do
			[ -e "$f" ] || continue
			[ -e "$PC_BASE/$d/${f##*/}" ] || rm -f "$f"
		done
		for f in "$PC_BASE/$d"/* "$PC_BASE/$d"/.[!.]*; do
			[ -e "$f" ] && cp "$f" "$PC_W/$d/"
		done
	done
	rm -rf "$PC_IMG"
	PC_DEAD=
}

# integrity_check of the database at $1: "ok" or what it says.
pc_integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | head -n 3; }

pc_cut_points() {
	local n=$1 log=$2
	# make stress tries every event, except in the weakened runs (PC_MAX_POINTS set): they
	# only show that the harness sees a loss, and every event of them proves nothing more.
	if [ -n "${TIANBAO_STRESS:-}" ] && [ -z "${PC_MAX_POINTS:-}" ]; then
		seq 1 "$n"
		return
	fi
	# The moments that matter: each sync, rename, creation or removal, and the event
	# after it; then every seventh event for the writes between.
	# At most PC_MAX_POINTS (default 10) of them, spread over the run.
	awk -v n="$n" '$2 ~ /sync|rename|create|unlink|truncate/ { print $1; if ($1 < n) print $1 + 1 }
		NR % 7 == 0 { print $1 }' "$log" | sort -n -u >"$T_TMP/pc.points"
	awk -v max="${PC_MAX_POINTS:-10}" '{ p[NR] = $1 } END {
		if (NR <= max) { for (i = 1; i <= NR; i++) print p[i]; exit }
		for (i = 0; i < max; i++) print p[int(i * NR / max) + 1] }' "$T_TMP/pc.points" | sort -n -u
}

# pc_sweep NAME SCENARIO CHECK: SCENARIO runs the steps; CHECK looks at the folders after
# a cut and adds to PC_CHECKED (values or files checked), PC_LOST (acknowledged and
# missing) and PC_BAD (integrity_check failures, incomplete export files).
pc_sweep() {
	local name=$1 scenario=$2 check=$3 n k points=0
	PC_CHECKED=0 PC_LOST=0 PC_BAD=0
	rm -f "$T_TMP/pc.events"
	pc_restore
	PC_CUT=0 PC_LOG=$T_TMP/pc.events $scenario
	n=$(cat "$PC_IMG/count" 2>/dev/null || echo 0)
	PC_EVENTS=$n
	for k in $(pc_cut_points "$n" "$T_TMP/pc.events"); do
		pc_restore
		PC_CUT=$k $scenario
		$check "$k"
		points=$((points + 1))
	done
	PC_POINTS=$points
	echo "# $name: $n events, $points cut points, $PC_CHECKED checked, $PC_LOST lost, $PC_BAD damaged"
}
