/*
 * Unit tests for hcl.c, the generic HCL writer: string escaping (quotes,
 * control characters, ${ and %{), `terraform fmt` alignment of `=` in runs
 * of one-line attributes, nested blocks, maps and lists, and which
 * attributes a resource block leaves out (computed, optional+computed,
 * defaults, nulls) or writes through the hooks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "hcl.h"
#include "schema.h"
#include "value.h"

static int setup(void **state)
{
	*state = tfp_arena_new();
	return 0;
}

static int teardown(void **state)
{
	tfp_arena_free(*state);
	return 0;
}

static void test_hcl__quote(void **state)
{
	struct tfp_arena *a = *state;

	assert_string_equal(tfp_hcl_quote(a, "plain"), "\"plain\"");
	assert_string_equal(tfp_hcl_quote(a, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(tfp_hcl_quote(a, "l1\nl2\r\tx"),
			    "\"l1\\nl2\\r\\tx\"");
	/* Template sequences are doubled; a lone $ or % is not. */
	assert_string_equal(tfp_hcl_quote(a, "${var.x} %{if} $5 100%"),
			    "\"$${var.x} %%{if} $5 100%\"");
	assert_string_equal(tfp_hcl_quote(a, "$${x}"), "\"$$${x}\"");
	assert_string_equal(tfp_hcl_quote(a, "\x01\x7f"), "\"\\u0001\\u007f\"");
	/* UTF-8 passes through. */
	assert_string_equal(tfp_hcl_quote(a, "caf\xc3\xa9"),
			    "\"caf\xc3\xa9\"");
	assert_true(tfp_hcl_is_ident("task_key"));
	assert_true(tfp_hcl_is_ident("a-b"));
	assert_false(tfp_hcl_is_ident("1x"));
	assert_false(tfp_hcl_is_ident("a.b"));
	assert_false(tfp_hcl_is_ident(""));
}

static void test_hcl__alignment(void **state)
{
	struct tfp_arena *a = *state;
	struct tfp_hcl h;

	tfp_hcl_init(&h, a);
	tfp_hcl_open(&h, 0, "resource \"t\" \"n\"");
	tfp_hcl_attr(&h, 1, "a", "1");
	tfp_hcl_attr(&h, 1, "longer_name", "\"x\"");
	/* A line without `=` ends the run. */
	tfp_hcl_line(&h, 1, "m = {");
	tfp_hcl_attr(&h, 2, "\"k\"", "\"v\"");
	tfp_hcl_attr(&h, 2, "\"key2\"", "\"w\"");
	tfp_hcl_close(&h, 1);
	tfp_hcl_attr(&h, 1, "b", "true");
	tfp_hcl_open(&h, 1, "blk");
	tfp_hcl_attr(&h, 2, "zz", "2");
	tfp_hcl_close(&h, 1);
	tfp_hcl_close(&h, 0);
	assert_string_equal(tfp_hcl_text(&h),
			    "resource \"t\" \"n\" {\n"
			    "  a           = 1\n"
			    "  longer_name = \"x\"\n"
			    "  m = {\n"
			    "    \"k\"    = \"v\"\n"
			    "    \"key2\" = \"w\"\n"
			    "  }\n"
			    "  b = true\n"
			    "  blk {\n"
			    "    zz = 2\n"
			    "  }\n"
			    "}\n");
}

/* A small schema: every omission rule and a nested block of each kind. */
static const struct tfp_attr inner_attrs[] = {
	{.name = "key", .type = &tfp_type_string, .flags = TFP_REQUIRED},
	{.name = "cluster_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL},
	{.name = "filled", .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED},
	TFP_ATTR_END};
static const struct tfp_block leaf_blocks[] = {
	{.name = "empty", .nesting = TFP_NEST_SINGLE, .attrs = inner_attrs},
	TFP_BLOCK_END};
static const struct tfp_block res_blocks[] = {
	{.name = "task", .nesting = TFP_NEST_LIST, .attrs = inner_attrs,
	 .blocks = leaf_blocks},
	TFP_BLOCK_END};
static const struct tfp_attr res_attrs[] = {
	{.name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED},
	{.name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED},
	{.name = "mode", .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "AUTO"},
	{.name = "tier", .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "STANDARD"},
	{.name = "node", .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED},
	{.name = "count", .type = &tfp_type_number, .flags = TFP_OPTIONAL},
	{.name = "enabled", .type = &tfp_type_bool, .flags = TFP_OPTIONAL},
	{.name = "nothing", .type = &tfp_type_string, .flags = TFP_OPTIONAL},
	{.name = "tags", .type = &tfp_type_list_string, .flags = TFP_OPTIONAL},
	{.name = "conf", .type = &tfp_type_map_string, .flags = TFP_OPTIONAL},
	TFP_ATTR_END};

static const char *expr_hook(void *ctx, const char *path,
			     const struct tfp_value *v)
{
	(void)ctx;
	if (strcmp(path, "task.cluster_id") == 0 &&
	    strcmp(v->u.str, "0101-abc") == 0)
		return "databricks_cluster.shared.id";
	return NULL;
}

static bool keep_hook(void *ctx, const char *path, const struct tfp_value *v)
{
	(void)ctx;
	(void)v;
	return strcmp(path, "node") == 0;
}

static void test_hcl__resource(void **state)
{
	struct tfp_arena *a = *state;
	const struct tfp_type *t = tfp_schema_type(a, res_attrs, res_blocks);
	struct tfp_value *v = tfp_value_object(a, t);
	struct tfp_value *tags, *conf, *tasks, *t0, *t1;
	const struct tfp_type *tt = tfp_value_get(v, "task")->type;
	struct tfp_hcl h;
	struct tfp_hcl_opts opts = {expr_hook, NULL, NULL, NULL};
	static const char *const tail[] = {"lifecycle {",
					   "  prevent_destroy = true", "}",
					   NULL};

	tfp_value_set_string(a, v, "name", "Nightly ${env}");
	tfp_value_set_string(a, v, "id", "42");
	tfp_value_set_string(a, v, "mode", "AUTO");
	tfp_value_set_string(a, v, "tier", "PREMIUM");
	tfp_value_set_string(a, v, "node", "i3.xlarge");
	tfp_value_set(v, "count", tfp_value_int(a, 3));
	tfp_value_set(v, "enabled", tfp_value_bool(a, false));
	tags = tfp_value_collection(a, &tfp_type_list_string, 2);
	tags->u.coll.items[0] = tfp_value_string(a, "a");
	tags->u.coll.items[1] = tfp_value_string(a, "b\"c");
	tfp_value_set(v, "tags", tags);
	conf = tfp_value_collection(a, &tfp_type_map_string, 2);
	conf->u.coll.keys[0] = "spark.x";
	conf->u.coll.items[0] = tfp_value_string(a, "1");
	conf->u.coll.keys[1] = "k";
	conf->u.coll.items[1] = tfp_value_string(a, "%{x}");
	tfp_value_set(v, "conf", conf);
	tasks = tfp_value_collection(a, tt, 2);
	t0 = tfp_value_object(a, tt->elem);
	tfp_value_set_string(a, t0, "key", "one");
	tfp_value_set_string(a, t0, "cluster_id", "0101-abc");
	tfp_value_set_string(a, t0, "filled", "server");
	tfp_value_set(t0, "empty",
		      tfp_value_object(a, tfp_value_get(t0, "empty")->type));
	t1 = tfp_value_object(a, tt->elem);
	tfp_value_set_string(a, t1, "key", "two");
	tfp_value_set_string(a, t1, "cluster_id", "other");
	tasks->u.coll.items[0] = t0;
	tasks->u.coll.items[1] = t1;
	tfp_value_set(v, "task", tasks);

	tfp_hcl_init(&h, a);
	tfp_hcl_resource(&h, "x_job", "nightly", res_attrs, res_blocks, v,
			 &opts);
	assert_string_equal(tfp_hcl_text(&h),
			    "resource \"x_job\" \"nightly\" {\n"
			    "  name    = \"Nightly $${env}\"\n"
			    "  tier    = \"PREMIUM\"\n"
			    "  count   = 3\n"
			    "  enabled = false\n"
			    "  tags    = [\"a\", \"b\\\"c\"]\n"
			    "  conf = {\n"
			    "    \"spark.x\" = \"1\"\n"
			    "    \"k\"       = \"%%{x}\"\n"
			    "  }\n"
			    "  task {\n"
			    "    key        = \"one\"\n"
			    "    cluster_id = databricks_cluster.shared.id\n"
			    "    empty {}\n"
			    "  }\n"
			    "  task {\n"
			    "    key        = \"two\"\n"
			    "    cluster_id = \"other\"\n"
			    "  }\n"
			    "}\n");

	/* The keep hook writes an optional+computed value; tail lines end
	 * the body. */
	opts.keep = keep_hook;
	opts.tail = tail;
	tfp_value_set(v, "task", tfp_value_null(a, tt));
	tfp_value_set(v, "conf", tfp_value_null(a, &tfp_type_map_string));
	tfp_hcl_init(&h, a);
	tfp_hcl_resource(&h, "x_job", "n", res_attrs, res_blocks, v, &opts);
	assert_string_equal(tfp_hcl_text(&h),
			    "resource \"x_job\" \"n\" {\n"
			    "  name    = \"Nightly $${env}\"\n"
			    "  tier    = \"PREMIUM\"\n"
			    "  node    = \"i3.xlarge\"\n"
			    "  count   = 3\n"
			    "  enabled = false\n"
			    "  tags    = [\"a\", \"b\\\"c\"]\n"
			    "  lifecycle {\n"
			    "    prevent_destroy = true\n"
			    "  }\n"
			    "}\n");
}

static void test_hcl__literals(void **state)
{
	struct tfp_arena *a = *state;
	struct tfp_value *empty = tfp_value_collection(a, &tfp_type_list_string, 0);
	struct tfp_value *m = tfp_value_collection(a, &tfp_type_map_string, 1);
	struct tfp_number n;

	assert_string_equal(tfp_hcl_literal(a, empty, 0), "[]");
	m->u.coll.keys[0] = "a b";
	m->u.coll.items[0] = tfp_value_string(a, "v");
	assert_string_equal(tfp_hcl_literal(a, m, 1), "{\n    \"a b\" = \"v\"\n  }");
	assert_true(tfp_value_parse_number(&n, a, "0.1", 3));
	assert_string_equal(tfp_hcl_literal(a, tfp_value_number(a, &n), 0),
			    "0.1");
	assert_string_equal(tfp_hcl_literal(a, tfp_value_null(a, &tfp_type_string), 0),
			    "null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hcl__quote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hcl__alignment, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hcl__resource, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hcl__literals, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
