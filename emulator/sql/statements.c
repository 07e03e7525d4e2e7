/*
 * The SQL Statement Execution API 2.0, after the Go SDK's service/sql
 * model (ExecuteStatementRequest, StatementResponse, StatementStatus):
 *
 *   POST /api/2.0/sql/statements              {statement, warehouse_id,
 *        catalog, schema, wait_timeout, on_wait_timeout, disposition,
 *        format, parameters, byte_limit, row_limit} -> StatementResponse
 *   GET  /api/2.0/sql/statements/{statement_id}     -> StatementResponse
 *   POST /api/2.0/sql/statements/{statement_id}/cancel -> {}
 *
 * A StatementResponse is {statement_id, status: {state, error:
 * {error_code, message}}, manifest, result}; state is PENDING, RUNNING,
 * SUCCEEDED, FAILED, CANCELED or CLOSED.
 *
 * What clients depend on:
 *  - the statement runs on warehouse_id; one that does not exist is 404
 *    RESOURCE_DOES_NOT_EXIST. A stopped warehouse is started
 *    (sql/warehouses.c), and the statement waits for it;
 *  - wait_timeout ("<n>s", default 10s) is 0s (answer at once) or 5s to
 *    50s (400 INVALID_PARAMETER_VALUE otherwise). The call waits that long
 *    for the statement to end. The emulator does not sleep: a statement
 *    whose warehouse runs within wait_timeout is answered as the real
 *    call would be after waiting (the warehouse RUNNING, the statement
 *    done); otherwise on_wait_timeout decides: CONTINUE (the default)
 *    answers PENDING and the statement runs once its warehouse does (a
 *    GET then finds it done), CANCEL answers CANCELED;
 *  - a statement that fails is still HTTP 200: status.state FAILED with
 *    status.error {error_code, message}, the message starting with the
 *    error class ("[TABLE_OR_VIEW_NOT_FOUND] ...");
 *  - disposition is INLINE or EXTERNAL_LINKS, format JSON_ARRAY,
 *    ARROW_STREAM or CSV; INLINE with ARROW_STREAM is refused, as the
 *    service does; parameters is an array of {name, value, type};
 *  - the statements the emulator runs are DDL on Unity Catalog tables
 *    and views (catalog/uc_ddl.c): they return no rows, so a SUCCEEDED
 *    statement has a manifest of no columns and an empty result; others
 *    fail with PARSE_SYNTAX_ERROR;
 *  - a missing statement id is 404 RESOURCE_DOES_NOT_EXIST; cancel of a
 *    statement that has ended leaves it as it is.
 * Statements are kept for the life of the process (the last
 * STMT_KEEP of them), not saved with --state: the service also forgets
 * them after a while.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "catalog/uc_ddl.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "sql/warehouses.h"
#include "util.h"
#include "workspace.h"

#define STMT_KEEP	    1000
#define STMT_WAIT_DEFAULT_S 10
#define STMT_WAIT_MIN_S	    5
#define STMT_WAIT_MAX_S	    50

struct statements_state {
	cJSON *items; /* records, oldest first */
	uint64_t seq;
};

extern const struct emu_module emu_module_sql_statements;

/* --- pure parts ----------------------------------------------------------- */

/* wait_timeout's seconds: "0s", or "5s" to "50s"; -1 otherwise. */
static int64_t wait_seconds(const char *text)
{
	int64_t n = 0;
	const char *p = text;

	if (!p || !*p || *p == 's')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > STMT_WAIT_MAX_S)
			return -1;
	}
	if (strcmp(p, "s") != 0)
		return -1;
	return n == 0 || n >= STMT_WAIT_MIN_S ? n : -1;
}

static bool one_of(const char *s, const char *const *values)
{
	for (; *values; values++)
		if (strcmp(s, *values) == 0)
			return true;
	return false;
}

/* The record's answer: the public members only. */
static cJSON *answer(const cJSON *rec)
{
	cJSON *out = cJSON_Duplicate(rec, 1), *m, *next;

	for (m = out->child; m; m = next) {
		next = m->next;
		if (m->string && m->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(out, m));
	}
	return out;
}

static void set_state(cJSON *rec, const char *state, const char *code,
		      const char *message)
{
	cJSON *status = cJSON_CreateObject(), *err;

	cJSON_AddStringToObject(status, "state", state);
	if (code) {
		err = cJSON_AddObjectToObject(status, "error");
		cJSON_AddStringToObject(err, "error_code", code);
		cJSON_AddStringToObject(err, "message", message);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "status");
	cJSON_AddItemToObject(rec, "status", status);
}

/* --- running -------------------------------------------------------------- */

/* Runs rec's statement now, as its caller, and records how it ended. */
static void run(cJSON *rec, struct emu_request *req)
{
	struct emu_request as = *req;
	struct uc_ddl_error err;
	const char *sql = emu_json_str(rec, "_statement");
	cJSON *manifest, *schema, *result;

	as.principal = emu_json_str(rec, "_principal");
	if (uc_ddl_execute(&as, sql, strlen(sql), emu_json_str(rec, "_catalog"),
			   emu_json_str(rec, "_schema"), &err) < 0) {
		set_state(rec, "FAILED", err.code, err.message);
		free(err.message);
		return;
	}
	set_state(rec, "SUCCEEDED", NULL, NULL);
	manifest = cJSON_AddObjectToObject(rec, "manifest");
	cJSON_AddStringToObject(manifest, "format",
				emu_json_str(rec, "_format"));
	schema = cJSON_AddObjectToObject(manifest, "schema");
	cJSON_AddNumberToObject(schema, "column_count", 0);
	cJSON_AddArrayToObject(schema, "columns");
	cJSON_AddNumberToObject(manifest, "total_chunk_count", 0);
	cJSON_AddNumberToObject(manifest, "total_row_count", 0);
	cJSON_AddBoolToObject(manifest, "truncated", false);
	result = cJSON_AddObjectToObject(rec, "result");
	cJSON_AddNumberToObject(result, "chunk_index", 0);
	cJSON_AddNumberToObject(result, "row_offset", 0);
	cJSON_AddNumberToObject(result, "row_count", 0);
}

/* A PENDING statement runs once its warehouse does; a warehouse deleted
 * meanwhile fails it. */
static void advance(cJSON *rec, struct emu_request *req)
{
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(rec, "status");
	const char *state = emu_json_str(status, "state");
	int64_t ready;

	if (!state || strcmp(state, "PENDING") != 0)
		return;
	if (emu_sql_warehouse_ready(req->ws, emu_json_str(rec, "_warehouse"), 0,
				    &ready) < 0) {
		set_state(rec, "FAILED", "RESOURCE_DOES_NOT_EXIST",
			  "The SQL warehouse of this statement was deleted.");
		return;
	}
	if (ready <= emu_workspace_now_ms(req->ws))
		run(rec, req);
}

static cJSON *find(struct statements_state *s, const char *id)
{
	cJSON *rec;

	cJSON_ArrayForEach(rec, s->items)
	{
		if (strcmp(emu_json_str(rec, "statement_id"), id) == 0)
			return rec;
	}
	return NULL;
}

/* --- handlers ------------------------------------------------------------- */

static void stmt_execute(struct emu_request *req, struct emu_response *resp)
{
	static const char *const on_timeout[] = {"CONTINUE", "CANCEL", NULL};
	static const char *const dispositions[] = {"INLINE", "EXTERNAL_LINKS",
						   NULL};
	static const char *const formats[] = {"JSON_ARRAY", "ARROW_STREAM",
					      "CSV", NULL};
	struct statements_state *s = req->state;
	const char *sql, *wh, *catalog, *schema, *wait, *onto, *disp, *fmt;
	const cJSON *params = emu_arg_json(req, "parameters");
	int64_t secs, ready, now = emu_workspace_now_ms(req->ws);
	cJSON *rec;
	char *id;

	if (emu_arg_string(&sql, req, resp, "statement", EMU_ARG_REQUIRED) <
		    0 ||
	    emu_arg_string(&wh, req, resp, "warehouse_id", EMU_ARG_REQUIRED) <
		    0 ||
	    emu_arg_string(&catalog, req, resp, "catalog", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&schema, req, resp, "schema", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&wait, req, resp, "wait_timeout", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&onto, req, resp, "on_wait_timeout",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&disp, req, resp, "disposition", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&fmt, req, resp, "format", EMU_ARG_OPTIONAL) < 0)
		return;
	onto = onto ? onto : "CONTINUE";
	disp = disp ? disp : "INLINE";
	fmt = fmt ? fmt : "JSON_ARRAY";
	secs = wait ? wait_seconds(wait) : STMT_WAIT_DEFAULT_S;
	if (secs < 0) {
		emu_error_invalid(resp,
				  "wait_timeout must be 0s (no wait) or "
				  "between %ds and %ds, not '%s'.",
				  STMT_WAIT_MIN_S, STMT_WAIT_MAX_S, wait);
		return;
	}
	if (!one_of(onto, on_timeout) || !one_of(disp, dispositions) ||
	    !one_of(fmt, formats)) {
		emu_error_invalid(resp,
				  "Invalid on_wait_timeout, disposition or "
				  "format: '%s', '%s', '%s'.",
				  onto, disp, fmt);
		return;
	}
	if (strcmp(disp, "INLINE") == 0 && strcmp(fmt, "ARROW_STREAM") == 0) {
		emu_error_invalid(resp, "The ARROW_STREAM format is not "
					"supported with the INLINE "
					"disposition.");
		return;
	}
	if (params && !cJSON_IsNull(params) && !cJSON_IsArray(params)) {
		emu_error_invalid(resp, "Invalid 'parameters': expected an "
					"array.");
		return;
	}
	if (!*sql || strlen(sql) > UC_DDL_MAX_LEN) {
		emu_error_invalid(resp,
				  "The statement is empty or longer than "
				  "%d bytes.",
				  UC_DDL_MAX_LEN);
		return;
	}
	if (emu_sql_warehouse_ready(req->ws, wh, secs * 1000, &ready) < 0) {
		emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			  "Warehouse %s does not exist.", wh);
		return;
	}
	s->seq++;
	id = emu_printf("01f0%04" PRIx64 "-0000-1000-8000-%012" PRIx64,
			(uint64_t)(now / 1000) & 0xffff, s->seq);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "statement_id", id);
	cJSON_AddStringToObject(rec, "_statement", sql);
	cJSON_AddStringToObject(rec, "_warehouse", wh);
	cJSON_AddStringToObject(rec, "_format", fmt);
	cJSON_AddStringToObject(rec, "_principal",
				req->principal ? req->principal : "");
	if (catalog)
		cJSON_AddStringToObject(rec, "_catalog", catalog);
	if (schema)
		cJSON_AddStringToObject(rec, "_schema", schema);
	free(id);
	/* Against the clock as it is now, not as it was when the request
	 * arrived: a running warehouse is ready "now" by its own reading of
	 * the clock, which may be a millisecond later than ours. */
	if (ready <= emu_workspace_now_ms(req->ws))
		run(rec, req);
	else if (secs > 0 && strcmp(onto, "CANCEL") == 0)
		set_state(rec, "CANCELED", NULL, NULL);
	else
		set_state(rec, "PENDING", NULL, NULL);
	if (cJSON_GetArraySize(s->items) >= STMT_KEEP)
		cJSON_DeleteItemFromArray(s->items, 0);
	cJSON_AddItemToArray(s->items, rec);
	emu_response_json(resp, 200, answer(rec));
}

static cJSON *stmt_find(struct emu_request *req, struct emu_response *resp)
{
	const char *id = emu_request_param(req, "id");
	cJSON *rec = find(req->state, id);

	if (!rec)
		emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			  "Statement %s does not exist.", id);
	return rec;
}

static void stmt_get(struct emu_request *req, struct emu_response *resp)
{
	cJSON *rec = stmt_find(req, resp);

	if (!rec)
		return;
	advance(rec, req);
	emu_response_json(resp, 200, answer(rec));
}

static void stmt_cancel(struct emu_request *req, struct emu_response *resp)
{
	cJSON *rec = stmt_find(req, resp);
	const char *state;

	if (!rec)
		return;
	advance(rec, req);
	state = emu_json_str(cJSON_GetObjectItemCaseSensitive(rec, "status"),
			     "state");
	if (state &&
	    (strcmp(state, "PENDING") == 0 || strcmp(state, "RUNNING") == 0))
		set_state(rec, "CANCELED", NULL, NULL);
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* --- the module ----------------------------------------------------------- */

static void *stmt_state_new(void)
{
	struct statements_state *s = emu_xcalloc(1, sizeof(*s));

	s->items = cJSON_CreateArray();
	return s;
}

static void stmt_state_free(void *state)
{
	struct statements_state *s = state;

	if (!s)
		return;
	cJSON_Delete(s->items);
	free(s);
}

#define STATEMENTS "/api/2.0/sql/statements"

/* clang-format off */
static const struct emu_route stmt_routes[] = {
	{.method = "POST", .pattern = STATEMENTS, .handler = stmt_execute},
	{.method = "GET", .pattern = STATEMENTS "/{id}", .handler = stmt_get},
	{.method = "POST", .pattern = STATEMENTS "/{id}/cancel", .handler = stmt_cancel},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_sql_statements = {
	.name = "sql_statements",
	.routes = stmt_routes,
	.state_new = stmt_state_new,
	.state_free = stmt_state_free,
};
