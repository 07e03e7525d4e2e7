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

/** Adds "name": <exact integer text> to obj. */
void tfp_json_add_int(struct cJSON *obj, const char *name, int64_t v);

#endif
