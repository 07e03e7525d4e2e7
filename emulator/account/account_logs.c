/*
 * Log delivery of the Account API, under
 * /api/2.0/accounts/{account_id}/log-delivery: configurations that deliver
 * billable usage (CSV) or audit logs (JSON) to an S3 bucket.
 *
 *   POST  log-delivery         {log_delivery_configuration: {config_name,
 *                               credentials_id, storage_configuration_id,
 *                               log_type, output_format,
 *                               delivery_path_prefix, delivery_start_time,
 *                               status, workspace_ids_filter}}
 *                               -> {log_delivery_configuration: {...}}
 *   GET   log-delivery         ?status=&credentials_id=&
 *                               storage_configuration_id= (filters)
 *                               -> {log_delivery_configurations: [...]}
 *   GET   log-delivery/{id}    -> {log_delivery_configuration: {...}}
 *   PATCH log-delivery/{id}    {status: ENABLED | DISABLED} -> {}
 *
 * Fields and wrappers follow service/billing of databricks-sdk-go. There
 * is no DELETE: the service keeps every configuration and a client
 * disables one it no longer needs; the status is the only field that
 * changes. The server fills config_id, account_id, creation_time,
 * update_time, a log_delivery_status of CREATED (no delivery is ever
 * attempted here), status ENABLED and delivery_start_time (the current
 * month, YYYY-MM, on the workspace clock) when not given.
 *
 * The rules the API reference states, enforced with wording of our own:
 * BILLABLE_USAGE is delivered as CSV and AUDIT_LOGS as JSON; the path
 * prefix neither starts nor ends with '/'; the credential and storage
 * configurations must exist; and at most two enabled configurations of a
 * log type apply to the whole account (no workspace filter) and at most
 * two to any one workspace (400 RESOURCE_LIMIT_EXCEEDED).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

#define LOG_WRAPPER  "log_delivery_configuration"
#define LOG_MAX_LEN  255 /* config_name */
#define LOG_MAX_SAME 2	 /* enabled configurations per log type and scope */

static char *log_make_id(uint64_t n)
{
	return account_uuid(n, 0x10C5ULL << 48);
}

/* --- validation ------------------------------------------------------- */

/* YYYY-MM: four digits, a dash, a month 01 to 12. */
static bool month_ok(const char *s)
{
	int i;

	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	return (s[5] == '0' && s[6] >= '1') ||
	       (s[5] == '1' && s[6] >= '0' && s[6] <= '2');
}

/* True when the workspace filter of rec names workspace id. */
static bool filter_has(const cJSON *rec, int64_t id)
{
	const cJSON *item;
	int64_t v;

	cJSON_ArrayForEach(item, emu_json_member(rec, "workspace_ids_filter"))
	{
		if (emu_json_int(&v, item) == 0 && v == id)
			return true;
	}
	return false;
}

/* Enabled configurations other than rec's of rec's log type with the same
 * scope: account-wide (ws < 0) or naming workspace ws. */
static size_t enabled_like(const struct emu_store *st, const cJSON *rec,
			   int64_t ws)
{
	const char *id = emu_json_str(rec, "config_id");
	size_t i, n = 0;

	for (i = 0; i < emu_store_count(st); i++) {
		const cJSON *o = emu_store_at(st, i);

		if (strcmp(emu_json_str(o, "config_id"), id) == 0 ||
		    strcmp(emu_json_str(o, "status"), "ENABLED") != 0 ||
		    strcmp(emu_json_str(o, "log_type"),
			   emu_json_str(rec, "log_type")) != 0)
			continue;
		if (ws < 0 ? emu_json_array_len(emu_json_member(
				     o, "workspace_ids_filter")) == 0
			   : filter_has(o, ws))
			n++;
	}
	return n;
}

/* The two-per-scope limit for an enabled rec. */
static int log_check_limit(const struct emu_store *st, const cJSON *rec,
			   struct emu_response *resp)
{
	const cJSON *item;
	int64_t ws;

	if (strcmp(emu_json_str(rec, "status"), "ENABLED") != 0)
		return 0;
	if (emu_json_array_len(emu_json_member(rec, "workspace_ids_filter")) ==
	    0) {
		if (enabled_like(st, rec, -1) >= LOG_MAX_SAME)
			return emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
					 "An account has at most %d enabled "
					 "%s configurations without a "
					 "workspace filter.",
					 LOG_MAX_SAME,
					 emu_json_str(rec, "log_type"));
		return 0;
	}
	cJSON_ArrayForEach(item, emu_json_member(rec, "workspace_ids_filter"))
	{
		if (emu_json_int(&ws, item) == 0 &&
		    enabled_like(st, rec, ws) >= LOG_MAX_SAME)
			return emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
					 "Workspace %" PRId64 " already has %d "
					 "enabled %s configurations.",
					 ws, LOG_MAX_SAME,
					 emu_json_str(rec, "log_type"));
	}
	return 0;
}

/* The current month on the workspace clock, YYYY-MM (a new string). */
static char *current_month(struct emu_workspace *ws)
{
	time_t t = (time_t)(emu_workspace_now_ms(ws) / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	return emu_printf("%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

static int log_validate_fields(struct emu_request *req, cJSON *rec,
			       struct emu_response *resp)
{
	struct account_state *a = account_of(req->ws);
	const char *type = emu_json_str(rec, "log_type");
	const char *format = emu_json_str(rec, "output_format");
	const char *prefix = emu_json_str(rec, "delivery_path_prefix");
	const char *start = emu_json_str(rec, "delivery_start_time");
	const char *name = emu_json_str(rec, "config_name");
	const cJSON *item;
	int64_t v;

	if (name && strlen(name) > LOG_MAX_LEN)
		return emu_error_invalid(resp,
					 "config_name has at most %d "
					 "characters.",
					 LOG_MAX_LEN);
	if (strcmp(format,
		   strcmp(type, "BILLABLE_USAGE") == 0 ? "CSV" : "JSON") != 0)
		return emu_error_invalid(resp,
					 "Invalid output_format '%s' for log "
					 "type %s: billable usage is "
					 "delivered as CSV, audit logs as "
					 "JSON.",
					 format, type);
	if (prefix && (prefix[0] == '/' ||
		       (prefix[0] && prefix[strlen(prefix) - 1] == '/')))
		return emu_error_invalid(resp,
					 "Invalid delivery_path_prefix '%s': "
					 "it must not start or end with '/'.",
					 prefix);
	if (start && !month_ok(start))
		return emu_error_invalid(resp,
					 "Invalid delivery_start_time '%s': "
					 "expected YYYY-MM.",
					 start);
	if (!emu_store_find(a->credentials,
			    emu_json_str(rec, "credentials_id")))
		return emu_error_invalid(resp, "Invalid CredentialsId: %s",
					 emu_json_str(rec, "credentials_id"));
	if (!emu_store_find(a->storage,
			    emu_json_str(rec, "storage_configuration_id")))
		return emu_error_invalid(
			resp, "Invalid StorageConfigurationId: %s",
			emu_json_str(rec, "storage_configuration_id"));
	cJSON_ArrayForEach(item, emu_json_member(rec, "workspace_ids_filter"))
	{
		if (emu_json_int(&v, item) < 0)
			return emu_error_field_type(
				resp, "workspace_ids_filter[]", "an integer",
				emu_json_type_name(item));
	}
	return 0;
}

static int log_validate(struct emu_store *st, struct emu_request *req,
			cJSON *rec, const cJSON *existing,
			struct emu_response *resp)
{
	if (!existing && log_validate_fields(req, rec, resp) < 0)
		return -1;
	if (!emu_json_str(rec, "delivery_start_time")) {
		char *month = current_month(req->ws);

		cJSON_AddStringToObject(rec, "delivery_start_time", month);
		free(month);
	}
	return log_check_limit(st, rec, resp);
}

static void log_on_create(struct emu_store *st, struct emu_request *req,
			  cJSON *rec)
{
	cJSON *status;

	account_stamp(st, req, rec);
	emu_json_add_int64(rec, "update_time", emu_workspace_now_ms(req->ws));
	status = cJSON_AddObjectToObject(rec, "log_delivery_status");
	cJSON_AddStringToObject(status, "status", "CREATED");
	cJSON_AddStringToObject(status, "message",
				"There were no log delivery attempts since "
				"the configuration was created.");
}

static void log_on_update(struct emu_store *st, struct emu_request *req,
			  cJSON *rec, const cJSON *old)
{
	(void)st;
	(void)old;
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "update_time");
	emu_json_add_int64(rec, "update_time", emu_workspace_now_ms(req->ws));
}

static const char *const log_types[] = {"AUDIT_LOGS", "BILLABLE_USAGE", NULL};
static const char *const log_formats[] = {"CSV", "JSON", NULL};
static const char *const log_statuses[] = {"ENABLED", "DISABLED", NULL};

#define FIXED (EMU_STORE_IMMUTABLE)

/* clang-format off */
static const struct emu_store_field log_fields[] = {
	{.name = "config_name", .type = EMU_JSON_STRING, .flags = FIXED},
	{.name = "credentials_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED | FIXED},
	{.name = "storage_configuration_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED | FIXED},
	{.name = "log_type", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED | FIXED, .values = log_types},
	{.name = "output_format", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED | FIXED, .values = log_formats},
	{.name = "delivery_path_prefix", .type = EMU_JSON_STRING, .flags = FIXED},
	{.name = "delivery_start_time", .type = EMU_JSON_STRING, .flags = FIXED},
	{.name = "workspace_ids_filter", .type = EMU_JSON_ARRAY, .flags = FIXED},
	{.name = "status", .type = EMU_JSON_STRING, .values = log_statuses, .default_json = "\"ENABLED\""},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
	{.name = "update_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
	{.name = "log_delivery_status", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

const struct emu_store_decl account_log_decl = {
	.name = "log_delivery",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "config_id",
	.make_id = log_make_id,
	.fields = log_fields,
	.nfields = EMU_ARRAY_SIZE(log_fields),
	.missing = {.before = "Log delivery configuration ",
		    .after = " does not exist."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "log_delivery_configurations",
	.limit = {.before = "An account has at most ",
		  .after = " log delivery configurations."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.update_reply = EMU_STORE_REPLY_EMPTY,
	.hooks = {.validate = log_validate,
		  .on_create = log_on_create,
		  .on_update = log_on_update},
};

/* --- handlers --------------------------------------------------------- */

/* Replaces a 200 answer with {log_delivery_configuration: <record id>}. */
static void reply_wrapped(struct emu_request *req, struct emu_response *resp,
			  const char *id)
{
	const cJSON *rec;
	cJSON *body;

	if (resp->status != 200)
		return;
	rec = emu_store_find(account_of(req->ws)->log_delivery, id);
	if (!rec)
		return;
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, LOG_WRAPPER, cJSON_Duplicate(rec, true));
	emu_response_json(resp, 200, body);
}

void account_logs_create(struct emu_request *req, struct emu_response *resp)
{
	cJSON *body = req->json, *inner;
	char *id;

	if (emu_account_check(req, resp) < 0)
		return;
	inner = emu_json_member(body, LOG_WRAPPER);
	if (!inner) {
		emu_error_missing_field(resp, LOG_WRAPPER);
		return;
	}
	if (!cJSON_IsObject(inner)) {
		emu_error_field_type(resp, LOG_WRAPPER, "an object",
				     emu_json_type_name(inner));
		return;
	}
	req->json = inner;
	emu_store_create(account_of(req->ws)->log_delivery, req, resp);
	req->json = body;
	if (resp->status != 200)
		return;
	id = emu_xstrdup(emu_json_str(resp->body, "config_id"));
	reply_wrapped(req, resp, id);
	free(id);
}

/* A list filter from the query: absent, or equal to rec's field. */
static bool filter_match(struct emu_request *req, const cJSON *rec,
			 const char *name)
{
	const char *want = emu_request_query(req, name);

	return !want || strcmp(want, emu_json_str(rec, name)) == 0;
}

void account_logs_list(struct emu_request *req, struct emu_response *resp)
{
	struct emu_store *st = account_of(req->ws)->log_delivery;
	cJSON *body, *arr;
	size_t i;

	if (emu_account_check(req, resp) < 0)
		return;
	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "log_delivery_configurations");
	for (i = 0; i < emu_store_count(st); i++) {
		const cJSON *rec = emu_store_at(st, i);

		if (filter_match(req, rec, "status") &&
		    filter_match(req, rec, "credentials_id") &&
		    filter_match(req, rec, "storage_configuration_id"))
			cJSON_AddItemToArray(arr, cJSON_Duplicate(rec, true));
	}
	emu_response_json(resp, 200, body);
}

void account_logs_get(struct emu_request *req, struct emu_response *resp)
{
	if (emu_account_check(req, resp) < 0)
		return;
	emu_store_get(account_of(req->ws)->log_delivery, req, resp);
	reply_wrapped(req, resp, emu_request_param(req, "config_id"));
}

/* Only the status changes; anything else in the body is ignored. */
void account_logs_patch(struct emu_request *req, struct emu_response *resp)
{
	cJSON *body = req->json, *only;
	const cJSON *status = emu_json_member(body, "status");

	if (emu_account_check(req, resp) < 0)
		return;
	if (!status) {
		emu_error_missing_field(resp, "status");
		return;
	}
	only = cJSON_CreateObject();
	cJSON_AddItemToObject(only, "status", cJSON_Duplicate(status, true));
	req->json = only;
	emu_store_patch(account_of(req->ws)->log_delivery, req, resp);
	req->json = body;
	cJSON_Delete(only);
}
