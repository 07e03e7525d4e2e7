/*
 * Unit tests for the emulated Secrets API 2.0 (emulator/secrets.c), driven
 * through the router with constructed requests (no network): every
 * endpoint's success path, the quirks clients rely on (400 for a duplicate
 * scope, case-insensitive scope names, {} for empty lists, base64 values),
 * name, value and permission validation, the documented limits, the 404
 * bodies for missing scopes, secrets and ACLs, and --state persistence.
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
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

/* The bearer token of call() and call_ok() (emu_test.h). */
#define EMU_TEST_TOKEN "dapi-secrets-test"
#include "emu_test.h"

/* --- helpers -------------------------------------------------------------- */

/* Expects 200 with body "{}". */
static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, "{}");
}

static void fails(struct emu_workspace *ws, const char *method,
		  const char *target, const char *body, int status,
		  const char *code, const char *message)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       message, NULL);
}

static void create_scope(struct emu_workspace *ws, const char *name)
{
	char *body = emu_printf("{\"scope\":\"%s\"}", name);

	ok(ws, "POST", "/api/2.0/secrets/scopes/create", body);
	free(body);
}

static void put_string(struct emu_workspace *ws, const char *scope,
		       const char *key, const char *value)
{
	cJSON *obj = cJSON_CreateObject();
	char *body;

	cJSON_AddStringToObject(obj, "scope", scope);
	cJSON_AddStringToObject(obj, "key", key);
	cJSON_AddStringToObject(obj, "string_value", value);
	body = cJSON_PrintUnformatted(obj);
	ok(ws, "POST", "/api/2.0/secrets/put", body);
	cJSON_free(body);
	cJSON_Delete(obj);
}

static struct emu_workspace *workspace(void)
{
	return emu_workspace_new(NULL);
}

/* --- scopes --------------------------------------------------------------- */

static void test_emu_secrets__scopes_lifecycle(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *scopes;

	/* No scopes: the array is omitted, as on the real service. */
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list?", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);

	create_scope(ws, "zeta");
	create_scope(ws, "Alpha.team@corp/app-1_x");
	ok(ws, "POST", "/api/2.0/secrets/scopes/create",
	   "{\"scope\":\"mid\",\"scope_backend_type\":\"DATABRICKS\"}");

	/* Insertion order, not sorted. */
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	scopes = cJSON_GetObjectItem(r.json, "scopes");
	assert_int_equal(cJSON_GetArraySize(scopes), 3);
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(scopes, 0), "name"),
			    "zeta");
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(scopes, 1), "name"),
			    "Alpha.team@corp/app-1_x");
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(scopes, 2), "backend_type"),
		"DATABRICKS");
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(scopes, 0),
					"keyvault_metadata"));
	emu_test_result_dispose(&r);

	/* Names are case-insensitive for lookups and keep their spelling. */
	ok(ws, "POST", "/api/2.0/secrets/scopes/delete",
	   "{\"scope\":\"ALPHA.TEAM@CORP/APP-1_X\"}");
	fails(ws, "POST", "/api/2.0/secrets/scopes/delete",
	      "{\"scope\":\"alpha.team@corp/app-1_x\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST",
	      "Scope alpha.team@corp/app-1_x does not exist!");
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "scopes")), 2);
	emu_test_result_dispose(&r);
}

static void test_emu_secrets__duplicate_scope_is_400(void **state)
{
	struct emu_workspace *ws = *state;

	create_scope(ws, "dup");
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"dup\"}", 400, "RESOURCE_ALREADY_EXISTS",
	      "Scope dup already exists!");
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"DuP\"}", 400, "RESOURCE_ALREADY_EXISTS",
	      "Scope DuP already exists!");
}

static void test_emu_secrets__scope_names(void **state)
{
	static const char *const bad[] = {
		"{\"scope\":\"\"}",	      "{\"scope\":\"has space\"}",
		"{\"scope\":\"semi;colon\"}", "{\"scope\":\"caf\xc3\xa9\"}",
		"{\"scope\":\"tab\\t\"}",     "{\"scope\":\"quote\\\"\"}",
	};
	struct emu_workspace *ws = *state;
	char name[200], *body;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++)
		fails(ws, "POST", "/api/2.0/secrets/scopes/create", bad[i], 400,
		      "INVALID_PARAMETER_VALUE", NULL);

	memset(name, 'n', 128);
	name[128] = '\0';
	create_scope(ws, name);
	name[128] = 'n';
	name[129] = '\0';
	body = emu_printf("{\"scope\":\"%s\"}", name);
	fails(ws, "POST", "/api/2.0/secrets/scopes/create", body, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	free(body);
}

static void test_emu_secrets__create_options(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *items;

	/* Without initial_manage_principal the caller gets MANAGE. */
	create_scope(ws, "mine");
	r = call(ws, "GET", "/api/2.0/secrets/acls/list?scope=mine", NULL);
	items = cJSON_GetObjectItem(r.json, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 0), "principal"),
		"admin@example.com");
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 0), "permission"),
		"MANAGE");
	emu_test_result_dispose(&r);

	/* With "users", only the group gets it. */
	ok(ws, "POST", "/api/2.0/secrets/scopes/create",
	   "{\"scope\":\"shared\",\"initial_manage_principal\":\"users\"}");
	r = call(ws, "GET", "/api/2.0/secrets/acls/list?scope=shared", NULL);
	items = cJSON_GetObjectItem(r.json, "items");
	assert_int_equal(cJSON_GetArraySize(items), 1);
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 0), "principal"),
		"users");
	emu_test_result_dispose(&r);

	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"x\",\"initial_manage_principal\":\"admins\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"x\",\"initial_manage_principal\":7}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid value for field 'initial_manage_principal': expected a "
	      "string, got a number.");
	/* The emulated workspace is on AWS. */
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"kv\",\"scope_backend_type\":\"AZURE_KEYVAULT\","
	      "\"backend_azure_keyvault\":{\"resource_id\":\"r\","
	      "\"dns_name\":\"https://v.vault.azure.net/\"}}",
	      400, "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"kv\",\"scope_backend_type\":\"HASHICORP\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"kv\",\"backend_azure_keyvault\":\"x\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	/* Unknown fields are ignored. */
	ok(ws, "POST", "/api/2.0/secrets/scopes/create",
	   "{\"scope\":\"extra\",\"something_new\":{\"a\":1}}");
}

static void test_emu_secrets__scope_limit(void **state)
{
	struct emu_workspace *ws = *state;
	char name[32];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		create_scope(ws, name);
	}
	fails(ws, "POST", "/api/2.0/secrets/scopes/create",
	      "{\"scope\":\"one-too-many\"}", 400, "RESOURCE_LIMIT_EXCEEDED",
	      NULL);
	ok(ws, "POST", "/api/2.0/secrets/scopes/delete", "{\"scope\":\"s0\"}");
	create_scope(ws, "fits-again");
}

/* --- missing scopes ------------------------------------------------------- */

static void test_emu_secrets__missing_scope_404(void **state)
{
	static const struct {
		const char *method;
		const char *target;
		const char *body;
	} rows[] = {
		{"POST", "/api/2.0/secrets/scopes/delete",
		 "{\"scope\":\"ghost\"}"},
		{"POST", "/api/2.0/secrets/put",
		 "{\"scope\":\"ghost\",\"key\":\"k\",\"string_value\":\"v\"}"},
		{"GET", "/api/2.0/secrets/list?scope=ghost", NULL},
		{"POST", "/api/2.0/secrets/delete",
		 "{\"scope\":\"ghost\",\"key\":\"k\"}"},
		{"GET", "/api/2.0/secrets/get?scope=ghost&key=k", NULL},
		{"POST", "/api/2.0/secrets/acls/put",
		 "{\"scope\":\"ghost\",\"principal\":\"p\","
		 "\"permission\":\"READ\"}"},
		{"GET", "/api/2.0/secrets/acls/get?scope=ghost&principal=p",
		 NULL},
		{"GET", "/api/2.0/secrets/acls/list?scope=ghost", NULL},
		{"POST", "/api/2.0/secrets/acls/delete",
		 "{\"scope\":\"ghost\",\"principal\":\"p\"}"},
	};
	struct emu_workspace *ws = *state;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(rows); i++)
		fails(ws, rows[i].method, rows[i].target, rows[i].body, 404,
		      "RESOURCE_DOES_NOT_EXIST", "Scope ghost does not exist!");
}

static void test_emu_secrets__missing_fields(void **state)
{
	struct emu_workspace *ws = *state;

	create_scope(ws, "s");
	fails(ws, "GET", "/api/2.0/secrets/list?", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: scope");
	fails(ws, "GET", "/api/2.0/secrets/get?scope=s", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: key");
	fails(ws, "POST", "/api/2.0/secrets/put", "{\"scope\":\"s\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: key");
	fails(ws, "POST", "/api/2.0/secrets/acls/put",
	      "{\"scope\":\"s\",\"principal\":\"p\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: permission");
	/* A GET reads the query, not a body. */
	fails(ws, "GET", "/api/2.0/secrets/list", "{\"scope\":\"s\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: scope");
}

/* --- secrets -------------------------------------------------------------- */

static void test_emu_secrets__put_list_get_delete(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *secrets, *first;
	int64_t ts;

	create_scope(ws, "app");
	r = call(ws, "GET", "/api/2.0/secrets/list?scope=app", NULL);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);

	put_string(ws, "app", "db.password", "s3cr\xc3\xa9t");
	ok(ws, "POST", "/api/2.0/secrets/put",
	   "{\"scope\":\"APP\",\"key\":\"raw_bytes-1\","
	   "\"bytes_value\":\"AAEC/w==\"}");

	r = call(ws, "GET", "/api/2.0/secrets/list?scope=app", NULL);
	secrets = cJSON_GetObjectItem(r.json, "secrets");
	assert_int_equal(cJSON_GetArraySize(secrets), 2);
	first = cJSON_GetArrayItem(secrets, 0);
	assert_string_equal(emu_test_str(first, "key"), "db.password");
	ts = emu_test_int(first, "last_updated_timestamp");
	/* Epoch milliseconds, as an exact integer. */
	assert_true(ts > 1600000000000LL && ts < 4000000000000LL);
	assert_null(strstr(r.text, "e+"));
	/* Lists never carry values. */
	assert_null(cJSON_GetObjectItem(first, "value"));
	assert_null(strstr(r.text, "s3cr"));
	emu_test_result_dispose(&r);

	/* get returns base64 of the stored bytes either way. */
	r = call(ws, "GET", "/api/2.0/secrets/get?scope=app&key=db.password",
		 NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(emu_test_str(r.json, "key"), "db.password");
	assert_string_equal(emu_test_str(r.json, "value"), "czNjcsOpdA==");
	emu_test_result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/get?scope=app&key=raw_bytes-1",
		 NULL);
	assert_string_equal(emu_test_str(r.json, "value"), "AAEC/w==");
	emu_test_result_dispose(&r);

	ok(ws, "POST", "/api/2.0/secrets/delete",
	   "{\"scope\":\"app\",\"key\":\"db.password\"}");
	fails(ws, "POST", "/api/2.0/secrets/delete",
	      "{\"scope\":\"app\",\"key\":\"db.password\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST",
	      "Secret does not exist with scope: app and key: db.password");
	fails(ws, "GET", "/api/2.0/secrets/get?scope=app&key=db.password", NULL,
	      404, "RESOURCE_DOES_NOT_EXIST", NULL);
	r = call(ws, "GET", "/api/2.0/secrets/list?scope=app", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "secrets")), 1);
	emu_test_result_dispose(&r);
}

static void test_emu_secrets__overwrite(void **state)
{
	struct emu_workspace *ws = *state;
	struct timespec pause = {0, 5 * 1000 * 1000};
	struct emu_test_result r;
	const cJSON *secrets;
	int64_t before, after;

	create_scope(ws, "app");
	put_string(ws, "app", "a", "one");
	put_string(ws, "app", "b", "two");
	r = call(ws, "GET", "/api/2.0/secrets/list?scope=app", NULL);
	before = emu_test_int(
		cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "secrets"), 0),
		"last_updated_timestamp");
	emu_test_result_dispose(&r);

	nanosleep(&pause, NULL);
	put_string(ws, "app", "a", "uno");
	r = call(ws, "GET", "/api/2.0/secrets/list?scope=app", NULL);
	secrets = cJSON_GetObjectItem(r.json, "secrets");
	/* Same place in the list, newer timestamp. */
	assert_int_equal(cJSON_GetArraySize(secrets), 2);
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(secrets, 0), "key"),
			    "a");
	after = emu_test_int(cJSON_GetArrayItem(secrets, 0),
			     "last_updated_timestamp");
	assert_true(after > before);
	emu_test_result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/get?scope=app&key=a", NULL);
	assert_string_equal(emu_test_str(r.json, "value"), "dW5v");
	emu_test_result_dispose(&r);
}

static void test_emu_secrets__put_validation(void **state)
{
	static const char *const bad[] = {
		/* neither value */
		"{\"scope\":\"app\",\"key\":\"k\"}",
		/* both values (one body over two lines) */
		("{\"scope\":\"app\",\"key\":\"k\",\"string_value\":\"a\","
		 "\"bytes_value\":\"YQ==\"}"),
		/* not base64 */
		"{\"scope\":\"app\",\"key\":\"k\",\"bytes_value\":\"@@@@\"}",
		"{\"scope\":\"app\",\"key\":\"k\",\"bytes_value\":\"Y\"}",
		/* bad keys */
		"{\"scope\":\"app\",\"key\":\"\",\"string_value\":\"a\"}",
		"{\"scope\":\"app\",\"key\":\"a/b\",\"string_value\":\"a\"}",
		"{\"scope\":\"app\",\"key\":\"a@b\",\"string_value\":\"a\"}",
		"{\"scope\":\"app\",\"key\":\"sp ace\",\"string_value\":\"a\"}",
		/* wrong types */
		"{\"scope\":\"app\",\"key\":\"k\",\"string_value\":1}",
		"{\"scope\":\"app\",\"key\":\"k\",\"bytes_value\":[1]}",
	};
	struct emu_workspace *ws = *state;
	size_t i;

	create_scope(ws, "app");
	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++)
		fails(ws, "POST", "/api/2.0/secrets/put", bad[i], 400,
		      "INVALID_PARAMETER_VALUE", NULL);
	/* An explicit empty string is a value. */
	ok(ws, "POST", "/api/2.0/secrets/put",
	   "{\"scope\":\"app\",\"key\":\"empty\",\"string_value\":\"\"}");
	/* null means absent, so the other value is the only one. */
	ok(ws, "POST", "/api/2.0/secrets/put",
	   "{\"scope\":\"app\",\"key\":\"n\",\"string_value\":null,"
	   "\"bytes_value\":\"YQ==\"}");
}

static void test_emu_secrets__value_size_limit(void **state)
{
	struct emu_workspace *ws = *state;
	size_t max = 128 * 1024;
	char *value = emu_xmalloc(max + 2);
	cJSON *obj;
	char *body;

	create_scope(ws, "big");
	memset(value, 'v', max);
	value[max] = '\0';
	put_string(ws, "big", "exactly-128k", value);

	value[max] = 'v';
	value[max + 1] = '\0';
	obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "scope", "big");
	cJSON_AddStringToObject(obj, "key", "too-big");
	cJSON_AddStringToObject(obj, "string_value", value);
	body = cJSON_PrintUnformatted(obj);
	fails(ws, "POST", "/api/2.0/secrets/put", body, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	cJSON_free(body);
	cJSON_Delete(obj);
	free(value);
}

static void test_emu_secrets__secret_count_limit(void **state)
{
	struct emu_workspace *ws = *state;
	char key[32];
	int i;

	create_scope(ws, "many");
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		put_string(ws, "many", key, "v");
	}
	fails(ws, "POST", "/api/2.0/secrets/put",
	      "{\"scope\":\"many\",\"key\":\"k1000\",\"string_value\":\"v\"}",
	      400, "RESOURCE_LIMIT_EXCEEDED", NULL);
	/* Overwriting an existing key is still allowed at the limit. */
	put_string(ws, "many", "k999", "w");
}

/* --- ACLs ----------------------------------------------------------------- */

static void test_emu_secrets__acls(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *items;

	create_scope(ws, "team");
	ok(ws, "POST", "/api/2.0/secrets/acls/put",
	   "{\"scope\":\"team\",\"principal\":\"data-scientists\","
	   "\"permission\":\"READ\"}");
	ok(ws, "POST", "/api/2.0/secrets/acls/put",
	   "{\"scope\":\"TEAM\",\"principal\":\"ops@example.com\","
	   "\"permission\":\"WRITE\"}");

	r = call(ws, "GET",
		 "/api/2.0/secrets/acls/"
		 "get?scope=team&principal=data-scientists",
		 NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(emu_test_str(r.json, "principal"),
			    "data-scientists");
	assert_string_equal(emu_test_str(r.json, "permission"), "READ");
	emu_test_result_dispose(&r);
	/* Query values are percent-decoded. */
	r = call(ws, "GET",
		 "/api/2.0/secrets/acls/"
		 "get?scope=team&principal=ops%40example.com",
		 NULL);
	assert_string_equal(emu_test_str(r.json, "permission"), "WRITE");
	emu_test_result_dispose(&r);

	/* Overwrite keeps the position. */
	ok(ws, "POST", "/api/2.0/secrets/acls/put",
	   "{\"scope\":\"team\",\"principal\":\"data-scientists\","
	   "\"permission\":\"MANAGE\"}");
	r = call(ws, "GET", "/api/2.0/secrets/acls/list?scope=team", NULL);
	items = cJSON_GetObjectItem(r.json, "items");
	assert_int_equal(cJSON_GetArraySize(items), 3);
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 0), "principal"),
		"admin@example.com");
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 1), "principal"),
		"data-scientists");
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 1), "permission"),
		"MANAGE");
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(items, 2), "principal"),
		"ops@example.com");
	assert_null(cJSON_GetObjectItem(r.json, "acls"));
	emu_test_result_dispose(&r);

	ok(ws, "POST", "/api/2.0/secrets/acls/delete",
	   "{\"scope\":\"team\",\"principal\":\"data-scientists\"}");
	fails(ws, "GET",
	      "/api/2.0/secrets/acls/get?scope=team&principal=data-scientists",
	      NULL, 404, "RESOURCE_DOES_NOT_EXIST",
	      "ACL for principal data-scientists on scope team does not "
	      "exist!");
	fails(ws, "POST", "/api/2.0/secrets/acls/delete",
	      "{\"scope\":\"team\",\"principal\":\"data-scientists\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);

	/* With every ACL gone, the list omits its array. */
	ok(ws, "POST", "/api/2.0/secrets/acls/delete",
	   "{\"scope\":\"team\",\"principal\":\"ops@example.com\"}");
	ok(ws, "POST", "/api/2.0/secrets/acls/delete",
	   "{\"scope\":\"team\",\"principal\":\"admin@example.com\"}");
	r = call(ws, "GET", "/api/2.0/secrets/acls/list?scope=team", NULL);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);
}

static void test_emu_secrets__acl_permissions(void **state)
{
	static const char *const bad[] = {"read", "OWNER", "", "CAN_MANAGE",
					  "MANAGE "};
	struct emu_workspace *ws = *state;
	char *body;
	size_t i;

	create_scope(ws, "team");
	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++) {
		body = emu_printf("{\"scope\":\"team\",\"principal\":\"p\","
				  "\"permission\":\"%s\"}",
				  bad[i]);
		fails(ws, "POST", "/api/2.0/secrets/acls/put", body, 400,
		      "INVALID_PARAMETER_VALUE", NULL);
		free(body);
	}
	fails(ws, "POST", "/api/2.0/secrets/acls/put",
	      "{\"scope\":\"team\",\"principal\":\"p\",\"permission\":1}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.0/secrets/acls/put",
	      "{\"scope\":\"team\",\"principal\":\"\",\"permission\":\"READ\"}",
	      400, "INVALID_PARAMETER_VALUE", NULL);
	ok(ws, "POST", "/api/2.0/secrets/acls/put",
	   "{\"scope\":\"team\",\"principal\":\"p\",\"permission\":\"WRITE\"}");
}

static void test_emu_secrets__scope_delete_cascades(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	create_scope(ws, "temp");
	put_string(ws, "temp", "k", "v");
	ok(ws, "POST", "/api/2.0/secrets/acls/put",
	   "{\"scope\":\"temp\",\"principal\":\"p\",\"permission\":\"READ\"}");
	ok(ws, "POST", "/api/2.0/secrets/scopes/delete",
	   "{\"scope\":\"Temp\"}");

	/* Recreated: no secrets, only the creator's ACL. */
	create_scope(ws, "temp");
	r = call(ws, "GET", "/api/2.0/secrets/list?scope=temp", NULL);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);
	r = call(ws, "GET", "/api/2.0/secrets/acls/list?scope=temp", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "items")), 1);
	emu_test_result_dispose(&r);
}

/* --- persistence ---------------------------------------------------------- */

static void test_emu_secrets__state_roundtrip(void **state)
{
	char path[] = "/tmp/test_emu_secrets_XXXXXX";
	struct emu_workspace *ws = workspace();
	struct emu_test_result r;
	struct emu_workspace *back;
	char err[256];

	(void)state;
	emu_test_temp_file(path);

	create_scope(ws, "persisted");
	put_string(ws, "persisted", "k", "value");
	ok(ws, "POST", "/api/2.0/secrets/acls/put",
	   "{\"scope\":\"persisted\",\"principal\":\"p\","
	   "\"permission\":\"READ\"}");
	back = workspace();
	emu_test_save_load(ws, back, path);
	emu_workspace_free(ws);
	ws = back;
	r = call(ws, "GET", "/api/2.0/secrets/get?scope=PERSISTED&key=k", NULL);
	assert_string_equal(emu_test_str(r.json, "value"), "dmFsdWU=");
	emu_test_result_dispose(&r);
	r = call(ws, "GET",
		 "/api/2.0/secrets/acls/get?scope=persisted&"
		 "principal=p",
		 NULL);
	assert_string_equal(emu_test_str(r.json, "permission"), "READ");
	emu_test_result_dispose(&r);
	emu_workspace_free(ws);

	/* A corrupt file is refused and leaves the workspace empty. */
	ws = workspace();
	assert_int_equal(
		emu_test_load_text(
			ws, path,
			"{\"format\":\"brickform-emulator-state\",\"version\":"
			"1,"
			"\"modules\":{\"secrets\":{\"scopes\":[{\"name\":"
			"\"bad name\"}]}}}",
			err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "secrets"));
	r = call(ws, "GET", "/api/2.0/secrets/scopes/list", NULL);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);
	emu_workspace_free(ws);

	unlink(path);
	/* A missing file is not an error. */
	ws = workspace();
	assert_int_equal(emu_workspace_load_file(ws, path, err, sizeof(err)),
			 1);
	emu_workspace_free(ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__scopes_lifecycle, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__duplicate_scope_is_400,
			emu_test_setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_secrets__scope_names,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__create_options, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_secrets__scope_limit,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__missing_scope_404, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__missing_fields, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__put_list_get_delete, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_secrets__overwrite,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__put_validation, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__value_size_limit, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__secret_count_limit, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_secrets__acls,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__acl_permissions, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_secrets__scope_delete_cascades, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test(test_emu_secrets__state_roundtrip),
	};

	emu_util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
