/*
 * databricks_token and databricks_obo_token: personal access tokens, of the
 * provider's own identity and of a service principal (on its behalf).
 *
 * REST: POST /api/2.0/token/create, GET /api/2.0/token/list, POST
 * /api/2.0/token/delete (the caller's own tokens); POST
 * /api/2.0/token-management/on-behalf-of/tokens, GET|DELETE
 * /api/2.0/token-management/tokens/{token_id} (an admin's view of every
 * token).
 *
 * Quirks that explain the code:
 *  - A create answers {token_value, token_info: {token_id, ...}}: the
 *    value is shown once and never again, so it is taken from the create's
 *    answer (rest_resource.c keeps what a read back leaves unknown from
 *    it) and kept from the prior state on every read (TFP_KEEP_PRIOR), as
 *    is what the create asked for but no read returns (lifetime_seconds,
 *    application_id). A hook hoists token_info's members to the top.
 *  - The Token API has no get: a token is found in the caller's list, and
 *    one no longer listed (revoked, or expired) is gone, so the next apply
 *    makes a new one. An OBO token is read by the token management get.
 *  - A token cannot change: every argument replaces it (no update).
 *  - Import is by the token's ID, as the official provider's default
 *    importer: a read of the token. Its value cannot be learnt (it stays
 *    null), and what no read returns (lifetime_seconds, application_id)
 *    is not in the imported state, so a configuration that sets it plans
 *    a replacement, as with the official provider.
 */
#include <cjson/cJSON.h>
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"

#define TOKEN_API "/api/2.0/token"
#define TOKEN_MGMT_API "/api/2.0/token-management"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr token_attrs[] = {
	{ .name = "lifetime_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "How long the token is valid, in seconds; none: it never "
		  "expires." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "What the token is for, shown on the user's settings "
		  "page." },
	{ .name = "token_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The token's ID." },
	{ .name = "token_value", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The token itself, for Authorization: Bearer." },
	{ .name = "creation_time", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the token was made, in epoch milliseconds." },
	{ .name = "expiry_time", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the token expires, in epoch milliseconds; -1: "
		  "never." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The token's ID." },
	TFP_ATTR_END
};

static const struct tfp_attr obo_attrs[] = {
	{ .name = "application_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_KEEP_PRIOR,
	  .desc = "The application ID of the service principal the token "
		  "is for." },
	{ .name = "lifetime_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "How long the token is valid, in seconds." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "What the token is for." },
	{ .name = "token_value", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The token itself, for Authorization: Bearer." },
	/* The official schema has no token_id: the id is read from it. */
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .json = "token_id", .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The token's ID." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const token_create_fields[] = {"lifetime_seconds",
						  "comment", NULL};
static const char *const obo_create_fields[] = {
	"application_id", "lifetime_seconds", "comment", NULL};

/* --- hooks ---------------------------------------------------------------- */

/* {token_value, token_info: {...}} (a create) or {token_info: {...}} (a
 * token management get) as one flat object; a list's item is already. */
static int token_reshape(cJSON *json, struct tfp_call *call)
{
	cJSON *info = cJSON_DetachItemFromObjectCaseSensitive(json,
							      "token_info");
	cJSON *m;

	(void)call;
	if (info == NULL)
		return TFP_OK;
	while ((m = info->child) != NULL) {
		cJSON_DetachItemViaPointer(info, m);
		cJSON_DeleteItemFromObjectCaseSensitive(json, m->string);
		cJSON_AddItemToObject(json, m->string, m);
	}
	cJSON_Delete(info);
	return TFP_OK;
}

/* --- the resources -------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres token_rres = {
	.what = "token",
	.attrs = token_attrs,
	.id = "{token_id}",
	.id_field = "token_id",
	.import_form = "<token_id>",
	.create = { .path = TOKEN_API "/create" },
	.read = { .path = TOKEN_API "/list", .flags = TFP_REST_CACHE,
		  .items = "token_infos", .key = "token_id" },
	.del = { .method = "POST", .path = TOKEN_API "/delete",
		 .id_param = "token_id", .flags = TFP_REST_IDEMPOTENT },
	.list = { .path = TOKEN_API "/list", .items = "token_infos",
		  .id_field = "token_id" },
	.create_fields = token_create_fields,
	.reshape = token_reshape,
};

static const struct tfp_rres obo_rres = {
	.what = "on-behalf-of token",
	.attrs = obo_attrs,
	.id_field = "token_id",
	.import_form = "<token_id>",
	.create = { .path = TOKEN_MGMT_API "/on-behalf-of/tokens" },
	.read = { .path = TOKEN_MGMT_API "/tokens/{id}" },
	.del = { .path = TOKEN_MGMT_API "/tokens/{id}",
		 .flags = TFP_REST_IDEMPOTENT },
	.create_fields = obo_create_fields,
	.reshape = token_reshape,
};
/* clang-format on */

const struct tfp_resource tfp_resource_token = {
	.type_name = "databricks_token",
	.attrs = token_attrs,
	.desc = "A personal access token of the identity the provider "
		"authenticates as. Any change replaces it.",
	TFP_RRES_HANDLERS,
	/* .update = NULL: a token cannot change. */
	.data = &token_rres,
};

const struct tfp_resource tfp_resource_obo_token = {
	.type_name = "databricks_obo_token",
	.attrs = obo_attrs,
	.desc = "A token made by an admin on behalf of a service principal. "
		"Any change replaces it.",
	TFP_RRES_HANDLERS,
	/* .update = NULL: a token cannot change. */
	.data = &obo_rres,
};
