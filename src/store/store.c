/* store.c - the SQLite database (see store.h). All SQL of the local store is here. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/i18n.h"
#include "store/schema_sql.h"
#include "store/internal.h"
#include "tbx/tbx.h"
#include "lib/sha256.h"
#include "lib/mem.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/str.h"
#include "lib/clock.h"

/* How long a command waits for another tianbao that is writing, before saying so. */
#define BUSY_TIMEOUT_MS 5000



static const char *const stmt_sql[S_COUNT] = {
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
		       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[S_VAL_GET] = "SELECT value, conflict, comment FROM vals WHERE unit = ?1 AND period = ?2 AND field = ?3",
	[S_VAL_PUT] = "INSERT INTO vals (unit, period, field, form, value, updated_at, updated_by, installation, revision, "
		      "conflict, source, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
		      "ON CONFLICT (unit, period, field) DO UPDATE SET form = excluded.form, value = excluded.value, "
		      "updated_at = excluded.updated_at, updated_by = excluded.updated_by, "
		      "installation = excluded.installation, revision = excluded.revision, "
		      "conflict = excluded.conflict, source = excluded.source, comment = excluded.comment",
	[S_AUDIT_ADD] = "INSERT INTO audit (at, unit, period, form, field, old_value, new_value, by_operator, "
			"installation, reason, source, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_STATE_GET] = "SELECT state, changed_at, changed_by, installation FROM form_state "
			"WHERE unit = ?1 AND period = ?2 AND form = ?3",
	[S_STATE_PUT] = "INSERT INTO form_state (unit, period, form, state, changed_at, changed_by, installation) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (unit, period, form) DO UPDATE SET "
			"state = excluded.state, changed_at = excluded.changed_at, changed_by = excluded.changed_by, "
			"installation = excluded.installation",
	[S_STATE_DEL] = "DELETE FROM form_state WHERE unit = ?1 AND period = ?2 AND form = ?3",
	[S_FORM_VALUES] = "SELECT field, value, comment FROM vals WHERE unit = ?1 AND period = ?2 AND form = ?3",
	[S_CAND_OWN_REV] = "SELECT revision FROM candidates WHERE unit = ?1 AND period = ?2 AND field = ?3 "
			   "AND installation = ?4",
	[S_CAND_PUT] = "INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, "
		       "updated_by, source, superseded, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
		       "ON CONFLICT (unit, period, field, installation) DO UPDATE SET form = excluded.form, "
		       "value = excluded.value, revision = excluded.revision, updated_at = excluded.updated_at, "
		       "updated_by = excluded.updated_by, source = excluded.source, superseded = excluded.superseded, "
		       "comment = excluded.comment",
	[S_CAND_SUPERSEDE] = "UPDATE candidates SET superseded = 1 WHERE unit = ?1 AND period = ?2 AND field = ?3 "
			     "AND installation != ?4 AND installation != ?5 AND superseded = 0",
	[S_DATA_VERSION] = "PRAGMA data_version",
};

int store_exec(struct store *st, const char *sql, struct err *e)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return 0;
}

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id, struct err *e)
{
	sqlite3_stmt *s = st->stmt[id];

	if (!s) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL) != SQLITE_OK) {
			sql_fail(st->db, st->path, e);
			return NULL;
		}
		s = st->stmt[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void store_bind_static(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

char *store_column_dup(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : xstrdup((const char *)sqlite3_column_text(s, i));
}

const char *store_column_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql, struct err *e)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		sql_fail(st->db, st->path, e);
		return NULL;
	}
	return s;
}

int store_walk_end(struct store *st, sqlite3_stmt *s, int rc, int status, struct err *e)
{
	if (status == 0 && rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		status = -1;
	}
	sqlite3_finalize(s);
	return status;
}

int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_commit(struct store *st, struct err *e)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(st->db, st->path, e);
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* ---- opening ------------------------------------------------------------------- */

void store_library_init(void)
{
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_schema_version(void)
{
	const char *p = strstr(schema_sql, "PRAGMA user_version = ");

	return p ? atoi(p + strlen("PRAGMA user_version = ")) : 0;
}

static void random_hex(char out[33])
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);

		if (n > 0) {
			got += (size_t)n;
		} else if (n < 0 && errno != EINTR) {
			/* No entropy source: time and pid still make installations distinct. */
			struct timespec ts;
			struct sha256 h;
			unsigned char d[32];
			pid_t pid = getpid();

			clock_gettime(CLOCK_REALTIME, &ts);
			sha256_init(&h);
			sha256_update(&h, &ts, sizeof ts);
			sha256_update(&h, &pid, sizeof pid);
			sha256_final(&h, d);
			memcpy(b, d, sizeof b);
			break;
		}
	}
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int read_int_pragma(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

enum file_look { LOOK_MISSING, LOOK_EMPTY, LOOK_SQLITE, LOOK_OTHER, LOOK_ERROR };

/* Looks at the first bytes before SQLite touches the file. */
static enum file_look look_at_file(const char *path, struct err *e)
{
	char head[16];
	struct stat st;
	ssize_t n;
	int fd;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return LOOK_MISSING;
		err_set(e, _("%s: %s"), path, strerror(errno));
		return LOOK_ERROR;
	}
	if (S_ISLNK(st.st_mode)) {
		/* SQLite's journal and WAL would sit beside the link, not beside the file. */
		err_set(e, _("%s is a symbolic link: give the path of the database file itself"), path);
		return LOOK_ERROR;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(e, _("%s is a folder, not a database file"), path);
		return LOOK_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, _("%s is not a regular file (a device or a pipe): give the path of a database file"), path);
		return LOOK_ERROR;
	}
	if (st.st_size == 0)
		return LOOK_EMPTY;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(e, _("cannot open %s: %s"), path, strerror(errno));
		return LOOK_ERROR;
	}
	n = read(fd, head, sizeof head);
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
		return LOOK_OTHER;
	return LOOK_SQLITE;
}

struct file_facts {
	int app_id, version, tables;
};

/* How a file that is only read is opened. SQLite reads a WAL database with an -shm file
 * beside it, made on first use; where none can be made (a read-only folder or disk) and
 * nothing waits in the -wal file (missing or empty), the file alone holds every committed
 * value and can be read as immutable: no tianbao can be writing to it there either. */
struct read_way {
	bool wal;          /* the file is in WAL mode */
	bool pending;      /* its -wal file holds changes (or cannot be looked at) */
	bool wal_file;     /* a -wal file exists */
	bool writable;     /* its folder can be written: SQLite can make the -shm */
};

static void read_way_look(const char *path, struct read_way *w)
{
	unsigned char hdr[20];
	char *wal = xasprintf("%s-wal", path), *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(w, 0, sizeof *w);
	if (fd >= 0) {
		w->wal = read(fd, hdr, sizeof hdr) == (ssize_t)sizeof hdr && hdr[18] == 2;
		close(fd);
	}
	if (stat(wal, &sb) == 0) {
		w->wal_file = true;
		w->pending = sb.st_size > 0;
	} else {
		w->pending = errno != ENOENT;
		w->wal_file = w->pending;
	}
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	w->writable = faccessat(AT_FDCWD, slash ? dir : ".", W_OK | X_OK, AT_EACCESS) == 0;
	free(dir);
	free(wal);
}

/* Whether the file is read as immutable without first trying the -shm. */
static bool read_way_immutable(const struct read_way *w)
{
	return w->wal && !w->pending && !w->writable;
}

/* Opens path only to read, as immutable or not, and reads its schema: SQLite opens
 * lazily, and only the first read finds that the -shm cannot be made. An SQLite code. */
static int read_open(sqlite3 **db, const char *path, bool immutable)
{
	char *uri = sql_file_uri(path, immutable ? "mode=ro&immutable=1" : "mode=ro");
	int rc, tables = 0;

	sqlite3_close(*db);
	*db = NULL;
	rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW, NULL);
	free(uri);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(*db, BUSY_TIMEOUT_MS);
		if (read_int_pragma(*db, "SELECT count(*) FROM sqlite_schema", &tables) != 0)
			rc = sqlite3_extended_errcode(*db);
	}
	return rc;
}

/* The failures of a first read that mean the -shm could not be made or used. */
static bool no_room_beside(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CANTOPEN || rc == SQLITE_READONLY || rc == SQLITE_FULL || rc == SQLITE_IOERR;
}

/* Opens an existing database for a command that only reads (see struct read_way): on a
 * read-only folder or disk, or a full one, it is read as it is when nothing waits in its
 * -wal file; when something does, the message says what to do. A file not yet known to
 * be tianbao's (not_yet_ours) is read as immutable whenever it has no -wal file, so that
 * none is left beside it. */
static int open_reading(sqlite3 **db, const char *path, bool not_yet_ours, struct err *e)
{
	struct read_way w;
	int rc;

	read_way_look(path, &w);
	if (read_way_immutable(&w) || (w.wal && !w.wal_file && not_yet_ours)) {
		rc = read_open(db, path, true);
	} else if ((rc = read_open(db, path, false)) != SQLITE_OK && no_room_beside(rc) && w.wal) {
		if (!w.pending) {
			rc = read_open(db, path, true);
		} else if (!w.writable) {
			err_set(e, _("%s: its folder cannot be written, and its latest changes wait in %s-wal, which tianbao can read only with a small file beside it. Copy the database and its -wal file together to a folder that can be written, or open it once where it was written."),
				path, path);
			return -1;
		}
	}
	if (rc != SQLITE_OK) {
		sql_fail(*db, path, e);
		return -1;
	}
	return 0;
}

/* Reads the identity of an existing SQLite file without changing it. */
static int read_facts(const char *path, struct file_facts *ff, struct err *e)
{
	sqlite3 *db = NULL;

	memset(ff, 0, sizeof *ff);
	if (open_reading(&db, path, true, e) != 0) {
		if (db && (sqlite3_errcode(db) == SQLITE_NOTADB || sqlite3_errcode(db) == SQLITE_CORRUPT))
			err_set(e, _("%s is not a tianbao database, or it is damaged or cut short (%s). It was not changed."),
				path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	if (read_int_pragma(db, "PRAGMA application_id", &ff->app_id) != 0 ||
	    read_int_pragma(db, "PRAGMA user_version", &ff->version) != 0 ||
	    read_int_pragma(db, "SELECT count(*) FROM sqlite_schema", &ff->tables) != 0) {
		int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;

		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			err_set(e, _("%s is not a tianbao database, or it is damaged or cut short (%s). It was not changed."),
				path, sqlite3_errmsg(db));
		else
			sql_fail(db, path, e);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_close(db);
	return 0;
}

/* TIANBAO_SQL_LOG=FILE: every statement run, appended to FILE (a debugging aid, and how
 * the tests check that moving between fields reads nothing). Never the terminal. */
static int trace_sql(unsigned type, void *ctx, void *p, void *x)
{
	FILE *log = ctx;
	char *sql;

	(void)type;
	(void)x;
	sql = sqlite3_expanded_sql(p);
	if (sql) {
		fprintf(log, "%s\n", sql);
		fflush(log);
		sqlite3_free(sql);
	}
	return 0;
}

static int configure(struct store *st, bool writable, struct err *e)
{
	const char *log = getenv("TIANBAO_SQL_LOG");

	if (log && *log) {
		FILE *f = fopen(log, "a");

		if (f) {
			st->sql_log = f;
			sqlite3_trace_v2(st->db, SQLITE_TRACE_STMT, trace_sql, f);
		}
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (!writable)
		return 0;
	/* WAL with FULL: a committed value survives a power cut (SQLite: WAL with synchronous=FULL keeps every commit). */
	if (store_exec(st, "PRAGMA journal_mode = WAL", e) != 0 || store_exec(st, "PRAGMA synchronous = FULL", e) != 0)
		return -1;
#ifdef TIANBAO_TEST
	/* The test build only: TIANBAO_TEST_SYNC=OFF or NORMAL weakens the setting, so that
	 * tests/cli/powerloss.sh can show it catches the values such a build loses. */
	{
		const char *weak = getenv("TIANBAO_TEST_SYNC");

		if (weak && strcmp(weak, "OFF") == 0)
			return store_exec(st, "PRAGMA synchronous = OFF", e);
		if (weak && strcmp(weak, "NORMAL") == 0)
			return store_exec(st, "PRAGMA synchronous = NORMAL", e);
	}
#endif
	return 0;
}

static int create_schema(struct store *st, struct err *e)
{
	char id[33], now[32];
	sqlite3_stmt *s;
	int tables = 0;

	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	/* Another process may have created it while we waited for the lock. */
	if (read_int_pragma(st->db, "SELECT count(*) FROM sqlite_schema", &tables) != 0 || tables > 0) {
		store_rollback(st);
		return 0;
	}
	if (store_exec(st, schema_sql, e) != 0) {
		store_rollback(st);
		return -1;
	}
	random_hex(id);
	now_iso8601(now);
	if (!(s = store_stmt(st, S_META_SET, e)))
		goto fail;
	store_bind_text(s, 1, "installation_id");
	store_bind_text(s, 2, id);
	if (store_step_done(st, s, e) != 0)
		goto fail;
	s = store_stmt(st, S_META_SET, e);
	store_bind_text(s, 1, "created_at");
	store_bind_text(s, 2, now);
	if (store_step_done(st, s, e) != 0)
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return -1;
}

/* Copies the database into dest with SQLite's backup API (safe while it is open), as an
 * atomic file (lib/file.h): dest holds the whole copy or what it held before. */
static int backup_copy(struct store *st, const char *dest, struct err *e)
{
	struct atomic_file af;
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc;

	if (atomic_open(&af, dest, NULL, ATOMIC_REPLACE) != 0) {
		err_set(e, _("cannot write the backup %s: %s"), dest, strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(af.tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    !(b = sqlite3_backup_init(to, "main", st->db, "main"))) {
		sql_fail(to, dest, e);
		sqlite3_close(to);
		atomic_abort(&af);
		return -1;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		sql_fail(to, dest, e);
		sqlite3_close(to);
		atomic_abort(&af);
		return -1;
	}
	sqlite3_close(to);
	if (atomic_commit(&af) != 0) {
		err_set(e, _("cannot write the backup %s: %s"), dest, strerror(errno));
		return -1;
	}
	return 0;
}

static int migrate(struct store *st, int from, struct err *e)
{
	int to = store_schema_version();
	char *bak;

	if (from - 1 >= schema_migration_count || from < 1) {
		err_set(e, _("%s: no way to upgrade a database of schema version %d"), st->path, from);
		return -1;
	}
	bak = xasprintf("%s.v%d.bak", st->path, from);
	if (backup_copy(st, bak, e) != 0) {
		free(bak);
		return -1;
	}
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		goto fail;
	for (int v = from; v < to; v++) {
		char pragma[64];

		if (store_exec(st, schema_migrations[v - 1], e) != 0)
			goto fail_tx;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (store_exec(st, pragma, e) != 0)
			goto fail_tx;
	}
	if (store_commit(st, e) != 0)
		goto fail;
	free(bak);
	return 0;
fail_tx:
	store_rollback(st);
fail:
	err_prefix(e, _("upgrading from schema version %d failed (a copy was kept in %s): "), from, bak);
	free(bak);
	return -1;
}

/* Why a lock file beside the database could not be created: a full disk in words. */
static void lock_open_failed(const char *lock, int errnum, struct err *e)
{
	if (errnum == ENOSPC || errnum == EDQUOT)
		err_set(e, _("%s: the disk is full: tianbao cannot create its lock file beside the database. Free some space on that disk and try again."),
			lock);
	else
		err_set(e, _("cannot create the lock file %s: %s"), lock, strerror(errnum));
}

/* Upgrades an older database. Two programs may open it at once: the first to take the
 * upgrade lock backs it up and migrates; the others find it upgraded when they get the
 * lock, and leave the backup alone. */
static int upgrade(struct store *st, struct err *e)
{
	char *lock = xasprintf("%s.upgrade-lock", st->path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600), version = 0, rc = -1;

	if (fd < 0) {
		lock_open_failed(lock, errno, e);
		free(lock);
		return -1;
	}
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += 100) {
		if (errno != EWOULDBLOCK || waited >= 30000) {
			err_set(e, _("%s: another tianbao is upgrading this database; try again in a moment"), st->path);
			goto out;
		}
		usleep(100 * 1000);
	}
	if (read_int_pragma(st->db, "PRAGMA user_version", &version) != 0) {
		sql_fail(st->db, st->path, e);
		goto out;
	}
	rc = version < store_schema_version() ? migrate(st, version, e) : 0;
out:
	close(fd);
	unlink(lock);
	free(lock);
	return rc;
}

/* The file's identity (device and inode): a database copied to another laptop, or put
 * back from a backup, has another one, and must not write under the same installation
 * id as the original (two copies would number different values alike). */
static void file_identity(const char *path, char out[64])
{
	struct stat sb;

	if (stat(path, &sb) == 0)
		snprintf(out, 64, "%llu:%llu", (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
	else
		out[0] = '\0';
}

/* On a writable open: a copy takes a new installation id, and remembers the old one. */
static int check_identity(struct store *st, struct err *e)
{
	char now[64], *bound = NULL;

	file_identity(st->path, now);
	if (!now[0] || store_meta_get(st, "file_identity", &bound, e) != 0)
		return now[0] ? -1 : 0;
	if (bound && strcmp(bound, now) != 0) {
		char id[33];

		random_hex(id);
		if (store_exec(st, "BEGIN IMMEDIATE", e) != 0 || store_meta_set(st, "copied_from", st->installation, e) != 0 ||
		    store_meta_set(st, "installation_id", id, e) != 0 || store_meta_set(st, "file_identity", now, e) != 0 ||
		    store_commit(st, e) != 0) {
			store_rollback(st);
			free(bound);
			return -1;
		}
		memcpy(st->copied_from, st->installation, 33);
		memcpy(st->installation, id, 33);
	} else if (!bound && store_meta_set(st, "file_identity", now, e) != 0) {
		return -1;
	}
	free(bound);
	return 0;
}

const char *store_copied_from(const struct store *st)
{
	return st->copied_from[0] ? st->copied_from : NULL;
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct err *e)
{
	struct store *st;
	struct file_facts ff = { 0, 0, 0 };
	enum file_look look;
	bool fresh = false;
	int flags;
	char *id = NULL;

	*out = NULL;
	look = look_at_file(path, e);
	switch (look) {
	case LOOK_ERROR:
		return -1;
	case LOOK_MISSING:
		if (mode == STORE_READ) {
			err_set(e, _("there is no database at %s yet: run 'tianbao init --unit CODE' first"), path);
			return -1;
		}
		if (make_parent_dirs(path, e) != 0)
			return -1;
		fresh = true;
		break;
	case LOOK_EMPTY:
		/* Left by a first run cut short before its first commit: nothing in it to lose. */
		fresh = true;
		break;
	case LOOK_OTHER:
		err_set(e, _("%s is not a tianbao database (it is not an SQLite file). It was not changed."), path);
		return -1;
	case LOOK_SQLITE:
		if (read_facts(path, &ff, e) != 0)
			return -1;
		if (ff.app_id == 0 && ff.version == 0 && ff.tables == 0) {
			fresh = true;  /* created but never filled, as above */
			break;
		}
		if (ff.app_id != TIANBAO_DB_APPLICATION_ID) {
			err_set(e, _("%s is an SQLite database of another program, not a tianbao database. It was not changed."),
				path);
			return -1;
		}
		if (ff.version > store_schema_version()) {
			err_set(e, _("%s was made by a newer tianbao (schema version %d; this tianbao knows up to %d). Update tianbao to open it."),
				path, ff.version, store_schema_version());
			return -1;
		}
		break;
	}
	if (fresh && mode == STORE_READ) {
		err_set(e, _("%s is empty: it holds no data yet"), path);
		return -1;
	}

	/* An older database is upgraded on first open, even by a command that only reads. */
	if (!fresh && ff.version < store_schema_version())
		mode = STORE_WRITE;
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->lock_fd = -1;
	flags = SQLITE_OPEN_READWRITE | (fresh ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOFOLLOW;
	if (mode == STORE_READ) {
		if (open_reading(&st->db, path, false, e) != 0)
			goto fail;
	} else if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		sql_fail(st->db, path, e);
		goto fail;
	}
	if (mode == STORE_WRITE && sqlite3_db_readonly(st->db, "main")) {
		err_set(e, _("%s is read-only: tianbao needs to write to it. Check the permissions of the file and its folder."),
			path);
		goto fail;
	}
	if (configure(st, mode == STORE_WRITE, e) != 0)
		goto fail;
	if (fresh && create_schema(st, e) != 0)
		goto fail;
	if (!fresh && ff.version < store_schema_version() && upgrade(st, e) != 0)
		goto fail;
	if (store_meta_get(st, "installation_id", &id, e) != 0)
		goto fail;
	if (!id || strlen(id) != 32) {
		err_set(e, _("%s: the database has no installation id; it is damaged"), path);
		free(id);
		goto fail;
	}
	memcpy(st->installation, id, 33);
	free(id);
	if (mode == STORE_WRITE && check_identity(st, e) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	if (st->sql_log)
		fclose(st->sql_log);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->path);
	free(st);
}

const char *store_file(const struct store *st)
{
	return st->path;
}

const char *store_installation_id(const struct store *st)
{
	return st->installation;
}

/* ---- settings and units ------------------------------------------------------ */

int store_meta_get(struct store *st, const char *key, char **value, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_META_GET, e);
	int rc;

	*value = NULL;
	if (!s)
		return -1;
	store_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*value = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return 0;
}

int store_meta_set(struct store *st, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_META_SET, e);

	if (!s)
		return -1;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	return store_step_done(st, s, e);
}

int store_set_unit(struct store *st, const char *unit, const char *operator_name, const char *by, struct err *e)
{
	char now[32];
	char *old = NULL;

	now_iso8601(now);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (store_meta_get(st, "unit", &old, e) != 0)
		goto fail;
	if ((!old || strcmp(old, unit) != 0) &&
	    (store_meta_set(st, "unit", unit, e) != 0 ||
	     store_audit_add(st, now, unit, "", "", "", old, unit, by, "unit_set", 0, NULL, e) != 0))
		goto fail;
	if (operator_name && store_meta_set(st, "operator", operator_name, e) != 0)
		goto fail;
	free(old);
	return store_commit(st, e);
fail:
	free(old);
	store_rollback(st);
	return -1;
}

int store_sync_units(struct store *st, const struct formset *fs, struct err *e)
{
	const struct unit *twp = formset_township(fs);
	char *old = NULL;
	sqlite3_stmt *s = NULL;

	if (store_meta_get(st, "units_hash", &old, e) != 0)
		return -1;
	if (old && strcmp(old, fs->units_hash) == 0) {
		free(old);
		return 0;
	}
	free(old);
	if (store_exec(st, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	s = store_prepare(st,
			  "INSERT INTO units (code, name, kind, parent, role) VALUES (?1, ?2, ?3, ?4, ?5) "
			  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
			  "parent = excluded.parent, role = excluded.role",
			  e);
	if (!s)
		goto fail;
	for (int i = 0; i < fs->nunits; i++) {
		const struct unit *u = &fs->units[i];

		sqlite3_reset(s);
		store_bind_text(s, 1, u->code);
		store_bind_text(s, 2, u->name);
		store_bind_text(s, 3, unit_kind_name(u->kind));
		store_bind_text(s, 4, u->kind != UK_TOWNSHIP && twp ? twp->code : NULL);
		store_bind_text(s, 5, u->role);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sql_fail(st->db, st->path, e);
			goto fail;
		}
	}
	sqlite3_finalize(s);
	s = NULL;
	if (store_meta_set(st, "units_hash", fs->units_hash, e) != 0)
		goto fail;
	return store_commit(st, e);
fail:
	sqlite3_finalize(s);
	store_rollback(st);
	return -1;
}






















int store_lock_session(struct store *st, int wait_ms, struct err *e)
{
	char *lock = xasprintf("%s.lock", st->path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		lock_open_failed(lock, errno, e);
		free(lock);
		return -1;
	}
	for (int waited = 0;; waited += 100) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK || waited >= wait_ms) {
			err_set(e, _("%s is already open in another tianbao window. Close that window first (or use it)."),
				st->path);
			close(fd);
			free(lock);
			return -1;
		}
		usleep(100 * 1000);
	}
	free(lock);
	st->lock_fd = fd;
	return 0;
}

int store_data_version(struct store *st, int64_t *version, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, S_DATA_VERSION, e);
	int rc;

	if (!s)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		sql_fail(st->db, st->path, e);
		return -1;
	}
	return 0;
}
