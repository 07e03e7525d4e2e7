/*
 * The identity family's SCIM helpers (resources/identity/scim_common.c):
 * entitlement flags to the service's multi-valued array and back, the
 * "none" form the official provider sends, the workspace_consume
 * conflict, and the PATCH body shape; plus the flags of the SCIM types'
 * tables that decide what a plan replaces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "arena.h"
#include "diag.h"
#include "registry.h"
#include "schema.h"
#include "value.h"
#include "identity/identity_internal.h"

static const struct tfp_resource *find_type(const char *name)
{
	size_t i;

	for (i = 0; i < tfp_registry_n_resources; i++)
		if (strcmp(tfp_registry_resources[i]->type_name, name) == 0)
			return tfp_registry_resources[i];
	fail_msg("%s is not registered", name);
	return NULL;
}

/* An object of the user's type with the flags in on set true, the
 * others false. */
static struct tfp_value *user_with(struct tfp_arena *a, const char *const *on)
{
	const struct tfp_resource *r = find_type("databricks_user");
	struct tfp_value *v =
		tfp_value_object(a, tfp_schema_type(a, r->attrs, r->blocks));
	static const char *const all[] = {TFP_IDENTITY_ENTITLEMENT_NAMES};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		tfp_value_set(v, all[i], tfp_value_bool(a, false));
	for (; *on != NULL; on++)
		tfp_value_set(v, *on, tfp_value_bool(a, true));
	return v;
}

static void test_identity__entitlements_both_ways(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d};
	static const char *const on[] = {"workspace_access",
					 "allow_cluster_create", NULL};
	static const char *const none[] = {NULL};
	cJSON *ents, *json;
	char *text;

	(void)state;
	tfp_diags_init(&d, a);
	/* In the official order, whatever the order set. */
	ents = tfp_identity__entitlements(&call, user_with(a, on));
	text = cJSON_PrintUnformatted(ents);
	assert_string_equal(text, "[{\"value\":\"allow-cluster-create\"},"
				  "{\"value\":\"workspace-access\"}]");
	cJSON_free(text);
	cJSON_Delete(ents);
	/* None is [{}], the official provider's form. */
	ents = tfp_identity__entitlements(&call, user_with(a, none));
	text = cJSON_PrintUnformatted(ents);
	assert_string_equal(text, "[{}]");
	cJSON_free(text);
	cJSON_Delete(ents);

	/* Back: every flag set, true or false; an entitlement the schema
	 * does not know is left out; "entitlements" itself goes. */
	json = cJSON_Parse("{\"id\":\"1\",\"entitlements\":[{\"value\":"
			   "\"databricks-sql-access\"},{\"value\":"
			   "\"some-new-entitlement\"}]}");
	tfp_identity__flags_from(json);
	assert_null(cJSON_GetObjectItem(json, "entitlements"));
	assert_true(cJSON_IsTrue(
		cJSON_GetObjectItem(json, "databricks_sql_access")));
	assert_true(
		cJSON_IsFalse(cJSON_GetObjectItem(json, "workspace_access")));
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(json, "allow_cluster_create")));
	assert_true(
		cJSON_IsFalse(cJSON_GetObjectItem(json, "workspace_consume")));
	assert_int_equal(cJSON_GetArraySize(json), 6);
	tfp_identity__drop_flags(json);
	assert_int_equal(cJSON_GetArraySize(json), 1);
	cJSON_Delete(json);
	/* No array at all: every flag false. */
	json = cJSON_Parse("{}");
	tfp_identity__flags_from(json);
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(json, "allow_instance_pool_create")));
	cJSON_Delete(json);
	tfp_arena_free(a);
}

static void test_identity__consume_conflicts(void **state)
{
	static const struct {
		const char *const on[3];
		bool ok;
	} rows[] = {
		{{"workspace_consume", NULL, NULL}, true},
		{{"workspace_access", "databricks_sql_access", NULL}, true},
		{{"workspace_consume", "workspace_access", NULL}, false},
		{{"workspace_consume", "databricks_sql_access", NULL}, false},
		{{"workspace_consume", "allow_cluster_create", NULL}, true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tfp_arena *a = tfp_arena_new();
		struct tfp_diags d;
		struct tfp_call call = {.arena = a, .diags = &d};
		int got;

		tfp_diags_init(&d, a);
		got = tfp_identity__check_flags(&call,
						user_with(a, rows[i].on));
		if ((got == TFP_OK) != rows[i].ok)
			fail_msg("row %zu: expected %s", i,
				 rows[i].ok ? "ok" : "an error");
		assert_int_equal(d.n, rows[i].ok ? 0 : 1);
		tfp_arena_free(a);
	}
}

static void test_identity__patch_body(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d};
	char *text;

	(void)state;
	tfp_diags_init(&d, a);
	text = cJSON_PrintUnformatted(tfp_identity__patch_body(
		&call, "add", "members", tfp_identity__values("42")));
	assert_string_equal(
		text, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
		      "PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":"
		      "\"members\",\"value\":[{\"value\":\"42\"}]}]}");
	cJSON_free(text);
	/* A remove by filter has no value. */
	text = cJSON_PrintUnformatted(tfp_identity__patch_body(
		&call, "remove", "members[value eq \"42\"]", NULL));
	assert_non_null(strstr(text, "{\"op\":\"remove\",\"path\":\"members["
				     "value eq \\\"42\\\"]\"}]"));
	cJSON_free(text);
	tfp_arena_free(a);
}

/* What a plan replaces: a user's name and a service principal's
 * application id; a group's external id; every argument of a link. */
static void test_identity__force_new(void **state)
{
	static const struct {
		const char *type, *attr;
		bool force_new;
	} rows[] = {
		{"databricks_user", "user_name", true},
		{"databricks_user", "display_name", false},
		{"databricks_user", "active", false},
		{"databricks_service_principal", "application_id", true},
		{"databricks_service_principal", "display_name", false},
		{"databricks_group", "display_name", false},
		{"databricks_group", "external_id", true},
		{"databricks_group_member", "group_id", true},
		{"databricks_group_member", "member_id", true},
		{"databricks_user_role", "role", true},
		{"databricks_entitlements", "user_id", true},
		{"databricks_entitlements", "workspace_access", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct tfp_attr *at = tfp_schema_find_attr(
			find_type(rows[i].type)->attrs, rows[i].attr);

		assert_non_null(at);
		if (((at->flags & TFP_FORCE_NEW) != 0) != rows[i].force_new)
			fail_msg("%s.%s", rows[i].type, rows[i].attr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity__entitlements_both_ways),
		cmocka_unit_test(test_identity__consume_conflicts),
		cmocka_unit_test(test_identity__patch_body),
		cmocka_unit_test(test_identity__force_new),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
