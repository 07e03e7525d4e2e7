/*
 * databricks_sql_table: a Unity Catalog table or view (catalog.schema.name)
 * with its columns, partitioning, clustering, comment and properties.
 *
 * REST: POST /api/2.0/sql/statements, GET /api/2.0/sql/statements/{id}
 * (the SQL DDL, on the SQL warehouse warehouse_id);
 * GET|PATCH /api/2.1/unity-catalog/tables/{catalog}.{schema}.{name}
 * (read; PATCH of the owner).
 *
 * Quirks that explain the code:
 *  - The Tables API cannot make or change a table: its PATCH takes only
 *    the owner. Tables and views are made, changed and dropped by SQL
 *    DDL, as the official provider does, run by the Statement Execution
 *    API on a SQL warehouse: CREATE [EXTERNAL] TABLE|VIEW, then ALTER
 *    statements for what changed, DROP TABLE|VIEW. The table is read
 *    back through the Tables API. The owner is PATCHed through it after
 *    the DDL, last, as the official provider does.
 *  - The official provider can also run its SQL on a cluster (cluster_id),
 *    or start a small cluster of its own when given neither. brickform
 *    needs warehouse_id for every write and says so at apply; cluster_id
 *    is accepted and kept. A read needs neither.
 *  - A statement is sent with wait_timeout 50s (the most the API waits)
 *    and on_wait_timeout CONTINUE; one still PENDING or RUNNING (a
 *    warehouse starting) is polled until it ends. A statement that
 *    fails is still HTTP 200, with status.state FAILED and the error
 *    class in status.error.message ("[TABLE_OR_VIEW_NOT_FOUND] ...").
 *  - Names go into the SQL backticked (a backtick in one doubled), texts
 *    as string literals with backslash escapes; column types and the
 *    format are checked to be type words, so configuration text never
 *    becomes SQL, except view_definition, which is a query by design.
 *  - Changes are the official provider's statements: the same number of
 *    columns changes each in place (RENAME COLUMN, ALTER COLUMN ...
 *    COMMENT, SET|DROP NOT NULL); a different number drops the columns
 *    gone (DROP COLUMN IF EXISTS, which needs Delta column mapping:
 *    'delta.columnMapping.mode' = 'name' in properties) and adds the new
 *    ones in place (ADD COLUMN ... FIRST | AFTER). Changing a column's
 *    type or identity, or changing columns while adding or removing
 *    others, is refused at plan time, as there. Properties removed are
 *    UNSET, changed ones SET; cluster_keys by CLUSTER BY (NONE when
 *    emptied); the comment by COMMENT ON; a view's query by ALTER VIEW
 *    AS; an external table's location by SET LOCATION.
 *  - An identity column is Delta's "delta.identity.*" metadata in the
 *    column's type_json: how the official provider reads it back too.
 *  - The workspace fills what the configuration may leave out: the
 *    format (DELTA), a managed table's storage_location, each column's
 *    type_json and nullable (true). They are optional and computed so
 *    that they are not drift. Columns are read as the workspace has
 *    them, so an import brings them in. The workspace stores column
 *    types in lower case with Spark's aliases resolved (INTEGER is int):
 *    a spelling that means the same type is kept, at read and at plan.
 *  - options and storage_credential_name belong to the DDL (OPTIONS,
 *    WITH CREDENTIAL): the Tables API has no field for them, so they are
 *    kept from the configuration.
 *  - A missing table is 404 TABLE_DOES_NOT_EXIST: gone. Names come back
 *    lower-case; read keeps the configured spelling, and a plan keeps the
 *    state's when the configuration differs only in case (an import
 *    reads lower case).
 * Import ID: <catalog_name>.<schema_name>.<name>.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "wait.h"
#include "catalog_internal.h"

#define SQL_STATEMENTS "/api/2.0/sql/statements"
/* The longest the Statement Execution API waits in the call itself. */
#define SQL_WAIT "50s"
/* How long a statement (a warehouse starting first) may take in all. */
#define SQL_TIMEOUT_MS (20L * 60 * 1000)

/* --- schema --------------------------------------------------------------- */

static int table_validate_type(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = {"MANAGED", "EXTERNAL", "VIEW",
					      NULL};

	return tfp_catalog__check_enum(d, path, v, "table_type", allowed,
				       "MANAGED, EXTERNAL or VIEW");
}

static int table_validate_identity(struct tfp_diags *d,
				   const struct tfp_path *path,
				   const struct tfp_value *v)
{
	static const char *const allowed[] = {"always", "default", NULL};

	return tfp_catalog__check_enum(d, path, v, "identity", allowed,
				       "always or default");
}

/* True when every byte of s is in the class: letters, digits, '_',
 * and the bytes of extra. */
static bool only_word_bytes(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' &&
		    !strchr(extra, *s))
			return false;
	return true;
}

/* A column type goes into the DDL as written: type words and brackets
 * only (int, decimal(10,2), array<string>, struct<a:int,b:string>). */
static int table_validate_col_type(struct tfp_diags *d,
				   const struct tfp_path *path,
				   const struct tfp_value *v)
{
	if (*v->u.str && only_word_bytes(v->u.str, " (),<>:"))
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid column type",
				   "type must be a SQL type such as int, "
				   "decimal(10,2) or array<string>: letters, "
				   "digits, '_', spaces and ( ) , < > : only.");
}

/* The format goes into USING as a word. */
static int table_validate_format(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	if (*v->u.str && only_word_bytes(v->u.str, ""))
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid data_source_format",
				   "data_source_format must be a format name "
				   "such as DELTA, CSV, JSON or PARQUET.");
}

/* clang-format off */
static const struct tfp_attr column_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The column's name." },
	{ .name = "type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .json = "type_text",
	  .validate = table_validate_col_type,
	  .desc = "The column's SQL type (int, string, decimal(10,2)...)." },
	{ .name = "identity", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .validate = table_validate_identity,
	  .desc = "An identity column: always (GENERATED ALWAYS AS "
		  "IDENTITY) or default (GENERATED BY DEFAULT AS "
		  "IDENTITY)." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "nullable", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the column may hold NULL; true when left out." },
	{ .name = "type_json", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The column as a Spark StructField in JSON, filled by the "
		  "workspace." },
	TFP_ATTR_END
};

static const struct tfp_block table_blocks[] = {
	{ .name = "column", .nesting = TFP_NEST_LIST, .json = "columns",
	  .attrs = column_attrs,
	  .desc = "The columns, in order." },
	TFP_BLOCK_END
};

static const struct tfp_attr table_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The table's name in its schema (stored lower-case). "
		  "Changing it replaces the table." },
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The catalog of the table's schema." },
	{ .name = "schema_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The schema the table is in." },
	{ .name = "table_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = table_validate_type,
	  .desc = "MANAGED, EXTERNAL (storage_location required) or VIEW "
		  "(view_definition required)." },
	{ .name = "data_source_format", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = table_validate_format,
	  .desc = "DELTA, CSV, JSON, PARQUET...; DELTA when left out. "
		  "Views have none." },
	{ .name = "storage_location", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "EXTERNAL tables: the URL of their data, under an external "
		  "location. MANAGED tables: chosen by the workspace." },
	{ .name = "storage_credential_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_NO_JSON,
	  .desc = "The credential an EXTERNAL table's DDL names (WITH "
		  "CREDENTIAL); kept from the configuration." },
	{ .name = "view_definition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "VIEW: the query that defines it." },
	{ .name = "partitions", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The partition columns. Conflicts with cluster_keys." },
	{ .name = "cluster_keys", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The liquid clustering columns. Conflicts with "
		  "partitions." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Table properties (TBLPROPERTIES)." },
	{ .name = "options", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_NO_JSON,
	  .desc = "Data source options (OPTIONS); kept from the "
		  "configuration." },
	/* Optional only: the official provider fills it with the cluster
	 * it starts; no cluster is started here. */
	{ .name = "cluster_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "The official provider's cluster for the DDL. Accepted and "
		  "kept; brickform runs the DDL on warehouse_id only." },
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "The SQL warehouse that runs the table's DDL (CREATE, "
		  "ALTER, DROP). Needed to create, change or destroy the "
		  "table; conflicts with cluster_id." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the table; the creator when left out." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<catalog_name>.<schema_name>.<name>." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const table_folded[] = {
	"name", "catalog_name", "schema_name", "data_source_format", NULL};
static const char *const table_slashed[] = {"storage_location", NULL};

/* --- pure functions: types and SQL text ----------------------------------- */

/*
 * The type the workspace stores for text, in buf: lower case, without
 * white space or backticks, Spark's aliases resolved (integer is int,
 * decimal is decimal(10,0)), as the official provider compares them.
 */
static const char *type_canonical(char *buf, size_t size, const char *text)
{
	static const char *const aliases[][2] = {
		{"integer", "int"},	  {"long", "bigint"},
		{"short", "smallint"},	  {"byte", "tinyint"},
		{"real", "float"},	  {"decimal", "decimal(10,0)"},
		{"dec", "decimal(10,0)"}, {"numeric", "decimal(10,0)"},
	};
	size_t n = 0, i;

	for (; *text && n + 1 < size; text++)
		if (!isspace((unsigned char)*text) && *text != '`')
			buf[n++] = (char)tolower((unsigned char)*text);
	buf[n] = '\0';
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(buf, aliases[i][0]) == 0)
			snprintf(buf, size, "%s", aliases[i][1]);
	return buf;
}

/* True when a and b (either may be NULL) name the same column type. */
static bool same_type(const char *a, const char *b)
{
	char x[256], y[256];

	if (!a || !b)
		return a == b;
	if (strlen(a) >= sizeof(x) || strlen(b) >= sizeof(y))
		return strcmp(a, b) == 0;
	return strcmp(type_canonical(x, sizeof(x), a),
		      type_canonical(y, sizeof(y), b)) == 0;
}

/* A statement being written, in the call's arena. */
struct sql {
	struct tfp_arena *a;
	char *s;
	size_t len, cap;
};

static void sql_add(struct sql *q, const char *t, size_t n)
{
	if (q->len + n + 1 > q->cap) {
		size_t cap = (q->len + n + 1) * 2;
		char *s = tfp_arena_alloc(q->a, cap);

		if (q->len)
			memcpy(s, q->s, q->len);
		q->s = s;
		q->cap = cap;
	}
	memcpy(q->s + q->len, t, n);
	q->len += n;
	q->s[q->len] = '\0';
}

static void sql_puts(struct sql *q, const char *t)
{
	sql_add(q, t, strlen(t));
}

/* An identifier: backticked, a backtick in it doubled. */
static void sql_ident(struct sql *q, const char *name)
{
	const char *p;

	sql_add(q, "`", 1);
	for (p = name; *p; p++) {
		if (*p == '`')
			sql_add(q, "`", 1);
		sql_add(q, p, 1);
	}
	sql_add(q, "`", 1);
}

/* A string literal: quoted, a quote or backslash in it escaped. */
static void sql_string(struct sql *q, const char *text)
{
	const char *p;

	sql_add(q, "'", 1);
	for (p = text; *p; p++) {
		if (*p == '\'' || *p == '\\')
			sql_add(q, "\\", 1);
		sql_add(q, p, 1);
	}
	sql_add(q, "'", 1);
}

/* `catalog`.`schema`.`name` of a table's state or plan. */
static void sql_name(struct sql *q, const struct tfp_value *t)
{
	sql_ident(q, tfp_value_get_string(t, "catalog_name"));
	sql_puts(q, ".");
	sql_ident(q, tfp_value_get_string(t, "schema_name"));
	sql_puts(q, ".");
	sql_ident(q, tfp_value_get_string(t, "name"));
}

/* "ALTER TABLE `c`.`s`.`t` " (VIEW for a view). */
static void sql_alter(struct sql *q, const struct tfp_value *t)
{
	const char *type = tfp_value_get_string(t, "table_type");

	q->s = NULL;
	q->len = q->cap = 0;
	sql_puts(q, type && strcmp(type, "VIEW") == 0 ? "ALTER VIEW "
						      : "ALTER TABLE ");
	sql_name(q, t);
	sql_puts(q, " ");
}

static bool is_view(const struct tfp_value *t)
{
	const char *type = tfp_value_get_string(t, "table_type");

	return type && strcmp(type, "VIEW") == 0;
}

/* (`a`, `b`) of a list of strings. */
static void sql_idents(struct sql *q, const struct tfp_value *list)
{
	size_t i;

	sql_puts(q, "(");
	for (i = 0; i < list->u.coll.n; i++) {
		if (i)
			sql_puts(q, ", ");
		sql_ident(q, list->u.coll.items[i]->u.str);
	}
	sql_puts(q, ")");
}

/* ('k'='v', ...) of a map of strings. */
static void sql_props(struct sql *q, const struct tfp_value *map)
{
	size_t i;

	sql_puts(q, "(");
	for (i = 0; i < map->u.coll.n; i++) {
		if (i)
			sql_puts(q, ", ");
		sql_string(q, map->u.coll.keys[i]);
		sql_puts(q, "=");
		sql_string(q, tfp_value_is_known(map->u.coll.items[i]) &&
					      map->u.coll.items[i]->u.str
				      ? map->u.coll.items[i]->u.str
				      : "");
	}
	sql_puts(q, ")");
}

static bool has_items(const struct tfp_value *v)
{
	return tfp_value_is_known(v) && v->u.coll.n > 0;
}

/* A column's definition: `name` type [GENERATED ... AS IDENTITY]
 * [NOT NULL] [COMMENT '...']; a view's column: `name` [COMMENT '...']. */
static void sql_column(struct sql *q, const struct tfp_value *c, bool view)
{
	const char *type = tfp_value_get_string(c, "type");
	const char *identity = tfp_value_get_string(c, "identity");
	const char *comment = tfp_value_get_string(c, "comment");
	const struct tfp_value *nullable = tfp_value_get(c, "nullable");

	sql_ident(q, tfp_value_get_string(c, "name"));
	if (!view) {
		sql_puts(q, " ");
		sql_puts(q, type ? type : "");
		if (identity)
			sql_puts(q,
				 strcmp(identity, "default") == 0
					 ? " GENERATED BY DEFAULT AS IDENTITY"
					 : " GENERATED ALWAYS AS IDENTITY");
		if (tfp_value_is_known(nullable) && !nullable->u.b)
			sql_puts(q, " NOT NULL");
	}
	if (comment && *comment) {
		sql_puts(q, " COMMENT ");
		sql_string(q, comment);
	}
}

const char *tfp_catalog__sql_ident(struct tfp_arena *a, const char *name)
{
	struct sql q = {a, NULL, 0, 0};

	sql_ident(&q, name);
	return q.s;
}

const char *tfp_catalog__sql_string(struct tfp_arena *a, const char *text)
{
	struct sql q = {a, NULL, 0, 0};

	sql_string(&q, text);
	return q.s;
}

bool tfp_catalog__same_column_type(const char *a, const char *b)
{
	return same_type(a, b);
}

/* The CREATE statement of a plan. */
static const char *sql_create(struct tfp_arena *a, const struct tfp_value *t)
{
	struct sql q = {a, NULL, 0, 0};
	const char *type = tfp_value_get_string(t, "table_type");
	const char *fmt = tfp_value_get_string(t, "data_source_format");
	const char *loc = tfp_value_get_string(t, "storage_location");
	const char *cred = tfp_value_get_string(t, "storage_credential_name");
	const char *comment = tfp_value_get_string(t, "comment");
	const struct tfp_value *cols = tfp_value_get(t, "column");
	const struct tfp_value *v;
	bool view = is_view(t);
	size_t i;

	sql_puts(&q, "CREATE ");
	if (type && strcmp(type, "EXTERNAL") == 0)
		sql_puts(&q, "EXTERNAL ");
	sql_puts(&q, view ? "VIEW " : "TABLE ");
	sql_name(&q, t);
	if (has_items(cols)) {
		sql_puts(&q, " (");
		for (i = 0; i < cols->u.coll.n; i++) {
			if (i)
				sql_puts(&q, ", ");
			sql_column(&q, cols->u.coll.items[i], view);
		}
		sql_puts(&q, ")");
	}
	if (!view && fmt) {
		sql_puts(&q, "\nUSING ");
		sql_puts(&q, fmt);
	}
	v = tfp_value_get(t, "partitions");
	if (!view && has_items(v)) {
		sql_puts(&q, "\nPARTITIONED BY ");
		sql_idents(&q, v);
	}
	v = tfp_value_get(t, "cluster_keys");
	if (!view && has_items(v)) {
		sql_puts(&q, "\nCLUSTER BY ");
		sql_idents(&q, v);
	}
	if (comment && *comment) {
		sql_puts(&q, "\nCOMMENT ");
		sql_string(&q, comment);
	}
	v = tfp_value_get(t, "properties");
	if (has_items(v)) {
		sql_puts(&q, "\nTBLPROPERTIES ");
		sql_props(&q, v);
	}
	v = tfp_value_get(t, "options");
	if (!view && has_items(v)) {
		sql_puts(&q, "\nOPTIONS ");
		sql_props(&q, v);
	}
	if (!view && loc) {
		sql_puts(&q, "\nLOCATION ");
		sql_string(&q, loc);
		if (cred) {
			sql_puts(&q, " WITH (CREDENTIAL ");
			sql_ident(&q, cred);
			sql_puts(&q, ")");
		}
	}
	if (view) {
		sql_puts(&q, "\nAS ");
		sql_puts(&q,
			 tfp_value_get_string(t, "view_definition")
				 ? tfp_value_get_string(t, "view_definition")
				 : "");
	}
	return q.s;
}

/* Statements, in the order they run. */
struct stmts {
	const char **items;
	size_t n;
};

static void stmts_add(struct tfp_arena *a, struct stmts *out, const char *s)
{
	const char **items = tfp_arena_alloc(a, (out->n + 1) * sizeof(*items));

	if (out->n)
		memcpy(items, out->items, out->n * sizeof(*items));
	items[out->n++] = s;
	out->items = items;
}

/* True when plan's attr is known and differs from prior's. */
static bool changed(const struct tfp_value *prior, const struct tfp_value *plan,
		    const char *attr)
{
	const struct tfp_value *v = tfp_value_get(plan, attr);

	return !tfp_value_is_unknown(v) &&
	       !tfp_value_equal(tfp_value_get(prior, attr), v);
}

/* The column of cols named name, or NULL. */
static const struct tfp_value *column_named(const struct tfp_value *cols,
					    const char *name)
{
	size_t i;

	if (!tfp_value_is_known(cols) || !name)
		return NULL;
	for (i = 0; i < cols->u.coll.n; i++)
		if (tfp_value_is_known(cols->u.coll.items[i]) &&
		    strcmp(tfp_value_get_string(cols->u.coll.items[i], "name")
				   ? tfp_value_get_string(cols->u.coll.items[i],
							  "name")
				   : "",
			   name) == 0)
			return cols->u.coll.items[i];
	return NULL;
}

/* Columns added or removed: DROP COLUMN IF EXISTS of those gone, then
 * ADD COLUMN of the new ones where they stand. */
static void diff_column_set(struct tfp_arena *a, struct stmts *out,
			    const struct tfp_value *prior,
			    const struct tfp_value *pcols,
			    const struct tfp_value *cols)
{
	struct sql q = {a, NULL, 0, 0};
	size_t i, dropped = 0;

	sql_alter(&q, prior);
	sql_puts(&q, "DROP COLUMN IF EXISTS (");
	for (i = 0; tfp_value_is_known(pcols) && i < pcols->u.coll.n; i++) {
		const char *name =
			tfp_value_get_string(pcols->u.coll.items[i], "name");

		if (!name || column_named(cols, name))
			continue;
		if (dropped++)
			sql_puts(&q, ", ");
		sql_ident(&q, name);
	}
	sql_puts(&q, ")");
	if (dropped)
		stmts_add(a, out, q.s);
	for (i = 0; i < cols->u.coll.n; i++) {
		const struct tfp_value *c = cols->u.coll.items[i];

		if (column_named(pcols, tfp_value_get_string(c, "name")))
			continue;
		sql_alter(&q, prior);
		sql_puts(&q, "ADD COLUMN ");
		sql_column(&q, c, false);
		if (i == 0) {
			sql_puts(&q, " FIRST");
		} else {
			sql_puts(&q, " AFTER ");
			sql_ident(&q,
				  tfp_value_get_string(
					  cols->u.coll.items[i - 1], "name"));
		}
		stmts_add(a, out, q.s);
	}
}

/* As many columns as before: each one renamed, commented or made
 * (not) nullable in place. */
static void diff_columns_in_place(struct tfp_arena *a, struct stmts *out,
				  const struct tfp_value *prior,
				  const struct tfp_value *pcols,
				  const struct tfp_value *cols)
{
	struct sql q = {a, NULL, 0, 0};
	size_t i;

	for (i = 0; i < cols->u.coll.n; i++) {
		const struct tfp_value *c = cols->u.coll.items[i];
		const struct tfp_value *p = pcols->u.coll.items[i];
		const char *name = tfp_value_get_string(c, "name");
		const char *old = tfp_value_get_string(p, "name");
		const struct tfp_value *nullable = tfp_value_get(c, "nullable");

		if (!name || !old)
			continue;
		if (strcmp(name, old) != 0) {
			sql_alter(&q, prior);
			sql_puts(&q, "RENAME COLUMN ");
			sql_ident(&q, old);
			sql_puts(&q, " TO ");
			sql_ident(&q, name);
			stmts_add(a, out, q.s);
		}
		if (changed(p, c, "comment")) {
			sql_alter(&q, prior);
			sql_puts(&q, "ALTER COLUMN ");
			sql_ident(&q, name);
			sql_puts(&q, " COMMENT ");
			sql_string(&q,
				   tfp_value_get_string(c, "comment")
					   ? tfp_value_get_string(c, "comment")
					   : "");
			stmts_add(a, out, q.s);
		}
		if (tfp_value_is_known(nullable) && changed(p, c, "nullable")) {
			sql_alter(&q, prior);
			sql_puts(&q, "ALTER COLUMN ");
			sql_ident(&q, name);
			sql_puts(&q, nullable->u.b ? " DROP NOT NULL"
						   : " SET NOT NULL");
			stmts_add(a, out, q.s);
		}
	}
}

/* The statements that turn prior into plan (none for the owner, which
 * goes through the Tables API). */
static void sql_diff(struct tfp_arena *a, struct stmts *out,
		     const struct tfp_value *prior,
		     const struct tfp_value *plan)
{
	struct sql q = {a, NULL, 0, 0};
	const struct tfp_value *pp = tfp_value_get(prior, "properties");
	const struct tfp_value *np = tfp_value_get(plan, "properties");
	const struct tfp_value *pcols = tfp_value_get(prior, "column");
	const struct tfp_value *cols = tfp_value_get(plan, "column");
	const struct tfp_value *v;
	bool view = is_view(plan);
	size_t i, n;

	if (view && changed(prior, plan, "view_definition") &&
	    tfp_value_get_string(plan, "view_definition")) {
		sql_alter(&q, prior);
		sql_puts(&q, "AS ");
		sql_puts(&q, tfp_value_get_string(plan, "view_definition"));
		stmts_add(a, out, q.s);
	}
	if (!view && changed(prior, plan, "storage_location") &&
	    tfp_value_get_string(plan, "storage_location")) {
		sql_alter(&q, prior);
		sql_puts(&q, "SET LOCATION ");
		sql_string(&q, tfp_value_get_string(plan, "storage_location"));
		stmts_add(a, out, q.s);
	}
	v = tfp_value_get(plan, "cluster_keys");
	if (!view && changed(prior, plan, "cluster_keys") &&
	    !(has_items(v) == false &&
	      !has_items(tfp_value_get(prior, "cluster_keys")))) {
		sql_alter(&q, prior);
		sql_puts(&q, "CLUSTER BY ");
		if (has_items(v))
			sql_idents(&q, v);
		else
			sql_puts(&q, "NONE");
		stmts_add(a, out, q.s);
	}
	if (changed(prior, plan, "comment")) {
		q.s = NULL;
		q.len = q.cap = 0;
		sql_puts(&q, view ? "COMMENT ON VIEW " : "COMMENT ON TABLE ");
		sql_name(&q, prior);
		sql_puts(&q, " IS ");
		if (tfp_value_get_string(plan, "comment"))
			sql_string(&q, tfp_value_get_string(plan, "comment"));
		else
			sql_puts(&q, "NULL");
		stmts_add(a, out, q.s);
	}
	if (!tfp_value_is_unknown(np) && !tfp_value_equal(pp, np)) {
		sql_alter(&q, prior);
		sql_puts(&q, "UNSET TBLPROPERTIES IF EXISTS (");
		for (i = 0, n = 0; tfp_value_is_known(pp) && i < pp->u.coll.n;
		     i++) {
			if (tfp_value_is_known(np) &&
			    tfp_value_map_has(np, pp->u.coll.keys[i]))
				continue;
			if (n++)
				sql_puts(&q, ", ");
			sql_string(&q, pp->u.coll.keys[i]);
		}
		sql_puts(&q, ")");
		if (n)
			stmts_add(a, out, q.s);
		sql_alter(&q, prior);
		sql_puts(&q, "SET TBLPROPERTIES (");
		for (i = 0, n = 0; tfp_value_is_known(np) && i < np->u.coll.n;
		     i++) {
			const struct tfp_value *old =
				tfp_value_is_known(pp)
					? tfp_value_map_get(pp,
							    np->u.coll.keys[i])
					: NULL;

			if (old && tfp_value_equal(old, np->u.coll.items[i]))
				continue;
			if (n++)
				sql_puts(&q, ", ");
			sql_string(&q, np->u.coll.keys[i]);
			sql_puts(&q, "=");
			sql_string(&q, np->u.coll.items[i]->u.str
					       ? np->u.coll.items[i]->u.str
					       : "");
		}
		sql_puts(&q, ")");
		if (n)
			stmts_add(a, out, q.s);
	}
	if (view || !tfp_value_is_known(cols) || !tfp_value_is_known(pcols))
		return;
	if (cols->u.coll.n != pcols->u.coll.n)
		diff_column_set(a, out, prior, pcols, cols);
	else
		diff_columns_in_place(a, out, prior, pcols, cols);
}

/* --- running SQL ---------------------------------------------------------- */

struct poll {
	const char *path;
	const cJSON *answer;
};

static const char *statement_state(const cJSON *answer)
{
	const cJSON *status =
		cJSON_GetObjectItemCaseSensitive(answer, "status");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(status, "state");

	return cJSON_IsString(state) ? state->valuestring : "";
}

static int poll_statement(struct tfp_call *call, void *payload)
{
	struct poll *p = payload;
	cJSON *answer = NULL;
	const char *state;
	int error = tfp_rest_get(&answer, call, p->path, NULL);

	if (error < 0)
		return error == TFP_ENOTFOUND
			       ? tfp_call_fail(call, "GET %s returned 404.",
					       p->path)
			       : error;
	p->answer = answer;
	state = statement_state(answer);
	return strcmp(state, "PENDING") == 0 || strcmp(state, "RUNNING") == 0
		       ? TFP_WAIT_AGAIN
		       : TFP_OK;
}

/*
 * Runs one statement on warehouse and waits for it to end. A FAILED
 * statement is an error naming it, or TFP_ENOTFOUND without a
 * diagnostic when missing_ok and its table is not there.
 */
static int sql_run(struct tfp_call *call, const char *warehouse,
		   const char *statement, bool missing_ok)
{
	cJSON *body = cJSON_CreateObject(), *answer = NULL;
	const cJSON *status, *err;
	const char *state, *id, *message, *code;
	struct poll p = {NULL, NULL};
	int error;

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "statement", statement);
	cJSON_AddStringToObject(body, "warehouse_id", warehouse);
	cJSON_AddStringToObject(body, "wait_timeout", SQL_WAIT);
	cJSON_AddStringToObject(body, "on_wait_timeout", "CONTINUE");
	tfp_log(TFP_LOG_INFO, "sql_table", "executing SQL: %s", statement);
	error = tfp_rest_post(&answer, call, SQL_STATEMENTS, body);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(
			call, "The SQL warehouse %s does not exist (%s).",
			warehouse,
			call->last_error.message ? call->last_error.message
						 : "");
	if (error < 0)
		return error;
	state = statement_state(answer);
	id = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(answer, "statement_id"));
	if ((strcmp(state, "PENDING") == 0 || strcmp(state, "RUNNING") == 0) &&
	    id) {
		struct tfp_wait w = {
			.what = tfp_arena_printf(call->arena,
						 "SQL statement %s", id),
			.timeout_ms = SQL_TIMEOUT_MS,
			.first_ms = 1000,
			.max_ms = 5000,
		};

		p.path = tfp_arena_printf(call->arena, "%s/%s", SQL_STATEMENTS,
					  tfp_rest_escape(call->arena, id));
		p.answer = answer;
		error = tfp_wait_for(call, &w, poll_statement, &p);
		if (error < 0)
			return error;
		answer = (cJSON *)p.answer;
		state = statement_state(answer);
	}
	if (strcmp(state, "SUCCEEDED") == 0)
		return TFP_OK;
	status = cJSON_GetObjectItemCaseSensitive(answer, "status");
	err = cJSON_GetObjectItemCaseSensitive(status, "error");
	message = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(err, "message"));
	code = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(err, "error_code"));
	if (missing_ok && message &&
	    strncmp(message, "[TABLE_OR_VIEW_NOT_FOUND]", 25) == 0)
		return TFP_ENOTFOUND;
	return tfp_call_fail(call,
			     "The SQL statement ended %s on warehouse %s:\n\n"
			     "%s\n\n%s%s%s",
			     *state ? state : "without a state", warehouse,
			     statement, code ? code : "",
			     code && message ? ": " : "",
			     message ? message : "");
}

/* The warehouse the DDL runs on, or an error at warehouse_id. */
static int table_warehouse(const char **out, struct tfp_call *call,
			   const struct tfp_value *t)
{
	*out = tfp_value_get_string(t, "warehouse_id");
	if (*out && **out)
		return TFP_OK;
	return tfp_diag_attr_error(
		call->diags, tfp_path_attr(call->arena, NULL, "warehouse_id"),
		"A SQL warehouse is needed",
		"databricks_sql_table makes, changes and drops tables with SQL "
		"DDL, which brickform runs on a SQL warehouse: set "
		"warehouse_id (a databricks_sql_endpoint's id).%s",
		tfp_value_get_string(t, "cluster_id")
			? " Running the DDL on cluster_id, as the official "
			  "provider can, is not supported."
			: " The official provider starts a cluster of its own "
			  "when given neither; brickform does not.");
}

/* PATCHes the owner (the only field the Tables API changes). */
static int table_set_owner(struct tfp_call *call, const char *id,
			   const char *owner)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "owner", owner);
	return tfp_rest_call(NULL, call, "PATCH",
			     tfp_arena_printf(call->arena, "%s/tables/%s",
					      TFP_UC_API,
					      tfp_rest_escape(call->arena, id)),
			     NULL, body, TFP_REST_IDEMPOTENT);
}

/* --- hooks ---------------------------------------------------------------- */

/*
 * The identity of a column from its type_json (Delta's column metadata):
 * "always" when explicit inserts are refused, "default" when allowed,
 * NULL for an ordinary column.
 */
static const char *table_identity(const char *type_json)
{
	cJSON *j = type_json ? cJSON_Parse(type_json) : NULL;
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "metadata");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(
		meta, "delta.identity.allowExplicitInsert");
	const char *out = NULL;

	if (cJSON_GetObjectItemCaseSensitive(meta, "delta.identity.start") &&
	    cJSON_IsBool(ex))
		out = cJSON_IsTrue(ex) ? "default" : "always";
	cJSON_Delete(j);
	return out;
}

/* The prior column that c of the plan changes: the one at index i when
 * the count is the same, else the one of the same name. */
static const struct tfp_value *prior_column(const struct tfp_value *pcols,
					    const struct tfp_value *cols,
					    size_t i)
{
	if (!tfp_value_is_known(pcols))
		return NULL;
	if (pcols->u.coll.n == cols->u.coll.n)
		return pcols->u.coll.items[i];
	return column_named(
		pcols, tfp_value_get_string(cols->u.coll.items[i], "name"));
}

/* Each column's identity is read back from its type_json; a type the
 * workspace spells otherwise (int for INTEGER) keeps the prior spelling. */
static void table_normalize(struct tfp_call *call, struct tfp_value *state,
			    const struct tfp_value *prior)
{
	struct tfp_value *cols = tfp_value_get(state, "column");
	const struct tfp_value *pcols = prior && tfp_value_is_known(prior)
						? tfp_value_get(prior, "column")
						: NULL;
	size_t i;

	if (!tfp_value_is_known(cols))
		return;
	for (i = 0; i < cols->u.coll.n; i++) {
		struct tfp_value *c = cols->u.coll.items[i];
		const struct tfp_value *pc;
		const char *old, *now;

		if (!tfp_value_is_known(c))
			continue;
		tfp_value_set_string(
			call->arena, c, "identity",
			table_identity(tfp_value_get_string(c, "type_json")));
		pc = column_named(pcols, tfp_value_get_string(c, "name"));
		old = pc ? tfp_value_get_string(pc, "type") : NULL;
		now = tfp_value_get_string(c, "type");
		if (old && now && strcmp(old, now) != 0 && same_type(old, now))
			tfp_value_set_string(call->arena, c, "type", old);
	}
}

/* True when column c of the plan says the same as p of the prior state,
 * type_json aside. */
static bool table_same_column(const struct tfp_value *c,
			      const struct tfp_value *p)
{
	static const char *const attrs[] = {"name", "identity", "comment",
					    "nullable", NULL};
	const char *const *a;

	for (a = attrs; *a; a++)
		if (!tfp_value_equal(tfp_value_get(c, *a),
				     tfp_value_get(p, *a)))
			return false;
	return same_type(tfp_value_get_string(c, "type"),
			 tfp_value_get_string(p, "type"));
}

/* The refusals of the official provider's plan: a column's type or
 * identity cannot change, nor can columns change while others are added
 * or removed. */
static int table_check_columns(struct tfp_call *call,
			       const struct tfp_value *pcols,
			       const struct tfp_value *cols)
{
	bool same_count = pcols->u.coll.n == cols->u.coll.n;
	size_t i;

	for (i = 0; i < cols->u.coll.n; i++) {
		const struct tfp_value *c = cols->u.coll.items[i];
		const struct tfp_value *p = prior_column(pcols, cols, i);
		const struct tfp_value *pn, *cn;
		const char *name = tfp_value_get_string(c, "name");

		if (!p || !tfp_value_is_known(c) || !tfp_value_is_known(p))
			continue;
		if (!same_type(tfp_value_get_string(c, "type"),
			       tfp_value_get_string(p, "type")) &&
		    tfp_value_is_known(tfp_value_get(c, "type")))
			return tfp_diag_error(
				call->diags, "Column type change not supported",
				"Changing the type of column %s of an existing "
				"table is not supported: recreate the table, "
				"or "
				"add a new column and remove the old one.",
				name ? name : "?");
		if (same_count &&
		    !tfp_value_equal(tfp_value_get(c, "identity"),
				     tfp_value_get(p, "identity")))
			return tfp_diag_error(
				call->diags, "Identity change not supported",
				"Changing the identity of column %s of an "
				"existing table is not supported.",
				name ? name : "?");
		pn = tfp_value_get(p, "nullable");
		cn = tfp_value_get(c, "nullable");
		if (!same_count &&
		    (!tfp_value_equal(tfp_value_get(c, "comment"),
				      tfp_value_get(p, "comment")) ||
		     (tfp_value_is_known(cn) && !tfp_value_equal(cn, pn))))
			return tfp_diag_error(
				call->diags, "Too many column changes at once",
				"Columns are being added or removed while "
				"column "
				"%s changes too: make these changes in two "
				"applies.",
				name ? name : "?");
	}
	return TFP_OK;
}

/*
 * partitions and cluster_keys exclude each other, as in the official
 * provider. A view's format and location are null. A type spelled otherwise
 * than the state's but meaning the same keeps the state's spelling. A column
 * that changes gets a type_json the workspace makes anew (an identity is in
 * it): unknown in the plan, not the prior one.
 */
static int table_modify_plan(struct tfp_call *call,
			     const struct tfp_value *prior,
			     const struct tfp_value *config,
			     struct tfp_value *plan)
{
	const struct tfp_value *p = tfp_value_get(config, "partitions");
	const struct tfp_value *k = tfp_value_get(config, "cluster_keys");
	const struct tfp_value *pcols, *cols;
	size_t i;

	if (p && !tfp_value_is_null(p) && k && !tfp_value_is_null(k)) {
		tfp_diag_error(call->diags, "Conflicting arguments",
			       "partitions and cluster_keys cannot both be "
			       "set.");
		return TFP_ERROR;
	}
	/* A view has no format and no storage: null, not unknown (an
	 * unknown format would force a new view after an import). */
	if (tfp_value_is_known(plan) && is_view(plan)) {
		static const char *const none[] = {"data_source_format",
						   "storage_location", NULL};
		const char *const *a;

		for (a = none; *a; a++)
			if (tfp_value_is_null(tfp_value_get(config, *a)))
				tfp_value_set(plan, *a,
					      tfp_value_null(call->arena,
							     &tfp_type_string));
	}
	if (!prior || !tfp_value_is_known(prior) || !tfp_value_is_known(plan))
		return TFP_OK;
	pcols = tfp_value_get(prior, "column");
	cols = tfp_value_get(plan, "column");
	if (!tfp_value_is_known(cols) || !tfp_value_is_known(pcols))
		return TFP_OK;
	/* Terraform takes a planned value other than the configuration's
	 * only when it is the prior value at the same path: the column at
	 * the same index, of the same name. */
	for (i = 0; i < cols->u.coll.n && i < pcols->u.coll.n; i++) {
		struct tfp_value *c = cols->u.coll.items[i];
		const struct tfp_value *pc = pcols->u.coll.items[i];
		const char *old, *now;

		if (!tfp_value_is_known(c) || !tfp_value_is_known(pc) ||
		    !tfp_value_equal(tfp_value_get(c, "name"),
				     tfp_value_get(pc, "name")))
			continue;
		old = tfp_value_get_string(pc, "type");
		now = tfp_value_get_string(c, "type");
		if (old && now && strcmp(old, now) != 0 && same_type(old, now))
			tfp_value_set_string(call->arena, c, "type", old);
	}
	if (!is_view(plan) && table_check_columns(call, pcols, cols) < 0)
		return TFP_ERROR;
	for (i = 0; i < cols->u.coll.n; i++) {
		struct tfp_value *c = cols->u.coll.items[i];
		const struct tfp_value *pc =
			i < pcols->u.coll.n ? pcols->u.coll.items[i] : NULL;

		if (tfp_value_is_known(c) && (!pc || !tfp_value_is_known(pc) ||
					      !table_same_column(c, pc)))
			tfp_value_set(c, "type_json",
				      tfp_value_unknown(call->arena,
							&tfp_type_string));
	}
	return TFP_OK;
}

/* warehouse_id and cluster_id exclude each other, as in the official
 * provider. */
static int table_validate(struct tfp_call *call, const struct tfp_value *config)
{
	const struct tfp_value *w = tfp_value_get(config, "warehouse_id");
	const struct tfp_value *c = tfp_value_get(config, "cluster_id");

	if (w && !tfp_value_is_null(w) && c && !tfp_value_is_null(c))
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "warehouse_id"),
			"Conflicting arguments",
			"warehouse_id and cluster_id cannot both be set.");
	return TFP_OK;
}

/* --- handlers ------------------------------------------------------------- */

/* A table's new columns (those not in pcols, which may be NULL) need a
 * type for their DDL: an error at the first without. */
static int table_check_typed(struct tfp_call *call,
			     const struct tfp_value *plan,
			     const struct tfp_value *pcols)
{
	const struct tfp_value *cols = tfp_value_get(plan, "column");
	size_t i;

	if (is_view(plan) || !tfp_value_is_known(cols))
		return TFP_OK;
	for (i = 0; i < cols->u.coll.n; i++) {
		const struct tfp_value *c = cols->u.coll.items[i];
		const char *name = tfp_value_get_string(c, "name");

		if (tfp_value_get_string(c, "type") ||
		    (pcols && column_named(pcols, name)))
			continue;
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(
				call->arena,
				tfp_path_index(call->arena,
					       tfp_path_attr(call->arena, NULL,
							     "column"),
					       (int64_t)i),
				"type"),
			"Missing column type",
			"Column %s is new: its DDL needs a type.",
			name ? name : "?");
	}
	return TFP_OK;
}

/* The state of table id after a write; *out is set even on failure, for
 * the object exists. */
static int table_read_back(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_value *plan, const char *id)
{
	const struct tfp_rres *d = call->data;
	cJSON *json = NULL;
	int error = tfp_rres_get(&json, call, d, id, TFP_RRES_FRESH);

	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call,
				      "The table %s is not there after its DDL "
				      "ran.",
				      id);
	if (error == TFP_OK)
		error = tfp_rres_state(out, call, d, plan->type, json, plan);
	if (error < 0)
		tfp_rres__keep(out, call, d, json, plan, id);
	return error;
}

static int table_create(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *plan)
{
	const char *id =
		tfp_arena_printf(call->arena, "%s.%s.%s",
				 tfp_value_get_string(plan, "catalog_name"),
				 tfp_value_get_string(plan, "schema_name"),
				 tfp_value_get_string(plan, "name"));
	const char *owner = tfp_value_get_string(plan, "owner");
	const char *warehouse;
	int error;

	*out = NULL;
	error = table_check_typed(call, plan, NULL);
	if (error == TFP_OK)
		error = table_warehouse(&warehouse, call, plan);
	if (error == TFP_OK)
		error = sql_run(call, warehouse, sql_create(call->arena, plan),
				false);
	/* The statement may have run although its answer was lost: a table
	 * that is there now is this one (the name was free, or CREATE would
	 * have failed), and is adopted rather than made twice. */
	if (error == TFP_EUNCERTAIN) {
		cJSON *json = NULL;

		if (tfp_rres_get(&json, call, call->data, id, TFP_RRES_FRESH) ==
		    TFP_OK) {
			tfp_diags_drop_last(call->diags);
			error = TFP_OK;
		}
	}
	if (error < 0)
		return error;
	/* From here the table exists: every failure still returns it. */
	if (owner && *owner) {
		error = table_set_owner(call, id, owner);
		if (error < 0) {
			tfp_rres__keep(out, call, call->data, NULL, plan, id);
			return error;
		}
	}
	return table_read_back(out, call, plan, id);
}

static int table_update(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior,
			const struct tfp_value *plan)
{
	const char *id = tfp_value_get_string(prior, "id");
	const char *owner = tfp_value_get_string(plan, "owner");
	const char *warehouse = NULL;
	struct stmts todo = {NULL, 0};
	size_t i;
	int error = TFP_OK;

	*out = NULL;
	error = table_check_typed(call, plan, tfp_value_get(prior, "column"));
	if (error < 0) {
		tfp_rres__keep(out, call, call->data, NULL, prior, id);
		return error;
	}
	sql_diff(call->arena, &todo, prior, plan);
	if (todo.n)
		error = table_warehouse(&warehouse, call, plan);
	for (i = 0; error == TFP_OK && i < todo.n; i++)
		error = sql_run(call, warehouse, todo.items[i], false);
	/* The owner last and alone: giving the table away first could take
	 * the right to make the other changes. */
	if (error == TFP_OK && owner && *owner && changed(prior, plan, "owner"))
		error = table_set_owner(call, id, owner);
	if (error < 0) {
		/* Some statements may have run: the state says what is, as
		 * far as a read tells. */
		cJSON *json = NULL;

		if (todo.n > 0 &&
		    tfp_rres_get(&json, call, call->data, id, TFP_RRES_FRESH) ==
			    TFP_OK &&
		    tfp_rres_state(out, call, call->data, prior->type, json,
				   prior) == TFP_OK)
			return error;
		tfp_rres__keep(out, call, call->data, NULL, prior, id);
		return error;
	}
	return table_read_back(out, call, plan, id);
}

static int table_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	struct sql q = {call->arena, NULL, 0, 0};
	const char *warehouse;
	int error = table_warehouse(&warehouse, call, prior);

	if (error < 0)
		return error;
	sql_puts(&q, is_view(prior) ? "DROP VIEW " : "DROP TABLE ");
	sql_name(&q, prior);
	error = sql_run(call, warehouse, q.s, true);
	return error == TFP_ENOTFOUND ? TFP_OK : error;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres table_rres = {
	.what = "table",
	.attrs = table_attrs,
	.blocks = table_blocks,
	.id = "{catalog_name}.{schema_name}.{name}",
	.import_form = "<catalog_name>.<schema_name>.<name>",
	.read = { .path = TFP_UC_API "/tables/{id}" },
	.folded = table_folded,
	.slashed = table_slashed,
	.normalize = table_normalize,
	.modify_plan = table_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_sql_table = {
	.type_name = "databricks_sql_table",
	.attrs = table_attrs,
	.blocks = table_blocks,
	.desc = "A Unity Catalog table (MANAGED or EXTERNAL) or view, made "
		"and changed by SQL DDL on a SQL warehouse. Columns, comment, "
		"properties, clustering, a view's query and an external "
		"table's location change in place.",
	.create = table_create,
	.read = tfp_rres_read,
	.update = table_update,
	.delete = table_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.validate = table_validate,
	.data = &table_rres,
};
