/*
 * Type-directed msgpack <-> tfp_value (cty's encoding), and JSON state.
 *
 * Decoding uses a small bounds-checked reader of our own instead of
 * msgpack-c's unpacker: msgpack-c allocates from a container's header count
 * before reading the elements, so five bytes (df ff ff ff ff) make it ask
 * for 64 GiB (c-libraries.md §2.1). Here every length is checked against
 * the bytes that remain before anything is allocated, so memory stays
 * proportional to the input, and nesting stops at TFP_MSGPACK_MAX_DEPTH.
 * The value's type directs the reader, as in cty/msgpack/unmarshal.go, so
 * each error can name the attribute path (kept as a stack-allocated trail
 * and turned into a tfp_path only when an error is reported).
 *
 * Encoding uses msgpack-c's packer, whose integer and extension forms are
 * the compact ones Terraform's Go encoder writes, so values decoded from
 * Terraform re-encode to the same bytes. Its output goes to a buffer grown
 * with tfp_xrealloc, which aborts on exhaustion as everywhere else, so the
 * pack calls cannot fail.
 *
 * JSON (UpgradeResourceState's raw_state.json) is parsed with cJSON, which
 * keeps numbers only as doubles; each number's source text is recovered by
 * a scan that runs alongside the parse (see "JSON numbers" below), so that
 * integers beyond 2^53 stay exact.
 *
 * This is the only file that includes msgpack-c. It includes the
 * <msgpack/...> headers by path because "msgpack.h" is this module's own.
 */
#include "msgpack.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <msgpack/pack.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "path.h"
#include "value.h"

#define SUMMARY_DECODE "Invalid value from Terraform"
#define SUMMARY_JSON   "Invalid state from Terraform"
#define SUMMARY_ENCODE "Provider produced an invalid value"

/* cty's extension code for an unknown value with refinements. */
#define EXT_REFINED 12

/* --- attribute trails ----------------------------------------------------- */

/*
 * Where the decoder or encoder is, as a linked list of stack frames from
 * the innermost step up to the root (NULL). Set elements add no step:
 * Terraform cannot point at one (terraform-plugin-protocol.md §6).
 */
struct trail {
	const struct trail *up;
	enum tfp_step_kind kind;
	const char *name; /* ATTR, KEY */
	int64_t index;	  /* INDEX */
};

static const struct tfp_path *trail_path(struct tfp_arena *a,
					 const struct trail *t)
{
	const struct tfp_path *parent;

	if (t == NULL)
		return NULL;
	parent = trail_path(a, t->up);
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

static int trail_error(struct tfp_diags *d, const struct trail *at,
		       const char *summary, const char *fmt, ...)
	TFP_PRINTF(4, 5);

static int trail_error(struct tfp_diags *d, const struct trail *at,
		       const char *summary, const char *fmt, ...)
{
	va_list ap;
	char *detail;

	va_start(ap, fmt);
	detail = tfp_arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	tfp_diag_add(d, TFP_SEV_ERROR, trail_path(d->arena, at), summary,
		     detail);
	return TFP_ERROR;
}

/*
 * Bytes from the input shown in a message: at most 64, anything but
 * printable ASCII as '?'. Diagnostics travel as protobuf strings, which
 * Terraform rejects unless they are valid UTF-8.
 */
static const char *printable(struct tfp_arena *a, const char *s, size_t len)
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

static const char *type_desc(const struct tfp_type *t)
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

/* True, with *out set, when f is integral and within int64. */
static bool double_to_int(double f, int64_t *out)
{
	/* -2^63 and 2^63 are exact doubles; the range is half-open. */
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0) ||
	    f != trunc(f))
		return false;
	*out = (int64_t)f;
	return true;
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

/* Returns the index of a repeated key, or -1. */
static ptrdiff_t map_sort_check(struct tfp_arena *a, struct tfp_value *m)
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

/* --- msgpack reader ------------------------------------------------------- */

enum mp_kind {
	MP_NIL,
	MP_BOOL,
	MP_UINT,
	MP_INT,
	MP_FLOAT,
	MP_STR,
	MP_BIN,
	MP_ARRAY,
	MP_MAP,
	MP_EXT,
};

static const char *const mp_kind_names[] = {
	[MP_NIL] = "nil",	[MP_BOOL] = "bool",   [MP_UINT] = "integer",
	[MP_INT] = "integer",	[MP_FLOAT] = "float", [MP_STR] = "string",
	[MP_BIN] = "binary",	[MP_ARRAY] = "array", [MP_MAP] = "map",
	[MP_EXT] = "extension",
};

/* One msgpack item's header, and the body of a string, binary or ext. */
struct mp_item {
	enum mp_kind kind;
	bool b;
	uint64_t u;
	int64_t i;
	double f;
	size_t count;	  /* array elements, map pairs */
	const char *body; /* str, bin, ext */
	size_t len;	  /* str, bin, ext body bytes */
	int8_t ext_type;
};

struct reader {
	const uint8_t *p, *end;
	struct tfp_arena *a;
	struct tfp_diags *d;
};

static size_t rd_left(const struct reader *r)
{
	return (size_t)(r->end - r->p);
}

static bool rd_take(struct reader *r, size_t n, const uint8_t **out)
{
	if (rd_left(r) < n)
		return false;
	*out = r->p;
	r->p += n;
	return true;
}

static uint64_t be_read(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int rd_truncated(struct reader *r, const struct trail *at)
{
	return trail_error(r->d, at, SUMMARY_DECODE,
			   "The msgpack data ends in the middle of a value.");
}

/*
 * Reads one item's header; for strings, binaries and extensions also the
 * body. A container's count is checked against the bytes left, since each
 * element takes at least one byte (two per map pair).
 */
static int rd_item(struct reader *r, const struct trail *at, struct mp_item *it)
{
	const uint8_t *q;
	uint8_t c;
	size_t width = 0;  /* bytes of the following number or length */
	size_t fixlen = 0; /* fixext body size */

	memset(it, 0, sizeof(*it));
	if (!rd_take(r, 1, &q))
		return rd_truncated(r, at);
	c = q[0];

	if (c <= 0x7f) {
		it->kind = MP_UINT;
		it->u = c;
		return TFP_OK;
	} else if (c <= 0x8f) {
		it->kind = MP_MAP;
		it->count = c & 0x0f;
	} else if (c <= 0x9f) {
		it->kind = MP_ARRAY;
		it->count = c & 0x0f;
	} else if (c <= 0xbf) {
		it->kind = MP_STR;
		it->len = c & 0x1f;
	} else if (c >= 0xe0) {
		it->kind = MP_INT;
		it->i = (int8_t)c;
		return TFP_OK;
	} else {
		switch (c) {
		case 0xc0:
			it->kind = MP_NIL;
			return TFP_OK;
		case 0xc2:
		case 0xc3:
			it->kind = MP_BOOL;
			it->b = c == 0xc3;
			return TFP_OK;
		case 0xc4:
		case 0xc5:
		case 0xc6:
			it->kind = MP_BIN;
			width = (size_t)1 << (c - 0xc4);
			break;
		case 0xc7:
		case 0xc8:
		case 0xc9:
			it->kind = MP_EXT;
			width = (size_t)1 << (c - 0xc7);
			break;
		case 0xca:
		case 0xcb:
			it->kind = MP_FLOAT;
			width = c == 0xca ? 4 : 8;
			break;
		case 0xcc:
		case 0xcd:
		case 0xce:
		case 0xcf:
			it->kind = MP_UINT;
			width = (size_t)1 << (c - 0xcc);
			break;
		case 0xd0:
		case 0xd1:
		case 0xd2:
		case 0xd3:
			it->kind = MP_INT;
			width = (size_t)1 << (c - 0xd0);
			break;
		case 0xd4:
		case 0xd5:
		case 0xd6:
		case 0xd7:
		case 0xd8:
			it->kind = MP_EXT;
			fixlen = (size_t)1 << (c - 0xd4);
			break;
		case 0xd9:
		case 0xda:
		case 0xdb:
			it->kind = MP_STR;
			width = (size_t)1 << (c - 0xd9);
			break;
		case 0xdc:
		case 0xdd:
			it->kind = MP_ARRAY;
			width = c == 0xdc ? 2 : 4;
			break;
		case 0xde:
		case 0xdf:
			it->kind = MP_MAP;
			width = c == 0xde ? 2 : 4;
			break;
		default: /* 0xc1 */
			return trail_error(r->d, at, SUMMARY_DECODE,
					   "Byte 0x%02x is not valid msgpack.",
					   c);
		}
	}

	if (width > 0 && !rd_take(r, width, &q))
		return rd_truncated(r, at);

	switch (it->kind) {
	case MP_UINT:
		it->u = be_read(q, width);
		return TFP_OK;
	case MP_INT: {
		/* Sign-extend from the item's width. */
		uint64_t u = be_read(q, width);
		unsigned shift = (unsigned)(64 - 8 * width);

		it->i = shift ? (int64_t)(u << shift) >> shift : (int64_t)u;
		return TFP_OK;
	}
	case MP_FLOAT:
		if (width == 4) {
			uint32_t bits = (uint32_t)be_read(q, 4);
			float f;

			memcpy(&f, &bits, sizeof(f));
			it->f = f;
		} else {
			uint64_t bits = be_read(q, 8);

			memcpy(&it->f, &bits, sizeof(it->f));
		}
		return TFP_OK;
	case MP_ARRAY:
	case MP_MAP:
		if (width > 0)
			it->count = (size_t)be_read(q, width);
		if (it->kind == MP_ARRAY ? it->count > rd_left(r)
					 : it->count > rd_left(r) / 2)
			return trail_error(
				r->d, at, SUMMARY_DECODE,
				"A msgpack %s claims %zu %s, but only %zu "
				"bytes remain.",
				mp_kind_names[it->kind], it->count,
				it->kind == MP_ARRAY ? "elements" : "pairs",
				rd_left(r));
		return TFP_OK;
	case MP_EXT:
		it->len = fixlen ? fixlen : (size_t)be_read(q, width);
		if (!rd_take(r, 1, &q))
			return rd_truncated(r, at);
		it->ext_type = (int8_t)q[0];
		break;
	case MP_STR:
	case MP_BIN:
		if (width > 0)
			it->len = (size_t)be_read(q, width);
		break;
	default:
		break;
	}
	if (!rd_take(r, it->len, &q))
		return rd_truncated(r, at);
	it->body = (const char *)q;
	return TFP_OK;
}

/* --- msgpack decoding ----------------------------------------------------- */

static int decode(struct reader *r, const struct tfp_type *t,
		  const struct trail *at, int depth, struct tfp_value **out);

static int dec_mismatch(struct reader *r, const struct trail *at,
			const struct tfp_type *t, const struct mp_item *it)
{
	return trail_error(r->d, at, SUMMARY_DECODE,
			   "Expected %s but found a msgpack %s.", type_desc(t),
			   mp_kind_names[it->kind]);
}

static struct tfp_value *known(struct tfp_arena *a, const struct tfp_type *t)
{
	struct tfp_value *v = tfp_arena_alloc(a, sizeof(*v));

	v->type = t;
	v->state = TFP_VALUE_KNOWN;
	return v;
}

/* A string or binary body as a C string; values cannot hold a NUL. */
static int dec_cstring(struct reader *r, const struct trail *at,
		       const struct mp_item *it, const char **out)
{
	if (memchr(it->body, '\0', it->len) != NULL)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "The string \"%s\" contains a NUL byte, "
				   "which this provider cannot represent.",
				   printable(r->a, it->body, it->len));
	*out = tfp_arena_strndup(r->a, it->body, it->len);
	return TFP_OK;
}

/*
 * Any extension of at most one byte is an unknown, whatever its code
 * (cty/msgpack/unknown.go); a longer one must be a refinement, whose body
 * is kept for the encoder to write back (terraform-plugin-protocol.md §7.3).
 */
static int dec_unknown(struct reader *r, const struct tfp_type *t,
		       const struct trail *at, const struct mp_item *it,
		       struct tfp_value **out)
{
	struct tfp_value *v;

	if (it->len > 1 && it->ext_type != EXT_REFINED)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "Unsupported msgpack extension type %d of "
				   "%zu bytes.",
				   it->ext_type, it->len);
	v = tfp_value_unknown(r->a, t);
	if (it->len > 1) {
		v->refinement = tfp_arena_memdup(r->a, it->body, it->len);
		v->refinement_len = it->len;
	}
	*out = v;
	return TFP_OK;
}

static int dec_number(struct reader *r, const struct tfp_type *t,
		      const struct trail *at, const struct mp_item *it,
		      struct tfp_value **out)
{
	struct tfp_value *v = known(r->a, t);
	char buf[24];
	int n;

	switch (it->kind) {
	case MP_INT:
		v->u.num.kind = TFP_NUM_INT;
		v->u.num.i = it->i;
		break;
	case MP_UINT:
		if (it->u <= (uint64_t)INT64_MAX) {
			v->u.num.kind = TFP_NUM_INT;
			v->u.num.i = (int64_t)it->u;
			break;
		}
		/* Above int64: a double if exact, else the decimal text. */
		n = snprintf(buf, sizeof(buf), "%" PRIu64, it->u);
		(void)tfp_value_parse_number(&v->u.num, r->a, buf, (size_t)n);
		break;
	case MP_FLOAT:
		if (isnan(it->f))
			return trail_error(r->d, at, SUMMARY_DECODE,
					   "NaN is not a valid number.");
		if (double_to_int(it->f, &v->u.num.i)) {
			v->u.num.kind = TFP_NUM_INT;
		} else {
			v->u.num.kind = TFP_NUM_FLOAT;
			v->u.num.f = it->f;
		}
		break;
	case MP_STR:
		/* How cty sends numbers that are neither int64 nor double. */
		if (!tfp_value_parse_number(&v->u.num, r->a, it->body, it->len))
			return trail_error(r->d, at, SUMMARY_DECODE,
					   "\"%s\" is not a valid number.",
					   printable(r->a, it->body, it->len));
		break;
	default:
		return dec_mismatch(r, at, t, it);
	}
	*out = v;
	return TFP_OK;
}

static int dec_list(struct reader *r, const struct tfp_type *t,
		    const struct trail *at, int depth, const struct mp_item *it,
		    struct tfp_value **out)
{
	struct tfp_value *v = tfp_value_collection(r->a, t, it->count);
	size_t i;
	int error;

	for (i = 0; i < it->count; i++) {
		struct trail step = {at, TFP_STEP_INDEX, NULL, (int64_t)i};

		error = decode(r, t->elem, t->kind == TFP_KIND_SET ? at : &step,
			       depth + 1, &v->u.coll.items[i]);
		if (error < 0)
			return error;
	}
	*out = v;
	return TFP_OK;
}

static int dec_key(struct reader *r, const struct trail *at,
		   struct mp_item *key, const char **out)
{
	int error = rd_item(r, at, key);

	if (error < 0)
		return error;
	if (key->kind != MP_STR)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "Expected a string key but found a msgpack "
				   "%s.",
				   mp_kind_names[key->kind]);
	return dec_cstring(r, at, key, out);
}

static int dec_map(struct reader *r, const struct tfp_type *t,
		   const struct trail *at, int depth, const struct mp_item *it,
		   struct tfp_value **out)
{
	struct tfp_value *v = tfp_value_collection(r->a, t, it->count);
	struct mp_item key;
	ptrdiff_t dup;
	size_t i;
	int error;

	for (i = 0; i < it->count; i++) {
		struct trail step = {at, TFP_STEP_KEY, NULL, 0};

		error = dec_key(r, at, &key, &v->u.coll.keys[i]);
		if (error < 0)
			return error;
		step.name = v->u.coll.keys[i];
		error = decode(r, t->elem, &step, depth + 1,
			       &v->u.coll.items[i]);
		if (error < 0)
			return error;
	}
	dup = map_sort_check(r->a, v);
	if (dup >= 0)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "The map has key \"%s\" more than once.",
				   printable(r->a, v->u.coll.keys[dup],
					     strlen(v->u.coll.keys[dup])));
	*out = v;
	return TFP_OK;
}

/*
 * cty requires every attribute, no other key, and no repeats; checking
 * names rather than the pair count makes the error say which attribute.
 */
static int dec_object(struct reader *r, const struct tfp_type *t,
		      const struct trail *at, int depth,
		      const struct mp_item *it, struct tfp_value **out)
{
	struct tfp_value *v = known(r->a, t);
	struct mp_item key;
	const char *name;
	size_t i;
	int error, idx;

	v->u.coll.n = t->n_attrs;
	v->u.coll.items = tfp_arena_alloc(
		r->a, (t->n_attrs ? t->n_attrs : 1) * sizeof(*v->u.coll.items));
	for (i = 0; i < it->count; i++) {
		struct trail step = {at, TFP_STEP_ATTR, NULL, 0};

		error = dec_key(r, at, &key, &name);
		if (error < 0)
			return error;
		idx = tfp_type_attr_index(t, name);
		if (idx < 0)
			return trail_error(r->d, at, SUMMARY_DECODE,
					   "Unsupported attribute \"%s\": the "
					   "object type has no such attribute.",
					   printable(r->a, name, strlen(name)));
		step.name = t->attr_names[idx];
		if (v->u.coll.items[idx] != NULL)
			return trail_error(r->d, &step, SUMMARY_DECODE,
					   "Attribute \"%s\" appears more than "
					   "once.",
					   step.name);
		error = decode(r, t->attr_types[idx], &step, depth + 1,
			       &v->u.coll.items[idx]);
		if (error < 0)
			return error;
	}
	for (i = 0; i < t->n_attrs; i++) {
		struct trail step = {at, TFP_STEP_ATTR, t->attr_names[i], 0};

		if (v->u.coll.items[i] == NULL)
			return trail_error(r->d, &step, SUMMARY_DECODE,
					   "The object lacks attribute \"%s\"; "
					   "every attribute must be present.",
					   t->attr_names[i]);
	}
	*out = v;
	return TFP_OK;
}

/* A dynamic value travels as [type-JSON, value] (cty/msgpack/dynamic.go). */
static int dec_dynamic(struct reader *r, const struct trail *at, int depth,
		       const struct mp_item *it, struct tfp_value **out)
{
	struct mp_item tj;
	const struct tfp_type *t;
	int error;

	if (it->kind != MP_ARRAY || it->count != 2)
		return trail_error(
			r->d, at, SUMMARY_DECODE,
			"Expected a dynamic value as a two-element "
			"msgpack array [type, value] but found a %s.",
			mp_kind_names[it->kind]);
	error = rd_item(r, at, &tj);
	if (error < 0)
		return error;
	if (tj.kind != MP_STR && tj.kind != MP_BIN)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "Expected a dynamic value's type as JSON "
				   "text but found a msgpack %s.",
				   mp_kind_names[tj.kind]);
	t = tfp_type_from_json(r->a, tj.body, tj.len);
	if (t == NULL)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "Unsupported or invalid type %s for a "
				   "dynamic value (tuple types and object "
				   "types with optional attributes are not "
				   "supported).",
				   printable(r->a, tj.body, tj.len));
	return decode(r, t, at, depth + 1, out);
}

static int decode(struct reader *r, const struct tfp_type *t,
		  const struct trail *at, int depth, struct tfp_value **out)
{
	struct mp_item it;
	struct tfp_value *v;
	int error;

	error = rd_item(r, at, &it);
	if (error < 0)
		return error;
	if (it.kind == MP_NIL) {
		*out = tfp_value_null(r->a, t);
		return TFP_OK;
	}
	if (it.kind == MP_EXT)
		return dec_unknown(r, t, at, &it, out);
	if ((it.kind == MP_ARRAY || it.kind == MP_MAP) &&
	    depth >= TFP_MSGPACK_MAX_DEPTH)
		return trail_error(r->d, at, SUMMARY_DECODE,
				   "The value nests deeper than %d levels.",
				   TFP_MSGPACK_MAX_DEPTH);

	switch (t->kind) {
	case TFP_KIND_STRING:
		if (it.kind != MP_STR && it.kind != MP_BIN)
			return dec_mismatch(r, at, t, &it);
		v = known(r->a, t);
		error = dec_cstring(r, at, &it, &v->u.str);
		if (error < 0)
			return error;
		*out = v;
		return TFP_OK;
	case TFP_KIND_NUMBER:
		return dec_number(r, t, at, &it, out);
	case TFP_KIND_BOOL:
		if (it.kind != MP_BOOL)
			return dec_mismatch(r, at, t, &it);
		v = known(r->a, t);
		v->u.b = it.b;
		*out = v;
		return TFP_OK;
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		if (it.kind != MP_ARRAY)
			return dec_mismatch(r, at, t, &it);
		return dec_list(r, t, at, depth, &it, out);
	case TFP_KIND_MAP:
		if (it.kind != MP_MAP)
			return dec_mismatch(r, at, t, &it);
		return dec_map(r, t, at, depth, &it, out);
	case TFP_KIND_OBJECT:
		if (it.kind != MP_MAP)
			return dec_mismatch(r, at, t, &it);
		return dec_object(r, t, at, depth, &it, out);
	case TFP_KIND_DYNAMIC:
		return dec_dynamic(r, at, depth, &it, out);
	}
	return dec_mismatch(r, at, t, &it);
}

int tfp_msgpack_decode(struct tfp_value **out, struct tfp_arena *a,
		       const struct tfp_type *t, const uint8_t *buf, size_t len,
		       struct tfp_diags *d)
{
	struct reader r = {buf, buf + len, a, d};
	struct tfp_value *v = NULL;
	int error;

	*out = NULL;
	/* An absent DynamicValue (no bytes at all) means null. */
	if (len == 0) {
		*out = tfp_value_null(a, t);
		return TFP_OK;
	}
	error = decode(&r, t, NULL, 0, &v);
	if (error < 0)
		return error;
	if (r.p != r.end)
		return tfp_diag_error(d, SUMMARY_DECODE,
				      "Found %zu unexpected bytes after the "
				      "value.",
				      rd_left(&r));
	*out = v;
	return TFP_OK;
}

/* --- msgpack encoding ----------------------------------------------------- */

struct writer {
	msgpack_packer pk;
	uint8_t *buf;
	size_t len, cap;
	struct tfp_arena *a;
	struct tfp_diags *d;
};

static int writer_append(void *data, const char *bytes, size_t n)
{
	struct writer *w = data;

	if (n > w->cap - w->len) {
		size_t cap = w->cap ? w->cap : 256;

		while (n > cap - w->len)
			cap *= 2;
		w->buf = tfp_xrealloc(w->buf, cap);
		w->cap = cap;
	}
	memcpy(w->buf + w->len, bytes, n);
	w->len += n;
	return 0;
}

static int enc_bug(struct writer *w, const struct trail *at,
		   const struct tfp_type *t, const struct tfp_value *v)
{
	return trail_error(w->d, at, SUMMARY_ENCODE,
			   "Expected %s but the value is %s (a provider bug).",
			   type_desc(t), type_desc(v->type));
}

static void enc_str(struct writer *w, const char *s)
{
	size_t n = strlen(s);

	msgpack_pack_str(&w->pk, n);
	msgpack_pack_str_body(&w->pk, s, n);
}

static int encode(struct writer *w, const struct tfp_value *v,
		  const struct tfp_type *t, const struct trail *at, int depth);

/*
 * The shortest decimal text that reads back as f ("0.1", not
 * "0.10000000000000001"), so that a value the configuration wrote as 0.1
 * equals the one read back.
 */
static const char *shortest_decimal(struct tfp_arena *a, double f)
{
	char buf[40];
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	snprintf(buf, sizeof(buf), "%.*g", prec, f);
	return tfp_arena_strdup(a, buf);
}

/*
 * Numbers go to Terraform as decimal text, which cty's msgpack decoder
 * accepts for any number. The reason is state equality: Terraform parses
 * the numbers of its state file at 512-bit precision but msgpack integer
 * and float codes at 64 and 53 bits, and it compares the refreshed state
 * with the prior one with reflect.DeepEqual, precision included. With
 * integer codes every refresh of a resource with a number "changed" it,
 * so `plan -refresh-only -detailed-exitcode` exited 2 on a clean
 * workspace. Text decodes exactly like the state file.
 */
static int enc_number(struct writer *w, const struct tfp_value *v,
		      const struct trail *at)
{
	const struct tfp_number *num = &v->u.num;
	struct tfp_number check;
	char buf[24];
	int64_t i;

	switch (num->kind) {
	case TFP_NUM_INT:
		snprintf(buf, sizeof(buf), "%" PRId64, num->i);
		enc_str(w, buf);
		return TFP_OK;
	case TFP_NUM_FLOAT:
		if (isnan(num->f) || isinf(num->f))
			return trail_error(w->d, at, SUMMARY_ENCODE,
					   "The value is %s, which Terraform "
					   "numbers cannot hold (a provider "
					   "bug).",
					   isnan(num->f) ? "NaN" : "infinite");
		if (double_to_int(num->f, &i)) {
			snprintf(buf, sizeof(buf), "%" PRId64, i);
			enc_str(w, buf);
		} else if (num->f == trunc(num->f) &&
			   fabs(num->f) < 18446744073709551616.0) {
			/* Beyond int64 (2^63 from a uint64 code): every digit,
			 * since Terraform reads text at 512 bits. */
			enc_str(w, tfp_arena_printf(w->a, "%.0f", num->f));
		} else {
			enc_str(w, shortest_decimal(w->a, num->f));
		}
		return TFP_OK;
	case TFP_NUM_TEXT:
		if (num->text == NULL ||
		    !tfp_value_parse_number(&check, w->a, num->text,
					    strlen(num->text)))
			return trail_error(
				w->d, at, SUMMARY_ENCODE,
				"The number text \"%s\" is not a "
				"decimal number (a provider bug).",
				num->text ? printable(w->a, num->text,
						      strlen(num->text))
					  : "(null)");
		enc_str(w, num->text);
		return TFP_OK;
	}
	return TFP_ERROR;
}

static int enc_children(struct writer *w, const struct tfp_value *v,
			const struct tfp_type *t, const struct trail *at,
			int depth)
{
	size_t i, n = v->u.coll.n;
	int error;

	switch (t->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		msgpack_pack_array(&w->pk, n);
		for (i = 0; i < n; i++) {
			struct trail step = {at, TFP_STEP_INDEX, NULL,
					     (int64_t)i};

			error = encode(w, v->u.coll.items[i], t->elem,
				       t->kind == TFP_KIND_SET ? at : &step,
				       depth + 1);
			if (error < 0)
				return error;
		}
		return TFP_OK;
	case TFP_KIND_MAP:
		msgpack_pack_map(&w->pk, n);
		for (i = 0; i < n; i++) {
			struct trail step = {at, TFP_STEP_KEY,
					     v->u.coll.keys[i], 0};

			if (v->u.coll.keys[i] == NULL)
				return trail_error(w->d, at, SUMMARY_ENCODE,
						   "Map entry %zu has no key "
						   "(a provider bug).",
						   i);
			enc_str(w, v->u.coll.keys[i]);
			error = encode(w, v->u.coll.items[i], t->elem, &step,
				       depth + 1);
			if (error < 0)
				return error;
		}
		return TFP_OK;
	case TFP_KIND_OBJECT:
		msgpack_pack_map(&w->pk, t->n_attrs);
		for (i = 0; i < t->n_attrs; i++) {
			struct trail step = {at, TFP_STEP_ATTR,
					     t->attr_names[i], 0};

			enc_str(w, t->attr_names[i]);
			error = encode(w, v->u.coll.items[i], t->attr_types[i],
				       &step, depth + 1);
			if (error < 0)
				return error;
		}
		return TFP_OK;
	default:
		return enc_bug(w, at, t, v);
	}
}

/* Whether a known object value has exactly the attributes of type t. */
static bool object_fits(const struct tfp_value *v, const struct tfp_type *t)
{
	size_t i;

	if (v->u.coll.n != t->n_attrs || v->type->n_attrs != t->n_attrs)
		return false;
	if (v->type == t)
		return true;
	for (i = 0; i < t->n_attrs; i++)
		if (strcmp(v->type->attr_names[i], t->attr_names[i]) != 0)
			return false;
	return true;
}

static int encode(struct writer *w, const struct tfp_value *v,
		  const struct tfp_type *t, const struct trail *at, int depth)
{
	if (depth > TFP_MSGPACK_MAX_DEPTH)
		return trail_error(w->d, at, SUMMARY_ENCODE,
				   "The value nests deeper than %d levels.",
				   TFP_MSGPACK_MAX_DEPTH);

	/*
	 * In a dynamic slot, a value of a concrete type (even a null or an
	 * unknown one) carries its type along (cty/msgpack/marshal.go).
	 */
	if (t->kind == TFP_KIND_DYNAMIC && v != NULL &&
	    v->type->kind != TFP_KIND_DYNAMIC) {
		msgpack_pack_array(&w->pk, 2);
		enc_str(w, tfp_type_json(w->a, v->type));
		return encode(w, v, v->type, at, depth + 1);
	}
	if (tfp_value_is_null(v)) {
		msgpack_pack_nil(&w->pk);
		return TFP_OK;
	}
	if (v->state == TFP_VALUE_UNKNOWN) {
		/*
		 * Both forms as Terraform writes them: msgpack-c chooses
		 * fixext or ext8 by length exactly as the Go encoder does.
		 */
		if (v->refinement != NULL && v->refinement_len > 1) {
			msgpack_pack_ext(&w->pk, v->refinement_len,
					 EXT_REFINED);
			msgpack_pack_ext_body(&w->pk, v->refinement,
					      v->refinement_len);
		} else {
			msgpack_pack_ext(&w->pk, 1, 0);
			msgpack_pack_ext_body(&w->pk, "", 1);
		}
		return TFP_OK;
	}
	if (t->kind == TFP_KIND_DYNAMIC || v->type->kind != t->kind)
		return enc_bug(w, at, t, v);

	switch (t->kind) {
	case TFP_KIND_STRING:
		if (v->u.str == NULL)
			return enc_bug(w, at, t, v);
		enc_str(w, v->u.str);
		return TFP_OK;
	case TFP_KIND_NUMBER:
		return enc_number(w, v, at);
	case TFP_KIND_BOOL:
		if (v->u.b)
			msgpack_pack_true(&w->pk);
		else
			msgpack_pack_false(&w->pk);
		return TFP_OK;
	case TFP_KIND_OBJECT:
		if (!object_fits(v, t))
			return trail_error(w->d, at, SUMMARY_ENCODE,
					   "The object's attributes do not "
					   "match its schema type (a provider "
					   "bug).");
		/* fall through */
	default:
		return enc_children(w, v, t, at, depth);
	}
}

int tfp_msgpack_encode(uint8_t **out, size_t *out_len, struct tfp_arena *a,
		       const struct tfp_value *v, struct tfp_diags *d)
{
	struct writer w = {.a = a, .d = d};
	int error;

	*out = NULL;
	*out_len = 0;
	msgpack_packer_init(&w.pk, &w, writer_append);
	error = encode(&w, v, v ? v->type : &tfp_type_dynamic, NULL, 0);
	if (error < 0)
		goto done;
	*out = tfp_arena_memdup(a, w.buf, w.len);
	*out_len = w.len;

done:
	free(w.buf);
	return error;
}

/* --- JSON numbers --------------------------------------------------------- */

/*
 * cJSON keeps a number only as a double, and 9007199254740993 parses to
 * the same double as 2^53 (c-libraries.md §3). To keep the exact text, the
 * document is scanned for number tokens, which outside strings are exactly
 * the runs that start with '-' or a digit (the literals true, false and
 * null hold no digits), and cJSON's tree lists its number nodes in the same
 * document order. Pairing the two lists gives every number node its text.
 */
struct num_text {
	const cJSON *node;
	const char *text;
	size_t len;
};

struct num_table {
	struct num_text *items;
	size_t n, cap;
};

static void num_push(struct tfp_arena *a, struct num_table *t,
		     const cJSON *node, const char *text, size_t len)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct num_text *items =
			tfp_arena_alloc(a, cap * sizeof(*items));

		if (t->n > 0)
			memcpy(items, t->items, t->n * sizeof(*items));
		t->items = items;
		t->cap = cap;
	}
	t->items[t->n].node = node;
	t->items[t->n].text = text;
	t->items[t->n].len = len;
	t->n++;
}

static bool is_number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
	       c == 'e' || c == 'E';
}

/* Number tokens of a JSON text that cJSON accepted, in order. */
static void num_scan(struct tfp_arena *a, struct num_table *t, const char *s,
		     size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
		} else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
			start = i;
			while (i < len && is_number_char(s[i]))
				i++;
			num_push(a, t, NULL, s + start, i - start);
		} else {
			i++;
		}
	}
}

/* Number nodes of a tree, in document order, paired with the scan. */
static bool num_pair(const cJSON *node, struct num_table *t, size_t *k)
{
	const cJSON *child;

	if (cJSON_IsNumber(node)) {
		if (*k >= t->n)
			return false;
		t->items[(*k)++].node = node;
	}
	for (child = node->child; child != NULL; child = child->next)
		if (!num_pair(child, t, k))
			return false;
	return true;
}

static int num_text_cmp(const void *x, const void *y)
{
	uintptr_t px = (uintptr_t)((const struct num_text *)x)->node;
	uintptr_t py = (uintptr_t)((const struct num_text *)y)->node;

	return px < py ? -1 : px > py;
}

static const struct num_text *num_find(const struct num_table *t,
				       const cJSON *node)
{
	struct num_text key = {node, NULL, 0};

	return bsearch(&key, t->items, t->n, sizeof(*t->items), num_text_cmp);
}

/* --- JSON decoding -------------------------------------------------------- */

struct jreader {
	struct tfp_arena *a;
	struct tfp_diags *d;
	struct num_table nums;
};

static const char *json_desc(const cJSON *j)
{
	if (cJSON_IsBool(j))
		return "a JSON bool";
	if (cJSON_IsNumber(j))
		return "a JSON number";
	if (cJSON_IsString(j))
		return "a JSON string";
	if (cJSON_IsArray(j))
		return "a JSON array";
	if (cJSON_IsObject(j))
		return "a JSON object";
	return "a JSON value";
}

static int jdecode(struct jreader *r, const cJSON *j, const struct tfp_type *t,
		   const struct trail *at, int depth, struct tfp_value **out);

static int jmismatch(struct jreader *r, const struct trail *at,
		     const struct tfp_type *t, const cJSON *j)
{
	return trail_error(r->d, at, SUMMARY_JSON, "Expected %s but found %s.",
			   type_desc(t), json_desc(j));
}

/*
 * Like cty's JSON decoder, a string attribute also takes a number or bool
 * (by its text) and number and bool attributes take strings, which lets
 * state written under an older schema decode under a newer one.
 */
static int jscalar(struct jreader *r, const cJSON *j, const struct tfp_type *t,
		   const struct trail *at, struct tfp_value **out)
{
	struct tfp_value *v = known(r->a, t);
	const struct num_text *nt = NULL;
	const char *text;
	size_t len;

	if (cJSON_IsNumber(j)) {
		nt = num_find(&r->nums, j);
		if (nt == NULL)
			return trail_error(r->d, at, SUMMARY_JSON,
					   "Internal error: lost the text of "
					   "a JSON number.");
	}
	switch (t->kind) {
	case TFP_KIND_STRING:
		if (cJSON_IsString(j))
			v->u.str = tfp_arena_strdup(r->a, j->valuestring);
		else if (nt != NULL)
			v->u.str = tfp_arena_strndup(r->a, nt->text, nt->len);
		else if (cJSON_IsBool(j))
			v->u.str = cJSON_IsTrue(j) ? "true" : "false";
		else
			return jmismatch(r, at, t, j);
		break;
	case TFP_KIND_NUMBER:
		if (nt != NULL) {
			text = nt->text;
			len = nt->len;
		} else if (cJSON_IsString(j)) {
			text = j->valuestring;
			len = strlen(text);
		} else {
			return jmismatch(r, at, t, j);
		}
		if (!tfp_value_parse_number(&v->u.num, r->a, text, len))
			return trail_error(r->d, at, SUMMARY_JSON,
					   "\"%s\" is not a valid number.",
					   printable(r->a, text, len));
		break;
	case TFP_KIND_BOOL:
		if (cJSON_IsBool(j))
			v->u.b = cJSON_IsTrue(j);
		else if (cJSON_IsString(j) &&
			 strcmp(j->valuestring, "true") == 0)
			v->u.b = true;
		else if (cJSON_IsString(j) &&
			 strcmp(j->valuestring, "false") == 0)
			v->u.b = false;
		else
			return jmismatch(r, at, t, j);
		break;
	default:
		return jmismatch(r, at, t, j);
	}
	*out = v;
	return TFP_OK;
}

static int jcollection(struct jreader *r, const cJSON *j,
		       const struct tfp_type *t, const struct trail *at,
		       int depth, struct tfp_value **out)
{
	struct tfp_value *v;
	const cJSON *item;
	ptrdiff_t dup;
	size_t i = 0;
	int error;

	if (t->kind == TFP_KIND_MAP ? !cJSON_IsObject(j) : !cJSON_IsArray(j))
		return jmismatch(r, at, t, j);
	v = tfp_value_collection(r->a, t, (size_t)cJSON_GetArraySize(j));
	cJSON_ArrayForEach(item, j)
	{
		struct trail step = {at, TFP_STEP_INDEX, NULL, (int64_t)i};
		const struct trail *child = &step;

		if (t->kind == TFP_KIND_SET) {
			child = at;
		} else if (t->kind == TFP_KIND_MAP) {
			v->u.coll.keys[i] =
				tfp_arena_strdup(r->a, item->string);
			step.kind = TFP_STEP_KEY;
			step.name = v->u.coll.keys[i];
		}
		error = jdecode(r, item, t->elem, child, depth + 1,
				&v->u.coll.items[i]);
		if (error < 0)
			return error;
		i++;
	}
	if (t->kind == TFP_KIND_MAP) {
		dup = map_sort_check(r->a, v);
		if (dup >= 0)
			return trail_error(
				r->d, at, SUMMARY_JSON,
				"The map has key \"%s\" more than once.",
				printable(r->a, v->u.coll.keys[dup],
					  strlen(v->u.coll.keys[dup])));
	}
	*out = v;
	return TFP_OK;
}

/*
 * State may predate the schema: a missing attribute is null and one the
 * type no longer has is dropped (UpgradeResourceState's job).
 */
static int jobject(struct jreader *r, const cJSON *j, const struct tfp_type *t,
		   const struct trail *at, int depth, struct tfp_value **out)
{
	struct tfp_value *v;
	size_t i;
	int error;

	if (!cJSON_IsObject(j))
		return jmismatch(r, at, t, j);
	v = tfp_value_object(r->a, t);
	for (i = 0; i < t->n_attrs; i++) {
		struct trail step = {at, TFP_STEP_ATTR, t->attr_names[i], 0};
		const cJSON *item =
			cJSON_GetObjectItemCaseSensitive(j, t->attr_names[i]);

		if (item == NULL)
			continue;
		error = jdecode(r, item, t->attr_types[i], &step, depth + 1,
				&v->u.coll.items[i]);
		if (error < 0)
			return error;
	}
	*out = v;
	return TFP_OK;
}

/* cty's JSON form of a dynamic value: {"value": ..., "type": ...}. */
static int jdynamic(struct jreader *r, const cJSON *j, const struct trail *at,
		    int depth, struct tfp_value **out)
{
	const cJSON *tj = cJSON_GetObjectItemCaseSensitive(j, "type");
	const cJSON *vj = cJSON_GetObjectItemCaseSensitive(j, "value");
	const struct tfp_type *t = NULL;
	char *text;

	if (!cJSON_IsObject(j) || tj == NULL || vj == NULL)
		return trail_error(r->d, at, SUMMARY_JSON,
				   "Expected a dynamic value as a JSON object "
				   "with \"type\" and \"value\" but found %s.",
				   json_desc(j));
	text = cJSON_PrintUnformatted(tj);
	if (text != NULL) {
		t = tfp_type_from_json(r->a, text, strlen(text));
		cJSON_free(text);
	}
	if (t == NULL)
		return trail_error(r->d, at, SUMMARY_JSON,
				   "Unsupported or invalid type for a dynamic "
				   "value (tuple types are not supported).");
	return jdecode(r, vj, t, at, depth + 1, out);
}

static int jdecode(struct jreader *r, const cJSON *j, const struct tfp_type *t,
		   const struct trail *at, int depth, struct tfp_value **out)
{
	if (cJSON_IsNull(j)) {
		*out = tfp_value_null(r->a, t);
		return TFP_OK;
	}
	if ((cJSON_IsArray(j) || cJSON_IsObject(j)) &&
	    depth >= TFP_MSGPACK_MAX_DEPTH)
		return trail_error(r->d, at, SUMMARY_JSON,
				   "The value nests deeper than %d levels.",
				   TFP_MSGPACK_MAX_DEPTH);
	switch (t->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
	case TFP_KIND_MAP:
		return jcollection(r, j, t, at, depth, out);
	case TFP_KIND_OBJECT:
		return jobject(r, j, t, at, depth, out);
	case TFP_KIND_DYNAMIC:
		return jdynamic(r, j, at, depth, out);
	default:
		return jscalar(r, j, t, at, out);
	}
}

int tfp_json_decode_value(struct tfp_value **out, struct tfp_arena *a,
			  const struct tfp_type *t, const char *json,
			  size_t len, struct tfp_diags *d)
{
	struct jreader r = {a, d, {NULL, 0, 0}};
	cJSON *root = NULL;
	char *text;
	size_t k = 0;
	int error;

	*out = NULL;
	if (len == 0) {
		*out = tfp_value_null(a, t);
		return TFP_OK;
	}
	if (memchr(json, '\0', len) != NULL)
		return tfp_diag_error(d, SUMMARY_JSON,
				      "The state JSON contains a NUL byte.");
	/* cJSON wants the end marked by a NUL to reject trailing text. */
	text = tfp_arena_strndup(a, json, len);
	root = cJSON_ParseWithOpts(text, NULL, 1);
	if (root == NULL)
		return tfp_diag_error(d, SUMMARY_JSON,
				      "The state is not valid JSON.");

	num_scan(a, &r.nums, text, len);
	if (!num_pair(root, &r.nums, &k) || k != r.nums.n) {
		error = tfp_diag_error(d, SUMMARY_JSON,
				       "Internal error: the numbers in the "
				       "state JSON could not be read exactly.");
		goto done;
	}
	if (r.nums.n > 1)
		qsort(r.nums.items, r.nums.n, sizeof(*r.nums.items),
		      num_text_cmp);

	error = jdecode(&r, root, t, NULL, 0, out);

done:
	cJSON_Delete(root);
	if (error < 0)
		*out = NULL;
	return error;
}
