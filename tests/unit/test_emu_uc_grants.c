/*
 * Unit tests for the emulated Unity Catalog grants (emulator/uc_grants.c),
 * driven through the router with constructed requests (no network):
 * the permissions API: privileges validated per securable type,
 * normalisation, case-insensitive principals, paging and cascade on
 * delete. The fixtures are in emu_test.h (EMU_TEST_UC).
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

/* The bearer token of call() and call_ok() (emu_test.h). */
#define EMU_TEST_TOKEN "dapi-uc-test"
#define EMU_TEST_UC
#include "emu_test.h"

/* --- permissions ---------------------------------------------------------- */

static void test_emu_uc_grants__basics(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "GET", UC "/permissions/catalog/main", NULL);
	assert_string_equal(r.text, "{\"privilege_assignments\":[]}");
	emu_test_result_dispose(&r);

	/* Normalised privileges; the response is the full list. */
	r = call_ok(ws, "PATCH", UC "/permissions/catalog/main",
		    "{\"changes\":[{\"principal\":\"Data Engineers\","
		    "\"add\":[\"use catalog\",\"Select\",\"USE_SCHEMA\"]}]}");
	assert_int_equal(array_size(r.json, "privilege_assignments"), 1);
	emu_test_result_dispose(&r);
	expect_grants(ws, UC "/permissions/catalog/main", "Data Engineers",
		      "SELECT,USE_CATALOG,USE_SCHEMA");

	/* Principals match case-insensitively, keeping the first spelling. */
	patch_grants(ws, UC "/permissions/CATALOG/MAIN",
		     "{\"changes\":[{\"principal\":\"data engineers\","
		     "\"add\":[\"MODIFY\"],\"remove\":[\"SELECT\"]}]}");
	r = call_ok(ws, "GET", UC "/permissions/catalog/main", NULL);
	assert_int_equal(array_size(r.json, "privilege_assignments"), 1);
	emu_test_result_dispose(&r);
	expect_grants(ws, UC "/permissions/catalog/main", "Data Engineers",
		      "MODIFY,USE_CATALOG,USE_SCHEMA");

	/* Principal filter, case-insensitive. */
	patch_grants(ws, UC "/permissions/catalog/main",
		     "{\"changes\":[{\"principal\":\"bob@example.com\","
		     "\"add\":[\"BROWSE\"]}]}");
	r = call_ok(ws, "GET",
		    UC "/permissions/catalog/main?principal=BOB@example.com",
		    NULL);
	assert_int_equal(array_size(r.json, "privilege_assignments"), 1);
	emu_test_result_dispose(&r);
	expect_grants(ws,
		      UC "/permissions/catalog/main?principal=bob@example.com",
		      "bob@example.com", "BROWSE");

	/* Removing the last privilege removes the principal. */
	patch_grants(ws, UC "/permissions/catalog/main",
		     "{\"changes\":[{\"principal\":\"bob@example.com\","
		     "\"remove\":[\"BROWSE\",\"SELECT\"]}]}");
	r = call_ok(ws, "GET", UC "/permissions/catalog/main", NULL);
	assert_int_equal(array_size(r.json, "privilege_assignments"), 1);
	assert_null(strstr(r.text, "bob"));
	emu_test_result_dispose(&r);

	/* omit_permissions_in_response, and the write is visible at once. */
	r = call_ok(
		ws, "PATCH", UC "/permissions/catalog/main",
		"{\"omit_permissions_in_response\":true,\"changes\":"
		"[{\"principal\":\"carol\",\"add\":[\"ALL PRIVILEGES\"]}]}");
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);
	expect_grants(ws, UC "/permissions/catalog/main", "carol",
		      "ALL_PRIVILEGES");
}

static void test_emu_uc_grants__validation(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	fails(ws, "PATCH", UC "/permissions/catalog/main",
	      "{\"changes\":[{\"principal\":\"p\",\"add\":[\"SELECT\"],"
	      "\"remove\":[\"select\"]}]}",
	      400, "INVALID_PARAMETER_VALUE",
	      "Duplicate privileges to add and delete for principal p.");
	invalid(ws, "PATCH", UC "/permissions/catalog/main",
		"{\"changes\":[{\"principal\":\"p\",\"add\":"
		"[\"CREATE_CATALOG\"]}]}",
		"Privilege CREATE_CATALOG is not applicable to this entity "
		"[catalog:main]");
	invalid(ws, "PATCH", UC "/permissions/catalog/main",
		"{\"changes\":[{\"principal\":\"p\",\"add\":[\"FLY\"]}]}",
		"unknown privilege 'FLY'");
	invalid(ws, "PATCH", UC "/permissions/schema/main.default",
		"{\"changes\":[{\"principal\":\"p\",\"add\":"
		"[\"USE_CATALOG\"]}]}",
		"not applicable");
	invalid(ws, "PATCH", UC "/permissions/catalog/main",
		"{\"changes\":[{\"principal\":\"p\",\"add\":\"SELECT\"}]}",
		"changes.add");
	fails(ws, "PATCH", UC "/permissions/catalog/main",
	      "{\"changes\":[{\"add\":[\"SELECT\"]}]}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Missing required field: changes.principal");

	/* A bad change anywhere applies nothing. */
	invalid(ws, "PATCH", UC "/permissions/catalog/main",
		"{\"changes\":[{\"principal\":\"a\",\"add\":[\"SELECT\"]},"
		"{\"principal\":\"b\",\"add\":[\"NOPE\"]}]}",
		"NOPE");
	r = call_ok(ws, "GET", UC "/permissions/catalog/main", NULL);
	assert_string_equal(r.text, "{\"privilege_assignments\":[]}");
	emu_test_result_dispose(&r);

	/* Securable types and existence. */
	fails(ws, "GET", UC "/permissions/catalog/nope", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", "Catalog 'nope' does not exist.");
	fails(ws, "GET", UC "/permissions/schema/main.nope", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST", "Schema 'main.nope' does not exist.");
	fails(ws, "GET", UC "/permissions/table/main.default.t", NULL, 404,
	      "TABLE_DOES_NOT_EXIST", "Table 'main.default.t' does not exist.");
	fails(ws, "PATCH", UC "/permissions/volume/main.default.v",
	      "{\"changes\":[]}", 404, "VOLUME_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", UC "/permissions/external_location/nope", NULL, 404,
	      "EXTERNAL_LOCATION_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", UC "/permissions/storage_credential/nope", NULL, 404,
	      "STORAGE_CREDENTIAL_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", UC "/permissions/metastore/nope", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NULL);
	invalid(ws, "GET", UC "/permissions/spaceship/x", NULL,
		"Invalid securable type 'spaceship'");
}

static void test_emu_uc_grants__other_securables(void **state)
{
	struct emu_workspace *ws = *state;

	patch_grants(ws,
		     UC "/permissions/metastore/"
			"6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5",
		     "{\"changes\":[{\"principal\":\"admins\",\"add\":"
		     "[\"CREATE_CATALOG\",\"create external location\"]}]}");
	expect_grants(ws,
		      UC "/permissions/METASTORE/"
			 "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5",
		      "admins", "CREATE_CATALOG,CREATE_EXTERNAL_LOCATION");
	invalid(ws, "PATCH",
		UC
		"/permissions/metastore/6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5",
		"{\"changes\":[{\"principal\":\"p\",\"add\":"
		"[\"ALL_PRIVILEGES\"]}]}",
		"not applicable");

	create_credential(ws, "cred");
	create_location(ws, "loc", "s3://bucket/x", "cred");
	patch_grants(ws, UC "/permissions/storage_credential/CRED",
		     "{\"changes\":[{\"principal\":\"p\",\"add\":"
		     "[\"CREATE_EXTERNAL_LOCATION\",\"READ_FILES\"]}]}");
	expect_grants(ws, UC "/permissions/storage_credential/cred", "p",
		      "CREATE_EXTERNAL_LOCATION,READ_FILES");
	patch_grants(ws, UC "/permissions/external_location/loc",
		     "{\"changes\":[{\"principal\":\"p\",\"add\":"
		     "[\"READ_FILES\",\"CREATE_EXTERNAL_TABLE\","
		     "\"CREATE_MANAGED_STORAGE\"]}]}");
	expect_grants(
		ws, UC "/permissions/external_location/loc", "p",
		"CREATE_EXTERNAL_TABLE,CREATE_MANAGED_STORAGE,READ_FILES");
	invalid(ws, "PATCH", UC "/permissions/external_location/loc",
		"{\"changes\":[{\"principal\":\"p\",\"add\":[\"SELECT\"]}]}",
		"not applicable");
	invalid(ws, "PATCH", UC "/permissions/storage_credential/cred",
		"{\"changes\":[{\"principal\":\"p\",\"add\":"
		"[\"CREATE_MANAGED_STORAGE\"]}]}",
		"not applicable");

	/* Deleting a securable drops its grants. */
	ok(ws, "DELETE", UC "/external-locations/loc", NULL);
	create_location(ws, "loc", "s3://bucket/x", "cred");
	{
		struct emu_test_result r =
			call_ok(ws, "GET",
				UC "/permissions/external_location/loc", NULL);

		assert_string_equal(r.text, "{\"privilege_assignments\":[]}");
		emu_test_result_dispose(&r);
	}
}

static void test_emu_uc_grants__paging(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	int i, pages;

	for (i = 0; i < 120; i++) {
		char *body = emu_printf("{\"changes\":[{\"principal\":"
					"\"user%03d\",\"add\":[\"BROWSE\"]}]}",
					i);

		ok(ws, "PATCH", UC "/permissions/catalog/main", body);
		free(body);
	}
	/* Unset: everything at once. */
	r = call_ok(ws, "GET", UC "/permissions/catalog/main", NULL);
	assert_int_equal(array_size(r.json, "privilege_assignments"), 120);
	assert_null(cJSON_GetObjectItem(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	/* 0: the server page size, 50. */
	assert_int_equal(count_pages(ws,
				     UC "/permissions/catalog/main?"
					"max_results=0",
				     "privilege_assignments", 50, &pages),
			 120);
	assert_int_equal(pages, 3);
	assert_int_equal(count_pages(ws,
				     UC "/permissions/catalog/main?"
					"max_results=150",
				     "privilege_assignments", 150, &pages),
			 120);
	assert_int_equal(pages, 1);
	invalid(ws, "GET", UC "/permissions/catalog/main?max_results=100", NULL,
		"max_results");
	invalid(ws, "GET", UC "/permissions/catalog/main?max_results=1", NULL,
		"max_results");
	invalid(ws, "GET",
		UC "/permissions/catalog/main?max_results=0&page_token=zz!",
		NULL, "page_token");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_emu_uc_grants__basics,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_grants__validation,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_uc_grants__other_securables, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_grants__paging,
						emu_test_setup,
						emu_test_teardown),
	};

	emu_util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
