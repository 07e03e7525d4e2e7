/*
 * Unit tests for the emulated Statement Execution API
 * (emulator/sql/statements.c) and the table DDL it runs
 * (emulator/catalog/uc_ddl.c), driven through the router: the request's
 * checks, the wait on a stopped warehouse, CREATE / ALTER / COMMENT ON /
 * DROP of tables and views as the Tables API then shows them, the error
 * classes of failed statements, and hostile statement text (unterminated
 * quotes and comments, deep nesting, huge identifiers and statements,
 * garbage) that must fail cleanly and leave the metastore as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-sql-test"
#define EMU_TEST_UC
#include "emu_test.h"

#define STATEMENTS "/api/2.0/sql/statements"

/* A warehouse, RUNNING. */
static char *make_warehouse(struct emu_workspace *ws)
{
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.0/sql/warehouses",
			"{\"name\":\"w\",\"cluster_size\":\"2X-Small\"}");
	char *id = emu_xstrdup(emu_test_str(r.json, "id"));

	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, 5000);
	return id;
}

static void make_schema(struct emu_workspace *ws)
{
	create_credential(ws, "cred");
	create_location(ws, "loc", "s3://bucket/data", "cred");
	create_catalog(ws, "cat");
	ok(ws, "POST", UC "/schemas",
	   "{\"name\":\"s\",\"catalog_name\":\"cat\"}");
}

/* Runs sql (wait 10s) on wh; the answer, HTTP 200. */
static struct emu_test_result run_sql(struct emu_workspace *ws, const char *wh,
				      const char *sql)
{
	cJSON *body = cJSON_CreateObject();
	struct emu_test_result r;
	char *text;

	cJSON_AddStringToObject(body, "warehouse_id", wh);
	cJSON_AddStringToObject(body, "statement", sql);
	cJSON_AddStringToObject(body, "catalog", "cat");
	cJSON_AddStringToObject(body, "schema", "s");
	text = cJSON_PrintUnformatted(body);
	r = call(ws, "POST", STATEMENTS, text);
	free(text);
	cJSON_Delete(body);
	assert_int_equal(r.status, 200);
	return r;
}

static const char *state_of(const cJSON *answer)
{
	return emu_test_str(cJSON_GetObjectItem(answer, "status"), "state");
}

/* sql SUCCEEDED. */
static void sql_ok(struct emu_workspace *ws, const char *wh, const char *sql)
{
	struct emu_test_result r = run_sql(ws, wh, sql);

	if (strcmp(state_of(r.json), "SUCCEEDED") != 0)
		fail_msg("%s: %s", sql, r.text);
	emu_test_result_dispose(&r);
}

/* sql FAILED with a message starting with class. */
static void sql_fails(struct emu_workspace *ws, const char *wh, const char *sql,
		      const char *class)
{
	struct emu_test_result r = run_sql(ws, wh, sql);
	const cJSON *err = emu_test_member(r.json, "status.error");

	if (strcmp(state_of(r.json), "FAILED") != 0 ||
	    strncmp(emu_test_str(err, "message"), class, strlen(class)) != 0 ||
	    !emu_test_str(err, "error_code"))
		fail_msg("%.200s: %.400s", sql, r.text);
	emu_test_result_dispose(&r);
}

/* The columns of table full as "name:type:nullable,...". */
static char *columns_of(struct emu_workspace *ws, const char *full)
{
	char *target = emu_printf(UC "/tables/%s", full);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	const cJSON *c;
	char *out = emu_xstrdup("");

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(r.json, "columns"))
	{
		char *next = emu_printf(
			"%s%s%s:%s:%d", out, *out ? "," : "",
			emu_test_str(c, "name"), emu_test_str(c, "type_text"),
			cJSON_IsTrue(cJSON_GetObjectItem(c, "nullable")));

		free(out);
		out = next;
	}
	emu_test_result_dispose(&r);
	free(target);
	return out;
}

static void expect_columns(struct emu_workspace *ws, const char *full,
			   const char *want)
{
	char *got = columns_of(ws, full);

	assert_string_equal(got, want);
	free(got);
}

static void test_emu_sql_statements__request(void **state)
{
	struct emu_workspace *ws = *state;
	char *wh = make_warehouse(ws);
	char *body;
	struct emu_test_result r;

	invalid(ws, "POST", STATEMENTS, "{\"warehouse_id\":\"x\"}",
		"statement");
	fails(ws, "POST", STATEMENTS,
	      "{\"warehouse_id\":\"nope\",\"statement\":\"DROP TABLE t\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);
	body = emu_printf("{\"warehouse_id\":\"%s\",\"statement\":\"DROP TABLE "
			  "t\",\"wait_timeout\":\"%s\"}",
			  wh, "3s");
	invalid(ws, "POST", STATEMENTS, body, "wait_timeout");
	free(body);
	body = emu_printf("{\"warehouse_id\":\"%s\",\"statement\":\"DROP TABLE "
			  "t\",\"wait_timeout\":\"51s\"}",
			  wh);
	invalid(ws, "POST", STATEMENTS, body, "wait_timeout");
	free(body);
	body = emu_printf("{\"warehouse_id\":\"%s\",\"statement\":\"DROP TABLE "
			  "t\",\"format\":\"ARROW_STREAM\"}",
			  wh);
	invalid(ws, "POST", STATEMENTS, body, "ARROW_STREAM");
	free(body);
	body = emu_printf("{\"warehouse_id\":\"%s\",\"statement\":\"\"}", wh);
	invalid(ws, "POST", STATEMENTS, body, "empty");
	free(body);
	fails(ws, "GET", STATEMENTS "/nope", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);

	/* A failed statement is HTTP 200 with its error; GET answers the
	 * same. */
	r = run_sql(ws, wh, "DROP TABLE cat.s.t");
	assert_string_equal(state_of(r.json), "FAILED");
	{
		char *target = emu_printf(STATEMENTS "/%s",
					  emu_test_str(r.json, "statement_id"));
		struct emu_test_result g = call_ok(ws, "GET", target, NULL);

		assert_string_equal(state_of(g.json), "FAILED");
		emu_test_result_dispose(&g);
		free(target);
	}
	emu_test_result_dispose(&r);
	free(wh);
}

/* A stopped warehouse is started; with no wait the statement is PENDING
 * and runs once the warehouse does; with CANCEL it is CANCELED. */
static void test_emu_sql_statements__wait(void **state)
{
	struct emu_workspace *ws = *state;
	char *wh = make_warehouse(ws), *target, *body;
	struct emu_test_result r, g;

	make_schema(ws);
	target = emu_printf("/api/2.0/sql/warehouses/%s/stop", wh);
	ok(ws, "POST", target, "{}");
	free(target);
	emu_workspace_advance_clock(ws, 2000);
	body = emu_printf("{\"warehouse_id\":\"%s\",\"statement\":\"CREATE "
			  "TABLE cat.s.t (a INT)\",\"wait_timeout\":\"0s\"}",
			  wh);
	r = call_ok(ws, "POST", STATEMENTS, body);
	free(body);
	assert_string_equal(state_of(r.json), "PENDING");
	target = emu_printf(STATEMENTS "/%s",
			    emu_test_str(r.json, "statement_id"));
	g = call_ok(ws, "GET", target, NULL);
	assert_string_equal(state_of(g.json), "PENDING");
	emu_test_result_dispose(&g);
	emu_workspace_advance_clock(ws, 5000);
	g = call_ok(ws, "GET", target, NULL);
	assert_string_equal(state_of(g.json), "SUCCEEDED");
	assert_non_null(emu_test_member(g.json, "manifest.schema"));
	emu_test_result_dispose(&g);
	expect_columns(ws, "cat.s.t", "a:int:1");
	free(target);
	emu_test_result_dispose(&r);

	/* Stopped again: a 5s wait is shorter than the start, CANCEL. */
	target = emu_printf("/api/2.0/sql/warehouses/%s/stop", wh);
	ok(ws, "POST", target, "{}");
	free(target);
	emu_workspace_advance_clock(ws, 2000);
	body = emu_printf("{\"warehouse_id\":\"%s\",\"statement\":\"DROP "
			  "TABLE cat.s.t\",\"wait_timeout\":\"5s\","
			  "\"on_wait_timeout\":\"CANCEL\"}",
			  wh);
	r = call_ok(ws, "POST", STATEMENTS, body);
	free(body);
	/* The start takes 3 s, within the 5 s wait: done. */
	assert_string_equal(state_of(r.json), "SUCCEEDED");
	emu_test_result_dispose(&r);
	free(wh);
}

static void test_emu_sql_statements__tables(void **state)
{
	struct emu_workspace *ws = *state;
	char *wh = make_warehouse(ws);
	struct emu_test_result r;
	const cJSON *col;

	make_schema(ws);
	sql_ok(ws, wh,
	       "CREATE TABLE `cat`.`s`.`People` (id BIGINT GENERATED ALWAYS "
	       "AS IDENTITY NOT NULL, `na``me` STRING COMMENT 'it\\'s', "
	       "n INTEGER, d DEC(5, 2))\n"
	       "USING delta CLUSTER BY (id) COMMENT 'who' -- a comment\n"
	       "TBLPROPERTIES ('team'='hr', delta.appendOnly = true);");
	expect_columns(ws, "cat.s.people",
		       "id:bigint:0,na`me:string:1,n:int:1,d:decimal(5,2):1");
	r = call_ok(ws, "GET", UC "/tables/cat.s.people", NULL);
	assert_string_equal(emu_test_str(r.json, "table_type"), "MANAGED");
	assert_string_equal(emu_test_str(r.json, "data_source_format"),
			    "DELTA");
	assert_string_equal(emu_test_str(r.json, "comment"), "who");
	assert_string_equal(
		emu_test_member(r.json, "properties.team")->valuestring, "hr");
	col = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "columns"), 0);
	assert_non_null(strstr(emu_test_str(col, "type_json"),
			       "\"delta.identity.allowExplicitInsert\":false"));
	col = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "columns"), 1);
	assert_string_equal(emu_test_str(col, "comment"), "it's");
	emu_test_result_dispose(&r);

	sql_fails(ws, wh, "CREATE TABLE cat.s.people (a INT)",
		  "[TABLE_OR_VIEW_ALREADY_EXISTS]");
	sql_ok(ws, wh, "CREATE TABLE IF NOT EXISTS cat.s.people (a INT)");
	sql_fails(ws, wh, "CREATE TABLE cat.nope.t (a INT)",
		  "[SCHEMA_NOT_FOUND]");
	sql_fails(ws, wh, "CREATE TABLE nope.s.t (a INT)",
		  "[NO_SUCH_CATALOG_EXCEPTION]");
	sql_fails(ws, wh, "CREATE TABLE t (a INT, A STRING)",
		  "[COLUMN_ALREADY_EXISTS]");
	sql_fails(ws, wh, "CREATE TABLE t (a INT) COMMENT 'x' COMMENT 'y'",
		  "[DUPLICATE_CLAUSES]");
	sql_fails(ws, wh, "CREATE TABLE t (a INT) PARTITIONED BY (b)",
		  "[COLUMN_NOT_DEFINED_IN_TABLE]");

	/* Columns: added where asked, dropped only with column mapping. */
	sql_ok(ws, wh, "ALTER TABLE people ADD COLUMNS (x INT, y STRING)");
	sql_ok(ws, wh, "ALTER TABLE people ADD COLUMN z long FIRST");
	sql_ok(ws, wh, "ALTER TABLE people ADD COLUMN w int AFTER id");
	expect_columns(ws, "cat.s.people",
		       "z:bigint:1,id:bigint:0,w:int:1,na`me:string:1,n:int:1,"
		       "d:decimal(5,2):1,x:int:1,y:string:1");
	sql_fails(ws, wh, "ALTER TABLE people ADD COLUMN x INT",
		  "[FIELDS_ALREADY_EXISTS]");
	sql_fails(ws, wh, "ALTER TABLE people DROP COLUMN IF EXISTS (x)",
		  "[DELTA_UNSUPPORTED_DROP_COLUMN]");
	sql_fails(ws, wh, "ALTER TABLE people RENAME COLUMN x TO xx",
		  "[DELTA_UNSUPPORTED_RENAME_COLUMN]");
	sql_ok(ws, wh,
	       "ALTER TABLE people SET TBLPROPERTIES "
	       "('delta.columnMapping.mode' = 'name')");
	sql_ok(ws, wh, "ALTER TABLE people DROP COLUMN IF EXISTS (x, nope)");
	sql_ok(ws, wh, "ALTER TABLE people DROP COLUMNS z, w");
	sql_fails(ws, wh, "ALTER TABLE people DROP COLUMN nope",
		  "[UNRESOLVED_COLUMN");
	sql_ok(ws, wh, "ALTER TABLE people RENAME COLUMN y TO why");
	sql_ok(ws, wh, "ALTER TABLE people ALTER COLUMN why SET NOT NULL");
	sql_ok(ws, wh, "ALTER TABLE people CHANGE COLUMN n COMMENT 'count'");
	expect_columns(ws, "cat.s.people",
		       "id:bigint:0,na`me:string:1,n:int:1,d:decimal(5,2):1,"
		       "why:string:0");
	sql_ok(ws, wh, "ALTER TABLE people ALTER COLUMN why DROP NOT NULL");

	/* Properties, clustering, comment, owner. */
	sql_ok(ws, wh, "ALTER TABLE people UNSET TBLPROPERTIES ('team')");
	sql_fails(ws, wh, "ALTER TABLE people UNSET TBLPROPERTIES ('team')",
		  "[UNSET_NONEXISTENT_PROPERTIES]");
	sql_ok(ws, wh,
	       "ALTER TABLE people UNSET TBLPROPERTIES IF EXISTS ('team')");
	sql_ok(ws, wh, "ALTER TABLE people CLUSTER BY (n, d)");
	sql_fails(ws, wh, "ALTER TABLE people CLUSTER BY (nope)",
		  "[UNRESOLVED_COLUMN");
	sql_ok(ws, wh, "COMMENT ON TABLE people IS 'everyone'");
	sql_ok(ws, wh, "ALTER TABLE people OWNER TO `data eng`");
	r = call_ok(ws, "GET", UC "/tables/cat.s.people", NULL);
	assert_string_equal(emu_test_str(r.json, "comment"), "everyone");
	assert_string_equal(emu_test_str(r.json, "owner"), "data eng");
	assert_null(emu_test_member(r.json, "properties.team"));
	assert_string_equal(
		cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "cluster_keys"),
				   1)
			->valuestring,
		"d");
	emu_test_result_dispose(&r);
	sql_ok(ws, wh, "COMMENT ON TABLE people IS NULL");
	expect_field(ws, UC "/tables/cat.s.people", "comment", NULL);

	/* The Tables API PATCH changes only the owner. */
	ok(ws, "PATCH", UC "/tables/cat.s.people",
	   "{\"comment\":\"by patch\",\"columns\":[],\"owner\":\"ann\"}");
	expect_field(ws, UC "/tables/cat.s.people", "comment", NULL);
	expect_field(ws, UC "/tables/cat.s.people", "owner", "ann");

	/* External tables and views. */
	sql_ok(ws, wh,
	       "CREATE EXTERNAL TABLE ev (day DATE, body STRING) USING JSON "
	       "PARTITIONED BY (day) LOCATION 's3://bucket/data/ev' WITH "
	       "(CREDENTIAL `cred`) OPTIONS ('multiLine' = 'true')");
	expect_field(ws, UC "/tables/cat.s.ev", "table_type", "EXTERNAL");
	expect_field(ws, UC "/tables/cat.s.ev", "data_source_format", "JSON");
	sql_fails(ws, wh,
		  "CREATE TABLE far (a INT) LOCATION 's3://elsewhere/x'",
		  "[INVALID_PARAMETER_VALUE]");
	sql_ok(ws, wh, "ALTER TABLE ev SET LOCATION 's3://bucket/data/ev2'");
	expect_field(ws, UC "/tables/cat.s.ev", "storage_location",
		     "s3://bucket/data/ev2");
	sql_ok(ws, wh,
	       "CREATE VIEW v (n COMMENT 'the n') COMMENT 'a view' AS SELECT "
	       "n FROM people WHERE x = ';' ;");
	expect_field(ws, UC "/tables/cat.s.v", "view_definition",
		     "SELECT n FROM people WHERE x = ';'");
	sql_ok(ws, wh, "ALTER VIEW v AS SELECT 1");
	expect_field(ws, UC "/tables/cat.s.v", "view_definition", "SELECT 1");
	sql_ok(ws, wh, "COMMENT ON VIEW v IS 'still a view'");
	sql_fails(ws, wh, "ALTER TABLE v ADD COLUMN q INT",
		  "[EXPECT_TABLE_NOT_VIEW");
	sql_fails(ws, wh, "ALTER VIEW people AS SELECT 1",
		  "[EXPECT_VIEW_NOT_TABLE");
	sql_fails(ws, wh, "DROP TABLE v", "[WRONG_COMMAND_FOR_OBJECT_TYPE]");
	sql_ok(ws, wh, "CREATE OR REPLACE VIEW v AS SELECT 2");
	expect_field(ws, UC "/tables/cat.s.v", "view_definition", "SELECT 2");
	sql_ok(ws, wh, "DROP VIEW v");
	sql_ok(ws, wh, "DROP TABLE IF EXISTS v");
	sql_fails(ws, wh, "DROP TABLE v", "[TABLE_OR_VIEW_NOT_FOUND]");
	sql_ok(ws, wh, "DROP TABLE cat.s.ev");
	fails(ws, "GET", UC "/tables/cat.s.ev", NULL, 404,
	      "TABLE_DOES_NOT_EXIST", NULL);

	/* Anything else is a syntax error; trailing text undoes nothing
	 * and changes nothing. */
	sql_fails(ws, wh, "SELECT 1", "[PARSE_SYNTAX_ERROR]");
	sql_fails(ws, wh, "COMMENT ON TABLE people IS 'x'; DROP TABLE people",
		  "[PARSE_SYNTAX_ERROR]");
	sql_fails(ws, wh, "ALTER TABLE people ADD COLUMN q INT garbage",
		  "[PARSE_SYNTAX_ERROR]");
	expect_columns(ws, "cat.s.people",
		       "id:bigint:0,na`me:string:1,n:int:1,d:decimal(5,2):1,"
		       "why:string:1");
	free(wh);
}

/* Text made of n copies of piece between head and tail. */
static char *repeat(const char *head, const char *piece, size_t n,
		    const char *tail)
{
	size_t hl = strlen(head), pl = strlen(piece), tl = strlen(tail), i;
	char *out = emu_xmalloc(hl + pl * n + tl + 1), *p = out;

	memcpy(p, head, hl);
	p += hl;
	for (i = 0; i < n; i++, p += pl)
		memcpy(p, piece, pl);
	memcpy(p, tail, tl + 1);
	return out;
}

static void test_emu_sql_statements__hostile(void **state)
{
	static const char *const unterminated[] = {
		"CREATE TABLE t (a INT COMMENT 'never closed)",
		"CREATE TABLE t (a INT COMMENT \"never closed)",
		"CREATE TABLE `never closed (a INT)",
		"CREATE TABLE t (a INT) COMMENT 'ends in a backslash\\",
		"CREATE TABLE t /* a comment that never ends",
		"CREATE TABLE t (a struct<b:int)",
		"CREATE TABLE t (a decimal(10, 2",
		"ALTER TABLE",
		"CREATE",
		" ",
		";",
		"`",
		"'",
		"CREATE TABLE a.b.c.d (x INT)",
		"CREATE TABLE `` (x INT)",
		"CREATE TABLE t (x INT GENERATED ALWAYS AS IDENTITY (STEP 0))",
		"CREATE TABLE t (x INT) TBLPROPERTIES ('a' = )",
		"ALTER TABLE people ALTER COLUMN",
		"DROP TABLE IF",
	};
	struct emu_workspace *ws = *state;
	char *wh = make_warehouse(ws), *text;
	unsigned seed = 12345;
	size_t i, j;

	make_schema(ws);
	sql_ok(ws, wh, "CREATE TABLE people (a INT)");
	for (i = 0; i < sizeof(unterminated) / sizeof(*unterminated); i++) {
		struct emu_test_result r = run_sql(ws, wh, unterminated[i]);

		if (strcmp(state_of(r.json), "FAILED") != 0)
			fail_msg("%s: %s", unterminated[i], r.text);
		emu_test_result_dispose(&r);
	}
	/* Deep nesting: in a type (bounded), in a view's query (kept as
	 * text, not parsed), in a column list. */
	text = repeat("CREATE TABLE deep (a ", "array<", 100000, "int)");
	sql_fails(ws, wh, text, "[PARSE_SYNTAX_ERROR]");
	free(text);
	text = repeat("CREATE TABLE deep (a decimal", "(", 50000, "");
	sql_fails(ws, wh, text, "[PARSE_SYNTAX_ERROR]");
	free(text);
	text = repeat("CREATE VIEW deepv AS SELECT ", "(", 10000, "1");
	sql_ok(ws, wh, text);
	free(text);
	text = repeat("CREATE TABLE deep ", "(", 50000, "");
	sql_fails(ws, wh, text, "[PARSE_SYNTAX_ERROR]");
	free(text);
	/* Huge identifiers, strings and statements. */
	text = repeat("CREATE TABLE t", "x", 300, " (a INT)");
	sql_fails(ws, wh, text, "[INVALID_IDENTIFIER]");
	free(text);
	text = repeat("CREATE TABLE `", "y", 100000, "` (a INT)");
	sql_fails(ws, wh, text, "[INVALID_IDENTIFIER]");
	free(text);
	text = repeat("COMMENT ON TABLE people IS '", "z", 20000, "'");
	sql_fails(ws, wh, text, "[INVALID_PARAMETER_VALUE]");
	free(text);
	{
		struct emu_buf b = EMU_BUF_INIT(1 << 20);

		emu_buf_append(&b, "CREATE TABLE many (", 19);
		for (i = 0; i < 1200; i++) {
			char col[32];

			snprintf(col, sizeof(col), "c%zu INT, ", i);
			emu_buf_append(&b, col, strlen(col));
		}
		emu_buf_append(&b, "last INT)", 9);
		sql_fails(ws, wh, b.data, "A table has at most");
		emu_buf_dispose(&b);
	}
	text = repeat("DROP TABLE people ", "-", (1 << 20) + 1, "");
	{
		cJSON *body = cJSON_CreateObject();
		struct emu_test_result r;
		char *json;

		cJSON_AddStringToObject(body, "warehouse_id", wh);
		cJSON_AddStringToObject(body, "statement", text);
		json = cJSON_PrintUnformatted(body);
		r = call(ws, "POST", STATEMENTS, json);
		assert_int_equal(r.status, 400);
		emu_test_result_dispose(&r);
		free(json);
		cJSON_Delete(body);
	}
	free(text);
	text = repeat("", "a ", 60000, "");
	sql_fails(ws, wh, text, "[PARSE_SYNTAX_ERROR]");
	free(text);
	/* Garbage: printable and control bytes (no NUL), and fragments of
	 * the grammar in random order. */
	for (i = 0; i < 300; i++) {
		static const char *const words[] = {
			"CREATE ",
			"TABLE ",
			"VIEW ",
			"ALTER ",
			"DROP ",
			"COLUMN ",
			"(",
			")",
			",",
			"'x'",
			"`y`",
			"z ",
			"INT ",
			"<",
			">",
			"NOT NULL ",
			"AS ",
			"COMMENT ",
			"IF EXISTS ",
			"ADD ",
			"SET TBLPROPERTIES ",
			"=",
			".",
			";",
			"\\",
			"GENERATED ALWAYS AS IDENTITY ",
			"OR REPLACE ",
		};
		char buf[512];
		size_t n = 0, len = 1 + (seed % 60);
		struct emu_test_result r;

		for (j = 0; j < len && n < sizeof(buf) - 40; j++) {
			seed = seed * 1103515245u + 12345u;
			if (i % 2) {
				buf[n++] = (char)(1 + (seed >> 16) % 127);
			} else {
				const char *w =
					words[(seed >> 16) %
					      (sizeof(words) / sizeof(*words))];

				memcpy(buf + n, w, strlen(w));
				n += strlen(w);
			}
		}
		buf[n] = '\0';
		r = run_sql(ws, wh, buf);
		assert_non_null(state_of(r.json));
		emu_test_result_dispose(&r);
	}
	/* The table made first is still there, as it was (garbage may have
	 * made tables of its own, never changed this one's columns to
	 * anything malformed). */
	expect_field(ws, UC "/tables/cat.s.people", "name", "people");
	free(wh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_emu_sql_statements__request, emu_test_setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_sql_statements__wait,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_sql_statements__tables,
						emu_test_setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_sql_statements__hostile, emu_test_setup,
			emu_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
