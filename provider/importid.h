/*
 * Compound import IDs such as the official provider's "<scope>|||<key>".
 */
#ifndef TFP_IMPORTID_H
#define TFP_IMPORTID_H

#include <stddef.h>
#include "common.h"

struct tfp_arena;
struct tfp_diags;

/**
 * Splits id at the first occurrence of sep into n non-empty parts (the
 * last part takes the rest, so it may contain sep). On a malformed id adds
 * a diagnostic showing the expected form (e.g. "<scope>|||<key>") and
 * returns TFP_ERROR.
 */
int tfp_importid_split(const char **parts, size_t n, struct tfp_arena *a,
		       struct tfp_diags *d, const char *id, const char *sep,
		       const char *form);

#endif
