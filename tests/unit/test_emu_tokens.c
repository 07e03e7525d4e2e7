/*
 * Unit tests for the emulated Token API (emulator/identity/tokens.c),
 * through the router without a network: create, list and delete with
 * their answers and errors, the lifetime limit and the token quota,
 * expiry on the workspace clock, created tokens accepted by the token
 * table until deleted or expired (also at another hosted workspace, which
 * lists only its own), and --state; token management: the admin's list
 * with its filters, get and delete by ID, and tokens on behalf of a
 * service principal, which authenticate as its application ID and are
 * not in the admin's own token/list.
 *
 * The workspace is started with one --token, so the token table is closed
 * and a revoked token is refused rather than accepted as any bearer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-tokens-test"
#include "emu_test.h"

#define TOKENS	     "/api/2.0/token/"
#define MGMT	     "/api/2.0/token-management/"
#define SP_APP	     "6b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
#define MAX_LIFETIME (90LL * 24 * 3600)

/* --- helpers -------------------------------------------------------------- */

static int tokens_setup(void **state)
{
	const char *tokens[] = {EMU_TEST_TOKEN};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};

	*state = emu_workspace_new(&opts);
	return *state ? 0 : -1;
}

struct made {
	char *id, *value;
};

static void made_dispose(struct made *m)
{
	free(m->id);
	free(m->value);
}

/* POST token/create with body; returns the new token's id and value. */
static struct made make_token(struct emu_workspace *ws, const char *body)
{
	struct emu_test_result r = call_ok(ws, "POST", TOKENS "create", body);
	const cJSON *info = cJSON_GetObjectItem(r.json, "token_info");
	struct made m;

	assert_non_null(emu_test_str(r.json, "token_value"));
	assert_non_null(emu_test_str(info, "token_id"));
	m.id = emu_xstrdup(emu_test_str(info, "token_id"));
	m.value = emu_xstrdup(emu_test_str(r.json, "token_value"));
	emu_test_result_dispose(&r);
	return m;
}

/* The status of GET token/list made with bearer. */
static int status_with(struct emu_workspace *ws, const char *bearer)
{
	struct emu_test_result r =
		emu_test_call(ws, "GET", TOKENS "list", NULL, bearer);
	int status = r.status;

	emu_test_result_dispose(&r);
	return status;
}

/* How many tokens token/list shows; *first gets the first one's id. */
static int listed(struct emu_workspace *ws, char **first)
{
	struct emu_test_result r = call_ok(ws, "GET", TOKENS "list", NULL);
	const cJSON *infos = cJSON_GetObjectItem(r.json, "token_infos");
	int n;

	assert_true(cJSON_IsArray(infos));
	n = cJSON_GetArraySize(infos);
	if (first)
		*first = n > 0 ? emu_xstrdup(emu_test_str(
					 cJSON_GetArrayItem(infos, 0),
					 "token_id"))
			       : NULL;
	emu_test_result_dispose(&r);
	return n;
}

static void delete_token(struct emu_workspace *ws, const char *id)
{
	char *body = emu_printf("{\"token_id\":\"%s\"}", id);

	emu_test_ok(ws, "POST", TOKENS "delete", body, EMU_TEST_TOKEN, "{}");
	free(body);
}

/* --- create, list, delete ------------------------------------------------- */

static void test_emu_tokens__create_list_delete(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *info;
	int64_t created;
	char *first = NULL, *body;

	r = call_ok(ws, "POST", TOKENS "create",
		    "{\"lifetime_seconds\":3600,\"comment\":\"ci\"}");
	assert_int_equal(strncmp(emu_test_str(r.json, "token_value"), "dapi",
				 4),
			 0);
	info = cJSON_GetObjectItem(r.json, "token_info");
	created = emu_test_int(info, "creation_time");
	assert_true(created > 0);
	assert_int_equal(emu_test_int(info, "expiry_time"),
			 created + 3600 * 1000);
	assert_string_equal(emu_test_str(info, "comment"), "ci");
	/* The value is in the answer once, never in token_info. */
	assert_null(cJSON_GetObjectItem(info, "token_value"));
	assert_null(cJSON_GetObjectItem(info, "_value"));
	emu_test_result_dispose(&r);

	/* No lifetime: a token that never expires; no comment: "". */
	r = call_ok(ws, "POST", TOKENS "create", "{}");
	info = cJSON_GetObjectItem(r.json, "token_info");
	assert_int_equal(emu_test_int(info, "expiry_time"), -1);
	assert_string_equal(emu_test_str(info, "comment"), "");
	emu_test_result_dispose(&r);

	/* The list shows both, in creation order, without values. */
	r = call_ok(ws, "GET", TOKENS "list", NULL);
	assert_int_equal(cJSON_GetArraySize(
				 cJSON_GetObjectItem(r.json, "token_infos")),
			 2);
	assert_null(strstr(r.text, "_value"));
	assert_null(strstr(r.text, "token_value"));
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(cJSON_GetObjectItem(
							r.json, "token_infos"),
						0),
			     "comment"),
		"ci");
	emu_test_result_dispose(&r);

	assert_int_equal(listed(ws, &first), 2);
	delete_token(ws, first);
	assert_int_equal(listed(ws, NULL), 1);

	/* A token that is gone, and a delete without an id. */
	body = emu_printf("{\"token_id\":\"%s\"}", first);
	emu_test_fails(ws, "POST", TOKENS "delete", body, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	free(body);
	emu_test_fails(ws, "POST", TOKENS "delete", "{}", EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE",
		       "Missing required field: token_id", NULL);
	free(first);
}

static void test_emu_tokens__limits(void **state)
{
	struct emu_workspace *ws = *state;
	char *body;
	int i;

	/* 90 days is the most a token may live. */
	body = emu_printf("{\"lifetime_seconds\":%lld}", MAX_LIFETIME);
	emu_test_ok(ws, "POST", TOKENS "create", body, EMU_TEST_TOKEN, NULL);
	free(body);
	body = emu_printf("{\"lifetime_seconds\":%lld}", MAX_LIFETIME + 1);
	emu_test_fails(ws, "POST", TOKENS "create", body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL,
		       "exceeds the maximum lifetime");
	free(body);
	emu_test_fails(ws, "POST", TOKENS "create",
		       "{\"lifetime_seconds\":\"long\"}", EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "lifetime_seconds");
	emu_test_fails(ws, "POST", TOKENS "create", "{\"comment\":7}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "comment");
	assert_int_equal(listed(ws, NULL), 1);

	/* The quota: 600 tokens, then QUOTA_EXCEEDED. */
	for (i = 1; i < 600; i++)
		emu_test_ok(ws, "POST", TOKENS "create", "{}", EMU_TEST_TOKEN,
			    NULL);
	emu_test_fails(ws, "POST", TOKENS "create", "{}", EMU_TEST_TOKEN, 400,
		       "QUOTA_EXCEEDED", "Maximum number of tokens (600) "
					 "reached.",
		       NULL);
}

/* --- the token table ------------------------------------------------------ */

static void test_emu_tokens__accepted_until_deleted(void **state)
{
	struct emu_workspace *ws = *state;
	struct made m = make_token(ws, "{\"comment\":\"for a provider\"}");
	struct emu_test_result r;

	/* The new token authenticates as the user who made it. */
	assert_int_equal(status_with(ws, m.value), 200);
	r = emu_test_call_ok(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL,
			     m.value);
	assert_string_equal(emu_test_str(r.json, "userName"),
			    EMU_DEFAULT_USER_NAME);
	emu_test_result_dispose(&r);

	/* Revoked: refused as any unknown token. */
	delete_token(ws, m.id);
	emu_test_fails(ws, "GET", TOKENS "list", NULL, m.value, 403,
		       "PERMISSION_DENIED", "Invalid access token.", NULL);
	/* The --token token is untouched. */
	assert_int_equal(status_with(ws, EMU_TEST_TOKEN), 200);
	made_dispose(&m);
}

static void test_emu_tokens__expiry(void **state)
{
	struct emu_workspace *ws = *state;
	struct made m = make_token(ws, "{\"lifetime_seconds\":60}");
	struct made forever = make_token(ws, "{\"lifetime_seconds\":0}");

	emu_workspace_advance_clock(ws, 59 * 1000);
	assert_int_equal(status_with(ws, m.value), 200);
	assert_int_equal(listed(ws, NULL), 2);

	emu_workspace_advance_clock(ws, 2 * 1000);
	emu_test_fails(ws, "GET", TOKENS "list", NULL, m.value, 401,
		       "UNAUTHENTICATED", NULL, "Token is expired");
	/* An expired token is no longer listed; one that never expires
	 * stays. */
	assert_int_equal(listed(ws, NULL), 1);
	emu_workspace_advance_clock(ws, 365LL * 24 * 3600 * 1000);
	assert_int_equal(status_with(ws, forever.value), 200);
	made_dispose(&forever);
	made_dispose(&m);
}

static void test_emu_tokens__hosted_workspaces(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *value;

	assert_non_null(emu_workspace_host(ws, "alpha", "1001"));
	/* Made in the hosted workspace, which lists it. */
	r = emu_test_call_at(ws, "alpha.localhost:8080", "POST",
			     TOKENS "create", "{}", EMU_TEST_TOKEN);
	assert_int_equal(r.status, 200);
	value = emu_xstrdup(emu_test_str(r.json, "token_value"));
	emu_test_result_dispose(&r);
	r = emu_test_call_at(ws, "alpha.localhost:8080", "GET",
			     TOKENS "list", NULL, EMU_TEST_TOKEN);
	assert_int_equal(cJSON_GetArraySize(
				 cJSON_GetObjectItem(r.json, "token_infos")),
			 1);
	emu_test_result_dispose(&r);

	/* The root does not list it, but accepts it: one account, one token
	 * table. */
	assert_int_equal(listed(ws, NULL), 0);
	assert_int_equal(status_with(ws, value), 200);
	r = emu_test_call_ok(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL,
			     value);
	emu_test_result_dispose(&r);
	free(value);
}

/* --- --state -------------------------------------------------------------- */

static void test_emu_tokens__state(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL);
	struct made m = make_token(ws, "{\"comment\":\"kept\"}");
	char path[] = "/tmp/emu-tokens-XXXXXX";
	char err[256], *first = NULL;
	struct stat st;

	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	/* The file holds token values: owner-only. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(listed(fresh, &first), 1);
	assert_string_equal(first, m.id);
	/* Revocable after the restart. */
	delete_token(fresh, m.id);
	assert_int_equal(listed(fresh, NULL), 0);
	emu_workspace_free(fresh);

	/* A tokens member the module cannot read. */
	fresh = emu_workspace_new(NULL);
	assert_int_equal(
		emu_test_load_text(fresh, path,
				   "{\"format\":\"brickform-emulator-state\","
				   "\"version\":1,\"modules\":{\"tokens\":"
				   "[{\"token_id\":\"x\"}]}}",
				   err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "tokens"));
	emu_workspace_free(fresh);
	unlink(path);
	free(first);
	made_dispose(&m);
}

static void test_emu_tokens__reset_revokes(void **state)
{
	struct emu_workspace *ws = *state;
	struct made m = make_token(ws, "{}");

	emu_test_ok(ws, "POST", "/_emulator/reset", NULL, NULL, NULL);
	assert_int_equal(listed(ws, NULL), 0);
	assert_int_equal(status_with(ws, m.value), 403);
	assert_int_equal(status_with(ws, EMU_TEST_TOKEN), 200);
	made_dispose(&m);
}

/* --- token management ------------------------------------------------------ */

/* How many tokens GET target lists under token_infos. */
static int mgmt_count(struct emu_workspace *ws, const char *target)
{
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	int n = cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "token_infos"));

	emu_test_result_dispose(&r);
	return n;
}

static void test_emu_tokens__on_behalf_of(void **state)
{
	struct emu_workspace *ws = *state;
	struct made own = make_token(ws, "{\"comment\": \"mine\"}");
	/* SCIM answers a create with 201. */
	struct emu_test_result sp = emu_test_call(
		ws, "POST", "/api/2.0/preview/scim/v2/ServicePrincipals",
		"{\"applicationId\": \"" SP_APP "\", "
		"\"displayName\": \"ci\"}",
		EMU_TEST_TOKEN);
	struct emu_test_result r = call_ok(
		ws, "POST", MGMT "on-behalf-of/tokens",
		"{\"application_id\": \"" SP_APP "\", "
		"\"lifetime_seconds\": 60, \"comment\": \"ci\"}");
	const cJSON *info = cJSON_GetObjectItem(r.json, "token_info");
	char *value = emu_xstrdup(emu_test_str(r.json, "token_value"));
	char *id = emu_xstrdup(emu_test_str(info, "token_id"));
	char *get = emu_printf(MGMT "tokens/%s", id);
	struct emu_test_result me, g;

	assert_int_equal(sp.status, 201);

	assert_string_equal(emu_test_str(info, "comment"), "ci");
	assert_non_null(cJSON_GetObjectItem(info, "owner_id"));
	assert_null(cJSON_GetObjectItem(info, "_principal"));
	emu_test_result_dispose(&sp);
	emu_test_result_dispose(&r);

	/* It authenticates as the service principal. */
	me = emu_test_call_ok(ws, "GET", "/api/2.0/preview/scim/v2/Me", NULL,
			      value);
	assert_string_equal(emu_test_str(me.json, "userName"), SP_APP);
	emu_test_result_dispose(&me);

	/* The admin's own list has one token; token management both. */
	assert_int_equal(listed(ws, NULL), 1);
	assert_int_equal(mgmt_count(ws, MGMT "tokens"), 2);
	assert_int_equal(mgmt_count(ws, MGMT "tokens?created_by_username="
					    "nobody@example.com"),
			 0);
	g = call_ok(ws, "GET", get, NULL);
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(g.json, "token_info"),
			     "token_id"),
		id);
	emu_test_result_dispose(&g);

	/* Delete by ID revokes it; then it is gone. */
	emu_test_ok(ws, "DELETE", get, NULL, EMU_TEST_TOKEN, "{}");
	assert_int_equal(status_with(ws, value), 403);
	emu_test_fails(ws, "GET", get, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	emu_test_fails(ws, "DELETE", get, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	assert_int_equal(mgmt_count(ws, MGMT "tokens"), 1);
	free(value);
	free(id);
	free(get);
	made_dispose(&own);
}

static void test_emu_tokens__on_behalf_of_errors(void **state)
{
	struct emu_workspace *ws = *state;

	emu_test_fails(ws, "POST", MGMT "on-behalf-of/tokens", "{}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE",
		       "Missing required field: application_id", NULL);
	emu_test_fails(ws, "POST", MGMT "on-behalf-of/tokens",
		       "{\"application_id\": \"someone\"}", EMU_TEST_TOKEN,
		       404, "RESOURCE_DOES_NOT_EXIST", NULL, "someone");
	emu_test_fails(ws, "GET", MGMT "tokens?created_by_id=x", NULL,
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "created_by_id");
	assert_int_equal(mgmt_count(ws, MGMT "tokens"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, tokens_setup, \
						emu_test_teardown)
		T(test_emu_tokens__create_list_delete),
		T(test_emu_tokens__limits),
		T(test_emu_tokens__accepted_until_deleted),
		T(test_emu_tokens__expiry),
		T(test_emu_tokens__hosted_workspaces),
		T(test_emu_tokens__state),
		T(test_emu_tokens__reset_revokes),
		T(test_emu_tokens__on_behalf_of),
		T(test_emu_tokens__on_behalf_of_errors),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
