/*
 * Type-directed msgpack <-> tfp_value (values on the wire; state stored as
 * JSON is statejson.h's).
 *
 * The encoding is cty's (go-cty cty/msgpack): objects are maps with every
 * attribute present, sorted by name; unknown is fixext1 type 0 (d4 00 00);
 * any ext of length <= 1 decodes as unknown; ext type 12 is a refined
 * unknown whose body is kept and written back. Numbers decode from every
 * int/uint width, float32/64 or a decimal string; they encode as an int64
 * when exact, else a float64 when exact, else the decimal text.
 *
 * Input is bounds-checked: every container count is checked against the
 * bytes left before anything is allocated, nesting is limited, and every
 * error names the attribute path. This module is the only msgpack-c user.
 */
#ifndef TFP_MSGPACK_H
#define TFP_MSGPACK_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

/**
 * Containers (arrays, maps, dynamic wrappers) nest at most this deep in
 * decoded input and encoded values; deeper input is an error, not a stack
 * overflow.
 */
#define TFP_MSGPACK_MAX_DEPTH 64

struct tfp_arena;
struct tfp_diags;
struct tfp_type;
struct tfp_value;

/**
 * Decodes buf as a value of type t into *out (arena-owned). An empty buffer
 * decodes as null. Returns TFP_OK, or TFP_ERROR with a diagnostic.
 */
int tfp_msgpack_decode(struct tfp_value **out, struct tfp_arena *a,
		       const struct tfp_type *t, const uint8_t *buf,
		       size_t len, struct tfp_diags *d);

/**
 * Encodes v (type-directed by v->type) into an arena buffer *out of *out_len
 * bytes. Returns TFP_OK, or TFP_ERROR with a diagnostic (e.g. a value whose
 * shape does not match its type). NULL encodes as null. Values in dynamic
 * attributes are wrapped as [type-JSON, value]; v itself is encoded as its
 * own type, so a top-level dynamic value is written unwrapped.
 */
int tfp_msgpack_encode(uint8_t **out, size_t *out_len, struct tfp_arena *a,
		       const struct tfp_value *v, struct tfp_diags *d);

#endif
