/*
 * Diagnostics: what the user sees when something fails or needs attention.
 *
 * Whoever knows what the user was doing writes the summary ("Failed to
 * create databricks_secret_scope"); whoever knows what went wrong writes the
 * detail (the workspace's answer, or how to fix a value). Validation errors
 * carry the attribute path. A list belongs to one call and one thread.
 * Nothing secret ever goes into a diagnostic.
 */
#ifndef TFP_DIAG_H
#define TFP_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "common.h"
#include "path.h"

struct tfp_arena;

enum tfp_severity {
	TFP_SEV_ERROR = 1, /* the protocol's numbers */
	TFP_SEV_WARNING = 2,
};

struct tfp_diag {
	enum tfp_severity severity;
	const char *summary;
	const char *detail;
	const struct tfp_path *path; /* NULL: the whole resource */
};

struct tfp_diags {
	struct tfp_arena *arena;
	struct tfp_diag *items;
	size_t n, cap;
};

/** Prepares an empty list whose strings go into a. */
void tfp_diags_init(struct tfp_diags *d, struct tfp_arena *a);

/** Adds an error and returns TFP_ERROR, so a failure is one return line. */
int tfp_diag_error(struct tfp_diags *d, const char *summary,
		   const char *fmt, ...) TFP_PRINTF(3, 4);
/** Adds an error about one attribute and returns TFP_ERROR. */
int tfp_diag_attr_error(struct tfp_diags *d, const struct tfp_path *path,
			const char *summary, const char *fmt, ...)
	TFP_PRINTF(4, 5);
/** Adds a warning. */
void tfp_diag_warning(struct tfp_diags *d, const char *summary,
		      const char *fmt, ...) TFP_PRINTF(3, 4);
/** Adds a diagnostic with every field given (summary and detail copied). */
void tfp_diag_add(struct tfp_diags *d, enum tfp_severity sev,
		  const struct tfp_path *path, const char *summary,
		  const char *detail);

/**
 * Removes the newest diagnostic (none: nothing happens). For a handler that
 * resolved the failure a callee reported, such as a create that returned
 * TFP_EUNCERTAIN and then found its object: the callee's diagnostic is
 * always the newest one when its code comes back.
 */
void tfp_diags_drop_last(struct tfp_diags *d);

/** True when the list holds at least one error. */
bool tfp_diags_has_error(const struct tfp_diags *d);

#endif
