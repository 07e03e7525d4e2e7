/*
 * What the fuzz targets share: picking a resource or data source type of
 * the real registry from an input byte, and a per-input arena. Each target
 * is one libFuzzer entry point (LLVMFuzzerTestOneInput) around the real
 * decoder it names; scripts/fuzz.sh builds and runs them.
 */
#ifndef TFP_FUZZ_H
#define TFP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "registry.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The attrs and blocks of the k-th type of the registry, resources then
 * data sources, k taken modulo their number. */
static inline void fuzz_pick_table(unsigned k, const struct tfp_attr **attrs,
				   const struct tfp_block **blocks,
				   const char **name)
{
	size_t n = tfp_registry_n_resources + tfp_registry_n_data_sources;
	size_t i = k % n;

	if (i < tfp_registry_n_resources) {
		*attrs = tfp_registry_resources[i]->attrs;
		*blocks = tfp_registry_resources[i]->blocks;
		*name = tfp_registry_resources[i]->type_name;
	} else {
		i -= tfp_registry_n_resources;
		*attrs = tfp_registry_data_sources[i]->attrs;
		*blocks = tfp_registry_data_sources[i]->blocks;
		*name = tfp_registry_data_sources[i]->type_name;
	}
}

/*
 * The object type of the k-th table, built once per process (a job's is
 * large: building it for each input would halve the executions), with
 * the table itself.
 */
static inline const struct tfp_type *
fuzz_pick_type(unsigned k, const struct tfp_attr **attrs,
	       const struct tfp_block **blocks)
{
	static struct tfp_arena *types_arena;
	static const struct tfp_type *types[512];
	size_t n = tfp_registry_n_resources + tfp_registry_n_data_sources;
	const char *name;
	size_t i = k % n;

	fuzz_pick_table(k, attrs, blocks, &name);
	if (types_arena == NULL)
		types_arena = tfp_arena_new();
	if (i >= sizeof(types) / sizeof(types[0]))
		return tfp_schema_type(types_arena, *attrs, *blocks);
	if (types[i] == NULL)
		types[i] = tfp_schema_type(types_arena, *attrs, *blocks);
	return types[i];
}

/* A failed property: abort so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			__builtin_trap();                                      \
		}                                                              \
	} while (0)

#endif
