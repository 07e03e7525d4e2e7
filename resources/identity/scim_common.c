/*
 * What the SCIM resources share: entitlements as flags, and SCIM PATCH
 * bodies (identity_internal.h).
 *
 * REST: PATCH /api/2.0/preview/scim/v2/{Users|Groups|ServicePrincipals}/
 * {id} with {"schemas": [PatchOp], "Operations": [...]}.
 *
 * Quirks that explain the code:
 *  - The service keeps entitlements as one multi-valued attribute; the
 *    official schema has a flag for each of the five it knows. A flag is
 *    read true when its value is in the array and false otherwise, so an
 *    entitlement granted or taken away behind Terraform's back is drift
 *    either way; one the configuration does not set is planned false
 *    (the official Default), which is no drift while the principal lacks
 *    it.
 *  - "None" is sent as [{}], as the official provider sends it: the
 *    service takes an element without a value as nothing.
 *  - An entitlement value the service has that is none of the five (a
 *    newer one) is left out of the flags.
 */
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "identity_internal.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "value.h"

/* The flag of each entitlement value, in the official order. */
static const struct {
	const char *flag, *value;
} ents[] = {
	{"allow_cluster_create", "allow-cluster-create"},
	{"allow_instance_pool_create", "allow-instance-pool-create"},
	{"databricks_sql_access", "databricks-sql-access"},
	{"workspace_access", "workspace-access"},
	{"workspace_consume", "workspace-consume"},
};

cJSON *tfp_identity__entitlements(struct tfp_call *call,
				  const struct tfp_value *obj)
{
	cJSON *out = cJSON_CreateArray();
	size_t i;

	(void)call;
	for (i = 0; i < TFP_ARRAY_SIZE(ents); i++) {
		cJSON *e;

		if (!tfp_value_get_bool(obj, ents[i].flag, false))
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "value", ents[i].value);
		cJSON_AddItemToArray(out, e);
	}
	if (cJSON_GetArraySize(out) == 0)
		cJSON_AddItemToArray(out, cJSON_CreateObject());
	return out;
}

static bool ents_has(const cJSON *array, const char *value)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, array)
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");

		if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
			return true;
	}
	return false;
}

void tfp_identity__flags_from(cJSON *json)
{
	cJSON *array =
		cJSON_DetachItemFromObjectCaseSensitive(json, "entitlements");
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(ents); i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(json, ents[i].flag);
		cJSON_AddBoolToObject(json, ents[i].flag,
				      ents_has(array, ents[i].value));
	}
	cJSON_Delete(array);
}

void tfp_identity__drop_flags(cJSON *body)
{
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(ents); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(body, ents[i].flag);
}

void tfp_identity__default_flags(struct tfp_call *call,
				 const struct tfp_value *config,
				 struct tfp_value *plan)
{
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(ents); i++)
		if (tfp_value_is_null(tfp_value_get(config, ents[i].flag)))
			tfp_value_set(plan, ents[i].flag,
				      tfp_value_bool(call->arena, false));
}

int tfp_identity__check_flags(struct tfp_call *call,
			      const struct tfp_value *config)
{
	static const char *const other[] = {"workspace_access",
					    "databricks_sql_access"};
	size_t i;

	if (!tfp_value_get_bool(config, "workspace_consume", false))
		return TFP_OK;
	for (i = 0; i < TFP_ARRAY_SIZE(other); i++)
		if (tfp_value_get_bool(config, other[i], false))
			return tfp_diag_attr_error(
				call->diags,
				tfp_path_attr(call->arena, NULL,
					      "workspace_consume"),
				"Conflicting entitlements",
				"workspace_consume cannot be set with %s: "
				"consumer access is the lesser of the two.",
				other[i]);
	return TFP_OK;
}

cJSON *tfp_identity__values(const char *value)
{
	cJSON *array = cJSON_CreateArray();
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "value", value);
	cJSON_AddItemToArray(array, e);
	return array;
}

cJSON *tfp_identity__patch_body(struct tfp_call *call, const char *op,
				const char *path, cJSON *value)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *ops, *o;

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "schemas"),
			     cJSON_CreateString(TFP_IDENTITY_PATCH_OP));
	ops = cJSON_AddArrayToObject(body, "Operations");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "op", op);
	cJSON_AddStringToObject(o, "path", path);
	if (value != NULL)
		cJSON_AddItemToObject(o, "value", value);
	cJSON_AddItemToArray(ops, o);
	return body;
}

int tfp_identity__patch(struct tfp_call *call, const char *path,
			const cJSON *body)
{
	/* Replacing a value, adding one that is there or removing one that
	 * is not leaves the same state: safe to repeat. */
	return tfp_rest_call(NULL, call, "PATCH", path, NULL, body,
			     TFP_REST_IDEMPOTENT);
}
