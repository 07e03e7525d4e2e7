/*
 * Identity and discovery: the first calls every Databricks client makes.
 *
 *   GET /.well-known/databricks-config    host metadata, no auth
 *                                          (databricks-rest-api.md §2.1)
 *   GET /api/2.0/preview/scim/v2/Me        the caller (§2.5)
 *
 * The host metadata answers like Databricks' own fake workspace:
 * oidc_endpoint "<base>/oidc", workspace_id "900800700600", plus cloud
 * (the --cloud played: "aws", "azure" or "gcp") and host_type "workspace".
 * <base> comes from the request's Host header, so a client that reached the
 * emulator as localhost:PORT is sent back to the same address; without a usable
 * Host it is the listening URL.
 *
 * SCIM /Me describes the workspace user (userName "admin@example.com" by
 * default) and carries the X-Databricks-Org-Id header, which is how the Go
 * SDK learns the workspace id. ?excludedAttributes= and ?attributes= are
 * honoured for top-level attributes. The caller is read from the SCIM
 * directory (scim.c): the user with its userName, or the service principal
 * with its applicationId (an OAuth client id); a caller it does not hold
 * is shown as scim_me() below describes.
 *
 * Stateless: identity lives in the workspace (workspace.h) and scim.c.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "identity.h"
#include "identity_internal.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

static void well_known_config(struct emu_request *req,
			      struct emu_response *resp)
{
	const char *host = emu_request_header(req, "Host");
	char *oidc;
	cJSON *body = cJSON_CreateObject();

	if (emu_host_usable(host))
		oidc = emu_printf("http://%s/oidc", host);
	else
		oidc = emu_printf("%s/oidc", emu_workspace_base_url(req->ws));
	cJSON_AddStringToObject(body, "oidc_endpoint", oidc);
	cJSON_AddStringToObject(body, "workspace_id",
				emu_workspace_id(req->ws));
	cJSON_AddStringToObject(body, "cloud",
				emu_cloud_name(emu_workspace_cloud(req->ws)));
	cJSON_AddStringToObject(body, "host_type", "workspace");
	free(oidc);
	emu_response_json(resp, 200, body);
}

/* A stable 16-digit SCIM id for a service principal's application id. */
char *emu_identity_principal_id(const char *application_id)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*application_id) {
		h ^= (unsigned char)*application_id++;
		h *= 1099511628211ULL;
	}
	return emu_printf("%" PRIu64, (uint64_t)(4300000000000000ULL +
						 h % 100000000000000ULL));
}

/*
 * /Me for a caller the SCIM directory does not hold: an OAuth client (a
 * service principal: its client id is userName and displayName, with no
 * name or emails, as Databricks shows service principals), a --basic-user
 * never created by SCIM, or the workspace user after a SCIM delete. All
 * are admins, as the emulator's callers have always been.
 */
static cJSON *scim_me(const struct emu_workspace *ws, const char *principal)
{
	const char *user = emu_workspace_user_name(ws);
	const char *who = principal ? principal : user;
	bool own = strcmp(who, user) == 0;
	char *id = own ? emu_xstrdup(emu_workspace_user_id(ws))
		       : emu_identity_principal_id(who);
	cJSON *me = cJSON_CreateObject();
	cJSON *schemas = cJSON_AddArrayToObject(me, "schemas");
	cJSON *groups, *group, *ents;
	static const char *const entitlements[] = {
		"allow-cluster-create", "allow-instance-pool-create",
		"databricks-sql-access", "workspace-access"};
	size_t i;

	cJSON_AddItemToArray(
		schemas, cJSON_CreateString(
				 "urn:ietf:params:scim:schemas:core:2.0:User"));
	cJSON_AddItemToArray(
		schemas, cJSON_CreateString("urn:ietf:params:scim:schemas:"
					    "extension:workspace:2.0:User"));
	cJSON_AddStringToObject(me, "id", id);
	cJSON_AddStringToObject(me, "userName", who);
	cJSON_AddStringToObject(me, "displayName", who);
	cJSON_AddBoolToObject(me, "active", true);
	free(id);
	groups = cJSON_AddArrayToObject(me, "groups");
	group = cJSON_CreateObject();
	cJSON_AddStringToObject(group, "display", "admins");
	cJSON_AddStringToObject(group, "value", EMU_SCIM_ADMINS_ID);
	cJSON_AddStringToObject(group, "$ref", "Groups/" EMU_SCIM_ADMINS_ID);
	cJSON_AddStringToObject(group, "type", "direct");
	cJSON_AddItemToArray(groups, group);
	ents = cJSON_AddArrayToObject(me, "entitlements");
	for (i = 0; i < EMU_ARRAY_SIZE(entitlements); i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "value", entitlements[i]);
		cJSON_AddItemToArray(ents, e);
	}
	return me;
}

static void scim_me_get(struct emu_request *req, struct emu_response *resp)
{
	const char *who = req->principal ? req->principal
					 : emu_workspace_user_name(req->ws);
	cJSON *me = emu_scim_me(req->ws, who);

	/* A caller the directory does not hold (an OAuth client or a
	 * --basic-user that was never created by SCIM) is still shown. */
	if (!me)
		me = scim_me(req->ws, req->principal);
	emu_scim_project(me, emu_request_query(req, "attributes"),
			 emu_request_query(req, "excludedAttributes"));
	emu_response_json(resp, 200, me);
	emu_response_set_header(resp, "X-Databricks-Org-Id",
				emu_workspace_id(req->ws));
}

static const struct emu_route identity_routes[] = {
	{.method = "GET",
	 .pattern = "/.well-known/databricks-config",
	 .handler = well_known_config,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "GET",
	 .pattern = "/api/2.0/preview/scim/v2/Me",
	 .handler = scim_me_get},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_identity = {
	.name = "identity",
	.routes = identity_routes,
};
