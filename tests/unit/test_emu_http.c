/*
 * Unit tests for the emulator's HTTP layer: target decoding, argument
 * accessors, route patterns, the router's shared checks (authentication,
 * unknown paths, malformed bodies), identity endpoints, the test controls,
 * the request log, the JSON integer rule, and the real server: in-process
 * on port 0 over a raw socket, and the built binary (TFP_EMULATOR) started
 * as a child process.
 *
 * Handler-level tests go through emu_router_call, with no network.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "args.h"
#include "http.h"
#include "json.h"
#include "reqlog.h"
#include "router.h"
#include "server.h"
#include "util.h"
#include "workspace.h"
#include "emu_test.h"

#define TOKEN "dapi0123456789abcdef0123456789abcdef"

/* --- helpers -------------------------------------------------------------- */

struct result {
	int status;
	cJSON *json;
	char *text;
	char *org_id; /* X-Databricks-Org-Id, if sent */
};

static struct result call(struct emu_workspace *ws, const char *method,
			  const char *target, const char *body,
			  const char *bearer)
{
	struct emu_response resp;
	struct result r;
	const char *org;

	emu_response_init(&resp);
	emu_router_call(ws, method, target, body, bearer, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	org = emu_response_header(&resp, "X-Databricks-Org-Id");
	r.org_id = org ? emu_xstrdup(org) : NULL;
	emu_response_dispose(&resp);
	assert_non_null(r.json);
	return r;
}

static void result_dispose(struct result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
	free(r->org_id);
}

static const char *str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static void assert_error(struct emu_workspace *ws, const char *method,
			 const char *target, const char *body,
			 const char *bearer, int status, const char *code,
			 const char *message)
{
	struct result r = call(ws, method, target, body, bearer);

	assert_int_equal(r.status, status);
	assert_string_equal(str(r.json, "error_code"), code);
	if (message)
		assert_string_equal(str(r.json, "message"), message);
	result_dispose(&r);
}

static struct emu_workspace *open_workspace(void)
{
	return emu_workspace_new(NULL);
}

static struct emu_workspace *token_workspace(void)
{
	static const char *const tokens[] = {TOKEN, "second-token"};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 2};

	return emu_workspace_new(&opts);
}

/* --- decoding ------------------------------------------------------------- */

static void test_emu_http__percent_decode(void **state)
{
	static const struct {
		const char *in;
		bool plus;
		const char *out; /* NULL: must fail */
	} rows[] = {
		{"abc", true, "abc"},
		{"a%20b+c", true, "a b c"},
		{"a+b", false, "a+b"},
		{"%2B%2b", true, "++"},
		{"caf%C3%A9", true, "caf\xc3\xa9"},
		{"%", true, NULL},
		{"%4", true, NULL},
		{"%zz", true, NULL},
		{"%00", true, NULL},
		{"%ff", true, NULL},
		{"%C3%28", true, NULL},
		{"%ED%A0%80", true, NULL}, /* a UTF-16 surrogate */
		{"", true, ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++) {
		char *out = NULL;
		int rc = emu_percent_decode(&out, rows[i].in,
					    strlen(rows[i].in), rows[i].plus);

		if (rows[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, rows[i].out);
		} else {
			assert_int_equal(rc, -1);
			assert_null(out);
		}
		free(out);
	}
}

static void test_emu_http__query_parsing(void **state)
{
	struct emu_request req;

	(void)state;
	emu_request_init(
		&req, "GET",
		"/api/2.1/clusters/list?filter_by.cluster_states=RUNNING"
		"&&filter_by.cluster_states=PENDING&name=a+b%2Fc&flag&",
		NULL, 0);
	assert_false(req.bad_target);
	assert_string_equal(req.path, "/api/2.1/clusters/list");
	assert_int_equal(
		emu_request_query_count(&req, "filter_by.cluster_states"), 2);
	assert_string_equal(
		emu_request_query_nth(&req, "filter_by.cluster_states", 1),
		"PENDING");
	assert_string_equal(emu_request_query(&req, "name"), "a b/c");
	assert_string_equal(emu_request_query(&req, "flag"), "");
	assert_null(emu_request_query(&req, "missing"));
	emu_request_dispose(&req);

	/* The Go SDK always sends '?', even with nothing after it. */
	emu_request_init(&req, "GET", "/api/2.0/secrets/scopes/list?", NULL, 0);
	assert_false(req.bad_target);
	assert_string_equal(req.query_string, "");
	assert_int_equal(req.nquery, 0);
	emu_request_dispose(&req);

	emu_request_init(&req, "GET", "/x%zz?a=1", NULL, 0);
	assert_true(req.bad_target);
	emu_request_dispose(&req);
	emu_request_init(&req, "GET", "/x?a=%ff", NULL, 0);
	assert_true(req.bad_target);
	emu_request_dispose(&req);
}

static void test_emu_http__utf8_and_base64(void **state)
{
	static const struct {
		const char *s;
		bool valid;
	} utf8[] = {
		{"plain", true},
		{"\xc3\xa9", true},
		{"\xf0\x9f\x98\x80", true},
		{"\xc0\xaf", false},	     /* overlong */
		{"\xe0\x80\xaf", false},     /* overlong */
		{"\xed\xa0\x80", false},     /* surrogate */
		{"\xf4\x90\x80\x80", false}, /* above U+10FFFF */
		{"\xc3", false},	     /* truncated */
		{"\xff", false},
	};
	static const struct {
		const char *text;
		const char *decoded; /* NULL: invalid */
	} b64[] = {
		{"", ""},	    {"aGVsbG8=", "hello"}, {"aGVsbG8", "hello"},
		{"aGk=", "hi"},	    {"YQ==", "a"},	   {"Y", NULL},
		{"aGVsbG8*", NULL}, {"aGk=aGk=", NULL},	   {"a===", NULL},
		{"aGVsbG8 ", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(utf8); i++)
		assert_int_equal(emu_utf8_valid(utf8[i].s, strlen(utf8[i].s)),
				 utf8[i].valid);
	for (i = 0; i < EMU_ARRAY_SIZE(b64); i++) {
		unsigned char *out = NULL;
		size_t len = 0;
		int rc = emu_base64_decode(&out, &len, b64[i].text,
					   strlen(b64[i].text));

		if (b64[i].decoded) {
			assert_int_equal(rc, 0);
			assert_int_equal(len, strlen(b64[i].decoded));
			assert_memory_equal(out, b64[i].decoded, len);
		} else {
			assert_int_equal(rc, -1);
			assert_null(out);
		}
		free(out);
	}
	{
		const unsigned char bytes[] = {0x00, 0x01, 0x02, 0xff};
		char *text = emu_base64_encode(bytes, sizeof(bytes));

		assert_string_equal(text, "AAEC/w==");
		free(text);
	}
}

/* --- JSON integers -------------------------------------------------------- */

static void test_emu_http__json_integers(void **state)
{
	cJSON *obj = cJSON_CreateObject(), *parsed;
	char *text;
	int64_t v;
	static const struct {
		const char *json;
		int rc;
		int64_t value;
	} rows[] = {
		{"{\"n\":9007199254740991}", 0, 9007199254740991LL},
		{"{\"n\":-9007199254740991}", 0, -9007199254740991LL},
		{"{\"n\":9007199254740992}", -1, 0},
		{"{\"n\":9007199254740993}", -1, 0},
		{"{\"n\":1.5}", -1, 0},
		{"{\"n\":1e3}", 0, 1000},
		{"{\"n\":\"12\"}", -1, 0},
	};
	size_t i;

	(void)state;
	/* cJSON's own printer would write 9.00719925474099e+15. */
	emu_json_add_int64(obj, "max", 9007199254740991LL);
	emu_json_add_int64(obj, "ts", 1795240165190LL);
	text = cJSON_PrintUnformatted(obj);
	assert_string_equal(text,
			    "{\"max\":9007199254740991,\"ts\":1795240165190}");
	cJSON_free(text);
	cJSON_Delete(obj);

	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++) {
		parsed = cJSON_Parse(rows[i].json);
		assert_non_null(parsed);
		v = 0;
		assert_int_equal(emu_json_get_int64(
					 &v, cJSON_GetObjectItem(parsed, "n")),
				 rows[i].rc);
		if (rows[i].rc == 0)
			assert_true(v == rows[i].value);
		cJSON_Delete(parsed);
	}
	assert_int_equal(emu_json_parse_int64_text(&v, "123"), 0);
	assert_true(v == 123);
	assert_int_equal(emu_json_parse_int64_text(&v, "12a"), -1);
	assert_int_equal(emu_json_parse_int64_text(&v, " 1"), -1);
	assert_int_equal(emu_json_parse_int64_text(&v, "9007199254740992"), -1);
	assert_int_equal(emu_json_parse_int64_text(&v, ""), -1);
}

static void test_emu_http__arg_accessors(void **state)
{
	struct emu_request req;
	struct emu_response resp;
	const char *s;
	int64_t n = 0;
	bool b = false, present = true;

	(void)state;
	emu_request_init(&req, "POST", "/x", NULL, 0);
	req.json = cJSON_Parse("{\"s\":\"v\",\"n\":42,\"b\":true,\"z\":null,"
			       "\"big\":9007199254740992,\"f\":0.5}");
	emu_response_init(&resp);
	assert_int_equal(emu_arg_string(&s, &req, &resp, "s", EMU_ARG_REQUIRED),
			 0);
	assert_string_equal(s, "v");
	assert_int_equal(emu_arg_string(&s, &req, &resp, "z", EMU_ARG_OPTIONAL),
			 0);
	assert_null(s);
	assert_int_equal(
		emu_arg_int64(&n, NULL, &req, &resp, "n", EMU_ARG_REQUIRED), 0);
	assert_true(n == 42);
	assert_int_equal(
		emu_arg_bool(&b, &present, &req, &resp, "b", EMU_ARG_OPTIONAL),
		0);
	assert_true(b && present);
	assert_int_equal(emu_arg_bool(&b, &present, &req, &resp, "nope",
				      EMU_ARG_OPTIONAL),
			 0);
	assert_false(present);

	assert_int_equal(
		emu_arg_int64(&n, NULL, &req, &resp, "big", EMU_ARG_REQUIRED),
		-1);
	assert_int_equal(resp.status, 400);
	assert_string_equal(resp.error_code, "INVALID_PARAMETER_VALUE");
	assert_int_equal(
		emu_arg_int64(&n, NULL, &req, &resp, "f", EMU_ARG_REQUIRED),
		-1);
	assert_int_equal(emu_arg_string(&s, &req, &resp, "n", EMU_ARG_REQUIRED),
			 -1);
	assert_int_equal(
		emu_arg_string(&s, &req, &resp, "zz", EMU_ARG_REQUIRED), -1);
	{
		char *text = emu_response_text(&resp);

		assert_non_null(strstr(text, "Missing required field: zz"));
		free(text);
	}
	emu_response_dispose(&resp);
	emu_request_dispose(&req);

	/* GET arguments come from the query string, never the body. */
	emu_request_init(&req, "GET", "/x?job_id=17&active=false&bad=x",
			 "{\"job_id\":99}", 13);
	emu_response_init(&resp);
	assert_int_equal(emu_arg_int64(&n, NULL, &req, &resp, "job_id",
				       EMU_ARG_REQUIRED),
			 0);
	assert_true(n == 17);
	b = true;
	assert_int_equal(
		emu_arg_bool(&b, NULL, &req, &resp, "active", EMU_ARG_REQUIRED),
		0);
	assert_false(b);
	assert_int_equal(
		emu_arg_bool(&b, NULL, &req, &resp, "bad", EMU_ARG_REQUIRED),
		-1);
	assert_int_equal(
		emu_arg_int64(&n, NULL, &req, &resp, "bad", EMU_ARG_REQUIRED),
		-1);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
}

/* --- routing -------------------------------------------------------------- */

static void test_emu_http__route_patterns(void **state)
{
	static const struct {
		const char *pattern;
		const char *path;
		bool match;
		const char *param; /* name=value of the first capture */
	} rows[] = {
		{"/api/2.0/secrets/list", "/api/2.0/secrets/list", true, NULL},
		{"/api/2.0/secrets/list", "/api/2.0/secrets/list/", false,
		 NULL},
		{"/api/2.0/secrets/list", "/api/2.0/secrets", false, NULL},
		{"/api/2.0/secrets/list", "/api/2.0/secr%65ts/list", true,
		 NULL},
		{"/api/{v:2.0|2.1|2.2}/jobs/get", "/api/2.1/jobs/get", true,
		 "v=2.1"},
		{"/api/{v:2.0|2.1|2.2}/jobs/get", "/api/2.3/jobs/get", false,
		 NULL},
		{"/api/2.1/unity-catalog/catalogs/{name}",
		 "/api/2.1/unity-catalog/catalogs/main", true, "name=main"},
		{"/api/2.1/unity-catalog/catalogs/{name}",
		 "/api/2.1/unity-catalog/catalogs/", false, NULL},
		{"/api/2.1/unity-catalog/catalogs/{name}",
		 "/api/2.1/unity-catalog/catalogs/a%2Fb", true, "name=a/b"},
		{"/api/2.1/unity-catalog/catalogs/{name}",
		 "/api/2.1/unity-catalog/catalogs/a/b", false, NULL},
		{"/_emulator/{rest*}", "/_emulator/a/b", true, "rest=a/b"},
		{"/_emulator/{rest*}", "/_emulator/", false, NULL},
		{"/x", "x", false, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++) {
		struct emu_request req;
		bool got;

		emu_request_init(&req, "GET", rows[i].path, NULL, 0);
		got = emu_router_match(rows[i].pattern, req.raw_path, &req);
		assert_int_equal(got, rows[i].match);
		if (rows[i].param) {
			char *expected = emu_xstrdup(rows[i].param);
			char *eq = strchr(expected, '=');

			*eq = '\0';
			assert_string_equal(emu_request_param(&req, expected),
					    eq + 1);
			free(expected);
		}
		emu_request_dispose(&req);
	}
}

static void test_emu_http__unknown_path(void **state)
{
	struct emu_workspace *ws = open_workspace();

	(void)state;
	assert_error(ws, "GET", "/api/2.0/secrets/scopes/lists", NULL, TOKEN,
		     404, "ENDPOINT_NOT_FOUND",
		     "No API found for 'GET /secrets/scopes/lists'");
	assert_error(ws, "GET", "/api/2.1/unity-catalog/domains", NULL, TOKEN,
		     404, "ENDPOINT_NOT_FOUND",
		     "No API found for 'GET /unity-catalog/domains'");
	/* A known path with the wrong method is also 404: Databricks has
	 * no 405. */
	assert_error(ws, "GET", "/api/2.0/secrets/scopes/create", NULL, TOKEN,
		     404, "ENDPOINT_NOT_FOUND",
		     "No API found for 'GET /secrets/scopes/create'");
	assert_error(ws, "DELETE", "/api/2.0/secrets/scopes/list", NULL, TOKEN,
		     404, "ENDPOINT_NOT_FOUND",
		     "No API found for 'DELETE /secrets/scopes/list'");
	assert_error(ws, "GET", "/nothing/here", NULL, TOKEN, 404,
		     "ENDPOINT_NOT_FOUND",
		     "No API found for 'GET /nothing/here'");
	/* Unknown paths are authenticated first, like the real gateway. */
	assert_error(ws, "GET", "/nothing/here", NULL, NULL, 401,
		     "UNAUTHENTICATED", NULL);
	assert_error(ws, "GET", "/api/2.0/x?a=%ff", NULL, TOKEN, 400,
		     "MALFORMED_REQUEST", NULL);
	emu_workspace_free(ws);
}

static void test_emu_http__malformed_bodies(void **state)
{
	static const char *const bodies[] = {
		"{bad",
		"{\"scope\":\"a\"} trailing",
		"{\"scope\":\"a\"",
		"\"just a string\"",
		"[1,2]",
		"42",
		"{\"scope\":\"\xff\"}",
		"{\"scope\":\"\xed\xa0\x80\"}",
		"{\"scope\":\"\\ud800\"}",
	};
	struct emu_workspace *ws = open_workspace();
	struct emu_response resp;
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(bodies); i++)
		assert_error(ws, "POST", "/api/2.0/secrets/scopes/create",
			     bodies[i], TOKEN, 400, "MALFORMED_REQUEST", NULL);
	assert_error(ws, "POST", "/api/2.0/secrets/scopes/create", "[1]", TOKEN,
		     400, "MALFORMED_REQUEST",
		     "Invalid JSON given in the body of the request - "
		     "expected a map");
	assert_error(ws, "POST", "/api/2.0/secrets/scopes/create", "{", TOKEN,
		     400, "MALFORMED_REQUEST",
		     "Invalid JSON given in the body of the request - failed "
		     "to parse given JSON");

	/* A NUL byte inside the body would hide what follows it. */
	{
		struct emu_request req;
		static const char body[] = "{\"scope\":\"a\"}\0garbage";

		emu_request_init(&req, "POST", "/api/2.0/secrets/scopes/create",
				 body, sizeof(body) - 1);
		emu_request_add_header(&req, "Authorization", "Bearer x");
		emu_response_init(&resp);
		emu_router_handle(ws, &req, &resp);
		assert_int_equal(resp.status, 400);
		assert_string_equal(resp.error_code, "MALFORMED_REQUEST");
		emu_response_dispose(&resp);
		emu_request_dispose(&req);
	}

	/* An empty body is {}: required fields are then missing. */
	assert_error(ws, "POST", "/api/2.0/secrets/scopes/create", "", TOKEN,
		     400, "INVALID_PARAMETER_VALUE",
		     "Missing required field: scope");
	assert_error(ws, "POST", "/api/2.0/secrets/scopes/create", NULL, TOKEN,
		     400, "INVALID_PARAMETER_VALUE",
		     "Missing required field: scope");
	/* Wrong types name the field. */
	assert_error(ws, "POST", "/api/2.0/secrets/scopes/create",
		     "{\"scope\":5}", TOKEN, 400, "INVALID_PARAMETER_VALUE",
		     "Invalid value for field 'scope': expected a string, got "
		     "a number.");
	assert_error(ws, "POST", "/api/2.0/secrets/put",
		     "{\"scope\":\"s\",\"key\":[\"k\"]}", TOKEN, 400,
		     "INVALID_PARAMETER_VALUE",
		     "Invalid value for field 'key': expected a string, got an "
		     "array.");
	/* Deep nesting is refused by cJSON's nesting limit, not the stack. */
	{
		size_t depth = 100000, k;
		char *deep = emu_xmalloc(2 * depth + 1);

		for (k = 0; k < depth; k++) {
			deep[k] = '[';
			deep[depth + k] = ']';
		}
		deep[2 * depth] = '\0';
		assert_error(ws, "POST", "/api/2.0/secrets/scopes/create", deep,
			     TOKEN, 400, "MALFORMED_REQUEST", NULL);
		free(deep);
	}
	emu_workspace_free(ws);
}

/* --- authentication ------------------------------------------------------- */

static void test_emu_http__auth(void **state)
{
	struct emu_workspace *ws = token_workspace();
	struct emu_response resp;
	struct result r;
	static const char *const unauthenticated[] = {
		NULL, "Basic YWRtaW46cGFzcw==", "Bearer", "Bearer ", "Token x",
	};
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(unauthenticated); i++) {
		struct emu_request req;

		emu_request_init(&req, "GET", "/api/2.0/secrets/scopes/list?",
				 NULL, 0);
		if (unauthenticated[i])
			emu_request_add_header(&req, "authorization",
					       unauthenticated[i]);
		emu_response_init(&resp);
		emu_router_handle(ws, &req, &resp);
		assert_int_equal(resp.status, 401);
		assert_string_equal(resp.error_code, "UNAUTHENTICATED");
		emu_response_dispose(&resp);
		emu_request_dispose(&req);
	}
	assert_error(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, "wrong",
		     403, "PERMISSION_DENIED", "Invalid access token.");
	assert_error(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL, "wrong",
		     403, "PERMISSION_DENIED", "Invalid access token.");

	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, TOKEN);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL,
		 "second-token");
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	/* The scheme is case-insensitive, as in HTTP. */
	{
		struct emu_request req;

		emu_request_init(&req, "GET", "/api/2.0/secrets/scopes/list",
				 NULL, 0);
		emu_request_add_header(&req, "Authorization", "bearer " TOKEN);
		emu_response_init(&resp);
		emu_router_handle(ws, &req, &resp);
		assert_int_equal(resp.status, 200);
		emu_response_dispose(&resp);
		emu_request_dispose(&req);
	}

	/* Discovery and the test controls need no token. */
	r = call(ws, "GET", "/.well-known/databricks-config", NULL, NULL);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	r = call(ws, "GET", "/_emulator/requests", NULL, NULL);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	assert_error(ws, "GET", "/_emulator/nope", NULL, NULL, 404,
		     "ENDPOINT_NOT_FOUND",
		     "No API found for 'GET /_emulator/nope'");
	emu_workspace_free(ws);

	/* Without --token any bearer token works, but one is required. */
	ws = open_workspace();
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, "anything");
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	assert_error(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, NULL, 401,
		     "UNAUTHENTICATED",
		     "Credential was not sent or was of an unsupported type "
		     "for this API.");
	emu_workspace_free(ws);
}

/* --- identity ------------------------------------------------------------- */

static void test_emu_http__well_known(void **state)
{
	struct emu_workspace *ws = open_workspace();
	struct emu_request req;
	struct emu_response resp;
	struct result r;

	(void)state;
	emu_workspace_set_base_url(ws, "http://127.0.0.1:9999");
	r = call(ws, "GET", "/.well-known/databricks-config", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "oidc_endpoint"),
			    "http://127.0.0.1:9999/oidc");
	assert_string_equal(str(r.json, "workspace_id"), "900800700600");
	assert_string_equal(str(r.json, "cloud"), "aws");
	assert_string_equal(str(r.json, "host_type"), "workspace");
	result_dispose(&r);

	/* The Host the client used wins; a strange one is not echoed. */
	emu_request_init(&req, "GET", "/.well-known/databricks-config", NULL,
			 0);
	emu_request_add_header(&req, "Host", "localhost:4321");
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	assert_string_equal(str(resp.body, "oidc_endpoint"),
			    "http://localhost:4321/oidc");
	emu_response_dispose(&resp);
	emu_request_dispose(&req);

	emu_request_init(&req, "GET", "/.well-known/databricks-config", NULL,
			 0);
	emu_request_add_header(&req, "Host", "evil\"/x");
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	assert_string_equal(str(resp.body, "oidc_endpoint"),
			    "http://127.0.0.1:9999/oidc");
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	emu_workspace_free(ws);
}

static void test_emu_http__scim_me(void **state)
{
	struct emu_workspace *ws = open_workspace();
	struct result r;
	const cJSON *emails;

	(void)state;
	r = call(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL, "t");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.org_id, "900800700600");
	assert_string_equal(str(r.json, "userName"), "admin@example.com");
	assert_non_null(str(r.json, "id"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "active")));
	emails = cJSON_GetObjectItem(r.json, "emails");
	assert_int_equal(cJSON_GetArraySize(emails), 1);
	assert_non_null(cJSON_GetObjectItem(r.json, "entitlements"));
	assert_non_null(cJSON_GetObjectItem(r.json, "schemas"));
	result_dispose(&r);

	/* What the Go SDK's CurrentWorkspaceID sends. */
	r = call(ws, "GET",
		 "/api/2.0/preview/scim/v2/Me?excludedAttributes=entitlements",
		 NULL, "t");
	assert_null(cJSON_GetObjectItem(r.json, "entitlements"));
	assert_non_null(cJSON_GetObjectItem(r.json, "groups"));
	result_dispose(&r);

	r = call(ws, "GET", "/api/2.0/preview/scim/v2/Me?attributes=userName",
		 NULL, "t");
	assert_string_equal(str(r.json, "userName"), "admin@example.com");
	assert_non_null(str(r.json, "id"));
	assert_null(cJSON_GetObjectItem(r.json, "groups"));
	result_dispose(&r);
	emu_workspace_free(ws);
}

/* --- test controls -------------------------------------------------------- */

static int64_t count_of(const cJSON *log, const char *key)
{
	const cJSON *counts = cJSON_GetObjectItem(log, "counts");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(counts, key);
	int64_t v = 0;

	if (!n)
		return 0;
	assert_int_equal(emu_json_get_int64(&v, n), 0);
	return v;
}

static void test_emu_http__request_log(void **state)
{
	struct emu_workspace *ws = open_workspace();
	struct result r, log;
	const cJSON *requests, *first, *last;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		r = call(ws, "GET", "/api/2.0/secrets/scopes/list?", NULL, "t");
		result_dispose(&r);
	}
	r = call(ws, "POST", "/api/2.0/secrets/scopes/create",
		 "{\"scope\":\"logged\"}", "t");
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/list?scope=logged", NULL, NULL);
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/nope", NULL, "t");
	result_dispose(&r);
	/* Control calls are not logged themselves. */
	r = call(ws, "GET", "/_emulator/health", NULL, NULL);
	assert_string_equal(str(r.json, "status"), "ok");
	result_dispose(&r);

	log = call(ws, "GET", "/_emulator/requests", NULL, NULL);
	assert_int_equal(log.status, 200);
	assert_true(count_of(log.json, "GET /api/2.0/secrets/scopes/list") ==
		    3);
	assert_true(count_of(log.json, "POST /api/2.0/secrets/scopes/create") ==
		    1);
	assert_true(count_of(log.json, "GET /api/2.0/secrets/list") == 1);
	assert_true(count_of(log.json, "GET /api/2.0/nope") == 1);
	assert_true(count_of(log.json, "GET /_emulator/health") == 0);
	requests = cJSON_GetObjectItem(log.json, "requests");
	assert_int_equal(cJSON_GetArraySize(requests), 6);
	first = cJSON_GetArrayItem(requests, 0);
	assert_string_equal(str(first, "method"), "GET");
	assert_string_equal(str(first, "path"), "/api/2.0/secrets/scopes/list");
	assert_string_equal(str(first, "query"), "");
	/* The create's JSON body is captured for REST tests. */
	assert_string_equal(
		str(cJSON_GetObjectItem(cJSON_GetArrayItem(requests, 3),
					"body"),
		    "scope"),
		"logged");
	/* The unauthenticated call is logged with its status. */
	last = cJSON_GetArrayItem(requests, 4);
	assert_string_equal(str(last, "query"), "scope=logged");
	assert_true(cJSON_GetObjectItem(last, "status")->valuedouble == 401);
	result_dispose(&log);

	/* DELETE clears the log only. */
	r = call(ws, "DELETE", "/_emulator/requests", NULL, NULL);
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	log = call(ws, "GET", "/_emulator/requests", NULL, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(log.json, "requests")),
		0);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(log.json, "counts")), 0);
	result_dispose(&log);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, "t");
	assert_non_null(strstr(r.text, "logged"));
	result_dispose(&r);
	emu_workspace_free(ws);
}

static void test_emu_http__reset(void **state)
{
	struct emu_workspace *ws = open_workspace();
	struct result r;

	(void)state;
	r = call(ws, "POST", "/api/2.0/secrets/scopes/create",
		 "{\"scope\":\"gone\"}", "t");
	assert_int_equal(r.status, 200);
	result_dispose(&r);

	/* Reset needs no token and ignores whatever body it gets. */
	r = call(ws, "POST", "/_emulator/reset", "not json", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.text, "{}");
	result_dispose(&r);

	r = call(ws, "GET", "/_emulator/requests", NULL, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "requests")), 0);
	result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, "t");
	assert_string_equal(r.text, "{}");
	result_dispose(&r);
	r = call(ws, "POST", "/api/2.0/secrets/scopes/create",
		 "{\"scope\":\"gone\"}", "t");
	assert_int_equal(r.status, 200);
	result_dispose(&r);
	assert_error(ws, "GET", "/_emulator/reset", NULL, NULL, 404,
		     "ENDPOINT_NOT_FOUND", NULL);
	emu_workspace_free(ws);
}

static void test_emu_http__reqlog_bounds(void **state)
{
	struct emu_reqlog *log = emu_reqlog_new();
	struct emu_request req;
	cJSON *json;
	char *text;
	int64_t v;
	size_t i;

	(void)state;
	emu_request_init(&req, "GET", "/same", NULL, 0);
	for (i = 0; i < EMU_REQLOG_MAX_ENTRIES + 5; i++)
		emu_reqlog_add(log, &req, 200);
	emu_request_dispose(&req);
	for (i = 0; i < EMU_REQLOG_MAX_KEYS + 2; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/p%zu", i);
		emu_request_init(&req, "GET", path, NULL, 0);
		emu_reqlog_add(log, &req, 404);
		emu_request_dispose(&req);
	}
	/* Print and parse again: integers are emitted as raw text. */
	json = emu_reqlog_json(log);
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	json = cJSON_Parse(text);
	cJSON_free(text);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(json, "requests")),
		EMU_REQLOG_MAX_ENTRIES);
	assert_int_equal(
		emu_json_get_int64(&v, cJSON_GetObjectItem(json, "dropped")),
		0);
	assert_true(v == EMU_REQLOG_MAX_KEYS + 7);
	/* "GET /same" took one key, so three /pN paths are uncounted. */
	assert_int_equal(
		emu_json_get_int64(&v, cJSON_GetObjectItem(json, "uncounted")),
		0);
	assert_true(v == 3);
	assert_true(count_of(json, "GET /same") == EMU_REQLOG_MAX_ENTRIES + 5);
	cJSON_Delete(json);
	emu_reqlog_clear(log);
	json = emu_reqlog_json(log);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(json, "requests")), 0);
	cJSON_Delete(json);
	emu_reqlog_free(log);
}

/* --- the real server ------------------------------------------------------ */

/* Sends raw bytes to 127.0.0.1:port and returns everything read until the
 * server closes the connection (the requests say Connection: close). */

static int status_of(const char *response)
{
	int status = 0;

	assert_int_equal(sscanf(response, "HTTP/1.1 %d", &status), 1);
	return status;
}

static const char *body_of(const char *response)
{
	const char *p = strstr(response, "\r\n\r\n");

	assert_non_null(p);
	return p + 4;
}

static void test_emu_http__server_raw_socket(void **state)
{
	static const char *const tokens[] = {TOKEN};
	struct emu_workspace_options wopts = {.tokens = tokens, .ntokens = 1};
	struct emu_server_options sopts = {.port = 0, .max_body = 1024};
	struct emu_workspace *ws = emu_workspace_new(&wopts);
	struct emu_server *server = NULL;
	char err[256], *resp, *req;
	const char *create_body = "{\"scope\":\"wire\"}";
	unsigned port;
	char big[2048];

	(void)state;
	assert_int_equal(
		emu_server_start(&server, ws, &sopts, err, sizeof(err)), 0);
	port = emu_server_port(server);
	assert_true(port > 0);
	assert_non_null(strstr(emu_server_url(server), "http://127.0.0.1:"));

	resp = emu_test_raw_http(port,
			"GET /.well-known/databricks-config HTTP/1.1\r\n"
			"Host: 127.0.0.1\r\nConnection: close\r\n\r\n",
			strlen("GET /.well-known/databricks-config HTTP/1.1\r\n"
			       "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"));
	assert_int_equal(status_of(resp), 200);
	assert_non_null(strstr(resp, "Content-Type: application/json"));
	assert_non_null(strstr(body_of(resp), "\"workspace_id\":"
					      "\"900800700600\""));
	free(resp);

	req = emu_printf("POST /api/2.0/secrets/scopes/create HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			 TOKEN, strlen(create_body), create_body);
	resp = emu_test_raw_http(port, req, strlen(req));
	assert_int_equal(status_of(resp), 200);
	assert_string_equal(body_of(resp), "{}");
	free(resp);
	/* Same again: the duplicate-scope quirk over the wire. */
	resp = emu_test_raw_http(port, req, strlen(req));
	assert_int_equal(status_of(resp), 400);
	assert_string_equal(body_of(resp),
			    "{\"error_code\":\"RESOURCE_ALREADY_EXISTS\","
			    "\"message\":\"Scope wire already exists!\"}");
	free(resp);
	free(req);

	req = emu_printf("GET /api/2.0/secrets/scopes/list? HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAuthorization: Bearer wrong\r\n"
			 "Connection: close\r\n\r\n");
	resp = emu_test_raw_http(port, req, strlen(req));
	assert_int_equal(status_of(resp), 403);
	assert_non_null(strstr(body_of(resp), "PERMISSION_DENIED"));
	free(resp);
	free(req);

	/* Over the (here 1 KiB) body cap: 413 with a Databricks body. */
	memset(big, 'a', sizeof(big));
	req = emu_printf("POST /api/2.0/secrets/put HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n"
			 "%.*s",
			 TOKEN, sizeof(big), (int)sizeof(big), big);
	resp = emu_test_raw_http(port, req, strlen(req));
	assert_int_equal(status_of(resp), 413);
	assert_non_null(
		strstr(body_of(resp), "\"error_code\":\"BAD_REQUEST\""));
	free(resp);
	free(req);

	/* Chunked, so the cap is only found while reading. */
	req = emu_printf("POST /api/2.0/secrets/put HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
			 "Transfer-Encoding: chunked\r\nConnection: close\r\n"
			 "\r\n%zx\r\n%.*s\r\n0\r\n\r\n",
			 TOKEN, sizeof(big), (int)sizeof(big), big);
	resp = emu_test_raw_http(port, req, strlen(req));
	assert_int_equal(status_of(resp), 413);
	free(resp);
	free(req);

	/* Garbage on the wire must not take the server down. */
	resp = emu_test_raw_http(port, "\x01\x02garbage\r\n\r\n", 13);
	free(resp);
	resp = emu_test_raw_http(port,
			"GET /%ff HTTP/1.1\r\nHost: x\r\n"
			"Connection: close\r\n\r\n",
			strlen("GET /%ff HTTP/1.1\r\nHost: x\r\n"
			       "Connection: close\r\n\r\n"));
	assert_int_equal(status_of(resp), 400);
	free(resp);

	resp = emu_test_raw_http(port,
			"GET /_emulator/requests HTTP/1.1\r\nHost: x\r\n"
			"Connection: close\r\n\r\n",
			strlen("GET /_emulator/requests HTTP/1.1\r\nHost: x\r\n"
			       "Connection: close\r\n\r\n"));
	assert_int_equal(status_of(resp), 200);
	assert_non_null(strstr(body_of(resp),
			       "\"POST /api/2.0/secrets/scopes/create\":2"));
	free(resp);

	emu_server_stop(server);
	emu_workspace_free(ws);
}

static void test_emu_http__server_bind_policy(void **state)
{
	struct emu_workspace *ws = open_workspace();
	struct emu_server *server = NULL;
	struct emu_server_options sopts = {.bind = "0.0.0.0", .port = 0};
	char err[256];

	(void)state;
	assert_true(emu_server_is_loopback("127.0.0.1"));
	assert_true(emu_server_is_loopback("127.1.2.3"));
	assert_true(emu_server_is_loopback("::1"));
	assert_true(emu_server_is_loopback("localhost"));
	assert_false(emu_server_is_loopback("0.0.0.0"));
	assert_false(emu_server_is_loopback("10.0.0.1"));
	assert_false(emu_server_is_loopback("::"));
	assert_false(emu_server_is_loopback("example.com"));

	assert_int_equal(
		emu_server_start(&server, ws, &sopts, err, sizeof(err)), -1);
	assert_null(server);
	assert_non_null(strstr(err, "--allow-remote"));
	sopts.bind = "not-an-address";
	assert_int_equal(
		emu_server_start(&server, ws, &sopts, err, sizeof(err)), -1);
	sopts.bind = "localhost";
	assert_int_equal(
		emu_server_start(&server, ws, &sopts, err, sizeof(err)), 0);
	emu_server_stop(server);
	emu_workspace_free(ws);
}

/* Runs the built binary (CTest sets TFP_EMULATOR): reads the exact
 * "listening on" line, makes a request, stops it with SIGTERM and checks
 * the saved state. */
static void test_emu_http__binary(void **state)
{
	const char *exe = getenv("TFP_EMULATOR");
	char state_path[] = "/tmp/test_emu_http_stateXXXXXX";
	char line[256] = "";
	int fds[2], status = 0, tmp;
	unsigned port = 0;
	pid_t pid;
	FILE *out;
	char *resp, *req;
	struct stat st;

	(void)state;
	if (!exe || access(exe, X_OK) != 0) {
		fprintf(stderr, "SKIPPED binary test: TFP_EMULATOR not set\n");
		return;
	}
	tmp = mkstemp(state_path);
	assert_true(tmp >= 0);
	close(tmp);
	unlink(state_path); /* a missing state file is fine at start */

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(exe, exe, "--port", "0", "--token", TOKEN, "--state",
		      state_path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	assert_non_null(out);
	assert_non_null(fgets(line, sizeof(line), out));
	assert_int_equal(
		sscanf(line, "listening on http://127.0.0.1:%u", &port), 1);
	assert_true(port > 0);

	req = emu_printf("POST /api/2.0/secrets/scopes/create HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n"
			 "%s",
			 TOKEN, strlen("{\"scope\":\"kept\"}"),
			 "{\"scope\":\"kept\"}");
	resp = emu_test_raw_http(port, req, strlen(req));
	assert_int_equal(status_of(resp), 200);
	free(resp);
	free(req);

	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Nothing else was written to stdout. */
	assert_null(fgets(line, sizeof(line), out));
	fclose(out);

	assert_int_equal(stat(state_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	{
		struct emu_workspace *ws = open_workspace();
		char err[256];
		struct result r;

		assert_int_equal(emu_workspace_load_file(ws, state_path, err,
							 sizeof(err)),
				 0);
		r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL, "t");
		assert_non_null(strstr(r.text, "\"name\":\"kept\""));
		result_dispose(&r);
		emu_workspace_free(ws);
	}
	unlink(state_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_http__percent_decode),
		cmocka_unit_test(test_emu_http__query_parsing),
		cmocka_unit_test(test_emu_http__utf8_and_base64),
		cmocka_unit_test(test_emu_http__json_integers),
		cmocka_unit_test(test_emu_http__arg_accessors),
		cmocka_unit_test(test_emu_http__route_patterns),
		cmocka_unit_test(test_emu_http__unknown_path),
		cmocka_unit_test(test_emu_http__malformed_bodies),
		cmocka_unit_test(test_emu_http__auth),
		cmocka_unit_test(test_emu_http__well_known),
		cmocka_unit_test(test_emu_http__scim_me),
		cmocka_unit_test(test_emu_http__request_log),
		cmocka_unit_test(test_emu_http__reset),
		cmocka_unit_test(test_emu_http__reqlog_bounds),
		cmocka_unit_test(test_emu_http__server_raw_socket),
		cmocka_unit_test(test_emu_http__server_bind_policy),
		cmocka_unit_test(test_emu_http__binary),
	};

	emu_util_init();
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
