/*
 * Unit tests for the identity family's pure functions
 * (resources/identity/identity_internal.h): the alphanumeric form of a
 * user name, the UUID test that tells a service principal's user name
 * from a person's, and SCIM filters with their values quoted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "arena.h"
#include "identity/identity_internal.h"

static void test_identity__alphanumeric(void **state)
{
	static const char *const rows[][2] = {
		{"mr.foo@example.com", "mr_foo"},
		{"Jane-Doe+ci@example.com", "jane_doe_ci"},
		{"no_at_sign", "no_at_sign"},
		{"11111111-2222-3333-4444-555666777888",
		 "11111111_2222_3333_4444_555666777888"},
		/* One "_" for a two-byte UTF-8 character. */
		{"j\xc3\xb6rg@example.com", "j_rg"},
		{"", ""},
	};
	struct tfp_arena *a = tfp_arena_new();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_string_equal(tfp_identity__alphanumeric(a, rows[i][0]),
				    rows[i][1]);
	tfp_arena_free(a);
}

static void test_identity__is_uuid(void **state)
{
	(void)state;
	assert_true(
		tfp_identity__is_uuid("11111111-2222-3333-4444-555666777888"));
	assert_true(
		tfp_identity__is_uuid("ABCDEF01-2222-3333-4444-555666777888"));
	assert_false(tfp_identity__is_uuid("admin@example.com"));
	assert_false(
		tfp_identity__is_uuid("11111111-2222-3333-4444-55566677788"));
	assert_false(
		tfp_identity__is_uuid("11111111x2222-3333-4444-555666777888"));
	assert_false(tfp_identity__is_uuid(""));
}

static void test_identity__scim_filter(void **state)
{
	struct tfp_arena *a = tfp_arena_new();

	(void)state;
	assert_string_equal(
		tfp_identity__scim_filter(a, "displayName", "eq", "admins"),
		"displayName eq \"admins\"");
	assert_string_equal(tfp_identity__scim_filter(a, "displayName", "co",
						      "say \"hi\" \\ bye"),
			    "displayName co \"say \\\"hi\\\" \\\\ bye\"");
	assert_string_equal(
		tfp_identity__scim_filter(a, "userName", "eq", "j\xc3\xb6rg"),
		"userName eq \"j\xc3\xb6rg\"");
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity__alphanumeric),
		cmocka_unit_test(test_identity__is_uuid),
		cmocka_unit_test(test_identity__scim_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
