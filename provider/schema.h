/*
 * Declarative schema tables and the per-resource interface.
 *
 * A resource is data: a table of attributes and nested blocks plus a few
 * handlers. lifecycle.c does everything generic (plan, requires-replace,
 * computed values, contract checks); handlers keep only Databricks
 * semantics. schema.c turns the tables into object types and checks them
 * (tfp_schema_check), and rpc.c renders them into the protocol's Schema.
 */
#ifndef TFP_SCHEMA_H
#define TFP_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "call.h"
#include "value.h"

struct tfp_arena;
struct tfp_diags;
struct tfp_path;

enum {
	TFP_REQUIRED = 1 << 0,
	TFP_OPTIONAL = 1 << 1,
	TFP_COMPUTED = 1 << 2,
	TFP_SENSITIVE = 1 << 3,
	TFP_FORCE_NEW = 1 << 4,   /* a change replaces the resource */
	TFP_DEPRECATED = 1 << 5,
	/* Not part of the API's JSON: jsonmap.c skips it; the resource sets
	 * it (e.g. "id", "url"). */
	TFP_NO_JSON = 1 << 6,
	/* The API accepts it but never returns it (write-only settings such
	 * as run_as, secret values): reading keeps the prior value. With
	 * TFP_NO_JSON: neither sent nor read, and a read keeps the prior
	 * value (settings of the provider's own nested in API objects). */
	TFP_KEEP_PRIOR = 1 << 7,
	/*
	 * Blocks only: the workspace adds the block with values of its own
	 * choosing when it is left out (a cluster's aws_attributes). A read
	 * keeps it absent while the prior state has it absent, so the
	 * workspace's choice is not drift; without a prior state (import) the
	 * block is read as the workspace has it.
	 */
	TFP_SERVER_FILLED = 1 << 8,
	/*
	 * Top-level strings: the service treats spellings that differ only
	 * in case as one value (a pricing tier). A plan keeps the prior
	 * state's spelling when the configuration's differs from it only in
	 * case, so an import or a service that capitalises is no change.
	 */
	TFP_CASE_INSENSITIVE = 1 << 9,
	/*
	 * Top-level strings holding a JSON document: texts that are the
	 * same document (key order, white space, number spelling aside) are
	 * one value, and a plan keeps the prior state's text.
	 */
	TFP_JSON_TEXT = 1 << 10,
};

enum tfp_plan_flag {
	TFP_PLAN_DEFAULT = 0,
	/* A computed value that will not change: keep the prior state's value
	 * instead of planning it unknown. */
	TFP_PLAN_USE_STATE_FOR_UNKNOWN = 1 << 0,
};

/**
 * Checks a known, non-null value; reports with tfp_diag_attr_error(d, path,
 * ...) and returns TFP_ERROR, or TFP_OK. Never called on null or unknown.
 */
typedef int (*tfp_validate_fn)(struct tfp_diags *d,
			       const struct tfp_path *path,
			       const struct tfp_value *v);

enum tfp_nesting {
	TFP_NEST_SINGLE = 1, /* the protocol's numbers */
	TFP_NEST_LIST = 2,
	TFP_NEST_SET = 3,
	TFP_NEST_MAP = 4, /* nested attributes only */
};

struct tfp_attr {
	const char *name;
	/* NULL for a nested attribute: its type comes from .nested. */
	const struct tfp_type *type;
	unsigned flags;
	unsigned plan;               /* enum tfp_plan_flag bits */
	const char *default_string;  /* optional+computed string default */
	tfp_validate_fn validate;
	const char *desc;
	const char *json;            /* JSON field name; NULL = name */
	/*
	 * A nested attribute (protocol 6): an object of these attributes,
	 * or a list, set or map of them, by .nesting. Unlike a block it can
	 * be computed, and is written as `x = { ... }` in configuration.
	 */
	const struct tfp_attr *nested;
	enum tfp_nesting nesting;
};
#define TFP_ATTR_END                                                           \
	{                                                                      \
		.name = NULL                                                   \
	}

struct tfp_block {
	const char *name;
	enum tfp_nesting nesting;
	unsigned flags; /* TFP_FORCE_NEW, TFP_DEPRECATED, TFP_NO_JSON,
			  TFP_KEEP_PRIOR, TFP_SERVER_FILLED */
	int64_t min_items, max_items;
	const struct tfp_attr *attrs;   /* ends with TFP_ATTR_END */
	const struct tfp_block *blocks; /* ends with TFP_BLOCK_END, or NULL */
	const char *desc;
	const char *json; /* JSON field name; NULL = name */
	/*
	 * Keyed collections (set nesting): the attribute that identifies an
	 * element (e.g. "task_key"). Elements are matched by it, never by
	 * position: validation rejects duplicates, and reads carry each
	 * element's write-only values over from the prior element with the
	 * same key.
	 */
	const char *key;
	/*
	 * JSON the workspace fills in when the block is left out (e.g.
	 * "{\"enabled\":true}" for a job's queue). Read maps it back to
	 * "absent" when the prior state had no block, so it is not drift.
	 * Empty objects ({}) are always read as absent.
	 */
	const char *server_default;
};
#define TFP_BLOCK_END                                                          \
	{                                                                      \
		.name = NULL                                                   \
	}

/*
 * The resource interface. Results go through out, the first argument.
 * Handlers report failures as diagnostics in call->diags. On a failed
 * create, a handler that already made something remote sets *out to what
 * it made, so Terraform records it.
 */
struct tfp_resource {
	const char *type_name;
	int64_t schema_version;
	const struct tfp_attr *attrs;
	const struct tfp_block *blocks; /* or NULL */
	const char *desc;

	/* Required. */
	int (*create)(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *plan);
	/* TFP_ENOTFOUND: the object is gone (removed from state). */
	int (*read)(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior);
	/* TFP_ENOTFOUND counts as success. */
	int (*delete)(struct tfp_call *call, const struct tfp_value *prior);

	/* Optional. update == NULL: every configurable attribute forces
	 * replacement. */
	int (*update)(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan);
	/* import == NULL: the id becomes attribute "id", then read. Otherwise
	 * build the state skeleton read needs from the import ID. */
	int (*import)(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_type *type, const char *id);
	/* Adjusts the planned value after the generic plan (may be NULL). */
	int (*modify_plan)(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan);
	/* Cross-attribute checks of a config (unknowns possible; skip them). */
	int (*validate)(struct tfp_call *call, const struct tfp_value *config);
	/* Handed to the handlers as call->data: the descriptor of a type
	 * whose handlers are shared (a declarative REST resource). */
	const void *data;
	/* The provider's own marks, which the framework only hands to
	 * tfp_provider_def.check_type (e.g. "account-level"). */
	unsigned provider_flags;
};

/** Data sources share the tables; read gets the config and fills computed values. */
struct tfp_data_source {
	const char *type_name;
	const struct tfp_attr *attrs;
	const struct tfp_block *blocks;
	const char *desc;
	int (*read)(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config);
	const void *data; /* call->data for read */
	unsigned provider_flags; /* as a resource's */
	/*
	 * Computed from the configuration alone (the AWS policy documents):
	 * read needs no client, so it also works while the provider's own
	 * settings are still unknown (a host made by the same apply).
	 */
	bool local;
};

/**
 * The object type of a block's attributes and nested blocks (a nested block
 * is a list/set of objects, or an object for SINGLE), allocated in a.
 */
const struct tfp_type *tfp_schema_type(struct tfp_arena *a,
				       const struct tfp_attr *attrs,
				       const struct tfp_block *blocks);

/** Finds an attribute by name in a table, or NULL. */
const struct tfp_attr *tfp_schema_find_attr(const struct tfp_attr *attrs,
					    const char *name);
/** Finds a nested block by name, or NULL. */
const struct tfp_block *tfp_schema_find_block(const struct tfp_block *blocks,
					      const char *name);

/**
 * The element of prior (a known list or set value of block b, or NULL) that
 * an element with key value key (NULL if b has no key) at position index
 * continues: for keyed blocks the one with the same key, for lists the one
 * at the same index, otherwise none. Returns NULL when there is none.
 */
const struct tfp_value *tfp_schema_match_element(const struct tfp_block *b,
						 const struct tfp_value *prior,
						 const char *key, size_t index);

/**
 * Finds table bugs: missing names or types, no REQUIRED/OPTIONAL/COMPUTED,
 * REQUIRED with COMPUTED, duplicate names, defaults on non-strings. Each
 * problem becomes an error in d naming the resource and attribute.
 */
int tfp_schema_check(struct tfp_diags *d, const char *type_name,
		     const struct tfp_attr *attrs,
		     const struct tfp_block *blocks);

/*
 * The attributes of a `timeouts` block (create, update, delete: Go
 * durations such as "30m"), as the official provider's resources take it.
 * A resource lists it as a SINGLE, TFP_NO_JSON block and keeps it in state
 * from the plan and the prior state.
 */
extern const struct tfp_attr tfp_timeouts_attrs[];

#endif
