/*
 * Between the workspace's JSON and Terraform values: exact accessors, and
 * the schema-driven mapping resources use for large settings objects (a
 * job's settings have hundreds of fields; mapping them by hand would be
 * hundreds of lines per resource, each a chance to drop a field).
 *
 * See jsonmap.h for the integer rule and the mapping rules.
 */
#include "jsonmap.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "value.h"

/* 2^53: the first integer a double cannot tell from its successor. */
#define JSON_EXACT_LIMIT 9007199254740992.0

const char *tfp_json_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool tfp_json_same_document(const char *a, const char *b)
{
	cJSON *ja, *jb;
	bool same;

	if (a == NULL || b == NULL)
		return a == b;
	if (strcmp(a, b) == 0)
		return true;
	ja = cJSON_Parse(a);
	jb = cJSON_Parse(b);
	/* cJSON_Compare compares objects without regard to key order and
	 * numbers by value, which is what makes two texts one document. */
	same = ja != NULL && jb != NULL && cJSON_Compare(ja, jb, true);
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return same;
}

int tfp_json_int(int64_t *out, const cJSON *obj, const char *name,
		 struct tfp_diags *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	double x;

	if (v == NULL || cJSON_IsNull(v))
		return TFP_ENOTFOUND;
	if (!cJSON_IsNumber(v))
		return tfp_diag_error(d, "Unexpected reply from the service",
				      "Field \"%s\" should be a number.", name);
	x = v->valuedouble;
	if (x != floor(x) || fabs(x) >= JSON_EXACT_LIMIT)
		return tfp_diag_error(
			d, "Unexpected reply from the service",
			"Field \"%s\" is %.17g, which is not an integer that "
			"brickform can keep exactly (|n| < 2^53).",
			name, x);
	*out = (int64_t)x;
	return TFP_OK;
}

void tfp_json_add_int(cJSON *obj, const char *name, int64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRId64, v);
	cJSON_AddItemToObject(obj, name, cJSON_CreateRaw(text));
}

/*
 * TEXT numbers a JSON API may take as they are: fractions of an ordinary
 * size, which its parser rounds to the nearest double as it would the
 * configuration's own text. Integers beyond int64 and huge exponents are
 * refused: the service would keep another number.
 */
static bool tfp_number_json_text_ok(const char *text)
{
	double f;
	char *end;

	if (text == NULL || strchr(text, '.') == NULL)
		return false;
	f = strtod(text, &end);
	return *end == '\0' && isfinite(f) && fabs(f) < 1e15 &&
	       (f == 0 || fabs(f) > 1e-300);
}

/* --- schema-driven mapping ------------------------------------------------ */

/*
 * tfp_value -> JSON. Everything here runs on values the plan made known;
 * an unknown would mean a bug upstream, so it is an error, not a guess.
 */

static const char *attr_json_name(const struct tfp_attr *at)
{
	return at->json != NULL ? at->json : at->name;
}

static const char *block_json_name(const struct tfp_block *b)
{
	return b->json != NULL ? b->json : b->name;
}

/* A LIST block of at most one element is an object in the API. */
static bool block_is_object(const struct tfp_block *b)
{
	return b->nesting == TFP_NEST_SINGLE ||
	       (b->nesting == TFP_NEST_LIST && b->max_items == 1);
}

static int value_to_json(cJSON **out, const struct tfp_value *v,
			 const char *field, struct tfp_diags *d)
{
	size_t i;

	if (tfp_value_is_unknown(v))
		return tfp_diag_error(d, "Unknown value in a request",
				      "\"%s\" is still unknown when it must be "
				      "sent. This is a bug in brickform.",
				      field);
	if (tfp_value_is_null(v)) {
		*out = cJSON_CreateNull();
		return TFP_OK;
	}
	switch (v->type->kind) {
	case TFP_KIND_STRING:
		*out = cJSON_CreateString(v->u.str);
		return TFP_OK;
	case TFP_KIND_BOOL:
		*out = cJSON_CreateBool(v->u.b);
		return TFP_OK;
	case TFP_KIND_NUMBER: {
		char text[32];

		if (v->u.num.kind == TFP_NUM_INT) {
			snprintf(text, sizeof(text), "%" PRId64, v->u.num.i);
			*out = cJSON_CreateRaw(text);
		} else if (v->u.num.kind == TFP_NUM_FLOAT) {
			*out = cJSON_CreateNumber(v->u.num.f);
		} else if (tfp_number_json_text_ok(v->u.num.text)) {
			/* A fraction such as 0.1 (no double holds it): the
			 * text as the configuration wrote it, which the
			 * service reads as the double nearest it. */
			*out = cJSON_CreateRaw(v->u.num.text);
		} else {
			return tfp_diag_error(
				d, "Number out of range",
				"\"%s\" is %s, which the service's API cannot "
				"take exactly.",
				field, v->u.num.text);
		}
		return TFP_OK;
	}
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		*out = cJSON_CreateArray();
		for (i = 0; i < v->u.coll.n; i++) {
			cJSON *item = NULL;

			if (value_to_json(&item, v->u.coll.items[i], field, d) <
			    0) {
				cJSON_Delete(*out);
				return TFP_ERROR;
			}
			cJSON_AddItemToArray(*out, item);
		}
		return TFP_OK;
	case TFP_KIND_MAP:
	case TFP_KIND_OBJECT:
		*out = cJSON_CreateObject();
		for (i = 0; i < v->u.coll.n; i++) {
			cJSON *item = NULL;
			const char *key = v->type->kind == TFP_KIND_MAP
						  ? v->u.coll.keys[i]
						  : v->type->attr_names[i];

			if (v->type->kind == TFP_KIND_OBJECT &&
			    tfp_value_is_null(v->u.coll.items[i]))
				continue;
			if (value_to_json(&item, v->u.coll.items[i], field, d) <
			    0) {
				cJSON_Delete(*out);
				return TFP_ERROR;
			}
			cJSON_AddItemToObject(*out, key, item);
		}
		return TFP_OK;
	case TFP_KIND_DYNAMIC:
		break;
	}
	return tfp_diag_error(d, "Unsupported value",
			      "\"%s\" has a type brickform cannot send.", field);
}

static int object_to_json(cJSON *out, const struct tfp_attr *attrs,
			  const struct tfp_block *blocks,
			  const struct tfp_value *obj, struct tfp_diags *d);

/* A nested attribute: an object, or an array or object of them. */
static int nested_to_json(cJSON **out, const struct tfp_attr *at,
			  const struct tfp_value *v, struct tfp_diags *d)
{
	size_t i;

	if (at->nesting == TFP_NEST_SINGLE) {
		*out = cJSON_CreateObject();
		return object_to_json(*out, at->nested, NULL, v, d);
	}
	*out = at->nesting == TFP_NEST_MAP ? cJSON_CreateObject()
					   : cJSON_CreateArray();
	for (i = 0; i < v->u.coll.n; i++) {
		cJSON *elem = cJSON_CreateObject();

		if (at->nesting == TFP_NEST_MAP)
			cJSON_AddItemToObject(*out, v->u.coll.keys[i], elem);
		else
			cJSON_AddItemToArray(*out, elem);
		if (!tfp_value_is_known(v->u.coll.items[i]))
			return value_to_json(&elem, v->u.coll.items[i],
					     at->name, d);
		if (object_to_json(elem, at->nested, NULL, v->u.coll.items[i],
				   d) < 0)
			return TFP_ERROR;
	}
	return TFP_OK;
}

static int object_to_json(cJSON *out, const struct tfp_attr *attrs,
			  const struct tfp_block *blocks,
			  const struct tfp_value *obj, struct tfp_diags *d)
{
	size_t i;

	for (; attrs != NULL && attrs->name != NULL; attrs++) {
		const struct tfp_value *v = tfp_value_get(obj, attrs->name);
		cJSON *item = NULL;

		/* Unknown here is a computed value the plan left to the
		 * workspace: not sending it lets the workspace decide. */
		if ((attrs->flags & TFP_NO_JSON) || tfp_value_is_null(v) ||
		    tfp_value_is_unknown(v))
			continue;
		if (attrs->nested != NULL) {
			if (nested_to_json(&item, attrs, v, d) < 0)
				return TFP_ERROR;
		} else if (value_to_json(&item, v, attrs->name, d) < 0) {
			return TFP_ERROR;
		}
		cJSON_AddItemToObject(out, attr_json_name(attrs), item);
	}
	for (; blocks != NULL && blocks->name != NULL; blocks++) {
		const struct tfp_value *v = tfp_value_get(obj, blocks->name);
		cJSON *item;

		if ((blocks->flags & TFP_NO_JSON) || tfp_value_is_null(v))
			continue;
		if (tfp_value_is_unknown(v))
			return value_to_json(&item, v, blocks->name, d);
		if (blocks->nesting == TFP_NEST_SINGLE) {
			item = cJSON_AddObjectToObject(out,
						       block_json_name(blocks));
			if (object_to_json(item, blocks->attrs, blocks->blocks,
					   v, d) < 0)
				return TFP_ERROR;
			continue;
		}
		if (v->u.coll.n == 0)
			continue;
		if (block_is_object(blocks)) {
			item = cJSON_AddObjectToObject(out,
						       block_json_name(blocks));
			if (object_to_json(item, blocks->attrs, blocks->blocks,
					   v->u.coll.items[0], d) < 0)
				return TFP_ERROR;
			continue;
		}
		item = cJSON_AddArrayToObject(out, block_json_name(blocks));
		for (i = 0; i < v->u.coll.n; i++) {
			cJSON *elem = cJSON_CreateObject();

			cJSON_AddItemToArray(item, elem);
			if (tfp_value_is_unknown(v->u.coll.items[i]))
				return value_to_json(&elem, v->u.coll.items[i],
						     blocks->name, d);
			if (object_to_json(elem, blocks->attrs, blocks->blocks,
					   v->u.coll.items[i], d) < 0)
				return TFP_ERROR;
		}
	}
	return TFP_OK;
}

/*
 * tfp_arena_defer wants a void (*)(void *); calling cJSON_Delete through
 * that type (a cast of the function pointer) is undefined behaviour, so the
 * call goes through a function of the right type.
 */
static void json_free(void *p)
{
	cJSON_Delete(p);
}

void tfp_arena_defer_json(struct tfp_arena *a, cJSON *json)
{
	tfp_arena_defer(a, json_free, json);
}

int tfp_jsonmap_from_value(cJSON **out, struct tfp_arena *a,
			   const struct tfp_attr *attrs,
			   const struct tfp_block *blocks,
			   const struct tfp_value *obj, struct tfp_diags *d)
{
	cJSON *json = cJSON_CreateObject();

	tfp_arena_defer_json(a, json);
	*out = json;
	if (!tfp_value_is_known(obj))
		return tfp_diag_error(d, "No value to send",
				      "The object to send is null or unknown. "
				      "This is a bug in brickform.");
	return object_to_json(json, attrs, blocks, obj, d);
}

/*
 * JSON -> tfp_value. Field names in errors are JSON paths
 * ("tasks[2].notebook_task.notebook_path") because that is where the
 * workspace's answer was wrong.
 */

struct from_ctx {
	struct tfp_arena *a;
	struct tfp_diags *d;
};

static int type_error(struct from_ctx *c, const char *path, const char *want)
{
	return tfp_diag_error(c->d, "Unexpected reply from the service",
			      "Field \"%s\" should be %s.", path, want);
}

static int json_to_plain(struct tfp_value **out, struct from_ctx *c,
			 const struct tfp_type *t, const cJSON *j,
			 const char *path)
{
	size_t i, n;
	const cJSON *item;

	if (j == NULL || cJSON_IsNull(j)) {
		*out = tfp_value_null(c->a, t);
		return TFP_OK;
	}
	switch (t->kind) {
	case TFP_KIND_STRING:
		if (cJSON_IsString(j)) {
			*out = tfp_value_string(c->a, j->valuestring);
			return TFP_OK;
		}
		if (cJSON_IsBool(j)) {
			*out = tfp_value_string(c->a, cJSON_IsTrue(j) ? "true"
								       : "false");
			return TFP_OK;
		}
		if (cJSON_IsNumber(j)) {
			/* Some settings are numbers the API sends as strings
			 * or the other way round; keep the exact text. */
			double x = j->valuedouble;
			char text[40];

			if (x == floor(x) && fabs(x) < JSON_EXACT_LIMIT)
				snprintf(text, sizeof(text), "%" PRId64,
					 (int64_t)x);
			else
				snprintf(text, sizeof(text), "%.17g", x);
			*out = tfp_value_string(c->a, text);
			return TFP_OK;
		}
		return type_error(c, path, "a string");
	case TFP_KIND_BOOL:
		if (!cJSON_IsBool(j))
			return type_error(c, path, "true or false");
		*out = tfp_value_bool(c->a, cJSON_IsTrue(j));
		return TFP_OK;
	case TFP_KIND_NUMBER: {
		double x;

		if (!cJSON_IsNumber(j))
			return type_error(c, path, "a number");
		x = j->valuedouble;
		if (x != floor(x)) {
			struct tfp_number num;

			/* The text the service most likely wrote (0.1, not the
			 * double nearest it), which is what a configuration
			 * writes too. */
			if (!tfp_number_from_json_double(&num, c->a, x))
				return type_error(c, path, "a finite number");
			*out = tfp_value_number(c->a, &num);
			return TFP_OK;
		}
		if (fabs(x) >= JSON_EXACT_LIMIT)
			return tfp_diag_error(
				c->d, "Unexpected reply from the service",
				"Field \"%s\" is %.17g, which is not an "
				"integer that brickform can keep exactly "
				"(|n| < 2^53).",
				path, x);
		*out = tfp_value_int(c->a, (int64_t)x);
		return TFP_OK;
	}
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		if (!cJSON_IsArray(j))
			return type_error(c, path, "a list");
		n = (size_t)cJSON_GetArraySize(j);
		*out = tfp_value_collection(c->a, t, n);
		i = 0;
		cJSON_ArrayForEach(item, j)
		{
			if (json_to_plain(&(*out)->u.coll.items[i], c, t->elem,
					  item, path) < 0)
				return TFP_ERROR;
			i++;
		}
		return TFP_OK;
	case TFP_KIND_MAP:
		if (!cJSON_IsObject(j))
			return type_error(c, path, "an object");
		n = (size_t)cJSON_GetArraySize(j);
		*out = tfp_value_collection(c->a, t, n);
		i = 0;
		cJSON_ArrayForEach(item, j)
		{
			(*out)->u.coll.keys[i] =
				tfp_arena_strdup(c->a, item->string);
			if (json_to_plain(&(*out)->u.coll.items[i], c, t->elem,
					  item, path) < 0)
				return TFP_ERROR;
			i++;
		}
		return TFP_OK;
	case TFP_KIND_OBJECT:
		if (!cJSON_IsObject(j))
			return type_error(c, path, "an object");
		*out = tfp_value_object(c->a, t);
		for (i = 0; i < t->n_attrs; i++)
			if (json_to_plain(&(*out)->u.coll.items[i], c,
					  t->attr_types[i],
					  cJSON_GetObjectItemCaseSensitive(
						  j, t->attr_names[i]),
					  path) < 0)
				return TFP_ERROR;
		return TFP_OK;
	case TFP_KIND_DYNAMIC:
		break;
	}
	return type_error(c, path, "a supported value");
}

static int json_to_object(struct tfp_value **out, struct from_ctx *c,
			  const struct tfp_type *t,
			  const struct tfp_attr *attrs,
			  const struct tfp_block *blocks, const cJSON *j,
			  const struct tfp_value *prior, const char *path);

/* A nested attribute of type t from JSON, by its own table. */
static int json_to_nested(struct tfp_value **out, struct from_ctx *c,
			  const struct tfp_type *t, const struct tfp_attr *at,
			  const cJSON *j, const char *path)
{
	const cJSON *item;
	size_t i = 0;

	if (j == NULL || cJSON_IsNull(j)) {
		*out = tfp_value_null(c->a, t);
		return TFP_OK;
	}
	if (at->nesting == TFP_NEST_SINGLE)
		return json_to_object(out, c, t, at->nested, NULL, j, NULL,
				      path);
	if (at->nesting == TFP_NEST_MAP ? !cJSON_IsObject(j)
					: !cJSON_IsArray(j))
		return type_error(c, path,
				  at->nesting == TFP_NEST_MAP ? "an object"
							      : "a list");
	*out = tfp_value_collection(c->a, t, (size_t)cJSON_GetArraySize(j));
	cJSON_ArrayForEach(item, j)
	{
		char *p = at->nesting == TFP_NEST_MAP
				  ? tfp_arena_printf(c->a, "%s.%s", path,
						     item->string)
				  : tfp_arena_printf(c->a, "%s[%zu]", path, i);

		if (at->nesting == TFP_NEST_MAP)
			(*out)->u.coll.keys[i] =
				tfp_arena_strdup(c->a, item->string);
		if (json_to_object(&(*out)->u.coll.items[i], c, t->elem,
				   at->nested, NULL, item, NULL, p) < 0)
			return TFP_ERROR;
		i++;
	}
	return TFP_OK;
}

/* True when a block's JSON is what the workspace fills in by itself. */
static bool block_is_server_default(const struct tfp_block *b,
				    const cJSON *j)
{
	cJSON *dflt;
	bool same;

	if (cJSON_IsObject(j) && j->child == NULL)
		return true;
	if (b->server_default == NULL)
		return false;
	dflt = cJSON_Parse(b->server_default);
	same = dflt != NULL && cJSON_Compare(dflt, j, true);
	cJSON_Delete(dflt);
	return same;
}

/*
 * The prior element of an unkeyed set block that item is the JSON of: the
 * one whose request JSON equals item, or NULL. Sets have no order, so this
 * is how values the reply leaves out (TFP_KEEP_PRIOR) find their element.
 */
static const struct tfp_value *match_set_item(struct from_ctx *c,
					      const struct tfp_block *b,
					      const struct tfp_value *prior,
					      const cJSON *item)
{
	size_t i;

	if (b->nesting != TFP_NEST_SET || b->key != NULL ||
	    !tfp_value_is_known(prior))
		return NULL;
	for (i = 0; i < prior->u.coll.n; i++) {
		const struct tfp_value *p = prior->u.coll.items[i];
		cJSON *j = cJSON_CreateObject();
		size_t mark = c->d->n;

		const struct tfp_attr *at;
		const struct tfp_block *bl;
		bool same = object_to_json(j, b->attrs, b->blocks, p, c->d) ==
			    TFP_OK;

		/* What the reply leaves out and the prior keeps is no
		 * difference. */
		for (at = b->attrs; at != NULL && at->name != NULL; at++)
			if ((at->flags & TFP_KEEP_PRIOR) &&
			    !cJSON_HasObjectItem(item, attr_json_name(at)))
				cJSON_DeleteItemFromObjectCaseSensitive(
					j, attr_json_name(at));
		for (bl = b->blocks; bl != NULL && bl->name != NULL; bl++)
			if ((bl->flags & TFP_KEEP_PRIOR) &&
			    !cJSON_HasObjectItem(item, block_json_name(bl)))
				cJSON_DeleteItemFromObjectCaseSensitive(
					j, block_json_name(bl));
		same = same && cJSON_Compare(j, item, true);
		cJSON_Delete(j);
		/* A prior element that cannot be written is simply no match. */
		while (c->d->n > mark)
			tfp_diags_drop_last(c->d);
		if (same)
			return p;
	}
	return NULL;
}

static int json_to_block(struct tfp_value **out, struct from_ctx *c,
			 const struct tfp_type *t, const struct tfp_block *b,
			 const cJSON *j, const struct tfp_value *prior,
			 const char *path)
{
	const struct tfp_type *elem_type =
		b->nesting == TFP_NEST_SINGLE ? t : t->elem;
	bool prior_absent = !tfp_value_is_known(prior) ||
			    (b->nesting != TFP_NEST_SINGLE &&
			     prior->u.coll.n == 0);
	size_t i, n;
	const cJSON *item;

	/* A server-filled block stays absent only while a prior state says
	 * so: prior == NULL means there is none (an import). */
	bool kept_absent = (b->flags & TFP_SERVER_FILLED) && prior != NULL &&
			   prior_absent;

	if (j == NULL || cJSON_IsNull(j) || kept_absent ||
	    (block_is_object(b) && prior_absent &&
	     block_is_server_default(b, j))) {
		*out = b->nesting == TFP_NEST_SINGLE
			       ? tfp_value_null(c->a, t)
			       : tfp_value_collection(c->a, t, 0);
		return TFP_OK;
	}
	if (b->nesting == TFP_NEST_SINGLE)
		return json_to_object(out, c, t, b->attrs, b->blocks, j, prior,
				      path);
	if (block_is_object(b)) {
		*out = tfp_value_collection(c->a, t, 1);
		return json_to_object(&(*out)->u.coll.items[0], c, elem_type,
				      b->attrs, b->blocks, j,
				      prior_absent ? NULL
						   : prior->u.coll.items[0],
				      path);
	}
	if (!cJSON_IsArray(j))
		return type_error(c, path, "a list");
	n = (size_t)cJSON_GetArraySize(j);
	*out = tfp_value_collection(c->a, t, n);
	i = 0;
	cJSON_ArrayForEach(item, j)
	{
		char *p = tfp_arena_printf(c->a, "%s[%zu]", path, i);

		if (json_to_object(&(*out)->u.coll.items[i], c, elem_type,
				   b->attrs, b->blocks, item,
				   b->nesting == TFP_NEST_SET && b->key == NULL
					   ? match_set_item(c, b, prior, item)
					   : tfp_schema_match_element(
						     b, prior,
						     b->key ? tfp_json_string(
								      item,
								      b->key)
							    : NULL,
						     i),
				   p) < 0)
			return TFP_ERROR;
		i++;
	}
	return TFP_OK;
}

static int json_to_object(struct tfp_value **out, struct from_ctx *c,
			  const struct tfp_type *t,
			  const struct tfp_attr *attrs,
			  const struct tfp_block *blocks, const cJSON *j,
			  const struct tfp_value *prior, const char *path)
{
	struct tfp_value *v;

	if (!cJSON_IsObject(j))
		return type_error(c, path, "an object");
	v = tfp_value_object(c->a, t);
	for (; attrs != NULL && attrs->name != NULL; attrs++) {
		const cJSON *f =
			cJSON_GetObjectItemCaseSensitive(j, attr_json_name(attrs));
		struct tfp_value *x = NULL;
		char *p;

		/* NO_JSON with KEEP_PRIOR: never sent nor read, but part of
		 * the configuration all the same (a nested provider_config),
		 * so a read keeps what the prior state had. */
		if ((attrs->flags & TFP_NO_JSON) &&
		    !(attrs->flags & TFP_KEEP_PRIOR))
			continue;
		if ((f == NULL || cJSON_IsNull(f) ||
		     (attrs->flags & TFP_NO_JSON)) &&
		    (attrs->flags & TFP_KEEP_PRIOR)) {
			if (tfp_value_is_known(prior))
				tfp_value_set(v, attrs->name,
					      tfp_value_get(prior, attrs->name));
			continue;
		}
		p = path[0] ? tfp_arena_printf(c->a, "%s.%s", path,
					       attr_json_name(attrs))
			    : (char *)attr_json_name(attrs);
		if (attrs->nested != NULL
			    ? json_to_nested(&x, c,
					     t->attr_types[tfp_type_attr_index(
						     t, attrs->name)],
					     attrs, f, p) < 0
			    : json_to_plain(&x, c, attrs->type, f, p) < 0)
			return TFP_ERROR;
		tfp_value_set(v, attrs->name, x);
	}
	for (; blocks != NULL && blocks->name != NULL; blocks++) {
		int i = tfp_type_attr_index(t, blocks->name);
		const struct tfp_value *pb =
			tfp_value_is_known(prior) ? tfp_value_get(prior,
								  blocks->name)
						  : NULL;
		struct tfp_value *x = NULL;
		const cJSON *f;
		char *p;

		if ((blocks->flags & (TFP_NO_JSON | TFP_KEEP_PRIOR)) ==
			    (TFP_NO_JSON | TFP_KEEP_PRIOR) &&
		    pb != NULL) {
			tfp_value_set(v, blocks->name, (struct tfp_value *)pb);
			continue;
		}
		if (blocks->flags & TFP_NO_JSON) {
			if (blocks->nesting != TFP_NEST_SINGLE)
				tfp_value_set(v, blocks->name,
					      tfp_value_collection(
						      c->a, t->attr_types[i], 0));
			continue;
		}
		f = cJSON_GetObjectItemCaseSensitive(j, block_json_name(blocks));
		if ((f == NULL || cJSON_IsNull(f)) &&
		    (blocks->flags & TFP_KEEP_PRIOR) && pb != NULL) {
			tfp_value_set(v, blocks->name, (struct tfp_value *)pb);
			continue;
		}
		p = path[0] ? tfp_arena_printf(c->a, "%s.%s", path,
					       block_json_name(blocks))
			    : (char *)block_json_name(blocks);
		if (json_to_block(&x, c, t->attr_types[i], blocks, f, pb, p) <
		    0)
			return TFP_ERROR;
		tfp_value_set(v, blocks->name, x);
	}
	*out = v;
	return TFP_OK;
}

int tfp_jsonmap_to_value(struct tfp_value **out, struct tfp_arena *a,
			 const struct tfp_type *t,
			 const struct tfp_attr *attrs,
			 const struct tfp_block *blocks, const cJSON *json,
			 const struct tfp_value *prior, struct tfp_diags *d)
{
	struct from_ctx c = { .a = a, .d = d };

	return json_to_object(out, &c, t, attrs, blocks, json, prior, "");
}
