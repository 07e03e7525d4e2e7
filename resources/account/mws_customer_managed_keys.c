/*
 * databricks_mws_customer_managed_keys: an AWS KMS key (or GCP Cloud KMS
 * key) registered with the Databricks account, to encrypt a workspace's
 * managed services (notebooks, secrets, queries) or its storage.
 *
 * REST (account API): POST|GET
 * /api/2.0/accounts/{account_id}/customer-managed-keys,
 * GET|DELETE .../customer-managed-keys/{customer_managed_key_id}.
 *
 * Quirks that explain the code:
 *  - A key configuration cannot change: every argument replaces it.
 *  - The key is AWS (aws_key_info) or GCP (gcp_key_info), never both.
 *  - The service fills aws_key_info.key_region from the key's ARN when it
 *    is left out, so it is optional and computed.
 *  - The official schema is at version 1 (version 0 had no use_cases):
 *    state the official provider wrote must not look newer than ours.
 *  - The Terraform ID is "<account_id>/<customer_managed_key_id>", also
 *    the import ID.
 */
#include "databricks.h"
#include "diag.h"
#include "path.h"
#include "rest_resource.h"
#include "schema.h"
#include "account_internal.h"

#define KEYS_API "/api/2.0/accounts/{account_id}/customer-managed-keys"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr key_aws_attrs[] = {
	{ .name = "key_arn", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The KMS key's ARN." },
	{ .name = "key_alias", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The KMS key's alias." },
	{ .name = "key_region", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The KMS key's region (default: the one in its ARN)." },
	TFP_ATTR_END
};

static const struct tfp_attr key_gcp_attrs[] = {
	{ .name = "kms_key_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Cloud KMS key's resource ID (projects/.../"
		  "cryptoKeys/...)." },
	TFP_ATTR_END
};

static const struct tfp_attr key_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Databricks account ID." },
	{ .name = "use_cases", .type = &tfp_type_list_string,
	  .flags = TFP_REQUIRED,
	  .desc = "What the key encrypts: MANAGED_SERVICES, STORAGE or "
		  "both." },
	{ .name = "customer_managed_key_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The key configuration's ID, for "
		  "databricks_mws_workspaces." },
	{ .name = "creation_time", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the key was registered, in epoch milliseconds." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<customer_managed_key_id>." },
	TFP_ATTR_END
};

static const struct tfp_block key_blocks[] = {
	{ .name = "aws_key_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = key_aws_attrs,
	  .desc = "The AWS KMS key (AWS only)." },
	{ .name = "gcp_key_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = key_gcp_attrs,
	  .desc = "The Cloud KMS key (GCP only)." },
	TFP_BLOCK_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

/* aws_key_info and gcp_key_info conflict (the official ConflictsWith). */
static int key_validate(struct tfp_call *call, const struct tfp_value *config)
{
	const struct tfp_value *aws = tfp_value_get(config, "aws_key_info");
	const struct tfp_value *gcp = tfp_value_get(config, "gcp_key_info");

	if (!tfp_value_is_known(aws) || !tfp_value_is_known(gcp) ||
	    aws->u.coll.n == 0 || gcp->u.coll.n == 0)
		return TFP_OK;
	return tfp_diag_attr_error(
		call->diags, tfp_path_attr(call->arena, NULL, "gcp_key_info"),
		"Conflicting blocks",
		"A key is either an AWS key (aws_key_info) or a GCP key "
		"(gcp_key_info), not both.");
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres key_rres = {
	.what = "customer-managed key configuration",
	.attrs = key_attrs,
	.blocks = key_blocks,
	.id = "{account_id}/{customer_managed_key_id}",
	.id_field = "customer_managed_key_id",
	.import_form = "<account_id>/<customer_managed_key_id>",
	.create = { .path = KEYS_API },
	.read = { .path = KEYS_API "/{customer_managed_key_id}" },
	.del = { .path = KEYS_API "/{customer_managed_key_id}" },
	.list = { .path = KEYS_API, .id_field = "customer_managed_key_id" },
	.create_answers_object = true,
	.body = tfp_account__body_without_account,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_customer_managed_keys = {
	.type_name = "databricks_mws_customer_managed_keys",
	.schema_version = 1,
	.attrs = key_attrs,
	.blocks = key_blocks,
	.desc = "A KMS key registered with the Databricks account, to "
		"encrypt workspaces' managed services or storage. Any change "
		"replaces it.",
	TFP_RRES_HANDLERS,
	.validate = key_validate,
	.data = &key_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
