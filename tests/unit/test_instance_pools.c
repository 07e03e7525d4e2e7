/*
 * Instance pools and instance profiles (resources/compute/instance_pool.c,
 * instance_profile.c, the group link in identity/scim_links.c): the ARN
 * checks the official provider makes, the pool's cross-argument checks,
 * the defaults the plans fill (enable_elastic_disk, skip_validation), and
 * the table flags that decide what replaces a pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "path.h"
#include "registry.h"
#include "schema.h"
#include "value.h"

static const struct tfp_resource *find_type(const char *name)
{
	size_t i;

	for (i = 0; i < tfp_registry_n_resources; i++)
		if (strcmp(tfp_registry_resources[i]->type_name, name) == 0)
			return tfp_registry_resources[i];
	fail_msg("%s is not registered", name);
	return NULL;
}

static struct tfp_value *object_of(struct tfp_arena *a,
				   const struct tfp_resource *r)
{
	return tfp_value_object(a, tfp_schema_type(a, r->attrs, r->blocks));
}

/* Gives obj one element in its list block name; returns the element. */
static struct tfp_value *add_block(struct tfp_arena *a, struct tfp_value *obj,
				   const char *name)
{
	const struct tfp_type *lt =
		obj->type->attr_types[tfp_type_attr_index(obj->type, name)];
	struct tfp_value *l = tfp_value_collection(a, lt, 1);

	l->u.coll.items[0] = tfp_value_object(a, lt->elem);
	tfp_value_set(obj, name, l);
	return l->u.coll.items[0];
}

static void test_instance_pools__arns(void **state)
{
	static const struct {
		tfp_validate_fn fn;
		const char *value;
		bool ok;
	} rows[] = {
		{tfp_validate_instance_profile_arn,
		 "arn:aws:iam::123456789012:instance-profile/etl", true},
		{tfp_validate_instance_profile_arn,
		 "arn:aws-us-gov:iam::123456789012:instance-profile/a/b", true},
		{tfp_validate_instance_profile_arn,
		 "arn:aws:iam::123456789012:role/etl", false},
		{tfp_validate_instance_profile_arn, "instance-profile/etl",
		 false},
		{tfp_validate_instance_profile_arn, "arn:aws:iam::1:", false},
		{tfp_validate_instance_profile_arn, "", false},
		{tfp_validate_iam_role_arn,
		 "arn:aws:iam::123456789012:role/etl", true},
		{tfp_validate_iam_role_arn, "", true},
		{tfp_validate_iam_role_arn,
		 "arn:aws:iam::123456789012:instance-profile/etl", false},
		{tfp_validate_iam_role_arn, "role/etl", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		struct tfp_arena *a = tfp_arena_new();
		struct tfp_diags d;
		const struct tfp_path *p = tfp_path_attr(a, NULL, "arn");
		int got;

		tfp_diags_init(&d, a);
		got = rows[i].fn(&d, p, tfp_value_string(a, rows[i].value));
		if ((got == TFP_OK) != rows[i].ok)
			fail_msg("\"%s\": expected %s", rows[i].value,
				 rows[i].ok ? "ok" : "an error");
		if (!rows[i].ok) {
			assert_int_equal(d.n, 1);
			assert_true(tfp_path_equal(d.items[0].path, p));
			assert_string_equal(d.items[0].summary, "Invalid ARN");
		}
		tfp_arena_free(a);
	}
}

static void test_instance_pools__one_cloud(void **state)
{
	const struct tfp_resource *r = find_type("databricks_instance_pool");
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d};
	struct tfp_value *config = object_of(a, r);

	(void)state;
	tfp_diags_init(&d, a);
	add_block(a, config, "aws_attributes");
	assert_int_equal(r->validate(&call, config), TFP_OK);
	add_block(a, config, "gcp_attributes");
	assert_int_equal(r->validate(&call, config), TFP_ERROR);
	assert_int_equal(d.n, 1);
	assert_true(tfp_path_equal(d.items[0].path,
				   tfp_path_attr(a, NULL, "gcp_attributes")));

	/* Fleet attributes name the instance types: no node_type_id. */
	tfp_diags_init(&d, a);
	config = object_of(a, r);
	add_block(a, config, "instance_pool_fleet_attributes");
	assert_int_equal(r->validate(&call, config), TFP_OK);
	tfp_value_set(config, "node_type_id", tfp_value_string(a, "i3.xlarge"));
	assert_int_equal(r->validate(&call, config), TFP_ERROR);
	assert_true(tfp_path_equal(d.items[0].path,
				   tfp_path_attr(a, NULL, "node_type_id")));
	/* Unknown may still be null: no error. */
	tfp_diags_init(&d, a);
	tfp_value_set(config, "node_type_id",
		      tfp_value_unknown(a, &tfp_type_string));
	assert_int_equal(r->validate(&call, config), TFP_OK);
	tfp_arena_free(a);
}

/* The flags that decide what an edit changes and what replaces a pool. */
static void test_instance_pools__flags(void **state)
{
	const struct tfp_resource *r = find_type("databricks_instance_pool");
	static const struct {
		const char *name;
		unsigned flags;
	} want[] = {
		{"instance_pool_name", TFP_REQUIRED},
		{"idle_instance_autotermination_minutes", TFP_REQUIRED},
		{"node_type_id", TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW},
		{"min_idle_instances", TFP_OPTIONAL | TFP_COMPUTED},
		{"max_capacity", TFP_OPTIONAL | TFP_COMPUTED},
		{"enable_elastic_disk",
		 TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW},
		{"custom_tags", TFP_OPTIONAL},
		{"preloaded_spark_versions", TFP_OPTIONAL | TFP_FORCE_NEW},
	};
	const struct tfp_attr *at;
	const struct tfp_block *b;
	size_t i, found = 0;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(want); i++)
		for (at = r->attrs; at->name != NULL; at++)
			if (strcmp(at->name, want[i].name) == 0) {
				assert_int_equal(at->flags, want[i].flags);
				found++;
			}
	assert_int_equal(found, TFP_ARRAY_SIZE(want));
	/* Every block is fixed at create; the cloud blocks may be filled by
	 * the workspace. */
	for (b = r->blocks; b->name != NULL; b++) {
		assert_true(b->flags & TFP_FORCE_NEW);
		if (strstr(b->name, "_attributes") != NULL &&
		    strcmp(b->name, "instance_pool_fleet_attributes") != 0)
			assert_true(b->flags & TFP_SERVER_FILLED);
	}
}

/* enable_elastic_disk: true for a new pool, the pool's own when it
 * exists; skip_validation: false unless set, false to true no change. */
static void test_instance_pools__plan_defaults(void **state)
{
	const struct tfp_resource *pool = find_type("databricks_instance_pool");
	const struct tfp_resource *prof =
		find_type("databricks_instance_profile");
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d, .data = pool->data};
	struct tfp_value *config, *plan, *prior;

	(void)state;
	tfp_diags_init(&d, a);
	config = object_of(a, pool);
	tfp_value_set_string(a, config, "instance_pool_name", "p");
	plan = tfp_value_copy(a, config);
	assert_int_equal(pool->modify_plan(&call,
					   tfp_value_null(a, config->type),
					   config, plan),
			 TFP_OK);
	assert_true(tfp_value_get_bool(plan, "enable_elastic_disk", false));
	prior = tfp_value_copy(a, config);
	tfp_value_set(prior, "enable_elastic_disk", tfp_value_bool(a, false));
	plan = tfp_value_copy(a, config);
	assert_int_equal(pool->modify_plan(&call, prior, config, plan), TFP_OK);
	assert_false(tfp_value_get_bool(plan, "enable_elastic_disk", true));

	call.data = prof->data;
	config = object_of(a, prof);
	tfp_value_set_string(a, config, "instance_profile_arn",
			     "arn:aws:iam::123456789012:instance-profile/x");
	plan = tfp_value_copy(a, config);
	assert_int_equal(prof->modify_plan(&call,
					   tfp_value_null(a, config->type),
					   config, plan),
			 TFP_OK);
	assert_false(tfp_value_get_bool(plan, "skip_validation", true));
	assert_true(tfp_value_is_known(tfp_value_get(plan, "skip_validation")));
	/* An imported profile (false) configured with true: no change. */
	prior = tfp_value_copy(a, config);
	tfp_value_set_string(a, prior, "id",
			     "arn:aws:iam::123456789012:instance-profile/x");
	tfp_value_set(prior, "skip_validation", tfp_value_bool(a, false));
	tfp_value_set(config, "skip_validation", tfp_value_bool(a, true));
	plan = tfp_value_copy(a, config);
	assert_int_equal(prof->modify_plan(&call, prior, config, plan), TFP_OK);
	assert_false(tfp_value_get_bool(plan, "skip_validation", true));
	/* true to false is a change the plan keeps. */
	tfp_value_set(prior, "skip_validation", tfp_value_bool(a, true));
	tfp_value_set(config, "skip_validation", tfp_value_bool(a, false));
	plan = tfp_value_copy(a, config);
	assert_int_equal(prof->modify_plan(&call, prior, config, plan), TFP_OK);
	assert_false(tfp_value_get_bool(plan, "skip_validation", true));
	assert_int_equal(d.n, 0);
	tfp_arena_free(a);
}

/* The group link has the official pair id and reads the group's roles. */
static void test_instance_pools__group_link(void **state)
{
	const struct tfp_resource *r =
		find_type("databricks_group_instance_profile");
	const struct tfp_attr *at;

	(void)state;
	assert_null(r->update);
	for (at = r->attrs; at->name != NULL; at++)
		if (strcmp(at->name, "id") != 0)
			assert_true(at->flags & TFP_FORCE_NEW);
		else
			assert_string_equal(
				at->desc, "<group_id>|<instance_profile_id>.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instance_pools__arns),
		cmocka_unit_test(test_instance_pools__one_cloud),
		cmocka_unit_test(test_instance_pools__flags),
		cmocka_unit_test(test_instance_pools__plan_defaults),
		cmocka_unit_test(test_instance_pools__group_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
