/*
 * Value checks shared by resources' schema validators.
 */
#ifndef TFP_VALIDATE_H
#define TFP_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"

struct tfp_diags;
struct tfp_path;
struct tfp_value;

/**
 * Checks that s has 1 to max characters, each an ASCII letter, a digit or
 * one of punct. On failure adds an error at path whose summary is
 * "Invalid <what>" and whose detail says which character or length is
 * wrong and what is allowed (punct_desc, e.g. "'_', '.' and '-'"), and
 * returns TFP_ERROR.
 */
int tfp_validate_name(struct tfp_diags *d, const struct tfp_path *path,
		      const char *s, const char *what, size_t max,
		      const char *punct, const char *punct_desc);

/**
 * Parses a Go duration as Terraform timeouts blocks take it ("30m",
 * "1h30m", "90s", "1.5h", "500ms") into *ms (rounded down). Returns TFP_OK,
 * or TFP_ERROR without a diagnostic for anything else, a negative value,
 * or more than 30 days.
 */
int tfp_parse_duration_ms(int64_t *ms, const char *s);

/** A tfp_validate_fn for durations (tfp_parse_duration_ms). */
int tfp_validate_duration(struct tfp_diags *d, const struct tfp_path *path,
			  const struct tfp_value *v);

/**
 * Checks that v (a known string) is one of allowed (NULL-terminated),
 * exactly or, with fold, without regard to ASCII case. On failure adds an
 * error at path, "Invalid <what>", whose detail lists the allowed values
 * (list, e.g. "CORE, PRO or ADVANCED"), and returns TFP_ERROR.
 */
int tfp_validate_enum(struct tfp_diags *d, const struct tfp_path *path,
		      const struct tfp_value *v, const char *what,
		      const char *const *allowed, bool fold, const char *list);

/** True when needle occurs in hay without regard to ASCII case (the
 * "name contains" filters of the data sources); "" is in everything. */
bool tfp_contains_fold(const char *hay, const char *needle);

#endif
