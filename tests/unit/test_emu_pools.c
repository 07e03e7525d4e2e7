/*
 * Unit tests for the emulated Instance Pools and Instance Profiles APIs
 * (emulator/compute/pools.c): the fields the server fills, idle instances
 * appearing on the workspace clock, what edit may and may not change, the
 * service's errors, ARN checks, and --state.
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

#define EMU_TEST_TOKEN "dapi-pools-test"
#include "emu_test.h"

#define POOLS "/api/2.0/instance-pools/"
#define PROFILES "/api/2.0/instance-profiles/"
#define ARN "arn:aws:iam::123456789012:instance-profile/brick"

static int array_size(const cJSON *obj, const char *name)
{
	const cJSON *arr = cJSON_GetObjectItem(obj, name);

	assert_true(cJSON_IsArray(arr));
	return cJSON_GetArraySize(arr);
}

static char *create_pool(struct emu_workspace *ws, const char *name)
{
	char *body = emu_printf(
		"{\"instance_pool_name\":\"%s\",\"node_type_id\":\"i3.xlarge\","
		"\"min_idle_instances\":2,\"max_capacity\":10,"
		"\"idle_instance_autotermination_minutes\":15,"
		"\"custom_tags\":{\"team\":\"data\"},"
		"\"aws_attributes\":{\"availability\":\"SPOT\"},"
		"\"preloaded_spark_versions\":[\"15.4.x-scala2.12\"]}",
		name);
	struct emu_test_result r = call_ok(ws, "POST", POOLS "create", body);
	char *id = emu_xstrdup(emu_test_str(r.json, "instance_pool_id"));

	assert_non_null(strstr(id, "-pool-"));
	emu_test_result_dispose(&r);
	free(body);
	return id;
}

static void test_emu_pools__create_get_scale(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create_pool(ws, "small");
	char *target = emu_printf(POOLS "get?instance_pool_id=%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	assert_string_equal(emu_test_str(r.json, "instance_pool_name"),
			    "small");
	assert_string_equal(emu_test_str(r.json, "state"), "ACTIVE");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "default_tags"),
			     "DatabricksInstancePoolId"),
		id);
	assert_string_equal(emu_test_str(emu_test_member(r.json,
							 "default_tags"),
					 "Vendor"),
			    "Databricks");
	assert_int_equal(emu_test_int(r.json, "stats.pending_idle_count"), 2);
	assert_int_equal(emu_test_int(r.json, "stats.idle_count"), 0);
	assert_null(cJSON_GetObjectItem(r.json, "emu_idle_ready_at_ms"));
	assert_non_null(cJSON_GetObjectItem(r.json, "status"));
	emu_test_result_dispose(&r);

	emu_workspace_advance_clock(ws, 61 * 1000);
	r = call_ok(ws, "GET", target, NULL);
	assert_int_equal(emu_test_int(r.json, "stats.idle_count"), 2);
	assert_int_equal(emu_test_int(r.json, "stats.pending_idle_count"), 0);
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", POOLS "list", NULL);
	assert_int_equal(array_size(r.json, "instance_pools"), 1);
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

static void test_emu_pools__edit(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create_pool(ws, "small");
	char *target = emu_printf(POOLS "get?instance_pool_id=%s", id);
	char *body;
	struct emu_test_result r;

	emu_workspace_advance_clock(ws, 61 * 1000);
	/* The node type cannot change. */
	body = emu_printf("{\"instance_pool_id\":\"%s\",\"instance_pool_name\":"
			  "\"small\",\"node_type_id\":\"i3.2xlarge\"}",
			  id);
	emu_test_fails(ws, "POST", POOLS "edit", body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "node_type_id");
	free(body);
	/* Name and sizes change; the cloud attributes and preloaded
	 * versions stay though edit does not repeat them. */
	body = emu_printf("{\"instance_pool_id\":\"%s\",\"instance_pool_name\":"
			  "\"bigger\",\"node_type_id\":\"i3.xlarge\","
			  "\"min_idle_instances\":3,\"max_capacity\":20}",
			  id);
	emu_test_ok(ws, "POST", POOLS "edit", body, EMU_TEST_TOKEN, "{}");
	free(body);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "instance_pool_name"),
			    "bigger");
	assert_int_equal(emu_test_int(r.json, "max_capacity"), 20);
	assert_string_equal(emu_test_str(emu_test_member(r.json,
							 "aws_attributes"),
					 "availability"),
			    "SPOT");
	assert_int_equal(array_size(r.json, "preloaded_spark_versions"), 1);
	assert_null(cJSON_GetObjectItem(r.json, "custom_tags"));
	/* The new minimum is pending until the pool has scaled. */
	assert_int_equal(emu_test_int(r.json, "stats.pending_idle_count"), 3);
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, 61 * 1000);
	r = call_ok(ws, "GET", target, NULL);
	assert_int_equal(emu_test_int(r.json, "stats.idle_count"), 3);
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

static void test_emu_pools__errors(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create_pool(ws, "small"), *body, *perms;

	emu_test_fails(ws, "GET", POOLS "get?instance_pool_id=nope", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Can't find an instance pool with id: nope.", NULL);
	emu_test_fails(ws, "POST", POOLS "create",
		       "{\"instance_pool_name\":\"small\","
		       "\"node_type_id\":\"i3.xlarge\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "already exists");
	emu_test_fails(ws, "POST", POOLS "create",
		       "{\"instance_pool_name\":\"x\",\"node_type_id\":\"m0\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Node type m0 is not supported");
	emu_test_fails(ws, "POST", POOLS "create",
		       "{\"instance_pool_name\":\"x\"}", EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE",
		       "Missing required field: node_type_id", NULL);
	emu_test_fails(ws, "POST", POOLS "create",
		       "{\"instance_pool_name\":\"x\",\"node_type_id\":"
		       "\"i3.xlarge\",\"min_idle_instances\":5,"
		       "\"max_capacity\":2}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "must be greater than or equal to min_idle_instances");
	emu_test_fails(ws, "POST", POOLS "create",
		       "{\"instance_pool_name\":\"x\",\"node_type_id\":"
		       "\"i3.xlarge\",\"preloaded_spark_versions\":[\"a\",\"b\"]}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "at most 1");
	emu_test_fails(ws, "POST", POOLS "create",
		       "{\"instance_pool_name\":\"x\",\"node_type_id\":"
		       "\"i3.xlarge\",\"min_idle_instances\":-1}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "min_idle_instances");
	/* The Permissions API knows which pools exist. */
	emu_test_fails(ws, "GET", "/api/2.0/permissions/instance-pools/nope",
		       NULL, EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Can't find an instance pool with id: nope.", NULL);
	perms = emu_printf("/api/2.0/permissions/instance-pools/%s", id);
	emu_test_ok(ws, "GET", perms, NULL, EMU_TEST_TOKEN, NULL);
	body = emu_printf("{\"instance_pool_id\":\"%s\"}", id);
	emu_test_ok(ws, "POST", POOLS "delete", body, EMU_TEST_TOKEN, "{}");
	emu_test_fails(ws, "GET", perms, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	free(perms);
	emu_test_fails(ws, "POST", POOLS "delete", body, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	free(body);
	/* An empty list omits the array. */
	emu_test_ok(ws, "GET", POOLS "list", NULL, EMU_TEST_TOKEN, "{}");
	free(id);
}

/* A cluster on a pool runs on the pool's node type; an unknown pool is
 * refused. */
static void test_emu_pools__cluster_on_pool(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create_pool(ws, "small"), *body, *target;
	struct emu_test_result r;

	body = emu_printf("{\"cluster_name\":\"c\",\"spark_version\":"
			  "\"15.4.x-scala2.12\",\"num_workers\":1,"
			  "\"instance_pool_id\":\"%s\"}",
			  id);
	r = call_ok(ws, "POST", "/api/2.1/clusters/create", body);
	target = emu_printf("/api/2.1/clusters/get?cluster_id=%s",
			    emu_test_str(r.json, "cluster_id"));
	emu_test_result_dispose(&r);
	free(body);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "node_type_id"), "i3.xlarge");
	assert_string_equal(emu_test_str(r.json, "driver_node_type_id"),
			    "i3.xlarge");
	assert_string_equal(emu_test_str(r.json, "instance_pool_id"), id);
	emu_test_result_dispose(&r);
	free(target);
	emu_test_fails(ws, "POST", "/api/2.1/clusters/create",
		       "{\"cluster_name\":\"c\",\"spark_version\":"
		       "\"15.4.x-scala2.12\",\"num_workers\":1,"
		       "\"instance_pool_id\":\"nope\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE",
		       "Can't find an instance pool with id: nope.", NULL);
	free(id);
}

static void test_emu_pools__profiles(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	emu_test_ok(ws, "GET", PROFILES "list", NULL, EMU_TEST_TOKEN, "{}");
	emu_test_ok(ws, "POST", PROFILES "add",
		    "{\"instance_profile_arn\":\"" ARN "\","
		    "\"skip_validation\":true}",
		    EMU_TEST_TOKEN, "{}");
	r = call_ok(ws, "GET", PROFILES "list", NULL);
	assert_int_equal(array_size(r.json, "instance_profiles"), 1);
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(
				     cJSON_GetObjectItem(r.json,
							 "instance_profiles"),
				     0),
			     "instance_profile_arn"),
		ARN);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(r.json,
						       "instance_profiles"),
				   0),
		"is_meta_instance_profile")));
	assert_null(strstr(r.text, "skip_validation"));
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "POST", PROFILES "add",
		       "{\"instance_profile_arn\":\"" ARN "\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "already exists");
	emu_test_fails(ws, "POST", PROFILES "add",
		       "{\"instance_profile_arn\":\"arn:aws:iam::12:"
		       "instance-profile/x\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Invalid instance profile ARN");
	emu_test_fails(ws, "POST", PROFILES "add",
		       "{\"instance_profile_arn\":\"arn:aws:iam::123456789012:"
		       "role/x\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Invalid instance profile ARN");
	emu_test_fails(ws, "POST", PROFILES "edit",
		       "{\"instance_profile_arn\":\"" ARN "\","
		       "\"iam_role_arn\":\"bad\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Invalid IAM role ARN");
	emu_test_ok(ws, "POST", PROFILES "edit",
		    "{\"instance_profile_arn\":\"" ARN "\",\"iam_role_arn\":"
		    "\"arn:aws:iam::123456789012:role/brick\","
		    "\"is_meta_instance_profile\":true}",
		    EMU_TEST_TOKEN, "{}");
	r = call_ok(ws, "GET", PROFILES "list", NULL);
	assert_non_null(strstr(r.text, "role/brick"));
	emu_test_result_dispose(&r);
	emu_test_ok(ws, "POST", PROFILES "remove",
		    "{\"instance_profile_arn\":\"" ARN "\"}", EMU_TEST_TOKEN,
		    "{}");
	emu_test_fails(ws, "POST", PROFILES "remove",
		       "{\"instance_profile_arn\":\"" ARN "\"}",
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST", NULL,
		       "does not exist");
}

static void test_emu_pools__state_round_trip(void **state)
{
	struct emu_workspace *ws = *state, *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-pools-XXXXXX";
	char *id = create_pool(ws, "kept");
	char *target = emu_printf(POOLS "get?instance_pool_id=%s", id);
	struct emu_test_result r;

	emu_test_ok(ws, "POST", PROFILES "add",
		    "{\"instance_profile_arn\":\"" ARN "\"}", EMU_TEST_TOKEN,
		    "{}");
	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	unlink(path);
	r = call_ok(fresh, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "instance_pool_name"),
			    "kept");
	assert_int_equal(emu_test_int(r.json, "stats.pending_idle_count"), 2);
	emu_test_result_dispose(&r);
	r = call_ok(fresh, "GET", PROFILES "list", NULL);
	assert_int_equal(array_size(r.json, "instance_profiles"), 1);
	emu_test_result_dispose(&r);
	emu_workspace_free(fresh);
	free(target);
	free(id);
}

/* AWS fleet attributes are kept as created, like the cloud attributes:
 * a client reads back what it sent, and edit cannot change them. */
static void test_emu_pools__fleet_attributes(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r = call_ok(
		ws, "POST", POOLS "create",
		"{\"instance_pool_name\":\"fleet\",\"node_type_id\":"
		"\"i3.xlarge\",\"idle_instance_autotermination_minutes\":10,"
		"\"instance_pool_fleet_attributes\":{\"fleet_spot_option\":"
		"{\"allocation_strategy\":\"LOWEST_PRICE\"},"
		"\"launch_template_overrides\":[{\"availability_zone\":"
		"\"us-east-1a\",\"instance_type\":\"i3.xlarge\"}]}}");
	char *id = emu_xstrdup(emu_test_str(r.json, "instance_pool_id"));
	char *target = emu_printf(POOLS "get?instance_pool_id=%s", id);
	char *body;
	const cJSON *fleet;

	emu_test_result_dispose(&r);
	body = emu_printf("{\"instance_pool_id\":\"%s\","
			  "\"instance_pool_name\":\"fleet\","
			  "\"node_type_id\":\"i3.xlarge\","
			  "\"idle_instance_autotermination_minutes\":10}",
			  id);
	emu_test_ok(ws, "POST", POOLS "edit", body, EMU_TEST_TOKEN, "{}");
	free(body);
	r = call_ok(ws, "GET", target, NULL);
	fleet = emu_test_member(r.json, "instance_pool_fleet_attributes");
	assert_string_equal(emu_test_str(emu_test_member(fleet,
							 "fleet_spot_option"),
					 "allocation_strategy"),
			    "LOWEST_PRICE");
	assert_int_equal(array_size(fleet, "launch_template_overrides"), 1);
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, emu_test_setup,      \
						emu_test_teardown)
		T(test_emu_pools__create_get_scale),
		T(test_emu_pools__edit),
		T(test_emu_pools__errors),
		T(test_emu_pools__cluster_on_pool),
		T(test_emu_pools__profiles),
		T(test_emu_pools__state_round_trip),
		T(test_emu_pools__fleet_attributes),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
