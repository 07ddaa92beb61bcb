/* ui_prompt.h - a dialog that asks for one line of text (a folder). */
#ifndef TIANBAO_UI_PROMPT_H
#define TIANBAO_UI_PROMPT_H

#include "ui/ui.h"

/* Asks for one line of text: returns 0 with *out (malloc'd) on Enter, -1 when the user
 * goes back. why (may be NULL) is said on the message line: why it asks again. */
int ui_prompt(struct ui *ui, const char *title, const char *label, const char *why, const char *initial, int max_chars,
	      char **out);
/* Asks for a folder, starting from /media/, with Tab completing its name. */
int ui_prompt_folder(struct ui *ui, const char *title, const char *label, char **out);

#endif
