/*
 * OAuth machine-to-machine authentication for service principals
 * (databricks-rest-api.md §2.2-2.3):
 *
 *   GET  /oidc/.well-known/oauth-authorization-server   discovery, no auth
 *   POST /oidc/v1/token                                  client credentials
 *   POST /oidc/accounts/{account_id}/v1/token            the same, for the
 *                                                        account API
 *
 * The account endpoint is what the SDKs call on the account console
 * (without discovery: the Go SDK's GetAccountOAuthEndpoints builds
 * {host}/oidc/accounts/{account_id}/v1/token). It takes the same clients
 * and issues the same tokens. Another account id than the emulated one
 * (--account-id, emu_workspace_account_id) is refused as 401
 * invalid_client: that account's authorization server does not know the
 * client (RFC 6749 §5.2). No public source quotes Databricks' answer for
 * this case; the code follows the RFC and the wording is ours.
 *
 * Clients come from --oauth-client ID:SECRET, and are the directory's
 * service principals with the secrets made for them (sp_secrets.c). The token request is
 * form-encoded, grant_type=client_credentials with an optional scope
 * (default all-apis), and authenticates with "Authorization: Basic
 * base64(id:secret)" (id and secret form-encoded first, as RFC 6749 §2.3.1
 * says and Go's oauth2 package does) or with client_id and client_secret
 * form fields. A good request gets an opaque random access token, valid
 * for --oauth-token-ttl seconds on the workspace clock and accepted as a
 * bearer token on every API, acting as the client id (the service
 * principal's application id: SCIM /Me shows it as userName). Errors are
 * OAuth-shaped: {"error": "invalid_client", "error_description": ...}.
 *
 * Credentials are never logged: the token route is EMU_ROUTE_SECRET_ARGS,
 * so the request log keeps its method, path and status only.
 *
 * Stateless: issued tokens live in the workspace's token table (auth.h)
 * and are forgotten on /_emulator/reset.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "identity.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

/* Random bytes in an access token (shown as hex). */
#define TOKEN_BYTES 24

static char *base_url(struct emu_request *req)
{
	const char *host = emu_request_header(req, "Host");

	if (emu_host_usable(host))
		return emu_printf("http://%s", host);
	return emu_xstrdup(emu_workspace_base_url(req->ws));
}

static void add_url(cJSON *obj, const char *name, const char *base,
		    const char *suffix)
{
	char *url = emu_printf("%s%s", base, suffix);

	cJSON_AddStringToObject(obj, name, url);
	free(url);
}

static void add_strings(cJSON *obj, const char *name, const char *const *values,
			size_t n)
{
	cJSON *array = cJSON_AddArrayToObject(obj, name);
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(array, cJSON_CreateString(values[i]));
}

static void oauth_discovery(struct emu_request *req, struct emu_response *resp)
{
	static const char *const grants[] = {
		"client_credentials", "authorization_code", "refresh_token"};
	static const char *const auth_methods[] = {"client_secret_basic",
						   "client_secret_post"};
	static const char *const scopes[] = {"all-apis", "offline_access"};
	static const char *const response_types[] = {"code"};
	char *base = base_url(req);
	cJSON *body = cJSON_CreateObject();

	add_url(body, "issuer", base, "/oidc");
	add_url(body, "authorization_endpoint", base, "/oidc/v1/authorize");
	add_url(body, "token_endpoint", base, "/oidc/v1/token");
	add_url(body, "jwks_uri", base, "/oidc/jwks.json");
	add_strings(body, "grant_types_supported", grants,
		    EMU_ARRAY_SIZE(grants));
	add_strings(body, "response_types_supported", response_types,
		    EMU_ARRAY_SIZE(response_types));
	add_strings(body, "scopes_supported", scopes, EMU_ARRAY_SIZE(scopes));
	add_strings(body, "token_endpoint_auth_methods_supported", auth_methods,
		    EMU_ARRAY_SIZE(auth_methods));
	free(base);
	emu_response_json(resp, 200, body);
}

/* --- token endpoint ------------------------------------------------------- */

struct form {
	char *grant_type;
	char *scope;
	char *client_id;
	char *client_secret;
};

static void form_dispose(struct form *f)
{
	free(f->grant_type);
	free(f->scope);
	free(f->client_id);
	free(f->client_secret);
}

/* Stores value into *slot unless a value is there already (first wins). */
static void form_set(char **slot, char *value)
{
	if (*slot)
		free(value);
	else
		*slot = value;
}

/* Parses an application/x-www-form-urlencoded body. Returns -1 when it is
 * not valid (a bad escape, invalid UTF-8). */
static int form_parse(struct form *f, const char *body, size_t len)
{
	const char *p = body, *end = body + len;

	memset(f, 0, sizeof(*f));
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		char *name = NULL, *value = NULL;

		if (stop > p) {
			const char *name_end = eq ? eq : stop;

			if (emu_percent_decode(&name, p, (size_t)(name_end - p),
					       true) < 0 ||
			    emu_percent_decode(&value, eq ? eq + 1 : stop,
					       eq ? (size_t)(stop - eq - 1) : 0,
					       true) < 0) {
				free(name);
				free(value);
				return -1;
			}
			if (strcmp(name, "grant_type") == 0)
				form_set(&f->grant_type, value);
			else if (strcmp(name, "scope") == 0)
				form_set(&f->scope, value);
			else if (strcmp(name, "client_id") == 0)
				form_set(&f->client_id, value);
			else if (strcmp(name, "client_secret") == 0)
				form_set(&f->client_secret, value);
			else
				free(value);
			free(name);
		}
		p = stop + 1;
	}
	return 0;
}

static void oauth_error(struct emu_response *resp, int status,
			const char *error, const char *description)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "error", error);
	cJSON_AddStringToObject(body, "error_description", description);
	emu_response_json(resp, status, body);
	resp->error_code = error;
	if (status == 401)
		emu_response_set_header(resp, "WWW-Authenticate",
					"Basic realm=\"oidc\"");
}

/*
 * Reads "Authorization: Basic base64(id:secret)" into *id and *secret
 * (both form-decoded). Returns 1 when the header is absent or not Basic,
 * 0 on success, -1 when it is malformed.
 */
static int basic_credentials(char **id, char **secret, const char *header)
{
	unsigned char *raw = NULL;
	size_t raw_len = 0;
	const char *text, *colon;
	int error = -1;

	*id = NULL;
	*secret = NULL;
	if (!header || !emu_strcaseprefix(header, "Basic "))
		return 1;
	text = header + strlen("Basic ");
	while (*text == ' ')
		text++;
	if (emu_base64_decode(&raw, &raw_len, text, strlen(text)) < 0)
		return -1;
	colon = memchr(raw, ':', raw_len);
	if (!colon || memchr(raw, '\0', raw_len))
		goto done;
	if (emu_percent_decode(id, (const char *)raw,
			       (size_t)(colon - (const char *)raw), true) < 0 ||
	    emu_percent_decode(secret, colon + 1,
			       raw_len - (size_t)(colon + 1 - (char *)raw),
			       true) < 0) {
		free(*id);
		free(*secret);
		*id = NULL;
		*secret = NULL;
		goto done;
	}
	error = 0;

done:
	free(raw);
	return error;
}

/* Equal strings, compared in time that depends on the given length only. */
static bool secret_equal(const char *known, const char *given)
{
	size_t n = strlen(known), m = strlen(given), i;
	unsigned char diff = n != m;

	for (i = 0; i < m; i++)
		diff |= (unsigned char)(given[i] ^ known[i < n ? i : 0]);
	return diff == 0;
}

/* The client credentials grant, the same on both token endpoints. */
static void oauth_token(struct emu_request *req, struct emu_response *resp)
{
	struct form form;
	char *id = NULL, *secret = NULL, *token;
	const char *client_id, *client_secret, *known, *scope;
	int64_t ttl = emu_workspace_oauth_token_ttl_s(req->ws);
	int basic;
	cJSON *body;

	if (form_parse(&form, req->body ? req->body : "", req->body_len) < 0) {
		oauth_error(resp, 400, "invalid_request",
			    "The request body is not valid "
			    "application/x-www-form-urlencoded text.");
		return;
	}
	basic = basic_credentials(&id, &secret,
				  emu_request_header(req, "Authorization"));
	if (basic < 0) {
		oauth_error(resp, 401, "invalid_client",
			    "Malformed Basic authorization header.");
		goto done;
	}
	client_id = basic == 0 ? id : form.client_id;
	client_secret = basic == 0 ? secret : form.client_secret;
	if (!form.grant_type) {
		oauth_error(resp, 400, "invalid_request",
			    "Missing required parameter: grant_type");
		goto done;
	}
	if (strcmp(form.grant_type, "client_credentials") != 0) {
		oauth_error(resp, 400, "unsupported_grant_type",
			    "Only the client_credentials grant is supported "
			    "by this workspace emulator.");
		goto done;
	}
	if (!client_id || !client_secret) {
		oauth_error(resp, 401, "invalid_client",
			    "Client authentication failed: no client "
			    "credentials were sent.");
		goto done;
	}
	known = emu_workspace_oauth_secret(req->ws, client_id);
	/* Compare against something even for an unknown client, so the
	 * answer does not tell which part was wrong. A service principal's
	 * secret made through the API (sp_secrets.c) is as good. */
	if ((!secret_equal(known ? known : "", client_secret) || !known) &&
	    !emu_sp_secret_valid(req->ws, client_id, client_secret)) {
		oauth_error(resp, 401, "invalid_client",
			    "Client authentication failed: invalid client id "
			    "or secret.");
		goto done;
	}
	scope = form.scope && form.scope[0] ? form.scope : "all-apis";

	/* "dose" is how Databricks OAuth access tokens start. */
	token = emu_random_token("dose", TOKEN_BYTES);
	emu_auth_add_token(emu_workspace_auth(req->ws), token, client_id,
			   emu_workspace_now_ms(req->ws) + ttl * 1000);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "access_token", token);
	cJSON_AddStringToObject(body, "token_type", "Bearer");
	emu_json_add_int64(body, "expires_in", ttl);
	cJSON_AddStringToObject(body, "scope", scope);
	free(token);
	emu_response_json(resp, 200, body);
	/* RFC 6749 §5.1: token responses must not be cached. */
	emu_response_set_header(resp, "Cache-Control", "no-store");
	emu_response_set_header(resp, "Pragma", "no-cache");

done:
	free(id);
	free(secret);
	form_dispose(&form);
}

static void oauth_account_token(struct emu_request *req,
				struct emu_response *resp)
{
	const char *id = emu_request_param(req, "account_id");

	if (!id || strcmp(id, emu_workspace_account_id(req->ws)) != 0) {
		oauth_error(resp, 401, "invalid_client",
			    "Client authentication failed: the client is "
			    "not a service principal of this account.");
		return;
	}
	oauth_token(req, resp);
}

static const struct emu_route oauth_routes[] = {
	{.method = "GET",
	 .pattern = "/oidc/.well-known/oauth-authorization-server",
	 .handler = oauth_discovery,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "POST",
	 .pattern = "/oidc/v1/token",
	 .handler = oauth_token,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_RAW_BODY |
		  EMU_ROUTE_SECRET_ARGS},
	{.method = "POST",
	 .pattern = "/oidc/accounts/{account_id}/v1/token",
	 .handler = oauth_account_token,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_RAW_BODY |
		  EMU_ROUTE_SECRET_ARGS},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_oauth = {
	.name = "oauth",
	.routes = oauth_routes,
};
