/*
 * Generic resource semantics: validate, plan, apply, read, import.
 *
 * The rules come from Terraform core's contract
 * (docs/resource-instance-change-lifecycle.md in hashicorp/terraform):
 *  - a plan keeps every non-null config value and every prior value that
 *    will not change; computed values become unknown only when the object
 *    changes (and a plan flag can keep them);
 *  - the new state after apply is wholly known and equals every value that
 *    was known in the plan;
 *  - read returns null when the object is gone.
 * Breaking any of them makes Terraform fail with "Provider produced
 * inconsistent result"; the checks here catch it first and name the
 * attribute, which turns a confusing user-facing error into a clear bug
 * report.
 */
#include "lifecycle.h"

#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "path.h"

/* --- validate ----------------------------------------------------------- */

static int validate_level(struct tfp_call *call, const struct tfp_path *path,
			  const struct tfp_attr *attrs,
			  const struct tfp_block *blocks,
			  const struct tfp_value *obj);

/*
 * A keyed collection's elements are matched by their key, so two elements
 * with one key would be indistinguishable: reject them before any call.
 */
static int validate_unique_keys(struct tfp_call *call,
				const struct tfp_path *path,
				const struct tfp_block *b,
				const struct tfp_value *v)
{
	int error = TFP_OK;
	size_t i, j;

	for (i = 0; i < v->u.coll.n; i++) {
		const char *ki = tfp_value_get_string(v->u.coll.items[i], b->key);

		for (j = 0; ki != NULL && j < i; j++) {
			const char *kj =
				tfp_value_get_string(v->u.coll.items[j], b->key);

			if (kj == NULL || strcmp(ki, kj) != 0)
				continue;
			error = tfp_diag_attr_error(
				call->diags, path,
				tfp_arena_printf(call->arena, "Duplicate %s",
						 b->key),
				"Two %s blocks have %s = \"%s\". Each %s "
				"must be unique: blocks are matched by it.",
				b->name, b->key, ki, b->key);
			break;
		}
	}
	return error;
}

static int validate_block_value(struct tfp_call *call,
				const struct tfp_path *path,
				const struct tfp_block *b,
				const struct tfp_value *v)
{
	int error = TFP_OK;
	size_t i;

	if (!tfp_value_is_known(v))
		return TFP_OK;
	if (b->nesting == TFP_NEST_SINGLE)
		return validate_level(call, path, b->attrs, b->blocks, v);
	if (b->key != NULL && validate_unique_keys(call, path, b, v) < 0)
		error = TFP_ERROR;
	for (i = 0; i < v->u.coll.n; i++) {
		/* Sets have no stable index; point at the block itself. */
		const struct tfp_path *p =
			b->nesting == TFP_NEST_LIST
				? tfp_path_index(call->arena, path, (int64_t)i)
				: path;

		if (validate_level(call, p, b->attrs, b->blocks,
				   v->u.coll.items[i]) < 0)
			error = TFP_ERROR;
	}
	return error;
}

/* A nested attribute's objects, each at its own path. */
static int validate_nested_attr(struct tfp_call *call,
				const struct tfp_path *path,
				const struct tfp_attr *at,
				const struct tfp_value *v)
{
	int error = TFP_OK;
	size_t i;

	if (at->nesting == TFP_NEST_SINGLE)
		return validate_level(call, path, at->nested, NULL, v);
	for (i = 0; i < v->u.coll.n; i++) {
		const struct tfp_path *p =
			at->nesting == TFP_NEST_LIST
				? tfp_path_index(call->arena, path, (int64_t)i)
			: at->nesting == TFP_NEST_MAP
				? tfp_path_key(call->arena, path,
					       v->u.coll.keys[i])
				: path;

		if (validate_level(call, p, at->nested, NULL,
				   v->u.coll.items[i]) < 0)
			error = TFP_ERROR;
	}
	return error;
}

static int validate_level(struct tfp_call *call, const struct tfp_path *path,
			  const struct tfp_attr *attrs,
			  const struct tfp_block *blocks,
			  const struct tfp_value *obj)
{
	int error = TFP_OK;

	if (!tfp_value_is_known(obj))
		return TFP_OK;
	for (; attrs != NULL && attrs->name != NULL; attrs++) {
		const struct tfp_value *v = tfp_value_get(obj, attrs->name);
		const struct tfp_path *p;

		if (!tfp_value_is_known(v))
			continue;
		p = tfp_path_attr(call->arena, path, attrs->name);
		if (attrs->validate != NULL &&
		    attrs->validate(call->diags, p, v) < 0)
			error = TFP_ERROR;
		if (attrs->nested != NULL &&
		    validate_nested_attr(call, p, attrs, v) < 0)
			error = TFP_ERROR;
	}
	for (; blocks != NULL && blocks->name != NULL; blocks++) {
		if (validate_block_value(
			    call, tfp_path_attr(call->arena, path, blocks->name),
			    blocks, tfp_value_get(obj, blocks->name)) < 0)
			error = TFP_ERROR;
	}
	return error;
}

int tfp_lifecycle_validate(struct tfp_call *call,
			   const struct tfp_attr *attrs,
			   const struct tfp_block *blocks,
			   const struct tfp_value *config)
{
	return validate_level(call, NULL, attrs, blocks, config);
}

/* --- plan --------------------------------------------------------------- */

/*
 * Sets defaults where the config leaves an optional+computed attribute
 * null. The proposed state then carries the prior value (or null on
 * create); a default is what the user gets when they say nothing.
 */
static void plan_defaults(struct tfp_call *call, const struct tfp_attr *attrs,
			  const struct tfp_value *config,
			  struct tfp_value *planned)
{
	for (; attrs != NULL && attrs->name != NULL; attrs++) {
		if (attrs->default_string == NULL ||
		    !tfp_value_is_null(tfp_value_get(config, attrs->name)))
			continue;
		tfp_value_set_string(call->arena, planned, attrs->name,
				     attrs->default_string);
	}
}

/*
 * Nested blocks have no config to consult element by element (set
 * elements cannot be lined up with config), but Terraform's proposal
 * already tells: it copies prior computed values into elements whose
 * configured values did not change, so such an element equals its prior
 * and is left alone. In a new or changed element, a null computed
 * attribute is one the config left out: it gets its default, or the prior
 * value under USE_STATE_FOR_UNKNOWN, or becomes unknown.
 */
static void plan_element(struct tfp_call *call, const struct tfp_attr *attrs,
			 const struct tfp_block *blocks,
			 const struct tfp_value *prior,
			 struct tfp_value *planned);

static bool set_contains(const struct tfp_value *set,
			 const struct tfp_value *elem)
{
	size_t i;

	for (i = 0; tfp_value_is_known(set) && i < set->u.coll.n; i++)
		if (tfp_value_equal(set->u.coll.items[i], elem))
			return true;
	return false;
}

static void plan_block(struct tfp_call *call, const struct tfp_block *b,
		       const struct tfp_value *prior, struct tfp_value *planned)
{
	size_t i;

	if (!tfp_value_is_known(planned))
		return;
	if (b->nesting == TFP_NEST_SINGLE) {
		plan_element(call, b->attrs, b->blocks, prior, planned);
		return;
	}
	for (i = 0; i < planned->u.coll.n; i++) {
		struct tfp_value *e = planned->u.coll.items[i];

		/* An element that is exactly a prior one is unchanged. */
		if (b->nesting == TFP_NEST_SET && set_contains(prior, e))
			continue;
		plan_element(call, b->attrs, b->blocks,
			     tfp_schema_match_element(
				     b, prior,
				     b->key ? tfp_value_get_string(e, b->key)
					    : NULL,
				     i),
			     e);
	}
}

/*
 * A computed value that the apply will set: the prior value under
 * USE_STATE_FOR_UNKNOWN (an ID does not change on update), else unknown.
 */
static void plan_computed(struct tfp_call *call, const struct tfp_attr *at,
			  const struct tfp_value *prior,
			  struct tfp_value *planned)
{
	const struct tfp_value *pv =
		tfp_value_is_known(prior) ? tfp_value_get(prior, at->name) : NULL;

	if ((at->plan & TFP_PLAN_USE_STATE_FOR_UNKNOWN) &&
	    tfp_value_is_known(pv) && !tfp_value_is_null(pv))
		tfp_value_set(planned, at->name, tfp_value_copy(call->arena, pv));
	else
		tfp_value_set(planned, at->name,
			      tfp_value_unknown(
				      call->arena,
				      planned->type->attr_types[tfp_type_attr_index(
					      planned->type, at->name)]));
}

static void plan_blocks(struct tfp_call *call, const struct tfp_block *blocks,
			const struct tfp_value *prior,
			struct tfp_value *planned)
{
	for (; blocks != NULL && blocks->name != NULL; blocks++)
		plan_block(call, blocks,
			   tfp_value_is_known(prior)
				   ? tfp_value_get(prior, blocks->name)
				   : NULL,
			   tfp_value_get(planned, blocks->name));
}

static void plan_element(struct tfp_call *call, const struct tfp_attr *attrs,
			 const struct tfp_block *blocks,
			 const struct tfp_value *prior,
			 struct tfp_value *planned)
{
	if (!tfp_value_is_known(planned) ||
	    (prior != NULL && tfp_value_equal(prior, planned)))
		return;
	for (; attrs != NULL && attrs->name != NULL; attrs++) {
		if (!(attrs->flags & TFP_COMPUTED) ||
		    !tfp_value_is_null(tfp_value_get(planned, attrs->name)))
			continue;
		if (attrs->default_string != NULL)
			tfp_value_set_string(call->arena, planned, attrs->name,
					     attrs->default_string);
		else
			plan_computed(call, attrs, prior, planned);
	}
	plan_blocks(call, blocks, prior, planned);
}

/*
 * Defaults of optional+computed strings inside nested blocks, applied
 * before the "did anything change" test so that a default the workspace
 * also fills in does not read as a change. Where the config element is
 * known (SINGLE, by index in lists, by key in keyed sets) a default also
 * replaces a value Terraform carried over from prior: a run_if changed in
 * the UI while the config says nothing must go back to ALL_SUCCESS.
 * Without a config element (unkeyed sets) only nulls are filled.
 */
static void plan_nested_defaults(struct tfp_call *call,
				 const struct tfp_attr *attrs,
				 const struct tfp_block *blocks,
				 const struct tfp_value *config,
				 struct tfp_value *v, bool top)
{
	size_t i;

	if (!tfp_value_is_known(v))
		return;
	for (; !top && attrs != NULL && attrs->name != NULL; attrs++) {
		const struct tfp_value *cv =
			tfp_value_is_known(config)
				? tfp_value_get(config, attrs->name)
				: NULL;

		if (attrs->default_string == NULL ||
		    (config != NULL && !tfp_value_is_null(cv)) ||
		    (config == NULL &&
		     !tfp_value_is_null(tfp_value_get(v, attrs->name))))
			continue;
		tfp_value_set_string(call->arena, v, attrs->name,
				     attrs->default_string);
	}
	for (; blocks != NULL && blocks->name != NULL; blocks++) {
		struct tfp_value *b = tfp_value_get(v, blocks->name);
		const struct tfp_value *cb =
			tfp_value_is_known(config)
				? tfp_value_get(config, blocks->name)
				: NULL;

		if (!tfp_value_is_known(b))
			continue;
		if (blocks->nesting == TFP_NEST_SINGLE) {
			plan_nested_defaults(call, blocks->attrs,
					     blocks->blocks, cb, b, false);
			continue;
		}
		for (i = 0; i < b->u.coll.n; i++) {
			struct tfp_value *e = b->u.coll.items[i];
			const struct tfp_value *ce = NULL;

			if (blocks->nesting == TFP_NEST_LIST ||
			    blocks->key != NULL)
				ce = tfp_schema_match_element(
					blocks, cb,
					blocks->key ? tfp_value_get_string(
							      e, blocks->key)
						    : NULL,
					i);
			plan_nested_defaults(call, blocks->attrs,
					     blocks->blocks, ce, e, false);
		}
	}
}

/*
 * Top level: computed attributes that the config leaves null will be set
 * by the apply (plan_computed); nested blocks go element by element.
 */
static void plan_unknowns(struct tfp_call *call, const struct tfp_attr *attrs,
			  const struct tfp_block *blocks,
			  const struct tfp_value *prior,
			  const struct tfp_value *config,
			  struct tfp_value *planned)
{
	if (!tfp_value_is_known(planned))
		return;
	for (; attrs != NULL && attrs->name != NULL; attrs++)
		if ((attrs->flags & TFP_COMPUTED) &&
		    attrs->default_string == NULL &&
		    tfp_value_is_null(tfp_value_get(config, attrs->name)))
			plan_computed(call, attrs, prior, planned);
	plan_blocks(call, blocks, prior, planned);
}

static void add_replace_path(struct tfp_call *call, struct tfp_plan_result *out,
			     const struct tfp_path *p)
{
	const struct tfp_path **paths = tfp_arena_alloc(
		call->arena, (out->n_requires_replace + 1) * sizeof(*paths));

	if (out->n_requires_replace > 0)
		memcpy(paths, out->requires_replace,
		       out->n_requires_replace * sizeof(*paths));
	paths[out->n_requires_replace++] = p;
	out->requires_replace = paths;
}

/*
 * Top-level attributes and blocks whose planned value differs from the
 * prior one and that cannot change in place. Without an update handler
 * every configurable attribute is in that class (the API has no update).
 */
static void plan_requires_replace(struct tfp_call *call,
				  const struct tfp_rt_resource *r,
				  const struct tfp_value *prior,
				  const struct tfp_value *planned,
				  struct tfp_plan_result *out)
{
	const struct tfp_attr *at;
	const struct tfp_block *b;
	bool no_update = r->res->update == NULL;

	for (at = r->res->attrs; at != NULL && at->name != NULL; at++) {
		bool configurable = at->flags & (TFP_REQUIRED | TFP_OPTIONAL);

		if (!(at->flags & TFP_FORCE_NEW) && !(no_update && configurable))
			continue;
		if (tfp_value_equal(tfp_value_get(prior, at->name),
				    tfp_value_get(planned, at->name)))
			continue;
		add_replace_path(call, out,
				 tfp_path_attr(call->arena, NULL, at->name));
	}
	for (b = r->res->blocks; b != NULL && b->name != NULL; b++) {
		if (!(b->flags & TFP_FORCE_NEW) && !no_update)
			continue;
		if (tfp_value_equal(tfp_value_get(prior, b->name),
				    tfp_value_get(planned, b->name)))
			continue;
		add_replace_path(call, out,
				 tfp_path_attr(call->arena, NULL, b->name));
	}
}

/* TFP_CASE_INSENSITIVE, TFP_JSON_TEXT: the prior spelling of a value
 * the plan only spells differently. */
static void plan_keep_spelling(struct tfp_call *call,
			       const struct tfp_attr *attrs,
			       const struct tfp_value *prior,
			       struct tfp_value *planned)
{
	const struct tfp_attr *at;

	for (at = attrs; at != NULL && at->name != NULL; at++) {
		const char *old, *now;

		if (!(at->flags & (TFP_CASE_INSENSITIVE | TFP_JSON_TEXT)))
			continue;
		old = tfp_value_get_string(prior, at->name);
		now = tfp_value_get_string(planned, at->name);
		if (old == NULL || now == NULL || strcmp(old, now) == 0)
			continue;
		if (((at->flags & TFP_CASE_INSENSITIVE) &&
		     strcasecmp(old, now) == 0) ||
		    ((at->flags & TFP_JSON_TEXT) &&
		     tfp_json_same_document(old, now)))
			tfp_value_set_string(call->arena, planned, at->name,
					     old);
	}
}

int tfp_lifecycle_plan(struct tfp_plan_result *out, struct tfp_call *call,
		       const struct tfp_rt_resource *r,
		       const struct tfp_value *prior,
		       const struct tfp_value *proposed,
		       const struct tfp_value *config)
{
	struct tfp_value *planned;
	bool creating = tfp_value_is_null(prior);
	int error;

	if (call->data == NULL)
		call->data = r->res->data;
	memset(out, 0, sizeof(*out));
	if (tfp_value_is_null(proposed)) {
		/* Destroy: nothing to plan (plan_destroy capability). */
		out->planned = tfp_value_null(call->arena, r->type);
		return TFP_OK;
	}
	planned = tfp_value_copy(call->arena, proposed);
	plan_defaults(call, r->res->attrs, config, planned);
	plan_nested_defaults(call, NULL, r->res->blocks, config, planned, true);

	if (!creating)
		plan_keep_spelling(call, r->res->attrs, prior, planned);

	/* Unchanged objects keep their computed values as they are: marking
	 * them unknown would show a diff on every plan. */
	if (creating || !tfp_value_equal(planned, prior))
		plan_unknowns(call, r->res->attrs, r->res->blocks,
			      creating ? NULL : prior, config, planned);

	if (r->res->modify_plan != NULL) {
		error = r->res->modify_plan(call, creating ? NULL : prior,
					    config, planned);
		if (error < 0)
			return error;
	}
	if (!creating)
		plan_requires_replace(call, r, prior, planned, out);
	out->planned = planned;
	return TFP_OK;
}

/* --- results ------------------------------------------------------------ */

/*
 * Terraform represents an absent list or set block as an empty collection,
 * never null; a handler that leaves one null would break the "known plan
 * values come back unchanged" rule. Fix it once here.
 */
static void normalize_blocks(struct tfp_call *call,
			     const struct tfp_block *blocks,
			     struct tfp_value *v)
{
	if (!tfp_value_is_known(v))
		return;
	for (; blocks != NULL && blocks->name != NULL; blocks++) {
		int i = tfp_type_attr_index(v->type, blocks->name);

		if (blocks->nesting == TFP_NEST_SINGLE || i < 0 ||
		    !tfp_value_is_null(v->u.coll.items[i]))
			continue;
		v->u.coll.items[i] = tfp_value_collection(
			call->arena, v->type->attr_types[i], 0);
	}
}

/* A known map, list or set with no element. */
static bool is_empty_collection(const struct tfp_value *v)
{
	if (!tfp_value_is_known(v))
		return false;
	switch (v->type->kind) {
	case TFP_KIND_MAP:
	case TFP_KIND_LIST:
	case TFP_KIND_SET:
		return v->u.coll.n == 0;
	default:
		return false;
	}
}

/*
 * Empty versus null, once for every resource. APIs leave an empty map or
 * list out of their answers (Unity Catalog omits "properties": {}, Jobs
 * omits "tags": {}), and some answer an empty one where the configuration
 * set none. Read back as is, `properties = {}` would become null: after
 * apply Terraform reports "planned as a known value and came back
 * different", and every refresh shows a change. Where got and ref (the
 * plan after apply, the prior state after read) differ only by empty
 * versus null, ref's form is kept. A computed attribute that ref has null
 * keeps the API's empty value: that one is the service's to choose.
 * Nested blocks are followed element by element (by key, or by position
 * in a list).
 */
static void keep_empty_form(struct tfp_arena *a, const struct tfp_attr *attrs,
			    const struct tfp_block *blocks,
			    struct tfp_value *got, const struct tfp_value *ref)
{
	size_t j;

	if (!tfp_value_is_known(got) || !tfp_value_is_known(ref) ||
	    got->type->kind != TFP_KIND_OBJECT)
		return;
	for (; attrs != NULL && attrs->name != NULL; attrs++) {
		int i = tfp_type_attr_index(got->type, attrs->name);
		const struct tfp_value *rv;
		struct tfp_value *gv;

		if (i < 0)
			continue;
		gv = got->u.coll.items[i];
		rv = ref->u.coll.items[i];
		if (tfp_value_is_null(gv) && is_empty_collection(rv))
			got->u.coll.items[i] = tfp_value_copy(a, rv);
		else if (tfp_value_is_null(rv) && is_empty_collection(gv) &&
			 !(attrs->flags & TFP_COMPUTED))
			got->u.coll.items[i] = tfp_value_null(a, gv->type);
	}
	for (; blocks != NULL && blocks->name != NULL; blocks++) {
		int i = tfp_type_attr_index(got->type, blocks->name);
		struct tfp_value *gv;
		const struct tfp_value *rv;

		if (i < 0)
			continue;
		gv = got->u.coll.items[i];
		rv = ref->u.coll.items[i];
		if (blocks->nesting == TFP_NEST_SINGLE) {
			keep_empty_form(a, blocks->attrs, blocks->blocks, gv,
					rv);
			continue;
		}
		if (!tfp_value_is_known(gv) || !tfp_value_is_known(rv) ||
		    (blocks->nesting == TFP_NEST_SET && blocks->key == NULL))
			continue;
		for (j = 0; j < gv->u.coll.n; j++) {
			struct tfp_value *e = gv->u.coll.items[j];
			const char *key =
				blocks->key != NULL && tfp_value_is_known(e)
					? tfp_value_get_string(e, blocks->key)
					: NULL;

			keep_empty_form(a, blocks->attrs, blocks->blocks, e,
					tfp_schema_match_element(blocks, rv,
								 key, j));
		}
	}
}

/* --- apply -------------------------------------------------------------- */

/*
 * Finds the first place where the new state breaks the plan: an unknown
 * left in the state, or a value that was known in the plan and changed.
 * Objects and lists are compared element by element so the path is exact;
 * sets and maps, which have no stable element path, are compared whole.
 */
static const struct tfp_path *find_inconsistency(struct tfp_arena *a,
						 const struct tfp_path *path,
						 const struct tfp_value *planned,
						 const struct tfp_value *got,
						 const char **why)
{
	enum tfp_kind kind = planned->type->kind;
	size_t i;

	if (!tfp_value_wholly_known(got) &&
	    (tfp_value_is_unknown(got) ||
	     (kind != TFP_KIND_OBJECT && kind != TFP_KIND_LIST))) {
		*why = "is still unknown after apply";
		return path;
	}
	if (tfp_value_is_unknown(planned))
		return NULL;
	if (tfp_value_is_null(planned) || tfp_value_is_null(got)) {
		if (tfp_value_is_null(planned) && tfp_value_is_null(got))
			return NULL;
		*why = "was planned as a known value and came back different";
		return path;
	}
	if (kind == TFP_KIND_OBJECT ||
	    (kind == TFP_KIND_LIST && planned->u.coll.n == got->u.coll.n)) {
		for (i = 0; i < planned->u.coll.n; i++) {
			const struct tfp_path *p = find_inconsistency(
				a,
				kind == TFP_KIND_OBJECT
					? tfp_path_attr(a, path,
							planned->type
								->attr_names[i])
					: tfp_path_index(a, path, (int64_t)i),
				planned->u.coll.items[i], got->u.coll.items[i],
				why);

			if (p != NULL)
				return p;
		}
		return NULL;
	}
	if (tfp_value_wholly_known(planned) && !tfp_value_equal(planned, got)) {
		*why = "was planned as a known value and came back different";
		return path;
	}
	return NULL;
}

static int check_apply_result(struct tfp_call *call,
			      const struct tfp_value *planned,
			      const struct tfp_value *got)
{
	const char *why = "";
	const struct tfp_path *p;

	if (tfp_value_is_null(got))
		return tfp_diag_error(
			call->diags, "Provider returned no state",
			"The %s handler of %s succeeded without returning "
			"the new state. This is a bug in brickform.",
			call->op, call->type_name);
	p = find_inconsistency(call->arena, NULL, planned, got, &why);
	if (p == NULL)
		return TFP_OK;
	return tfp_diag_attr_error(
		call->diags, p, "Provider produced an inconsistent result",
		"After %s, %s.%s %s. This is a bug in brickform; the object "
		"exists remotely and has been kept in the state.",
		call->op, call->type_name,
		tfp_path_string(call->arena, p), why);
}

/*
 * Every handler finds its object through the state's "id", which only a
 * hand-edited (or otherwise damaged) state file leaves null or unknown.
 * Say so, once, instead of letting a handler meet the hole: the state is
 * kept as it is, and nothing is asked of the service.
 */
static int check_prior_id(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_value *id;

	if (prior == NULL || tfp_value_is_null(prior) ||
	    !tfp_value_is_known(prior) ||
	    tfp_type_attr_index(prior->type, "id") < 0)
		return TFP_OK;
	id = tfp_value_get(prior, "id");
	if (tfp_value_is_known(id) && !tfp_value_is_null(id) &&
	    id->type->kind == TFP_KIND_STRING && id->u.str[0] != '\0')
		return TFP_OK;
	return tfp_diag_attr_error(
		call->diags, tfp_path_attr(call->arena, NULL, "id"),
		"State without an id",
		"The state of this %s has no id, so brickform cannot tell "
		"which object it is (was the state file edited?). Restore the "
		"id, or remove the resource with `terraform state rm` and "
		"import the object again.",
		call->type_name);
}

int tfp_lifecycle_apply(struct tfp_value **new_state, struct tfp_call *call,
			const struct tfp_rt_resource *r,
			const struct tfp_value *prior,
			const struct tfp_value *planned)
{
	struct tfp_value *out = NULL;
	int error;

	if (call->data == NULL)
		call->data = r->res->data;
	*new_state = tfp_value_null(call->arena, r->type);
	if (check_prior_id(call, prior) < 0) {
		*new_state = tfp_value_copy(call->arena, prior);
		return TFP_ERROR;
	}
	if (tfp_value_is_null(planned)) {
		call->op = "delete";
		error = r->res->delete(call, prior);
		if (error == TFP_ENOTFOUND)
			return TFP_OK; /* already gone: what delete wants */
		if (error < 0) {
			*new_state = tfp_value_copy(call->arena, prior);
			return error;
		}
		return TFP_OK;
	}
	if (tfp_value_is_null(prior)) {
		call->op = "create";
		error = r->res->create(&out, call, planned);
	} else {
		call->op = "update";
		if (r->res->update == NULL)
			return tfp_diag_error(
				call->diags, "Update not supported",
				"%s cannot be changed in place; the plan "
				"should have replaced it. This is a bug in "
				"brickform.",
				call->type_name);
		error = r->res->update(&out, call, prior, planned);
	}
	if (error == TFP_ENOTFOUND) {
		const struct tfp_api_error *e = &call->last_error;

		error = tfp_diag_error(
			call->diags,
			tfp_arena_printf(call->arena, "Failed to %s %s",
					 call->op, call->type_name),
			"%s %s returned HTTP %ld %s: %s", e->method ? e->method : "",
			e->path ? e->path : "", e->status,
			e->error_code ? e->error_code : "",
			e->message ? e->message : "");
	}
	if (error < 0) {
		/* Keep whatever exists remotely: a partial create, or the
		 * prior object of a failed update. */
		if (out != NULL)
			*new_state = out;
		else if (!tfp_value_is_null(prior))
			*new_state = tfp_value_copy(call->arena, prior);
		return error;
	}
	normalize_blocks(call, r->res->blocks, out);
	keep_empty_form(call->arena, r->res->attrs, r->res->blocks, out,
			planned);
	*new_state = out;
	error = check_apply_result(call, planned, out);
	if (error < 0 && out == NULL && !tfp_value_is_null(prior))
		*new_state = tfp_value_copy(call->arena, prior);
	return error;
}

/* --- read and import ---------------------------------------------------- */

int tfp_lifecycle_read(struct tfp_value **new_state, struct tfp_call *call,
		       const struct tfp_rt_resource *r,
		       const struct tfp_value *prior)
{
	struct tfp_value *out = NULL;
	int error;

	if (call->data == NULL)
		call->data = r->res->data;
	call->op = "read";
	if (tfp_value_is_null(prior)) {
		*new_state = tfp_value_null(call->arena, r->type);
		return TFP_OK;
	}
	if (check_prior_id(call, prior) < 0) {
		*new_state = tfp_value_copy(call->arena, prior);
		return TFP_ERROR;
	}
	error = r->res->read(&out, call, prior);
	if (error == TFP_ENOTFOUND) {
		tfp_log(TFP_LOG_INFO, "lifecycle",
			"%s no longer exists remotely; removing it "
			"from state",
			call->type_name);
		*new_state = tfp_value_null(call->arena, r->type);
		return TFP_OK;
	}
	if (error < 0 || out == NULL) {
		*new_state = tfp_value_copy(call->arena, prior);
		if (error >= 0)
			error = tfp_diag_error(
				call->diags, "Provider returned no state",
				"Reading %s returned nothing. This is a bug "
				"in brickform.",
				call->type_name);
		return error;
	}
	normalize_blocks(call, r->res->blocks, out);
	keep_empty_form(call->arena, r->res->attrs, r->res->blocks, out,
			prior);
	if (!tfp_value_wholly_known(out)) {
		*new_state = tfp_value_copy(call->arena, prior);
		return tfp_diag_error(call->diags,
				      "Provider produced an unknown value",
				      "Reading %s left a value unknown. This "
				      "is a bug in brickform.",
				      call->type_name);
	}
	*new_state = out;
	return TFP_OK;
}

int tfp_lifecycle_import(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_rt_resource *r, const char *id)
{
	struct tfp_value *v = NULL;

	if (call->data == NULL)
		call->data = r->res->data;
	call->op = "import";
	if (id == NULL || id[0] == '\0')
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "An import ID for %s cannot be empty.",
				      call->type_name);
	if (r->res->import != NULL) {
		int error = r->res->import(&v, call, r->type, id);

		if (error < 0)
			return error;
	} else {
		if (tfp_type_attr_index(r->type, "id") < 0)
			return tfp_diag_error(call->diags,
					      "Import not supported",
					      "%s cannot be imported.",
					      call->type_name);
		v = tfp_value_object(call->arena, r->type);
		tfp_value_set_string(call->arena, v, "id", id);
	}
	normalize_blocks(call, r->res->blocks, v);
	*out = v;
	return TFP_OK;
}
