/*
 * msgpack -> value for the real resource and data source types (the
 * first byte picks one), and the round trip back: a value that decodes
 * must encode, and decode again to an equal value. Numbers are compared
 * exactly, so a number that changes on the way back to Terraform (a
 * double sent as shorter text) fails here.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "msgpack.h"
#include "value.h"

/*
 * Any float64 and any int64 (the first 8 bytes of the input) sent to
 * Terraform as a number decode there as the same number: the text we
 * send is read at 512 bits, so it must be exact.
 */
static void numbers_round_trip(struct tfp_arena *a, struct tfp_diags *d,
			       const uint8_t *p)
{
	const struct tfp_value *vs[2];
	struct tfp_value *back;
	uint64_t bits = 0;
	int64_t i;
	double f;
	uint8_t *out;
	size_t n, k;

	for (k = 0; k < 8; k++)
		bits = bits << 8 | p[k];
	memcpy(&f, &bits, sizeof(f));
	memcpy(&i, &bits, sizeof(i));
	vs[0] = tfp_value_int(a, i);
	vs[1] = isfinite(f) ? tfp_value_float(a, f) : NULL;
	for (k = 0; k < 2; k++) {
		if (vs[k] == NULL)
			continue;
		FUZZ_CHECK(tfp_msgpack_encode(&out, &n, a, vs[k], d) == TFP_OK);
		back = NULL;
		FUZZ_CHECK(tfp_msgpack_decode(&back, a, &tfp_type_number, out, n,
					      d) == TFP_OK);
		FUZZ_CHECK(tfp_value_equal(vs[k], back));
	}
}

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
	if (size >= 9)
		numbers_round_trip(a, &d, data + 1);
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
