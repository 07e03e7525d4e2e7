/*
 * Unit tests for OAuth machine-to-machine authentication in the emulator
 * (emulator/oauth.c, the expiry rule in auth.c and the service-principal
 * form of SCIM /Me): discovery, token requests with HTTP Basic and with
 * form fields, the OAuth error bodies, issued tokens accepted as bearer
 * tokens, expiry on the workspace clock, reset, the account's token
 * endpoint, and that neither secrets nor tokens reach the request log.
 * Also basic users (--basic-user, core/auth.c). Driven through the router
 * with no network, plus runs of the built binary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"
#include "emu_test.h"

#define PAT	   "dapi-oauth-test"
#define CLIENT_ID  "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
#define SECRET	   "dose-s3cret"
#define SECRET_ODD "s:e+cr%t /x" /* needs form encoding in Basic */

/* --- helpers -------------------------------------------------------------- */

struct result {
	int status;
	cJSON *json;
	char *text;
	char *cache_control;
};

static struct result handle(struct emu_workspace *ws, struct emu_request *req)
{
	struct emu_response resp;
	struct result r;
	const char *cc;

	emu_response_init(&resp);
	emu_router_handle(ws, req, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	cc = emu_response_header(&resp, "Cache-Control");
	r.cache_control = cc ? emu_xstrdup(cc) : NULL;
	emu_response_dispose(&resp);
	assert_non_null(r.json);
	return r;
}

/* A request with a whole Authorization value (NULL: none) and a form
 * body (NULL: none). */
static struct result call_auth(struct emu_workspace *ws, const char *method,
			       const char *target, const char *form,
			       const char *authorization)
{
	struct emu_request req;
	struct result r;

	emu_request_init(&req, method, target, form, form ? strlen(form) : 0);
	if (form)
		emu_request_add_header(&req, "Content-Type",
				       "application/x-www-form-urlencoded");
	if (authorization)
		emu_request_add_header(&req, "Authorization", authorization);
	r = handle(ws, &req);
	emu_request_dispose(&req);
	return r;
}

static struct result call(struct emu_workspace *ws, const char *method,
			  const char *target, const char *bearer)
{
	char *value = bearer ? emu_printf("Bearer %s", bearer) : NULL;
	struct result r = call_auth(ws, method, target, NULL, value);

	free(value);
	return r;
}

/* POST /oidc/v1/token with a form body and an optional Authorization. */
static struct result token_request(struct emu_workspace *ws, const char *form,
				   const char *authorization)
{
	return call_auth(ws, "POST", "/oidc/v1/token", form, authorization);
}

/* "Basic base64(id:secret)", id and secret given already form-encoded. */
static char *basic(const char *id, const char *secret)
{
	char *pair = emu_printf("%s:%s", id, secret);
	char *b64 =
		emu_base64_encode((const unsigned char *)pair, strlen(pair));
	char *header = emu_printf("Basic %s", b64);

	free(pair);
	free(b64);
	return header;
}

static void result_dispose(struct result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
	free(r->cache_control);
}

static const char *str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static struct emu_workspace *oauth_workspace(const char *const *tokens,
					     size_t ntokens, int64_t ttl)
{
	static const char *const clients[] = {CLIENT_ID ":" SECRET,
					      "odd-client:" SECRET_ODD};
	struct emu_workspace_options opts = {
		.tokens = tokens,
		.ntokens = ntokens,
		.oauth_clients = clients,
		.noauth_clients = EMU_ARRAY_SIZE(clients),
		.oauth_token_ttl_s = ttl,
	};

	return emu_workspace_new(&opts);
}

/* Gets a token with Basic credentials; returns a copy. */
static char *get_token(struct emu_workspace *ws)
{
	char *auth = basic(CLIENT_ID, SECRET);
	struct result r = token_request(
		ws, "grant_type=client_credentials&scope=all-apis", auth);
	char *token;

	free(auth);
	assert_int_equal(r.status, 200);
	token = emu_xstrdup(str(r.json, "access_token"));
	result_dispose(&r);
	return token;
}

static void expect_oauth_error(struct result r, int status, const char *error)
{
	if (r.status != status)
		fprintf(stderr, "-> %d %s\n", r.status, r.text);
	assert_int_equal(r.status, status);
	assert_string_equal(str(r.json, "error"), error);
	assert_non_null(str(r.json, "error_description"));
	assert_null(str(r.json, "access_token"));
	result_dispose(&r);
}

/* --- tests ---------------------------------------------------------------- */

static void test_emu_oauth__discovery(void **state)
{
	struct emu_workspace *ws = oauth_workspace(NULL, 0, 0);
	struct emu_request req;
	struct result r;

	(void)state;
	emu_workspace_set_base_url(ws, "http://127.0.0.1:9999");
	/* No token needed. */
	r = call(ws, "GET", "/oidc/.well-known/oauth-authorization-server",
		 NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "authorization_endpoint"),
			    "http://127.0.0.1:9999/oidc/v1/authorize");
	assert_string_equal(str(r.json, "token_endpoint"),
			    "http://127.0.0.1:9999/oidc/v1/token");
	assert_string_equal(str(r.json, "issuer"),
			    "http://127.0.0.1:9999/oidc");
	result_dispose(&r);

	/* The Host the client used wins, as for databricks-config. */
	emu_request_init(&req, "GET",
			 "/oidc/.well-known/oauth-authorization-server", NULL,
			 0);
	emu_request_add_header(&req, "Host", "localhost:4321");
	r = handle(ws, &req);
	emu_request_dispose(&req);
	assert_string_equal(str(r.json, "token_endpoint"),
			    "http://localhost:4321/oidc/v1/token");
	result_dispose(&r);

	/* databricks-config points at the same discovery document. */
	r = call(ws, "GET", "/.well-known/databricks-config", NULL);
	assert_string_equal(str(r.json, "oidc_endpoint"),
			    "http://127.0.0.1:9999/oidc");
	result_dispose(&r);
	emu_workspace_free(ws);
}

static void test_emu_oauth__token_basic_and_form(void **state)
{
	static const char *const pats[] = {PAT};
	struct emu_workspace *ws = oauth_workspace(pats, 1, 0);
	char *auth = basic(CLIENT_ID, SECRET);
	struct result r;
	int64_t v = 0;

	(void)state;
	/* HTTP Basic, as the Go SDK sends it. */
	r = token_request(ws, "grant_type=client_credentials&scope=all-apis",
			  auth);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "token_type"), "Bearer");
	assert_string_equal(str(r.json, "scope"), "all-apis");
	assert_int_equal(emu_json_get_int64(
				 &v, cJSON_GetObjectItem(r.json, "expires_in")),
			 0);
	assert_int_equal(v, 3600);
	assert_true(strlen(str(r.json, "access_token")) >= 32);
	assert_string_equal(r.cache_control, "no-store");
	result_dispose(&r);

	/* Form fields, as the Python SDK can send them; scope defaults. */
	r = token_request(ws,
			  "grant_type=client_credentials&client_id=" CLIENT_ID
			  "&client_secret=dose-s3cret",
			  NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "scope"), "all-apis");
	result_dispose(&r);

	/* Every token is new. */
	{
		char *a = get_token(ws), *b = get_token(ws);

		assert_string_not_equal(a, b);
		free(a);
		free(b);
	}

	/* Basic credentials are form-encoded first (RFC 6749 2.3.1), as
	 * Go's oauth2 package does. */
	free(auth);
	auth = basic("odd-client", "s%3Ae%2Bcr%25t+%2Fx");
	r = token_request(ws, "grant_type=client_credentials", auth);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	free(auth);
	emu_workspace_free(ws);
}

static void test_emu_oauth__bad_requests(void **state)
{
	struct emu_workspace *ws = oauth_workspace(NULL, 0, 0);
	char *auth;

	(void)state;
	auth = basic(CLIENT_ID, "wrong");
	expect_oauth_error(
		token_request(ws, "grant_type=client_credentials", auth), 401,
		"invalid_client");
	free(auth);
	auth = basic("no-such-client", SECRET);
	expect_oauth_error(
		token_request(ws, "grant_type=client_credentials", auth), 401,
		"invalid_client");
	free(auth);
	expect_oauth_error(token_request(ws,
					 "grant_type=client_credentials&"
					 "client_id=" CLIENT_ID
					 "&client_secret=dose-s3cre",
					 NULL),
			   401, "invalid_client");
	/* No credentials at all; a bearer header is not client auth. */
	expect_oauth_error(
		token_request(ws, "grant_type=client_credentials", NULL), 401,
		"invalid_client");
	expect_oauth_error(token_request(ws, "grant_type=client_credentials",
					 "Bearer " PAT),
			   401, "invalid_client");
	expect_oauth_error(token_request(ws, "grant_type=client_credentials",
					 "Basic !!notbase64"),
			   401, "invalid_client");

	auth = basic(CLIENT_ID, SECRET);
	expect_oauth_error(token_request(ws, "scope=all-apis", auth), 400,
			   "invalid_request");
	expect_oauth_error(token_request(ws, "grant_type=password", auth), 400,
			   "unsupported_grant_type");
	expect_oauth_error(token_request(ws, "grant_type=%zz", auth), 400,
			   "invalid_request");
	free(auth);

	/* Only POST: GET is the usual 404. */
	{
		struct result r = call(ws, "GET", "/oidc/v1/token", PAT);

		assert_int_equal(r.status, 404);
		result_dispose(&r);
	}
	emu_workspace_free(ws);

	/* Without --oauth-client every client is refused. */
	ws = emu_workspace_new(NULL);
	auth = basic(CLIENT_ID, SECRET);
	expect_oauth_error(
		token_request(ws, "grant_type=client_credentials", auth), 401,
		"invalid_client");
	free(auth);
	emu_workspace_free(ws);
}

static void test_emu_oauth__token_accepted(void **state)
{
	static const char *const pats[] = {PAT};
	struct emu_workspace *ws = oauth_workspace(pats, 1, 0);
	char *token = get_token(ws);
	struct result r;

	(void)state;
	/* With --token set the table is closed, and the OAuth token is in
	 * it next to the PAT. */
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", token);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", "dose-forged");
	assert_int_equal(r.status, 403);
	result_dispose(&r);

	/* SCIM /Me: the service principal's application id. */
	r = call(ws, "GET", "/api/2.0/preview/scim/v2/Me", token);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "userName"), CLIENT_ID);
	assert_non_null(str(r.json, "id"));
	assert_string_not_equal(str(r.json, "id"), "4200000000000001");
	assert_null(cJSON_GetObjectItem(r.json, "emails"));
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/preview/scim/v2/Me", PAT);
	assert_string_equal(str(r.json, "userName"), "admin@example.com");
	result_dispose(&r);

	/* /_emulator/reset forgets issued tokens, not --token ones. */
	r = call(ws, "POST", "/_emulator/reset", NULL);
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", token);
	assert_int_equal(r.status, 403);
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", PAT);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	free(token);
	/* ... but the clients stay. */
	token = get_token(ws);
	free(token);
	emu_workspace_free(ws);
}

static void test_emu_oauth__expiry(void **state)
{
	struct emu_workspace *ws = oauth_workspace(NULL, 0, 60);
	char *token = get_token(ws), *fresh;
	struct result r;

	(void)state;
	r = call(ws, "GET", "/api/2.0/preview/scim/v2/Me", token);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "userName"), CLIENT_ID);
	result_dispose(&r);

	emu_workspace_advance_clock(ws, 59 * 1000);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", token);
	assert_int_equal(r.status, 200);
	result_dispose(&r);

	/* Expired, even though the table is open to any other token. */
	emu_workspace_advance_clock(ws, 1000);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", token);
	assert_int_equal(r.status, 401);
	assert_string_equal(str(r.json, "error_code"), "UNAUTHENTICATED");
	assert_non_null(strstr(str(r.json, "message"), "expired"));
	result_dispose(&r);

	/* A refreshed token works. */
	fresh = get_token(ws);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", fresh);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	free(fresh);
	free(token);
	emu_workspace_free(ws);
}

static void test_emu_oauth__not_logged(void **state)
{
	struct emu_workspace *ws = oauth_workspace(NULL, 0, 0);
	struct emu_request req;
	struct result r, log;
	char *token = get_token(ws);
	const cJSON *requests, *entry;
	int64_t n = 0;

	(void)state;
	/* Credentials in the query string too are kept out of the log. */
	emu_request_init(
		&req, "POST", "/oidc/v1/token?client_secret=" SECRET,
		"grant_type=client_credentials&client_id=" CLIENT_ID
		"&client_secret=" SECRET,
		strlen("grant_type=client_credentials&client_id=" CLIENT_ID
		       "&client_secret=" SECRET));
	r = handle(ws, &req);
	emu_request_dispose(&req);
	assert_int_equal(r.status, 200);
	result_dispose(&r);

	log = call(ws, "GET", "/_emulator/requests", NULL);
	assert_null(strstr(log.text, SECRET));
	assert_null(strstr(log.text, token));
	requests = cJSON_GetObjectItem(log.json, "requests");
	assert_int_equal(cJSON_GetArraySize(requests), 2);
	entry = cJSON_GetArrayItem(requests, 1);
	assert_string_equal(str(entry, "path"), "/oidc/v1/token");
	assert_string_equal(str(entry, "query"), "");
	assert_null(cJSON_GetObjectItem(entry, "body"));
	assert_int_equal(
		emu_json_get_int64(
			&n, cJSON_GetObjectItem(
				    cJSON_GetObjectItem(log.json, "counts"),
				    "POST /oidc/v1/token")),
		0);
	assert_int_equal(n, 2);
	result_dispose(&log);
	free(token);
	emu_workspace_free(ws);
}

#define ACCOUNT "00000000-0000-4000-8000-000000000001" /* the default */

static void test_emu_oauth__account_endpoint(void **state)
{
	static const char *const pats[] = {PAT};
	struct emu_workspace *ws = oauth_workspace(pats, 1, 0);
	char *auth = basic(CLIENT_ID, SECRET);
	struct result r;
	char *token;

	(void)state;
	/* The same grant and clients as the workspace endpoint. */
	r = call_auth(ws, "POST", "/oidc/accounts/" ACCOUNT "/v1/token",
		      "grant_type=client_credentials&scope=all-apis", auth);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "token_type"), "Bearer");
	assert_string_equal(r.cache_control, "no-store");
	token = emu_xstrdup(str(r.json, "access_token"));
	result_dispose(&r);
	/* Its token works on the account API. */
	r = call(ws, "GET", "/api/2.0/accounts/" ACCOUNT "/credentials", token);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	free(token);

	/* Another account: the client is unknown there. */
	expect_oauth_error(call_auth(ws, "POST",
				     "/oidc/accounts/"
				     "11111111-0000-4000-8000-000000000001"
				     "/v1/token",
				     "grant_type=client_credentials", auth),
			   401, "invalid_client");
	/* A wrong secret and a missing grant_type, as on the workspace. */
	free(auth);
	auth = basic(CLIENT_ID, "wrong");
	expect_oauth_error(call_auth(ws, "POST",
				     "/oidc/accounts/" ACCOUNT "/v1/token",
				     "grant_type=client_credentials", auth),
			   401, "invalid_client");
	free(auth);
	auth = basic(CLIENT_ID, SECRET);
	expect_oauth_error(call_auth(ws, "POST",
				     "/oidc/accounts/" ACCOUNT "/v1/token",
				     "scope=all-apis", auth),
			   400, "invalid_request");
	free(auth);
	emu_workspace_free(ws);
}

static void expect_unauthenticated(struct result r, const char *message)
{
	if (r.status != 401)
		fprintf(stderr, "-> %d %s\n", r.status, r.text);
	assert_int_equal(r.status, 401);
	assert_string_equal(str(r.json, "error_code"), "UNAUTHENTICATED");
	assert_string_equal(str(r.json, "message"), message);
	assert_null(strstr(r.text, "pw:one"));
	result_dispose(&r);
}

static void test_emu_oauth__basic_users(void **state)
{
	static const char *const pats[] = {PAT};
	static const char *const users[] = {"admin@example.com:pw:one",
					    "ops@example.com:pw-two"};
	struct emu_workspace_options opts = {
		.tokens = pats,
		.ntokens = 1,
		.basic_users = users,
		.nbasic_users = EMU_ARRAY_SIZE(users),
	};
	struct emu_workspace *ws = emu_workspace_new(&opts);
	char *good = basic("admin@example.com", "pw:one");
	char *ops = basic("ops@example.com", "pw-two");
	char *wrong = basic("admin@example.com", "pw:two");
	char *nobody = basic("nobody@example.com", "pw:one");
	struct result r;

	(void)state;
	/* The password may hold ':'; the user is the principal. */
	r = call_auth(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL, good);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "userName"), "admin@example.com");
	result_dispose(&r);
	r = call_auth(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL, ops);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "userName"), "ops@example.com");
	result_dispose(&r);
	r = call_auth(ws, "GET", "/api/2.0/accounts/" ACCOUNT "/credentials",
		      NULL, good);
	assert_int_equal(r.status, 200);
	result_dispose(&r);

	/* A wrong password, an unknown user, a malformed header. */
	expect_unauthenticated(call_auth(ws, "GET",
					 "/api/2.0/secrets/scopes/list", NULL,
					 wrong),
			       "Invalid username or password.");
	expect_unauthenticated(call_auth(ws, "GET",
					 "/api/2.0/secrets/scopes/list", NULL,
					 nobody),
			       "Invalid username or password.");
	expect_unauthenticated(call_auth(ws, "GET",
					 "/api/2.0/secrets/scopes/list", NULL,
					 "Basic !!notbase64"),
			       "Invalid username or password.");
	/* Bearer tokens work as before; reset keeps the users. */
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", PAT);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	r = call(ws, "POST", "/_emulator/reset", NULL);
	result_dispose(&r);
	r = call_auth(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, good);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	emu_workspace_free(ws);

	/* Without --basic-user, Basic is an unsupported scheme. */
	ws = oauth_workspace(pats, 1, 0);
	expect_unauthenticated(call_auth(ws, "GET",
					 "/api/2.0/secrets/scopes/list", NULL,
					 good),
			       "Credential was not sent or was of an "
			       "unsupported type for this API.");
	emu_workspace_free(ws);
	free(good);
	free(ops);
	free(wrong);
	free(nobody);
}

/* --- the binary ----------------------------------------------------------- */

static char *raw_http(unsigned port, const char *request)
{
	return emu_test_raw_http(port, request, strlen(request));
}

/* The binary with --oauth-client and a one-second --oauth-token-ttl:
 * a token works, then expires in real time. */
static void test_emu_oauth__binary(void **state)
{
	const char *exe = getenv("TFP_EMULATOR");
	char line[256] = "", *resp, *req, *auth, *token = NULL;
	const char *body;
	int fds[2], status = 0;
	unsigned port = 0;
	pid_t pid;
	FILE *out;

	(void)state;
	if (!exe || access(exe, X_OK) != 0) {
		fprintf(stderr, "SKIPPED binary test: TFP_EMULATOR not set\n");
		return;
	}
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(exe, exe, "--port", "0", "--token", PAT, "--oauth-client",
		      CLIENT_ID ":" SECRET, "--oauth-token-ttl", "1",
		      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	assert_non_null(out);
	assert_non_null(fgets(line, sizeof(line), out));
	assert_int_equal(
		sscanf(line, "listening on http://127.0.0.1:%u", &port), 1);

	auth = basic(CLIENT_ID, SECRET);
	req = emu_printf("POST /oidc/v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			 "Authorization: %s\r\n"
			 "Content-Type: application/x-www-form-urlencoded\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			 auth, strlen("grant_type=client_credentials"),
			 "grant_type=client_credentials");
	resp = raw_http(port, req);
	free(req);
	free(auth);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	body = strstr(resp, "\r\n\r\n");
	assert_non_null(body);
	{
		cJSON *json = cJSON_Parse(body + 4);

		assert_non_null(json);
		token = emu_xstrdup(str(json, "access_token"));
		assert_non_null(strstr(body, "\"expires_in\":1"));
		cJSON_Delete(json);
	}
	free(resp);

	req = emu_printf("GET /api/2.0/preview/scim/v2/Me HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
			 "Connection: close\r\n\r\n",
			 token);
	resp = raw_http(port, req);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "\"userName\":\"" CLIENT_ID "\""));
	free(resp);
	usleep(1100 * 1000);
	resp = raw_http(port, req);
	assert_non_null(strstr(resp, "HTTP/1.1 401"));
	assert_non_null(strstr(resp, "UNAUTHENTICATED"));
	free(resp);
	free(req);
	free(token);

	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_oauth__discovery),
		cmocka_unit_test(test_emu_oauth__token_basic_and_form),
		cmocka_unit_test(test_emu_oauth__bad_requests),
		cmocka_unit_test(test_emu_oauth__token_accepted),
		cmocka_unit_test(test_emu_oauth__expiry),
		cmocka_unit_test(test_emu_oauth__not_logged),
		cmocka_unit_test(test_emu_oauth__account_endpoint),
		cmocka_unit_test(test_emu_oauth__basic_users),
		cmocka_unit_test(test_emu_oauth__binary),
	};

	emu_util_init();
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
