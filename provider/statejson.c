/*
 * Terraform's stored state as JSON -> tfp_value: UpgradeResourceState's
 * raw_state.json, decoded under the provider's current schema.
 *
 * State may predate the schema, so this decoder is lenient where the wire
 * decoder (msgpack.c) is strict: a missing attribute is null, an attribute
 * the type no longer has is dropped, and scalars convert by text as cty's
 * JSON decoder does. It is strict about the rest: nesting is limited to
 * TFP_STATEJSON_MAX_DEPTH, maps must not repeat a key, and every error
 * names the attribute path.
 *
 * The JSON is parsed with cJSON, which keeps numbers only as doubles; each
 * number's source text is recovered by a scan that runs alongside the parse
 * (see "JSON numbers" below), so that integers beyond 2^53 stay exact.
 */
#include "statejson.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decode.h"
#include "diag.h"
#include "path.h"
#include "value.h"

#define SUMMARY_JSON "Invalid state from Terraform"

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
		   const struct tfp_trail *at, int depth,
		   struct tfp_value **out);

static int jmismatch(struct jreader *r, const struct tfp_trail *at,
		     const struct tfp_type *t, const cJSON *j)
{
	return tfp_decode_error(r->d, at, SUMMARY_JSON,
				"Expected %s but found %s.",
				tfp_decode_type_desc(t), json_desc(j));
}

/*
 * Like cty's JSON decoder, a string attribute also takes a number or bool
 * (by its text) and number and bool attributes take strings, which lets
 * state written under an older schema decode under a newer one.
 */
static int jscalar(struct jreader *r, const cJSON *j, const struct tfp_type *t,
		   const struct tfp_trail *at, struct tfp_value **out)
{
	struct tfp_value *v = tfp_decode_known(r->a, t);
	const struct num_text *nt = NULL;
	const char *text;
	size_t len;

	if (cJSON_IsNumber(j)) {
		nt = num_find(&r->nums, j);
		if (nt == NULL)
			return tfp_decode_error(
				r->d, at, SUMMARY_JSON,
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
			return tfp_decode_error(
				r->d, at, SUMMARY_JSON,
				"\"%s\" is not a valid number.",
				tfp_decode_printable(r->a, text, len));
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
		       const struct tfp_type *t, const struct tfp_trail *at,
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
		struct tfp_trail step = {at, TFP_STEP_INDEX, NULL, (int64_t)i};
		const struct tfp_trail *child = &step;

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
		dup = tfp_decode_map_check(r->a, v);
		if (dup >= 0)
			return tfp_decode_error(
				r->d, at, SUMMARY_JSON,
				"The map has key \"%s\" more than once.",
				tfp_decode_printable(
					r->a, v->u.coll.keys[dup],
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
		   const struct tfp_trail *at, int depth,
		   struct tfp_value **out)
{
	struct tfp_value *v;
	size_t i;
	int error;

	if (!cJSON_IsObject(j))
		return jmismatch(r, at, t, j);
	v = tfp_value_object(r->a, t);
	for (i = 0; i < t->n_attrs; i++) {
		struct tfp_trail step = {at, TFP_STEP_ATTR, t->attr_names[i],
					 0};
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
static int jdynamic(struct jreader *r, const cJSON *j,
		    const struct tfp_trail *at, int depth,
		    struct tfp_value **out)
{
	const cJSON *tj = cJSON_GetObjectItemCaseSensitive(j, "type");
	const cJSON *vj = cJSON_GetObjectItemCaseSensitive(j, "value");
	const struct tfp_type *t = NULL;
	char *text;

	if (!cJSON_IsObject(j) || tj == NULL || vj == NULL)
		return tfp_decode_error(
			r->d, at, SUMMARY_JSON,
			"Expected a dynamic value as a JSON object "
			"with \"type\" and \"value\" but found %s.",
			json_desc(j));
	text = cJSON_PrintUnformatted(tj);
	if (text != NULL) {
		t = tfp_type_from_json(r->a, text, strlen(text));
		cJSON_free(text);
	}
	if (t == NULL)
		return tfp_decode_error(
			r->d, at, SUMMARY_JSON,
			"Unsupported or invalid type for a dynamic "
			"value (tuple types are not supported).");
	return jdecode(r, vj, t, at, depth + 1, out);
}

static int jdecode(struct jreader *r, const cJSON *j, const struct tfp_type *t,
		   const struct tfp_trail *at, int depth,
		   struct tfp_value **out)
{
	if (cJSON_IsNull(j)) {
		*out = tfp_value_null(r->a, t);
		return TFP_OK;
	}
	if ((cJSON_IsArray(j) || cJSON_IsObject(j)) &&
	    depth >= TFP_STATEJSON_MAX_DEPTH)
		return tfp_decode_error(
			r->d, at, SUMMARY_JSON,
			"The value nests deeper than %d levels.",
			TFP_STATEJSON_MAX_DEPTH);
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
