/* diag.c - collected definition-file problems. */
#include "lib/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/text.h"


void diag_init(struct diag_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void diag_free(struct diag_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].msg);
	}
	free(l->v);
	diag_init(l);
}

void diag_vadd(struct diag_list *l, const char *file, int line, const char *fmt, va_list ap)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, (size_t)l->cap, sizeof *l->v);
	}
	l->v[l->n].file = xstrdup(file ? file : "");
	l->v[l->n].line = line;
	l->v[l->n].msg = xvasprintf(fmt, ap);
	l->n++;
}

void diag_add(struct diag_list *l, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(l, file, line, fmt, ap);
	va_end(ap);
}

void diag_sort(struct diag_list *l)
{
	/* Insertion sort: stable, so problems on one line keep the order they were found. */
	for (int i = 1; i < l->n; i++) {
		struct diag d = l->v[i];
		int j = i - 1;

		while (j >= 0) {
			int c = strcmp(l->v[j].file, d.file);

			if (c < 0 || (c == 0 && l->v[j].line <= d.line))
				break;
			l->v[j + 1] = l->v[j];
			j--;
		}
		l->v[j + 1] = d;
	}
}

/* A file name or a message may carry bytes from a file or a directory listing: ESC would
 * reach the terminal, a newline split the "FILE:LINE: message" line. Both are printed
 * with such characters escaped (text_visible). */
void diag_print(const struct diag_list *l, FILE *out)
{
	for (int i = 0; i < l->n; i++) {
		char *file = text_visible(l->v[i].file, false), *msg = text_visible(l->v[i].msg, false);

		if (l->v[i].line > 0)
			fprintf(out, "%s:%d: %s\n", file, l->v[i].line, msg);
		else
			fprintf(out, "%s: %s\n", file, msg);
		free(file);
		free(msg);
	}
}
