/*
 * The generic handlers of declarative REST resources (rest_resource.h).
 *
 * Everything here works from the descriptor in call->data and the
 * resource's tables; nothing names a service. The rules every handler
 * keeps:
 *  - from the moment a create succeeded, every failure still returns the
 *    object (the state the service answered, else the plan with its
 *    unknowns made null and the id set), so Terraform records it and a
 *    later apply does not make a second one;
 *  - a read never writes;
 *  - bodies come from the schema tables (jsonmap), never by hand, and a
 *    PATCH carries only what changed.
 */
#include "rest_resource.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "rest.h"
#include "value.h"

/* How often a create whose answer was lost is sent in all. */
#define RRES_CREATE_TRIES 3

const struct tfp_rres *tfp_rres_at_level(const struct tfp_call *call,
				       const struct tfp_rres *d)
{
	if (d->account != NULL && tfp_rest_is_account(tfp_rest_of(call)))
		return d->account;
	return d;
}

static const struct tfp_rres *rres_of(const struct tfp_call *call)
{
	return tfp_rres_at_level(call, call->data);
}

static bool rres_listed(const char *const *names, const char *name)
{
	for (; names != NULL && *names != NULL; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

/* The JSON field of attribute or block name (its .json, else its name). */
static const char *rres_json_name(const struct tfp_rres *d, const char *name)
{
	const struct tfp_attr *a = tfp_schema_find_attr(d->attrs, name);
	const struct tfp_block *b;

	if (a != NULL)
		return a->json != NULL ? a->json : a->name;
	b = tfp_schema_find_block(d->blocks, name);
	if (b != NULL)
		return b->json != NULL ? b->json : b->name;
	return name;
}

/* --- templates ------------------------------------------------------------ */

/* The text of attribute name of obj in a path or an id: a string as it
 * is, an integral number in decimal (a workspace_id); else NULL. */
static const char *rres_attr_text(struct tfp_call *call,
				  const struct tfp_value *obj, const char *name)
{
	const struct tfp_value *v = tfp_value_get(obj, name);
	int64_t n;

	if (tfp_value_is_known(v) && v->type->kind == TFP_KIND_NUMBER)
		return tfp_value_get_int(obj, name, &n)
			       ? tfp_arena_printf(call->arena, "%" PRId64, n)
			       : NULL;
	return tfp_value_get_string(obj, name);
}

/* Sets attribute name of obj from its text in an id: a string, or for a
 * number attribute the integer it spells. False when it spells none. */
static bool rres_set_attr_text(struct tfp_call *call, struct tfp_value *obj,
			       const char *name, const char *text)
{
	const struct tfp_type *t =
		obj->type->attr_types[tfp_type_attr_index(obj->type, name)];
	struct tfp_number n;

	if (t->kind != TFP_KIND_NUMBER) {
		tfp_value_set_string(call->arena, obj, name, text);
		return true;
	}
	if (!tfp_value_parse_number(&n, call->arena, text, strlen(text)) ||
	    n.kind != TFP_NUM_INT)
		return false;
	tfp_value_set(obj, name, tfp_value_number(call->arena, &n));
	return true;
}

const char *tfp_rres_expand(struct tfp_call *call, const char *tmpl,
			    const struct tfp_value *obj, const char *id,
			    bool escape)
{
	const char *p = tmpl, *open, *close, *v;
	char *out = "";

	while ((open = strchr(p, '{')) != NULL &&
	       (close = strchr(open, '}')) != NULL) {
		const char *name = tfp_arena_strndup(
			call->arena, open + 1, (size_t)(close - open - 1));

		if (strcmp(name, "id") == 0)
			v = id;
		else if (obj != NULL &&
			 tfp_type_attr_index(obj->type, name) >= 0)
			v = rres_attr_text(call, obj, name);
		else
			v = NULL;
		/* Account-level paths name the provider's account unless the
		 * object says which. */
		if (v == NULL && strcmp(name, "account_id") == 0)
			v = tfp_rest_account_id(tfp_rest_of(call));
		if (v == NULL)
			return NULL;
		out = tfp_arena_printf(
			call->arena, "%s%.*s%s", out, (int)(open - p), p,
			escape ? tfp_rest_escape(call->arena, v) : v);
		p = close + 1;
	}
	return tfp_arena_printf(call->arena, "%s%s", out, p);
}

/* The id obj's attributes make, or NULL when one is missing or unknown. */
static const char *rres_id_from(struct tfp_call *call, const struct tfp_rres *d,
				const struct tfp_value *obj)
{
	if (d->id == NULL)
		return tfp_value_get_string(obj, "id");
	return tfp_rres_expand(call, d->id, obj, NULL, false);
}

/* The one attribute an id template names when it is exactly "{x}". */
static const char *rres_id_attr(struct tfp_call *call, const struct tfp_rres *d)
{
	size_t n = d->id != NULL ? strlen(d->id) : 0;

	if (n < 3 || d->id[0] != '{' || d->id[n - 1] != '}' ||
	    strchr(d->id + 1, '{') != NULL)
		return NULL;
	return tfp_arena_strndup(call->arena, d->id + 1, n - 2);
}

/*
 * Fills the attributes of d->id's template from id into obj, splitting at
 * the template's literal separators (each at its first occurrence; the
 * last attribute takes the rest). False when id does not have the form.
 */
static bool rres_parse_id(struct tfp_call *call, const struct tfp_rres *d,
			  struct tfp_value *obj, const char *id)
{
	const char *t = d->id, *s = id;

	while (t != NULL && *t != '\0') {
		const char *close, *lit, *end;
		char *name;
		size_t lit_n;

		if (*t != '{') {
			if (*s != *t)
				return false;
			s++;
			t++;
			continue;
		}
		close = strchr(t, '}');
		if (close == NULL)
			return false;
		name = tfp_arena_strndup(call->arena, t + 1,
					 (size_t)(close - t - 1));
		lit = close + 1;
		lit_n = strcspn(lit, "{");
		if (lit_n == 0) {
			end = s + strlen(s);
		} else {
			char *sep = tfp_arena_strndup(call->arena, lit, lit_n);

			end = strstr(s, sep);
			if (end == NULL)
				return false;
		}
		if (end == s)
			return false;
		if (tfp_type_attr_index(obj->type, name) >= 0 &&
		    strcmp(name, "id") != 0 &&
		    !rres_set_attr_text(call, obj, name,
					tfp_arena_strndup(call->arena, s,
							  (size_t)(end - s))))
			return false;
		s = end;
		t = lit;
	}
	return *s == '\0';
}

/* True when a path template has a placeholder other than {id}. */
static bool rres_names_attributes(const char *tmpl)
{
	const char *p = tmpl;

	while (p != NULL && (p = strchr(p, '{')) != NULL) {
		if (strncmp(p, "{id}", 4) != 0)
			return true;
		p += 4;
	}
	return false;
}

/* --- requests ------------------------------------------------------------- */

static bool rres_method_has_body(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "DELETE") != 0;
}

/*
 * One call to op for the object id (obj fills "{x}" in the path; may be
 * NULL). The id goes into the query or the body by op->id_param; query
 * may add one more parameter (force). body may be NULL.
 */
static int rres_call(struct cJSON **out, struct tfp_call *call,
		     const struct tfp_rres *d, const struct tfp_rres_op *op,
		     const char *dflt_method,
		     const char *id, const struct tfp_value *obj,
		     cJSON *body, const struct tfp_query *extra,
		     unsigned flags)
{
	const char *method = op->method != NULL ? op->method : dflt_method;
	const char *path = tfp_rres_expand(call, op->path, obj, id, true);
	struct tfp_query q[4] = {{NULL, NULL}, {NULL, NULL}, {NULL, NULL},
				 {NULL, NULL}};
	size_t nq = 0;
	int error;

	if (path == NULL)
		return tfp_call_fail(call,
				     "The path %s cannot be made: a value it "
				     "needs is missing.",
				     op->path);
	if (body == NULL && op->body != NULL) {
		body = cJSON_Parse(op->body);
		tfp_arena_defer_json(call->arena, body);
	}
	if (op->id_param != NULL && id != NULL) {
		if (rres_method_has_body(method)) {
			if (body == NULL) {
				body = cJSON_CreateObject();
				tfp_arena_defer_json(call->arena, body);
			}
			if (!cJSON_HasObjectItem(body, op->id_param))
				cJSON_AddStringToObject(body, op->id_param, id);
		} else {
			q[nq++] = (struct tfp_query){op->id_param, id};
		}
	}
	if (op->query_attr != NULL && obj != NULL) {
		const char *v = rres_attr_text(call, obj, op->query_attr);

		if (v != NULL)
			q[nq++] = (struct tfp_query){op->query_attr, v};
	}
	if (extra != NULL && extra->key != NULL)
		q[nq++] = *extra;
	flags |= op->flags;
	if (flags & TFP_RRES_FRESH)
		flags &= ~(unsigned)(TFP_REST_CACHE | TFP_RRES_FRESH);
	if (d->wrapper != NULL && body != NULL && !op->bare &&
	    op->body == NULL) {
		cJSON *wrap = cJSON_CreateObject();

		tfp_arena_defer_json(call->arena, wrap);
		cJSON_AddItemToObject(wrap, d->wrapper,
				      cJSON_Duplicate(body, true));
		body = wrap;
	}
	error = tfp_rest_call(out, call, method, path, nq > 0 ? q : NULL, body,
			      flags);
	if (error == TFP_OK && out != NULL && d->wrapper != NULL) {
		cJSON *inner = cJSON_GetObjectItemCaseSensitive(*out,
								 d->wrapper);

		if (cJSON_IsObject(inner))
			*out = inner;
	}
	return error;
}

/* Turns an error that d->gone calls "gone" into TFP_ENOTFOUND. */
static int rres_gone(struct tfp_call *call, const struct tfp_rres *d, int error)
{
	const struct tfp_rest_not_found *const tables[] = {d->gone, NULL};

	if (error != TFP_ERROR || d->gone == NULL ||
	    !tfp_rest_is_not_found_in(tables, &call->last_error))
		return error;
	tfp_diags_drop_last(call->diags);
	return TFP_ENOTFOUND;
}

/* The text of e's field key, which may be a dotted path into nested
 * objects; an integer is its decimal text. NULL when absent. */
static const char *rres_key_text(struct tfp_call *call, const cJSON *e,
				 const char *key)
{
	const char *dot;
	const cJSON *v;

	while ((dot = strchr(key, '.')) != NULL) {
		e = cJSON_GetObjectItemCaseSensitive(
			e, tfp_arena_strndup(call->arena, key,
					     (size_t)(dot - key)));
		key = dot + 1;
	}
	v = cJSON_GetObjectItemCaseSensitive(e, key);
	if (cJSON_IsString(v))
		return v->valuestring;
	/* Only exact integers (below 2^53, checked before the cast) can
	 * equal an id's text. */
	if (cJSON_IsNumber(v) && v->valuedouble < 9007199254740992.0 &&
	    v->valuedouble > -9007199254740992.0 &&
	    v->valuedouble == (double)(int64_t)v->valuedouble)
		return tfp_arena_printf(call->arena, "%" PRId64,
					(int64_t)v->valuedouble);
	return NULL;
}

/* The element of a list reply whose field key is want. */
static cJSON *rres_find(struct tfp_call *call, const struct tfp_rres *d,
			const cJSON *list, const char *want)
{
	const cJSON *items =
		cJSON_GetObjectItemCaseSensitive(list, d->read.items);
	cJSON *e, *folded = NULL;

	cJSON_ArrayForEach(e, items)
	{
		const char *k = rres_key_text(call, e, d->read.key);

		if (k == NULL)
			continue;
		if (strcmp(k, want) == 0)
			return e;
		if (folded == NULL && rres_listed(d->folded, d->read.key) &&
		    strcasecmp(k, want) == 0)
			folded = e;
	}
	return folded;
}

/* The object inside a reply that d->wrapper wraps (else the reply). */
static cJSON *rres_unwrap(const struct tfp_rres *d, cJSON *reply)
{
	cJSON *inner;

	if (d->wrapper == NULL || reply == NULL)
		return reply;
	inner = cJSON_GetObjectItemCaseSensitive(reply, d->wrapper);
	return cJSON_IsObject(inner) ? inner : reply;
}

int tfp_rres_get(struct cJSON **out, struct tfp_call *call,
		 const struct tfp_rres *d, const char *id, unsigned flags)
{
	struct tfp_value *obj = NULL;
	const char *want = id;
	cJSON *reply = NULL;
	int error;

	d = tfp_rres_at_level(call, d);
	/* Paths may name the attributes the id is made of; only those that
	 * do pay for parsing it (most read paths are "{id}" alone). */
	if (d->id != NULL &&
	    (rres_names_attributes(d->read.path) || d->read.match != NULL)) {
		obj = tfp_value_object(
			call->arena,
			tfp_schema_type(call->arena, d->attrs, d->blocks));
		if (!rres_parse_id(call, d, obj, id))
			obj = NULL;
	}
	error = rres_call(&reply, call, d, &d->read, "GET", id, obj, NULL, NULL,
			  flags);
	error = rres_gone(call, d, error);
	if (error < 0)
		return error;
	if (d->read.items == NULL) {
		*out = rres_unwrap(d, reply);
		return TFP_OK;
	}
	if (d->read.match != NULL)
		want = tfp_rres_expand(call, d->read.match, obj, id, false);
	*out = want != NULL ? rres_find(call, d, reply, want) : NULL;
	if (*out != NULL)
		return TFP_OK;
	call->last_error = (struct tfp_api_error){
		.status = 404,
		.error_code = "RESOURCE_DOES_NOT_EXIST",
		.message = tfp_arena_printf(
			call->arena, "%s %s is not in the list.", d->what, id),
		.method = "GET",
		.path = d->read.path,
	};
	return TFP_ENOTFOUND;
}

/* --- state ---------------------------------------------------------------- */

/* True when v is "", false or an empty collection: a service's "nothing". */
static bool rres_is_empty(const struct tfp_value *v)
{
	if (!tfp_value_is_known(v))
		return false;
	switch (v->type->kind) {
	case TFP_KIND_STRING:
		return v->u.str[0] == '\0';
	case TFP_KIND_BOOL:
		return !v->u.b;
	case TFP_KIND_MAP:
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		return v->u.coll.n == 0;
	default:
		return false;
	}
}

/* a and b differ only by one trailing '/'. */
static bool rres_slash_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na == nb + 1)
		return a[na - 1] == '/' && strncmp(a, b, nb) == 0;
	if (nb == na + 1)
		return b[nb - 1] == '/' && strncmp(a, b, na) == 0;
	return false;
}

bool tfp_rres_same_json(const char *a, const char *b)
{
	return tfp_json_same_document(a, b);
}

/*
 * Read normalisations against prior, for the top-level attributes: what
 * the service never sees comes from prior; its "nothing" stays null where
 * the configuration said nothing; prior's spelling of a name, URL or JSON
 * document wins when the service's differs only in form.
 */
void tfp_rres__normalize(struct tfp_arena *a, const struct tfp_rres *d,
			 struct tfp_value *state, const struct tfp_value *prior)
{
	const struct tfp_attr *at;
	const struct tfp_block *b;

	for (at = d->attrs; at->name != NULL; at++) {
		const struct tfp_value *pv =
			tfp_value_is_known(prior)
				? tfp_value_get(prior, at->name)
				: NULL;
		struct tfp_value *v = tfp_value_get(state, at->name);

		if (at->flags & TFP_NO_JSON) {
			if (strcmp(at->name, "id") != 0)
				tfp_value_set(state, at->name,
					      tfp_value_copy(a, pv));
			continue;
		}
		if ((at->flags & TFP_OPTIONAL) && !(at->flags & TFP_COMPUTED) &&
		    tfp_value_is_null(pv) && rres_is_empty(v)) {
			tfp_value_set(state, at->name, NULL);
			continue;
		}
		if (!tfp_value_is_known(pv) || !tfp_value_is_known(v) ||
		    v->type->kind != TFP_KIND_STRING)
			continue;
		if ((rres_listed(d->folded, at->name) &&
		     strcasecmp(pv->u.str, v->u.str) == 0) ||
		    (rres_listed(d->slashed, at->name) &&
		     rres_slash_equal(pv->u.str, v->u.str)) ||
		    ((at->flags & TFP_JSON_TEXT) &&
		     tfp_rres_same_json(pv->u.str, v->u.str)))
			tfp_value_set(state, at->name, tfp_value_copy(a, pv));
	}
	/* Blocks the service never sees (timeouts) come from prior too. */
	for (b = d->blocks; b != NULL && b->name != NULL; b++)
		if ((b->flags & TFP_NO_JSON) && tfp_value_is_known(prior))
			tfp_value_set(
				state, b->name,
				tfp_value_copy(a,
					       tfp_value_get(prior, b->name)));
}

/* json in the tables' shape: a reshaped copy (in call->arena) when d has
 * a reshape hook, else json itself. */
static int rres_reshaped(const cJSON **out, struct tfp_call *call,
			 const struct tfp_rres *d, const cJSON *json)
{
	cJSON *copy;
	int error;

	*out = json;
	if (d->reshape == NULL || json == NULL)
		return TFP_OK;
	copy = cJSON_Duplicate(json, true);
	tfp_arena_defer_json(call->arena, copy);
	error = d->reshape(copy, call);
	if (error < 0)
		return error;
	*out = copy;
	return TFP_OK;
}

int tfp_rres_state(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_rres *d, const struct tfp_type *type,
		   const struct cJSON *json, const struct tfp_value *prior)
{
	struct tfp_value *v = NULL;
	const char *id, *old;
	int error;

	d = tfp_rres_at_level(call, d);
	error = rres_reshaped(&json, call, d, json);
	if (error < 0)
		return error;
	error = tfp_jsonmap_to_value(&v, call->arena, type, d->attrs, d->blocks,
				     json, prior, call->diags);
	if (error < 0)
		return error;
	tfp_rres__normalize(call->arena, d, v, prior);
	if (d->normalize != NULL)
		d->normalize(call, v, prior);
	id = rres_id_from(call, d, v);
	if (id == NULL)
		return tfp_call_fail(call,
				     "The workspace answered with a %s that "
				     "lacks what its ID is made of (%s).",
				     d->what, d->id ? d->id : "id");
	/* An ID spelt in another case by the prior state stays as it is:
	 * the service matched it without regard to case. */
	old = tfp_value_is_known(prior) ? tfp_value_get_string(prior, "id")
					: NULL;
	if (old != NULL && d->folded != NULL && strcasecmp(old, id) == 0)
		id = old;
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

/*
 * Sets *out for an object that exists although the handler is about to
 * fail: the state made from json (may be NULL) when that works, else plan
 * with its unknowns made null and the id set, so the object is not lost.
 */
void tfp_rres__keep(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_rres *d, const cJSON *json,
		    const struct tfp_value *plan, const char *id)
{
	struct tfp_value *known;

	if (json != NULL &&
	    tfp_rres_state(out, call, d, plan->type, json, plan) == TFP_OK)
		return;
	known = tfp_value_unknowns_to_null(call->arena, plan);
	tfp_value_set_string(call->arena, known, "id", id);
	*out = known;
}

/* --- bodies --------------------------------------------------------------- */

/* The plan's JSON (unknown computed values left out). */
static int rres_json(cJSON **out, struct tfp_call *call,
		     const struct tfp_rres *d, const struct tfp_value *obj)
{
	return tfp_jsonmap_from_value(out, call->arena, d->attrs, d->blocks,
				      obj, call->diags);
}

/* Keeps only the fields of body named (by attribute) in fields. */
static void rres_keep_fields(const struct tfp_rres *d, cJSON *body,
			     const char *const *fields)
{
	cJSON *e = body->child, *next;

	if (fields == NULL)
		return;
	for (; e != NULL; e = next) {
		const char *const *f;
		bool keep = false;

		next = e->next;
		for (f = fields; *f != NULL && !keep; f++)
			keep = strcmp(rres_json_name(d, *f), e->string) == 0;
		if (!keep)
			cJSON_DeleteItemFromObjectCaseSensitive(body,
								e->string);
	}
}

int tfp_rres__fields_body(cJSON **out, struct tfp_call *call,
			  const struct tfp_rres *d, const struct tfp_value *obj,
			  const char *const *fields)
{
	int error = rres_json(out, call, d, obj);

	if (error == TFP_OK)
		rres_keep_fields(d, *out, fields);
	return error;
}

/* The JSON a PATCH sends to clear a value of type t. */
static cJSON *rres_cleared(const struct tfp_type *t)
{
	switch (t->kind) {
	case TFP_KIND_STRING:
		return cJSON_CreateString("");
	case TFP_KIND_BOOL:
		return cJSON_CreateFalse();
	case TFP_KIND_MAP:
	case TFP_KIND_OBJECT:
		return cJSON_CreateObject();
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		return cJSON_CreateArray();
	default:
		return cJSON_CreateNull();
	}
}

/*
 * The PATCH body that turns prior into plan: every field of the update
 * set that changed (fields NULL: every field), a removed one cleared.
 */
/* Adds to body the field name of full (plan's JSON) when it changed
 * between prior and plan: the new value, or an empty one that clears it. */
static void rres_add_change(cJSON *body, const struct tfp_rres *d,
			    const cJSON *full, const char *name, unsigned flags,
			    const struct tfp_value *prior,
			    const struct tfp_value *plan)
{
	const struct tfp_value *pv = tfp_value_get(prior, name);
	const struct tfp_value *v = tfp_value_get(plan, name);
	const char *json = rres_json_name(d, name);
	const cJSON *j;

	if ((flags & TFP_NO_JSON) ||
	    (d->update_fields != NULL &&
	     !rres_listed(d->update_fields, name)) ||
	    (d->owner_field != NULL && strcmp(name, d->owner_field) == 0) ||
	    tfp_value_equal(pv, v) || tfp_value_is_unknown(v))
		return;
	j = cJSON_GetObjectItemCaseSensitive(full, json);
	cJSON_AddItemToObject(
		body, json,
		j != NULL ? cJSON_Duplicate(j, true)
			  : rres_cleared(
				    plan->type->attr_types[tfp_type_attr_index(
					    plan->type, name)]));
}

int tfp_rres__patch_body(cJSON **out, struct tfp_call *call,
			 const struct tfp_rres *d,
			 const struct tfp_value *prior,
			 const struct tfp_value *plan)
{
	const struct tfp_attr *at;
	const struct tfp_block *b;
	cJSON *full = NULL, *body;
	int error;

	error = rres_json(&full, call, d, plan);
	if (error < 0)
		return error;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	/* In table order, so bodies read as the schema does. */
	for (at = d->attrs; at->name != NULL; at++)
		rres_add_change(body, d, full, at->name, at->flags, prior,
				plan);
	for (b = d->blocks; b != NULL && b->name != NULL; b++)
		rres_add_change(body, d, full, b->name, b->flags, prior, plan);
	*out = body;
	return TFP_OK;
}

/* PATCHes the owner alone when plan sets one that prior (may be NULL)
 * lacks. */
static int rres_patch_owner(struct tfp_call *call, const struct tfp_rres *d,
			    const char *id, const struct tfp_value *prior,
			    const struct tfp_value *plan)
{
	const char *owner, *old;
	cJSON *body;

	if (d->owner_field == NULL)
		return TFP_OK;
	owner = tfp_value_get_string(plan, d->owner_field);
	old = prior != NULL ? tfp_value_get_string(prior, d->owner_field)
			    : NULL;
	if (owner == NULL || (old != NULL && strcmp(old, owner) == 0))
		return TFP_OK;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, rres_json_name(d, d->owner_field), owner);
	return rres_call(NULL, call, d, &d->update, "PATCH", id, plan, body, NULL,
			 TFP_REST_IDEMPOTENT);
}

/* The object as it now is, after a write, with plan as prior. */
static int rres_read_back(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_rres *d,
			  const struct tfp_value *plan, const char *id)
{
	cJSON *json = NULL;
	int error;

	error = tfp_rres_get(&json, call, d, id, 0);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call,
				     "The workspace accepted %s %s but does "
				     "not find it.",
				     d->what, id);
	if (error < 0)
		return error;
	return tfp_rres_state(out, call, d, plan->type, json, plan);
}

/* --- handlers ------------------------------------------------------------- */

/*
 * Sends the create so that the object is made exactly once although an
 * answer may be lost: after TFP_EUNCERTAIN the object is looked up by the
 * id the plan makes; present means the lost create made it (the uncertain
 * diagnostic is dropped), absent means nothing was made and it is sent
 * again.
 */
static int rres_post(cJSON **reply, struct tfp_call *call,
		     const struct tfp_rres *d, cJSON *body,
		     const struct tfp_value *plan)
{
	const char *id =
		d->adopt_lost_create ? rres_id_from(call, d, plan) : NULL;
	cJSON *found = NULL;
	int tries, error = TFP_ERROR, check;

	for (tries = 1; tries <= RRES_CREATE_TRIES; tries++) {
		error = rres_call(reply, call, d, &d->create, "POST", NULL, plan,
				  body, NULL, 0);
		if (error == TFP_ENOTFOUND)
			/* What the object lives in is missing: an error of
			 * the create, not "gone". */
			return tfp_call_fail(
				call, "%s %s returned HTTP %ld %s: %s",
				call->last_error.method, call->last_error.path,
				call->last_error.status,
				call->last_error.error_code,
				call->last_error.message);
		if (error != TFP_EUNCERTAIN || id == NULL)
			return error;
		check = tfp_rres_get(&found, call, d, id, TFP_RRES_FRESH);
		if (check == TFP_OK) {
			tfp_log(TFP_LOG_INFO, "rest_resource",
				"the answer to creating %s %s was lost; it "
				"exists, so the create happened",
				d->what, id);
			tfp_diags_drop_last(call->diags);
			*reply = found;
			return TFP_OK;
		}
		if (check != TFP_ENOTFOUND)
			return check; /* both diagnostics stand */
		tfp_log(TFP_LOG_INFO, "rest_resource",
			"the answer to creating %s %s was lost and it does "
			"not exist (try %d of %d)",
			d->what, id, tries, RRES_CREATE_TRIES);
		if (tries < RRES_CREATE_TRIES)
			tfp_diags_drop_last(call->diags);
	}
	/* The last diagnostic says the outcome is unknown; the lookup has
	 * just said that nothing was made. */
	return TFP_ERROR;
}

/*
 * The id of a new object: made from the plan, or, with id_field, from the
 * id the reply issues (the template may add the account: an mws object's
 * id is "<account_id>/<credentials_id>").
 */
static const char *rres_new_id(struct tfp_call *call, const struct tfp_rres *d,
			       const cJSON *reply, const struct tfp_value *plan)
{
	const cJSON *v;
	const char *issued = NULL;
	struct tfp_value *obj = NULL;
	int64_t n;

	if (d->id_field == NULL) {
		issued = rres_id_from(call, d, plan);
		/* What the id is made of may be the service's to fill (a
		 * metastore data access's metastore_id, which a workspace
		 * takes from its own assignment): its answer says it. */
		if (issued == NULL && cJSON_IsObject(reply) &&
		    tfp_rres_state(&obj, call, d, plan->type, reply, plan) ==
			    TFP_OK)
			issued = tfp_value_get_string(obj, "id");
		return issued;
	}
	v = cJSON_GetObjectItemCaseSensitive(reply, d->id_field);
	if (cJSON_IsString(v) && v->valuestring[0] != '\0')
		issued = tfp_arena_strdup(call->arena, v->valuestring);
	else if (cJSON_IsNumber(v) &&
		 tfp_json_int(&n, reply, d->id_field, call->diags) == TFP_OK)
		issued = tfp_arena_printf(call->arena, "%" PRId64, n);
	if (issued == NULL || d->id == NULL)
		return issued;
	obj = tfp_value_copy(call->arena, plan);
	if (tfp_type_attr_index(obj->type, d->id_field) >= 0 &&
	    !rres_set_attr_text(call, obj, d->id_field, issued))
		return NULL;
	return tfp_rres_expand(call, d->id, obj, issued, false);
}

/*
 * What the read back leaves unknown is what only the create's answer holds
 * (a token's value, shown once, kept from prior on reads by
 * TFP_KEEP_PRIOR): it is taken from answer, or null when answer lacks it.
 */
static int rres_take_answer(struct tfp_call *call, const struct tfp_rres *d,
			    struct tfp_value *state, const cJSON *answer)
{
	struct tfp_value *from = NULL;
	const struct tfp_attr *at;
	int error;

	for (at = d->attrs; at->name != NULL; at++) {
		const struct tfp_value *v = tfp_value_get(state, at->name);

		if (!tfp_value_is_unknown(v))
			continue;
		if (from == NULL && cJSON_IsObject(answer)) {
			error = tfp_jsonmap_to_value(&from, call->arena,
						     state->type, d->attrs,
						     d->blocks, answer, NULL,
						     call->diags);
			if (error < 0)
				return error;
		}
		tfp_value_set(state, at->name,
			      tfp_value_copy(call->arena,
					     tfp_value_get(from, at->name)));
	}
	return TFP_OK;
}

int tfp_rres_create(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *plan)
{
	const struct tfp_rres *d = rres_of(call);
	cJSON *body = NULL, *reply = NULL, *after = NULL;
	const cJSON *answer = NULL;
	const char *id;
	int error;

	error = tfp_rres__fields_body(&body, call, d, plan, d->create_fields);
	if (error < 0)
		return error;
	if (d->owner_field != NULL && d->create_fields == NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(
			body, rres_json_name(d, d->owner_field));
	if (d->body != NULL) {
		error = d->body(body, call, NULL, plan);
		if (error < 0)
			return error;
	}
	error = rres_post(&reply, call, d, body, plan);
	if (error < 0)
		return error;
	error = rres_reshaped(&answer, call, d, reply);
	if (error < 0)
		return error;
	/* The id is the reply's own field, or one a hook hoists from a
	 * member (a token's token_info.token_id). */
	id = rres_new_id(call, d, reply, plan);
	if (id == NULL && answer != reply)
		id = rres_new_id(call, d, answer, plan);
	if (id == NULL)
		return tfp_call_fail(call,
				     "The workspace created the %s but did "
				     "not say its %s.",
				     d->what, d->id_field ? d->id_field : "id");
	/* The object exists from here on: every failure below returns it. */
	if (d->after_create != NULL)
		error = d->after_create(call, id, plan);
	if (error == TFP_OK && d->create_patch_fields != NULL) {
		error = tfp_rres__fields_body(&after, call, d, plan,
					      d->create_patch_fields);
		if (error == TFP_OK) {
			if (cJSON_GetArraySize(after) > 0)
				error = rres_call(NULL, call, d, &d->update,
						  "PATCH", id, plan, after,
						  NULL, TFP_REST_IDEMPOTENT);
		}
	}
	if (error == TFP_OK)
		error = rres_patch_owner(call, d, id, NULL, plan);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "The new %s %s is gone.", d->what,
				      id);
	if (error == TFP_OK)
		error = rres_read_back(out, call, d, plan, id);
	if (error == TFP_OK)
		error = rres_take_answer(call, d, *out, answer);
	if (error < 0)
		tfp_rres__keep(out, call, d,
			       d->create_answers_object ? reply : NULL, plan,
			       id);
	return error;
}

/*
 * A refresh's read from the type's list (see .list): TFP_OK with *out
 * the object, or TFP_ENOTFOUND to GET it. The parent comes from the prior
 * state; an import's skeleton may not have it yet.
 */
static int rres_batch_find(cJSON **out, struct tfp_call *call,
			   const struct tfp_rres *d, const char *id,
			   const struct tfp_value *prior)
{
	struct tfp_query q[2] = {{NULL, NULL}, {NULL, NULL}};
	struct tfp_rest_batch_list l = {
		.path = d->list.path,
		.query = q,
		.items = d->list.items,
		.id_field = d->list.id_field,
		.size_param = d->list.size_param ? d->list.size_param
						 : "max_results",
		.size_value = d->list.page_size,
		.fold = d->list.fold,
		.paging = d->list.scim ? TFP_REST_PAGE_SCIM
				       : TFP_REST_PAGE_TOKEN,
	};

	if (!d->list.batch || d->list.path == NULL)
		return TFP_ENOTFOUND;
	if (d->list.page_size == NULL && !d->list.scim)
		l.size_param = NULL;
	if (d->list.scim && l.size_value == NULL)
		l.size_value = "100";
	if (d->list.parent != NULL) {
		q[0].key = d->list.parent;
		q[0].value = tfp_value_get_string(prior, d->list.parent);
		if (q[0].value == NULL)
			return TFP_ENOTFOUND;
	}
	if (tfp_rest_batch_find(out, call, &l, id) < 0)
		return TFP_ENOTFOUND;
	*out = rres_unwrap(d, *out);
	return *out != NULL ? TFP_OK : TFP_ENOTFOUND;
}

int tfp_rres_fetch(cJSON **out, struct tfp_call *call,
		   const struct tfp_rres *d, const char *id,
		   const struct tfp_value *prior)
{
	if (rres_batch_find(out, call, d, id, prior) == TFP_OK)
		return TFP_OK;
	return tfp_rres_get(out, call, d, id, 0);
}

int tfp_rres_read(struct tfp_value **out, struct tfp_call *call,
		  const struct tfp_value *prior)
{
	const struct tfp_rres *d = rres_of(call);
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *json = NULL;
	int error;

	if (id == NULL)
		id = rres_id_from(call, d, prior);
	if (id == NULL)
		return tfp_call_fail(call, "The state has no ID for the %s.",
				     d->what);
	error = tfp_rres_fetch(&json, call, d, id, prior);
	if (error < 0)
		return error;
	return tfp_rres_state(out, call, d, prior->type, json, prior);
}

int tfp_rres__update_body(cJSON **out, struct tfp_call *call,
			  const struct tfp_rres *d,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan, const char **new_id)
{
	const char *attr = d->rename_field ? rres_id_attr(call, d) : NULL;
	cJSON *changed = NULL, *body = NULL;
	int error;

	*out = NULL;
	error = tfp_rres__patch_body(&changed, call, d, prior, plan);
	if (error < 0)
		return error;
	if (attr != NULL) {
		const char *old = tfp_value_get_string(prior, attr);
		const char *name = tfp_value_get_string(plan, attr);

		cJSON_DeleteItemFromObjectCaseSensitive(
			changed, rres_json_name(d, attr));
		/* A change of case only is no rename: the service keeps
		 * names without regard to case. */
		if (old != NULL && name != NULL &&
		    (rres_listed(d->folded, attr) ? strcasecmp(old, name)
						  : strcmp(old, name)) != 0) {
			cJSON_AddStringToObject(changed, d->rename_field, name);
			*new_id = name;
		}
	}
	if (d->update_mode == TFP_RRES_PATCH) {
		body = changed;
	} else if (cJSON_GetArraySize(changed) > 0) {
		error = tfp_rres__fields_body(&body, call, d, plan,
					      d->update_fields);
		if (error < 0)
			return error;
	}
	if (body == NULL)
		return TFP_OK;
	if (d->update_mode == TFP_RRES_RESET) {
		cJSON *wrap = cJSON_CreateObject();

		tfp_arena_defer_json(call->arena, wrap);
		cJSON_AddItemToObject(wrap, d->reset_field,
				      cJSON_Duplicate(body, true));
		body = wrap;
	}
	if (d->body != NULL) {
		error = d->body(body, call, prior, plan);
		if (error < 0)
			return error;
	}
	if (cJSON_GetArraySize(body) > 0)
		*out = body;
	return TFP_OK;
}

int tfp_rres_update(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior, const struct tfp_value *plan)
{
	const struct tfp_rres *d = rres_of(call);
	const char *id = tfp_value_get_string(prior, "id");
	const char *new_id = NULL;
	cJSON *body = NULL;
	int error;

	error = tfp_rres__update_body(&body, call, d, prior, plan, &new_id);
	if (error == TFP_OK && body != NULL)
		error = rres_call(NULL, call, d, &d->update,
				  d->update_mode == TFP_RRES_PATCH ? "PATCH"
				  : d->update_mode == TFP_RRES_RESET ? "POST"
								     : "PUT",
				  id, prior, body, NULL, TFP_REST_IDEMPOTENT);
	/* A rename takes effect at once: what follows uses the new id. */
	if (error == TFP_OK && new_id != NULL)
		id = new_id;
	if (error == TFP_OK)
		error = rres_patch_owner(call, d, id, prior, plan);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "The %s %s no longer exists.",
				      d->what, id);
	if (error == TFP_OK)
		error = rres_read_back(out, call, d, plan, id);
	/* Once renamed, the prior state names an object that no longer
	 * exists: kept, it would make the next refresh drop the resource
	 * and the next apply create a second one. */
	if (error < 0 && new_id != NULL && id == new_id)
		tfp_rres__keep(out, call, d, NULL, plan, id);
	return error;
}

int tfp_rres_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_rres *d = rres_of(call);
	const char *id = tfp_value_get_string(prior, "id");
	const char *param = d->force_param != NULL ? d->force_param : "force";
	const char *method = d->del.method != NULL ? d->del.method : "DELETE";
	struct tfp_query force = {NULL, NULL};
	cJSON *body = NULL;
	int error;

	if (d->force_delete != NULL &&
	    tfp_value_get_bool(prior, d->force_delete, false)) {
		if (rres_method_has_body(method)) {
			body = cJSON_CreateObject();
			tfp_arena_defer_json(call->arena, body);
			cJSON_AddBoolToObject(body, param, 1);
		} else {
			force = (struct tfp_query){param, "true"};
		}
	}
	error = rres_call(NULL, call, d, &d->del, "DELETE", id, prior, body,
			  &force, 0);
	return rres_gone(call, d, error);
}

int tfp_rres_import(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_type *type, const char *id)
{
	const struct tfp_rres *d = rres_of(call);
	struct tfp_value *v = tfp_value_object(call->arena, type);

	if (d->id != NULL && !rres_parse_id(call, d, v, id))
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "\"%s\" is not an ID of a %s; the form "
				      "is %s.",
				      id, d->what,
				      d->import_form ? d->import_form : d->id);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

int tfp_rres_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			 const struct tfp_value *config, struct tfp_value *plan)
{
	const struct tfp_rres *d = rres_of(call);
	const char *id =
		d->id_field == NULL ? rres_id_from(call, d, plan) : NULL;
	const char *old = tfp_value_is_known(prior)
				  ? tfp_value_get_string(prior, "id")
				  : NULL;

	/* The id is known as soon as what it is made of is; a prior ID
	 * spelt in another case stays as it is. */
	if (id != NULL) {
		if (old != NULL && d->folded != NULL &&
		    strcasecmp(old, id) == 0)
			id = old;
		tfp_value_set_string(call->arena, plan, "id", id);
	}
	if (d->modify_plan != NULL)
		return d->modify_plan(call, prior, config, plan);
	return TFP_OK;
}
