/*
 * The data sources of objects in a schema: databricks_table (one table or
 * view, by full name), databricks_tables and databricks_views (the full
 * names of a schema's tables, or of its views), databricks_volume (one
 * volume) and databricks_volumes (a schema's volumes).
 *
 * REST: GET /api/2.1/unity-catalog/tables/{full_name},
 * GET /api/2.1/unity-catalog/tables?catalog_name=&schema_name= (paged),
 * GET /api/2.1/unity-catalog/volumes/{full_name},
 * GET /api/2.1/unity-catalog/volumes?catalog_name=&schema_name= (paged).
 *
 * Quirks that explain the code:
 *  - Lists are paged (next_page_token); max_results=0 asks for the
 *    service's page size rather than the deprecated unpaged form.
 *  - A table's type tells tables from views: databricks_tables keeps
 *    everything that is not a view (VIEW, MATERIALIZED_VIEW), as the
 *    official provider does, and databricks_views the rest.
 *  - ids are sets of full names, catalog.schema.name, as the official
 *    provider's.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "value.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

#define C_STRING(n, d)                                                         \
	{                                                                      \
		.name = n, .type = &tfp_type_string, .flags = TFP_COMPUTED,    \
		.desc = d                                                      \
	}
#define C_NUMBER(n, d)                                                         \
	{                                                                      \
		.name = n, .type = &tfp_type_number, .flags = TFP_COMPUTED,    \
		.desc = d                                                      \
	}
#define C_BOOL(n, d)                                                           \
	{                                                                      \
		.name = n, .type = &tfp_type_bool, .flags = TFP_COMPUTED,      \
		.desc = d                                                      \
	}

/* clang-format off */
static const struct tfp_attr column_attrs[] = {
	C_STRING("name", "The column's name."),
	C_STRING("type_text", "Its SQL type as written."),
	C_STRING("type_name", "Its type's name: INT, STRING, DECIMAL..."),
	C_STRING("type_json", "The column as a Spark StructField in JSON."),
	C_NUMBER("position", "Its position, from 0."),
	C_BOOL("nullable", "Whether it may hold NULL."),
	C_STRING("comment", "Free-form text."),
	C_NUMBER("partition_index", "Its place among partition columns."),
	C_NUMBER("type_precision", "Decimal precision."),
	C_NUMBER("type_scale", "Decimal scale."),
	C_STRING("type_interval_type", "Interval types: the unit."),
	TFP_ATTR_END
};

static const struct tfp_block table_info_blocks[] = {
	{ .name = "columns", .nesting = TFP_NEST_LIST, .attrs = column_attrs,
	  .desc = "The table's columns, in order." },
	TFP_BLOCK_END
};

static const struct tfp_attr table_info_attrs[] = {
	C_STRING("name", "The table's name."),
	C_STRING("catalog_name", "Its catalog."),
	C_STRING("schema_name", "Its schema."),
	C_STRING("full_name", "catalog.schema.name."),
	C_STRING("table_type", "MANAGED, EXTERNAL, VIEW..."),
	C_STRING("data_source_format", "DELTA, PARQUET, CSV..."),
	C_STRING("storage_location", "Where its data is."),
	C_STRING("view_definition", "A view's query."),
	C_STRING("comment", "Free-form text."),
	C_STRING("owner", "Its owner."),
	C_STRING("table_id", "Its unique identifier."),
	C_STRING("metastore_id", "Its metastore."),
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_COMPUTED, .desc = "Its properties." },
	C_NUMBER("created_at", "Creation time, epoch milliseconds."),
	C_STRING("created_by", "Its creator."),
	C_NUMBER("updated_at", "Last change, epoch milliseconds."),
	C_STRING("updated_by", "Who changed it last."),
	TFP_ATTR_END
};

static const struct tfp_block table_blocks[] = {
	{ .name = "table_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = table_info_attrs, .blocks = table_info_blocks,
	  .desc = "The table, filled by the read." },
	TFP_BLOCK_END
};

static const struct tfp_attr table_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The table's full name: catalog.schema.name." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The table's full name." },
	TFP_ATTR_END
};

static const struct tfp_attr volume_info_attrs[] = {
	C_STRING("name", "The volume's name."),
	C_STRING("catalog_name", "Its catalog."),
	C_STRING("schema_name", "Its schema."),
	C_STRING("full_name", "catalog.schema.name."),
	C_STRING("volume_type", "MANAGED or EXTERNAL."),
	C_STRING("storage_location", "Where its files are."),
	C_STRING("comment", "Free-form text."),
	C_STRING("owner", "Its owner."),
	C_STRING("volume_id", "Its unique identifier."),
	C_STRING("metastore_id", "Its metastore."),
	C_STRING("access_point", "An S3 access point, if any."),
	C_BOOL("browse_only", "True when only its metadata may be seen."),
	C_NUMBER("created_at", "Creation time, epoch milliseconds."),
	C_STRING("created_by", "Its creator."),
	C_NUMBER("updated_at", "Last change, epoch milliseconds."),
	C_STRING("updated_by", "Who changed it last."),
	TFP_ATTR_END
};

static const struct tfp_block volume_blocks[] = {
	{ .name = "volume_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = volume_info_attrs,
	  .desc = "The volume, filled by the read." },
	TFP_BLOCK_END
};

static const struct tfp_attr volume_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The volume's full name: catalog.schema.name." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The volume's full name." },
	TFP_ATTR_END
};

static const struct tfp_attr list_attrs[] = {
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The catalog of the schema." },
	{ .name = "schema_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The schema to list." },
	{ .name = "ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Their full names, catalog.schema.name." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "<catalog_name>.<schema_name>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- helpers -------------------------------------------------------------- */

/* v's one-element list block name from json (an object of attrs). */
static int set_info(struct tfp_call *call, struct tfp_value *v,
		    const char *name, const struct tfp_attr *attrs,
		    const struct tfp_block *blocks, const cJSON *json)
{
	const struct tfp_type *list_t =
		v->type->attr_types[tfp_type_attr_index(v->type, name)];
	struct tfp_value *item = NULL, *list;
	int error;

	error = tfp_jsonmap_to_value(&item, call->arena, list_t->elem, attrs,
				     blocks, json, NULL, call->diags);
	if (error < 0)
		return error;
	list = tfp_value_collection(call->arena, list_t, 1);
	list->u.coll.items[0] = item;
	tfp_value_set(v, name, list);
	return TFP_OK;
}

/* One object by full name from kind ("tables", "volumes"). */
static int one_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config, const char *kind,
		    const char *block, const struct tfp_attr *attrs,
		    const struct tfp_block *blocks)
{
	const char *name = tfp_value_get_string(config, "name");
	struct tfp_value *v = tfp_value_copy(call->arena, config);
	cJSON *reply = NULL;
	int error;

	error = tfp_rest_get(&reply, call,
			     tfp_arena_printf(call->arena, "%s/%s/%s",
					      TFP_UC_API, kind,
					      tfp_rest_escape(call->arena,
							      name)),
			     NULL);
	if (error < 0)
		return error;
	error = set_info(call, v, block, attrs, blocks, reply);
	if (error < 0)
		return error;
	tfp_value_set_string(call->arena, v, "id", name);
	*out = v;
	return TFP_OK;
}

/* What a list keeps. */
enum list_filter { KEEP_ALL, KEEP_TABLES, KEEP_VIEWS };

struct list_acc {
	enum list_filter filter;
	const char **names;
	size_t n, cap;
};

static int list_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct list_acc *acc = payload;
	const char *full = tfp_json_string(item, "full_name");
	const char *type = tfp_json_string(item, "table_type");
	bool view = type && strstr(type, "VIEW") != NULL;

	if (!full || (acc->filter == KEEP_TABLES && view) ||
	    (acc->filter == KEEP_VIEWS && !view))
		return TFP_OK;
	if (acc->n == acc->cap) {
		size_t cap = acc->cap ? acc->cap * 2 : 16;
		const char **n = tfp_arena_alloc(call->arena, cap * sizeof(*n));

		if (acc->n)
			memcpy(n, acc->names, acc->n * sizeof(*n));
		acc->names = n;
		acc->cap = cap;
	}
	acc->names[acc->n++] = full;
	return TFP_OK;
}

static int list_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *config, const char *kind,
		     enum list_filter filter)
{
	const char *catalog = tfp_value_get_string(config, "catalog_name");
	const char *schema = tfp_value_get_string(config, "schema_name");
	const struct tfp_query q[] = {
		{"catalog_name", catalog},
		{"schema_name", schema},
		{"max_results", "0"},
		{NULL, NULL},
	};
	struct tfp_value *v = tfp_value_copy(call->arena, config), *ids;
	struct list_acc acc = {.filter = filter};
	size_t i;
	int error;

	error = tfp_rest_list(call,
			      tfp_arena_printf(call->arena, "%s/%s",
					       TFP_UC_API, kind),
			      q, kind, 0, list_item, &acc);
	if (error < 0)
		return error;
	ids = tfp_value_collection(call->arena, &tfp_type_set_string, acc.n);
	for (i = 0; i < acc.n; i++)
		ids->u.coll.items[i] =
			tfp_value_string(call->arena, acc.names[i]);
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id",
			     tfp_arena_printf(call->arena, "%s.%s", catalog,
					      schema));
	*out = v;
	return TFP_OK;
}

/* --- readers -------------------------------------------------------------- */

static int table_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *config)
{
	return one_read(out, call, config, "tables", "table_info",
			table_info_attrs, table_info_blocks);
}

static int volume_read(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *config)
{
	return one_read(out, call, config, "volumes", "volume_info",
			volume_info_attrs, NULL);
}

static int tables_read(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *config)
{
	return list_read(out, call, config, "tables", KEEP_TABLES);
}

static int views_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *config)
{
	return list_read(out, call, config, "tables", KEEP_VIEWS);
}

static int volumes_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *config)
{
	return list_read(out, call, config, "volumes", KEEP_ALL);
}

/* --- descriptors ---------------------------------------------------------- */

const struct tfp_data_source tfp_data_source_table = {
	.type_name = "databricks_table",
	.attrs = table_attrs,
	.blocks = table_blocks,
	.desc = "One Unity Catalog table or view, by full name.",
	.read = table_read,
};

const struct tfp_data_source tfp_data_source_tables = {
	.type_name = "databricks_tables",
	.attrs = list_attrs,
	.desc = "The full names of a schema's tables (views left out).",
	.read = tables_read,
};

const struct tfp_data_source tfp_data_source_views = {
	.type_name = "databricks_views",
	.attrs = list_attrs,
	.desc = "The full names of a schema's views.",
	.read = views_read,
};

const struct tfp_data_source tfp_data_source_volume = {
	.type_name = "databricks_volume",
	.attrs = volume_attrs,
	.blocks = volume_blocks,
	.desc = "One Unity Catalog volume, by full name.",
	.read = volume_read,
};

const struct tfp_data_source tfp_data_source_volumes = {
	.type_name = "databricks_volumes",
	.attrs = list_attrs,
	.desc = "The full names of a schema's volumes.",
	.read = volumes_read,
};
