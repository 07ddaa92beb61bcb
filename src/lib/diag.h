/* diag.h - a list of problems found in definition files, each "file:line: message". */
#ifndef TIANBAO_DIAG_H
#define TIANBAO_DIAG_H

#include <stdarg.h>
#include <stdio.h>

struct diag {
	char *file;
	int line;     /* 0 when the problem is about the whole file */
	char *msg;
};

struct diag_list {
	struct diag *v;
	int n, cap;
};

void diag_init(struct diag_list *l);
void diag_free(struct diag_list *l);
void diag_add(struct diag_list *l, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_vadd(struct diag_list *l, const char *file, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* Orders by file, then line (stable), so output reads top to bottom. */
void diag_sort(struct diag_list *l);
void diag_print(const struct diag_list *l, FILE *out);

#endif
