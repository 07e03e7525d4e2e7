/*
 * The Token API (personal access tokens of the calling user):
 *
 *   POST /api/2.0/token/create  {lifetime_seconds?, comment?}
 *                               -> {token_value, token_info}
 *   GET  /api/2.0/token/list    -> {token_infos: [token_info...]}
 *   POST /api/2.0/token/delete  {token_id} -> {}
 *
 * token_info is {token_id, creation_time, expiry_time (-1: never),
 * comment}. A created token is accepted by the workspace (and by every
 * workspace of the process, which share one token table, workspace.h)
 * until it expires or is deleted. Each workspace lists only its own.
 *
 * A caller who is not an admin may make a token only while the
 * Permissions API's tokens ACL is unset or gives it (or one of its
 * groups) CAN_USE; else 403 PERMISSION_DENIED (the emulator's wording).
 *
 * Values are kept to revoke them on delete and are saved with --state
 * (0600, like secret values); a restarted emulator with --token options
 * no longer accepts them, as the token table is not saved.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "auth.h"
#include "errors.h"
#include "http.h"
#include "identity.h"
#include "identity_internal.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

/* What the service answers for a lifetime over its limit (90 days here;
 * workspaces may set a lower one). */
#define TOKEN_MAX_LIFETIME_S (90LL * 24 * 3600)
#define TOKENS_MAX	     600

struct tokens_state {
	cJSON *tokens; /* [{token_info..., "_value": ...}] */
};

extern const struct emu_module emu_module_tokens;

/* token_info as the service shows it: without the members that start with
 * "_" (the value, and who the token authenticates as). */
static cJSON *token_info(const cJSON *t)
{
	cJSON *info = cJSON_Duplicate(t, true);
	cJSON *m = info->child, *next;

	for (; m != NULL; m = next) {
		next = m->next;
		if (m->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(info, m));
	}
	return info;
}

/* The caller's name: the principal its credential authenticates as. */
static const char *caller_name(const struct emu_request *req)
{
	return req->principal ? req->principal
			      : emu_workspace_user_name(req->ws);
}

/* The numeric id of principal name: the workspace user's, else that of a
 * service principal (named by its application id). */
static int64_t principal_number(const struct emu_workspace *ws,
				const char *name)
{
	char *id = NULL;
	int64_t n;

	if (strcmp(name, emu_workspace_user_name(ws)) == 0)
		return strtoll(emu_workspace_user_id(ws), NULL, 10);
	id = emu_identity_principal_id(name);
	n = strtoll(id, NULL, 10);
	free(id);
	return n;
}

/*
 * Makes a token that authenticates as owner (a user name or a service
 * principal's application id), asked for by the caller, and answers
 * {token_value, token_info}. lifetime <= 0: it never expires.
 */
static void token_issue(struct emu_request *req, struct emu_response *resp,
			const char *owner, int64_t lifetime,
			const char *comment)
{
	struct tokens_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	int64_t expiry = lifetime > 0 ? now + lifetime * 1000 : -1;
	const char *caller = caller_name(req);
	char *value, *id;
	cJSON *t, *body;

	if (lifetime > TOKEN_MAX_LIFETIME_S) {
		emu_error_invalid(resp,
				  "Token lifetime %" PRId64 " seconds exceeds "
				  "the maximum lifetime of %lld seconds.",
				  lifetime, (long long)TOKEN_MAX_LIFETIME_S);
		return;
	}
	if (cJSON_GetArraySize(st->tokens) >= TOKENS_MAX) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "Maximum number of tokens (%d) reached.",
			  TOKENS_MAX);
		return;
	}
	value = emu_random_token("dapi", 16);
	id = emu_random_token("", 32);
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "token_id", id);
	emu_json_add_int64(t, "creation_time", now);
	emu_json_add_int64(t, "expiry_time", expiry);
	cJSON_AddStringToObject(t, "comment", comment ? comment : "");
	emu_json_add_int64(t, "created_by_id",
			   principal_number(req->ws, caller));
	cJSON_AddStringToObject(t, "created_by_username", caller);
	emu_json_add_int64(t, "owner_id", principal_number(req->ws, owner));
	cJSON_AddStringToObject(t, "_principal", owner);
	cJSON_AddStringToObject(t, "_value", value);
	cJSON_AddItemToArray(st->tokens, t);
	emu_auth_add_token(emu_workspace_auth(req->ws), value, owner,
			   expiry > 0 ? expiry : 0);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "token_value", value);
	cJSON_AddItemToObject(body, "token_info", token_info(t));
	emu_response_json(resp, 200, body);
	free(value);
	free(id);
}

static void token_create(struct emu_request *req, struct emu_response *resp)
{
	const char *comment = NULL;
	int64_t lifetime = 0;

	if (emu_arg_int64(&lifetime, NULL, req, resp, "lifetime_seconds",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&comment, req, resp, "comment", EMU_ARG_OPTIONAL) <
		    0)
		return;
	/* Once token permissions are set (permissions.c), a non-admin needs
	 * CAN_USE on tokens to make one. */
	if (!emu_permissions_may_use_tokens(req->ws, caller_name(req))) {
		emu_error(resp, 403, "PERMISSION_DENIED",
			  "User %s does not have permission to use tokens.",
			  caller_name(req));
		return;
	}
	/* A token of one's own authenticates as oneself. */
	token_issue(req, resp, caller_name(req), lifetime, comment);
}

/* Expired tokens are not listed: the service forgets them. */
static bool token_live(const cJSON *t, int64_t now)
{
	int64_t exp = -1;

	return emu_json_member_int(&exp, t, "expiry_time") < 0 || exp < 0 ||
	       exp > now;
}

/* Whom t authenticates as (tokens saved before OBO tokens existed were all
 * the workspace user's). */
static const char *token_owner(const cJSON *t, const struct emu_workspace *ws)
{
	const char *p = emu_json_str(t, "_principal");

	return p ? p : emu_workspace_user_name(ws);
}

/* The live tokens that pass filter (NULL: all) as {token_infos: [...]}. */
static void token_answer_list(struct emu_request *req,
			      struct emu_response *resp,
			      bool (*filter)(const cJSON *t,
					     const struct emu_request *req))
{
	struct tokens_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	cJSON *body = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(body, "token_infos");
	const cJSON *t;

	cJSON_ArrayForEach(t, st->tokens)
	{
		if (token_live(t, now) && (!filter || filter(t, req)))
			cJSON_AddItemToArray(arr, token_info(t));
	}
	emu_response_json(resp, 200, body);
}

static bool token_is_callers(const cJSON *t, const struct emu_request *req)
{
	return strcmp(token_owner(t, req->ws), caller_name(req)) == 0;
}

/* The Token API shows the caller its own tokens only. */
static void token_list(struct emu_request *req, struct emu_response *resp)
{
	token_answer_list(req, resp, token_is_callers);
}

/* The live token with id, or NULL after answering the service's 404. */
static cJSON *token_find(struct emu_request *req, struct emu_response *resp,
			 const char *id)
{
	struct tokens_state *st = req->state;
	cJSON *t;

	cJSON_ArrayForEach(t, st->tokens)
	{
		if (strcmp(emu_json_str(t, "token_id"), id) == 0 &&
		    token_live(t, emu_workspace_now_ms(req->ws)))
			return t;
	}
	emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
		  "Token with ID %s does not exist.", id);
	return NULL;
}

/* Revokes t: its value no longer authenticates. */
static void token_revoke(struct emu_request *req, cJSON *t)
{
	struct tokens_state *st = req->state;

	emu_auth_remove_token(emu_workspace_auth(req->ws),
			      emu_json_str(t, "_value"));
	cJSON_Delete(cJSON_DetachItemViaPointer(st->tokens, t));
}

static void token_delete(struct emu_request *req, struct emu_response *resp)
{
	const char *id = NULL;
	cJSON *t;

	if (emu_arg_string(&id, req, resp, "token_id", EMU_ARG_REQUIRED) < 0)
		return;
	t = token_find(req, resp, id);
	if (t != NULL)
		token_revoke(req, t);
}

/* --- token management (an admin's view of every token) -------------------- */

/* An on-behalf-of token is for a service principal of the workspace's
 * SCIM directory, named by its application id. */
static bool obo_principal_exists(struct emu_workspace *ws,
				 const char *application_id)
{
	return emu_is_uuid(application_id) &&
	       emu_scim_sp_exists(ws, application_id);
}

static void obo_create(struct emu_request *req, struct emu_response *resp)
{
	const char *app = NULL, *comment = NULL;
	int64_t lifetime = 0;

	if (emu_arg_string(&app, req, resp, "application_id",
			   EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_int64(&lifetime, NULL, req, resp, "lifetime_seconds",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&comment, req, resp, "comment", EMU_ARG_OPTIONAL) <
		    0)
		return;
	if (!obo_principal_exists(req->ws, app)) {
		emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			  "Service principal with application ID %s does "
			  "not exist.",
			  app);
		return;
	}
	token_issue(req, resp, app, lifetime, comment);
}

/* ?created_by_id= and ?created_by_username=, when given, must match. */
static bool mgmt_filter(const cJSON *t, const struct emu_request *req)
{
	const char *by_id = emu_request_query(req, "created_by_id");
	const char *by_name = emu_request_query(req, "created_by_username");
	int64_t id = -1;

	if (by_id && *by_id &&
	    (emu_json_member_int(&id, t, "created_by_id") < 0 ||
	     id != strtoll(by_id, NULL, 10)))
		return false;
	return !by_name || !*by_name ||
	       strcmp(emu_json_str(t, "created_by_username"), by_name) == 0;
}

static void mgmt_list(struct emu_request *req, struct emu_response *resp)
{
	int64_t id = 0;

	/* The argument's type is checked as the service does. */
	if (emu_arg_int64(&id, NULL, req, resp, "created_by_id",
			  EMU_ARG_OPTIONAL) < 0)
		return;
	token_answer_list(req, resp, mgmt_filter);
}

static void mgmt_get(struct emu_request *req, struct emu_response *resp)
{
	cJSON *t = token_find(req, resp, emu_request_param(req, "token_id"));
	cJSON *body;

	if (t == NULL)
		return;
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "token_info", token_info(t));
	emu_response_json(resp, 200, body);
}

static void mgmt_delete(struct emu_request *req, struct emu_response *resp)
{
	cJSON *t = token_find(req, resp, emu_request_param(req, "token_id"));

	if (t != NULL)
		token_revoke(req, t);
}

static void *tokens_new(void)
{
	struct tokens_state *st = emu_xcalloc(1, sizeof(*st));

	st->tokens = cJSON_CreateArray();
	return st;
}

static void tokens_free(void *state)
{
	struct tokens_state *st = state;

	if (!st)
		return;
	cJSON_Delete(st->tokens);
	free(st);
}

static cJSON *tokens_save(const void *state)
{
	const struct tokens_state *st = state;

	return cJSON_Duplicate(st->tokens, true);
}

static int tokens_load(void *state, const cJSON *json, char *err,
		       size_t errlen)
{
	struct tokens_state *st = state;
	const cJSON *t;

	if (!cJSON_IsArray(json)) {
		snprintf(err, errlen, "tokens must be an array");
		return -1;
	}
	cJSON_ArrayForEach(t, json)
	{
		if (!emu_json_str(t, "token_id") || !emu_json_str(t, "_value")) {
			snprintf(err, errlen,
				 "a token needs token_id and _value");
			return -1;
		}
	}
	cJSON_Delete(st->tokens);
	st->tokens = cJSON_Duplicate(json, true);
	return 0;
}

static const struct emu_route tokens_routes[] = {
	{.method = "POST",
	 .pattern = "/api/2.0/token/create",
	 .handler = token_create},
	{.method = "GET", .pattern = "/api/2.0/token/list", .handler = token_list},
	{.method = "POST",
	 .pattern = "/api/2.0/token/delete",
	 .handler = token_delete},
	{.method = "POST",
	 .pattern = "/api/2.0/token-management/on-behalf-of/tokens",
	 .handler = obo_create},
	{.method = "GET",
	 .pattern = "/api/2.0/token-management/tokens",
	 .handler = mgmt_list},
	{.method = "GET",
	 .pattern = "/api/2.0/token-management/tokens/{token_id}",
	 .handler = mgmt_get},
	{.method = "DELETE",
	 .pattern = "/api/2.0/token-management/tokens/{token_id}",
	 .handler = mgmt_delete},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_tokens = {
	.name = "tokens",
	.routes = tokens_routes,
	.state_new = tokens_new,
	.state_free = tokens_free,
	.state_save = tokens_save,
	.state_load = tokens_load,
};
