/*
 * SQL Warehouses API 2.0 and the workspace's warehouse configuration,
 * after the Go SDK's service/sql model (CreateWarehouseRequest,
 * EditWarehouseRequest, GetWarehouseResponse,
 * Get/SetWorkspaceWarehouseConfig*):
 *
 *   POST   /api/2.0/sql/warehouses                {name, cluster_size, ...}
 *                                                  -> {id}
 *   GET    /api/2.0/sql/warehouses                -> {warehouses: [...]}
 *   GET    /api/2.0/sql/warehouses/{id}           -> the warehouse
 *   POST   /api/2.0/sql/warehouses/{id}/edit      only the given fields change
 *   DELETE /api/2.0/sql/warehouses/{id}
 *   POST   /api/2.0/sql/warehouses/{id}/start | /stop
 *   GET    /api/2.0/preview/sql/data_sources      -> [{id, warehouse_id, ...}]
 *   GET    /api/2.0/sql/config/warehouses         -> the workspace config
 *   PUT    /api/2.0/sql/config/warehouses         replaces it
 *
 * The plain CRUD part is the object store (core/store.h); this file adds
 * the checks the service makes and the state machine.
 *
 * Defaults the service fills (what a client that sends only name and
 * cluster_size reads back): min_num_clusters 1, max_num_clusters =
 * min_num_clusters, auto_stop_mins 120, enable_photon true,
 * enable_serverless_compute false, spot_instance_policy COST_OPTIMIZED,
 * warehouse_type CLASSIC, channel {name: CHANNEL_NAME_CURRENT},
 * creator_name the caller. Server-filled: state, num_clusters,
 * num_active_sessions, health, jdbc_url and odbc_params (the host the
 * creating request called, port 443, path /sql/1.0/warehouses/<id>).
 *
 * Checks, as the SDK documents them: cluster_size one of 2X-Small ...
 * 5X-Large; 0 < min_num_clusters <= min(max_num_clusters, 30);
 * max_num_clusters <= 40; auto_stop_mins 0 (never) or >= 10, any value
 * >= 0 when serverless; a name under 100 characters, unique among live
 * warehouses (400 INVALID_PARAMETER_VALUE "SQL warehouse with name `x`
 * already exists", the wording users report); serverless only with
 * warehouse_type PRO; fewer than 45 custom tags.
 *
 * States, on the workspace clock (read lazily at each request, as the
 * clusters do): create and start give STARTING, RUNNING WH_START_MS
 * later; stop gives STOPPING, STOPPED WH_STOP_MS later; a RUNNING
 * warehouse stops by itself auto_stop_mins after it started (the
 * emulator runs no queries, so it is idle from the start); an edit of a
 * RUNNING warehouse that changes its clusters (size, type, photon,
 * serverless, spot policy, channel, instance profile) restarts it
 * (STARTING again), while name, tags, scaling and auto-stop apply live.
 * The legacy data sources list (what the official provider reads a
 * warehouse's data_source_id from) is a bare JSON array with one entry
 * per live warehouse; each data source id is a UUID of its own, fixed
 * by the warehouse id.
 *
 * Delete takes the warehouse out of lists and of the name check at once;
 * get answers DELETING for WH_STOP_MS, then DELETED for WH_DELETED_KEEP_MS,
 * then 404 RESOURCE_DOES_NOT_EXIST. Deleted warehouses are not saved
 * with --state.
 */
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
#include "sql/warehouses.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

#define WH_START_MS	   3000
#define WH_STOP_MS	   1000
#define WH_DELETED_KEEP_MS 60000
#define WH_NAME_MAX	   99
#define WH_TAGS_MAX	   44
#define WH_MAX_ITEMS	   1000
/* Deleted warehouses remembered for get (oldest forgotten first). */
#define WH_GRAVE_MAX 64
/* Longest key, value, ARN or version kept (the emulator's bound, well
 * above what the clouds accept), so a warehouse stays small. */
#define WH_TEXT_MAX 2048
/* The config's JSON, as the service bounds data_access_config. */
#define WH_CONFIG_MAX (512 * 1024)

struct warehouses_state {
	struct emu_store *warehouses;
	/* Deleted warehouses: copies with "_deleted_at" (not saved). */
	cJSON *graveyard;
	/* The workspace warehouse config (saved). */
	cJSON *config;
};

extern const struct emu_module emu_module_sql_warehouses;

static struct warehouses_state *state_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_sql_warehouses);
}

static const char *const cluster_sizes[] = {
	"2X-Small", "X-Small",	"Small",    "Medium",	"Large", "X-Large",
	"2X-Large", "3X-Large", "4X-Large", "5X-Large", NULL,
};
static const char *const spot_policies[] = {
	"POLICY_UNSPECIFIED", "COST_OPTIMIZED", "RELIABILITY_OPTIMIZED", NULL};
static const char *const warehouse_types[] = {"TYPE_UNSPECIFIED", "CLASSIC",
					      "PRO", NULL};
static const char *const channel_names[] = {
	"CHANNEL_NAME_CURRENT",	    "CHANNEL_NAME_PREVIEW",
	"CHANNEL_NAME_PREVIOUS",    "CHANNEL_NAME_CUSTOM",
	"CHANNEL_NAME_UNSPECIFIED", NULL};
static const char *const channel_members[] = {"name", "dbsql_version", NULL};
static const char *const tags_members[] = {"custom_tags", NULL};
static const char *const pair_members[] = {"key", "value", NULL};
static const char *const security_policies[] = {"DATA_ACCESS_CONTROL", "NONE",
						"PASSTHROUGH", NULL};

static bool one_of(const char *s, const char *const *values)
{
	for (; *values; values++)
		if (strcmp(s, *values) == 0)
			return true;
	return false;
}

static int64_t member_int(const cJSON *obj, const char *name, int64_t dflt)
{
	int64_t v;

	return emu_json_member_int(&v, obj, name) == 0 ? v : dflt;
}

static void set_int(cJSON *obj, const char *name, int64_t v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	emu_json_add_int64(obj, name, v);
}

static void set_str(cJSON *obj, const char *name, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	cJSON_AddStringToObject(obj, name, v);
}

/* --- checks ----------------------------------------------------------------
 */

/* Removes every member of obj not named in names (NULL-terminated): a
 * stored object keeps only what the API defines, and stays bounded. */
static void keep_only(cJSON *obj, const char *const *names)
{
	cJSON *m, *next;

	if (!cJSON_IsObject(obj))
		return;
	for (m = obj->child; m; m = next) {
		next = m->next;
		if (!one_of(m->string, names))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, m));
	}
}

static bool too_long(const cJSON *v)
{
	return cJSON_IsString(v) && strlen(v->valuestring) > WH_TEXT_MAX;
}

/* A {key, value} pair list: an array of objects with string members,
 * at most max long. */
static int check_pairs(const cJSON *pairs, const char *what, size_t max,
		       struct emu_response *resp)
{
	const cJSON *p;

	if (pairs == NULL || cJSON_IsNull(pairs))
		return 0;
	if (!cJSON_IsArray(pairs))
		return emu_error_field_type(resp, what, "an array",
					    emu_json_type_name(pairs));
	if (emu_json_array_len(pairs) > max)
		return emu_error_invalid(resp, "%s has more than %zu entries.",
					 what, max);
	cJSON_ArrayForEach(p, pairs)
	{
		const cJSON *k = emu_json_member(p, "key");
		const cJSON *v = emu_json_member(p, "value");

		if (!cJSON_IsObject(p))
			return emu_error_field_type(resp, what, "an object",
						    emu_json_type_name(p));
		if (!cJSON_IsString(k) || k->valuestring[0] == '\0')
			return emu_error_invalid(resp,
						 "Every entry of %s needs a "
						 "non-empty key.",
						 what);
		if (v && !cJSON_IsString(v))
			return emu_error_field_type(resp, what, "a string",
						    emu_json_type_name(v));
		if (too_long(k) || too_long(v))
			return emu_error_invalid(
				resp,
				"An entry of %s is longer than "
				"%d characters.",
				what, WH_TEXT_MAX);
	}
	return 0;
}

static int check_channel(const cJSON *ch, struct emu_response *resp)
{
	const cJSON *name = emu_json_member(ch, "name");
	const cJSON *ver = emu_json_member(ch, "dbsql_version");

	if (ch == NULL || cJSON_IsNull(ch))
		return 0;
	if (!cJSON_IsObject(ch))
		return emu_error_field_type(resp, "channel", "an object",
					    emu_json_type_name(ch));
	if (name && (!cJSON_IsString(name) ||
		     !one_of(name->valuestring, channel_names)))
		return emu_error_invalid(resp, "Invalid channel name.");
	if (ver && !cJSON_IsString(ver))
		return emu_error_field_type(resp, "channel.dbsql_version",
					    "a string",
					    emu_json_type_name(ver));
	if (too_long(ver))
		return emu_error_invalid(resp, "channel.dbsql_version is too "
					       "long.");
	return 0;
}

static bool is_other(const cJSON *rec, const char *except_id)
{
	return except_id == NULL ||
	       strcmp(emu_json_str(rec, "id"), except_id) != 0;
}

static int wh_validate(struct emu_store *st, struct emu_request *req,
		       cJSON *rec, const cJSON *existing,
		       struct emu_response *resp)
{
	const char *name = emu_json_str(rec, "name");
	const char *self = existing ? emu_json_str(existing, "id") : NULL;
	bool serverless =
		cJSON_IsTrue(emu_json_member(rec, "enable_serverless_compute"));
	int64_t min = member_int(rec, "min_num_clusters", 1);
	int64_t max, stop = member_int(rec, "auto_stop_mins", 120);
	cJSON *tags = emu_json_member(rec, "tags");
	const char *type;
	size_t i;

	(void)req;
	if (name == NULL || name[0] == '\0' || strlen(name) > WH_NAME_MAX)
		return emu_error_invalid(resp, "The warehouse name must have "
					       "1 to 99 characters.");
	/* "Defaults to min_num_clusters if unset." */
	if (!emu_json_member(rec, "max_num_clusters"))
		set_int(rec, "max_num_clusters", min);
	max = member_int(rec, "max_num_clusters", min);
	if (min <= 0 || min > 30 || min > max)
		return emu_error_invalid(resp,
					 "min_num_clusters must be > 0 and <= "
					 "min(max_num_clusters, 30).");
	if (max > 40)
		return emu_error_invalid(resp,
					 "max_num_clusters must be <= 40.");
	if (stop < 0 || (!serverless && stop > 0 && stop < 10))
		return emu_error_invalid(
			resp, "auto_stop_mins must be 0 or >= 10 for a "
			      "non-serverless warehouse.");
	type = emu_json_str(rec, "warehouse_type");
	if (serverless && (type == NULL || strcmp(type, "PRO") != 0))
		return emu_error_invalid(
			resp, "Serverless compute needs warehouse_type PRO.");
	if (too_long(emu_json_member(rec, "instance_profile_arn")))
		return emu_error_invalid(resp,
					 "instance_profile_arn is too long.");
	if (check_channel(emu_json_member(rec, "channel"), resp) < 0)
		return -1;
	keep_only(emu_json_member(rec, "channel"), channel_members);
	if (tags && !cJSON_IsNull(tags)) {
		const cJSON *pairs = emu_json_member(tags, "custom_tags");
		cJSON *pair;

		if (!cJSON_IsObject(tags))
			return emu_error_field_type(resp, "tags", "an object",
						    emu_json_type_name(tags));
		if (check_pairs(pairs, "tags.custom_tags", WH_TAGS_MAX, resp) <
		    0)
			return -1;
		keep_only(tags, tags_members);
		cJSON_ArrayForEach(pair, pairs) keep_only(pair, pair_members);
	}
	/* Unique among live warehouses; deleted ones are out of the store. */
	for (i = 0; i < emu_store_count(st); i++) {
		const cJSON *o = emu_store_at(st, i);

		if (is_other(o, self) &&
		    strcmp(emu_json_str(o, "name"), name) == 0)
			return emu_error_invalid(
				resp,
				"SQL warehouse with name `%s` already exists",
				name);
	}
	return 0;
}

/* --- the state machine -----------------------------------------------------
 */

static void enter(cJSON *rec, const char *state, int64_t until)
{
	set_str(rec, "state", state);
	set_int(rec, "_until", until);
}

/* Brings rec's state up to now. */
static void wh_tick(cJSON *rec, int64_t now)
{
	for (;;) {
		const char *s = emu_json_str(rec, "state");
		int64_t until = member_int(rec, "_until", 0);
		int64_t stop = member_int(rec, "auto_stop_mins", 120);

		if (s == NULL)
			return;
		if (strcmp(s, "STARTING") == 0 && now >= until) {
			enter(rec, "RUNNING", until);
		} else if (strcmp(s, "RUNNING") == 0 && stop > 0 &&
			   now >= until + stop * 60000) {
			enter(rec, "STOPPING",
			      until + stop * 60000 + WH_STOP_MS);
		} else if (strcmp(s, "STOPPING") == 0 && now >= until) {
			enter(rec, "STOPPED", until);
		} else {
			return;
		}
	}
}

/* Ticks every warehouse and forgets deleted ones past their time. The
 * store hands out const records; the records are its own heap objects
 * and a state change is an in-place edit, as an update would make. */
static void tick_all(struct warehouses_state *s, int64_t now)
{
	cJSON *g, *next;
	size_t i;

	for (i = 0; i < emu_store_count(s->warehouses); i++)
		wh_tick((cJSON *)emu_store_at(s->warehouses, i), now);
	for (g = s->graveyard->child; g; g = next) {
		int64_t at = member_int(g, "_deleted_at", 0);

		next = g->next;
		if (now >= at + WH_STOP_MS + WH_DELETED_KEEP_MS)
			cJSON_Delete(
				cJSON_DetachItemViaPointer(s->graveyard, g));
		else
			set_str(g, "state",
				now >= at + WH_STOP_MS ? "DELETED"
						       : "DELETING");
	}
}

/* --- store hooks -----------------------------------------------------------
 */

/* The workspace's host name for jdbc_url and odbc_params: the request's
 * Host header (so a hosted workspace shows its own name), else the
 * listening address; without scheme or port. */
static char *workspace_host(struct emu_request *req)
{
	const char *h = emu_request_header(req, "Host");
	const char *url = emu_workspace_base_url(req->ws);
	size_t n;

	if (!emu_host_usable(h)) {
		h = url ? strstr(url, "://") : NULL;
		h = h ? h + 3 : "localhost";
	}
	if (h[0] == '[') /* an IPv6 literal keeps its brackets */
		n = strcspn(h, "]") + (strchr(h, ']') ? 1 : 0);
	else
		n = strcspn(h, ":/");
	return emu_xmemdup0(h, n);
}

static void wh_on_create(struct emu_store *st, struct emu_request *req,
			 cJSON *rec)
{
	const char *id = emu_json_str(rec, "id");
	char *host = workspace_host(req);
	char *path = emu_printf("/sql/1.0/warehouses/%s", id);
	char *jdbc =
		emu_printf("jdbc:spark://%s:443/default;transportMode=http;"
			   "ssl=1;AuthMech=3;httpPath=%s;",
			   host, path);
	cJSON *odbc = cJSON_CreateObject();

	(void)st;
	set_str(rec, "creator_name",
		req->principal ? req->principal
			       : emu_workspace_user_name(req->ws));
	set_str(rec, "jdbc_url", jdbc);
	cJSON_AddStringToObject(odbc, "hostname", host);
	cJSON_AddStringToObject(odbc, "path", path);
	cJSON_AddStringToObject(odbc, "protocol", "https");
	emu_json_add_int64(odbc, "port", 443);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "odbc_params");
	cJSON_AddItemToObject(rec, "odbc_params", odbc);
	enter(rec, "STARTING", emu_workspace_now_ms(req->ws) + WH_START_MS);
	free(jdbc);
	free(path);
	free(host);
}

/* Fields whose change rebuilds the clusters of a running warehouse. */
static const char *const restart_fields[] = {
	"cluster_size",
	"enable_photon",
	"enable_serverless_compute",
	"warehouse_type",
	"spot_instance_policy",
	"channel",
	"instance_profile_arn",
};

static void wh_on_update(struct emu_store *st, struct emu_request *req,
			 cJSON *rec, const cJSON *old)
{
	size_t i;

	(void)st;
	if (strcmp(emu_json_str(rec, "state"), "RUNNING") != 0)
		return;
	for (i = 0; i < EMU_ARRAY_SIZE(restart_fields); i++) {
		const cJSON *a = emu_json_member(rec, restart_fields[i]);
		const cJSON *b = emu_json_member(old, restart_fields[i]);

		if ((a == NULL) != (b == NULL) ||
		    (a && !cJSON_Compare(a, b, true))) {
			enter(rec, "STARTING",
			      emu_workspace_now_ms(req->ws) + WH_START_MS);
			return;
		}
	}
}

static void wh_on_delete(struct emu_store *st, struct emu_request *req,
			 const cJSON *rec)
{
	struct warehouses_state *s = state_of(req->ws);
	cJSON *copy = cJSON_Duplicate(rec, true);

	(void)st;
	if (cJSON_GetArraySize(s->graveyard) >= WH_GRAVE_MAX)
		cJSON_Delete(cJSON_DetachItemFromArray(s->graveyard, 0));
	set_str(copy, "state", "DELETING");
	set_int(copy, "_deleted_at", emu_workspace_now_ms(req->ws));
	cJSON_AddItemToArray(s->graveyard, copy);
}

/* The reply: the record without its "_" bookkeeping, with the counts. */
static cJSON *wh_to_json(const struct emu_store *st, const cJSON *rec)
{
	cJSON *out = cJSON_Duplicate(rec, true), *m, *next, *health;
	bool running = strcmp(emu_json_str(rec, "state"), "RUNNING") == 0;

	(void)st;
	for (m = out->child; m; m = next) {
		next = m->next;
		if (m->string && m->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(out, m));
	}
	set_int(out, "num_clusters",
		running ? member_int(rec, "min_num_clusters", 1) : 0);
	set_int(out, "num_active_sessions", 0);
	health = cJSON_CreateObject();
	cJSON_AddStringToObject(health, "status", "HEALTHY");
	cJSON_DeleteItemFromObjectCaseSensitive(out, "health");
	cJSON_AddItemToObject(out, "health", health);
	return out;
}

/* Real ids are 16 lower-case hex digits; an odd multiplier is a
 * bijection on 64 bits, so the sequence never repeats an id. */
static char *wh_make_id(uint64_t n)
{
	return emu_printf("%016" PRIx64, n * UINT64_C(0x9E3779B97F4A7C15));
}

/* clang-format off */
static const struct emu_store_field wh_fields[] = {
	{.name = "name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "cluster_size", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED,
	 .values = cluster_sizes},
	{.name = "min_num_clusters", .type = EMU_JSON_INT, .default_json = "1"},
	{.name = "max_num_clusters", .type = EMU_JSON_INT},
	{.name = "auto_stop_mins", .type = EMU_JSON_INT, .default_json = "120"},
	{.name = "spot_instance_policy", .type = EMU_JSON_STRING, .values = spot_policies,
	 .default_json = "\"COST_OPTIMIZED\""},
	{.name = "enable_photon", .type = EMU_JSON_BOOL, .default_json = "true"},
	{.name = "enable_serverless_compute", .type = EMU_JSON_BOOL, .default_json = "false"},
	{.name = "warehouse_type", .type = EMU_JSON_STRING, .values = warehouse_types,
	 .default_json = "\"CLASSIC\""},
	{.name = "channel", .type = EMU_JSON_OBJECT,
	 .default_json = "{\"name\":\"CHANNEL_NAME_CURRENT\"}"},
	{.name = "tags", .type = EMU_JSON_OBJECT},
	{.name = "instance_profile_arn", .type = EMU_JSON_STRING},
	{.name = "creator_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "state", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "jdbc_url", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "odbc_params", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_READ_ONLY},
	/* When the current state ends (STARTING, STOPPING) or began
	 * (RUNNING: the idle clock of auto-stop), epoch ms. */
	{.name = "_until", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

static const struct emu_store_decl wh_decl = {
	.name = "sql_warehouses",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "id",
	.make_id = wh_make_id,
	.fields = wh_fields,
	.nfields = EMU_ARRAY_SIZE(wh_fields),
	.missing = {.before = "SQL warehouse ", .after = " does not exist."},
	.max_items = WH_MAX_ITEMS,
	.limit = {.before = "A workspace has at most ",
		  .after = " SQL warehouses."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "warehouses",
	.hooks = {.validate = wh_validate,
		  .on_create = wh_on_create,
		  .on_update = wh_on_update,
		  .on_delete = wh_on_delete,
		  .to_json = wh_to_json},
};

/* --- handlers --------------------------------------------------------------
 */

/* The state, brought up to the clock. */
static struct warehouses_state *ticked(struct emu_request *req)
{
	struct warehouses_state *s = state_of(req->ws);

	tick_all(s, emu_workspace_now_ms(req->ws));
	return s;
}

static void wh_create(struct emu_request *req, struct emu_response *resp)
{
	emu_store_create(ticked(req)->warehouses, req, resp);
}

static void wh_list(struct emu_request *req, struct emu_response *resp)
{
	emu_store_list(ticked(req)->warehouses, req, resp);
}

static void wh_get(struct emu_request *req, struct emu_response *resp)
{
	struct warehouses_state *s = ticked(req);
	const char *id = emu_request_param(req, "id");
	const cJSON *g;

	if (id && emu_store_find(s->warehouses, id) == NULL) {
		cJSON_ArrayForEach(g, s->graveyard)
		{
			if (strcmp(emu_json_str(g, "id"), id) == 0) {
				emu_response_json(resp, 200,
						  wh_to_json(s->warehouses, g));
				return;
			}
		}
	}
	emu_store_get(s->warehouses, req, resp);
}

static void wh_edit(struct emu_request *req, struct emu_response *resp)
{
	emu_store_patch(ticked(req)->warehouses, req, resp);
}

static void wh_delete(struct emu_request *req, struct emu_response *resp)
{
	emu_store_delete(ticked(req)->warehouses, req, resp);
}

/* The record of the path's id, or NULL after the store's 404. */
static cJSON *wh_find(struct emu_request *req, struct emu_response *resp)
{
	const char *id = emu_request_param(req, "id");
	cJSON *rec = (cJSON *)emu_store_find(ticked(req)->warehouses, id);

	if (rec == NULL)
		emu_error_not_found(resp, "SQL warehouse %s does not exist.",
				    id);
	return rec;
}

/* Start: a stopped or stopping warehouse starts again; a running or
 * starting one is left alone. */
static void wh_start(struct emu_request *req, struct emu_response *resp)
{
	cJSON *rec = wh_find(req, resp);
	const char *s;

	if (rec == NULL)
		return;
	s = emu_json_str(rec, "state");
	if (strcmp(s, "STOPPED") == 0 || strcmp(s, "STOPPING") == 0)
		enter(rec, "STARTING",
		      emu_workspace_now_ms(req->ws) + WH_START_MS);
	emu_response_json(resp, 200, cJSON_CreateObject());
}

static void wh_stop(struct emu_request *req, struct emu_response *resp)
{
	cJSON *rec = wh_find(req, resp);
	const char *s;

	if (rec == NULL)
		return;
	s = emu_json_str(rec, "state");
	if (strcmp(s, "RUNNING") == 0 || strcmp(s, "STARTING") == 0)
		enter(rec, "STOPPING",
		      emu_workspace_now_ms(req->ws) + WH_STOP_MS);
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* The data source id of warehouse id: a version-4-shaped UUID derived
 * from it, so it is stable across requests and restarts. */
static char *data_source_id(const char *id)
{
	uint64_t u = strtoull(id, NULL, 16);
	uint64_t v = u * UINT64_C(0xD6E8FEB86659FD93) + UINT64_C(1);

	return emu_printf("%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64
			  "-8%03" PRIx64 "-%012" PRIx64,
			  u >> 32, (u >> 16) & 0xffff, u & 0xfff, v >> 52,
			  v & UINT64_C(0xffffffffffff));
}

static void data_sources_list(struct emu_request *req,
			      struct emu_response *resp)
{
	struct warehouses_state *s = ticked(req);
	cJSON *out = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < emu_store_count(s->warehouses); i++) {
		const cJSON *w = emu_store_at(s->warehouses, i);
		cJSON *d = cJSON_CreateObject();
		char *dsid = data_source_id(emu_json_str(w, "id"));

		cJSON_AddStringToObject(d, "id", dsid);
		cJSON_AddStringToObject(d, "name", emu_json_str(w, "name"));
		cJSON_AddStringToObject(d, "type", "databricks_internal");
		cJSON_AddStringToObject(d, "syntax", "sql");
		cJSON_AddBoolToObject(d, "supports_auto_limit", true);
		cJSON_AddBoolToObject(d, "view_only", false);
		emu_json_add_int64(d, "paused", 0);
		cJSON_AddStringToObject(d, "warehouse_id",
					emu_json_str(w, "id"));
		cJSON_AddItemToArray(out, d);
		free(dsid);
	}
	emu_response_json(resp, 200, out);
}

/* --- the workspace config --------------------------------------------------
 */

/* A RepeatedEndpointConfPairs: {configuration_pairs: [{key, value}]}. */
static int check_repeated(const cJSON *v, const char *what,
			  struct emu_response *resp)
{
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v))
		return emu_error_field_type(resp, what, "an object",
					    emu_json_type_name(v));
	return check_pairs(emu_json_member(v, "configuration_pairs"), what,
			   1000, resp);
}

static void config_get(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200,
			  cJSON_Duplicate(state_of(req->ws)->config, true));
}

/* PUT replaces the whole config with the known fields given. */
static void config_set(struct emu_request *req, struct emu_response *resp)
{
	static const struct emu_json_field fields[] = {
		{"security_policy", EMU_JSON_STRING},
		{"data_access_config", EMU_JSON_ARRAY},
		{"instance_profile_arn", EMU_JSON_STRING},
		{"sql_configuration_parameters", EMU_JSON_OBJECT},
		{"config_param", EMU_JSON_OBJECT},
		{"global_param", EMU_JSON_OBJECT},
		{"enable_serverless_compute", EMU_JSON_BOOL},
		{"google_service_account", EMU_JSON_STRING},
		{"channel", EMU_JSON_OBJECT},
		{"enabled_warehouse_types", EMU_JSON_ARRAY},
	};
	struct warehouses_state *s = state_of(req->ws);
	const cJSON *body = req->json, *sp, *t;
	cJSON *config;
	size_t i;

	if (req->body_len > WH_CONFIG_MAX)
		return (void)emu_error_invalid(
			resp, "The configuration is larger than %d bytes.",
			WH_CONFIG_MAX);
	if (emu_json_check_fields(body, fields, EMU_ARRAY_SIZE(fields), NULL,
				  resp) < 0)
		return;
	sp = emu_json_member(body, "security_policy");
	if (sp && !one_of(sp->valuestring, security_policies))
		return (void)emu_error_invalid(
			resp, "Invalid security_policy '%s'.", sp->valuestring);
	if (check_pairs(emu_json_member(body, "data_access_config"),
			"data_access_config", 1000, resp) < 0 ||
	    check_repeated(
		    emu_json_member(body, "sql_configuration_parameters"),
		    "sql_configuration_parameters", resp) < 0 ||
	    check_repeated(emu_json_member(body, "config_param"),
			   "config_param", resp) < 0 ||
	    check_repeated(emu_json_member(body, "global_param"),
			   "global_param", resp) < 0 ||
	    check_channel(emu_json_member(body, "channel"), resp) < 0)
		return;
	if (emu_json_array_len(
		    emu_json_member(body, "enabled_warehouse_types")) > 8)
		return (void)emu_error_invalid(
			resp, "enabled_warehouse_types has too many entries.");
	cJSON_ArrayForEach(t, emu_json_member(body, "enabled_warehouse_types"))
	{
		const char *type = emu_json_str(t, "warehouse_type");

		if (!cJSON_IsObject(t) || type == NULL ||
		    !one_of(type, warehouse_types))
			return (void)emu_error_invalid(
				resp, "Invalid enabled_warehouse_types entry.");
	}
	config = cJSON_CreateObject();
	for (i = 0; i < EMU_ARRAY_SIZE(fields); i++) {
		const cJSON *v = emu_json_member(body, fields[i].name);

		if (v && !cJSON_IsNull(v))
			cJSON_AddItemToObject(config, fields[i].name,
					      cJSON_Duplicate(v, true));
	}
	cJSON_Delete(s->config);
	s->config = config;
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* --- what other APIs use ---------------------------------------------------
 */

bool emu_sql_warehouse_lookup(struct emu_workspace *ws, const char *id,
			      const char **creator)
{
	const cJSON *rec = emu_store_find(state_of(ws)->warehouses, id);

	if (rec && creator)
		*creator = emu_json_str(rec, "creator_name");
	return rec != NULL;
}

int emu_sql_warehouse_ready(struct emu_workspace *ws, const char *id,
			    int64_t wait_ms, int64_t *ready_ms)
{
	struct warehouses_state *s = state_of(ws);
	int64_t now = emu_workspace_now_ms(ws);
	cJSON *rec;
	const char *st;

	tick_all(s, now);
	rec = (cJSON *)emu_store_find(s->warehouses, id);
	if (rec == NULL)
		return -1;
	st = emu_json_str(rec, "state");
	if (st && (strcmp(st, "STOPPED") == 0 || strcmp(st, "STOPPING") == 0))
		enter(rec, "STARTING", now + WH_START_MS);
	st = emu_json_str(rec, "state");
	*ready_ms = now;
	if (st && strcmp(st, "STARTING") == 0) {
		*ready_ms = member_int(rec, "_until", now);
		if (*ready_ms - now <= wait_ms) {
			enter(rec, "RUNNING", now);
			*ready_ms = now;
		}
	}
	return 0;
}

/* --- state -----------------------------------------------------------------
 */

/* A new workspace's config: data access control, as workspaces have. */
static cJSON *config_default(void)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "security_policy", "DATA_ACCESS_CONTROL");
	return c;
}

static void *wh_state_new(void)
{
	struct warehouses_state *s = emu_xcalloc(1, sizeof(*s));

	s->warehouses = emu_store_new(&wh_decl);
	s->graveyard = cJSON_CreateArray();
	s->config = config_default();
	return s;
}

static void wh_state_free(void *state)
{
	struct warehouses_state *s = state;

	if (s == NULL)
		return;
	emu_store_free(s->warehouses);
	cJSON_Delete(s->graveyard);
	cJSON_Delete(s->config);
	free(s);
}

static cJSON *wh_state_save(const void *state)
{
	const struct warehouses_state *s = state;
	cJSON *out = cJSON_CreateObject();

	cJSON_AddItemToObject(out, "warehouses", emu_store_save(s->warehouses));
	cJSON_AddItemToObject(out, "config", cJSON_Duplicate(s->config, true));
	return out;
}

static int wh_state_load(void *state, const cJSON *json, char *err,
			 size_t errlen)
{
	struct warehouses_state *s = state;
	const cJSON *config = emu_json_member(json, "config");

	if (config) {
		if (!cJSON_IsObject(config)) {
			snprintf(err, errlen,
				 "sql_warehouses: config is not an object");
			return -1;
		}
		cJSON_Delete(s->config);
		s->config = cJSON_Duplicate(config, true);
	}
	return emu_store_load(s->warehouses,
			      emu_json_member(json, "warehouses"), err, errlen);
}

#define WAREHOUSES "/api/2.0/sql/warehouses"

/* clang-format off */
static const struct emu_route wh_routes[] = {
	{.method = "POST", .pattern = WAREHOUSES, .handler = wh_create},
	{.method = "GET", .pattern = WAREHOUSES, .handler = wh_list},
	{.method = "GET", .pattern = WAREHOUSES "/{id}", .handler = wh_get},
	{.method = "DELETE", .pattern = WAREHOUSES "/{id}", .handler = wh_delete},
	{.method = "POST", .pattern = WAREHOUSES "/{id}/edit", .handler = wh_edit},
	{.method = "POST", .pattern = WAREHOUSES "/{id}/start", .handler = wh_start},
	{.method = "POST", .pattern = WAREHOUSES "/{id}/stop", .handler = wh_stop},
	{.method = "GET", .pattern = "/api/2.0/preview/sql/data_sources", .handler = data_sources_list},
	{.method = "GET", .pattern = "/api/2.0/sql/config/warehouses", .handler = config_get},
	{.method = "PUT", .pattern = "/api/2.0/sql/config/warehouses", .handler = config_set},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_sql_warehouses = {
	.name = "sql_warehouses",
	.routes = wh_routes,
	.state_new = wh_state_new,
	.state_free = wh_state_free,
	.state_save = wh_state_save,
	.state_load = wh_state_load,
};
