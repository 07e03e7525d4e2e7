/*
 * Unit tests for the emulated Unity Catalog API (emulator/uc*.c), driven
 * through the router with constructed requests (no network): the
 * metastore and its defaults, catalogs and schemas (names, duplicates,
 * missing objects, non-empty deletes and force, renames, storage_root),
 * storage credentials and external locations (role ARNs, URLs, overlap,
 * dependants), list paging, bad input, /_emulator/reset and --state
 * persistence. Permissions are in test_emu_uc_grants.c; the fixtures both
 * use are in emu_test.h.
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

#define ME "admin@example.com"

/* --- metastore ------------------------------------------------------------ */

static void test_emu_uc__metastore(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const char *id;

	r = call_ok(ws, "GET", UC "/current-metastore-assignment?", NULL);
	id = emu_test_str(r.json, "metastore_id");
	assert_non_null(id);
	assert_int_equal(strlen(id), 36);
	/* workspace_id is a JSON integer, not a string. */
	assert_non_null(strstr(r.text, "\"workspace_id\":900800700600"));
	assert_string_equal(emu_test_str(r.json, "default_catalog_name"),
			    "main");
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", UC "/metastore_summary", NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "emulator-metastore");
	assert_string_equal(emu_test_str(r.json, "region"), "us-west-2");
	assert_string_equal(emu_test_str(r.json, "storage_root"),
			    "s3://emulator-metastore/root");
	assert_string_equal(emu_test_str(r.json, "owner"), ME);
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET",
		    UC "/metastores/6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5",
		    NULL);
	assert_string_equal(emu_test_str(r.json, "metastore_id"),
			    "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5");
	emu_test_result_dispose(&r);
	fails(ws, "GET", UC "/metastores/nope", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", "Metastore 'nope' does not exist.");
}

static void test_emu_uc__defaults_and_reset(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "GET", UC "/catalogs?max_results=0", NULL);
	assert_int_equal(array_size(r.json, "catalogs"), 2);
	assert_string_equal(item_name(r.json, "catalogs", 0), "main");
	assert_string_equal(item_name(r.json, "catalogs", 1), "system");
	assert_null(cJSON_GetObjectItem(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	expect_field(ws, UC "/catalogs/system", "catalog_type",
		     "SYSTEM_CATALOG");
	expect_field(ws, UC "/catalogs/main", "catalog_type",
		     "MANAGED_CATALOG");
	expect_field(ws, UC "/schemas/main.default", "full_name",
		     "main.default");
	expect_field(ws, UC "/schemas/main.information_schema", "owner",
		     "System user");

	/* The system catalog and information schemas are not the caller's. */
	fails(ws, "DELETE", UC "/catalogs/system", NULL, 403,
	      "PERMISSION_DENIED", NULL);
	fails(ws, "PATCH", UC "/catalogs/system", "{\"comment\":\"x\"}", 403,
	      "PERMISSION_DENIED", NULL);
	fails(ws, "POST", UC "/schemas",
	      "{\"name\":\"s\",\"catalog_name\":\"system\"}", 403,
	      "PERMISSION_DENIED", NULL);
	fails(ws, "DELETE", UC "/schemas/main.information_schema", NULL, 403,
	      "PERMISSION_DENIED", NULL);
	fails(ws, "PATCH", UC "/schemas/main.information_schema",
	      "{\"comment\":\"x\"}", 403, "PERMISSION_DENIED", NULL);

	/* Reset brings back exactly the defaults. */
	create_catalog(ws, "extra");
	ok(ws, "DELETE", UC "/catalogs/main?force=true", NULL);
	ok(ws, "POST", "/_emulator/reset", NULL);
	r = call_ok(ws, "GET", UC "/catalogs", NULL);
	assert_int_equal(array_size(r.json, "catalogs"), 2);
	assert_string_equal(item_name(r.json, "catalogs", 0), "main");
	emu_test_result_dispose(&r);
	expect_field(ws, UC "/schemas/main.default", "catalog_name", "main");
}

/* --- catalogs ------------------------------------------------------------- */

static void test_emu_uc__catalog_lifecycle(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "POST", UC "/catalogs",
		    "{\"name\":\"Sales\",\"comment\":\"c\","
		    "\"properties\":{\"a\":\"1\"}}");
	/* Stored lower-case, as Unity Catalog stores identifiers. */
	assert_string_equal(emu_test_str(r.json, "name"), "sales");
	assert_string_equal(emu_test_str(r.json, "full_name"), "sales");
	assert_string_equal(emu_test_str(r.json, "owner"), ME);
	assert_string_equal(emu_test_str(r.json, "created_by"), ME);
	assert_string_equal(emu_test_str(r.json, "securable_type"), "CATALOG");
	assert_string_equal(emu_test_str(r.json, "catalog_type"),
			    "MANAGED_CATALOG");
	assert_string_equal(emu_test_str(r.json, "isolation_mode"), "OPEN");
	assert_non_null(emu_test_str(r.json, "metastore_id"));
	assert_non_null(strstr(r.text, "\"created_at\":"));
	assert_non_null(strstr(r.text, "\"updated_at\":"));
	assert_null(cJSON_GetObjectItem(r.json, "storage_location"));
	emu_test_result_dispose(&r);

	/* Both schemas exist at once. */
	r = call_ok(ws, "GET", UC "/schemas?catalog_name=sales&max_results=0",
		    NULL);
	assert_int_equal(array_size(r.json, "schemas"), 2);
	assert_string_equal(item_name(r.json, "schemas", 0), "default");
	assert_string_equal(item_name(r.json, "schemas", 1),
			    "information_schema");
	emu_test_result_dispose(&r);

	fails(ws, "POST", UC "/catalogs", "{\"name\":\"SALES\"}", 409,
	      "CATALOG_ALREADY_EXISTS", "Catalog 'sales' already exists");
	expect_field(ws, UC "/catalogs/SaLeS", "comment", "c");
	fails(ws, "GET", UC "/catalogs/nope", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", "Catalog 'nope' does not exist.");
	fails(ws, "POST", UC "/catalogs", "{}", 400, "INVALID_PARAMETER_VALUE",
	      "Missing required field: name");

	/* PATCH: comment, owner, properties replaced, isolation mode. */
	r = call_ok(ws, "PATCH", UC "/catalogs/sales",
		    "{\"comment\":\"new\",\"owner\":\"data-team\","
		    "\"properties\":{\"b\":\"2\"},\"isolation_mode\":"
		    "\"ISOLATED\"}");
	assert_string_equal(emu_test_str(r.json, "comment"), "new");
	assert_string_equal(emu_test_str(r.json, "owner"), "data-team");
	assert_string_equal(emu_test_str(r.json, "isolation_mode"), "ISOLATED");
	assert_null(cJSON_GetObjectItem(
		cJSON_GetObjectItem(r.json, "properties"), "a"));
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json, "properties"), "b"),
		"2");
	emu_test_result_dispose(&r);
	invalid(ws, "PATCH", UC "/catalogs/sales",
		"{\"isolation_mode\":\"CLOSED\"}", "isolation_mode");
	fails(ws, "PATCH", UC "/catalogs/nope", "{\"comment\":\"x\"}", 404,
	      "CATALOG_DOES_NOT_EXIST", NULL);

	/* Renaming takes the schemas (and their grants) along. */
	patch_grants(
		ws, UC "/permissions/schema/sales.default",
		"{\"changes\":[{\"principal\":\"u\",\"add\":[\"SELECT\"]}]}");
	fails(ws, "PATCH", UC "/catalogs/sales", "{\"new_name\":\"main\"}", 409,
	      "CATALOG_ALREADY_EXISTS", "Catalog 'main' already exists");
	invalid(ws, "PATCH", UC "/catalogs/sales", "{\"new_name\":\"a.b\"}",
		"is not a valid name");
	r = call_ok(ws, "PATCH", UC "/catalogs/sales",
		    "{\"new_name\":\"Revenue\"}");
	assert_string_equal(emu_test_str(r.json, "name"), "revenue");
	emu_test_result_dispose(&r);
	fails(ws, "GET", UC "/catalogs/sales", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", NULL);
	expect_field(ws, UC "/schemas/revenue.default", "full_name",
		     "revenue.default");
	expect_field(ws, UC "/schemas/revenue.default", "catalog_name",
		     "revenue");
	expect_grants(ws, UC "/permissions/schema/revenue.default", "u",
		      "SELECT");

	/* default counts as content; information_schema does not. */
	fails(ws, "DELETE", UC "/catalogs/revenue", NULL, 400,
	      "CATALOG_NOT_EMPTY", NULL);
	ok(ws, "DELETE", UC "/schemas/revenue.default", NULL);
	ok(ws, "DELETE", UC "/catalogs/revenue", NULL);
	fails(ws, "DELETE", UC "/catalogs/revenue", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", NULL);
}

static void test_emu_uc__catalog_names(void **state)
{
	static const char *const bad[] = {"has space", "has.period",
					  "has/slash", "tab\\there", ""};
	struct emu_workspace *ws = *state;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++) {
		char *body = emu_printf("{\"name\":\"%s\"}", bad[i]);
		struct emu_test_result r =
			call(ws, "POST", UC "/catalogs", body);

		assert_int_equal(r.status, 400);
		assert_non_null(
			strstr(emu_test_str(r.json, "message"),
			       "Invalid input: RPC CreateCatalog Field "
			       "managedcatalog.CatalogInfo.name: name \""));
		assert_non_null(
			strstr(emu_test_str(r.json, "message"),
			       "\" is not a valid name. Valid names cannot "
			       "contain spaces, periods, forward slashes, or "
			       "control characters."));
		emu_test_result_dispose(&r);
		free(body);
	}
	fails(ws, "POST", UC "/catalogs", "{\"name\":\"a b\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid input: RPC CreateCatalog Field "
	      "managedcatalog.CatalogInfo.name: name \"a b\" is not a valid "
	      "name. Valid names cannot contain spaces, periods, forward "
	      "slashes, or control characters.");
	/* Dashes, underscores and non-ASCII letters are fine. */
	create_catalog(ws, "ok-name_1");
	create_catalog(ws, "caf\xc3\xa9");
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"x\",\"share_name\":\"s\"}",
		"both provider_name and share_name");
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"x\",\"share_name\":\"s\",\"provider_name\":\"p\","
		"\"connection_name\":\"c\"}",
		"not both");
}

/* Delta Sharing and foreign catalogs, options, predictive optimization. */
static void test_emu_uc__catalog_kinds(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *flag;

	r = call_ok(ws, "POST", UC "/catalogs",
		    "{\"name\":\"shared\",\"provider_name\":\"acme\","
		    "\"share_name\":\"sales\"}");
	assert_string_equal(emu_test_str(r.json, "catalog_type"),
			    "DELTASHARING_CATALOG");
	assert_string_equal(emu_test_str(r.json, "provider_name"), "acme");
	assert_string_equal(emu_test_str(r.json, "share_name"), "sales");
	flag = cJSON_GetObjectItem(r.json,
				   "effective_predictive_optimization_flag");
	assert_string_equal(emu_test_str(flag, "value"), "DISABLE");
	assert_string_equal(emu_test_str(flag, "inherited_from_type"),
			    "METASTORE");
	emu_test_result_dispose(&r);

	r = call_ok(ws, "POST", UC "/catalogs",
		    "{\"name\":\"pg\",\"connection_name\":\"postgres\","
		    "\"options\":{\"database\":\"orders\"}}");
	assert_string_equal(emu_test_str(r.json, "catalog_type"),
			    "FOREIGN_CATALOG");
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json, "options"),
			     "database"),
		"orders");
	emu_test_result_dispose(&r);
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"pg2\",\"connection_name\":\"c\","
		"\"storage_root\":\"s3://b/x\"}",
		"storage_root cannot be given");
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"pg2\",\"options\":{\"a\":1}}",
		"'options'");

	r = call_ok(ws, "PATCH", UC "/catalogs/pg",
		    "{\"enable_predictive_optimization\":\"ENABLE\","
		    "\"options\":{\"database\":\"billing\"}}");
	flag = cJSON_GetObjectItem(r.json,
				   "effective_predictive_optimization_flag");
	assert_string_equal(emu_test_str(flag, "value"), "ENABLE");
	assert_null(cJSON_GetObjectItem(flag, "inherited_from_type"));
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json, "options"),
			     "database"),
		"billing");
	emu_test_result_dispose(&r);

	/* A schema inherits its catalog's setting, then has its own. */
	r = call_ok(ws, "POST", UC "/schemas",
		    "{\"catalog_name\":\"pg\",\"name\":\"s\"}");
	flag = cJSON_GetObjectItem(r.json,
				   "effective_predictive_optimization_flag");
	assert_string_equal(emu_test_str(flag, "value"), "ENABLE");
	assert_string_equal(emu_test_str(flag, "inherited_from_type"),
			    "CATALOG");
	assert_string_equal(emu_test_str(flag, "inherited_from_name"), "pg");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "PATCH", UC "/catalogs/pg",
		    "{\"enable_predictive_optimization\":\"INHERIT\"}");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", UC "/schemas/pg.s", NULL);
	flag = cJSON_GetObjectItem(r.json,
				   "effective_predictive_optimization_flag");
	assert_string_equal(emu_test_str(flag, "value"), "DISABLE");
	assert_string_equal(emu_test_str(flag, "inherited_from_type"),
			    "METASTORE");
	emu_test_result_dispose(&r);
}

static void test_emu_uc__force_delete_cascades(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	create_catalog(ws, "temp");
	ok(ws, "POST", UC "/schemas",
	   "{\"name\":\"s1\",\"catalog_name\":\"temp\"}");
	patch_grants(ws, UC "/permissions/catalog/temp",
		     "{\"changes\":[{\"principal\":\"u\",\"add\":"
		     "[\"USE_CATALOG\"]}]}");
	patch_grants(ws, UC "/permissions/schema/temp.s1",
		     "{\"changes\":[{\"principal\":\"u\",\"add\":"
		     "[\"USE_SCHEMA\"]}]}");
	r = call(ws, "DELETE", UC "/catalogs/temp", NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "CATALOG_NOT_EMPTY");
	assert_non_null(strstr(emu_test_str(r.json, "message"), "'temp'"));
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", UC "/catalogs/temp?force=true", NULL);
	fails(ws, "GET", UC "/schemas/temp.s1", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", UC "/permissions/catalog/temp", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", "Catalog 'temp' does not exist.");

	/* A new catalog of the same name starts without the old grants. */
	create_catalog(ws, "temp");
	ok(ws, "POST", UC "/schemas",
	   "{\"name\":\"s1\",\"catalog_name\":\"temp\"}");
	r = call_ok(ws, "GET", UC "/permissions/catalog/temp", NULL);
	assert_string_equal(r.text, "{\"privilege_assignments\":[]}");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", UC "/permissions/schema/temp.s1", NULL);
	assert_string_equal(r.text, "{\"privilege_assignments\":[]}");
	emu_test_result_dispose(&r);
}

static void test_emu_uc__storage_root(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const char *loc;

	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"c\",\"storage_root\":\"s3://bucket/cat\"}",
		"is not covered by any external location");
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"c\",\"storage_root\":\"/tmp/x\"}",
		"Invalid storage_root");
	create_credential(ws, "cred");
	create_location(ws, "loc", "s3://bucket/data", "cred");
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"c\",\"storage_root\":\"s3://bucket/database\"}",
		"is not covered");
	r = call_ok(
		ws, "POST", UC "/catalogs",
		"{\"name\":\"c\",\"storage_root\":\"s3://bucket/data/c/\"}");
	assert_string_equal(emu_test_str(r.json, "storage_root"),
			    "s3://bucket/data/c/");
	loc = emu_test_str(r.json, "storage_location");
	assert_non_null(loc);
	assert_memory_equal(loc, "s3://bucket/data/c/__unitystorage/catalogs/",
			    strlen("s3://bucket/data/c/__unitystorage/"
				   "catalogs/"));
	assert_int_equal(strlen(loc),
			 strlen("s3://bucket/data/c/__unitystorage/catalogs/") +
				 36);
	emu_test_result_dispose(&r);

	r = call_ok(ws, "POST", UC "/schemas",
		    "{\"name\":\"s\",\"catalog_name\":\"c\",\"storage_root\":"
		    "\"s3://bucket/data/s\"}");
	assert_non_null(strstr(emu_test_str(r.json, "storage_location"),
			       "s3://bucket/data/s/__unitystorage/schemas/"));
	emu_test_result_dispose(&r);

	/* The location now holds managed storage: only force deletes it. */
	r = call(ws, "DELETE", UC "/external-locations/loc", NULL);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", UC "/external-locations/loc?force=true", NULL);
}

/* --- schemas -------------------------------------------------------------- */

static void test_emu_uc__schemas(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "POST", UC "/schemas",
		    "{\"name\":\"Raw\",\"catalog_name\":\"MAIN\","
		    "\"comment\":\"landing\",\"properties\":{\"k\":\"v\"}}");
	assert_string_equal(emu_test_str(r.json, "name"), "raw");
	assert_string_equal(emu_test_str(r.json, "catalog_name"), "main");
	assert_string_equal(emu_test_str(r.json, "full_name"), "main.raw");
	assert_string_equal(emu_test_str(r.json, "owner"), ME);
	assert_string_equal(emu_test_str(r.json, "catalog_type"),
			    "MANAGED_CATALOG");
	assert_int_equal(strlen(emu_test_str(r.json, "schema_id")), 36);
	emu_test_result_dispose(&r);

	fails(ws, "POST", UC "/schemas",
	      "{\"name\":\"raw\",\"catalog_name\":\"main\"}", 409,
	      "SCHEMA_ALREADY_EXISTS", "Schema 'main.raw' already exists");
	fails(ws, "POST", UC "/schemas",
	      "{\"name\":\"raw\",\"catalog_name\":\"nope\"}", 404,
	      "CATALOG_DOES_NOT_EXIST", "Catalog 'nope' does not exist.");
	invalid(ws, "POST", UC "/schemas",
		"{\"name\":\"a.b\",\"catalog_name\":\"main\"}",
		"RPC CreateSchema");
	fails(ws, "POST", UC "/schemas", "{\"name\":\"x\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Missing required field: catalog_name");

	fails(ws, "GET", UC "/schemas/main.myschema", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST",
	      "Schema 'main.myschema' does not exist.");
	fails(ws, "GET", UC "/schemas/nodot", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST", NULL);
	expect_field(ws, UC "/schemas/MAIN.RAW", "comment", "landing");
	fails(ws, "GET", UC "/schemas", NULL, 400, "INVALID_PARAMETER_VALUE",
	      "Missing required field: catalog_name");
	fails(ws, "GET", UC "/schemas?catalog_name=nope", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", NULL);

	r = call_ok(ws, "PATCH", UC "/schemas/main.raw",
		    "{\"new_name\":\"bronze\",\"comment\":\"\","
		    "\"owner\":\"eng\"}");
	assert_string_equal(emu_test_str(r.json, "full_name"), "main.bronze");
	assert_string_equal(emu_test_str(r.json, "owner"), "eng");
	assert_null(cJSON_GetObjectItem(r.json, "comment"));
	emu_test_result_dispose(&r);
	fails(ws, "PATCH", UC "/schemas/main.bronze",
	      "{\"new_name\":\"default\"}", 409, "SCHEMA_ALREADY_EXISTS",
	      "Schema 'main.default' already exists");
	fails(ws, "GET", UC "/schemas/main.raw", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST", NULL);

	ok(ws, "DELETE", UC "/schemas/main.bronze?force=true", NULL);
	fails(ws, "DELETE", UC "/schemas/main.bronze", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST", "Schema 'main.bronze' does not exist.");
}

/* --- paging --------------------------------------------------------------- */

static void test_emu_uc__list_paging(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	int pages, i;

	for (i = 0; i < 5; i++) {
		char *name = emu_printf("cat%d", i);

		create_catalog(ws, name);
		free(name);
	}
	assert_int_equal(count_pages(ws, UC "/catalogs?max_results=2",
				     "catalogs", 2, &pages),
			 7);
	assert_int_equal(pages, 4);
	/* Unset max_results: everything, no token. */
	r = call_ok(ws, "GET", UC "/catalogs", NULL);
	assert_int_equal(array_size(r.json, "catalogs"), 7);
	assert_null(cJSON_GetObjectItem(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	/* 0: the server page size (50), enough for 7. */
	assert_int_equal(count_pages(ws, UC "/catalogs?max_results=0",
				     "catalogs", 50, &pages),
			 7);
	assert_int_equal(pages, 1);
	invalid(ws, "GET", UC "/catalogs?max_results=-1", NULL, "max_results");
	invalid(ws, "GET", UC "/catalogs?max_results=2&page_token=!!!", NULL,
		"page_token");

	/* A catalog deleted between pages does not shift the next page. */
	r = call_ok(ws, "GET", UC "/catalogs?max_results=2", NULL);
	assert_string_equal(item_name(r.json, "catalogs", 1), "cat1");
	ok(ws, "DELETE", UC "/catalogs/cat0?force=true", NULL);
	{
		char *url =
			emu_printf(UC "/catalogs?max_results=2&page_token=%s",
				   emu_test_str(r.json, "next_page_token"));
		struct emu_test_result r2 = call_ok(ws, "GET", url, NULL);

		assert_string_equal(item_name(r2.json, "catalogs", 0), "cat2");
		emu_test_result_dispose(&r2);
		free(url);
	}
	emu_test_result_dispose(&r);

	for (i = 0; i < 3; i++) {
		char *body = emu_printf("{\"name\":\"s%d\",\"catalog_name\":"
					"\"main\"}",
					i);

		ok(ws, "POST", UC "/schemas", body);
		free(body);
	}
	assert_int_equal(count_pages(ws,
				     UC "/schemas?catalog_name=main&"
					"max_results=1",
				     "schemas", 1, &pages),
			 5);
}

/* --- storage credentials -------------------------------------------------- */

static void test_emu_uc__storage_credentials(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *role;

	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"Cred\",\"comment\":\"c\",\"skip_validation\":"
		    "true,\"aws_iam_role\":{\"role_arn\":"
		    "\"arn:aws:iam::123456789012:role/path/uc-role\"}}");
	assert_string_equal(emu_test_str(r.json, "name"), "cred");
	assert_string_equal(emu_test_str(r.json, "full_name"), "cred");
	assert_int_equal(strlen(emu_test_str(r.json, "id")), 36);
	assert_string_equal(emu_test_str(r.json, "owner"), ME);
	assert_string_equal(emu_test_str(r.json, "isolation_mode"),
			    "ISOLATION_MODE_OPEN");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "read_only")));
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(r.json, "used_for_managed_storage")));
	assert_null(cJSON_GetObjectItem(r.json, "skip_validation"));
	role = cJSON_GetObjectItem(r.json, "aws_iam_role");
	assert_string_equal(emu_test_str(role, "role_arn"),
			    "arn:aws:iam::123456789012:role/path/uc-role");
	assert_non_null(
		strstr(emu_test_str(role, "unity_catalog_iam_arn"), ":role/"));
	assert_int_equal(strlen(emu_test_str(role, "external_id")), 36);
	emu_test_result_dispose(&r);

	fails(ws, "POST", UC "/storage-credentials",
	      "{\"name\":\"CRED\",\"aws_iam_role\":{\"role_arn\":"
	      "\"arn:aws:iam::123456789012:role/x\"}}",
	      409, "STORAGE_CREDENTIAL_ALREADY_EXISTS",
	      "Storage Credential 'cred' already exists");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"c2\",\"aws_iam_role\":{\"role_arn\":"
		"\"arn:aws:iam::12345:role/x\"}}",
		"Invalid role_arn");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"c2\",\"aws_iam_role\":{\"role_arn\":"
		"\"arn:aws:iam::123456789012:user/x\"}}",
		"Invalid role_arn");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"c2\",\"aws_iam_role\":{}}", "role_arn");
	invalid(ws, "POST", UC "/storage-credentials", "{\"name\":\"c2\"}",
		"aws_iam_role");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"c2\",\"azure_managed_identity\":{}}",
		"azure_managed_identity.access_connector_id");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"c2\",\"azure_managed_identity\":"
		"{\"access_connector_id\":\"x\"},\"aws_iam_role\":"
		"{\"role_arn\":\"arn:aws:iam::123456789012:role/x\"}}",
		"Only one of");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"c 2\",\"aws_iam_role\":{\"role_arn\":"
		"\"arn:aws:iam::123456789012:role/x\"}}",
		"is not a valid name");
	fails(ws, "GET", UC "/storage-credentials/nope", NULL, 404,
	      "STORAGE_CREDENTIAL_DOES_NOT_EXIST",
	      "Storage Credential 'nope' does not exist.");

	r = call_ok(ws, "PATCH", UC "/storage-credentials/cred",
		    "{\"comment\":\"new\",\"read_only\":true,\"owner\":\"o\","
		    "\"aws_iam_role\":{\"role_arn\":"
		    "\"arn:aws:iam::210987654321:role/other\"}}");
	assert_string_equal(emu_test_str(r.json, "comment"), "new");
	assert_string_equal(emu_test_str(r.json, "owner"), "o");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "read_only")));
	role = cJSON_GetObjectItem(r.json, "aws_iam_role");
	assert_string_equal(emu_test_str(role, "role_arn"),
			    "arn:aws:iam::210987654321:role/other");
	assert_non_null(emu_test_str(role, "external_id"));
	emu_test_result_dispose(&r);

	/* In use by a location: delete needs force; a rename follows. */
	create_location(ws, "loc", "s3://bucket/a", "cred");
	r = call_ok(ws, "PATCH", UC "/storage-credentials/cred",
		    "{\"new_name\":\"renamed\"}");
	emu_test_result_dispose(&r);
	expect_field(ws, UC "/external-locations/loc", "credential_name",
		     "renamed");
	r = call(ws, "DELETE", UC "/storage-credentials/renamed", NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "INVALID_PARAMETER_VALUE");
	assert_non_null(strstr(emu_test_str(r.json, "message"), "'loc'"));
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", UC "/storage-credentials/renamed?force=true", NULL);
	fails(ws, "DELETE", UC "/storage-credentials/renamed", NULL, 404,
	      "STORAGE_CREDENTIAL_DOES_NOT_EXIST", NULL);
}

/* Credentials of every cloud: secrets taken and never returned, the
 * service's own fields filled, URLs checked against the cloud. */
static void test_emu_uc__credential_clouds(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *id;

	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"mi\",\"azure_managed_identity\":"
		    "{\"access_connector_id\":\"/subscriptions/s/"
		    "resourceGroups/g/providers/Microsoft.Databricks/"
		    "accessConnectors/ac\"}}");
	id = cJSON_GetObjectItem(r.json, "azure_managed_identity");
	assert_int_equal(strlen(emu_test_str(id, "credential_id")), 36);
	assert_null(cJSON_GetObjectItem(r.json, "aws_iam_role"));
	emu_test_result_dispose(&r);

	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"sp\",\"azure_service_principal\":"
		    "{\"directory_id\":\"d\",\"application_id\":\"a\","
		    "\"client_secret\":\"s3cret\"}}");
	assert_null(strstr(r.text, "s3cret"));
	assert_null(strstr(r.text, "client_secret"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", UC "/storage-credentials/sp", NULL);
	assert_null(strstr(r.text, "s3cret"));
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json,
						 "azure_service_principal"),
			     "application_id"),
		"a");
	emu_test_result_dispose(&r);
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"sp2\",\"azure_service_principal\":"
		"{\"directory_id\":\"d\",\"application_id\":\"a\"}}",
		"azure_service_principal.client_secret");

	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"gcp\",\"databricks_gcp_service_account\":{}}");
	id = cJSON_GetObjectItem(r.json, "databricks_gcp_service_account");
	assert_non_null(strstr(emu_test_str(id, "email"),
			       ".iam.gserviceaccount.com"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"r2\",\"cloudflare_api_token\":"
		    "{\"account_id\":\"acc\",\"access_key_id\":\"k\","
		    "\"secret_access_key\":\"topsecret\"}}");
	assert_null(strstr(r.text, "topsecret"));
	emu_test_result_dispose(&r);

	/* URLs follow the credential's cloud. */
	create_location(ws, "adls",
			"abfss://data@acct01.dfs.core.windows.net/x", "mi");
	create_location(ws, "gcs", "gs://my_bucket/x", "gcp");
	create_location(ws, "r2l",
			"r2://bkt@0123abcd.r2.cloudflarestorage.com/x", "r2");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"bad\",\"url\":\"s3://bucket/x\","
		"\"credential_name\":\"mi\"}",
		"reaches azure storage");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"bad\",\"url\":\"abfss://data@x/y\","
		"\"credential_name\":\"mi\"}",
		"expected abfss://");
	invalid(ws, "PATCH", UC "/external-locations/gcs",
		"{\"url\":\"abfss://data@acct01.dfs.core.windows.net/y\"}",
		"reaches gcp storage");
	/* A catalog may keep its storage under any cloud's location. */
	r = call_ok(ws, "POST", UC "/catalogs",
		    "{\"name\":\"az\",\"storage_root\":"
		    "\"abfss://data@acct01.dfs.core.windows.net/x/cat\"}");
	emu_test_result_dispose(&r);
	/* Another identity replaces the first. */
	r = call_ok(ws, "PATCH", UC "/storage-credentials/mi",
		    "{\"azure_service_principal\":{\"directory_id\":\"d\","
		    "\"application_id\":\"a\",\"client_secret\":\"x\"}}");
	assert_null(cJSON_GetObjectItem(r.json, "azure_managed_identity"));
	emu_test_result_dispose(&r);
}

/* File events: one queue, managed ones made by Databricks. */
static void test_emu_uc__file_event_queue(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *q;
	char *made;

	create_credential(ws, "cred");
	r = call_ok(ws, "POST", UC "/external-locations",
		    "{\"name\":\"ev\",\"url\":\"s3://bucket/ev\","
		    "\"credential_name\":\"cred\",\"enable_file_events\":true,"
		    "\"file_event_queue\":{\"managed_sqs\":{}}}");
	assert_true(cJSON_IsTrue(
		cJSON_GetObjectItem(r.json, "enable_file_events")));
	q = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json,
						    "file_event_queue"),
				"managed_sqs");
	assert_non_null(strstr(emu_test_str(q, "queue_url"),
			       "https://sqs."));
	assert_int_equal(strlen(emu_test_str(q, "managed_resource_id")), 36);
	made = strdup(emu_test_str(q, "managed_resource_id"));
	emu_test_result_dispose(&r);

	/* The same kind again keeps what Databricks made. */
	r = call_ok(ws, "PATCH", UC "/external-locations/ev",
		    "{\"file_event_queue\":{\"managed_sqs\":{}}}");
	q = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json,
						    "file_event_queue"),
				"managed_sqs");
	assert_string_equal(emu_test_str(q, "managed_resource_id"), made);
	emu_test_result_dispose(&r);
	free(made);

	r = call_ok(ws, "PATCH", UC "/external-locations/ev",
		    "{\"file_event_queue\":{\"provided_sqs\":"
		    "{\"queue_url\":\"https://sqs.us-west-2.amazonaws.com/1/q\"}},"
		    "\"enable_file_events\":false}");
	q = cJSON_GetObjectItem(r.json, "file_event_queue");
	assert_null(cJSON_GetObjectItem(q, "managed_sqs"));
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(q, "provided_sqs"),
					"managed_resource_id"));
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(r.json, "enable_file_events")));
	emu_test_result_dispose(&r);

	invalid(ws, "PATCH", UC "/external-locations/ev",
		"{\"file_event_queue\":{\"provided_sqs\":{}}}",
		"provided_sqs.queue_url");
	invalid(ws, "PATCH", UC "/external-locations/ev",
		"{\"file_event_queue\":{\"managed_sqs\":{},"
		"\"managed_pubsub\":{}}}",
		"exactly one");
	r = call_ok(ws, "PATCH", UC "/external-locations/ev",
		    "{\"file_event_queue\":{}}");
	assert_null(cJSON_GetObjectItem(r.json, "file_event_queue"));
	emu_test_result_dispose(&r);
}

/* --- external locations --------------------------------------------------- */

static void test_emu_uc__external_locations(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	create_credential(ws, "cred");
	r = call_ok(ws, "POST", UC "/external-locations",
		    "{\"name\":\"Landing\",\"url\":\"s3://my-bucket/landing\","
		    "\"credential_name\":\"CRED\",\"comment\":\"c\","
		    "\"read_only\":true,\"skip_validation\":true,"
		    "\"encryption_details\":{\"sse_encryption_details\":"
		    "{\"algorithm\":\"AWS_SSE_S3\"}}}");
	assert_string_equal(emu_test_str(r.json, "name"), "landing");
	assert_string_equal(emu_test_str(r.json, "url"),
			    "s3://my-bucket/landing");
	assert_string_equal(emu_test_str(r.json, "credential_name"), "cred");
	assert_int_equal(strlen(emu_test_str(r.json, "credential_id")), 36);
	assert_string_equal(emu_test_str(r.json, "isolation_mode"),
			    "ISOLATION_MODE_OPEN");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "read_only")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "browse_only")));
	assert_non_null(cJSON_GetObjectItem(r.json, "encryption_details"));
	assert_string_equal(emu_test_str(r.json, "created_by"), ME);
	emu_test_result_dispose(&r);

	fails(ws, "POST", UC "/external-locations",
	      "{\"name\":\"landing\",\"url\":\"s3://other/x\","
	      "\"credential_name\":\"cred\"}",
	      409, "EXTERNAL_LOCATION_ALREADY_EXISTS",
	      "External Location 'landing' already exists");
	fails(ws, "POST", UC "/external-locations",
	      "{\"name\":\"l2\",\"url\":\"s3://other/x\","
	      "\"credential_name\":\"nope\"}",
	      404, "STORAGE_CREDENTIAL_DOES_NOT_EXIST",
	      "Storage Credential 'nope' does not exist.");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l2\",\"url\":\"https://x/y\","
		"\"credential_name\":\"cred\"}",
		"Invalid url");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l2\",\"url\":\"s3://AB/y\","
		"\"credential_name\":\"cred\"}",
		"Invalid url");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l2\",\"url\":\"s3://other/x\","
		"\"credential_name\":\"cred\",\"encryption_details\":"
		"{\"sse_encryption_details\":{\"algorithm\":\"ROT13\"}}}",
		"AWS_SSE_KMS");
	fails(ws, "POST", UC "/external-locations",
	      "{\"name\":\"l2\",\"credential_name\":\"cred\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: url");

	/* Overlap: equal (also with a trailing slash), under, above. */
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l2\",\"url\":\"s3://my-bucket/landing/\","
		"\"credential_name\":\"cred\"}",
		"overlaps with an existing external location 'landing'");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l2\",\"url\":\"s3://my-bucket/landing/sub\","
		"\"credential_name\":\"cred\"}",
		"'landing'");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l2\",\"url\":\"s3://my-bucket\","
		"\"credential_name\":\"cred\"}",
		"'landing'");
	/* A sibling sharing a prefix but not a path boundary is fine. */
	create_location(ws, "l2", "s3://my-bucket/landing2", "cred");
	create_location(ws, "l3", "s3://my-bucket/other", "cred");

	/* PATCH re-checks overlap against the others, not itself. */
	r = call_ok(ws, "PATCH", UC "/external-locations/l3",
		    "{\"url\":\"s3://my-bucket/other/deeper\","
		    "\"comment\":\"x\"}");
	assert_string_equal(emu_test_str(r.json, "url"),
			    "s3://my-bucket/other/deeper");
	emu_test_result_dispose(&r);
	invalid(ws, "PATCH", UC "/external-locations/l3",
		"{\"url\":\"s3://my-bucket/landing2/x\"}", "'l2'");
	fails(ws, "PATCH", UC "/external-locations/l3",
	      "{\"credential_name\":\"nope\"}", 404,
	      "STORAGE_CREDENTIAL_DOES_NOT_EXIST", NULL);
	fails(ws, "PATCH", UC "/external-locations/l3", "{\"new_name\":\"l2\"}",
	      409, "EXTERNAL_LOCATION_ALREADY_EXISTS", NULL);
	r = call_ok(ws, "PATCH", UC "/external-locations/l3",
		    "{\"new_name\":\"L4\",\"read_only\":true}");
	assert_string_equal(emu_test_str(r.json, "name"), "l4");
	emu_test_result_dispose(&r);
	fails(ws, "GET", UC "/external-locations/l3", NULL, 404,
	      "EXTERNAL_LOCATION_DOES_NOT_EXIST",
	      "External Location 'l3' does not exist.");

	r = call_ok(ws, "GET", UC "/external-locations", NULL);
	assert_int_equal(array_size(r.json, "external_locations"), 3);
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", UC "/external-locations/l4", NULL);
	fails(ws, "DELETE", UC "/external-locations/l4", NULL, 404,
	      "EXTERNAL_LOCATION_DOES_NOT_EXIST", NULL);
	/* The freed prefix can be taken again. */
	create_location(ws, "l5", "s3://my-bucket/other", "cred");
}

/* --- bad input ------------------------------------------------------------ */

/*
 * Every write endpoint against bodies of the wrong shape: each answer is a
 * Databricks error (or a success, where the body happens to be valid),
 * never a crash or a 500. Run under ASan in the sanitizer build.
 */
static void test_emu_uc__bad_input(void **state)
{
	static const char *const targets[][2] = {
		{"POST", UC "/catalogs"},
		{"PATCH", UC "/catalogs/c"},
		{"POST", UC "/schemas"},
		{"PATCH", UC "/schemas/c.s"},
		{"POST", UC "/storage-credentials"},
		{"PATCH", UC "/storage-credentials/cred"},
		{"POST", UC "/external-locations"},
		{"PATCH", UC "/external-locations/loc"},
		{"PATCH", UC "/permissions/catalog/c"},
		{"PATCH", UC "/permissions/metastore/x"},
	};
	static const char *const bodies[] = {
		"{\"name\":1}",
		"{\"name\":null,\"comment\":[]}",
		"{\"name\":\"n\",\"catalog_name\":{}}",
		"{\"properties\":\"x\"}",
		"{\"properties\":{\"a\":1}}",
		"{\"properties\":[\"a\"]}",
		"{\"aws_iam_role\":\"x\",\"name\":\"n\"}",
		"{\"aws_iam_role\":{\"role_arn\":7},\"name\":\"n\"}",
		"{\"changes\":{}}",
		"{\"changes\":[1,\"x\",null]}",
		"{\"changes\":[{\"principal\":\"p\",\"add\":[1]}]}",
		"{\"changes\":[{\"principal\":[],\"remove\":{}}]}",
		"{\"read_only\":\"yes\"}",
		"{\"encryption_details\":[]}",
		"{\"encryption_details\":{\"sse_encryption_details\":7}}",
		"{\"new_name\":5}",
		"{\"new_name\":\"\",\"owner\":\"\"}",
		"{\"url\":\"s3://"
		"\",\"name\":\"n\",\"credential_name\":\"cred\"}",
		"{\"url\":\"s3://b\\u0001x/"
		"\",\"name\":\"n\",\"credential_name\":"
		"\"cred\"}",
		"{\"isolation_mode\":3}",
		"{\"force\":\"true\"}",
		"{\"omit_permissions_in_response\":1}",
		"[]",
		"",
	};
	struct emu_workspace *ws = *state;
	size_t t, b;

	for (t = 0; t < EMU_ARRAY_SIZE(targets); t++) {
		for (b = 0; b < EMU_ARRAY_SIZE(bodies); b++) {
			struct emu_test_result r;

			/* Fresh objects each time, whatever the last body did.
			 */
			ok(ws, "POST", "/_emulator/reset", NULL);
			create_catalog(ws, "c");
			ok(ws, "POST", UC "/schemas",
			   "{\"name\":\"s\",\"catalog_name\":\"c\"}");
			create_credential(ws, "cred");
			create_location(ws, "loc", "s3://bucket/x", "cred");
			r = call(ws, targets[t][0], targets[t][1], bodies[b]);
			if (r.status != 200 &&
			    !emu_test_str(r.json, "error_code"))
				fprintf(stderr, "%s %s %s -> %d %s\n",
					targets[t][0], targets[t][1], bodies[b],
					r.status, r.text);
			assert_true(r.status == 200 ||
				    (r.status >= 400 && r.status < 500));
			if (r.status != 200)
				assert_non_null(
					emu_test_str(r.json, "error_code"));
			emu_test_result_dispose(&r);
		}
	}
	/* Query arguments of the wrong shape. */
	fails(ws, "DELETE", UC "/catalogs/c?force=yes", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	invalid(ws, "GET", UC "/catalogs?max_results=abc", NULL, "max_results");
	invalid(ws, "GET", UC "/permissions/catalog/c?max_results=1.5", NULL,
		"max_results");
}

/* --- persistence ---------------------------------------------------------- */

static void test_emu_uc__state_roundtrip(void **state)
{
	char path[] = "/tmp/test_emu_uc_XXXXXX";
	struct emu_workspace *ws = emu_workspace_new(NULL), *back;
	struct emu_test_result before, after;
	char err[256];

	(void)state;
	emu_test_temp_file(path);

	create_credential(ws, "cred");
	create_location(ws, "loc", "s3://bucket/data", "cred");
	ok(ws, "POST", UC "/catalogs",
	   "{\"name\":\"kept\",\"storage_root\":\"s3://bucket/data/kept\","
	   "\"properties\":{\"k\":\"v\"}}");
	ok(ws, "DELETE", UC "/schemas/main.default", NULL);
	patch_grants(ws, UC "/permissions/schema/kept.default",
		     "{\"changes\":[{\"principal\":\"Ann\",\"add\":"
		     "[\"SELECT\"]}]}");
	patch_grants(ws,
		     UC "/permissions/metastore/"
			"6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5",
		     "{\"changes\":[{\"principal\":\"admins\",\"add\":"
		     "[\"CREATE_CATALOG\"]}]}");
	before = call_ok(ws, "GET", UC "/catalogs/kept", NULL);
	back = emu_workspace_new(NULL);
	emu_test_save_load(ws, back, path);
	emu_workspace_free(ws);
	ws = back;
	after = call_ok(ws, "GET", UC "/catalogs/kept", NULL);
	assert_string_equal(before.text, after.text);
	emu_test_result_dispose(&before);
	emu_test_result_dispose(&after);
	/* The defaults are saved as they were left: main.default is gone. */
	fails(ws, "GET", UC "/schemas/main.default", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST", NULL);
	expect_field(ws, UC "/external-locations/loc", "url",
		     "s3://bucket/data");
	expect_field(ws, UC "/storage-credentials/cred", "name", "cred");
	expect_grants(ws, UC "/permissions/schema/kept.default", "Ann",
		      "SELECT");
	expect_grants(ws,
		      UC "/permissions/metastore/"
			 "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5",
		      "admins", "CREATE_CATALOG");
	/* Names stay unique after a load. */
	fails(ws, "POST", UC "/catalogs", "{\"name\":\"KEPT\"}", 409,
	      "CATALOG_ALREADY_EXISTS", NULL);
	emu_workspace_free(ws);

	/* A corrupt file is refused; the workspace keeps its defaults. */
	ws = emu_workspace_new(NULL);
	assert_int_equal(
		emu_test_load_text(
			ws, path,
			"{\"format\":\"brickform-emulator-state\",\"version\":"
			"1,"
			"\"modules\":{\"unity_catalog\":{\"catalogs\":[{"
			"\"info\":{\"name\":\"bad name\",\"catalog_type\":"
			"\"MANAGED_CATALOG\"}}],\"storage_credentials\":[],"
			"\"external_locations\":[]}}}",
			err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "unity_catalog"));
	expect_field(ws, UC "/catalogs/main", "name", "main");
	emu_workspace_free(ws);

	/* Bad grants are refused too. */
	ws = emu_workspace_new(NULL);
	assert_int_equal(
		emu_test_load_text(
			ws, path,
			"{\"format\":\"brickform-emulator-state\",\"version\":"
			"1,"
			"\"modules\":{\"unity_catalog\":{\"metastore_grants\":"
			"[{\"principal\":\"p\",\"privileges\":[\"FLY\"]}],"
			"\"catalogs\":[],\"storage_credentials\":[],"
			"\"external_locations\":[]}}}",
			err, sizeof(err)),
		-1);
	emu_workspace_free(ws);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_emu_uc__metastore,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__defaults_and_reset,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__catalog_lifecycle,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__catalog_names,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_uc__force_delete_cascades, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__catalog_kinds,
						emu_test_setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__credential_clouds,
						emu_test_setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__file_event_queue,
						emu_test_setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__storage_root,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__schemas,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__list_paging,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_uc__storage_credentials, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__external_locations,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc__bad_input,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test(test_emu_uc__state_roundtrip),
	};

	emu_util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
