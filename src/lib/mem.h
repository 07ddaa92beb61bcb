/* mem.h - memory that never comes back NULL: running out stops the program.
 *
 * tianbao has nothing useful to do without memory, and every write is one transaction,
 * so stopping leaves nothing half-written. The screens register a hook that restores
 * the terminal first.
 */
#ifndef TIANBAO_MEM_H
#define TIANBAO_MEM_H

#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Called before abort() when memory runs out, so the UI can restore the terminal. */
void mem_set_fatal_hook(void (*hook)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
/* Room for one more in an array of n elements that only this has grown (from NULL):
 * doubles when full, so that appending n elements one by one copies O(n) of them. */
void *xgrowarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
