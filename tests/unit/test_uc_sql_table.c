/*
 * The SQL text databricks_sql_table writes (resources/catalog/
 * uc_sql_table.c): identifiers and string literals that configuration
 * text cannot break out of, and column types compared as the workspace
 * stores them (INTEGER is int, a bare decimal is decimal(10,0)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>
#include "arena.h"
#include "catalog/catalog_internal.h"

static void test_uc_sql_table__quoting(void **state)
{
	struct tfp_arena *a = tfp_arena_new();

	(void)state;
	assert_string_equal(tfp_catalog__sql_ident(a, "people"), "`people`");
	assert_string_equal(tfp_catalog__sql_ident(a, "a`b"), "`a``b`");
	assert_string_equal(tfp_catalog__sql_ident(a, "x`; DROP TABLE y; --"),
			    "`x``; DROP TABLE y; --`");
	assert_string_equal(tfp_catalog__sql_ident(a, "``"), "``````");
	assert_string_equal(tfp_catalog__sql_ident(a, ""), "``");
	assert_string_equal(tfp_catalog__sql_string(a, "plain"), "'plain'");
	assert_string_equal(tfp_catalog__sql_string(a, "it's"), "'it\\'s'");
	assert_string_equal(tfp_catalog__sql_string(a, "a\\'; DROP x; --"),
			    "'a\\\\\\'; DROP x; --'");
	assert_string_equal(tfp_catalog__sql_string(a, "\\"), "'\\\\'");
	assert_string_equal(tfp_catalog__sql_string(a, "\"double\" `tick`"),
			    "'\"double\" `tick`'");
	assert_string_equal(tfp_catalog__sql_string(a, ""), "''");
	tfp_arena_free(a);
}

static void test_uc_sql_table__types(void **state)
{
	static const struct {
		const char *a, *b;
		bool same;
	} rows[] = {
		{"int", "INT", true},
		{"INTEGER", "int", true},
		{"long", "BIGINT", true},
		{" Long ", "bigint", true},
		{"short", "smallint", true},
		{"byte", "tinyint", true},
		{"real", "float", true},
		{"decimal", "decimal(10,0)", true},
		{"DEC", "DECIMAL(10, 0)", true},
		{"numeric", "decimal(10,0)", true},
		{"decimal(12,2)", "DECIMAL(12, 2)", true},
		{"struct<`a`:int>", "STRUCT<a: INT>", true},
		{"int", "bigint", false},
		{"decimal(10,2)", "decimal", false},
		{"string", "varchar(10)", false},
		{NULL, NULL, true},
		{NULL, "int", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (tfp_catalog__same_column_type(rows[i].a, rows[i].b) !=
		    rows[i].same)
			fail_msg("%s vs %s", rows[i].a ? rows[i].a : "NULL",
				 rows[i].b ? rows[i].b : "NULL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uc_sql_table__quoting),
		cmocka_unit_test(test_uc_sql_table__types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
