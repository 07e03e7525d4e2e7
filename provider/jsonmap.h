/*
 * Small, exact accessors between cJSON replies and resource code.
 *
 * Integers follow the project's JSON rule (style-guide.md §2.7): they are
 * read from the parsed double only when integral and below 2^53 in
 * magnitude (cJSON cannot tell 2^53 from 2^53 + 1), and written as exact
 * decimal text, never through cJSON's %g printer. valueint is never used.
 */
#ifndef TFP_JSONMAP_H
#define TFP_JSONMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"

struct cJSON;
struct tfp_arena;
struct tfp_diags;

/** The string member name of obj, or NULL if absent or not a string. */
const char *tfp_json_string(const struct cJSON *obj, const char *name);

/**
 * The integer member name of obj into *out. Returns TFP_OK, TFP_ENOTFOUND
 * (absent or null, no diagnostic), or TFP_ERROR with a diagnostic naming
 * the field when it is not an exact integer below 2^53.
 */
int tfp_json_int(int64_t *out, const struct cJSON *obj, const char *name,
		 struct tfp_diags *d);

/**
 * True when texts a and b are the same JSON document (key order and white
 * space aside; numbers compared by value). Text that is not JSON is
 * compared as text; NULL equals only NULL.
 */
bool tfp_json_same_document(const char *a, const char *b);

/** Adds "name": <exact integer text> to obj. */
void tfp_json_add_int(struct cJSON *obj, const char *name, int64_t v);

struct tfp_arena;

/**
 * Hands json (a cJSON tree, may be NULL) to the arena a: cJSON_Delete runs
 * on it when a is freed, so the tree lives as long as the values read from
 * it. The arena owns json from here on; the caller must not delete it.
 */
void tfp_arena_defer_json(struct tfp_arena *a, struct cJSON *json);

/* --- schema-driven mapping ------------------------------------------------ */

struct tfp_attr;
struct tfp_block;
struct tfp_type;
struct tfp_value;

/**
 * The API body for a known object, driven by the schema tables: each
 * attribute and block goes to its JSON field (.json, else its name); null
 * values, empty blocks and TFP_NO_JSON fields are left out; a SINGLE block
 * or a LIST block with max_items 1 becomes a JSON object, other blocks
 * arrays; maps become objects; integers are written as exact text. An
 * unknown attribute is a computed value the plan left to the workspace, so
 * it is left out too; an unknown inside a collection is an error. The tree
 * is owned by a (it
 * is freed with the arena). Returns TFP_OK or TFP_ERROR with a diagnostic.
 */
int tfp_jsonmap_from_value(struct cJSON **out, struct tfp_arena *a,
			   const struct tfp_attr *attrs,
			   const struct tfp_block *blocks,
			   const struct tfp_value *obj, struct tfp_diags *d);

/**
 * A value of type t from an API object, driven by the same tables: absent
 * fields become null, absent blocks empty; TFP_NO_JSON fields are null
 * (the caller fills them); TFP_KEEP_PRIOR attributes and blocks that the
 * JSON leaves out come from prior (the
 * element with the same key in keyed blocks, the same index in lists);
 * a block equal to its server_default, or an empty JSON object, reads as
 * absent when prior had it absent. prior may be NULL. Integers follow the
 * 2^53 rule; a type mismatch is a diagnostic naming the JSON field.
 */
int tfp_jsonmap_to_value(struct tfp_value **out, struct tfp_arena *a,
			 const struct tfp_type *t,
			 const struct tfp_attr *attrs,
			 const struct tfp_block *blocks, const struct cJSON *json,
			 const struct tfp_value *prior, struct tfp_diags *d);

#endif
