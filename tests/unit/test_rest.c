/*
 * Tests for the REST client (provider/rest.c, provider/rest_cache.c).
 *
 * The pure helpers (error bodies, not-found and retry classification,
 * Retry-After) are table-driven. The rest runs the real client against a
 * scripted libmicrohttpd server on 127.0.0.1 (an ephemeral port), which
 * records every request so the tests can check the exact method, target,
 * headers and body sent, how many requests were made, and how long the
 * client waited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "call.h"
#include "diag.h"
#include "log.h"
#include "databricks.h"
#include "provider.h"
#include "rest.h"
#include "rest_cache.h"
#include "rest_internal.h"

#define TEST_TOKEN "dapi-test-secret-0123456789abcdef"
#define TEST_UA    "brickform-test/1.0"

/* --- a scripted HTTP server ---------------------------------------------- */

#define SRV_SCRIPT_MAX 16
#define SRV_SEEN_MAX   64

struct srv_reply {
	unsigned status;
	const char *body;
	const char *retry_after;
	const char *content_type;
	unsigned delay_ms;
	uint64_t big; /* > 0: a body of this many 'a' bytes instead */
	bool drop;    /* close the connection without an answer */
};

/* One request as the server saw it. */
struct srv_seen {
	char method[16];
	char uri[1024]; /* raw path and query */
	char body[4096];
	char auth[256];
	char content_type[128];
	char accept[128];
	char user_agent[512];
};

struct srv;
typedef struct srv_reply (*srv_reply_fn)(struct srv *s,
                                         const struct srv_seen *req);

struct srv {
	struct MHD_Daemon *daemon;
	char base[64];
	pthread_mutex_t lock;
	struct srv_reply script[SRV_SCRIPT_MAX]; /* in order; last repeats */
	size_t nscript, next;
	srv_reply_fn fn; /* instead of the script when set */
	char dyn_body[1024];
	struct srv_seen seen[SRV_SEEN_MAX];
	size_t nseen;
	atomic_uint hits;
};

struct srv_conn {
	char uri[1024];
	char body[4096];
	size_t body_len;
	bool started;
};

static void *srv_uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct srv_conn *k = calloc(1, sizeof(*k));

	(void)cls;
	(void)c;
	assert_non_null(k);
	snprintf(k->uri, sizeof(k->uri), "%s", uri);
	return k;
}

static void srv_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                          enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static void srv_header(struct MHD_Connection *c, const char *name, char *out,
                       size_t size)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);

	snprintf(out, size, "%s", v ? v : "");
}

static ssize_t srv_big_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	uint64_t total = *(const uint64_t *)cls;
	size_t n = max;

	if (pos >= total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (total - pos < n)
		n = (size_t)(total - pos);
	memset(buf, 'a', n);
	return (ssize_t)n;
}

static void srv_sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static enum MHD_Result srv_handler(void *cls, struct MHD_Connection *c,
                                   const char *url, const char *method,
                                   const char *version, const char *upload,
                                   size_t *upload_size, void **con_cls)
{
	static uint64_t big_size;
	struct srv *s = cls;
	struct srv_conn *k = *con_cls;
	struct srv_seen seen;
	struct srv_reply r;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)url;
	(void)version;
	if (!k->started) {
		k->started = true;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		size_t n = *upload_size;

		if (n > sizeof(k->body) - 1 - k->body_len)
			n = sizeof(k->body) - 1 - k->body_len;
		memcpy(k->body + k->body_len, upload, n);
		k->body_len += n;
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&seen, 0, sizeof(seen));
	snprintf(seen.method, sizeof(seen.method), "%s", method);
	snprintf(seen.uri, sizeof(seen.uri), "%s", k->uri);
	memcpy(seen.body, k->body, k->body_len);
	srv_header(c, "Authorization", seen.auth, sizeof(seen.auth));
	srv_header(c, "Content-Type", seen.content_type,
	           sizeof(seen.content_type));
	srv_header(c, "Accept", seen.accept, sizeof(seen.accept));
	srv_header(c, "User-Agent", seen.user_agent, sizeof(seen.user_agent));

	pthread_mutex_lock(&s->lock);
	if (s->nseen < SRV_SEEN_MAX)
		s->seen[s->nseen++] = seen;
	if (s->fn != NULL) {
		r = s->fn(s, &seen);
	} else if (s->nscript > 0) {
		r = s->script[s->next < s->nscript ? s->next : s->nscript - 1];
		s->next++;
	} else {
		r = (struct srv_reply){.status = 200, .body = "{}"};
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(&s->hits, 1);

	if (r.delay_ms > 0)
		srv_sleep_ms(r.delay_ms);
	if (r.drop)
		return MHD_NO; /* microhttpd closes the connection */
	if (r.big > 0) {
		big_size = r.big;
		resp = MHD_create_response_from_callback(
		        r.big, 64 * 1024, srv_big_reader, &big_size, NULL);
	} else {
		const char *body = r.body ? r.body : "";

		resp = MHD_create_response_from_buffer(
		        strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	}
	MHD_add_response_header(resp, "Content-Type",
	                        r.content_type ? r.content_type
	                                       : "application/json");
	if (r.retry_after != NULL)
		MHD_add_response_header(resp, "Retry-After", r.retry_after);
	ret = MHD_queue_response(c, r.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void srv_start(struct srv *s)
{
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *info;

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	s->daemon = MHD_start_daemon(
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	        0, NULL, NULL, srv_handler, s, MHD_OPTION_SOCK_ADDR,
	        (struct sockaddr *)&sin, MHD_OPTION_URI_LOG_CALLBACK,
	        srv_uri_log, s, MHD_OPTION_NOTIFY_COMPLETED, srv_completed, s,
	        MHD_OPTION_END);
	assert_non_null(s->daemon);
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(info);
	assert_true(info->port > 0);
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u",
	         (unsigned)info->port);
}

static void srv_stop(struct srv *s)
{
	MHD_stop_daemon(s->daemon);
	pthread_mutex_destroy(&s->lock);
}

/* Sets the replies, in order; the last one repeats. */
static void srv_script(struct srv *s, const struct srv_reply *replies, size_t n)
{
	assert_true(n <= SRV_SCRIPT_MAX);
	pthread_mutex_lock(&s->lock);
	memcpy(s->script, replies, n * sizeof(*replies));
	s->nscript = n;
	s->next = 0;
	pthread_mutex_unlock(&s->lock);
}

static unsigned srv_hits(struct srv *s)
{
	return atomic_load(&s->hits);
}

/* --- fixture: a server, a client and one call ---------------------------- */

struct fx {
	struct srv srv;
	struct tfp_rest *rest;
	struct tfp_arena *arena;
	struct tfp_diags diags;
	struct tfp_call call;
	atomic_bool stop;
};

static void fx_call_init(struct fx *f, struct tfp_call *call,
                         struct tfp_arena *a, struct tfp_diags *d)
{
	tfp_diags_init(d, a);
	memset(call, 0, sizeof(*call));
	call->arena = a;
	call->diags = d;
	call->client = f->rest;
	call->type_name = "databricks_secret_scope";
	call->op = "create";
	call->stop = &f->stop;
}

static struct tfp_rest *fx_client(const char *host, long retry_budget)
{
	struct tfp_rest_config cfg = {
	        .host = host,
	        .token = TEST_TOKEN,
	        .user_agent = TEST_UA,
	        .timeout_seconds = 10,
	        .retry_timeout_seconds = retry_budget,
	        .not_found = tfp_databricks_not_found,
	};
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_rest *r = NULL;

	tfp_diags_init(&d, a);
	assert_int_equal(tfp_rest_new(&r, &cfg, &d), TFP_OK);
	assert_int_equal(d.n, 0);
	tfp_arena_free(a);
	return r;
}

/* A client with more of the configuration set. */
static struct tfp_rest *fx_client_cfg(struct tfp_rest_config *cfg)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_rest *r = NULL;

	cfg->token = TEST_TOKEN;
	cfg->user_agent = TEST_UA;
	cfg->not_found = tfp_databricks_not_found;
	tfp_diags_init(&d, a);
	assert_int_equal(tfp_rest_new(&r, cfg, &d), TFP_OK);
	assert_int_equal(d.n, 0);
	tfp_arena_free(a);
	return r;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	srv_start(&f->srv);
	f->rest = fx_client(f->srv.base, 30);
	f->arena = tfp_arena_new();
	atomic_init(&f->stop, false);
	fx_call_init(f, &f->call, f->arena, &f->diags);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	tfp_rest_free(f->rest);
	tfp_arena_free(f->arena);
	srv_stop(&f->srv);
	free(f);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool diags_mention(const struct tfp_diags *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].summary, needle) != NULL ||
		    strstr(d->items[i].detail, needle) != NULL)
			return true;
	return false;
}

/* --- pure: error bodies -------------------------------------------------- */

static void test_rest__parse_error_shapes(void **state)
{
	static const struct {
		const char *name;
		long status;
		const char *body;
		const char *code, *message;
	} rows[] = {
	        {"databricks", 400,
	         "{\"error_code\":\"RESOURCE_ALREADY_EXISTS\","
	         "\"message\":\"Scope x already exists!\",\"details\":[]}",
	         "RESOURCE_ALREADY_EXISTS", "Scope x already exists!"},
	        {"numeric code", 400, "{\"error_code\":1234,\"message\":\"m\"}",
	         "1234", "m"},
	        {"code only", 403, "{\"error_code\":\"PERMISSION_DENIED\"}",
	         "PERMISSION_DENIED", ""},
	        {"legacy", 500, "{\"error\":\"Internal failure\"}", "",
	         "Internal failure"},
	        {"scim", 404,
	         "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
	         "Error\"],\"detail\":\"User 12 not "
	         "found\",\"status\":\"404\"}",
	         "SCIM_404", "User 12 not found"},
	        {"scim null detail", 500,
	         "{\"detail\":\"null\",\"status\":500}", "SCIM_500",
	         "SCIM API Internal Error"},
	        {"plain text", 400,
	         "INVALID_PARAMETER_VALUE: Bad cluster size\n",
	         "INVALID_PARAMETER_VALUE", "Bad cluster size"},
	        {"html pre", 502,
	         "<html><head><title>Error</title></head><body><pre>Bad "
	         "Target: /api/2.0/x</pre></body></html>",
	         "", "Bad Target: /api/2.0/x"},
	        {"html title", 502,
	         "<html><head><TITLE>502 Bad Gateway</TITLE></head></html>", "",
	         "502 Bad Gateway"},
	        {"html bare", 504, "<html><body>nope</body></html>", "",
	         "Gateway Timeout"},
	        {"empty", 404, "", "", "Not Found"},
	        {"blank", 503, " \r\n", "", "Service Unavailable"},
	        {"garbage", 500, "oops\x01\xff tail", "UNKNOWN", "oops?? tail"},
	        {"json without known keys", 500, "{\"foo\":1}", "UNKNOWN",
	         "{\"foo\":1}"},
	        {"json array", 500, "[1,2]", "UNKNOWN", "[1,2]"},
	        {"lower-case text", 500, "error: x", "UNKNOWN", "error: x"},
	};
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_api_error e;
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		tfp_rest_parse_error(&e, a, "GET", "/api/2.0/x", rows[i].status,
		                     rows[i].body, strlen(rows[i].body));
		if (strcmp(e.error_code, rows[i].code) != 0 ||
		    strcmp(e.message, rows[i].message) != 0)
			fail_msg("%s: got code \"%s\" message \"%s\"",
			         rows[i].name, e.error_code, e.message);
		assert_int_equal(e.status, rows[i].status);
		assert_string_equal(e.method, "GET");
		assert_string_equal(e.path, "/api/2.0/x");
	}
	/* NULL body and method are fine too. */
	tfp_rest_parse_error(&e, a, NULL, NULL, 429, NULL, 0);
	assert_string_equal(e.message, "Too Many Requests");
	assert_string_equal(e.method, "");
	tfp_arena_free(a);
}

static void test_rest__parse_error_caps_and_cleans(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_api_error e;
	size_t n = 100000;
	char *big = malloc(n + 64);

	(void)state;
	assert_non_null(big);
	memcpy(big, "{\"error_code\":\"X\",\"message\":\"", 29);
	memset(big + 29, 'm', n);
	memcpy(big + 29 + n, "\"}", 3);
	tfp_rest_parse_error(&e, a, "GET", "/p", 400, big, strlen(big));
	assert_true(strlen(e.message) < 5000);
	assert_non_null(strstr(e.message, "..."));
	free(big);

	/* Invalid UTF-8 inside a JSON string must not reach a protobuf
	 * string field; valid multi-byte text passes. */
	tfp_rest_parse_error(&e, a, "GET", "/p", 400,
	                     "{\"message\":\"caf\xc3\xa9 \xc0\xaf\"}",
	                     strlen("{\"message\":\"caf\xc3\xa9 \xc0\xaf\"}"));
	assert_string_equal(e.message, "caf\xc3\xa9 ??");
	tfp_arena_free(a);
}

/* --- pure: classification ------------------------------------------------ */

static void test_rest__is_not_found(void **state)
{
	static const struct {
		long status;
		const char *code, *message, *method, *path;
		bool expected;
	} rows[] = {
	        {404, "RESOURCE_DOES_NOT_EXIST", "gone", "GET",
	         "/api/2.0/secrets/list", true},
	        {404, "", "Not Found", "DELETE", "/api/2.0/x", true},
	        {404, "SCIM_404", "User not found", "GET",
	         "/api/2.0/preview/scim/v2/Users/1", true},
	        {400, "RESOURCE_DOES_NOT_EXIST", "x", "POST",
	         "/api/2.0/secrets/delete", true},
	        {404, "NOT_FOUND", "x", "GET", "/api/2.1/unity-catalog/x",
	         true},
	        {400, "NOT_FOUND", "x", "GET", "/api/2.1/unity-catalog/x",
	         true},
	        {404, "CATALOG_DOES_NOT_EXIST", "x", "GET",
	         "/api/2.1/unity-catalog/catalogs/c", true},
	        {400, "SCHEMA_DOES_NOT_EXIST", "x", "GET",
	         "/api/2.1/unity-catalog/schemas/c.s", true},
	        /* A missing endpoint is not a missing object. */
	        {404, "ENDPOINT_NOT_FOUND", "No API found", "GET",
	         "/api/2.0/nope", false},
	        /* The 400 quirks. */
	        {400, "INVALID_PARAMETER_VALUE",
	         "Job 998654886170278 does "
	         "not exist.",
	         "GET", "/api/2.1/jobs/get", true},
	        {400, "INVALID_PARAMETER_VALUE", "Job 1 does not exist.", "GET",
	         "/api/2.2/jobs/get", true},
	        {400, "INVALID_PARAMETER_VALUE", "Run 5 does not exist.", "GET",
	         "/api/2.1/jobs/runs/get", true},
	        {400, "INVALID_PARAMETER_VALUE",
	         "Run: 5 in job: 7 doesn't exist", "GET",
	         "/api/2.1/jobs/runs/get-output", true},
	        {400, "INVALID_PARAMETER_VALUE",
	         "Cluster 0524-202631-rung996 does not exist", "GET",
	         "/api/2.0/clusters/get", true},
	        {400, "INVALID_STATE",
	         "Cannot access cluster 1 that was terminated or unpinned "
	         "more than 30 days ago.",
	         "GET", "/api/2.1/clusters/get", true},
	        /* Any Clusters or Libraries call about a missing cluster. */
	        {400, "INVALID_PARAMETER_VALUE",
	         "Cluster 0524-202631-rung996 does not exist", "POST",
	         "/api/2.1/clusters/permanent-delete", true},
	        {400, "INVALID_PARAMETER_VALUE",
	         "Cluster 0524-202631-rung996 does not exist", "GET",
	         "/api/2.0/libraries/cluster-status", true},
	        /* ... not a create naming a missing pool or policy. */
	        {400, "INVALID_PARAMETER_VALUE",
	         "Cluster policy 12 does not exist", "POST",
	         "/api/2.1/clusters/create", false},
	        {400, "INVALID_PARAMETER_VALUE", "Cluster x does not exist",
	         "POST", "/api/2.1/clusters/create", false},
	        {400, "INVALID_PARAMETER_VALUE",
	         "Cluster policy 7 does not exist", "POST",
	         "/api/2.1/clusters/edit", false},
	        /* ... but only there, only for GET, only with the text. */
	        {400, "INVALID_PARAMETER_VALUE", "Job 1 does not exist.",
	         "POST", "/api/2.1/jobs/get", false},
	        {400, "INVALID_PARAMETER_VALUE", "Job 1 does not exist.", "GET",
	         "/api/2.1/jobs/list", false},
	        {400, "INVALID_PARAMETER_VALUE", "Invalid job_id", "GET",
	         "/api/2.1/jobs/get", false},
	        {400, "INVALID_STATE", "busy", "GET", "/api/2.1/jobs/get",
	         false},
	        {400, "INVALID_STATE", "busy", "POST", "/api/2.1/clusters/get",
	         false},
	        {400, "INVALID_PARAMETER_VALUE", "x does not exist", "GET",
	         "/api/3.0/jobs/get", false},
	        {400, "RESOURCE_ALREADY_EXISTS", "exists", "POST",
	         "/api/2.0/secrets/scopes/create", false},
	        {500, "", "boom", "GET", "/api/2.0/x", false},
	};
	struct tfp_api_error e;
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		e = (struct tfp_api_error){rows[i].status, rows[i].code,
		                           rows[i].message, rows[i].method,
		                           rows[i].path};
		if (tfp_rest_is_not_found_in(tfp_databricks_not_found, &e) !=
		    rows[i].expected)
			fail_msg("row %zu: %ld %s \"%s\" %s %s", i,
			         rows[i].status, rows[i].code, rows[i].message,
			         rows[i].method, rows[i].path);
	}
}

static void test_rest__is_retryable(void **state)
{
	static const struct {
		long status;
		const char *code, *message;
		bool expected;
	} rows[] = {
	        {429, "", "", true},
	        {429, "REQUEST_LIMIT_EXCEEDED", "slow down", true},
	        {503, "TEMPORARILY_UNAVAILABLE", "later", true},
	        {503, "", "", true},
	        {400, "REQUEST_LIMIT_EXCEEDED", "x", true},
	        {500, "RESOURCE_EXHAUSTED", "x", true},
	        {400, "INVALID_STATE", "Error: REQUEST_LIMIT_EXCEEDED", true},
	        {500, "INTERNAL_ERROR", "boom", false},
	        {502, "", "Bad Gateway", false},
	        {504, "", "Gateway Timeout", false},
	        {400, "INVALID_PARAMETER_VALUE", "bad", false},
	        {404, "RESOURCE_DOES_NOT_EXIST", "gone", false},
	};
	struct tfp_api_error e;
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		e = (struct tfp_api_error){rows[i].status, rows[i].code,
		                           rows[i].message, "GET", "/api/x"};
		if (tfp_rest_is_retryable(&e) != rows[i].expected)
			fail_msg("row %zu: %ld %s", i, rows[i].status,
			         rows[i].code);
	}
}

/* One percent-encoder for paths, queries and the OAuth client's Basic
 * credentials: RFC 3986 unreserved characters stay, every other byte is
 * %XX in upper case. */
static void test_rest__escape(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	char buf[64], *end;

	(void)state;
	assert_string_equal(tfp_rest_escape(a, "AZaz09-._~"), "AZaz09-._~");
	assert_string_equal(tfp_rest_escape(a, "a/b?c=d&e f%+:@"),
	                    "a%2Fb%3Fc%3Dd%26e%20f%25%2B%3A%40");
	assert_string_equal(tfp_rest_escape(a, "caf\xc3\xa9\x01\x7f\xff"),
	                    "caf%C3%A9%01%7F%FF");
	assert_string_equal(tfp_rest_escape(a, ""), "");
	/* Worst case fits 3 * n + 1 bytes; the returned end chains. */
	end = tfp_rest_escape_to(buf, "//");
	assert_ptr_equal(end, buf + 6);
	*end++ = ':';
	end = tfp_rest_escape_to(end, "x y");
	assert_string_equal(buf, "%2F%2F:x%20y");
	assert_ptr_equal(end, buf + strlen(buf));
	tfp_arena_free(a);
}

static void test_rest__parse_retry_after(void **state)
{
	/* Sun, 06 Nov 1994 08:49:37 GMT */
	const long t = 784111777;
	static const struct {
		const char *value;
		long now_offset; /* now = t + offset */
		long expected;
	} rows[] = {
	        {"5", 0, 5},
	        {" 120 ", 0, 120},
	        {"0", 0, 0},
	        {"Sun, 06 Nov 1994 08:49:37 GMT", -10, 10},
	        {"Sun, 06 Nov 1994 08:49:37 GMT", 30, 0},
	        {"Sunday, 06-Nov-94 08:49:37 GMT", -7, 7},
	        {"Sun Nov  6 08:49:37 1994", -3, 3},
	        {"Thu, 01 Jan 1970 00:00:00 GMT", -t, 0},
	        {"Tue, 29 Feb 2028 12:00:00 GMT", 0, 1835438400L - t},
	        {NULL, 0, -1},
	        {"", 0, -1},
	        {"soon", 0, -1},
	        {"12abc", 0, -1},
	        {"-5", 0, -1},
	        {"1.5", 0, -1},
	        {"99999999999999999999999", 0, -1},
	        {"Sun, 06 Nov 1994 08:49:37", 0, -1},
	        {"Sun, 06 Nov 1994 25:49:37 GMT", 0, -1},
	        {"Sun, 06 Foo 1994 08:49:37 GMT", 0, -1},
	        {"Xyz, 06 Nov 1994 08:49:37 GMT", 0, -1},
	        {"Sun, 06 Nov 1994 08:49:37 GMT trailing", 0, -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		long got = tfp_rest_parse_retry_after(rows[i].value,
		                                      t + rows[i].now_offset);

		if (got != rows[i].expected)
			fail_msg("\"%s\": got %ld, want %ld",
			         rows[i].value ? rows[i].value : "(null)", got,
			         rows[i].expected);
	}
}

static void test_rest__cache_family(void **state)
{
	(void)state;
	assert_true(tfp_rest_cache_same_family(
	        "/api/2.0/secrets/put", "/api/2.0/secrets/list?scope=a"));
	assert_true(tfp_rest_cache_same_family("/api/2.1/jobs/create",
	                                       "/api/2.2/jobs/list?limit=25"));
	assert_false(tfp_rest_cache_same_family("/api/2.0/secrets/put",
	                                        "/api/2.0/clusters/list"));
	assert_false(tfp_rest_cache_same_family("/api/2.0/secrets",
	                                        "/api/2.0/secretsx/list"));
	assert_true(tfp_rest_cache_same_family("/api/2.0/secrets",
	                                       "/api/2.0/secrets/list"));
	assert_false(tfp_rest_cache_same_family("/api/x", "/api/y"));
	assert_true(tfp_rest_cache_same_family("/api/x", "/api/x?a=1"));
}

/* --- configuration checks ------------------------------------------------ */

static void test_rest__new_checks(void **state)
{
	static const struct {
		const char *host, *token;
		bool ok;
		const char *mention; /* in a diagnostic when !ok */
	} rows[] = {
	        {"https://x.cloud.databricks.com", "t", true, NULL},
	        {"https://x.cloud.databricks.com/", "t", true, NULL},
	        {"HTTPS://x.cloud.databricks.com:443/?o=1", "t", true, NULL},
	        {"x.cloud.databricks.com", "t", true, NULL},
	        {"http://127.0.0.1:8080/", "t", true, NULL},
	        {"http://127.5.6.7", "t", true, NULL},
	        {"http://localhost:1", "t", true, NULL},
	        {"http://LOCALHOST", "t", true, NULL},
	        {"http://analytics.localhost:8080", "t", true, NULL},
	        {"http://[::1]:1234", "t", true, NULL},
	        {"  https://x.com\n", " t\n", true, NULL},
	        {"http://example.com", "t", false, "loopback"},
	        {"http://128.0.0.1", "t", false, "http://"},
	        {"http://localhost.evil.com", "t", false, "loopback"},
	        {"http://x.localhost.example.com", "t", false, "loopback"},
	        {"http://[::2]", "t", false, "loopback"},
	        {"ftp://x.com", "t", false, "scheme"},
	        {"https://user:pw@x.com", "t", false, "user name"},
	        {"https://x.com:99999", "t", false, "port"},
	        {"https://x.com:", "t", false, "port"},
	        {"https://", "t", false, "no host name"},
	        {"https://x y.com", "t", false, "character"},
	        {"http://[::1", "t", false, "IPv6"},
	        {NULL, "t", false, "DATABRICKS_HOST"},
	        {"", "t", false, "DATABRICKS_HOST"},
	        {"https://x.com", NULL, false, "DATABRICKS_TOKEN"},
	        {"https://x.com", "  ", false, "DATABRICKS_TOKEN"},
	        {"https://x.com", "sec\r\nX-Evil: 1", false, "control"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		struct tfp_rest_config cfg = {.host = rows[i].host,
		                              .token = rows[i].token};
		struct tfp_arena *a = tfp_arena_new();
		struct tfp_diags d;
		struct tfp_rest *r = (struct tfp_rest *)&cfg; /* not NULL */
		int error;

		tfp_diags_init(&d, a);
		error = tfp_rest_new(&r, &cfg, &d);
		if (rows[i].ok) {
			if (error != TFP_OK || d.n != 0)
				fail_msg("row %zu (%s): rejected: %s", i,
				         rows[i].host,
				         d.n ? d.items[0].detail : "?");
			assert_non_null(r);
		} else {
			if (error != TFP_ERROR || d.n == 0)
				fail_msg("row %zu (%s): accepted", i,
				         rows[i].host ? rows[i].host : "NULL");
			assert_null(r);
			if (!diags_mention(&d, rows[i].mention))
				fail_msg("row %zu: \"%s\" not in \"%s\"", i,
				         rows[i].mention, d.items[0].detail);
			/* Secrets never show, even when they are the
			 * problem. */
			assert_false(diags_mention(&d, "X-Evil"));
			assert_false(diags_mention(&d, "pw@"));
		}
		tfp_rest_free(r);
		tfp_arena_free(a);
	}

	/* Both missing: both are reported at once. */
	{
		struct tfp_rest_config cfg = {0};
		struct tfp_arena *a = tfp_arena_new();
		struct tfp_diags d;
		struct tfp_rest *r = NULL;

		tfp_diags_init(&d, a);
		assert_int_equal(tfp_rest_new(&r, &cfg, &d), TFP_ERROR);
		assert_int_equal(d.n, 2);
		assert_true(diags_mention(&d, "DATABRICKS_HOST"));
		assert_true(diags_mention(&d, "DATABRICKS_TOKEN"));
		tfp_arena_free(a);
	}
	tfp_rest_free(NULL);
}

/* Which host names may be reached over plain http. */
static void test_rest__is_loopback(void **state)
{
	static const struct {
		const char *name;
		bool loopback;
	} rows[] = {
	        {"localhost", true},
	        {"LocalHost", true},
	        {"localhost.", true},
	        /* RFC 6761: every name under localhost (the emulator's
	         * hosted workspaces), with or without the root's dot. */
	        {"x.localhost", true},
	        {"analytics-e2e.localhost", true},
	        {"X.LOCALHOST", true},
	        {"x.localhost.", true},
	        {"a.b.localhost", true},
	        {"127.0.0.1", true},
	        {"127.255.0.9", true},
	        {"::1", true},
	        {"::ffff:127.0.0.1", true},
	        {"notlocalhost", false},
	        {"xlocalhost", false},
	        {".localhost", false},
	        {"localhost.example.com", false},
	        {"x.localhost.example.com", false},
	        {"localhost.evil", false},
	        {"128.0.0.1", false},
	        {"10.0.0.1", false},
	        {"::2", false},
	        {"::ffff:10.0.0.1", false},
	        {"", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++)
		if (tfp_rest__is_loopback(rows[i].name) != rows[i].loopback)
			fail_msg("%s: loopback should be %d", rows[i].name,
			         rows[i].loopback);
}

/* --- live: what goes on the wire ----------------------------------------- */

static void test_rest__request_shape(void **state)
{
	struct fx *f = *state;
	struct tfp_query q[] = {{"b", "2"},
	                        {"a", "x y&z/é"},
	                        {"skipped", NULL},
	                        {"a", "1"},
	                        {NULL, NULL}};
	struct tfp_rest *r;
	cJSON *body = cJSON_CreateObject(), *out = NULL;
	const struct srv_seen *s;

	cJSON_AddStringToObject(body, "scope", "s1");
	cJSON_AddNumberToObject(body, "n", 42);
	srv_script(
	        &f->srv,
	        (struct srv_reply[]){{.status = 200, .body = "{\"ok\":true}"}},
	        1);
	/* A trailing slash on the host must not double the path's. */
	tfp_rest_free(f->rest);
	r = fx_client(tfp_arena_printf(f->arena, "%s/", f->srv.base), 30);
	f->rest = f->call.client = r;

	assert_int_equal(tfp_rest_call(&out, &f->call, "POST",
	                               "/api/2.0/secrets/scopes/create", q,
	                               body, 0),
	                 TFP_OK);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(out, "ok")));
	assert_int_equal(srv_hits(&f->srv), 1);
	s = &f->srv.seen[0];
	assert_string_equal(s->method, "POST");
	assert_string_equal(s->uri, "/api/2.0/secrets/scopes/create"
	                            "?a=x%20y%26z%2F%C3%A9&a=1&b=2");
	assert_string_equal(s->body, "{\"scope\":\"s1\",\"n\":42}");
	assert_string_equal(s->auth, "Bearer " TEST_TOKEN);
	assert_string_equal(s->content_type, "application/json");
	assert_string_equal(s->accept, "application/json");
	assert_true(strncmp(s->user_agent, TEST_UA " ", strlen(TEST_UA) + 1) ==
	            0);
	assert_non_null(strstr(s->user_agent, "databricks-tf-provider/"));
	assert_non_null(
	        strstr(s->user_agent, "resource/databricks_secret_scope"));

	/* GET: no body, no Content-Type, no query at all. */
	assert_int_equal(tfp_rest_get(&out, &f->call,
	                              "/api/2.0/secrets/scopes/list", NULL),
	                 TFP_OK);
	s = &f->srv.seen[1];
	assert_string_equal(s->method, "GET");
	assert_string_equal(s->uri, "/api/2.0/secrets/scopes/list");
	assert_string_equal(s->body, "");
	assert_string_equal(s->content_type, "");

	/* The other verbs; a write without a body sends {}. */
	assert_int_equal(tfp_rest_call(NULL, &f->call, "PATCH", "/api/2.1/x",
	                               NULL, NULL, 0),
	                 TFP_OK);
	assert_int_equal(tfp_rest_call(NULL, &f->call, "PUT", "/api/2.1/x",
	                               NULL, body, 0),
	                 TFP_OK);
	assert_int_equal(
	        tfp_rest_call(NULL, &f->call, "DELETE", "/api/2.1/x",
	                      (struct tfp_query[]){{"id", "7"}, {NULL, NULL}},
	                      NULL, 0),
	        TFP_OK);
	assert_string_equal(f->srv.seen[2].method, "PATCH");
	assert_string_equal(f->srv.seen[2].body, "{}");
	assert_string_equal(f->srv.seen[3].method, "PUT");
	assert_string_equal(f->srv.seen[3].body, "{\"scope\":\"s1\",\"n\":42}");
	assert_string_equal(f->srv.seen[4].method, "DELETE");
	assert_string_equal(f->srv.seen[4].uri, "/api/2.1/x?id=7");
	assert_string_equal(f->srv.seen[4].body, "");
	assert_int_equal(tfp_rest_request_count(f->rest), 5);
	assert_int_equal(f->diags.n, 0);
	cJSON_Delete(body);
}

static void test_rest__reply_bodies(void **state)
{
	struct fx *f = *state;
	cJSON *out = NULL;

	srv_script(&f->srv,
	           (struct srv_reply[]){
	                   {.status = 200, .body = ""},
	                   {.status = 200, .body = " [1, 2] \n"},
	                   {.status = 200,
	                    .body = "<html><body>Login</body></html>",
	                    .content_type = "text/html"},
	                   {.status = 200, .body = "{\"a\":1} trailing"},
	           },
	           4);
	/* An empty 2xx is an empty object. */
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/a", NULL),
	                 TFP_OK);
	assert_true(cJSON_IsObject(out));
	assert_null(out->child);
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/a", NULL),
	                 TFP_OK);
	assert_int_equal(cJSON_GetArraySize(out), 2);
	assert_int_equal(f->diags.n, 0);

	/* HTML and not-JSON 2xx are errors with one diagnostic each. */
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/a", NULL),
	                 TFP_ERROR);
	assert_null(out);
	assert_int_equal(f->diags.n, 1);
	assert_non_null(strstr(f->diags.items[0].detail, "HTML"));
	assert_int_equal(f->call.last_error.status, 200);
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/a", NULL),
	                 TFP_ERROR);
	assert_int_equal(f->diags.n, 2);
	assert_non_null(strstr(f->diags.items[1].detail, "not JSON"));
}

static void test_rest__reply_too_large(void **state)
{
	struct fx *f = *state;
	cJSON *out = NULL;

	srv_script(
	        &f->srv,
	        (struct srv_reply[]){{.status = 200, .big = (64u << 20) + 1}},
	        1);
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/big", NULL),
	                 TFP_ERROR);
	assert_int_equal(f->diags.n, 1);
	assert_non_null(strstr(f->diags.items[0].detail, "64 MiB"));
	/* Not retried: the same answer would come back. */
	assert_int_equal(srv_hits(&f->srv), 1);
}

/* --- live: errors -------------------------------------------------------- */

static void test_rest__not_found_is_quiet(void **state)
{
	struct fx *f = *state;
	cJSON *out = (cJSON *)1;

	srv_script(
	        &f->srv,
	        (struct srv_reply[]){
	                {.status = 404,
	                 .body = "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\","
	                         "\"message\":\"Scope s1 does not exist!\"}"},
	                {.status = 400,
	                 .body = "{\"error_code\":\"INVALID_PARAMETER_VALUE\","
	                         "\"message\":\"Job 12 does not exist.\"}"},
	        },
	        2);
	f->call.op = "read";
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/secrets/list",
	                              (struct tfp_query[]){{"scope", "s1"},
	                                                   {NULL, NULL}}),
	                 TFP_ENOTFOUND);
	assert_null(out);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->call.last_error.status, 404);
	assert_string_equal(f->call.last_error.error_code,
	                    "RESOURCE_DOES_NOT_EXIST");
	assert_string_equal(f->call.last_error.message,
	                    "Scope s1 does not exist!");
	assert_string_equal(f->call.last_error.method, "GET");
	assert_string_equal(f->call.last_error.path, "/api/2.0/secrets/list");

	/* The jobs/get quirk, through the real client. */
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.2/jobs/get",
	                              (struct tfp_query[]){{"job_id", "12"},
	                                                   {NULL, NULL}}),
	                 TFP_ENOTFOUND);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->call.last_error.status, 400);
	assert_string_equal(f->call.last_error.path, "/api/2.2/jobs/get");
	assert_int_equal(srv_hits(&f->srv), 2);
}

static void test_rest__api_error_diagnostic(void **state)
{
	struct fx *f = *state;
	cJSON *body = cJSON_CreateObject(), *out = NULL;

	cJSON_AddStringToObject(body, "scope", "x");
	srv_script(
	        &f->srv,
	        (struct srv_reply[]){
	                {.status = 400,
	                 .body = "{\"error_code\":\"RESOURCE_ALREADY_EXISTS\","
	                         "\"message\":\"Scope x already exists!\"}"},
	                {.status = 500, .body = ""},
	        },
	        2);
	assert_int_equal(tfp_rest_post(&out, &f->call,
	                               "/api/2.0/secrets/scopes/create", body),
	                 TFP_ERROR);
	assert_null(out);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.items[0].severity, TFP_SEV_ERROR);
	assert_string_equal(f->diags.items[0].summary,
	                    "Failed to create databricks_secret_scope");
	assert_string_equal(f->diags.items[0].detail,
	                    "POST /api/2.0/secrets/scopes/create returned HTTP "
	                    "400 RESOURCE_ALREADY_EXISTS: Scope x already "
	                    "exists!");
	assert_string_equal(f->call.last_error.error_code,
	                    "RESOURCE_ALREADY_EXISTS");
	/* 400 is final: one request. */
	assert_int_equal(srv_hits(&f->srv), 1);

	/* No op/type: a generic summary; no code: the reason phrase. */
	f->call.op = NULL;
	assert_int_equal(tfp_rest_post(&out, &f->call,
	                               "/api/2.0/secrets/scopes/create", body),
	                 TFP_ERROR);
	assert_int_equal(f->diags.n, 2);
	assert_string_equal(f->diags.items[1].summary,
	                    "Databricks API request failed");
	assert_string_equal(f->diags.items[1].detail,
	                    "POST /api/2.0/secrets/scopes/create returned HTTP "
	                    "500: Internal Server Error");
	cJSON_Delete(body);
}

static void test_rest__transport_error(void **state)
{
	struct fx *f = *state;
	struct tfp_rest *r = fx_client("http://127.0.0.1:1", 1);
	long t0 = now_ms();

	/* Port 1 refuses: nothing was sent, so even a POST is retried,
	 * until the 1 s budget runs out. */
	f->call.client = r;
	assert_int_equal(
	        tfp_rest_post(NULL, &f->call, "/api/2.0/secrets/put", NULL),
	        TFP_ERROR);
	assert_true(now_ms() - t0 < 5000);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(f->diags.items[0].summary,
	                    "Failed to create databricks_secret_scope");
	assert_non_null(strstr(f->diags.items[0].detail,
	                       "POST /api/2.0/secrets/put failed: could not "
	                       "reach http://127.0.0.1:1"));
	assert_false(diags_mention(&f->diags, TEST_TOKEN));
	assert_int_equal(f->call.last_error.status, 0);
	assert_int_equal(tfp_rest_request_count(r), 0);
	/* Retried (nothing was sent) until the budget ended. */
	assert_non_null(strstr(f->diags.items[0].detail, "(gave up after"));
	tfp_rest_free(r);
}

/* --- live: retries ------------------------------------------------------- */

static void test_rest__retry_429_honours_retry_after(void **state)
{
	struct fx *f = *state;
	cJSON *out = NULL;
	long t0 = now_ms();

	srv_script(
	        &f->srv,
	        (struct srv_reply[]){
	                {.status = 429,
	                 .retry_after = "1",
	                 .body = "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\","
	                         "\"message\":\"slow down\"}"},
	                {.status = 200, .body = "{\"scopes\":[]}"},
	        },
	        2);
	assert_int_equal(tfp_rest_get(&out, &f->call,
	                              "/api/2.0/secrets/scopes/list", NULL),
	                 TFP_OK);
	assert_true(now_ms() - t0 >= 1000);
	assert_int_equal(srv_hits(&f->srv), 2);
	assert_int_equal(tfp_rest_request_count(f->rest), 2);
	assert_int_equal(f->diags.n, 0);
	assert_non_null(cJSON_GetObjectItem(out, "scopes"));
}

static void test_rest__retry_503_backs_off(void **state)
{
	struct fx *f = *state;
	cJSON *out = NULL;
	long t0 = now_ms();

	srv_script(
	        &f->srv,
	        (struct srv_reply[]){
	                {.status = 503,
	                 .body = "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\","
	                         "\"message\":\"later\"}"},
	                {.status = 200, .body = "{}"},
	        },
	        2);
	assert_int_equal(tfp_rest_post(&out, &f->call, "/api/2.0/x/y", NULL),
	                 TFP_OK);
	/* The first backoff is 100..500 ms (full jitter over a floor). */
	assert_true(now_ms() - t0 >= 100);
	assert_int_equal(srv_hits(&f->srv), 2);
	assert_int_equal(f->diags.n, 0);
}

static void test_rest__retry_budget(void **state)
{
	struct fx *f = *state;
	struct tfp_rest *r = fx_client(f->srv.base, 1);
	long t0 = now_ms();

	srv_script(
	        &f->srv,
	        (struct srv_reply[]){
	                {.status = 503,
	                 .body = "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\","
	                         "\"message\":\"later\"}"}},
	        1);
	f->call.client = r;
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/x", NULL),
	                 TFP_ERROR);
	assert_true(now_ms() - t0 < 3000);
	assert_true(srv_hits(&f->srv) >= 2);
	assert_int_equal(f->diags.n, 1);
	assert_non_null(
	        strstr(f->diags.items[0].detail,
	               "GET /api/2.0/x returned HTTP 503 "
	               "TEMPORARILY_UNAVAILABLE: later (gave up after"));

	/* A Retry-After beyond the budget fails at once. */
	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 429, .retry_after = "3600"}},
	           1);
	t0 = now_ms();
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/x", NULL),
	                 TFP_ERROR);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(f->diags.n, 2);
	assert_non_null(strstr(f->diags.items[1].detail,
	                       "returned HTTP 429: Too Many Requests"));
	tfp_rest_free(r);
}

/* A 429 slows the client below its rate_limit (the workspace allows less);
 * 429s of one burst count once; successes bring it back, never above. */
static void test_rest__pace_follows_429s(void **state)
{
	struct fx *f = *state;
	struct tfp_rest_config cfg = {.host = f->srv.base, .rate_limit = 4};
	struct tfp_rest *r = fx_client_cfg(&cfg);
	double pace;
	int i;

	f->call.client = r;
	assert_true(tfp_rest_pace(r) == 4);
	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 429, .retry_after = "0"},
	                                {.status = 429, .retry_after = "0"},
	                                {.status = 200, .body = "{}"}},
	           3);
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/x", NULL),
	                 TFP_OK);
	/* Cut once to 2.8 (the second 429 came within the same second), then
	 * one success: + 1/2.8. */
	pace = tfp_rest_pace(r);
	assert_true(pace > 3.15 && pace < 3.16);
	srv_script(&f->srv, (struct srv_reply[]){{.status = 200, .body = "{}"}},
	           1);
	for (i = 0; i < 4; i++)
		assert_int_equal(
		        tfp_rest_get(NULL, &f->call, "/api/2.0/y", NULL),
		        TFP_OK);
	/* + 1/3.16 + 1/3.47 + 1/3.76 passes 4 (about one request a second
	 * more per second of success), and stops there. */
	assert_true(tfp_rest_pace(r) == 4);
	assert_int_equal(f->diags.n, 0);
	tfp_rest_free(r);

	/* No limit configured: nothing to pace. */
	cfg.rate_limit = -1;
	r = fx_client_cfg(&cfg);
	assert_true(tfp_rest_pace(r) == 0);
	tfp_rest_free(r);
}

struct stopper {
	atomic_bool *stop;
	unsigned after_ms;
};

static void *stopper_main(void *p)
{
	struct stopper *s = p;

	srv_sleep_ms(s->after_ms);
	atomic_store(s->stop, true);
	return NULL;
}

static void test_rest__stop_interrupts_retry_wait(void **state)
{
	struct fx *f = *state;
	struct stopper s = {&f->stop, 300};
	pthread_t t;
	long t0 = now_ms();

	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 429, .retry_after = "20"}},
	           1);
	assert_int_equal(pthread_create(&t, NULL, stopper_main, &s), 0);
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/x", NULL),
	                 TFP_ECANCELED);
	pthread_join(t, NULL);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(f->diags.items[0].summary, "Interrupted");
	assert_int_equal(srv_hits(&f->srv), 1);
}

static void test_rest__stop_aborts_read_in_flight(void **state)
{
	struct fx *f = *state;
	struct stopper s = {&f->stop, 200};
	pthread_t t;
	long t0 = now_ms();

	srv_script(&f->srv,
	           (struct srv_reply[]){
	                   {.status = 200, .body = "{}", .delay_ms = 2500}},
	           1);
	assert_int_equal(pthread_create(&t, NULL, stopper_main, &s), 0);
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/slow", NULL),
	                 TFP_ECANCELED);
	pthread_join(t, NULL);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(f->diags.items[0].summary, "Interrupted");
}

/* --- live: secrets stay secret ------------------------------------------- */

static struct srv_reply echo_auth(struct srv *s, const struct srv_seen *req)
{
	snprintf(s->dyn_body, sizeof(s->dyn_body),
	         "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"Token "
	         "%s is not allowed\"}",
	         req->auth);
	return (struct srv_reply){.status = 403, .body = s->dyn_body};
}

static char *read_file(FILE *fp)
{
	long n;
	char *buf;

	fflush(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	return buf;
}

static void test_rest__token_never_shown(void **state)
{
	struct fx *f = *state;
	FILE *log = tmpfile();
	int saved = dup(STDERR_FILENO);
	char *text;
	size_t i;

	assert_non_null(log);
	f->srv.fn = echo_auth;
	/* Everything at TRACE, including curl's own trace, into a file. */
	fflush(stderr);
	assert_true(dup2(fileno(log), STDERR_FILENO) >= 0);
	tfp_log_set_level(TFP_LOG_TRACE);
	assert_int_equal(tfp_rest_post(NULL, &f->call, "/api/2.0/x/y", NULL),
	                 TFP_ERROR);
	tfp_log_set_level(TFP_LOG_OFF);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	assert_int_equal(f->diags.n, 1);
	assert_non_null(strstr(f->diags.items[0].detail, "<redacted>"));
	for (i = 0; i < f->diags.n; i++) {
		assert_null(strstr(f->diags.items[i].summary, TEST_TOKEN));
		assert_null(strstr(f->diags.items[i].detail, TEST_TOKEN));
	}
	assert_null(strstr(f->call.last_error.message, TEST_TOKEN));
	text = read_file(log);
	assert_non_null(strstr(text, "POST /api/2.0/x/y -> 403"));
	assert_non_null(strstr(text, "Authorization: <redacted>"));
	assert_null(strstr(text, TEST_TOKEN));
	free(text);
	fclose(log);
}

/* --- live: the wider retry policy ---------------------------------------- */

static void test_rest__backoff_bounds(void **state)
{
	static const struct {
		unsigned attempt;
		long max;
	} rows[] = {
	        {0, 500},    {1, 500},
	        {2, 1000},   {3, 2000},
	        {4, 4000},   {5, 8000},
	        {6, 10000},  {7, 10000},
	        {40, 10000}, {UINT32_MAX, 10000},
	};
	uint64_t seed = 12345;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		long lo = rows[i].max, hi = 0;

		/* The edges are reachable... */
		assert_int_equal(tfp_rest_backoff_ms(rows[i].attempt, 0), 100);
		assert_int_equal(
		        tfp_rest_backoff_ms(rows[i].attempt,
		                            (uint64_t)rows[i].max - 100),
		        rows[i].max);
		/* ...and nothing falls outside them. */
		for (k = 0; k < 2000; k++) {
			long v;

			seed = seed * 6364136223846793005u +
			       1442695040888963407u;
			v = tfp_rest_backoff_ms(rows[i].attempt, seed);
			assert_true(v >= 100 && v <= rows[i].max);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		/* Full jitter: the whole window is used. */
		assert_true(lo < 100 + (rows[i].max - 100) / 10);
		assert_true(hi > rows[i].max - (rows[i].max - 100) / 10);
		assert_true(tfp_rest_backoff_ms(rows[i].attempt, UINT64_MAX) <=
		            rows[i].max);
	}
}

static void test_rest__retry_5xx_idempotent_only(void **state)
{
	struct fx *f = *state;
	cJSON *out = NULL;

	/* GET: 500 and 504 are retried. */
	srv_script(&f->srv,
	           (struct srv_reply[]){
	                   {.status = 500, .body = "{\"error_code\":\"X\"}"},
	                   {.status = 504},
	                   {.status = 200, .body = "{\"ok\":true}"},
	           },
	           3);
	assert_int_equal(tfp_rest_get(&out, &f->call, "/api/2.0/x", NULL),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 3);
	assert_int_equal(f->diags.n, 0);
	assert_non_null(cJSON_GetObjectItem(out, "ok"));

	/* POST and PATCH: one request, the error reported. */
	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 500}, {.status = 200}}, 2);
	assert_int_equal(
	        tfp_rest_post(NULL, &f->call, "/api/2.0/x/create", NULL),
	        TFP_ERROR);
	assert_int_equal(srv_hits(&f->srv), 4);
	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 502}, {.status = 200}}, 2);
	assert_int_equal(tfp_rest_call(NULL, &f->call, "PATCH",
	                               "/api/2.0/x/update", NULL, NULL, 0),
	                 TFP_ERROR);
	assert_int_equal(srv_hits(&f->srv), 5);
	assert_int_equal(f->diags.n, 2);
	assert_non_null(strstr(f->diags.items[0].detail, "HTTP 500"));
	assert_null(strstr(f->diags.items[0].detail, "gave up"));

	/* An idempotent POST and a DELETE are retried. */
	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 502}, {.status = 200}}, 2);
	assert_int_equal(tfp_rest_call(NULL, &f->call, "POST",
	                               "/api/2.0/secrets/put", NULL, NULL,
	                               TFP_REST_IDEMPOTENT),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 7);
	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 500}, {.status = 200}}, 2);
	assert_int_equal(tfp_rest_call(NULL, &f->call, "DELETE", "/api/2.0/x/1",
	                               NULL, NULL, 0),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 9);
	assert_int_equal(f->diags.n, 2);
}

/* One method on a fresh client (so a fresh connection) against a server
 * that closes the first connection without answering. */
static int reset_case(struct fx *f, const char *method, unsigned flags)
{
	struct tfp_rest *r = fx_client(f->srv.base, 30);
	int error;

	srv_script(&f->srv,
	           (struct srv_reply[]){{.drop = true},
	                                {.status = 200, .body = "{}"}},
	           2);
	atomic_store(&f->srv.hits, 0);
	f->call.client = r;
	error = tfp_rest_call(NULL, &f->call, method, "/api/2.0/x/y", NULL,
	                      NULL, flags);
	f->call.client = f->rest;
	tfp_rest_free(r);
	return error;
}

static void test_rest__reset_retried_when_idempotent(void **state)
{
	struct fx *f = *state;

	assert_int_equal(reset_case(f, "GET", 0), TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 2);
	assert_int_equal(f->diags.n, 0);

	/* The server may have acted on the POST: not sent again, and the
	 * caller is told the outcome is unknown. */
	assert_int_equal(reset_case(f, "POST", 0), TFP_EUNCERTAIN);
	assert_int_equal(srv_hits(&f->srv), 1);
	assert_int_equal(f->diags.n, 1);
	assert_non_null(strstr(f->diags.items[0].detail,
	                       "POST /api/2.0/x/y failed after the request "
	                       "was sent"));
	assert_non_null(strstr(f->diags.items[0].detail,
	                       "the outcome is unknown"));
	assert_int_equal(f->call.last_error.status, 0);
	assert_true(f->call.last_error.uncertain);

	assert_int_equal(reset_case(f, "POST", TFP_REST_IDEMPOTENT), TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 2);
	assert_int_equal(f->diags.n, 1);
}

/* A POST after a GET on the same client: libcurl would reuse the GET's
 * keep-alive connection and, when it dies without an answer, resend the
 * POST by itself. A write that is not safe to repeat gets a connection of
 * its own, so the lost answer is reported instead of a second request. */
static void test_rest__uncertain_post_not_resent_by_curl(void **state)
{
	struct fx *f = *state;
	struct tfp_rest *r = fx_client(f->srv.base, 30);

	srv_script(&f->srv,
	           (struct srv_reply[]){{.status = 200, .body = "{}"},
	                                {.drop = true},
	                                {.status = 200, .body = "{}"}},
	           3);
	atomic_store(&f->srv.hits, 0);
	f->call.client = r;
	assert_int_equal(tfp_rest_call(NULL, &f->call, "GET", "/api/2.0/x/y",
	                               NULL, NULL, 0),
	                 TFP_OK);
	assert_int_equal(tfp_rest_call(NULL, &f->call, "POST", "/api/2.0/x/y",
	                               NULL, NULL, 0),
	                 TFP_EUNCERTAIN);
	f->call.client = f->rest;
	tfp_rest_free(r);
	assert_int_equal(srv_hits(&f->srv), 2);
	assert_true(f->call.last_error.uncertain);
}

/* --- live: the rate limiter ---------------------------------------------- */

#define RATE_CALLS 30

static long rate_hit_ms[SRV_SEEN_MAX];
static size_t rate_nhits;

/* Runs under the server's lock: records when each request arrived. */
static struct srv_reply timed_ok(struct srv *s, const struct srv_seen *req)
{
	(void)s;
	(void)req;
	if (rate_nhits < SRV_SEEN_MAX)
		rate_hit_ms[rate_nhits++] = now_ms();
	return (struct srv_reply){.status = 200, .body = "{}"};
}

struct rate_worker {
	struct fx *f;
	struct tfp_rest *r;
	atomic_int *next;
	int failures;
};

static void *rate_worker_main(void *p)
{
	struct rate_worker *w = p;
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call;
	char path[64];
	int i;

	fx_call_init(w->f, &call, a, &d);
	call.client = w->r;
	while ((i = atomic_fetch_add(w->next, 1)) < RATE_CALLS) {
		snprintf(path, sizeof(path), "/api/2.0/rate/%d", i);
		if (tfp_rest_get(NULL, &call, path, NULL) != TFP_OK)
			w->failures++;
	}
	tfp_arena_free(a);
	return NULL;
}

static void test_rest__rate_limit_shared_by_threads(void **state)
{
	struct fx *f = *state;
	struct tfp_rest_config cfg = {.host = f->srv.base, .rate_limit = 10};
	struct tfp_rest *r = fx_client_cfg(&cfg);
	struct rate_worker w[4];
	pthread_t t[4];
	atomic_int next;
	long t0, elapsed, margin = 100000;
	size_t i, k;

	atomic_init(&next, 0);
	rate_nhits = 0;
	f->srv.fn = timed_ok;
	t0 = now_ms();
	for (i = 0; i < 4; i++) {
		w[i] = (struct rate_worker){f, r, &next, 0};
		assert_int_equal(
		        pthread_create(&t[i], NULL, rate_worker_main, &w[i]),
		        0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	elapsed = now_ms() - t0;
	assert_int_equal(rate_nhits, RATE_CALLS);
	/* A burst of 10, then 10 a second: the last 20 take 2 s. */
	assert_true(elapsed >= 1900);
	assert_true(elapsed < 4000);
	/* The server never sees more than burst + rate * t by time t. */
	for (k = 0; k < rate_nhits; k++) {
		long allowed_at = ((long)k + 1 - 10) * 100;
		long late = rate_hit_ms[k] - t0 - allowed_at;

		if (k >= 10 && late < margin)
			margin = late;
		assert_true(rate_hit_ms[k] - t0 >= allowed_at - 30);
	}
	print_message("rate limit: %d GETs at 10/s from 4 threads in %ld ms; "
	              "tightest request %ld ms after its token\n",
	              RATE_CALLS, elapsed, margin);
	tfp_rest_free(r);
}

static void test_rest__rate_limit_wait_interrupted(void **state)
{
	struct fx *f = *state;
	struct tfp_rest_config cfg = {.host = f->srv.base, .rate_limit = 0.2};
	struct tfp_rest *r = fx_client_cfg(&cfg);
	struct stopper s = {&f->stop, 300};
	pthread_t t;
	long t0;

	f->call.client = r;
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/a", NULL),
	                 TFP_OK);
	/* The next token is 5 s away: stop cuts the wait short. */
	t0 = now_ms();
	assert_int_equal(pthread_create(&t, NULL, stopper_main, &s), 0);
	assert_int_equal(tfp_rest_get(NULL, &f->call, "/api/2.0/b", NULL),
	                 TFP_ECANCELED);
	pthread_join(t, NULL);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(srv_hits(&f->srv), 1);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(f->diags.items[0].summary, "Interrupted");
	assert_non_null(strstr(f->diags.items[0].detail, "rate limit"));
	tfp_rest_free(r);
}

/* --- live: TRACE bodies with debug_headers ------------------------------- */

static struct srv_reply secret_reply(struct srv *s, const struct srv_seen *req)
{
	(void)s;
	(void)req;
	return (struct srv_reply){
	        .status = 200,
	        .body = "{\"access_token\":\"AT-reply-77\",\"token_value\":"
	                "\"TV-reply-88\",\"visible_reply\":\"shown-too\"}"};
}

static void test_rest__debug_bodies_redacted(void **state)
{
	struct fx *f = *state;
	struct tfp_rest_config cfg = {.host = f->srv.base,
	                              .debug_headers = true,
	                              .debug_truncate_bytes = 4096};
	struct tfp_rest *r = fx_client_cfg(&cfg);
	FILE *log = tmpfile();
	int saved = dup(STDERR_FILENO);
	cJSON *put = cJSON_CreateObject(), *other = cJSON_CreateObject();
	char *text;

	assert_non_null(log);
	cJSON_AddStringToObject(put, "scope", "sc");
	cJSON_AddStringToObject(put, "key", "k");
	cJSON_AddStringToObject(put, "string_value", "SV-secret-value-42");
	cJSON_AddStringToObject(other, "name", "visible-name");
	cJSON_AddItemToObject(other, "nested", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(other, "nested"),
	                        "client_secret", "CS-secret-99");
	cJSON_AddStringToObject(other, "bytes_value", "QlYtc2VjcmV0");
	f->srv.fn = secret_reply;
	f->call.client = r;
	fflush(stderr);
	assert_true(dup2(fileno(log), STDERR_FILENO) >= 0);
	tfp_log_set_level(TFP_LOG_TRACE);
	assert_int_equal(tfp_rest_call(NULL, &f->call, "POST",
	                               "/api/2.0/secrets/put", NULL, put,
	                               TFP_REST_IDEMPOTENT),
	                 TFP_OK);
	assert_int_equal(
	        tfp_rest_post(NULL, &f->call, "/api/2.0/x/create", other),
	        TFP_OK);
	tfp_log_set_level(TFP_LOG_OFF);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	text = read_file(log);
	/* Bodies are there... */
	assert_non_null(strstr(text, "visible-name"));
	assert_non_null(strstr(text, "shown-too"));
	/* (the log is JSON lines: quotes come escaped) */
	assert_non_null(strstr(text, "\\\"scope\\\":\\\"sc\\\""));
	assert_non_null(strstr(text, "<redacted>"));
	/* The field keeps its name; only the value is hidden. */
	assert_non_null(
		strstr(text, "\\\"string_value\\\":\\\"<redacted>\\\""));
	assert_non_null(strstr(text, "Authorization: <redacted>"));
	/* ...but no credential and no secret value. */
	assert_null(strstr(text, TEST_TOKEN));
	assert_null(strstr(text, "SV-secret-value-42"));
	assert_null(strstr(text, "CS-secret-99"));
	assert_null(strstr(text, "QlYtc2VjcmV0"));
	assert_null(strstr(text, "AT-reply-77"));
	assert_null(strstr(text, "TV-reply-88"));
	free(text);
	fclose(log);
	cJSON_Delete(put);
	cJSON_Delete(other);
	tfp_rest_free(r);
}

static void test_rest__debug_bodies_truncated(void **state)
{
	struct fx *f = *state;
	struct tfp_rest_config cfg = {.host = f->srv.base,
	                              .debug_headers = true,
	                              .debug_truncate_bytes = 16};
	struct tfp_rest *r = fx_client_cfg(&cfg);
	FILE *log = tmpfile();
	int saved = dup(STDERR_FILENO);
	cJSON *body = cJSON_CreateObject();
	char *text;

	assert_non_null(log);
	cJSON_AddStringToObject(body, "name", "0123456789abcdefghijklmnop");
	f->call.client = r;
	fflush(stderr);
	assert_true(dup2(fileno(log), STDERR_FILENO) >= 0);
	tfp_log_set_level(TFP_LOG_TRACE);
	assert_int_equal(tfp_rest_post(NULL, &f->call, "/api/2.0/x", body),
	                 TFP_OK);
	tfp_log_set_level(TFP_LOG_OFF);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	text = read_file(log);
	/* 16 bytes, then "..." (JSON log lines escape the quotes). */
	assert_non_null(strstr(text, "{\\\"name\\\":\\\"0123456..."));
	assert_null(strstr(text, "01234567"));
	free(text);
	fclose(log);
	cJSON_Delete(body);
	tfp_rest_free(r);
}

/* --- the provider block's client settings ------------------------------- */

static struct tfp_value *
provider_block(struct tfp_arena *a, struct tfp_provider *p, const char *host)
{
	struct tfp_value *v = tfp_value_object(a, tfp_provider_config_type(p));

	tfp_value_set_string(a, v, "host", host);
	tfp_value_set_string(a, v, "token", TEST_TOKEN);
	return v;
}

static void test_rest__provider_settings(void **state)
{
	struct fx *f = *state;
	struct tfp_provider *p = tfp_provider_new(&tfp_databricks_provider);
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call;
	struct tfp_value *v;
	long t0;
	int i;

	unsetenv("DATABRICKS_RATE_LIMIT");
	unsetenv("DATABRICKS_DEBUG_TRUNCATE_BYTES");
	unsetenv("DATABRICKS_DEBUG_HEADERS");

	/* Invalid numbers: one attribute diagnostic each. */
	tfp_provider_call_init(&call, p, a, &d, NULL);
	tfp_diags_init(&d, a);
	v = provider_block(a, p, f->srv.base);
	tfp_value_set(v, "rate_limit", tfp_value_int(a, -1));
	tfp_value_set(v, "http_timeout_seconds", tfp_value_float(a, 1.5));
	tfp_value_set(v, "debug_truncate_bytes", tfp_value_int(a, -5));
	assert_int_equal(tfp_provider_validate(p, &call, v), TFP_ERROR);
	assert_int_equal(d.n, 3);
	assert_true(diags_mention(&d, "rate_limit must be a number of "
	                              "requests per second"));
	assert_true(diags_mention(&d, "http_timeout_seconds must be a whole"));
	assert_true(diags_mention(&d, "debug_truncate_bytes must be"));

	/* A bad environment value names the variable. */
	tfp_diags_init(&d, a);
	setenv("DATABRICKS_RATE_LIMIT", "fast", 1);
	setenv("DATABRICKS_DEBUG_HEADERS", "maybe", 1);
	v = provider_block(a, p, f->srv.base);
	assert_int_equal(tfp_provider_configure(p, &call, v, "1.9.0"),
	                 TFP_ERROR);
	assert_true(diags_mention(&d, "DATABRICKS_RATE_LIMIT"));
	assert_true(diags_mention(&d, "DATABRICKS_DEBUG_HEADERS"));
	unsetenv("DATABRICKS_DEBUG_HEADERS");

	/* Unknown: configuration is deferred, no client. */
	tfp_diags_init(&d, a);
	tfp_value_set(v, "rate_limit", tfp_value_unknown(a, &tfp_type_number));
	assert_int_equal(tfp_provider_configure(p, &call, v, "1.9.0"), TFP_OK);
	assert_int_equal(d.n, 0);
	tfp_provider_call_init(&call, p, a, &d, NULL);
	assert_null(call.client);

	/* The block wins over the environment: 2 a second, burst 2, so the
	 * third request waits about half a second. */
	tfp_value_set(v, "rate_limit", tfp_value_int(a, 2));
	tfp_value_set(v, "retry_timeout_seconds", tfp_value_int(a, -1));
	tfp_value_set(v, "skip_verify", tfp_value_bool(a, false));
	setenv("DATABRICKS_DEBUG_TRUNCATE_BYTES", "200", 1);
	assert_int_equal(tfp_provider_configure(p, &call, v, "1.9.0"), TFP_OK);
	assert_int_equal(d.n, 0);
	tfp_provider_call_init(&call, p, a, &d, NULL);
	assert_non_null(call.client);
	t0 = now_ms();
	for (i = 0; i < 3; i++)
		assert_int_equal(tfp_rest_get(NULL, &call, "/api/2.0/x", NULL),
		                 TFP_OK);
	assert_true(now_ms() - t0 >= 400);
	unsetenv("DATABRICKS_RATE_LIMIT");
	unsetenv("DATABRICKS_DEBUG_TRUNCATE_BYTES");
	tfp_provider_free(p);
	tfp_arena_free(a);
}

/* --- live: the cache ----------------------------------------------------- */

static struct srv_reply count_reply(struct srv *s, const struct srv_seen *req)
{
	(void)req;
	snprintf(s->dyn_body, sizeof(s->dyn_body), "{\"n\":%zu}", s->nseen);
	return (struct srv_reply){.status = 200, .body = s->dyn_body};
}

static int reply_n(cJSON *out)
{
	return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(out, "n"));
}

static void test_rest__cache_hits_and_invalidation(void **state)
{
	struct fx *f = *state;
	const char *list = "/api/2.0/secrets/scopes/list";
	struct tfp_query q1[] = {{"x", "1"}, {NULL, NULL}};
	cJSON *a = NULL, *b = NULL;

	f->srv.fn = count_reply;
	assert_int_equal(tfp_rest_call(&a, &f->call, "GET", list, NULL, NULL,
	                               TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(tfp_rest_call(&b, &f->call, "GET", list, NULL, NULL,
	                               TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 1);
	/* Each caller parses its own tree. */
	assert_ptr_not_equal(a, b);
	assert_int_equal(reply_n(a), 1);
	assert_int_equal(reply_n(b), 1);

	/* Without the flag, or with another query, it is a new request. */
	assert_int_equal(tfp_rest_get(&b, &f->call, list, NULL), TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 2);
	assert_int_equal(tfp_rest_call(&b, &f->call, "GET", list, q1, NULL,
	                               TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 3);
	assert_int_equal(reply_n(b), 3);

	/* A write to another family keeps the entries. */
	assert_int_equal(
	        tfp_rest_post(NULL, &f->call, "/api/2.1/jobs/create", NULL),
	        TFP_OK);
	assert_int_equal(tfp_rest_call(&b, &f->call, "GET", list, NULL, NULL,
	                               TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 4);
	assert_int_equal(reply_n(b), 1);

	/* A write to the family (through another API version) drops them. */
	assert_int_equal(
	        tfp_rest_post(NULL, &f->call, "/api/2.1/secrets/put", NULL),
	        TFP_OK);
	assert_int_equal(tfp_rest_call(&b, &f->call, "GET", list, NULL, NULL,
	                               TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 6);
	assert_int_equal(reply_n(b), 6);
	assert_int_equal(tfp_rest_call(&b, &f->call, "GET", list, q1, NULL,
	                               TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 7);
	assert_int_equal(f->diags.n, 0);
}

struct racer {
	struct fx *f;
	pthread_barrier_t *go;
	struct tfp_arena *arena; /* kept until the race is checked */
	int result;
	int n;
	size_t ndiags;
	cJSON *tree;
};

static void *racer_main(void *p)
{
	struct racer *rc = p;
	struct tfp_arena *a = rc->arena;
	struct tfp_diags d;
	struct tfp_call call;
	cJSON *out = NULL;

	fx_call_init(rc->f, &call, a, &d);
	pthread_barrier_wait(rc->go);
	rc->result = tfp_rest_call(&out, &call, "GET",
	                           "/api/2.0/secrets/scopes/list", NULL, NULL,
	                           TFP_REST_CACHE);
	rc->n = out ? reply_n(out) : -1;
	rc->tree = out;
	rc->ndiags = d.n;
	return NULL;
}

static void race(struct fx *f, struct racer *rc, size_t n)
{
	pthread_t t[8];
	pthread_barrier_t go;
	size_t i;

	assert_true(n <= TFP_ARRAY_SIZE(t));
	pthread_barrier_init(&go, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		rc[i] = (struct racer){
		        .f = f, .go = &go, .arena = tfp_arena_new()};
		assert_int_equal(
		        pthread_create(&t[i], NULL, racer_main, &rc[i]), 0);
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
}

static struct srv_reply slow_count(struct srv *s, const struct srv_seen *req)
{
	struct srv_reply r = count_reply(s, req);

	r.delay_ms = 300;
	return r;
}

static void test_rest__cache_single_flight(void **state)
{
	struct fx *f = *state;
	struct racer rc[8];
	size_t i, j;

	f->srv.fn = slow_count;
	race(f, rc, 8);
	assert_int_equal(srv_hits(&f->srv), 1);
	for (i = 0; i < 8; i++) {
		assert_int_equal(rc[i].result, TFP_OK);
		assert_int_equal(rc[i].n, 1);
		assert_int_equal(rc[i].ndiags, 0);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(rc[i].tree, rc[j].tree);
	}
	for (i = 0; i < 8; i++)
		tfp_arena_free(rc[i].arena);
}

static struct srv_reply slow_not_found(struct srv *s,
                                       const struct srv_seen *req)
{
	(void)s;
	(void)req;
	return (struct srv_reply){
	        .status = 404,
	        .delay_ms = 300,
	        .body = "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\","
	                "\"message\":\"gone\"}",
	};
}

static void test_rest__cache_shares_failures(void **state)
{
	struct fx *f = *state;
	struct racer rc[8];
	cJSON *out = NULL;
	size_t i;

	/* The waiters get the owner's answer, not a request each... */
	f->srv.fn = slow_not_found;
	race(f, rc, 8);
	assert_int_equal(srv_hits(&f->srv), 1);
	for (i = 0; i < 8; i++) {
		assert_int_equal(rc[i].result, TFP_ENOTFOUND);
		assert_int_equal(rc[i].ndiags, 0);
		tfp_arena_free(rc[i].arena);
	}
	/* ... but a failure is never kept for later callers. */
	f->srv.fn = count_reply;
	assert_int_equal(tfp_rest_call(&out, &f->call, "GET",
	                               "/api/2.0/secrets/scopes/list", NULL,
	                               NULL, TFP_REST_CACHE),
	                 TFP_OK);
	assert_int_equal(srv_hits(&f->srv), 2);
}

/* --- live: pagination ---------------------------------------------------- */

static struct srv_reply pages(struct srv *s, const struct srv_seen *req)
{
	(void)s;
	if (strstr(req->uri, "page_token=p3") != NULL)
		return (struct srv_reply){.status = 200,
		                          .body = "{\"jobs\":[{\"id\":5}]}"};
	if (strstr(req->uri, "page_token=p2") != NULL)
		return (struct srv_reply){
		        .status = 200,
		        .body = "{\"jobs\":[{\"id\":3},{\"id\":4}],"
		                "\"next_page_token\":\"p3\"}"};
	return (struct srv_reply){.status = 200,
	                          .body = "{\"jobs\":[{\"id\":1},{\"id\":2}],"
	                                  "\"next_page_token\":\"p2\","
	                                  "\"has_more\":true}"};
}

struct collected {
	int ids[16];
	size_t n;
	size_t stop_after; /* 0: never */
};

static int collect(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct collected *c = payload;

	(void)call;
	assert_true(c->n < TFP_ARRAY_SIZE(c->ids));
	c->ids[c->n++] = (int)cJSON_GetNumberValue(
	        cJSON_GetObjectItemCaseSensitive(item, "id"));
	if (c->stop_after > 0 && c->n == c->stop_after)
		return TFP_ENOTFOUND;
	return TFP_OK;
}

static void test_rest__list_pages(void **state)
{
	struct fx *f = *state;
	struct tfp_query q[] = {
	        {"limit", "2"}, {"page_token", "ignored"}, {NULL, NULL}};
	struct collected c = {{0}, 0, 0};
	size_t i;

	f->srv.fn = pages;
	assert_int_equal(tfp_rest_list(&f->call, "/api/2.2/jobs/list", q,
	                               "jobs", 0, collect, &c),
	                 TFP_OK);
	assert_int_equal(c.n, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(c.ids[i], (int)i + 1);
	assert_int_equal(srv_hits(&f->srv), 3);
	assert_string_equal(f->srv.seen[0].uri, "/api/2.2/jobs/list?limit=2");
	assert_string_equal(f->srv.seen[1].uri,
	                    "/api/2.2/jobs/list?limit=2&page_token=p2");
	assert_string_equal(f->srv.seen[2].uri,
	                    "/api/2.2/jobs/list?limit=2&page_token=p3");
	assert_int_equal(f->diags.n, 0);

	/* The callback's negative code stops the walk and comes back. */
	c = (struct collected){{0}, 0, 3};
	assert_int_equal(tfp_rest_list(&f->call, "/api/2.2/jobs/list", NULL,
	                               "jobs", 0, collect, &c),
	                 TFP_ENOTFOUND);
	assert_int_equal(c.n, 3);
	assert_int_equal(srv_hits(&f->srv), 5);
}

static void test_rest__list_edge_cases(void **state)
{
	struct fx *f = *state;
	struct collected c = {{0}, 0, 0};

	srv_script(&f->srv,
	           (struct srv_reply[]){
	                   /* An empty list leaves the field out. */
	                   {.status = 200, .body = "{}"},
	                   /* A server that repeats its token. */
	                   {.status = 200,
	                    .body = "{\"jobs\":[{\"id\":1}],"
	                            "\"next_page_token\":\"same\"}"},
	                   {.status = 200,
	                    .body = "{\"jobs\":[{\"id\":2}],"
	                            "\"next_page_token\":\"same\"}"},
	                   {.status = 200, .body = "{\"jobs\":{\"id\":1}}"},
	           },
	           4);
	assert_int_equal(tfp_rest_list(&f->call, "/api/2.2/jobs/list", NULL,
	                               "jobs", 0, collect, &c),
	                 TFP_OK);
	assert_int_equal(c.n, 0);

	assert_int_equal(tfp_rest_list(&f->call, "/api/2.2/jobs/list", NULL,
	                               "jobs", 0, collect, &c),
	                 TFP_ERROR);
	assert_int_equal(srv_hits(&f->srv), 3);
	assert_int_equal(c.n, 2);
	assert_int_equal(f->diags.n, 1);
	assert_non_null(strstr(f->diags.items[0].detail, "\"same\""));

	assert_int_equal(tfp_rest_list(&f->call, "/api/2.2/jobs/list", NULL,
	                               "jobs", 0, collect, &c),
	                 TFP_ERROR);
	assert_int_equal(f->diags.n, 2);
	assert_non_null(strstr(f->diags.items[1].detail, "not a list"));
}

/* A SCIM list of 5 that serves at most 2 a page, whatever count says
 * (the client sorts query parameters: startIndex comes last). */
static struct srv_reply scim_pages(struct srv *s, const struct srv_seen *req)
{
	(void)s;
	if (strstr(req->uri, "startIndex=5") != NULL)
		return (struct srv_reply){
		        .status = 200,
		        .body = "{\"totalResults\":5,\"startIndex\":5,"
		                "\"Resources\":[{\"id\":5}]}"};
	if (strstr(req->uri, "startIndex=3") != NULL)
		return (struct srv_reply){
		        .status = 200,
		        .body = "{\"totalResults\":5,\"startIndex\":3,"
		                "\"Resources\":[{\"id\":3},{\"id\":4}]}"};
	return (struct srv_reply){
	        .status = 200,
	        .body = "{\"totalResults\":5,\"startIndex\":1,"
	                "\"Resources\":[{\"id\":1},{\"id\":2}]}"};
}

static void test_rest__list_scim(void **state)
{
	struct fx *f = *state;
	struct tfp_query q[] = {{"filter", "userName co \"x\""},
	                        {NULL, NULL}};
	struct collected c = {{0}, 0, 0};
	size_t i;

	f->srv.fn = scim_pages;
	assert_int_equal(tfp_rest_list_scim(&f->call,
	                                    "/api/2.0/preview/scim/v2/Users",
	                                    q, 0, collect, &c),
	                 TFP_OK);
	assert_int_equal(c.n, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(c.ids[i], (int)i + 1);
	assert_int_equal(srv_hits(&f->srv), 3);
	assert_string_equal(f->srv.seen[0].uri,
	                    "/api/2.0/preview/scim/v2/Users?count=10000&"
	                    "filter=userName%20co%20%22x%22&startIndex=1");
	assert_non_null(strstr(f->srv.seen[1].uri, "&startIndex=3"));
	assert_non_null(strstr(f->srv.seen[2].uri, "&startIndex=5"));

	/* An empty page (no Resources) ends the walk even when
	 * totalResults says more. */
	f->srv.fn = NULL;
	srv_script(&f->srv,
	           (struct srv_reply[]){
	                   {.status = 200, .body = "{\"totalResults\":9}"},
	                   {.status = 200,
	                    .body = "{\"totalResults\":1,"
	                            "\"Resources\":{\"id\":1}}"},
	           },
	           2);
	c = (struct collected){{0}, 0, 0};
	assert_int_equal(tfp_rest_list_scim(&f->call,
	                                    "/api/2.0/preview/scim/v2/Users",
	                                    NULL, 0, collect, &c),
	                 TFP_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(tfp_rest_list_scim(&f->call,
	                                    "/api/2.0/preview/scim/v2/Users",
	                                    NULL, 0, collect, &c),
	                 TFP_ERROR);
	assert_non_null(strstr(f->diags.items[0].detail, "not a list"));
}

#define LIVE(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rest__parse_error_shapes),
	        cmocka_unit_test(test_rest__parse_error_caps_and_cleans),
	        cmocka_unit_test(test_rest__is_not_found),
	        cmocka_unit_test(test_rest__is_retryable),
	        cmocka_unit_test(test_rest__parse_retry_after),
	        cmocka_unit_test(test_rest__escape),
	        cmocka_unit_test(test_rest__cache_family),
	        cmocka_unit_test(test_rest__new_checks),
	        cmocka_unit_test(test_rest__is_loopback),
	        LIVE(test_rest__request_shape),
	        LIVE(test_rest__reply_bodies),
	        LIVE(test_rest__reply_too_large),
	        LIVE(test_rest__not_found_is_quiet),
	        LIVE(test_rest__api_error_diagnostic),
	        LIVE(test_rest__transport_error),
	        LIVE(test_rest__retry_429_honours_retry_after),
	        LIVE(test_rest__retry_503_backs_off),
	        LIVE(test_rest__retry_budget),
	        LIVE(test_rest__stop_interrupts_retry_wait),
	        LIVE(test_rest__stop_aborts_read_in_flight),
	        LIVE(test_rest__token_never_shown),
	        cmocka_unit_test(test_rest__backoff_bounds),
	        LIVE(test_rest__retry_5xx_idempotent_only),
	        LIVE(test_rest__reset_retried_when_idempotent),
	        LIVE(test_rest__uncertain_post_not_resent_by_curl),
	        LIVE(test_rest__rate_limit_shared_by_threads),
	        LIVE(test_rest__rate_limit_wait_interrupted),
	        LIVE(test_rest__pace_follows_429s),
	        LIVE(test_rest__debug_bodies_redacted),
	        LIVE(test_rest__debug_bodies_truncated),
	        LIVE(test_rest__provider_settings),
	        LIVE(test_rest__cache_hits_and_invalidation),
	        LIVE(test_rest__cache_single_flight),
	        LIVE(test_rest__cache_shares_failures),
	        LIVE(test_rest__list_pages),
	        LIVE(test_rest__list_edge_cases),
	        LIVE(test_rest__list_scim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
