/*
 * What the two value decoders share: msgpack.c (values on the wire) and
 * statejson.c (state Terraform stored as JSON). Both are type-directed
 * walks that must name the attribute path of every error, check maps for
 * repeated keys and quote untrusted input safely; this module is those
 * pieces, and nothing of either format. Internal to the framework.
 */
#ifndef TFP_DECODE_H
#define TFP_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "path.h"

struct tfp_arena;
struct tfp_diags;
struct tfp_type;
struct tfp_value;

/*
 * Where a decoder (or the msgpack encoder) is, as a linked list of stack
 * frames from the innermost step up to the root (NULL), turned into a
 * tfp_path only when an error is reported. Set elements add no step:
 * Terraform cannot point at one (terraform-plugin-protocol.md §6).
 */
struct tfp_trail {
	const struct tfp_trail *up;
	enum tfp_step_kind kind;
	const char *name; /* ATTR, KEY */
	int64_t index;	  /* INDEX */
};

/** The path of trail at (NULL: the root), allocated in a. */
const struct tfp_path *tfp_decode_path(struct tfp_arena *a,
				       const struct tfp_trail *at);

/**
 * Adds an error diagnostic at the trail's path with summary and the
 * formatted detail. Returns TFP_ERROR, for "return tfp_decode_error(...)".
 */
int tfp_decode_error(struct tfp_diags *d, const struct tfp_trail *at,
		     const char *summary, const char *fmt, ...)
	TFP_PRINTF(4, 5);

/**
 * The len bytes at s as shown in a message (arena-owned): at most 64, any
 * byte but printable ASCII as '?', "..." when cut. Diagnostics travel as
 * protobuf strings, which Terraform rejects unless they are valid UTF-8.
 */
const char *tfp_decode_printable(struct tfp_arena *a, const char *s,
				 size_t len);

/**
 * s when it is valid UTF-8, else a copy (in a) with each invalid byte
 * replaced by U+FFFD. Protobuf strings must be UTF-8: a message that
 * quotes bytes from a file or a server (a .databrickscfg host of
 * "\xff\xfe") must not make Terraform drop the whole response. NULL stays
 * NULL.
 */
const char *tfp_utf8_clean(struct tfp_arena *a, const char *s);

/** "a string", "a list", ...: t's kind for a message. */
const char *tfp_decode_type_desc(const struct tfp_type *t);

/**
 * Checks the map m for a repeated key, sorting its entries by key unless
 * they already are (which changes nothing a map's meaning depends on).
 * Returns the index of a repeated key after sorting, or -1.
 */
ptrdiff_t tfp_decode_map_check(struct tfp_arena *a, struct tfp_value *m);

/** A known value of type t, its payload left for the caller to fill. */
struct tfp_value *tfp_decode_known(struct tfp_arena *a,
				   const struct tfp_type *t);

#endif
