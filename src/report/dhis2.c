/* dhis2.c - the typed values as a DHIS2 dataValueSets CSV (see dhis2.h). */
#include "report/dhis2.h"

#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/i18n.h"
#include "lib/mem.h"
#include "report/csv.h"
#include "report/format.h"

void report_write_dhis2(const struct report *r, struct strbuf *out, struct report_dhis2_stats *stats)
{
	struct csvw w = { out, true };
	bool *unit_seen = xcalloc((size_t)r->fs->nunits + 1, sizeof *unit_seen);
	struct strbuf comment;

	memset(stats, 0, sizeof *stats);
	sb_init(&comment);
	/* The header exactly as DHIS2 writes it; DHIS2 reads the columns by position. */
	sb_add(out, "\xEF\xBB\xBF");
	sb_add(out, "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,"
		    "comment,followup,deleted\r\n");
	for (int k = 0; k < r->cur.nforms; k++) {
		const struct report_form *rf = &r->cur.forms[k];
		const struct form *f = rf->form;
		bool *field_seen = xcalloc((size_t)f->nfields + 1, sizeof *field_seen);

		for (int ei = 0; ei < rf->nentries; ei++) {
			const struct report_entry *en = &rf->entries[ei];
			const struct unit *u = en->unit;

			for (int i = 0; i < f->nfields; i++) {
				const struct field *fd = &f->fields[i];
				const struct report_value *v = &en->values[i];

				if (fd->compute || !v->text)
					continue;
				/* What the forms and the other reports do not count is not sent either. */
				switch (report_stored_value(en, i)) {
				case RS_SKIPPED:
					stats->skipped++;
					continue;
				case RS_INVALID:
					stats->invalid++;
					continue;
				case RS_NONE:
					continue;
				default:
					break;
				}
				stats->values++;
				if (en->state != FST_COMPLETE)
					stats->not_complete++;
				if (!fd->dhis2 && !field_seen[i]) {
					field_seen[i] = true;
					stats->fields_without_code++;
				}
				if (!u->dhis2 && !unit_seen[en->unit_index]) {
					unit_seen[en->unit_index] = true;
					stats->units_without_code++;
				}
				csvw_text(&w, fd->dhis2 ? fd->dhis2 : fd->code);
				csvw_text(&w, r->cur.period);
				csvw_text(&w, u->dhis2 ? u->dhis2 : u->code);
				csvw_text(&w, "");
				csvw_text(&w, "");
				/* A number is a number; a text value is guarded like any text cell. */
				csvw_sep(&w);
				csv_field(out, v->text, !field_is_numeric(fd));
				csvw_text(&w, v->updated_by);
				csvw_text(&w, v->updated_at);
				sb_reset(&comment);
				if (v->comment)
					sb_add(&comment, v->comment);
				if (v->conflict) {
					if (comment.len)
						sb_add(&comment, " · ");
					stats->conflicts++;
					sb_add(&comment, _("tianbao: in conflict between installations, not decided yet; other value(s): "));
					fmt_alts(&comment, en, i);
				}
				csvw_text(&w, sb_str(&comment));
				csvw_text(&w, v->conflict ? "true" : "false");
				csvw_text(&w, "false");
				csvw_end(&w);
			}
		}
		free(field_seen);
	}
	sb_free(&comment);
	free(unit_seen);
}
