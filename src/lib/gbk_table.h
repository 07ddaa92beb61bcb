/* gbk_table.h - GBK's two-byte codes as Unicode and the pinyin initials of GB2312's
 * first-level characters, generated at build time from glibc's iconv by
 * tools/gbk_table.c (build/gen/gbk_table.c): the binary carries its own tables and
 * needs no iconv module at run time. */
#ifndef TIANBAO_GBK_TABLE_H
#define TIANBAO_GBK_TABLE_H

#define GBK_LEAD_FIRST 0x81
#define GBK_LEAD_LAST 0xFE
#define GBK_TRAIL_FIRST 0x40
#define GBK_TRAIL_LAST 0xFE
#define GBK_LEAD_COUNT (GBK_LEAD_LAST - GBK_LEAD_FIRST + 1)
#define GBK_TRAIL_COUNT (GBK_TRAIL_LAST - GBK_TRAIL_FIRST + 1)

/* The code point of lead, trail (0: not a character). */
extern const unsigned short gbk_to_unicode[GBK_LEAD_COUNT][GBK_TRAIL_COUNT];

struct gbk_initial {
	unsigned short cp; /* a first-level GB2312 character, in Unicode */
	char initial;      /* its pinyin initial, a-z */
};
/* Sorted by cp. */
extern const struct gbk_initial gbk_initials[];
extern const unsigned gbk_initial_count;

#endif
