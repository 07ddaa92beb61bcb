/* ui.c - curses lifecycle, keys read and mapped (keys.c), drawing by display columns. */
#include "ui/ui.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "lib/i18n.h"
#include "lib/text.h"
#include "lib/mem.h"
#include "lib/str.h"

static volatile sig_atomic_t quit_signal;
static bool quit_key;
static bool curses_on;
static bool has_color;        /* the terminal has colours and NO_COLOR is not set */
static bool contrast;         /* the high-contrast theme */
static attr_t style_attr[ST_COUNT];

static void on_signal(int sig)
{
	quit_signal = sig;
}

bool ui_quit_requested(void)
{
	return quit_signal != 0 || quit_key;
}

void ui_request_quit(void)
{
	quit_key = true;
}

static void end_curses(void)
{
	if (curses_on) {
		curs_set(1);
		endwin();
		curses_on = false;
	}
}

static void setup_styles(void)
{
	if (!has_color || contrast) {
		/* Monochrome (TERM=vt100, NO_COLOR) and the high-contrast theme: meaning by
		 * attributes only, in the terminal's own two colours, so it reads in black and
		 * white, on a white background and on a projector (no yellow, cyan or dim). */
		style_attr[ST_NORMAL] = A_NORMAL;
		style_attr[ST_TITLE] = A_REVERSE | A_BOLD;
		style_attr[ST_HEADING] = A_BOLD | A_UNDERLINE;
		style_attr[ST_INPUT] = A_UNDERLINE;
		style_attr[ST_INPUT_ACTIVE] = A_REVERSE;
		style_attr[ST_COMPUTED] = A_BOLD;
		/* Never reverse: reverse is the selected line, which must stand out among errors. */
		style_attr[ST_ERROR] = A_BOLD | A_UNDERLINE;
		style_attr[ST_WARNING] = A_UNDERLINE;
		style_attr[ST_OK] = A_NORMAL;
		style_attr[ST_DIM] = A_NORMAL;
		style_attr[ST_KEYBAR] = A_REVERSE;
		style_attr[ST_KEYNAME] = A_NORMAL | A_BOLD;
		style_attr[ST_SELECTED] = A_REVERSE | A_BOLD;
		return;
	}
	style_attr[ST_NORMAL] = A_NORMAL;
	style_attr[ST_TITLE] = COLOR_PAIR(1) | A_BOLD;
	style_attr[ST_HEADING] = COLOR_PAIR(2) | A_BOLD;
	style_attr[ST_INPUT] = COLOR_PAIR(3);
	style_attr[ST_INPUT_ACTIVE] = COLOR_PAIR(4) | A_BOLD;
	style_attr[ST_COMPUTED] = COLOR_PAIR(2);
	style_attr[ST_ERROR] = COLOR_PAIR(5) | A_BOLD;
	style_attr[ST_WARNING] = COLOR_PAIR(6) | A_BOLD;
	style_attr[ST_OK] = COLOR_PAIR(7);
	style_attr[ST_DIM] = A_DIM;
	style_attr[ST_KEYBAR] = COLOR_PAIR(8);
	style_attr[ST_KEYNAME] = COLOR_PAIR(9) | A_BOLD;
	style_attr[ST_SELECTED] = A_REVERSE;
}

/* The keys today's terminal emulators send whatever TERM says (TERM=vt100 in a desktop
 * terminal: F5 is ESC [ 1 5 ~, which vt100's entry does not know, so "5~" was typed
 * into the field). Each sequence the terminal's entry leaves undefined becomes its key. */
static void define_missing_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} keys[] = {
		{ "\033OP", KEY_F(1) },    { "\033OQ", KEY_F(2) },    { "\033OR", KEY_F(3) },
		{ "\033OS", KEY_F(4) },    { "\033[11~", KEY_F(1) },  { "\033[12~", KEY_F(2) },
		{ "\033[13~", KEY_F(3) },  { "\033[14~", KEY_F(4) },  { "\033[15~", KEY_F(5) },
		{ "\033[17~", KEY_F(6) },  { "\033[18~", KEY_F(7) },  { "\033[19~", KEY_F(8) },
		{ "\033[20~", KEY_F(9) },  { "\033[21~", KEY_F(10) }, { "\033[23~", KEY_F(11) },
		{ "\033[24~", KEY_F(12) }, { "\033[A", KEY_UP },      { "\033[B", KEY_DOWN },
		{ "\033[C", KEY_RIGHT },   { "\033[D", KEY_LEFT },    { "\033OA", KEY_UP },
		{ "\033OB", KEY_DOWN },    { "\033OC", KEY_RIGHT },   { "\033OD", KEY_LEFT },
		{ "\033[H", KEY_HOME },    { "\033[F", KEY_END },     { "\033OH", KEY_HOME },
		{ "\033OF", KEY_END },     { "\033[1~", KEY_HOME },   { "\033[4~", KEY_END },
		{ "\033[2~", KEY_IC },     { "\033[3~", KEY_DC },     { "\033[5~", KEY_PPAGE },
		{ "\033[6~", KEY_NPAGE },  { "\033[Z", KEY_BTAB },
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (key_defined(keys[i].seq) == 0)
			define_key(keys[i].seq, keys[i].key);
}

int ui_begin(void)
{
	struct sigaction sa;
	SCREEN *scr;

	if (!i18n_user_locale_utf8()) {
		/* The locale names another character set (GB18030...), so the terminal is set
		 * up for it: Chinese drawn in UTF-8 would be garbage. Say so instead. */
		fprintf(stderr, _("tianbao shows its screens in UTF-8, but this terminal's locale (%s) uses another character set. Start it with:\n  %s\n"),
			i18n_user_ctype(), i18n_utf8_command());
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s\n", _("tianbao: the data-entry screens need a terminal; use the commands (tianbao --help) in scripts"));
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, _("tianbao: cannot use the terminal type '%s'; try TERM=xterm or TERM=linux\n"),
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	curses_on = true;
	mem_set_fatal_hook(end_curses);
	{
		/* A terminal without cursor addressing (TERM=dumb) would show only a key bar. */
		char cup[] = "cup";
		const char *seq = tigetstr(cup);

		if (!seq || seq == (char *)-1) {
			end_curses();
			fprintf(stderr, _("tianbao: the terminal type '%s' cannot draw screens; try TERM=xterm or TERM=linux\n"),
				getenv("TERM") ? getenv("TERM") : "");
			return -1;
		}
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	define_missing_keys();
	set_escdelay(60);
	timeout(500);
	curs_set(0);
	has_color = has_colors() && !getenv("NO_COLOR");
	if (has_color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);
		init_pair(2, COLOR_CYAN, -1);
		init_pair(3, COLOR_BLACK, COLOR_WHITE);
		init_pair(4, COLOR_BLACK, COLOR_YELLOW);
		init_pair(5, COLOR_RED, -1);
		init_pair(6, COLOR_YELLOW, -1);
		init_pair(7, COLOR_GREEN, -1);
		init_pair(8, COLOR_BLACK, COLOR_CYAN);
		init_pair(9, COLOR_WHITE, COLOR_BLACK);
	}
	setup_styles();
	return 0;
}

void ui_set_contrast(bool on)
{
	contrast = on;
	if (curses_on)
		setup_styles();
}

bool ui_contrast(void)
{
	return contrast;
}

void ui_screen_text(struct strbuf *out)
{
	int y, x;

	getyx(stdscr, y, x);
	for (int r = 0; r < LINES; r++) {
		size_t start = out->len;

		for (int c = 0; c < COLS;) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t a;
			short pair;
			char u[4];
			int w = 1;

			if (mvin_wch(r, c, &cc) == ERR || getcchar(&cc, wch, &a, &pair, NULL) == ERR || !wch[0]) {
				sb_addc(out, ' ');
				c++;
				continue;
			}
			for (int i = 0; wch[i]; i++) {
				int k = utf8_encode(wch[i], u);

				if (k > 0)
					sb_addn(out, u, (size_t)k);
			}
			/* A wide character fills two cells; the second holds nothing of its own. */
			if (char_width(wch[0]) > 1)
				w = char_width(wch[0]);
			c += w;
		}
		while (out->len > start && out->buf[out->len - 1] == ' ')
			out->len--;
		sb_addc(out, '\n');
	}
	move(y, x);
}

void ui_end(void)
{
	end_curses();
}

/* One key, UTF-8 decoded here rather than by get_wch: on a byte that cannot start or
 * continue a character (a GBK input method, an 8-bit Alt key), get_wch keeps collecting
 * up to 15 more bytes, so the keys typed next (Tab, Esc, digits) were swallowed. Here a
 * bad byte is dropped alone, and the byte that broke a sequence is read again as a key.
 * Returns ERR, KEY_CODE_YES with a curses key code, or OK with a character. */
static int read_wch(wint_t *wch)
{
	char buf[4];
	int c = getch(), len;
	wchar_t wc;

	if (c == ERR)
		return ERR;
	if (c >= KEY_MIN) {
		*wch = (wint_t)c;
		return KEY_CODE_YES;
	}
	if (c < 0x80) {
		*wch = (wint_t)c;
		return OK;
	}
	len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (len == 0)
		return ERR;
	buf[0] = (char)c;
	for (int i = 1; i < len; i++) {
		c = getch();
		if (c == ERR)
			return ERR;
		if (c < 0x80 || c > 0xBF) {
			ungetch(c);
			return ERR;
		}
		buf[i] = (char)c;
	}
	if (utf8_decode(buf, (size_t)len, &wc) != len)
		return ERR;
	*wch = (wint_t)wc;
	return OK;
}

struct key_event ui_read_key(void)
{
	struct key_event ev = { K_NONE, 0 };
	wint_t wch;
	int rc;

	if (ui_quit_requested()) {
		ev.key = K_QUIT;
		return ev;
	}
	rc = read_wch(&wch);
	if (rc == ERR) {
		ev.key = quit_signal ? K_QUIT : K_NONE;
		return ev;
	}
	/* Curses codes and control characters mean what the key table says (keys.c). */
	if (rc == KEY_CODE_YES || wch < 0x20 || wch == 0x7f) {
		ev.key = keys_map((int)wch);
		return ev;
	}
	if (!(wch >= 0x80 && wch < 0xa0)) {
		ev.key = K_CHAR;
		ev.ch = (wchar_t)wch;
	}
	return ev;
}

bool ui_size_ok(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	return ui->rows >= UI_MIN_ROWS && ui->cols >= UI_MIN_COLS;
}

void ui_too_small(const struct ui *ui)
{
	char buf[256];

	erase();
	snprintf(buf, sizeof buf, _("The window is too small: %dx%d."), ui->cols, ui->rows);
	ui_put(ui->rows / 2 - 2, 1, ui->cols - 1, buf, ST_WARNING);
	snprintf(buf, sizeof buf, _("tianbao needs at least %dx%d."), UI_MIN_COLS, UI_MIN_ROWS);
	ui_put(ui->rows / 2 - 1, 1, ui->cols - 1, buf, ST_WARNING);
	ui_put(ui->rows / 2 + 1, 1, ui->cols - 1, _("Make it larger; nothing typed is lost."), ST_NORMAL);
	ui_put(ui->rows / 2 + 2, 1, ui->cols - 1, _("Esc: leave tianbao (a value being typed is saved when it is valid)."),
	       ST_NORMAL);
	curs_set(0);
	refresh();
}

void ui_clear(void)
{
	erase();
}

void ui_force_redraw(void)
{
	clearok(stdscr, TRUE);
}

/* Text made safe to draw: control characters and invalid bytes become '?'. */
static void sanitize(const char *text, struct strbuf *out)
{
	size_t n = strlen(text), i = 0;
	wchar_t wc;

	while (i < n) {
		int k = utf8_decode(text + i, n - i, &wc);

		if (k < 0 || wc < 0x20 || (wc >= 0x7f && wc < 0xa0)) {
			sb_addc(out, '?');
			i += k < 0 ? 1 : (size_t)k;
			continue;
		}
		sb_addn(out, text + i, (size_t)k);
		i += (size_t)k;
	}
}

static int put_aligned(int row, int col, int width, const char *text, enum ui_style style, bool right)
{
	struct strbuf clean, out;
	int used;

	if (row < 0 || col < 0 || row >= LINES || col >= COLS)
		return 0;
	if (width < 0 || col + width > COLS)
		width = width < 0 ? COLS - col : COLS - col;
	sb_init(&clean);
	sb_init(&out);
	sanitize(text, &clean);
	if (right)
		text_pad_left(&out, sb_str(&clean), width);
	else
		text_pad(&out, sb_str(&clean), width);
	used = text_width(sb_str(&out));
	attrset(style_attr[style]);
	mvaddstr(row, col, sb_str(&out));
	attrset(A_NORMAL);
	sb_free(&clean);
	sb_free(&out);
	return used;
}

int ui_put(int row, int col, int width, const char *text, enum ui_style style)
{
	if (width < 0) {
		struct strbuf clean;
		int w;

		sb_init(&clean);
		sanitize(text, &clean);
		w = text_width(sb_str(&clean));
		sb_free(&clean);
		if (col + w > COLS)
			w = COLS - col;
		return put_aligned(row, col, w, text, style, false);
	}
	return put_aligned(row, col, width, text, style, false);
}

int ui_put_right(int row, int col, int width, const char *text, enum ui_style style)
{
	return put_aligned(row, col, width, text, style, true);
}

void ui_fill(int row, enum ui_style style)
{
	put_aligned(row, 0, COLS, "", style, false);
}

void ui_title(const struct ui *ui, const char *left, const char *right)
{
	int rw = right ? text_width(right) : 0;

	ui_fill(0, ST_TITLE);
	if (rw > ui->cols / 2)
		rw = ui->cols / 2;
	ui_put(0, 1, ui->cols - rw - 3, left, ST_TITLE);
	if (right)
		ui_put_right(0, ui->cols - rw - 1, rw, right, ST_TITLE);
}

void ui_keybar(const struct ui *ui, const struct offer *offers)
{
	struct bar_layout bar;
	int col = 0, y, x;

	getyx(stdscr, y, x);
	keys_bar_layout(offers, ui->cols, &bar);
	ui_fill(ui->rows - 1, ST_KEYBAR);
	for (int i = 0; i < bar.n; i++) {
		/* Key, space, action; the gap after it only between entries. */
		col += ui_put(ui->rows - 1, col, -1, bar.name[i], ST_KEYNAME) + 1;
		col += ui_put(ui->rows - 1, col, -1, bar.label[i], ST_KEYBAR);
		col += bar.gap;
	}
	move(y, x);
}

void ui_message(const struct ui *ui, enum ui_style style, const char *text)
{
	put_aligned(ui->rows - 2, 0, ui->cols, "", ST_NORMAL, false);
	ui_put(ui->rows - 2, 1, ui->cols - 2, text ? text : "", style);
}

void ui_cursor(int row, int col, bool visible)
{
	if (visible) {
		move(row, col);
		curs_set(1);
	} else {
		curs_set(0);
	}
}

void ui_cursor_where(int *row, int *col)
{
	getyx(stdscr, *row, *col);
}

void ui_cursor_back(int row, int col)
{
	move(row, col);
}

void ui_refresh(void)
{
	refresh();
}

bool ui_list_move(int *sel, int n, int page, struct key_event ev)
{
	switch (ev.key) {
	case K_UP: case K_BTAB: if (*sel > 0) (*sel)--; break;
	case K_DOWN: case K_TAB: if (*sel < n - 1) (*sel)++; break;
	case K_PGUP: *sel = *sel > page ? *sel - page : 0; break;
	case K_PGDN: *sel = *sel + page < n ? *sel + page : n - 1; break;
	case K_HOME: *sel = 0; break;
	case K_END: *sel = n - 1; break;
	default: return false;
	}
	if (*sel < 0)
		*sel = 0;
	return true;
}

void ui_list_clamp(int *sel, int *top, int n, int page)
{
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	if (*sel < *top)
		*top = *sel;
	if (*sel >= *top + page)
		*top = *sel - page + 1;
}
