/*
 * The Databricks Account API for AWS (provisioning), under
 * /api/2.0/accounts/{account_id}/: credential configurations, storage
 * configurations and networks here, with the handlers every configuration
 * collection shares (struct account_config); workspaces in
 * account_workspaces.c; VPC endpoints, private access settings,
 * customer-managed keys, log delivery and permission assignments in
 * account_network.c, account_keys.c, account_logs.c and account_assign.c.
 *
 *   POST   credentials                  {credentials_name,
 *                                        aws_credentials: {sts_role:
 *                                        {role_arn}}}       -> Credential
 *   GET    credentials                  -> [Credential, ...] (a bare array)
 *   GET    credentials/{credentials_id} -> Credential
 *   DELETE credentials/{credentials_id} -> the deleted Credential
 *   (storage-configurations and networks alike)
 *
 * Field names and shapes follow the provisioning service of
 * databricks-sdk-go (service/provisioning/model.go): create answers the
 * whole object, lists are bare JSON arrays, delete answers the object it
 * removed (newer SDKs decode it, older ones ignore it). The server fills
 * the id (a UUID), account_id and creation_time; a credential's
 * sts_role.external_id is the account id, as the API documents it.
 *
 * A request naming another account than --account-id is answered as the
 * service answered an account the caller does not belong to (404, "The
 * account does not exist or the user does not belong to this account", as
 * quoted in terraform-provider-databricks issue 442); the error code is
 * our choice. Configurations a workspace uses cannot be deleted: the
 * message contains "while it is attached to a workspace", the phrase the
 * official provider's delete retry (mws/delete_retry.go) waits out.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "account_internal.h"
#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

/* Set by main.c before serving (account.h); copied into each state. */
static int64_t default_provision_ms = EMU_ACCOUNT_DEFAULT_PROVISION_MS;

extern const struct emu_module emu_module_account;

void emu_account_set_defaults(int64_t provision_ms)
{
	if (provision_ms >= 0)
		default_provision_ms = provision_ms;
}

struct account_state *account_of(struct emu_workspace *ws)
{
	/* The account is the root's, whichever workspace's host the
	 * request came to. */
	return emu_workspace_state(emu_workspace_root(ws), &emu_module_account);
}


/* --- shared hooks ----------------------------------------------------- */

/*
 * Version 4 UUIDs from a collection's sequence number and a salt of its
 * own, so a credential, a storage configuration and a network never share
 * an id (the store's own UUIDs depend on the sequence alone, and a client
 * that mixed the kinds up would go unnoticed).
 */
static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

char *account_uuid(uint64_t n, uint64_t salt)
{
	uint64_t hi = mix64(salt ^ (2 * n)), lo = mix64(salt ^ (2 * n + 1));

	hi = (hi & ~(uint64_t)0xF000) | 0x4000;
	lo = (lo & ~((uint64_t)3 << 62)) | ((uint64_t)2 << 62);
	return emu_printf("%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64
			  "-%012" PRIx64,
			  hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF, lo >> 48,
			  lo & (uint64_t)0xFFFFFFFFFFFF);
}

static char *credential_make_id(uint64_t n)
{
	return account_uuid(n, 0xC4EDULL << 48);
}

static char *storage_make_id(uint64_t n)
{
	return account_uuid(n, 0x5706ULL << 48);
}

static char *network_make_id(uint64_t n)
{
	return account_uuid(n, 0x4E70ULL << 48);
}

void account_stamp(struct emu_store *st, struct emu_request *req, cJSON *rec)
{
	(void)st;
	cJSON_AddStringToObject(rec, "account_id",
				emu_workspace_account_id(req->ws));
	emu_json_add_int64(rec, "creation_time", emu_workspace_now_ms(req->ws));
}

int account_nested_string(const cJSON *obj, const char *path, const char *name,
			  struct emu_response *resp)
{
	const cJSON *item = emu_json_member(obj, name);

	if (!item || (cJSON_IsString(item) && item->valuestring[0] == '\0'))
		return emu_error_missing_field(resp, path);
	if (!cJSON_IsString(item))
		return emu_error_field_type(resp, path, "a string",
					    emu_json_type_name(item));
	return 0;
}

int account_string_array(const cJSON *rec, const char *name, size_t min,
			 size_t max, struct emu_response *resp)
{
	const cJSON *arr = emu_json_member(rec, name), *item;
	size_t n = emu_json_array_len(arr);

	cJSON_ArrayForEach(item, arr)
	{
		if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
			char *path = emu_printf("%s[]", name);

			emu_error_field_type(resp, path, "a non-empty string",
					     emu_json_type_name(item));
			free(path);
			return -1;
		}
	}
	if (n < min || (max && n > max))
		return emu_error_invalid(resp,
					 "%s must have %zu to %zu elements; "
					 "%zu were given.",
					 name, min, max, n);
	return 0;
}

/* --- credentials ------------------------------------------------------ */

/* arn:aws:iam::<12 digits>:role/<name>: what an STS cross-account role
 * ARN looks like; anything else cannot pass the service's checks. */
static bool role_arn_ok(const char *arn)
{
	static const char prefix[] = "arn:aws:iam::";
	size_t i;

	if (strncmp(arn, prefix, sizeof(prefix) - 1) != 0)
		return false;
	arn += sizeof(prefix) - 1;
	for (i = 0; i < 12; i++)
		if (arn[i] < '0' || arn[i] > '9')
			return false;
	return strncmp(arn + 12, ":role/", 6) == 0 && arn[18] != '\0';
}

/*
 * Keeps only sts_role.role_arn of aws_credentials and adds external_id,
 * which is always the account id. A role ARN of the wrong shape gets the
 * service's own answer to a role it cannot assume (MALFORMED_REQUEST,
 * terraform-provider-databricks issue 1363).
 */
static int credential_validate(struct emu_store *st, struct emu_request *req,
			       cJSON *rec, const cJSON *existing,
			       struct emu_response *resp)
{
	const cJSON *aws = emu_json_member(rec, "aws_credentials");
	const cJSON *sts = emu_json_member(aws, "sts_role");
	cJSON *clean, *role;

	(void)st;
	(void)existing;
	if (emu_json_str(rec, "credentials_name")[0] == '\0')
		return emu_error_missing_field(resp, "credentials_name");
	if (!sts)
		return emu_error_missing_field(resp,
					       "aws_credentials.sts_role");
	if (!cJSON_IsObject(sts))
		return emu_error_field_type(resp, "aws_credentials.sts_role",
					    "an object",
					    emu_json_type_name(sts));
	if (account_nested_string(sts, "aws_credentials.sts_role.role_arn",
				  "role_arn", resp) < 0)
		return -1;
	if (!role_arn_ok(emu_json_str(sts, "role_arn")))
		return emu_error(resp, 400, "MALFORMED_REQUEST",
				 "Failed credential validation checks: please "
				 "use a valid cross account IAM role with "
				 "permissions setup correctly");
	clean = cJSON_CreateObject();
	role = cJSON_AddObjectToObject(clean, "sts_role");
	cJSON_AddStringToObject(role, "role_arn",
				emu_json_str(sts, "role_arn"));
	cJSON_AddStringToObject(role, "external_id",
				emu_workspace_account_id(req->ws));
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "aws_credentials", clean);
	return 0;
}

/* clang-format off */
static const struct emu_store_field credential_fields[] = {
	{.name = "credentials_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "aws_credentials", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_REQUIRED},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

static const struct emu_store_decl credential_decl = {
	.name = "credentials",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "credentials_id",
	.make_id = credential_make_id,
	.fields = credential_fields,
	.nfields = EMU_ARRAY_SIZE(credential_fields),
	.missing = {.before = "Credential configuration ",
		    .after = " does not exist."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "credentials",
	.limit = {.before = "An account has at most ",
		  .after = " credential configurations."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.hooks = {.validate = credential_validate, .on_create = account_stamp},
};

/* --- storage configurations ------------------------------------------- */

static int storage_validate(struct emu_store *st, struct emu_request *req,
			    cJSON *rec, const cJSON *existing,
			    struct emu_response *resp)
{
	(void)st;
	(void)req;
	(void)existing;
	if (emu_json_str(rec, "storage_configuration_name")[0] == '\0')
		return emu_error_missing_field(resp,
					       "storage_configuration_name");
	return account_nested_string(emu_json_member(rec, "root_bucket_info"),
				     "root_bucket_info.bucket_name",
				     "bucket_name", resp);
}

/* clang-format off */
static const struct emu_store_field storage_fields[] = {
	{.name = "storage_configuration_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "root_bucket_info", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_REQUIRED},
	{.name = "role_arn", .type = EMU_JSON_STRING},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

static const struct emu_store_decl storage_decl = {
	.name = "storage_configurations",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "storage_configuration_id",
	.make_id = storage_make_id,
	.fields = storage_fields,
	.nfields = EMU_ARRAY_SIZE(storage_fields),
	.missing = {.before = "Storage configuration ",
		    .after = " does not exist."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "storage_configurations",
	.limit = {.before = "An account has at most ",
		  .after = " storage configurations."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.hooks = {.validate = storage_validate, .on_create = account_stamp},
};

/* --- networks --------------------------------------------------------- */

/*
 * An AWS customer-managed VPC: vpc_id, at least two subnets and one to
 * five security groups, as the API reference describes them (the wording
 * of these refusals is ours).
 */
static int network_validate(struct emu_store *st, struct emu_request *req,
			    cJSON *rec, const cJSON *existing,
			    struct emu_response *resp)
{
	const cJSON *vpce = emu_json_member(rec, "vpc_endpoints");
	static const char *const uses[] = {"rest_api", "dataplane_relay"};
	size_t i;

	(void)st;
	(void)req;
	(void)existing;
	if (emu_json_str(rec, "network_name")[0] == '\0')
		return emu_error_missing_field(resp, "network_name");
	if (!emu_json_member(rec, "vpc_id"))
		return emu_error_missing_field(resp, "vpc_id");
	if (!emu_json_member(rec, "subnet_ids"))
		return emu_error_missing_field(resp, "subnet_ids");
	if (!emu_json_member(rec, "security_group_ids"))
		return emu_error_missing_field(resp, "security_group_ids");
	if (account_string_array(rec, "subnet_ids", 2, 0, resp) < 0 ||
	    account_string_array(rec, "security_group_ids", 1, 5, resp) < 0)
		return -1;
	for (i = 0; vpce && i < EMU_ARRAY_SIZE(uses); i++) {
		const cJSON *arr = emu_json_member(vpce, uses[i]);
		char *path;
		int rc;

		if (!arr)
			continue;
		path = emu_printf("vpc_endpoints.%s", uses[i]);
		if (!cJSON_IsArray(arr)) {
			emu_error_field_type(resp, path, "an array",
					     emu_json_type_name(arr));
			free(path);
			return -1;
		}
		rc = account_string_array(vpce, uses[i], 0, 1, resp);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* clang-format off */
static const struct emu_store_field network_fields[] = {
	{.name = "network_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "vpc_id", .type = EMU_JSON_STRING},
	{.name = "subnet_ids", .type = EMU_JSON_ARRAY},
	{.name = "security_group_ids", .type = EMU_JSON_ARRAY},
	{.name = "vpc_endpoints", .type = EMU_JSON_OBJECT},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

static const struct emu_store_decl network_decl = {
	.name = "networks",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "network_id",
	.make_id = network_make_id,
	.fields = network_fields,
	.nfields = EMU_ARRAY_SIZE(network_fields),
	.missing = {.before = "Network configuration ",
		    .after = " does not exist."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "networks",
	.limit = {.before = "An account has at most ",
		  .after = " network configurations."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.hooks = {.validate = network_validate, .on_create = account_stamp},
};

/*
 * What a network shows: UNATTACHED until a workspace uses it, then VALID
 * with that workspace's id (the emulator's VPCs never fail validation);
 * error_messages and warning_messages are always empty.
 */
static cJSON *network_view(struct account_state *a, const cJSON *rec)
{
	cJSON *v = cJSON_Duplicate(rec, true);
	const char *ws_id = account_workspace_using(
		a, "network_id", emu_json_str(rec, "network_id"));
	int64_t id;

	cJSON_AddStringToObject(v, "vpc_status",
				ws_id ? "VALID" : "UNATTACHED");
	cJSON_AddArrayToObject(v, "error_messages");
	cJSON_AddArrayToObject(v, "warning_messages");
	if (ws_id && emu_json_parse_int64_text(&id, ws_id) == 0)
		emu_json_add_int64(v, "workspace_id", id);
	return v;
}

/* --- handlers every configuration collection shares ------------------ */

struct emu_store *account_config_store(struct account_state *a,
				       const struct account_config *k)
{
	return *(struct emu_store **)((char *)a + k->store);
}

static cJSON *config_view(struct account_state *a,
			  const struct account_config *k, const cJSON *rec)
{
	return k->view ? k->view(a, rec) : cJSON_Duplicate(rec, true);
}

void account_config_create(struct emu_request *req, struct emu_response *resp,
			   const struct account_config *k)
{
	struct account_state *a = account_of(req->ws);
	struct emu_store *st = account_config_store(a, k);
	const cJSON *rec;

	if (emu_account_check(req, resp) < 0)
		return;
	emu_store_create(st, req, resp);
	if (resp->status != 200 || !k->view)
		return;
	/* The store answered the record; the view may add more. */
	rec = emu_store_find(st, emu_json_str(resp->body, k->ref));
	if (rec)
		emu_response_json(resp, 200, k->view(a, rec));
}

void account_config_list(struct emu_request *req, struct emu_response *resp,
			 const struct account_config *k)
{
	struct account_state *a = account_of(req->ws);
	struct emu_store *st = account_config_store(a, k);
	cJSON *arr;
	size_t i;

	if (emu_account_check(req, resp) < 0)
		return;
	arr = cJSON_CreateArray();
	for (i = 0; i < emu_store_count(st); i++)
		cJSON_AddItemToArray(arr,
				     config_view(a, k, emu_store_at(st, i)));
	emu_response_json(resp, 200, arr);
}

void account_config_get(struct emu_request *req, struct emu_response *resp,
			const struct account_config *k)
{
	struct account_state *a = account_of(req->ws);
	struct emu_store *st = account_config_store(a, k);
	const cJSON *rec;

	if (emu_account_check(req, resp) < 0)
		return;
	emu_store_get(st, req, resp); /* the missing-object error */
	if (resp->status != 200)
		return;
	rec = emu_store_find(st, emu_request_param(req, k->ref));
	emu_response_json(resp, 200, config_view(a, k, rec));
}

void account_config_delete(struct emu_request *req, struct emu_response *resp,
			   const struct account_config *k)
{
	struct account_state *a = account_of(req->ws);
	struct emu_store *st = account_config_store(a, k);
	const char *id = emu_request_param(req, k->ref);
	const cJSON *rec = emu_store_find(st, id);
	const char *ws_id;
	cJSON *view;

	if (emu_account_check(req, resp) < 0)
		return;
	if (!rec) {
		emu_store_delete(st, req, resp); /* the missing-object error */
		return;
	}
	ws_id = k->used_by ? k->used_by(a, id)
			   : account_workspace_using(a, k->ref, id);
	if (ws_id) {
		emu_error_invalid(resp,
				  "Cannot delete %s %s while it is attached "
				  "to a workspace (workspace %s).",
				  k->words, id, ws_id);
		return;
	}
	view = config_view(a, k, rec);
	emu_store_delete(st, req, resp);
	emu_response_json(resp, 200, view);
}

static const struct account_config credential_config = {
	.store = offsetof(struct account_state, credentials),
	.ref = "credentials_id",
	.words = "credential configuration",
};

static const struct account_config storage_config = {
	.store = offsetof(struct account_state, storage),
	.ref = "storage_configuration_id",
	.words = "storage configuration",
};

static const struct account_config network_config = {
	.store = offsetof(struct account_state, networks),
	.ref = "network_id",
	.words = "network configuration",
	.view = network_view,
};

ACCOUNT_CONFIG_HANDLERS(credentials, &credential_config)
ACCOUNT_CONFIG_HANDLERS(storage, &storage_config)
ACCOUNT_CONFIG_HANDLERS(networks, &network_config)
ACCOUNT_CONFIG_HANDLERS(vpce, &account_vpce_config)
ACCOUNT_CONFIG_HANDLERS(pas, &account_pas_config)
ACCOUNT_CONFIG_HANDLERS(keys, &account_key_config)

/* --- test controls ---------------------------------------------------- */

static cJSON *settings_json(struct emu_workspace *ws)
{
	const struct account_state *a = account_of(ws);
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "account_id", emu_workspace_account_id(ws));
	emu_json_add_int64(o, "provision_ms", a->provision_ms);
	if (a->fail_message) {
		cJSON *f = cJSON_AddObjectToObject(o, "fail_next_workspace");

		cJSON_AddStringToObject(f, "message", a->fail_message);
	}
	return o;
}

static void control_settings_get(struct emu_request *req,
				 struct emu_response *resp)
{
	emu_response_json(resp, 200, settings_json(req->ws));
}

/*
 * GCC 12 at -O2 (the Release build) reports a "dangling pointer" to v at
 * the use of req after emu_arg_int64(&v, ...), a false positive: v lives
 * to the end of the function and nothing keeps its address. Silenced for
 * this handler only.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
static void control_settings_set(struct emu_request *req,
				 struct emu_response *resp)
{
	bool given = false;
	int64_t v = 0;

	if (emu_arg_int64(&v, &given, req, resp, "provision_ms",
			  EMU_ARG_OPTIONAL) < 0)
		return;
	if (given && (v < 0 || v > EMU_ACCOUNT_MAX_PROVISION_MS)) {
		emu_error_invalid(resp, "Invalid value for field "
					"'provision_ms': expected 0 to "
					"86400000 milliseconds.");
		return;
	}
	if (given)
		account_of(req->ws)->provision_ms = v;
	emu_response_json(resp, 200, settings_json(req->ws));
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

static void control_fail_set(struct emu_request *req, struct emu_response *resp)
{
	struct account_state *a = account_of(req->ws);
	const char *message = NULL;

	if (emu_arg_string(&message, req, resp, "message", EMU_ARG_OPTIONAL) <
	    0)
		return;
	free(a->fail_message);
	a->fail_message = emu_xstrdup(
		message && *message
			? message
			: "Workspace failed to launch: the cross-account role "
			  "could not be assumed (emulated failure).");
	emu_response_json(resp, 200, settings_json(req->ws));
}

static void control_fail_clear(struct emu_request *req,
			       struct emu_response *resp)
{
	struct account_state *a = account_of(req->ws);

	free(a->fail_message);
	a->fail_message = NULL;
	emu_response_json(resp, 200, settings_json(req->ws));
}

/* --- state ------------------------------------------------------------ */

static void *account_state_new(void)
{
	struct account_state *a = emu_xcalloc(1, sizeof(*a));

	a->provision_ms = default_provision_ms;
	a->credentials = emu_store_new(&credential_decl);
	a->storage = emu_store_new(&storage_decl);
	a->networks = emu_store_new(&network_decl);
	a->workspaces = emu_store_new(&account_workspace_decl);
	a->vpc_endpoints = emu_store_new(&account_vpce_decl);
	a->private_access = emu_store_new(&account_pas_decl);
	a->keys = emu_store_new(&account_key_decl);
	a->log_delivery = emu_store_new(&account_log_decl);
	a->assignments = cJSON_CreateObject();
	return a;
}

static void account_state_free(void *state)
{
	struct account_state *a = state;

	if (a == NULL)
		return;
	emu_store_free(a->credentials);
	emu_store_free(a->storage);
	emu_store_free(a->networks);
	emu_store_free(a->workspaces);
	emu_store_free(a->vpc_endpoints);
	emu_store_free(a->private_access);
	emu_store_free(a->keys);
	emu_store_free(a->log_delivery);
	cJSON_Delete(a->assignments);
	free(a->fail_message);
	free(a);
}

/* The collections under their API names, and the permission
 * assignments; the settings and an armed failure are test controls, not
 * saved. */
static const char *const saved_names[] = {"credentials",
					  "storage_configurations",
					  "networks",
					  "workspaces",
					  "vpc_endpoints",
					  "private_access_settings",
					  "customer_managed_keys",
					  "log_delivery"};

static struct emu_store *saved_store(const struct account_state *a, size_t i)
{
	struct emu_store *stores[] = {a->credentials,	a->storage,
				      a->networks,	a->workspaces,
				      a->vpc_endpoints, a->private_access,
				      a->keys,		a->log_delivery};

	return stores[i];
}

static cJSON *account_state_save(const void *state)
{
	const struct account_state *a = state;
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(saved_names); i++)
		cJSON_AddItemToObject(o, saved_names[i],
				      emu_store_save(saved_store(a, i)));
	cJSON_AddItemToObject(o, "permission_assignments",
			      cJSON_Duplicate(a->assignments, true));
	return o;
}

static int account_state_load(void *state, const cJSON *json, char *err,
			      size_t errlen)
{
	struct account_state *a = state;
	size_t i;

	if (!cJSON_IsObject(json)) {
		snprintf(err, errlen, "account: not an object");
		return -1;
	}
	for (i = 0; i < EMU_ARRAY_SIZE(saved_names); i++) {
		const cJSON *part = emu_json_member(json, saved_names[i]);

		/* A file from before a collection existed lacks it. */
		if (part &&
		    emu_store_load(saved_store(a, i), part, err, errlen) < 0)
			return -1;
	}
	return account_assign_load(
		a, emu_json_member(json, "permission_assignments"), err,
		errlen);
}

/* --- descriptor ------------------------------------------------------- */

#define ACCT	"/api/2.0/accounts/{account_id}/"
#define CONTROL (EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG)

/* clang-format off */
static const struct emu_route account_routes[] = {
	{.method = "POST", .pattern = ACCT "credentials", .handler = credentials_create},
	{.method = "GET", .pattern = ACCT "credentials", .handler = credentials_list},
	{.method = "GET", .pattern = ACCT "credentials/{credentials_id}", .handler = credentials_get},
	{.method = "DELETE", .pattern = ACCT "credentials/{credentials_id}", .handler = credentials_delete},
	{.method = "POST", .pattern = ACCT "storage-configurations", .handler = storage_create},
	{.method = "GET", .pattern = ACCT "storage-configurations", .handler = storage_list},
	{.method = "GET", .pattern = ACCT "storage-configurations/{storage_configuration_id}", .handler = storage_get},
	{.method = "DELETE", .pattern = ACCT "storage-configurations/{storage_configuration_id}", .handler = storage_delete},
	{.method = "POST", .pattern = ACCT "networks", .handler = networks_create},
	{.method = "GET", .pattern = ACCT "networks", .handler = networks_list},
	{.method = "GET", .pattern = ACCT "networks/{network_id}", .handler = networks_get},
	{.method = "DELETE", .pattern = ACCT "networks/{network_id}", .handler = networks_delete},
	{.method = "POST", .pattern = ACCT "workspaces", .handler = account_workspaces_create},
	{.method = "GET", .pattern = ACCT "workspaces", .handler = account_workspaces_list},
	{.method = "GET", .pattern = ACCT "workspaces/{workspace_id}", .handler = account_workspaces_get},
	{.method = "PATCH", .pattern = ACCT "workspaces/{workspace_id}", .handler = account_workspaces_patch},
	{.method = "DELETE", .pattern = ACCT "workspaces/{workspace_id}", .handler = account_workspaces_delete},
	{.method = "POST", .pattern = ACCT "vpc-endpoints", .handler = vpce_create},
	{.method = "GET", .pattern = ACCT "vpc-endpoints", .handler = vpce_list},
	{.method = "GET", .pattern = ACCT "vpc-endpoints/{vpc_endpoint_id}", .handler = vpce_get},
	{.method = "DELETE", .pattern = ACCT "vpc-endpoints/{vpc_endpoint_id}", .handler = vpce_delete},
	{.method = "POST", .pattern = ACCT "private-access-settings", .handler = pas_create},
	{.method = "GET", .pattern = ACCT "private-access-settings", .handler = pas_list},
	{.method = "GET", .pattern = ACCT "private-access-settings/{private_access_settings_id}", .handler = pas_get},
	{.method = "PUT", .pattern = ACCT "private-access-settings/{private_access_settings_id}", .handler = account_pas_replace},
	{.method = "DELETE", .pattern = ACCT "private-access-settings/{private_access_settings_id}", .handler = pas_delete},
	{.method = "POST", .pattern = ACCT "customer-managed-keys", .handler = keys_create},
	{.method = "GET", .pattern = ACCT "customer-managed-keys", .handler = keys_list},
	{.method = "GET", .pattern = ACCT "customer-managed-keys/{customer_managed_key_id}", .handler = keys_get},
	{.method = "DELETE", .pattern = ACCT "customer-managed-keys/{customer_managed_key_id}", .handler = keys_delete},
	{.method = "POST", .pattern = ACCT "log-delivery", .handler = account_logs_create},
	{.method = "GET", .pattern = ACCT "log-delivery", .handler = account_logs_list},
	{.method = "GET", .pattern = ACCT "log-delivery/{config_id}", .handler = account_logs_get},
	{.method = "PATCH", .pattern = ACCT "log-delivery/{config_id}", .handler = account_logs_patch},
	{.method = "GET", .pattern = ACCT "workspaces/{workspace_id}/permissionassignments", .handler = account_assign_list},
	{.method = "GET", .pattern = ACCT "workspaces/{workspace_id}/permissionassignments/permissions", .handler = account_assign_levels},
	{.method = "PUT", .pattern = ACCT "workspaces/{workspace_id}/permissionassignments/principals/{principal_id}", .handler = account_assign_put},
	{.method = "DELETE", .pattern = ACCT "workspaces/{workspace_id}/permissionassignments/principals/{principal_id}", .handler = account_assign_delete},
	{.method = "GET", .pattern = "/_emulator/accounts/settings", .handler = control_settings_get, .flags = CONTROL},
	{.method = "POST", .pattern = "/_emulator/accounts/settings", .handler = control_settings_set, .flags = CONTROL},
	{.method = "POST", .pattern = "/_emulator/accounts/fail-next-workspace", .handler = control_fail_set, .flags = CONTROL},
	{.method = "DELETE", .pattern = "/_emulator/accounts/fail-next-workspace", .handler = control_fail_clear, .flags = CONTROL},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_account = {
	.name = "account",
	.routes = account_routes,
	.state_new = account_state_new,
	.state_free = account_state_free,
	.state_save = account_state_save,
	.state_load = account_state_load,
};
