/* ui_edit.c - the one-line field editor. */
#include "ui/ui_edit.h"

#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "lib/mem.h"
#include "lib/str.h"

void edit_init(struct line_edit *ed, int max_chars)
{
	memset(ed, 0, sizeof *ed);
	ed->max = max_chars > 0 ? max_chars : 1;
	ed->buf = xcalloc((size_t)ed->max + 1, sizeof *ed->buf);
}

void edit_free(struct line_edit *ed)
{
	free(ed->buf);
	memset(ed, 0, sizeof *ed);
}

void edit_set(struct line_edit *ed, const char *utf8)
{
	size_t n = utf8 ? strlen(utf8) : 0, i = 0;

	ed->len = 0;
	while (i < n && ed->len < ed->max) {
		wchar_t wc;
		int k = utf8_decode(utf8 + i, n - i, &wc);

		if (k < 0) {
			wc = 0xFFFD;
			k = 1;
		}
		ed->buf[ed->len++] = wc;
		i += (size_t)k;
	}
	ed->buf[ed->len] = 0;
	ed->cursor = ed->len;
	ed->scroll = 0;
	ed->changed = false;
	ed->selected = ed->len > 0;
}

char *edit_text(const struct line_edit *ed)
{
	struct strbuf sb;
	char enc[4];

	sb_init(&sb);
	for (int i = 0; i < ed->len; i++)
		sb_addn(&sb, enc, (size_t)utf8_encode(ed->buf[i], enc));
	return sb_take(&sb);
}

bool edit_key(struct line_edit *ed, struct key_event ev, bool *full)
{
	bool selected = ed->selected;

	*full = false;
	if (ev.key != K_CHAR && ev.key != K_CLEAR && ev.key != K_LEFT && ev.key != K_RIGHT && ev.key != K_HOME &&
	    ev.key != K_END && ev.key != K_BACKSPACE && ev.key != K_DELETE)
		return false;
	ed->selected = false;
	switch (ev.key) {
	case K_CHAR:
		if (selected)
			ed->len = ed->cursor = 0;
		if (ed->len >= ed->max) {
			*full = true;
			return true;
		}
		memmove(ed->buf + ed->cursor + 1, ed->buf + ed->cursor, (size_t)(ed->len - ed->cursor) * sizeof *ed->buf);
		ed->buf[ed->cursor++] = ev.ch;
		ed->buf[++ed->len] = 0;
		break;
	case K_LEFT:
		if (ed->cursor > 0)
			ed->cursor--;
		return true;
	case K_RIGHT:
		if (ed->cursor < ed->len)
			ed->cursor++;
		return true;
	case K_HOME:
		ed->cursor = 0;
		return true;
	case K_END:
		ed->cursor = ed->len;
		return true;
	case K_BACKSPACE:
		if (ed->cursor == 0)
			return true;
		ed->cursor--;
		/* fall through */
	case K_DELETE:
		if (ed->cursor >= ed->len)
			return true;
		memmove(ed->buf + ed->cursor, ed->buf + ed->cursor + 1, (size_t)(ed->len - ed->cursor) * sizeof *ed->buf);
		ed->len--;
		break;
	case K_CLEAR:
		if (ed->len == 0)
			return true;
		ed->len = ed->cursor = 0;
		ed->buf[0] = 0;
		break;
	default:
		return false;
	}
	ed->changed = true;
	return true;
}

int edit_draw(struct line_edit *ed, int row, int col, int width, enum ui_style style)
{
	struct strbuf sb;
	char enc[4];
	int used = 0, cursor_col = col;

	if (width < 2)
		width = 2;
	/* Scroll so the cursor has a column of its own inside the box. */
	if (ed->cursor < ed->scroll)
		ed->scroll = ed->cursor;
	for (;;) {
		int w = 0;

		for (int i = ed->scroll; i < ed->cursor; i++)
			w += char_width(ed->buf[i]);
		if (w <= width - 1 || ed->scroll >= ed->cursor)
			break;
		ed->scroll++;
	}
	sb_init(&sb);
	for (int i = ed->scroll; i < ed->len; i++) {
		int w = char_width(ed->buf[i]);

		if (used + w > width)
			break;
		if (i == ed->cursor)
			cursor_col = col + used;
		if (ed->buf[i] < 0x20)
			sb_addc(&sb, '?');
		else
			sb_addn(&sb, enc, (size_t)utf8_encode(ed->buf[i], enc));
		used += w;
	}
	if (ed->cursor >= ed->len || ed->cursor < ed->scroll)
		cursor_col = col + used;
	if (cursor_col >= col + width)
		cursor_col = col + width - 1;
	/* A selected value shows as selected: typing replaces it. */
	ui_put(row, col, width, sb_str(&sb), ed->selected && style == ST_INPUT_ACTIVE ? ST_SELECTED : style);
	sb_free(&sb);
	return cursor_col;
}
