/*
 * Unit tests for the emulated Unity Catalog metastores
 * (emulator/catalog/uc_metastores.c), driven through the router: the
 * workspace-level metastore endpoints and their errors, assignments
 * (a hosted workspace without a metastore, one per workspace, workspaces
 * that exist), the account-level wrapped endpoints and storage
 * credentials, delete with and without force, and --state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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

#define EMU_TEST_TOKEN "dapi-uc-metastore-test"
#define EMU_TEST_UC
#include "emu_test.h"

#define ACC	     "/api/2.0/accounts/" EMU_DEFAULT_ACCOUNT_ID
#define HOSTED_ID    "1000000000000001"
#define ROOT_WS	     "900800700600"
#define NO_METASTORE "No metastore assigned for the current workspace."

/* A metastore made at the workspace level; its id (caller frees). */
static char *make_metastore(struct emu_workspace *ws, const char *body)
{
	struct emu_test_result r = call_ok(ws, "POST", UC "/metastores", body);
	char *id = emu_xstrdup(emu_test_str(r.json, "metastore_id"));

	emu_test_result_dispose(&r);
	return id;
}

static void test_emu_uc_metastores__workspace_level(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *path, *expect;

	id = make_metastore(ws,
			    "{\"name\":\"Two\",\"storage_root\":"
			    "\"s3://bucket/ms/\",\"region\":\"us-east-1\"}");
	path = emu_printf(UC "/metastores/%s", id);
	r = call_ok(ws, "GET", path, NULL);
	expect = emu_printf("s3://bucket/ms/%s", id);
	assert_string_equal(emu_test_str(r.json, "storage_root"), expect);
	free(expect);
	expect = emu_printf("aws:us-east-1:%s", id);
	assert_string_equal(emu_test_str(r.json, "global_metastore_id"),
			    expect);
	free(expect);
	assert_string_equal(emu_test_str(r.json, "owner"), "admin@example.com");
	assert_string_equal(emu_test_str(r.json, "privilege_model_version"),
			    "1.0");
	assert_string_equal(emu_test_str(r.json, "delta_sharing_scope"),
			    "INTERNAL");
	emu_test_result_dispose(&r);

	/* Names are unique per region, without regard to case. */
	fails(ws, "POST", UC "/metastores",
	      "{\"name\":\"two\",\"region\":\"us-east-1\"}", 409,
	      "RESOURCE_ALREADY_EXISTS", NULL);
	ok(ws, "POST", UC "/metastores",
	   "{\"name\":\"two\",\"region\":\"eu-west-1\"}");
	fails(ws, "POST", UC "/metastores", "{}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: name");
	fails(ws, "GET", UC "/metastores/nope", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", "Metastore 'nope' does not exist.");

	ok(ws, "PATCH", path,
	   "{\"new_name\":\"three\",\"owner\":\"admins\","
	   "\"delta_sharing_scope\":\"INTERNAL_AND_EXTERNAL\","
	   "\"delta_sharing_recipient_token_lifetime_in_seconds\":3600}");
	r = call_ok(ws, "GET", path, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "three");
	assert_string_equal(emu_test_str(r.json, "owner"), "admins");
	assert_non_null(strstr(r.text, "\"delta_sharing_recipient_token_"
				       "lifetime_in_seconds\":3600"));
	emu_test_result_dispose(&r);
	fails(ws, "PATCH", path, "{\"delta_sharing_scope\":\"PUBLIC\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "PATCH", path, "{\"storage_root_credential_id\":\"x\"}", 404,
	      "STORAGE_CREDENTIAL_DOES_NOT_EXIST", NULL);

	r = call_ok(ws, "GET", UC "/metastores", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 r.json, "metastores")),
			 3);
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", path, NULL);
	fails(ws, "GET", path, NULL, 404, "METASTORE_DOES_NOT_EXIST", NULL);
	free(path);
	free(id);
}

static void test_emu_uc_metastores__assignments(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *hosted = emu_workspace_host(ws, "dep", HOSTED_ID);
	struct emu_test_result r;
	char *id, *body, *del;

	/* A workspace the account made has no metastore yet. */
	fails(hosted, "GET", UC "/catalogs", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NO_METASTORE);
	fails(hosted, "GET", UC "/metastore_summary", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NO_METASTORE);
	fails(hosted, "GET", UC "/current-metastore-assignment", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NO_METASTORE);

	id = make_metastore(ws, "{\"name\":\"m\"}");
	body = emu_printf("{\"metastore_id\":\"%s\"}", id);
	fails(ws, "PUT", UC "/workspaces/42/metastore", body, 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);
	/* The start-up workspace has the default metastore already. */
	emu_test_fails(ws, "PUT", UC "/workspaces/" ROOT_WS "/metastore", body,
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "already assigned");
	ok(ws, "PUT", UC "/workspaces/" HOSTED_ID "/metastore", body);
	ok(ws, "PUT", UC "/workspaces/" HOSTED_ID "/metastore", body);

	r = call_ok(hosted, "GET", UC "/current-metastore-assignment", NULL);
	assert_string_equal(emu_test_str(r.json, "metastore_id"), id);
	assert_non_null(strstr(r.text, "\"workspace_id\":" HOSTED_ID));
	emu_test_result_dispose(&r);
	r = call_ok(hosted, "POST", UC "/catalogs", "{\"name\":\"c\"}");
	assert_string_equal(emu_test_str(r.json, "metastore_id"), id);
	emu_test_result_dispose(&r);
	/* The catalog is the hosted workspace's, not the start-up one's. */
	fails(ws, "GET", UC "/catalogs/c", NULL, 404, "CATALOG_DOES_NOT_EXIST",
	      NULL);

	ok(ws, "PATCH", UC "/workspaces/" HOSTED_ID "/metastore",
	   "{\"default_catalog_name\":\"c\"}");
	r = call_ok(hosted, "GET", UC "/current-metastore-assignment", NULL);
	assert_string_equal(emu_test_str(r.json, "default_catalog_name"), "c");
	emu_test_result_dispose(&r);

	/* An assigned metastore goes only with force, which unassigns it. */
	del = emu_printf(UC "/metastores/%s", id);
	emu_test_fails(ws, "DELETE", del, NULL, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "force=true");
	free(del);
	del = emu_printf(UC "/metastores/%s?force=true", id);
	ok(ws, "DELETE", del, NULL);
	fails(hosted, "GET", UC "/catalogs", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NO_METASTORE);
	free(del);

	/* Unassigning names the metastore. */
	del = emu_printf(UC "/workspaces/" ROOT_WS "/metastore?metastore_id=%s",
			 "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5");
	fails(ws, "DELETE",
	      UC "/workspaces/" ROOT_WS "/metastore?metastore_id=x", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NULL);
	ok(ws, "DELETE", del, NULL);
	fails(ws, "GET", UC "/catalogs", NULL, 404, "METASTORE_DOES_NOT_EXIST",
	      NO_METASTORE);
	free(del);
	free(body);
	free(id);
}

static void test_emu_uc_metastores__account_level(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *info;
	char *id, *path, *sub;

	emu_workspace_host(ws, "dep", HOSTED_ID);
	fails(ws, "POST", ACC "/metastores",
	      "{\"metastore_info\":{"
	      "\"name\":\"a\"}}",
	      400, "INVALID_PARAMETER_VALUE", "Missing required field: region");
	fails(ws, "POST", ACC "/metastores", "{\"name\":\"a\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Missing required field: metastore_info");
	fails(ws, "GET", "/api/2.0/accounts/other/metastores", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);
	r = call_ok(ws, "POST", ACC "/metastores",
		    "{\"metastore_info\":{\"name\":\"a\",\"region\":"
		    "\"us-east-1\",\"storage_root\":\"s3://bucket-b/m\"}}");
	info = cJSON_GetObjectItemCaseSensitive(r.json, "metastore_info");
	id = emu_xstrdup(emu_test_str(info, "metastore_id"));
	emu_test_result_dispose(&r);

	path = emu_printf(ACC "/metastores/%s/storage-credentials", id);
	r = call_ok(ws, "POST", path,
		    "{\"credential_info\":{\"name\":\"Root\",\"aws_iam_role\":"
		    "{\"role_arn\":\"arn:aws:iam::123456789012:role/r\"}}}");
	info = cJSON_GetObjectItemCaseSensitive(r.json, "credential_info");
	assert_string_equal(emu_test_str(info, "metastore_id"), id);
	sub = emu_printf("{\"metastore_info\":{\"storage_root_credential_id\":"
			 "\"%s\",\"owner\":\"admins\"}}",
			 emu_test_str(info, "id"));
	emu_test_result_dispose(&r);
	free(path);
	path = emu_printf(ACC "/metastores/%s", id);
	r = call_ok(ws, "PUT", path, sub);
	info = cJSON_GetObjectItemCaseSensitive(r.json, "metastore_info");
	assert_string_equal(emu_test_str(info, "storage_root_credential_name"),
			    "root");
	assert_string_equal(emu_test_str(info, "owner"), "admins");
	emu_test_result_dispose(&r);
	free(sub);
	free(path);
	path = emu_printf(ACC "/metastores/%s/storage-credentials/root", id);
	r = call_ok(ws, "GET", path, NULL);
	assert_non_null(
		cJSON_GetObjectItemCaseSensitive(r.json, "credential_info"));
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", path, NULL);
	fails(ws, "GET", path, NULL, 404, "STORAGE_CREDENTIAL_DOES_NOT_EXIST",
	      NULL);
	free(path);

	path = emu_printf(ACC "/workspaces/" HOSTED_ID "/metastores/%s", id);
	ok(ws, "POST", path,
	   "{\"metastore_assignment\":{\"default_catalog_name\":\"x\"}}");
	r = call_ok(ws, "GET", ACC "/workspaces/" HOSTED_ID "/metastore", NULL);
	info = cJSON_GetObjectItemCaseSensitive(r.json, "metastore_assignment");
	assert_string_equal(emu_test_str(info, "metastore_id"), id);
	assert_string_equal(emu_test_str(info, "default_catalog_name"), "x");
	emu_test_result_dispose(&r);
	sub = emu_printf(ACC "/metastores/%s/workspaces", id);
	r = call_ok(ws, "GET", sub, NULL);
	assert_non_null(strstr(r.text, "\"workspace_ids\":[" HOSTED_ID "]"));
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", path, NULL);
	fails(ws, "GET", ACC "/workspaces/" HOSTED_ID "/metastore", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NULL);
	free(sub);
	free(path);
	free(id);
}

static void test_emu_uc_metastores__state_roundtrip(void **state)
{
	char path[] = "/tmp/test_emu_uc_metastores_XXXXXX";
	struct emu_workspace *ws = emu_workspace_new(NULL), *back;
	struct emu_test_result r;
	char *id, *body;

	(void)state;
	emu_test_temp_file(path);
	emu_workspace_host(ws, "dep", HOSTED_ID);
	id = make_metastore(ws, "{\"name\":\"kept\"}");
	body = emu_printf("{\"metastore_id\":\"%s\"}", id);
	ok(ws, "PUT", UC "/workspaces/" HOSTED_ID "/metastore", body);
	back = emu_workspace_new(NULL);
	emu_test_save_load(ws, back, path);
	emu_workspace_free(ws);
	ws = back;
	r = call_ok(emu_workspace_hosted(ws, "dep"), "GET",
		    UC "/metastore_summary", NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "kept");
	emu_test_result_dispose(&r);
	/* The start-up workspace keeps its default metastore. */
	r = call_ok(ws, "GET", UC "/metastore_summary", NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "emulator-metastore");
	emu_test_result_dispose(&r);
	emu_workspace_free(ws);
	unlink(path);
	free(body);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_emu_uc_metastores__workspace_level, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_uc_metastores__assignments, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_uc_metastores__account_level, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test(test_emu_uc_metastores__state_roundtrip),
	};

	emu_util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
