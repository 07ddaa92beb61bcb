/* file.h - files read with a bound, and files written whole or not at all.
 *
 * An atomic file is built under a temporary name beside its final one (created anew:
 * O_EXCL and O_NOFOLLOW, so nothing planted at that name is written through), synced,
 * checked to still be the file written, renamed into place, and its folder synced: after
 * a power cut the final name holds the old file or the whole new one, never part of it.
 * Database backups, export files and reports are all written this way.
 */
#ifndef TIANBAO_FILE_H
#define TIANBAO_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"
#include "lib/str.h"

/* Reads a whole regular file (at most max_bytes); NUL-terminated, length in *len. */
char *read_file(const char *path, size_t max_bytes, size_t *len, struct err *e);
/* Writes all n bytes (retrying short writes); -1 with errno. */
int write_all(int fd, const char *buf, size_t n);
/* fsync of a folder, so a rename in it lasts; file systems that cannot sync a folder
 * count as success. -1 with errno. */
int sync_dir(const char *dir);
/* Whether the file system holding path (or, when path does not exist, its folder) has no
 * free blocks left: what an I/O error whose errno was lost most likely was. */
bool disk_full(const char *path);

enum atomic_flags {
	ATOMIC_REPLACE = 0,     /* the final name may exist: it is replaced */
	ATOMIC_NEW = 1,         /* never replace: commit returns 1 when the name exists */
	ATOMIC_LOCK = 2,        /* hold an flock on the temporary file while it is one */
	ATOMIC_TEST_NO_SYNC = 4, /* the test build only: no fsync of the file (tests/cli/powerloss.sh) */
};

/* What failed, for the caller's words. */
enum atomic_step { AS_CREATE, AS_WRITE, AS_SYNC, AS_CHANGED, AS_RENAME, AS_SYNC_DIR };

struct atomic_file {
	char *path;             /* the final name */
	char *tmp;              /* the temporary name */
	int fd;                 /* open on tmp for writing; the caller writes through it (or by name) */
	int flags;
	enum atomic_step failed;   /* after -1: the step, errno says why */
};

/* Creates the temporary file: `tmp` when given (then it must not exist: -1 with EEXIST),
 * else PATH.PID.tmp, or PATH.PID.N.tmp while those are taken. 0, or -1 with errno. */
int atomic_open(struct atomic_file *af, const char *path, const char *tmp, int flags);
/* Syncs the temporary file, checks that its name still holds the file written (not one
 * swapped in meanwhile), renames it to the final name and syncs the folder. 0 when done;
 * 1 (ATOMIC_NEW) when the final name exists (the temporary file is removed); -1 with
 * errno and af->failed (the temporary file is removed; after a failed folder sync the
 * final name too, since the rename may not last). Frees af either way. */
int atomic_commit(struct atomic_file *af);
/* Removes the temporary file and frees af. */
void atomic_abort(struct atomic_file *af);

/* Writes the text as the whole file at path, an atomic file (flags: ATOMIC_REPLACE or
 * ATOMIC_NEW). 0; 1 (ATOMIC_NEW) when path exists; -1 with errno. */
int atomic_write_text(const char *path, const char *text, int flags);
/* Makes each missing folder above path (not path itself), mode 0700: what tianbao
 * keeps under a user's folders is the user's own. 0, or -1 with e naming the folder. */
int make_parent_dirs(const char *path, struct err *e);
/* Removes a folder and all below it (never following a symbolic link). Best effort. */
void remove_tree(const char *dir);
/* A new folder only this user can read, on the local disk ($TMPDIR, else /tmp); NULL
 * with e. Free with private_dir_remove, which removes what was put in it. */
char *private_dir(struct err *e);
void private_dir_remove(char *dir);

/* Completes a folder typed so far, as a shell's Tab does: among the folders of its parent
 * whose names begin with its last part, *completed (malloc'd) is the text extended by what
 * they all share, with a "/" after the only one. Their names (the first 20) go into
 * matches (may be NULL), two spaces apart. Returns how many there are. */
int path_complete_dir(const char *typed, char **completed, struct strbuf *matches);

#endif
