/*
 * Unit tests for the emulated Cluster Policies API (emulator/policies.c)
 * and what a policy does to a cluster (emulator/clusters.c): fixed tags
 * and settings (numbers and booleans as text) appear in the cluster's
 * details but not in its spec, a missing policy is refused, and policies
 * survive --state.
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

#define EMU_TEST_TOKEN "dapi-policies-test"
#include "emu_test.h"

#define POLICIES "/api/2.0/policies/clusters/"
#define DEFINITION                                                             \
	"{\\\"custom_tags.cost-center\\\":{\\\"type\\\":\\\"fixed\\\","         \
	"\\\"value\\\":\\\"cc-42\\\"},\\\"spark_conf.spark.x\\\":{\\\"type\\\":" \
	"\\\"fixed\\\",\\\"value\\\":\\\"on\\\"},\\\"autotermination_minutes\\\":" \
	"{\\\"type\\\":\\\"range\\\",\\\"maxValue\\\":120}}"

/* Creates the test policy; returns its id (malloc'd). */
static char *create_policy(struct emu_workspace *ws, const char *name)
{
	char *body = emu_printf("{\"name\":\"%s\",\"definition\":\"%s\"}",
				name, DEFINITION);
	struct emu_test_result r = call_ok(ws, "POST", POLICIES "create", body);
	char *id = emu_xstrdup(emu_test_str(r.json, "policy_id"));

	assert_int_equal(strlen(id), 16);
	emu_test_result_dispose(&r);
	free(body);
	return id;
}

static char *create_cluster(struct emu_workspace *ws, const char *policy_id)
{
	char *body = emu_printf(
		"{\"cluster_name\":\"p\",\"spark_version\":\"15.4.x-scala2.12\","
		"\"node_type_id\":\"i3.xlarge\",\"num_workers\":1,"
		"\"policy_id\":\"%s\",\"custom_tags\":{\"team\":\"data\"}}",
		policy_id);
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.1/clusters/create", body);
	char *id = emu_xstrdup(emu_test_str(r.json, "cluster_id"));

	emu_test_result_dispose(&r);
	free(body);
	return id;
}

static void test_emu_policies__crud(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create_policy(ws, "finance"), *target;
	struct emu_test_result r;

	target = emu_printf(POLICIES "get?policy_id=%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "finance");
	assert_non_null(strstr(emu_test_str(r.json, "definition"),
			       "cost-center"));
	emu_test_result_dispose(&r);
	/* Names are unique, without regard to case. */
	emu_test_fails(ws, "POST", POLICIES "create",
		       "{\"name\":\"FINANCE\"}", EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "already exists");
	emu_test_fails(ws, "POST", POLICIES "create",
		       "{\"name\":\"x\",\"definition\":\"[1]\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "not a valid JSON object");
	r = call_ok(ws, "GET", POLICIES "list", NULL);
	assert_int_equal(emu_test_int(r.json, "total_count"), 1);
	emu_test_result_dispose(&r);
	free(target);
	target = emu_printf("{\"policy_id\":\"%s\"}", id);
	r = call_ok(ws, "POST", POLICIES "delete", target);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "POST", POLICIES "delete", target, EMU_TEST_TOKEN,
		       400, "INVALID_PARAMETER_VALUE", NULL,
		       "Can't find a cluster policy");
	/* get answers a policy that is gone with 404 RESOURCE_DOES_NOT_EXIST,
	 * as a workspace does (the Databricks SDK's logs in
	 * databrickslabs/ucx issue 502). */
	free(target);
	target = emu_printf(POLICIES "get?policy_id=%s", id);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL,
		       "Can't find a cluster policy with id: ");
	free(target);
	free(id);
}

/* The policy's fixed values are on the cluster, not in its spec. */
static void test_emu_policies__cluster_shows_fixed_values(void **state)
{
	struct emu_workspace *ws = *state;
	char *policy = create_policy(ws, "finance");
	char *cluster = create_cluster(ws, policy);
	char *target = emu_printf("/api/2.1/clusters/get?cluster_id=%s",
				  cluster);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "custom_tags"), "team"),
		"data");
	assert_string_equal(emu_test_str(emu_test_member(r.json,
							 "custom_tags"),
					 "cost-center"),
			    "cc-42");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "spark_conf"), "spark.x"),
		"on");
	assert_null(emu_test_str(emu_test_member(r.json, "spec.custom_tags"),
				 "cost-center"));
	assert_string_equal(emu_test_str(emu_test_member(r.json,
							 "spec.custom_tags"),
					 "team"),
			    "data");
	emu_test_result_dispose(&r);
	free(target);
	free(cluster);
	free(policy);
}

/*
 * Fixed numbers and booleans (allowed on real policies) show as the
 * strings the workspace shows: exact integers without a fraction. Values
 * no map can hold are left out.
 */
static void test_emu_policies__fixed_numbers_and_booleans(void **state)
{
	static const struct {
		const char *map, *key, *text;
	} expected[] = {
		{"spark_conf", "n", "2"},
		{"spark_conf", "two", "2"},
		{"spark_conf", "neg", "-7"},
		{"spark_conf", "half", "0.5"},
		{"spark_conf", "tenth", "0.1"},
		{"spark_conf", "big", "123456789012345"},
		{"spark_env_vars", "ON", "true"},
		{"custom_tags", "off", "false"},
		{"custom_tags", "s", "text"},
	};
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *policy, *cluster, *target, *text;
	cJSON *values, *def, *body;
	const cJSON *conf, *value;
	size_t i;

	/* A fixed rule for each value; the definition goes as a string. */
	values = cJSON_Parse(
		"{\"spark_conf.n\": 2, \"spark_conf.two\": 2.0, "
		"\"spark_conf.neg\": -7, \"spark_conf.half\": 0.5, "
		"\"spark_conf.tenth\": 0.1, "
		"\"spark_conf.big\": 123456789012345, "
		"\"spark_conf.none\": null, \"spark_conf.obj\": {}, "
		"\"spark_env_vars.ON\": true, "
		"\"custom_tags.off\": false, "
		"\"custom_tags.s\": \"text\"}");
	assert_non_null(values);
	def = cJSON_CreateObject();
	cJSON_ArrayForEach(value, values)
	{
		cJSON *rule = cJSON_AddObjectToObject(def, value->string);

		cJSON_AddStringToObject(rule, "type", "fixed");
		cJSON_AddItemToObject(rule, "value", cJSON_Duplicate(value, 1));
	}
	text = cJSON_PrintUnformatted(def);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", "typed");
	cJSON_AddStringToObject(body, "definition", text);
	free(text);
	text = cJSON_PrintUnformatted(body);
	r = call_ok(ws, "POST", POLICIES "create", text);
	free(text);
	cJSON_Delete(body);
	cJSON_Delete(def);
	cJSON_Delete(values);
	policy = emu_xstrdup(emu_test_str(r.json, "policy_id"));
	emu_test_result_dispose(&r);
	cluster = create_cluster(ws, policy);
	target = emu_printf("/api/2.1/clusters/get?cluster_id=%s", cluster);
	r = call_ok(ws, "GET", target, NULL);
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		assert_string_equal(
			emu_test_str(emu_test_member(r.json, expected[i].map),
				     expected[i].key),
			expected[i].text);
	conf = emu_test_member(r.json, "spark_conf");
	assert_null(cJSON_GetObjectItemCaseSensitive(conf, "none"));
	assert_null(cJSON_GetObjectItemCaseSensitive(conf, "obj"));
	assert_null(emu_test_member(r.json, "spec.spark_conf"));
	emu_test_result_dispose(&r);
	free(target);
	free(cluster);
	free(policy);
}

static void test_emu_policies__missing_policy_refused(void **state)
{
	struct emu_workspace *ws = *state;

	emu_test_fails(ws, "POST", "/api/2.1/clusters/create",
		       "{\"spark_version\":\"15.4.x-scala2.12\","
		       "\"node_type_id\":\"i3.xlarge\",\"num_workers\":1,"
		       "\"policy_id\":\"E000000000000099\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Can't find a cluster policy with id: E000000000000099");
}

static void test_emu_policies__state_round_trip(void **state)
{
	struct emu_workspace *ws = *state, *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-policies-XXXXXX";
	char *policy = create_policy(ws, "finance");
	char *cluster = create_cluster(ws, policy);
	char *target = emu_printf("/api/2.1/clusters/get?cluster_id=%s",
				  cluster);
	struct emu_test_result r;

	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	unlink(path);
	r = call_ok(fresh, "GET", target, NULL);
	assert_string_equal(emu_test_str(emu_test_member(r.json,
							 "custom_tags"),
					 "cost-center"),
			    "cc-42");
	emu_test_result_dispose(&r);
	r = call_ok(fresh, "GET", POLICIES "list", NULL);
	assert_int_equal(emu_test_int(r.json, "total_count"), 1);
	emu_test_result_dispose(&r);
	emu_workspace_free(fresh);
	free(target);
	free(cluster);
	free(policy);
}

/*
 * Policy families: the catalogue, and a policy made from a family takes
 * the family's definition with the overrides merged over it; edit
 * replaces the settable fields.
 */
static void test_emu_policies__families(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *target;
	cJSON *def;

	r = call_ok(ws, "GET", "/api/2.0/policy-families?", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 r.json, "policy_families")),
			 4);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", "/api/2.0/policy-families/job-cluster", NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "Job Compute");
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", "/api/2.0/policy-families/nope", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Policy family nope does not exist.", NULL);
	emu_test_fails(ws, "POST", POLICIES "create",
		       "{\"name\":\"f\",\"policy_family_id\":\"power-user\","
		       "\"definition\":\"{}\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "definition cannot be set");
	r = call_ok(ws, "POST", POLICIES "create",
		    "{\"name\":\"f\",\"policy_family_id\":\"power-user\","
		    "\"policy_family_definition_overrides\":"
		    "\"{\\\"custom_tags.team\\\":{\\\"type\\\":\\\"fixed\\\","
		    "\\\"value\\\":\\\"ml\\\"}}\",\"max_clusters_per_user\":2,"
		    "\"libraries\":[{\"pypi\":{\"package\":\"numpy\"}}]}");
	id = emu_xstrdup(emu_test_str(r.json, "policy_id"));
	emu_test_result_dispose(&r);
	target = emu_printf(POLICIES "get?policy_id=%s", id);
	r = call_ok(ws, "GET", target, NULL);
	def = cJSON_Parse(emu_test_str(r.json, "definition"));
	assert_non_null(cJSON_GetObjectItem(def, "custom_tags.team"));
	assert_non_null(cJSON_GetObjectItem(def, "cluster_type"));
	assert_int_equal(emu_test_int(r.json, "max_clusters_per_user"), 2);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "libraries")),
		1);
	cJSON_Delete(def);
	emu_test_result_dispose(&r);
	free(target);
	/* Edit is a full replace: what is not sent goes. */
	target = emu_printf("{\"policy_id\":\"%s\",\"name\":\"g\"}", id);
	emu_test_ok(ws, "POST", POLICIES "edit", target, EMU_TEST_TOKEN, "{}");
	free(target);
	target = emu_printf(POLICIES "get?policy_id=%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "g");
	assert_string_equal(emu_test_str(r.json, "definition"), "{}");
	assert_null(cJSON_GetObjectItem(r.json, "max_clusters_per_user"));
	assert_null(cJSON_GetObjectItem(r.json, "policy_family_id"));
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, emu_test_setup,      \
						emu_test_teardown)
		T(test_emu_policies__crud),
		T(test_emu_policies__cluster_shows_fixed_values),
		T(test_emu_policies__fixed_numbers_and_booleans),
		T(test_emu_policies__missing_policy_refused),
		T(test_emu_policies__state_round_trip),
		T(test_emu_policies__families),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
