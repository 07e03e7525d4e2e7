/*
 * Workspace settings: the workspace configuration keys, IP access lists
 * and the typed settings with etags.
 *
 *   GET   /api/2.0/workspace-conf?keys=a,b      -> {"a": "true", "b": ...}
 *   PATCH /api/2.0/workspace-conf {"a": "false"} -> 204
 *   POST  /api/2.0/ip-access-lists               -> {"ip_access_list": {...}}
 *   GET   /api/2.0/ip-access-lists               -> {"ip_access_lists": [...]}
 *   GET|PATCH|PUT|DELETE /api/2.0/ip-access-lists/{ip_access_list_id}
 *   GET|PATCH|DELETE /api/2.0/settings/types/{type}/names/default
 *   POST  /_emulator/settings/bump-etag {"type"?} (test control)
 *
 * Workspace configuration: only the keys of a known table exist; a GET or
 * PATCH naming another is 400 INVALID_PARAMETER_VALUE. Values are strings
 * and stay as written; a key never written reads as its default (boolean
 * keys "false" unless the service defaults them on, others null).
 *
 * IP access lists: list_type ALLOW or BLOCK; ip_addresses are IPv4
 * addresses or IPv4 CIDR blocks (checked as the service does); at most
 * 1000 addresses (a CIDR counts as one) over every list, else 400
 * QUOTA_EXCEEDED. A create makes an enabled list. While the
 * enableIpAccessLists key is "true", a create, update or replace that
 * would leave the caller's own address blocked (in an enabled BLOCK list,
 * or in no enabled ALLOW list while there are some) is refused with 400
 * INVALID_STATE "Your current IP <ip> will not be allowed to access the
 * workspace under current configuration", the service's words.
 *
 * Settings (service/settings in the Go SDK): each type has a value, with
 * the service's default for types that have one (default_namespace_ws has
 * none: it is 404 until written), and an etag that changes with every
 * write. A PATCH is {allow_missing, field_mask, setting}: only the
 * comma-separated paths of field_mask are taken from setting. Its
 * setting.etag must be the current one (empty is accepted only for a
 * setting never written); else 409 RESOURCE_CONFLICT, whose details
 * carry the fresh etag (google.rpc.ErrorInfo metadata.etag) as the
 * service's do. DELETE takes ?etag= under the same rule and restores the
 * default. The bump-etag control changes the etags without changing the
 * values, as a concurrent writer would, so tests can show a client's
 * retry.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define IPACL_MAX_ADDRESSES 1000

/* --- tables --------------------------------------------------------------- */

/* The workspace configuration keys the emulator knows, with the value a
 * key never written reads as (NULL: JSON null). */
static const struct {
	const char *key, *dflt;
} conf_keys[] = {
	{"enableIpAccessLists", "false"},
	{"enableTokensConfig", "true"},
	{"maxTokenLifetimeDays", NULL},
	{"enableDbfsFileBrowser", "false"},
	{"enableExportNotebook", "true"},
	{"enableResultsDownloading", "true"},
	{"enableNotebookTableClipboard", "true"},
	{"enableWebTerminal", "true"},
	{"enableDeprecatedGlobalInitScripts", "false"},
	{"enableDeprecatedClusterNamedInitScripts", "false"},
	{"enforceUserIsolation", "false"},
	{"enableUploadDataUis", "true"},
	{"enableVerboseAuditLogs", "false"},
	{"enableJobViewAcls", "true"},
	{"enforceClusterViewAcls", "false"},
	{"enforceWorkspaceViewAcls", "false"},
	{"enableHlsRuntime", "false"},
	{"enableWorkspaceFilesystem", "true"},
	{"enableProjectTypeInWorkspace", "true"},
	{"enableGp3", "true"},
	{"enableEnforceImdsV2", "false"},
	{"enableFileStoreEndpoint", "true"},
	{"enableNotebookGitVersioning", "true"},
	{"enableLibraryAndInitScriptOnSharedCluster", "true"},
	{"mlflowRunArtifactDownloadEnabled", "true"},
	{"mlflowModelServingEndpointCreationEnabled", "true"},
	{"mlflowModelRegistryEmailNotificationsEnabled", "true"},
	{"storeInteractiveNotebookResultsInCustomerAccount", "false"},
	{"enable-X-Frame-Options", "true"},
	{"enable-X-Content-Type-Options", "true"},
	{"enable-X-XSS-Protection", "true"},
	{"jobsListBackendPaginationEnabled", "true"},
};

/* The setting types, with the value a type never written answers (NULL:
 * 404 until written). */
static const struct {
	const char *type, *dflt;
} setting_types[] = {
	{"default_namespace_ws", NULL},
	{"restrict_workspace_admins",
	 "{\"restrict_workspace_admins\":{\"status\":\"ALLOW_ALL\"}}"},
	{"disable_legacy_dbfs", "{\"disable_legacy_dbfs\":{\"value\":false}}"},
	{"disable_legacy_access",
	 "{\"disable_legacy_access\":{\"value\":false}}"},
	{"automatic_cluster_update",
	 "{\"automatic_cluster_update_workspace\":{\"can_toggle\":true,"
	 "\"enabled\":false,\"restart_even_if_no_updates_available\":false,"
	 "\"enablement_details\":{}}}"},
};

#define NTYPES (sizeof(setting_types) / sizeof(setting_types[0]))

/*
 * The state is one JSON tree, saved as it is with --state:
 * {"conf": {key: value}, "ip_access_lists": [list...],
 *  "settings": {type: {"version": N, "value": {...}}}, "version": N}
 * where "version" is the last etag number handed out.
 */
struct settings_state {
	cJSON *root;
};

static cJSON *state_fresh(void)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddObjectToObject(root, "conf");
	cJSON_AddArrayToObject(root, "ip_access_lists");
	cJSON_AddObjectToObject(root, "settings");
	emu_json_add_int64(root, "version", 0);
	return root;
}

static void *settings_state_new(void)
{
	struct settings_state *st = emu_xcalloc(1, sizeof(*st));

	st->root = state_fresh();
	return st;
}

static void settings_state_free(void *p)
{
	struct settings_state *st = p;

	if (st == NULL)
		return;
	cJSON_Delete(st->root);
	free(st);
}

static cJSON *settings_state_save(const void *p)
{
	const struct settings_state *st = p;

	return cJSON_Duplicate(st->root, true);
}

static int settings_state_load(void *p, const cJSON *json, char *err,
			       size_t errlen)
{
	struct settings_state *st = p;
	int64_t v;

	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(json, "conf")) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(
		    json, "ip_access_lists")) ||
	    !cJSON_IsObject(
		    cJSON_GetObjectItemCaseSensitive(json, "settings")) ||
	    emu_json_member_int(&v, json, "version") < 0) {
		snprintf(err, errlen, "settings: not a saved settings state");
		return -1;
	}
	cJSON_Delete(st->root);
	st->root = cJSON_Duplicate(json, true);
	return 0;
}

/* --- workspace configuration ---------------------------------------------- */

/* The next comma-separated item of *p (a new string; NULL at the end),
 * without surrounding spaces; *p moves past it. */
static char *next_item(const char **p)
{
	const char *s = *p, *end;
	size_t n;

	while (*s == ',' || *s == ' ')
		s++;
	if (*s == '\0')
		return NULL;
	end = strchr(s, ',');
	n = end ? (size_t)(end - s) : strlen(s);
	*p = s + n;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return emu_xmemdup0(s, n);
}

/* The index of key in conf_keys, or -1. */
static int conf_key_index(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
		if (strcmp(conf_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* The current value of a known key (borrowed; NULL: null). */
static const char *conf_value(const struct settings_state *st, int i)
{
	const cJSON *conf = cJSON_GetObjectItemCaseSensitive(st->root, "conf");
	const cJSON *v =
		cJSON_GetObjectItemCaseSensitive(conf, conf_keys[i].key);

	return cJSON_IsString(v) ? v->valuestring : conf_keys[i].dflt;
}

static void conf_get(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	const char *keys;
	char *tok;
	cJSON *body;

	if (emu_arg_string(&keys, req, resp, "keys", EMU_ARG_REQUIRED) < 0)
		return;
	body = cJSON_CreateObject();
	for (tok = next_item(&keys); tok != NULL; tok = next_item(&keys)) {
		int i = conf_key_index(tok);
		const char *v;

		if (i < 0) {
			emu_error_invalid(resp, "Invalid keys: [\"%s\"]", tok);
			cJSON_Delete(body);
			free(tok);
			return;
		}
		v = conf_value(st, i);
		cJSON_DeleteItemFromObjectCaseSensitive(body, tok);
		if (v != NULL)
			cJSON_AddStringToObject(body, tok, v);
		else
			cJSON_AddNullToObject(body, tok);
		free(tok);
	}
	emu_response_json(resp, 200, body);
}

static bool ipacl_caller_blocked(const struct settings_state *st,
				 const cJSON *lists, const char *ip);
static const char *caller_ip(const struct emu_request *req);

static void conf_patch(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	const cJSON *m;
	cJSON *conf;

	/* Every key is checked before any is written: a refused PATCH
	 * changes nothing. */
	cJSON_ArrayForEach(m, req->json)
	{
		if (conf_key_index(m->string) < 0)
			return (void)emu_error_invalid(
				resp, "Invalid keys: [\"%s\"]", m->string);
		if (!cJSON_IsString(m) && !cJSON_IsNull(m))
			return (void)emu_error_invalid(
				resp,
				"Invalid value for key '%s': expected a "
				"string, got %s.",
				m->string, emu_json_type_name(m));
	}
	conf = cJSON_GetObjectItemCaseSensitive(st->root, "conf");
	cJSON_ArrayForEach(m, req->json)
	{
		cJSON_DeleteItemFromObjectCaseSensitive(conf, m->string);
		/* "" resets a key, as the service reads it. */
		if (cJSON_IsString(m) && m->valuestring[0] != '\0')
			cJSON_AddStringToObject(conf, m->string,
						m->valuestring);
	}
	emu_response_json(resp, 204, NULL);
}

/* --- IP access lists ------------------------------------------------------ */

/* Parses "a.b.c.d" or "a.b.c.d/n" (n in 0..32) into addr and prefix. */
static bool ipv4_parse(const char *s, uint32_t *addr, int *prefix)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	struct in_addr in;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	*addr = ntohl(in.s_addr);
	*prefix = 32;
	if (slash != NULL) {
		const char *p = slash + 1;
		int v = 0;

		if (*p == '\0' || strlen(p) > 2)
			return false;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			v = v * 10 + (*p - '0');
		}
		if (v > 32)
			return false;
		*prefix = v;
	}
	return true;
}

static bool ipv4_in(const char *cidr, const char *ip)
{
	uint32_t net, a;
	int prefix, p2;
	uint32_t mask;

	if (!ipv4_parse(cidr, &net, &prefix) || !ipv4_parse(ip, &a, &p2))
		return false;
	mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
	return (net & mask) == (a & mask);
}

/* The caller's address: the connection's, or loopback for a request made
 * in-process (a unit test's), which is where the emulator listens. */
static const char *caller_ip(const struct emu_request *req)
{
	return req->remote_addr[0] ? req->remote_addr : "127.0.0.1";
}

static bool list_has(const cJSON *list, const char *ip)
{
	const cJSON *a;

	cJSON_ArrayForEach(
		a, cJSON_GetObjectItemCaseSensitive(list, "ip_addresses"))
	{
		if (cJSON_IsString(a) && ipv4_in(a->valuestring, ip))
			return true;
	}
	return false;
}

/* Whether ip would be refused under lists, while the feature is on. */
static bool ipacl_caller_blocked(const struct settings_state *st,
				 const cJSON *lists, const char *ip)
{
	int i = conf_key_index("enableIpAccessLists");
	const char *on = conf_value(st, i);
	const cJSON *l;
	bool any_allow = false, allowed = false;

	if (on == NULL || strcmp(on, "true") != 0)
		return false;
	cJSON_ArrayForEach(l, lists)
	{
		const char *type = emu_json_str(l, "list_type");

		if (!cJSON_IsTrue(
			    cJSON_GetObjectItemCaseSensitive(l, "enabled")))
			continue;
		if (type && strcmp(type, "BLOCK") == 0 && list_has(l, ip))
			return true;
		if (type && strcmp(type, "ALLOW") == 0) {
			any_allow = true;
			allowed = allowed || list_has(l, ip);
		}
	}
	return any_allow && !allowed;
}

static cJSON *ipacl_lists(struct settings_state *st)
{
	return cJSON_GetObjectItemCaseSensitive(st->root, "ip_access_lists");
}

static cJSON *ipacl_find(struct settings_state *st, const char *id)
{
	cJSON *l;

	cJSON_ArrayForEach(l, ipacl_lists(st))
	{
		const char *lid = emu_json_str(l, "list_id");

		if (lid && strcmp(lid, id) == 0)
			return l;
	}
	return NULL;
}

static int ipacl_missing(struct emu_response *resp, const char *id)
{
	return emu_error_not_found(
		resp, "Can't find an IP access list with id: %s.", id);
}

/* Checks the fields of body present in it (all of them when full) and
 * writes them into list. Returns 0 or -1 with the error in resp. */
static int ipacl_apply(cJSON *list, const cJSON *body, bool full,
		       struct emu_response *resp)
{
	static const char *const need[] = {"label", "list_type", NULL};
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(body, "label");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(body, "list_type");
	const cJSON *addrs =
		cJSON_GetObjectItemCaseSensitive(body, "ip_addresses");
	const cJSON *enabled =
		cJSON_GetObjectItemCaseSensitive(body, "enabled");
	const cJSON *a;
	size_t i;

	for (i = 0; full && need[i]; i++)
		if (cJSON_GetObjectItemCaseSensitive(body, need[i]) == NULL ||
		    cJSON_IsNull(
			    cJSON_GetObjectItemCaseSensitive(body, need[i])))
			return emu_error_missing_field(resp, need[i]);
	if (label && !cJSON_IsNull(label) && !cJSON_IsString(label))
		return emu_error_field_type(resp, "label", "a string",
					    emu_json_type_name(label));
	if (type && !cJSON_IsNull(type) &&
	    (!cJSON_IsString(type) ||
	     (strcmp(type->valuestring, "ALLOW") != 0 &&
	      strcmp(type->valuestring, "BLOCK") != 0)))
		return emu_error_invalid(
			resp, "Invalid list_type: expected ALLOW or BLOCK.");
	if (addrs && !cJSON_IsNull(addrs)) {
		if (!cJSON_IsArray(addrs))
			return emu_error_field_type(resp, "ip_addresses",
						    "an array",
						    emu_json_type_name(addrs));
		cJSON_ArrayForEach(a, addrs)
		{
			uint32_t x;
			int p;

			if (!cJSON_IsString(a) ||
			    !ipv4_parse(a->valuestring, &x, &p))
				return emu_error_invalid(
					resp, "Invalid IP address or CIDR: %s",
					cJSON_IsString(a) ? a->valuestring
							  : "(not a string)");
		}
	}
	if (enabled && !cJSON_IsNull(enabled) && !cJSON_IsBool(enabled))
		return emu_error_field_type(resp, "enabled", "a boolean",
					    emu_json_type_name(enabled));
	if (label && cJSON_IsString(label)) {
		cJSON_DeleteItemFromObjectCaseSensitive(list, "label");
		cJSON_AddStringToObject(list, "label", label->valuestring);
	}
	if (type && cJSON_IsString(type)) {
		cJSON_DeleteItemFromObjectCaseSensitive(list, "list_type");
		cJSON_AddStringToObject(list, "list_type", type->valuestring);
	}
	if ((addrs && cJSON_IsArray(addrs)) || full) {
		cJSON_DeleteItemFromObjectCaseSensitive(list, "ip_addresses");
		cJSON_AddItemToObject(list, "ip_addresses",
				      addrs && cJSON_IsArray(addrs)
					      ? cJSON_Duplicate(addrs, true)
					      : cJSON_CreateArray());
	}
	if (enabled && cJSON_IsBool(enabled)) {
		cJSON_DeleteItemFromObjectCaseSensitive(list, "enabled");
		cJSON_AddBoolToObject(list, "enabled", cJSON_IsTrue(enabled));
	}
	cJSON_DeleteItemFromObjectCaseSensitive(list, "address_count");
	emu_json_add_int64(
		list, "address_count",
		(int64_t)emu_json_array_len(cJSON_GetObjectItemCaseSensitive(
			list, "ip_addresses")));
	return 0;
}

/* Checks lists (the lists as they would be after a write) against the
 * quota and the caller rule. Returns 0 or -1 with the error in resp. */
static int ipacl_check(struct emu_request *req, struct emu_response *resp,
		       const cJSON *lists)
{
	const cJSON *l;
	size_t total = 0;

	cJSON_ArrayForEach(l, lists)
	{
		total += emu_json_array_len(
			cJSON_GetObjectItemCaseSensitive(l, "ip_addresses"));
	}
	if (total > IPACL_MAX_ADDRESSES)
		return emu_error(resp, 400, "QUOTA_EXCEEDED",
				 "The IP access lists would hold %zu IP "
				 "addresses or CIDR ranges, over the limit "
				 "of %d.",
				 total, IPACL_MAX_ADDRESSES);
	if (ipacl_caller_blocked(req->state, lists, caller_ip(req)))
		return emu_error(resp, 400, "INVALID_STATE",
				 "Your current IP %s will not be allowed to "
				 "access the workspace under current "
				 "configuration",
				 caller_ip(req));
	return 0;
}

/* A new list id: a UUID, as the service issues. */
static char *ipacl_new_id(void)
{
	char *hex = emu_random_token("", 16);
	char *id = emu_printf("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
			      hex + 12, hex + 16, hex + 20);

	free(hex);
	return id;
}

static void ipacl_stamp(cJSON *list, const struct emu_request *req,
			bool created)
{
	int64_t now = emu_workspace_now_ms(req->ws);
	int64_t uid = strtoll(emu_workspace_user_id(req->ws), NULL, 10);

	if (created) {
		emu_json_add_int64(list, "created_at", now);
		emu_json_add_int64(list, "created_by", uid);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(list, "updated_at");
	cJSON_DeleteItemFromObjectCaseSensitive(list, "updated_by");
	emu_json_add_int64(list, "updated_at", now);
	emu_json_add_int64(list, "updated_by", uid);
}

static void ipacl_answer(struct emu_response *resp, const cJSON *list)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddItemToObject(body, "ip_access_list",
			      cJSON_Duplicate(list, true));
	emu_response_json(resp, 200, body);
}

static void ipacl_create(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	cJSON *list = cJSON_CreateObject();
	cJSON *after;
	char *id;

	if (ipacl_apply(list, req->json, true, resp) < 0) {
		cJSON_Delete(list);
		return;
	}
	/* A new list is enabled whatever the request says. */
	cJSON_DeleteItemFromObjectCaseSensitive(list, "enabled");
	cJSON_AddBoolToObject(list, "enabled", true);
	after = cJSON_Duplicate(ipacl_lists(st), true);
	cJSON_AddItemToArray(after, cJSON_Duplicate(list, true));
	if (ipacl_check(req, resp, after) < 0) {
		cJSON_Delete(after);
		cJSON_Delete(list);
		return;
	}
	cJSON_Delete(after);
	id = ipacl_new_id();
	cJSON_AddStringToObject(list, "list_id", id);
	free(id);
	ipacl_stamp(list, req, true);
	cJSON_AddItemToArray(ipacl_lists(st), list);
	ipacl_answer(resp, list);
}

static void ipacl_list(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	cJSON *body = cJSON_CreateObject();

	cJSON_AddItemToObject(body, "ip_access_lists",
			      cJSON_Duplicate(ipacl_lists(st), true));
	emu_response_json(resp, 200, body);
}

static void ipacl_get(struct emu_request *req, struct emu_response *resp)
{
	const char *id = emu_request_param(req, "ip_access_list_id");
	const cJSON *list = ipacl_find(req->state, id);

	if (list == NULL)
		return (void)ipacl_missing(resp, id);
	ipacl_answer(resp, list);
}

/* PATCH (the given fields) and PUT (every field; enabled required). */
static void ipacl_write(struct emu_request *req, struct emu_response *resp,
			bool full)
{
	struct settings_state *st = req->state;
	const char *id = emu_request_param(req, "ip_access_list_id");
	cJSON *list = ipacl_find(st, id), *after, *l, *copy = NULL;

	if (list == NULL)
		return (void)ipacl_missing(resp, id);
	if (full && !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(req->json,
								   "enabled")))
		return (void)emu_error_missing_field(resp, "enabled");
	after = cJSON_Duplicate(ipacl_lists(st), true);
	cJSON_ArrayForEach(l, after)
	{
		const char *lid = emu_json_str(l, "list_id");

		if (lid && strcmp(lid, id) == 0)
			copy = l;
	}
	if (ipacl_apply(copy, req->json, full, resp) < 0 ||
	    ipacl_check(req, resp, after) < 0) {
		cJSON_Delete(after);
		return;
	}
	ipacl_stamp(copy, req, false);
	cJSON_ReplaceItemInObjectCaseSensitive(st->root, "ip_access_lists",
					       after);
	emu_response_json(resp, 200, NULL);
}

static void ipacl_patch(struct emu_request *req, struct emu_response *resp)
{
	ipacl_write(req, resp, false);
}

static void ipacl_put(struct emu_request *req, struct emu_response *resp)
{
	ipacl_write(req, resp, true);
}

static void ipacl_delete(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	const char *id = emu_request_param(req, "ip_access_list_id");
	cJSON *list = ipacl_find(st, id);

	if (list == NULL)
		return (void)ipacl_missing(resp, id);
	cJSON_Delete(cJSON_DetachItemViaPointer(ipacl_lists(st), list));
	emu_response_json(resp, 200, NULL);
}

/* --- typed settings ------------------------------------------------------- */

static int setting_type_index(const char *type)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (strcmp(setting_types[i].type, type) == 0)
			return (int)i;
	return -1;
}

/* The stored record of type i ({"version", "value"?}), made on demand. */
static cJSON *setting_record(struct settings_state *st, int i)
{
	cJSON *all = cJSON_GetObjectItemCaseSensitive(st->root, "settings");
	cJSON *rec =
		cJSON_GetObjectItemCaseSensitive(all, setting_types[i].type);

	if (rec == NULL) {
		rec = cJSON_AddObjectToObject(all, setting_types[i].type);
		emu_json_add_int64(rec, "version", 0);
	}
	return rec;
}

/* The etag of a record: opaque text, new with every write. */
static char *setting_etag(const cJSON *rec)
{
	int64_t v = 0;
	char raw[48];

	emu_json_member_int(&v, rec, "version");
	snprintf(raw, sizeof(raw), "etag-v%" PRId64, v);
	return emu_base64_encode((const unsigned char *)raw, strlen(raw));
}

/* Gives rec the next etag number of the workspace. */
static void setting_bump(struct settings_state *st, cJSON *rec)
{
	int64_t v = 0;

	emu_json_member_int(&v, st->root, "version");
	v++;
	cJSON_DeleteItemFromObjectCaseSensitive(st->root, "version");
	emu_json_add_int64(st->root, "version", v);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "version");
	emu_json_add_int64(rec, "version", v);
}

/* The value of type i now (new tree), or NULL when it has none. */
static cJSON *setting_value(struct settings_state *st, int i)
{
	cJSON *rec = setting_record(st, i);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "value");

	if (cJSON_IsObject(v))
		return cJSON_Duplicate(v, true);
	if (setting_types[i].dflt == NULL)
		return NULL;
	return cJSON_Parse(setting_types[i].dflt);
}

static bool setting_written(struct settings_state *st, int i)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(
		setting_record(st, i), "value"));
}

/* The answer of a read or write: the value with setting_name and etag. */
static void setting_answer(struct emu_response *resp, struct settings_state *st,
			   int i, cJSON *value)
{
	char *etag = setting_etag(setting_record(st, i));

	cJSON_DeleteItemFromObjectCaseSensitive(value, "etag");
	cJSON_DeleteItemFromObjectCaseSensitive(value, "setting_name");
	cJSON_AddStringToObject(value, "etag", etag);
	cJSON_AddStringToObject(value, "setting_name", "default");
	free(etag);
	emu_response_json(resp, 200, value);
}

/* An error whose details carry the current etag, as the service's 404
 * and 409 do for clients to retry with. */
static void setting_error(struct emu_response *resp, struct settings_state *st,
			  int i, int status, const char *code,
			  const char *message)
{
	char *etag = setting_etag(setting_record(st, i));
	cJSON *body = cJSON_CreateObject();
	cJSON *details = cJSON_AddArrayToObject(body, "details");
	cJSON *info = cJSON_CreateObject();
	cJSON *meta;

	emu_error(resp, status, code, "%s", message);
	cJSON_AddStringToObject(body, "error_code", code);
	cJSON_AddStringToObject(body, "message", message);
	cJSON_AddStringToObject(info, "@type",
				"type.googleapis.com/google.rpc.ErrorInfo");
	cJSON_AddStringToObject(info, "reason", code);
	cJSON_AddStringToObject(info, "domain", "settings.databricks.com");
	meta = cJSON_AddObjectToObject(info, "metadata");
	cJSON_AddStringToObject(meta, "etag", etag);
	cJSON_AddItemToArray(details, info);
	free(etag);
	emu_response_json(resp, status, body);
}

/* The type the path names, or -1 after answering 404. */
static int setting_route(struct emu_request *req, struct emu_response *resp)
{
	const char *type = emu_request_param(req, "type");
	const char *name = emu_request_param(req, "name");
	int i = setting_type_index(type);

	if (i < 0 || strcmp(name, "default") != 0) {
		emu_error_no_api(resp, req->method, req->path);
		return -1;
	}
	return i;
}

static void setting_get(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	int i = setting_route(req, resp);
	cJSON *value;

	if (i < 0)
		return;
	/* ?etag= asks for a value at least that recent: every value here
	 * is the latest, so it changes nothing. */
	value = setting_value(st, i);
	if (value == NULL)
		return setting_error(resp, st, i, 404,
				     "RESOURCE_DOES_NOT_EXIST",
				     "Setting was not found.");
	setting_answer(resp, st, i, value);
}

/* Whether etag (may be NULL) is good for a write of type i. */
static bool setting_etag_ok(struct settings_state *st, int i, const char *etag)
{
	char *cur;
	bool ok;

	if (etag == NULL || etag[0] == '\0')
		return !setting_written(st, i);
	cur = setting_etag(setting_record(st, i));
	ok = strcmp(cur, etag) == 0;
	free(cur);
	return ok;
}

/* A field mask is untrusted: mask_copy recurses once per field of a
 * path, so paths are few and short. */
#define MASK_MAX_PATHS 64
#define MASK_MAX_DEPTH 16

static int mask_check(const char *mask)
{
	const char *p;
	int paths = 1, depth = 1;

	for (p = mask; *p; p++) {
		if (*p == ',') {
			paths++;
			depth = 1;
		} else if (*p == '.') {
			depth++;
		}
		if (paths > MASK_MAX_PATHS || depth > MASK_MAX_DEPTH)
			return -1;
	}
	return 0;
}

/* Copies the value at the dotted path from src into dst (creating the
 * objects on the way), or removes it from dst when src has none. */
static void mask_copy(cJSON *dst, const cJSON *src, const char *path)
{
	const char *dot = strchr(path, '.');
	char *head = dot ? emu_xmemdup0(path, (size_t)(dot - path))
			 : emu_xstrdup(path);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(src, head);
	cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, head);

	if (dot == NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(dst, head);
		if (s != NULL && !cJSON_IsNull(s))
			cJSON_AddItemToObject(dst, head,
					      cJSON_Duplicate(s, true));
	} else if (cJSON_IsObject(s)) {
		if (!cJSON_IsObject(d)) {
			cJSON_DeleteItemFromObjectCaseSensitive(dst, head);
			d = cJSON_AddObjectToObject(dst, head);
		}
		mask_copy(d, s, dot + 1);
	} else if (cJSON_IsObject(d)) {
		mask_copy(d, NULL, dot + 1);
	}
	free(head);
}

static void setting_patch(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	int i = setting_route(req, resp);
	const cJSON *setting = emu_arg_json(req, "setting");
	const char *mask = NULL, *etag;
	bool allow_missing = false;
	char *tok;
	cJSON *value;

	if (i < 0)
		return;
	if (emu_arg_string(&mask, req, resp, "field_mask", EMU_ARG_REQUIRED) <
		    0 ||
	    emu_arg_bool(&allow_missing, NULL, req, resp, "allow_missing",
			 EMU_ARG_OPTIONAL) < 0)
		return;
	if (!cJSON_IsObject(setting))
		return (void)emu_error_missing_field(resp, "setting");
	if (mask_check(mask) < 0)
		return (void)emu_error_invalid(
			resp,
			"Invalid field_mask: at most %d paths of %d "
			"fields each.",
			MASK_MAX_PATHS, MASK_MAX_DEPTH);
	if (!allow_missing && setting_types[i].dflt == NULL &&
	    !setting_written(st, i))
		return setting_error(resp, st, i, 404,
				     "RESOURCE_DOES_NOT_EXIST",
				     "Setting was not found.");
	etag = emu_json_str(setting, "etag");
	if (!setting_etag_ok(st, i, etag))
		return setting_error(
			resp, st, i, 409, "RESOURCE_CONFLICT",
			"The etag is stale: the setting was changed since "
			"it was read. Read it again and retry with its etag.");
	value = setting_value(st, i);
	if (value == NULL)
		value = cJSON_CreateObject();
	for (tok = next_item(&mask); tok != NULL; tok = next_item(&mask)) {
		if (strcmp(tok, "etag") != 0 &&
		    strcmp(tok, "setting_name") != 0)
			mask_copy(value, setting, tok);
		free(tok);
	}
	{
		cJSON *rec = setting_record(st, i);

		cJSON_DeleteItemFromObjectCaseSensitive(rec, "value");
		cJSON_AddItemToObject(rec, "value",
				      cJSON_Duplicate(value, true));
		setting_bump(st, rec);
	}
	setting_answer(resp, st, i, value);
}

static void setting_delete(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	int i = setting_route(req, resp);
	const char *etag;
	cJSON *rec, *body;
	char *fresh;

	if (i < 0)
		return;
	if (emu_arg_string(&etag, req, resp, "etag", EMU_ARG_OPTIONAL) < 0)
		return;
	if (setting_types[i].dflt == NULL && !setting_written(st, i))
		return setting_error(resp, st, i, 404,
				     "RESOURCE_DOES_NOT_EXIST",
				     "Setting was not found.");
	if (!setting_etag_ok(st, i, etag))
		return setting_error(
			resp, st, i, 409, "RESOURCE_CONFLICT",
			"The etag is stale: the setting was changed since "
			"it was read. Read it again and retry with its etag.");
	rec = setting_record(st, i);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "value");
	setting_bump(st, rec);
	body = cJSON_CreateObject();
	fresh = setting_etag(rec);
	cJSON_AddStringToObject(body, "etag", fresh);
	free(fresh);
	emu_response_json(resp, 200, body);
}

/* POST /_emulator/settings/bump-etag {"type"?}: new etags, same values. */
static void control_bump(struct emu_request *req, struct emu_response *resp)
{
	struct settings_state *st = req->state;
	const char *type;
	size_t i;

	if (emu_arg_string(&type, req, resp, "type", EMU_ARG_OPTIONAL) < 0)
		return;
	if (type != NULL && setting_type_index(type) < 0)
		return (void)emu_error_invalid(resp, "Unknown setting type: %s",
					       type);
	for (i = 0; i < NTYPES; i++)
		if (type == NULL || strcmp(type, setting_types[i].type) == 0)
			setting_bump(st, setting_record(st, (int)i));
}

/* --- the module ----------------------------------------------------------- */

#define CONTROL (EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG)
#define IPACL	"/api/2.0/ip-access-lists"
#define SETTING "/api/2.0/settings/types/{type}/names/{name}"

/* clang-format off */
static const struct emu_route settings_routes[] = {
	{.method = "GET", .pattern = "/api/2.0/workspace-conf", .handler = conf_get},
	{.method = "PATCH", .pattern = "/api/2.0/workspace-conf", .handler = conf_patch},
	{.method = "POST", .pattern = IPACL, .handler = ipacl_create},
	{.method = "GET", .pattern = IPACL, .handler = ipacl_list},
	{.method = "GET", .pattern = IPACL "/{ip_access_list_id}", .handler = ipacl_get},
	{.method = "PATCH", .pattern = IPACL "/{ip_access_list_id}", .handler = ipacl_patch},
	{.method = "PUT", .pattern = IPACL "/{ip_access_list_id}", .handler = ipacl_put},
	{.method = "DELETE", .pattern = IPACL "/{ip_access_list_id}", .handler = ipacl_delete},
	{.method = "GET", .pattern = SETTING, .handler = setting_get},
	{.method = "PATCH", .pattern = SETTING, .handler = setting_patch},
	{.method = "DELETE", .pattern = SETTING, .handler = setting_delete},
	{.method = "POST", .pattern = "/_emulator/settings/bump-etag", .handler = control_bump, .flags = CONTROL},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_settings = {
	.name = "settings",
	.routes = settings_routes,
	.state_new = settings_state_new,
	.state_free = settings_state_free,
	.state_save = settings_state_save,
	.state_load = settings_state_load,
};
