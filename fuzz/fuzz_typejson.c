/*
 * cty type JSON (the type half of a dynamic value) -> type, and back: a
 * type that parses prints as JSON that parses to the same printed form.
 */
#include "fuzz.h"

#include <string.h>

#include "arena.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfp_arena *a = tfp_arena_new();
	const struct tfp_type *t, *t2;

	t = tfp_type_from_json(a, (const char *)data, size);
	if (t != NULL) {
		const char *json = tfp_type_json(a, t);

		FUZZ_CHECK(json != NULL);
		t2 = tfp_type_from_json(a, json, strlen(json));
		FUZZ_CHECK(t2 != NULL);
		FUZZ_CHECK(strcmp(tfp_type_json(a, t2), json) == 0);
	}
	tfp_arena_free(a);
	return 0;
}
