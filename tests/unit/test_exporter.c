/*
 * Unit tests for the exporter's Databricks-specific parts
 * (exporter/references.c): resource names from object names (sanitised,
 * -prefix, unique per type with an ID suffix whatever the listing order),
 * variables for values the workspace cannot return, references to
 * exported objects, and which optional+computed values are written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "databricks.h"
#include "exporter_internal.h"
#include "value.h"

struct fx {
	struct exp e;
	struct tfp_arena *a;
};

static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));

	f->a = tfp_arena_new();
	f->e.a = f->a;
	f->e.p = tfp_provider_new(&tfp_databricks_provider);
	f->e.prefix = "";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	tfp_provider_free(f->e.p);
	tfp_arena_free(f->a);
	test_free(f);
	return 0;
}

/* Adds an object of type with a null state but for the given string
 * attributes (name, value pairs, NULL-terminated). */
static struct exp_obj *add(struct fx *f, const char *type, const char *id,
			   const char *hint, ...)
{
	struct exp *e = &f->e;
	struct exp_obj *o;
	va_list ap;
	const char *k;

	o = exp_obj_add(e);
	o->service = "test";
	o->rt = tfp_provider_find_resource(e->p, type);
	assert_non_null(o->rt);
	o->import_id = id;
	o->hint = hint;
	o->state = tfp_value_object(f->a, o->rt->type);
	va_start(ap, hint);
	while ((k = va_arg(ap, const char *)) != NULL)
		tfp_value_set_string(f->a, o->state, k,
				     va_arg(ap, const char *));
	va_end(ap);
	return o;
}

static void test_exporter__sanitize(void **state)
{
	struct fx *f = *state;

	assert_string_equal(exp_sanitize(&f->e, "Nightly ETL"), "nightly_etl");
	assert_string_equal(exp_sanitize(&f->e, "a--b..C"), "a_b_c");
	assert_string_equal(exp_sanitize(&f->e, "  x  "), "x");
	assert_string_equal(exp_sanitize(&f->e, "1st job"), "_1st_job");
	assert_string_equal(exp_sanitize(&f->e, "caf\xc3\xa9"), "caf");
	assert_string_equal(exp_sanitize(&f->e, "!!!"), "unnamed");
	assert_string_equal(exp_sanitize(&f->e, "alice@example.com"),
			    "alice_example_com");
}

/* Paths from a listing become file names: nothing may leave the output. */
static void test_exporter__safe_path(void **state)
{
	(void)state;
	assert_true(exp_safe_path("/Shared/etl/step_1"));
	assert_true(exp_safe_path("/Users/a@example.com/.hidden/x..y"));
	assert_false(exp_safe_path("Shared/x"));
	assert_false(exp_safe_path("/Shared/../../etc/passwd"));
	assert_false(exp_safe_path("/.."));
	assert_false(exp_safe_path("/Shared/./x"));
	assert_false(exp_safe_path("/Shared//x"));
	assert_false(exp_safe_path("/Shared/x/"));
	assert_false(exp_safe_path("/"));
	assert_false(exp_safe_path(""));
}

static void test_exporter__names(void **state)
{
	struct fx *f = *state;

	add(f, "databricks_job", "1000000111111", "Report", NULL);
	add(f, "databricks_job", "1000000222222", "report", NULL);
	add(f, "databricks_job", "3", "Nightly", NULL);
	/* Another type may use the same name. */
	add(f, "databricks_cluster", "0101-x", "Nightly", NULL);
	add(f, "databricks_secret", "app|||db-pass", "app_db-pass", NULL);
	f->e.prefix = "ws1-";
	exp_assign_names(&f->e);
	assert_string_equal(f->e.objs[0].name, "ws1_report_111111");
	assert_string_equal(f->e.objs[1].name, "ws1_report_222222");
	assert_string_equal(f->e.objs[2].name, "ws1_nightly");
	assert_string_equal(f->e.objs[3].name, "ws1_nightly");
	assert_string_equal(f->e.objs[4].name, "ws1_app_db_pass");
	assert_string_equal(f->e.objs[4].var, "secret_ws1_app_db_pass");
	assert_string_equal(f->e.objs[4].var_attr, "string_value");
	assert_null(f->e.objs[2].var);
}

static void test_exporter__references(void **state)
{
	struct fx *f = *state;
	struct exp_obj *job;
	const struct tfp_value *v;

	add(f, "databricks_cluster", "0101-abc", "Shared", "id", "0101-abc",
	    NULL);
	add(f, "databricks_notebook", "/Shared/etl", "Shared/etl", "path",
	    "/Shared/etl", NULL);
	job = add(f, "databricks_job", "7", "Job", NULL);
	exp_assign_names(&f->e);
	f->e.current = job;
	v = tfp_value_string(f->a, "0101-abc");
	assert_string_equal(exp_expr(&f->e, "task.existing_cluster_id", v),
			    "databricks_cluster.shared.id");
	v = tfp_value_string(f->a, "/Shared/etl");
	assert_string_equal(exp_expr(&f->e, "task.notebook_task.notebook_path", v),
			    "databricks_notebook.shared_etl.path");
	/* Not exported, or not a reference: the literal. */
	v = tfp_value_string(f->a, "0101-zzz");
	assert_null(exp_expr(&f->e, "task.existing_cluster_id", v));
	v = tfp_value_string(f->a, "0101-abc");
	assert_null(exp_expr(&f->e, "name", v));
	/* Never itself. */
	f->e.current = &f->e.objs[0];
	assert_null(exp_expr(&f->e, "cluster_id", v));
}

static void test_exporter__keep(void **state)
{
	struct fx *f = *state;

	f->e.current = add(f, "databricks_cluster", "1", "c", NULL);
	assert_true(exp_keep(&f->e, "node_type_id",
			     tfp_value_string(f->a, "i3.xlarge")));
	assert_true(exp_keep(&f->e, "num_workers", tfp_value_int(f->a, 2)));
	assert_false(exp_keep(&f->e, "num_workers", tfp_value_int(f->a, 0)));
	assert_false(exp_keep(&f->e, "enable_elastic_disk",
			      tfp_value_bool(f->a, true)));
	f->e.current = add(f, "databricks_job", "2", "j", NULL);
	assert_true(exp_keep(&f->e, "job_cluster.new_cluster.node_type_id",
			     tfp_value_string(f->a, "i3.xlarge")));
	assert_false(exp_keep(&f->e, "timeout_seconds", tfp_value_int(f->a, 0)));
	f->e.current = add(f, "databricks_group", "3", "g", NULL);
	assert_true(exp_keep(&f->e, "workspace_access",
			     tfp_value_bool(f->a, true)));
	assert_false(exp_keep(&f->e, "workspace_access",
			      tfp_value_bool(f->a, false)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exporter__sanitize, setup,
						teardown),
		cmocka_unit_test(test_exporter__safe_path),
		cmocka_unit_test_setup_teardown(test_exporter__names, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exporter__references,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exporter__keep, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
