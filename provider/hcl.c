/*
 * The generic HCL writer (hcl.h): a buffer that aligns runs of one-line
 * attributes as `terraform fmt` does, literals for every value kind, and
 * a resource block rendered from a schema table and a state value.
 *
 * Alignment follows hclwrite's formatter: consecutive lines whose `=` is
 * followed by a complete expression form a run, and every `=` of a run
 * stands one space after the longest key. A line without `=`, or one that
 * opens a bracket it does not close (`x = {`), ends the run.
 */
#include "hcl.h"

#include <stdio.h>
#include <string.h>
#include "arena.h"

/* --- the buffer ----------------------------------------------------------- */

void tfp_hcl_init(struct tfp_hcl *h, struct tfp_arena *a)
{
	memset(h, 0, sizeof(*h));
	h->arena = a;
}

static void put(struct tfp_hcl *h, const char *s, size_t n)
{
	if (h->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		char *nb;

		while (cap < h->len + n + 1)
			cap *= 2;
		nb = tfp_arena_alloc(h->arena, cap);
		if (h->len)
			memcpy(nb, h->buf, h->len);
		h->buf = nb;
		h->cap = cap;
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

static void puts_(struct tfp_hcl *h, const char *s)
{
	put(h, s, strlen(s));
}

static void indent_(struct tfp_hcl *h, int indent)
{
	for (int i = 0; i < indent; i++)
		put(h, "  ", 2);
}

static void flush(struct tfp_hcl *h)
{
	size_t width = 0;

	for (size_t i = 0; i < h->n_run; i++) {
		size_t n = strlen(h->run[i].key);
		if (n > width)
			width = n;
	}
	for (size_t i = 0; i < h->n_run; i++) {
		size_t n = strlen(h->run[i].key);

		indent_(h, h->run[i].indent);
		puts_(h, h->run[i].key);
		for (size_t k = n; k < width + 1; k++)
			put(h, " ", 1);
		puts_(h, "= ");
		puts_(h, h->run[i].value);
		put(h, "\n", 1);
	}
	h->n_run = 0;
}

const char *tfp_hcl_text(struct tfp_hcl *h)
{
	flush(h);
	if (h->buf == NULL)
		return "";
	return h->buf;
}

void tfp_hcl_attr(struct tfp_hcl *h, int indent, const char *key,
		  const char *expr)
{
	if (h->n_run > 0 && h->run[h->n_run - 1].indent != indent)
		flush(h);
	if (h->n_run == h->cap_run) {
		size_t cap = h->cap_run ? h->cap_run * 2 : 16;
		struct tfp_hcl_line *nr =
			tfp_arena_alloc(h->arena, cap * sizeof(*nr));

		if (h->n_run)
			memcpy(nr, h->run, h->n_run * sizeof(*nr));
		h->run = nr;
		h->cap_run = cap;
	}
	h->run[h->n_run].indent = indent;
	h->run[h->n_run].key = tfp_arena_strdup(h->arena, key);
	h->run[h->n_run].value = tfp_arena_strdup(h->arena, expr);
	h->n_run++;
}

void tfp_hcl_line(struct tfp_hcl *h, int indent, const char *text)
{
	flush(h);
	if (*text)
		indent_(h, indent);
	puts_(h, text);
	put(h, "\n", 1);
}

void tfp_hcl_open(struct tfp_hcl *h, int indent, const char *header)
{
	flush(h);
	indent_(h, indent);
	puts_(h, header);
	puts_(h, " {\n");
}

void tfp_hcl_close(struct tfp_hcl *h, int indent)
{
	tfp_hcl_line(h, indent, "}");
}

/* --- literals ------------------------------------------------------------- */

const char *tfp_hcl_quote(struct tfp_arena *a, const char *s)
{
	size_t n = strlen(s);
	/* Worst case: every byte a \u00XX escape. */
	char *out = tfp_arena_alloc(a, n * 6 + 3);
	char *p = out;

	*p++ = '"';
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '\\':
			*p++ = '\\';
			*p++ = '\\';
			break;
		case '"':
			*p++ = '\\';
			*p++ = '"';
			break;
		case '\n':
			*p++ = '\\';
			*p++ = 'n';
			break;
		case '\r':
			*p++ = '\\';
			*p++ = 'r';
			break;
		case '\t':
			*p++ = '\\';
			*p++ = 't';
			break;
		case '$':
		case '%':
			/* ${ and %{ start a template: doubled, they are
			 * the literal characters. */
			*p++ = (char)*c;
			if (c[1] == '{')
				*p++ = (char)*c;
			break;
		default:
			if (*c < 0x20 || *c == 0x7f) {
				snprintf(p, 7, "\\u%04x", *c);
				p += 6;
			} else {
				*p++ = (char)*c;
			}
		}
	}
	*p++ = '"';
	*p = '\0';
	return out;
}

bool tfp_hcl_is_ident(const char *s)
{
	if (s == NULL || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static bool is_primitive(const struct tfp_value *v)
{
	return v->type->kind == TFP_KIND_STRING ||
	       v->type->kind == TFP_KIND_NUMBER ||
	       v->type->kind == TFP_KIND_BOOL;
}

/* A value that fits on one line: primitives, null, and lists or sets of
 * primitives, and empty collections. */
static bool one_line(const struct tfp_value *v)
{
	if (!tfp_value_is_known(v) || is_primitive(v))
		return true;
	if (v->u.coll.n == 0)
		return true;
	if (v->type->kind == TFP_KIND_LIST || v->type->kind == TFP_KIND_SET) {
		for (size_t i = 0; i < v->u.coll.n; i++)
			if (!tfp_value_is_known(v->u.coll.items[i]) ||
			    !is_primitive(v->u.coll.items[i]))
				return false;
		return true;
	}
	return false;
}

static const char *one_line_text(struct tfp_arena *a, const struct tfp_value *v)
{
	if (!tfp_value_is_known(v))
		return "null";
	switch (v->type->kind) {
	case TFP_KIND_STRING:
		return tfp_hcl_quote(a, v->u.str);
	case TFP_KIND_NUMBER:
		return tfp_number_exact_text(a, &v->u.num);
	case TFP_KIND_BOOL:
		return v->u.b ? "true" : "false";
	case TFP_KIND_LIST:
	case TFP_KIND_SET: {
		struct tfp_hcl h;

		if (v->u.coll.n == 0)
			return "[]";
		tfp_hcl_init(&h, a);
		put(&h, "[", 1);
		for (size_t i = 0; i < v->u.coll.n; i++) {
			if (i)
				put(&h, ", ", 2);
			puts_(&h, one_line_text(a, v->u.coll.items[i]));
		}
		put(&h, "]", 1);
		return h.buf;
	}
	default:
		return "{}";
	}
}

/* Writes `key = value` for any value; multi-line values break the run. */
static void write_value(struct tfp_hcl *h, int indent, const char *key,
			const struct tfp_value *v);

static void write_elements(struct tfp_hcl *h, int indent,
			   const struct tfp_value *v)
{
	size_t n = v->u.coll.n;

	if (v->type->kind == TFP_KIND_MAP) {
		for (size_t i = 0; i < n; i++)
			write_value(h, indent, tfp_hcl_quote(h->arena,
							     v->u.coll.keys[i]),
				    v->u.coll.items[i]);
	} else if (v->type->kind == TFP_KIND_OBJECT) {
		for (size_t i = 0; i < v->type->n_attrs; i++) {
			const struct tfp_value *c = v->u.coll.items[i];

			if (tfp_value_is_null(c) || tfp_value_is_unknown(c))
				continue;
			write_value(h, indent, v->type->attr_names[i], c);
		}
	}
}

static void write_value(struct tfp_hcl *h, int indent, const char *key,
			const struct tfp_value *v)
{
	char *head;

	if (one_line(v)) {
		tfp_hcl_attr(h, indent, key, one_line_text(h->arena, v));
		return;
	}
	if (v->type->kind == TFP_KIND_MAP || v->type->kind == TFP_KIND_OBJECT) {
		head = tfp_arena_printf(h->arena, "%s = {", key);
		tfp_hcl_line(h, indent, head);
		write_elements(h, indent + 1, v);
		tfp_hcl_close(h, indent);
		return;
	}
	/* A list or set of collections or objects. */
	head = tfp_arena_printf(h->arena, "%s = [", key);
	tfp_hcl_line(h, indent, head);
	for (size_t i = 0; i < v->u.coll.n; i++) {
		const struct tfp_value *e = v->u.coll.items[i];

		if (one_line(e)) {
			tfp_hcl_line(h, indent + 1,
				     tfp_arena_printf(h->arena, "%s,",
						      one_line_text(h->arena, e)));
		} else if (e->type->kind == TFP_KIND_MAP ||
			   e->type->kind == TFP_KIND_OBJECT) {
			tfp_hcl_line(h, indent + 1, "{");
			write_elements(h, indent + 2, e);
			tfp_hcl_line(h, indent + 1, "},");
		} else {
			/* Nested lists of lists: one line each. */
			tfp_hcl_line(h, indent + 1,
				     tfp_arena_printf(h->arena, "%s,",
						      tfp_hcl_literal(h->arena,
								      e, 0)));
		}
	}
	tfp_hcl_line(h, indent, "]");
}

const char *tfp_hcl_literal(struct tfp_arena *a, const struct tfp_value *v,
			    int indent)
{
	struct tfp_hcl h;
	const char *t;
	size_t n, len;

	if (one_line(v))
		return one_line_text(a, v);
	tfp_hcl_init(&h, a);
	write_value(&h, indent, "x", v);
	t = tfp_hcl_text(&h);
	len = strlen(t);
	/* Drop the indent and "x = " written for the key, and the final
	 * newline (a text too short for them cannot happen; fall back to
	 * one line rather than read out of bounds). */
	n = (size_t)indent * 2 + 4;
	if (len < n + 1)
		return one_line_text(a, v);
	return tfp_arena_strndup(a, t + n, len - n - 1);
}

/* --- resources ------------------------------------------------------------ */

bool tfp_hcl_omits(const struct tfp_attr *a, const struct tfp_value *v)
{
	bool configurable = (a->flags & (TFP_REQUIRED | TFP_OPTIONAL)) != 0;
	bool is_default = a->default_string != NULL && tfp_value_is_known(v) &&
			  v->type->kind == TFP_KIND_STRING &&
			  strcmp(v->u.str, a->default_string) == 0;

	if (!tfp_value_is_known(v) || !configurable || is_default)
		return true;
	/* Optional and computed: a null keeps what the state has, unless a
	 * default would replace it. */
	if ((a->flags & TFP_OPTIONAL) && (a->flags & TFP_COMPUTED) &&
	    a->default_string == NULL)
		return true;
	return false;
}

static const char *join(struct tfp_arena *a, const char *path,
			const char *name)
{
	return *path ? tfp_arena_printf(a, "%s.%s", path, name) : name;
}

static void write_body(struct tfp_hcl *h, int indent, const char *path,
		       const struct tfp_attr *attrs,
		       const struct tfp_block *blocks,
		       const struct tfp_value *obj,
		       const struct tfp_hcl_opts *opts);

static void write_block(struct tfp_hcl *h, int indent, const char *path,
			const struct tfp_block *b, const struct tfp_value *e,
			const struct tfp_hcl_opts *opts)
{
	struct tfp_hcl sub;
	const char *body;

	if (!tfp_value_is_known(e))
		return;
	tfp_hcl_init(&sub, h->arena);
	write_body(&sub, indent + 1, path, b->attrs, b->blocks, e, opts);
	body = tfp_hcl_text(&sub);
	if (*body == '\0') {
		tfp_hcl_line(h, indent,
			     tfp_arena_printf(h->arena, "%s {}", b->name));
		return;
	}
	tfp_hcl_open(h, indent, b->name);
	puts_(h, body);
	tfp_hcl_close(h, indent);
}

static void write_body(struct tfp_hcl *h, int indent, const char *path,
		       const struct tfp_attr *attrs,
		       const struct tfp_block *blocks,
		       const struct tfp_value *obj,
		       const struct tfp_hcl_opts *opts)
{
	for (const struct tfp_attr *a = attrs; a && a->name; a++) {
		const struct tfp_value *v = tfp_value_get(obj, a->name);
		const char *p = join(h->arena, path, a->name);
		const char *expr = NULL;

		if (tfp_hcl_omits(a, v) &&
		    !(opts && opts->keep && tfp_value_is_known(v) &&
		      (a->flags & TFP_OPTIONAL) && (a->flags & TFP_COMPUTED) &&
		      a->default_string == NULL && opts->keep(opts->ctx, p, v)))
			continue;
		if (opts && opts->expr)
			expr = opts->expr(opts->ctx, p, v);
		if (expr != NULL)
			tfp_hcl_attr(h, indent, a->name, expr);
		else
			write_value(h, indent, a->name, v);
	}
	for (const struct tfp_block *b = blocks; b && b->name; b++) {
		const struct tfp_value *v = tfp_value_get(obj, b->name);
		const char *p = join(h->arena, path, b->name);

		if (!tfp_value_is_known(v))
			continue;
		if (b->nesting == TFP_NEST_SINGLE) {
			write_block(h, indent, p, b, v, opts);
			continue;
		}
		for (size_t i = 0; i < v->u.coll.n; i++)
			write_block(h, indent, p, b, v->u.coll.items[i], opts);
	}
}

void tfp_hcl_resource(struct tfp_hcl *h, const char *type, const char *name,
		      const struct tfp_attr *attrs,
		      const struct tfp_block *blocks,
		      const struct tfp_value *state,
		      const struct tfp_hcl_opts *opts)
{
	tfp_hcl_open(h, 0,
		     tfp_arena_printf(h->arena, "resource %s %s",
				      tfp_hcl_quote(h->arena, type),
				      tfp_hcl_quote(h->arena, name)));
	write_body(h, 1, "", attrs, blocks, state, opts);
	if (opts && opts->tail)
		for (const char *const *t = opts->tail; *t; t++)
			tfp_hcl_line(h, 1, *t);
	tfp_hcl_close(h, 0);
}
