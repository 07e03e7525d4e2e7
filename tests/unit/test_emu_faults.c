/*
 * Unit tests for the emulator's fault injection and rate limit
 * (emulator/faults.c and the router stage that applies them): spec
 * parsing with its error messages, seeded rates over many requests,
 * reproducibility, the error bodies and Retry-After, drop-create (the
 * write happens, the answer is lost), scoping and the exempt paths, the
 * /_emulator/faults controls, the token bucket on the workspace clock, and
 * over real sockets: injected latency, resets and drop-create, and the
 * binary's --faults/--seed/--rate-limit options.
 *
 * Handler-level tests go through the router with no network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "faults.h"
#include "http.h"
#include "json.h"
#include "router.h"
#include "server.h"
#include "util.h"
#include "workspace.h"
#include "emu_test.h"

#define TOKEN "dapi-faults-test"

/* --- helpers -------------------------------------------------------------- */

struct result {
	int status;
	bool drop;
	cJSON *json;
	char *text;
	char *retry_after;
};

static struct result call(struct emu_workspace *ws, const char *method,
			  const char *target, const char *body)
{
	struct emu_response resp;
	struct result r;
	const char *ra;

	emu_response_init(&resp);
	emu_router_call(ws, method, target, body, TOKEN, &resp);
	r.status = resp.status;
	r.drop = resp.drop;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	ra = emu_response_header(&resp, "Retry-After");
	r.retry_after = ra ? emu_xstrdup(ra) : NULL;
	emu_response_dispose(&resp);
	assert_non_null(r.json);
	return r;
}

static void result_dispose(struct result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
	free(r->retry_after);
}

static const char *str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int64_t int_of(const cJSON *obj, const char *name)
{
	int64_t v = -1;

	assert_int_equal(
		emu_json_get_int64(&v,
				   cJSON_GetObjectItemCaseSensitive(obj, name)),
		0);
	return v;
}

static struct emu_workspace *workspace_with(const char *spec, uint64_t seed)
{
	static const char *const tokens[] = {TOKEN};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};
	struct emu_workspace *ws = emu_workspace_new(&opts);
	char err[256];

	assert_int_equal(emu_faults_set_spec(emu_workspace_faults(ws), spec,
					     err, sizeof(err)),
			 0);
	emu_faults_set_seed(emu_workspace_faults(ws), seed);
	return ws;
}

static void set_spec(struct emu_workspace *ws, const char *spec)
{
	char err[256];

	assert_int_equal(emu_faults_set_spec(emu_workspace_faults(ws), spec,
					     err, sizeof(err)),
			 0);
}

static cJSON *faults_json(struct emu_workspace *ws)
{
	struct result r = call(ws, "GET", "/_emulator/faults", NULL);
	cJSON *json = r.json;

	assert_int_equal(r.status, 200);
	r.json = NULL;
	result_dispose(&r);
	return json;
}

static int64_t injected(struct emu_workspace *ws, const char *kind)
{
	cJSON *json = faults_json(ws);
	int64_t n = int_of(cJSON_GetObjectItem(json, "injected"), kind);

	cJSON_Delete(json);
	return n;
}

/* --- parsing -------------------------------------------------------------- */

static void test_emu_faults__spec_parsing(void **state)
{
	static const struct {
		const char *spec;
		const char *error; /* NULL: valid; else a substring */
	} rows[] = {
		{"", NULL},
		{"   ", NULL},
		{"429=0.05,503=0.03,500=0.02,reset=0.02,drop-create=0.02,"
		 "latency=20ms",
		 NULL},
		{"POST /api/2.0/secrets/scopes/create:503=0.5", NULL},
		{" 429 = 5% , retry-after=3 ", NULL},
		{"/api/2.1/jobs/*:500=1,latency=1s,GET /x:latency=7", NULL},
		{"503=1,/api/2.0/secrets/list:503=1", NULL},
		{"429=1.5", "fault rule 1 ('429=1.5'): the rate '1.5' must be "
			    "a number from 0 to 1"},
		{"429=-0.1", "must be a number from 0 to 1"},
		{"429=abc", "must be a number from 0 to 1"},
		{"429=0.1x", "must be a number from 0 to 1"},
		{"404=0.1", "fault rule 1 ('404=0.1'): unknown kind '404' "
			    "(expected 429, 503, 500, 403, reset, drop-create, "
			    "latency or retry-after)"},
		{"503=0.1,,500=0.1", "fault rule 2 is empty"},
		{"503=0.1,", "fault rule 2 is empty"},
		{"503", "fault rule 1 ('503'): expected [scope:]kind=value"},
		{"503=0.1=2", "expected [scope:]kind=value"},
		{"latency=fast", "latency must be N, Nms or Ns"},
		{"latency=61s", "at most 60000 ms"},
		{"retry-after=1.5", "retry-after must be whole seconds"},
		{"/x:retry-after=2", "retry-after cannot be scoped"},
		{"api/x:503=1", "the scope must be a path starting with '/'"},
		{"post /x:503=1", "the method must be upper case"},
		{"/a*b:503=1", "'*' only at its end"},
		{"429=0.6,503=0.5", "the fault rates for all paths add up to "
				    "1.1, more than 1"},
		{"/x:429=0.6,/x:503=0.5", "the fault rates for /x add up"},
		{"\xff=1", "not valid UTF-8"},
	};
	struct emu_faults *f = emu_faults_new(1);
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++) {
		char err[512] = "";
		int rc = emu_faults_set_spec(f, rows[i].spec, err, sizeof(err));

		if (!rows[i].error) {
			if (rc != 0)
				fprintf(stderr, "%s: %s\n", rows[i].spec, err);
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, -1);
		if (!strstr(err, rows[i].error))
			fprintf(stderr, "%s: got '%s'\n", rows[i].spec, err);
		assert_non_null(strstr(err, rows[i].error));
	}
	/* A failed spec leaves the previous rules in place. */
	assert_int_equal(emu_faults_set_spec(f, "503=0.25", NULL, 0), 0);
	{
		char err[64];

		assert_int_equal(
			emu_faults_set_spec(f, "bad", err, sizeof(err)), -1);
	}
	{
		cJSON *json = emu_faults_json(f);

		assert_string_equal(str(json, "spec"), "503=0.25");
		assert_int_equal(
			cJSON_GetArraySize(cJSON_GetObjectItem(json, "rules")),
			1);
		cJSON_Delete(json);
	}
	emu_faults_free(f);
}

/* --- rates ---------------------------------------------------------------- */

#define MANY 20000

static void test_emu_faults__seeded_rates(void **state)
{
	const char *spec = "429=0.05,503=0.03,500=0.02";
	struct emu_workspace *ws = workspace_with(spec, 42);
	struct emu_workspace *again = workspace_with(spec, 42);
	int64_t n429 = 0, n503 = 0, n500 = 0, ok = 0;
	size_t i;

	(void)state;
	for (i = 0; i < MANY; i++) {
		struct result r =
			call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
		struct result s = call(again, "GET",
				       "/api/2.0/secrets/scopes/list", NULL);

		/* The same seed fails the same requests. */
		assert_int_equal(r.status, s.status);
		switch (r.status) {
		case 429:
			n429++;
			assert_string_equal(str(r.json, "error_code"),
					    "REQUEST_LIMIT_EXCEEDED");
			assert_string_equal(r.retry_after, "1");
			break;
		case 503:
			n503++;
			assert_string_equal(str(r.json, "error_code"),
					    "TEMPORARILY_UNAVAILABLE");
			break;
		case 500:
			n500++;
			assert_string_equal(str(r.json, "error_code"),
					    "INTERNAL_ERROR");
			break;
		default:
			assert_int_equal(r.status, 200);
			ok++;
		}
		result_dispose(&r);
		result_dispose(&s);
	}
	/* Expected 1000, 600 and 400; the bounds are over 4 sigma. */
	assert_in_range(n429, 870, 1130);
	assert_in_range(n503, 500, 700);
	assert_in_range(n500, 320, 480);
	assert_int_equal(ok + n429 + n503 + n500, MANY);
	assert_int_equal(injected(ws, "429"), n429);
	assert_int_equal(injected(ws, "503"), n503);
	assert_int_equal(injected(ws, "500"), n500);
	emu_workspace_free(again);

	/* Another seed gives another sequence, with the same rates. */
	emu_workspace_free(ws);
	ws = workspace_with("503=0.5", 1);
	again = workspace_with("503=0.5", 2);
	{
		size_t differ = 0;

		for (i = 0; i < 200; i++) {
			struct result r =
				call(ws, "GET", "/api/2.0/secrets/scopes/list",
				     NULL);
			struct result s =
				call(again, "GET",
				     "/api/2.0/secrets/scopes/list", NULL);

			differ += r.status != s.status;
			result_dispose(&r);
			result_dispose(&s);
		}
		assert_true(differ > 0);
	}
	emu_workspace_free(again);
	emu_workspace_free(ws);

	/* retry-after sets the header of injected 429s. */
	ws = workspace_with("429=1,retry-after=7", 3);
	{
		struct result r =
			call(ws, "GET", "/api/2.0/secrets/list?scope=x", NULL);

		assert_int_equal(r.status, 429);
		assert_string_equal(r.retry_after, "7");
		result_dispose(&r);
	}
	emu_workspace_free(ws);
}

/* --- drop-create ---------------------------------------------------------- */

static void test_emu_faults__drop_create(void **state)
{
	struct emu_workspace *ws = workspace_with("drop-create=1", 5);
	struct result r, log;
	const cJSON *entry;

	(void)state;
	/* Reads are never dropped by drop-create. */
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	assert_int_equal(r.status, 200);
	assert_false(r.drop);
	result_dispose(&r);

	r = call(ws, "POST", "/api/2.0/secrets/scopes/create",
		 "{\"scope\":\"lost-answer\"}");
	assert_true(r.drop);
	result_dispose(&r);

	/* The write happened: a retry finds the scope there. */
	set_spec(ws, "");
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	assert_non_null(strstr(r.text, "\"name\":\"lost-answer\""));
	result_dispose(&r);
	r = call(ws, "POST", "/api/2.0/secrets/scopes/create",
		 "{\"scope\":\"lost-answer\"}");
	assert_int_equal(r.status, 400);
	assert_string_equal(str(r.json, "error_code"),
			    "RESOURCE_ALREADY_EXISTS");
	result_dispose(&r);

	/* The log shows what the client never saw. */
	log = call(ws, "GET", "/_emulator/requests", NULL);
	entry = cJSON_GetArrayItem(cJSON_GetObjectItem(log.json, "requests"),
				   1);
	assert_string_equal(str(entry, "path"),
			    "/api/2.0/secrets/scopes/create");
	assert_string_equal(str(entry, "fault"), "drop-create");
	assert_int_equal(int_of(entry, "status"), 200);
	assert_null(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(log.json, "requests"),
				   0),
		"fault"));
	result_dispose(&log);

	/* A reset drops the request before the handler: nothing changes. */
	set_spec(ws, "reset=1");
	r = call(ws, "POST", "/api/2.0/secrets/scopes/create",
		 "{\"scope\":\"never\"}");
	assert_true(r.drop);
	result_dispose(&r);
	assert_int_equal(injected(ws, "reset"), 1);
	set_spec(ws, "");
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	assert_null(strstr(r.text, "never"));
	result_dispose(&r);
	emu_workspace_free(ws);
}

/* --- scoping -------------------------------------------------------------- */

static void expect_status(struct emu_workspace *ws, const char *method,
			  const char *target, const char *body, int status)
{
	struct result r = call(ws, method, target, body);

	if (r.status != status)
		fprintf(stderr, "%s %s -> %d %s\n", method, target, r.status,
			r.text);
	assert_int_equal(r.status, status);
	result_dispose(&r);
}

static void test_emu_faults__scoping(void **state)
{
	struct emu_workspace *ws =
		workspace_with("POST /api/2.0/secrets/scopes/create:503=1", 9);

	(void)state;
	expect_status(ws, "POST", "/api/2.0/secrets/scopes/create",
		      "{\"scope\":\"a\"}", 503);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 200);
	expect_status(ws, "POST", "/api/2.0/secrets/scopes/delete",
		      "{\"scope\":\"a\"}", 404);

	/* A path without a method matches every method; '*' is a prefix. */
	set_spec(ws, "/api/2.0/secrets/*:500=1");
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 500);
	expect_status(ws, "GET", "/api/2.1/jobs/list", NULL, 200);

	/* 403: one API the caller may not use (PERMISSION_DENIED), the
	 * others answer. */
	set_spec(ws, "GET /api/2.1/jobs/list:403=1");
	expect_status(ws, "GET", "/api/2.1/jobs/list", NULL, 403);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 200);

	/* A scoped rule overrides the unscoped one of its kind. */
	set_spec(ws, "503=1,GET /api/2.0/secrets/scopes/list:503=0");
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 200);
	expect_status(ws, "GET", "/api/2.1/jobs/list", NULL, 503);

	/* Unscoped faults, and wildcard scopes, spare discovery, OAuth
	 * and the controls. */
	set_spec(ws, "503=1,/*:reset=0");
	expect_status(ws, "GET", "/.well-known/databricks-config", NULL, 200);
	expect_status(ws, "GET", "/oidc/.well-known/oauth-authorization-server",
		      NULL, 200);
	expect_status(ws, "GET", "/_emulator/health", NULL, 200);
	set_spec(ws, "/*:503=1");
	expect_status(ws, "GET", "/oidc/.well-known/oauth-authorization-server",
		      NULL, 200);
	expect_status(ws, "GET", "/api/2.1/jobs/list", NULL, 503);
	/* ... unless named explicitly. */
	set_spec(ws, "/oidc/*:503=1");
	expect_status(ws, "GET", "/oidc/.well-known/oauth-authorization-server",
		      NULL, 503);
	expect_status(ws, "GET", "/api/2.1/jobs/list", NULL, 200);
	set_spec(ws, "GET /.well-known/databricks-config:429=1");
	expect_status(ws, "GET", "/.well-known/databricks-config", NULL, 429);

	/* Unknown paths and failed authentication come first. */
	set_spec(ws, "503=1");
	expect_status(ws, "GET", "/api/2.0/nope", NULL, 404);
	emu_workspace_free(ws);
}

/* --- controls ------------------------------------------------------------- */

/* /_emulator/clock reads and advances the workspace clock; bad bodies are
 * refused and leave it where it was. */
static void test_emu_faults__clock(void **state)
{
	struct emu_workspace *ws = workspace_with("", 1);
	struct result r;
	int64_t before, after;

	(void)state;
	r = call(ws, "GET", "/_emulator/clock", NULL);
	assert_int_equal(r.status, 200);
	before = int_of(r.json, "now_ms");
	result_dispose(&r);
	r = call(ws, "POST", "/_emulator/clock", "{\"advance_ms\":3600000}");
	assert_int_equal(r.status, 200);
	after = int_of(r.json, "now_ms");
	result_dispose(&r);
	assert_true(after - before >= 3600000);
	assert_true(after - before < 3600000 + 60000);
	assert_true(emu_workspace_now_ms(ws) >= after);
	expect_status(ws, "POST", "/_emulator/clock", "{\"advance_ms\":-1}",
		      400);
	expect_status(ws, "POST", "/_emulator/clock", "{\"advance_ms\":1e300}",
		      400);
	expect_status(ws, "POST", "/_emulator/clock", "[1]", 400);
	expect_status(ws, "POST", "/_emulator/clock", "{}", 400);
	assert_true(emu_workspace_now_ms(ws) - after < 60000);
	emu_workspace_free(ws);
}

static void test_emu_faults__controls(void **state)
{
	struct emu_workspace *ws = workspace_with("", 1);
	struct result r;
	cJSON *json;

	(void)state;
	r = call(ws, "POST", "/_emulator/faults",
		 "{\"spec\":\"GET /api/2.0/secrets/scopes/list:503=1,"
		 "latency=0ms\",\"seed\":1234}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "spec"),
			    "GET /api/2.0/secrets/scopes/list:503=1,"
			    "latency=0ms");
	assert_int_equal(int_of(r.json, "seed"), 1234);
	result_dispose(&r);

	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 503);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 503);
	json = faults_json(ws);
	assert_int_equal(int_of(cJSON_GetObjectItem(json, "injected"), "503"),
			 2);
	assert_int_equal(int_of(json, "retry_after"), 1);
	{
		const cJSON *rule = cJSON_GetArrayItem(
			cJSON_GetObjectItem(json, "rules"), 0);

		assert_string_equal(str(rule, "method"), "GET");
		assert_string_equal(str(rule, "path"),
				    "/api/2.0/secrets/scopes/list");
		assert_string_equal(str(rule, "kind"), "503");
	}
	cJSON_Delete(json);

	/* Bad specs and bodies are refused; the rules stay. */
	r = call(ws, "POST", "/_emulator/faults", "{\"spec\":\"503=2\"}");
	assert_int_equal(r.status, 400);
	assert_string_equal(str(r.json, "error_code"),
			    "INVALID_PARAMETER_VALUE");
	assert_non_null(strstr(str(r.json, "message"), "fault rule 1"));
	result_dispose(&r);
	r = call(ws, "POST", "/_emulator/faults", "not json");
	assert_int_equal(r.status, 400);
	assert_string_equal(str(r.json, "error_code"), "MALFORMED_REQUEST");
	result_dispose(&r);
	r = call(ws, "POST", "/_emulator/faults", "{}");
	assert_int_equal(r.status, 400);
	assert_string_equal(str(r.json, "message"),
			    "Missing required field: spec");
	result_dispose(&r);
	r = call(ws, "POST", "/_emulator/faults",
		 "{\"spec\":\"\",\"seed\":-1}");
	assert_int_equal(r.status, 400);
	result_dispose(&r);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 503);

	/* /_emulator/reset keeps the rules and zeroes the counters. */
	expect_status(ws, "POST", "/_emulator/reset", NULL, 200);
	assert_int_equal(injected(ws, "503"), 0);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 503);

	/* Controls can be faulted when named, except the faults control
	 * itself, so a test cannot lock itself out. */
	set_spec(ws, "/_emulator/*:503=1");
	expect_status(ws, "GET", "/_emulator/health", NULL, 503);
	expect_status(ws, "GET", "/_emulator/faults", NULL, 200);

	/* DELETE turns faults off. */
	expect_status(ws, "DELETE", "/_emulator/faults", NULL, 200);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 200);
	json = faults_json(ws);
	assert_string_equal(str(json, "spec"), "");
	cJSON_Delete(json);
	emu_workspace_free(ws);
}

/* --- rate limit ----------------------------------------------------------- */

static void test_emu_faults__rate_limit(void **state)
{
	struct emu_workspace *ws = workspace_with("", 1);
	struct result r;
	int i;

	(void)state;
	/* 2 per second: a token takes 500 ms of real time to come back, far
	 * longer than the calls below take even under valgrind. */
	emu_faults_set_rate_limit(emu_workspace_faults(ws), 2);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 200);
	expect_status(ws, "GET", "/api/2.1/jobs/list", NULL, 200);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	assert_int_equal(r.status, 429);
	assert_string_equal(str(r.json, "error_code"),
			    "REQUEST_LIMIT_EXCEEDED");
	assert_string_equal(r.retry_after, "1");
	result_dispose(&r);
	/* The controls and discovery are not limited. */
	expect_status(ws, "GET", "/_emulator/health", NULL, 200);
	expect_status(ws, "GET", "/.well-known/databricks-config", NULL, 200);

	/* A second later the bucket is full again, and no fuller. */
	emu_workspace_advance_clock(ws, 5000);
	for (i = 0; i < 2; i++)
		expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL,
			      200);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 429);
	/* Half a second gives one more. */
	emu_workspace_advance_clock(ws, 500);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 200);
	expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, 429);

	r = call(ws, "GET", "/_emulator/requests", NULL);
	assert_int_equal(int_of(r.json, "rate_limit"), 2);
	assert_int_equal(int_of(r.json, "admitted"), 5);
	assert_int_equal(int_of(r.json, "throttled"), 3);
	{
		const cJSON *e = cJSON_GetArrayItem(
			cJSON_GetObjectItem(r.json, "requests"), 2);

		assert_int_equal(int_of(e, "status"), 429);
		assert_string_equal(str(e, "fault"), "throttled");
	}
	result_dispose(&r);
	expect_status(ws, "DELETE", "/_emulator/requests", NULL, 200);
	r = call(ws, "GET", "/_emulator/requests", NULL);
	assert_int_equal(int_of(r.json, "throttled"), 0);
	result_dispose(&r);

	/* Off by default. */
	emu_faults_set_rate_limit(emu_workspace_faults(ws), 0);
	for (i = 0; i < 50; i++)
		expect_status(ws, "GET", "/api/2.0/secrets/scopes/list", NULL,
			      200);
	r = call(ws, "GET", "/_emulator/requests", NULL);
	assert_int_equal(int_of(r.json, "rate_limit"), 0);
	assert_int_equal(int_of(r.json, "throttled"), 0);
	result_dispose(&r);
	emu_workspace_free(ws);
}

/* --- over the wire -------------------------------------------------------- */

/* Sends a request to 127.0.0.1:port and returns everything read until the
 * server closes the connection ("" when it closes without answering). */
static char *raw_http(unsigned port, const char *request)
{
	return emu_test_raw_http(port, request, strlen(request));
}

static char *get(unsigned port, const char *path)
{
	char *req = emu_printf("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			       "Authorization: Bearer %s\r\n"
			       "Connection: close\r\n\r\n",
			       path, TOKEN);
	char *resp = raw_http(port, req);

	free(req);
	return resp;
}

static char *post(unsigned port, const char *path, const char *body)
{
	char *req = emu_printf("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			       "Authorization: Bearer %s\r\n"
			       "Content-Length: %zu\r\n"
			       "Connection: close\r\n\r\n%s",
			       path, TOKEN, strlen(body), body);
	char *resp = raw_http(port, req);

	free(req);
	return resp;
}

static int64_t elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_emu_faults__server(void **state)
{
	struct emu_workspace *ws = workspace_with("latency=150ms", 11);
	struct emu_server_options sopts = {.port = 0};
	struct emu_server *server = NULL;
	struct timespec t0;
	char err[256], *resp;
	unsigned port;

	(void)state;
	assert_int_equal(
		emu_server_start(&server, ws, &sopts, err, sizeof(err)), 0);
	port = emu_server_port(server);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp = get(port, "/api/2.0/secrets/scopes/list");
	assert_true(elapsed_ms(&t0) >= 150);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	free(resp);
	/* The controls are not delayed. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp = get(port, "/_emulator/health");
	assert_true(elapsed_ms(&t0) < 150);
	free(resp);

	/* A reset: the connection closes without a byte of answer. */
	emu_workspace_lock(ws);
	set_spec(ws, "reset=1");
	emu_workspace_unlock(ws);
	resp = get(port, "/api/2.0/secrets/scopes/list");
	assert_string_equal(resp, "");
	free(resp);

	/* drop-create over the wire: no answer, but the scope exists. */
	emu_workspace_lock(ws);
	set_spec(ws, "POST /api/2.0/secrets/scopes/create:drop-create=1");
	emu_workspace_unlock(ws);
	resp = post(port, "/api/2.0/secrets/scopes/create",
		    "{\"scope\":\"wire\"}");
	assert_string_equal(resp, "");
	free(resp);
	resp = get(port, "/api/2.0/secrets/scopes/list");
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "\"name\":\"wire\""));
	free(resp);

	/* Injected errors over the wire carry their headers. */
	resp = post(port, "/_emulator/faults",
		    "{\"spec\":\"429=1,retry-after=2\"}");
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	free(resp);
	resp = get(port, "/api/2.0/secrets/scopes/list");
	assert_non_null(strstr(resp, "HTTP/1.1 429"));
	assert_non_null(strstr(resp, "Retry-After: 2\r\n"));
	assert_non_null(
		strstr(resp, "\"error_code\":\"REQUEST_LIMIT_EXCEEDED\""));
	free(resp);

	/* The server survived all of it. */
	resp = raw_http(port, "GET /_emulator/faults HTTP/1.1\r\nHost: x\r\n"
			      "Connection: close\r\n\r\n");
	assert_non_null(strstr(resp, "\"429\":1"));
	free(resp);
	emu_server_stop(server);
	emu_workspace_free(ws);
}

/* Runs the built binary (CTest sets TFP_EMULATOR) with args and returns
 * its exit status; when port is not NULL, waits for the "listening on"
 * line, stores the port and leaves it running (*pid set). */
static int run_binary(const char *const *args, unsigned *port, pid_t *pid_out)
{
	const char *exe = getenv("TFP_EMULATOR");
	const char *argv[16];
	int fds[2], status = 0;
	size_t n = 0;
	pid_t pid;

	argv[n++] = exe;
	while (*args && n < EMU_ARRAY_SIZE(argv) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(fds[1], STDOUT_FILENO);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	if (port) {
		FILE *out = fdopen(fds[0], "r");
		char line[256] = "";

		assert_non_null(out);
		assert_non_null(fgets(line, sizeof(line), out));
		fclose(out);
		assert_int_equal(
			sscanf(line, "listening on http://127.0.0.1:%u", port),
			1);
		*pid_out = pid;
		return 0;
	}
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_emu_faults__binary(void **state)
{
	static const char *const bad_spec[] = {"--port", "0", "--faults",
					       "503=2", NULL};
	static const char *const bad_seed[] = {"--seed", "x", NULL};
	static const char *const bad_rate[] = {"--rate-limit", "-1", NULL};
	static const char *const good[] = {"--port",
					   "0",
					   "--token",
					   TOKEN,
					   "--faults",
					   "GET /api/2.0/secrets/"
					   "scopes/list:503=1",
					   "--seed",
					   "77",
					   "--rate-limit",
					   "1000",
					   NULL};
	const char *exe = getenv("TFP_EMULATOR");
	unsigned port = 0;
	pid_t pid = 0;
	int status = 0;
	char *resp;

	(void)state;
	if (!exe || access(exe, X_OK) != 0) {
		fprintf(stderr, "SKIPPED binary test: TFP_EMULATOR not set\n");
		return;
	}
	assert_int_equal(run_binary(bad_spec, NULL, NULL), 2);
	assert_int_equal(run_binary(bad_seed, NULL, NULL), 2);
	assert_int_equal(run_binary(bad_rate, NULL, NULL), 2);

	run_binary(good, &port, &pid);
	resp = get(port, "/api/2.0/secrets/scopes/list");
	assert_non_null(strstr(resp, "HTTP/1.1 503"));
	free(resp);
	resp = get(port, "/api/2.1/jobs/list");
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	free(resp);
	resp = get(port, "/_emulator/faults");
	assert_non_null(strstr(resp, "\"seed\":77"));
	free(resp);
	resp = get(port, "/_emulator/requests");
	assert_non_null(strstr(resp, "\"rate_limit\":1000"));
	assert_non_null(strstr(resp, "\"admitted\":2"));
	free(resp);
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_faults__spec_parsing),
		cmocka_unit_test(test_emu_faults__seeded_rates),
		cmocka_unit_test(test_emu_faults__drop_create),
		cmocka_unit_test(test_emu_faults__scoping),
		cmocka_unit_test(test_emu_faults__controls),
		cmocka_unit_test(test_emu_faults__clock),
		cmocka_unit_test(test_emu_faults__rate_limit),
		cmocka_unit_test(test_emu_faults__server),
		cmocka_unit_test(test_emu_faults__binary),
	};

	emu_util_init();
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
