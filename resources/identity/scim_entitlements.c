/*
 * databricks_entitlements: the entitlements of a user, group or service
 * principal that Terraform does not otherwise manage (the built-in
 * "users" group, a principal synchronised from an identity provider).
 *
 * REST: PATCH /api/2.0/preview/scim/v2/{Users|Groups|ServicePrincipals}/
 * {id} (replace, remove), GET .../{id} (read).
 *
 * Quirks that explain the code:
 *  - Create and update replace the principal's entitlements with the
 *    configured ones ({"op": "replace", "path": "entitlements"}); delete
 *    removes the configured ones only, and sends nothing when none is
 *    set. The service's "invalidPath No such attribute with the name :
 *    entitlements in the current resource" (a principal that cannot have
 *    any) is no error, as for the official provider.
 *  - A read sets every flag, true or false, from the principal's list, so
 *    an entitlement added or taken away by anyone else is drift.
 *  - A principal that is gone takes its entitlements with it.
 *  - The id, also the import ID, is "user/<id>", "group/<id>" or
 *    "spn/<id>" (the prefix in any case), with the principal's SCIM id.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "identity_internal.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "value.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr ent_attrs[] = {
	{ .name = "group_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the group." },
	{ .name = "user_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the user." },
	{ .name = "service_principal_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the service principal." },
	TFP_IDENTITY_ENTITLEMENT_ATTRS,
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "user/<id>, group/<id> or spn/<id>." },
	TFP_ATTR_END
};
/* clang-format on */

/* The three kinds of principal: the id's prefix, the attribute, the
 * path segment. */
static const struct {
	const char *prefix, *attr, *kind;
} kinds[] = {
	{"group", "group_id", "Groups"},
	{"user", "user_id", "Users"},
	{"spn", "service_principal_id", "ServicePrincipals"},
};

static const char *const flag_names[] = {TFP_IDENTITY_ENTITLEMENT_NAMES};

#define ENT_IMPORT_FORM "user/<id>, group/<id> or spn/<id>"

/* --- pure functions ------------------------------------------------------- */

/* The kind obj names (the first of the three set, as the official
 * provider takes them), or -1 when none is known. */
static int ent_kind(const struct tfp_value *obj)
{
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(kinds); i++)
		if (tfp_value_get_string(obj, kinds[i].attr) != NULL)
			return (int)i;
	return -1;
}

/* Splits an id "<prefix>/<scim id>": the kind, or -1. */
static int ent_parse(const char **scim_id, const char *id)
{
	const char *slash = strchr(id, '/');
	size_t i;

	if (slash == NULL || slash[1] == '\0')
		return -1;
	for (i = 0; i < TFP_ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].prefix) == (size_t)(slash - id) &&
		    strncasecmp(id, kinds[i].prefix, (size_t)(slash - id)) ==
			    0) {
			*scim_id = slash + 1;
			return (int)i;
		}
	return -1;
}

/* --- handlers ------------------------------------------------------------- */

static const char *ent_path(struct tfp_call *call, int k, const char *scim_id)
{
	return tfp_arena_printf(call->arena, "%s/%s/%s", TFP_IDENTITY_SCIM,
				kinds[k].kind,
				tfp_rest_escape(call->arena, scim_id));
}

/* The state for the principal kind k / scim_id as the service has it;
 * TFP_ENOTFOUND when the principal is gone. */
static int ent_get(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_type *type, int k, const char *scim_id)
{
	struct tfp_value *v = tfp_value_object(call->arena, type);
	struct tfp_value *flags = NULL;
	cJSON *json = NULL, *copy;
	size_t i;
	int error;

	error = tfp_rest_get(&json, call, ent_path(call, k, scim_id), NULL);
	if (error < 0)
		return error;
	copy = cJSON_Duplicate(json, true);
	tfp_arena_defer_json(call->arena, copy);
	tfp_identity__flags_from(copy);
	/* Only the flags are JSON: the tables map them. */
	error = tfp_jsonmap_to_value(&flags, call->arena, type, ent_attrs, NULL,
				     copy, NULL, call->diags);
	if (error < 0)
		return error;
	for (i = 0; i < TFP_ARRAY_SIZE(flag_names); i++)
		tfp_value_set(v, flag_names[i],
			      tfp_value_get(flags, flag_names[i]));
	tfp_value_set_string(call->arena, v, kinds[k].attr, scim_id);
	tfp_value_set_string(call->arena, v, "id",
			     tfp_arena_printf(call->arena, "%s/%s",
					      kinds[k].prefix, scim_id));
	*out = v;
	return TFP_OK;
}

/* PATCHes op ("replace", "remove") of obj's entitlements. */
static int ent_patch(struct tfp_call *call, const struct tfp_value *obj,
		     const char *op)
{
	int k = ent_kind(obj);
	cJSON *ents;
	int error;

	if (k < 0)
		return tfp_call_fail(call, "No principal is named: set "
					   "group_id, user_id or "
					   "service_principal_id.");
	ents = tfp_identity__entitlements(call, obj);
	error = tfp_identity__patch(
		call,
		ent_path(call, k, tfp_value_get_string(obj, kinds[k].attr)),
		tfp_identity__patch_body(call, op, "entitlements", ents));
	if (error == TFP_ERROR && call->last_error.message != NULL &&
	    strstr(call->last_error.message,
		   "No such attribute with the name : entitlements") != NULL) {
		tfp_diags_drop_last(call->diags);
		return TFP_OK;
	}
	return error;
}

/* Writes plan's entitlements and reads them back. */
static int ent_write(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *plan)
{
	int k = ent_kind(plan);
	int error = ent_patch(call, plan, "replace");

	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "The principal %s does not exist.",
				     tfp_value_get_string(plan, kinds[k].attr));
	if (error < 0)
		return error;
	error = ent_get(out, call, plan->type, k,
			tfp_value_get_string(plan, kinds[k].attr));
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "The principal %s is gone.",
				     tfp_value_get_string(plan, kinds[k].attr));
	return error;
}

static int ent_create(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *plan)
{
	return ent_write(out, call, plan);
}

static int ent_update(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan)
{
	(void)prior;
	return ent_write(out, call, plan);
}

static int ent_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id");
	const char *scim_id = NULL;
	int k = id != NULL ? ent_parse(&scim_id, id) : -1;

	if (k < 0)
		return tfp_call_fail(call,
				     "The state's ID \"%s\" is not one "
				     "of " ENT_IMPORT_FORM ".",
				     id != NULL ? id : "");
	return ent_get(out, call, prior->type, k, scim_id);
}

static int ent_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	size_t n = 0;
	cJSON *ents = tfp_identity__entitlements(call, prior);
	const cJSON *e;

	cJSON_ArrayForEach(e, ents)
	{
		if (cJSON_GetObjectItemCaseSensitive(e, "value") != NULL)
			n++;
	}
	cJSON_Delete(ents);
	/* Nothing configured, nothing to take away. */
	if (n == 0)
		return TFP_OK;
	return ent_patch(call, prior, "remove");
}

static int ent_import(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_type *type, const char *id)
{
	const char *scim_id = NULL;
	int k = ent_parse(&scim_id, id);
	struct tfp_value *v;

	if (k < 0)
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "\"%s\" is not an ID of entitlements; "
				      "the form is " ENT_IMPORT_FORM ".",
				      id);
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, kinds[k].attr, scim_id);
	*out = v;
	return TFP_OK;
}

static int ent_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan)
{
	int k;

	(void)prior;
	if (!tfp_value_is_known(plan) || !tfp_value_is_known(config))
		return TFP_OK;
	tfp_identity__default_flags(call, config, plan);
	k = ent_kind(plan);
	if (k >= 0)
		tfp_value_set_string(
			call->arena, plan, "id",
			tfp_arena_printf(
				call->arena, "%s/%s", kinds[k].prefix,
				tfp_value_get_string(plan, kinds[k].attr)));
	return TFP_OK;
}

static int ent_validate(struct tfp_call *call, const struct tfp_value *config)
{
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(kinds); i++)
		if (!tfp_value_is_null(tfp_value_get(config, kinds[i].attr)))
			return tfp_identity__check_flags(call, config);
	return tfp_diag_error(call->diags, "Missing argument",
			      "Entitlements need one of group_id, user_id "
			      "and service_principal_id.");
}

/* --- the resource --------------------------------------------------------- */

const struct tfp_resource tfp_resource_entitlements = {
	.type_name = "databricks_entitlements",
	.attrs = ent_attrs,
	.desc = "The entitlements of a user, group or service principal, "
		"managed apart from the principal.",
	.create = ent_create,
	.read = ent_read,
	.update = ent_update,
	.delete = ent_delete,
	.import = ent_import,
	.modify_plan = ent_modify_plan,
	.validate = ent_validate,
};
