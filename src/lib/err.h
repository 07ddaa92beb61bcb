/* err.h - the error message a failing function fills and its caller shows.
 *
 * Functions return a status (0, or -1 on failure) and fill a struct err with words for
 * the person at the keyboard: what went wrong, naming the file or field, and what to do.
 * Only main exits.
 */
#ifndef TIANBAO_ERR_H
#define TIANBAO_ERR_H

#include <stdarg.h>

struct err {
	char msg[1024];
};

void err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_vset(struct err *e, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Put text in front of an existing message ("file: " + msg). */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
