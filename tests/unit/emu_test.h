/*
 * Helpers shared by the emulator's unit tests (tests/unit/test_emu_*.c).
 * Include after <cmocka.h>. Functions are static inline so each test
 * takes only what it uses. A test that defines EMU_TEST_TOKEN first also
 * gets call() and call_ok(), which send that token, and one that defines
 * EMU_TEST_UC as well gets the Unity Catalog fixtures.
 */
#ifndef EMU_TEST_H
#define EMU_TEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

/* A router answer, parsed: the tests read status and JSON. */
struct emu_test_result {
	int status;
	cJSON *json;
	char *text;
};

/*
 * One request through the router, as the HTTP server would make it, with
 * host as its Host header (NULL: none, which the root workspace serves)
 * and bearer as the token (NULL: no Authorization); the reply must be
 * JSON.
 */
static inline struct emu_test_result
emu_test_call_at(struct emu_workspace *ws, const char *host,
		 const char *method, const char *target, const char *body,
		 const char *bearer)
{
	struct emu_request req;
	struct emu_response resp;
	struct emu_test_result r;

	emu_request_init(&req, method, target, body, body ? strlen(body) : 0);
	if (bearer) {
		char *value = emu_printf("Bearer %s", bearer);

		emu_request_add_header(&req, "Authorization", value);
		free(value);
	}
	if (host)
		emu_request_add_header(&req, "Host", host);
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	assert_non_null(r.json);
	return r;
}

/* emu_test_call_at without a Host header. */
static inline struct emu_test_result
emu_test_call(struct emu_workspace *ws, const char *method, const char *target,
	      const char *body, const char *bearer)
{
	return emu_test_call_at(ws, NULL, method, target, body, bearer);
}

static inline void emu_test_result_dispose(struct emu_test_result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
}

/* A string member, or NULL. */
static inline const char *emu_test_str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/*
 * emu_test_call, expecting 200; the result is returned for inspection. Any
 * other reply is printed first, so a failing test shows what the emulator
 * said and not only the status.
 */
static inline struct emu_test_result
emu_test_call_ok(struct emu_workspace *ws, const char *method,
		 const char *target, const char *body, const char *bearer)
{
	struct emu_test_result r =
		emu_test_call(ws, method, target, body, bearer);

	if (r.status != 200)
		fprintf(stderr, "%s %s -> %d %s\n", method, target, r.status,
			r.text);
	assert_int_equal(r.status, 200);
	return r;
}

/*
 * emu_test_call_ok with nothing to inspect; text, when not NULL, is the
 * exact reply expected (most mutating endpoints answer "{}").
 */
static inline void emu_test_ok(struct emu_workspace *ws, const char *method,
			       const char *target, const char *body,
			       const char *bearer, const char *text)
{
	struct emu_test_result r =
		emu_test_call_ok(ws, method, target, body, bearer);

	if (text)
		assert_string_equal(r.text, text);
	emu_test_result_dispose(&r);
}

/*
 * Expects an error reply: status and error_code, and a message equal to
 * exact and/or containing part (NULL skips that check). A reply that does
 * not match is printed first.
 */
static inline void emu_test_fails(struct emu_workspace *ws, const char *method,
				  const char *target, const char *body,
				  const char *bearer, int status,
				  const char *code, const char *exact,
				  const char *part)
{
	struct emu_test_result r =
		emu_test_call(ws, method, target, body, bearer);
	const char *msg = emu_test_str(r.json, "message");

	if (r.status != status || ((exact || part) && !msg) ||
	    (exact && msg && strcmp(msg, exact) != 0) ||
	    (part && msg && !strstr(msg, part)))
		fprintf(stderr, "%s %s %s -> %d %s\n", method, target,
			body ? body : "", r.status, r.text);
	assert_int_equal(r.status, status);
	assert_string_equal(emu_test_str(r.json, "error_code"), code);
	if (exact)
		assert_string_equal(msg, exact);
	if (part) {
		assert_non_null(msg);
		assert_non_null(strstr(msg, part));
	}
	emu_test_result_dispose(&r);
}

#ifdef EMU_TEST_TOKEN
/*
 * Short forms for a test file that sends one token throughout: it defines
 * EMU_TEST_TOKEN before including this header.
 */
static inline struct emu_test_result call(struct emu_workspace *ws,
					  const char *method,
					  const char *target, const char *body)
{
	return emu_test_call(ws, method, target, body, EMU_TEST_TOKEN);
}

static inline struct emu_test_result call_ok(struct emu_workspace *ws,
					     const char *method,
					     const char *target,
					     const char *body)
{
	return emu_test_call_ok(ws, method, target, body, EMU_TEST_TOKEN);
}
#endif

#ifdef EMU_TEST_UC
#ifndef EMU_TEST_TOKEN
#error "EMU_TEST_UC needs EMU_TEST_TOKEN"
#endif
/*
 * Unity Catalog fixtures, for test_emu_uc*.c (they define EMU_TEST_UC and
 * EMU_TEST_TOKEN before including this header).
 */
#define UC "/api/2.1/unity-catalog"

static inline void ok(struct emu_workspace *ws, const char *method,
		      const char *target, const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, NULL);
}

static inline void fails(struct emu_workspace *ws, const char *method,
			 const char *target, const char *body, int status,
			 const char *code, const char *message)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       message, NULL);
}

/* Expects a 400 INVALID_PARAMETER_VALUE whose message contains part. */
static inline void invalid(struct emu_workspace *ws, const char *method,
			   const char *target, const char *body,
			   const char *part)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, part);
}

/* GET target and compare one string field. */
static inline void expect_field(struct emu_workspace *ws, const char *target,
				const char *field, const char *value)
{
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	if (value)
		assert_string_equal(emu_test_str(r.json, field), value);
	else
		assert_null(cJSON_GetObjectItem(r.json, field));
	emu_test_result_dispose(&r);
}

static inline void create_catalog(struct emu_workspace *ws, const char *name)
{
	char *body = emu_printf("{\"name\":\"%s\"}", name);

	ok(ws, "POST", UC "/catalogs", body);
	free(body);
}

static inline void create_credential(struct emu_workspace *ws, const char *name)
{
	char *body = emu_printf("{\"name\":\"%s\",\"aws_iam_role\":{"
				"\"role_arn\":\"arn:aws:iam::123456789012:"
				"role/uc-access\"}}",
				name);

	ok(ws, "POST", UC "/storage-credentials", body);
	free(body);
}

static inline void create_location(struct emu_workspace *ws, const char *name,
				   const char *url, const char *credential)
{
	char *body = emu_printf("{\"name\":\"%s\",\"url\":\"%s\","
				"\"credential_name\":\"%s\"}",
				name, url, credential);

	ok(ws, "POST", UC "/external-locations", body);
	free(body);
}

static inline void patch_grants(struct emu_workspace *ws, const char *target,
				const char *body)
{
	ok(ws, "PATCH", target, body);
}

/* The privileges of principal in a GET permissions body, as "A,B". */
static inline char *privileges_of(const cJSON *body, const char *principal)
{
	const cJSON *item, *priv;
	char *out = emu_xstrdup("");

	cJSON_ArrayForEach(item,
			   cJSON_GetObjectItem(body, "privilege_assignments"))
	{
		if (strcmp(emu_test_str(item, "principal"), principal) != 0)
			continue;
		cJSON_ArrayForEach(priv,
				   cJSON_GetObjectItem(item, "privileges"))
		{
			char *next = emu_printf("%s%s%s", out, *out ? "," : "",
						priv->valuestring);

			free(out);
			out = next;
		}
	}
	return out;
}

static inline void expect_grants(struct emu_workspace *ws, const char *target,
				 const char *principal, const char *privileges)
{
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	char *got = privileges_of(r.json, principal);

	assert_string_equal(got, privileges);
	free(got);
	emu_test_result_dispose(&r);
}

static inline int array_size(const cJSON *obj, const char *name)
{
	const cJSON *arr = cJSON_GetObjectItem(obj, name);

	assert_true(cJSON_IsArray(arr));
	return cJSON_GetArraySize(arr);
}

static inline const char *item_name(const cJSON *obj, const char *arr, int i)
{
	return emu_test_str(
		cJSON_GetArrayItem(cJSON_GetObjectItem(obj, arr), i), "name");
}

/* Follows next_page_token through list target; returns the item count. */
static inline int count_pages(struct emu_workspace *ws, const char *target,
			      const char *key, int page, int *pages)
{
	char *token = NULL;
	int total = 0;

	*pages = 0;
	for (;;) {
		char *url =
			token ? emu_printf("%s&page_token=%s", target, token)
			      : emu_xstrdup(target);
		struct emu_test_result r = call_ok(ws, "GET", url, NULL);
		const char *next = emu_test_str(r.json, "next_page_token");
		int n = array_size(r.json, key);

		assert_true(n <= page);
		total += n;
		(*pages)++;
		free(token);
		token = next ? emu_xstrdup(next) : NULL;
		emu_test_result_dispose(&r);
		free(url);
		if (!token)
			break;
		assert_true(*pages < 100);
	}
	return total;
}
#endif

/* The member at a dotted path ("aws_attributes.zone_id"), or NULL. */
static inline const cJSON *emu_test_member(const cJSON *obj, const char *path)
{
	char *copy = emu_xstrdup(path), *p = copy, *dot;
	const cJSON *item = obj;

	while (item && p) {
		dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		item = cJSON_GetObjectItemCaseSensitive(item, p);
		p = dot ? dot + 1 : NULL;
	}
	free(copy);
	return item;
}

/*
 * The integer at a dotted path, which must be there and exact (the
 * emulator writes large integers as raw digits, so both forms count).
 */
static inline int64_t emu_test_int(const cJSON *obj, const char *path)
{
	const cJSON *item = emu_test_member(obj, path);
	int64_t v = -1;

	assert_non_null(item);
	assert_int_equal(emu_json_int(&v, item), 0);
	return v;
}

/*
 * cmocka fixtures: a fresh default workspace in *state for each test, and
 * its disposal, which also runs when an assertion fails.
 */
static inline int emu_test_setup(void **state)
{
	*state = emu_workspace_new(NULL);
	return *state ? 0 : -1;
}

static inline int emu_test_teardown(void **state)
{
	emu_workspace_free(*state);
	return 0;
}

/* --- --state files ------------------------------------------------------- */

/* Creates an empty temporary file from a mkstemp template (XXXXXX last). */
static inline void emu_test_temp_file(char *path)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
}

/*
 * Saves ws to path and loads the file into fresh, a new workspace: what a
 * restart with --state does.
 */
static inline void emu_test_save_load(struct emu_workspace *ws,
				      struct emu_workspace *fresh,
				      const char *path)
{
	char err[256];

	assert_int_equal(emu_workspace_save_file(ws, path, err, sizeof(err)),
			 0);
	assert_int_equal(emu_workspace_load_file(fresh, path, err, sizeof(err)),
			 0);
}

/*
 * Writes text to path and loads it into ws (a new workspace); returns what
 * emu_workspace_load_file does, with its message in err.
 */
static inline int emu_test_load_text(struct emu_workspace *ws, const char *path,
				     const char *text, char *err,
				     size_t err_size)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return emu_workspace_load_file(ws, path, err, err_size);
}

/*
 * Sends request_len bytes of a raw HTTP request to 127.0.0.1:port and
 * returns everything the server wrote before closing (malloc'd; "" when it
 * closed without a byte, as a dropped response does). A server that
 * closes early (413) ends the sending quietly.
 */
static inline char *emu_test_raw_http(unsigned port, const char *request,
				      size_t request_len)
{
	struct sockaddr_in sin;
	struct emu_buf out = EMU_BUF_INIT(64 * 1024 * 1024);
	char chunk[4096];
	size_t sent = 0;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	while (sent < request_len) {
		ssize_t n = send(fd, request + sent, request_len - sent,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		assert_int_equal(emu_buf_append(&out, chunk, (size_t)n), 0);
	}
	close(fd);
	return out.data ? out.data : emu_xstrdup("");
}

#endif
