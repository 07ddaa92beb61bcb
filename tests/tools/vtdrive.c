/* vtdrive - runs a program in a pseudo-terminal under a real terminal emulator
 * (libvterm), types keys, and checks the screen, for the screens' end-to-end tests.
 *
 * Reads a script on stdin, one command per line; assertions print TAP lines
 * ("ok N - ..." / "not ok N - ...", with the screen as comments on failure):
 *
 *   env NAME=VALUE        for the program (before spawn); TERM defaults to xterm-256color
 *   size COLS ROWS        the terminal size (before spawn, or use resize)
 *   spawn PROG ARGS...    start the program (arguments split on spaces)
 *   wait TEXT             until TEXT is on screen (5 s), an assertion
 *   waitgone TEXT         until TEXT is no longer on screen (5 s), an assertion
 *   type TEXT             send the rest of the line as UTF-8, as an input method does
 *   key NAME [N]          Tab BTab Enter Up Down Left Right Home End PgUp PgDn BS Del Esc
 *                         F1..F12, C-a..C-z (Ctrl letters); N times
 *   raw BYTES             send bytes, with \e \r \n \t \xHH escapes (for other terminal types)
 *   sleep MS
 *   settle                wait until the screen has not changed for 150 ms
 *   resize COLS ROWS      change the size (the program gets SIGWINCH)
 *   garble ROW TEXT       write TEXT on the emulated screen at ROW, as another program
 *                         writing to the terminal would (the program does not know: its
 *                         redraw, Ctrl-L, is what makes the screen right again)
 *   expect TEXT / expect_not TEXT
 *   expect_at ROW COL TEXT   the screen at (ROW, COL) reads TEXT (columns are cells)
 *   expect_col TEXT COL      the first TEXT on screen starts at column COL
 *   expect_cursor_after TEXT the cursor is right after the first TEXT on screen
 *   expect_cursor ROW COL
 *   snapshot FILE         append FILE's current number of lines to FILE.marks
 *   time_until TEXT       print "# time_until: N ms" from spawn (or time_reset) until TEXT shows
 *   time_reset            measure the next time_until from now
 *   peak_rss              print "# peak_rss: N kB" (VmHWM) of the running program
 *   screen                print the screen as TAP comments
 *   save FILE             write the screen to FILE as text: a line per row, trailing blanks
 *                         dropped (what the program's own "screen as text" key writes)
 *   expect_colored yes|no some cell / no cell has a colour other than the terminal's own
 *   watch ROW FILE        from now on, append ROW's text (a negative ROW counts from the
 *                         bottom: -2 is the message line) to FILE each time it changes,
 *                         looked at after every piece of output the program writes: what
 *                         the screen showed, even for a moment (tests/tui/kills.sh)
 *   signal NAME           KILL TERM HUP INT to the program
 *   expect_exit [STATUS]  the program ends (5 s), with STATUS if given
 *   expect_term_restored  after exit: the terminal left the alternate screen, cursor shown
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

static VTerm *vt;
static VTermScreen *vs;
static int master = -1;
static pid_t child = -1;
static int rows = 24, cols = 80;
static int tap_n;
static int failures;
static bool exited;
static int exit_status = -1;
static bool cursor_visible = true;
static bool alt_screen;
static char *env_list[64];
static int nenv;
static long changes;
static long spawned_at;
static FILE *watch_file;
static int watch_row;
static char watch_last[4096];

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void to_child(const char *s, size_t len, void *user)
{
	(void)user;
	while (len > 0 && master >= 0) {
		ssize_t n = write(master, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static int on_damage(VTermRect r, void *user)
{
	(void)r;
	(void)user;
	changes++;
	return 1;
}

static int on_prop(VTermProp prop, VTermValue *val, void *user)
{
	(void)user;
	if (prop == VTERM_PROP_CURSORVISIBLE)
		cursor_visible = val->boolean;
	if (prop == VTERM_PROP_ALTSCREEN)
		alt_screen = val->boolean;
	changes++;
	return 1;
}

static int on_move(VTermPos pos, VTermPos old, int visible, void *user)
{
	(void)pos;
	(void)old;
	(void)visible;
	(void)user;
	changes++;
	return 1;
}

static void reap(void)
{
	int status;

	if (child > 0 && !exited && waitpid(child, &status, WNOHANG) == child) {
		exited = true;
		exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
}

static void watch_look(void);

/* Feeds the emulator whatever the program wrote, for up to ms milliseconds. */
static void pump(int ms)
{
	long end = now_ms() + ms;

	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		long left = end - now_ms();
		char buf[8192];
		ssize_t n;

		if (left < 0)
			left = 0;
		if (master < 0 || poll(&p, 1, (int)left) <= 0) {
			reap();
			return;
		}
		n = read(master, buf, sizeof buf);
		if (n <= 0) {
			reap();
			if (n < 0 && errno == EINTR)
				continue;
			/* EIO: the program closed the terminal. */
			close(master);
			master = -1;
			return;
		}
		vterm_input_write(vt, buf, (size_t)n);
		vterm_screen_flush_damage(vs);
		watch_look();
	}
}

static int encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	} else if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* One screen row as UTF-8, with the column where each byte's character starts. */
static void row_text(int r, char *out, int *colmap, size_t size)
{
	size_t o = 0;

	for (int c = 0; c < cols && o + 8 < size;) {
		VTermScreenCell cell;
		VTermPos pos = { r, c };
		char enc[4];
		int k;

		vterm_screen_get_cell(vs, pos, &cell);
		if (cell.chars[0] == 0 || cell.chars[0] == (uint32_t)-1) {
			colmap[o] = c;
			out[o++] = ' ';
			c++;
			continue;
		}
		k = encode(cell.chars[0], enc);
		for (int i = 0; i < k; i++) {
			colmap[o] = c;
			out[o++] = enc[i];
		}
		c += cell.width > 1 ? cell.width : 1;
	}
	colmap[o] = cols;
	out[o] = '\0';
}

/* Where text is on screen: row and column of its first character, or false. */
static bool find(const char *text, int *frow, int *fcol)
{
	static char line[4096];
	static int colmap[4096];

	for (int r = 0; r < rows; r++) {
		char *hit;

		row_text(r, line, colmap, sizeof line);
		hit = strstr(line, text);
		if (hit) {
			*frow = r;
			*fcol = colmap[hit - line];
			return true;
		}
	}
	return false;
}

/* The watched row, written to the watch file when it differs from what was written last
 * (trailing blanks dropped; a blank row is not written). */
static void watch_look(void)
{
	static char line[4096];
	static int colmap[4096];
	int r = watch_row < 0 ? rows + watch_row : watch_row;
	size_t n;

	if (!watch_file || r < 0 || r >= rows)
		return;
	row_text(r, line, colmap, sizeof line);
	n = strlen(line);
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	if (n == 0 || strcmp(line, watch_last) == 0)
		return;
	snprintf(watch_last, sizeof watch_last, "%s", line);
	fprintf(watch_file, "%s\n", line);
	fflush(watch_file);
}

/* One row's text without its trailing blanks (a static buffer). */
static const char *row_trimmed(int r)
{
	static char line[4096];
	static int colmap[4096];
	size_t n;

	row_text(r, line, colmap, sizeof line);
	n = strlen(line);
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	return line;
}

static void dump_screen(const char *prefix)
{
	VTermPos cur;

	vterm_state_get_cursorpos(vterm_obtain_state(vt), &cur);
	printf("%s screen %dx%d, cursor %d,%d%s:\n", prefix, cols, rows, cur.row, cur.col, cursor_visible ? "" : " (hidden)");
	for (int r = 0; r < rows; r++)
		printf("%s %02d|%s\n", prefix, r, row_trimmed(r));
}

/* The screen as text into a file, trailing blanks dropped. */
static int save_screen(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int r = 0; r < rows; r++)
		fprintf(f, "%s\n", row_trimmed(r));
	return fclose(f);
}

/* Whether any cell shows a colour of its own, foreground or background. */
static bool any_colored(void)
{
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			VTermScreenCell cell;
			VTermPos pos = { r, c };

			vterm_screen_get_cell(vs, pos, &cell);
			if (!VTERM_COLOR_IS_DEFAULT_FG(&cell.fg) || !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg))
				return true;
		}
	return false;
}

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", ok ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		failures++;
		dump_screen("#");
	}
	fflush(stdout);
}

/* A mistake in the script itself: said on stderr and counted as a failure, so that a
 * test whose script stops early cannot pass. */
static void script_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vtdrive: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	tap_n++;
	printf("not ok %d - the script is wrong: ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}

static void set_size(int c, int r)
{
	struct winsize ws = { (unsigned short)r, (unsigned short)c, 0, 0 };

	cols = c;
	rows = r;
	if (vt)
		vterm_set_size(vt, rows, cols);
	if (master >= 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

static void spawn(char *args)
{
	char *argv[64];
	int argc = 0;
	struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
	static VTermScreenCallbacks cbs;

	for (char *tok = strtok(args, " "); tok && argc < 63; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	vt = vterm_new(rows, cols);
	vterm_set_utf8(vt, 1);
	vterm_output_set_callback(vt, to_child, NULL);
	vs = vterm_obtain_screen(vt);
	cbs.damage = on_damage;
	cbs.settermprop = on_prop;
	cbs.movecursor = on_move;
	vterm_screen_set_callbacks(vs, &cbs, NULL);
	vterm_screen_enable_altscreen(vs, 1);
	vterm_screen_reset(vs, 1);
	spawned_at = now_ms();
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		exit(2);
	}
	if (child == 0) {
		setenv("TERM", "xterm-256color", 1);
		for (int i = 0; i < nenv; i++)
			putenv(env_list[i]);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
}

static void send_key(const char *name)
{
	static const struct { const char *name; VTermKey key; VTermModifier mod; } keys[] = {
		{ "Tab", VTERM_KEY_TAB, VTERM_MOD_NONE }, { "BTab", VTERM_KEY_TAB, VTERM_MOD_SHIFT },
		{ "Enter", VTERM_KEY_ENTER, VTERM_MOD_NONE }, { "Up", VTERM_KEY_UP, VTERM_MOD_NONE },
		{ "Down", VTERM_KEY_DOWN, VTERM_MOD_NONE }, { "Left", VTERM_KEY_LEFT, VTERM_MOD_NONE },
		{ "Right", VTERM_KEY_RIGHT, VTERM_MOD_NONE }, { "Home", VTERM_KEY_HOME, VTERM_MOD_NONE },
		{ "End", VTERM_KEY_END, VTERM_MOD_NONE }, { "PgUp", VTERM_KEY_PAGEUP, VTERM_MOD_NONE },
		{ "PgDn", VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE }, { "BS", VTERM_KEY_BACKSPACE, VTERM_MOD_NONE },
		{ "Del", VTERM_KEY_DEL, VTERM_MOD_NONE }, { "Esc", VTERM_KEY_ESCAPE, VTERM_MOD_NONE },
	};

	if (name[0] == 'F' && isdigit((unsigned char)name[1])) {
		vterm_keyboard_key(vt, VTERM_KEY_FUNCTION(atoi(name + 1)), VTERM_MOD_NONE);
		return;
	}
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
		char c = (char)(tolower((unsigned char)name[2]) - 'a' + 1);

		to_child(&c, 1, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(keys[i].name, name) == 0) {
			vterm_keyboard_key(vt, keys[i].key, keys[i].mod);
			return;
		}
	}
	script_error("unknown key %s", name);
	exit(2);
}

static void send_raw(const char *s)
{
	char out[1024];
	size_t o = 0;

	for (; *s && o < sizeof out; s++) {
		if (*s != '\\' || !s[1]) {
			out[o++] = *s;
			continue;
		}
		s++;
		switch (*s) {
		case 'e': out[o++] = 27; break;
		case 'r': out[o++] = '\r'; break;
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'x': {
			char hex[3] = { s[1], s[2], 0 };

			out[o++] = (char)strtol(hex, NULL, 16);
			s += 2;
			break;
		}
		default: out[o++] = *s; break;
		}
	}
	to_child(out, o, NULL);
}

/* Waits until the screen stops changing (the program has drawn what it will). */
static void settle(void)
{
	long last = -1, quiet_since = now_ms(), limit = now_ms() + 3000;

	/* Benchmarks time what follows a key: no waiting for quiet there. */
	if (getenv("VTDRIVE_NO_SETTLE"))
		return;

	while (now_ms() < limit) {
		pump(30);
		if (changes != last) {
			last = changes;
			quiet_since = now_ms();
		} else if (now_ms() - quiet_since >= 150) {
			return;
		}
	}
}

static bool wait_for(const char *text, bool present, int ms)
{
	long end = now_ms() + ms;
	int r, c;

	for (;;) {
		if (find(text, &r, &c) == present)
			return true;
		if (now_ms() >= end)
			return false;
		pump(5);
		/* The program has ended: what its last output did not bring never comes. */
		if (exited) {
			pump(50);
			return find(text, &r, &c) == present;
		}
	}
}

int main(void)
{
	char line[4096];
	int lineno = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	while (fgets(line, sizeof line, stdin)) {
		char *cmd = line, *arg;
		size_t n = strlen(line);

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		if (!*cmd || *cmd == '#')
			continue;
		arg = strchr(cmd, ' ');
		if (arg)
			*arg++ = '\0';
		else
			arg = cmd + strlen(cmd);
		if (strcmp(cmd, "env") == 0) {
			if (nenv < 63)
				env_list[nenv++] = strdup(arg);
		} else if (strcmp(cmd, "size") == 0) {
			int c, r;

			if (sscanf(arg, "%d %d", &c, &r) == 2)
				set_size(c, r);
		} else if (strcmp(cmd, "spawn") == 0) {
			spawn(arg);
			settle();
		} else if (!vt) {
			script_error("line %d: %s before spawn", lineno, cmd);
			return 2;
		} else if (strcmp(cmd, "wait") == 0) {
			tap(wait_for(arg, true, 5000), "screen shows \"%s\"", arg);
			settle();
		} else if (strcmp(cmd, "waitgone") == 0) {
			tap(wait_for(arg, false, 5000), "screen no longer shows \"%s\"", arg);
			settle();
		} else if (strcmp(cmd, "type") == 0) {
			to_child(arg, strlen(arg), NULL);
			settle();
		} else if (strcmp(cmd, "key") == 0) {
			char *count = strchr(arg, ' ');
			int times = 1;

			if (count) {
				*count++ = '\0';
				times = atoi(count);
			}
			for (int i = 0; i < times; i++) {
				send_key(arg);
				pump(getenv("VTDRIVE_NO_SETTLE") ? 0 : 20);
			}
			settle();
		} else if (strcmp(cmd, "raw") == 0) {
			send_raw(arg);
			settle();
		} else if (strcmp(cmd, "sleep") == 0) {
			pump(atoi(arg));
		} else if (strcmp(cmd, "settle") == 0) {
			settle();
		} else if (strcmp(cmd, "resize") == 0) {
			int c, r;

			if (sscanf(arg, "%d %d", &c, &r) == 2)
				set_size(c, r);
			settle();
		} else if (strcmp(cmd, "garble") == 0) {
			char *text = strchr(arg, ' '), seq[4200];
			VTermPos cur;
			int len;

			if (!text) {
				script_error("line %d: garble ROW TEXT", lineno);
				return 2;
			}
			*text++ = '\0';
			/* To the row, the text, the cursor back where it was (moved back rather than
			 * saved and restored: a saved cursor would come back with the terminal's
			 * exit sequence, and with it a hidden cursor). */
			vterm_state_get_cursorpos(vterm_obtain_state(vt), &cur);
			len = snprintf(seq, sizeof seq, "\033[%d;1H%s\033[%d;%dH", atoi(arg) + 1, text, cur.row + 1, cur.col + 1);
			if (len >= (int)sizeof seq)
				len = (int)sizeof seq - 1;
			vterm_input_write(vt, seq, (size_t)len);
			vterm_screen_flush_damage(vs);
		} else if (strcmp(cmd, "expect") == 0) {
			int r, c;

			tap(find(arg, &r, &c), "screen shows \"%s\"", arg);
		} else if (strcmp(cmd, "expect_not") == 0) {
			int r, c;

			tap(!find(arg, &r, &c), "screen does not show \"%s\"", arg);
		} else if (strcmp(cmd, "expect_at") == 0) {
			static char text[4096];
			static int colmap[4096];
			int r, c, off = 0;
			bool ok = false;

			if (sscanf(arg, "%d %d %n", &r, &c, &off) >= 2 && r >= 0 && r < rows) {
				row_text(r, text, colmap, sizeof text);
				for (int i = 0; text[i]; i++) {
					if (colmap[i] == c && (i == 0 || colmap[i - 1] != c)) {
						ok = strncmp(text + i, arg + off, strlen(arg + off)) == 0;
						break;
					}
				}
			}
			tap(ok, "at row %d column %d: \"%s\"", r, c, arg + off);
		} else if (strcmp(cmd, "expect_col") == 0) {
			char *sp = strrchr(arg, ' ');
			int r, c, want;

			if (!sp) {
				script_error("line %d: expect_col TEXT COL", lineno);
				return 2;
			}
			*sp = '\0';
			want = atoi(sp + 1);
			tap(find(arg, &r, &c) && c == want, "\"%s\" starts at column %d (found at %d)", arg, want,
			    find(arg, &r, &c) ? c : -1);
		} else if (strcmp(cmd, "expect_cursor_after") == 0) {
			VTermPos cur;
			int r, c;
			bool found = find(arg, &r, &c);
			int w = 0;

			for (const char *p = arg; *p;) {
				unsigned char b = (unsigned char)*p;
				int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;

				w += len >= 3 ? 2 : 1; /* CJK in tests: three-byte characters are wide */
				p += len;
			}
			vterm_state_get_cursorpos(vterm_obtain_state(vt), &cur);
			tap(found && cur.row == r && cur.col == c + w, "cursor right after \"%s\" (cursor %d,%d; text %d,%d+%d)",
			    arg, cur.row, cur.col, r, c, w);
		} else if (strcmp(cmd, "expect_cursor") == 0) {
			VTermPos cur;
			int r = -1, c = -1;

			sscanf(arg, "%d %d", &r, &c);
			vterm_state_get_cursorpos(vterm_obtain_state(vt), &cur);
			tap(cur.row == r && cur.col == c, "cursor at %d,%d (is %d,%d)", r, c, cur.row, cur.col);
		} else if (strcmp(cmd, "snapshot") == 0) {
			char marks[4200];
			FILE *f = fopen(arg, "r"), *m;
			long lines = 0;
			int ch;

			while (f && (ch = fgetc(f)) != EOF)
				lines += ch == '\n';
			if (f)
				fclose(f);
			snprintf(marks, sizeof marks, "%s.marks", arg);
			m = fopen(marks, "a");
			if (m) {
				fprintf(m, "%ld\n", lines);
				fclose(m);
			}
		} else if (strcmp(cmd, "time_until") == 0) {
			bool seen = wait_for(arg, true, 10000);

			printf("# time_until: %ld ms%s\n", now_ms() - spawned_at, seen ? "" : " (never seen)");
		} else if (strcmp(cmd, "time_reset") == 0) {
			spawned_at = now_ms();
		} else if (strcmp(cmd, "peak_rss") == 0) {
			char path[64], buf[256];
			FILE *f;

			snprintf(path, sizeof path, "/proc/%d/status", (int)child);
			f = fopen(path, "r");
			while (f && fgets(buf, sizeof buf, f))
				if (strncmp(buf, "VmHWM:", 6) == 0)
					printf("# peak_rss: %ld kB\n", atol(buf + 6));
			if (f)
				fclose(f);
		} else if (strcmp(cmd, "watch") == 0) {
			char *file = strchr(arg, ' ');

			if (!file) {
				script_error("line %d: watch ROW FILE", lineno);
				return 2;
			}
			*file++ = '\0';
			watch_row = atoi(arg);
			if (watch_file)
				fclose(watch_file);
			watch_file = fopen(file, "a");
			if (!watch_file) {
				perror(file);
				return 2;
			}
			watch_last[0] = '\0';
			watch_look();
		} else if (strcmp(cmd, "screen") == 0) {
			dump_screen("#");
		} else if (strcmp(cmd, "save") == 0) {
			if (save_screen(arg) != 0) {
				perror(arg);
				return 2;
			}
		} else if (strcmp(cmd, "expect_colored") == 0) {
			bool want = strcmp(arg, "yes") == 0;

			tap(any_colored() == want, "%s cell has a colour of its own", want ? "some" : "no");
		} else if (strcmp(cmd, "signal") == 0) {
			int sig = strcmp(arg, "KILL") == 0 ? SIGKILL : strcmp(arg, "TERM") == 0 ? SIGTERM
				  : strcmp(arg, "HUP") == 0 ? SIGHUP : SIGINT;

			if (child > 0)
				kill(child, sig);
			pump(50);
		} else if (strcmp(cmd, "expect_exit") == 0) {
			long end = now_ms() + 5000;

			while (!exited && now_ms() < end)
				pump(30);
			reap();
			if (*arg)
				tap(exited && exit_status == atoi(arg), "the program exits with status %s (status %d)", arg,
				    exit_status);
			else
				tap(exited, "the program exits (status %d)", exit_status);
		} else if (strcmp(cmd, "expect_term_restored") == 0) {
			tap(!alt_screen && cursor_visible, "the terminal is restored (alternate screen off, cursor shown)");
		} else {
			script_error("line %d: unknown command %s", lineno, cmd);
			return 2;
		}
	}
	if (child > 0 && !exited) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	if (vt)
		vterm_free(vt);
	return failures ? 1 : 0;
}
