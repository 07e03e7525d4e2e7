/*
 * The Databricks SQL family's pure functions (resources/sql/): a
 * warehouse's answer in the resource's and the data source's shapes, the
 * deleted states, the data source id lookup in the legacy list, and the
 * global configuration's maps against the API's key/value pairs. The
 * tables' flags that decide what plans show are checked too: the run-time
 * values are computed only, the service's defaults optional+computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "registry.h"
#include "schema.h"
#include "sql/sql_internal.h"

/* json's compact text, compared with want. */
static void assert_json(const cJSON *json, const char *want)
{
	char *got = cJSON_PrintUnformatted(json);

	if (strcmp(got, want) != 0)
		fail_msg("got %s, want %s", got, want);
	free(got);
}

static void test_sql__warehouse_shape(void **state)
{
	static const char *const in =
		"{\"id\":\"w1\",\"name\":\"n\",\"tags\":{\"custom_tags\":[]},"
		"\"health\":{\"status\":\"FAILED\",\"failure_reason\":"
		"{\"code\":\"X\"}},\"odbc_params\":{\"port\":443}}";
	cJSON *j = cJSON_Parse(in);

	(void)state;
	tfp_sql__warehouse_shape(j, true);
	assert_json(j, "{\"id\":\"w1\",\"name\":\"n\",\"health\":[{\"status\":"
		       "\"FAILED\",\"failure_reason\":[{\"code\":\"X\"}]}],"
		       "\"odbc_params\":[{\"port\":443}]}");
	cJSON_Delete(j);

	/* The data source's blocks take the objects as they are. */
	j = cJSON_Parse(in);
	tfp_sql__warehouse_shape(j, false);
	assert_json(j, "{\"id\":\"w1\",\"name\":\"n\",\"health\":{\"status\":"
		       "\"FAILED\",\"failure_reason\":{\"code\":\"X\"}},"
		       "\"odbc_params\":{\"port\":443}}");
	cJSON_Delete(j);

	/* Tags with custom tags stay; nothing else is needed. */
	j = cJSON_Parse("{\"tags\":{\"custom_tags\":[{\"key\":\"a\","
			"\"value\":\"b\"}]}}");
	tfp_sql__warehouse_shape(j, true);
	assert_json(j, "{\"tags\":{\"custom_tags\":[{\"key\":\"a\","
		       "\"value\":\"b\"}]}}");
	cJSON_Delete(j);
}

static void test_sql__warehouse_deleted(void **state)
{
	static const struct {
		const char *json;
		bool deleted;
	} rows[] = {
		{"{\"state\":\"DELETED\"}", true},
		{"{\"state\":\"DELETING\"}", true},
		{"{\"state\":\"STOPPED\"}", false},
		{"{\"state\":\"RUNNING\"}", false},
		{"{}", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cJSON *j = cJSON_Parse(rows[i].json);

		assert_int_equal(tfp_sql__warehouse_deleted(j),
				 rows[i].deleted);
		cJSON_Delete(j);
	}
}

static void test_sql__data_source_id(void **state)
{
	cJSON *list = cJSON_Parse("[{\"id\":\"ds-1\",\"warehouse_id\":\"w1\"},"
				  "{\"id\":\"ds-2\"},"
				  "{\"id\":\"ds-3\",\"warehouse_id\":\"w3\"}]");

	(void)state;
	assert_string_equal(tfp_sql__data_source_id(list, "w3"), "ds-3");
	assert_string_equal(tfp_sql__data_source_id(list, "w1"), "ds-1");
	assert_null(tfp_sql__data_source_id(list, "w2"));
	assert_null(tfp_sql__data_source_id(NULL, "w1"));
	cJSON_Delete(list);
}

static void test_sql__pairs(void **state)
{
	cJSON *map = cJSON_Parse("{\"a\":\"1\",\"b\":\"2\",\"n\":3}");
	cJSON *pairs = tfp_sql__pairs_from_map(map);
	cJSON *back = tfp_sql__map_from_pairs(pairs);
	cJSON *odd = cJSON_Parse("[{\"key\":\"k\"},{\"value\":\"v\"},"
				 "{\"key\":\"k2\",\"value\":\"x\"},"
				 "{\"key\":\"k2\",\"value\":\"y\"}]");
	cJSON *m;

	(void)state;
	assert_json(pairs, "[{\"key\":\"a\",\"value\":\"1\"},"
			   "{\"key\":\"b\",\"value\":\"2\"}]");
	assert_json(back, "{\"a\":\"1\",\"b\":\"2\"}");
	m = tfp_sql__map_from_pairs(odd);
	assert_json(m, "{\"k\":\"\",\"k2\":\"y\"}");
	cJSON_Delete(m);
	m = tfp_sql__pairs_from_map(NULL);
	assert_json(m, "[]");
	cJSON_Delete(m);
	m = tfp_sql__map_from_pairs(NULL);
	assert_json(m, "{}");
	cJSON_Delete(m);
	cJSON_Delete(odd);
	cJSON_Delete(back);
	cJSON_Delete(pairs);
	cJSON_Delete(map);
}

static const struct tfp_attr *attr_of(const char *type, const char *name)
{
	size_t i;

	for (i = 0; i < tfp_registry_n_resources; i++)
		if (strcmp(tfp_registry_resources[i]->type_name, type) == 0)
			return tfp_schema_find_attr(
				tfp_registry_resources[i]->attrs, name);
	return NULL;
}

static void test_sql__flags(void **state)
{
	static const char *const run[] = {"state", "num_clusters",
					  "num_active_sessions", "health"};
	static const char *const served[] = {
		"min_num_clusters",
		"max_num_clusters",
		"auto_stop_mins",
		"enable_photon",
		"enable_serverless_compute",
		"warehouse_type",
		"spot_instance_policy",
		"data_source_id",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(run) / sizeof(run[0]); i++) {
		const struct tfp_attr *a =
			attr_of("databricks_sql_endpoint", run[i]);

		assert_non_null(a);
		assert_int_equal(a->flags & (TFP_OPTIONAL | TFP_COMPUTED),
				 TFP_COMPUTED);
	}
	for (i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		const struct tfp_attr *a =
			attr_of("databricks_sql_endpoint", served[i]);

		assert_non_null(a);
		assert_int_equal(a->flags & (TFP_OPTIONAL | TFP_COMPUTED),
				 TFP_OPTIONAL | TFP_COMPUTED);
	}
	assert_true(attr_of("databricks_sql_endpoint", "cluster_size")->flags &
		    TFP_REQUIRED);
	assert_non_null(
		attr_of("databricks_sql_endpoint", "cluster_size")->validate);
	assert_true(attr_of("databricks_sql_global_config",
			    "enable_serverless_compute")
			    ->flags &
		    TFP_DEPRECATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql__warehouse_shape),
		cmocka_unit_test(test_sql__warehouse_deleted),
		cmocka_unit_test(test_sql__data_source_id),
		cmocka_unit_test(test_sql__pairs),
		cmocka_unit_test(test_sql__flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
