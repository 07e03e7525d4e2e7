/*
 * Diagnostic lists. Strings are copied into the list's arena, so callers
 * may pass stack buffers.
 */
#include "diag.h"

#include <string.h>
#include "arena.h"

void tfp_diags_init(struct tfp_diags *d, struct tfp_arena *a)
{
	memset(d, 0, sizeof(*d));
	d->arena = a;
}

void tfp_diag_add(struct tfp_diags *d, enum tfp_severity sev,
		  const struct tfp_path *path, const char *summary,
		  const char *detail)
{
	struct tfp_diag *item;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4;
		struct tfp_diag *items =
			tfp_arena_alloc(d->arena, cap * sizeof(*items));

		if (d->n > 0)
			memcpy(items, d->items, d->n * sizeof(*items));
		d->items = items;
		d->cap = cap;
	}
	item = &d->items[d->n++];
	item->severity = sev;
	item->summary = tfp_arena_strdup(d->arena, summary ? summary : "");
	item->detail = tfp_arena_strdup(d->arena, detail ? detail : "");
	item->path = path;
}

int tfp_diag_error(struct tfp_diags *d, const char *summary, const char *fmt,
		   ...)
{
	va_list ap;
	char *detail;

	va_start(ap, fmt);
	detail = tfp_arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	tfp_diag_add(d, TFP_SEV_ERROR, NULL, summary, detail);
	return TFP_ERROR;
}

int tfp_diag_attr_error(struct tfp_diags *d, const struct tfp_path *path,
			const char *summary, const char *fmt, ...)
{
	va_list ap;
	char *detail;

	va_start(ap, fmt);
	detail = tfp_arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	tfp_diag_add(d, TFP_SEV_ERROR, path, summary, detail);
	return TFP_ERROR;
}

void tfp_diag_warning(struct tfp_diags *d, const char *summary,
		      const char *fmt, ...)
{
	va_list ap;
	char *detail;

	va_start(ap, fmt);
	detail = tfp_arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	tfp_diag_add(d, TFP_SEV_WARNING, NULL, summary, detail);
}

void tfp_diags_drop_last(struct tfp_diags *d)
{
	if (d->n > 0)
		d->n--;
}

bool tfp_diags_has_error(const struct tfp_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].severity == TFP_SEV_ERROR)
			return true;
	return false;
}
