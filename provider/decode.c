/*
 * The pieces msgpack.c and statejson.c share (see decode.h): attribute
 * trails and the errors reported at them, safe quoting of input, type
 * descriptions, the map duplicate-key check.
 */
#include "decode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "path.h"
#include "value.h"

const struct tfp_path *tfp_decode_path(struct tfp_arena *a,
				       const struct tfp_trail *t)
{
	const struct tfp_path *parent;

	if (t == NULL)
		return NULL;
	parent = tfp_decode_path(a, t->up);
	switch (t->kind) {
	case TFP_STEP_ATTR:
		return tfp_path_attr(a, parent, t->name);
	case TFP_STEP_KEY:
		return tfp_path_key(a, parent, t->name);
	case TFP_STEP_INDEX:
		return tfp_path_index(a, parent, t->index);
	}
	return parent;
}

int tfp_decode_error(struct tfp_diags *d, const struct tfp_trail *at,
		     const char *summary, const char *fmt, ...)
{
	va_list ap;
	char *detail;

	va_start(ap, fmt);
	detail = tfp_arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	tfp_diag_add(d, TFP_SEV_ERROR, tfp_decode_path(d->arena, at), summary,
		     detail);
	return TFP_ERROR;
}

/* The length of the valid UTF-8 sequence at s (1-4), or 0 (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

const char *tfp_utf8_clean(struct tfp_arena *a, const char *s)
{
	const unsigned char *p;
	size_t n, len, k;
	char *out;

	if (s == NULL)
		return NULL;
	/* A continuation byte is never NUL, so utf8_seq stops at the
	 * terminator before reading past it. */
	for (p = (const unsigned char *)s; *p != '\0'; p += n)
		if ((n = utf8_seq(p)) == 0)
			break;
	if (*p == '\0')
		return s;
	len = strlen(s);
	out = tfp_arena_alloc(a, len * 3 + 1);
	for (p = (const unsigned char *)s, k = 0; *p != '\0'; p += n) {
		n = utf8_seq(p);
		if (n == 0) {
			memcpy(out + k, "\xEF\xBF\xBD", 3);
			k += 3;
			n = 1;
		} else {
			memcpy(out + k, p, n);
			k += n;
		}
	}
	out[k] = '\0';
	return out;
}

const char *tfp_decode_printable(struct tfp_arena *a, const char *s, size_t len)
{
	size_t n = len > 64 ? 64 : len, i;
	char *out = tfp_arena_alloc(a, n + 4);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (n < len)
		memcpy(out + n, "...", 3);
	return out;
}

const char *tfp_decode_type_desc(const struct tfp_type *t)
{
	switch (t->kind) {
	case TFP_KIND_STRING:
		return "a string";
	case TFP_KIND_NUMBER:
		return "a number";
	case TFP_KIND_BOOL:
		return "a bool";
	case TFP_KIND_LIST:
		return "a list";
	case TFP_KIND_SET:
		return "a set";
	case TFP_KIND_MAP:
		return "a map";
	case TFP_KIND_OBJECT:
		return "an object";
	case TFP_KIND_DYNAMIC:
		return "a dynamic value";
	}
	return "a value";
}

/*
 * Maps must not repeat a key. Terraform sends keys sorted (cty iterates
 * maps in key order), so one pass usually proves that; otherwise the
 * entries are sorted here, which keeps the check O(n log n) on hostile
 * input and changes nothing a map's meaning depends on.
 */
struct map_entry {
	const char *key;
	struct tfp_value *item;
};

static int map_entry_cmp(const void *x, const void *y)
{
	const struct map_entry *ex = x, *ey = y;

	return strcmp(ex->key, ey->key);
}

ptrdiff_t tfp_decode_map_check(struct tfp_arena *a, struct tfp_value *m)
{
	size_t n = m->u.coll.n, i;
	struct map_entry *e;

	for (i = 1; i < n; i++)
		if (strcmp(m->u.coll.keys[i - 1], m->u.coll.keys[i]) >= 0)
			break;
	if (i >= n)
		return -1;

	e = tfp_arena_alloc(a, n * sizeof(*e));
	for (i = 0; i < n; i++) {
		e[i].key = m->u.coll.keys[i];
		e[i].item = m->u.coll.items[i];
	}
	qsort(e, n, sizeof(*e), map_entry_cmp);
	for (i = 0; i < n; i++) {
		m->u.coll.keys[i] = e[i].key;
		m->u.coll.items[i] = e[i].item;
		if (i > 0 && strcmp(e[i - 1].key, e[i].key) == 0)
			return (ptrdiff_t)i;
	}
	return -1;
}

struct tfp_value *tfp_decode_known(struct tfp_arena *a,
				   const struct tfp_type *t)
{
	struct tfp_value *v = tfp_arena_alloc(a, sizeof(*v));

	v->type = t;
	v->state = TFP_VALUE_KNOWN;
	return v;
}
