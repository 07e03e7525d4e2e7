/*
 * Unit tests for the emulator's workload identity federation stand-ins,
 * through the router with no network: GitHub Actions' ID token service
 * (cloud/github.c: the request token, the claims of its JWTs), Entra ID's
 * client assertions (cloud/azure.c: a federated credential, AADSTS
 * errors), /aad/auth's redirect naming the tenant, and the token exchange
 * at the workspace's and account's token endpoints (identity/oauth.c:
 * policies, default audiences, account-wide federation); hostile tokens
 * are refused, never a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "jwt.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define PAT	  "dapi-oidc-test"
#define GH_ISSUER "https://token.actions.githubusercontent.com"
#define GH_SUB	  "repo:acme/infra:ref:refs/heads/main"
#define EXCHANGE                                                               \
	"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange" \
	"&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"   \
	"&scope=all-apis"

struct result {
	int status;
	cJSON *json;
	char *text;
	char *location;
};

static struct result request(struct emu_workspace *ws, const char *method,
			     const char *target, const char *body,
			     const char *h1, const char *v1)
{
	struct emu_request req;
	struct emu_response resp;
	struct result r;
	const char *loc;

	emu_request_init(&req, method, target, body, body ? strlen(body) : 0);
	if (body)
		emu_request_add_header(&req, "Content-Type",
				       body[0] == '{'
					       ? "application/json"
					       : "application/"
						 "x-www-form-urlencoded");
	if (h1)
		emu_request_add_header(&req, h1, v1);
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	loc = emu_response_header(&resp, "Location");
	r.location = loc ? emu_xstrdup(loc) : NULL;
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	return r;
}

static void dispose(struct result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
	free(r->location);
}

static struct emu_workspace *workspace(void)
{
	static const char *const tokens[] = {PAT};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};

	return emu_workspace_new(&opts);
}

static void control(struct emu_workspace *ws, const char *path,
		    const char *json)
{
	struct result r = request(ws, "POST", path, json, NULL, NULL);

	if (r.status != 200)
		fprintf(stderr, "-> %d %s\n", r.status, r.text);
	assert_int_equal(r.status, 200);
	dispose(&r);
}

/* The userName /Me shows for this bearer token, or NULL (malloc'd). */
static char *whoami(struct emu_workspace *ws, const char *token)
{
	char *h = emu_printf("Bearer %s", token);
	struct result r = request(ws, "GET", "/api/2.0/preview/scim/v2/Me",
				  NULL, "Authorization", h);
	const char *u = emu_json_str(r.json, "userName");
	char *out = r.status == 200 && u ? emu_xstrdup(u) : NULL;

	free(h);
	dispose(&r);
	return out;
}

/* A JWT-shaped token with these claims, exp seconds from the clock. */
static char *token(const char *iss, const char *sub, const char *aud,
		   int64_t exp)
{
	cJSON *c = cJSON_CreateObject();
	char *t;

	cJSON_AddStringToObject(c, "iss", iss);
	cJSON_AddStringToObject(c, "sub", sub);
	cJSON_AddStringToObject(c, "aud", aud);
	emu_json_add_int64(c, "exp", (int64_t)time(NULL) + exp);
	t = emu_jwt_make(c);
	cJSON_Delete(c);
	return t;
}

static void expect_error(struct result r, int status, const char *error,
			 const char *text)
{
	if (r.status != status)
		fprintf(stderr, "-> %d %s\n", r.status, r.text);
	assert_int_equal(r.status, status);
	if (error)
		assert_string_equal(emu_json_str(r.json, "error"), error);
	if (text)
		assert_non_null(strstr(r.text, text));
	dispose(&r);
}

static void test_emu_oidc__github(void **state)
{
	struct emu_workspace *ws = workspace();
	struct result r;
	cJSON *claims;

	(void)state;
	/* No request token configured: every request is refused. */
	expect_error(request(ws, "GET", "/github-actions/idtoken?api-version=2",
			     NULL, "Authorization", "Bearer x"),
		     401, NULL, "request token");
	control(ws, "/_emulator/github",
		"{\"request_token\": \"rt-1\", \"subject\": \"" GH_SUB "\"}");
	r = request(ws, "GET", "/_emulator/github", NULL, NULL, NULL);
	assert_null(strstr(r.text, "rt-1"));
	dispose(&r);
	expect_error(request(ws, "GET", "/github-actions/idtoken?api-version=2",
			     NULL, "Authorization", "Bearer rt-2"),
		     401, NULL, NULL);
	expect_error(request(ws, "GET", "/github-actions/idtoken", NULL,
			     "Authorization", "Bearer rt-1"),
		     400, NULL, "api-version");
	r = request(
		ws, "GET",
		"/github-actions/idtoken?api-version=2&audience=api%3A%2F%2F"
		"AzureADTokenExchange",
		NULL, "Authorization", "Bearer rt-1");
	assert_int_equal(r.status, 200);
	claims = emu_jwt_claims(emu_json_str(r.json, "value"));
	assert_non_null(claims);
	assert_string_equal(emu_json_str(claims, "iss"), GH_ISSUER);
	assert_string_equal(emu_json_str(claims, "sub"), GH_SUB);
	assert_string_equal(emu_json_str(claims, "aud"),
			    "api://AzureADTokenExchange");
	assert_string_equal(emu_json_str(claims, "repository"), "acme/infra");
	cJSON_Delete(claims);
	dispose(&r);
	/* Without an audience, GitHub's default: the owner's URL. */
	r = request(ws, "GET", "/github-actions/idtoken?api-version=2", NULL,
		    "Authorization", "Bearer rt-1");
	claims = emu_jwt_claims(emu_json_str(r.json, "value"));
	assert_string_equal(emu_json_str(claims, "aud"),
			    "https://github.com/acme");
	cJSON_Delete(claims);
	dispose(&r);
	emu_workspace_free(ws);
}

static void test_emu_oidc__jwt_hostile(void **state)
{
	/* clang-format off */
	static const char *const bad[] = {
		"", "a", "a.b", "a.b.c.d", "..", "a..c", ".b.c", "a.b.",
		"a.!!!.c",
		"a.bnVsbA.c", /* "null" */
		"a.WzFd.c",   /* "[1]" */
		"a.e30+.c",   /* standard base64, not base64url */
	};
	/* clang-format on */
	char *big = emu_xmalloc(EMU_JWT_MAX + 16);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(emu_jwt_claims(bad[i]));
	assert_null(emu_jwt_claims(NULL));
	memset(big, 'A', EMU_JWT_MAX + 15);
	big[10] = '.';
	big[EMU_JWT_MAX + 5] = '.';
	big[EMU_JWT_MAX + 15] = '\0';
	assert_null(emu_jwt_claims(big));
	free(big);
}

static void test_emu_oidc__entra(void **state)
{
	struct emu_workspace *ws = workspace();
	struct result r;
	char *good, *other, *old, *form, *tok, *who;

	(void)state;
	/* /aad/auth: no tenant, 404; else a redirect naming it. */
	r = request(ws, "GET", "/aad/auth", NULL, NULL, NULL);
	assert_int_equal(r.status, 404);
	dispose(&r);
	control(ws, "/_emulator/azure",
		"{\"tenant_id\": \"ten\", \"federated_client_id\": \"fed\", "
		"\"federated_subject\": \"" GH_SUB "\"}");
	r = request(ws, "GET", "/aad/auth", NULL, NULL, NULL);
	assert_int_equal(r.status, 302);
	assert_non_null(r.location);
	assert_non_null(strstr(r.location, "https://login.microsoftonline.com/"
					   "ten/oauth2/authorize?"));
	dispose(&r);

	good = token(GH_ISSUER, GH_SUB, "api://AzureADTokenExchange", 300);
	other = token(GH_ISSUER, "repo:acme/other:ref:refs/heads/main",
		      "api://AzureADTokenExchange", 300);
	old = token(GH_ISSUER, GH_SUB, "api://AzureADTokenExchange", -10);
#define ASSERTION(client, jwt)                                                 \
	emu_printf("grant_type=client_credentials&client_id=%s&resource="      \
		   "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d&client_assertion_"    \
		   "type=urn%%3Aietf%%3Aparams%%3Aoauth%%3Aclient-assertion-"  \
		   "type%%3Ajwt-bearer&client_assertion=%s",                   \
		   client, jwt)
	form = ASSERTION("fed", good);
	r = request(ws, "POST", "/ten/oauth2/token", form, NULL, NULL);
	assert_int_equal(r.status, 200);
	tok = emu_xstrdup(emu_json_str(r.json, "access_token"));
	assert_non_null(emu_json_str(r.json, "expires_on"));
	dispose(&r);
	who = whoami(ws, tok);
	assert_string_equal(who, "fed");
	free(who);
	free(tok);
	free(form);
	form = ASSERTION("nope", good);
	expect_error(request(ws, "POST", "/ten/oauth2/token", form, NULL, NULL),
		     400, "unauthorized_client", "AADSTS700016");
	free(form);
	form = ASSERTION("fed", other);
	expect_error(request(ws, "POST", "/ten/oauth2/token", form, NULL, NULL),
		     400, "invalid_client", "AADSTS70021");
	free(form);
	form = ASSERTION("fed", old);
	expect_error(request(ws, "POST", "/ten/oauth2/token", form, NULL, NULL),
		     400, "invalid_client", "AADSTS700024");
	free(form);
	form = ASSERTION("fed", "not-a-jwt");
	expect_error(request(ws, "POST", "/ten/oauth2/token", form, NULL, NULL),
		     400, "invalid_request", "AADSTS50027");
	free(form);
	form = ASSERTION("fed", good);
	expect_error(
		request(ws, "POST", "/other/oauth2/token", form, NULL, NULL),
		400, "invalid_request", "AADSTS90002");
	free(form);
#undef ASSERTION
	free(good);
	free(other);
	free(old);
	emu_workspace_free(ws);
}

static void test_emu_oidc__exchange(void **state)
{
	struct emu_workspace *ws = workspace();
	const char *acct = emu_workspace_account_id(ws);
	struct result r;
	char *t, *form, *tok, *who, *path;

	(void)state;
	/* No policy: refused. */
	t = token(GH_ISSUER, GH_SUB, acct, 300);
	form = emu_printf("%s&subject_token=%s&client_id=sp-1", EXCHANGE, t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "no federation policy");
	expect_error(request(ws, "POST", "/_emulator/oidc/federation",
			     "{\"subject\": \"x\"}", NULL, NULL),
		     400, NULL, "issuer");
	control(ws, "/_emulator/oidc/federation",
		"{\"issuer\": \"" GH_ISSUER "\", \"subject\": \"" GH_SUB
		"\", \"client_id\": \"sp-1\"}");
	/* The account id is a default audience. */
	r = request(ws, "POST", "/oidc/v1/token", form, NULL, NULL);
	assert_int_equal(r.status, 200);
	tok = emu_xstrdup(emu_json_str(r.json, "access_token"));
	dispose(&r);
	who = whoami(ws, tok);
	assert_string_equal(who, "sp-1");
	free(who);
	free(tok);
	free(form);
	/* Another client, no client (account-wide), the wrong type, no
	 * JWT, another subject, an expired token, another audience. */
	form = emu_printf("%s&subject_token=%s&client_id=sp-2", EXCHANGE, t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "client_id");
	free(form);
	form = emu_printf("%s&subject_token=%s", EXCHANGE, t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "client_id");
	free(form);
	form = emu_printf("grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3A"
			  "grant-type%%3Atoken-exchange&subject_token=%s&"
			  "client_id=sp-1",
			  t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "subject_token_type");
	free(form);
	expect_error(request(ws, "POST", "/oidc/v1/token",
			     EXCHANGE "&subject_token=x.y&client_id=sp-1", NULL,
			     NULL),
		     400, "invalid_request", "not a JWT");
	free(t);
	t = token(GH_ISSUER, "repo:acme/other", acct, 300);
	form = emu_printf("%s&subject_token=%s&client_id=sp-1", EXCHANGE, t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "(sub)");
	free(form);
	free(t);
	t = token(GH_ISSUER, GH_SUB, acct, -5);
	form = emu_printf("%s&subject_token=%s&client_id=sp-1", EXCHANGE, t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "expired");
	free(form);
	free(t);
	t = token(GH_ISSUER, GH_SUB, "https://elsewhere", 300);
	form = emu_printf("%s&subject_token=%s&client_id=sp-1", EXCHANGE, t);
	expect_error(request(ws, "POST", "/oidc/v1/token", form, NULL, NULL),
		     400, "invalid_request", "(aud)");
	free(form);
	free(t);
	/* Account-wide federation on the account's endpoint: the token
	 * acts as its subject. */
	control(ws, "/_emulator/oidc/federation",
		"{\"issuer\": \"https://ci.example\", \"audience\": \"db\"}");
	t = token("https://ci.example", "ci@example.com", "db", 300);
	form = emu_printf("%s&subject_token=%s", EXCHANGE, t);
	path = emu_printf("/oidc/accounts/%s/v1/token", acct);
	r = request(ws, "POST", path, form, NULL, NULL);
	assert_int_equal(r.status, 200);
	tok = emu_xstrdup(emu_json_str(r.json, "access_token"));
	dispose(&r);
	who = whoami(ws, tok);
	assert_string_equal(who, "ci@example.com");
	free(who);
	free(tok);
	free(path);
	free(form);
	free(t);
	r = request(ws, "DELETE", "/_emulator/oidc/federation", NULL, NULL,
		    NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "policies")), 0);
	dispose(&r);
	emu_workspace_free(ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_oidc__github),
		cmocka_unit_test(test_emu_oidc__jwt_hostile),
		cmocka_unit_test(test_emu_oidc__entra),
		cmocka_unit_test(test_emu_oidc__exchange),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
