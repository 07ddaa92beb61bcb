/* package.h - the form package (.tbp): a township's form definitions and units file in
 * one file, carried to the villages on a USB stick.
 *
 * A package is an SQLite file of its own kind (db/package.sql: application_id "TBPK",
 * user_version = package format version): a manifest (format and program version, the
 * township's code and name from the units file's [township.CODE], the package version
 * the township gives it, when and by whom it was written, the number of files and a
 * checksum) and the files: every *.ini of the township's forms folder, by name, with its
 * bytes and their SHA-256. The checksum is the SHA-256 of the manifest (but itself) by
 * key, then the files by name (tbx/checksum.h's serialization, kind "package").
 *
 * A package read is untrusted: package_read reads at most PACKAGE_MAX_BYTES of it into
 * memory (never through a symbolic link, only a regular file), looks at the SQLite
 * header first, opens the bytes on a locked-down connection of its own with a budget of
 * work, compares its schema exactly, then checks every row: names, sizes, UTF-8, each
 * file's SHA-256, the manifest's values and the checksum. package_load then puts every
 * INI through the form loader's own checks. The first problem is the reason given, with
 * its kind; nothing of a refused package is kept. The format: docs/exchange.md.
 */
#ifndef TIANBAO_PACKAGE_H
#define TIANBAO_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "forms/forms.h"
#include "lib/diag.h"
#include "lib/err.h"

#define PACKAGE_APPLICATION_ID 0x5442504B   /* "TBPK" */
#define PACKAGE_FORMAT_VERSION 1            /* user_version of db/package.sql */
#define PACKAGE_MAX_BYTES (8u * 1024 * 1024)       /* the package file */
#define PACKAGE_MAX_FILES 64
#define PACKAGE_FILE_MAX_BYTES (512u * 1024)       /* each file in it */
#define PACKAGE_TOTAL_MAX_BYTES (8u * 1024 * 1024) /* all files together */
#define PACKAGE_NAME_MAX 64                        /* a file's name, bytes */
#define PACKAGE_TEXT_MAX 255                       /* a manifest value's text, bytes */
#define PACKAGE_VERSION_MAX 2147483647             /* the highest package version */
#define PACKAGE_UNITS_FILE "units.ini"

/* What the manifest says of a package. To write one the caller gives version and
 * written_by; the rest is filled by the writer (the township from the units file). */
struct package_meta {
	char township_code[13];                     /* 9 or 12 digits */
	char township_name[PACKAGE_TEXT_MAX + 1];
	int64_t version;                            /* 1 .. PACKAGE_VERSION_MAX */
	char written_at[32];                        /* UTC, 2026-11-29T11:53:20Z */
	char written_by[PACKAGE_TEXT_MAX + 1];
	char program_version[33];
};

struct package_entry {
	char *name;                                 /* e.g. "10-village.ini" */
	char *content;                              /* size bytes and a NUL */
	size_t size;
};

/* A package read and checked (everything owned by it). */
struct package {
	char *name;                                 /* what messages call it */
	int format_version;
	struct package_meta meta;
	char checksum[65];
	struct package_entry *files;                /* sorted by name; units.ini among them */
	int nfiles;
};

void package_free(struct package *pkg);

/* Why a package was refused: the kind, for screens and tests; the words are in the err. */
enum package_problem {
	PP_NONE,
	PP_UNREADABLE,   /* missing, no permission, a folder, a pipe, a symbolic link */
	PP_UNFINISHED,   /* a .tmp left by an interrupted write */
	PP_TOO_LARGE,    /* the file, or a file in it, their number or total beyond the limits */
	PP_NOT_PACKAGE,  /* not SQLite, another program's SQLite, an export file, a database */
	PP_DAMAGED,      /* empty, cut short, SQLite damage, rows not as tianbao writes them */
	PP_NEWER,        /* made by a newer tianbao (a higher package format version) */
	PP_SCHEMA,       /* tables, columns, indexes, views or triggers tianbao never writes */
	PP_NAME,         /* a file name that is not a plain lower-case NAME.ini, or repeated */
	PP_CONTENT,      /* a file that is not UTF-8 text (invalid UTF-8, NUL bytes) */
	PP_CHECKSUM,     /* a file's SHA-256 or the package's checksum does not match */
	PP_MANIFEST,     /* a manifest value missing, unknown or malformed */
	PP_NO_UNITS,     /* no units.ini */
	PP_FORMS,        /* the INI files do not load (the loader's problems) */
	PP_LOCAL,        /* this computer failed (temporary files, disk) */
	/* Refused by what is installed here (core/package_install.h), the file being sound: */
	PP_TOWNSHIP,     /* another township's forms than those installed here */
	PP_OLDER,        /* older than the package installed here (or its version reused) */
	PP_OWN_UNIT,     /* does not list the unit this computer reports for */
};

/* The package format version this program writes. */
int package_format_version(void);

/* Whether name is a file name a package may hold: [a-z0-9][a-z0-9_.-]*\.ini, at most
 * PACKAGE_NAME_MAX bytes, no "..". */
bool package_name_valid(const char *name, size_t n);

/* Writes every *.ini of forms_dir (regular files; not dotfiles) into a new package at
 * path (which must not exist). The folder must load as a form set (formset_load_dir):
 * the township's code and name come from its units file. meta gives version and
 * written_by; the program version and the time are this program's. 0, or -1 with e
 * (path removed). */
int package_write_file(const char *forms_dir, const struct package_meta *meta, const char *path, struct err *e);

/* Reads the untrusted package at path and checks all of it (see above); messages call it
 * name_for_messages. 0 with *pkg (free with package_free), or -1 with *pb and e (e names
 * the package and says what to do). */
int package_read(const char *path, const char *name_for_messages, struct package *pkg, enum package_problem *pb,
		 struct err *e);

/* Writes the package's files into dir, an existing empty folder (each created anew,
 * never through a link, synced, then the folder synced). 0, or -1 with e; on failure
 * what it wrote is removed again. */
int package_extract(const struct package *pkg, const char *dir, struct err *e);

/* Extracts into staging_dir (existing, empty) and loads the forms from there through
 * formset_load_dir: 0 with *fs, or -1 with e naming the package and the first problem,
 * and every problem in diags as PACKAGE:FILE (line as the loader found it). */
int package_load(const struct package *pkg, const char *staging_dir, struct formset *fs, struct diag_list *diags,
		 struct err *e);

#endif
