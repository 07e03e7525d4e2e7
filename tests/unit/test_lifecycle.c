/*
 * Unit tests of lifecycle.c: the plan pipeline, apply dispatch and its
 * contract checks, read, import and validation, against a fake resource
 * whose handlers work on a small in-test store (no workspace needed: the
 * generic rules do not depend on Databricks).
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
#include "lifecycle.h"
#include "path.h"

/* --- the fake resource ---------------------------------------------------- */

static struct {
	int creates, updates, deletes, reads;
	int fail_create_after_making; /* create makes it, then fails */
	int bad_result;               /* create returns a changed value */
	int gone;                     /* read/delete: TFP_ENOTFOUND */
} fake;

static int fake_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	if (strchr(v->u.str, ' ') == NULL)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid name", "no spaces");
}

static const struct tfp_attr fake_item_attrs[] = {
	{ .name = "value", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = fake_validate_name, .desc = "v" },
	TFP_ATTR_END
};

static const struct tfp_block fake_blocks[] = {
	{ .name = "item", .nesting = TFP_NEST_LIST, .attrs = fake_item_attrs,
	  .desc = "items" },
	TFP_BLOCK_END
};

static const struct tfp_attr fake_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = fake_validate_name, .desc = "n" },
	{ .name = "region", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW, .desc = "r" },
	{ .name = "mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "STANDARD",
	  .desc = "m" },
	{ .name = "tier", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_CASE_INSENSITIVE,
	  .desc = "any case" },
	{ .name = "doc", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_JSON_TEXT,
	  .desc = "a JSON document" },
	{ .name = "etag", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "changes on every write" },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .desc = "id" },
	TFP_ATTR_END
};

static struct tfp_value *fake_result(struct tfp_call *call,
				     const struct tfp_value *plan)
{
	struct tfp_value *out = tfp_value_copy(call->arena, plan);

	tfp_value_set_string(call->arena, out, "id", "fake-1");
	tfp_value_set_string(call->arena, out, "etag",
			     tfp_arena_printf(call->arena, "e%d",
					      fake.creates + fake.updates));
	return out;
}

static int fake_create(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	fake.creates++;
	*out = fake_result(call, plan);
	if (fake.bad_result)
		tfp_value_set_string(call->arena, *out, "name", "changed");
	if (fake.fail_create_after_making)
		return tfp_diag_error(call->diags, "Failed to create fake",
				      "made it, then failed");
	return TFP_OK;
}

static int fake_update(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	(void)prior;
	fake.updates++;
	*out = fake_result(call, plan);
	return TFP_OK;
}

static int fake_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *prior)
{
	fake.reads++;
	if (fake.gone)
		return TFP_ENOTFOUND;
	*out = tfp_value_copy(call->arena, prior);
	return TFP_OK;
}

static int fake_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	(void)call;
	(void)prior;
	fake.deletes++;
	return fake.gone ? TFP_ENOTFOUND : TFP_OK;
}

static struct tfp_resource fake_resource = {
	.type_name = "fake_thing",
	.attrs = fake_attrs,
	.blocks = fake_blocks,
	.desc = "fake",
	.create = fake_create,
	.read = fake_read,
	.update = fake_update,
	.delete = fake_delete,
};

/* --- fixture -------------------------------------------------------------- */

struct fixture {
	struct tfp_arena *arena;
	struct tfp_diags diags;
	struct tfp_call call;
	struct tfp_rt_resource rt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memset(&fake, 0, sizeof(fake));
	fake_resource.update = fake_update;
	f->arena = tfp_arena_new();
	tfp_diags_init(&f->diags, f->arena);
	f->call.arena = f->arena;
	f->call.diags = &f->diags;
	f->call.type_name = "fake_thing";
	f->rt.res = &fake_resource;
	f->rt.type = tfp_schema_type(f->arena, fake_attrs, fake_blocks);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tfp_arena_free(f->arena);
	free(f);
	return 0;
}

/* A config object: name, region (NULL = null), no items. */
static struct tfp_value *config(struct fixture *f, const char *name,
				const char *region)
{
	struct tfp_value *v = tfp_value_object(f->arena, f->rt.type);
	int i = tfp_type_attr_index(f->rt.type, "item");

	tfp_value_set_string(f->arena, v, "name", name);
	tfp_value_set_string(f->arena, v, "region", region);
	v->u.coll.items[i] =
		tfp_value_collection(f->arena, f->rt.type->attr_types[i], 0);
	return v;
}

/* What Terraform proposes: config, with prior values for computed
 * attributes the config leaves null. */
static struct tfp_value *propose(struct fixture *f,
				 const struct tfp_value *prior,
				 const struct tfp_value *cfg)
{
	struct tfp_value *v = tfp_value_copy(f->arena, cfg);
	const char *computed[] = { "mode", "etag", "id" };
	size_t i;

	for (i = 0; prior != NULL && i < 3; i++)
		if (tfp_value_is_null(tfp_value_get(cfg, computed[i])))
			tfp_value_set(v, computed[i],
				      tfp_value_get(prior, computed[i]));
	return v;
}

static struct tfp_value *applied(struct fixture *f, const char *name,
				 const char *region)
{
	struct tfp_plan_result plan;
	struct tfp_value *cfg = config(f, name, region), *state = NULL;

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, NULL,
					    cfg, cfg),
			 TFP_OK);
	assert_int_equal(tfp_lifecycle_apply(&state, &f->call, &f->rt, NULL,
					     plan.planned),
			 TFP_OK);
	return state;
}

/* --- plan ----------------------------------------------------------------- */

static void test_lifecycle__plan_create(void **state)
{
	struct fixture *f = *state;
	struct tfp_plan_result plan;
	struct tfp_value *cfg = config(f, "a", NULL);

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, NULL, cfg,
					    cfg),
			 TFP_OK);
	assert_string_equal(tfp_value_get_string(plan.planned, "name"), "a");
	/* The default fills an optional+computed attribute left out. */
	assert_string_equal(tfp_value_get_string(plan.planned, "mode"),
			    "STANDARD");
	assert_true(tfp_value_is_unknown(tfp_value_get(plan.planned, "etag")));
	assert_true(tfp_value_is_unknown(tfp_value_get(plan.planned, "id")));
	assert_true(tfp_value_is_null(tfp_value_get(plan.planned, "region")));
	assert_int_equal(plan.n_requires_replace, 0);
}

static void test_lifecycle__plan_no_change_keeps_computed(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", "eu");
	struct tfp_value *cfg = config(f, "a", "eu");
	struct tfp_plan_result plan;

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    propose(f, prior, cfg), cfg),
			 TFP_OK);
	/* Nothing changed: no unknowns, so Terraform shows no diff. */
	assert_true(tfp_value_equal(plan.planned, prior));
	assert_int_equal(plan.n_requires_replace, 0);
}

static void test_lifecycle__plan_update_marks_only_changing(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", "eu");
	struct tfp_value *cfg = config(f, "b", "eu");
	struct tfp_plan_result plan;

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    propose(f, prior, cfg), cfg),
			 TFP_OK);
	assert_true(tfp_value_is_unknown(tfp_value_get(plan.planned, "etag")));
	/* The ID survives an in-place update. */
	assert_string_equal(tfp_value_get_string(plan.planned, "id"), "fake-1");
	assert_int_equal(plan.n_requires_replace, 0);
}

static void test_lifecycle__plan_force_new(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", "eu");
	struct tfp_value *cfg = config(f, "a", "us");
	struct tfp_plan_result plan;

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    propose(f, prior, cfg), cfg),
			 TFP_OK);
	assert_int_equal(plan.n_requires_replace, 1);
	assert_string_equal(
		tfp_path_string(f->arena, plan.requires_replace[0]), "region");
}

static void test_lifecycle__plan_no_update_replaces_all(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", "eu");
	struct tfp_value *cfg = config(f, "b", "eu");
	struct tfp_plan_result plan;

	fake_resource.update = NULL;
	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    propose(f, prior, cfg), cfg),
			 TFP_OK);
	assert_int_equal(plan.n_requires_replace, 1);
	assert_string_equal(
		tfp_path_string(f->arena, plan.requires_replace[0]), "name");
}

static void test_lifecycle__plan_destroy(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", NULL);
	struct tfp_plan_result plan;

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    tfp_value_null(f->arena, f->rt.type),
					    tfp_value_null(f->arena, f->rt.type)),
			 TFP_OK);
	assert_true(tfp_value_is_null(plan.planned));
}

static void test_lifecycle__plan_keeps_unknown_config(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *cfg = config(f, "a", NULL);
	struct tfp_plan_result plan;

	tfp_value_set(cfg, "name", tfp_value_unknown(f->arena,
						     &tfp_type_string));
	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, NULL, cfg,
					    cfg),
			 TFP_OK);
	assert_true(tfp_value_is_unknown(tfp_value_get(plan.planned, "name")));
}

/* Plans cfg against prior (NULL: a create); returns the planned value. */
static struct tfp_value *planned(struct fixture *f,
				 const struct tfp_value *prior,
				 const struct tfp_value *cfg)
{
	struct tfp_plan_result plan;

	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    prior ? propose(f, prior, cfg) : cfg,
					    cfg),
			 TFP_OK);
	assert_int_equal(plan.n_requires_replace, 0);
	return plan.planned;
}

static struct tfp_value *with_tier(struct fixture *f, const char *name,
				   const char *tier)
{
	struct tfp_value *cfg = config(f, name, NULL);

	tfp_value_set_string(f->arena, cfg, "tier", tier);
	return cfg;
}

static void test_lifecycle__plan_case_insensitive(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = NULL, *p;

	/* A create takes the configuration's spelling: there is no other. */
	p = planned(f, NULL, with_tier(f, "a", "Premium"));
	assert_string_equal(tfp_value_get_string(p, "tier"), "Premium");
	assert_int_equal(tfp_lifecycle_apply(&prior, &f->call, &f->rt, NULL,
					     p),
			 TFP_OK);
	/* As the service spells it (an import reads this). */
	tfp_value_set_string(f->arena, prior, "tier", "PREMIUM");

	/* Another case of the same value: the prior spelling, no diff. */
	p = planned(f, prior, with_tier(f, "a", "premium"));
	assert_string_equal(tfp_value_get_string(p, "tier"), "PREMIUM");
	assert_true(tfp_value_equal(p, prior));

	/* Another value is a change, spelled as configured. */
	p = planned(f, prior, with_tier(f, "a", "enterprise"));
	assert_string_equal(tfp_value_get_string(p, "tier"), "enterprise");
	assert_true(tfp_value_is_unknown(tfp_value_get(p, "etag")));

	/* Removing it is a change too. */
	p = planned(f, prior, with_tier(f, "a", NULL));
	assert_null(tfp_value_get_string(p, "tier"));
	assert_false(tfp_value_equal(p, prior));

	/* Attributes without the flag compare exactly. */
	p = planned(f, prior, with_tier(f, "A", "PREMIUM"));
	assert_string_equal(tfp_value_get_string(p, "name"), "A");
	assert_false(tfp_value_equal(p, prior));
}

static struct tfp_value *with_doc(struct fixture *f, const char *doc)
{
	struct tfp_value *cfg = config(f, "a", NULL);

	tfp_value_set_string(f->arena, cfg, "doc", doc);
	return cfg;
}

static void test_lifecycle__plan_json_text(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = NULL, *p;

	p = planned(f, NULL, with_doc(f, "{\"a\": 1, \"b\": [true]}"));
	assert_int_equal(tfp_lifecycle_apply(&prior, &f->call, &f->rt, NULL,
					     p),
			 TFP_OK);

	/* The same document in another key order and spacing (jsonencode
	 * of the same object): the prior text, no diff. */
	p = planned(f, prior, with_doc(f, "{\"b\":[true],\"a\":1.0}"));
	assert_string_equal(tfp_value_get_string(p, "doc"),
			    "{\"a\": 1, \"b\": [true]}");
	assert_true(tfp_value_equal(p, prior));

	/* Another document is a change. */
	p = planned(f, prior, with_doc(f, "{\"a\":2,\"b\":[true]}"));
	assert_string_equal(tfp_value_get_string(p, "doc"),
			    "{\"a\":2,\"b\":[true]}");
	assert_true(tfp_value_is_unknown(tfp_value_get(p, "etag")));

	/* Text that is not JSON compares as text. */
	p = planned(f, prior, with_doc(f, "{a: 1}"));
	assert_false(tfp_value_equal(p, prior));
}

/* --- apply ---------------------------------------------------------------- */

static void test_lifecycle__apply_create_update_delete(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", NULL), *cfg, *out = NULL;
	struct tfp_plan_result plan;

	assert_int_equal(fake.creates, 1);
	assert_string_equal(tfp_value_get_string(prior, "id"), "fake-1");
	assert_true(tfp_value_wholly_known(prior));

	cfg = config(f, "b", NULL);
	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, prior,
					    propose(f, prior, cfg), cfg),
			 TFP_OK);
	assert_int_equal(tfp_lifecycle_apply(&out, &f->call, &f->rt, prior,
					     plan.planned),
			 TFP_OK);
	assert_int_equal(fake.updates, 1);
	assert_string_equal(tfp_value_get_string(out, "name"), "b");

	assert_int_equal(tfp_lifecycle_apply(&out, &f->call, &f->rt, prior,
					     tfp_value_null(f->arena,
							    f->rt.type)),
			 TFP_OK);
	assert_int_equal(fake.deletes, 1);
	assert_true(tfp_value_is_null(out));
	assert_int_equal(f->diags.n, 0);
}

static void test_lifecycle__apply_failed_create_keeps_partial(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *cfg = config(f, "a", NULL), *out = NULL;
	struct tfp_plan_result plan;

	fake.fail_create_after_making = 1;
	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, NULL, cfg,
					    cfg),
			 TFP_OK);
	assert_int_equal(tfp_lifecycle_apply(&out, &f->call, &f->rt, NULL,
					     plan.planned),
			 TFP_ERROR);
	/* What was created is returned, so Terraform records it. */
	assert_string_equal(tfp_value_get_string(out, "id"), "fake-1");
	assert_true(tfp_diags_has_error(&f->diags));
}

static void test_lifecycle__apply_inconsistent_result(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *cfg = config(f, "a", NULL), *out = NULL;
	struct tfp_plan_result plan;

	fake.bad_result = 1;
	assert_int_equal(tfp_lifecycle_plan(&plan, &f->call, &f->rt, NULL, cfg,
					    cfg),
			 TFP_OK);
	assert_int_equal(tfp_lifecycle_apply(&out, &f->call, &f->rt, NULL,
					     plan.planned),
			 TFP_ERROR);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(tfp_path_string(f->arena, f->diags.items[0].path),
			    "name");
	assert_non_null(strstr(f->diags.items[0].summary, "inconsistent"));
	/* The object exists remotely, so it stays in the state. */
	assert_false(tfp_value_is_null(out));
}

static void test_lifecycle__delete_of_gone_is_success(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", NULL), *out = NULL;

	fake.gone = 1;
	assert_int_equal(tfp_lifecycle_apply(&out, &f->call, &f->rt, prior,
					     tfp_value_null(f->arena,
							    f->rt.type)),
			 TFP_OK);
	assert_true(tfp_value_is_null(out));
}

/* --- read, import, validate ----------------------------------------------- */

static void test_lifecycle__read_gone_removes(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = applied(f, "a", NULL), *out = NULL;

	assert_int_equal(tfp_lifecycle_read(&out, &f->call, &f->rt, prior),
			 TFP_OK);
	assert_true(tfp_value_equal(out, prior));
	fake.gone = 1;
	assert_int_equal(tfp_lifecycle_read(&out, &f->call, &f->rt, prior),
			 TFP_OK);
	assert_true(tfp_value_is_null(out));
	assert_int_equal(f->diags.n, 0);
}

static void test_lifecycle__import_sets_id(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *out = NULL;
	const struct tfp_value *items;

	assert_int_equal(tfp_lifecycle_import(&out, &f->call, &f->rt, "x-9"),
			 TFP_OK);
	assert_string_equal(tfp_value_get_string(out, "id"), "x-9");
	/* Absent list blocks are empty, never null. */
	items = tfp_value_get(out, "item");
	assert_true(tfp_value_is_known(items));
	assert_int_equal(items->u.coll.n, 0);
	assert_int_equal(tfp_lifecycle_import(&out, &f->call, &f->rt, ""),
			 TFP_ERROR);
}

static void test_lifecycle__validate_paths_and_unknowns(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *cfg = config(f, "has space", NULL);
	int i = tfp_type_attr_index(f->rt.type, "item");
	const struct tfp_type *item_type = f->rt.type->attr_types[i]->elem;
	struct tfp_value *items =
		tfp_value_collection(f->arena, f->rt.type->attr_types[i], 2);

	items->u.coll.items[0] = tfp_value_object(f->arena, item_type);
	tfp_value_set_string(f->arena, items->u.coll.items[0], "value", "ok");
	items->u.coll.items[1] = tfp_value_object(f->arena, item_type);
	tfp_value_set_string(f->arena, items->u.coll.items[1], "value", "b d");
	tfp_value_set(cfg, "item", items);

	assert_int_equal(tfp_lifecycle_validate(&f->call, fake_attrs,
						fake_blocks, cfg),
			 TFP_ERROR);
	/* Every problem is reported, each at its own path. */
	assert_int_equal(f->diags.n, 2);
	assert_string_equal(tfp_path_string(f->arena, f->diags.items[0].path),
			    "name");
	assert_string_equal(tfp_path_string(f->arena, f->diags.items[1].path),
			    "item[1].value");

	f->diags.n = 0;
	tfp_value_set(cfg, "name", tfp_value_unknown(f->arena,
						     &tfp_type_string));
	tfp_value_set(cfg, "item", tfp_value_unknown(f->arena,
						     f->rt.type->attr_types[i]));
	assert_int_equal(tfp_lifecycle_validate(&f->call, fake_attrs,
						fake_blocks, cfg),
			 TFP_OK);
	assert_int_equal(f->diags.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_lifecycle__plan_create),
		T(test_lifecycle__plan_no_change_keeps_computed),
		T(test_lifecycle__plan_update_marks_only_changing),
		T(test_lifecycle__plan_force_new),
		T(test_lifecycle__plan_no_update_replaces_all),
		T(test_lifecycle__plan_destroy),
		T(test_lifecycle__plan_keeps_unknown_config),
		T(test_lifecycle__plan_case_insensitive),
		T(test_lifecycle__plan_json_text),
		T(test_lifecycle__apply_create_update_delete),
		T(test_lifecycle__apply_failed_create_keeps_partial),
		T(test_lifecycle__apply_inconsistent_result),
		T(test_lifecycle__delete_of_gone_is_success),
		T(test_lifecycle__read_gone_removes),
		T(test_lifecycle__import_sets_id),
		T(test_lifecycle__validate_paths_and_unknowns),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
