/* strlist.h - lists of malloc'd strings: sorted sets, joined and split at commas. */
#ifndef TIANBAO_STRLIST_H
#define TIANBAO_STRLIST_H

#include <stdbool.h>

/* Adds a copy of s to a sorted list of distinct strings (nothing when it is there). */
void strlist_add_sorted(char ***list, int *n, const char *s);
/* Adds a copy of s at the end of a list. */
void strlist_add(char ***list, int *n, const char *s);
/* "a,b,c" (malloc'd; "" for none). */
char *strlist_join(char *const *list, int n);
/* The items of "a,b,c" ("" is no item; "a,,b" has an empty one). */
void strlist_split(const char *s, char ***out, int *n);
bool strlist_equal(char *const *a, int na, char *const *b, int nb);
void strlist_free(char **list, int n);

#endif
