/*
 * Shared parts of the Unity Catalog securables; see uc_common.h.
 *
 * Quirks that explain the code:
 *  - Names are compared without regard to case and stored lower-case, so
 *    a configured "Sales" comes back as "sales".
 *  - Empty values come back as "" / false / {} or not at all, depending on
 *    the field; a PATCH clears a value only when it is sent empty.
 *  - Creates (POST catalogs, schemas, storage-credentials,
 *    external-locations) are not safe to repeat, but names are unique in
 *    the metastore, so after a lost answer a GET by name tells whether the
 *    create happened.
 */
#include "catalog_internal.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "rest.h"
#include "schema.h"
#include "value.h"

#define UC_NAME_MAX	255
#define UC_CREATE_TRIES 3

/* --- validators ----------------------------------------------------------- */

int tfp_catalog__validate_name(struct tfp_diags *d, const struct tfp_path *path,
			 const struct tfp_value *v)
{
	const char *s = v->u.str;
	size_t n = strlen(s), i;

	if (n == 0 || n > UC_NAME_MAX)
		return tfp_diag_attr_error(
			d, path, "Invalid name",
			"A Unity Catalog name must be 1 to %d characters "
			"long; this one has %zu.",
			UC_NAME_MAX, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *what = NULL;

		if (c < 0x20 || c == 0x7f)
			/* Not quoted: a raw control character would garble
			 * the terminal that shows the diagnostic. */
			return tfp_diag_attr_error(
				d, path, "Invalid name",
				"The name has a control character at position "
				"%zu. Unity Catalog names cannot contain "
				"spaces, periods, forward slashes or control "
				"characters.",
				i + 1);
		if (c == ' ')
			what = "a space";
		else if (c == '.')
			what = "a period";
		else if (c == '/')
			what = "a slash";
		if (what != NULL)
			return tfp_diag_attr_error(
				d, path, "Invalid name",
				"\"%s\" has %s at position %zu. Unity Catalog "
				"names cannot contain spaces, periods, "
				"forward slashes or control characters.",
				s, what, i + 1);
	}
	return TFP_OK;
}

int tfp_catalog__validate_url(struct tfp_diags *d, const struct tfp_path *path,
			const struct tfp_value *v)
{
	static const char *const schemes[] = {"s3://", "abfss://", "gs://"};
	const char *s = v->u.str;
	size_t i, n;

	for (i = 0; i < TFP_ARRAY_SIZE(schemes); i++) {
		n = strlen(schemes[i]);
		if (strncmp(s, schemes[i], n) != 0)
			continue;
		if (s[n] == '\0' || s[n] == '/')
			break;
		for (; s[n] != '\0'; n++)
			if ((unsigned char)s[n] < 0x20 || s[n] == ' ')
				return tfp_diag_attr_error(
					d, path, "Invalid storage URL",
					"The URL has a space or a control "
					"character at position %zu; "
					"percent-encode it (a space is %%20).",
					n + 1);
		return TFP_OK;
	}
	return tfp_diag_attr_error(
		d, path, "Invalid storage URL",
		"\"%s\" is not a cloud storage URL. Use s3://<bucket>/<path> "
		"(AWS), abfss://<container>@<account>.dfs.core.windows.net/"
		"<path> (Azure) or gs://<bucket>/<path> (GCP).",
		s);
}

int tfp_catalog__validate_role_arn(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	static const char *const partitions[] = {
		"arn:aws:iam::", "arn:aws-cn:iam::", "arn:aws-us-gov:iam::"};
	const char *s = v->u.str, *p = NULL;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(partitions) && p == NULL; i++)
		if (strncmp(s, partitions[i], strlen(partitions[i])) == 0)
			p = s + strlen(partitions[i]);
	if (p != NULL) {
		for (i = 0; i < 12 && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (i == 12 && strncmp(p + 12, ":role/", 6) == 0 &&
		    p[18] != '\0' && strchr(p + 18, ' ') == NULL)
			return TFP_OK;
	}
	return tfp_diag_attr_error(
		d, path, "Invalid IAM role ARN",
		"\"%s\" is not an IAM role ARN. The form is "
		"arn:aws:iam::<12-digit account ID>:role/<role name>.",
		s);
}

int tfp_catalog__check_enum(struct tfp_diags *d, const struct tfp_path *path,
		      const struct tfp_value *v, const char *what,
		      const char *const *allowed, const char *list)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(v->u.str, *allowed) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(
		d, path, tfp_arena_printf(d->arena, "Invalid %s", what),
		"%s must be %s, not \"%s\".", what, list, v->u.str);
}

/* --- pure helpers --------------------------------------------------------- */

bool tfp_catalog__add_field(cJSON *body, const struct tfp_value *obj,
		      const char *name, const char *json, bool clear)
{
	const struct tfp_value *v = tfp_value_get(obj, name);
	const struct tfp_type *t =
		obj->type->attr_types[tfp_type_attr_index(obj->type, name)];
	size_t i;

	if (json == NULL)
		json = name;
	if (tfp_value_is_unknown(v) || (tfp_value_is_null(v) && !clear))
		return false;
	switch (t->kind) {
	case TFP_KIND_STRING:
		cJSON_AddStringToObject(body, json,
					tfp_value_is_null(v) ? "" : v->u.str);
		return true;
	case TFP_KIND_BOOL:
		cJSON_AddBoolToObject(body, json,
				      !tfp_value_is_null(v) && v->u.b);
		return true;
	case TFP_KIND_MAP: {
		cJSON *m = cJSON_AddObjectToObject(body, json);

		for (i = 0; tfp_value_is_known(v) && i < v->u.coll.n; i++) {
			const struct tfp_value *e = v->u.coll.items[i];

			if (tfp_value_is_known(e))
				cJSON_AddStringToObject(m, v->u.coll.keys[i],
							e->u.str);
		}
		return true;
	}
	default:
		return false;
	}
}

int tfp_catalog__add_changes(cJSON *body, const struct tfp_value *prior,
		       const struct tfp_value *plan, const char *const *names)
{
	int n = 0;

	for (; *names != NULL; names++) {
		if (tfp_value_equal(tfp_value_get(prior, *names),
				    tfp_value_get(plan, *names)))
			continue;
		if (tfp_catalog__add_field(body, plan, *names, NULL, true))
			n++;
	}
	return n;
}

static bool uc_listed(const char *const *names, const char *name)
{
	for (; names != NULL && *names != NULL; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

/* True when v is "", false or an empty map: the workspace's "nothing". */
static bool uc_is_empty(const struct tfp_value *v)
{
	if (!tfp_value_is_known(v))
		return false;
	switch (v->type->kind) {
	case TFP_KIND_STRING:
		return v->u.str[0] == '\0';
	case TFP_KIND_BOOL:
		return !v->u.b;
	case TFP_KIND_MAP:
		return v->u.coll.n == 0;
	default:
		return false;
	}
}

/* a and b differ only by one trailing '/'. */
static bool uc_slash_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na == nb + 1)
		return a[na - 1] == '/' && strncmp(a, b, nb) == 0;
	if (nb == na + 1)
		return b[nb - 1] == '/' && strncmp(a, b, na) == 0;
	return false;
}

void tfp_catalog__normalize(struct tfp_arena *a, struct tfp_value *state,
		      const struct tfp_attr *attrs,
		      const struct tfp_value *prior, const char *const *folded,
		      const char *const *slashed)
{
	for (; attrs->name != NULL; attrs++) {
		const struct tfp_value *pv =
			tfp_value_is_known(prior)
				? tfp_value_get(prior, attrs->name)
				: NULL;
		struct tfp_value *v = tfp_value_get(state, attrs->name);

		if (attrs->flags & TFP_NO_JSON) {
			if (strcmp(attrs->name, "id") != 0)
				tfp_value_set(state, attrs->name,
					      tfp_value_copy(a, pv));
			continue;
		}
		if ((attrs->flags & TFP_OPTIONAL) &&
		    !(attrs->flags & TFP_COMPUTED) && tfp_value_is_null(pv) &&
		    uc_is_empty(v)) {
			tfp_value_set(state, attrs->name, NULL);
			continue;
		}
		if (!tfp_value_is_known(pv) || !tfp_value_is_known(v) ||
		    v->type->kind != TFP_KIND_STRING)
			continue;
		if ((uc_listed(folded, attrs->name) &&
		     strcasecmp(pv->u.str, v->u.str) == 0) ||
		    (uc_listed(slashed, attrs->name) &&
		     uc_slash_equal(pv->u.str, v->u.str)))
			tfp_value_set(state, attrs->name,
				      tfp_value_copy(a, pv));
	}
}

/* --- REST ----------------------------------------------------------------- */

int tfp_catalog__create(cJSON **out, struct tfp_call *call, const char *collection,
		  const char *item_path, const cJSON *body)
{
	const char *path =
		tfp_arena_printf(call->arena, "%s/%s", TFP_UC_API, collection);
	int tries, error = TFP_ERROR, check;

	for (tries = 1; tries <= UC_CREATE_TRIES; tries++) {
		error = tfp_rest_call(out, call, "POST", path, NULL, body, 0);
		if (error == TFP_ENOTFOUND)
			/* What the object lives in (a catalog, a credential)
			 * is missing: an error, not "gone". */
			return tfp_call_fail(call,
					     "POST %s returned HTTP %ld %s: %s",
					     path, call->last_error.status,
					     call->last_error.error_code,
					     call->last_error.message);
		if (error != TFP_EUNCERTAIN)
			return error;
		check = tfp_rest_get(out, call, item_path, NULL);
		if (check == TFP_OK) {
			tfp_log(TFP_LOG_INFO, "uc",
				"the answer to POST %s was lost; %s exists, so "
				"the create happened",
				path, item_path);
			tfp_diags_drop_last(call->diags);
			return TFP_OK;
		}
		if (check != TFP_ENOTFOUND)
			return check; /* both diagnostics stand */
		tfp_log(TFP_LOG_INFO, "uc",
			"the answer to POST %s was lost and %s does not exist "
			"(try %d of %d)",
			path, item_path, tries, UC_CREATE_TRIES);
		if (tries < UC_CREATE_TRIES)
			tfp_diags_drop_last(call->diags);
	}
	/* The last diagnostic says the outcome is unknown; the GET has just
	 * said that nothing was made. */
	return TFP_ERROR;
}

cJSON *tfp_catalog__body(struct tfp_arena *a)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(a, body);
	return body;
}

cJSON *tfp_catalog__fields_body(struct tfp_arena *a, const struct tfp_value *plan,
			  const char *const *fields)
{
	cJSON *body = tfp_catalog__body(a);

	for (; *fields != NULL; fields++)
		tfp_catalog__add_field(body, plan, *fields, NULL, false);
	return body;
}

int tfp_catalog__patch(struct tfp_call *call, const char *path, const cJSON *body)
{
	if (cJSON_GetArraySize(body) == 0)
		return TFP_OK;
	return tfp_rest_call(NULL, call, "PATCH", path, NULL, body,
			     TFP_REST_IDEMPOTENT);
}

int tfp_catalog__patch_owner(struct tfp_call *call, const char *path,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	const char *owner = tfp_value_get_string(plan, "owner");
	const char *old = tfp_value_get_string(prior, "owner");
	cJSON *body;

	if (owner == NULL || (old != NULL && strcmp(old, owner) == 0))
		return TFP_OK;
	body = tfp_catalog__body(call->arena);
	cJSON_AddStringToObject(body, "owner", owner);
	return tfp_catalog__patch(call, path, body);
}

int tfp_catalog__delete(struct tfp_call *call, const char *path,
		  const struct tfp_value *prior)
{
	const struct tfp_query q[] = {
		{"force", tfp_value_get_bool(prior, "force_destroy", false)
				  ? "true"
				  : NULL},
		{NULL, NULL}};

	return tfp_rest_call(NULL, call, "DELETE", path, q, NULL, 0);
}

/* --- state ---------------------------------------------------------------- */

int tfp_catalog__state(struct tfp_value **out, struct tfp_call *call,
		 const struct tfp_catalog__kind *kind, const struct tfp_type *type,
		 const cJSON *info, const struct tfp_value *prior)
{
	struct tfp_value *v = NULL;
	int error;

	error = tfp_jsonmap_to_value(&v, call->arena, type, kind->attrs,
				     kind->blocks, info, prior, call->diags);
	if (error < 0)
		return error;
	tfp_catalog__normalize(call->arena, v, kind->attrs, prior, kind->folded,
			 kind->slashed);
	if (kind->set_id != NULL)
		error = kind->set_id(call, v);
	else if (tfp_value_get_string(v, "name") == NULL)
		error = tfp_call_fail(call,
				      "The workspace answered with a %s "
				      "without a name.",
				      kind->what);
	else
		tfp_value_set(
			v, "id",
			tfp_value_copy(call->arena, tfp_value_get(v, "name")));
	if (error < 0)
		return error;
	*out = v;
	return TFP_OK;
}

int tfp_catalog__read_back(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_catalog__kind *kind,
		     const struct tfp_value *plan, const char *path,
		     const char *name, const cJSON *fallback)
{
	cJSON *info = NULL;
	int error;

	error = tfp_rest_get(&info, call, path, NULL);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call,
				      "The workspace accepted %s %s but GET "
				      "says it does not exist.",
				      kind->what, name);
	if (error == TFP_OK)
		error = tfp_catalog__state(out, call, kind, plan->type, info, plan);
	if (error < 0 && fallback != NULL)
		tfp_catalog__keep(out, call, kind, fallback, plan, name);
	return error;
}

void tfp_catalog__keep(struct tfp_value **out, struct tfp_call *call,
		 const struct tfp_catalog__kind *kind, const cJSON *info,
		 const struct tfp_value *plan, const char *id)
{
	struct tfp_value *known;

	if (info != NULL &&
	    tfp_catalog__state(out, call, kind, plan->type, info, plan) == TFP_OK)
		return;
	/* The plan is what was asked for and (as far as it went) made; a
	 * null where the workspace had yet to fill in a value is corrected
	 * by the next refresh, whereas no state at all would lose the
	 * object. */
	known = tfp_value_unknowns_to_null(call->arena, plan);
	tfp_value_set_string(call->arena, known, "id", id);
	*out = known;
}
