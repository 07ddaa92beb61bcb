/* frame.c - the one loop every screen runs in (see frame.h). */
#include "ui/frame.h"

void frame_close(struct screen *s, int result)
{
	s->done = true;
	s->result = result;
}

/* Draws the screen whole: the frame clears, the screen draws, the frame adds the bar. */
static void draw(struct screen *s)
{
	ui_clear();
	ui_cursor(0, 0, false);
	s->draw(s);
	ui_keybar(s->ui, s->offers);
	ui_refresh();
}

int frame_run(struct ui *ui, struct screen *s)
{
	int rows = -1, cols = -1;
	bool dirty = true, small = false;

	s->ui = ui;
	s->done = false;
	while (!s->done) {
		struct key_event ev;

		if (ui_quit_requested()) {
			if (s->leave)
				s->leave(s);
			break;
		}
		if (dirty) {
			small = !ui_size_ok(ui);
			if (small) {
				ui_too_small(ui);
			} else {
				if (ui->rows != rows || ui->cols != cols) {
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
	return s->result;
}
