/* checksum.c - the canonical serialization of export files (see checksum.h). */
#include "tbx/checksum.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

void export_sum_begin(struct sha256 *c, const char *kind)
{
	static const char head[] = "tianbao-export-1 ";

	sha256_init(c);
	sha256_update(c, head, sizeof head - 1);
	sha256_update(c, kind, strlen(kind));
	sha256_update(c, "\n", 1);
}

void export_sum_section(struct sha256 *c, const char *name)
{
	sha256_update(c, "#", 1);
	sha256_update(c, name, strlen(name));
	sha256_update(c, "\n", 1);
}

/* "<tag><decimal><end>", e.g. "T12:" or "I3;": written by hand, it is called for every
 * cell of every value. */
static size_t tagged_number(char *out, char tag, uint64_t v, bool negative, char end)
{
	char digits[24];
	size_t n = 0, k = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out[k++] = tag;
	if (negative)
		out[k++] = '-';
	while (n)
		out[k++] = digits[--n];
	out[k++] = end;
	return k;
}

void export_sum_row(struct sha256 *c, const struct export_cell *cells, int n)
{
	char num[48];
	size_t k;

	for (int i = 0; i < n; i++) {
		const struct export_cell *x = &cells[i];

		switch (x->type) {
		case EC_NULL:
			sha256_update(c, "N", 1);
			break;
		case EC_INT:
			k = tagged_number(num, 'I', x->i < 0 ? 0 - (uint64_t)x->i : (uint64_t)x->i, x->i < 0, ';');
			sha256_update(c, num, k);
			break;
		case EC_REAL:
			k = (size_t)snprintf(num, sizeof num, "R%.17g;", x->r);
			sha256_update(c, num, k);
			break;
		case EC_TEXT:
		case EC_BLOB:
			k = tagged_number(num, x->type == EC_TEXT ? 'T' : 'B', x->n, false, ':');
			sha256_update(c, num, k);
			if (x->n)
				sha256_update(c, x->s, x->n);
			break;
		}
	}
	sha256_update(c, "\n", 1);
}

struct export_cell export_cell_text(const char *s)
{
	struct export_cell c = { EC_NULL, 0, 0, NULL, 0 };

	if (s) {
		c.type = EC_TEXT;
		c.s = s;
		c.n = strlen(s);
	}
	return c;
}

struct export_cell export_cell_int(int64_t v)
{
	struct export_cell c = { EC_INT, v, 0, NULL, 0 };

	return c;
}

/* The value row in the order of db/export.sql, for the checksum. */
void export_sum_value(struct sha256 *c, const struct export_value *v)
{
	struct export_cell cells[10] = {
		export_cell_text(v->unit), export_cell_text(v->period), export_cell_text(v->field), export_cell_text(v->installation),
		export_cell_text(v->form), export_cell_text(v->value), export_cell_int(v->revision), export_cell_text(v->updated_at),
		export_cell_text(v->updated_by), export_cell_text(v->comment),
	};

	export_sum_row(c, cells, 10);
}

/* The form state row in the order of db/export.sql, for the checksum. */
void export_sum_state(struct sha256 *c, const struct export_state *st)
{
	struct export_cell cells[7] = {
		export_cell_text(st->unit), export_cell_text(st->period), export_cell_text(st->form), export_cell_text(st->state),
		export_cell_text(st->changed_at), export_cell_text(st->changed_by), export_cell_text(st->installation),
	};

	export_sum_row(c, cells, 7);
}

void export_sum_hex(struct sha256 *c, char out[65])
{
	unsigned char d[32];

	sha256_final(c, d);
	sha256_hex(d, out);
}

void export_cell_column(struct sqlite3_stmt *s, int i, struct export_cell *c)
{
	memset(c, 0, sizeof *c);
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		c->type = EC_INT;
		c->i = sqlite3_column_int64(s, i);
		break;
	case SQLITE_FLOAT:
		c->type = EC_REAL;
		c->r = sqlite3_column_double(s, i);
		break;
	case SQLITE_TEXT:
		c->type = EC_TEXT;
		c->s = (const char *)sqlite3_column_text(s, i);
		c->n = (size_t)sqlite3_column_bytes(s, i);
		break;
	case SQLITE_BLOB:
		c->type = EC_BLOB;
		c->s = sqlite3_column_blob(s, i);
		c->n = (size_t)sqlite3_column_bytes(s, i);
		break;
	default:
		c->type = EC_NULL;
		break;
	}
}
