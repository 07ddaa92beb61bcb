/* pinyin.h - the pinyin initials of Chinese text, for finding a name by typing "dfc"
 * for 东风村.
 *
 * GB2312 orders its 3,755 first-level characters (the common ones: nearly every place
 * name) by pinyin, so a character's initial is the range its GB2312 code falls in;
 * the table (lib/gbk_table.h) gives it. Less common characters, and a polyphone's other
 * readings, have no initial here: they are left out of the initials.
 */
#ifndef TIANBAO_PINYIN_H
#define TIANBAO_PINYIN_H

#include <stddef.h>

/* Writes the initials of utf8 into out (lower case a-z; ASCII letters and digits are
 * kept as they are, lower-cased; other characters are left out), always
 * NUL-terminated. */
void pinyin_initials(const char *utf8, char *out, size_t size);

#endif
