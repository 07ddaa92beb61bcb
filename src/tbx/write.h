/* write.h - writing an export file: the rows an exporting database hands over, in order.
 *
 * The writer builds a new private SQLite file (the caller copies it where it goes and
 * syncs it: core/exchange.c), with the schema of db/export.sql, the rows, both checksums
 * and the manifest. The rows come in key order (unit, period, field, installation): every
 * active candidate first, then the candidates decisions set aside, then the form states;
 * a form state is kept only for a form the file has active values of. Every time is
 * checked the way an import will check it (stamp_check), so a file a township would
 * refuse for its times is never written: the message says which value or state, and that
 * this computer's clock is or was wrong.
 */
#ifndef TIANBAO_WRITE_H
#define TIANBAO_WRITE_H

#include "forms/forms.h"
#include "lib/err.h"
#include "tbx/tbx.h"

struct tbx_writer;

/* Creates the file at path, which must not exist. */
int tbx_writer_open(const char *path, struct tbx_writer **out, struct err *e);
/* One candidate of form f (v->superseded: set aside by a decision). */
int tbx_writer_value(struct tbx_writer *w, const struct export_value *v, const struct form *f, struct err *e);
/* One stored form state; skipped (0) when the file has no active value of that form. */
int tbx_writer_state(struct tbx_writer *w, const struct export_state *st, struct err *e);

/* Who writes the file. */
struct tbx_author {
	const char *installation;      /* 32 hex digits */
	const char *unit;              /* the unit it reports for, or NULL */
	const char *operator_name;
};

/* Writes the manifest and closes the file: 0 with info describing it (free with
 * export_info_free); 1 when it holds no value (the file is removed); -1 with e (the
 * file is removed). Frees w either way. */
int tbx_writer_finish(struct tbx_writer *w, const struct tbx_author *by, struct export_info *info, struct err *e);
/* Removes the file and frees w. */
void tbx_writer_abort(struct tbx_writer *w);

#endif
