#!/usr/bin/env bash
# Commands that only read, on a disk that cannot be written or is full: they read (the
# database alone holds every committed value when nothing waits in its -wal file), or say
# the true reason and what to do - never "nothing was saved", since nothing was saving.
. "$(dirname "$0")/../lib.sh"

V1=360730105201
db=$T_TMP/d/db
mkdir -p "$T_TMP/d"
"$TB" --db "$db" init --unit 360730105000 >/dev/null
"$TB" --db "$db" set --unit $V1 --period 2024 v_vc_total=5 >/dev/null
check "the database has no -wal file once closed" test ! -e "$db-wal"
mounts=""
trap 'for m in $mounts; do umount "$m" 2>/dev/null; done; chmod -R u+w "$T_TMP" 2>/dev/null; rm -rf "$T_TMP"' EXIT

# as_nobody CMD...: root ignores file permissions, so read-only folders are tried as nobody.
as_nobody() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"
	else
		"$@"
	fi
}

# reads_ok WHAT DB [RUNNER]: dump, status and export read it.
reads_ok() {
	local what=$1 d=$2; shift 2
	local out=$T_TMP/out.$T_N
	mkdir -p "$out"; chmod 777 "$out"
	run "$@" "$TB" --db "$d" dump
	expect_rc "$what: dump reads" 0
	expect_match "$what: dump shows the value" "$OUT" "^$V1,2024,village,v_vc_total,5,"
	run "$@" "$TB" --db "$d" status
	expect_rc "$what: status reads" 0
	run "$@" "$TB" --db "$d" export --out "$out"
	expect_rc "$what: export reads" 0
	expect_match "$what: the export is written" "$OUT" "^$out/tianbao-.*\.tbx$"
}

# ---- a read-only folder (permissions) ----------------------------------------------
chmod 755 "$T_TMP"
rof=$T_TMP/rof; mkdir -p "$rof"; cp "$db" "$rof/db"; chmod 444 "$rof/db"; chmod 555 "$rof"
reads_ok "read-only file in a read-only folder" "$rof/db" as_nobody
check "read-only folder: nothing was made beside the database" test "$(ls -A "$rof")" = db

# Changes waiting in the -wal of a database in a read-only folder: they cannot be read
# without an -shm file, and reading the file alone would miss them: refused, saying why.
pend=$T_TMP/pend
mkdir -p "$pend"; cp "$db" "$T_TMP/live.db"
python3 - "$T_TMP/live.db" "$pend" <<'PY'
import os, shutil, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("UPDATE vals SET value = '6'")
c.commit()
shutil.copy(sys.argv[1], sys.argv[2] + "/db")
shutil.copy(sys.argv[1] + "-wal", sys.argv[2] + "/db-wal")
PY
chmod 555 "$pend"
run as_nobody "$TB" --db "$pend/db" dump
expect_rc "changes waiting in the -wal, read-only folder: refused" 1
expect_match "it says the folder cannot be written and the changes wait in the -wal" "$ERR" \
	"$pend/db: its folder cannot be written, and its latest changes wait in $pend/db-wal.*Copy the database and its -wal file together"
expect_no_match "it does not say that nothing was saved" "$ERR" "nothing was saved|No such file"
chmod 755 "$pend"
run "$TB" --db "$pend/db" dump
expect_match "where the folder can be written, the waiting change is read" "$OUT" "^$V1,2024,village,v_vc_total,6,"

# ---- a read-only file system, a full disk (root: mounts) ---------------------------
if [ "$(id -u)" -ne 0 ]; then
	for what in "a read-only file system" "a full disk"; do
		T_N=$((T_N + 1)); echo "ok $T_N # SKIP $what: mounting needs root (uid $(id -u))"
	done
	done_testing
	exit 0
fi
ro=$T_TMP/ro
mkdir -p "$ro"
if mount --bind "$T_TMP/d" "$ro" && mounts="$ro" && mount -o remount,bind,ro "$ro"; then
	reads_ok "read-only file system" "$ro/db"
	expect_eq "read-only file system: nothing was made beside the database" "$(ls -A "$ro")" "db"
	umount "$ro"
else
	T_N=$((T_N + 1)); echo "ok $T_N # SKIP a read-only file system: this machine cannot make a read-only bind mount"
fi

full=$T_TMP/full
mkdir -p "$full"
if mount -t tmpfs -o size=256k tmpfs "$full"; then
	mounts="$mounts $full"
	cp "$db" "$full/db"
	dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null
	reads_ok "full disk" "$full/db"
	run "$TB" --db "$full/db" set --unit $V1 --period 2024 v_vc_total=7
	expect_rc "full disk: a set is refused" 1
	expect_match "full disk: the set says nothing was saved" "$ERR" "nothing was saved"
	# Changes waiting in a -wal, and no room for the -shm: says the disk is full.
	rm -f "$full/filler" "$full/db-wal" "$full/db-shm"
	cp "$pend/db" "$full/db"; cp "$pend/db-wal" "$full/db-wal"
	dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null
	run "$TB" --db "$full/db" dump
	expect_rc "full disk, changes waiting in the -wal: refused" 1
	expect_match "it says the disk is full and what to do" "$ERR" "$full/db: the disk is full: .*Free some space on that disk and try again"
	expect_no_match "it does not say that nothing was saved, nor a write" "$ERR" "nothing was saved|stopped the write"
	rm -f "$full/filler"
	run "$TB" --db "$full/db" dump
	expect_match "with room again, the waiting change is read" "$OUT" "^$V1,2024,village,v_vc_total,6,"
	umount "$full"
else
	T_N=$((T_N + 1)); echo "ok $T_N # SKIP a full disk: this machine cannot mount a small tmpfs"
fi

done_testing
