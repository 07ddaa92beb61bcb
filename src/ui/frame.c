/* frame.c - the one loop every screen runs in (see frame.h). */
#include "ui/frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/file.h"
#include "lib/i18n.h"
#include "lib/str.h"
#include "lib/text.h"
#include "ui/tour.h"

/* The names of the screens open, bottom first: the tour starts at the one on top. */
#define FRAME_DEPTH 16
static const char *open_names[FRAME_DEPTH];
static int depth;

/* What a key of the frame did, shown on the message line until the next key. */
static char note[640];
static enum ui_style note_style;

void frame_close(struct screen *s, int result)
{
	s->done = true;
	s->result = result;
}

/* Draws the screen whole: the frame clears, the screen draws, the frame adds the bar,
 * its own message and the tour's panel below the bar. */
static void draw(struct screen *s)
{
	int y, x;

	ui_clear();
	ui_cursor(0, 0, false);
	s->draw(s);
	ui_cursor_where(&y, &x);
	ui_keybar(s->ui, s->offers);
	if (note[0])
		ui_message(s->ui, note_style, note);
	if (tour_active())
		tour_draw(s->ui->rows + TOUR_ROWS, s->ui->cols);
	ui_cursor_back(y, x);
	ui_refresh();
}

/* A new file only the user may read (the screen shows names and figures; /tmp is shared).
 * 0, 1 when the name exists, -1. */
static int write_private(const char *path, const char *text)
{
	struct atomic_file af;

	if (atomic_open(&af, path, NULL, ATOMIC_NEW) != 0)
		return -1;
	if (fchmod(af.fd, 0600) != 0 || write_all(af.fd, text, strlen(text)) != 0) {
		atomic_abort(&af);
		return -1;
	}
	return atomic_commit(&af);
}

/* The screen as it is now, as text into a file of the home folder (else /tmp), for a
 * handout or a report of a problem; the message says where. */
static void save_screen(void)
{
	const char *home = getenv("HOME");
	struct strbuf text;
	char path[1024], stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc = -1;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	sb_init(&text);
	ui_screen_text(&text);
	for (int d = 0; d < 2 && rc != 0; d++) {
		const char *dir = d == 0 ? home : "/tmp";

		if (!dir || !*dir)
			continue;
		/* Never over another file: a second one in the same second gets "-2". */
		for (int n = 1; n < 100; n++) {
			if (n == 1)
				snprintf(path, sizeof path, "%s/tianbao-screen-%s.txt", dir, stamp);
			else
				snprintf(path, sizeof path, "%s/tianbao-screen-%s-%d.txt", dir, stamp, n);
			rc = write_private(path, sb_str(&text));
			if (rc != 1)
				break;
		}
	}
	note_style = rc == 0 ? ST_OK : ST_WARNING;
	if (rc == 0) {
		struct strbuf shown;

		/* A long folder is cut by columns, never inside a character. */
		sb_init(&shown);
		text_crop(&shown, path, 200);
		snprintf(note, sizeof note, _("This screen is saved as text: %s"), sb_str(&shown));
		sb_free(&shown);
	} else {
		snprintf(note, sizeof note, "%s", _("The screen could not be saved as text: neither the home folder nor /tmp can be written."));
	}
	sb_free(&text);
}

/* A key every screen takes; true when it was one. The screen is laid out again by the
 * loop when it must: the tour changes the rows a screen has, F7 the language. */
static bool frame_key(enum key k, bool small)
{
	note_style = ST_OK;
	switch (k) {
	case K_LANG:
		i18n_set_chinese(!i18n_is_chinese());
		snprintf(note, sizeof note, "%s", i18n_is_chinese() ? _("Language: Chinese (F7 again for English).")
								   : _("Language: English (F7 again for Chinese)."));
		return true;
	case K_THEME:
		ui_set_contrast(!ui_contrast());
		snprintf(note, sizeof note, "%s", ui_contrast() ? _("High contrast: on (F8 again for colours).")
								: _("High contrast: off (F8 again for it)."));
		return true;
	case K_TOUR:
		if (tour_active()) {
			tour_next();
		} else {
			const char *at = NULL;

			for (int i = (depth < FRAME_DEPTH ? depth : FRAME_DEPTH) - 1; i >= 0 && !at; i--)
				at = open_names[i];
			tour_start(at);
		}
		if (!tour_active())
			snprintf(note, sizeof note, "%s", _("The tour is over. F9 shows it again."));
		return true;
	case K_TOUR_END:
		if (tour_active()) {
			tour_end();
			snprintf(note, sizeof note, "%s", _("The tour is over. F9 shows it again."));
		}
		return true;
	case K_SNAPSHOT:
		if (!small)
			save_screen();
		return true;
	default:
		return false;
	}
}

int frame_run(struct ui *ui, struct screen *s)
{
	int rows = -1, cols = -1, lang = i18n_generation();
	bool dirty = true, small = false;

	s->ui = ui;
	s->done = false;
	if (depth < FRAME_DEPTH)
		open_names[depth] = s->name;
	depth++;
	tour_screen_opened(s->name);
	while (!s->done) {
		struct key_event ev;

		if (ui_quit_requested()) {
			if (s->leave)
				s->leave(s);
			break;
		}
		if (dirty) {
			small = !ui_size_ok(ui);
			/* The tour's panel takes the last rows, under the key bar. */
			if (!small && tour_active())
				ui->rows -= TOUR_ROWS;
			if (small) {
				ui_too_small(ui);
			} else {
				/* Laid out again for a new size, or a language switched on any screen. */
				if (ui->rows != rows || ui->cols != cols || lang != i18n_generation()) {
					lang = i18n_generation();
					rows = ui->rows;
					cols = ui->cols;
					if (s->layout)
						s->layout(s);
				}
				draw(s);
			}
			dirty = false;
		}
		ev = ui_read_key();
		if (ev.key != K_NONE && ev.key != K_RESIZE)
			note[0] = '\0';
		if (frame_key(ev.key, small)) {
			dirty = true;
			continue;
		}
		switch (ev.key) {
		case K_NONE:
			/* Idle (the timeout is there so signals are noticed): nothing changed. */
			break;
		case K_RESIZE:
			dirty = true;
			break;
		case K_REDRAW:
			ui_force_redraw();
			dirty = true;
			break;
		case K_QUIT:
			ui_request_quit();
			break;
		case K_BACK:
			/* Too small, the screen to go back from cannot be seen: Esc leaves, as the
			 * window says (saving what is being typed when it is valid). */
			if (small) {
				ui_request_quit();
				break;
			}
			s->key(s, ev);
			dirty = true;
			break;
		default:
			/* Other keys do nothing while the window is too small (what was typed stays). */
			if (!small) {
				s->key(s, ev);
				dirty = true;
			}
			break;
		}
	}
	depth--;
	return s->result;
}
