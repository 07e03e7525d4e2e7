/*
 * Terraform's stored state as JSON -> tfp_value (UpgradeResourceState's
 * raw_state.json). Values on the wire are msgpack.h's; this is the one
 * place the framework reads state in its JSON form.
 */
#ifndef TFP_STATEJSON_H
#define TFP_STATEJSON_H

#include <stddef.h>
#include "common.h"

/**
 * Containers (arrays, objects, dynamic wrappers) nest at most this deep in
 * state JSON; deeper input is an error, not a stack overflow.
 */
#define TFP_STATEJSON_MAX_DEPTH 64

struct tfp_arena;
struct tfp_diags;
struct tfp_type;
struct tfp_value;

/**
 * Decodes Terraform's JSON state (the len bytes at json) as type t into
 * *out (arena-owned; NULL on error). Empty input decodes as null. Missing
 * attributes become null; attributes the type does not know are dropped
 * (an attribute removed in a newer schema). Numbers keep their exact text
 * when they do not fit an int64 or exact float64. Returns TFP_OK, or
 * TFP_ERROR with a diagnostic naming the attribute path.
 */
int tfp_json_decode_value(struct tfp_value **out, struct tfp_arena *a,
			  const struct tfp_type *t, const char *json,
			  size_t len, struct tfp_diags *d);

#endif
