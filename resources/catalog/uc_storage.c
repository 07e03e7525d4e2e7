/*
 * databricks_storage_credential and databricks_external_location: the
 * Unity Catalog objects that give the metastore access to cloud storage.
 * A storage credential holds one cloud identity (an AWS IAM role, an Azure
 * managed identity or service principal, a Databricks-managed GCP service
 * account or a GCP key, a Cloudflare R2 token); an external location pairs
 * a storage URL of that cloud with a credential.
 *
 * REST: POST /api/2.1/unity-catalog/storage-credentials,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/storage-credentials/{name};
 * POST /api/2.1/unity-catalog/external-locations,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/external-locations/{name}.
 *
 * Quirks that explain the code:
 *  - The IAM role's external_id and unity_catalog_iam_arn are chosen by
 *    the workspace: the role's trust policy needs them, so they are
 *    computed attributes of the aws_iam_role block (so are a managed
 *    identity's credential_id and the managed GCP account's email).
 *  - Exactly one identity: validate checks it. Secrets (client_secret,
 *    private_key, secret_access_key) are never returned: TFP_KEEP_PRIOR.
 *    An identity taken out of the configuration is not sent (the PATCH
 *    would clear it as {} next to the new one, which the service refuses);
 *    the new one replaces it.
 *  - file_event_queue holds exactly one kind of queue (validate); a
 *    managed queue's managed_resource_id and URL are the service's.
 *  - skip_validation is accepted by create and PATCH but never returned;
 *    force_destroy (DELETE ?force=true) and force_update (PATCH "force")
 *    are not part of the object at all. All three are kept from the
 *    configuration.
 *  - Both names force a new object, as in the official provider. Other
 *    changes are PATCHes of the changed fields only, owner last and alone
 *    (see uc_catalog.c).
 *  - An external location whose URL overlaps another one's is refused by
 *    the workspace (400); the diagnostic quotes its message.
 *  - read_only and fallback come back false when unset; comment may come
 *    back ""; URLs may gain or lose a trailing slash. Read keeps the
 *    configured form.
 *  - Missing objects are 404 STORAGE_CREDENTIAL_DOES_NOT_EXIST /
 *    EXTERNAL_LOCATION_DOES_NOT_EXIST: read reports them gone.
 * Import ID: the name.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "diag.h"
#include "path.h"
#include "rest_resource.h"
#include "schema.h"
#include "validate.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int storage_validate_isolation(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *v)
{
	static const char *const allowed[] = {"ISOLATION_MODE_OPEN",
					      "ISOLATION_MODE_ISOLATED", NULL};

	return tfp_catalog__check_enum(d, path, v, "isolation_mode", allowed,
				 "ISOLATION_MODE_OPEN or "
				 "ISOLATION_MODE_ISOLATED");
}

static int loc_validate_algorithm(struct tfp_diags *d,
				  const struct tfp_path *path,
				  const struct tfp_value *v)
{
	static const char *const allowed[] = {"AWS_SSE_S3", "AWS_SSE_KMS",
					      NULL};

	return tfp_validate_enum(d, path, v, "algorithm", allowed, false,
				 "AWS_SSE_S3 or AWS_SSE_KMS");
}

/* clang-format off */
const struct tfp_attr tfp_catalog__aws_iam_role_attrs[] = {
	{ .name = "role_arn", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_role_arn,
	  .desc = "The IAM role Unity Catalog assumes, "
		  "arn:aws:iam::<account>:role/<name>." },
	{ .name = "unity_catalog_iam_arn", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The Databricks-managed IAM principal that assumes the "
		  "role: the principal of the role's trust policy." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The external ID the role's trust policy must require "
		  "(sts:ExternalId)." },
	TFP_ATTR_END
};

static const struct tfp_attr cred_azure_mi_attrs[] = {
	{ .name = "access_connector_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Azure Databricks access connector: /subscriptions/"
		  "<id>/resourceGroups/<group>/providers/"
		  "Microsoft.Databricks/accessConnectors/<name>." },
	{ .name = "managed_identity_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A user-assigned managed identity of the connector; the "
		  "connector's system-assigned one when left out." },
	{ .name = "credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The credential's ID in the service." },
	TFP_ATTR_END
};

static const struct tfp_attr cred_azure_sp_attrs[] = {
	{ .name = "directory_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Azure AD tenant of the service principal." },
	{ .name = "application_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The service principal's application ID." },
	{ .name = "client_secret", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "A client secret of the application. The service never "
		  "returns it: the configured value is kept." },
	TFP_ATTR_END
};

static const struct tfp_attr cred_gcp_sa_attrs[] = {
	{ .name = "email", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The Databricks-managed service account to give access to "
		  "the buckets." },
	{ .name = "credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The credential's ID in the service." },
	TFP_ATTR_END
};

static const struct tfp_attr cred_gcp_key_attrs[] = {
	{ .name = "email", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The service account's email." },
	{ .name = "private_key_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The ID of the service account's key." },
	{ .name = "private_key", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "The key itself. The service never returns it: the "
		  "configured value is kept." },
	TFP_ATTR_END
};

static const struct tfp_attr cred_cloudflare_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Cloudflare account of the R2 buckets." },
	{ .name = "access_key_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The R2 API token's access key ID." },
	{ .name = "secret_access_key", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "The R2 API token's secret. The service never returns it: "
		  "the configured value is kept." },
	TFP_ATTR_END
};

const struct tfp_block tfp_catalog__credential_blocks[] = {
	{ .name = "aws_iam_role", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = tfp_catalog__aws_iam_role_attrs,
	  .desc = "An AWS IAM role (S3 storage). Changing role_arn updates "
		  "the credential in place." },
	{ .name = "azure_managed_identity", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = cred_azure_mi_attrs,
	  .desc = "An Azure managed identity through an access connector "
		  "(ADLS Gen2 storage)." },
	{ .name = "azure_service_principal", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = cred_azure_sp_attrs,
	  .desc = "An Azure service principal and its secret (ADLS Gen2 "
		  "storage)." },
	{ .name = "databricks_gcp_service_account", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = cred_gcp_sa_attrs,
	  .desc = "A GCP service account that Databricks makes and "
		  "manages (GCS storage): write the block empty." },
	{ .name = "gcp_service_account_key", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = cred_gcp_key_attrs,
	  .desc = "A key of a GCP service account of your own (GCS "
		  "storage)." },
	{ .name = "cloudflare_api_token", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = cred_cloudflare_attrs,
	  .desc = "A Cloudflare R2 API token (R2 storage)." },
	TFP_BLOCK_END
};

/* The cloud identities of a credential: exactly one is given. */
static const char *const cred_identities[] = {
	"aws_iam_role", "azure_managed_identity", "azure_service_principal",
	"databricks_gcp_service_account", "gcp_service_account_key",
	"cloudflare_api_token", NULL};

/* --- external location blocks --- */

static const struct tfp_attr loc_sse_attrs[] = {
	{ .name = "algorithm", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = loc_validate_algorithm,
	  .desc = "AWS_SSE_S3 or AWS_SSE_KMS." },
	{ .name = "aws_kms_key_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The KMS key, with AWS_SSE_KMS." },
	TFP_ATTR_END
};

static const struct tfp_block loc_encryption_blocks[] = {
	{ .name = "sse_encryption_details", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = loc_sse_attrs,
	  .desc = "Server-side encryption of what Unity Catalog writes to "
		  "S3." },
	TFP_BLOCK_END
};

/* The attributes every queue kind has: Databricks' ID of a queue it made. */
#define LOC_QUEUE_MANAGED_ID                                                   	{                                                                      		.name = "managed_resource_id", .type = &tfp_type_string,      		.flags = TFP_COMPUTED,                                         		.desc = "The ID Databricks gives a queue it made."             	}

static const struct tfp_attr loc_managed_sqs_attrs[] = {
	LOC_QUEUE_MANAGED_ID,
	{ .name = "queue_url", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The SQS queue; Databricks makes one when left out." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_provided_sqs_attrs[] = {
	LOC_QUEUE_MANAGED_ID,
	{ .name = "queue_url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "Your SQS queue that receives the bucket's events." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_managed_aqs_attrs[] = {
	LOC_QUEUE_MANAGED_ID,
	{ .name = "queue_url", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The storage queue; Databricks makes one when left out." },
	{ .name = "resource_group", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The resource group Databricks makes the queue in." },
	{ .name = "subscription_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Azure subscription of that resource group." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_provided_aqs_attrs[] = {
	LOC_QUEUE_MANAGED_ID,
	{ .name = "queue_url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "Your storage queue that receives the account's events." },
	{ .name = "resource_group", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The queue's resource group." },
	{ .name = "subscription_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The queue's Azure subscription." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_managed_pubsub_attrs[] = {
	LOC_QUEUE_MANAGED_ID,
	{ .name = "subscription_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The Pub/Sub subscription; Databricks makes one when left "
		  "out." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_provided_pubsub_attrs[] = {
	LOC_QUEUE_MANAGED_ID,
	{ .name = "subscription_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "Your Pub/Sub subscription to the bucket's "
		  "notifications." },
	TFP_ATTR_END
};

#define LOC_QUEUE(n, a, d)                                                     	{                                                                      		.name = n, .nesting = TFP_NEST_LIST, .max_items = 1,          		.attrs = a, .desc = d                                          	}

static const struct tfp_block loc_queue_blocks[] = {
	LOC_QUEUE("managed_sqs", loc_managed_sqs_attrs,
		  "An SQS queue Databricks makes and manages (S3)."),
	LOC_QUEUE("provided_sqs", loc_provided_sqs_attrs,
		  "An SQS queue of your own (S3)."),
	LOC_QUEUE("managed_aqs", loc_managed_aqs_attrs,
		  "An Azure storage queue Databricks makes (ADLS)."),
	LOC_QUEUE("provided_aqs", loc_provided_aqs_attrs,
		  "An Azure storage queue of your own (ADLS)."),
	LOC_QUEUE("managed_pubsub", loc_managed_pubsub_attrs,
		  "A Pub/Sub subscription Databricks makes (GCS)."),
	LOC_QUEUE("provided_pubsub", loc_provided_pubsub_attrs,
		  "A Pub/Sub subscription of your own (GCS)."),
	TFP_BLOCK_END
};

/* The queue kinds of file_event_queue: exactly one is given. */
static const char *const loc_queue_kinds[] = {
	"managed_sqs", "provided_sqs", "managed_aqs", "provided_aqs",
	"managed_pubsub", "provided_pubsub", NULL};

const struct tfp_block tfp_catalog__location_blocks[] = {
	{ .name = "encryption_details", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .blocks = loc_encryption_blocks,
	  .desc = "How data written under the location is encrypted." },
	{ .name = "file_event_queue", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .blocks = loc_queue_blocks,
	  .desc = "The queue that carries the storage's file events, with "
		  "enable_file_events: exactly one kind of queue." },
	TFP_BLOCK_END
};

static const struct tfp_attr cred_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The credential's name, unique in the metastore. Changing "
		  "it replaces the credential." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the credential; the creator when left out." },
	{ .name = "read_only", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "The credential may only be used to read." },
	{ .name = "skip_validation", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Save the credential even if the workspace cannot assume "
		  "the role yet." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the credential on destroy even if external "
		  "locations or tables use it." },
	{ .name = "force_update", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Update the credential even if external locations or "
		  "tables use it." },
	{ .name = "isolation_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = storage_validate_isolation,
	  .desc = "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED (bound "
		  "workspaces only)." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the credential belongs to." },
	{ .name = "used_for_managed_storage", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "True when the credential is the metastore's root "
		  "credential." },
	{ .name = "storage_credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .json = "id",
	  .desc = "The credential's unique identifier." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The credential's name." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The location's name, unique in the metastore. Changing it "
		  "replaces the location." },
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_url,
	  .desc = "The storage it covers: s3://<bucket>/<path>, "
		  "abfss://<container>@<account>.dfs.core.windows.net/<path> "
		  "or gs://<bucket>/<path>. It may not overlap another "
		  "external location." },
	{ .name = "credential_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = tfp_catalog__validate_name,
	  .desc = "The storage credential used to reach the URL." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the location; the creator when left out." },
	{ .name = "read_only", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "The location may only be read." },
	{ .name = "enable_file_events", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Track the storage's file events (through "
		  "file_event_queue) for faster file listing." },
	{ .name = "fallback", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Fall back to cluster credentials when Unity Catalog "
		  "credentials are not enough." },
	{ .name = "skip_validation", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Save the location even if the workspace cannot reach the "
		  "URL with the credential." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the location on destroy even if tables or volumes "
		  "use it." },
	{ .name = "force_update", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Change the URL even if tables or volumes use the "
		  "location." },
	{ .name = "isolation_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = storage_validate_isolation,
	  .desc = "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED (bound "
		  "workspaces only)." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the location belongs to." },
	{ .name = "credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The unique identifier of the location's credential." },
	{ .name = "browse_only", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "True when the caller may only see the location's "
		  "metadata." },
	{ .name = "created_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the location was created, in epoch milliseconds." },
	{ .name = "created_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who created the location." },
	{ .name = "updated_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the location last changed, in epoch milliseconds." },
	{ .name = "updated_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Who changed the location last." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The location's name." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const cred_create_fields[] = {
	"name", "aws_iam_role", "azure_managed_identity",
	"azure_service_principal", "databricks_gcp_service_account",
	"gcp_service_account_key", "cloudflare_api_token", "comment",
	"read_only", NULL};
static const char *const cred_patch_fields[] = {
	"comment", "read_only", "isolation_mode", "aws_iam_role",
	"azure_managed_identity", "azure_service_principal",
	"databricks_gcp_service_account", "gcp_service_account_key",
	"cloudflare_api_token", NULL};
static const char *const cred_folded[] = {"name", NULL};

static const char *const loc_create_fields[] = {
	"name", "url", "credential_name", "comment", "read_only", "fallback",
	"enable_file_events", "encryption_details", "file_event_queue", NULL};
static const char *const loc_patch_fields[] = {
	"url", "credential_name", "comment", "read_only", "fallback",
	"isolation_mode", "enable_file_events", "encryption_details",
	"file_event_queue", NULL};
static const char *const loc_folded[] = {"name", "credential_name", NULL};
static const char *const loc_slashed[] = {"url", NULL};

/* What POST does not take, for both kinds: the PATCH right after a
 * create. */
static const char *const storage_after_create_fields[] = {"isolation_mode",
							  NULL};

/* --- hooks ---------------------------------------------------------------- */

/* The role ARN of obj's aws_iam_role block, or NULL. */
static const char *cred_role_arn(const struct tfp_value *obj)
{
	const struct tfp_value *b;

	/* The external location shares storage_body but has no role. */
	if (tfp_type_attr_index(obj->type, "aws_iam_role") < 0)
		return NULL;
	b = tfp_value_get(obj, "aws_iam_role");

	if (!tfp_value_is_known(b) || b->u.coll.n == 0)
		return NULL;
	return tfp_value_get_string(b->u.coll.items[0], "role_arn");
}

/*
 * What a credential's body needs beyond storage_body: an identity taken
 * out of the configuration is not sent (the PATCH would clear it as {},
 * and two identities are refused; the new one replaces it), and an empty
 * block (databricks_gcp_service_account {}) goes as {}.
 */
static void cred_body_identities(cJSON *body, const struct tfp_value *prior,
				 const struct tfp_value *plan)
{
	size_t i;

	for (i = 1; cred_identities[i] != NULL; i++) {
		const struct tfp_value *b =
			tfp_value_get(plan, cred_identities[i]);
		const struct tfp_value *pb =
			prior != NULL ? tfp_value_get(prior, cred_identities[i])
				      : NULL;
		bool given = tfp_value_is_known(b) && b->u.coll.n > 0;

		if (!given) {
			cJSON_DeleteItemFromObjectCaseSensitive(
				body, cred_identities[i]);
			continue;
		}
		if (cJSON_GetObjectItemCaseSensitive(body, cred_identities[i]))
			continue;
		/* Unchanged identities stay out of an update. */
		if (prior != NULL && tfp_value_equal(b, pb))
			continue;
		cJSON_AddObjectToObject(body, cred_identities[i]);
	}
}

/*
 * Bodies of both kinds: the IAM role is sent as its ARN alone (the rest is
 * the workspace's), and in an update only when the ARN changed;
 * skip_validation, which the workspace never returns, and force
 * (force_update) go with a create or any update that sends something.
 */
static int storage_body(cJSON *body, struct tfp_call *call,
			const struct tfp_value *prior,
			const struct tfp_value *plan)
{
	const char *arn = cred_role_arn(plan);
	const char *old = prior != NULL ? cred_role_arn(prior) : NULL;
	cJSON *role;

	(void)call;
	if (tfp_type_attr_index(plan->type, "aws_iam_role") >= 0)
		cred_body_identities(body, prior, plan);
	cJSON_DeleteItemFromObjectCaseSensitive(body, "aws_iam_role");
	if (arn != NULL &&
	    (prior == NULL || old == NULL || strcmp(arn, old) != 0)) {
		role = cJSON_AddObjectToObject(body, "aws_iam_role");
		cJSON_AddStringToObject(role, "role_arn", arn);
	}
	if (prior != NULL && cJSON_GetArraySize(body) == 0)
		return TFP_OK;
	if (tfp_value_get_bool(plan, "skip_validation", false))
		cJSON_AddBoolToObject(body, "skip_validation", true);
	if (prior != NULL && tfp_value_get_bool(plan, "force_update", false))
		cJSON_AddBoolToObject(body, "force", true);
	return TFP_OK;
}

static int cred_validate(struct tfp_call *call, const struct tfp_value *config)
{
	return tfp_catalog__exactly_one_block(
		call->diags, call->arena, config, NULL, cred_identities,
		"A storage credential's cloud identity");
}

static int loc_validate(struct tfp_call *call, const struct tfp_value *config)
{
	const struct tfp_value *q = tfp_value_get(config, "file_event_queue");

	if (!tfp_value_is_known(q) || q->u.coll.n == 0)
		return TFP_OK;
	return tfp_catalog__exactly_one_block(
		call->diags, call->arena, q->u.coll.items[0],
		tfp_path_index(call->arena,
			       tfp_path_attr(call->arena, NULL,
					     "file_event_queue"),
			       0),
		loc_queue_kinds, "A file event queue");
}

/* A new credential_name means a new credential_id. */
static int loc_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan)
{
	(void)config;
	if (!tfp_value_is_known(prior) ||
	    tfp_value_equal(tfp_value_get(prior, "credential_name"),
			    tfp_value_get(plan, "credential_name")))
		return TFP_OK;
	tfp_value_set(plan, "credential_id",
		      tfp_value_unknown(call->arena, &tfp_type_string));
	return TFP_OK;
}

/* --- the two resources --------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres cred_rres = {
	.what = "storage credential",
	.attrs = cred_attrs,
	.blocks = tfp_catalog__credential_blocks,
	.id = "{name}",
	.import_form = "<name>",
	.create = { .path = TFP_UC_API "/storage-credentials" },
	.read = { .path = TFP_UC_API "/storage-credentials/{id}" },
	.update = { .path = TFP_UC_API "/storage-credentials/{id}" },
	.del = { .path = TFP_UC_API "/storage-credentials/{id}" },
	.list = { .path = TFP_UC_API "/storage-credentials",
		  .items = "storage_credentials", .id_field = "name",
		  .batch = true, .fold = true, .page_size = "1000" },
	.create_fields = cred_create_fields,
	.create_patch_fields = storage_after_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = cred_patch_fields,
	.owner_field = "owner",
	.force_delete = "force_destroy",
	.folded = cred_folded,
	.create_answers_object = true,
	.adopt_lost_create = true,
	.body = storage_body,
};

static const struct tfp_rres loc_rres = {
	.what = "external location",
	.attrs = loc_attrs,
	.blocks = tfp_catalog__location_blocks,
	.id = "{name}",
	.import_form = "<name>",
	.create = { .path = TFP_UC_API "/external-locations" },
	.read = { .path = TFP_UC_API "/external-locations/{id}" },
	.update = { .path = TFP_UC_API "/external-locations/{id}" },
	.del = { .path = TFP_UC_API "/external-locations/{id}" },
	.list = { .path = TFP_UC_API "/external-locations",
		  .items = "external_locations", .id_field = "name",
		  .batch = true, .fold = true, .page_size = "1000" },
	.create_fields = loc_create_fields,
	.create_patch_fields = storage_after_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = loc_patch_fields,
	.owner_field = "owner",
	.force_delete = "force_destroy",
	.folded = loc_folded,
	.slashed = loc_slashed,
	.create_answers_object = true,
	.adopt_lost_create = true,
	.body = storage_body,
	.modify_plan = loc_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_storage_credential = {
	.type_name = "databricks_storage_credential",
	.attrs = cred_attrs,
	.blocks = tfp_catalog__credential_blocks,
	.desc = "A Unity Catalog storage credential: an AWS IAM role that the "
		"metastore assumes to reach cloud storage. Its aws_iam_role "
		"block exports the external ID and the principal that the "
		"role's trust policy must name.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.validate = cred_validate,
	.data = &cred_rres,
};

const struct tfp_resource tfp_resource_external_location = {
	.type_name = "databricks_external_location",
	.attrs = loc_attrs,
	.blocks = tfp_catalog__location_blocks,
	.desc = "A Unity Catalog external location: a cloud storage URL and "
		"the storage credential used to reach it. URLs of two "
		"external locations may not overlap. The URL, credential, "
		"comment and flags change in place; a new name replaces it.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.validate = loc_validate,
	.data = &loc_rres,
};
