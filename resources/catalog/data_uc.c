/*
 * The Unity Catalog securables' data sources: databricks_catalog,
 * databricks_schema, databricks_external_location and
 * databricks_storage_credential (one object by name, in an info block as
 * the API answers it), and databricks_catalogs, databricks_schemas,
 * databricks_external_locations and databricks_storage_credentials (the
 * names of every object, or of every schema of a catalog).
 *
 * REST: GET /api/2.1/unity-catalog/catalogs[/{name}],
 * GET /api/2.1/unity-catalog/schemas[/{full_name}] (?catalog_name=),
 * GET /api/2.1/unity-catalog/external-locations[/{name}],
 * GET /api/2.1/unity-catalog/storage-credentials[/{name}].
 *
 * Quirks that explain the code:
 *  - Lists page by next_page_token; max_results=0 asks for pages of the
 *    service's own size, as the Go SDK's ListAll does, instead of the
 *    deprecated unpaginated form.
 *  - The id of each one-object source is what the official provider
 *    sets: the name for a catalog and an external location, the full
 *    name for a schema, and the credential's ID (a UUID) for a storage
 *    credential. The plural sources' id is "_".
 *  - A missing object is an error naming it (the official provider's
 *    GetByName fails), not an empty info block.
 *  - ids of databricks_catalogs and databricks_schemas are sets; names of
 *    the other two are lists, in the service's (name) order, as in the
 *    official schema.
 *  - provider_config is accepted for configurations written for the
 *    official provider (its unified provider picks a workspace with it);
 *    a workspace-level provider has one workspace.
 *  - The API's nested objects (effective_predictive_optimization_flag,
 *    an identity, a queue) are blocks of at most one in the official
 *    schema, which the JSON mapping reads from objects.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "compute/cluster_spec.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "value.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

#define DS_STRING(n, d)                                                        \
	{                                                                      \
		.name = n, .type = &tfp_type_string,                           \
		.flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d                \
	}
#define DS_NUMBER(n, d)                                                        \
	{                                                                      \
		.name = n, .type = &tfp_type_number,                           \
		.flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d                \
	}
#define DS_BOOL(n, d)                                                          \
	{                                                                      \
		.name = n, .type = &tfp_type_bool,                             \
		.flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d                \
	}
#define DS_MAP(n, d)                                                           \
	{                                                                      \
		.name = n, .type = &tfp_type_map_string,                       \
		.flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d                \
	}
/* The members every securable's info has. */
#define DS_AUDIT                                                               \
	DS_NUMBER("created_at", "When it was created, in epoch ms."),          \
		DS_STRING("created_by", "Who created it."),                    \
		DS_NUMBER("updated_at", "When it last changed, in epoch ms."), \
		DS_STRING("updated_by", "Who changed it last."),               \
		DS_STRING("owner", "Its owner."),                              \
		DS_STRING("comment", "Free-form text."),                       \
		DS_STRING("metastore_id", "Its metastore.")

/* clang-format off */
static const struct tfp_attr ds_provisioning_attrs[] = {
	{ .name = "state", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "PROVISIONING, ACTIVE, FAILED, ..." },
	TFP_ATTR_END
};

static const struct tfp_block ds_po_blocks[] = {
	{ .name = "effective_predictive_optimization_flag",
	  .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = tfp_catalog__po_flag_attrs,
	  .desc = "The predictive optimization in effect, and where it is "
		  "inherited from." },
	TFP_BLOCK_END
};

static const struct tfp_block ds_catalog_info_blocks[] = {
	{ .name = "effective_predictive_optimization_flag",
	  .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = tfp_catalog__po_flag_attrs,
	  .desc = "The predictive optimization in effect, and where it is "
		  "inherited from." },
	{ .name = "provisioning_info", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = ds_provisioning_attrs,
	  .desc = "The provisioning state of the catalog." },
	TFP_BLOCK_END
};

static const struct tfp_attr ds_catalog_info_attrs[] = {
	DS_STRING("name", "The catalog's name."),
	DS_STRING("full_name", "The catalog's full name (its name)."),
	DS_STRING("catalog_type",
		  "MANAGED_CATALOG, DELTASHARING_CATALOG, FOREIGN_CATALOG, "
		  "SYSTEM_CATALOG, ..."),
	DS_STRING("securable_type", "CATALOG."),
	DS_BOOL("browse_only",
		"True when the caller may only see the metadata."),
	DS_STRING("connection_name", "A foreign catalog's connection."),
	DS_STRING("provider_name", "A Delta Sharing catalog's provider."),
	DS_STRING("share_name", "A Delta Sharing catalog's share."),
	DS_MAP("options", "A foreign catalog's options."),
	DS_MAP("properties", "The catalog's properties."),
	DS_STRING("isolation_mode", "OPEN or ISOLATED."),
	DS_STRING("enable_predictive_optimization",
		  "ENABLE, DISABLE or INHERIT."),
	DS_STRING("storage_root", "Where its managed tables go, if set."),
	DS_STRING("storage_location", "The effective storage location."),
	DS_AUDIT,
	TFP_ATTR_END
};

static const struct tfp_attr ds_schema_info_attrs[] = {
	DS_STRING("name", "The schema's name in its catalog."),
	DS_STRING("catalog_name", "Its catalog."),
	DS_STRING("full_name", "<catalog>.<schema>."),
	DS_STRING("schema_id", "The schema's unique identifier."),
	DS_STRING("catalog_type", "The type of its catalog."),
	DS_BOOL("browse_only",
		"True when the caller may only see the metadata."),
	DS_MAP("properties", "The schema's properties."),
	DS_STRING("enable_predictive_optimization",
		  "ENABLE, DISABLE or INHERIT."),
	DS_STRING("storage_root", "Where its managed tables go, if set."),
	DS_STRING("storage_location", "The effective storage location."),
	DS_AUDIT,
	TFP_ATTR_END
};

static const struct tfp_attr ds_location_info_attrs[] = {
	DS_STRING("name", "The location's name."),
	DS_STRING("url", "The storage URL it covers."),
	DS_STRING("credential_name", "Its storage credential."),
	DS_STRING("credential_id", "That credential's ID."),
	DS_BOOL("read_only", "Whether it may only be read."),
	DS_BOOL("fallback", "Whether cluster credentials are a fallback."),
	DS_BOOL("enable_file_events", "Whether file events are tracked."),
	DS_BOOL("browse_only",
		"True when the caller may only see the metadata."),
	DS_STRING("isolation_mode",
		  "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED."),
	DS_AUDIT,
	TFP_ATTR_END
};

static const struct tfp_attr ds_credential_info_attrs[] = {
	DS_STRING("id", "The credential's unique identifier."),
	DS_STRING("name", "The credential's name."),
	DS_STRING("full_name", "The credential's full name (its name)."),
	DS_BOOL("read_only", "Whether it may only be used to read."),
	DS_BOOL("used_for_managed_storage",
		"Whether it is the metastore's root credential."),
	DS_STRING("isolation_mode",
		  "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED."),
	DS_AUDIT,
	TFP_ATTR_END
};

/* The official data sources' provider_config: accepted, not sent. */
#define DS_PROVIDER_CONFIG                                                     \
	{                                                                      \
		.name = "provider_config", .nesting = TFP_NEST_LIST,           \
		.max_items = 1, .flags = TFP_NO_JSON,                          \
		.attrs = tfp_compute_provider_config_attrs,                    \
		.desc = "The workspace, for the official provider's unified "  \
			"configurations."                                      \
	}

#define DS_INFO_BLOCK(n, a, b, d)                                              \
	{                                                                      \
		.name = n, .nesting = TFP_NEST_LIST, .max_items = 1,          \
		.attrs = a, .blocks = b, .desc = d                             \
	}

static const struct tfp_block ds_catalog_blocks[] = {
	DS_INFO_BLOCK("catalog_info", ds_catalog_info_attrs,
		      ds_catalog_info_blocks,
		      "The catalog as the workspace answers it."),
	DS_PROVIDER_CONFIG,
	TFP_BLOCK_END
};
static const struct tfp_block ds_schema_blocks[] = {
	DS_INFO_BLOCK("schema_info", ds_schema_info_attrs, ds_po_blocks,
		      "The schema as the workspace answers it."),
	DS_PROVIDER_CONFIG,
	TFP_BLOCK_END
};
static const struct tfp_block ds_location_blocks[] = {
	DS_INFO_BLOCK("external_location_info", ds_location_info_attrs,
		      tfp_catalog__location_blocks,
		      "The external location as the workspace answers it."),
	DS_PROVIDER_CONFIG,
	TFP_BLOCK_END
};
static const struct tfp_block ds_credential_blocks[] = {
	DS_INFO_BLOCK("storage_credential_info", ds_credential_info_attrs,
		      tfp_catalog__credential_blocks,
		      "The storage credential as the workspace answers it; "
		      "secrets are never returned."),
	DS_PROVIDER_CONFIG,
	TFP_BLOCK_END
};

static const struct tfp_block ds_all_blocks[] = {
	DS_PROVIDER_CONFIG,
	TFP_BLOCK_END
};

static const struct tfp_attr ds_one_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The object's name (a schema's full name, "
		  "<catalog>.<schema>)." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The name (a storage credential: its ID)." },
	TFP_ATTR_END
};

static const struct tfp_attr ds_catalogs_attrs[] = {
	{ .name = "ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The names of every catalog of the metastore." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "Always \"_\"." },
	TFP_ATTR_END
};

static const struct tfp_attr ds_schemas_attrs[] = {
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The catalog to list." },
	{ .name = "ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The full names (<catalog>.<schema>) of its schemas." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "Always \"_\"." },
	TFP_ATTR_END
};

static const struct tfp_attr ds_names_attrs[] = {
	{ .name = "names", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The names of every object of the metastore, in name "
		  "order." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- one object ----------------------------------------------------------- */

/* How one kind of object is read. */
struct ds_one {
	const char *what; /* "catalog": for messages */
	const char *path; /* the collection: TFP_UC_API "/catalogs" */
	const char *info; /* the info block */
	const struct tfp_attr *attrs; /* its tables */
	const struct tfp_block *blocks;
	const char *id_field; /* the id: this field of the object */
};

static int one_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	const struct ds_one *d = call->data;
	const char *name = tfp_value_get_string(config, "name");
	struct tfp_value *v = tfp_value_copy(call->arena, config), *item = NULL,
			 *list;
	const struct tfp_type *list_t =
		v->type->attr_types[tfp_type_attr_index(v->type, d->info)];
	cJSON *obj = NULL;
	const char *id;
	int error;

	error = tfp_rest_get(
		&obj, call,
		tfp_arena_printf(call->arena, "%s/%s", d->path,
				 tfp_rest_escape(call->arena, name)),
		NULL);
	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(
			call->diags,
			tfp_arena_printf(call->arena, "No such %s", d->what),
			"The workspace has no %s \"%s\" (%s %s).", d->what,
			name, call->last_error.error_code,
			call->last_error.message);
	if (error < 0)
		return error;
	error = tfp_jsonmap_to_value(&item, call->arena, list_t->elem, d->attrs,
				     d->blocks, obj, NULL, call->diags);
	if (error < 0)
		return error;
	list = tfp_value_collection(call->arena, list_t, 1);
	list->u.coll.items[0] = item;
	tfp_value_set(v, d->info, list);
	id = tfp_json_string(obj, d->id_field);
	if (id == NULL)
		return tfp_call_fail(call,
				     "The workspace answered a %s without %s.",
				     d->what, d->id_field);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

static const struct ds_one ds_catalog = {
	.what = "catalog",
	.path = TFP_UC_API "/catalogs",
	.info = "catalog_info",
	.attrs = ds_catalog_info_attrs,
	.blocks = ds_catalog_info_blocks,
	.id_field = "name",
};
static const struct ds_one ds_schema = {
	.what = "schema",
	.path = TFP_UC_API "/schemas",
	.info = "schema_info",
	.attrs = ds_schema_info_attrs,
	.blocks = ds_po_blocks,
	.id_field = "full_name",
};
static const struct ds_one ds_location = {
	.what = "external location",
	.path = TFP_UC_API "/external-locations",
	.info = "external_location_info",
	.attrs = ds_location_info_attrs,
	.blocks = tfp_catalog__location_blocks,
	.id_field = "name",
};
static const struct ds_one ds_credential = {
	.what = "storage credential",
	.path = TFP_UC_API "/storage-credentials",
	.info = "storage_credential_info",
	.attrs = ds_credential_info_attrs,
	.blocks = tfp_catalog__credential_blocks,
	.id_field = "id",
};

/* --- every object --------------------------------------------------------- */

/* How one kind of list is read. */
struct ds_all {
	const char *path;  /* the list endpoint */
	const char *items; /* its array */
	const char *field; /* what each item gives: "name", "full_name" */
	const char *attr;  /* the attribute that gets them: "ids", "names" */
	const struct tfp_type *type; /* its type: a set or a list */
};

struct ds_names {
	const char **v;
	size_t n, cap;
	struct tfp_arena *a;
};

static int ds_collect(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct ds_names *names = payload;
	const char *field = ((const struct ds_all *)call->data)->field;
	const char *s = tfp_json_string(item, field);

	if (s == NULL)
		return TFP_OK;
	if (names->n == names->cap) {
		size_t cap = names->cap ? names->cap * 2 : 16;
		const char **v = tfp_arena_alloc(names->a, cap * sizeof(*v));

		if (names->n > 0)
			memcpy(v, names->v, names->n * sizeof(*v));
		names->v = v;
		names->cap = cap;
	}
	names->v[names->n++] = s;
	return TFP_OK;
}

static int all_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	const struct ds_all *d = call->data;
	struct tfp_value *v = tfp_value_copy(call->arena, config), *coll;
	struct ds_names names = {.a = call->arena};
	const char *catalog =
		tfp_type_attr_index(config->type, "catalog_name") >= 0
			? tfp_value_get_string(config, "catalog_name")
			: NULL;
	const struct tfp_query q[] = {
		{"max_results", "0"},
		{catalog != NULL ? "catalog_name" : NULL, catalog},
		{NULL, NULL}};
	size_t i;
	int error;

	error = tfp_rest_list(call, d->path, q, d->items, 0, ds_collect,
			      &names);
	if (error == TFP_ENOTFOUND && catalog != NULL)
		return tfp_diag_error(call->diags, "No such catalog",
				      "The workspace has no catalog \"%s\" "
				      "(%s %s).",
				      catalog, call->last_error.error_code,
				      call->last_error.message);
	if (error < 0)
		return error;
	coll = tfp_value_collection(call->arena, d->type, names.n);
	for (i = 0; i < names.n; i++)
		coll->u.coll.items[i] =
			tfp_value_string(call->arena, names.v[i]);
	tfp_value_set(v, d->attr, coll);
	tfp_value_set_string(call->arena, v, "id", "_");
	*out = v;
	return TFP_OK;
}

static const struct ds_all ds_catalogs = {
	.path = TFP_UC_API "/catalogs",
	.items = "catalogs",
	.field = "name",
	.attr = "ids",
	.type = &tfp_type_set_string,
};
static const struct ds_all ds_schemas = {
	.path = TFP_UC_API "/schemas",
	.items = "schemas",
	.field = "full_name",
	.attr = "ids",
	.type = &tfp_type_set_string,
};
static const struct ds_all ds_locations = {
	.path = TFP_UC_API "/external-locations",
	.items = "external_locations",
	.field = "name",
	.attr = "names",
	.type = &tfp_type_list_string,
};
static const struct ds_all ds_credentials = {
	.path = TFP_UC_API "/storage-credentials",
	.items = "storage_credentials",
	.field = "name",
	.attr = "names",
	.type = &tfp_type_list_string,
};

/* --- descriptors ---------------------------------------------------------- */

const struct tfp_data_source tfp_data_source_catalog = {
	.type_name = "databricks_catalog",
	.attrs = ds_one_attrs,
	.blocks = ds_catalog_blocks,
	.desc = "One Unity Catalog catalog by name, in catalog_info.",
	.read = one_read,
	.data = &ds_catalog,
};

const struct tfp_data_source tfp_data_source_schema = {
	.type_name = "databricks_schema",
	.attrs = ds_one_attrs,
	.blocks = ds_schema_blocks,
	.desc = "One Unity Catalog schema by full name (<catalog>.<schema>), "
		"in schema_info.",
	.read = one_read,
	.data = &ds_schema,
};

const struct tfp_data_source tfp_data_source_external_location = {
	.type_name = "databricks_external_location",
	.attrs = ds_one_attrs,
	.blocks = ds_location_blocks,
	.desc = "One Unity Catalog external location by name, in "
		"external_location_info.",
	.read = one_read,
	.data = &ds_location,
};

const struct tfp_data_source tfp_data_source_storage_credential = {
	.type_name = "databricks_storage_credential",
	.attrs = ds_one_attrs,
	.blocks = ds_credential_blocks,
	.desc = "One Unity Catalog storage credential by name, in "
		"storage_credential_info (secrets are never returned).",
	.read = one_read,
	.data = &ds_credential,
};

const struct tfp_data_source tfp_data_source_catalogs = {
	.type_name = "databricks_catalogs",
	.attrs = ds_catalogs_attrs,
	.blocks = ds_all_blocks,
	.desc = "The names of every Unity Catalog catalog of the metastore.",
	.read = all_read,
	.data = &ds_catalogs,
};

const struct tfp_data_source tfp_data_source_schemas = {
	.type_name = "databricks_schemas",
	.attrs = ds_schemas_attrs,
	.blocks = ds_all_blocks,
	.desc = "The full names of every schema of a Unity Catalog catalog.",
	.read = all_read,
	.data = &ds_schemas,
};

const struct tfp_data_source tfp_data_source_external_locations = {
	.type_name = "databricks_external_locations",
	.attrs = ds_names_attrs,
	.blocks = ds_all_blocks,
	.desc = "The names of every Unity Catalog external location.",
	.read = all_read,
	.data = &ds_locations,
};

const struct tfp_data_source tfp_data_source_storage_credentials = {
	.type_name = "databricks_storage_credentials",
	.attrs = ds_names_attrs,
	.blocks = ds_all_blocks,
	.desc = "The names of every Unity Catalog storage credential.",
	.read = all_read,
	.data = &ds_credentials,
};
