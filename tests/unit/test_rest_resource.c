/*
 * Declarative REST resources (resources/rest_resource.c): the pure steps
 * the generic handlers take. PATCH bodies of changed fields, create bodies
 * of listed fields, the read normalisations (names in another case, URLs
 * with a trailing slash, the same JSON document, the service's "nothing"),
 * the state kept when a handler fails after its create, path templates,
 * import IDs against their form, and JSON documents compared as such.
 * (The first three were the Unity Catalog securables' own, in
 * test_uc_common.c, before the securables became descriptors.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "rest_resource.h"
#include "schema.h"
#include "value.h"

/* clang-format off */
static const struct tfp_attr test_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "n" },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "c" },
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "u" },
	{ .name = "read_only", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "r" },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL, .desc = "p" },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "o" },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON, .desc = "f" },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON, .desc = "i" },
	TFP_ATTR_END
};
static const struct tfp_attr renamed_attrs[] = {
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "u" },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL, .json = "props", .desc = "p" },
	{ .name = "read_only", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "r" },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON, .desc = "i" },
	TFP_ATTR_END
};
/* clang-format on */

static struct tfp_value *map1(struct tfp_arena *a, const char *k, const char *v)
{
	struct tfp_value *m =
		tfp_value_collection(a, &tfp_type_map_string, k ? 1 : 0);

	if (k != NULL) {
		m->u.coll.keys[0] = tfp_arena_strdup(a, k);
		m->u.coll.items[0] = tfp_value_string(a, v);
	}
	return m;
}

static void assert_json(cJSON *body, const char *want)
{
	char *got = cJSON_PrintUnformatted(body);

	if (strcmp(got, want) != 0)
		fail_msg("body %s, expected %s", got, want);
	free(got);
}

static void test_rest_resource__patch_bodies(void **state)
{
	static const char *const fields[] = {"name",	  "comment",	"url",
					     "read_only", "properties", "owner",
					     NULL};
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d};
	const struct tfp_rres desc = {.what = "thing",
				      .attrs = test_attrs,
				      .update_fields = fields};
	const struct tfp_rres renamed = {.what = "thing",
					 .attrs = renamed_attrs};
	static const char *const some[] = {"url", "properties", "read_only",
					   NULL};
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *prior = tfp_value_object(a, t);
	struct tfp_value *plan, *other;
	cJSON *body = NULL;

	(void)state;
	tfp_diags_init(&d, a);
	tfp_value_set_string(a, prior, "name", "c1");
	tfp_value_set_string(a, prior, "comment", "old");
	tfp_value_set_string(a, prior, "url", "s3://b/x");
	tfp_value_set(prior, "read_only", tfp_value_bool(a, true));
	tfp_value_set(prior, "properties", map1(a, "k", "v"));
	tfp_value_set_string(a, prior, "owner", "me");

	/* Nothing changed: nothing to send. */
	plan = tfp_value_copy(a, prior);
	assert_int_equal(tfp_rres__patch_body(&body, &call, &desc, prior, plan),
			 TFP_OK);
	assert_int_equal(cJSON_GetArraySize(body), 0);
	assert_json(body, "{}");

	/* Changed and removed values; an unknown (computed) one is left to
	 * the workspace. */
	tfp_value_set_string(a, plan, "comment", "new");
	tfp_value_set(plan, "url", NULL);
	tfp_value_set(plan, "read_only", NULL);
	tfp_value_set(plan, "properties", map1(a, NULL, NULL));
	tfp_value_set(plan, "owner", tfp_value_unknown(a, &tfp_type_string));
	assert_int_equal(tfp_rres__patch_body(&body, &call, &desc, prior, plan),
			 TFP_OK);
	assert_int_equal(cJSON_GetArraySize(body), 4);
	assert_json(body, "{\"comment\":\"new\",\"url\":\"\","
			  "\"read_only\":false,\"properties\":{}}");

	/* A create body leaves nulls out; a field may be renamed (.json). */
	other = tfp_value_object(a, tfp_schema_type(a, renamed_attrs, NULL));
	tfp_value_set(other, "properties", map1(a, "k", "v"));
	tfp_value_set(other, "read_only", tfp_value_bool(a, true));
	assert_int_equal(tfp_rres__fields_body(&body, &call, &renamed, other,
					       some),
			 TFP_OK);
	assert_json(body, "{\"props\":{\"k\":\"v\"},\"read_only\":true}");

	/* The body of listed fields (a POST, or the PATCH after it) holds
	 * the known, non-null ones; the arena frees it. */
	assert_int_equal(tfp_rres__fields_body(&body, &call, &desc, plan,
					       fields),
			 TFP_OK);
	assert_json(body, "{\"name\":\"c1\",\"comment\":\"new\","
			  "\"properties\":{}}");
	assert_int_equal(d.n, 0);
	tfp_arena_free(a);
}

static void test_rest_resource__normalize(void **state)
{
	static const char *const folded[] = {"name", NULL};
	static const char *const slashed[] = {"url", NULL};
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *prior = tfp_value_object(a, t);
	struct tfp_value *got = tfp_value_object(a, t);
	const struct tfp_rres desc = {.what = "thing",
				      .attrs = test_attrs,
				      .folded = folded,
				      .slashed = slashed};

	(void)state;
	tfp_value_set_string(a, prior, "name", "Sales");
	tfp_value_set_string(a, prior, "url", "s3://b/x/");
	tfp_value_set(prior, "force_destroy", tfp_value_bool(a, true));
	tfp_value_set_string(a, prior, "id", "Sales");
	/* The workspace's answer. */
	tfp_value_set_string(a, got, "name", "sales");
	tfp_value_set_string(a, got, "comment", "");
	tfp_value_set_string(a, got, "url", "s3://b/x");
	tfp_value_set(got, "read_only", tfp_value_bool(a, false));
	tfp_value_set(got, "properties", map1(a, NULL, NULL));
	tfp_value_set_string(a, got, "owner", "");
	tfp_rres__normalize(a, &desc, got, prior);
	assert_string_equal(tfp_value_get_string(got, "name"), "Sales");
	assert_string_equal(tfp_value_get_string(got, "url"), "s3://b/x/");
	assert_true(tfp_value_is_null(tfp_value_get(got, "comment")));
	assert_true(tfp_value_is_null(tfp_value_get(got, "read_only")));
	assert_true(tfp_value_is_null(tfp_value_get(got, "properties")));
	/* Computed values are the workspace's, even when empty. */
	assert_string_equal(tfp_value_get_string(got, "owner"), "");
	/* Arguments the workspace never sees come from prior; id does not. */
	assert_true(tfp_value_get_bool(got, "force_destroy", false));
	assert_true(tfp_value_is_null(tfp_value_get(got, "id")));

	/* Real differences stay. */
	tfp_value_set_string(a, got, "name", "marketing");
	tfp_value_set_string(a, got, "url", "s3://b/y");
	tfp_value_set_string(a, got, "comment", "");
	tfp_value_set_string(a, prior, "comment", "set");
	tfp_rres__normalize(a, &desc, got, prior);
	assert_string_equal(tfp_value_get_string(got, "name"), "marketing");
	assert_string_equal(tfp_value_get_string(got, "url"), "s3://b/y");
	assert_string_equal(tfp_value_get_string(got, "comment"), "");

	/* No prior (import): empty values are null. */
	tfp_rres__normalize(a, &desc, got, NULL);
	assert_true(tfp_value_is_null(tfp_value_get(got, "comment")));
	tfp_arena_free(a);
}

/*
 * A handler failing after its create (or a rename) still hands Terraform
 * a state: from the reply when it maps, else from the plan with id set.
 */
static void test_rest_resource__keep(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a,
				.diags = &d,
				.op = "create",
				.type_name = "databricks_thing"};
	const struct tfp_rres kind = {.what = "thing", .attrs = test_attrs,
				      .id = "{name}"};
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *plan = tfp_value_object(a, t);
	struct tfp_value *out = NULL;
	cJSON *info;

	(void)state;
	tfp_diags_init(&d, a);
	tfp_value_set_string(a, plan, "name", "Sales");
	tfp_value_set_string(a, plan, "comment", "c");
	tfp_value_set(plan, "owner", tfp_value_unknown(a, &tfp_type_string));
	tfp_value_set(plan, "id", tfp_value_unknown(a, &tfp_type_string));

	/* A reply that maps: the state is the workspace's. */
	info = cJSON_Parse("{\"name\":\"sales\",\"comment\":\"c\","
			   "\"owner\":\"me\"}");
	tfp_rres__keep(&out, &call, &kind, info, plan, "sales");
	assert_non_null(out);
	assert_string_equal(tfp_value_get_string(out, "owner"), "me");
	assert_string_equal(tfp_value_get_string(out, "id"), "sales");
	assert_int_equal(d.n, 0);
	cJSON_Delete(info);

	/* No reply (a rename whose read-back failed): the plan, wholly
	 * known, under the given id. */
	out = NULL;
	tfp_rres__keep(&out, &call, &kind, NULL, plan, "sales");
	assert_non_null(out);
	assert_string_equal(tfp_value_get_string(out, "id"), "sales");
	assert_string_equal(tfp_value_get_string(out, "comment"), "c");
	assert_true(tfp_value_is_null(tfp_value_get(out, "owner")));
	assert_true(tfp_value_wholly_known(out));
	assert_int_equal(d.n, 0);

	/* A reply that cannot be a state (no name, so no id) does not lose
	 * the object: the plan stands in, beside the reply's diagnostic. */
	out = NULL;
	info = cJSON_Parse("{\"comment\":\"c\"}");
	tfp_rres__keep(&out, &call, &kind, info, plan, "sales");
	assert_non_null(out);
	assert_string_equal(tfp_value_get_string(out, "id"), "sales");
	assert_string_equal(tfp_value_get_string(out, "name"), "Sales");
	assert_int_equal(d.n, 1);
	cJSON_Delete(info);
	tfp_arena_free(a);
}

/*
 * Update bodies by mode: a PATCH of the changed fields with an in-place
 * rename (not for a change of case of a folded name); the whole object
 * for a full edit; the whole object under a field for a reset; nothing
 * when only arguments the service never sees changed.
 */
static void test_rest_resource__update_bodies(void **state)
{
	static const char *const folded[] = {"name", NULL};
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d, .op = "update"};
	struct tfp_rres patch = {.what = "thing", .attrs = test_attrs,
				 .id = "{name}", .update_mode = TFP_RRES_PATCH,
				 .rename_field = "new_name", .folded = folded};
	struct tfp_rres full = patch;
	struct tfp_rres reset = patch;
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *prior = tfp_value_object(a, t), *plan;
	const char *new_id = NULL;
	cJSON *body = NULL;

	(void)state;
	tfp_diags_init(&d, a);
	full.update_mode = TFP_RRES_FULL;
	full.rename_field = NULL;
	reset.update_mode = TFP_RRES_RESET;
	reset.rename_field = NULL;
	reset.reset_field = "new_settings";
	tfp_value_set_string(a, prior, "name", "sales");
	tfp_value_set_string(a, prior, "comment", "old");
	tfp_value_set_string(a, prior, "id", "sales");

	/* Only a case change of the name and force_destroy: nothing. */
	plan = tfp_value_copy(a, prior);
	tfp_value_set_string(a, plan, "name", "Sales");
	tfp_value_set(plan, "force_destroy", tfp_value_bool(a, true));
	assert_int_equal(tfp_rres__update_body(&body, &call, &patch, prior,
					       plan, &new_id),
			 TFP_OK);
	assert_null(body);
	assert_null(new_id);

	/* A rename and a comment: one PATCH. */
	tfp_value_set_string(a, plan, "name", "marketing");
	tfp_value_set_string(a, plan, "comment", "new");
	assert_int_equal(tfp_rres__update_body(&body, &call, &patch, prior,
					       plan, &new_id),
			 TFP_OK);
	assert_json(body, "{\"comment\":\"new\",\"new_name\":\"marketing\"}");
	assert_string_equal(new_id, "marketing");

	/* A full edit sends every field the plan has. */
	new_id = NULL;
	assert_int_equal(tfp_rres__update_body(&body, &call, &full, prior,
					       plan, &new_id),
			 TFP_OK);
	assert_json(body, "{\"name\":\"marketing\",\"comment\":\"new\"}");
	assert_null(new_id);

	/* A reset sends them under its field. */
	assert_int_equal(tfp_rres__update_body(&body, &call, &reset, prior,
					       plan, &new_id),
			 TFP_OK);
	assert_json(body, "{\"new_settings\":{\"name\":\"marketing\","
			  "\"comment\":\"new\"}}");
	assert_int_equal(d.n, 0);
	tfp_arena_free(a);
}

/* Paths: {id} and {attribute}, percent-encoded; a missing value is NULL. */
static void test_rest_resource__templates(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a, .diags = &d};
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *obj = tfp_value_object(a, t);

	(void)state;
	tfp_diags_init(&d, a);
	tfp_value_set_string(a, obj, "name", "a/b c");
	assert_string_equal(
		tfp_rres_expand(&call, "/api/x/{name}/y/{id}", obj, "7?", true),
		"/api/x/a%2Fb%20c/y/7%3F");
	assert_string_equal(tfp_rres_expand(&call, "{name}.{id}", obj, "z",
					    false),
			    "a/b c.z");
	assert_null(tfp_rres_expand(&call, "/api/{comment}", obj, NULL, true));
	assert_string_equal(tfp_rres_expand(&call, "/api/list", NULL, NULL,
					    true),
			    "/api/list");
	tfp_arena_free(a);
}

/* Import IDs are checked against the id template's form. */
static void test_rest_resource__import_ids(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	const struct tfp_rres two = {.what = "schema",
				     .attrs = test_attrs,
				     .id = "{name}.{comment}",
				     .import_form = "<catalog>.<name>"};
	struct tfp_call call = {.arena = a, .diags = &d, .data = &two};
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *out = NULL;

	(void)state;
	tfp_diags_init(&d, a);
	assert_int_equal(tfp_rres_import(&out, &call, t, "main.sales.x"),
			 TFP_OK);
	assert_string_equal(tfp_value_get_string(out, "id"), "main.sales.x");
	assert_string_equal(tfp_value_get_string(out, "name"), "main");
	/* The last part takes the rest. */
	assert_string_equal(tfp_value_get_string(out, "comment"), "sales.x");
	assert_int_equal(tfp_rres_import(&out, &call, t, "main"), TFP_ERROR);
	assert_int_equal(tfp_rres_import(&out, &call, t, ".sales"), TFP_ERROR);
	assert_int_equal(tfp_rres_import(&out, &call, t, "main."), TFP_ERROR);
	assert_int_equal(d.n, 3);
	assert_non_null(strstr(d.items[0].detail, "<catalog>.<name>"));
	tfp_arena_free(a);
}

/* Two texts are one policy document when their JSON is the same. */
static void test_rest_resource__same_json(void **state)
{
	(void)state;
	assert_true(tfp_rres_same_json("{\"a\":1,\"b\":[1,2]}",
				       " { \"b\" : [1, 2],\n \"a\": 1.0 } "));
	assert_false(tfp_rres_same_json("{\"a\":1}", "{\"a\":2}"));
	assert_false(tfp_rres_same_json("{\"b\":[1,2]}", "{\"b\":[2,1]}"));
	assert_false(tfp_rres_same_json("{\"a\":1}", "{\"a\":1,\"b\":1}"));
	/* Not JSON: compared as text. */
	assert_true(tfp_rres_same_json("not json", "not json"));
	assert_false(tfp_rres_same_json("not json", "not  json"));
	assert_false(tfp_rres_same_json("{}", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rest_resource__patch_bodies),
		cmocka_unit_test(test_rest_resource__normalize),
		cmocka_unit_test(test_rest_resource__keep),
		cmocka_unit_test(test_rest_resource__update_bodies),
		cmocka_unit_test(test_rest_resource__templates),
		cmocka_unit_test(test_rest_resource__import_ids),
		cmocka_unit_test(test_rest_resource__same_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
