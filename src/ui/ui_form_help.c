/* ui_form_help.c - the form's help (F1): what the current field is and takes, then the
 * form's keys as the key table names them. */
#include "ui/ui_form_help.h"

#include "forms/expr.h"
#include "lib/i18n.h"
#include "lib/number.h"
#include "lib/str.h"
#include "ui/ui_view.h"

struct uses {
	int field;
	bool found;
};

static void note_use(void *ctx, int id)
{
	struct uses *u = ctx;

	if (id == u->field)
		u->found = true;
}

/* A field's type as the help names it: the form files' words, in the user's language. */
static const char *type_label(enum field_type t)
{
	static const char *const names[] = { N_("integer"), N_("decimal"), N_("yesno"), N_("choice"), N_("text"), N_("date") };

	return _(names[t]);
}

/* What the help says of field i: its type, limits, answers, help text and targets, and
 * the computed values it goes into. */
static void field_help(const struct form *f, int i, struct strbuf *out)
{
	const struct field *fd = &f->fields[i];
	const char *help = i18n_pick(fd->help, fd->help_en);

	sb_addf(out, "%s  (%s)\n", i18n_pick(fd->label, fd->label_en), fd->code);
	sb_addf(out, _("Type: %s"), type_label(fd->type));
	if (fd->unit[0])
		sb_addf(out, _(", unit: %s"), fd->unit);
	if (fd->hard.has_min || fd->hard.has_max) {
		char lo[32] = "", hi[32] = "";

		if (fd->hard.has_min)
			format_number(lo, sizeof lo, fd->hard.min);
		if (fd->hard.has_max)
			format_number(hi, sizeof hi, fd->hard.max);
		sb_addf(out, _(", allowed: %s..%s"), lo, hi);
	}
	if (fd->type == FT_CHOICE || fd->type == FT_YESNO) {
		sb_add(out, _(", answers: "));
		if (fd->type == FT_YESNO)
			sb_add(out, _("1 = yes, 0 = no"));
		for (int c = 0; c < fd->nchoices; c++)
			sb_addf(out, "%s%d = %s", c ? ", " : "", fd->choices[c].code,
				i18n_pick(fd->choices[c].label, fd->choices[c].label_en));
	}
	sb_add(out, "\n");
	if (fd->compute_text)
		sb_addf(out, _("Computed: %s\n"), fd->compute_text);
	if (help[0])
		sb_addf(out, "\n%s\n", help);
	if (fd->target.op != TG_NONE) {
		sb_addf(out, _("\nTarget: %s %s\n"), fd->target.text, fd->unit);
		sb_addf(out, _("Source: %s\n"), i18n_pick(fd->target.source, fd->target.source_en));
	}
	/* Targets mostly sit on rates computed from this value: show those too. */
	for (int j = 0; j < f->nfields; j++) {
		const struct field *c = &f->fields[j];
		struct uses u = { i, false };

		if (!c->compute)
			continue;
		expr_each_ref(c->compute, note_use, &u);
		if (!u.found)
			continue;
		sb_addf(out, _("\nUsed to compute %s = %s\n"), i18n_pick(c->label, c->label_en), c->compute_text);
		if (c->target.op != TG_NONE) {
			sb_addf(out, _("Target: %s %s\n"), c->target.text, c->unit);
			sb_addf(out, _("Source: %s\n"), i18n_pick(c->target.source, c->target.source_en));
		}
	}
}

void ui_form_help(struct ui *ui, const struct form *f, int field, const struct offer *offers)
{
	struct strbuf sb;

	sb_init(&sb);
	if (field >= 0)
		field_help(f, field, &sb);
	sb_addf(&sb, "\n%s\n", _("Keys"));
	keys_help(offers, &sb);
	sb_addf(&sb, "\n%s\n", _("Values are saved when the cursor leaves a field; there is no save step."));
	ui_view_text(ui, _("Help"), sb_str(&sb));
	sb_free(&sb);
}

