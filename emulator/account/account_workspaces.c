/*
 * Account API workspaces (/api/2.0/accounts/{account_id}/workspaces),
 * declared on the object store, with the parts the store cannot know:
 *
 *   POST   workspaces                 {workspace_name, aws_region,
 *                                      credentials_id,
 *                                      storage_configuration_id,
 *                                      network_id?, deployment_name?,
 *                                      pricing_tier?, custom_tags?, ...}
 *                                      -> Workspace
 *   GET    workspaces                 -> [Workspace, ...] (a bare array)
 *   GET    workspaces/{workspace_id}  -> Workspace
 *   PATCH  workspaces/{workspace_id}  the fields to change, at the top
 *                                      level (older clients), optionally
 *                                      limited by ?update_mask=a,b (the
 *                                      current SDKs and provider)
 *                                      -> Workspace
 *   DELETE workspaces/{workspace_id}  -> the deleted Workspace
 *
 * The status is a lazy state machine on the workspace clock, as clusters
 * and runs are: a record keeps the status it entered and, while
 * PROVISIONING, the clock time at which provisioning ends
 * (_provision_end_ms) and the failure armed for it (_fail_message); every
 * read computes RUNNING or FAILED from those. Fields whose names start
 * with '_' are ours: saved with --state, never shown.
 *
 * workspace_id is issued in sequence (the store keeps it as text; views
 * print it as a JSON integer below 2^53). deployment_name defaults to
 * dbc-xxxxxxxx-xxxx, the pattern the API reference gives, and clients
 * build https://<deployment_name>.cloud.databricks.com from it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

/* Workspace ids: 16 digits, in sequence, far below 2^53. */
#define WORKSPACE_ID_BASE ((uint64_t)1000000000000000)

#define MSG_PROVISIONING "Workspace resources are being set up."
#define MSG_RUNNING	 "Workspace is running."

/* --- the state machine ------------------------------------------------ */

/* The status and message of rec at now. */
static void ws_status(const cJSON *rec, int64_t now, const char **status,
		      const char **message)
{
	int64_t end = 0;

	*status = emu_json_str(rec, "workspace_status");
	*message = emu_json_str(rec, "workspace_status_message");
	if (!*status)
		*status = ""; /* a hand-edited --state file */
	if (strcmp(*status, "PROVISIONING") != 0 ||
	    emu_json_member_int(&end, rec, "_provision_end_ms") < 0 ||
	    now < end)
		return;
	if (emu_json_str(rec, "_fail_message")) {
		*status = "FAILED";
		*message = emu_json_str(rec, "_fail_message");
	} else {
		*status = "RUNNING";
		*message = MSG_RUNNING;
	}
}

static void set_string(cJSON *rec, const char *name, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(rec, name);
	if (value)
		cJSON_AddStringToObject(rec, name, value);
}

/* Puts rec into PROVISIONING from now, taking an armed failure. */
static void ws_provision(struct account_state *a, cJSON *rec, int64_t now)
{
	set_string(rec, "workspace_status", "PROVISIONING");
	set_string(rec, "workspace_status_message", MSG_PROVISIONING);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "_provision_end_ms");
	emu_json_add_int64(rec, "_provision_end_ms", now + a->provision_ms);
	set_string(rec, "_fail_message", a->fail_message);
	free(a->fail_message);
	a->fail_message = NULL;
}

/* The view of rec at now. Like the service's, it has no workspace_url:
 * clients derive it from the deployment name. */
static cJSON *ws_view(const cJSON *rec, int64_t now)
{
	cJSON *v = cJSON_CreateObject(), *item;
	const char *status, *message;
	int64_t id = 0;

	ws_status(rec, now, &status, &message);
	cJSON_ArrayForEach(item, rec)
	{
		if (item->string[0] == '_' ||
		    strcmp(item->string, "workspace_status") == 0 ||
		    strcmp(item->string, "workspace_status_message") == 0)
			continue;
		if (strcmp(item->string, "workspace_id") == 0 &&
		    emu_json_parse_int64_text(&id, item->valuestring) == 0) {
			emu_json_add_int64(v, "workspace_id", id);
			continue;
		}
		cJSON_AddItemToObject(v, item->string,
				      cJSON_Duplicate(item, true));
	}
	if (*status)
		cJSON_AddStringToObject(v, "workspace_status", status);
	if (message)
		cJSON_AddStringToObject(v, "workspace_status_message", message);
	return v;
}

/* --- references ------------------------------------------------------- */

const char *account_workspace_using(const struct account_state *a,
				    const char *field, const char *id)
{
	size_t i;

	for (i = 0; id && i < emu_store_count(a->workspaces); i++) {
		const cJSON *ws = emu_store_at(a->workspaces, i);
		const char *v = emu_json_str(ws, field);

		if (v && strcmp(v, id) == 0)
			return emu_json_str(ws, "workspace_id");
	}
	return NULL;
}

/* A referenced configuration must exist. The words follow the service's
 * "Invalid CredentialsId: <id>" (terraform-provider-databricks issue
 * 2034); the other two are worded alike. */
static int check_ref(const cJSON *rec, const char *field, const char *word,
		     struct emu_store *st, struct emu_response *resp)
{
	const char *id = emu_json_str(rec, field);

	if (!id || emu_store_find(st, id))
		return 0;
	return emu_error_invalid(resp, "Invalid %s: %s", word, id);
}

/* A subdomain label: lower-case letters, digits and inner hyphens. */
static bool deployment_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* dbc-xxxxxxxx-xxxx from the workspace id: stable and unique per id. */
static char *default_deployment_name(const char *workspace_id)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = workspace_id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return emu_printf("dbc-%08" PRIx64 "-%04" PRIx64, h >> 32,
			  (h >> 8) & 0xFFFF);
}

static int ws_validate(struct emu_store *st, struct emu_request *req,
		       cJSON *rec, const cJSON *existing,
		       struct emu_response *resp)
{
	struct account_state *a = account_of(req->ws);
	int64_t now = emu_workspace_now_ms(req->ws);
	const cJSON *tag;
	const char *network, *user, *status = NULL, *message;

	(void)st;
	if (emu_json_str(rec, "workspace_name")[0] == '\0')
		return emu_error_missing_field(resp, "workspace_name");
	cJSON_ArrayForEach(tag, emu_json_member(rec, "custom_tags"))
	{
		if (!cJSON_IsString(tag))
			return emu_error_field_type(resp, "custom_tags",
						    "a map of strings",
						    emu_json_type_name(tag));
	}
	if (!emu_json_member(rec, "deployment_name")) {
		char *name = default_deployment_name(
			emu_json_str(rec, "workspace_id"));

		cJSON_AddStringToObject(rec, "deployment_name", name);
		free(name);
	}
	if (!deployment_name_ok(emu_json_str(rec, "deployment_name")))
		return emu_error_invalid(resp,
					 "Invalid deployment_name '%s': use "
					 "lower-case letters, digits and "
					 "hyphens, as in a host name.",
					 emu_json_str(rec, "deployment_name"));
	if (existing) {
		ws_status(existing, now, &status, &message);
		if (strcmp(status, "PROVISIONING") == 0)
			return emu_error(
				resp, 400, "INVALID_STATE",
				"Workspace %s is being provisioned; "
				"it can be updated once it is "
				"RUNNING or FAILED.",
				emu_json_str(existing, "workspace_id"));
		/* The API reference allows these two only on a workspace
		 * that failed to launch. */
		if (strcmp(status, "FAILED") != 0 &&
		    (strcmp(emu_json_str(rec, "aws_region"),
			    emu_json_str(existing, "aws_region")) != 0 ||
		     strcmp(emu_json_str(rec, "storage_configuration_id"),
			    emu_json_str(existing,
					 "storage_configuration_id")) != 0))
			return emu_error_invalid(
				resp, "aws_region and storage_configuration_id "
				      "can only be changed on a workspace "
				      "that failed to launch.");
	}
	if (check_ref(rec, "credentials_id", "CredentialsId", a->credentials,
		      resp) < 0 ||
	    check_ref(rec, "storage_configuration_id", "StorageConfigurationId",
		      a->storage, resp) < 0 ||
	    check_ref(rec, "network_id", "NetworkId", a->networks, resp) < 0 ||
	    check_ref(rec, "private_access_settings_id",
		      "PrivateAccessSettingsId", a->private_access, resp) < 0 ||
	    check_ref(rec, "storage_customer_managed_key_id",
		      "StorageCustomerManagedKeyId", a->keys, resp) < 0 ||
	    check_ref(rec, "managed_services_customer_managed_key_id",
		      "ManagedServicesCustomerManagedKeyId", a->keys, resp) < 0)
		return -1;
	/* A network configuration serves one workspace (the API reference:
	 * it "cannot be reused across workspaces"). */
	network = emu_json_str(rec, "network_id");
	user = account_workspace_using(a, "network_id", network);
	if (user && strcmp(user, emu_json_str(rec, "workspace_id")) != 0)
		return emu_error_invalid(resp,
					 "Network configuration %s is already "
					 "used by workspace %s; a network "
					 "configuration cannot be shared "
					 "between workspaces.",
					 network, user);
	return 0;
}

static void ws_on_create(struct emu_store *st, struct emu_request *req,
			 cJSON *rec)
{
	struct account_state *a = account_of(req->ws);
	int64_t now = emu_workspace_now_ms(req->ws);

	(void)st;
	cJSON_AddStringToObject(rec, "account_id",
				emu_workspace_account_id(req->ws));
	emu_json_add_int64(rec, "creation_time", now);
	ws_provision(a, rec, now);
}

/* An update of a FAILED workspace launches it again, as the service
 * retries a failed deployment with the corrected configuration. */
static void ws_on_update(struct emu_store *st, struct emu_request *req,
			 cJSON *rec, const cJSON *old)
{
	int64_t now = emu_workspace_now_ms(req->ws);
	const char *status, *message;

	(void)st;
	ws_status(old, now, &status, &message);
	if (strcmp(status, "FAILED") == 0)
		ws_provision(account_of(req->ws), rec, now);
}

static char *ws_make_id(uint64_t n)
{
	return emu_printf("%" PRIu64, WORKSPACE_ID_BASE + n);
}

static const char *const pricing_tiers[] = {
	"COMMUNITY_EDITION", "DEDICATED", "ENTERPRISE", "PREMIUM",
	"STANDARD",	     "UNKNOWN",	  NULL};

/* clang-format off */
static const struct emu_store_field ws_fields[] = {
	{.name = "workspace_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "deployment_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_IMMUTABLE},
	{.name = "aws_region", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "credentials_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "storage_configuration_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "network_id", .type = EMU_JSON_STRING},
	{.name = "private_access_settings_id", .type = EMU_JSON_STRING},
	{.name = "storage_customer_managed_key_id", .type = EMU_JSON_STRING},
	{.name = "managed_services_customer_managed_key_id", .type = EMU_JSON_STRING},
	{.name = "network_connectivity_config_id", .type = EMU_JSON_STRING},
	{.name = "pricing_tier", .type = EMU_JSON_STRING, .values = pricing_tiers,
	 .default_json = "\"PREMIUM\""},
	{.name = "custom_tags", .type = EMU_JSON_OBJECT},
	{.name = "cloud", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY,
	 .default_json = "\"aws\""},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
	{.name = "workspace_status", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "workspace_status_message", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "_provision_end_ms", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
	{.name = "_fail_message", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

const struct emu_store_decl account_workspace_decl = {
	.name = "workspaces",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "workspace_id",
	.make_id = ws_make_id,
	.fields = ws_fields,
	.nfields = EMU_ARRAY_SIZE(ws_fields),
	.missing = {.before = "Workspace ", .after = " does not exist."},
	.unique_field = "deployment_name",
	.duplicate = {.status = 400,
		      .code = "INVALID_PARAMETER_VALUE",
		      .before = "Deployment name '",
		      .after = "' is already in use."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "workspaces",
	.limit = {.before = "An account has at most ", .after = " workspaces."},
	.hooks = {.validate = ws_validate,
		  .on_create = ws_on_create,
		  .on_update = ws_on_update},
};

/* --- handlers --------------------------------------------------------- */

/* Replaces a 200 answer from the store with the view of workspace id. */
static void reply_view(struct emu_request *req, struct emu_response *resp,
		       const char *id)
{
	const cJSON *rec;

	if (resp->status != 200)
		return;
	rec = emu_store_find(account_of(req->ws)->workspaces, id);
	if (rec)
		emu_response_json(resp, 200,
				  ws_view(rec,
					  emu_workspace_now_ms(req->ws)));
}

/*
 * Every workspace of the account is served, from its creation, as a
 * workspace of its own at http://<deployment_name>.localhost:<port>
 * (workspace.h): a client that made it can go on to use it, and its
 * objects never mix with the start-up workspace's.
 */
static void ws_host(struct emu_request *req, const cJSON *rec)
{
	const char *dep = emu_json_str(rec, "deployment_name");

	if (dep && !emu_workspace_hosted(req->ws, dep))
		emu_workspace_host(req->ws, dep,
				   emu_json_str(rec, "workspace_id"));
}

void account_workspaces_create(struct emu_request *req,
			       struct emu_response *resp)
{
	char *id;

	if (emu_account_check(req, resp) < 0)
		return;
	emu_store_create(account_of(req->ws)->workspaces, req, resp);
	if (resp->status != 200)
		return;
	id = emu_xstrdup(emu_json_str(resp->body, "workspace_id"));
	ws_host(req, emu_store_find(account_of(req->ws)->workspaces, id));
	reply_view(req, resp, id);
	free(id);
}

void account_workspaces_list(struct emu_request *req, struct emu_response *resp)
{
	struct emu_store *st = account_of(req->ws)->workspaces;
	int64_t now = emu_workspace_now_ms(req->ws);
	cJSON *arr;
	size_t i;

	if (emu_account_check(req, resp) < 0)
		return;
	arr = cJSON_CreateArray();
	for (i = 0; i < emu_store_count(st); i++)
		cJSON_AddItemToArray(arr,
				     ws_view(emu_store_at(st, i), now));
	emu_response_json(resp, 200, arr);
}

void account_workspaces_get(struct emu_request *req, struct emu_response *resp)
{
	if (emu_account_check(req, resp) < 0)
		return;
	emu_store_get(account_of(req->ws)->workspaces, req, resp);
	reply_view(req, resp, emu_request_param(req, "workspace_id"));
}

/*
 * ?update_mask=a,b keeps only those members of the body ("*": all of
 * them); without a mask every member given is applied, as older clients
 * send exactly the fields to change.
 */
static cJSON *masked_body(const cJSON *body, const char *mask)
{
	cJSON *out = cJSON_CreateObject();
	char *copy = emu_xstrdup(mask), *save = NULL, *name;

	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		const cJSON *item;

		if (strcmp(name, "*") == 0) {
			cJSON_Delete(out);
			out = cJSON_Duplicate(body, true);
			break;
		}
		item = cJSON_GetObjectItemCaseSensitive(body, name);
		if (item && !cJSON_GetObjectItemCaseSensitive(out, name))
			cJSON_AddItemToObject(out, name,
					      cJSON_Duplicate(item, true));
	}
	free(copy);
	return out;
}

void account_workspaces_patch(struct emu_request *req,
			      struct emu_response *resp)
{
	const char *mask = emu_request_query(req, "update_mask");
	cJSON *body = req->json, *masked = NULL;

	if (emu_account_check(req, resp) < 0)
		return;
	if (mask) {
		masked = masked_body(body, mask);
		req->json = masked;
	}
	emu_store_patch(account_of(req->ws)->workspaces, req, resp);
	req->json = body;
	cJSON_Delete(masked);
	reply_view(req, resp, emu_request_param(req, "workspace_id"));
}

void account_workspaces_delete(struct emu_request *req,
			       struct emu_response *resp)
{
	struct emu_store *st = account_of(req->ws)->workspaces;
	const cJSON *rec;
	cJSON *view = NULL;

	if (emu_account_check(req, resp) < 0)
		return;
	rec = emu_store_find(st, emu_request_param(req, "workspace_id"));
	if (rec)
		view = ws_view(rec, emu_workspace_now_ms(req->ws));
	emu_store_delete(st, req, resp);
	if (view && resp->status == 200) {
		/* The workspace and everything in it are gone with it. */
		emu_workspace_unhost(req->ws,
				     emu_json_str(view, "deployment_name"));
		emu_response_json(resp, 200, view);
	} else {
		cJSON_Delete(view);
	}
}
