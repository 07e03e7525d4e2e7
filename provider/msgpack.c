/*
 * Type-directed msgpack <-> tfp_value (cty's encoding).
 *
 * Decoding uses a small bounds-checked reader of our own instead of
 * msgpack-c's unpacker: msgpack-c allocates from a container's header count
 * before reading the elements, so five bytes (df ff ff ff ff) make it ask
 * for 64 GiB (c-libraries.md §2.1). Here every length is checked against
 * the bytes that remain before anything is allocated, so memory stays
 * proportional to the input, and nesting stops at TFP_MSGPACK_MAX_DEPTH.
 * The value's type directs the reader, as in cty/msgpack/unmarshal.go, so
 * each error can name the attribute path (kept as a stack-allocated trail,
 * decode.h, and turned into a tfp_path only when an error is reported).
 *
 * Encoding uses msgpack-c's packer, whose integer and extension forms are
 * the compact ones Terraform's Go encoder writes, so values decoded from
 * Terraform re-encode to the same bytes. Its output goes to a buffer grown
 * with tfp_xrealloc, which aborts on exhaustion as everywhere else, so the
 * pack calls cannot fail.
 *
 * State stored as JSON is statejson.c's. This is the only file that
 * includes msgpack-c. It includes the <msgpack/...> headers by path because
 * "msgpack.h" is this module's own.
 */
#include "msgpack.h"

#include <inttypes.h>
#include <math.h>
#include <msgpack/pack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decode.h"
#include "diag.h"
#include "path.h"
#include "value.h"

#define SUMMARY_DECODE "Invalid value from Terraform"
#define SUMMARY_ENCODE "Provider produced an invalid value"

/* cty's extension code for an unknown value with refinements. */
#define EXT_REFINED 12

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

static int rd_truncated(struct reader *r, const struct tfp_trail *at)
{
	return tfp_decode_error(
		r->d, at, SUMMARY_DECODE,
		"The msgpack data ends in the middle of a value.");
}

/*
 * Reads one item's header; for strings, binaries and extensions also the
 * body. A container's count is checked against the bytes left, since each
 * element takes at least one byte (two per map pair).
 */
static int rd_item(struct reader *r, const struct tfp_trail *at,
		   struct mp_item *it)
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
			return tfp_decode_error(
				r->d, at, SUMMARY_DECODE,
				"Byte 0x%02x is not valid msgpack.", c);
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
			return tfp_decode_error(
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
		  const struct tfp_trail *at, int depth,
		  struct tfp_value **out);

static int dec_mismatch(struct reader *r, const struct tfp_trail *at,
			const struct tfp_type *t, const struct mp_item *it)
{
	return tfp_decode_error(
		r->d, at, SUMMARY_DECODE, "Expected %s but found a msgpack %s.",
		tfp_decode_type_desc(t), mp_kind_names[it->kind]);
}

/* A string or binary body as a C string; values cannot hold a NUL. */
static int dec_cstring(struct reader *r, const struct tfp_trail *at,
		       const struct mp_item *it, const char **out)
{
	/*
	 * Set on every path: callers test only the return code, and the
	 * compiler cannot see that tfp_decode_error always returns < 0.
	 */
	*out = NULL;
	if (memchr(it->body, '\0', it->len) != NULL)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"The string \"%s\" contains a NUL byte, "
			"which this provider cannot represent.",
			tfp_decode_printable(r->a, it->body, it->len));
	*out = tfp_arena_strndup(r->a, it->body, it->len);
	return TFP_OK;
}

/*
 * Any extension of at most one byte is an unknown, whatever its code
 * (cty/msgpack/unknown.go); a longer one must be a refinement, whose body
 * is kept for the encoder to write back (terraform-plugin-protocol.md §7.3).
 */
static int dec_unknown(struct reader *r, const struct tfp_type *t,
		       const struct tfp_trail *at, const struct mp_item *it,
		       struct tfp_value **out)
{
	struct tfp_value *v;

	if (it->len > 1 && it->ext_type != EXT_REFINED)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
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
		      const struct tfp_trail *at, const struct mp_item *it,
		      struct tfp_value **out)
{
	struct tfp_value *v = tfp_decode_known(r->a, t);
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
			return tfp_decode_error(r->d, at, SUMMARY_DECODE,
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
			return tfp_decode_error(
				r->d, at, SUMMARY_DECODE,
				"\"%s\" is not a valid number.",
				tfp_decode_printable(r->a, it->body, it->len));
		break;
	default:
		return dec_mismatch(r, at, t, it);
	}
	*out = v;
	return TFP_OK;
}

static int dec_list(struct reader *r, const struct tfp_type *t,
		    const struct tfp_trail *at, int depth,
		    const struct mp_item *it, struct tfp_value **out)
{
	struct tfp_value *v = tfp_value_collection(r->a, t, it->count);
	size_t i;
	int error;

	for (i = 0; i < it->count; i++) {
		struct tfp_trail step = {at, TFP_STEP_INDEX, NULL, (int64_t)i};

		error = decode(r, t->elem, t->kind == TFP_KIND_SET ? at : &step,
			       depth + 1, &v->u.coll.items[i]);
		if (error < 0)
			return error;
	}
	*out = v;
	return TFP_OK;
}

static int dec_key(struct reader *r, const struct tfp_trail *at,
		   struct mp_item *key, const char **out)
{
	int error;

	*out = NULL; /* on every path, as in dec_cstring */
	error = rd_item(r, at, key);
	if (error < 0)
		return error;
	if (key->kind != MP_STR)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"Expected a string key but found a msgpack "
			"%s.",
			mp_kind_names[key->kind]);
	return dec_cstring(r, at, key, out);
}

static int dec_map(struct reader *r, const struct tfp_type *t,
		   const struct tfp_trail *at, int depth,
		   const struct mp_item *it, struct tfp_value **out)
{
	struct tfp_value *v = tfp_value_collection(r->a, t, it->count);
	struct mp_item key;
	ptrdiff_t dup;
	size_t i;
	int error;

	for (i = 0; i < it->count; i++) {
		struct tfp_trail step = {at, TFP_STEP_KEY, NULL, 0};

		error = dec_key(r, at, &key, &v->u.coll.keys[i]);
		if (error < 0)
			return error;
		step.name = v->u.coll.keys[i];
		error = decode(r, t->elem, &step, depth + 1,
			       &v->u.coll.items[i]);
		if (error < 0)
			return error;
	}
	dup = tfp_decode_map_check(r->a, v);
	if (dup >= 0)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"The map has key \"%s\" more than once.",
			tfp_decode_printable(r->a, v->u.coll.keys[dup],
					     strlen(v->u.coll.keys[dup])));
	*out = v;
	return TFP_OK;
}

/*
 * cty requires every attribute, no other key, and no repeats; checking
 * names rather than the pair count makes the error say which attribute.
 */
static int dec_object(struct reader *r, const struct tfp_type *t,
		      const struct tfp_trail *at, int depth,
		      const struct mp_item *it, struct tfp_value **out)
{
	struct tfp_value *v = tfp_decode_known(r->a, t);
	struct mp_item key;
	const char *name;
	size_t i;
	int error, idx;

	v->u.coll.n = t->n_attrs;
	v->u.coll.items = tfp_arena_alloc(
		r->a, (t->n_attrs ? t->n_attrs : 1) * sizeof(*v->u.coll.items));
	for (i = 0; i < it->count; i++) {
		struct tfp_trail step = {at, TFP_STEP_ATTR, NULL, 0};

		error = dec_key(r, at, &key, &name);
		if (error < 0)
			return error;
		idx = tfp_type_attr_index(t, name);
		if (idx < 0)
			return tfp_decode_error(
				r->d, at, SUMMARY_DECODE,
				"Unsupported attribute \"%s\": the "
				"object type has no such attribute.",
				tfp_decode_printable(r->a, name, strlen(name)));
		step.name = t->attr_names[idx];
		if (v->u.coll.items[idx] != NULL)
			return tfp_decode_error(
				r->d, &step, SUMMARY_DECODE,
				"Attribute \"%s\" appears more than "
				"once.",
				step.name);
		error = decode(r, t->attr_types[idx], &step, depth + 1,
			       &v->u.coll.items[idx]);
		if (error < 0)
			return error;
	}
	for (i = 0; i < t->n_attrs; i++) {
		struct tfp_trail step = {at, TFP_STEP_ATTR, t->attr_names[i],
					 0};

		if (v->u.coll.items[i] == NULL)
			return tfp_decode_error(
				r->d, &step, SUMMARY_DECODE,
				"The object lacks attribute \"%s\"; "
				"every attribute must be present.",
				t->attr_names[i]);
	}
	*out = v;
	return TFP_OK;
}

/* A dynamic value travels as [type-JSON, value] (cty/msgpack/dynamic.go). */
static int dec_dynamic(struct reader *r, const struct tfp_trail *at, int depth,
		       const struct mp_item *it, struct tfp_value **out)
{
	struct mp_item tj;
	const struct tfp_type *t;
	int error;

	if (it->kind != MP_ARRAY || it->count != 2)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"Expected a dynamic value as a two-element "
			"msgpack array [type, value] but found a %s.",
			mp_kind_names[it->kind]);
	error = rd_item(r, at, &tj);
	if (error < 0)
		return error;
	if (tj.kind != MP_STR && tj.kind != MP_BIN)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"Expected a dynamic value's type as JSON "
			"text but found a msgpack %s.",
			mp_kind_names[tj.kind]);
	t = tfp_type_from_json(r->a, tj.body, tj.len);
	if (t == NULL)
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"Unsupported or invalid type %s for a "
			"dynamic value (tuple types and object "
			"types with optional attributes are not "
			"supported).",
			tfp_decode_printable(r->a, tj.body, tj.len));
	return decode(r, t, at, depth + 1, out);
}

static int decode(struct reader *r, const struct tfp_type *t,
		  const struct tfp_trail *at, int depth, struct tfp_value **out)
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
		return tfp_decode_error(
			r->d, at, SUMMARY_DECODE,
			"The value nests deeper than %d levels.",
			TFP_MSGPACK_MAX_DEPTH);

	switch (t->kind) {
	case TFP_KIND_STRING:
		if (it.kind != MP_STR && it.kind != MP_BIN)
			return dec_mismatch(r, at, t, &it);
		v = tfp_decode_known(r->a, t);
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
		v = tfp_decode_known(r->a, t);
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

static int enc_bug(struct writer *w, const struct tfp_trail *at,
		   const struct tfp_type *t, const struct tfp_value *v)
{
	return tfp_decode_error(
		w->d, at, SUMMARY_ENCODE,
		"Expected %s but the value is %s (a provider bug).",
		tfp_decode_type_desc(t), tfp_decode_type_desc(v->type));
}

static void enc_str(struct writer *w, const char *s)
{
	size_t n = strlen(s);

	msgpack_pack_str(&w->pk, n);
	msgpack_pack_str_body(&w->pk, s, n);
}

static int encode(struct writer *w, const struct tfp_value *v,
		  const struct tfp_type *t, const struct tfp_trail *at,
		  int depth);

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
		      const struct tfp_trail *at)
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
			return tfp_decode_error(
				w->d, at, SUMMARY_ENCODE,
				"The value is %s, which Terraform "
				"numbers cannot hold (a provider "
				"bug).",
				isnan(num->f) ? "NaN" : "infinite");
		if (double_to_int(num->f, &i)) {
			snprintf(buf, sizeof(buf), "%" PRId64, i);
			enc_str(w, buf);
		} else {
			/* Every digit of the double (2^-30 is
			 * 931322574615478515625e-30): Terraform reads text at
			 * 512 bits, so the shortest text that reads back as
			 * the double at 53 bits would be another number. A
			 * value that came as "0.1" is TEXT, not FLOAT, and
			 * goes back as it came. */
			enc_str(w, tfp_number_exact_text(w->a, num));
		}
		return TFP_OK;
	case TFP_NUM_TEXT:
		if (num->text == NULL ||
		    !tfp_value_parse_number(&check, w->a, num->text,
					    strlen(num->text)))
			return tfp_decode_error(
				w->d, at, SUMMARY_ENCODE,
				"The number text \"%s\" is not a "
				"decimal number (a provider bug).",
				num->text ? tfp_decode_printable(
						    w->a, num->text,
						    strlen(num->text))
					  : "(null)");
		enc_str(w, num->text);
		return TFP_OK;
	}
	return TFP_ERROR;
}

static int enc_children(struct writer *w, const struct tfp_value *v,
			const struct tfp_type *t, const struct tfp_trail *at,
			int depth)
{
	size_t i, n = v->u.coll.n;
	int error;

	switch (t->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		msgpack_pack_array(&w->pk, n);
		for (i = 0; i < n; i++) {
			struct tfp_trail step = {at, TFP_STEP_INDEX, NULL,
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
			struct tfp_trail step = {at, TFP_STEP_KEY,
						 v->u.coll.keys[i], 0};

			if (v->u.coll.keys[i] == NULL)
				return tfp_decode_error(
					w->d, at, SUMMARY_ENCODE,
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
			struct tfp_trail step = {at, TFP_STEP_ATTR,
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
		  const struct tfp_type *t, const struct tfp_trail *at,
		  int depth)
{
	if (depth > TFP_MSGPACK_MAX_DEPTH)
		return tfp_decode_error(
			w->d, at, SUMMARY_ENCODE,
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
			return tfp_decode_error(
				w->d, at, SUMMARY_ENCODE,
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
