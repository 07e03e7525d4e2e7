/*
 * The five AWS policy data sources (resources/account/) against the
 * official provider's unit tests: for each of their inputs, our document
 * is the official one. Where the official test holds the expected
 * document (tests/unit/data/aws_policies/<official test name>.json) the
 * two are compared as parsed JSON, and for the cross-account policy also
 * as text, since the official test compares text; where it only checks
 * the length of the text (its Lenf assertions), so do we, which our Go
 * layout makes meaningful. Then the failures: bad policy_type, partition
 * and bucket name at validation, and the restricted policy's missing or
 * malformed arguments at read, each at its attribute.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include "account/account_internal.h"
#include "arena.h"
#include "diag.h"
#include "lifecycle.h"
#include "path.h"
#include "schema.h"
#include "statejson.h"
#include "unit_test.h"

extern const struct tfp_data_source tfp_data_source_aws_crossaccount_policy;
extern const struct tfp_data_source tfp_data_source_aws_assume_role_policy;
extern const struct tfp_data_source tfp_data_source_aws_bucket_policy;
extern const struct tfp_data_source tfp_data_source_aws_unity_catalog_policy;
extern const struct tfp_data_source
	tfp_data_source_aws_unity_catalog_assume_role_policy;

#define XA (&tfp_data_source_aws_crossaccount_policy)
#define ARP (&tfp_data_source_aws_assume_role_policy)
#define BKT (&tfp_data_source_aws_bucket_policy)
#define UCP (&tfp_data_source_aws_unity_catalog_policy)
#define UCAR (&tfp_data_source_aws_unity_catalog_assume_role_policy)

/* --- helpers -------------------------------------------------------------- */

/* The configuration config_json (state JSON: attribute names as keys) as
 * ds's object value. */
static struct tfp_value *config_of(struct fixture *f,
				   const struct tfp_data_source *ds,
				   const char *config_json)
{
	const struct tfp_type *t = tfp_schema_type(f->a, ds->attrs, NULL);
	struct tfp_value *v = NULL;

	assert_int_equal(tfp_json_decode_value(&v, f->a, t, config_json,
					       strlen(config_json), &f->d),
			 TFP_OK);
	return v;
}

/* What Terraform does: validate, then read. */
static int run(struct tfp_value **out, struct fixture *f,
	       const struct tfp_data_source *ds, const char *config_json)
{
	struct tfp_call call = { .arena = f->a, .diags = &f->d };
	struct tfp_value *config = config_of(f, ds, config_json);
	int error;

	error = tfp_lifecycle_validate(&call, ds->attrs, NULL, config);
	if (error < 0)
		return error;
	return ds->read(out, &call, config);
}

/* The file tests/unit/data/aws_policies/<name>.json, without the final
 * newline. */
static char *expected_text(struct fixture *f, const char *name)
{
	const char *dir = __FILE__;
	size_t dirlen = strrchr(dir, '/') - dir;
	char *path = tfp_arena_printf(f->a, "%.*s/data/aws_policies/%s.json",
				      (int)dirlen, dir, name);
	FILE *fp = fopen(path, "rb");
	char *buf = tfp_arena_alloc(f->a, 16384);
	size_t n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	n = fread(buf, 1, 16383, fp);
	fclose(fp);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return buf;
}

static const char *diag_path(struct fixture *f, size_t i)
{
	assert_true(i < f->d.n);
	return f->d.items[i].path ? tfp_path_string(f->a, f->d.items[i].path)
				  : "";
}

/* --- the official provider's cases ---------------------------------------- */

struct pcase {
	const char *official; /* the official test's name */
	const struct tfp_data_source *ds;
	const char *config;
	bool has_file;  /* its expected document is in data/aws_policies/ */
	bool same_text; /* ... and the official test compares text */
	size_t len;     /* the official Lenf, or 0 */
	const char *id;
};

#define RESTRICTED                                                             \
	"\"policy_type\": \"restricted\", \"aws_account_id\": "              \
	"\"123456789012\", \"vpc_id\": \"vpc-12345678\", "                   \
	"\"security_group_id\": \"sg-12345678\""
#define UC_ACCOUNT                                                             \
	"\"aws_account_id\": \"123456789098\", \"role_name\": "              \
	"\"databricks-role\""

/* clang-format off */
static const struct pcase cases[] = {
	/* aws/data_aws_crossaccount_policy_test.go */
	{ "TestDataAwsCrossAccountDatabricksManagedPolicy", XA, "{}",
	  false, false, 3171, "_" },
	{ "TestDataAwsCrossAccountCustomerManagedPolicy", XA,
	  "{\"policy_type\": \"customer\"}", false, false, 2328, "_" },
	{ "TestDataAwsCrossAccountPolicy_WithPassRoles", XA,
	  "{\"pass_roles\": [\"a\", \"b\", \"c\"]}", false, false, 3307, "_" },
	{ "TestDataAwsCrossAccountManagedPolicyRoles", XA,
	  "{\"policy_type\": \"managed\"}", true, true, 3171, "_" },
	{ "TestDataAwsCrossAccountCustomerManagedPolicyRoles", XA,
	  "{\"policy_type\": \"customer\"}", true, true, 2328, "_" },
	{ "TestDataAwsCrossAccountRestrictedPolicyRoles", XA,
	  "{\"policy_type\": \"restricted\", \"aws_account_id\": "
	  "\"123456789012\", \"vpc_id\": \"vpc-abcdefg12345\", \"region\": "
	  "\"us-west-2\", \"security_group_id\": \"sg-12345678\"}",
	  true, true, 0, "_" },
	{ "TestDataAwsCrossAccountRestrictedPolicy", XA,
	  "{" RESTRICTED ", \"region\": \"us-west-2\"}", false, false, 5725,
	  "_" },
	{ "TestDataAwsCrossAccountRestrictedPolicyPartitionGov", XA,
	  "{" RESTRICTED ", \"aws_partition\": \"aws-us-gov\", \"region\": "
	  "\"us-gov-west-1\"}", false, false, 5963, "_" },
	{ "TestDataAwsCrossAccountRestrictedPolicyPartitionGovDoD", XA,
	  "{" RESTRICTED ", \"aws_partition\": \"aws-us-gov-dod\", "
	  "\"region\": \"us-gov-west-1\"}", false, false, 5963, "_" },
	/* aws/data_aws_assume_role_policy_test.go */
	{ "TestDataAwsAssumeRolePolicy", ARP, "{\"external_id\": \"abc\"}",
	  false, false, 299, "abc" },
	{ "TestDataAwsAssumeRolePolicyGov", ARP,
	  "{\"external_id\": \"abc\", \"aws_partition\": \"aws-us-gov\"}",
	  false, false, 306, "abc" },
	{ "TestDataAwsAssumeRolePolicyGovDoD", ARP,
	  "{\"external_id\": \"abc\", \"aws_partition\": \"aws-us-gov-dod\"}",
	  false, false, 306, "abc" },
	{ "TestDataAwsAssumeRolePolicyLogDelivery", ARP,
	  "{\"external_id\": \"abc\", \"for_log_delivery\": true}",
	  false, false, 347, "abc" },
	{ "TestDataAwsAssumeRolePolicyLogDeliveryGov", ARP,
	  "{\"external_id\": \"abc\", \"for_log_delivery\": true, "
	  "\"aws_partition\": \"aws-us-gov\"}", false, false, 362, "abc" },
	{ "TestDataAwsAssumeRolePolicyLogDeliveryGovDoD", ARP,
	  "{\"external_id\": \"abc\", \"for_log_delivery\": true, "
	  "\"aws_partition\": \"aws-us-gov-dod\"}", false, false, 367, "abc" },
	/* aws/data_aws_bucket_policy_test.go */
	{ "TestDataAwsBucketPolicy", BKT, "{\"bucket\": \"abc\"}",
	  false, false, 440, "abc" },
	{ "TestDataAwsBucketPolicy_FullAccessRole", BKT,
	  "{\"bucket\": \"abc\", \"full_access_role\": \"bcd\"}",
	  false, false, 413, "abc" },
	{ "TestDataAwsBucketPolicyConfusedDeputyProblem", BKT,
	  "{\"bucket\": \"abc\", \"databricks_e2_account_id\": "
	  "\"my_e2_account_id\"}", false, false, 575, "abc" },
	{ "TestDataAwsBucketPolicyPartitionGov", BKT,
	  "{\"bucket\": \"abc\", \"aws_partition\": \"aws-us-gov\"}",
	  false, false, 461, "abc" },
	{ "TestDataAwsBucketPolicyPartitionGovDoD", BKT,
	  "{\"bucket\": \"abc\", \"aws_partition\": \"aws-us-gov-dod\"}",
	  false, false, 461, "abc" },
	/* aws/data_aws_unity_catalog_policy_test.go */
	{ "TestDataAwsUnityCatalogPolicy", UCP,
	  "{" UC_ACCOUNT ", \"bucket_name\": \"databricks-bucket.2\", "
	  "\"kms_name\": \"databricks-kms\"}", true, false, 0,
	  "databricks-bucket.2-123456789098-databricks-role" },
	{ "TestDataAwsUnityCatalogPolicyFullKms", UCP,
	  "{" UC_ACCOUNT ", \"bucket_name\": \"databricks-bucket\", "
	  "\"kms_name\": \"arn:aws:kms:us-west-2:111122223333:key/"
	  "databricks-kms\"}", true, false, 0,
	  "databricks-bucket-123456789098-databricks-role" },
	{ "TestDataAwsUnityCatalogPolicyWithoutKMS", UCP,
	  "{" UC_ACCOUNT ", \"bucket_name\": \"databricks-bucket\"}",
	  true, false, 0, "databricks-bucket-123456789098-databricks-role" },
	{ "TestDataAwsUnityCatalogPolicyPartionGov", UCP,
	  "{" UC_ACCOUNT ", \"bucket_name\": \"databricks-bucket\", "
	  "\"aws_partition\": \"aws-us-gov\", \"kms_name\": "
	  "\"databricks-kms\"}", true, false, 0,
	  "databricks-bucket-123456789098-databricks-role" },
	{ "TestDataAwsUnityCatalogPolicyPartionGovDoD", UCP,
	  "{" UC_ACCOUNT ", \"bucket_name\": \"databricks-bucket\", "
	  "\"aws_partition\": \"aws-us-gov-dod\", \"kms_name\": "
	  "\"databricks-kms\"}", true, false, 0,
	  "databricks-bucket-123456789098-databricks-role" },
	/* aws/data_aws_unity_catalog_assume_role_policy_test.go */
	{ "TestDataAwsUnityCatalogAssumeRolePolicy", UCAR,
	  "{" UC_ACCOUNT ", \"external_id\": \"12345\", "
	  "\"unity_catalog_iam_arn\": \"arn:aws:iam::414351767826:role/"
	  "unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL\"}", true, false, 0,
	  "123456789098-databricks-role-12345" },
	{ "TestDataAwsUnityCatalogAssumeRolePolicyWithoutUcArn", UCAR,
	  "{" UC_ACCOUNT ", \"external_id\": \"12345\"}", true, false, 0,
	  "123456789098-databricks-role-12345" },
	{ "TestDataAwsUnityCatalogAssumeRolePolicyGovWithoutUcArn", UCAR,
	  "{" UC_ACCOUNT ", \"external_id\": \"12345\", \"aws_partition\": "
	  "\"aws-us-gov\"}", true, false, 0,
	  "123456789098-databricks-role-12345" },
	{ "TestDataAwsUnityCatalogAssumeRolePolicyGovDoDWithoutUcArn", UCAR,
	  "{" UC_ACCOUNT ", \"external_id\": \"12345\", \"aws_partition\": "
	  "\"aws-us-gov-dod\"}", true, false, 0,
	  "123456789098-databricks-role-12345" },
};
/* clang-format on */

static void test_aws_policies__official_cases(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(cases); i++) {
		const struct pcase *c = &cases[i];
		struct tfp_value *out = NULL;
		const char *json;
		cJSON *ours;

		print_message("%s\n", c->official);
		assert_int_equal(run(&out, f, c->ds, c->config), TFP_OK);
		assert_int_equal(f->d.n, 0);
		json = tfp_value_get_string(out, "json");
		assert_non_null(json);
		assert_string_equal(tfp_value_get_string(out, "id"), c->id);
		ours = cJSON_Parse(json);
		assert_non_null(ours);
		if (c->has_file) {
			const char *want = expected_text(f, c->official);
			cJSON *theirs = cJSON_Parse(want);

			assert_non_null(theirs);
			if (!cJSON_Compare(ours, theirs, true))
				fail_msg("%s: got %s", c->official, json);
			if (c->same_text)
				assert_string_equal(json, want);
			cJSON_Delete(theirs);
		}
		if (c->len != 0 && strlen(json) != c->len)
			fail_msg("%s: %zu bytes, the official %zu: %s",
				 c->official, strlen(json), c->len, json);
		cJSON_Delete(ours);
	}
}

/* The defaults come back in the state, as the official provider's
 * Default values do, and unity_catalog_iam_arn is filled in. */
static void test_aws_policies__defaults_are_set(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *out = NULL;

	assert_int_equal(run(&out, f, XA, "{}"), TFP_OK);
	assert_string_equal(tfp_value_get_string(out, "policy_type"),
			    "managed");
	assert_string_equal(tfp_value_get_string(out, "aws_partition"), "aws");
	assert_int_equal(run(&out, f, ARP, "{\"external_id\": \"x\"}"), TFP_OK);
	assert_false(tfp_value_get_bool(out, "for_log_delivery", true));
	assert_int_equal(run(&out, f, UCAR,
			     "{" UC_ACCOUNT ", \"external_id\": \"1\", "
			     "\"aws_partition\": \"aws-us-gov\"}"),
			 TFP_OK);
	assert_string_equal(tfp_value_get_string(out, "unity_catalog_iam_arn"),
			    "arn:aws-us-gov:iam::044793339203:role/"
			    "unity-catalog-prod-UCMasterRole-1QRFA8SGY15OJ");
}

/* Details the official tests leave out, from the official code: the
 * deprecated databricks_account_id replaces the trusted account; the
 * KMS prefix test uses the partition's name. */
static void test_aws_policies__account_and_kms(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *out = NULL;
	cJSON *doc, *st;

	assert_int_equal(run(&out, f, ARP,
			     "{\"external_id\": \"e\", "
			     "\"databricks_account_id\": \"111122223333\"}"),
			 TFP_OK);
	doc = cJSON_Parse(tfp_value_get_string(out, "json"));
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "Statement"), 0);
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(st, "Principal"), "AWS")
			->valuestring,
		"arn:aws:iam::111122223333:root");
	cJSON_Delete(doc);

	assert_int_equal(
		run(&out, f, UCP,
		    "{" UC_ACCOUNT ", \"bucket_name\": \"b-1\", "
		    "\"aws_partition\": \"aws-us-gov\", \"kms_name\": "
		    "\"arn:aws-us-gov:kms:us-gov-west-1:1:key/k\"}"),
		TFP_OK);
	doc = cJSON_Parse(tfp_value_get_string(out, "json"));
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "Statement"), 2);
	assert_string_equal(
		cJSON_GetArrayItem(cJSON_GetObjectItem(st, "Resource"), 0)
			->valuestring,
		"arn:aws-us-gov:kms:us-gov-west-1:1:key/k");
	cJSON_Delete(doc);
}

/* Go's escapes: what a user's string holds comes out as the official
 * provider prints it. */
static void test_aws_policies__go_escapes(void **state)
{
	struct fixture *f = *state;
	cJSON *doc = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(doc, "k", "a<b>&\"\\\n\t\x01\xe2\x80\xa8/é");
	cJSON_AddArrayToObject(doc, "empty");
	text = tfp_account__policy_text(f->a, doc);
	assert_string_equal(text, "{\n  \"k\": \"a\\u003cb\\u003e\\u0026\\\"\\\\"
				  "\\n\\t\\u0001\\u2028/é\",\n  \"empty\": []\n}");
	cJSON_Delete(doc);
}

/* --- failures ------------------------------------------------------------- */

struct bad {
	const char *official; /* the official test, or what we add */
	const struct tfp_data_source *ds;
	const char *config;
	const char *path; /* where the diagnostic points */
	const char *detail; /* a part of its detail */
};

/* clang-format off */
static const struct bad bads[] = {
	{ "TestDataAwsCrossAccountInvalidPolicy", XA,
	  "{\"policy_type\": \"something\"}", "policy_type",
	  "policy_type must be either 'managed', 'customer' or 'restricted'" },
	{ "TestDataAwsCrossAccountInvalidPartition", XA,
	  "{\"aws_partition\": \"something\"}", "aws_partition",
	  "aws_partition must be either 'aws' or 'aws-us-gov' or "
	  "'aws-us-gov-dod'" },
	{ "TestDataAwsCrossAccountInvalidAccountId", XA,
	  "{\"policy_type\": \"restricted\", \"aws_account_id\": "
	  "\"12345678901212\", \"vpc_id\": \"vpc-1\", \"region\": \"r\", "
	  "\"security_group_id\": \"sg-1\"}", "aws_account_id",
	  "12-digit" },
	{ "TestDataAwsCrossAccountInvalidVpcId", XA,
	  "{\"policy_type\": \"restricted\", \"aws_account_id\": "
	  "\"123456789012\", \"vpc_id\": \"2345678\", \"region\": \"r\", "
	  "\"security_group_id\": \"sg-1\"}", "vpc_id",
	  "must begin with 'vpc-'" },
	{ "TestDataAwsCrossAccountMissingRegion", XA,
	  "{" RESTRICTED "}", "region", "needs region" },
	{ "TestDataAwsCrossAccountInvalidSgGroup", XA,
	  "{\"policy_type\": \"restricted\", \"aws_account_id\": "
	  "\"123456789012\", \"vpc_id\": \"vpc-1\", \"region\": \"r\", "
	  "\"security_group_id\": \"12345678\"}", "security_group_id",
	  "must begin with 'sg-'" },
	{ "TestDataAwsUnityCatalogPolicy_BucketNameInvalid", UCP,
	  "{" UC_ACCOUNT ", \"bucket_name\": \"-databricks-bucket\", "
	  "\"kms_name\": \"databricks-kms\"}", "bucket_name",
	  "not an S3 bucket name" },
	{ "TestDataAwsUnityCatalogAssumeRolePolicyInvalidPartition", UCAR,
	  "{" UC_ACCOUNT ", \"external_id\": \"12345\", \"aws_partition\": "
	  "\"something\"}", "aws_partition", "'aws-us-gov-dod'" },
	{ "assume role policy: bad partition", ARP,
	  "{\"external_id\": \"e\", \"aws_partition\": \"aws-cn\"}",
	  "aws_partition", "\"aws-cn\"" },
	{ "bucket policy: upper-case bucket", BKT, "{\"bucket\": \"Abc\"}",
	  "bucket", "lower-case" },
	{ "bucket policy: two characters", BKT, "{\"bucket\": \"ab\"}",
	  "bucket", "3 to 63" },
};
/* clang-format on */

static void test_aws_policies__failures(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(bads); i++) {
		const struct bad *b = &bads[i];
		struct tfp_value *out = NULL;

		print_message("%s\n", b->official);
		f->d.n = 0;
		assert_int_equal(run(&out, f, b->ds, b->config), TFP_ERROR);
		assert_int_equal(f->d.n, 1);
		assert_string_equal(diag_path(f, 0), b->path);
		if (strstr(f->d.items[0].detail, b->detail) == NULL)
			fail_msg("%s: %s", b->official, f->d.items[0].detail);
	}
}

/* A value unknown at validation is checked when read sees it. */
static void test_aws_policies__read_rechecks(void **state)
{
	struct fixture *f = *state;
	struct tfp_call call = { .arena = f->a, .diags = &f->d };
	struct tfp_value *out = NULL;

	assert_int_equal(UCP->read(&out, &call,
				   config_of(f, UCP,
					     "{" UC_ACCOUNT ", \"bucket_name\": "
					     "\"a_b\"}")),
			 TFP_ERROR);
	assert_string_equal(diag_path(f, 0), "bucket_name");
}

/* A restricted policy missing everything: each argument reported. */
static void test_aws_policies__restricted_reports_all(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *out = NULL;

	assert_int_equal(run(&out, f, XA, "{\"policy_type\": \"restricted\"}"),
			 TFP_ERROR);
	assert_int_equal(f->d.n, 4);
	assert_string_equal(diag_path(f, 0), "aws_account_id");
	assert_string_equal(diag_path(f, 1), "vpc_id");
	assert_string_equal(diag_path(f, 2), "region");
	assert_string_equal(diag_path(f, 3), "security_group_id");
}

/* Terraform reports a missing required argument at the attribute from
 * the schema; the schema must say so. The data sources need no client. */
static void test_aws_policies__schema(void **state)
{
	static const struct {
		const struct tfp_data_source *ds;
		const char *name;
	} required[] = {
		{ ARP, "external_id" },	    { BKT, "bucket" },
		{ UCP, "bucket_name" },	    { UCP, "role_name" },
		{ UCP, "aws_account_id" },  { UCAR, "role_name" },
		{ UCAR, "external_id" },    { UCAR, "aws_account_id" },
	};
	const struct tfp_data_source *all[] = { XA, ARP, BKT, UCP, UCAR };
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(required); i++)
		assert_true(tfp_schema_find_attr(required[i].ds->attrs,
						 required[i].name)
				    ->flags &
			    TFP_REQUIRED);
	for (i = 0; i < TFP_ARRAY_SIZE(all); i++) {
		assert_int_equal(tfp_schema_check(&f->d, all[i]->type_name,
						  all[i]->attrs, NULL),
				 TFP_OK);
		assert_true(all[i]->local);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(test_aws_policies__##name,             \
					tfp_test_setup, tfp_test_teardown)
		T(official_cases),
		T(defaults_are_set),
		T(account_and_kms),
		T(go_escapes),
		T(failures),
		T(read_rechecks),
		T(restricted_reports_all),
		T(schema),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
