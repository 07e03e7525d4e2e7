/*
 * The Unity Catalog helpers (resources/catalog/uc_common.c): name, URL and
 * role ARN validation and path escaping; plus the flags of the securables'
 * tables that decide what a plan replaces. The PATCH bodies and read
 * normalisations the securables used to share here are now the
 * declarative resources' (tests/unit/test_rest_resource.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

/* A credential config with the identity blocks of names[] given. */
static struct tfp_value *cred_config(struct tfp_arena *a,
				     const char *const *names)
{
	const struct tfp_resource *r = find("databricks_storage_credential");
	const struct tfp_type *t = tfp_schema_type(a, r->attrs, r->blocks);
	struct tfp_value *v = tfp_value_object(a, t);
	const struct tfp_block *b;

	for (b = r->blocks; b->name != NULL; b++)
		tfp_value_set(v, b->name,
			      tfp_value_collection(
				      a,
				      t->attr_types[tfp_type_attr_index(
					      t, b->name)],
				      0));
	for (; *names != NULL; names++) {
		const struct tfp_type *lt =
			t->attr_types[tfp_type_attr_index(t, *names)];
		struct tfp_value *l = tfp_value_collection(a, lt, 1);

		l->u.coll.items[0] = tfp_value_object(a, lt->elem);
		tfp_value_set(v, *names, l);
	}
	return v;
}

/* Exactly one identity: none and two are errors, the second named. */
static void test_uc_common__exactly_one_block(void **state)
{
	static const char *const kinds[] = {"aws_iam_role",
					    "azure_managed_identity", NULL};
	static const char *const one[] = {"azure_managed_identity", NULL};
	static const char *const none[] = {NULL};
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_diags d;

	(void)state;
	tfp_diags_init(&d, a);
	assert_int_equal(tfp_catalog__exactly_one_block(
				 &d, a, cred_config(a, one), NULL, kinds, "X"),
			 TFP_OK);
	assert_int_equal(d.n, 0);
	assert_int_equal(tfp_catalog__exactly_one_block(
				 &d, a, cred_config(a, kinds), NULL, kinds,
				 "X"),
			 TFP_ERROR);
	assert_int_equal(d.n, 1);
	assert_true(tfp_path_equal(
		d.items[0].path,
		tfp_path_attr(a, NULL, "azure_managed_identity")));
	assert_non_null(strstr(d.items[0].detail, "aws_iam_role and "
						  "azure_managed_identity"));
	assert_int_equal(tfp_catalog__exactly_one_block(
				 &d, a, cred_config(a, none), NULL, kinds,
				 "X"),
			 TFP_ERROR);
	assert_non_null(strstr(d.items[1].detail,
			       "one block of aws_iam_role or "
			       "azure_managed_identity"));
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uc_common__names),
		cmocka_unit_test(test_uc_common__urls),
		cmocka_unit_test(test_uc_common__role_arns),
		cmocka_unit_test(test_uc_common__escape),
		cmocka_unit_test(test_uc_common__replacement_follows_official),
		cmocka_unit_test(test_uc_common__exactly_one_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
