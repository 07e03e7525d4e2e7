/*
 * A REST answer -> state for every real resource and data source table
 * (the first byte picks one), through the schema-driven JSON mapping all
 * families share; a state that maps must map back to JSON (as an update
 * would send it) without failing on what the mapping itself produced.
 */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tfp_attr *attrs;
	const struct tfp_block *blocks;
	const struct tfp_type *t;
	struct tfp_value *v = NULL;
	struct tfp_arena *a;
	struct tfp_diags d;
	cJSON *json, *back = NULL;

	if (size < 1)
		return 0;
	json = cJSON_ParseWithLength((const char *)data + 1, size - 1);
	if (json == NULL)
		return 0;
	a = tfp_arena_new();
	tfp_diags_init(&d, a);
	t = fuzz_pick_type(data[0], &attrs, &blocks);
	if (tfp_jsonmap_to_value(&v, a, t, attrs, blocks, json, NULL, &d) ==
	    TFP_OK) {
		/* The tree is the arena's. */
		(void)tfp_jsonmap_from_value(&back, a, attrs, blocks, v, &d);
	}
	cJSON_Delete(json);
	tfp_arena_free(a);
	return 0;
}
