/*
 * Attribute paths. Each extension copies the parent's steps, so paths are
 * immutable and can be shared freely; they are short (a few steps), so the
 * copy costs less than the bookkeeping a shared tail would need.
 */
#include "path.h"

#include <inttypes.h>
#include <string.h>
#include "arena.h"

static struct tfp_path *path_extend(struct tfp_arena *a,
				    const struct tfp_path *parent)
{
	size_t n = parent ? parent->n : 0;
	struct tfp_path *p = tfp_arena_alloc(a, sizeof(*p));
	struct tfp_path_step *steps =
		tfp_arena_alloc(a, (n + 1) * sizeof(*steps));

	if (n > 0)
		memcpy(steps, parent->steps, n * sizeof(*steps));
	p->n = n + 1;
	p->steps = steps;
	return p;
}

const struct tfp_path *tfp_path_attr(struct tfp_arena *a,
				     const struct tfp_path *parent,
				     const char *name)
{
	struct tfp_path *p = path_extend(a, parent);
	struct tfp_path_step *s = (struct tfp_path_step *)&p->steps[p->n - 1];

	s->kind = TFP_STEP_ATTR;
	s->name = tfp_arena_strdup(a, name);
	return p;
}

const struct tfp_path *tfp_path_index(struct tfp_arena *a,
				      const struct tfp_path *parent,
				      int64_t index)
{
	struct tfp_path *p = path_extend(a, parent);
	struct tfp_path_step *s = (struct tfp_path_step *)&p->steps[p->n - 1];

	s->kind = TFP_STEP_INDEX;
	s->index = index;
	return p;
}

const struct tfp_path *tfp_path_key(struct tfp_arena *a,
				    const struct tfp_path *parent,
				    const char *key)
{
	struct tfp_path *p = path_extend(a, parent);
	struct tfp_path_step *s = (struct tfp_path_step *)&p->steps[p->n - 1];

	s->kind = TFP_STEP_KEY;
	s->name = tfp_arena_strdup(a, key);
	return p;
}

char *tfp_path_string(struct tfp_arena *a, const struct tfp_path *p)
{
	char *out = tfp_arena_strdup(a, "");
	size_t i;

	for (i = 0; p != NULL && i < p->n; i++) {
		const struct tfp_path_step *s = &p->steps[i];

		switch (s->kind) {
		case TFP_STEP_ATTR:
			out = tfp_arena_printf(a, "%s%s%s", out,
					       i > 0 ? "." : "", s->name);
			break;
		case TFP_STEP_KEY:
			out = tfp_arena_printf(a, "%s[\"%s\"]", out, s->name);
			break;
		case TFP_STEP_INDEX:
			out = tfp_arena_printf(a, "%s[%" PRId64 "]", out,
					       s->index);
			break;
		}
	}
	return out;
}

int tfp_path_equal(const struct tfp_path *x, const struct tfp_path *y)
{
	size_t nx = x ? x->n : 0, ny = y ? y->n : 0, i;

	if (nx != ny)
		return 0;
	for (i = 0; i < nx; i++) {
		const struct tfp_path_step *a = &x->steps[i], *b = &y->steps[i];

		if (a->kind != b->kind)
			return 0;
		if (a->kind == TFP_STEP_INDEX ? a->index != b->index
					      : strcmp(a->name, b->name) != 0)
			return 0;
	}
	return 1;
}
