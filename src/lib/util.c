/* util.c - memory, strings, errors and strict number parsing. */
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/i18n.h"

static void (*fatal_hook)(void);

void util_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

static void out_of_memory(void)
{
	if (fatal_hook)
		fatal_hook();
	/* Running out of memory is not a data problem the caller can mend: stop before
	 * anything half-done reaches the database (every write is one transaction). */
	fputs("tianbao: out of memory\n", stderr);
	abort();
}

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

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory();
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_take(&sb);
}

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap < 64)
		sb->cap = 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *sb_take(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");

	sb_init(sb);
	return s;
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

int parse_int64(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	uint64_t v = 0, limit;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*p)
		return -1;
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

int parse_decimal(const char *s, double *out, int *decimals)
{
	const char *p = s;
	int ndig = 0, nfrac = 0;
	char *end;
	double v;

	if (*p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		ndig++;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++)
			nfrac++;
		if (nfrac == 0)
			return -1;
	}
	/* ".5" is 0.5: people write it so. */
	if (*p || ndig + nfrac == 0 || ndig + nfrac > 17)
		return -1;
	/* The shape is checked above; strtod only converts (LC_NUMERIC stays "C"). */
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	if (decimals)
		*decimals = nfrac;
	return 0;
}

void format_decimal(char *buf, size_t size, double v, int decimals)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	snprintf(buf, size, "%.*f", decimals, v);
	/* "-0.0" reads as a sign error to a clerk: show it as zero. */
	if (buf[0] == '-') {
		const char *p = buf + 1;

		while (*p == '0' || *p == '.')
			p++;
		if (!*p)
			memmove(buf, buf + 1, strlen(buf));
	}
}

void format_number(char *buf, size_t size, double v)
{
	char *dot, *end;

	if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
		snprintf(buf, size, "%lld", (long long)v);
		return;
	}
	{
		/* At most 15 significant digits (what a double holds), at most 6 decimals: no
		 * binary noise such as 1234567890123.449951. */
		double a = fabs(v);
		int ints = a >= 1 ? (int)floor(log10(a)) + 1 : 1;
		int dec = 15 - ints;

		snprintf(buf, size, "%.*f", dec < 0 ? 0 : dec > 6 ? 6 : dec, v);
	}
	dot = strchr(buf, '.');
	if (!dot)
		return;
	end = buf + strlen(buf);
	while (end > dot + 1 && end[-1] == '0')
		*--end = '\0';
	if (end == dot + 1)
		*dot = '\0';
}

char *str_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		memmove(s, s + 1, strlen(s));
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool is_code_name(const char *s, size_t max)
{
	size_t n = 0;

	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++, n++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	}
	return n >= 1 && n <= max;
}

char *read_file(const char *path, size_t max_bytes, size_t *len, struct err *e)
{
	struct strbuf sb;
	char chunk[8192];
	ssize_t n;
	int fd;

	/* Non-blocking, so a pipe named like a file cannot hang us before the check below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		err_set(e, _("cannot open %s: %s"), path, strerror(errno));
		return NULL;
	}
	{
		struct stat sb0;

		if (fstat(fd, &sb0) != 0 || !S_ISREG(sb0.st_mode)) {
			err_set(e, _("%s is not a regular file"), path);
			close(fd);
			return NULL;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	}
	sb_init(&sb);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, _("cannot read %s: %s"), path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max_bytes) {
			err_set(e, _("%s is too large (more than %zu bytes)"), path, max_bytes);
			goto fail;
		}
		sb_addn(&sb, chunk, (size_t)n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	return sb_take(&sb);
fail:
	close(fd);
	sb_free(&sb);
	return NULL;
}

void now_iso8601(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int iso8601_seconds(const char *at, time_t *t)
{
	struct tm tm;
	int y, mo, d, h, mi, se, n = 0;

	if (strlen(at) != 20 || sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 20)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*t = timegm(&tm);
	return 0;
}

int iso8601_next_second(const char *at, char out[32])
{
	struct tm tm;
	time_t t;

	if (iso8601_seconds(at, &t) != 0)
		return -1;
	t++;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}
