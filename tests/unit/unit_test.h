/*
 * The fixture most provider unit tests share: a fresh arena and an empty
 * diagnostics list for each test, freed by the teardown even when an
 * assertion fails, and optionally the object type of a resource's tables.
 * Include after <cmocka.h>.
 */
#ifndef TFP_UNIT_TEST_H
#define TFP_UNIT_TEST_H

#include "arena.h"
#include "diag.h"
#include "schema.h"

struct fixture {
	struct tfp_arena *a;
	struct tfp_diags d;
	const struct tfp_type *type; /* NULL unless set up for a resource */
};

static inline int tfp_test_setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->a = tfp_arena_new();
	tfp_diags_init(&f->d, f->a);
	*state = f;
	return 0;
}

/* tfp_test_setup, plus the object type of resource r's tables. */
static inline int tfp_test_setup_resource(void **state,
					  const struct tfp_resource *r)
{
	struct fixture *f;

	tfp_test_setup(state);
	f = *state;
	f->type = tfp_schema_type(f->a, r->attrs, r->blocks);
	return 0;
}

static inline int tfp_test_teardown(void **state)
{
	struct fixture *f = *state;

	tfp_arena_free(f->a);
	test_free(f);
	return 0;
}

#endif
