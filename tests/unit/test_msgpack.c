/*
 * Unit tests for msgpack.c: cty's msgpack encoding and JSON state decoding.
 *
 * Rows are {name, hex, type, expected}: the hex is what Terraform sends (or
 * hostile input), and expected is the decoded value rendered compactly:
 *
 *   null  ?  ?[8101c2] (refined unknown, body in hex)  "str"  true
 *   128 (INT)  3.5f (FLOAT)  #0.1 (TEXT)  [list]  <set>  {"key":map}
 *   {attr:object}
 *
 * Valid rows marked round-trip must re-encode to the same bytes (numbers
 * given as integer or float codes do not: the encoder writes every number
 * as decimal text, see enc_number); error rows
 * name the path the diagnostic must carry and a phrase of its detail.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "decode.h"
#include "diag.h"
#include "msgpack.h"
#include "statejson.h"
#include "path.h"
#include "value.h"
#include "unit_test.h"

/* --- types used by the rows ----------------------------------------------- */

static const char *const idname_names[] = {"id", "name"};
static const struct tfp_type *const idname_types[] = {&tfp_type_string,
						      &tfp_type_string};
static const struct tfp_type t_idname = {.kind = TFP_KIND_OBJECT,
					 .n_attrs = 2,
					 .attr_names = idname_names,
					 .attr_types = idname_types};

static const char *const flag_names[] = {"flag"};
static const struct tfp_type *const flag_types[] = {&tfp_type_bool};
static const struct tfp_type t_flag = {.kind = TFP_KIND_OBJECT,
				       .n_attrs = 1,
				       .attr_names = flag_names,
				       .attr_types = flag_types};

static const char *const task_names[] = {"key", "n"};
static const struct tfp_type *const task_types[] = {&tfp_type_string,
						    &tfp_type_number};
static const struct tfp_type t_task = {.kind = TFP_KIND_OBJECT,
				       .n_attrs = 2,
				       .attr_names = task_names,
				       .attr_types = task_types};
static const struct tfp_type t_task_list = {.kind = TFP_KIND_LIST,
					    .elem = &t_task};

static const char *const job_names[] = {"flags", "name", "tags", "tasks"};
static const struct tfp_type *const job_types[] = {
	&tfp_type_set_string, &tfp_type_string, &tfp_type_map_string,
	&t_task_list};
static const struct tfp_type t_job = {.kind = TFP_KIND_OBJECT,
				      .n_attrs = 4,
				      .attr_names = job_names,
				      .attr_types = job_types};

static const char *const dyn_names[] = {"v"};
static const struct tfp_type *const dyn_types[] = {&tfp_type_dynamic};
static const struct tfp_type t_objdyn = {.kind = TFP_KIND_OBJECT,
					 .n_attrs = 1,
					 .attr_names = dyn_names,
					 .attr_types = dyn_types};

static const struct tfp_type t_list_number = {.kind = TFP_KIND_LIST,
					      .elem = &tfp_type_number};

/* --- helpers -------------------------------------------------------------- */

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;

	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
		unsigned int byte;

		assert_true(n < cap);
		assert_int_equal(sscanf(hex, "%2x", &byte), 1);
		out[n++] = (uint8_t)byte;
	}
	return n;
}

static char *tohex(struct tfp_arena *a, const uint8_t *p, size_t n)
{
	char *out = tfp_arena_alloc(a, 2 * n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	return out;
}

static char *render(struct tfp_arena *a, const struct tfp_value *v);

static char *render_children(struct tfp_arena *a, const struct tfp_value *v,
			     const char *open, const char *close)
{
	char *out = tfp_arena_strdup(a, open);
	size_t i;

	for (i = 0; i < v->u.coll.n; i++) {
		const char *sep = i ? "," : "";
		const char *item = render(a, v->u.coll.items[i]);

		if (v->type->kind == TFP_KIND_MAP)
			out = tfp_arena_printf(a, "%s%s\"%s\":%s", out, sep,
					       v->u.coll.keys[i], item);
		else if (v->type->kind == TFP_KIND_OBJECT)
			out = tfp_arena_printf(a, "%s%s%s:%s", out, sep,
					       v->type->attr_names[i], item);
		else
			out = tfp_arena_printf(a, "%s%s%s", out, sep, item);
	}
	return tfp_arena_printf(a, "%s%s", out, close);
}

static char *render(struct tfp_arena *a, const struct tfp_value *v)
{
	if (tfp_value_is_null(v))
		return "null";
	if (tfp_value_is_unknown(v)) {
		if (v->refinement == NULL)
			return "?";
		return tfp_arena_printf(
			a, "?[%s]", tohex(a, v->refinement, v->refinement_len));
	}
	switch (v->type->kind) {
	case TFP_KIND_STRING:
		return tfp_arena_printf(a, "\"%s\"", v->u.str);
	case TFP_KIND_NUMBER:
		switch (v->u.num.kind) {
		case TFP_NUM_INT:
			return tfp_arena_printf(a, "%lld",
						(long long)v->u.num.i);
		case TFP_NUM_FLOAT:
			return tfp_arena_printf(a, "%.17gf", v->u.num.f);
		case TFP_NUM_TEXT:
			return tfp_arena_printf(a, "#%s", v->u.num.text);
		}
		break;
	case TFP_KIND_BOOL:
		return v->u.b ? "true" : "false";
	case TFP_KIND_LIST:
		return render_children(a, v, "[", "]");
	case TFP_KIND_SET:
		return render_children(a, v, "<", ">");
	case TFP_KIND_MAP:
	case TFP_KIND_OBJECT:
		return render_children(a, v, "{", "}");
	case TFP_KIND_DYNAMIC:
		break;
	}
	return "<bad>";
}


/* Starts each row with an empty diagnostic list. */
static void reset(struct fixture *f)
{
	tfp_diags_init(&f->d, f->a);
}

/* Asserts exactly one error diagnostic at path, with phrase in its detail. */
static void expect_error(struct fixture *f, const char *name, const char *path,
			 const char *phrase)
{
	const struct tfp_diag *dg;
	const char *got;

	if (f->d.n != 1)
		fail_msg("%s: %zu diagnostics, want 1", name, f->d.n);
	dg = &f->d.items[0];
	assert_int_equal(dg->severity, TFP_SEV_ERROR);
	assert_non_null(dg->summary);
	got = tfp_path_string(f->a, dg->path);
	if (strcmp(got, path) != 0)
		fail_msg("%s: path \"%s\", want \"%s\" (%s)", name, got, path,
			 dg->detail);
	if (phrase != NULL && strstr(dg->detail, phrase) == NULL)
		fail_msg("%s: detail \"%s\" lacks \"%s\"", name, dg->detail,
			 phrase);
}

/* --- decoding valid input ------------------------------------------------- */

struct row {
	const char *name;
	const char *hex;
	const struct tfp_type *type;
	const char *expected;
	bool roundtrip;
};

static const struct row valid_rows[] = {
	{"null", "c0", &tfp_type_string, "null", true},
	{"null object", "c0", &t_idname, "null", true},
	{"empty input", "", &t_idname, "null", false},
	{"unknown", "d40000", &tfp_type_string, "?", true},
	{"unknown object", "d40000", &t_idname, "?", true},
	{"unknown, other ext code", "d40500", &tfp_type_bool, "?", false},
	{"unknown, empty ext8", "c70000", &tfp_type_number, "?", false},
	{"refined unknown", "c7030c8101c2", &tfp_type_string, "?[8101c2]",
	 true},
	{"refined unknown, prefix", "c7090c8201c202a47072652d",
	 &tfp_type_string, "?[8201c202a47072652d]", true},
	{"refined unknown, fixext4", "d60c8102a178", &tfp_type_string,
	 "?[8102a178]", true},
	{"string", "a568656c6c6f", &tfp_type_string, "\"hello\"", true},
	{"empty string", "a0", &tfp_type_string, "\"\"", true},
	{"str8",
	 "d9207878787878787878787878787878787878787878787878787878787878787878",
	 &tfp_type_string, "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"", true},
	{"str16", "da000178", &tfp_type_string, "\"x\"", false},
	{"bin as string", "c40178", &tfp_type_string, "\"x\"", false},
	{"zero", "00", &tfp_type_number, "0", false},
	{"127", "7f", &tfp_type_number, "127", false},
	{"128 uint8", "cc80", &tfp_type_number, "128", false},
	{"65535 uint16", "cdffff", &tfp_type_number, "65535", false},
	{"2^32 uint64", "cf0000000100000000", &tfp_type_number, "4294967296",
	 false},
	{"uint64 max", "cfffffffffffffffff", &tfp_type_number,
	 "#18446744073709551615", false},
	{"2^63 uint64", "cf8000000000000000", &tfp_type_number,
	 "9.2233720368547758e+18f", false},
	{"-5", "fb", &tfp_type_number, "-5", false},
	{"-129 int16", "d1ff7f", &tfp_type_number, "-129", false},
	{"int64 min", "d38000000000000000", &tfp_type_number,
	 "-9223372036854775808", false},
	{"1 as int32", "d200000001", &tfp_type_number, "1", false},
	{"3.5 float64", "cb400c000000000000", &tfp_type_number, "3.5f", false},
	{"3.5 float32", "ca40600000", &tfp_type_number, "3.5f", false},
	{"integral float64", "cb4008000000000000", &tfp_type_number, "3",
	 false},
	{"0.1 as text", "a3302e31", &tfp_type_number, "#0.1", true},
	{"big integer as text",
	 "b431323334353637383930313233343536373839"
	 "30",
	 &tfp_type_number, "#12345678901234567890", true},
	{"1e30 as text", "a431653330", &tfp_type_number, "#1e30", true},
	{"42 as text", "a23432", &tfp_type_number, "42", false},
	{"0.5 as text", "a3302e35", &tfp_type_number, "0.5f", false},
	{"true", "c3", &tfp_type_bool, "true", true},
	{"false", "c2", &tfp_type_bool, "false", true},
	{"object", "82a26964c0a46e616d65a568656c6c6f", &t_idname,
	 "{id:null,name:\"hello\"}", true},
	{"object with unknowns", "82a26964d40000a46e616d65c7030c8101c2",
	 &t_idname, "{id:?,name:?[8101c2]}", true},
	{"object, keys unsorted", "82a46e616d65a568656c6c6fa26964c0", &t_idname,
	 "{id:null,name:\"hello\"}", false},
	{"nested object",
	 "84a5666c61677392a161a162a46e616d65a16aa47461677381a16ba176a574"
	 "61736b739182a36b6579a27431a16e01",
	 &t_job,
	 "{flags:<\"a\",\"b\">,name:\"j\",tags:{\"k\":\"v\"},"
	 "tasks:[{key:\"t1\",n:1}]}",
	 false},
	{"set", "92a162a161", &tfp_type_set_string, "<\"b\",\"a\">", true},
	{"list with null", "92c0a161", &tfp_type_list_string, "[null,\"a\"]",
	 true},
	{"list of numbers", "93cc80a3302e31cb400c000000000000", &t_list_number,
	 "[128,#0.1,3.5f]", false},
	{"empty list", "90", &tfp_type_list_string, "[]", true},
	{"list, array16", "dc000100", &t_list_number, "[0]", false},
	{"map", "82a161a178a162a179", &tfp_type_map_string,
	 "{\"a\":\"x\",\"b\":\"y\"}", true},
	{"map, keys unsorted", "82a162a179a161a178", &tfp_type_map_string,
	 "{\"a\":\"x\",\"b\":\"y\"}", false},
	{"empty map", "80", &tfp_type_map_string, "{}", true},
	{"map of unknown", "81a16bd40000", &tfp_type_map_string, "{\"k\":?}",
	 true},
	/*
	 * At the top the encoder follows v->type, which for a decoded
	 * dynamic value is the concrete type, so the wrapper is not written
	 * back; inside an object it is (the last row).
	 */
	{"dynamic string", "92a822737472696e6722a26869", &tfp_type_dynamic,
	 "\"hi\"", false},
	{"dynamic list", "92b15b226c697374222c22737472696e67225d91a161",
	 &tfp_type_dynamic, "[\"a\"]", false},
	{"dynamic null", "c0", &tfp_type_dynamic, "null", true},
	{"dynamic unknown", "d40000", &tfp_type_dynamic, "?", true},
	{"dynamic typed null", "92a822737472696e6722c0", &tfp_type_dynamic,
	 "null", false},
	{"object with dynamic null", "81a17692a822737472696e6722c0", &t_objdyn,
	 "{v:null}", true},
	{"object with dynamic list",
	 "81a17692b15b226c697374222c22737472696e67225d91a161", &t_objdyn,
	 "{v:[\"a\"]}", true},
	{"object with plain dynamic unknown", "81a176d40000", &t_objdyn,
	 "{v:?}", true},
	{"object with dynamic", "81a17692a8226e756d6265722205", &t_objdyn,
	 "{v:5}", false},
};

static void test_msgpack__decode_rows(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[256];
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(valid_rows); i++) {
		const struct row *r = &valid_rows[i];
		size_t n = unhex(buf, sizeof(buf), r->hex);
		struct tfp_value *v = NULL;
		const char *got;
		int error;

		reset(f);
		error = tfp_msgpack_decode(&v, f->a, r->type, buf, n, &f->d);
		if (error != TFP_OK)
			fail_msg("%s: decode failed: %s", r->name,
				 f->d.n ? f->d.items[0].detail : "?");
		assert_int_equal(f->d.n, 0);
		got = render(f->a, v);
		if (strcmp(got, r->expected) != 0)
			fail_msg("%s: got %s, want %s", r->name, got,
				 r->expected);
	}
}

static void test_msgpack__roundtrip_rows(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[256];
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(valid_rows); i++) {
		const struct row *r = &valid_rows[i];
		size_t n = unhex(buf, sizeof(buf), r->hex), out_len;
		struct tfp_value *v = NULL, *again = NULL;
		uint8_t *out;

		reset(f);
		assert_int_equal(
			tfp_msgpack_decode(&v, f->a, r->type, buf, n, &f->d),
			TFP_OK);
		assert_int_equal(
			tfp_msgpack_encode(&out, &out_len, f->a, v, &f->d),
			TFP_OK);
		if (r->roundtrip && (out_len != n || memcmp(out, buf, n) != 0))
			fail_msg("%s: re-encoded as %s, want %s", r->name,
				 tohex(f->a, out, out_len), r->hex);
		/*
		 * Whatever the bytes, the value must survive re-encoding (as
		 * its own type: a top-level dynamic lost its wrapper).
		 */
		assert_int_equal(tfp_msgpack_decode(&again, f->a, v->type, out,
						    out_len, &f->d),
				 TFP_OK);
		if (!tfp_value_equal(v, again))
			fail_msg("%s: value changed after re-encoding",
				 r->name);
		if (strcmp(render(f->a, v), render(f->a, again)) != 0 &&
		    r->roundtrip)
			fail_msg("%s: rendering changed", r->name);
	}
}

/* --- decoding bad input --------------------------------------------------- */

struct bad_row {
	const char *name;
	const char *hex;
	const struct tfp_type *type;
	const char *path;
	const char *phrase;
};

static const struct bad_row bad_rows[] = {
	{"map32 claims 2^32-1 pairs", "dfffffffff", &tfp_type_map_string, "",
	 "claims"},
	{"map32 hostile, object type", "dfffffffff", &t_idname, "", "claims"},
	{"map32 hostile, dynamic type", "dfffffffff", &tfp_type_dynamic, "",
	 "claims"},
	{"array32 claims 2^32-1", "ddffffffff", &tfp_type_list_string, "",
	 "claims"},
	{"array16 claims 65535", "dcffff", &tfp_type_list_string, "", "claims"},
	{"array16 hostile inside object", "84a5666c616773dcffff", &t_job,
	 "flags", "claims"},
	{"str32 claims 4 GiB", "dbffffffff61", &tfp_type_string, "",
	 "ends in the middle"},
	{"ext32 claims 4 GiB", "c9ffffffff0c81", &tfp_type_string, "",
	 "ends in the middle"},
	{"truncated string", "a568", &tfp_type_string, "",
	 "ends in the middle"},
	{"truncated uint64", "cf0000", &tfp_type_number, "",
	 "ends in the middle"},
	{"truncated array", "93c0", &tfp_type_list_string, "", "claims"},
	{"truncated array, enough claimed", "93a1c0c0", &tfp_type_list_string,
	 "[2]", "ends in the middle"},
	{"truncated in attribute", "82a26964c0a46e616d65a56865", &t_idname,
	 "name", "ends in the middle"},
	{"truncated ext header", "c7", &tfp_type_string, "",
	 "ends in the middle"},
	{"truncated fixext", "d40c", &tfp_type_string, "",
	 "ends in the middle"},
	{"reserved byte", "c1", &tfp_type_string, "", "not valid msgpack"},
	{"string where bool", "81a4666c6167a178", &t_flag, "flag",
	 "Expected a bool"},
	{"number where string", "2a", &tfp_type_string, "",
	 "Expected a string"},
	{"array where object", "90", &t_idname, "", "Expected an object"},
	{"map where list", "80", &tfp_type_list_string, "", "Expected a list"},
	{"missing attribute", "81a26964c0", &t_idname, "name",
	 "lacks attribute \"name\""},
	{"empty object", "80", &t_idname, "id", "lacks attribute \"id\""},
	{"extra attribute", "83a26964c0a46e616d65c0a3626164c0", &t_idname, "",
	 "Unsupported attribute \"bad\""},
	{"duplicate attribute", "82a26964c0a26964c0", &t_idname, "id",
	 "more than once"},
	{"non-string key", "8101c0", &t_idname, "", "string key"},
	{"trailing bytes", "c0c0", &tfp_type_string, "", "1 unexpected bytes"},
	{"trailing after object", "82a26964c0a46e616d65c0ff", &t_idname, "",
	 "unexpected bytes"},
	{"long ext, not refinement", "d5050000", &tfp_type_string, "",
	 "extension type 5"},
	{"NaN", "cb7ff8000000000000", &tfp_type_number, "", "NaN"},
	{"bad number text", "a3616263", &tfp_type_number, "",
	 "\"abc\" is not a valid number"},
	{"Inf as text", "a3496e66", &tfp_type_number, "", "not a valid number"},
	{"nested path",
	 "84a5666c616773c0a46e616d65a16aa474616773c0a5746173"
	 "6b739182a36b6579a27431a16ea178",
	 &t_job, "tasks[0].n", "\"x\" is not a valid number"},
	{"nested path, bool for number",
	 "84a5666c616773c0a46e616d65a16aa474"
	 "616773c0a57461736b739182a36b6579a2"
	 "7431a16ec3",
	 &t_job, "tasks[0].n", "Expected a number"},
	{"map value path", "81a16bc3", &tfp_type_map_string, "[\"k\"]",
	 "Expected a string"},
	{"set element path", "91c3", &tfp_type_set_string, "",
	 "Expected a string"},
	{"duplicate map key", "82a161a178a161a179", &tfp_type_map_string, "",
	 "\"a\" more than once"},
	{"NUL in string", "a3610062", &tfp_type_string, "", "NUL byte"},
	{"dynamic tuple", "92b45b227475706c65222c5b22737472696e67225d5d91a161",
	 &tfp_type_dynamic, "", "Unsupported or invalid type"},
	{"dynamic not an array", "a26869", &tfp_type_dynamic, "",
	 "two-element"},
	{"dynamic, three elements", "93a822737472696e6722a26869c0",
	 &tfp_type_dynamic, "", "two-element"},
	{"dynamic attribute path", "81a17692a3787878a26869", &t_objdyn, "v",
	 "Unsupported or invalid type"},
};

static void test_msgpack__decode_errors(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[256];
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(bad_rows); i++) {
		const struct bad_row *r = &bad_rows[i];
		size_t n = unhex(buf, sizeof(buf), r->hex);
		struct tfp_value *v = (struct tfp_value *)&v;

		reset(f);
		if (tfp_msgpack_decode(&v, f->a, r->type, buf, n, &f->d) !=
		    TFP_ERROR)
			fail_msg("%s: decoded without an error", r->name);
		assert_null(v);
		expect_error(f, r->name, r->path, r->phrase);
	}
}

/* Every proper prefix of a valid item is truncated input. */
static void test_msgpack__every_prefix_fails(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[256];
	size_t i, k;

	for (i = 0; i < TFP_ARRAY_SIZE(valid_rows); i++) {
		const struct row *r = &valid_rows[i];
		size_t n = unhex(buf, sizeof(buf), r->hex);

		for (k = 1; k < n; k++) {
			struct tfp_value *v;

			reset(f);
			if (tfp_msgpack_decode(&v, f->a, r->type, buf, k,
					       &f->d) != TFP_ERROR)
				fail_msg("%s: prefix of %zu bytes decoded",
					 r->name, k);
			assert_int_equal(f->d.n, 1);
		}
	}
}

static const struct tfp_type *nested_lists(struct tfp_arena *a, int levels)
{
	const struct tfp_type *t = &tfp_type_string;
	int i;

	for (i = 0; i < levels; i++)
		t = tfp_type_collection(a, TFP_KIND_LIST, t);
	return t;
}

static void test_msgpack__depth_bomb(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[128];
	const char *want = "";
	struct tfp_value *v;
	int i;

	/* 100 nested one-element arrays around an empty string. */
	memset(buf, 0x91, 100);
	buf[100] = 0xa0;

	reset(f);
	assert_int_equal(tfp_msgpack_decode(&v, f->a, nested_lists(f->a, 100),
					    buf, 101, &f->d),
			 TFP_ERROR);
	for (i = 0; i < TFP_MSGPACK_MAX_DEPTH; i++)
		want = tfp_arena_printf(f->a, "%s[0]", want);
	expect_error(f, "depth bomb", want, "deeper than 64");

	/* With a shallow type the shape is wrong long before. */
	reset(f);
	assert_int_equal(tfp_msgpack_decode(&v, f->a, &tfp_type_list_string,
					    buf, 101, &f->d),
			 TFP_ERROR);
	expect_error(f, "shallow type", "[0]", "Expected a string");

	/* 64 levels are fine. */
	reset(f);
	buf[64] = 0xa0;
	assert_int_equal(tfp_msgpack_decode(&v, f->a, nested_lists(f->a, 64),
					    buf, 65, &f->d),
			 TFP_OK);
}

/* Pseudo-random input must fail or succeed cleanly, never crash. */
static void test_msgpack__garbage(void **state)
{
	struct fixture *f = *state;
	static const struct tfp_type *const types[] = {
		&t_job,		&tfp_type_dynamic,
		&t_list_number, &tfp_type_map_string,
		&t_idname,
	};
	uint8_t buf[64];
	uint32_t x = 12345;
	int round;
	size_t i;

	for (round = 0; round < 20000; round++) {
		size_t n = 1 + (size_t)round % sizeof(buf);
		struct tfp_value *v;
		int error;

		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (uint8_t)(x >> 16);
		}
		reset(f);
		error = tfp_msgpack_decode(&v, f->a,
					   types[round % TFP_ARRAY_SIZE(types)],
					   buf, n, &f->d);
		if (error == TFP_OK)
			assert_int_equal(f->d.n, 0);
		else
			assert_int_equal(f->d.n, 1);
		/* Arena memory grows with each round; start afresh. */
		if (round % 1000 == 999) {
			tfp_arena_free(f->a);
			f->a = tfp_arena_new();
		}
	}
}

/* --- encoding values built in code ---------------------------------------- */

static void expect_encoding(struct fixture *f, const struct tfp_value *v,
			    const char *hex)
{
	uint8_t *out;
	size_t n;

	reset(f);
	assert_int_equal(tfp_msgpack_encode(&out, &n, f->a, v, &f->d), TFP_OK);
	assert_string_equal(tohex(f->a, out, n), hex);
}

static void test_msgpack__encode_built(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *obj, *list;
	struct tfp_number num;

	obj = tfp_value_object(f->a, &t_idname);
	expect_encoding(f, obj, "82a26964c0a46e616d65c0");
	tfp_value_set_string(f->a, obj, "name", "hello");
	expect_encoding(f, obj, "82a26964c0a46e616d65a568656c6c6f");
	tfp_value_set(obj, "id", tfp_value_unknown(f->a, &tfp_type_string));
	expect_encoding(f, obj, "82a26964d40000a46e616d65a568656c6c6f");
	/* A NULL attribute reads as null. */
	tfp_value_set(obj, "id", NULL);
	expect_encoding(f, obj, "82a26964c0a46e616d65a568656c6c6f");

	expect_encoding(f, NULL, "c0");
	expect_encoding(f, tfp_value_int(f->a, 128), "a3313238");
	expect_encoding(f, tfp_value_int(f->a, -1), "a22d31");
	expect_encoding(f, tfp_value_int(f->a, INT64_MAX),
			"b339323233333732303336383534373735383037");
	/* Numbers are decimal text, decoded by Terraform exactly like the
	 * numbers of its state file; integral floats as integers, others in
	 * their shortest form. */
	expect_encoding(f, tfp_value_float(f->a, 3.0), "a133");
	expect_encoding(f, tfp_value_float(f->a, 0.5), "a3302e35");
	/* A double goes back with every digit: Terraform reads number text
	 * at 512 bits, so the shortest text that reads back as the double at
	 * 53 bits ("0.1", "9.313225746154785e-10") would be another number.
	 * A configuration's 0.1 comes as text, and goes back as text (below). */
	expect_encoding(f, tfp_value_float(f->a, 0.1),
			"d939302e313030303030303030303030303030303035353531313135"
			"31323331323537383237303231313831353833343034353431303135"
			"363235");
	expect_encoding(f, tfp_value_float(f->a, 0x1p-30),
			"d920302e303030303030303030393331333232353734363135343738"
			"353135363235");
	expect_encoding(f, tfp_value_float(f->a, 21606127410323587072.0),
			"b43231363036313237343130333233353837303732");
	expect_encoding(f, tfp_value_float(f->a, 1e300),
			"da012d31303030303030303030303030303030303532353034373630"
			"32353532303434323032343837303434363835383131303831353931"
			"35343931353835343131353531313830323435373938383930383139"
			"35373836333731333735303830343437383634303433373034343433"
			"38333238383338373831373639343235323332333533363034333035"
			"37353634343739323138343738363730363938323834383338373230"
			"30393236353735383033373337383330323333373934373838303930"
			"30353933363839353332333439373037393939343530383131313930"
			"33383936373634303838303037343635323734323738303134323439"
			"34353739323538373838383230303536383432383338313135363639"
			"343732313936333836383635343539343030353430313630");
	assert_true(tfp_value_parse_number(&num, f->a, "0.1", 3));
	expect_encoding(f, tfp_value_number(f->a, &num), "a3302e31");
	expect_encoding(f, tfp_value_bool(f->a, true), "c3");

	list = tfp_value_collection(f->a, &tfp_type_list_string, 2);
	list->u.coll.items[0] = tfp_value_string(f->a, "a");
	list->u.coll.items[1] = tfp_value_null(f->a, &tfp_type_string);
	expect_encoding(f, list, "92a161c0");

	/* A string in a dynamic slot carries its type. */
	obj = tfp_value_object(f->a, &t_objdyn);
	tfp_value_set(obj, "v", tfp_value_string(f->a, "hi"));
	expect_encoding(f, obj, "81a17692a822737472696e6722a26869");
}

static void test_msgpack__encode_errors(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *obj, *map, *bad;
	struct tfp_number num = {.kind = TFP_NUM_TEXT, .text = "12abc"};
	uint8_t *out;
	size_t n;

	/* A bool where the object type says string. */
	obj = tfp_value_object(f->a, &t_idname);
	obj->u.coll.items[1] = tfp_value_bool(f->a, true);
	reset(f);
	assert_int_equal(tfp_msgpack_encode(&out, &n, f->a, obj, &f->d),
			 TFP_ERROR);
	assert_null(out);
	expect_error(f, "bool for string", "name", "Expected a string");

	map = tfp_value_collection(f->a, &tfp_type_map_string, 1);
	map->u.coll.items[0] = tfp_value_string(f->a, "x");
	reset(f);
	assert_int_equal(tfp_msgpack_encode(&out, &n, f->a, map, &f->d),
			 TFP_ERROR);
	expect_error(f, "map without key", "", "no key");

	bad = tfp_value_number(f->a, &num);
	reset(f);
	assert_int_equal(tfp_msgpack_encode(&out, &n, f->a, bad, &f->d),
			 TFP_ERROR);
	expect_error(f, "bad number text", "", "not a decimal number");

	reset(f);
	assert_int_equal(tfp_msgpack_encode(&out, &n, f->a,
					    tfp_value_float(f->a, NAN), &f->d),
			 TFP_ERROR);
	expect_error(f, "NaN", "", "NaN");
}

/* --- JSON state ----------------------------------------------------------- */

static const char *const state_names[] = {
	"big",	"enabled", "flags", "id",   "job_id", "missing", "n_str",
	"note", "ratio",   "s_num", "tags", "tasks",  "tiny",	 "dyn",
};

static const struct tfp_type *state_type(struct tfp_arena *a)
{
	const struct tfp_type *types[] = {
		&tfp_type_number, &tfp_type_bool,	&tfp_type_set_string,
		&tfp_type_string, &tfp_type_number,	&tfp_type_string,
		&tfp_type_number, &tfp_type_string,	&tfp_type_number,
		&tfp_type_string, &tfp_type_map_string, &t_task_list,
		&tfp_type_number, &tfp_type_dynamic,
	};

	return tfp_type_object(a, TFP_ARRAY_SIZE(state_names), state_names,
			       types);
}

/* As Terraform keeps it: pretty-printed, with an attribute since removed. */
static const char state_json[] =
	"{\n"
	"  \"big\": 12345678901234567890,\n"
	"  \"dyn\": {\"value\": [1, 2], \"type\": [\"list\", \"number\"]},\n"
	"  \"enabled\": true,\n"
	"  \"flags\": [\n    \"x\",\n    \"y\"\n  ],\n"
	"  \"id\": \"123\",\n"
	"  \"job_id\": 9007199254740993,\n"
	"  \"n_str\": \"7\",\n"
	"  \"note\": \"say \\\"3\\\" or -4e5 \\\\\",\n"
	"  \"ratio\": 0.5,\n"
	"  \"removed\": {\"x\": [1, 2.5, -3e2]},\n"
	"  \"s_num\": 42,\n"
	"  \"tags\": {\n    \"b\": \"2\",\n    \"a\": \"1\"\n  },\n"
	"  \"tasks\": [\n    {\n      \"key\": \"t1\",\n      \"n\": 3,\n"
	"      \"old\": 1\n    }\n  ],\n"
	"  \"tiny\": 0.1\n"
	"}\n";

static void test_msgpack__json_state(void **state)
{
	struct fixture *f = *state;
	const struct tfp_type *t = state_type(f->a);
	struct tfp_value *v;
	int64_t id;

	reset(f);
	assert_int_equal(tfp_json_decode_value(&v, f->a, t, state_json,
					       strlen(state_json), &f->d),
			 TFP_OK);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(
		render(f->a, v),
		"{big:#12345678901234567890,dyn:[1,2],enabled:true,"
		"flags:<\"x\",\"y\">,id:\"123\",job_id:9007199254740993,"
		"missing:null,n_str:7,note:\"say \"3\" or -4e5 \\\","
		"ratio:0.5f,s_num:\"42\",tags:{\"a\":\"1\",\"b\":\"2\"},"
		"tasks:[{key:\"t1\",n:3}],tiny:#0.1}");
	/* 2^53 + 1 stays exact (cJSON alone would give 2^53). */
	assert_true(tfp_value_get_int(v, "job_id", &id));
	assert_true(id == INT64_C(9007199254740993));
}

static void test_msgpack__json_errors(void **state)
{
	struct fixture *f = *state;
	const struct tfp_type *t = state_type(f->a);
	static const struct {
		const char *name;
		const char *json;
		const char *path;
		const char *phrase;
	} rows[] = {
		{"not JSON", "{\"id\": ", "", "not valid JSON"},
		{"trailing text", "{} x", "", "not valid JSON"},
		{"string where list", "{\"flags\": \"x\"}", "flags",
		 "Expected a set"},
		{"bad nested number", "{\"tasks\": [{\"n\": \"abc\"}]}",
		 "tasks[0].n", "not a valid number"},
		{"array where bool", "{\"enabled\": []}", "enabled",
		 "Expected a bool"},
		{"dynamic without type", "{\"dyn\": {\"value\": 1}}", "dyn",
		 "\"type\""},
		{"array at top", "[]", "", "Expected an object"},
	};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		struct tfp_value *v;

		reset(f);
		if (tfp_json_decode_value(&v, f->a, t, rows[i].json,
					  strlen(rows[i].json),
					  &f->d) != TFP_ERROR)
			fail_msg("%s: decoded without an error", rows[i].name);
		assert_null(v);
		expect_error(f, rows[i].name, rows[i].path, rows[i].phrase);
	}
}

static void test_msgpack__json_then_msgpack(void **state)
{
	struct fixture *f = *state;
	const char *json = "{\"id\": null, \"name\": \"hello\", \"x\": 1}";
	struct tfp_value *v, *back;
	uint8_t *out;
	size_t n;

	reset(f);
	/* Not NUL-terminated at len: raw_state.json is a byte field. */
	assert_int_equal(tfp_json_decode_value(&v, f->a, &t_idname, json,
					       strlen(json), &f->d),
			 TFP_OK);
	assert_int_equal(tfp_msgpack_encode(&out, &n, f->a, v, &f->d), TFP_OK);
	assert_string_equal(tohex(f->a, out, n),
			    "82a26964c0a46e616d65a568656c6c6f");
	assert_int_equal(
		tfp_msgpack_decode(&back, f->a, &t_idname, out, n, &f->d),
		TFP_OK);
	assert_true(tfp_value_equal(v, back));

	/* Empty JSON is null, like an empty DynamicValue. */
	assert_int_equal(
		tfp_json_decode_value(&v, f->a, &t_idname, "", 0, &f->d),
		TFP_OK);
	assert_true(tfp_value_is_null(v));
}

static void test_msgpack__json_depth(void **state)
{
	struct fixture *f = *state;
	char json[256];
	struct tfp_value *v;
	int i;

	for (i = 0; i < 100; i++) {
		json[i] = '[';
		json[100 + i] = ']';
	}
	json[200] = '\0';
	reset(f);
	assert_int_equal(tfp_json_decode_value(&v, f->a,
					       nested_lists(f->a, 100), json,
					       200, &f->d),
			 TFP_ERROR);
	assert_int_equal(f->d.n, 1);
	assert_non_null(strstr(f->d.items[0].detail, "deeper than 64"));
}

/* Text bound for protobuf strings is made valid UTF-8: invalid bytes (a
 * lone continuation, an overlong, a surrogate, a cut sequence) become
 * U+FFFD, valid text is returned as it is. */
static void test_msgpack__utf8_clean(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	const char *ok = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80";

	(void)state;
	assert_ptr_equal(tfp_utf8_clean(a, ok), ok);
	assert_null(tfp_utf8_clean(a, NULL));
	assert_string_equal(tfp_utf8_clean(a, "host \xff\xfe!"),
			    "host \xef\xbf\xbd\xef\xbf\xbd!");
	assert_string_equal(tfp_utf8_clean(a, "\xc0\xaf"),
			    "\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(tfp_utf8_clean(a, "\xed\xa0\x80x"),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
	assert_string_equal(tfp_utf8_clean(a, "cut \xe2\x82"),
			    "cut \xef\xbf\xbd\xef\xbf\xbd");
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_msgpack__decode_rows,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__roundtrip_rows,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__decode_errors,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_msgpack__every_prefix_fails, tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__depth_bomb, tfp_test_setup,
						tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__garbage, tfp_test_setup,
						tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__encode_built,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__encode_errors,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__json_state, tfp_test_setup,
						tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__json_errors,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__json_then_msgpack,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_msgpack__json_depth, tfp_test_setup,
						tfp_test_teardown),
		cmocka_unit_test(test_msgpack__utf8_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
