/*
 * Workspace permission assignments of the Account API: which account
 * principals (users, service principals, groups) may use a workspace, and
 * as what.
 *
 *   GET    workspaces/{workspace_id}/permissionassignments
 *          -> {permission_assignments: [{permissions: [...],
 *              principal: {principal_id}}, ...]}
 *   GET    workspaces/{workspace_id}/permissionassignments/permissions
 *          -> {permissions: [{permission_level, description}, ...]}
 *   PUT    workspaces/{workspace_id}/permissionassignments/principals/{id}
 *          {permissions: ["USER" | "ADMIN", ...]} -> the assignment
 *   DELETE workspaces/{workspace_id}/permissionassignments/principals/{id}
 *          -> {}
 *
 * Shapes follow service/iam of databricks-sdk-go (WorkspaceAssignment).
 * As its documentation says, ADMIN wins when both levels are given, other
 * values are ignored, and a PUT without a level removes the principal's
 * assignment. The workspace must exist in the account (else the
 * workspace's own 404). The emulator has no account-level SCIM yet, so
 * any positive integer is accepted as a principal id and an assignment
 * shows only principal_id, not the principal's names; deleting a
 * principal that has no assignment is 404 "Principal <id> not in
 * workspace <id>", the service's words for a principal it does not find
 * there (terraform-provider-databricks issue 5367).
 *
 * Assignments live in the account state as {"<workspace_id>":
 * {"<principal_id>": ["ADMIN"]}}, saved with --state as they are. A
 * deleted workspace's assignments stay behind unseen: its id is never
 * issued again and every request first checks that the workspace exists.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "account_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

/* The levels a principal can have, strongest first. */
static const char *const levels[] = {"ADMIN", "USER"};
static const char *const level_words[] = {
	"Workspace admins can manage the workspace, its users and its "
	"settings.",
	"Workspace users can use the workspace."};

/*
 * Checks the account and the workspace of the request; *ws_id is its
 * workspace_id. Answers the error in resp and returns -1 when either is
 * wrong.
 */
static int assign_workspace(struct emu_request *req, struct emu_response *resp,
			    const char **ws_id)
{
	struct account_state *a = account_of(req->ws);

	if (emu_account_check(req, resp) < 0)
		return -1;
	*ws_id = emu_request_param(req, "workspace_id");
	if (emu_store_find(a->workspaces, *ws_id))
		return 0;
	/* The workspace collection's own words for a missing workspace. */
	return emu_error_not_found(
		resp, "%s%s%s", account_workspace_decl.missing.before, *ws_id,
		account_workspace_decl.missing.after);
}

/* {permissions, principal: {principal_id}} for one assignment. */
static cJSON *assignment_json(const char *principal, const cJSON *perms)
{
	cJSON *o = cJSON_CreateObject(), *p;
	int64_t id = 0;

	if (perms)
		cJSON_AddItemToObject(o, "permissions",
				      cJSON_Duplicate(perms, true));
	p = cJSON_AddObjectToObject(o, "principal");
	if (emu_json_parse_int64_text(&id, principal) == 0)
		emu_json_add_int64(p, "principal_id", id);
	return o;
}

void account_assign_list(struct emu_request *req, struct emu_response *resp)
{
	const char *ws_id;
	const cJSON *item;
	cJSON *body, *arr;

	if (assign_workspace(req, resp, &ws_id) < 0)
		return;
	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "permission_assignments");
	cJSON_ArrayForEach(
		item, emu_json_member(account_of(req->ws)->assignments, ws_id))
	{
		cJSON_AddItemToArray(arr, assignment_json(item->string, item));
	}
	emu_response_json(resp, 200, body);
}

void account_assign_levels(struct emu_request *req, struct emu_response *resp)
{
	const char *ws_id;
	cJSON *body, *arr, *o;
	size_t i;

	if (assign_workspace(req, resp, &ws_id) < 0)
		return;
	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "permissions");
	for (i = 0; i < EMU_ARRAY_SIZE(levels); i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "permission_level", levels[i]);
		cJSON_AddStringToObject(o, "description", level_words[i]);
		cJSON_AddItemToArray(arr, o);
	}
	emu_response_json(resp, 200, body);
}

/* The principal of the path: a positive integer (there is no SCIM to
 * check it against). */
static int assign_principal(struct emu_request *req, struct emu_response *resp,
			    const char **principal)
{
	int64_t id = 0;

	*principal = emu_request_param(req, "principal_id");
	if (emu_json_parse_int64_text(&id, *principal) == 0 && id > 0)
		return 0;
	return emu_error_invalid(resp,
				 "Invalid principal id '%s': expected the "
				 "numeric id of a user, service principal or "
				 "group.",
				 *principal);
}

/* The level a PUT's permissions amount to, or NULL for none. */
static int assign_level(const cJSON *perms, const char **level,
			struct emu_response *resp)
{
	const cJSON *item;
	size_t i, best = EMU_ARRAY_SIZE(levels);

	*level = NULL;
	if (perms && !cJSON_IsArray(perms))
		return emu_error_field_type(resp, "permissions", "an array",
					    emu_json_type_name(perms));
	cJSON_ArrayForEach(item, perms)
	{
		if (!cJSON_IsString(item))
			return emu_error_field_type(resp, "permissions[]",
						    "a string",
						    emu_json_type_name(item));
		for (i = 0; i < best; i++)
			if (strcmp(item->valuestring, levels[i]) == 0)
				best = i;
	}
	if (best < EMU_ARRAY_SIZE(levels))
		*level = levels[best];
	return 0;
}

void account_assign_put(struct emu_request *req, struct emu_response *resp)
{
	struct account_state *a = account_of(req->ws);
	const char *ws_id, *principal, *level;
	cJSON *of_ws, *perms;

	if (assign_workspace(req, resp, &ws_id) < 0 ||
	    assign_principal(req, resp, &principal) < 0 ||
	    assign_level(emu_json_member(req->json, "permissions"), &level,
			 resp) < 0)
		return;
	of_ws = cJSON_GetObjectItemCaseSensitive(a->assignments, ws_id);
	if (!of_ws)
		of_ws = cJSON_AddObjectToObject(a->assignments, ws_id);
	cJSON_DeleteItemFromObjectCaseSensitive(of_ws, principal);
	if (!level) {
		emu_response_json(resp, 200, assignment_json(principal, NULL));
		return;
	}
	perms = cJSON_CreateArray();
	cJSON_AddItemToArray(perms, cJSON_CreateString(level));
	cJSON_AddItemToObject(of_ws, principal, perms);
	emu_response_json(resp, 200, assignment_json(principal, perms));
}

void account_assign_delete(struct emu_request *req, struct emu_response *resp)
{
	struct account_state *a = account_of(req->ws);
	const char *ws_id, *principal;
	cJSON *of_ws;

	if (assign_workspace(req, resp, &ws_id) < 0 ||
	    assign_principal(req, resp, &principal) < 0)
		return;
	of_ws = cJSON_GetObjectItemCaseSensitive(a->assignments, ws_id);
	if (!cJSON_GetObjectItemCaseSensitive(of_ws, principal)) {
		emu_error_not_found(resp, "Principal %s not in workspace %s",
				    principal, ws_id);
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(of_ws, principal);
	emu_response_json(resp, 200, cJSON_CreateObject());
}

int account_assign_load(struct account_state *a, const cJSON *json, char *err,
			size_t errlen)
{
	const cJSON *ws, *principal, *level;

	if (!json)
		return 0; /* a file from before assignments existed */
	if (!cJSON_IsObject(json))
		goto bad;
	cJSON_ArrayForEach(ws, json)
	{
		if (!cJSON_IsObject(ws))
			goto bad;
		cJSON_ArrayForEach(principal, ws)
		{
			if (!cJSON_IsArray(principal))
				goto bad;
			cJSON_ArrayForEach(level, principal)
			{
				if (!cJSON_IsString(level))
					goto bad;
			}
		}
	}
	cJSON_Delete(a->assignments);
	a->assignments = cJSON_Duplicate(json, true);
	return 0;

bad:
	snprintf(err, errlen,
		 "permission_assignments: expected {\"<workspace_id>\": "
		 "{\"<principal_id>\": [\"USER\"|\"ADMIN\"]}}");
	return -1;
}
