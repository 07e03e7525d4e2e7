/*
 * databricks_mws_credentials and databricks_mws_storage_configurations: the
 * cross-account IAM role and the root S3 bucket an AWS workspace is made
 * with, registered with the account.
 *
 * REST (account API): POST|GET /api/2.0/accounts/{account_id}/credentials,
 * GET|DELETE .../credentials/{credentials_id};
 * POST|GET /api/2.0/accounts/{account_id}/storage-configurations,
 * GET|DELETE .../storage-configurations/{storage_configuration_id}.
 *
 * Quirks that explain the code:
 *  - Neither object can change: every argument replaces it (no update).
 *  - The API nests what the official schema keeps flat: a credential's
 *    role is aws_credentials.sts_role.role_arn (and the external ID the
 *    role must trust, which is the account ID, sits beside it); a storage
 *    configuration's bucket is root_bucket_info.bucket_name. Bodies are
 *    nested by a hook, answers flattened by another.
 *  - The service issues the IDs; the Terraform ID is
 *    "<account_id>/<credentials_id>" (or "<account_id>/<storage
 *    configuration id>"), which is also the import ID.
 *  - A credential's account_id is deprecated in the official provider (the
 *    provider's account_id is used); a storage configuration's is
 *    required there, and is what its paths use.
 *  - Both are account-level types: a workspace provider refuses them at
 *    plan time (databricks.c, check_type).
 */
#include <cjson/cJSON.h>
#include "databricks.h"
#include "diag.h"
#include "rest_resource.h"
#include "schema.h"
#include "account_internal.h"

#define ACCOUNT_API "/api/2.0/accounts/{account_id}"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr cred_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The account the credential belongs to. Deprecated: set "
		  "account_id on the provider." },
	{ .name = "credentials_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The credential's name in the account." },
	{ .name = "role_arn", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The cross-account IAM role Databricks assumes to manage "
		  "the workspace's AWS resources." },
	{ .name = "creation_time", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the credential was made, in epoch milliseconds." },
	{ .name = "credentials_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The credential's ID, for databricks_mws_workspaces." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The external ID the role's trust policy must require: the "
		  "account ID." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<credentials_id>." },
	TFP_ATTR_END
};

static const struct tfp_attr storage_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE,
	  .desc = "The Databricks account ID." },
	{ .name = "storage_configuration_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The storage configuration's name in the account." },
	{ .name = "bucket_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The S3 bucket that holds the workspace's root storage." },
	{ .name = "creation_time", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the configuration was made, in epoch milliseconds." },
	{ .name = "storage_configuration_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The configuration's ID, for databricks_mws_workspaces." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<storage_configuration_id>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

static const char *const cred_role_path[] = {"aws_credentials", "sts_role",
					     NULL};
static const char *const storage_bucket_path[] = {"root_bucket_info", NULL};

static int cred_body(cJSON *body, struct tfp_call *call,
		     const struct tfp_value *prior,
		     const struct tfp_value *plan)
{
	(void)call;
	(void)prior;
	(void)plan;
	/* The account is the path's, never the body's. */
	cJSON_DeleteItemFromObjectCaseSensitive(body, "account_id");
	tfp_account__nest(body, "role_arn", cred_role_path);
	return TFP_OK;
}

static int cred_reshape(cJSON *json, struct tfp_call *call)
{
	(void)call;
	tfp_account__flatten(json, "role_arn", cred_role_path);
	tfp_account__flatten(json, "external_id", cred_role_path);
	return TFP_OK;
}

static int storage_body(cJSON *body, struct tfp_call *call,
			const struct tfp_value *prior,
			const struct tfp_value *plan)
{
	(void)call;
	(void)prior;
	(void)plan;
	cJSON_DeleteItemFromObjectCaseSensitive(body, "account_id");
	tfp_account__nest(body, "bucket_name", storage_bucket_path);
	return TFP_OK;
}

static int storage_reshape(cJSON *json, struct tfp_call *call)
{
	(void)call;
	tfp_account__flatten(json, "bucket_name", storage_bucket_path);
	return TFP_OK;
}

/* --- the resources -------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres cred_rres = {
	.what = "credential configuration",
	.attrs = cred_attrs,
	.id = "{account_id}/{credentials_id}",
	.id_field = "credentials_id",
	.import_form = "<account_id>/<credentials_id>",
	.create = { .path = ACCOUNT_API "/credentials" },
	.read = { .path = ACCOUNT_API "/credentials/{credentials_id}" },
	.del = { .path = ACCOUNT_API "/credentials/{credentials_id}" },
	.list = { .path = ACCOUNT_API "/credentials",
		  .id_field = "credentials_id" },
	.create_answers_object = true,
	.body = cred_body,
	.reshape = cred_reshape,
};

static const struct tfp_rres storage_rres = {
	.what = "storage configuration",
	.attrs = storage_attrs,
	.id = "{account_id}/{storage_configuration_id}",
	.id_field = "storage_configuration_id",
	.import_form = "<account_id>/<storage_configuration_id>",
	.create = { .path = ACCOUNT_API "/storage-configurations" },
	.read = { .path = ACCOUNT_API
		  "/storage-configurations/{storage_configuration_id}" },
	.del = { .path = ACCOUNT_API
		 "/storage-configurations/{storage_configuration_id}" },
	.list = { .path = ACCOUNT_API "/storage-configurations",
		  .id_field = "storage_configuration_id" },
	.create_answers_object = true,
	.body = storage_body,
	.reshape = storage_reshape,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_credentials = {
	.type_name = "databricks_mws_credentials",
	.attrs = cred_attrs,
	.desc = "A cross-account IAM role registered with the Databricks "
		"account, for creating AWS workspaces. Any change replaces "
		"it.",
	TFP_RRES_HANDLERS,
	/* .update = NULL: the account API cannot change a credential. */
	.data = &cred_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};

const struct tfp_resource tfp_resource_mws_storage_configurations = {
	.type_name = "databricks_mws_storage_configurations",
	.attrs = storage_attrs,
	.desc = "The root S3 bucket of AWS workspaces, registered with the "
		"Databricks account. Any change replaces it.",
	TFP_RRES_HANDLERS,
	.data = &storage_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
