/*
 * databricks_metastore_data_access: a storage credential made for a
 * metastore, usually its default one (is_default), which Unity Catalog
 * uses to reach the metastore's storage_root. A dual-level type, as the
 * metastore is (uc_metastore.c).
 *
 * REST, workspace level: POST /api/2.1/unity-catalog/storage-credentials,
 * GET|DELETE .../storage-credentials/{name} (?force=true);
 * PATCH /api/2.1/unity-catalog/metastores/{metastore_id} and
 * GET .../metastore_summary for is_default.
 * REST, account level: POST
 * /api/2.0/accounts/{account_id}/metastores/{metastore_id}/storage-credentials,
 * GET|DELETE .../storage-credentials/{name}, wrapped as
 * {"credential_info": {...}}; PUT and GET .../metastores/{metastore_id}
 * ({"metastore_info": {...}}) for is_default.
 *
 * Quirks that explain the code:
 *  - Nothing changes in place: every argument replaces it (the official
 *    provider has no update either).
 *  - is_default is not part of the credential: after a create it is the
 *    metastore's storage_root_credential_id, set by an update of the
 *    metastore; a read compares the metastore's
 *    storage_root_credential_name with the credential's name.
 *  - A workspace makes the credential in its own metastore, so
 *    metastore_id may be left out there; the ID then comes from the
 *    answer.
 *  - skip_validation is sent with the create and never returned; the
 *    force flags are not part of the object: all are kept from the
 *    configuration.
 * Import ID: "<metastore_id>|<name>".
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "value.h"
#include "catalog_internal.h"

#define ACCOUNT_API "/api/2.0/accounts/{account_id}"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr dac_azure_sp_attrs[] = {
	{ .name = "directory_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Microsoft Entra ID tenant of the application." },
	{ .name = "application_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The application (client) ID of the service principal." },
	{ .name = "client_secret", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "A client secret of the service principal." },
	TFP_ATTR_END
};

static const struct tfp_attr dac_azure_mi_attrs[] = {
	{ .name = "access_connector_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The resource ID of the Azure Databricks access "
		  "connector." },
	{ .name = "managed_identity_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A user-assigned managed identity of the connector; its "
		  "system-assigned one when left out." },
	{ .name = "credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The credential's ID on the Databricks side." },
	TFP_ATTR_END
};

static const struct tfp_attr dac_gcp_key_attrs[] = {
	{ .name = "email", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The service account's e-mail address." },
	{ .name = "private_key_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The key's ID." },
	{ .name = "private_key", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "The private key." },
	TFP_ATTR_END
};

static const struct tfp_attr dac_gcp_sa_attrs[] = {
	{ .name = "email", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The Databricks-managed service account to grant access "
		  "to." },
	{ .name = "credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The credential's ID on the Databricks side." },
	TFP_ATTR_END
};

static const struct tfp_attr dac_cloudflare_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The Cloudflare account ID." },
	{ .name = "access_key_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The R2 API token's access key ID." },
	{ .name = "secret_access_key", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "The R2 API token's secret access key." },
	TFP_ATTR_END
};

#define DAC_CLOUD_BLOCK(n, a, d)                                               \
	{ .name = n, .nesting = TFP_NEST_LIST, .max_items = 1,                 \
	  .attrs = a, .desc = d }

static const struct tfp_block dac_blocks[] = {
	DAC_CLOUD_BLOCK("aws_iam_role", tfp_catalog__aws_iam_role_attrs,
			"An AWS IAM role that Unity Catalog assumes."),
	DAC_CLOUD_BLOCK("azure_managed_identity", dac_azure_mi_attrs,
			"An Azure Databricks access connector's managed "
			"identity."),
	DAC_CLOUD_BLOCK("azure_service_principal", dac_azure_sp_attrs,
			"An Azure service principal and its secret."),
	DAC_CLOUD_BLOCK("gcp_service_account_key", dac_gcp_key_attrs,
			"A Google service account key."),
	DAC_CLOUD_BLOCK("databricks_gcp_service_account", dac_gcp_sa_attrs,
			"A Databricks-managed Google service account."),
	DAC_CLOUD_BLOCK("cloudflare_api_token", dac_cloudflare_attrs,
			"A Cloudflare R2 API token."),
	TFP_BLOCK_END
};

static const struct tfp_attr dac_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The credential's name, unique in the metastore." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore; required with an account-level provider, "
		  "the workspace's own when left out." },
	{ .name = "is_default", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Make it the metastore's default credential (its "
		  "storage_root_credential_id). In practice, always true." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The owner; the creator when left out." },
	{ .name = "read_only", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "The credential may only be used to read." },
	{ .name = "isolation_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED." },
	{ .name = "skip_validation", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Save the credential even if it cannot be validated "
		  "yet." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the credential on destroy even if objects use "
		  "it." },
	{ .name = "force_update", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Accepted for the official schema; nothing updates in "
		  "place." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<metastore_id>|<name>." },
	TFP_ATTR_END
};
/* clang-format on */

/* What the create takes (is_default and metastore_id are not the
 * credential's to send). */
static const char *const dac_create_fields[] = {
	"name",
	"comment",
	"read_only",
	"aws_iam_role",
	"azure_managed_identity",
	"azure_service_principal",
	"gcp_service_account_key",
	"databricks_gcp_service_account",
	"cloudflare_api_token",
	NULL};

/* --- hooks ---------------------------------------------------------------- */

static int dac_body(cJSON *body, struct tfp_call *call,
		    const struct tfp_value *prior, const struct tfp_value *plan)
{
	(void)call;
	(void)prior;
	if (tfp_value_get_bool(plan, "skip_validation", false))
		cJSON_AddBoolToObject(body, "skip_validation", true);
	return TFP_OK;
}

/* The metastore (its info) the credential belongs to, as this level of
 * provider reads it: a workspace its own metastore's summary. */
static int dac_metastore(cJSON **out, struct tfp_call *call,
			 const char *metastore_id)
{
	cJSON *reply = NULL, *info;
	int error;

	if (!tfp_rest_is_account(tfp_rest_of(call)))
		return tfp_rest_call(out, call, "GET",
				     TFP_UC_API "/metastore_summary", NULL,
				     NULL, 0);
	error = tfp_rest_call(
		&reply, call, "GET",
		tfp_catalog__account_metastore(call, metastore_id), NULL, NULL,
		0);
	if (error < 0)
		return error;
	info = cJSON_GetObjectItemCaseSensitive(reply, "metastore_info");
	*out = cJSON_IsObject(info) ? info : reply;
	return TFP_OK;
}

/* is_default: the metastore's root credential is this one. */
static int dac_reshape(cJSON *json, struct tfp_call *call)
{
	const char *name = tfp_json_string(json, "name");
	const char *metastore_id = tfp_json_string(json, "metastore_id");
	cJSON *metastore = NULL;
	const char *root_name;
	int error;

	if (name == NULL || metastore_id == NULL)
		return TFP_OK;
	error = dac_metastore(&metastore, call, metastore_id);
	if (error < 0)
		return error == TFP_ENOTFOUND
			       ? tfp_call_fail(
					 call,
					 "The metastore %s of data access "
					 "%s does not exist.",
					 metastore_id, name)
			       : error;
	root_name = tfp_json_string(metastore, "storage_root_credential_name");
	cJSON_DeleteItemFromObjectCaseSensitive(json, "is_default");
	cJSON_AddBoolToObject(json, "is_default",
			      root_name != NULL &&
				      strcmp(root_name, name) == 0);
	return TFP_OK;
}

/* is_default: the metastore's root credential becomes this one. */
static int dac_after_create(struct tfp_call *call, const char *id,
			    const struct tfp_value *plan)
{
	const char *bar = strchr(id, '|');
	const char *metastore_id, *cred_id;
	cJSON *cred = NULL, *body, *info;
	int error;

	if (!tfp_value_get_bool(plan, "is_default", false) || bar == NULL)
		return TFP_OK;
	metastore_id = tfp_arena_strndup(call->arena, id, (size_t)(bar - id));
	/* The metastore takes the credential's ID, which a read says on
	 * either level. */
	error = tfp_rres_get(&cred, call, call->data, id, TFP_RRES_FRESH);
	cred_id = error == TFP_OK ? tfp_json_string(cred, "id") : NULL;
	if (error == TFP_OK && cred_id == NULL)
		error = tfp_call_fail(call,
				      "The workspace did not say the ID of "
				      "data access %s.",
				      id);
	if (error < 0)
		return error;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	if (!tfp_rest_is_account(tfp_rest_of(call))) {
		cJSON_AddStringToObject(body, "storage_root_credential_id",
					cred_id);
		return tfp_rest_call(
			NULL, call, "PATCH",
			tfp_arena_printf(
				call->arena, "%s/metastores/%s", TFP_UC_API,
				tfp_rest_escape(call->arena, metastore_id)),
			NULL, body, TFP_REST_IDEMPOTENT);
	}
	info = cJSON_AddObjectToObject(body, "metastore_info");
	cJSON_AddStringToObject(info, "storage_root_credential_id", cred_id);
	return tfp_rest_call(NULL, call, "PUT",
			     tfp_catalog__account_metastore(call, metastore_id),
			     NULL, body, TFP_REST_IDEMPOTENT);
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres dac_account_rres = {
	.what = "metastore data access",
	.attrs = dac_attrs,
	.blocks = dac_blocks,
	.id = "{metastore_id}|{name}",
	.import_form = "<metastore_id>|<name>",
	.create = { .path = ACCOUNT_API
		    "/metastores/{metastore_id}/storage-credentials" },
	.read = { .path = ACCOUNT_API
		  "/metastores/{metastore_id}/storage-credentials/{name}" },
	.del = { .path = ACCOUNT_API
		 "/metastores/{metastore_id}/storage-credentials/{name}" },
	.create_fields = dac_create_fields,
	.force_delete = "force_destroy",
	.create_answers_object = true,
	.wrapper = "credential_info",
	.body = dac_body,
	.after_create = dac_after_create,
	.reshape = dac_reshape,
};

static const struct tfp_rres dac_rres = {
	.what = "metastore data access",
	.attrs = dac_attrs,
	.blocks = dac_blocks,
	.id = "{metastore_id}|{name}",
	.import_form = "<metastore_id>|<name>",
	.create = { .path = TFP_UC_API "/storage-credentials" },
	.read = { .path = TFP_UC_API "/storage-credentials/{name}" },
	.del = { .path = TFP_UC_API "/storage-credentials/{name}" },
	.create_fields = dac_create_fields,
	.force_delete = "force_destroy",
	.create_answers_object = true,
	.account = &dac_account_rres,
	.body = dac_body,
	.after_create = dac_after_create,
	.reshape = dac_reshape,
};
/* clang-format on */

const struct tfp_resource tfp_resource_metastore_data_access = {
	.type_name = "databricks_metastore_data_access",
	/* The official provider's: a state it wrote loads here. */
	.schema_version = 1,
	.attrs = dac_attrs,
	.blocks = dac_blocks,
	.desc = "A storage credential of a Unity Catalog metastore, usually "
		"its default one (is_default), with a workspace-level or an "
		"account-level provider. Any change replaces it.",
	TFP_RRES_HANDLERS,
	.data = &dac_rres,
	.provider_flags = TFP_DATABRICKS_ANY_LEVEL,
};
