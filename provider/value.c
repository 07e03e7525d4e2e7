/*
 * Terraform's type system and values: construction, inspection, equality.
 *
 * This module knows cty's model (null, unknown or known values of a static
 * type) but no wire format: msgpack.c reads and writes values, schema.c
 * builds object types from tables. Types are immutable once built and are
 * shared, never copied, by the values that point at them. Values and types
 * live in an arena; nothing here frees memory, except the short-lived
 * scratch buffers that number comparison needs (tfp_value_equal has no
 * arena).
 *
 * Numbers follow cty's msgpack rule (terraform-plugin-protocol.md §7.4): an
 * int64 when the value is integral and fits, a double when a double holds it
 * exactly, else the decimal text. Comparison is by exact value, so 3 (INT),
 * 3.0 (FLOAT) and "3e0" (TEXT) are equal; decimal.c's exact decimal forms
 * make that comparison exact without a bignum library.
 */
#include "value.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decimal.h"

/* --- types ---------------------------------------------------------------- */

const struct tfp_type tfp_type_string = {.kind = TFP_KIND_STRING};
const struct tfp_type tfp_type_number = {.kind = TFP_KIND_NUMBER};
const struct tfp_type tfp_type_bool = {.kind = TFP_KIND_BOOL};
const struct tfp_type tfp_type_dynamic = {.kind = TFP_KIND_DYNAMIC};
const struct tfp_type tfp_type_list_string = {.kind = TFP_KIND_LIST,
					      .elem = &tfp_type_string};
const struct tfp_type tfp_type_set_string = {.kind = TFP_KIND_SET,
					     .elem = &tfp_type_string};
const struct tfp_type tfp_type_map_string = {.kind = TFP_KIND_MAP,
					     .elem = &tfp_type_string};

static bool kind_is_collection(enum tfp_kind k)
{
	return k == TFP_KIND_LIST || k == TFP_KIND_SET || k == TFP_KIND_MAP;
}

const struct tfp_type *tfp_type_collection(struct tfp_arena *a,
					   enum tfp_kind kind,
					   const struct tfp_type *elem)
{
	struct tfp_type *t;

	assert(kind_is_collection(kind));
	assert(elem != NULL);
	t = tfp_arena_alloc(a, sizeof(*t));
	t->kind = kind;
	t->elem = elem;
	return t;
}

struct attr_pair {
	const char *name;
	const struct tfp_type *type;
};

static int attr_pair_cmp(const void *x, const void *y)
{
	const struct attr_pair *px = x, *py = y;

	return strcmp(px->name, py->name);
}

const struct tfp_type *tfp_type_object(struct tfp_arena *a, size_t n,
				       const char *const *names,
				       const struct tfp_type *const *types)
{
	struct tfp_type *t;
	struct attr_pair *pairs;
	const char **out_names;
	const struct tfp_type **out_types;
	size_t i;

	assert(n == 0 || (names != NULL && types != NULL));
	/*
	 * The pairs are scratch space; the arena keeps them, which costs a few
	 * bytes per object type and saves a malloc/free pair.
	 */
	pairs = tfp_arena_alloc(a, (n ? n : 1) * sizeof(*pairs));
	for (i = 0; i < n; i++) {
		assert(names[i] != NULL && types[i] != NULL);
		pairs[i].name = names[i];
		pairs[i].type = types[i];
	}
	if (n > 1)
		qsort(pairs, n, sizeof(*pairs), attr_pair_cmp);

	out_names = tfp_arena_alloc(a, (n ? n : 1) * sizeof(*out_names));
	out_types = tfp_arena_alloc(a, (n ? n : 1) * sizeof(*out_types));
	for (i = 0; i < n; i++) {
		/* Two attributes of one name is a schema table bug. */
		assert(i == 0 || strcmp(pairs[i - 1].name, pairs[i].name) != 0);
		out_names[i] = tfp_arena_strdup(a, pairs[i].name);
		out_types[i] = pairs[i].type;
	}

	t = tfp_arena_alloc(a, sizeof(*t));
	t->kind = TFP_KIND_OBJECT;
	t->n_attrs = n;
	t->attr_names = out_names;
	t->attr_types = out_types;
	return t;
}

int tfp_type_attr_index(const struct tfp_type *t, const char *name)
{
	size_t lo = 0, hi;

	if (t == NULL || t->kind != TFP_KIND_OBJECT || name == NULL)
		return -1;
	hi = t->n_attrs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, t->attr_names[mid]);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

bool tfp_type_equal(const struct tfp_type *x, const struct tfp_type *y)
{
	size_t i;

	if (x == y)
		return true;
	if (x == NULL || y == NULL || x->kind != y->kind)
		return false;
	switch (x->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
	case TFP_KIND_MAP:
		return tfp_type_equal(x->elem, y->elem);
	case TFP_KIND_OBJECT:
		if (x->n_attrs != y->n_attrs)
			return false;
		for (i = 0; i < x->n_attrs; i++) {
			if (strcmp(x->attr_names[i], y->attr_names[i]) != 0 ||
			    !tfp_type_equal(x->attr_types[i], y->attr_types[i]))
				return false;
		}
		return true;
	default:
		return true;
	}
}

static const char *kind_name(enum tfp_kind k)
{
	switch (k) {
	case TFP_KIND_STRING:
		return "string";
	case TFP_KIND_NUMBER:
		return "number";
	case TFP_KIND_BOOL:
		return "bool";
	case TFP_KIND_LIST:
		return "list";
	case TFP_KIND_SET:
		return "set";
	case TFP_KIND_MAP:
		return "map";
	case TFP_KIND_OBJECT:
		return "object";
	case TFP_KIND_DYNAMIC:
		return "dynamic";
	}
	return "?";
}

static void *cjson_check(void *p)
{
	/*
	 * cJSON reports running out of memory as NULL; the project aborts on
	 * that everywhere else (common.h), so it does here too.
	 */
	if (p == NULL) {
		fputs("brickform: out of memory in cJSON\n", stderr);
		abort();
	}
	return p;
}

static cJSON *type_to_cjson(const struct tfp_type *t)
{
	cJSON *arr, *obj;
	size_t i;

	if (!kind_is_collection(t->kind) && t->kind != TFP_KIND_OBJECT)
		return cjson_check(cJSON_CreateString(kind_name(t->kind)));

	arr = cjson_check(cJSON_CreateArray());
	cJSON_AddItemToArray(
		arr, cjson_check(cJSON_CreateString(kind_name(t->kind))));
	if (t->kind != TFP_KIND_OBJECT) {
		cJSON_AddItemToArray(arr, type_to_cjson(t->elem));
		return arr;
	}
	obj = cjson_check(cJSON_CreateObject());
	for (i = 0; i < t->n_attrs; i++)
		cJSON_AddItemToObject(obj, t->attr_names[i],
				      type_to_cjson(t->attr_types[i]));
	cJSON_AddItemToArray(arr, obj);
	return arr;
}

char *tfp_type_json(struct tfp_arena *a, const struct tfp_type *t)
{
	cJSON *root;
	char *text, *out;

	assert(t != NULL);
	root = type_to_cjson(t);
	text = cjson_check(cJSON_PrintUnformatted(root));
	out = tfp_arena_strdup(a, text);
	cJSON_free(text);
	cJSON_Delete(root);
	return out;
}

static const struct tfp_type *type_from_cjson(struct tfp_arena *a,
					      const cJSON *j)
{
	static const struct {
		const char *name;
		const struct tfp_type *type;
	} prims[] = {
		{"string", &tfp_type_string},
		{"number", &tfp_type_number},
		{"bool", &tfp_type_bool},
		{"dynamic", &tfp_type_dynamic},
	};
	static const struct {
		const char *name;
		enum tfp_kind kind;
	} colls[] = {
		{"list", TFP_KIND_LIST},
		{"set", TFP_KIND_SET},
		{"map", TFP_KIND_MAP},
	};
	const cJSON *tag, *arg, *item;
	const char **names;
	const struct tfp_type **types;
	size_t i, n;

	if (cJSON_IsString(j)) {
		for (i = 0; i < TFP_ARRAY_SIZE(prims); i++)
			if (strcmp(j->valuestring, prims[i].name) == 0)
				return prims[i].type;
		return NULL;
	}
	/* ["list", T] and friends, or ["object", {...}]: exactly two items. */
	if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) != 2)
		return NULL;
	tag = j->child;
	arg = tag->next;
	if (!cJSON_IsString(tag))
		return NULL;
	for (i = 0; i < TFP_ARRAY_SIZE(colls); i++) {
		const struct tfp_type *elem;

		if (strcmp(tag->valuestring, colls[i].name) != 0)
			continue;
		elem = type_from_cjson(a, arg);
		if (elem == NULL)
			return NULL;
		return tfp_type_collection(a, colls[i].kind, elem);
	}
	if (strcmp(tag->valuestring, "object") != 0 || !cJSON_IsObject(arg))
		return NULL;

	n = (size_t)cJSON_GetArraySize(arg);
	names = tfp_arena_alloc(a, (n ? n : 1) * sizeof(*names));
	types = tfp_arena_alloc(a, (n ? n : 1) * sizeof(*types));
	i = 0;
	cJSON_ArrayForEach(item, arg)
	{
		size_t k;

		/* Duplicate names would trip tfp_type_object's assertion. */
		for (k = 0; k < i; k++)
			if (strcmp(names[k], item->string) == 0)
				return NULL;
		names[i] = item->string;
		types[i] = type_from_cjson(a, item);
		if (types[i] == NULL)
			return NULL;
		i++;
	}
	return tfp_type_object(a, n, names, types);
}

const struct tfp_type *tfp_type_from_json(struct tfp_arena *a, const char *json,
					  size_t len)
{
	cJSON *root;
	const struct tfp_type *t;
	const char *end = NULL;

	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root == NULL)
		return NULL;
	/* Without a NUL inside len, cJSON stops at the value's end. */
	while (end < json + len &&
	       (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (end != json + len) {
		cJSON_Delete(root);
		return NULL;
	}
	/* tfp_type_object copies the names, so the tree can go right away. */
	t = type_from_cjson(a, root);
	cJSON_Delete(root);
	return t;
}

/* --- numbers -------------------------------------------------------------- */

bool tfp_value_parse_number(struct tfp_number *out, struct tfp_arena *a,
			    const char *s, size_t len)
{
	struct tfp_decimal text = {0}, exact = {0};
	char *copy;
	double f;
	bool ok;

	if (!tfp_decimal_parse(&text, s, len))
		return false;
	memset(out, 0, sizeof(*out));
	if (tfp_decimal_to_int(&out->i, &text)) {
		out->kind = TFP_NUM_INT;
		tfp_decimal_dispose(&text);
		return true;
	}
	/* strtod wants a terminated string; s is a length-delimited slice. */
	copy = tfp_arena_strndup(a, s, len);
	f = strtod(copy, NULL);
	ok = tfp_decimal_from_double(&exact, f) &&
	     tfp_decimal_equal(&text, &exact);
	tfp_decimal_dispose(&exact);
	tfp_decimal_dispose(&text);
	if (ok) {
		out->kind = TFP_NUM_FLOAT;
		out->f = f;
	} else {
		out->kind = TFP_NUM_TEXT;
		out->text = copy;
	}
	return true;
}

bool tfp_number_from_json_double(struct tfp_number *out, struct tfp_arena *a,
				 double f)
{
	char buf[40];
	int prec, n = 0;

	if (!isfinite(f))
		return false;
	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(buf, sizeof(buf), "%.*g", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	return n > 0 && tfp_value_parse_number(out, a, buf, (size_t)n);
}

const char *tfp_number_exact_text(struct tfp_arena *a,
				  const struct tfp_number *n)
{
	struct tfp_decimal d = {0};
	const char *out;
	char *t;

	switch (n->kind) {
	case TFP_NUM_INT:
		return tfp_arena_printf(a, "%" PRId64, n->i);
	case TFP_NUM_TEXT:
		return n->text;
	case TFP_NUM_FLOAT:
		break;
	}
	if (!tfp_decimal_from_double(&d, n->f))
		return NULL;
	t = tfp_decimal_text(&d);
	tfp_decimal_dispose(&d);
	out = tfp_arena_strdup(a, t);
	free(t);
	return out;
}

/* The decimal form of any number; false for infinities and bad text. */
static bool dec_from_number(struct tfp_decimal *out, const struct tfp_number *n)
{
	switch (n->kind) {
	case TFP_NUM_INT:
		tfp_decimal_from_int(out, n->i);
		return true;
	case TFP_NUM_FLOAT:
		return tfp_decimal_from_double(out, n->f);
	case TFP_NUM_TEXT:
		return n->text != NULL &&
		       tfp_decimal_parse(out, n->text, strlen(n->text));
	}
	return false;
}

static bool double_to_int(double f, int64_t *out)
{
	/* -2^63 and 2^63 are exact doubles; the range is half-open. */
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0) ||
	    f != trunc(f))
		return false;
	*out = (int64_t)f;
	return true;
}

static bool number_equal(const struct tfp_number *x, const struct tfp_number *y)
{
	struct tfp_decimal dx = {0}, dy = {0};
	int64_t i;
	bool eq;

	if (x->kind == TFP_NUM_INT && y->kind == TFP_NUM_INT)
		return x->i == y->i;
	if (x->kind == TFP_NUM_FLOAT && y->kind == TFP_NUM_FLOAT)
		return x->f == y->f;
	if (x->kind == TFP_NUM_INT && y->kind == TFP_NUM_FLOAT)
		return double_to_int(y->f, &i) && i == x->i;
	if (x->kind == TFP_NUM_FLOAT && y->kind == TFP_NUM_INT)
		return double_to_int(x->f, &i) && i == y->i;

	/* At least one side is text: compare exact decimal forms. */
	if (!dec_from_number(&dx, x))
		goto fallback;
	if (!dec_from_number(&dy, y)) {
		tfp_decimal_dispose(&dx);
		goto fallback;
	}
	eq = tfp_decimal_equal(&dx, &dy);
	tfp_decimal_dispose(&dx);
	tfp_decimal_dispose(&dy);
	return eq;

fallback:
	/* Text that is not a number (built by hand) equals only itself. */
	return x->kind == TFP_NUM_TEXT && y->kind == TFP_NUM_TEXT &&
	       x->text != NULL && y->text != NULL &&
	       strcmp(x->text, y->text) == 0;
}

/* --- construction --------------------------------------------------------- */

static struct tfp_value *value_new(struct tfp_arena *a,
				   const struct tfp_type *t,
				   enum tfp_value_state state)
{
	struct tfp_value *v;

	assert(t != NULL);
	v = tfp_arena_alloc(a, sizeof(*v));
	v->type = t;
	v->state = state;
	return v;
}

struct tfp_value *tfp_value_null(struct tfp_arena *a, const struct tfp_type *t)
{
	return value_new(a, t, TFP_VALUE_NULL);
}

struct tfp_value *tfp_value_unknown(struct tfp_arena *a,
				    const struct tfp_type *t)
{
	return value_new(a, t, TFP_VALUE_UNKNOWN);
}

struct tfp_value *tfp_value_string(struct tfp_arena *a, const char *s)
{
	struct tfp_value *v = value_new(a, &tfp_type_string, TFP_VALUE_KNOWN);

	assert(s != NULL);
	v->u.str = tfp_arena_strdup(a, s);
	return v;
}

struct tfp_value *tfp_value_int(struct tfp_arena *a, int64_t i)
{
	struct tfp_value *v = value_new(a, &tfp_type_number, TFP_VALUE_KNOWN);

	v->u.num.kind = TFP_NUM_INT;
	v->u.num.i = i;
	return v;
}

struct tfp_value *tfp_value_float(struct tfp_arena *a, double f)
{
	struct tfp_value *v = value_new(a, &tfp_type_number, TFP_VALUE_KNOWN);

	v->u.num.kind = TFP_NUM_FLOAT;
	v->u.num.f = f;
	return v;
}

struct tfp_value *tfp_value_number(struct tfp_arena *a,
				   const struct tfp_number *n)
{
	struct tfp_value *v = value_new(a, &tfp_type_number, TFP_VALUE_KNOWN);

	v->u.num = *n;
	if (n->kind == TFP_NUM_TEXT)
		v->u.num.text = tfp_arena_strdup(a, n->text);
	return v;
}

struct tfp_value *tfp_value_bool(struct tfp_arena *a, bool b)
{
	struct tfp_value *v = value_new(a, &tfp_type_bool, TFP_VALUE_KNOWN);

	v->u.b = b;
	return v;
}

struct tfp_value *tfp_value_object(struct tfp_arena *a,
				   const struct tfp_type *t)
{
	struct tfp_value *v;
	size_t i;

	assert(t != NULL && t->kind == TFP_KIND_OBJECT);
	v = value_new(a, t, TFP_VALUE_KNOWN);
	v->u.coll.n = t->n_attrs;
	v->u.coll.items = tfp_arena_alloc(a, (t->n_attrs ? t->n_attrs : 1) *
						     sizeof(*v->u.coll.items));
	for (i = 0; i < t->n_attrs; i++)
		v->u.coll.items[i] = tfp_value_null(a, t->attr_types[i]);
	return v;
}

struct tfp_value *tfp_value_collection(struct tfp_arena *a,
				       const struct tfp_type *t, size_t n)
{
	struct tfp_value *v;

	assert(t != NULL && kind_is_collection(t->kind));
	v = value_new(a, t, TFP_VALUE_KNOWN);
	v->u.coll.n = n;
	v->u.coll.items =
		tfp_arena_alloc(a, (n ? n : 1) * sizeof(*v->u.coll.items));
	if (t->kind == TFP_KIND_MAP)
		v->u.coll.keys = tfp_arena_alloc(
			a, (n ? n : 1) * sizeof(*v->u.coll.keys));
	return v;
}

struct tfp_value *tfp_value_copy(struct tfp_arena *a, const struct tfp_value *v)
{
	struct tfp_value *c;
	size_t i, n;

	if (v == NULL)
		return NULL;
	c = tfp_arena_alloc(a, sizeof(*c));
	*c = *v;
	if (v->state == TFP_VALUE_UNKNOWN) {
		if (v->refinement != NULL)
			c->refinement = tfp_arena_memdup(a, v->refinement,
							 v->refinement_len);
		return c;
	}
	c->refinement = NULL;
	c->refinement_len = 0;
	if (v->state == TFP_VALUE_NULL)
		return c;

	switch (v->type->kind) {
	case TFP_KIND_STRING:
		c->u.str = tfp_arena_strdup(a, v->u.str);
		break;
	case TFP_KIND_NUMBER:
		if (v->u.num.kind == TFP_NUM_TEXT)
			c->u.num.text = tfp_arena_strdup(a, v->u.num.text);
		break;
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
	case TFP_KIND_MAP:
	case TFP_KIND_OBJECT:
		n = v->u.coll.n;
		c->u.coll.items = tfp_arena_alloc(
			a, (n ? n : 1) * sizeof(*c->u.coll.items));
		for (i = 0; i < n; i++)
			c->u.coll.items[i] =
				tfp_value_copy(a, v->u.coll.items[i]);
		if (v->type->kind == TFP_KIND_MAP) {
			c->u.coll.keys = tfp_arena_alloc(
				a, (n ? n : 1) * sizeof(*c->u.coll.keys));
			for (i = 0; i < n; i++)
				c->u.coll.keys[i] =
					tfp_arena_strdup(a, v->u.coll.keys[i]);
		}
		break;
	default:
		break;
	}
	return c;
}

/* --- inspection ----------------------------------------------------------- */

bool tfp_value_wholly_known(const struct tfp_value *v)
{
	size_t i;

	if (tfp_value_is_null(v))
		return true;
	if (v->state == TFP_VALUE_UNKNOWN)
		return false;
	switch (v->type->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
	case TFP_KIND_MAP:
	case TFP_KIND_OBJECT:
		for (i = 0; i < v->u.coll.n; i++)
			if (!tfp_value_wholly_known(v->u.coll.items[i]))
				return false;
		return true;
	default:
		return true;
	}
}

static bool set_equal(const struct tfp_value *x, const struct tfp_value *y)
{
	size_t n = x->u.coll.n, i, j;
	bool *used, eq = true;

	if (n == 0)
		return true;
	/*
	 * Multiset comparison: each element of x claims one equal, unclaimed
	 * element of y. Quadratic, but sets in resource schemas are small.
	 */
	used = tfp_xcalloc(n, sizeof(*used));
	for (i = 0; i < n && eq; i++) {
		eq = false;
		for (j = 0; j < n; j++) {
			if (!used[j] && tfp_value_equal(x->u.coll.items[i],
							y->u.coll.items[j])) {
				used[j] = true;
				eq = true;
				break;
			}
		}
	}
	free(used);
	return eq;
}

static bool map_equal(const struct tfp_value *x, const struct tfp_value *y)
{
	size_t i;

	for (i = 0; i < x->u.coll.n; i++) {
		const struct tfp_value *other =
			tfp_value_map_get(y, x->u.coll.keys[i]);

		/* A key that y lacks and a null entry are not the same. */
		if (other == NULL && !tfp_value_map_has(y, x->u.coll.keys[i]))
			return false;
		if (!tfp_value_equal(x->u.coll.items[i], other))
			return false;
	}
	return true;
}

static bool object_names_match(const struct tfp_type *x,
			       const struct tfp_type *y)
{
	size_t i;

	if (x == y)
		return true;
	if (x->n_attrs != y->n_attrs)
		return false;
	for (i = 0; i < x->n_attrs; i++)
		if (strcmp(x->attr_names[i], y->attr_names[i]) != 0)
			return false;
	return true;
}

bool tfp_value_equal(const struct tfp_value *x, const struct tfp_value *y)
{
	size_t i;

	if (tfp_value_is_null(x) || tfp_value_is_null(y))
		return tfp_value_is_null(x) && tfp_value_is_null(y);
	/* Refinements are ignored, as in Terraform's plan validation. */
	if (x->state == TFP_VALUE_UNKNOWN || y->state == TFP_VALUE_UNKNOWN)
		return x->state == y->state;
	if (x->type->kind != y->type->kind)
		return false;

	switch (x->type->kind) {
	case TFP_KIND_STRING:
		return strcmp(x->u.str, y->u.str) == 0;
	case TFP_KIND_NUMBER:
		return number_equal(&x->u.num, &y->u.num);
	case TFP_KIND_BOOL:
		return x->u.b == y->u.b;
	case TFP_KIND_OBJECT:
		if (!object_names_match(x->type, y->type) ||
		    x->u.coll.n != y->u.coll.n)
			return false;
		/* fall through */
	case TFP_KIND_LIST:
		if (x->u.coll.n != y->u.coll.n)
			return false;
		for (i = 0; i < x->u.coll.n; i++)
			if (!tfp_value_equal(x->u.coll.items[i],
					     y->u.coll.items[i]))
				return false;
		return true;
	case TFP_KIND_SET:
		return x->u.coll.n == y->u.coll.n && set_equal(x, y);
	case TFP_KIND_MAP:
		return x->u.coll.n == y->u.coll.n && map_equal(x, y);
	case TFP_KIND_DYNAMIC:
		/* Known values always carry their concrete type. */
		break;
	}
	return false;
}

/* Index of a known object's attribute; asserts that it exists. */
static size_t attr_slot(const struct tfp_value *obj, const char *name)
{
	int idx;

	assert(obj->type != NULL && obj->type->kind == TFP_KIND_OBJECT);
	idx = tfp_type_attr_index(obj->type, name);
	assert(idx >= 0 && "no such attribute in the object type");
	return (size_t)idx;
}

struct tfp_value *tfp_value_get(const struct tfp_value *obj, const char *name)
{
	size_t idx;

	if (obj == NULL)
		return NULL;
	idx = attr_slot(obj, name);
	if (obj->state != TFP_VALUE_KNOWN)
		return NULL;
	assert(idx < obj->u.coll.n);
	return obj->u.coll.items[idx];
}

void tfp_value_set(struct tfp_value *obj, const char *name, struct tfp_value *v)
{
	size_t idx;

	assert(obj != NULL && obj->state == TFP_VALUE_KNOWN);
	idx = attr_slot(obj, name);
	assert(idx < obj->u.coll.n);
	/* A known value must fit the attribute (dynamic takes anything). */
	assert(v == NULL || v->state != TFP_VALUE_KNOWN ||
	       obj->type->attr_types[idx]->kind == TFP_KIND_DYNAMIC ||
	       v->type->kind == obj->type->attr_types[idx]->kind);
	obj->u.coll.items[idx] = v;
}

const char *tfp_value_get_string(const struct tfp_value *obj, const char *name)
{
	const struct tfp_value *v = tfp_value_get(obj, name);

	if (!tfp_value_is_known(v) || v->type->kind != TFP_KIND_STRING)
		return NULL;
	return v->u.str;
}

bool tfp_value_get_bool(const struct tfp_value *obj, const char *name,
			bool dflt)
{
	const struct tfp_value *v = tfp_value_get(obj, name);

	if (!tfp_value_is_known(v) || v->type->kind != TFP_KIND_BOOL)
		return dflt;
	return v->u.b;
}

bool tfp_value_get_int(const struct tfp_value *obj, const char *name,
		       int64_t *out)
{
	const struct tfp_value *v = tfp_value_get(obj, name);
	struct tfp_decimal d = {0};
	bool ok;

	if (!tfp_value_is_known(v) || v->type->kind != TFP_KIND_NUMBER)
		return false;
	switch (v->u.num.kind) {
	case TFP_NUM_INT:
		*out = v->u.num.i;
		return true;
	case TFP_NUM_FLOAT:
		return double_to_int(v->u.num.f, out);
	case TFP_NUM_TEXT:
		/* Text is normally out of int64 range, but check rather than
		 * assume: a hand-built "42" is still 42. */
		if (v->u.num.text == NULL ||
		    !tfp_decimal_parse(&d, v->u.num.text,
				       strlen(v->u.num.text)))
			return false;
		ok = tfp_decimal_to_int(out, &d);
		tfp_decimal_dispose(&d);
		return ok;
	}
	return false;
}

static bool map_find(const struct tfp_value *map, const char *key, size_t *idx)
{
	size_t i;

	if (!tfp_value_is_known(map) || key == NULL)
		return false;
	assert(map->type->kind == TFP_KIND_MAP);
	for (i = 0; i < map->u.coll.n; i++) {
		if (map->u.coll.keys[i] != NULL &&
		    strcmp(map->u.coll.keys[i], key) == 0) {
			*idx = i;
			return true;
		}
	}
	return false;
}

struct tfp_value *tfp_value_map_get(const struct tfp_value *map,
				    const char *key)
{
	size_t i;

	if (!map_find(map, key, &i))
		return NULL;
	return map->u.coll.items[i];
}

bool tfp_value_map_has(const struct tfp_value *map, const char *key)
{
	size_t i;

	return map_find(map, key, &i);
}

void tfp_value_set_string(struct tfp_arena *a, struct tfp_value *obj,
			  const char *name, const char *s)
{
	size_t idx;

	assert(obj != NULL && obj->state == TFP_VALUE_KNOWN);
	idx = attr_slot(obj, name);
	if (s == NULL)
		obj->u.coll.items[idx] =
			tfp_value_null(a, obj->type->attr_types[idx]);
	else
		obj->u.coll.items[idx] = tfp_value_string(a, s);
}

static void value_null_unknowns(struct tfp_arena *a, struct tfp_value *v)
{
	size_t i;

	if (!tfp_value_is_known(v))
		return;
	switch (v->type->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
	case TFP_KIND_MAP:
	case TFP_KIND_OBJECT:
		for (i = 0; i < v->u.coll.n; i++) {
			struct tfp_value *c = v->u.coll.items[i];

			if (tfp_value_is_unknown(c))
				v->u.coll.items[i] = tfp_value_null(a, c->type);
			else
				value_null_unknowns(a, c);
		}
		break;
	default:
		break;
	}
}

struct tfp_value *tfp_value_unknowns_to_null(struct tfp_arena *a,
					      const struct tfp_value *v)
{
	struct tfp_value *c;

	if (tfp_value_is_unknown(v))
		return tfp_value_null(a, v->type);
	c = tfp_value_copy(a, v);
	value_null_unknowns(a, c);
	return c;
}
