/*
 * Data source databricks_pipelines: the ids of the workspace's pipelines,
 * or of those whose name matches pipeline_name.
 *
 * REST: GET /api/2.0/pipelines?filter=name LIKE '<pattern>'&max_results=
 * -> {statuses: [{pipeline_id, name, state, ...}], next_page_token}.
 *
 * Quirks that explain the code:
 *  - pipeline_name is a SQL LIKE pattern the service applies ('%' any
 *    run of characters, '_' one character): "%etl%", or a whole name for
 *    an exact match, as the official data source passes it. A quote in it
 *    is doubled so the filter stays one string literal.
 *  - Every page is read (the official one stops after 100 pipelines,
 *    which silently drops the rest of a larger workspace).
 *  - provider_config is accepted for configurations written for the
 *    official provider; a workspace-level provider has one workspace.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "compute/cluster_spec.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"

#define PIPES_PAGE "100"

/* clang-format off */
static const struct tfp_attr pipes_attrs[] = {
	{ .name = "pipeline_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A name, or a pattern with % as the wildcard." },
	{ .name = "ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The ids of the matching pipelines." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "Always \"_\"." },
	TFP_ATTR_END
};
static const struct tfp_block pipes_blocks[] = {
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = tfp_compute_provider_config_attrs,
	  .desc = "The workspace, for account-level providers." },
	TFP_BLOCK_END
};
/* clang-format on */

struct pipes_acc {
	const char **ids;
	size_t n, cap;
};

static int pipes_collect(struct tfp_call *call, const cJSON *item,
			 void *payload)
{
	struct pipes_acc *acc = payload;
	const char *id = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(item, "pipeline_id"));

	if (id == NULL)
		return tfp_diag_error(call->diags, "Unexpected pipeline list",
				      "A listed pipeline has no pipeline_id.");
	if (acc->n == acc->cap) {
		size_t cap = acc->cap ? acc->cap * 2 : 16;
		const char **ids = tfp_arena_alloc(call->arena,
						   cap * sizeof(*ids));

		if (acc->n > 0)
			memcpy(ids, acc->ids, acc->n * sizeof(*ids));
		acc->ids = ids;
		acc->cap = cap;
	}
	acc->ids[acc->n++] = tfp_arena_strdup(call->arena, id);
	return TFP_OK;
}

/* pattern as a LIKE filter, quotes doubled. */
static const char *pipes_filter(struct tfp_arena *a, const char *pattern)
{
	size_t n = strlen(pattern), i, j = 0;
	char *q = tfp_arena_alloc(a, 2 * n + 1);

	for (i = 0; i < n; i++) {
		if (pattern[i] == '\'')
			q[j++] = '\'';
		q[j++] = pattern[i];
	}
	q[j] = '\0';
	return tfp_arena_printf(a, "name LIKE '%s'", q);
}

static int pipes_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int pipes_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *config)
{
	const char *name = tfp_value_get_string(config, "pipeline_name");
	struct tfp_query q[] = {
		{ "max_results", PIPES_PAGE }, { NULL, NULL }, { NULL, NULL }
	};
	struct pipes_acc acc = { 0 };
	struct tfp_value *v, *ids;
	size_t i;
	int error;

	if (name != NULL && *name != '\0') {
		q[1].key = "filter";
		q[1].value = pipes_filter(call->arena, name);
	}
	error = tfp_rest_list(call, "/api/2.0/pipelines", q, "statuses", 0,
			      pipes_collect, &acc);
	if (error < 0)
		return error;
	if (acc.n > 1)
		qsort(acc.ids, acc.n, sizeof(*acc.ids), pipes_cmp);
	v = tfp_value_copy(call->arena, config);
	ids = tfp_value_collection(call->arena, &tfp_type_set_string, acc.n);
	for (i = 0; i < acc.n; i++)
		ids->u.coll.items[i] = tfp_value_string(call->arena,
							acc.ids[i]);
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id", "_");
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_pipelines = {
	.type_name = "databricks_pipelines",
	.attrs = pipes_attrs,
	.blocks = pipes_blocks,
	.desc = "The ids of the workspace's pipelines, optionally those "
		"whose name matches a pattern.",
	.read = pipes_read,
};
