/*
 * Schema tables end to end inside the provider: nested attributes (protocol
 * 6 nested_type) give the right value types, render as nested_type objects
 * with their nesting mode, are validated element by element at their own
 * paths, and map to and from JSON by their own tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <protobuf-c/protobuf-c.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "lifecycle.h"
#include "path.h"
#include "rpc.h"
#include "tfplugin6.pb-c.h"

static int no_spaces(struct tfp_diags *d, const struct tfp_path *path,
		     const struct tfp_value *v)
{
	if (strchr(v->u.str, ' ') == NULL)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid name", "no spaces");
}

static const struct tfp_attr param_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = no_spaces, .desc = "n" },
	{ .name = "default", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .json = "default_value", .desc = "d" },
	TFP_ATTR_END
};

static const struct tfp_attr owner_attrs[] = {
	{ .name = "user", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "u" },
	TFP_ATTR_END
};

static const struct tfp_attr attrs[] = {
	{ .name = "params", .nested = param_attrs, .nesting = TFP_NEST_LIST,
	  .flags = TFP_OPTIONAL, .desc = "p" },
	{ .name = "owners", .nested = owner_attrs, .nesting = TFP_NEST_MAP,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "o" },
	{ .name = "main", .nested = owner_attrs, .nesting = TFP_NEST_SINGLE,
	  .flags = TFP_OPTIONAL, .desc = "m" },
	TFP_ATTR_END
};

static void test_schema__nested_types_and_check(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_type *t = tfp_schema_type(a, attrs, NULL);
	const struct tfp_type *p =
		t->attr_types[tfp_type_attr_index(t, "params")];
	struct tfp_diags d;

	(void)state;
	tfp_diags_init(&d, a);
	assert_int_equal(p->kind, TFP_KIND_LIST);
	assert_int_equal(p->elem->kind, TFP_KIND_OBJECT);
	assert_true(tfp_type_attr_index(p->elem, "default") >= 0);
	assert_int_equal(t->attr_types[tfp_type_attr_index(t, "owners")]->kind,
			 TFP_KIND_MAP);
	assert_int_equal(t->attr_types[tfp_type_attr_index(t, "main")]->kind,
			 TFP_KIND_OBJECT);
	assert_int_equal(tfp_schema_check(&d, "t", attrs, NULL), TFP_OK);
	tfp_arena_free(a);
}

static void test_schema__nested_rendering(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	Tfplugin6__Schema__Block *b =
		(Tfplugin6__Schema__Block *)tfp_rpc__schema_block(a, attrs,
								  NULL);
	Tfplugin6__Schema__Block *back;
	const Tfplugin6__Schema__Attribute *params = NULL, *owners = NULL;
	size_t i, n = protobuf_c_message_get_packed_size(&b->base);
	uint8_t *buf = tfp_arena_alloc(a, n);

	(void)state;
	/* It survives the wire. */
	protobuf_c_message_pack(&b->base, buf);
	back = (Tfplugin6__Schema__Block *)protobuf_c_message_unpack(
		&tfplugin6__schema__block__descriptor, NULL, n, buf);
	assert_non_null(back);
	for (i = 0; i < back->n_attributes; i++) {
		if (strcmp(back->attributes[i]->name, "params") == 0)
			params = back->attributes[i];
		if (strcmp(back->attributes[i]->name, "owners") == 0)
			owners = back->attributes[i];
	}
	assert_non_null(params);
	assert_non_null(params->nested_type);
	assert_int_equal(params->type.len, 0);
	assert_int_equal(params->nested_type->nesting,
			 TFPLUGIN6__SCHEMA__OBJECT__NESTING_MODE__LIST);
	assert_int_equal(params->nested_type->n_attributes, 2);
	assert_true(owners->computed);
	assert_int_equal(owners->nested_type->nesting,
			 TFPLUGIN6__SCHEMA__OBJECT__NESTING_MODE__MAP);
	protobuf_c_message_free_unpacked(&back->base, NULL);
	tfp_arena_free(a);
}

static void test_schema__nested_validation_and_json(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_type *t = tfp_schema_type(a, attrs, NULL);
	cJSON *in = cJSON_Parse(
		"{\"params\":[{\"name\":\"env\",\"default_value\":\"prod\"},"
		"{\"name\":\"bad name\"}],"
		"\"owners\":{\"ops\":{\"user\":\"o@x\"}},"
		"\"main\":{\"user\":\"m@x\"}}");
	cJSON *out = NULL;
	struct tfp_value *v = NULL, *back = NULL;
	struct tfp_diags d;
	struct tfp_call call = { .arena = a, .diags = &d };
	char *text;

	(void)state;
	tfp_diags_init(&d, a);
	tfp_arena_defer_json(a, in);
	assert_int_equal(tfp_jsonmap_to_value(&v, a, t, attrs, NULL, in, NULL,
					      &d),
			 TFP_OK);
	assert_string_equal(
		tfp_value_get_string(
			tfp_value_get(v, "params")->u.coll.items[0], "default"),
		"prod");
	assert_string_equal(
		tfp_value_get_string(
			tfp_value_map_get(tfp_value_get(v, "owners"), "ops"),
			"user"),
		"o@x");

	/* The bad name is reported at params[1].name. */
	assert_int_equal(tfp_lifecycle_validate(&call, attrs, NULL, v),
			 TFP_ERROR);
	assert_int_equal(d.n, 1);
	assert_string_equal(tfp_path_string(a, d.items[0].path),
			    "params[1].name");

	/* Back to JSON with the nested table's field names. */
	assert_int_equal(tfp_jsonmap_from_value(&out, a, attrs, NULL, v, &d),
			 TFP_OK);
	text = cJSON_PrintUnformatted(out);
	assert_non_null(strstr(text, "\"default_value\":\"prod\""));
	assert_non_null(strstr(text, "\"owners\":{\"ops\":{\"user\":\"o@x\"}}"));
	cJSON_free(text);
	assert_int_equal(tfp_jsonmap_to_value(&back, a, t, attrs, NULL, out,
					      NULL, &d),
			 TFP_OK);
	assert_true(tfp_value_equal(v, back));
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema__nested_types_and_check),
		cmocka_unit_test(test_schema__nested_rendering),
		cmocka_unit_test(test_schema__nested_validation_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
