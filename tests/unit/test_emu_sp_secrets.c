/*
 * Unit tests for the emulator's service principal secrets
 * (emulator/identity/sp_secrets.c) and their use at the OAuth token
 * endpoint (oauth.c), plus the SCIM list's page-size test control
 * (scim.c): create with a lifetime, the list without values, delete, the
 * account API and the workspace proxy, errors for unknown principals,
 * secrets and accounts, expiry on the workspace clock, and short pages
 * that still count every record. Driven through the router, no network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-sp-secrets-test"
#include "emu_test.h"

#define APP	"0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b"
#define ACCOUNT "00000000-0000-4000-8000-000000000001"
#define SCIM	"/api/2.0/preview/scim/v2/"

/* --- helpers -------------------------------------------------------------- */

static int secrets_setup(void **state)
{
	const char *tokens[] = {EMU_TEST_TOKEN};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};

	*state = emu_workspace_new(&opts);
	return *state ? 0 : -1;
}

/* A new service principal's SCIM id (the caller frees it). */
static char *make_sp(struct emu_workspace *ws)
{
	struct emu_test_result r = emu_test_call(
		ws, "POST", SCIM "ServicePrincipals",
		"{\"applicationId\": \"" APP "\", \"displayName\": \"ci\"}",
		EMU_TEST_TOKEN);
	char *id;

	assert_int_equal(r.status, 201);
	id = emu_xstrdup(emu_test_str(r.json, "id"));
	emu_test_result_dispose(&r);
	return id;
}

/* The secrets path of sp, at the workspace proxy (account NULL) or the
 * account API (a new string). */
static char *secrets_path(const char *account, const char *sp)
{
	if (account)
		return emu_printf("/api/2.0/accounts/%s/servicePrincipals/%s/"
				  "credentials/secrets",
				  account, sp);
	return emu_printf("/api/2.0/accounts/servicePrincipals/%s/credentials/"
			  "secrets",
			  sp);
}

/* The token endpoint's status for APP with secret. */
static int token_status(struct emu_workspace *ws, const char *secret)
{
	char *form = emu_printf("grant_type=client_credentials&client_id=" APP
				"&client_secret=%s",
				secret);
	struct emu_test_result r =
		emu_test_call(ws, "POST", "/oidc/v1/token", form, NULL);
	int status = r.status;

	if (status == 200)
		assert_non_null(emu_test_str(r.json, "access_token"));
	emu_test_result_dispose(&r);
	free(form);
	return status;
}

/* --- tests ---------------------------------------------------------------- */

static void test_emu_sp_secrets__lifecycle(void **state)
{
	struct emu_workspace *ws = *state;
	char *sp = make_sp(ws), *path = secrets_path(NULL, sp), *one;
	char *secret, *id;
	struct emu_test_result r;
	const cJSON *list;

	r = call_ok(ws, "POST", path, "{\"lifetime\": \"3600s\"}");
	assert_string_equal(emu_test_str(r.json, "status"), "ACTIVE");
	assert_non_null(emu_test_str(r.json, "secret_hash"));
	assert_non_null(emu_test_str(r.json, "create_time"));
	assert_non_null(emu_test_str(r.json, "expire_time"));
	assert_int_equal(strncmp(emu_test_str(r.json, "secret"), "dose", 4), 0);
	secret = emu_xstrdup(emu_test_str(r.json, "secret"));
	id = emu_xstrdup(emu_test_str(r.json, "id"));
	emu_test_result_dispose(&r);

	/* Listed without its value. */
	r = call_ok(ws, "GET", path, NULL);
	list = cJSON_GetObjectItem(r.json, "secrets");
	assert_int_equal(cJSON_GetArraySize(list), 1);
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(list, 0), "id"),
			    id);
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "secret"));
	assert_null(strstr(r.text, secret));
	emu_test_result_dispose(&r);

	/* It is the principal's client secret; a wrong one is not. */
	assert_int_equal(token_status(ws, secret), 200);
	assert_int_equal(token_status(ws, "dose-wrong"), 401);

	one = emu_printf("%s/%s", path, id);
	emu_test_ok(ws, "DELETE", one, NULL, EMU_TEST_TOKEN, NULL);
	assert_int_equal(token_status(ws, secret), 401);
	emu_test_fails(ws, "DELETE", one, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	r = call_ok(ws, "GET", path, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "secrets")), 0);
	emu_test_result_dispose(&r);
	free(one);
	free(id);
	free(secret);
	free(path);
	free(sp);
}

static void test_emu_sp_secrets__account_api(void **state)
{
	struct emu_workspace *ws = *state;
	char *sp = make_sp(ws), *acc = secrets_path(ACCOUNT, sp);
	char *other = secrets_path("00000000-0000-4000-8000-000000000002", sp);
	char *proxy = secrets_path(NULL, sp);
	struct emu_test_result r;

	r = call_ok(ws, "POST", acc, NULL);
	emu_test_result_dispose(&r);
	/* One store: the proxy lists what the account API made. */
	r = call_ok(ws, "GET", proxy, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "secrets")), 1);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", other, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	free(other);
	free(acc);
	free(proxy);
	free(sp);
}

static void test_emu_sp_secrets__errors(void **state)
{
	struct emu_workspace *ws = *state;
	char *sp = make_sp(ws), *path = secrets_path(NULL, sp);
	char *none = secrets_path(NULL, "4999999999999999");

	emu_test_fails(ws, "POST", none, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST",
		       "Service principal with id 4999999999999999 does not "
		       "exist.",
		       NULL);
	emu_test_fails(ws, "POST", path, "{\"lifetime\": \"soon\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Invalid lifetime");
	emu_test_fails(ws, "POST", path, "{\"lifetime\": \"-5s\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Invalid lifetime");
	free(none);
	free(path);
	free(sp);
}

static void test_emu_sp_secrets__expiry(void **state)
{
	struct emu_workspace *ws = *state;
	char *sp = make_sp(ws), *path = secrets_path(NULL, sp), *secret;
	struct emu_test_result r;

	r = call_ok(ws, "POST", path, "{\"lifetime\": \"60\"}");
	secret = emu_xstrdup(emu_test_str(r.json, "secret"));
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, 59 * 1000);
	assert_int_equal(token_status(ws, secret), 200);
	emu_workspace_advance_clock(ws, 1000);
	assert_int_equal(token_status(ws, secret), 401);
	/* The service does not list expired secrets. */
	r = call_ok(ws, "GET", path, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "secrets")), 0);
	emu_test_result_dispose(&r);
	free(secret);
	free(path);
	free(sp);
}

static void test_emu_sp_secrets__deleted_principal(void **state)
{
	struct emu_workspace *ws = *state;
	char *sp = make_sp(ws), *path = secrets_path(NULL, sp), *secret;
	char *target = emu_printf(SCIM "ServicePrincipals/%s", sp);
	struct emu_test_result r;

	r = call_ok(ws, "POST", path, NULL);
	secret = emu_xstrdup(emu_test_str(r.json, "secret"));
	emu_test_result_dispose(&r);
	r = call(ws, "DELETE", target, NULL);
	assert_int_equal(r.status, 204);
	emu_test_result_dispose(&r);
	assert_int_equal(token_status(ws, secret), 401);
	free(target);
	free(secret);
	free(path);
	free(sp);
}

static void test_emu_sp_secrets__scim_page_size(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	int i;

	for (i = 0; i < 5; i++) {
		char *body =
			emu_printf("{\"userName\": \"p%d@example.com\"}", i);

		r = call(ws, "POST", SCIM "Users", body);
		assert_int_equal(r.status, 201);
		emu_test_result_dispose(&r);
		free(body);
	}
	r = emu_test_call_ok(ws, "POST", "/_emulator/scim/settings",
			     "{\"page_size\": 2}", NULL);
	emu_test_result_dispose(&r);
	/* 6 users (the built-in admin too), 2 a page, whatever the count. */
	r = call_ok(ws, "GET", SCIM "Users?startIndex=3&count=10000", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "Resources")),
		2);
	assert_int_equal(
		cJSON_GetObjectItem(r.json, "totalResults")->valuedouble, 6);
	assert_int_equal(
		cJSON_GetObjectItem(r.json, "itemsPerPage")->valuedouble, 2);
	emu_test_result_dispose(&r);
	r = emu_test_call(ws, "POST", "/_emulator/scim/settings",
			  "{\"page_size\": -1}", NULL);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
}

#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, secrets_setup, emu_test_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_emu_sp_secrets__lifecycle),
		T(test_emu_sp_secrets__account_api),
		T(test_emu_sp_secrets__errors),
		T(test_emu_sp_secrets__expiry),
		T(test_emu_sp_secrets__deleted_principal),
		T(test_emu_sp_secrets__scim_page_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
