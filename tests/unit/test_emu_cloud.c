/*
 * Unit tests for the emulator's cloud sign-in stand-ins
 * (emulator/cloud/azure.c, google.c), through the router with no
 * network: Entra ID's client credentials grant and its AADSTS errors,
 * tokens for the Databricks application accepted by the workspace while
 * management tokens are not, IMDS's Metadata header, the Resource
 * Manager's workspace lookup; Google's JWT bearer grant with assertions
 * signed here (a good one gets an ID token the workspace accepts) and
 * hostile ones (malformed, unsigned, wrongly signed, expired, oversized):
 * never a crash, always Google's error.
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
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define PAT "dapi-cloud-test"
#define APP "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"
#define RID                                                                    \
	"/subscriptions/s1/resourceGroups/rg/providers/"                       \
	"Microsoft.Databricks/workspaces/w1"

struct result {
	int status;
	cJSON *json;
	char *text;
};

static struct result request(struct emu_workspace *ws, const char *method,
			     const char *target, const char *body,
			     const char *h1, const char *v1)
{
	struct emu_request req;
	struct emu_response resp;
	struct result r;

	emu_request_init(&req, method, target, body, body ? strlen(body) : 0);
	if (body && body[0] != '{')
		emu_request_add_header(&req, "Content-Type",
				       "application/x-www-form-urlencoded");
	else if (body)
		emu_request_add_header(&req, "Content-Type",
				       "application/json");
	if (h1)
		emu_request_add_header(&req, h1, v1);
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	return r;
}

static void dispose(struct result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
}

static const char *str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static struct emu_workspace *workspace(void)
{
	static const char *const tokens[] = {PAT};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};

	return emu_workspace_new(&opts);
}

/* The status of GET /Me with this bearer token. */
static int me_status(struct emu_workspace *ws, const char *token)
{
	char *h = emu_printf("Bearer %s", token);
	struct result r = request(ws, "GET", "/api/2.0/preview/scim/v2/Me",
				  NULL, "Authorization", h);
	int status = r.status;

	free(h);
	dispose(&r);
	return status;
}

static void expect_error(struct result r, int status, const char *error,
			 const char *text)
{
	if (r.status != status)
		fprintf(stderr, "-> %d %s\n", r.status, r.text);
	assert_int_equal(r.status, status);
	assert_non_null(r.json);
	assert_string_equal(str(r.json, "error"), error);
	if (text)
		assert_non_null(strstr(str(r.json, "error_description"), text));
	dispose(&r);
}

static void azure_setup(struct emu_workspace *ws)
{
	struct result r =
		request(ws, "POST", "/_emulator/azure",
			"{\"tenant_id\": \"ten\", \"client_id\": \"cid\", "
			"\"client_secret\": \"s3cret\", "
			"\"managed_identity_client_id\": "
			"\"mi\", \"workspace_resource_id\": \"" RID "\"}",
			NULL, NULL);

	assert_int_equal(r.status, 200);
	assert_null(strstr(r.text, "s3cret"));
	dispose(&r);
}

static void test_emu_cloud__entra(void **state)
{
	struct emu_workspace *ws = workspace();
	struct result r;
	char *tok, *mgmt;

	(void)state;
	/* Nothing configured: no tenant is known. */
	expect_error(request(ws, "POST", "/ten/oauth2/token",
			     "grant_type=client_credentials", NULL, NULL),
		     400, "invalid_request", "AADSTS90002");
	azure_setup(ws);
	expect_error(request(ws, "POST", "/other/oauth2/token",
			     "grant_type=client_credentials&client_id=cid&"
			     "client_secret=s3cret&resource=" APP,
			     NULL, NULL),
		     400, "invalid_request", "Tenant 'other' not found");
	expect_error(request(ws, "POST", "/ten/oauth2/token",
			     "client_id=cid&client_secret=s3cret", NULL, NULL),
		     400, "invalid_request", "AADSTS900144");
	expect_error(request(ws, "POST", "/ten/oauth2/token",
			     "grant_type=client_credentials&client_id=nope&"
			     "client_secret=s3cret&resource=" APP,
			     NULL, NULL),
		     400, "unauthorized_client", "AADSTS700016");
	r = request(ws, "POST", "/ten/oauth2/token",
		    "grant_type=client_credentials&client_id=cid&"
		    "client_secret=wrong&resource=" APP,
		    NULL, NULL);
	assert_null(strstr(r.text, "wrong"));
	expect_error(r, 401, "invalid_client", "AADSTS7000215");
	expect_error(request(ws, "POST", "/ten/oauth2/token",
			     "grant_type=client_credentials&client_id=cid&"
			     "client_secret=s3cret&resource=https%3A%2F%2Fx",
			     NULL, NULL),
		     400, "invalid_resource", "AADSTS500011");
	/* Hostile bodies: bad escapes, no '=', empty. */
	expect_error(request(ws, "POST", "/ten/oauth2/token",
			     "grant_type=%zz&client_id=%", NULL, NULL),
		     400, "invalid_request", NULL);
	expect_error(
		request(ws, "POST", "/ten/oauth2/token", "&&&==&", NULL, NULL),
		400, "invalid_request", NULL);
	expect_error(request(ws, "POST", "/ten/oauth2/token", "", NULL, NULL),
		     400, "invalid_request", NULL);

	/* A Databricks token works on the workspace as the client. */
	r = request(ws, "POST", "/ten/oauth2/token",
		    "grant_type=client_credentials&client_id=cid&"
		    "client_secret=s3cret&resource=" APP,
		    NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "token_type"), "Bearer");
	assert_string_equal(str(r.json, "expires_in"), "3600");
	assert_string_equal(str(r.json, "resource"), APP);
	tok = emu_xstrdup(str(r.json, "access_token"));
	dispose(&r);
	assert_int_equal(me_status(ws, tok), 200);
	/* v2 with scope=<app>/.default. */
	r = request(ws, "POST", "/ten/oauth2/v2.0/token",
		    "grant_type=client_credentials&client_id=cid&"
		    "client_secret=s3cret&scope=" APP "%2F.default",
		    NULL, NULL);
	assert_int_equal(r.status, 200);
	dispose(&r);
	/* A management token is not the workspace's. */
	r = request(ws, "POST", "/ten/oauth2/token",
		    "grant_type=client_credentials&client_id=cid&"
		    "client_secret=s3cret&resource=https%3A%2F%2Fmanagement."
		    "core.windows.net%2F",
		    NULL, NULL);
	assert_int_equal(r.status, 200);
	mgmt = emu_xstrdup(str(r.json, "access_token"));
	dispose(&r);
	assert_int_equal(me_status(ws, mgmt), 403);

	/* The Resource Manager takes the management token only. */
	{
		char *h = emu_printf("Bearer %s", mgmt), *ht;

		r = request(ws, "GET", RID "?api-version=2018-04-01", NULL,
			    "Authorization", h);
		assert_int_equal(r.status, 200);
		assert_non_null(str(cJSON_GetObjectItem(r.json, "properties"),
				    "workspaceUrl"));
		dispose(&r);
		r = request(ws, "GET", RID, NULL, "Authorization", h);
		assert_int_equal(r.status, 400);
		dispose(&r);
		r = request(ws, "GET",
			    "/subscriptions/s1/resourceGroups/rg/providers/"
			    "Microsoft.Databricks/workspaces/other?api-version="
			    "2018-04-01",
			    NULL, "Authorization", h);
		assert_int_equal(r.status, 404);
		assert_non_null(strstr(r.text, "ResourceNotFound"));
		dispose(&r);
		ht = emu_printf("Bearer %s", tok);
		r = request(ws, "GET", RID "?api-version=2018-04-01", NULL,
			    "Authorization", ht);
		assert_int_equal(r.status, 401);
		dispose(&r);
		free(h);
		free(ht);
	}
	free(tok);
	free(mgmt);
	emu_workspace_free(ws);
}

static void test_emu_cloud__imds(void **state)
{
	struct emu_workspace *ws = workspace();
	struct result r;

	(void)state;
	azure_setup(ws);
	expect_error(request(ws, "GET",
			     "/metadata/identity/oauth2/token?api-version="
			     "2018-02-01&resource=" APP,
			     NULL, NULL, NULL),
		     400, "invalid_request", "Required metadata header");
	expect_error(request(ws, "GET",
			     "/metadata/identity/oauth2/token?api-version="
			     "2018-02-01&resource=" APP "&client_id=x",
			     NULL, "Metadata", "true"),
		     400, "invalid_request", "Identity not found");
	expect_error(request(ws, "GET",
			     "/metadata/identity/oauth2/token?resource=" APP,
			     NULL, "Metadata", "true"),
		     400, "invalid_request", "api-version");
	r = request(ws, "GET",
		    "/metadata/identity/oauth2/token?api-version=2018-02-01&"
		    "resource=" APP "&client_id=mi",
		    NULL, "Metadata", "true");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "client_id"), "mi");
	assert_int_equal(me_status(ws, str(r.json, "access_token")), 200);
	dispose(&r);
	emu_workspace_free(ws);
}

/* --- Google ----------------------------------------------------------------
 */

static char *b64url(const void *p, size_t n)
{
	char *s = emu_base64_encode(p, n);
	size_t i, m = strlen(s);

	while (m > 0 && s[m - 1] == '=')
		s[--m] = '\0';
	for (i = 0; i < m; i++)
		s[i] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
	return s;
}

/* header.claims signed with key (NULL: a bogus signature). */
static char *jwt(EVP_PKEY *key, const char *header, const char *claims)
{
	char *h = b64url(header, strlen(header));
	char *c = b64url(claims, strlen(claims));
	char *input = emu_printf("%s.%s", h, c), *s64, *out;
	unsigned char sig[512];
	size_t len = sizeof(sig);

	if (key) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		assert_int_equal(
			EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key),
			1);
		assert_int_equal(EVP_DigestSign(md, sig, &len,
						(unsigned char *)input,
						strlen(input)),
				 1);
		EVP_MD_CTX_free(md);
	} else {
		memset(sig, 'x', 64);
		len = 64;
	}
	s64 = b64url(sig, len);
	out = emu_printf("%s.%s", input, s64);
	free(h);
	free(c);
	free(input);
	free(s64);
	return out;
}

static struct result grant(struct emu_workspace *ws, const char *assertion)
{
	char *form = emu_printf("grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3A"
				"grant-type%%3Ajwt-bearer&assertion=%s",
				assertion);
	struct result r = request(ws, "POST", "/token", form, NULL, NULL);

	free(form);
	return r;
}

static void test_emu_cloud__google(void **state)
{
	static const char hdr[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
	struct emu_workspace *ws = workspace();
	EVP_PKEY *key = EVP_RSA_gen(2048), *other = EVP_RSA_gen(2048);
	BIO *b = BIO_new(BIO_s_mem());
	char *pem, *body, *claims, *a, *big;
	long now = (long)time(NULL);
	struct result r;
	cJSON *req;
	long n;

	(void)state;
	PEM_write_bio_PUBKEY(b, key);
	n = BIO_get_mem_data(b, &pem);
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "client_email", "sa@p.iam");
	{
		char *p = emu_xmemdup0(pem, (size_t)n);

		cJSON_AddStringToObject(req, "public_key_pem", p);
		free(p);
	}
	body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	BIO_free(b);
	r = request(ws, "POST", "/_emulator/google", body, NULL, NULL);
	assert_int_equal(r.status, 200);
	dispose(&r);
	free(body);
	r = request(ws, "POST", "/_emulator/google",
		    "{\"public_key_pem\": \"junk\"}", NULL, NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(str(r.json, "error_code"),
			    "INVALID_PARAMETER_VALUE");
	dispose(&r);

	/* A good assertion: an ID token the workspace accepts. */
	claims = emu_printf("{\"iss\":\"sa@p.iam\",\"aud\":\"http://x/token\","
			    "\"iat\":%ld,\"exp\":%ld,\"target_audience\":"
			    "\"http://ws\"}",
			    now, now + 3600);
	a = jwt(key, hdr, claims);
	r = grant(ws, a);
	assert_int_equal(r.status, 200);
	assert_non_null(str(r.json, "id_token"));
	assert_int_equal(me_status(ws, str(r.json, "id_token")), 200);
	dispose(&r);
	free(a);
	/* Signed by another key; unsigned; alg none. */
	a = jwt(other, hdr, claims);
	expect_error(grant(ws, a), 400, "invalid_grant", "Signature");
	free(a);
	a = jwt(NULL, hdr, claims);
	expect_error(grant(ws, a), 400, "invalid_grant", "Signature");
	free(a);
	a = jwt(key, "{\"alg\":\"none\"}", claims);
	expect_error(grant(ws, a), 400, "invalid_grant", "RS256");
	free(a);
	free(claims);
	/* Too long a life, and expired. */
	claims = emu_printf("{\"iss\":\"sa@p.iam\",\"aud\":\"http://x/token\","
			    "\"iat\":%ld,\"exp\":%ld,\"scope\":\"s\"}",
			    now, now + 7200);
	a = jwt(key, hdr, claims);
	expect_error(grant(ws, a), 400, "invalid_grant", "short-lived");
	free(a);
	free(claims);
	claims = emu_printf("{\"iss\":\"sa@p.iam\",\"aud\":\"http://x/token\","
			    "\"iat\":%ld,\"exp\":%ld,\"scope\":\"s\"}",
			    now - 7200, now - 3600);
	a = jwt(key, hdr, claims);
	expect_error(grant(ws, a), 400, "invalid_grant", "short-lived");
	free(a);
	free(claims);
	/* Another account. */
	claims = emu_printf("{\"iss\":\"x@p.iam\",\"aud\":\"http://x/token\","
			    "\"iat\":%ld,\"exp\":%ld,\"scope\":\"s\"}",
			    now, now + 60);
	a = jwt(key, hdr, claims);
	expect_error(grant(ws, a), 400, "invalid_grant", "account not found");
	free(a);
	free(claims);
	/* Malformed assertions. */
	expect_error(grant(ws, ""), 400, "invalid_grant", NULL);
	expect_error(grant(ws, "a.b"), 400, "invalid_grant", NULL);
	expect_error(grant(ws, "a.b.c.d"), 400, "invalid_grant", NULL);
	expect_error(grant(ws, "%%%.%%%.%%%"), 400, "invalid_grant", NULL);
	expect_error(grant(ws, "eyJ9.eyJ9.eyJ9"), 400, "invalid_grant", NULL);
	expect_error(grant(ws, "WzFd.WzFd.x"), 400, "invalid_grant", NULL);
	big = calloc(1, 40000);
	memset(big, 'A', 39999);
	big[100] = '.';
	big[200] = '.';
	expect_error(grant(ws, big), 400, "invalid_grant", NULL);
	free(big);
	expect_error(request(ws, "POST", "/token",
			     "grant_type=client_credentials", NULL, NULL),
		     400, "unsupported_grant_type", NULL);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	emu_workspace_free(ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_cloud__entra),
		cmocka_unit_test(test_emu_cloud__imds),
		cmocka_unit_test(test_emu_cloud__google),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
