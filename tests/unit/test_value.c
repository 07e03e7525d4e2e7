/*
 * Unit tests for value.c: types, their JSON, numbers, equality, copies and
 * the accessors the resources use.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "value.h"

static int setup(void **state)
{
	*state = tfp_arena_new();
	return 0;
}

static int teardown(void **state)
{
	tfp_arena_free(*state);
	return 0;
}

/* {a: string, b: list(number)} built from names given out of order. */
static const struct tfp_type *ab_type(struct tfp_arena *a)
{
	const char *names[] = {"b", "a"};
	const struct tfp_type *types[] = {
		tfp_type_collection(a, TFP_KIND_LIST, &tfp_type_number),
		&tfp_type_string,
	};

	return tfp_type_object(a, 2, names, types);
}

/* --- types ---------------------------------------------------------------- */

static void test_value__object_type_sorted_and_copied(void **state)
{
	struct tfp_arena *a = *state;
	char n0[] = "zeta", n1[] = "alpha", n2[] = "mid";
	const char *names[] = {n0, n1, n2};
	const struct tfp_type *types[] = {&tfp_type_bool, &tfp_type_string,
					  &tfp_type_number};
	const struct tfp_type *t = tfp_type_object(a, 3, names, types);

	/* The caller's arrays and strings may change afterwards. */
	n1[0] = 'X';
	names[0] = NULL;
	types[1] = NULL;

	assert_int_equal(t->kind, TFP_KIND_OBJECT);
	assert_int_equal(t->n_attrs, 3);
	assert_string_equal(t->attr_names[0], "alpha");
	assert_string_equal(t->attr_names[1], "mid");
	assert_string_equal(t->attr_names[2], "zeta");
	assert_ptr_equal(t->attr_types[0], &tfp_type_string);
	assert_ptr_equal(t->attr_types[1], &tfp_type_number);
	assert_ptr_equal(t->attr_types[2], &tfp_type_bool);

	assert_int_equal(tfp_type_attr_index(t, "alpha"), 0);
	assert_int_equal(tfp_type_attr_index(t, "mid"), 1);
	assert_int_equal(tfp_type_attr_index(t, "zeta"), 2);
	assert_int_equal(tfp_type_attr_index(t, "Xlpha"), -1);
	assert_int_equal(tfp_type_attr_index(t, ""), -1);
	assert_int_equal(tfp_type_attr_index(t, "zzz"), -1);
	assert_int_equal(tfp_type_attr_index(&tfp_type_string, "a"), -1);
}

static void test_value__type_equal(void **state)
{
	struct tfp_arena *a = *state;
	const struct tfp_type *list_num =
		tfp_type_collection(a, TFP_KIND_LIST, &tfp_type_number);
	const struct tfp_type *set_num =
		tfp_type_collection(a, TFP_KIND_SET, &tfp_type_number);

	assert_true(tfp_type_equal(ab_type(a), ab_type(a)));
	assert_true(tfp_type_equal(
		&tfp_type_list_string,
		tfp_type_collection(a, TFP_KIND_LIST, &tfp_type_string)));
	assert_false(tfp_type_equal(list_num, set_num));
	assert_false(tfp_type_equal(list_num, &tfp_type_list_string));
	assert_false(tfp_type_equal(&tfp_type_string, &tfp_type_dynamic));
	assert_false(
		tfp_type_equal(ab_type(a), tfp_type_object(a, 0, NULL, NULL)));
}

static void test_value__type_json(void **state)
{
	struct tfp_arena *a = *state;
	const struct {
		const struct tfp_type *type;
		const char *json;
	} rows[] = {
		{&tfp_type_string, "\"string\""},
		{&tfp_type_number, "\"number\""},
		{&tfp_type_bool, "\"bool\""},
		{&tfp_type_dynamic, "\"dynamic\""},
		{&tfp_type_list_string, "[\"list\",\"string\"]"},
		{&tfp_type_set_string, "[\"set\",\"string\"]"},
		{&tfp_type_map_string, "[\"map\",\"string\"]"},
		{tfp_type_collection(a, TFP_KIND_SET, &tfp_type_number),
		 "[\"set\",\"number\"]"},
		{ab_type(a),
		 "[\"object\",{\"a\":\"string\",\"b\":[\"list\",\"number\"]}]"},
		{tfp_type_object(a, 0, NULL, NULL), "[\"object\",{}]"},
		{tfp_type_collection(a, TFP_KIND_MAP, ab_type(a)),
		 "[\"map\",[\"object\",{\"a\":\"string\",\"b\":[\"list\","
		 "\"number\"]}]]"},
	};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		const struct tfp_type *back;

		assert_string_equal(tfp_type_json(a, rows[i].type),
				    rows[i].json);
		back = tfp_type_from_json(a, rows[i].json,
					  strlen(rows[i].json));
		assert_non_null(back);
		assert_true(tfp_type_equal(back, rows[i].type));
	}
}

static void test_value__type_from_json_rejects(void **state)
{
	struct tfp_arena *a = *state;
	static const char *const rows[] = {
		"",
		"strin",
		"\"strin\"",
		"[\"list\"]",
		"[\"list\",\"string\",\"x\"]",
		"[\"tuple\",[\"string\"]]",
		"[\"object\",{\"a\":\"string\"},[\"a\"]]",
		"[\"object\",[\"a\"]]",
		"[\"object\",{\"a\":\"string\",\"a\":\"bool\"}]",
		"[\"map\",\"nope\"]",
		"{}",
		"[1,\"string\"]",
		"\"string\" x",
	};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++)
		if (tfp_type_from_json(a, rows[i], strlen(rows[i])) != NULL)
			fail_msg("accepted %s", rows[i]);
}

/* --- numbers -------------------------------------------------------------- */

static void test_value__parse_number(void **state)
{
	struct tfp_arena *a = *state;
	static const struct {
		const char *text;
		enum tfp_num_kind kind;
		int64_t i;
		double f;
	} rows[] = {
		{"0", TFP_NUM_INT, 0, 0},
		{"-0", TFP_NUM_INT, 0, 0},
		{"42", TFP_NUM_INT, 42, 0},
		{"+7", TFP_NUM_INT, 7, 0},
		{"00012", TFP_NUM_INT, 12, 0},
		{"1.0", TFP_NUM_INT, 1, 0},
		{"5.", TFP_NUM_INT, 5, 0},
		{"1e3", TFP_NUM_INT, 1000, 0},
		{"1.5E1", TFP_NUM_INT, 15, 0},
		{"1200e-2", TFP_NUM_INT, 12, 0},
		{"9223372036854775807", TFP_NUM_INT, INT64_MAX, 0},
		{"-9223372036854775808", TFP_NUM_INT, INT64_MIN, 0},
		{"9007199254740993", TFP_NUM_INT, INT64_C(9007199254740993), 0},
		{"0.5", TFP_NUM_FLOAT, 0, 0.5},
		{".5", TFP_NUM_FLOAT, 0, 0.5},
		{"-2.25", TFP_NUM_FLOAT, 0, -2.25},
		{"3.5e-1", TFP_NUM_TEXT, 0, 0},
		{"9223372036854775808", TFP_NUM_FLOAT, 0,
		 9223372036854775808.0},
		{"1e300", TFP_NUM_TEXT, 0, 0},
		{"9223372036854775809", TFP_NUM_TEXT, 0, 0},
		{"12345678901234567890", TFP_NUM_TEXT, 0, 0},
		{"0.1", TFP_NUM_TEXT, 0, 0},
		{"1e30", TFP_NUM_TEXT, 0, 0},
		{"1e400", TFP_NUM_TEXT, 0, 0},
		{"1e-400", TFP_NUM_TEXT, 0, 0},
		{"4.9406564584124654e-324", TFP_NUM_TEXT, 0, 0},
	};
	static const char *const bad[] = {
		"",	 "-",	"+",   "abc",
		"1e",	 "1e+", "Inf", "NaN",
		"0x10",	 "1 ",	" 1",  "1.2.3",
		"--1",	 ".",	"e5",  "1e99999999999",
		"1_000",
	};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		struct tfp_number n;

		if (!tfp_value_parse_number(&n, a, rows[i].text,
					    strlen(rows[i].text)))
			fail_msg("rejected %s", rows[i].text);
		if (n.kind != rows[i].kind)
			fail_msg("%s: kind %d, want %d", rows[i].text, n.kind,
				 rows[i].kind);
		if (n.kind == TFP_NUM_INT && n.i != rows[i].i)
			fail_msg("%s: got %lld", rows[i].text, (long long)n.i);
		if (n.kind == TFP_NUM_FLOAT && n.f != rows[i].f)
			fail_msg("%s: got %g", rows[i].text, n.f);
		if (n.kind == TFP_NUM_TEXT)
			assert_string_equal(n.text, rows[i].text);
	}
	for (i = 0; i < TFP_ARRAY_SIZE(bad); i++) {
		struct tfp_number n = {.kind = TFP_NUM_INT, .i = 99};

		if (tfp_value_parse_number(&n, a, bad[i], strlen(bad[i])))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(n.i, 99);
	}
}

static struct tfp_value *num(struct tfp_arena *a, const char *text)
{
	struct tfp_number n;

	assert_true(tfp_value_parse_number(&n, a, text, strlen(text)));
	return tfp_value_number(a, &n);
}

static struct tfp_value *text_num(struct tfp_arena *a, const char *text)
{
	struct tfp_number n = {.kind = TFP_NUM_TEXT, .text = text};

	return tfp_value_number(a, &n);
}

static void test_value__number_equality(void **state)
{
	struct tfp_arena *a = *state;

	assert_true(
		tfp_value_equal(tfp_value_int(a, 3), tfp_value_float(a, 3.0)));
	assert_true(
		tfp_value_equal(tfp_value_float(a, 3.0), tfp_value_int(a, 3)));
	assert_false(
		tfp_value_equal(tfp_value_int(a, 3), tfp_value_float(a, 3.5)));
	/* 2^53 + 1 is not the double 2^53. */
	assert_false(
		tfp_value_equal(tfp_value_int(a, INT64_C(9007199254740993)),
				tfp_value_float(a, 9007199254740992.0)));
	assert_false(
		tfp_value_equal(tfp_value_int(a, INT64_MAX),
				tfp_value_float(a, 9223372036854775808.0)));
	assert_true(tfp_value_equal(
		num(a, "1e30"),
		text_num(a, "1000000000000000000000000000000")));
	assert_true(tfp_value_equal(num(a, "0.1"), text_num(a, "0.10")));
	assert_false(tfp_value_equal(num(a, "0.1"), tfp_value_float(a, 0.1)));
	assert_true(
		tfp_value_equal(text_num(a, "0.5"), tfp_value_float(a, 0.5)));
	assert_true(tfp_value_equal(text_num(a, "42"), tfp_value_int(a, 42)));
	assert_true(tfp_value_equal(text_num(a, "-0"), tfp_value_int(a, 0)));
	assert_false(tfp_value_equal(text_num(a, "-1"), tfp_value_int(a, 1)));
	assert_true(tfp_value_equal(text_num(a, "not a number"),
				    text_num(a, "not a number")));
	assert_false(tfp_value_equal(text_num(a, "not a number"),
				     tfp_value_int(a, 0)));
	assert_true(tfp_value_equal(tfp_value_float(a, INFINITY),
				    tfp_value_float(a, INFINITY)));
}

/* --- equality, copies, knownness ------------------------------------------ */

static struct tfp_value *strings(struct tfp_arena *a, const struct tfp_type *t,
				 size_t n, const char *const *items)
{
	struct tfp_value *v = tfp_value_collection(a, t, n);
	size_t i;

	for (i = 0; i < n; i++) {
		v->u.coll.items[i] = items[i] ? tfp_value_string(a, items[i])
					      : tfp_value_null(a, t->elem);
		if (t->kind == TFP_KIND_MAP)
			v->u.coll.keys[i] = tfp_arena_printf(a, "k%zu", i);
	}
	return v;
}

static void test_value__equal_sets(void **state)
{
	struct tfp_arena *a = *state;
	const char *const abc[] = {"a", "b", "c"};
	const char *const cab[] = {"c", "a", "b"};
	const char *const aab[] = {"a", "a", "b"};
	const char *const abb[] = {"a", "b", "b"};
	const char *const ab[] = {"a", "b"};
	const struct tfp_type *set = &tfp_type_set_string;
	const struct tfp_type *list = &tfp_type_list_string;

	assert_true(tfp_value_equal(strings(a, set, 3, abc),
				    strings(a, set, 3, cab)));
	assert_false(tfp_value_equal(strings(a, list, 3, abc),
				     strings(a, list, 3, cab)));
	assert_true(tfp_value_equal(strings(a, list, 3, abc),
				    strings(a, list, 3, abc)));
	/* Multisets: the counts matter, not just membership. */
	assert_false(tfp_value_equal(strings(a, set, 3, aab),
				     strings(a, set, 3, abb)));
	assert_false(tfp_value_equal(strings(a, set, 3, abc),
				     strings(a, set, 2, ab)));
	assert_true(tfp_value_equal(strings(a, set, 0, NULL),
				    strings(a, set, 0, NULL)));
	/* A set is never equal to a list with the same items. */
	assert_false(tfp_value_equal(strings(a, set, 3, abc),
				     strings(a, list, 3, abc)));
}

static void test_value__equal_states(void **state)
{
	struct tfp_arena *a = *state;
	struct tfp_value *u1 = tfp_value_unknown(a, &tfp_type_string);
	struct tfp_value *u2 = tfp_value_unknown(a, &tfp_type_string);
	static const uint8_t refinement[] = {0x81, 0x01, 0xc2};

	u2->refinement = refinement;
	u2->refinement_len = sizeof(refinement);
	assert_true(tfp_value_equal(u1, u2));
	assert_true(tfp_value_equal(NULL, tfp_value_null(a, &tfp_type_bool)));
	assert_true(tfp_value_equal(NULL, NULL));
	assert_false(tfp_value_equal(u1, tfp_value_null(a, &tfp_type_string)));
	assert_false(tfp_value_equal(u1, tfp_value_string(a, "")));
	assert_false(tfp_value_equal(tfp_value_null(a, &tfp_type_string),
				     tfp_value_string(a, "")));
	assert_false(
		tfp_value_equal(tfp_value_string(a, "1"), tfp_value_int(a, 1)));
	assert_true(tfp_value_equal(tfp_value_bool(a, false),
				    tfp_value_bool(a, false)));
	assert_false(tfp_value_equal(tfp_value_bool(a, false),
				     tfp_value_bool(a, true)));
}

static void test_value__equal_maps_and_objects(void **state)
{
	struct tfp_arena *a = *state;
	const struct tfp_type *t = ab_type(a);
	struct tfp_value *m1 = tfp_value_collection(a, &tfp_type_map_string, 2);
	struct tfp_value *m2 = tfp_value_collection(a, &tfp_type_map_string, 2);
	struct tfp_value *o1 = tfp_value_object(a, t);
	struct tfp_value *o2 = tfp_value_object(a, ab_type(a));

	m1->u.coll.keys[0] = "x";
	m1->u.coll.items[0] = tfp_value_string(a, "1");
	m1->u.coll.keys[1] = "y";
	m1->u.coll.items[1] = tfp_value_null(a, &tfp_type_string);
	m2->u.coll.keys[0] = "y";
	m2->u.coll.items[0] = tfp_value_null(a, &tfp_type_string);
	m2->u.coll.keys[1] = "x";
	m2->u.coll.items[1] = tfp_value_string(a, "1");
	assert_true(tfp_value_equal(m1, m2));
	m2->u.coll.keys[0] = "z";
	assert_false(tfp_value_equal(m1, m2));

	/* Equal objects of structurally equal, separately built types. */
	assert_true(tfp_value_equal(o1, o2));
	tfp_value_set_string(a, o1, "a", "v");
	assert_false(tfp_value_equal(o1, o2));
	tfp_value_set_string(a, o2, "a", "v");
	assert_true(tfp_value_equal(o1, o2));
	tfp_value_set(o2, "b", tfp_value_unknown(a, t->attr_types[1]));
	assert_false(tfp_value_equal(o1, o2));
}

static void test_value__copy_is_deep(void **state)
{
	struct tfp_arena *a = *state;
	struct tfp_arena *b = tfp_arena_new();
	const struct tfp_type *t = ab_type(a);
	struct tfp_value *obj = tfp_value_object(a, t);
	struct tfp_value *list = tfp_value_collection(a, t->attr_types[1], 2);
	struct tfp_value *unk = tfp_value_unknown(a, &tfp_type_number);
	struct tfp_value *c;
	uint8_t *body = tfp_arena_memdup(a, "\x81\x01\xc2", 3);
	char *text = tfp_arena_strdup(a, "0.1");

	unk->refinement = body;
	unk->refinement_len = 3;
	list->u.coll.items[0] = tfp_value_int(a, 1);
	list->u.coll.items[1] = num(a, "0.1");
	tfp_value_set(obj, "b", list);
	tfp_value_set_string(a, obj, "a", "hello");

	c = tfp_value_copy(b, obj);
	assert_true(tfp_value_equal(c, obj));
	assert_ptr_not_equal(c, obj);
	assert_ptr_equal(c->type, obj->type);

	/* Changing the original leaves the copy alone. */
	list->u.coll.items[0]->u.num.i = 2;
	((char *)tfp_value_get(obj, "a")->u.str)[0] = 'J';
	assert_string_equal(tfp_value_get_string(c, "a"), "hello");
	assert_int_equal(tfp_value_get(c, "b")->u.coll.items[0]->u.num.i, 1);
	assert_false(tfp_value_equal(c, obj));

	c = tfp_value_copy(b, unk);
	body[2] = 0xc3;
	assert_memory_equal(c->refinement, "\x81\x01\xc2", 3);
	assert_int_equal(c->refinement_len, 3);

	c = tfp_value_copy(b, text_num(a, text));
	text[0] = '9';
	assert_string_equal(c->u.num.text, "0.1");

	assert_null(tfp_value_copy(b, NULL));
	tfp_arena_free(b);
}

static void test_value__wholly_known(void **state)
{
	struct tfp_arena *a = *state;
	const struct tfp_type *t = ab_type(a);
	struct tfp_value *obj = tfp_value_object(a, t);
	struct tfp_value *list = tfp_value_collection(a, t->attr_types[1], 2);

	assert_true(tfp_value_wholly_known(NULL));
	assert_true(tfp_value_wholly_known(tfp_value_null(a, t)));
	assert_false(tfp_value_wholly_known(tfp_value_unknown(a, t)));
	assert_true(tfp_value_wholly_known(obj));
	list->u.coll.items[0] = tfp_value_int(a, 1);
	list->u.coll.items[1] = tfp_value_unknown(a, &tfp_type_number);
	tfp_value_set(obj, "b", list);
	assert_false(tfp_value_wholly_known(obj));
	list->u.coll.items[1] = NULL;
	assert_true(tfp_value_wholly_known(obj));
}

/* --- accessors ------------------------------------------------------------ */

static void test_value__accessors(void **state)
{
	struct tfp_arena *a = *state;
	const char *names[] = {"count", "enabled", "id", "ratio", "tags"};
	const struct tfp_type *types[] = {
		&tfp_type_number, &tfp_type_bool,	&tfp_type_string,
		&tfp_type_number, &tfp_type_map_string,
	};
	const struct tfp_type *t = tfp_type_object(a, 5, names, types);
	struct tfp_value *obj = tfp_value_object(a, t);
	struct tfp_value *tags =
		tfp_value_collection(a, &tfp_type_map_string, 2);
	int64_t i = -1;

	/* Null attributes. */
	assert_true(tfp_value_is_null(tfp_value_get(obj, "id")));
	assert_null(tfp_value_get_string(obj, "id"));
	assert_true(tfp_value_get_bool(obj, "enabled", true));
	assert_false(tfp_value_get_int(obj, "count", &i));
	assert_null(tfp_value_map_get(tfp_value_get(obj, "tags"), "x"));

	tfp_value_set_string(a, obj, "id", "123");
	tfp_value_set(obj, "enabled", tfp_value_bool(a, false));
	tfp_value_set(obj, "count", tfp_value_int(a, 7));
	tfp_value_set(obj, "ratio", tfp_value_float(a, 2.0));
	tags->u.coll.keys[0] = "env";
	tags->u.coll.items[0] = tfp_value_string(a, "prod");
	tags->u.coll.keys[1] = "empty";
	tags->u.coll.items[1] = tfp_value_null(a, &tfp_type_string);
	tfp_value_set(obj, "tags", tags);

	assert_string_equal(tfp_value_get_string(obj, "id"), "123");
	assert_false(tfp_value_get_bool(obj, "enabled", true));
	assert_true(tfp_value_get_int(obj, "count", &i));
	assert_int_equal(i, 7);
	/* An integral float reads as an int; a fraction does not. */
	assert_true(tfp_value_get_int(obj, "ratio", &i));
	assert_int_equal(i, 2);
	tfp_value_set(obj, "ratio", tfp_value_float(a, 2.5));
	assert_false(tfp_value_get_int(obj, "ratio", &i));
	tfp_value_set(obj, "ratio", num(a, "1e30"));
	assert_false(tfp_value_get_int(obj, "ratio", &i));
	/* A string attribute is not an int. */
	assert_false(tfp_value_get_int(obj, "id", &i));
	assert_null(tfp_value_get_string(obj, "count"));

	assert_string_equal(tfp_value_map_get(tags, "env")->u.str, "prod");
	assert_true(tfp_value_is_null(tfp_value_map_get(tags, "empty")));
	assert_true(tfp_value_map_has(tags, "empty"));
	assert_false(tfp_value_map_has(tags, "nope"));
	assert_null(tfp_value_map_get(tags, "nope"));

	/* Unknown and null objects have no attributes to give. */
	assert_null(tfp_value_get(tfp_value_unknown(a, t), "id"));
	assert_null(tfp_value_get(tfp_value_null(a, t), "id"));
	assert_null(tfp_value_get(NULL, "id"));
	assert_null(tfp_value_get_string(tfp_value_unknown(a, t), "id"));

	/* Unknown attribute values read as absent. */
	tfp_value_set(obj, "id", tfp_value_unknown(a, &tfp_type_string));
	assert_null(tfp_value_get_string(obj, "id"));
	tfp_value_set_string(a, obj, "id", NULL);
	assert_true(tfp_value_is_null(tfp_value_get(obj, "id")));
	assert_true(tfp_value_is_known(tfp_value_get(obj, "enabled")));
}

static void test_value__constructors(void **state)
{
	struct tfp_arena *a = *state;
	char s[] = "abc";
	struct tfp_value *v = tfp_value_string(a, s);
	struct tfp_value *coll =
		tfp_value_collection(a, &tfp_type_map_string, 3);

	s[0] = 'X';
	assert_string_equal(v->u.str, "abc");
	assert_ptr_equal(v->type, &tfp_type_string);
	assert_int_equal(tfp_value_int(a, -3)->u.num.kind, TFP_NUM_INT);
	assert_int_equal(tfp_value_float(a, 0.5)->u.num.kind, TFP_NUM_FLOAT);
	assert_int_equal(coll->u.coll.n, 3);
	assert_null(coll->u.coll.items[2]);
	assert_null(coll->u.coll.keys[2]);
	assert_null(
		tfp_value_collection(a, &tfp_type_list_string, 1)->u.coll.keys);
	assert_int_equal(tfp_value_null(a, &tfp_type_bool)->state,
			 TFP_VALUE_NULL);
	assert_int_equal(tfp_value_unknown(a, &tfp_type_bool)->state,
			 TFP_VALUE_UNKNOWN);
	assert_null(tfp_value_unknown(a, &tfp_type_bool)->refinement);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value__object_type_sorted_and_copied),
		cmocka_unit_test(test_value__type_equal),
		cmocka_unit_test(test_value__type_json),
		cmocka_unit_test(test_value__type_from_json_rejects),
		cmocka_unit_test(test_value__parse_number),
		cmocka_unit_test(test_value__number_equality),
		cmocka_unit_test(test_value__equal_sets),
		cmocka_unit_test(test_value__equal_states),
		cmocka_unit_test(test_value__equal_maps_and_objects),
		cmocka_unit_test(test_value__copy_is_deep),
		cmocka_unit_test(test_value__wholly_known),
		cmocka_unit_test(test_value__accessors),
		cmocka_unit_test(test_value__constructors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
