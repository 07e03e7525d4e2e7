/*
 * Every registered resource's schema table is well formed
 * (tfp_schema_check), its type builds, and the provider's schema follows
 * the official provider's attribute names for what users switch from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "databricks.h"
#include "provider.h"
#include "registry.h"

static void test_registry__schema_tables_are_valid(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	size_t i, j;

	(void)state;
	tfp_diags_init(&d, a);
	for (i = 0; i < tfp_registry_n_resources; i++) {
		const struct tfp_resource *r = tfp_registry_resources[i];

		assert_int_equal(tfp_schema_check(&d, r->type_name, r->attrs,
						  r->blocks),
				 TFP_OK);
		assert_non_null(r->create);
		assert_non_null(r->read);
		assert_non_null(r->delete);
		assert_non_null(r->desc);
		/* Every resource has a computed "id", as in the official
		 * provider, so import IDs and references carry over. */
		assert_non_null(tfp_schema_find_attr(r->attrs, "id"));
		for (j = 0; j < i; j++)
			assert_string_not_equal(
				r->type_name,
				tfp_registry_resources[j]->type_name);
	}
	for (i = 0; i < tfp_registry_n_data_sources; i++) {
		const struct tfp_data_source *ds = tfp_registry_data_sources[i];

		assert_int_equal(tfp_schema_check(&d, ds->type_name, ds->attrs,
						  ds->blocks),
				 TFP_OK);
		assert_non_null(ds->read);
		assert_non_null(ds->desc);
	}
	assert_int_equal(tfp_schema_check(&d, "provider",
					  tfp_databricks_config_attrs, NULL),
			 TFP_OK);
	for (i = 0; i < d.n; i++)
		print_error("%s: %s\n", d.items[i].summary, d.items[i].detail);
	assert_int_equal(d.n, 0);
	tfp_arena_free(a);
}

static void test_registry__schema_check_finds_bugs(void **state)
{
	static const struct tfp_attr bad[] = {
		{ .name = "a", .type = &tfp_type_string, .desc = "no mode" },
		{ .name = "b", .type = &tfp_type_string,
		  .flags = TFP_REQUIRED | TFP_COMPUTED, .desc = "both" },
		{ .name = "a", .type = &tfp_type_string,
		  .flags = TFP_OPTIONAL, .desc = "twice" },
		{ .name = "c", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
		  .default_string = "x", .desc = "default on a bool" },
		{ .name = "d", .flags = TFP_OPTIONAL, .desc = "no type" },
		{ .name = "e", .type = &tfp_type_string, .flags = TFP_OPTIONAL },
		TFP_ATTR_END
	};
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;

	(void)state;
	tfp_diags_init(&d, a);
	assert_int_equal(tfp_schema_check(&d, "bad", bad, NULL), TFP_ERROR);
	assert_int_equal(d.n, 6);
	tfp_arena_free(a);
}

/*
 * Terraform refuses a state whose schema version is above the provider's,
 * so a user switching from the official provider needs ours to be at
 * least theirs: the official provider's versions (its SchemaVersion
 * fields) for the types we ship that have one; every other type is 0.
 */
static void test_registry__official_schema_versions(void **state)
{
	static const struct {
		const char *type;
		int64_t version;
	} official[] = {
		{"databricks_cluster", 4},
		{"databricks_job", 2},
		{"databricks_secret_scope", 2},
		{"databricks_cluster_policy", 1},
		{"databricks_workspace_binding", 1},
		{"databricks_metastore_data_access", 1},
		{"databricks_mws_customer_managed_keys", 1},
		{"databricks_mws_workspaces", 3},
		{"databricks_dbfs_file", 1},
		{"databricks_global_init_script", 1},
		{"databricks_notebook", 1},
		{"databricks_workspace_file", 1},
		{"databricks_git_credential", 1},
		{"databricks_repo", 1},
		/* None of the settings types has a SchemaVersion. */
		{"databricks_workspace_conf", 0},
		{"databricks_ip_access_list", 0},
		{"databricks_default_namespace_setting", 0},
		{"databricks_restrict_workspace_admins_setting", 0},
		{"databricks_disable_legacy_dbfs_setting", 0},
		{"databricks_disable_legacy_access_setting", 0},
		{"databricks_automatic_cluster_update_workspace_setting", 0},
		{"databricks_sql_endpoint", 0},
		{"databricks_sql_global_config", 0},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < tfp_registry_n_resources; i++) {
		const struct tfp_resource *r = tfp_registry_resources[i];
		int64_t want = 0;

		for (j = 0; j < sizeof(official) / sizeof(official[0]); j++)
			if (strcmp(official[j].type, r->type_name) == 0)
				want = official[j].version;
		if (r->schema_version != want)
			fprintf(stderr, "%s: schema_version %lld, official %lld\n",
				r->type_name, (long long)r->schema_version,
				(long long)want);
		assert_int_equal(r->schema_version, want);
	}
}

static void test_registry__provider_types(void **state)
{
	struct tfp_provider *p = tfp_provider_new(&tfp_databricks_provider);
	const struct tfp_rt_resource *r;

	(void)state;
	assert_int_equal(tfp_provider_n_resources(p), tfp_registry_n_resources);
	r = tfp_provider_find_resource(p, "databricks_secret_scope");
	assert_non_null(r);
	assert_true(tfp_type_attr_index(r->type, "keyvault_metadata") >= 0);
	assert_int_equal(r->type->attr_types[tfp_type_attr_index(
				     r->type, "keyvault_metadata")]
				 ->kind,
			 TFP_KIND_LIST);
	r = tfp_provider_find_resource(p, "databricks_secret");
	assert_non_null(r);
	assert_true(tfp_type_attr_index(r->type, "string_value") >= 0);
	assert_true(tfp_type_attr_index(r->type, "config_reference") >= 0);
	assert_non_null(tfp_provider_find_resource(p, "databricks_secret_acl"));
	assert_null(tfp_provider_find_resource(p, "databricks_nope"));
	assert_true(tfp_type_attr_index(tfp_provider_config_type(p), "host") >=
		    0);
	tfp_provider_free(p);
}

static void test_registry__paths_render(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_path *p;

	(void)state;
	p = tfp_path_attr(a, NULL, "task");
	p = tfp_path_index(a, p, 2);
	p = tfp_path_attr(a, p, "tags");
	assert_string_equal(tfp_path_string(a, tfp_path_key(a, p, "env")),
			    "task[2].tags[\"env\"]");
	assert_string_equal(tfp_path_string(a, NULL), "");
	assert_true(tfp_path_equal(p, p));
	assert_false(tfp_path_equal(p, tfp_path_attr(a, NULL, "task")));
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry__schema_tables_are_valid),
		cmocka_unit_test(test_registry__schema_check_finds_bugs),
		cmocka_unit_test(test_registry__official_schema_versions),
		cmocka_unit_test(test_registry__provider_types),
		cmocka_unit_test(test_registry__paths_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
