/*
 * The settings family's pure checks (resources/settings/): the entries an
 * IP access list takes, and which workspace configuration values count as
 * booleans when a key is reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include "settings/settings_internal.h"

static void test_settings__ip_entries(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} rows[] = {
		{"1.2.3.4", true},
		{"10.0.0.0/16", true},
		{"0.0.0.0/0", true},
		{"192.0.2.1/32", true},
		{"2001:db8::/32", true},
		{"::/0", true},
		{"10.0.0.0/33", false},
		{"2001:db8::/129", false},
		{"2001:db8::1", false}, /* an IPv6 address alone is not taken */
		{"1.2.3", false},
		{"1.2.3.400", false},
		{"10.0.0.0/", false},
		{"10.0.0.0/1a", false},
		{"/8", false},
		{"", false},
		{"10.0.0.0/0008", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (tfp_settings__ip_entry_ok(rows[i].s) != rows[i].ok)
			fprintf(stderr, "%s\n", rows[i].s);
		assert_int_equal(tfp_settings__ip_entry_ok(rows[i].s),
				 rows[i].ok);
	}
}

static void test_settings__conf_booleans(void **state)
{
	(void)state;
	assert_true(tfp_settings__conf_is_bool("true"));
	assert_true(tfp_settings__conf_is_bool("FALSE"));
	assert_true(tfp_settings__conf_is_bool("1"));
	assert_true(tfp_settings__conf_is_bool("f"));
	assert_false(tfp_settings__conf_is_bool("90"));
	assert_false(tfp_settings__conf_is_bool("yes"));
	assert_false(tfp_settings__conf_is_bool(""));
	assert_false(tfp_settings__conf_is_bool(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings__ip_entries),
		cmocka_unit_test(test_settings__conf_booleans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
