/*
 * Attribute paths: where in a resource's value a diagnostic points.
 *
 * A path is an immutable list of steps (attribute name, list index, map
 * key) allocated in an arena; extending one never changes the parent, so
 * paths can be shared while walking a value.
 */
#ifndef TFP_PATH_H
#define TFP_PATH_H

#include <stddef.h>
#include <stdint.h>

struct tfp_arena;

enum tfp_step_kind {
	TFP_STEP_ATTR,  /* .name */
	TFP_STEP_KEY,   /* ["key"] */
	TFP_STEP_INDEX, /* [3] */
};

struct tfp_path_step {
	enum tfp_step_kind kind;
	const char *name; /* ATTR and KEY */
	int64_t index;    /* INDEX */
};

struct tfp_path {
	size_t n;
	const struct tfp_path_step *steps;
};

/** parent + .name; parent may be NULL (the root). */
const struct tfp_path *tfp_path_attr(struct tfp_arena *a,
				     const struct tfp_path *parent,
				     const char *name);
/** parent + [index]. */
const struct tfp_path *tfp_path_index(struct tfp_arena *a,
				      const struct tfp_path *parent,
				      int64_t index);
/** parent + ["key"]. */
const struct tfp_path *tfp_path_key(struct tfp_arena *a,
				    const struct tfp_path *parent,
				    const char *key);
/** "keyvault_metadata[0].dns_name"; "" for the root or NULL. */
char *tfp_path_string(struct tfp_arena *a, const struct tfp_path *p);
/** True when both name the same place. */
int tfp_path_equal(const struct tfp_path *x, const struct tfp_path *y);

#endif
