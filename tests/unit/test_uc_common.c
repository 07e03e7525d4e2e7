/*
 * The Unity Catalog helpers (resources/uc_common.c): name, URL and role ARN
 * validation, path escaping, PATCH bodies of changed fields, and the read
 * normalisations; plus the flags of the securables' tables that decide
 * what a plan replaces.
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
#include "path.h"
#include "registry.h"
#include "rest.h"
#include "schema.h"
#include "catalog/catalog_internal.h"

struct check_row {
	const char *value;
	bool ok;
	const char *detail; /* a substring of the diagnostic, or NULL */
};

static void run_checks(tfp_validate_fn fn, const struct check_row *rows,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tfp_arena *a = tfp_arena_new();
		struct tfp_diags d;
		const struct tfp_path *p = tfp_path_attr(a, NULL, "name");
		int got;

		tfp_diags_init(&d, a);
		got = fn(&d, p, tfp_value_string(a, rows[i].value));
		if ((got == TFP_OK) != rows[i].ok)
			fail_msg("\"%s\": expected %s", rows[i].value,
				 rows[i].ok ? "ok" : "an error");
		if (!rows[i].ok) {
			assert_int_equal(d.n, 1);
			/* The diagnostic points at the attribute. */
			assert_true(tfp_path_equal(d.items[0].path, p));
			if (rows[i].detail != NULL &&
			    strstr(d.items[0].detail, rows[i].detail) == NULL)
				fail_msg("\"%s\": detail \"%s\" lacks \"%s\"",
					 rows[i].value, d.items[0].detail,
					 rows[i].detail);
		}
		tfp_arena_free(a);
	}
}

static void test_uc_common__names(void **state)
{
	static const struct check_row rows[] = {
		{"sales", true, NULL},
		{"Sales_2024-eu", true, NULL},
		{"caf\xc3\xa9", true, NULL},
		{"", false, "1 to 255"},
		{"my catalog", false, "a space at position 3"},
		{"a.b", false, "a period"},
		{"a/b", false, "a slash"},
		{"a\tb", false, "a control character"},
	};
	char longname[300];

	(void)state;
	run_checks(tfp_catalog__validate_name, rows, TFP_ARRAY_SIZE(rows));
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	{
		const struct check_row too_long[] = {
			{longname, false, "this one has 299"}};
		run_checks(tfp_catalog__validate_name, too_long, 1);
	}
}

static void test_uc_common__urls(void **state)
{
	static const struct check_row rows[] = {
		{"s3://bucket", true, NULL},
		{"s3://bucket/path/", true, NULL},
		{"abfss://c@acct.dfs.core.windows.net/x", true, NULL},
		{"gs://bucket/x", true, NULL},
		{"s3://", false, "not a cloud storage URL"},
		{"s3:///path", false, "not a cloud storage URL"},
		{"https://bucket.s3.amazonaws.com/x", false, "s3://"},
		{"bucket/x", false, "abfss://"},
		{"S3://bucket", false, NULL},
		{"s3://bucket/a b", false, "%20"},
	};

	(void)state;
	run_checks(tfp_catalog__validate_url, rows, TFP_ARRAY_SIZE(rows));
}

static void test_uc_common__role_arns(void **state)
{
	static const struct check_row rows[] = {
		{"arn:aws:iam::123456789012:role/uc-access", true, NULL},
		{"arn:aws:iam::123456789012:role/path/to/r", true, NULL},
		{"arn:aws-us-gov:iam::123456789012:role/r", true, NULL},
		{"arn:aws:iam::12345678901:role/r", false, "12-digit"},
		{"arn:aws:iam::123456789012:user/r", false, NULL},
		{"arn:aws:iam::123456789012:role/", false, NULL},
		{"arn:aws:s3:::bucket", false, NULL},
		{"uc-access", false, "arn:aws:iam::"},
	};

	(void)state;
	run_checks(tfp_catalog__validate_role_arn, rows, TFP_ARRAY_SIZE(rows));
}

/* Names go into UC paths through the REST client's encoder. */
static void test_uc_common__escape(void **state)
{
	struct tfp_arena *a = tfp_arena_new();

	(void)state;
	assert_string_equal(tfp_rest_escape(a, "sales_2024-x.y~"),
			    "sales_2024-x.y~");
	assert_string_equal(tfp_rest_escape(a, "a/b?c d%"), "a%2Fb%3Fc%20d%25");
	assert_string_equal(tfp_rest_escape(a, "caf\xc3\xa9"), "caf%C3%A9");
	assert_string_equal(tfp_rest_escape(a, ""), "");
	tfp_arena_free(a);
}

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

static void test_uc_common__patch_bodies(void **state)
{
	static const char *const fields[] = {"name",	  "comment",	"url",
					     "read_only", "properties", "owner",
					     NULL};
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *prior = tfp_value_object(a, t);
	struct tfp_value *plan;
	cJSON *body;

	(void)state;
	tfp_value_set_string(a, prior, "name", "c1");
	tfp_value_set_string(a, prior, "comment", "old");
	tfp_value_set_string(a, prior, "url", "s3://b/x");
	tfp_value_set(prior, "read_only", tfp_value_bool(a, true));
	tfp_value_set(prior, "properties", map1(a, "k", "v"));
	tfp_value_set_string(a, prior, "owner", "me");

	/* Nothing changed: nothing to send. */
	plan = tfp_value_copy(a, prior);
	body = cJSON_CreateObject();
	assert_int_equal(tfp_catalog__add_changes(body, prior, plan, fields), 0);
	assert_json(body, "{}");
	cJSON_Delete(body);

	/* Changed and removed values; an unknown (computed) one is left to
	 * the workspace. */
	tfp_value_set_string(a, plan, "comment", "new");
	tfp_value_set(plan, "url", NULL);
	tfp_value_set(plan, "read_only", NULL);
	tfp_value_set(plan, "properties", map1(a, NULL, NULL));
	tfp_value_set(plan, "owner", tfp_value_unknown(a, &tfp_type_string));
	body = cJSON_CreateObject();
	assert_int_equal(tfp_catalog__add_changes(body, prior, plan, fields), 4);
	assert_json(body, "{\"comment\":\"new\",\"url\":\"\","
			  "\"read_only\":false,\"properties\":{}}");
	cJSON_Delete(body);

	/* A create body leaves nulls out; a field may be renamed. */
	body = cJSON_CreateObject();
	assert_false(tfp_catalog__add_field(body, plan, "url", NULL, false));
	assert_true(
		tfp_catalog__add_field(body, prior, "properties", "props", false));
	assert_true(tfp_catalog__add_field(body, prior, "read_only", NULL, false));
	assert_json(body, "{\"props\":{\"k\":\"v\"},\"read_only\":true}");
	cJSON_Delete(body);

	/* The body of listed fields (a POST, or the PATCH after it) holds
	 * the known, non-null ones in list order; the arena frees it. */
	body = tfp_catalog__fields_body(a, plan, fields);
	assert_json(body, "{\"name\":\"c1\",\"comment\":\"new\","
			  "\"properties\":{}}");
	tfp_arena_free(a);
}

static void test_uc_common__normalize(void **state)
{
	static const char *const folded[] = {"name", NULL};
	static const char *const slashed[] = {"url", NULL};
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_type *t = tfp_schema_type(a, test_attrs, NULL);
	struct tfp_value *prior = tfp_value_object(a, t);
	struct tfp_value *got = tfp_value_object(a, t);

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
	tfp_catalog__normalize(a, got, test_attrs, prior, folded, slashed);
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
	tfp_catalog__normalize(a, got, test_attrs, prior, folded, slashed);
	assert_string_equal(tfp_value_get_string(got, "name"), "marketing");
	assert_string_equal(tfp_value_get_string(got, "url"), "s3://b/y");
	assert_string_equal(tfp_value_get_string(got, "comment"), "");

	/* No prior (import): empty values are null. */
	tfp_catalog__normalize(a, got, test_attrs, NULL, folded, slashed);
	assert_true(tfp_value_is_null(tfp_value_get(got, "comment")));
	tfp_arena_free(a);
}

/*
 * A handler failing after its create (or a rename) still hands Terraform
 * a state: from the reply when it maps, else from the plan with id set.
 */
static void test_uc_common__keep(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;
	struct tfp_call call = {.arena = a,
				.diags = &d,
				.op = "create",
				.type_name = "databricks_thing"};
	const struct tfp_catalog__kind kind = {.what = "thing", .attrs = test_attrs};
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
	tfp_catalog__keep(&out, &call, &kind, info, plan, "sales");
	assert_non_null(out);
	assert_string_equal(tfp_value_get_string(out, "owner"), "me");
	assert_string_equal(tfp_value_get_string(out, "id"), "sales");
	assert_int_equal(d.n, 0);
	cJSON_Delete(info);

	/* No reply (a rename whose read-back failed): the plan, wholly
	 * known, under the given id. */
	out = NULL;
	tfp_catalog__keep(&out, &call, &kind, NULL, plan, "sales");
	assert_non_null(out);
	assert_string_equal(tfp_value_get_string(out, "id"), "sales");
	assert_string_equal(tfp_value_get_string(out, "comment"), "c");
	assert_true(tfp_value_is_null(tfp_value_get(out, "owner")));
	assert_true(tfp_value_wholly_known(out));
	assert_int_equal(d.n, 0);

	/* A reply that cannot be a state (no name) no longer loses the
	 * object: the plan stands in, beside the reply's diagnostic. */
	out = NULL;
	info = cJSON_Parse("{\"comment\":\"c\"}");
	tfp_catalog__keep(&out, &call, &kind, info, plan, "sales");
	assert_non_null(out);
	assert_string_equal(tfp_value_get_string(out, "id"), "sales");
	assert_string_equal(tfp_value_get_string(out, "name"), "Sales");
	assert_int_equal(d.n, 1);
	cJSON_Delete(info);
	tfp_arena_free(a);
}

static const struct tfp_resource *find(const char *type_name)
{
	size_t i;

	for (i = 0; i < tfp_registry_n_resources; i++)
		if (strcmp(tfp_registry_resources[i]->type_name, type_name) ==
		    0)
			return tfp_registry_resources[i];
	fail_msg("%s is not registered", type_name);
	return NULL;
}

static unsigned flags_of(const char *type_name, const char *attr)
{
	const struct tfp_attr *at =
		tfp_schema_find_attr(find(type_name)->attrs, attr);

	if (at == NULL)
		fail_msg("%s has no %s", type_name, attr);
	return at->flags;
}

/* What replaces an object follows the official provider. */
static void test_uc_common__replacement_follows_official(void **state)
{
	(void)state;
	assert_false(flags_of("databricks_catalog", "name") & TFP_FORCE_NEW);
	assert_true(flags_of("databricks_catalog", "storage_root") &
		    TFP_FORCE_NEW);
	assert_true(flags_of("databricks_schema", "name") & TFP_FORCE_NEW);
	assert_true(flags_of("databricks_schema", "catalog_name") &
		    TFP_FORCE_NEW);
	assert_true(flags_of("databricks_storage_credential", "name") &
		    TFP_FORCE_NEW);
	assert_true(flags_of("databricks_external_location", "name") &
		    TFP_FORCE_NEW);
	assert_false(flags_of("databricks_external_location", "url") &
		     TFP_FORCE_NEW);
	assert_true(flags_of("databricks_catalog", "owner") & TFP_COMPUTED);
	assert_true(flags_of("databricks_catalog", "force_destroy") &
		    TFP_NO_JSON);
	assert_non_null(find("databricks_storage_credential")->update);
	assert_non_null(find("databricks_external_location")->update);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uc_common__names),
		cmocka_unit_test(test_uc_common__urls),
		cmocka_unit_test(test_uc_common__role_arns),
		cmocka_unit_test(test_uc_common__escape),
		cmocka_unit_test(test_uc_common__patch_bodies),
		cmocka_unit_test(test_uc_common__normalize),
		cmocka_unit_test(test_uc_common__keep),
		cmocka_unit_test(test_uc_common__replacement_follows_official),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
