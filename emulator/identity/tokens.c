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

static cJSON *token_info(const cJSON *t)
{
	cJSON *info = cJSON_Duplicate(t, true);

	cJSON_DeleteItemFromObjectCaseSensitive(info, "_value");
	return info;
}

static void token_create(struct emu_request *req, struct emu_response *resp)
{
	struct tokens_state *st = req->state;
	const char *comment = NULL;
	int64_t lifetime = 0, now = emu_workspace_now_ms(req->ws);
	bool given = false;
	char *value, *id;
	cJSON *t, *body;

	if (emu_arg_int64(&lifetime, &given, req, resp, "lifetime_seconds",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&comment, req, resp, "comment", EMU_ARG_OPTIONAL) <
		    0)
		return;
	if (given && lifetime > TOKEN_MAX_LIFETIME_S) {
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
	/* A lifetime of 0 or less (or none) is a token that never expires. */
	value = emu_random_token("dapi", 16);
	id = emu_random_token("", 32);
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "token_id", id);
	emu_json_add_int64(t, "creation_time", now);
	emu_json_add_int64(t, "expiry_time",
			   lifetime > 0 ? now + lifetime * 1000 : -1);
	cJSON_AddStringToObject(t, "comment", comment ? comment : "");
	cJSON_AddStringToObject(t, "created_by_username",
				req->principal ? req->principal : "");
	cJSON_AddStringToObject(t, "_value", value);
	cJSON_AddItemToArray(st->tokens, t);
	emu_auth_add_token(emu_workspace_auth(req->ws), value,
			   req->principal ? req->principal
					  : emu_workspace_user_name(req->ws),
			   lifetime > 0 ? now + lifetime * 1000 : 0);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "token_value", value);
	cJSON_AddItemToObject(body, "token_info", token_info(t));
	emu_response_json(resp, 200, body);
	free(value);
	free(id);
}

/* Expired tokens are not listed: the service forgets them. */
static bool token_live(const cJSON *t, int64_t now)
{
	int64_t exp = -1;

	return emu_json_member_int(&exp, t, "expiry_time") < 0 || exp < 0 ||
	       exp > now;
}

static void token_list(struct emu_request *req, struct emu_response *resp)
{
	struct tokens_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	cJSON *body = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(body, "token_infos");
	const cJSON *t;

	cJSON_ArrayForEach(t, st->tokens)
	{
		if (token_live(t, now))
			cJSON_AddItemToArray(arr, token_info(t));
	}
	emu_response_json(resp, 200, body);
}

static void token_delete(struct emu_request *req, struct emu_response *resp)
{
	struct tokens_state *st = req->state;
	const char *id = NULL;
	cJSON *t;

	if (emu_arg_string(&id, req, resp, "token_id", EMU_ARG_REQUIRED) < 0)
		return;
	cJSON_ArrayForEach(t, st->tokens)
	{
		if (strcmp(emu_json_str(t, "token_id"), id) != 0)
			continue;
		emu_auth_remove_token(emu_workspace_auth(req->ws),
				      emu_json_str(t, "_value"));
		cJSON_Delete(cJSON_DetachItemViaPointer(st->tokens, t));
		return;
	}
	emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
		  "Token with ID %s does not exist.", id);
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
