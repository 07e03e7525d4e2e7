/*
 * Terraform's JSON state (what UpgradeResourceState hands over, from state
 * files people edit by hand) -> value for the real types (the first byte
 * picks one); a value that decodes must survive the msgpack round trip to
 * Terraform unchanged.
 */
#include "fuzz.h"

#include "arena.h"
#include "diag.h"
#include "msgpack.h"
#include "statejson.h"
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
	if (tfp_json_decode_value(&v, a, t, (const char *)data + 1, size - 1,
				  &d) == TFP_OK &&
	    tfp_value_wholly_known(v)) {
		FUZZ_CHECK(tfp_msgpack_encode(&out, &n, a, v, &d) == TFP_OK);
		FUZZ_CHECK(tfp_msgpack_decode(&back, a, t, out, n, &d) ==
			   TFP_OK);
		FUZZ_CHECK(tfp_value_equal(v, back));
	}
	tfp_arena_free(a);
	return 0;
}
