/* err.c - error messages (see err.h). */
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

#include "lib/str.h"

void err_vset(struct err *e, const char *fmt, va_list ap)
{
	if (!e)
		return;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, fmt, ap);
	va_end(ap);
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	size_t n;

	if (!e)
		return;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	sb_add(&sb, e->msg);
	n = sb.len < sizeof e->msg - 1 ? sb.len : sizeof e->msg - 1;
	memcpy(e->msg, sb_str(&sb), n);
	e->msg[n] = '\0';
	sb_free(&sb);
}
