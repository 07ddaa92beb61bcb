/* keys.c - the key table (see keys.h): keys, actions, their names and labels. */
#include "ui/keys.h"

#include <stdio.h>
#include <stdlib.h>

#include <curses.h>

#include "lib/i18n.h"
#include "lib/mem.h"
#include "lib/text.h"

/* A code that gives a key, and its names on a bar and in a sentence. A code without
 * names works but is not shown (Ctrl-N, Ctrl-P and Ctrl-A, for readline habits). */
struct key_code {
	int code;
	const char *bar, *name;
};

#define KEY_CODES_MAX 4

/* Every key, its codes in the order they are named: Esc/F10/^X. */
static const struct key_code key_codes[K_COUNT][KEY_CODES_MAX] = {
	[K_TAB] = { { '\t', "Tab", "Tab" } },
	[K_BTAB] = { { KEY_BTAB, "Shift-Tab", "Shift-Tab" } },
	[K_ENTER] = { { '\r', "Enter", "Enter" }, { '\n', NULL, NULL }, { KEY_ENTER, NULL, NULL } },
	[K_UP] = { { KEY_UP, "↑", "↑" }, { 16, NULL, NULL } },              /* Ctrl-P */
	[K_DOWN] = { { KEY_DOWN, "↓", "↓" }, { 14, NULL, NULL } },          /* Ctrl-N */
	[K_LEFT] = { { KEY_LEFT, "←", "←" } },
	[K_RIGHT] = { { KEY_RIGHT, "→", "→" } },
	[K_HOME] = { { KEY_HOME, "Home", "Home" }, { 1, NULL, NULL } },     /* Ctrl-A */
	[K_END] = { { KEY_END, "End", "End" } },
	[K_PGUP] = { { KEY_PPAGE, "PgUp", "PgUp" } },
	[K_PGDN] = { { KEY_NPAGE, "PgDn", "PgDn" } },
	[K_BACKSPACE] = { { KEY_BACKSPACE, "Backspace", "Backspace" }, { 127, NULL, NULL }, { 8, NULL, NULL } },
	[K_DELETE] = { { KEY_DC, "Delete", "Delete" } },
	[K_CLEAR] = { { 21, "^U", "Ctrl-U" } },
	[K_HELP] = { { KEY_F(1), "F1", "F1" }, { 7, "^G", "Ctrl-G" } },
	[K_REVIEW] = { { KEY_F(2), "F2", "F2" }, { 18, "^R", "Ctrl-R" } },
	[K_EXPORT] = { { KEY_F(3), "F3", "F3" }, { 5, "^E", "Ctrl-E" } },
	[K_IMPORT] = { { KEY_F(4), "F4", "F4" }, { 15, "^O", "Ctrl-O" } },
	[K_REPORT] = { { KEY_F(5), "F5", "F5" }, { 20, "^T", "Ctrl-T" } },
	[K_CONFLICTS] = { { KEY_F(6), "F6", "F6" }, { 11, "^K", "Ctrl-K" } },
	/* Ctrl-D as well: desktop terminals often keep F11 for full screen. */
	[K_COMMENT] = { { KEY_F(11), "F11", "F11" }, { 4, "^D", "Ctrl-D" } },
	[K_BACK] = { { 27, "Esc", "Esc" }, { KEY_F(10), "F10", "F10" }, { 24, "^X", "Ctrl-X" } },
	[K_REDRAW] = { { 12, "^L", "Ctrl-L" } },
	[K_RESIZE] = { { KEY_RESIZE, NULL, NULL } },
	/* Raw mode: Ctrl-C arrives as a character, not as SIGINT. */
	[K_QUIT] = { { 3, "^C", "Ctrl-C" } },
	[K_LANG] = { { KEY_F(7), "F7", "F7" }, { 23, "^W", "Ctrl-W" } },
	[K_THEME] = { { KEY_F(8), "F8", "F8" }, { 2, "^B", "Ctrl-B" } },
	[K_TOUR] = { { KEY_F(9), "F9", "F9" }, { 25, "^Y", "Ctrl-Y" } },
	[K_TOUR_END] = { { 17, "^Q", "Ctrl-Q" } },
	/* Ctrl-S: raw mode turns flow control off, so it arrives as a key. */
	[K_SNAPSHOT] = { { KEY_F(12), "F12", "F12" }, { 19, "^S", "Ctrl-S" } },
};

/* How the names of several keys are joined. */
enum join {
	J_SLASH,        /* F1/^G */
	J_TOGETHER,     /* ↑↓ */
	J_OR,           /* Tab, Enter or ↓ */
	J_SLASHES,      /* PgDn / PgUp */
	J_SPACES,       /* ← → Home End */
};

struct action_def {
	enum key bar[3];        /* the keys a bar names (K_NONE ends), joined by bar_join */
	enum key named[7];      /* the keys a help text names, joined by help_join */
	enum join bar_join, help_join;
	const char *chars;      /* an action of printable keys: their name, on bars and in help */
	const char *label;      /* on a bar */
	const char *help;       /* in a help text, after the keys */
	int priority;           /* a narrow bar drops the lowest first; back is never dropped */
};

static const struct action_def actions[ACT_COUNT] = {
	[ACT_LINE] = { { K_UP, K_DOWN }, { K_UP, K_DOWN }, J_TOGETHER, J_OR, NULL,
		       N_("move"), N_("another line"), 80 },
	[ACT_NEXT] = { { K_TAB, K_DOWN }, { K_TAB, K_ENTER, K_DOWN }, J_SLASH, J_OR, NULL,
		       N_("next"), N_("next field (the value is saved)"), 90 },
	[ACT_PREV] = { { K_UP }, { K_BTAB, K_UP }, J_SLASH, J_OR, NULL,
		       N_("previous"), N_("previous field"), 85 },
	[ACT_PAGE] = { { K_PGUP, K_PGDN }, { K_PGDN, K_PGUP }, J_SLASH, J_SLASHES, NULL,
		       N_("page"), N_("next / previous page"), 35 },
	[ACT_ENDS] = { { K_HOME, K_END }, { K_HOME, K_END }, J_SLASH, J_SLASHES, NULL,
		       N_("top/end"), N_("the first / the last line"), 30 },
	[ACT_EDIT] = { { K_NONE }, { K_LEFT, K_RIGHT, K_HOME, K_END, K_BACKSPACE, K_DELETE }, J_SLASH, J_SPACES, NULL,
		       N_("edit"), N_("edit inside the field (Ctrl-U empties it)"), 20 },
	[ACT_ENTER] = { { K_ENTER }, { K_ENTER }, J_SLASH, J_OR, NULL,
			N_("choose"), N_("choose"), 90 },
	[ACT_DIGIT] = { { K_NONE }, { K_NONE }, J_SLASH, J_OR, "1-9",
			N_("choose"), N_("choose a line by its number"), 40 },
	[ACT_SPACE] = { { K_NONE }, { K_NONE }, J_SLASH, J_OR, "Space",
			N_("choose"), N_("choose or leave the line"), 70 },
	[ACT_ALL] = { { K_NONE }, { K_NONE }, J_SLASH, J_OR, "A",
		      N_("all"), N_("choose all"), 60 },
	[ACT_UNDO] = { { K_NONE }, { K_NONE }, J_SLASH, J_OR, "U",
		       N_("undo"), N_("take back the decision just made"), 85 },
	[ACT_COMPLETE] = { { K_TAB }, { K_TAB }, J_SLASH, J_OR, NULL,
			   N_("complete name"), N_("complete the folder's name"), 65 },
	[ACT_HELP] = { { K_HELP }, { K_HELP }, J_SLASH, J_OR, NULL,
		       N_("help"), N_("this help"), 75 },
	[ACT_REVIEW] = { { K_REVIEW }, { K_REVIEW }, J_SLASH, J_OR, NULL,
			 N_("review"), N_("review the form's problems and complete it"), 70 },
	[ACT_EXPORT] = { { K_EXPORT }, { K_EXPORT }, J_SLASH, J_OR, NULL,
			 N_("export"), N_("export to a USB stick"), 60 },
	[ACT_IMPORT] = { { K_IMPORT }, { K_IMPORT }, J_SLASH, J_OR, NULL,
			 N_("import"), N_("import from a USB stick"), 55 },
	/* Reports go first on a narrow bar: a village enters and exports, the township
	 * reads reports (and the help names F5). */
	[ACT_REPORT] = { { K_REPORT }, { K_REPORT }, J_SLASH, J_OR, NULL,
			 N_("reports"), N_("the reports"), 45 },
	[ACT_CONFLICTS] = { { K_CONFLICTS }, { K_CONFLICTS }, J_SLASH, J_OR, NULL,
			    N_("conflicts"), N_("conflicts between copies"), 50 },
	[ACT_COMMENT] = { { K_COMMENT }, { K_COMMENT }, J_SLASH, J_OR, NULL,
			  N_("note"), N_("a comment on the value: why it is so, what to check"), 60 },
	[ACT_BACK] = { { K_BACK }, { K_BACK }, J_SLASH, J_OR, NULL,
		       N_("back"), N_("back"), 100 },
	[ACT_REDRAW] = { { K_REDRAW }, { K_REDRAW }, J_SLASH, J_OR, NULL,
			 N_("redraw"), N_("redraw the screen"), 10 },
	[ACT_QUIT] = { { K_QUIT }, { K_QUIT }, J_SLASH, J_OR, NULL,
		       N_("quit"), N_("leave tianbao, saving the value being typed when it is valid"), 10 },
	[ACT_LANG] = { { K_LANG }, { K_LANG }, J_SLASH, J_OR, NULL,
		       N_("language"), N_("Chinese / English (what is being typed stays)"), 5 },
	[ACT_THEME] = { { K_THEME }, { K_THEME }, J_SLASH, J_OR, NULL,
			N_("contrast"), N_("high contrast on and off, for projectors"), 5 },
	[ACT_TOUR] = { { K_TOUR }, { K_TOUR }, J_SLASH, J_OR, NULL,
		       N_("tour"), N_("the guided tour, step by step"), 5 },
	[ACT_TOUR_END] = { { K_TOUR_END }, { K_TOUR_END }, J_SLASH, J_OR, NULL,
			   N_("end tour"), N_("leave the guided tour"), 5 },
	[ACT_SNAPSHOT] = { { K_SNAPSHOT }, { K_SNAPSHOT }, J_SLASH, J_OR, NULL,
			   N_("save screen"), N_("this screen as text into a file, for handouts"), 5 },
};

/* The keys every screen takes (the frame handles them), named in every help text. */
static const struct offer every_screen[] = {
	{ .action = ACT_TOUR }, { .action = ACT_TOUR_END }, { .action = ACT_LANG }, { .action = ACT_THEME },
	{ .action = ACT_SNAPSHOT }, { .action = ACT_NONE },
};

enum key keys_map(int code)
{
	for (int k = 0; k < K_COUNT; k++)
		for (int i = 0; i < KEY_CODES_MAX && key_codes[k][i].code; i++)
			if (key_codes[k][i].code == code)
				return (enum key)k;
	return K_NONE;
}

static void add_joined(struct strbuf *out, const char *const *names, int n, enum join join)
{
	char *s;

	if (n == 0)
		return;
	if (join != J_OR) {
		static const char *const seps[] = {
			[J_SLASH] = "/", [J_TOGETHER] = "", [J_SLASHES] = " / ", [J_SPACES] = " ",
		};

		for (int i = 0; i < n; i++) {
			if (i)
				sb_add(out, seps[join]);
			sb_add(out, names[i]);
		}
		return;
	}
	/* "A", "A or B", "A, B or C": the translation decides the words and the commas. */
	s = xasprintf("%s", names[0]);
	for (int i = 1; i < n; i++) {
		char *t = i == n - 1 ? xasprintf(_("%s or %s"), s, names[i]) : xasprintf(_("%s, %s"), s, names[i]);

		free(s);
		s = t;
	}
	sb_add(out, s);
	free(s);
}

/* The names of an action's keys: on a bar (bar) or in a sentence. */
static void add_names(enum action a, bool bar, struct strbuf *out)
{
	const struct action_def *d = &actions[a];
	const enum key *keys = bar ? d->bar : d->named;
	const char *names[16];
	struct strbuf one;
	char *parts[8];
	int n = 0, np = 0;

	if (d->chars) {
		sb_add(out, d->chars);
		return;
	}
	if (!bar) {
		/* Every named code of every key, in one sentence: "Tab, Enter or ↓". */
		for (int k = 0; k < 7 && keys[k] != K_NONE; k++)
			for (int i = 0; i < KEY_CODES_MAX && key_codes[keys[k]][i].code; i++)
				if (key_codes[keys[k]][i].name && n < (int)ARRAY_LEN(names))
					names[n++] = key_codes[keys[k]][i].name;
		add_joined(out, names, n, d->help_join);
		return;
	}
	/* On a bar, a key's codes go together ("F1/^G"), then the keys as the action joins
	 * them ("↑↓", "Tab/↓"). */
	sb_init(&one);
	for (int k = 0; k < 3 && keys[k] != K_NONE; k++) {
		const struct key_code *c = key_codes[keys[k]];

		n = 0;
		for (int i = 0; i < KEY_CODES_MAX && c[i].code; i++)
			if (c[i].bar)
				names[n++] = c[i].bar;
		sb_reset(&one);
		add_joined(&one, names, n, J_SLASH);
		parts[np++] = sb_take(&one);
	}
	add_joined(out, (const char *const *)parts, np, d->bar_join);
	for (int i = 0; i < np; i++)
		free(parts[i]);
	sb_free(&one);
}

void keys_bar_name(enum action a, struct strbuf *out)
{
	add_names(a, true, out);
}

void keys_names(enum action a, struct strbuf *out)
{
	add_names(a, false, out);
}

static int entry_width(const struct bar_layout *b, int i)
{
	return text_width(b->name[i]) + 1 + text_width(b->label[i]);
}

static int bar_width(const struct bar_layout *b, const bool *shown, int gap)
{
	int w = 0, n = 0;

	for (int i = 0; i < b->n; i++)
		if (shown[i])
			w += (n++ ? gap : 0) + entry_width(b, i);
	return w;
}

void keys_bar_layout(const struct offer *offers, int cols, struct bar_layout *out)
{
	struct bar_layout all;
	enum action act[KEYS_BAR_MAX];
	bool shown[KEYS_BAR_MAX];
	struct strbuf sb;

	all.n = 0;
	sb_init(&sb);
	for (const struct offer *o = offers; o && o->action != ACT_NONE && all.n < KEYS_BAR_MAX; o++) {
		if (o->help_only)
			continue;
		sb_reset(&sb);
		keys_bar_name(o->action, &sb);
		if (!sb.len)
			continue;
		snprintf(all.name[all.n], sizeof all.name[all.n], "%s", sb_str(&sb));
		all.label[all.n] = _(o->label ? o->label : actions[o->action].label);
		act[all.n] = o->action;
		shown[all.n++] = true;
	}
	sb_free(&sb);
	all.gap = 2;
	for (;;) {
		int drop = -1;

		if (bar_width(&all, shown, 2) <= cols)
			break;
		if (bar_width(&all, shown, 1) <= cols) {
			all.gap = 1;
			break;
		}
		/* The least important goes (the later of equals); back stays. */
		for (int i = 0; i < all.n; i++)
			if (shown[i] && act[i] != ACT_BACK &&
			    (drop < 0 || actions[act[i]].priority <= actions[act[drop]].priority))
				drop = i;
		if (drop < 0) {
			all.gap = 1;
			break;
		}
		shown[drop] = false;
	}
	out->n = 0;
	out->gap = all.gap;
	for (int i = 0; i < all.n; i++) {
		if (!shown[i])
			continue;
		snprintf(out->name[out->n], sizeof out->name[out->n], "%s", all.name[i]);
		out->label[out->n++] = all.label[i];
	}
	out->width = 0;
	for (int i = 0; i < out->n; i++)
		out->width += (i ? out->gap : 0) + entry_width(out, i);
}

static void add_help_lines(const struct offer *offers, struct strbuf *out)
{
	struct strbuf names;

	sb_init(&names);
	for (const struct offer *o = offers; o && o->action != ACT_NONE; o++) {
		sb_reset(&names);
		keys_names(o->action, &names);
		if (!names.len)
			continue;
		sb_addf(out, _("  %s: %s\n"), sb_str(&names), _(o->help ? o->help : actions[o->action].help));
	}
	sb_free(&names);
}

void keys_help(const struct offer *offers, struct strbuf *out)
{
	add_help_lines(offers, out);
	sb_addf(out, "\n%s\n", _("On every screen"));
	add_help_lines(every_screen, out);
}
