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
 * The same endpoints take the token exchange of workload identity
 * federation (RFC 8693, as the Go SDK's databricksOIDCTokenSource sends
 * it): grant_type urn:ietf:params:oauth:grant-type:token-exchange,
 * subject_token_type urn:ietf:params:oauth:token-type:jwt, subject_token
 * an ID token of another issuer (GitHub Actions' stand-in, github.c, or
 * any JWT-shaped token a test makes: jwt.h), scope, and client_id for a
 * service principal's federation policy (without it: account-wide
 * federation, the token acting as its sub claim). A policy is set by
 *   POST   /_emulator/oidc/federation {"issuer", "subject", "audience",
 *          "client_id"}   (issuer required; adds one policy)
 *   GET    /_emulator/oidc/federation  the policies
 *   DELETE /_emulator/oidc/federation  none
 * and matches a token with its iss, its sub (when the policy names one)
 * and an aud of the policy's audience, or when it names none, the
 * account id or the token endpoint's URL (the SDK's default audiences),
 * an exp ahead, and the same client_id (none for account-wide). The
 * issued token acts as the policy's client_id, or the token's sub. A
 * token no policy matches gets 400 invalid_request saying which claim
 * did not fit.
 *
 * Credentials are never logged: the token route is EMU_ROUTE_SECRET_ARGS,
 * so the request log keeps its method, path and status only.
 *
 * The token endpoints keep nothing: issued tokens live in the
 * workspace's token table (auth.h) and are forgotten on /_emulator/reset.
 * The federation policies are the state of a module of their own
 * (emu_module_oidc_federation, listed before the control module's
 * /_emulator/ catch-all), emptied by a reset too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "errors.h"
#include "http.h"
#include "identity.h"
#include "json.h"
#include "jwt.h"
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
	char *subject_token;
	char *subject_token_type;
};

static void form_dispose(struct form *f)
{
	free(f->grant_type);
	free(f->scope);
	free(f->client_id);
	free(f->client_secret);
	if (f->subject_token)
		memset(f->subject_token, 0, strlen(f->subject_token));
	free(f->subject_token);
	free(f->subject_token_type);
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
			else if (strcmp(name, "subject_token") == 0)
				form_set(&f->subject_token, value);
			else if (strcmp(name, "subject_token_type") == 0)
				form_set(&f->subject_token_type, value);
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

/* --- workload identity federation ---------------------------------------- */

#define EXCHANGE_GRANT	  "urn:ietf:params:oauth:grant-type:token-exchange"
#define EXCHANGE_JWT_TYPE "urn:ietf:params:oauth:token-type:jwt"
#define FEDERATION_MAX	  100

struct policy {
	char *issuer;
	char *subject;	 /* NULL: any */
	char *audience;	 /* NULL: the account id or the token endpoint */
	char *client_id; /* NULL: account-wide */
};

struct federation_state {
	struct policy *policies;
	size_t n;
};

extern const struct emu_module emu_module_oidc_federation;

static void *federation_new(void)
{
	return emu_xcalloc(1, sizeof(struct federation_state));
}

static void federation_clear(struct federation_state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->policies[i].issuer);
		free(st->policies[i].subject);
		free(st->policies[i].audience);
		free(st->policies[i].client_id);
	}
	free(st->policies);
	st->policies = NULL;
	st->n = 0;
}

static void federation_free(void *p)
{
	if (p) {
		federation_clear(p);
		free(p);
	}
}

/* The token exchange: an ID token a federation policy matches, for a
 * Databricks token acting as the policy's service principal. */
static void oauth_exchange(struct emu_request *req, struct emu_response *resp,
			   const struct form *form)
{
	struct federation_state *st =
		emu_workspace_state(req->ws, &emu_module_oidc_federation);
	int64_t now = emu_workspace_now_ms(req->ws);
	int64_t ttl = emu_workspace_oauth_token_ttl_s(req->ws);
	const char *why = "no federation policy is configured";
	const char *principal = NULL;
	char *base = base_url(req), *endpoint, *token, *msg;
	cJSON *claims, *body;
	size_t i;

	endpoint = emu_printf("%s%s", base, req->path);
	free(base);
	if (!form->subject_token_type ||
	    strcmp(form->subject_token_type, EXCHANGE_JWT_TYPE) != 0) {
		oauth_error(resp, 400, "invalid_request",
			    "subject_token_type must be " EXCHANGE_JWT_TYPE
			    ".");
		free(endpoint);
		return;
	}
	claims = emu_jwt_claims(form->subject_token);
	if (!claims) {
		oauth_error(resp, 400, "invalid_request",
			    "The subject_token is not a JWT.");
		free(endpoint);
		return;
	}
	for (i = 0; st && i < st->n && !principal; i++) {
		const struct policy *p = &st->policies[i];
		const char *w;
		bool same_client =
			p->client_id ? form->client_id &&
					       strcmp(p->client_id,
						      form->client_id) == 0
				     : !form->client_id || !form->client_id[0];

		if (!same_client) {
			why = "no federation policy is for this client_id";
			continue;
		}
		if (p->audience)
			w = emu_jwt_mismatch(claims, p->issuer, p->subject,
					     p->audience, now / 1000);
		else {
			w = emu_jwt_mismatch(claims, p->issuer, p->subject,
					     emu_workspace_account_id(req->ws),
					     now / 1000);
			if (w && strstr(w, "(aud)"))
				w = emu_jwt_mismatch(claims, p->issuer,
						     p->subject, endpoint,
						     now / 1000);
		}
		if (w) {
			why = w;
			continue;
		}
		principal = p->client_id ? p->client_id
					 : emu_json_str(claims, "sub");
	}
	free(endpoint);
	if (!principal || !principal[0]) {
		msg = emu_printf("The subject_token does not match a "
				 "federation policy: %s.",
				 principal ? "the token has no subject" : why);
		oauth_error(resp, 400, "invalid_request", msg);
		free(msg);
		cJSON_Delete(claims);
		return;
	}
	token = emu_random_token("dose", TOKEN_BYTES);
	emu_auth_add_token(emu_workspace_auth(req->ws), token, principal,
			   now + ttl * 1000);
	cJSON_Delete(claims);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "access_token", token);
	cJSON_AddStringToObject(body, "token_type", "Bearer");
	emu_json_add_int64(body, "expires_in", ttl);
	cJSON_AddStringToObject(body, "scope",
				form->scope && form->scope[0] ? form->scope
							      : "all-apis");
	free(token);
	emu_response_json(resp, 200, body);
	emu_response_set_header(resp, "Cache-Control", "no-store");
	emu_response_set_header(resp, "Pragma", "no-cache");
}

static cJSON *federation_view(const struct federation_state *st)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "policies");
	size_t i;

	for (i = 0; i < st->n; i++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "issuer", st->policies[i].issuer);
		if (st->policies[i].subject)
			cJSON_AddStringToObject(p, "subject",
						st->policies[i].subject);
		if (st->policies[i].audience)
			cJSON_AddStringToObject(p, "audience",
						st->policies[i].audience);
		if (st->policies[i].client_id)
			cJSON_AddStringToObject(p, "client_id",
						st->policies[i].client_id);
		cJSON_AddItemToArray(list, p);
	}
	return body;
}

static void federation_get(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200, federation_view(req->state));
}

static char *dup_nonempty(const cJSON *json, const char *name)
{
	const char *v = emu_json_str(json, name);

	return v && v[0] ? emu_xstrdup(v) : NULL;
}

static void federation_add(struct emu_request *req, struct emu_response *resp)
{
	struct federation_state *st = req->state;
	struct policy *p;
	const char *issuer = emu_json_str(req->json, "issuer");

	if (!issuer || !issuer[0]) {
		emu_error_invalid(resp, "issuer is required.");
		return;
	}
	if (st->n >= FEDERATION_MAX) {
		emu_error_invalid(resp, "At most %d federation policies.",
				  FEDERATION_MAX);
		return;
	}
	st->policies =
		emu_xrealloc(st->policies, (st->n + 1) * sizeof(*st->policies));
	p = &st->policies[st->n++];
	p->issuer = emu_xstrdup(issuer);
	p->subject = dup_nonempty(req->json, "subject");
	p->audience = dup_nonempty(req->json, "audience");
	p->client_id = dup_nonempty(req->json, "client_id");
	emu_response_json(resp, 200, federation_view(st));
}

static void federation_delete(struct emu_request *req,
			      struct emu_response *resp)
{
	federation_clear(req->state);
	emu_response_json(resp, 200, federation_view(req->state));
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
	if (strcmp(form.grant_type, EXCHANGE_GRANT) == 0) {
		oauth_exchange(req, resp, &form);
		goto done;
	}
	if (strcmp(form.grant_type, "client_credentials") != 0) {
		oauth_error(resp, 400, "unsupported_grant_type",
			    "Only the client_credentials and token-exchange "
			    "grants are supported by this workspace "
			    "emulator.");
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
	if ((!emu_secret_equal(known ? known : "", client_secret) || !known) &&
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

/* Federation policies and their control, a module of their own so that
 * it comes before the control module's /_emulator/ catch-all. */
static const struct emu_route federation_routes[] = {
	{.method = "GET",
	 .pattern = "/_emulator/oidc/federation",
	 .handler = federation_get,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	{.method = "POST",
	 .pattern = "/_emulator/oidc/federation",
	 .handler = federation_add,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	{.method = "DELETE",
	 .pattern = "/_emulator/oidc/federation",
	 .handler = federation_delete,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_oidc_federation = {
	.name = "oidc_federation",
	.routes = federation_routes,
	.state_new = federation_new,
	.state_free = federation_free,
};
