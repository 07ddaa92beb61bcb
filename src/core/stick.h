/* stick.h - files carried on USB sticks: written onto a stick durably, copied off one
 * before anything reads them, and found in a folder.
 *
 * Shared by the export files (.tbx, core/exchange.h) and the form packages (.tbp,
 * core/package_file.h). A file goes onto a stick from a private file built on the local
 * disk: copied to DIR/.NAME.tmp (locked while it is one), synced, renamed to DIR/NAME,
 * the folder synced (lib/file.h atomic files); the caller then reads it back. A file on
 * a stick is read only once, into a new private copy on the local disk, bounded in size;
 * only a regular file is read. The words name the kind of file (struct stick_kind).
 */
#ifndef TIANBAO_STICK_H
#define TIANBAO_STICK_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

/* How messages name a kind of file (each translated with _() where it is used). */
struct stick_kind {
	const char *the_file;   /* "the export": "... so the export was not written" */
	const char *a_file;     /* "an export file": "... so it is not an export file" */
	const char *any_file;   /* "export file": "... larger than any export file" */
	const char *redo;       /* "export": "... then export again" */
	const char *ext;        /* ".tbx" */
};

/* Words for a failed write to the folder dir: a full or read-only disk named so. */
void stick_write_failed(const struct stick_kind *k, struct err *e, const char *dir, const char *what, int errnum);

/* Why a copy off a stick failed. */
enum stick_copy_fault {
	SC_UNREADABLE,  /* the file: missing, not a regular file, too large, a symbolic link, a read error */
	SC_LOCAL,       /* the private copy on the local disk could not be made */
};

/* Copies the file src off a stick into dst (new, private), at most max bytes: the only
 * time the original is read. Only a regular file is read (not a device or a pipe; not a
 * symbolic link when no_follow). Messages call it `name` (src made safe to print).
 * 0, or -1 with *fault and e. */
int stick_copy_in(const struct stick_kind *k, const char *src, const char *name, const char *dst, size_t max,
		  bool no_follow, enum stick_copy_fault *fault, struct err *e);

/* Copies the private file src to DIR/NAME durably (an atomic file: DIR/.NAME.tmp,
 * locked while it is one, synced, renamed, the folder synced). Returns 0 with *final_out
 * (DIR/NAME; free it); 1 when DIR/NAME (or its .tmp) exists; -1 with e. */
int stick_write(const struct stick_kind *k, const char *src, const char *dir, const char *name, char **final_out,
		struct err *e);

/* Removes DIR/.tianbao-*EXT.tmp files whose writer died (SIGKILL, power cut): each
 * writer holds a lock on its .tmp while it lives, so a file that can be locked and is
 * some seconds old has no writer any more. Best effort: failures are ignored. */
void stick_sweep_stale(const struct stick_kind *k, const char *dir);

/* Drops a file's pages from the cache, so reading it back reads the stick itself. */
void stick_forget_cached(const char *path);

/* The files of kind k in a folder: *EXT regular files not starting with '.', as
 * DIR/NAME, sorted by name (free with strlist_free). The other *EXT entries (symbolic
 * links, folders, pipes and devices: never opened, a pipe would hang) are skipped; when
 * skipped is not NULL, they are listed there too, as DIR/NAME, sorted. 0, or -1 with e. */
int stick_list(const struct stick_kind *k, const char *dir, char ***files, int *n, char ***skipped, int *nskipped,
	       struct err *e);
/* Why stick_list skipped path: a message naming it (made safe to print). */
char *stick_skip_reason(const struct stick_kind *k, const char *path);

/* The last part of a path. */
const char *stick_base_name(const char *path);

#endif
