/* ui_edit.h - a one-line text editor for a field: wide characters, a cursor in the right
 * column over double-width characters, and hard bounds on characters (and so bytes). */
#ifndef TIANBAO_UI_EDIT_H
#define TIANBAO_UI_EDIT_H

#include <stdbool.h>
#include <wchar.h>

#include "ui/ui.h"

struct line_edit {
	wchar_t *buf;
	int len, max;     /* characters held, and the most it may hold */
	int cursor;       /* index of the character the cursor is before */
	int scroll;       /* first character shown */
	bool changed;     /* edited since edit_set */
	bool selected;    /* the text edit_set put is selected: a typed character replaces it */
};

void edit_init(struct line_edit *ed, int max_chars);
void edit_free(struct line_edit *ed);
/* Replaces the text (cut to max characters) and puts the cursor at its end, the text
 * selected as in a spreadsheet's cell: the first character typed replaces it, while an
 * arrow, Home, End, Backspace or Delete keeps it to be edited in place. */
void edit_set(struct line_edit *ed, const char *utf8);
/* The text as UTF-8 (malloc'd). */
char *edit_text(const struct line_edit *ed);
/* Handles editing keys (characters, arrows, Home/End, Backspace, Delete); true when the
 * key was one of them. A character beyond the limit is refused (returns true, *full set). */
bool edit_key(struct line_edit *ed, struct key_event ev, bool *full);
/* Draws the visible part in `width` columns; returns the screen column of the cursor. */
int edit_draw(struct line_edit *ed, int row, int col, int width, enum ui_style style);

#endif
