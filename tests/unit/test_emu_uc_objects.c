/*
 * Unit tests for the emulated Unity Catalog objects in a schema and the
 * metastore-wide settings (emulator/catalog/uc_objects.c, uc_bindings.c),
 * driven through the router: volumes (managed and external locations,
 * rename, missing objects), tables and views (defaults the workspace
 * fills, columns, a PATCH of the owner only), registered models, a schema holding them, workspace bindings (only
 * on isolated securables), system schemas and their states, artifact
 * allowlists, connections (secrets never answered), and --state
 * persistence of all of them.
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

#define EMU_TEST_TOKEN "dapi-uc-test"
#define EMU_TEST_UC
#include "emu_test.h"

#define MS "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5"

static void make_schema(struct emu_workspace *ws)
{
	create_credential(ws, "cred");
	create_location(ws, "loc", "s3://bucket/data", "cred");
	create_catalog(ws, "cat");
	ok(ws, "POST", UC "/schemas", "{\"name\":\"s\",\"catalog_name\":\"cat\"}");
}

static void test_emu_uc_objects__volumes(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	make_schema(ws);
	r = call_ok(ws, "POST", UC "/volumes",
		    "{\"catalog_name\":\"cat\",\"schema_name\":\"s\","
		    "\"name\":\"Files\",\"volume_type\":\"MANAGED\","
		    "\"comment\":\"c\"}");
	assert_string_equal(emu_test_str(r.json, "full_name"), "cat.s.files");
	assert_string_equal(emu_test_str(r.json, "owner"), "admin@example.com");
	assert_non_null(strstr(emu_test_str(r.json, "storage_location"),
			       "__unitystorage/volumes/"));
	assert_non_null(emu_test_str(r.json, "volume_id"));
	emu_test_result_dispose(&r);
	fails(ws, "POST", UC "/volumes",
	      "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
	      "\"FILES\",\"volume_type\":\"MANAGED\"}",
	      409, "VOLUME_ALREADY_EXISTS", NULL);
	invalid(ws, "POST", UC "/volumes",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"m\",\"volume_type\":\"MANAGED\",\"storage_location\":"
		"\"s3://bucket/data/m\"}",
		"cannot be specified");
	invalid(ws, "POST", UC "/volumes",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"e\",\"volume_type\":\"EXTERNAL\"}",
		"is required");
	invalid(ws, "POST", UC "/volumes",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"e\",\"volume_type\":\"EXTERNAL\",\"storage_location\":"
		"\"s3://elsewhere/e\"}",
		"not covered");
	invalid(ws, "POST", UC "/volumes",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"e\",\"volume_type\":\"SHARED\"}",
		"volume_type");
	fails(ws, "POST", UC "/volumes",
	      "{\"catalog_name\":\"cat\",\"schema_name\":\"nope\",\"name\":"
	      "\"e\",\"volume_type\":\"MANAGED\"}",
	      404, "SCHEMA_DOES_NOT_EXIST", NULL);
	ok(ws, "POST", UC "/volumes",
	   "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":\"e\","
	   "\"volume_type\":\"EXTERNAL\",\"storage_location\":"
	   "\"s3://bucket/data/e\"}");
	expect_field(ws, UC "/volumes/cat.s.e", "storage_location",
		     "s3://bucket/data/e");

	r = call_ok(ws, "GET", UC "/volumes?catalog_name=cat&schema_name=s",
		    NULL);
	assert_int_equal(array_size(r.json, "volumes"), 2);
	assert_string_equal(item_name(r.json, "volumes", 0), "e");
	emu_test_result_dispose(&r);

	r = call_ok(ws, "PATCH", UC "/volumes/cat.s.files",
		    "{\"comment\":\"new\",\"owner\":\"team\",\"new_name\":"
		    "\"docs\"}");
	assert_string_equal(emu_test_str(r.json, "full_name"), "cat.s.docs");
	assert_string_equal(emu_test_str(r.json, "owner"), "team");
	emu_test_result_dispose(&r);
	fails(ws, "GET", UC "/volumes/cat.s.files", NULL, 404,
	      "VOLUME_DOES_NOT_EXIST", "Volume 'cat.s.files' does not exist.");
	invalid(ws, "GET", UC "/volumes/cat.s", NULL, "Invalid full name");

	/* Content keeps the schema unless forced. */
	fails(ws, "DELETE", UC "/schemas/cat.s", NULL, 400, "SCHEMA_NOT_EMPTY",
	      NULL);
	ok(ws, "DELETE", UC "/volumes/cat.s.docs", NULL);
	fails(ws, "DELETE", UC "/volumes/cat.s.docs", NULL, 404,
	      "VOLUME_DOES_NOT_EXIST", NULL);
	ok(ws, "DELETE", UC "/schemas/cat.s?force=true", NULL);
}

static void test_emu_uc_objects__tables(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *col;

	make_schema(ws);
	r = call_ok(ws, "POST", UC "/tables",
		    "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		    "\"T\",\"table_type\":\"MANAGED\",\"columns\":[{\"name\":"
		    "\"id\",\"type_text\":\"decimal(10,2)\",\"nullable\":"
		    "false},{\"name\":\"n\",\"type_text\":\"string\"}],"
		    "\"cluster_keys\":[\"id\"]}");
	assert_string_equal(emu_test_str(r.json, "full_name"), "cat.s.t");
	assert_string_equal(emu_test_str(r.json, "data_source_format"),
			    "DELTA");
	assert_non_null(strstr(emu_test_str(r.json, "storage_location"),
			       "__unitystorage/tables/"));
	col = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "columns"), 0);
	assert_string_equal(emu_test_str(col, "type_name"), "DECIMAL");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(col, "nullable")));
	assert_non_null(strstr(emu_test_str(col, "type_json"),
			       "\"metadata\":{}"));
	col = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "columns"), 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(col, "nullable")));
	assert_int_equal(emu_test_int(col, "position"), 1);
	emu_test_result_dispose(&r);

	invalid(ws, "POST", UC "/tables",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"v\",\"table_type\":\"VIEW\"}",
		"view_definition");
	invalid(ws, "POST", UC "/tables",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"x\",\"table_type\":\"EXTERNAL\"}",
		"is required");
	invalid(ws, "POST", UC "/tables",
		"{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		"\"x\",\"table_type\":\"MANAGED\",\"columns\":[{\"name\":"
		"\"a\"}]}",
		"type_text");
	fails(ws, "POST", UC "/tables",
	      "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
	      "\"t\",\"table_type\":\"MANAGED\"}",
	      409, "TABLE_ALREADY_EXISTS", NULL);
	r = call_ok(ws, "POST", UC "/tables",
		    "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		    "\"v\",\"table_type\":\"VIEW\",\"view_definition\":"
		    "\"SELECT 1\"}");
	assert_null(cJSON_GetObjectItem(r.json, "storage_location"));
	assert_null(cJSON_GetObjectItem(r.json, "data_source_format"));
	emu_test_result_dispose(&r);

	/* PATCH changes the owner only, as UpdateTableRequest; the rest is
	 * SQL DDL (test_emu_sql_statements.c). */
	r = call_ok(ws, "PATCH", UC "/tables/cat.s.t",
		    "{\"comment\":\"c\",\"owner\":\"ann\",\"columns\":"
		    "[{\"name\":\"id\",\"type_text\":\"int\"}]}");
	assert_null(cJSON_GetObjectItem(r.json, "comment"));
	assert_string_equal(emu_test_str(r.json, "owner"), "ann");
	assert_int_equal(array_size(r.json, "columns"), 2);
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", UC "/tables?catalog_name=cat&schema_name=s",
		    NULL);
	assert_int_equal(array_size(r.json, "tables"), 2);
	emu_test_result_dispose(&r);
	fails(ws, "GET", UC "/tables/cat.s.nope", NULL, 404,
	      "TABLE_DOES_NOT_EXIST", "Table 'cat.s.nope' does not exist.");
	ok(ws, "DELETE", UC "/tables/cat.s.v", NULL);
	/* A forced catalog delete takes the schema's tables along. */
	ok(ws, "DELETE", UC "/catalogs/cat?force=true", NULL);
	create_catalog(ws, "cat");
	ok(ws, "POST", UC "/schemas", "{\"name\":\"s\",\"catalog_name\":\"cat\"}");
	fails(ws, "GET", UC "/tables/cat.s.t", NULL, 404,
	      "TABLE_DOES_NOT_EXIST", NULL);
}

static void test_emu_uc_objects__models(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	make_schema(ws);
	r = call_ok(ws, "POST", UC "/models",
		    "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
		    "\"Churn\",\"comment\":\"c\"}");
	assert_string_equal(emu_test_str(r.json, "full_name"), "cat.s.churn");
	assert_non_null(strstr(emu_test_str(r.json, "storage_location"),
			       "__unitystorage/models/"));
	assert_int_equal(array_size(r.json, "aliases"), 0);
	emu_test_result_dispose(&r);
	fails(ws, "POST", UC "/models",
	      "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":"
	      "\"churn\"}",
	      409, "RESOURCE_ALREADY_EXISTS", NULL);
	r = call_ok(ws, "PATCH", UC "/models/cat.s.churn",
		    "{\"owner\":\"ml\",\"comment\":\"d\"}");
	assert_string_equal(emu_test_str(r.json, "owner"), "ml");
	assert_string_equal(emu_test_str(r.json, "comment"), "d");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", UC "/models?catalog_name=cat&schema_name=s",
		    NULL);
	assert_int_equal(array_size(r.json, "registered_models"), 1);
	emu_test_result_dispose(&r);
	fails(ws, "DELETE", UC "/schemas/cat.s", NULL, 400, "SCHEMA_NOT_EMPTY",
	      NULL);
	ok(ws, "DELETE", UC "/models/cat.s.churn", NULL);
	fails(ws, "GET", UC "/models/cat.s.churn", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);
	ok(ws, "DELETE", UC "/schemas/cat.s", NULL);
}

static void test_emu_uc_objects__bindings(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	create_catalog(ws, "iso");
	invalid(ws, "PATCH", UC "/bindings/catalog/iso",
		"{\"add\":[{\"workspace_id\":1}]}", "is not ISOLATED");
	ok(ws, "PATCH", UC "/catalogs/iso", "{\"isolation_mode\":\"ISOLATED\"}");
	r = call_ok(ws, "PATCH", UC "/bindings/catalog/iso",
		    "{\"add\":[{\"workspace_id\":900800700600},{"
		    "\"workspace_id\":2,\"binding_type\":"
		    "\"BINDING_TYPE_READ_ONLY\"}]}");
	assert_int_equal(array_size(r.json, "bindings"), 2);
	assert_non_null(strstr(r.text, "\"workspace_id\":900800700600,"
				       "\"binding_type\":"
				       "\"BINDING_TYPE_READ_WRITE\""));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "PATCH", UC "/bindings/catalog/iso",
		    "{\"remove\":[{\"workspace_id\":900800700600},{"
		    "\"workspace_id\":7}]}");
	assert_int_equal(array_size(r.json, "bindings"), 1);
	emu_test_result_dispose(&r);
	invalid(ws, "PATCH", UC "/bindings/catalog/iso",
		"{\"add\":[{\"workspace_id\":3,\"binding_type\":\"X\"}]}",
		"binding_type");
	invalid(ws, "GET", UC "/bindings/table/iso", NULL, "securable_type");
	fails(ws, "GET", UC "/bindings/catalog/nope", NULL, 404,
	      "CATALOG_DOES_NOT_EXIST", NULL);
	create_credential(ws, "cred");
	fails(ws, "GET", UC "/bindings/external_location/nope", NULL, 404,
	      "EXTERNAL_LOCATION_DOES_NOT_EXIST", NULL);
	r = call_ok(ws, "GET", UC "/bindings/storage_credential/cred", NULL);
	assert_int_equal(array_size(r.json, "bindings"), 0);
	emu_test_result_dispose(&r);
}

static const char *schema_state(struct emu_workspace *ws, const char *name)
{
	static char out[64];
	struct emu_test_result r;
	const cJSON *s;

	out[0] = '\0';
	r = call_ok(ws, "GET", UC "/metastores/" MS "/systemschemas", NULL);
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(r.json, "schemas"))
	{
		if (strcmp(emu_test_str(s, "schema"), name) == 0)
			snprintf(out, sizeof(out), "%s",
				 emu_test_str(s, "state"));
	}
	emu_test_result_dispose(&r);
	return out;
}

static void test_emu_uc_objects__system_schemas(void **state)
{
	struct emu_workspace *ws = *state;

	assert_string_equal(schema_state(ws, "access"), "AVAILABLE");
	assert_string_equal(schema_state(ws, "billing"), "ENABLE_COMPLETED");
	ok(ws, "PUT", UC "/metastores/" MS "/systemschemas/access", NULL);
	ok(ws, "PUT", UC "/metastores/" MS "/systemschemas/access", NULL);
	assert_string_equal(schema_state(ws, "access"), "ENABLE_COMPLETED");
	ok(ws, "DELETE", UC "/metastores/" MS "/systemschemas/access", NULL);
	assert_string_equal(schema_state(ws, "access"), "AVAILABLE");
	invalid(ws, "DELETE", UC "/metastores/" MS "/systemschemas/billing",
		NULL, "can only be disabled by Databricks");
	fails(ws, "PUT", UC "/metastores/" MS "/systemschemas/nope", NULL, 404,
	      "SCHEMA_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", UC "/metastores/other/systemschemas", NULL, 404,
	      "METASTORE_DOES_NOT_EXIST", NULL);
}

static void test_emu_uc_objects__connections(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "POST", UC "/connections",
		    "{\"name\":\"My\",\"connection_type\":\"MYSQL\","
		    "\"options\":{\"host\":\"h\",\"password\":\"pw\"}}");
	assert_string_equal(emu_test_str(r.json, "name"), "my");
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json, "options"), "host"),
		"h");
	assert_null(strstr(r.text, "pw"));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "read_only")));
	emu_test_result_dispose(&r);
	fails(ws, "POST", UC "/connections",
	      "{\"name\":\"my\",\"connection_type\":\"MYSQL\","
	      "\"options\":{}}",
	      409, "CONNECTION_ALREADY_EXISTS", NULL);
	invalid(ws, "POST", UC "/connections",
		"{\"name\":\"x\",\"connection_type\":\"FTP\","
		"\"options\":{}}",
		"connection_type");
	invalid(ws, "POST", UC "/connections",
		"{\"name\":\"x\",\"connection_type\":\"MYSQL\"}",
		"options");
	invalid(ws, "PATCH", UC "/connections/my", "{\"owner\":\"o\"}",
		"options");
	r = call_ok(ws, "PATCH", UC "/connections/my",
		    "{\"owner\":\"o\",\"new_name\":\"ours\",\"options\":"
		    "{\"host\":\"h2\"}}");
	assert_string_equal(emu_test_str(r.json, "name"), "ours");
	assert_string_equal(emu_test_str(r.json, "owner"), "o");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", UC "/connections", NULL);
	assert_int_equal(array_size(r.json, "connections"), 1);
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", UC "/connections/ours", NULL);
	fails(ws, "GET", UC "/connections/ours", NULL, 404,
	      "CONNECTION_DOES_NOT_EXIST", "Connection 'ours' does not exist.");
}

static void test_emu_uc_objects__allowlists(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "GET", UC "/artifact-allowlists/LIBRARY_JAR", NULL);
	assert_int_equal(array_size(r.json, "artifact_matchers"), 0);
	assert_string_equal(emu_test_str(r.json, "metastore_id"), MS);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "PUT", UC "/artifact-allowlists/LIBRARY_JAR",
		    "{\"artifact_matchers\":[{\"artifact\":\"s3://b/j/\","
		    "\"match_type\":\"PREFIX_MATCH\"}]}");
	assert_int_equal(array_size(r.json, "artifact_matchers"), 1);
	assert_string_equal(emu_test_str(r.json, "created_by"),
			    "admin@example.com");
	emu_test_result_dispose(&r);
	invalid(ws, "PUT", UC "/artifact-allowlists/LIBRARY_JAR",
		"{\"artifact_matchers\":[{\"artifact\":\"x\","
		"\"match_type\":\"EXACT\"}]}",
		"PREFIX_MATCH");
	invalid(ws, "PUT", UC "/artifact-allowlists/LIBRARY_JAR", "{}",
		"artifact_matchers");
	invalid(ws, "GET", UC "/artifact-allowlists/WHEEL", NULL,
		"artifact_type");
}

static void test_emu_uc_objects__state_roundtrip(void **state)
{
	char path[] = "/tmp/test_emu_uc_objects_XXXXXX";
	struct emu_workspace *ws = emu_workspace_new(NULL), *back;
	struct emu_test_result before, after;

	(void)state;
	emu_test_temp_file(path);
	make_schema(ws);
	ok(ws, "POST", UC "/volumes",
	   "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":\"v\","
	   "\"volume_type\":\"MANAGED\"}");
	ok(ws, "POST", UC "/tables",
	   "{\"catalog_name\":\"cat\",\"schema_name\":\"s\",\"name\":\"t\","
	   "\"table_type\":\"MANAGED\",\"columns\":[{\"name\":\"a\","
	   "\"type_text\":\"int\"}]}");
	ok(ws, "PATCH", UC "/catalogs/cat", "{\"isolation_mode\":\"ISOLATED\"}");
	ok(ws, "PATCH", UC "/bindings/catalog/cat",
	   "{\"add\":[{\"workspace_id\":5}]}");
	ok(ws, "PUT", UC "/metastores/" MS "/systemschemas/query", NULL);
	ok(ws, "PUT", UC "/artifact-allowlists/INIT_SCRIPT",
	   "{\"artifact_matchers\":[{\"artifact\":\"/Volumes/x/\","
	   "\"match_type\":\"PREFIX_MATCH\"}]}");
	before = call_ok(ws, "GET", UC "/tables/cat.s.t", NULL);
	back = emu_workspace_new(NULL);
	emu_test_save_load(ws, back, path);
	emu_workspace_free(ws);
	ws = back;
	after = call_ok(ws, "GET", UC "/tables/cat.s.t", NULL);
	assert_string_equal(before.text, after.text);
	emu_test_result_dispose(&before);
	emu_test_result_dispose(&after);
	expect_field(ws, UC "/volumes/cat.s.v", "volume_type", "MANAGED");
	after = call_ok(ws, "GET", UC "/bindings/catalog/cat", NULL);
	assert_int_equal(array_size(after.json, "bindings"), 1);
	emu_test_result_dispose(&after);
	assert_string_equal(schema_state(ws, "query"), "ENABLE_COMPLETED");
	after = call_ok(ws, "GET", UC "/artifact-allowlists/INIT_SCRIPT", NULL);
	assert_int_equal(array_size(after.json, "artifact_matchers"), 1);
	emu_test_result_dispose(&after);
	emu_workspace_free(ws);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_emu_uc_objects__volumes,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_objects__tables,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_objects__models,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_objects__bindings,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_uc_objects__system_schemas, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_objects__connections,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_uc_objects__allowlists,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test(test_emu_uc_objects__state_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
