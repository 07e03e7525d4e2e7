/*
 * Unit tests for the emulator's hosted workspaces (emulator/core/
 * workspace.c, the Host routing in router.c, and account_workspaces.c
 * hosting a workspace at create and unhosting it at delete).
 *
 * The core functions are tested directly (host, unhost, routing by Host
 * value with its case, port and trailing-dot forms, the URL a deployment
 * is served at); the rest goes through the router with a Host header, as
 * the HTTP server hands requests over: what each workspace keeps of its
 * own (module states, request log, id) and what they share (tokens,
 * faults, clock), the Account API seen from any host, --state with hosted
 * workspaces, and /_emulator/reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-hosting-test"
#include "emu_test.h"

#define ACCOUNT_ID "00000000-0000-4000-8000-000000000001"
#define ACCT	   "/api/2.0/accounts/" ACCOUNT_ID "/"
#define SCOPES	   "/api/2.0/secrets/scopes/"

/* --- helpers -------------------------------------------------------------- */

/* One request through the router with a Host header (NULL: none) and the
 * test token. */
static struct emu_test_result at(struct emu_workspace *ws, const char *host,
				 const char *method, const char *target,
				 const char *body)
{
	return emu_test_call_at(ws, host, method, target, body,
				EMU_TEST_TOKEN);
}

/* at(), expecting status; the reply is printed when it differs. */
static void at_expect(struct emu_workspace *ws, const char *host,
		      const char *method, const char *target, const char *body,
		      int status)
{
	struct emu_test_result r = at(ws, host, method, target, body);

	if (r.status != status)
		fprintf(stderr, "%s %s at %s -> %d %s\n", method, target,
			host ? host : "(no host)", r.status, r.text);
	assert_int_equal(r.status, status);
	emu_test_result_dispose(&r);
}

static void make_scope(struct emu_workspace *ws, const char *host,
		       const char *name)
{
	char *body = emu_printf("{\"scope\":\"%s\"}", name);

	at_expect(ws, host, "POST", SCOPES "create", body, 200);
	free(body);
}

/* Whether the scope list at host names the scope. */
static bool has_scope(struct emu_workspace *ws, const char *host,
		      const char *name)
{
	struct emu_test_result r = at(ws, host, "GET", SCOPES "list", NULL);
	const cJSON *s;
	bool found = false;

	assert_int_equal(r.status, 200);
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(r.json, "scopes"))
	{
		if (strcmp(emu_test_str(s, "name"), name) == 0)
			found = true;
	}
	emu_test_result_dispose(&r);
	return found;
}

/* How many requests the request log at host holds. */
static int logged(struct emu_workspace *ws, const char *host)
{
	struct emu_test_result r = at(ws, host, "GET", "/_emulator/requests",
				      NULL);
	int n;

	assert_int_equal(r.status, 200);
	n = cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "requests"));
	emu_test_result_dispose(&r);
	return n;
}

/* The workspace id the discovery document at host reports (malloc'd). */
static char *served_id(struct emu_workspace *ws, const char *host)
{
	struct emu_test_result r =
		at(ws, host, "GET", "/.well-known/databricks-config", NULL);
	char *id;

	assert_int_equal(r.status, 200);
	id = emu_xstrdup(emu_test_str(r.json, "workspace_id"));
	emu_test_result_dispose(&r);
	return id;
}

static void expect_served_id(struct emu_workspace *ws, const char *host,
			     const char *id)
{
	char *got = served_id(ws, host);

	assert_string_equal(got, id);
	free(got);
}

/* POSTs body to an Account API collection; returns idfield (malloc'd). */
static char *account_create(struct emu_workspace *ws, const char *what,
			    const char *body, const char *idfield)
{
	char *target = emu_printf(ACCT "%s", what);
	struct emu_test_result r = call_ok(ws, "POST", target, body);
	const cJSON *id = cJSON_GetObjectItem(r.json, idfield);
	char *out;

	assert_non_null(id);
	out = cJSON_IsString(id) ? emu_xstrdup(id->valuestring)
				 : emu_printf("%lld", (long long)emu_test_int(
							      r.json, idfield));
	emu_test_result_dispose(&r);
	free(target);
	return out;
}

/* An account workspace with deployment (NULL: the service picks one);
 * returns its workspace_id. */
static char *account_workspace(struct emu_workspace *ws, const char *name,
			       const char *deployment)
{
	char *cred = account_create(
		ws, "credentials",
		"{\"credentials_name\":\"c\",\"aws_credentials\":{"
		"\"sts_role\":{\"role_arn\":\"arn:aws:iam::123456789012:"
		"role/x\"}}}",
		"credentials_id");
	char *storage = account_create(
		ws, "storage-configurations",
		"{\"storage_configuration_name\":\"s\","
		"\"root_bucket_info\":{\"bucket_name\":\"root\"}}",
		"storage_configuration_id");
	char *dep = deployment ? emu_printf(",\"deployment_name\":\"%s\"",
					    deployment)
			       : emu_xstrdup("");
	char *body = emu_printf("{\"workspace_name\":\"%s\","
				"\"aws_region\":\"us-west-2\","
				"\"credentials_id\":\"%s\","
				"\"storage_configuration_id\":\"%s\"%s}",
				name, cred, storage, dep);
	char *id = account_create(ws, "workspaces", body, "workspace_id");

	free(body);
	free(dep);
	free(storage);
	free(cred);
	return id;
}

/* --- the core: host, unhost, routing -------------------------------------- */

static void test_emu_hosting__host_and_find(void **state)
{
	struct emu_workspace *root = *state, *h;

	assert_ptr_equal(emu_workspace_root(root), root);
	assert_string_equal(emu_workspace_id(root), EMU_WORKSPACE_ID);
	assert_null(emu_workspace_deployment(root));

	h = emu_workspace_host(root, "analytics", "1234567890123456");
	assert_non_null(h);
	assert_ptr_not_equal(h, root);
	assert_ptr_equal(emu_workspace_root(h), root);
	assert_string_equal(emu_workspace_id(h), "1234567890123456");
	assert_string_equal(emu_workspace_deployment(h), "analytics");
	assert_string_equal(emu_workspace_user_name(h),
			    emu_workspace_user_name(root));
	/* Host names are case-insensitive, and so are deployments. */
	assert_ptr_equal(emu_workspace_hosted(root, "analytics"), h);
	assert_ptr_equal(emu_workspace_hosted(root, "ANALYTICS"), h);
	assert_ptr_equal(emu_workspace_hosted(h, "analytics"), h);
	assert_null(emu_workspace_hosted(root, "other"));
	assert_null(emu_workspace_hosted(root, NULL));
	/* Hosting never replaces a workspace. */
	assert_null(emu_workspace_host(root, "Analytics", "1"));
	assert_ptr_equal(emu_workspace_hosted(root, "analytics"), h);

	emu_workspace_unhost(root, "ANALYTICS");
	assert_null(emu_workspace_hosted(root, "analytics"));
	/* Unhosting what is not hosted changes nothing. */
	emu_workspace_unhost(root, "analytics");
	emu_workspace_unhost(root, NULL);
}

static void test_emu_hosting__for_host(void **state)
{
	static const struct {
		const char *host;
		int want; /* 0: root, 1: analytics, 2: other */
		bool unknown;
	} rows[] = {
		{NULL, 0, false},
		{"127.0.0.1:8080", 0, false},
		{"127.0.0.1", 0, false},
		{"[::1]:8080", 0, false},
		{"localhost", 0, false},
		{"localhost:8080", 0, false},
		{"LOCALHOST.", 0, false},
		{"example.com", 0, false},
		{"notlocalhost:1", 0, false},
		{"analytics.example.com", 0, false},
		{".localhost", 0, false},
		/* The account console's name for the root. */
		{"accounts.localhost", 0, false},
		{"accounts.localhost:8080", 0, false},
		{"Accounts.LocalHost:8080", 0, false},
		/* A hosted deployment, with or without port, in any case, with
		 * the root's trailing dot. */
		{"analytics.localhost", 1, false},
		{"analytics.localhost:8080", 1, false},
		{"ANALYTICS.LOCALHOST:8080", 1, false},
		{"analytics.localhost.", 1, false},
		{"analytics.localhost.:8080", 1, false},
		{"other.localhost:1", 2, false},
		/* A name under .localhost that no deployment has. */
		{"missing.localhost:8080", 0, true},
		{"a.analytics.localhost", 0, true},
		{"analytic.localhost", 0, true},
	};
	struct emu_workspace *root = *state, *want[3];
	size_t i;

	want[0] = root;
	want[1] = emu_workspace_host(root, "analytics", "11");
	want[2] = emu_workspace_host(root, "other", "22");
	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++) {
		bool unknown = !rows[i].unknown;
		/* Any workspace stands for its root. */
		struct emu_workspace *got = emu_workspace_for_host(
			i % 2 ? want[1] : root, rows[i].host, &unknown);

		if (got != want[rows[i].want] || unknown != rows[i].unknown)
			fail_msg("row %zu (%s): workspace %s, unknown %d", i,
				 rows[i].host ? rows[i].host : "NULL",
				 emu_workspace_id(got), unknown);
	}
}

static void test_emu_hosting__host_url(void **state)
{
	static const struct {
		const char *base, *url;
	} rows[] = {
		{"http://127.0.0.1:40513", "http://dep-1.localhost:40513"},
		{"http://127.0.0.1", "http://dep-1.localhost"},
		{"http://localhost:8080", "http://dep-1.localhost:8080"},
		{"http://[::1]:8080", "http://dep-1.localhost:8080"},
		{"http://[::1]", "http://dep-1.localhost"},
		{"127.0.0.1:9", "http://dep-1.localhost:9"},
	};
	struct emu_workspace *root = *state, *h;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++) {
		char *url;

		emu_workspace_set_base_url(root, rows[i].base);
		url = emu_workspace_host_url(root, "dep-1");
		if (strcmp(url, rows[i].url) != 0)
			fail_msg("%s: %s", rows[i].base, url);
		free(url);
	}
	/* A hosted workspace's own base URL is the one it is served at. */
	emu_workspace_set_base_url(root, "http://127.0.0.1:40513");
	h = emu_workspace_host(root, "dep-1", "7");
	assert_string_equal(emu_workspace_base_url(h),
			    "http://dep-1.localhost:40513");
}

/* --- through the router --------------------------------------------------- */

static void test_emu_hosting__unknown_host(void **state)
{
	struct emu_workspace *root = *state;
	struct emu_test_result r;

	r = at(root, "missing.localhost:8080", "GET", SCOPES "list", NULL);
	assert_int_equal(r.status, 404);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "ENDPOINT_NOT_FOUND");
	assert_string_equal(emu_test_str(r.json, "message"),
			    "No workspace is served at this host.");
	emu_test_result_dispose(&r);

	/* Before authentication: no token, and still the same answer, so
	 * nothing of the root's leaks under another name. */
	r = emu_test_call_at(root, "missing.localhost", "GET", SCOPES "list",
			     NULL, NULL);
	assert_int_equal(r.status, 404);
	emu_test_result_dispose(&r);

	/* The root still answers at its own names. */
	at_expect(root, "127.0.0.1:8080", "GET", SCOPES "list", NULL, 200);
	at_expect(root, "accounts.localhost:8080", "GET", SCOPES "list", NULL,
		  200);
}

static void test_emu_hosting__state_is_isolated(void **state)
{
	struct emu_workspace *root = *state;

	emu_workspace_set_base_url(root, "http://127.0.0.1:8080");
	emu_workspace_host(root, "alpha", "1001");
	emu_workspace_host(root, "beta", "1002");
	/* Discard what the set-up logged. */
	emu_test_ok(root, "DELETE", "/_emulator/requests", NULL, NULL, NULL);

	make_scope(root, "alpha.localhost:8080", "in-alpha");
	make_scope(root, "127.0.0.1:8080", "in-root");
	/* The same name in two workspaces is two scopes. */
	make_scope(root, "beta.localhost:8080", "in-root");

	assert_true(has_scope(root, "alpha.localhost:8080", "in-alpha"));
	assert_false(has_scope(root, "alpha.localhost:8080", "in-root"));
	assert_false(has_scope(root, "beta.localhost:8080", "in-alpha"));
	assert_true(has_scope(root, "beta.localhost:8080", "in-root"));
	assert_true(has_scope(root, "127.0.0.1:8080", "in-root"));
	assert_false(has_scope(root, "127.0.0.1:8080", "in-alpha"));
	assert_false(has_scope(root, "accounts.localhost:8080", "in-alpha"));

	/* Deleting one workspace's scope leaves the other's. */
	at_expect(root, "beta.localhost:8080", "POST", SCOPES "delete",
		  "{\"scope\":\"in-root\"}", 200);
	assert_true(has_scope(root, NULL, "in-root"));

	/* Each workspace has its own id and request log. */
	expect_served_id(root, "alpha.localhost:8080", "1001");
	expect_served_id(root, "beta.localhost:8080", "1002");
	expect_served_id(root, NULL, EMU_WORKSPACE_ID);
	/* alpha: create, 2 lists, id (the controls are not logged); beta:
	 * create, 2 lists, delete, id. */
	assert_int_equal(logged(root, "alpha.localhost:8080"), 4);
	assert_int_equal(logged(root, "beta.localhost:8080"), 5);
}

static void test_emu_hosting__shared_parts(void **state)
{
	const char *tokens[] = {EMU_TEST_TOKEN};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};
	struct emu_workspace *root = emu_workspace_new(&opts), *h;
	struct emu_test_result r;
	int64_t before;

	(void)state;
	h = emu_workspace_host(root, "alpha", "1001");

	/* One token table: the root's --token works at every host, an
	 * unknown token nowhere. */
	at_expect(root, "alpha.localhost", "GET", SCOPES "list", NULL, 200);
	r = emu_test_call_at(root, "alpha.localhost", "GET", SCOPES "list",
			     NULL, "dapi-unknown");
	assert_int_equal(r.status, 403);
	emu_test_result_dispose(&r);
	assert_ptr_equal(emu_workspace_auth(h), emu_workspace_auth(root));

	/* One fault table: a rule set at the root fails the hosted
	 * workspace's requests. */
	assert_ptr_equal(emu_workspace_faults(h), emu_workspace_faults(root));
	emu_test_ok(root, "POST", "/_emulator/faults",
		    "{\"spec\":\"503=1\",\"seed\":1}", NULL, NULL);
	at_expect(root, "alpha.localhost", "GET", SCOPES "list", NULL, 503);
	emu_test_ok(root, "DELETE", "/_emulator/faults", NULL, NULL, NULL);

	/* One clock. */
	before = emu_workspace_now_ms(h);
	emu_workspace_advance_clock(root, 3600 * 1000);
	assert_true(emu_workspace_now_ms(h) >= before + 3600 * 1000);

	/* Its own request log. */
	assert_ptr_not_equal(emu_workspace_reqlog(h),
			     emu_workspace_reqlog(root));
	emu_workspace_free(root);
}

/* --- the Account API hosts and unhosts ------------------------------------ */

static void test_emu_hosting__account_workspaces(void **state)
{
	struct emu_workspace *root = *state, *h;
	char *id, *picked, *target, *dep;
	struct emu_test_result r;

	emu_workspace_set_base_url(root, "http://127.0.0.1:8080");
	id = account_workspace(root, "analytics", "analytics-e2e");
	/* Served from its creation, while it is still provisioning. */
	h = emu_workspace_hosted(root, "analytics-e2e");
	assert_non_null(h);
	assert_string_equal(emu_workspace_id(h), id);
	expect_served_id(root, "analytics-e2e.localhost:8080", id);
	make_scope(root, "analytics-e2e.localhost:8080", "in-new");
	assert_false(has_scope(root, NULL, "in-new"));

	/* The account is the root's whatever host is asked. */
	target = emu_printf(ACCT "workspaces/%s", id);
	at_expect(root, "analytics-e2e.localhost:8080", "GET", target, NULL,
		  200);
	at_expect(root, "accounts.localhost:8080", "GET", target, NULL, 200);

	/* A deployment name the service picks is hosted too. */
	picked = account_workspace(root, "second", NULL);
	r = call_ok(root, "GET", ACCT "workspaces", NULL);
	assert_non_null(emu_test_str(cJSON_GetArrayItem(r.json, 1),
				     "deployment_name"));
	dep = emu_xstrdup(emu_test_str(cJSON_GetArrayItem(r.json, 1),
				       "deployment_name"));
	emu_test_result_dispose(&r);
	assert_string_equal(emu_workspace_id(emu_workspace_hosted(root, dep)),
			    picked);

	/* Delete: the workspace, and all in it, is no longer served. */
	emu_test_ok(root, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	assert_null(emu_workspace_hosted(root, "analytics-e2e"));
	at_expect(root, "analytics-e2e.localhost:8080", "GET", SCOPES "list",
		  NULL, 404);
	/* A failed delete (already gone) unhosts nothing else. */
	emu_test_fails(root, "DELETE", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	assert_non_null(emu_workspace_hosted(root, dep));
	free(dep);
	free(target);
	free(picked);
	free(id);
}

/* --- --state and reset ---------------------------------------------------- */

static void test_emu_hosting__state_round_trip(void **state)
{
	struct emu_workspace *root = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL), *h;
	char path[] = "/tmp/emu-hosting-XXXXXX";

	emu_workspace_host(root, "alpha", "1001");
	make_scope(root, "alpha.localhost", "in-alpha");
	make_scope(root, NULL, "in-root");
	emu_test_temp_file(path);
	emu_test_save_load(root, fresh, path);
	unlink(path);

	h = emu_workspace_hosted(fresh, "alpha");
	assert_non_null(h);
	assert_string_equal(emu_workspace_id(h), "1001");
	assert_true(has_scope(fresh, "alpha.localhost", "in-alpha"));
	assert_false(has_scope(fresh, "alpha.localhost", "in-root"));
	assert_true(has_scope(fresh, NULL, "in-root"));
	assert_false(has_scope(fresh, NULL, "in-alpha"));
	emu_workspace_free(fresh);
}

static void test_emu_hosting__state_bad_hosted(void **state)
{
	static const char *const bad[] = {
		"{\"format\":\"brickform-emulator-state\",\"version\":1,"
		"\"modules\":{},\"hosted\":{}}",
		"{\"format\":\"brickform-emulator-state\",\"version\":1,"
		"\"modules\":{},\"hosted\":[{\"deployment\":\"a\","
		"\"modules\":{}}]}",
		"{\"format\":\"brickform-emulator-state\",\"version\":1,"
		"\"modules\":{},\"hosted\":[{\"deployment\":\"a\","
		"\"workspace_id\":\"1\",\"modules\":{}},{\"deployment\":\"A\","
		"\"workspace_id\":\"2\",\"modules\":{}}]}",
		"{\"format\":\"brickform-emulator-state\",\"version\":1,"
		"\"modules\":{},\"hosted\":[{\"deployment\":\"a\","
		"\"workspace_id\":\"1\",\"modules\":{\"tokens\":{}}}]}",
	};
	char path[] = "/tmp/emu-hosting-XXXXXX";
	char err[256];
	size_t i;

	(void)state;
	emu_test_temp_file(path);
	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++) {
		struct emu_workspace *ws = emu_workspace_new(NULL);

		if (emu_test_load_text(ws, path, bad[i], err, sizeof(err)) !=
		    -1)
			fail_msg("file %zu loaded", i);
		assert_non_null(strstr(err, path));
		/* Nothing half-loaded stays hosted. */
		assert_null(emu_workspace_hosted(ws, "a"));
		emu_workspace_free(ws);
	}
	/* A file written before workspaces were hosted has no "hosted". */
	{
		struct emu_workspace *ws = emu_workspace_new(NULL);

		assert_int_equal(
			emu_test_load_text(ws, path,
					   "{\"format\":\"brickform-emulator-"
					   "state\",\"version\":1,\"modules\":"
					   "{}}",
					   err, sizeof(err)),
			0);
		emu_workspace_free(ws);
	}
	unlink(path);
}

static void test_emu_hosting__reset_unhosts(void **state)
{
	struct emu_workspace *root = *state;

	emu_workspace_host(root, "alpha", "1001");
	emu_workspace_host(root, "beta", "1002");
	emu_test_ok(root, "POST", "/_emulator/reset", NULL, NULL, NULL);
	assert_null(emu_workspace_hosted(root, "alpha"));
	assert_null(emu_workspace_hosted(root, "beta"));
	at_expect(root, "alpha.localhost", "GET", SCOPES "list", NULL, 404);

	/* A workspace can be hosted again under the same name. */
	assert_non_null(emu_workspace_host(root, "alpha", "1003"));
	expect_served_id(root, "alpha.localhost", "1003");
}

static void test_emu_hosting__reset_at_hosted_host(void **state)
{
	struct emu_workspace *root = *state;

	emu_workspace_host(root, "alpha", "1001");
	make_scope(root, "alpha.localhost", "in-alpha");
	make_scope(root, NULL, "in-root");
	/* A reset sent to a hosted workspace's host empties that workspace
	 * only: the root's state, the other workspaces and the shared token
	 * table stay. */
	at_expect(root, "alpha.localhost", "POST", "/_emulator/reset", NULL,
		  200);
	assert_non_null(emu_workspace_hosted(root, "alpha"));
	assert_false(has_scope(root, "alpha.localhost", "in-alpha"));
	assert_true(has_scope(root, NULL, "in-root"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, emu_test_setup, \
						emu_test_teardown)
		T(test_emu_hosting__host_and_find),
		T(test_emu_hosting__for_host),
		T(test_emu_hosting__host_url),
		T(test_emu_hosting__unknown_host),
		T(test_emu_hosting__state_is_isolated),
		T(test_emu_hosting__shared_parts),
		T(test_emu_hosting__account_workspaces),
		T(test_emu_hosting__state_round_trip),
		T(test_emu_hosting__state_bad_hosted),
		T(test_emu_hosting__reset_unhosts),
		T(test_emu_hosting__reset_at_hosted_host),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
