/*
 * HCL text from schema tables and values: the generic writer behind the
 * exporter (configuration generation).
 *
 * Given a resource's schema table (struct tfp_attr, struct tfp_block) and a
 * state value of its type, tfp_hcl_resource renders a `resource` block that
 * plans clean against that state: attributes in schema order, then nested
 * blocks as blocks. Left out: nulls, computed-only attributes, optional and
 * computed ones without a default (the workspace filled them or they were
 * set; either way they stay in the state and a null in the configuration
 * keeps them), and values equal to the schema's default. Strings are
 * escaped, ${ and %{ included, so a value is never read as a template.
 *
 * The layout is what `terraform fmt` writes: two spaces per level, and the
 * `=` of consecutive one-line attributes aligned (a line with no `=`, or
 * one that opens a multi-line value, ends the run), so `terraform fmt
 * -check` passes on the output.
 *
 * The writer knows nothing of any service: a caller that wants an
 * expression instead of a literal (a reference to another resource, a
 * variable) answers through the expr hook.
 */
#ifndef TFP_HCL_H
#define TFP_HCL_H

#include <stdbool.h>
#include <stddef.h>
#include "schema.h"
#include "value.h"

struct tfp_arena;

/** A growing text in an arena, with the pending run of aligned lines. */
struct tfp_hcl {
	struct tfp_arena *arena;
	char *buf;
	size_t len, cap;
	/* The run of one-line attributes not yet written: their indent,
	 * keys and values, aligned when the run ends. */
	struct tfp_hcl_line {
		int indent;
		const char *key, *value;
	} *run;
	size_t n_run, cap_run;
};

void tfp_hcl_init(struct tfp_hcl *h, struct tfp_arena *a);
/** The text so far (every pending run flushed), NUL-terminated, in the arena. */
const char *tfp_hcl_text(struct tfp_hcl *h);

/** `key = expr` at indent levels; expr is written as given. */
void tfp_hcl_attr(struct tfp_hcl *h, int indent, const char *key,
		  const char *expr);
/** Opens `header {` (e.g. `resource "a" "b"`) at indent levels. */
void tfp_hcl_open(struct tfp_hcl *h, int indent, const char *header);
/** Closes a block opened at indent levels. */
void tfp_hcl_close(struct tfp_hcl *h, int indent);
/** A raw line (a comment, an empty line) at indent levels. */
void tfp_hcl_line(struct tfp_hcl *h, int indent, const char *text);

/** s as an HCL quoted string: "\"...\"" with \\ \" \n \r \t \uXXXX, $${ and %%{. */
const char *tfp_hcl_quote(struct tfp_arena *a, const char *s);
/** True when s is an HCL identifier ([A-Za-z_][A-Za-z0-9_-]*). */
bool tfp_hcl_is_ident(const char *s);

/**
 * The expression hook: path is the attribute's place, block names and the
 * attribute name joined by '.' without indexes ("task.existing_cluster_id",
 * "library.pypi.package"); v its known value. Returns an HCL expression
 * to write instead of the literal (in the arena), or NULL for the literal.
 */
typedef const char *(*tfp_hcl_expr_fn)(void *ctx, const char *path,
				       const struct tfp_value *v);

/*
 * The keep hook: whether to write an optional and computed attribute
 * (which the writer leaves out by default) at path with known value v,
 * because the user chose it (a cluster's node type) rather than the
 * service. Its value is what the state has, so the plan stays clean.
 */
typedef bool (*tfp_hcl_keep_fn)(void *ctx, const char *path,
				const struct tfp_value *v);

struct tfp_hcl_opts {
	tfp_hcl_expr_fn expr; /* may be NULL */
	void *ctx;            /* for expr and keep */
	/* Extra lines for the end of the resource body (a lifecycle block),
	 * written as given at indent 1; may be NULL. */
	const char *const *tail;
	tfp_hcl_keep_fn keep; /* may be NULL */
};

/** Whether the writer leaves attribute a with value v out of a configuration. */
bool tfp_hcl_omits(const struct tfp_attr *a, const struct tfp_value *v);

/**
 * Appends `resource "type" "name" { ... }` for state (a known object of
 * the table's type) to h.
 */
void tfp_hcl_resource(struct tfp_hcl *h, const char *type, const char *name,
		      const struct tfp_attr *attrs,
		      const struct tfp_block *blocks,
		      const struct tfp_value *state,
		      const struct tfp_hcl_opts *opts);

/** v as a one-line or multi-line HCL literal at indent levels (in the arena). */
const char *tfp_hcl_literal(struct tfp_arena *a, const struct tfp_value *v,
			    int indent);

#endif
