/*
 * msgpack -> value for the real resource and data source types (the
 * first byte picks one), and the round trip back: a value that decodes
 * must encode, and decode again to an equal value. Numbers are compared
 * exactly, so a number that changes on the way back to Terraform (a
 * double sent as shorter text) fails here.
 */
#include "fuzz.h"

#include "arena.h"
#include "diag.h"
#include "msgpack.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tfp_attr *attrs;
	const struct tfp_block *blocks;
	const struct tfp_type *t;
	struct tfp_value *v = NULL, *back = NULL;
	struct tfp_arena *a;
	struct tfp_diags d;
	uint8_t *out;
	size_t n;

	if (size < 1)
		return 0;
	a = tfp_arena_new();
	tfp_diags_init(&d, a);
	t = fuzz_pick_type(data[0], &attrs, &blocks);
	if (tfp_msgpack_decode(&v, a, t, data + 1, size - 1, &d) == TFP_OK) {
		FUZZ_CHECK(tfp_msgpack_encode(&out, &n, a, v, &d) == TFP_OK);
		FUZZ_CHECK(tfp_msgpack_decode(&back, a, t, out, n, &d) ==
			   TFP_OK);
		FUZZ_CHECK(tfp_value_equal(v, back));
	}
	tfp_arena_free(a);
	return 0;
}
