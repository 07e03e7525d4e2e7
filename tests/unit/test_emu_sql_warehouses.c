/*
 * Unit tests for the emulated SQL Warehouses API and the workspace
 * warehouse config (emulator/sql/warehouses.c): the defaults the service
 * fills, its checks, the state machine on the workspace clock (start,
 * auto-stop, stop, restart on edit, delete), the config's replace
 * semantics, and --state.
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
#include "sql/warehouses.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-warehouses-test"
#include "emu_test.h"

#define WH     "/api/2.0/sql/warehouses"
#define CONFIG "/api/2.0/sql/config/warehouses"
/* Past any transition the emulator makes (start 3 s, stop 1 s). */
#define SETTLE 5000

static char *create(struct emu_workspace *ws, const char *body)
{
	struct emu_test_result r = call_ok(ws, "POST", WH, body);
	char *id = emu_xstrdup(emu_test_str(r.json, "id"));

	assert_int_equal(strlen(id), 16);
	emu_test_result_dispose(&r);
	return id;
}

/* The warehouse's state now. */
static void expect_state(struct emu_workspace *ws, const char *id,
			 const char *state)
{
	char *target = emu_printf(WH "/%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	assert_string_equal(emu_test_str(r.json, "state"), state);
	emu_test_result_dispose(&r);
	free(target);
}

/* A minimal create reads back with the service's defaults. */
static void test_emu_sql_warehouses__defaults(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"w\",\"cluster_size\":\"2X-Small\"}");
	char *target = emu_printf(WH "/%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	const char *jdbc;
	const char *creator = NULL;

	assert_string_equal(emu_test_str(r.json, "id"), id);
	assert_string_equal(emu_test_str(r.json, "state"), "STARTING");
	assert_int_equal(emu_test_int(r.json, "min_num_clusters"), 1);
	assert_int_equal(emu_test_int(r.json, "max_num_clusters"), 1);
	assert_int_equal(emu_test_int(r.json, "auto_stop_mins"), 120);
	assert_int_equal(emu_test_int(r.json, "num_clusters"), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "enable_photon")));
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(r.json, "enable_serverless_compute")));
	assert_string_equal(emu_test_str(r.json, "spot_instance_policy"),
			    "COST_OPTIMIZED");
	assert_string_equal(emu_test_str(r.json, "warehouse_type"), "CLASSIC");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "channel"), "name"),
		"CHANNEL_NAME_CURRENT");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "health"), "status"),
		"HEALTHY");
	assert_string_equal(emu_test_str(r.json, "creator_name"),
			    EMU_DEFAULT_USER_NAME);
	assert_int_equal(emu_test_int(r.json, "odbc_params.port"), 443);
	assert_non_null(strstr(
		emu_test_str(emu_test_member(r.json, "odbc_params"), "path"),
		id));
	jdbc = emu_test_str(r.json, "jdbc_url");
	assert_non_null(jdbc);
	assert_non_null(strstr(jdbc, "httpPath=/sql/1.0/warehouses/"));
	assert_null(cJSON_GetObjectItem(r.json, "_until"));
	emu_test_result_dispose(&r);
	assert_true(emu_sql_warehouse_lookup(ws, id, &creator));
	assert_string_equal(creator, EMU_DEFAULT_USER_NAME);
	assert_false(emu_sql_warehouse_lookup(ws, "0000000000000000", NULL));

	r = call_ok(ws, "GET", WH, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "warehouses")),
		1);
	emu_test_result_dispose(&r);
	/* The legacy data sources: a bare array naming the warehouse. */
	r = call_ok(ws, "GET", "/api/2.0/preview/sql/data_sources", NULL);
	assert_true(cJSON_IsArray(r.json));
	assert_int_equal(cJSON_GetArraySize(r.json), 1);
	assert_string_equal(emu_test_str(r.json->child, "warehouse_id"), id);
	assert_true(emu_is_uuid(emu_test_str(r.json->child, "id")));
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

/* jdbc_url and odbc_params name the host the client called, without
 * its port. */
static void test_emu_sql_warehouses__host(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *target;

	r = emu_test_call_at(ws, "dbc-1.example.com:8080", "POST", WH,
			     "{\"name\":\"h\",\"cluster_size\":\"Small\"}",
			     EMU_TEST_TOKEN);
	assert_int_equal(r.status, 200);
	target = emu_printf(WH "/%s", emu_test_str(r.json, "id"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(emu_test_member(r.json, "odbc_params"),
					 "hostname"),
			    "dbc-1.example.com");
	assert_true(strncmp(emu_test_str(r.json, "jdbc_url"),
			    "jdbc:spark://dbc-1.example.com:443/", 35) == 0);
	emu_test_result_dispose(&r);
	free(target);
}

/* What the service refuses. */
static void test_emu_sql_warehouses__checks(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"w\",\"cluster_size\":\"Small\"}");
	char *target;

	emu_test_fails(ws, "POST", WH, "{\"cluster_size\":\"Small\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE",
		       "Missing required field: name", NULL);
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"x\",\"cluster_size\":\"Huge\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "cluster_size");
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"w\",\"cluster_size\":\"Small\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE",
		       "SQL warehouse with name `w` already exists", NULL);
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"x\",\"cluster_size\":\"Small\","
		       "\"auto_stop_mins\":5}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "auto_stop_mins");
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"x\",\"cluster_size\":\"Small\","
		       "\"min_num_clusters\":3,\"max_num_clusters\":2}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "min_num_clusters");
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"x\",\"cluster_size\":\"Small\","
		       "\"max_num_clusters\":41}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "max_num_clusters");
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"x\",\"cluster_size\":\"Small\","
		       "\"enable_serverless_compute\":true}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "PRO");
	emu_test_fails(ws, "POST", WH,
		       "{\"name\":\"x\",\"cluster_size\":\"Small\","
		       "\"tags\":{\"custom_tags\":[{\"value\":\"v\"}]}}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "key");
	/* Members the API does not define are not kept. */
	free(create(
		ws,
		"{\"name\":\"m\",\"cluster_size\":\"Small\","
		"\"channel\":{\"name\":\"CHANNEL_NAME_PREVIEW\",\"junk\":1},"
		"\"tags\":{\"junk\":[1],\"custom_tags\":[{\"key\":\"k\","
		"\"value\":\"v\",\"junk\":2}]}}"));
	{
		struct emu_test_result l = call_ok(ws, "GET", WH, NULL);
		const cJSON *w = cJSON_GetArrayItem(
			cJSON_GetObjectItem(l.json, "warehouses"), 1);

		assert_string_equal(emu_test_str(w, "name"), "m");
		assert_null(emu_test_member(w, "channel.junk"));
		assert_null(emu_test_member(w, "tags.junk"));
		assert_null(cJSON_GetObjectItem(
			emu_test_member(w, "tags.custom_tags")->child, "junk"));
		emu_test_result_dispose(&l);
	}
	/* Serverless PRO may stop after 5 minutes. */
	free(create(ws, "{\"name\":\"s\",\"cluster_size\":\"Small\","
			"\"warehouse_type\":\"PRO\","
			"\"enable_serverless_compute\":true,"
			"\"auto_stop_mins\":5}"));
	emu_test_fails(ws, "GET", WH "/nope", NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "nope");
	emu_test_fails(ws, "POST", WH "/nope/start", NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "nope");
	/* Renaming onto another's name is refused; onto its own is fine. */
	target = emu_printf(WH "/%s/edit", id);
	emu_test_fails(ws, "POST", target, "{\"name\":\"s\"}", EMU_TEST_TOKEN,
		       400, "INVALID_PARAMETER_VALUE", NULL, "already exists");
	emu_test_ok(ws, "POST", target, "{\"name\":\"w\"}", EMU_TEST_TOKEN,
		    "{}");
	free(target);
	free(id);
}

/* STARTING -> RUNNING -> (auto-stop) STOPPING -> STOPPED; start and stop;
 * a size change restarts a running warehouse, a rename does not. */
static void test_emu_sql_warehouses__states(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"w\",\"cluster_size\":\"Small\","
			      "\"auto_stop_mins\":10,\"min_num_clusters\":2,"
			      "\"max_num_clusters\":3}");
	char *base = emu_printf(WH "/%s", id);
	char *edit = emu_printf(WH "/%s/edit", id);
	char *start = emu_printf(WH "/%s/start", id);
	char *stop = emu_printf(WH "/%s/stop", id);
	struct emu_test_result r;

	expect_state(ws, id, "STARTING");
	emu_workspace_advance_clock(ws, SETTLE);
	r = call_ok(ws, "GET", base, NULL);
	assert_string_equal(emu_test_str(r.json, "state"), "RUNNING");
	assert_int_equal(emu_test_int(r.json, "num_clusters"), 2);
	emu_test_result_dispose(&r);

	emu_test_ok(ws, "POST", edit, "{\"name\":\"w2\"}", EMU_TEST_TOKEN,
		    "{}");
	expect_state(ws, id, "RUNNING");
	emu_test_ok(ws, "POST", edit, "{\"cluster_size\":\"Medium\"}",
		    EMU_TEST_TOKEN, "{}");
	expect_state(ws, id, "STARTING");
	r = call_ok(ws, "GET", base, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "w2");
	assert_string_equal(emu_test_str(r.json, "cluster_size"), "Medium");
	assert_int_equal(emu_test_int(r.json, "max_num_clusters"), 3);
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, SETTLE);
	expect_state(ws, id, "RUNNING");

	/* Idle for auto_stop_mins: it stops by itself. */
	emu_workspace_advance_clock(ws, 10 * 60000);
	expect_state(ws, id, "STOPPED");
	emu_test_ok(ws, "POST", start, NULL, EMU_TEST_TOKEN, "{}");
	expect_state(ws, id, "STARTING");
	emu_workspace_advance_clock(ws, SETTLE);
	expect_state(ws, id, "RUNNING");
	emu_test_ok(ws, "POST", stop, NULL, EMU_TEST_TOKEN, "{}");
	expect_state(ws, id, "STOPPING");
	emu_workspace_advance_clock(ws, SETTLE);
	r = call_ok(ws, "GET", base, NULL);
	assert_string_equal(emu_test_str(r.json, "state"), "STOPPED");
	assert_int_equal(emu_test_int(r.json, "num_clusters"), 0);
	emu_test_result_dispose(&r);
	/* An edit of a stopped warehouse leaves it stopped. */
	emu_test_ok(ws, "POST", edit, "{\"cluster_size\":\"Large\"}",
		    EMU_TEST_TOKEN, "{}");
	expect_state(ws, id, "STOPPED");
	free(stop);
	free(start);
	free(edit);
	free(base);
	free(id);
}

/* Delete: out of lists and the name check at once; get says DELETING,
 * then DELETED, then 404. */
static void test_emu_sql_warehouses__delete(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"w\",\"cluster_size\":\"Small\"}");
	char *base = emu_printf(WH "/%s", id);
	struct emu_test_result r;

	emu_test_ok(ws, "DELETE", base, NULL, EMU_TEST_TOKEN, "{}");
	expect_state(ws, id, "DELETING");
	assert_false(emu_sql_warehouse_lookup(ws, id, NULL));
	r = call_ok(ws, "GET", WH, NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "warehouses")),
		0);
	emu_test_result_dispose(&r);
	free(create(ws, "{\"name\":\"w\",\"cluster_size\":\"Small\"}"));
	emu_workspace_advance_clock(ws, SETTLE);
	expect_state(ws, id, "DELETED");
	emu_test_fails(ws, "DELETE", base, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	emu_workspace_advance_clock(ws, 120000);
	emu_test_fails(ws, "GET", base, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	free(base);
	free(id);
}

/* The workspace config: a default, PUT replaces, checks. */
static void test_emu_sql_warehouses__config(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "GET", CONFIG, NULL);
	assert_string_equal(emu_test_str(r.json, "security_policy"),
			    "DATA_ACCESS_CONTROL");
	emu_test_result_dispose(&r);
	emu_test_ok(ws, "PUT", CONFIG,
		    "{\"security_policy\":\"NONE\","
		    "\"instance_profile_arn\":\"arn:aws:iam::1:instance-"
		    "profile/x\","
		    "\"data_access_config\":[{\"key\":\"spark.a\",\"value\":"
		    "\"1\"}],"
		    "\"sql_configuration_parameters\":{\"configuration_pairs\":"
		    "[{\"key\":\"ANSI_MODE\",\"value\":\"true\"}]},"
		    "\"enable_serverless_compute\":true,\"unknown\":1}",
		    EMU_TEST_TOKEN, "{}");
	r = call_ok(ws, "GET", CONFIG, NULL);
	assert_string_equal(emu_test_str(r.json, "security_policy"), "NONE");
	assert_string_equal(
		emu_test_str(
			emu_test_member(r.json, "data_access_config")->child,
			"key"),
		"spark.a");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json,
					     "sql_configuration_parameters."
					     "configuration_pairs")
				     ->child,
			     "key"),
		"ANSI_MODE");
	assert_null(cJSON_GetObjectItem(r.json, "unknown"));
	emu_test_result_dispose(&r);
	/* PUT replaces: what is not sent is gone. */
	emu_test_ok(ws, "PUT", CONFIG, "{\"security_policy\":\"PASSTHROUGH\"}",
		    EMU_TEST_TOKEN, "{}");
	r = call_ok(ws, "GET", CONFIG, NULL);
	assert_null(cJSON_GetObjectItem(r.json, "instance_profile_arn"));
	assert_null(cJSON_GetObjectItem(r.json, "data_access_config"));
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "PUT", CONFIG, "{\"security_policy\":\"ALL\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "security_policy");
	emu_test_fails(ws, "PUT", CONFIG, "{\"data_access_config\":[{}]}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "key");
	emu_test_fails(ws, "PUT", CONFIG, "{\"instance_profile_arn\":3}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "instance_profile_arn");
}

static void test_emu_sql_warehouses__state_round_trip(void **state)
{
	struct emu_workspace *ws = *state, *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-warehouses-XXXXXX";
	char *id = create(ws, "{\"name\":\"w\",\"cluster_size\":\"Small\"}");
	char *base = emu_printf(WH "/%s", id);
	struct emu_test_result r;

	emu_test_ok(ws, "PUT", CONFIG, "{\"security_policy\":\"NONE\"}",
		    EMU_TEST_TOKEN, "{}");
	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	unlink(path);
	r = call_ok(fresh, "GET", base, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "w");
	emu_test_result_dispose(&r);
	r = call_ok(fresh, "GET", CONFIG, NULL);
	assert_string_equal(emu_test_str(r.json, "security_policy"), "NONE");
	emu_test_result_dispose(&r);
	/* The next id is not one already issued. */
	free(create(fresh, "{\"name\":\"w2\",\"cluster_size\":\"Small\"}"));
	emu_workspace_free(fresh);
	free(base);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_sql_warehouses__defaults),
		T(test_emu_sql_warehouses__host),
		T(test_emu_sql_warehouses__checks),
		T(test_emu_sql_warehouses__states),
		T(test_emu_sql_warehouses__delete),
		T(test_emu_sql_warehouses__config),
		T(test_emu_sql_warehouses__state_round_trip),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
