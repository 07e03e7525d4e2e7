/*
 * Generic resource semantics, the same for every resource (the counterpart
 * of terraform-plugin-framework's fwserver): validation, the plan pipeline,
 * apply dispatch with contract checks, read, import.
 *
 * It knows Terraform's contract (terraform's
 * docs/resource-instance-change-lifecycle.md), not Databricks: resources
 * only create, read, update and delete. Every function takes values in the
 * resource's object type and returns new values in call->arena.
 */
#ifndef TFP_LIFECYCLE_H
#define TFP_LIFECYCLE_H

#include <stddef.h>
#include "call.h"
#include "schema.h"

struct tfp_path;

/** A registered resource with its object type (built once at start-up). */
struct tfp_rt_resource {
	const struct tfp_resource *res;
	const struct tfp_type *type;
};

/** A registered data source with its object type. */
struct tfp_rt_data_source {
	const struct tfp_data_source *ds;
	const struct tfp_type *type;
};

/**
 * Runs the attribute validators on every known value of config (nested
 * blocks included), then the resource's own validate. Unknown values are
 * never an error. All problems are collected before returning.
 */
int tfp_lifecycle_validate(struct tfp_call *call,
			   const struct tfp_attr *attrs,
			   const struct tfp_block *blocks,
			   const struct tfp_value *config);

/** The planned state and the attribute paths that force replacement. */
struct tfp_plan_result {
	struct tfp_value *planned;
	const struct tfp_path **requires_replace;
	size_t n_requires_replace;
};

/**
 * Plans a change. prior is null on create; proposed is null on destroy.
 * Order: defaults; if anything changed, computed attributes that the
 * config leaves null become unknown (unless the plan flag keeps the prior
 * value); modify_plan; requires-replace paths (FORCE_NEW attributes, or
 * every configurable one when the resource has no update).
 */
int tfp_lifecycle_plan(struct tfp_plan_result *out, struct tfp_call *call,
		       const struct tfp_rt_resource *r,
		       const struct tfp_value *prior,
		       const struct tfp_value *proposed,
		       const struct tfp_value *config);

/**
 * Applies a planned change: create on a null prior, delete on a null plan,
 * update otherwise. *new_state is always set: on failure to what exists
 * remotely as far as the provider knows (the partial result of a create,
 * the prior state of a failed update or delete), so nothing is forgotten.
 * On success the result is checked against the plan before Terraform does.
 */
int tfp_lifecycle_apply(struct tfp_value **new_state, struct tfp_call *call,
			const struct tfp_rt_resource *r,
			const struct tfp_value *prior,
			const struct tfp_value *planned);

/**
 * Refreshes prior from the workspace. *new_state is null when the object
 * is gone (Terraform then plans to create it again), the prior state when
 * the read fails.
 */
int tfp_lifecycle_read(struct tfp_value **new_state, struct tfp_call *call,
		       const struct tfp_rt_resource *r,
		       const struct tfp_value *prior);

/** Builds the state Terraform will then refresh with read, from an ID. */
int tfp_lifecycle_import(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_rt_resource *r, const char *id);

#endif
