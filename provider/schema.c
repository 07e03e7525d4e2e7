/*
 * Schema tables: their object types, look-ups, and the table checker.
 *
 * Tables are static data in resources/; nothing here changes them. The
 * types are built once per process (provider.c) in a long-lived arena.
 * tfp_schema_check() runs in the unit tests over every registered resource,
 * so a malformed table fails CI instead of confusing Terraform.
 */
#include "schema.h"

#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "validate.h"

static size_t count_attrs(const struct tfp_attr *attrs)
{
	size_t n = 0;

	while (attrs != NULL && attrs[n].name != NULL)
		n++;
	return n;
}

static size_t count_blocks(const struct tfp_block *blocks)
{
	size_t n = 0;

	while (blocks != NULL && blocks[n].name != NULL)
		n++;
	return n;
}

/* The type of a nested attribute: its object, or a collection of them. */
static const struct tfp_type *nested_attr_type(struct tfp_arena *a,
					       const struct tfp_attr *at)
{
	const struct tfp_type *obj = tfp_schema_type(a, at->nested, NULL);

	switch (at->nesting) {
	case TFP_NEST_LIST:
		return tfp_type_collection(a, TFP_KIND_LIST, obj);
	case TFP_NEST_SET:
		return tfp_type_collection(a, TFP_KIND_SET, obj);
	case TFP_NEST_MAP:
		return tfp_type_collection(a, TFP_KIND_MAP, obj);
	case TFP_NEST_SINGLE:
	default:
		return obj;
	}
}

const struct tfp_type *tfp_schema_type(struct tfp_arena *a,
				       const struct tfp_attr *attrs,
				       const struct tfp_block *blocks)
{
	size_t na = count_attrs(attrs), nb = count_blocks(blocks), i;
	const char **names = tfp_arena_alloc(a, (na + nb + 1) * sizeof(*names));
	const struct tfp_type **types =
		tfp_arena_alloc(a, (na + nb + 1) * sizeof(*types));

	for (i = 0; i < na; i++) {
		names[i] = attrs[i].name;
		types[i] = attrs[i].nested != NULL ? nested_attr_type(a, &attrs[i])
						   : attrs[i].type;
	}
	for (i = 0; i < nb; i++) {
		const struct tfp_block *b = &blocks[i];
		const struct tfp_type *elem =
			tfp_schema_type(a, b->attrs, b->blocks);

		names[na + i] = b->name;
		switch (b->nesting) {
		case TFP_NEST_SINGLE:
			types[na + i] = elem;
			break;
		case TFP_NEST_SET:
			types[na + i] =
				tfp_type_collection(a, TFP_KIND_SET, elem);
			break;
		case TFP_NEST_LIST:
		default:
			types[na + i] =
				tfp_type_collection(a, TFP_KIND_LIST, elem);
			break;
		}
	}
	return tfp_type_object(a, na + nb, (const char *const *)names,
			       (const struct tfp_type *const *)types);
}

const struct tfp_attr *tfp_schema_find_attr(const struct tfp_attr *attrs,
					    const char *name)
{
	for (; attrs != NULL && attrs->name != NULL; attrs++)
		if (strcmp(attrs->name, name) == 0)
			return attrs;
	return NULL;
}

const struct tfp_block *tfp_schema_find_block(const struct tfp_block *blocks,
					      const char *name)
{
	for (; blocks != NULL && blocks->name != NULL; blocks++)
		if (strcmp(blocks->name, name) == 0)
			return blocks;
	return NULL;
}

const struct tfp_value *tfp_schema_match_element(const struct tfp_block *b,
						 const struct tfp_value *prior,
						 const char *key, size_t index)
{
	size_t i;

	if (!tfp_value_is_known(prior))
		return NULL;
	if (b->key == NULL)
		return b->nesting == TFP_NEST_LIST && index < prior->u.coll.n
			       ? prior->u.coll.items[index]
			       : NULL;
	for (i = 0; key != NULL && i < prior->u.coll.n; i++) {
		const char *pk =
			tfp_value_get_string(prior->u.coll.items[i], b->key);

		if (pk != NULL && strcmp(pk, key) == 0)
			return prior->u.coll.items[i];
	}
	return NULL;
}

static int check_level(struct tfp_diags *d, const char *where,
		       const struct tfp_attr *attrs,
		       const struct tfp_block *blocks)
{
	int error = TFP_OK;
	size_t i, j;

	for (i = 0; attrs != NULL && attrs[i].name != NULL; i++) {
		const struct tfp_attr *at = &attrs[i];
		unsigned mode = at->flags &
				(TFP_REQUIRED | TFP_OPTIONAL | TFP_COMPUTED);

		if (at->type == NULL && at->nested == NULL)
			error = tfp_diag_error(d, "Invalid schema table",
					       "%s.%s has no type", where,
					       at->name);
		if (at->nested != NULL) {
			char sub[256];

			if (at->type != NULL ||
			    at->nesting < TFP_NEST_SINGLE ||
			    at->nesting > TFP_NEST_MAP)
				error = tfp_diag_error(
					d, "Invalid schema table",
					"%s.%s is nested: it needs a nesting "
					"mode and no type",
					where, at->name);
			snprintf(sub, sizeof(sub), "%s.%s", where, at->name);
			if (check_level(d, sub, at->nested, NULL) < 0)
				error = TFP_ERROR;
		}
		if (mode == 0)
			error = tfp_diag_error(
				d, "Invalid schema table",
				"%s.%s is neither required, optional nor "
				"computed",
				where, at->name);
		if ((at->flags & TFP_REQUIRED) &&
		    (at->flags & (TFP_OPTIONAL | TFP_COMPUTED)))
			error = tfp_diag_error(
				d, "Invalid schema table",
				"%s.%s is required and optional or computed",
				where, at->name);
		if (at->default_string != NULL &&
		    (at->type != &tfp_type_string ||
		     !(at->flags & TFP_OPTIONAL) ||
		     !(at->flags & TFP_COMPUTED)))
			error = tfp_diag_error(
				d, "Invalid schema table",
				"%s.%s has a default but is not an optional "
				"computed string",
				where, at->name);
		if (at->desc == NULL || at->desc[0] == '\0')
			error = tfp_diag_error(d, "Invalid schema table",
					       "%s.%s has no description",
					       where, at->name);
		for (j = 0; j < i; j++)
			if (strcmp(attrs[j].name, at->name) == 0)
				error = tfp_diag_error(
					d, "Invalid schema table",
					"%s.%s is declared twice", where,
					at->name);
		for (j = 0; blocks != NULL && blocks[j].name != NULL; j++)
			if (strcmp(blocks[j].name, at->name) == 0)
				error = tfp_diag_error(
					d, "Invalid schema table",
					"%s.%s is both an attribute and a "
					"block",
					where, at->name);
	}
	for (i = 0; blocks != NULL && blocks[i].name != NULL; i++) {
		const struct tfp_block *b = &blocks[i];
		char sub[256];

		if (b->nesting < TFP_NEST_SINGLE || b->nesting > TFP_NEST_SET)
			error = tfp_diag_error(d, "Invalid schema table",
					       "%s.%s has no nesting mode",
					       where, b->name);
		if (b->max_items != 0 && b->max_items < b->min_items)
			error = tfp_diag_error(d, "Invalid schema table",
					       "%s.%s has max_items < min_items",
					       where, b->name);
		if (b->desc == NULL || b->desc[0] == '\0')
			error = tfp_diag_error(d, "Invalid schema table",
					       "%s.%s has no description",
					       where, b->name);
		snprintf(sub, sizeof(sub), "%s.%s", where, b->name);
		if (check_level(d, sub, b->attrs, b->blocks) < 0)
			error = TFP_ERROR;
	}
	return error;
}

int tfp_schema_check(struct tfp_diags *d, const char *type_name,
		     const struct tfp_attr *attrs,
		     const struct tfp_block *blocks)
{
	return check_level(d, type_name, attrs, blocks);
}

const struct tfp_attr tfp_timeouts_attrs[] = {
	{.name = "create",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .validate = tfp_validate_duration,
	 .desc = "How long creating may wait, e.g. \"45m\"."},
	{.name = "update",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .validate = tfp_validate_duration,
	 .desc = "How long an update may wait."},
	{.name = "delete",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .validate = tfp_validate_duration,
	 .desc = "How long deleting may wait."},
	TFP_ATTR_END};
