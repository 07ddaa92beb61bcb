/* tour.c - the guided tour (see tour.h): its steps and its panel. */
#include "ui/tour.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/i18n.h"
#include "lib/str.h"
#include "lib/text.h"
#include "ui/keys.h"
#include "ui/ui.h"

struct tour_step {
	const char *screen;     /* the screen the step is about, or NULL */
	const char *text;       /* N_() */
};

/* At most ten steps, each short enough for two lines of 80 columns in Chinese. */
static const struct tour_step steps[] = {
	{ "start", N_("Welcome! This is the start screen: your unit and the report period. Press Enter to see the unit's forms.") },
	{ "forms", N_("The list of forms, with what is filled in and how many problems. Choose a form and press Enter.") },
	{ "form", N_("Type the figure and press Tab, Enter or ↓ for the next field. A value is saved as soon as you leave its field.") },
	{ NULL, N_("Mistyped? Typing replaces the old value; Ctrl-U empties the field; Esc brings the old value back.") },
	{ NULL, N_("A figure that looks odd gets a warning at the bottom (\"please check\"): keep it if it is right, else correct it.") },
	{ NULL, N_("F1 explains the field: what to enter, in what form, and where the target comes from. Esc comes back.") },
	{ NULL, N_("Something to explain about a figure? F11 or Ctrl-D writes a short comment on it, which travels with it to the township.") },
	{ "review", N_("F2 reviews the form. Enter goes to a problem; with no errors left, F2 again marks the form complete.") },
	{ NULL, N_("Back on the list of forms (Esc), insert the USB stick and press F3: choose the stick, then the period.") },
	{ NULL, N_("tianbao says where it wrote the file. Take the stick to the township. The tour ends here: F1 helps on every screen.") },
};

#define NSTEPS ((int)(sizeof steps / sizeof steps[0]))

static int step = -1;   /* -1: no tour */

int tour_steps(void)
{
	return NSTEPS;
}

bool tour_active(void)
{
	return step >= 0;
}

void tour_start(const char *at)
{
	step = 0;
	for (int i = 0; at && i < NSTEPS; i++)
		if (steps[i].screen && strcmp(steps[i].screen, at) == 0) {
			step = i;
			break;
		}
}

void tour_next(void)
{
	if (step >= 0 && ++step >= NSTEPS)
		step = -1;
}

void tour_end(void)
{
	step = -1;
}

void tour_screen_opened(const char *name)
{
	if (step >= 0 && name && step + 1 < NSTEPS && steps[step + 1].screen &&
	    strcmp(steps[step + 1].screen, name) == 0)
		step++;
}

void tour_draw(int rows, int cols)
{
	struct strbuf sb, keys;
	char head[64], **lines = NULL;
	int top = rows - TOUR_ROWS, n, hw;

	if (step < 0 || top < 0)
		return;
	snprintf(head, sizeof head, _("Tour %d/%d"), step + 1, NSTEPS);
	hw = ui_put(top, 0, -1, head, ST_TITLE);
	/* The text in two lines beside the heading, cut with "…" if a translation is long. */
	n = text_wrap(_(steps[step].text), cols - hw - 2, &lines);
	for (int i = 0; i < 2; i++)
		ui_put(top + i, hw + 1, cols - hw - 1, i < n ? lines[i] : "", ST_NORMAL);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (n > 2)
		ui_put(top + 1, cols - 1, 1, "…", ST_NORMAL);
	sb_init(&sb);
	sb_init(&keys);
	keys_bar_name(ACT_TOUR, &keys);
	sb_addf(&sb, step + 1 < NSTEPS ? _("%s next step") : _("%s end the tour"), sb_str(&keys));
	sb_reset(&keys);
	keys_bar_name(ACT_TOUR_END, &keys);
	sb_addf(&sb, _("   %s leave the tour"), sb_str(&keys));
	ui_fill(top + 2, ST_KEYBAR);
	ui_put(top + 2, 0, cols, sb_str(&sb), ST_KEYBAR);
	sb_free(&keys);
	sb_free(&sb);
}
