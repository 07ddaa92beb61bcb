/* dhis2.h - the typed values of a period as a DHIS2 dataValueSets CSV. */
#ifndef TIANBAO_REPORT_DHIS2_H
#define TIANBAO_REPORT_DHIS2_H

#include "report/report.h"
#include "lib/str.h"

struct report_dhis2_stats {
	int values;                  /* data values written */
	int conflicts;               /* of them, in conflict (followup = true) */
	int not_complete;            /* of them, from forms not marked complete */
	int fields_without_code;     /* fields written under their tianbao code */
	int units_without_code;      /* units written under their tianbao code */
	int skipped;                 /* stored values left out: the skip logic no longer asks for them */
	int invalid;                 /* stored values left out: the current form no longer accepts them */
};

/* The typed values of every unit for the period as a DHIS2 dataValueSets CSV (codes from
 * the forms' and units' dhis2 keys, else the tianbao codes). Computed fields are left
 * out: DHIS2 computes its indicators itself. So are the stored values the reports do not
 * count (report_stored_value): questions the skip logic no longer asks, and values the
 * current form no longer accepts. A value in conflict is written with its current value,
 * followup=true and a comment naming the other values. */
void report_write_dhis2(const struct report *r, struct strbuf *out, struct report_dhis2_stats *stats);

#endif
