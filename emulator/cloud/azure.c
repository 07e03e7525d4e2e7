/*
 * Stand-ins for the Azure services a provider signs in through, served on
 * the emulator's own port under the paths of the real ones, so that a
 * test points the provider's Azure endpoints (ARM_LOGIN_ENDPOINT,
 * ARM_MANAGEMENT_ENDPOINT, ARM_MSI_ENDPOINT) at the emulator:
 *
 *   POST /{tenant}/oauth2/token          Microsoft Entra ID, v1 token
 *   POST /{tenant}/oauth2/v2.0/token     endpoint and v2 (scope=<r>/.default)
 *   GET  /metadata/identity/oauth2/token the instance metadata service
 *                                        (IMDS) of a managed identity
 *   GET  /subscriptions/{s}/resourceGroups/{g}/providers/
 *        Microsoft.Databricks/workspaces/{name}?api-version=...
 *                                        the Resource Manager's workspace
 *   GET  /aad/auth                       a workspace's Azure sign-in page:
 *                                        302 to Entra ID, the tenant in
 *                                        the Location's path
 *   GET|POST /_emulator/azure            test control (below)
 *
 * Entra ID takes the client credentials grant (client_id and
 * client_secret as form fields, or HTTP Basic) for a resource: the Azure
 * Databricks application 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d, whose
 * tokens the workspace API accepts as the client id (as Azure Databricks
 * maps a service principal's token to its application id), or the
 * management resource https://management.core.windows.net/ (also
 * https://management.azure.com/), whose tokens only the Resource Manager
 * stand-in accepts: the workspace refuses them, as the real one refuses a
 * token for another audience. The answer has Entra ID's v1 shape (numbers
 * as strings: expires_in, expires_on, ...). Errors are Entra ID's, with
 * their AADSTS codes: 90002 (unknown tenant, 400 invalid_request), 700016
 * (unknown application in the tenant, 400 unauthorized_client), 7000215
 * (wrong secret, 401 invalid_client), 500011 (unknown resource, 400
 * invalid_resource), 900144 (a missing parameter).
 *
 * Instead of a secret, a client may prove itself with a client assertion
 * (client_assertion_type urn:ietf:params:oauth:client-assertion-type:
 * jwt-bearer): an ID token of another issuer, for a federated identity
 * credential of the application (workload identity federation, as
 * GitHub Actions signs in to Azure). The federated client is its own
 * application (federated_client_id); the assertion's iss and sub must be
 * the credential's (federated_issuer, default GitHub's, and
 * federated_subject), its aud api://AzureADTokenExchange, its exp ahead:
 * else AADSTS50027 (not a JWT), 700024 (expired) or 70021 (no matching
 * federated identity record), 400 invalid_request or invalid_client.
 *
 * GET /aad/auth answers what Azure Databricks answers a browser: a
 * redirect to Entra ID's authorize URL of the configured tenant, which is
 * how the Go SDK learns a workspace's tenant; without a tenant, 404.
 *
 * IMDS answers only with "Metadata: true" (else 400 "Required metadata
 * header not specified", as Azure's IMDS), for the configured managed
 * identity (a client_id, when given, must be its own; else 400 "Identity
 * not found"). The Resource Manager answers the configured workspace
 * resource id (case-insensitively, as Azure compares resource ids) with
 * properties.workspaceUrl = this emulator's host, needs api-version and a
 * management token, and answers others 404 ResourceNotFound.
 *
 * The control sets who exists (every field optional; a secret is never
 * shown back):
 *   POST /_emulator/azure {"tenant_id", "client_id", "client_secret",
 *        "managed_identity_client_id", "workspace_resource_id",
 *        "token_ttl_seconds", "federated_client_id", "federated_issuer",
 *        "federated_subject"}
 * token_ttl_seconds (default 3600) makes short-lived tokens, so a test can
 * make one expire during an apply. Without a configured tenant the token
 * endpoint knows none (AADSTS90002).
 *
 * Credentials never reach the request log: the token routes are
 * EMU_ROUTE_SECRET_ARGS. Tokens for the workspace live in its token table
 * (auth.h); management tokens in this module's state.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "jwt.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define AZ_DATABRICKS_APP  "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"
#define AZ_TOKEN_BYTES	   24
#define AZ_MAX_MGMT_TOKENS 1000
/* Entra ID access tokens are JWTs: they start with a JOSE header. */
#define AZ_TOKEN_PREFIX "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9."
#define AZ_ASSERTION_TYPE                                                      \
	"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define AZ_EXCHANGE_AUDIENCE "api://AzureADTokenExchange"
#define AZ_GITHUB_ISSUER     "https://token.actions.githubusercontent.com"

struct mgmt_token {
	char *token;
	int64_t expires_ms;
};

struct azure_state {
	char *tenant_id;
	char *client_id;
	char *client_secret;
	char *msi_client_id;
	char *resource_id;
	char *fed_client_id;
	char *fed_issuer;
	char *fed_subject;
	int64_t ttl_s;
	struct mgmt_token *mgmt;
	size_t nmgmt;
};

static void *azure_state_new(void)
{
	struct azure_state *st = emu_xcalloc(1, sizeof(*st));

	st->ttl_s = 3600;
	return st;
}

static void azure_state_free(void *p)
{
	struct azure_state *st = p;
	size_t i;

	if (!st)
		return;
	free(st->tenant_id);
	free(st->client_id);
	free(st->client_secret);
	free(st->msi_client_id);
	free(st->resource_id);
	free(st->fed_client_id);
	free(st->fed_issuer);
	free(st->fed_subject);
	for (i = 0; i < st->nmgmt; i++)
		free(st->mgmt[i].token);
	free(st->mgmt);
	free(st);
}

/* --- helpers -------------------------------------------------------------- */


/* An Entra ID error: {"error", "error_description" (with the trace ids
 * Entra ID appends), "error_codes", "timestamp", ...}. */
static void aad_error(struct emu_response *resp, int status, const char *error,
		      int code, const char *text)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *codes = cJSON_AddArrayToObject(body, "error_codes");
	char *trace = emu_random_token("", 16);
	char *desc = emu_printf("AADSTS%d: %s Trace ID: %s Correlation ID: %s "
				"Timestamp: 2024-01-01 00:00:00Z",
				code, text, trace, trace);
	char *uri = emu_printf(
		"https://login.microsoftonline.com/error?code=%d", code);

	cJSON_AddStringToObject(body, "error", error);
	cJSON_AddStringToObject(body, "error_description", desc);
	cJSON_AddItemToArray(codes, cJSON_CreateNumber(code));
	cJSON_AddStringToObject(body, "trace_id", trace);
	cJSON_AddStringToObject(body, "correlation_id", trace);
	cJSON_AddStringToObject(body, "error_uri", uri);
	free(trace);
	free(desc);
	free(uri);
	emu_response_json(resp, status, body);
	resp->error_code = error;
}

/* A Resource Manager error: {"error": {"code", "message"}}. */
static void arm_error(struct emu_response *resp, int status, const char *code,
		      const char *message)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(body, "error");

	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", message);
	emu_response_json(resp, status, body);
	resp->error_code = code;
}

static bool management_resource(const char *r)
{
	return strcmp(r, "https://management.core.windows.net/") == 0 ||
	       strcmp(r, "https://management.core.windows.net") == 0 ||
	       strcmp(r, "https://management.azure.com/") == 0 ||
	       strcmp(r, "https://management.azure.com") == 0;
}

/*
 * A new token for resource, valid for the configured lifetime: the
 * workspace accepts Databricks ones as principal, this module keeps the
 * management ones. Fills the fields Entra ID and IMDS share (as strings,
 * as both send them).
 */
static void issue_token(cJSON *body, struct emu_request *req,
			struct azure_state *st, const char *resource,
			const char *principal)
{
	int64_t now = emu_workspace_now_ms(req->ws);
	int64_t exp = now + st->ttl_s * 1000;
	char *token = emu_random_token(AZ_TOKEN_PREFIX, AZ_TOKEN_BYTES);
	char num[32];

	if (management_resource(resource)) {
		if (st->nmgmt >= AZ_MAX_MGMT_TOKENS) {
			free(st->mgmt[0].token);
			memmove(&st->mgmt[0], &st->mgmt[1],
				(st->nmgmt - 1) * sizeof(st->mgmt[0]));
			st->nmgmt--;
		}
		st->mgmt = emu_xrealloc(st->mgmt,
					(st->nmgmt + 1) * sizeof(st->mgmt[0]));
		st->mgmt[st->nmgmt].token = emu_xstrdup(token);
		st->mgmt[st->nmgmt].expires_ms = exp;
		st->nmgmt++;
	} else {
		emu_auth_add_token(emu_workspace_auth(req->ws), token,
				   principal, exp);
	}
	cJSON_AddStringToObject(body, "token_type", "Bearer");
	snprintf(num, sizeof(num), "%lld", (long long)st->ttl_s);
	cJSON_AddStringToObject(body, "expires_in", num);
	cJSON_AddStringToObject(body, "ext_expires_in", num);
	snprintf(num, sizeof(num), "%lld", (long long)(exp / 1000));
	cJSON_AddStringToObject(body, "expires_on", num);
	snprintf(num, sizeof(num), "%lld", (long long)(now / 1000));
	cJSON_AddStringToObject(body, "not_before", num);
	cJSON_AddStringToObject(body, "resource", resource);
	cJSON_AddStringToObject(body, "access_token", token);
	free(token);
}

/* --- Entra ID ------------------------------------------------------------- */

/* "Authorization: Basic base64(id:secret)" into *id and *secret, or
 * nothing (both NULL) when absent or malformed. */
static void basic_pair(char **id, char **secret, const char *header)
{
	unsigned char *raw = NULL;
	size_t raw_len = 0;
	const char *colon;

	*id = NULL;
	*secret = NULL;
	if (!header || !emu_strcaseprefix(header, "Basic "))
		return;
	header += strlen("Basic ");
	if (emu_base64_decode(&raw, &raw_len, header, strlen(header)) < 0)
		return;
	colon = memchr(raw, ':', raw_len);
	if (colon && !memchr(raw, '\0', raw_len) &&
	    emu_percent_decode(id, (const char *)raw,
			       (size_t)(colon - (const char *)raw),
			       true) == 0 &&
	    emu_percent_decode(secret, colon + 1,
			       raw_len - (size_t)(colon + 1 - (char *)raw),
			       true) < 0) {
		free(*id);
		*id = NULL;
	}
	free(raw);
}

/* "<resource>/.default" (v2's scope) as the resource, in place. */
static void strip_default_scope(char *resource, bool v2)
{
	size_t n = resource ? strlen(resource) : 0;

	if (v2 && n > 9 && strcmp(resource + n - 9, "/.default") == 0)
		resource[n - 9] = '\0';
}

static void unknown_tenant(struct emu_response *resp, const char *tenant)
{
	char *text = emu_printf("Tenant '%s' not found. Check to make sure "
				"you have the correct tenant ID and are "
				"signing into the correct cloud. Check with "
				"your subscription administrator, this may "
				"happen if there are no active subscriptions "
				"for the tenant.",
				tenant ? tenant : "");

	aad_error(resp, 400, "invalid_request", 90002, text);
	free(text);
}

/* The client credentials grant with a client assertion (a federated
 * identity credential) in place of a secret. */
static void entra_assertion(struct emu_request *req, struct emu_response *resp,
			    const char *tenant, const char *grant,
			    const char *id, char *resource, bool v2,
			    const char *atype)
{
	struct azure_state *st = req->state;
	const char *body = req->body ? req->body : "";
	char *assertion = emu_form_value(body, req->body_len, "client_assertion");
	int64_t now = emu_workspace_now_ms(req->ws) / 1000;
	cJSON *claims = NULL, *answer;
	const char *why;
	char *text = NULL;

	if (!st->tenant_id || !tenant || strcmp(tenant, st->tenant_id) != 0) {
		unknown_tenant(resp, tenant);
		goto done;
	}
	if (!grant || strcmp(grant, "client_credentials") != 0) {
		aad_error(resp, 400, "unsupported_grant_type", 70003,
			  "The app requested an unsupported grant type.");
		goto done;
	}
	if (strcmp(atype, AZ_ASSERTION_TYPE) != 0 || !assertion) {
		aad_error(resp, 400, "invalid_request", 900144,
			  "The request body must contain the following "
			  "parameter: 'client_assertion'.");
		goto done;
	}
	if (!id || !st->fed_client_id || strcmp(id, st->fed_client_id) != 0) {
		text = emu_printf("Application with identifier '%s' was not "
				  "found in the directory '%s'.",
				  id ? id : "", tenant);
		aad_error(resp, 400, "unauthorized_client", 700016, text);
		goto done;
	}
	claims = emu_jwt_claims(assertion);
	if (!claims) {
		aad_error(resp, 400, "invalid_request", 50027,
			  "JWT token is invalid or is malformed.");
		goto done;
	}
	why = emu_jwt_mismatch(
		claims, st->fed_issuer ? st->fed_issuer : AZ_GITHUB_ISSUER,
		st->fed_subject, AZ_EXCHANGE_AUDIENCE, now);
	if (why && strstr(why, "expired")) {
		aad_error(resp, 400, "invalid_client", 700024,
			  "Client assertion is not within its valid time "
			  "range.");
		goto done;
	}
	if (why) {
		text = emu_printf("No matching federated identity record found "
				  "for presented assertion. Assertion Issuer: "
				  "'%s'. Assertion Subject: '%s'. Assertion "
				  "Audience: '%s'.",
				  emu_json_str(claims, "iss")
					  ? emu_json_str(claims, "iss")
					  : "",
				  emu_json_str(claims, "sub")
					  ? emu_json_str(claims, "sub")
					  : "",
				  emu_json_str(claims, "aud")
					  ? emu_json_str(claims, "aud")
					  : "");
		aad_error(resp, 400, "invalid_client", 70021, text);
		goto done;
	}
	strip_default_scope(resource, v2);
	if (!resource || (strcmp(resource, AZ_DATABRICKS_APP) != 0 &&
			  !management_resource(resource))) {
		text = emu_printf("The resource principal named %s was not "
				  "found in the tenant named %s.",
				  resource ? resource : "", tenant);
		aad_error(resp, 400, "invalid_resource", 500011, text);
		goto done;
	}
	answer = cJSON_CreateObject();
	issue_token(answer, req, st, resource, id);
	emu_response_json(resp, 200, answer);
	emu_response_set_header(resp, "Cache-Control", "no-store, no-cache");
	emu_response_set_header(resp, "Pragma", "no-cache");

done:
	cJSON_Delete(claims);
	if (assertion)
		memset(assertion, 0, strlen(assertion));
	free(assertion);
	free(text);
}

static void entra_token(struct emu_request *req, struct emu_response *resp,
			bool v2)
{
	struct azure_state *st = req->state;
	const char *tenant = emu_request_param(req, "tenant");
	const char *body = req->body ? req->body : "";
	char *grant = emu_form_value(body, req->body_len, "grant_type");
	char *id = emu_form_value(body, req->body_len, "client_id");
	char *secret = emu_form_value(body, req->body_len, "client_secret");
	char *resource =
		emu_form_value(body, req->body_len, v2 ? "scope" : "resource");
	char *atype = emu_form_value(body, req->body_len, "client_assertion_type");
	char *text = NULL;
	cJSON *answer;

	if (atype) {
		entra_assertion(req, resp, tenant, grant, id, resource, v2,
				atype);
		free(atype);
		goto done;
	}
	if (!id || !secret) {
		free(id);
		free(secret);
		basic_pair(&id, &secret,
			   emu_request_header(req, "Authorization"));
	}
	if (!st->tenant_id || !tenant || strcmp(tenant, st->tenant_id) != 0) {
		text = emu_printf("Tenant '%s' not found. Check to make sure "
				  "you have the correct tenant ID and are "
				  "signing into the correct cloud. Check with "
				  "your subscription administrator, this may "
				  "happen if there are no active subscriptions "
				  "for the tenant.",
				  tenant ? tenant : "");
		aad_error(resp, 400, "invalid_request", 90002, text);
		goto done;
	}
	if (!grant) {
		aad_error(resp, 400, "invalid_request", 900144,
			  "The request body must contain the following "
			  "parameter: 'grant_type'.");
		goto done;
	}
	if (strcmp(grant, "client_credentials") != 0) {
		aad_error(resp, 400, "unsupported_grant_type", 70003,
			  "The app requested an unsupported grant type.");
		goto done;
	}
	if (!id) {
		aad_error(resp, 400, "invalid_request", 900144,
			  "The request body must contain the following "
			  "parameter: 'client_id'.");
		goto done;
	}
	if (!st->client_id || strcmp(id, st->client_id) != 0) {
		text = emu_printf("Application with identifier '%s' was not "
				  "found in the directory '%s'. This can "
				  "happen if the application has not been "
				  "installed by the administrator of the "
				  "tenant or consented to by any user in the "
				  "tenant. You may have sent your "
				  "authentication request to the wrong tenant.",
				  id, tenant);
		aad_error(resp, 400, "unauthorized_client", 700016, text);
		goto done;
	}
	if (!secret ||
	    !emu_secret_equal(st->client_secret ? st->client_secret : "", secret) ||
	    !st->client_secret) {
		text = emu_printf("Invalid client secret provided. Ensure the "
				  "secret being sent in the request is the "
				  "client secret value, not the client secret "
				  "ID, for a secret added to app '%s'.",
				  id);
		aad_error(resp, 401, "invalid_client", 7000215, text);
		goto done;
	}
	if (resource && v2) {
		/* v2 asks for "<resource>/.default". */
		size_t n = strlen(resource);

		if (n > 9 && strcmp(resource + n - 9, "/.default") == 0)
			resource[n - 9] = '\0';
	}
	if (!resource || (strcmp(resource, AZ_DATABRICKS_APP) != 0 &&
			  !management_resource(resource))) {
		text = emu_printf("The resource principal named %s was not "
				  "found in the tenant named %s. This can "
				  "happen if the application has not been "
				  "installed by the administrator of the "
				  "tenant or consented to by any user in the "
				  "tenant. You might have sent your "
				  "authentication request to the wrong tenant.",
				  resource ? resource : "", tenant);
		aad_error(resp, 400, "invalid_resource", 500011, text);
		goto done;
	}
	answer = cJSON_CreateObject();
	issue_token(answer, req, st, resource, id);
	emu_response_json(resp, 200, answer);
	emu_response_set_header(resp, "Cache-Control", "no-store, no-cache");
	emu_response_set_header(resp, "Pragma", "no-cache");

done:
	free(text);
	free(grant);
	free(id);
	if (secret)
		memset(secret, 0, strlen(secret));
	free(secret);
	free(resource);
}

static void entra_token_v1(struct emu_request *req, struct emu_response *resp)
{
	entra_token(req, resp, false);
}

static void entra_token_v2(struct emu_request *req, struct emu_response *resp)
{
	entra_token(req, resp, true);
}

/* --- instance metadata service -------------------------------------------- */

static void imds_error(struct emu_response *resp, const char *error,
		       const char *description)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "error", error);
	cJSON_AddStringToObject(body, "error_description", description);
	emu_response_json(resp, 400, body);
	resp->error_code = error;
}

static void imds_token(struct emu_request *req, struct emu_response *resp)
{
	struct azure_state *st = req->state;
	const char *meta = emu_request_header(req, "Metadata");
	const char *resource = emu_request_query(req, "resource");
	const char *id = emu_request_query(req, "client_id");
	cJSON *answer;

	if (!meta || strcasecmp(meta, "true") != 0) {
		imds_error(resp, "invalid_request",
			   "Required metadata header not specified");
		return;
	}
	if (!emu_request_query(req, "api-version")) {
		imds_error(resp, "invalid_request",
			   "Required query variable 'api-version' is missing");
		return;
	}
	if (!resource || resource[0] == '\0') {
		imds_error(resp, "invalid_request",
			   "Required audience not specified");
		return;
	}
	if (!st->msi_client_id ||
	    (id && id[0] != '\0' && strcmp(id, st->msi_client_id) != 0)) {
		imds_error(resp, "invalid_request", "Identity not found");
		return;
	}
	if (strcmp(resource, AZ_DATABRICKS_APP) != 0 &&
	    !management_resource(resource)) {
		imds_error(resp, "invalid_resource",
			   "AADSTS500011: The resource principal was not found "
			   "in the tenant.");
		return;
	}
	answer = cJSON_CreateObject();
	issue_token(answer, req, st, resource, st->msi_client_id);
	cJSON_AddStringToObject(answer, "client_id", st->msi_client_id);
	emu_response_json(resp, 200, answer);
}

/* --- Resource Manager ----------------------------------------------------- */

static void arm_workspace(struct emu_request *req, struct emu_response *resp)
{
	struct azure_state *st = req->state;
	const char *auth = emu_request_header(req, "Authorization");
	const char *host = emu_request_header(req, "Host");
	int64_t now = emu_workspace_now_ms(req->ws);
	bool known = false;
	char *id, *msg;
	const char *url;
	cJSON *body, *props;
	size_t i;

	if (!emu_request_query(req, "api-version")) {
		arm_error(resp, 400, "MissingApiVersionParameter",
			  "The api-version query parameter (?api-version=) is "
			  "required for all requests.");
		return;
	}
	if (!auth || !emu_strcaseprefix(auth, "Bearer ")) {
		arm_error(resp, 401, "AuthenticationFailed",
			  "Authentication failed. The 'Authorization' header "
			  "is missing.");
		return;
	}
	auth += strlen("Bearer ");
	for (i = 0; i < st->nmgmt && !known; i++)
		known = emu_secret_equal(st->mgmt[i].token, auth) &&
			now < st->mgmt[i].expires_ms;
	if (!known) {
		arm_error(resp, 401, "InvalidAuthenticationToken",
			  "The access token is invalid.");
		return;
	}
	id = emu_printf("/subscriptions/%s/resourceGroups/%s/providers/"
			"Microsoft.Databricks/workspaces/%s",
			emu_request_param(req, "subscription"),
			emu_request_param(req, "group"),
			emu_request_param(req, "name"));
	if (!st->resource_id || strcasecmp(id, st->resource_id) != 0) {
		msg = emu_printf(
			"The Resource 'Microsoft.Databricks/workspaces/"
			"%s' under resource group '%s' was not found. "
			"For more details please go to "
			"https://aka.ms/ARMResourceNotFoundFix",
			emu_request_param(req, "name"),
			emu_request_param(req, "group"));
		arm_error(resp, 404, "ResourceNotFound", msg);
		free(msg);
		free(id);
		return;
	}
	url = emu_workspace_base_url(req->ws);
	if (strstr(url, "://"))
		url = strstr(url, "://") + 3;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "id", st->resource_id);
	cJSON_AddStringToObject(body, "name", emu_request_param(req, "name"));
	cJSON_AddStringToObject(body, "type",
				"Microsoft.Databricks/workspaces");
	cJSON_AddStringToObject(body, "location", "westeurope");
	props = cJSON_AddObjectToObject(body, "properties");
	cJSON_AddStringToObject(props, "workspaceUrl",
				emu_host_usable(host) ? host : url);
	cJSON_AddStringToObject(props, "provisioningState", "Succeeded");
	free(id);
	emu_response_json(resp, 200, body);
}

/* --- the workspace's sign-in redirect ------------------------------------- */

static void aad_auth(struct emu_request *req, struct emu_response *resp)
{
	struct azure_state *st = req->state;
	char *location;

	if (!st->tenant_id) {
		emu_error_not_found(resp, "No Azure tenant is configured.");
		return;
	}
	location = emu_printf("https://login.microsoftonline.com/%s/oauth2/"
			      "authorize?client_id=" AZ_DATABRICKS_APP
			      "&response_type=code&response_mode=form_post",
			      st->tenant_id);
	emu_response_json(resp, 302, NULL);
	emu_response_set_header(resp, "Location", location);
	free(location);
}

/* --- test control --------------------------------------------------------- */

static void set_string(char **slot, const cJSON *json, const char *name)
{
	const char *v = emu_json_str(json, name);

	if (v) {
		free(*slot);
		*slot = v[0] ? emu_xstrdup(v) : NULL;
	}
}

static cJSON *control_view(const struct azure_state *st)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "tenant_id",
				st->tenant_id ? st->tenant_id : "");
	cJSON_AddStringToObject(body, "client_id",
				st->client_id ? st->client_id : "");
	cJSON_AddBoolToObject(body, "client_secret_set",
			      st->client_secret != NULL);
	cJSON_AddStringToObject(body, "managed_identity_client_id",
				st->msi_client_id ? st->msi_client_id : "");
	cJSON_AddStringToObject(body, "workspace_resource_id",
				st->resource_id ? st->resource_id : "");
	emu_json_add_int64(body, "token_ttl_seconds", st->ttl_s);
	cJSON_AddStringToObject(body, "federated_client_id",
				st->fed_client_id ? st->fed_client_id : "");
	cJSON_AddStringToObject(body, "federated_issuer",
				st->fed_issuer ? st->fed_issuer
					       : AZ_GITHUB_ISSUER);
	cJSON_AddStringToObject(body, "federated_subject",
				st->fed_subject ? st->fed_subject : "");
	return body;
}

static void control_get(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200, control_view(req->state));
}

static void control_set(struct emu_request *req, struct emu_response *resp)
{
	struct azure_state *st = req->state;
	const cJSON *ttl = emu_json_member(req->json, "token_ttl_seconds");
	int64_t v = 0;

	if (ttl && (emu_json_int(&v, ttl) < 0 || v < 1 || v > 86400)) {
		emu_error_invalid(resp, "token_ttl_seconds must be a whole "
					"number of seconds from 1 to 86400.");
		return;
	}
	set_string(&st->tenant_id, req->json, "tenant_id");
	set_string(&st->client_id, req->json, "client_id");
	set_string(&st->client_secret, req->json, "client_secret");
	set_string(&st->msi_client_id, req->json, "managed_identity_client_id");
	set_string(&st->resource_id, req->json, "workspace_resource_id");
	set_string(&st->fed_client_id, req->json, "federated_client_id");
	set_string(&st->fed_issuer, req->json, "federated_issuer");
	set_string(&st->fed_subject, req->json, "federated_subject");
	if (ttl)
		st->ttl_s = v;
	emu_response_json(resp, 200, control_view(st));
}

static const struct emu_route azure_routes[] = {
	{.method = "POST",
	 .pattern = "/{tenant}/oauth2/token",
	 .handler = entra_token_v1,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_RAW_BODY |
		  EMU_ROUTE_SECRET_ARGS},
	{.method = "POST",
	 .pattern = "/{tenant}/oauth2/v2.0/token",
	 .handler = entra_token_v2,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_RAW_BODY |
		  EMU_ROUTE_SECRET_ARGS},
	{.method = "GET",
	 .pattern = "/metadata/identity/oauth2/token",
	 .handler = imds_token,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "GET",
	 .pattern = "/subscriptions/{subscription}/{rg:resourceGroups|"
		    "resourcegroups}/{group}/providers/"
		    "Microsoft.Databricks/workspaces/{name}",
	 .handler = arm_workspace,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "GET",
	 .pattern = "/aad/auth",
	 .handler = aad_auth,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "GET",
	 .pattern = "/_emulator/azure",
	 .handler = control_get,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	{.method = "POST",
	 .pattern = "/_emulator/azure",
	 .handler = control_set,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG | EMU_ROUTE_SECRET_ARGS},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_azure = {
	.name = "azure",
	.routes = azure_routes,
	.state_new = azure_state_new,
	.state_free = azure_state_free,
};
