/*
 * A stand-in for Google's OAuth token endpoint, on the emulator's own
 * port, for the provider's google-credentials authentication (a service
 * account key whose token_uri points here):
 *
 *   POST /token              the JWT bearer grant (RFC 7523), as
 *                            https://oauth2.googleapis.com/token
 *   GET|POST /_emulator/google   test control (below)
 *
 * The form is grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and
 * assertion=<JWT>. The JWT must be RS256, signed by the private key of
 * the registered service account (verified with its public key), with
 * iss = the account's email, aud ending in /token, and iat/exp no more
 * than an hour apart around now. With a target_audience claim the answer
 * is {"id_token": <JWT>} (an ID token for that audience: the workspace
 * accepts it as the service account, until its exp claim); with a scope
 * claim it is {"access_token": "ya29...", "expires_in", "token_type":
 * "Bearer"}, the token Databricks takes in X-Databricks-GCP-SA-Access-
 * Token. Errors are Google's: 400 {"error": "invalid_grant",
 * "error_description": "Invalid JWT Signature."} for a bad signature,
 * "Invalid grant: account not found" for another account, "Invalid JWT:
 * Token must be a short-lived token (60 minutes) and in a reasonable
 * timeframe. Check your iat and exp values in the JWT claim." for bad
 * times; 400 "unsupported_grant_type" / "invalid_request" otherwise.
 *
 * The control registers one account (the public key is PEM,
 * SubjectPublicKeyInfo):
 *   POST /_emulator/google {"client_email", "public_key_pem",
 *                            "token_ttl_seconds"}
 * token_ttl_seconds (default 3600) is the life of the tokens it issues.
 * The token route is EMU_ROUTE_SECRET_ARGS: no assertion in the log.
 *
 * For google-id (impersonation with application default credentials):
 *
 *   POST /token grant_type=refresh_token   gcloud's authorized_user
 *        credentials: client_id, client_secret, refresh_token
 *   GET  /computeMetadata/v1/instance/service-accounts/default/token
 *        the GCE metadata server (Metadata-Flavor: Google required; the
 *        provider reaches it through GCE_METADATA_HOST)
 *   POST /v1/projects/-/serviceAccounts/{email}:generateIdToken
 *        {"audience", "includeEmail"} -> {"token"}
 *   POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken
 *        {"scope": [...], "lifetime"} -> {"accessToken", "expireTime"}
 *        the IAM Credentials API (GOOGLE_IAM_CREDENTIALS_ENDPOINT)
 *
 * The IAM calls need a bearer access token this stand-in issued (by a
 * grant above); the caller may impersonate only the accounts listed in
 * impersonation_targets, else 403 PERMISSION_DENIED "Permission
 * 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may not
 * exist)." (getAccessToken for access tokens), as Google answers; a
 * token it does not know is 401 UNAUTHENTICATED. An impersonated ID token
 * acts on the workspace as the impersonated account. The control takes,
 * besides the above, "impersonation_targets": [emails], "refresh_token"
 * with "user_email" (whose the refresh token is) and
 * "metadata_service_account" (the instance's account).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "auth.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define GOOGLE_MAX_JWT 16384

#define GOOGLE_MAX_ISSUED 64 /* access tokens remembered for IAM calls */
#define GOOGLE_MAX_TARGETS 16

struct google_access {
	char *token;
	char *email;
	int64_t exp_s;
};

struct google_state {
	char *email;
	char *public_pem;
	int64_t ttl_s;
	char *targets[GOOGLE_MAX_TARGETS];
	char *refresh_token;
	char *user_email;
	char *metadata_email;
	struct google_access issued[GOOGLE_MAX_ISSUED];
	size_t next_issued;
};

static void *google_state_new(void)
{
	struct google_state *st = emu_xcalloc(1, sizeof(*st));

	st->ttl_s = 3600;
	return st;
}

static void google_state_free(void *p)
{
	struct google_state *st = p;

	if (!st)
		return;
	free(st->email);
	free(st->public_pem);
	for (size_t i = 0; i < GOOGLE_MAX_TARGETS; i++)
		free(st->targets[i]);
	free(st->refresh_token);
	free(st->user_email);
	free(st->metadata_email);
	for (size_t i = 0; i < GOOGLE_MAX_ISSUED; i++) {
		free(st->issued[i].token);
		free(st->issued[i].email);
	}
	free(st);
}

/* A new access token of email, remembered (the oldest forgotten) so that
 * the IAM Credentials API knows who calls it. */
static char *issue_access(struct google_state *st, const char *email,
			  int64_t now_s)
{
	struct google_access *g = &st->issued[st->next_issued];
	char *tok = emu_random_token("ya29.", 32);

	st->next_issued = (st->next_issued + 1) % GOOGLE_MAX_ISSUED;
	free(g->token);
	free(g->email);
	g->token = emu_xstrdup(tok);
	g->email = emu_xstrdup(email);
	g->exp_s = now_s + st->ttl_s;
	return tok;
}

static const char *access_owner(const struct google_state *st,
				const char *token, int64_t now_s)
{
	for (size_t i = 0; token && i < GOOGLE_MAX_ISSUED; i++)
		if (st->issued[i].token &&
		    strcmp(st->issued[i].token, token) == 0 &&
		    st->issued[i].exp_s > now_s)
			return st->issued[i].email;
	return NULL;
}

static void access_answer(cJSON *answer, struct google_state *st,
			  const char *email, int64_t now_s)
{
	char *tok = issue_access(st, email, now_s);

	cJSON_AddStringToObject(answer, "access_token", tok);
	emu_json_add_int64(answer, "expires_in", st->ttl_s);
	cJSON_AddStringToObject(answer, "token_type", "Bearer");
	free(tok);
}

static void google_error(struct emu_response *resp, const char *error,
			 const char *description)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "error", error);
	cJSON_AddStringToObject(body, "error_description", description);
	emu_response_json(resp, 400, body);
	resp->error_code = error;
}

/* Base64url (RFC 7515) into bytes: 0, or -1 when it is not base64url. */
static int b64url_decode(unsigned char **out, size_t *out_len, const char *s,
			 size_t n)
{
	char *std = emu_xmalloc(n + 4);
	size_t i;
	int error;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+' || c == '/' || c == '=') {
			free(std);
			return -1;
		}
		std[i] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	while (i % 4 != 0)
		std[i++] = '=';
	std[i] = '\0';
	error = emu_base64_decode(out, out_len, std, i);
	free(std);
	return error;
}

static char *b64url_encode(const unsigned char *p, size_t n)
{
	char *s = emu_base64_encode(p, n);
	size_t i, m = strlen(s);

	while (m > 0 && s[m - 1] == '=')
		s[--m] = '\0';
	for (i = 0; i < m; i++)
		s[i] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
	return s;
}

/* A JSON object from a base64url segment, or NULL. */
static cJSON *segment_json(const char *s, size_t n)
{
	unsigned char *raw = NULL;
	size_t len = 0;
	cJSON *out;

	if (b64url_decode(&raw, &len, s, n) < 0)
		return NULL;
	out = memchr(raw, '\0', len) ? NULL : cJSON_Parse((char *)raw);
	free(raw);
	if (out && !cJSON_IsObject(out)) {
		cJSON_Delete(out);
		out = NULL;
	}
	return out;
}

/* RS256 over signing input (header.claims) with the registered key. */
static bool signature_ok(const char *pem, const char *input, size_t input_len,
			 const char *sig64, size_t sig64_len)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	bool ok = false;

	if (key && md && b64url_decode(&sig, &sig_len, sig64, sig64_len) == 0 &&
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1)
		ok = EVP_DigestVerify(md, sig, sig_len,
				      (const unsigned char *)input,
				      input_len) == 1;
	free(sig);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	BIO_free(bio);
	return ok;
}

/* An ID token: a JWT-shaped token whose claims say who and until when
 * (clients read exp); its signature part is random. */
static char *id_token(const char *email, const char *audience, int64_t now_s,
		      int64_t exp_s)
{
	static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
	cJSON *c = cJSON_CreateObject();
	char *text, *h, *p, *sig, *out;

	cJSON_AddStringToObject(c, "iss", "https://accounts.google.com");
	cJSON_AddStringToObject(c, "aud", audience);
	cJSON_AddStringToObject(c, "azp", email);
	cJSON_AddStringToObject(c, "email", email);
	cJSON_AddBoolToObject(c, "email_verified", true);
	cJSON_AddStringToObject(c, "sub", email);
	emu_json_add_int64(c, "iat", now_s);
	emu_json_add_int64(c, "exp", exp_s);
	text = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	h = b64url_encode((const unsigned char *)header, strlen(header));
	p = b64url_encode((const unsigned char *)text, strlen(text));
	sig = emu_random_token("", 32);
	out = emu_printf("%s.%s.%s", h, p, sig);
	free(text);
	free(h);
	free(p);
	free(sig);
	return out;
}

static void google_token(struct emu_request *req, struct emu_response *resp)
{
	struct google_state *st = req->state;
	const char *body = req->body ? req->body : "";
	char *grant = emu_form_value(body, req->body_len, "grant_type");
	char *jwt = emu_form_value(body, req->body_len, "assertion");
	const char *dot1, *dot2;
	cJSON *hdr = NULL, *claims = NULL, *answer;
	const char *alg, *iss, *aud, *target, *scope;
	int64_t iat = 0, exp = 0, now_ms = emu_workspace_now_ms(req->ws);
	int64_t now_s = now_ms / 1000, life;

	if (!grant) {
		google_error(resp, "invalid_request",
			     "Missing required parameter: grant_type");
		goto done;
	}
	if (strcmp(grant, "refresh_token") == 0) {
		char *refresh = emu_form_value(body, req->body_len,
					   "refresh_token");

		if (!refresh || !st->refresh_token || !st->user_email ||
		    strcmp(refresh, st->refresh_token) != 0) {
			google_error(resp, "invalid_grant", "Bad Request");
		} else {
			answer = cJSON_CreateObject();
			access_answer(answer, st, st->user_email, now_s);
			emu_response_json(resp, 200, answer);
			emu_response_set_header(resp, "Cache-Control",
						"no-store");
		}
		if (refresh)
			explicit_bzero(refresh, strlen(refresh));
		free(refresh);
		goto done;
	}
	if (strcmp(grant, "urn:ietf:params:oauth:grant-type:jwt-bearer") != 0) {
		google_error(resp, "unsupported_grant_type",
			     "Invalid grant_type: ");
		goto done;
	}
	if (!jwt || strlen(jwt) > GOOGLE_MAX_JWT ||
	    !(dot1 = strchr(jwt, '.')) || !(dot2 = strchr(dot1 + 1, '.')) ||
	    strchr(dot2 + 1, '.') ||
	    !(hdr = segment_json(jwt, (size_t)(dot1 - jwt))) ||
	    !(claims = segment_json(dot1 + 1, (size_t)(dot2 - dot1 - 1)))) {
		google_error(resp, "invalid_grant", "Invalid JWT: malformed.");
		goto done;
	}
	alg = emu_json_str(hdr, "alg");
	iss = emu_json_str(claims, "iss");
	aud = emu_json_str(claims, "aud");
	target = emu_json_str(claims, "target_audience");
	scope = emu_json_str(claims, "scope");
	if (!alg || strcmp(alg, "RS256") != 0) {
		google_error(resp, "invalid_grant",
			     "Invalid JWT: only RS256 is accepted.");
		goto done;
	}
	if (!iss || !st->email || strcmp(iss, st->email) != 0 ||
	    !st->public_pem) {
		google_error(resp, "invalid_grant",
			     "Invalid grant: account not found");
		goto done;
	}
	if (!signature_ok(st->public_pem, jwt, (size_t)(dot2 - jwt), dot2 + 1,
			  strlen(dot2 + 1))) {
		google_error(resp, "invalid_grant", "Invalid JWT Signature.");
		goto done;
	}
	life = emu_json_member_int(&iat, claims, "iat") == 0 &&
			       emu_json_member_int(&exp, claims, "exp") == 0
		       ? exp - iat
		       : -1;
	if (life <= 0 || life > 3600 || iat > now_s + 300 || exp < now_s) {
		google_error(
			resp, "invalid_grant",
			"Invalid JWT: Token must be a short-lived token "
			"(60 minutes) and in a reasonable timeframe. Check "
			"your iat and exp values in the JWT claim.");
		goto done;
	}
	if (!aud || strlen(aud) < 6 ||
	    strcmp(aud + strlen(aud) - 6, "/token") != 0) {
		google_error(resp, "invalid_grant",
			     "Invalid JWT: aud is not the token endpoint.");
		goto done;
	}
	answer = cJSON_CreateObject();
	if (target && target[0]) {
		int64_t until = now_s + st->ttl_s;
		char *tok = id_token(st->email, target, now_s, until);

		emu_auth_add_token(emu_workspace_auth(req->ws), tok, st->email,
				   until * 1000);
		cJSON_AddStringToObject(answer, "id_token", tok);
		free(tok);
	} else if (scope && scope[0]) {
		access_answer(answer, st, st->email, now_s);
	} else {
		cJSON_Delete(answer);
		google_error(resp, "invalid_scope",
			     "Invalid OAuth scope or ID token audience "
			     "provided.");
		goto done;
	}
	emu_response_json(resp, 200, answer);
	emu_response_set_header(resp, "Cache-Control", "no-store");

done:
	cJSON_Delete(hdr);
	cJSON_Delete(claims);
	free(grant);
	free(jwt);
}

/* Google's API error shape: {"error": {"code", "message", "status"}}. */
static void api_error(struct emu_response *resp, int code, const char *status,
		      const char *message)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *e = cJSON_AddObjectToObject(body, "error");

	cJSON_AddNumberToObject(e, "code", code);
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddStringToObject(e, "status", status);
	emu_response_json(resp, code, body);
	resp->error_code = status;
}

static void metadata_token(struct emu_request *req, struct emu_response *resp)
{
	struct google_state *st = req->state;
	const char *flavor = emu_request_header(req, "Metadata-Flavor");
	int64_t now_s = emu_workspace_now_ms(req->ws) / 1000;
	cJSON *answer;

	if (!flavor || strcmp(flavor, "Google") != 0) {
		api_error(resp, 403, "PERMISSION_DENIED",
			  "Missing Metadata-Flavor:Google header.");
		return;
	}
	if (!st->metadata_email) {
		api_error(resp, 404, "NOT_FOUND",
			  "The instance has no service account.");
		return;
	}
	answer = cJSON_CreateObject();
	access_answer(answer, st, st->metadata_email, now_s);
	emu_response_json(resp, 200, answer);
}

static bool may_impersonate(const struct google_state *st, const char *email)
{
	for (size_t i = 0; i < GOOGLE_MAX_TARGETS; i++)
		if (st->targets[i] && strcmp(st->targets[i], email) == 0)
			return true;
	return false;
}

/* RFC 3339 UTC time of epoch seconds t, as Google writes expireTime. */
static char *rfc3339(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return emu_xstrdup(buf);
}

static void iam_call(struct emu_request *req, struct emu_response *resp)
{
	struct google_state *st = req->state;
	const char *name = emu_request_param(req, "name");
	const char *auth = emu_request_header(req, "Authorization");
	const char *colon = name ? strrchr(name, ':') : NULL;
	int64_t now_s = emu_workspace_now_ms(req->ws) / 1000;
	bool id;
	char *email;
	cJSON *answer;

	if (!colon || (strcmp(colon, ":generateIdToken") != 0 &&
		       strcmp(colon, ":generateAccessToken") != 0)) {
		api_error(resp, 404, "NOT_FOUND",
			  "Method not found on the IAM Credentials API.");
		return;
	}
	id = strcmp(colon, ":generateIdToken") == 0;
	if (!auth || strncmp(auth, "Bearer ", 7) != 0 ||
	    !access_owner(st, auth + 7, now_s)) {
		api_error(resp, 401, "UNAUTHENTICATED",
			  "Request had invalid authentication credentials. "
			  "Expected OAuth 2 access token, login cookie or "
			  "other valid authentication credential.");
		return;
	}
	email = emu_printf("%.*s", (int)(colon - name), name);
	if (!may_impersonate(st, email)) {
		api_error(resp, 403, "PERMISSION_DENIED",
			  id ? "Permission 'iam.serviceAccounts."
			       "getOpenIdToken' denied on resource (or it "
			       "may not exist)."
			     : "Permission 'iam.serviceAccounts."
			       "getAccessToken' denied on resource (or it "
			       "may not exist).");
		free(email);
		return;
	}
	answer = cJSON_CreateObject();
	if (id) {
		const char *audience = emu_json_str(req->json, "audience");
		int64_t until = now_s + st->ttl_s;
		char *tok;

		if (!audience || !audience[0]) {
			cJSON_Delete(answer);
			free(email);
			api_error(resp, 400, "INVALID_ARGUMENT",
				  "Request contains an invalid argument.");
			return;
		}
		tok = id_token(email, audience, now_s, until);
		emu_auth_add_token(emu_workspace_auth(req->ws), tok, email,
				   until * 1000);
		cJSON_AddStringToObject(answer, "token", tok);
		free(tok);
	} else {
		const cJSON *scope = emu_json_member(req->json, "scope");
		char *tok, *when;

		if (!cJSON_IsArray(scope) || cJSON_GetArraySize(scope) == 0) {
			cJSON_Delete(answer);
			free(email);
			api_error(resp, 400, "INVALID_ARGUMENT",
				  "Request contains an invalid argument.");
			return;
		}
		tok = issue_access(st, email, now_s);
		when = rfc3339(now_s + st->ttl_s);
		cJSON_AddStringToObject(answer, "accessToken", tok);
		cJSON_AddStringToObject(answer, "expireTime", when);
		free(tok);
		free(when);
	}
	free(email);
	emu_response_json(resp, 200, answer);
}

static cJSON *control_view(const struct google_state *st)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "client_email",
				st->email ? st->email : "");
	cJSON_AddBoolToObject(body, "public_key_set", st->public_pem != NULL);
	cJSON_AddBoolToObject(body, "refresh_token_set",
			      st->refresh_token != NULL);
	cJSON_AddStringToObject(body, "metadata_service_account",
				st->metadata_email ? st->metadata_email : "");
	emu_json_add_int64(body, "token_ttl_seconds", st->ttl_s);
	return body;
}

static void control_get(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200, control_view(req->state));
}

/* *field = a copy of value ("" clears it); no change when value is NULL. */
static void replace_string(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = value[0] ? emu_xstrdup(value) : NULL;
}

static void control_set(struct emu_request *req, struct emu_response *resp)
{
	struct google_state *st = req->state;
	const char *email = emu_json_str(req->json, "client_email");
	const char *pem = emu_json_str(req->json, "public_key_pem");
	const cJSON *ttl = emu_json_member(req->json, "token_ttl_seconds");
	const cJSON *targets =
		emu_json_member(req->json, "impersonation_targets"), *t;
	int64_t v = 0;

	if (ttl && (emu_json_int(&v, ttl) < 0 || v < 1 || v > 86400)) {
		emu_error_invalid(resp, "token_ttl_seconds must be a whole "
					"number of seconds from 1 to 86400.");
		return;
	}
	if (pem) {
		BIO *bio = BIO_new_mem_buf(pem, -1);
		EVP_PKEY *key =
			bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;

		EVP_PKEY_free(key);
		BIO_free(bio);
		if (!key) {
			emu_error_invalid(resp, "public_key_pem is not a PEM "
						"public key.");
			return;
		}
		free(st->public_pem);
		st->public_pem = emu_xstrdup(pem);
	}
	if (email) {
		free(st->email);
		st->email = email[0] ? emu_xstrdup(email) : NULL;
	}
	if (ttl)
		st->ttl_s = v;
	if (cJSON_IsArray(targets)) {
		size_t i = 0;

		for (i = 0; i < GOOGLE_MAX_TARGETS; i++) {
			free(st->targets[i]);
			st->targets[i] = NULL;
		}
		i = 0;
		cJSON_ArrayForEach(t, targets)
		{
			if (cJSON_IsString(t) && i < GOOGLE_MAX_TARGETS)
				st->targets[i++] = emu_xstrdup(t->valuestring);
		}
	}
	replace_string(&st->refresh_token,
		       emu_json_str(req->json, "refresh_token"));
	replace_string(&st->user_email, emu_json_str(req->json, "user_email"));
	replace_string(&st->metadata_email,
		       emu_json_str(req->json, "metadata_service_account"));
	emu_response_json(resp, 200, control_view(st));
}

static const struct emu_route google_routes[] = {
	{.method = "POST",
	 .pattern = "/token",
	 .handler = google_token,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_RAW_BODY |
		  EMU_ROUTE_SECRET_ARGS},
	{.method = "GET",
	 .pattern = "/computeMetadata/v1/instance/service-accounts/default/"
		    "token",
	 .handler = metadata_token,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "POST",
	 .pattern = "/v1/projects/-/serviceAccounts/{name}",
	 .handler = iam_call,
	 .flags = EMU_ROUTE_NO_AUTH},
	{.method = "GET",
	 .pattern = "/_emulator/google",
	 .handler = control_get,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	{.method = "POST",
	 .pattern = "/_emulator/google",
	 .handler = control_set,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_google = {
	.name = "google",
	.routes = google_routes,
	.state_new = google_state_new,
	.state_free = google_state_free,
};
