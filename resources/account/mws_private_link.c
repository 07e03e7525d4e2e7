/*
 * databricks_mws_vpc_endpoint and databricks_mws_private_access_settings:
 * the pieces of AWS PrivateLink (or GCP Private Service Connect) a
 * workspace's networks and the workspace itself name.
 *
 * REST (account API): POST|GET /api/2.0/accounts/{account_id}/vpc-endpoints,
 * GET|DELETE .../vpc-endpoints/{vpc_endpoint_id};
 * POST|GET .../private-access-settings, GET|PUT|DELETE
 * .../private-access-settings/{private_access_settings_id}.
 *
 * Quirks that explain the code:
 *  - A VPC endpoint registration cannot change (every argument replaces
 *    it). The service learns its state, use case, AWS account and endpoint
 *    service from AWS; the official provider waits after the create until
 *    the state is "available" (15 minutes at most), keeps waiting while it
 *    is pending or pendingAcceptance, and fails on any other state; a GCP
 *    endpoint has no such wait.
 *  - An endpoint is AWS (aws_vpc_endpoint_id and region) or GCP
 *    (gcp_vpc_endpoint_info), checked at validate as the official
 *    ExactlyOneOf/ConflictsWith rules are.
 *  - Private access settings change in place: PUT replaces the whole
 *    object, so an update sends every field; public_access_enabled = false
 *    is sent, not left out (the official provider forces it).
 *    private_access_level defaults to ACCOUNT.
 *  - account_id is optional (deprecated on the private access settings,
 *    where the provider's account is meant); the paths use the object's,
 *    else the provider's account, and the service fills it in.
 *  - Terraform IDs, also the import IDs: "<account_id>/<vpc_endpoint_id>"
 *    and "<account_id>/<private_access_settings_id>".
 */
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest_resource.h"
#include "schema.h"
#include "wait.h"
#include "account_internal.h"

#define ACCOUNT_API "/api/2.0/accounts/{account_id}"

/* How long the official provider waits for an endpoint to be available. */
#define VPCE_WAIT_MS (15L * 60 * 1000)

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr vpce_gcp_attrs[] = {
	{ .name = "project_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Google Cloud project of the VPC network the PSC "
		  "connection is in." },
	{ .name = "psc_endpoint_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The PSC endpoint's name in that project." },
	{ .name = "endpoint_region", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The PSC endpoint's region." },
	{ .name = "psc_connection_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The PSC connection's ID, from the service." },
	{ .name = "service_attachment_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The service attachment the connection reaches, from the "
		  "service." },
	TFP_ATTR_END
};

static const struct tfp_attr vpce_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The Databricks account ID (default: the provider's)." },
	{ .name = "vpc_endpoint_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The endpoint's name in the account." },
	{ .name = "aws_vpc_endpoint_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The AWS VPC endpoint (vpce-...) to register (AWS only)." },
	{ .name = "region", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The endpoint's AWS region (AWS only)." },
	{ .name = "vpc_endpoint_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The registration's ID in the account, for "
		  "databricks_mws_networks and "
		  "databricks_mws_private_access_settings." },
	{ .name = "aws_endpoint_service_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The Databricks endpoint service the endpoint connects "
		  "to (AWS only)." },
	{ .name = "aws_account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The AWS account the endpoint is in (AWS only)." },
	{ .name = "use_case", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "GENERAL_ACCESS (front-end and REST API) or "
		  "DATAPLANE_RELAY_ACCESS (secure cluster connectivity)." },
	{ .name = "state", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The endpoint's state in AWS, such as available." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<vpc_endpoint_id>." },
	TFP_ATTR_END
};

static const struct tfp_block vpce_blocks[] = {
	{ .name = "gcp_vpc_endpoint_info", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = vpce_gcp_attrs,
	  .desc = "The Private Service Connect endpoint (GCP only)." },
	TFP_BLOCK_END
};
/* clang-format on */

/* The official provider's rule: 4 to 256 characters. */
static int pas_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	size_t n = strlen(v->u.str);

	if (n >= 4 && n <= 256)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid name",
				   "private_access_settings_name has 4 to "
				   "256 characters; this one has %zu.",
				   n);
}

/* ACCOUNT or ENDPOINT, in any case, as the official check allows. */
static int pas_validate_level(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	if (strcasecmp(v->u.str, "ACCOUNT") == 0 ||
	    strcasecmp(v->u.str, "ENDPOINT") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid private access level",
				   "private_access_level is ACCOUNT or "
				   "ENDPOINT, not \"%s\".",
				   v->u.str);
}

/* clang-format off */
static const struct tfp_attr pas_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The account the settings belong to. Deprecated: set "
		  "account_id on the provider." },
	{ .name = "private_access_settings_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = pas_validate_name,
	  .desc = "The settings' name in the account: 4 to 256 "
		  "characters." },
	{ .name = "region", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The AWS region of the workspaces that use the "
		  "settings." },
	{ .name = "public_access_enabled", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Whether the workspaces can also be reached from the "
		  "public internet (default false)." },
	{ .name = "private_access_level", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "ACCOUNT",
	  .validate = pas_validate_level,
	  .desc = "ACCOUNT: any VPC endpoint registered in the account may "
		  "connect; ENDPOINT: only allowed_vpc_endpoint_ids." },
	{ .name = "allowed_vpc_endpoint_ids", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The databricks_mws_vpc_endpoint IDs that may connect "
		  "when private_access_level is ENDPOINT." },
	{ .name = "private_access_settings_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The settings' ID, for databricks_mws_workspaces." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<private_access_settings_id>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

/*
 * ExactlyOneOf(aws_vpc_endpoint_id, gcp_vpc_endpoint_info) and
 * ExactlyOneOf(region, gcp_vpc_endpoint_info); aws_endpoint_service_id
 * and aws_account_id conflict with the GCP block.
 */
static int vpce_validate(struct tfp_call *call, const struct tfp_value *config)
{
	static const char *const aws[] = {"aws_vpc_endpoint_id", "region",
					  "aws_endpoint_service_id",
					  "aws_account_id", NULL};

	return tfp_account__cloud_args(call, config, "gcp_vpc_endpoint_info",
				       aws, 2, "endpoint");
}

/* The level goes to the service in capitals (the official check takes
 * any case); a read keeps the configuration's spelling (folded). */
static int pas_body(cJSON *body, struct tfp_call *call,
		    const struct tfp_value *prior, const struct tfp_value *plan)
{
	cJSON *level =
		cJSON_GetObjectItemCaseSensitive(body, "private_access_level");
	char *p;

	if (cJSON_IsString(level))
		for (p = level->valuestring; *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	return tfp_account__body_without_account(body, call, prior, plan);
}

struct vpce_poll {
	const char *id;
};

/* One poll of the new endpoint: done once AWS says it is available. */
static int vpce_poll(struct tfp_call *call, void *payload)
{
	const struct vpce_poll *p = payload;
	cJSON *json = NULL;
	const char *state;
	int error;

	error = tfp_rres_get(&json, call, call->data, p->id, 0);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "The new VPC endpoint %s is gone.",
				     p->id);
	if (error < 0)
		return error;
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(
		    json, "gcp_vpc_endpoint_info")))
		return TFP_OK;
	state = tfp_json_string(json, "state");
	if (state == NULL || strcasecmp(state, "available") == 0)
		return TFP_OK;
	if (strcasecmp(state, "pending") == 0 ||
	    strcasecmp(state, "pendingacceptance") == 0)
		return TFP_WAIT_AGAIN;
	return tfp_call_fail(call, "Cannot register %s: its state is %s.",
			     tfp_json_string(json, "aws_vpc_endpoint_id"),
			     state);
}

static int vpce_after_create(struct tfp_call *call, const char *id,
			     const struct tfp_value *plan)
{
	struct vpce_poll p = {.id = id};
	const struct tfp_wait w = {
		.what = tfp_arena_printf(call->arena,
					 "VPC endpoint %s to be available", id),
		.timeout_ms = VPCE_WAIT_MS,
	};

	(void)plan;
	return tfp_wait_for(call, &w, vpce_poll, &p);
}

/* --- the resources -------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres vpce_rres = {
	.what = "VPC endpoint configuration",
	.attrs = vpce_attrs,
	.blocks = vpce_blocks,
	.id = "{account_id}/{vpc_endpoint_id}",
	.id_field = "vpc_endpoint_id",
	.import_form = "<account_id>/<vpc_endpoint_id>",
	.create = { .path = ACCOUNT_API "/vpc-endpoints" },
	.read = { .path = ACCOUNT_API "/vpc-endpoints/{vpc_endpoint_id}" },
	.del = { .path = ACCOUNT_API "/vpc-endpoints/{vpc_endpoint_id}" },
	.list = { .path = ACCOUNT_API "/vpc-endpoints",
		  .id_field = "vpc_endpoint_id" },
	.create_answers_object = true,
	.body = tfp_account__body_without_account,
	.after_create = vpce_after_create,
};

static const struct tfp_rres pas_rres = {
	.what = "private access settings",
	.attrs = pas_attrs,
	.id = "{account_id}/{private_access_settings_id}",
	.id_field = "private_access_settings_id",
	.import_form = "<account_id>/<private_access_settings_id>",
	.create = { .path = ACCOUNT_API "/private-access-settings" },
	.read = { .path = ACCOUNT_API
		  "/private-access-settings/{private_access_settings_id}" },
	.update = { .method = "PUT", .path = ACCOUNT_API
		    "/private-access-settings/{private_access_settings_id}" },
	.del = { .path = ACCOUNT_API
		 "/private-access-settings/{private_access_settings_id}" },
	.list = { .path = ACCOUNT_API "/private-access-settings",
		  .id_field = "private_access_settings_id" },
	.update_mode = TFP_RRES_FULL,
	.update_fields = (const char *const[]){
		"private_access_settings_name", "region",
		"public_access_enabled", "private_access_level",
		"allowed_vpc_endpoint_ids", NULL },
	.folded = (const char *const[]){ "private_access_level", NULL },
	.create_answers_object = true,
	.body = pas_body,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_vpc_endpoint = {
	.type_name = "databricks_mws_vpc_endpoint",
	.attrs = vpce_attrs,
	.blocks = vpce_blocks,
	.desc = "An AWS VPC endpoint (or GCP Private Service Connect "
		"endpoint) registered with the Databricks account, for "
		"databricks_mws_networks and private access settings. Any "
		"change replaces it.",
	TFP_RRES_HANDLERS,
	.validate = vpce_validate,
	.data = &vpce_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};

const struct tfp_resource tfp_resource_mws_private_access_settings = {
	.type_name = "databricks_mws_private_access_settings",
	.attrs = pas_attrs,
	.desc = "Private access settings: how workspaces that name them "
		"may be reached over AWS PrivateLink, and whether from the "
		"public internet too.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &pas_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
