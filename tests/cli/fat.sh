#!/usr/bin/env bash
# A real FAT stick: a FAT32 image (mkfs.vfat), an export written onto it and merged from it.
#   1. mtools (no mount needed): the export file copied onto the image, into a folder with
#      a Chinese name, and back: its name is a valid FAT long name, kept exactly, the copy
#      is the same file, and a township merges it.
#   2. A mounted image: the kernel's vfat on a loop device where this machine allows it
#      (root, loop devices, vfat), else fusefat (FAT32 through FUSE). `tianbao export
#      --out` onto it: the file is synced before its rename and the folder after it
#      (strace), no temporary file is left, the image copied at once (a stick pulled out
#      without ejecting) holds the complete file, a second export in the same second gets
#      a name of its own (the rename that refuses to replace, which FAT may not offer),
#      and after unmounting and mounting again a township merges the stick's folder.
# What this machine cannot do is skipped with a message saying what was missing.
. "$(dirname "$0")/../lib.sh"

V1=360730105201   # 东风村
TWP=360730105000
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export MTOOLS_SKIP_CHECK=1
unset TIANBAO_DB

vdb=$T_TMP/village.db
"$TB" --db "$vdb" init --unit $V1 --operator 李村长 >/dev/null
run "$TB" --db "$vdb" set --period 2026 v_vc_total=5 v_vc_female=2 'v_notes=东风村 一组' v_filled_by=李四
expect_rc "village: values entered" 0
run "$TB" --db "$vdb" set --period 2025 v_vc_total=4
expect_rc "village: a value of 2025" 0
# The values a township must have after merging (unit, period, field, value).
want=$("$TB" --db "$vdb" dump | awk -F, 'NR > 1 { print $1, $2, $4, $5 }')
township_has() { # township_has DB: the village's values are all there
	[ "$("$TB" --db "$1" dump | awk -F, -v u=$V1 'NR > 1 && $1 == u { print $1, $2, $4, $5 }')" = "$want" ]
}
new_township() {
	rm -f "$1" "$1-wal" "$1-shm"
	"$TB" --db "$1" init --unit $TWP --operator 乡干部 >/dev/null
}

# A valid FAT long name: no " * / : < > ? \ | or control characters, not ending in a dot
# or a space, at most 255 characters (the export's names are ASCII).
fat_name_ok() {
	local n=$1
	[ "${#n}" -le 255 ] && [ -n "$n" ] || return 1
	case $n in *[\"*/:\<\>?\\\|]* | *. | *' ') return 1 ;; esac
	[ -z "$(printf '%s' "$n" | LC_ALL=C tr -d '\040-\176')" ]
}
check "fat_name_ok refuses a colon (the check can fail)" test "$(fat_name_ok 'a:b.tbx' || echo refused)" = refused

make_image() { # make_image FILE: an empty 40 MB FAT32 file system (no volume label: fusefat
	rm -f "$1" # lists a label as a file)
	truncate -s 40M "$1" && mkfs.vfat -F 32 "$1" >/dev/null
}
if ! command -v mkfs.vfat >/dev/null; then
	ok "# SKIP no mkfs.vfat (Debian's dosfstools; make test-deps installs it): no FAT image can be made here"
	done_testing
	exit 0
fi

# ---- 1. mtools ------------------------------------------------------------------------------
if command -v mcopy >/dev/null && command -v mmd >/dev/null; then
	img=$T_TMP/mtools.img
	make_image "$img"
	mkdir -p "$T_TMP/out" "$T_TMP/back"
	run "$TB" --db "$vdb" export --out "$T_TMP/out"
	expect_rc "mtools: export" 0
	f1=$OUT
	run "$TB" --db "$vdb" export --out "$T_TMP/out" --period 2025,2026
	expect_rc "mtools: export of two periods" 0
	f2=$OUT
	for f in "$f1" "$f2"; do
		n=$(basename "$f")
		check "mtools: $n is a valid FAT long name" fat_name_ok "$n"
	done
	folder=填报数据
	run mmd -i "$img" "::/$folder"
	expect_rc "mtools: a folder with a Chinese name on the FAT image" 0
	run mcopy -i "$img" "$f1" "$f2" "::/$folder/"
	expect_rc "mtools: both files copied onto the image" 0
	listed=$(mdir -b -i "$img" "::/$folder" | sort)
	expect_eq "mtools: the image lists both by their long names, exactly" "$listed" \
		"$(printf '::/%s/%s\n' "$folder" "$(basename "$f1")" "$folder" "$(basename "$f2")" | sort)"
	run fsck.vfat -n "$img"
	expect_rc "mtools: the image is a clean FAT file system (fsck.vfat -n)" 0
	for f in "$f1" "$f2"; do
		mcopy -n -i "$img" "::/$folder/$(basename "$f")" "$T_TMP/back/" </dev/null
		check "mtools: $(basename "$f") comes back the same" cmp -s "$f" "$T_TMP/back/$(basename "$f")"
	done
	run "$TB" verify "$T_TMP/back/$(basename "$f1")"
	expect_rc "mtools: the copy from the image verifies" 0
	new_township "$T_TMP/township1.db"
	run "$TB" --db "$T_TMP/township1.db" merge "$T_TMP/back"
	expect_rc "mtools: the township merges the files from the image" 0
	expect_match "mtools: the first file's values are new there" "$OUT" "^1 file\(s\) merged, 1 already merged before, 0 refused$|^2 file\(s\) merged, 0 already merged before, 0 refused$"
	check "mtools: the township has every value of the village" township_has "$T_TMP/township1.db"
else
	ok "# SKIP no mtools (Debian's mtools; make test-deps installs it): the copy onto a FAT image is not checked"
fi

# ---- 2. a mounted FAT32 image ------------------------------------------------------------------
img=$T_TMP/stick.img
mnt=$T_TMP/stick
mkdir -p "$mnt"
how=
# mount_fat: the kernel's vfat (as a desktop mounts a stick: UTF-8 names, mixed case), else
# fusefat. Sets $how.
mount_fat() {
	if [ "$(id -u)" -eq 0 ] && mount -t vfat -o loop,utf8,shortname=mixed "$img" "$mnt" 2>/dev/null; then
		how=vfat
	elif command -v fusefat >/dev/null && [ -c /dev/fuse ] && fusefat -o rw+ "$img" "$mnt" >/dev/null 2>&1; then
		how=fusefat
	else
		return 1
	fi
}
umount_fat() {
	sync
	if [ "$how" = fusefat ]; then fusermount -u "$mnt" 2>/dev/null || umount "$mnt"; else umount "$mnt"; fi
}
make_image "$img"
if ! mount_fat; then
	why="no FAT mount: the kernel's vfat needs root, a loop device and vfat in the kernel (id -u: $(id -u); vfat in /proc/filesystems: $(grep -cw vfat /proc/filesystems))"
	why="$why, and fusefat needs the fusefat package and /dev/fuse ($(command -v fusefat || echo 'no fusefat'); $(ls /dev/fuse 2>&1))"
	ok "# SKIP $why"
	done_testing
	exit 0
fi
# Unmounted however the test ends.
trap 'mountpoint -q "$mnt" && umount_fat; rm -rf "$T_TMP"' EXIT
ok "a FAT32 image mounted with $how"
[ $how = fusefat ] && diag "the kernel here has no vfat: the mounted stick is fusefat's FAT32 (FUSE)"

# The export, under strace where there is one (LeakSanitizer cannot run under ptrace).
if command -v strace >/dev/null; then
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" run strace -f -o "$T_TMP/strace" \
		-e trace=openat,open,fsync,fdatasync,rename,renameat,renameat2 "$TB" --db "$vdb" export --out "$mnt"
else
	run "$TB" --db "$vdb" export --out "$mnt"
fi
expect_rc "$how: export onto the stick" 0
f1=$OUT
n1=$(basename "$f1")
expect_match "$how: the file is on the stick" "$f1" "^$mnt/tianbao-$V1-2025_2026-[0-9]{8}T[0-9]{6}Z\.tbx$"
check "$how: $n1 is a valid FAT long name" fat_name_ok "$n1"
expect_eq "$how: nothing else on the stick (no temporary file left)" "$(ls -A "$mnt")" "$n1"
if [ -f "$T_TMP/strace" ]; then
	# The order of the calls: the temporary file synced, renamed to its name, the folder synced.
	order=$(awk -v dir="$mnt" -v name="$n1" '
		/openat\(/ && index($0, "/." name ".tmp\"") && / = [0-9]+$/ { tmpfd = $NF; next }
		tmpfd != "" && $0 ~ ("fsync\\(" tmpfd "\\) += 0") && !renamed { print "file synced"; next }
		/rename/ && index($0, "/" name "\"") && / = 0$/ { renamed = 1; print "renamed"; next }
		renamed && /openat\(/ && index($0, "\"" dir "\"") && /O_DIRECTORY/ && / = [0-9]+$/ { dirfd = $NF; next }
		dirfd != "" && $0 ~ ("fsync\\(" dirfd "\\) += 0") { print "folder synced"; dirfd = "" }
	' "$T_TMP/strace" | uniq | paste -sd, -)
	expect_eq "$how: the file is synced, then renamed, then its folder synced (strace)" "$order" "file synced,renamed,folder synced"
	grep -q 'renameat2(.*RENAME_NOREPLACE) = -1 EINVAL' "$T_TMP/strace" &&
		diag "$how refuses RENAME_NOREPLACE (EINVAL): the export looked before renaming instead"
else
	ok "# SKIP no strace: the export's fsync of the file and of the folder is not traced"
fi

# A stick pulled out without ejecting, right after the export: the image as it is now.
cp --sparse=always "$img" "$T_TMP/pulled.img"
mkdir -p "$T_TMP/pulled"
mcopy -n -i "$T_TMP/pulled.img" "::/$n1" "$T_TMP/pulled/" </dev/null 2>/dev/null
run "$TB" verify "$T_TMP/pulled/$n1"
expect_rc "$how: the image copied at once (a stick pulled out unejected) holds the complete file" 0

# Two exports in one second: the second may not replace the first.
# The clock stopped at this second (later files may not say they are from the future).
at=$(date -u '+%Y-%m-%d %H:%M:%S')
frozen() { env TZ=UTC ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" faketime -f "$at" "$@"; }
if command -v faketime >/dev/null; then
	run frozen "$TB" --db "$vdb" export --out "$mnt" --period 2026
	expect_rc "$how: an export at a frozen clock" 0
	fa=$OUT
	run frozen "$TB" --db "$vdb" export --out "$mnt" --period 2026
	expect_rc "$how: a second one in the same second" 0
	fb=$OUT
	expect_eq "$how: the second has a name of its own" "$(basename "$fb")" "$(basename "${fa%.tbx}")-2.tbx"
	run "$TB" verify "$fa" "$fb"
	expect_rc "$how: both verify" 0
fi

# A folder with a Chinese name, where the driver makes folders.
if mkdir "$mnt/填报数据" 2>/dev/null; then
	run "$TB" --db "$vdb" export --out "$mnt/填报数据"
	expect_rc "$how: export into a folder with a Chinese name" 0
	expect_eq "$how: the file is there" "$(ls "$mnt/填报数据")" "$(basename "$OUT")"
else
	ok "# SKIP $how makes no folders here: the Chinese folder name is checked with mtools above"
fi
files=$(find "$mnt" -name '*.tbx' | wc -l)

run umount_fat
expect_rc "$how: unmounted" 0
run fsck.vfat -n "$img"
expect_rc "$how: after unmounting, a clean FAT file system (fsck.vfat -n)" 0
expect_no_match "$how: fsck.vfat finds nothing to fix" "$OUT" "[Dd]irty|[Cc]orrupt|[Ff]ree cluster summary wrong|[Ff]ix"
check "$how: mounted again" mount_fat
expect_eq "$how: the files are still there" "$(find "$mnt" -name '*.tbx' | wc -l)" "$files"
run "$TB" verify "$mnt/$n1"
expect_rc "$how: the first export verifies after mounting again" 0
new_township "$T_TMP/township2.db"
run "$TB" --db "$T_TMP/township2.db" merge "$mnt"
expect_rc "$how: the township merges the stick's folder" 0
expect_match "$how: none refused" "$OUT" "file\(s\) merged, [0-9]+ already merged before, 0 refused$"
check "$how: the township has every value of the village" township_has "$T_TMP/township2.db"
run umount_fat
expect_rc "$how: unmounted at the end" 0

done_testing
