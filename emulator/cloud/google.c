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
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct google_state {
	char *email;
	char *public_pem;
	int64_t ttl_s;
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
	free(st);
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

/* The decoded value of name in a form body (the first), malloc'd. */
static char *form_value(const char *body, size_t len, const char *name)
{
	const char *p = body, *end = body + len;
	size_t n = strlen(name);

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		char *value = NULL;

		if (eq && (size_t)(eq - p) == n && memcmp(p, name, n) == 0) {
			if (emu_percent_decode(&value, eq + 1,
					       (size_t)(stop - eq - 1),
					       true) < 0)
				return NULL;
			return value;
		}
		p = stop + 1;
	}
	return NULL;
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
	char *grant = form_value(body, req->body_len, "grant_type");
	char *jwt = form_value(body, req->body_len, "assertion");
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
		char *tok = emu_random_token("ya29.", 32);

		cJSON_AddStringToObject(answer, "access_token", tok);
		emu_json_add_int64(answer, "expires_in", st->ttl_s);
		cJSON_AddStringToObject(answer, "token_type", "Bearer");
		free(tok);
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

static cJSON *control_view(const struct google_state *st)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "client_email",
				st->email ? st->email : "");
	cJSON_AddBoolToObject(body, "public_key_set", st->public_pem != NULL);
	emu_json_add_int64(body, "token_ttl_seconds", st->ttl_s);
	return body;
}

static void control_get(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200, control_view(req->state));
}

static void control_set(struct emu_request *req, struct emu_response *resp)
{
	struct google_state *st = req->state;
	const char *email = emu_json_str(req->json, "client_email");
	const char *pem = emu_json_str(req->json, "public_key_pem");
	const cJSON *ttl = emu_json_member(req->json, "token_ttl_seconds");
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
	emu_response_json(resp, 200, control_view(st));
}

static const struct emu_route google_routes[] = {
	{.method = "POST",
	 .pattern = "/token",
	 .handler = google_token,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_RAW_BODY |
		  EMU_ROUTE_SECRET_ARGS},
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
