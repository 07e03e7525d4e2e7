/*
 * databricks_mws_workspaces: a Databricks workspace provisioned through the
 * account API, and optionally a personal access token in it (token {}),
 * with which a second provider block can manage the new workspace in the
 * same apply.
 *
 * REST (account API): POST|GET /api/2.0/accounts/{account_id}/workspaces,
 * GET|PATCH|DELETE .../workspaces/{workspace_id}; the token goes through
 * the new workspace's own /api/2.0/token/{create,list,delete}.
 *
 * Quirks that explain the code:
 *  - A create answers PROVISIONING at once; the workspace is usable when
 *    it is RUNNING (or what expected_workspace_status asks for). The
 *    create waits for it within timeouts.create (20 minutes). FAILED,
 *    CANCELLED or BANNED is an error quoting the service's message; unlike
 *    the official provider, which deletes the failed workspace, it stays
 *    in the state (tainted), so nothing made is lost from Terraform's view
 *    and the next apply replaces it, or a destroy removes it.
 *  - Only credentials, network, private access settings, the two keys,
 *    custom tags, pricing tier, network connectivity and the expected
 *    status change in place (PATCH with ?update_mask, then the same wait);
 *    any other argument replaces the workspace. A private access setting
 *    cannot be removed once set.
 *  - The API does not say the workspace URL. As the official provider
 *    does, it is the account host with its first label replaced by the
 *    deployment name (accounts.cloud.databricks.com ->
 *    <deployment>.cloud.databricks.com); the scheme and port are kept, so
 *    http://accounts.localhost:<port> (the emulator) gives
 *    http://<deployment>.localhost:<port>. For an IP host there is no
 *    label to replace: https://<deployment>.cloud.databricks.com.
 *  - deployment_name may come back with the account's prefix
 *    ("<prefix>-<name>"); the configured name is kept while it is the
 *    suffix of the service's.
 *  - Arguments the API never returns are kept from the prior state:
 *    is_no_public_ip_enabled (true after an import, as the official
 *    provider reads it), expected_workspace_status, compute_mode (the
 *    service's value is effective_compute_mode) and the deprecated
 *    customer_managed_key_id (sent as managed_services_...).
 *  - The token is created with the provider's own credentials against the
 *    new workspace (tfp_rest_new_for_host). A refresh that finds it gone
 *    (revoked or expired) leaves token_id empty, so the plan makes a new
 *    one; the official provider re-creates it inside the refresh.
 *  - The Terraform ID is "<account_id>/<workspace_id>", also the import ID.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "validate.h"
#include "wait.h"
#include "account_internal.h"

#define WORKSPACES_API "/api/2.0/accounts/{account_id}/workspaces"
#define WORKSPACE_PATH WORKSPACES_API "/{workspace_id}"
/* The official provider's DefaultProvisionTimeout. */
#define WORKSPACE_WAIT_MS (20L * 60 * 1000)
#define TOKEN_LIFETIME_S  2592000 /* 30 days, the official default */
#define TOKEN_COMMENT	  "Terraform PAT"

/* --- schema --------------------------------------------------------------- */

static int workspace_validate_expected(struct tfp_diags *d,
				       const struct tfp_path *path,
				       const struct tfp_value *v)
{
	if (strcmp(v->u.str, "RUNNING") == 0 ||
	    strcmp(v->u.str, "PROVISIONING") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid value",
				   "expected_workspace_status is RUNNING or "
				   "PROVISIONING, not \"%s\".",
				   v->u.str);
}

static int workspace_validate_compute_mode(struct tfp_diags *d,
					   const struct tfp_path *path,
					   const struct tfp_value *v)
{
	if (strcmp(v->u.str, "SERVERLESS") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid value",
				   "compute_mode can only be SERVERLESS, not "
				   "\"%s\".",
				   v->u.str);
}

/* clang-format off */
static const struct tfp_attr workspace_token_attrs[] = {
	{ .name = "lifetime_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How long the token lives, in seconds (default 2592000, "
		  "30 days)." },
	{ .name = "comment", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .default_string = TOKEN_COMMENT,
	  .desc = "The token's comment (default \"Terraform PAT\")." },
	{ .name = "token_id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The token's ID in the workspace." },
	{ .name = "token_value", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_SENSITIVE,
	  .desc = "The token, for a provider block of the new workspace." },
	TFP_ATTR_END
};

/* The official provider's timeouts for this type: create, read, update. */
static const struct tfp_attr workspace_timeouts_attrs[] = {
	{ .name = "create", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = tfp_validate_duration,
	  .desc = "How long a create waits for RUNNING (default 20m)." },
	{ .name = "read", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = tfp_validate_duration,
	  .desc = "Accepted for compatibility; a read does not wait." },
	{ .name = "update", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = tfp_validate_duration,
	  .desc = "How long an update waits for RUNNING (default 20m)." },
	TFP_ATTR_END
};

static const struct tfp_attr workspace_gcp_container_attrs[] = {
	{ .name = "project_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The Google Cloud project of the workspace." },
	TFP_ATTR_END
};

static const struct tfp_block workspace_container_blocks[] = {
	{ .name = "gcp", .nesting = TFP_NEST_LIST, .min_items = 1,
	  .max_items = 1, .flags = TFP_FORCE_NEW,
	  .attrs = workspace_gcp_container_attrs,
	  .desc = "The Google Cloud project." },
	TFP_BLOCK_END
};

static const struct tfp_attr workspace_customer_attrs[] = {
	{ .name = "customer_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The customer's name." },
	{ .name = "authoritative_user_email", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The customer's authoritative user's email." },
	{ .name = "authoritative_user_full_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The customer's authoritative user's full name." },
	TFP_ATTR_END
};

static const struct tfp_attr workspace_gcp_network_attrs[] = {
	{ .name = "subnet_cidr", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The IP range of the workspace's subnet." },
	{ .name = "gke_cluster_pod_ip_range", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The GKE pods' IP range (deprecated with GKE)." },
	{ .name = "gke_cluster_service_ip_range", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The GKE services' IP range (deprecated with GKE)." },
	TFP_ATTR_END
};

static const struct tfp_attr workspace_gke_attrs[] = {
	{ .name = "connectivity_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "PRIVATE_NODE_PUBLIC_MASTER or PUBLIC_NODE_PUBLIC_MASTER." },
	{ .name = "master_ip_range", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The GKE master's IP range." },
	TFP_ATTR_END
};

static const struct tfp_attr workspace_attrs[] = {
	/* Not sensitive, unlike the official schema: with token_value that
	 * would make two sensitive paths, which Terraform (1.11) writes to
	 * the state in a random order, so a scheduled refresh-only plan
	 * would report drift at random. An account ID is no secret; configs
	 * that treat it as one still work. */
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The Databricks account ID." },
	{ .name = "workspace_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The workspace's name." },
	{ .name = "deployment_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The first label of the workspace's host name; the "
		  "service may add the account's prefix." },
	{ .name = "aws_region", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The AWS region (AWS only; required there)." },
	{ .name = "location", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The Google Cloud region (GCP only)." },
	{ .name = "cloud", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "aws or gcp, as the service says." },
	{ .name = "credentials_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The credential configuration (databricks_mws_credentials)."
	},
	{ .name = "storage_configuration_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The root storage configuration "
		  "(databricks_mws_storage_configurations)." },
	{ .name = "network_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "A customer-managed network (databricks_mws_networks)." },
	{ .name = "private_access_settings_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Private access settings for AWS PrivateLink; cannot be "
		  "removed once set." },
	{ .name = "managed_services_customer_managed_key_id",
	  .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The key for managed services "
		  "(databricks_mws_customer_managed_keys)." },
	{ .name = "storage_customer_managed_key_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The key for workspace storage." },
	{ .name = "customer_managed_key_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED | TFP_FORCE_NEW |
		   TFP_NO_JSON,
	  .desc = "Deprecated: use managed_services_customer_managed_key_id."
	},
	{ .name = "network_connectivity_config_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "A network connectivity configuration for serverless "
		  "compute." },
	{ .name = "pricing_tier", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_CASE_INSENSITIVE,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The pricing tier (PREMIUM, ENTERPRISE, ...); any case." },
	{ .name = "custom_tags", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Tags on the workspace's cloud resources (AWS only)." },
	{ .name = "is_no_public_ip_enabled", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_KEEP_PRIOR,
	  .desc = "Secure cluster connectivity (default true); used at "
		  "creation only." },
	{ .name = "compute_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_NO_JSON,
	  .validate = workspace_validate_compute_mode,
	  .desc = "SERVERLESS for a serverless workspace." },
	{ .name = "effective_compute_mode", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The compute mode the service reports." },
	{ .name = "expected_workspace_status", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .validate = workspace_validate_expected,
	  .desc = "The status to wait for: RUNNING (default) or "
		  "PROVISIONING." },
	{ .name = "workspace_id", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The workspace's numeric ID." },
	{ .name = "workspace_url", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The workspace's URL, for a workspace provider block." },
	{ .name = "workspace_status", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "PROVISIONING, RUNNING, FAILED, BANNED, CANCELLING or "
		  "NOT_PROVISIONED." },
	{ .name = "workspace_status_message", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The service's word on the status." },
	{ .name = "creation_time", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the workspace was created, in epoch milliseconds." },
	{ .name = "gcp_workspace_sa", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The Google service account of a GCP workspace." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<workspace_id>." },
	TFP_ATTR_END
};

static const struct tfp_block workspace_blocks[] = {
	{ .name = "token", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = workspace_token_attrs,
	  .desc = "A personal access token in the new workspace." },
	{ .name = "cloud_resource_container", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .flags = TFP_FORCE_NEW,
	  .blocks = workspace_container_blocks,
	  .desc = "The Google Cloud project of a GCP workspace." },
	{ .name = "external_customer_info", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .flags = TFP_FORCE_NEW,
	  .attrs = workspace_customer_attrs,
	  .desc = "The customer a partner workspace is for." },
	{ .name = "gcp_managed_network_config", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .flags = TFP_FORCE_NEW | TFP_SERVER_FILLED,
	  .attrs = workspace_gcp_network_attrs,
	  .desc = "The Databricks-managed network of a GCP workspace." },
	{ .name = "gke_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_DEPRECATED | TFP_SERVER_FILLED,
	  .attrs = workspace_gke_attrs,
	  .desc = "GKE settings (deprecated: GCP workspaces no longer use "
		  "GKE)." },
	{ .name = "timeouts", .nesting = TFP_NEST_SINGLE, .flags = TFP_NO_JSON,
	  .attrs = workspace_timeouts_attrs,
	  .desc = "How long provisioning may take." },
	TFP_BLOCK_END
};
/* clang-format on */

/* What an update may change (the official provider's list, with the
 * pricing tier and network connectivity the API also takes). */
static const char *const workspace_update_fields[] = {
	"credentials_id",
	"custom_tags",
	"expected_workspace_status",
	"managed_services_customer_managed_key_id",
	"network_connectivity_config_id",
	"network_id",
	"pricing_tier",
	"private_access_settings_id",
	"storage_customer_managed_key_id",
	NULL,
};

static const char *const workspace_folded[] = {"pricing_tier", NULL};

static const struct tfp_rres workspace_rres;

/* --- waiting -------------------------------------------------------------- */

/* The wait of op ("create", "update") from the timeouts block. */
static long workspace_wait_ms(const struct tfp_value *plan, const char *op)
{
	const char *text =
		tfp_value_get_string(tfp_value_get(plan, "timeouts"), op);
	int64_t ms = WORKSPACE_WAIT_MS;

	if (text != NULL && tfp_parse_duration_ms(&ms, text) != TFP_OK)
		ms = WORKSPACE_WAIT_MS; /* validate reported it */
	return (long)ms;
}

struct workspace_poll {
	const char *path;     /* GET this */
	const char *expected; /* "RUNNING" or "PROVISIONING" */
};

static int workspace_poll(struct tfp_call *call, void *payload)
{
	const struct workspace_poll *p = payload;
	const char *status, *message;
	cJSON *ws = NULL;
	int error;

	error = tfp_rest_get(&ws, call, p->path, NULL);
	if (error < 0)
		return error == TFP_ENOTFOUND
			       ? tfp_call_fail(call,
					       "The workspace disappeared "
					       "while it was being "
					       "provisioned.")
			       : error;
	status = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(ws, "workspace_status"));
	message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		ws, "workspace_status_message"));
	if (status == NULL)
		return TFP_WAIT_AGAIN;
	if (strcmp(status, p->expected) == 0)
		return TFP_OK;
	if (strcmp(status, "FAILED") == 0 || strcmp(status, "BANNED") == 0 ||
	    strcmp(status, "CANCELLED") == 0 ||
	    strcmp(status, "CANCELLING") == 0)
		return tfp_diag_error(
			call->diags, "Workspace failed to provision",
			"The workspace is %s: %s. It stays in the Terraform "
			"state: fix the cause and apply again to replace it, "
			"or destroy it.",
			status, message && *message ? message : "no reason given");
	return TFP_WAIT_AGAIN;
}

/* Waits until the workspace of obj has the expected status. */
static int workspace_wait(struct tfp_call *call, const struct tfp_value *obj,
			  const struct tfp_value *plan, const char *op)
{
	const char *expected =
		tfp_value_get_string(plan, "expected_workspace_status");
	struct workspace_poll p = {
		.path = tfp_rres_expand(call, WORKSPACE_PATH, obj, NULL, true),
		.expected = expected ? expected : "RUNNING",
	};
	const struct tfp_wait w = {
		.what = tfp_arena_printf(call->arena, "the workspace to be %s",
					 p.expected),
		.timeout_ms = workspace_wait_ms(plan, op),
		.first_ms = 250,
		.max_ms = 10000,
	};

	if (p.path == NULL)
		return tfp_call_fail(call, "The workspace has no ID.");
	return tfp_wait_for(call, &w, workspace_poll, &p);
}

/* After the create: the id is "<account_id>/<workspace_id>". */
static int workspace_after_create(struct tfp_call *call, const char *id,
				  const struct tfp_value *plan)
{
	struct tfp_value *obj = tfp_value_copy(call->arena, plan);
	const char *slash = strrchr(id, '/');
	struct tfp_number n;

	if (slash == NULL ||
	    !tfp_value_parse_number(&n, call->arena, slash + 1,
				    strlen(slash + 1)))
		return tfp_call_fail(call, "Unexpected workspace ID %s.", id);
	tfp_value_set(obj, "workspace_id", tfp_value_number(call->arena, &n));
	return workspace_wait(call, obj, plan, "create");
}

/* --- the workspace URL ---------------------------------------------------- */

/* Declared in account_internal.h, for its unit test. */
const char *tfp_account__workspace_url(struct tfp_arena *a, const char *host,
				       const char *deployment)
{
	const char *auth = host ? strstr(host, "://") : NULL;
	const char *dot, *end;
	size_t scheme;

	if (auth == NULL)
		goto fallback;
	scheme = (size_t)(auth - host);
	auth += 3;
	if (*auth == '[')
		goto fallback;
	end = auth + strcspn(auth, ":/");
	dot = memchr(auth, '.', (size_t)(end - auth));
	if (dot == NULL || strspn(auth, "0123456789.") == (size_t)(end - auth))
		goto fallback;
	return tfp_arena_printf(a, "%.*s://%s%s", (int)scheme, host,
				deployment, dot);
fallback:
	return tfp_arena_printf(a, "https://%s.cloud.databricks.com",
				deployment);
}

/* The service's shape into the tables': the URL it does not say, and its
 * compute_mode as effective_compute_mode. */
static int workspace_reshape(cJSON *json, struct tfp_call *call)
{
	const char *dep = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(json, "deployment_name"));
	cJSON *mode = cJSON_DetachItemFromObjectCaseSensitive(json,
							      "compute_mode");

	if (dep != NULL &&
	    !cJSON_GetObjectItemCaseSensitive(json, "workspace_url"))
		cJSON_AddStringToObject(
			json, "workspace_url",
			tfp_account__workspace_url(
				call->arena, tfp_rest_host(tfp_rest_of(call)),
				dep));
	cJSON_DeleteItemFromObjectCaseSensitive(json,
						"effective_compute_mode");
	if (mode != NULL)
		cJSON_AddItemToObject(json, "effective_compute_mode", mode);
	return TFP_OK;
}

/* --- hooks ---------------------------------------------------------------- */

static int workspace_body(cJSON *body, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	const char *old_key =
		tfp_value_get_string(plan, "customer_managed_key_id");
	const char *mode = tfp_value_get_string(plan, "compute_mode");

	(void)call;
	(void)prior;
	cJSON_DeleteItemFromObjectCaseSensitive(body, "account_id");
	if (strcmp(call->op, "create") != 0)
		return TFP_OK;
	/* The deprecated key is the managed-services key by another name. */
	if (old_key != NULL &&
	    !cJSON_GetObjectItemCaseSensitive(
		    body, "managed_services_customer_managed_key_id"))
		cJSON_AddStringToObject(
			body, "managed_services_customer_managed_key_id",
			old_key);
	if (mode != NULL)
		cJSON_AddStringToObject(body, "compute_mode", mode);
	return TFP_OK;
}

/* The arguments the service does not return, from prior; the token and
 * timeouts blocks likewise. */
static void workspace_normalize(struct tfp_call *call, struct tfp_value *state,
				const struct tfp_value *prior)
{
	static const char *const kept[] = {
		"compute_mode", "customer_managed_key_id", "token", "timeouts",
	};
	const char *dep = tfp_value_get_string(state, "deployment_name");
	const char *old = tfp_value_get_string(prior, "deployment_name");
	const char *cloud = tfp_value_get_string(state, "cloud");
	int64_t id;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(kept); i++)
		tfp_value_set(state, kept[i],
			      tfp_value_copy(call->arena,
					     tfp_value_get(prior, kept[i])));
	if (tfp_value_is_null(tfp_value_get(state, "is_no_public_ip_enabled")))
		tfp_value_set(state, "is_no_public_ip_enabled",
			      tfp_value_bool(call->arena, true));
	/* The service's "<prefix>-<name>" for the configured "<name>". */
	if (dep != NULL && old != NULL && strlen(dep) > strlen(old) &&
	    strcmp(dep + strlen(dep) - strlen(old), old) == 0)
		tfp_value_set_string(call->arena, state, "deployment_name",
				     old);
	/* Sent as the managed-services key; not a change of that one. */
	if (tfp_value_get_string(state, "customer_managed_key_id") != NULL &&
	    tfp_value_get_string(prior,
				 "managed_services_customer_managed_key_id") ==
		    NULL)
		tfp_value_set(state, "managed_services_customer_managed_key_id",
			      NULL);
	tfp_value_set(state, "gcp_workspace_sa", NULL);
	if (cloud != NULL && strcmp(cloud, "gcp") == 0 &&
	    tfp_value_get_int(state, "workspace_id", &id))
		tfp_value_set_string(
			call->arena, state, "gcp_workspace_sa",
			tfp_arena_printf(
				call->arena,
				"db-%" PRId64 "@prod-gcp-%s.iam."
				"gserviceaccount.com",
				id,
				tfp_value_get_string(state, "location")
					? tfp_value_get_string(state,
							       "location")
					: ""));
}

/* The token block's element, or NULL. */
static struct tfp_value *workspace_token(const struct tfp_value *obj)
{
	const struct tfp_value *t = tfp_value_get(obj, "token");

	return tfp_value_is_known(t) && t->u.coll.n > 0 &&
			       tfp_value_is_known(t->u.coll.items[0])
		       ? t->u.coll.items[0]
		       : NULL;
}

static int workspace_modify_plan(struct tfp_call *call,
				 const struct tfp_value *prior,
				 const struct tfp_value *config,
				 struct tfp_value *plan)
{
	struct tfp_value *tok = workspace_token(plan);
	const struct tfp_value *old_tok = workspace_token(prior);
	struct tfp_value *v;

	if (tfp_value_is_null(plan))
		return TFP_OK;
	if (tfp_value_get_string(prior, "private_access_settings_id") != NULL &&
	    tfp_value_is_null(tfp_value_get(config,
					    "private_access_settings_id")))
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL,
				      "private_access_settings_id"),
			"Cannot remove private access settings",
			"A workspace's private access settings can be "
			"replaced by others, but not removed.");
	v = tfp_value_get(plan, "is_no_public_ip_enabled");
	if (tfp_value_is_unknown(v) || tfp_value_is_null(v))
		tfp_value_set(plan, "is_no_public_ip_enabled",
			      tfp_value_bool(call->arena, true));
	if (tok == NULL)
		return TFP_OK;
	if (!tfp_value_is_known(tfp_value_get(tok, "lifetime_seconds")))
		tfp_value_set(tok, "lifetime_seconds",
			      tfp_value_int(call->arena, TOKEN_LIFETIME_S));
	if (!tfp_value_is_known(tfp_value_get(tok, "comment")))
		tfp_value_set_string(call->arena, tok, "comment",
				     TOKEN_COMMENT);
	/* A token to make: none yet, gone, or its settings changed. */
	if (old_tok == NULL ||
	    tfp_value_get_string(old_tok, "token_id") == NULL ||
	    !tfp_value_equal(tfp_value_get(old_tok, "lifetime_seconds"),
			     tfp_value_get(tok, "lifetime_seconds")) ||
	    !tfp_value_equal(tfp_value_get(old_tok, "comment"),
			     tfp_value_get(tok, "comment"))) {
		tfp_value_set(tok, "token_id",
			      tfp_value_unknown(call->arena, &tfp_type_string));
		tfp_value_set(tok, "token_value",
			      tfp_value_unknown(call->arena, &tfp_type_string));
	} else {
		tfp_value_set(tok, "token_id",
			      tfp_value_copy(call->arena,
					     tfp_value_get(old_tok,
							   "token_id")));
		tfp_value_set(tok, "token_value",
			      tfp_value_copy(call->arena,
					     tfp_value_get(old_tok,
							   "token_value")));
	}
	return TFP_OK;
}

/* --- the token ------------------------------------------------------------ */

/*
 * Runs fn with the call's client swapped for one of the workspace at
 * state's workspace_url, with the provider's credentials.
 */
typedef int (*workspace_fn)(struct tfp_call *call, struct tfp_value *tok);

static int workspace_in(struct tfp_call *call, const struct tfp_value *state,
			struct tfp_value *tok, workspace_fn fn)
{
	const char *url = tfp_value_get_string(state, "workspace_url");
	struct tfp_rest *ws = NULL;
	void *account = call->client;
	int error;

	if (url == NULL)
		return tfp_call_fail(call, "The workspace has no URL yet.");
	if (tfp_rest_new_for_host(&ws, tfp_rest_of(call), url, call->diags) <
	    0)
		return TFP_ERROR;
	call->client = ws;
	error = fn(call, tok);
	call->client = account;
	tfp_rest_free(ws);
	return error;
}

static int token_create(struct tfp_call *call, struct tfp_value *tok)
{
	cJSON *body = cJSON_CreateObject(), *reply = NULL;
	int64_t life = TOKEN_LIFETIME_S;
	const char *comment = tfp_value_get_string(tok, "comment");
	const char *id, *value;
	int error;

	tfp_arena_defer_json(call->arena, body);
	tfp_value_get_int(tok, "lifetime_seconds", &life);
	cJSON_AddNumberToObject(body, "lifetime_seconds", (double)life);
	cJSON_AddStringToObject(body, "comment",
				comment ? comment : TOKEN_COMMENT);
	error = tfp_rest_post(&reply, call, "/api/2.0/token/create", body);
	if (error < 0)
		return error;
	id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(reply, "token_info"),
		"token_id"));
	value = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(reply, "token_value"));
	if (id == NULL || value == NULL)
		return tfp_call_fail(call, "The workspace made a token but did "
					   "not answer its ID and value.");
	tfp_value_set_string(call->arena, tok, "token_id", id);
	tfp_value_set_string(call->arena, tok, "token_value", value);
	return TFP_OK;
}

static int token_delete(struct tfp_call *call, struct tfp_value *tok)
{
	const char *id = tfp_value_get_string(tok, "token_id");
	cJSON *body = cJSON_CreateObject();
	int error;

	tfp_arena_defer_json(call->arena, body);
	if (id == NULL)
		return TFP_OK;
	cJSON_AddStringToObject(body, "token_id", id);
	error = tfp_rest_call(NULL, call, "POST", "/api/2.0/token/delete",
			      NULL, body, TFP_REST_IDEMPOTENT);
	return error == TFP_ENOTFOUND ? TFP_OK : error;
}

struct token_find {
	const char *id;
	bool found;
};

static int token_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct token_find *f = payload;
	const char *id = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(item, "token_id"));

	(void)call;
	if (id != NULL && strcmp(id, f->id) == 0)
		f->found = true;
	return TFP_OK;
}

/* Clears token_id and token_value when the token is no longer listed. */
static int token_check(struct tfp_call *call, struct tfp_value *tok)
{
	struct token_find f = {.id = tfp_value_get_string(tok, "token_id")};
	int error;

	if (f.id == NULL)
		return TFP_OK;
	error = tfp_rest_list(call, "/api/2.0/token/list", NULL, "token_infos",
			      0, token_item, &f);
	if (error < 0)
		return error;
	if (!f.found) {
		tfp_value_set(tok, "token_id", NULL);
		tfp_value_set(tok, "token_value", NULL);
	}
	return TFP_OK;
}

/* --- handlers ------------------------------------------------------------- */

static int workspace_create(struct tfp_value **out, struct tfp_call *call,
			    const struct tfp_value *plan)
{
	struct tfp_value *tok;
	int error = tfp_rres_create(out, call, plan);

	if (error < 0 || *out == NULL)
		return error;
	/* The block from the plan; its computed values come now. */
	tfp_value_set(*out, "token",
		      tfp_value_unknowns_to_null(call->arena,
						 tfp_value_get(plan, "token")));
	tok = workspace_token(*out);
	if (tok != NULL)
		error = workspace_in(call, *out, tok, token_create);
	return error;
}

static int workspace_read(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior)
{
	struct tfp_value *tok;
	const char *status;
	int error = tfp_rres_read(out, call, prior);

	if (error < 0)
		return error;
	tok = workspace_token(*out);
	status = tfp_value_get_string(*out, "workspace_status");
	/* Only a running workspace can be asked about its tokens. */
	if (tok == NULL || status == NULL || strcmp(status, "RUNNING") != 0)
		return TFP_OK;
	error = workspace_in(call, *out, tok, token_check);
	/* A token that cannot be checked (this principal may not reach the
	 * workspace, as the official provider allows) is kept as it is. */
	if (error < 0 && call->last_error.status == 401) {
		tfp_diags_drop_last(call->diags);
		error = TFP_OK;
	}
	return error;
}

static int workspace_update(struct tfp_value **out, struct tfp_call *call,
			    const struct tfp_value *prior,
			    const struct tfp_value *plan)
{
	const struct tfp_rres *d = &workspace_rres;
	struct tfp_value *tok, *old_tok;
	cJSON *body = NULL, *json = NULL, *item;
	const char *path, *mask = "";
	struct tfp_query q[2] = {{NULL, NULL}, {NULL, NULL}};
	int error;

	error = tfp_rres__patch_body(&body, call, d, prior, plan);
	if (error < 0)
		return error;
	if (cJSON_GetArraySize(body) > 0) {
		/* The mask names exactly the fields sent, as the official
		 * provider does. */
		cJSON_ArrayForEach(item, body)
		{
			mask = tfp_arena_printf(call->arena, "%s%s%s", mask,
						*mask ? "," : "",
						item->string);
		}
		q[0] = (struct tfp_query){"update_mask", mask};
		path = tfp_rres_expand(call, WORKSPACE_PATH, prior, NULL, true);
		error = tfp_rest_call(NULL, call, "PATCH", path, q, body, 0);
		if (error == TFP_OK)
			error = workspace_wait(call, prior, plan, "update");
		if (error < 0)
			return error;
	}
	error = tfp_rres_get(&json, call, d,
			     tfp_value_get_string(prior, "id"), TFP_RRES_FRESH);
	if (error == TFP_OK)
		error = tfp_rres_state(out, call, d, plan->type, json, plan);
	if (error < 0)
		return error;
	tfp_value_set(*out, "token",
		      tfp_value_unknowns_to_null(call->arena,
						 tfp_value_get(plan, "token")));
	tok = workspace_token(*out);
	old_tok = workspace_token(prior);
	/* modify_plan left the token unknown when a new one is due. */
	if (tfp_value_is_unknown(
		    tfp_value_get(workspace_token(plan), "token_id")) ||
	    (tok == NULL && old_tok != NULL)) {
		if (old_tok != NULL)
			error = workspace_in(
				call, *out,
				tfp_value_copy(call->arena, old_tok),
				token_delete);
		if (error == TFP_OK && tok != NULL)
			error = workspace_in(call, *out, tok, token_create);
	}
	return error;
}

/* The delete is asynchronous: wait until the workspace is gone. */
static int workspace_gone(struct tfp_call *call, void *payload)
{
	cJSON *ws = NULL;
	int error = tfp_rest_get(&ws, call, payload, NULL);

	if (error == TFP_ENOTFOUND)
		return TFP_OK;
	return error < 0 ? error : TFP_WAIT_AGAIN;
}

static int workspace_delete(struct tfp_call *call,
			    const struct tfp_value *prior)
{
	const struct tfp_wait w = {
		.what = "the workspace to be deleted",
		.timeout_ms = 15L * 60 * 1000,
		.first_ms = 250,
	};
	const char *path =
		tfp_rres_expand(call, WORKSPACE_PATH, prior, NULL, true);
	int error = tfp_rres_delete(call, prior);

	if (error < 0 || path == NULL)
		return error;
	return tfp_wait_for(call, &w, workspace_gone, (void *)path);
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres workspace_rres = {
	.what = "workspace",
	.attrs = workspace_attrs,
	.blocks = workspace_blocks,
	.id = "{account_id}/{workspace_id}",
	.id_field = "workspace_id",
	.import_form = "<account_id>/<workspace_id>",
	.create = { .path = WORKSPACES_API },
	.read = { .path = WORKSPACE_PATH },
	.update = { .path = WORKSPACE_PATH },
	.del = { .path = WORKSPACE_PATH },
	.list = { .path = WORKSPACES_API, .id_field = "workspace_id" },
	.update_mode = TFP_RRES_PATCH,
	.update_fields = workspace_update_fields,
	.folded = workspace_folded,
	.create_answers_object = true,
	.body = workspace_body,
	.after_create = workspace_after_create,
	.reshape = workspace_reshape,
	.normalize = workspace_normalize,
	.modify_plan = workspace_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_workspaces = {
	.type_name = "databricks_mws_workspaces",
	/* The official provider's: states it wrote load as they are. */
	.schema_version = 3,
	.attrs = workspace_attrs,
	.blocks = workspace_blocks,
	.desc = "A Databricks workspace provisioned through the account API "
		"(AWS or GCP), waited for until it runs, with an optional "
		"personal access token in it for a workspace provider block.",
	.create = workspace_create,
	.read = workspace_read,
	.update = workspace_update,
	.delete = workspace_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.data = &workspace_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
