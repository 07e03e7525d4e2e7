/*
 * The SQL DDL of Unity Catalog tables and views, run by the Statement
 * Execution API (sql/statements.c) against the metastore's metadata. The
 * emulator holds no data and has no query engine: this is the subset of
 * Databricks SQL that tools use to make and change tables and views, the
 * statements the official provider's databricks_sql_table emits among
 * them:
 *
 *   CREATE [OR REPLACE] [EXTERNAL] TABLE [IF NOT EXISTS] name
 *       [(col type [NOT NULL] [GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY
 *         [(START WITH n INCREMENT BY m)]] [COMMENT 'c'], ...)]
 *       [USING fmt] [PARTITIONED BY (cols)] [CLUSTER BY (cols)]
 *       [LOCATION 'url' [WITH (CREDENTIAL name)]] [COMMENT 'c']
 *       [TBLPROPERTIES (k = v, ...)] [OPTIONS (k = v, ...)]
 *   CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(col [COMMENT 'c'], ...)]
 *       [COMMENT 'c'] [TBLPROPERTIES (...)] AS query
 *   ALTER {TABLE | VIEW} name
 *       ADD COLUMN[S] (coldef, ...) | ADD COLUMN[S] coldef [FIRST | AFTER c]
 *       {ALTER | CHANGE} [COLUMN] c {COMMENT 'x' | {SET | DROP} NOT NULL}
 *       DROP COLUMN[S] [IF EXISTS] {(c, ...) | c, ...}
 *       RENAME COLUMN a TO b
 *       SET TBLPROPERTIES (...) | UNSET TBLPROPERTIES [IF EXISTS] (k, ...)
 *       CLUSTER BY {(cols) | NONE} | SET LOCATION 'url'
 *       [SET] OWNER TO principal
 *   ALTER VIEW name AS query
 *   COMMENT ON {TABLE | VIEW} name IS {'c' | NULL}
 *   DROP {TABLE | VIEW} [IF EXISTS] name
 *
 * What the service does that clients see:
 *  - identifiers are words or backticked (`a``b` is a`b); names have one
 *    to three parts, the missing ones from the statement's catalog and
 *    schema; table names are stored lower case, as Unity Catalog does;
 *  - strings are '...' or "..." with backslash escapes, and adjacent
 *    strings join;
 *  - column types are stored as type_text in lower case without white
 *    space, with Spark's aliases resolved (integer is int, long bigint,
 *    short smallint, byte tinyint, real float, dec and numeric decimal;
 *    a bare decimal is decimal(10,0));
 *  - an identity column's type_json carries Delta's metadata
 *    (delta.identity.start, .step, .allowExplicitInsert), which is how
 *    clients read identities back;
 *  - DROP COLUMN and RENAME COLUMN of a Delta table need column mapping
 *    ('delta.columnMapping.mode' = 'name' or 'id'): else the statement
 *    fails with DELTA_UNSUPPORTED_DROP_COLUMN / _RENAME_COLUMN;
 *  - failures carry Databricks' error classes ("[TABLE_OR_VIEW_NOT_FOUND]
 *    ... SQLSTATE: 42P01"); a statement outside the subset fails with
 *    PARSE_SYNTAX_ERROR at the first word the emulator does not take.
 * The emulator does not derive a view's columns from its query: a view
 * has the columns its column list names, each of type string.
 *
 * The text is untrusted: it is split into at most DDL_MAX_TOKENS tokens
 * with offsets checked against its length, nothing recurses, brackets in
 * a type nest at most DDL_MAX_DEPTH deep, and names and texts are held
 * to the catalog's bounds (UC_MAX_NAME, UC_MAX_TEXT).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "uc_ddl.h"
#include "uc_internal.h"
#include "util.h"
#include "workspace.h"

#define DDL_MAX_TOKENS 100000
#define DDL_MAX_DEPTH  64
#define DDL_MAX_PROPS  1000
/* How much of a token a syntax error quotes. */
#define DDL_QUOTE_MAX 64

extern const struct emu_module emu_module_uc;

enum tok_kind { TK_END, TK_WORD, TK_QUOTED, TK_STRING, TK_NUMBER, TK_PUNCT };

struct tok {
	enum tok_kind kind;
	size_t start, end; /* the token's bytes in the source */
	char *text;	   /* decoded: unquoted identifier, unescaped string */
};

struct ddl {
	struct emu_request *req;
	struct uc_state *st;
	const char *src;
	size_t len;
	struct tok *toks;
	size_t n, cap, pos;
	const char *catalog, *schema; /* defaults for short names */
	struct uc_ddl_error *err;
};

/* A three-part name, lower case. */
struct qname {
	char *parts[3];
};

/* --- errors --------------------------------------------------------------- */

static int fail(struct ddl *d, const char *code, const char *fmt, ...)
	EMU_PRINTF(3, 4);

static int fail(struct ddl *d, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (d->err->message)
		return -1;
	va_start(ap, fmt);
	d->err->code = code;
	d->err->message = emu_vprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/* PARSE_SYNTAX_ERROR at token t (its first bytes quoted). */
static int syntax_error(struct ddl *d, const struct tok *t)
{
	size_t n;

	if (t->kind == TK_END)
		return fail(d, "BAD_REQUEST",
			    "[PARSE_SYNTAX_ERROR] Syntax error at or near end "
			    "of input. SQLSTATE: 42601");
	n = t->end - t->start;
	if (n > DDL_QUOTE_MAX)
		n = DDL_QUOTE_MAX;
	return fail(d, "BAD_REQUEST",
		    "[PARSE_SYNTAX_ERROR] Syntax error at or near '%.*s'. "
		    "SQLSTATE: 42601",
		    (int)n, d->src + t->start);
}

static char *display(const struct qname *q)
{
	return emu_printf("`%s`.`%s`.`%s`", q->parts[0], q->parts[1],
			  q->parts[2]);
}

static int not_found(struct ddl *d, const struct qname *q)
{
	char *s = display(q);

	fail(d, "NOT_FOUND",
	     "[TABLE_OR_VIEW_NOT_FOUND] The table or view %s cannot be found. "
	     "Verify the spelling and correctness of the schema and catalog. "
	     "SQLSTATE: 42P01",
	     s);
	free(s);
	return -1;
}

/* --- the tokens ----------------------------------------------------------- */

static void push(struct ddl *d, enum tok_kind kind, size_t start, size_t end,
		 char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->toks = emu_xrealloc(d->toks, d->cap * sizeof(*d->toks));
	}
	d->toks[d->n].kind = kind;
	d->toks[d->n].start = start;
	d->toks[d->n].end = end;
	d->toks[d->n].text = text;
	d->n++;
}

static bool word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* A quoted token from src[i] (its quote q) to the closing quote: *out is
 * the text (`` and, in strings, backslash escapes decoded), *next the
 * offset after it; -1 when unterminated. */
static int lex_quoted(char **out, size_t *next, const struct ddl *d, size_t i)
{
	char q = d->src[i];
	char *buf = emu_xmalloc(d->len - i + 1);
	size_t j = i + 1, n = 0;

	while (j < d->len) {
		char c = d->src[j];

		if (c == q && q == '`' && j + 1 < d->len &&
		    d->src[j + 1] == '`') {
			buf[n++] = '`';
			j += 2;
		} else if (c == q) {
			buf[n] = '\0';
			*out = buf;
			*next = j + 1;
			return 0;
		} else if (c == '\\' && q != '`' && j + 1 < d->len) {
			char e = d->src[j + 1];

			buf[n++] = e == 'n'   ? '\n'
				   : e == 't' ? '\t'
				   : e == 'r' ? '\r'
					      : e;
			j += 2;
		} else {
			buf[n++] = c;
			j++;
		}
	}
	free(buf);
	return -1;
}

static int lex(struct ddl *d)
{
	size_t i = 0;

	while (i < d->len) {
		unsigned char c = (unsigned char)d->src[i];
		size_t start = i;
		char *text;

		if (d->n >= DDL_MAX_TOKENS)
			return fail(d, "BAD_REQUEST",
				    "[PARSE_SYNTAX_ERROR] Syntax error at or "
				    "near '%.*s': the statement is too long. "
				    "SQLSTATE: 42601",
				    1, d->src + i);
		if (isspace(c)) {
			i++;
		} else if (c == '-' && i + 1 < d->len && d->src[i + 1] == '-') {
			while (i < d->len && d->src[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < d->len && d->src[i + 1] == '*') {
			const char *e = NULL;
			size_t j;

			for (j = i + 2; j + 1 < d->len; j++)
				if (d->src[j] == '*' && d->src[j + 1] == '/') {
					e = d->src + j;
					break;
				}
			if (!e)
				return fail(
					d, "BAD_REQUEST",
					"[UNCLOSED_BRACKETED_COMMENT] Found "
					"an unclosed bracketed comment. "
					"Please, append */ at the end of "
					"the comment. SQLSTATE: 42601");
			i = (size_t)(e - d->src) + 2;
		} else if (c == '`' || c == '\'' || c == '"') {
			if (lex_quoted(&text, &i, d, i) < 0) {
				struct tok t = {TK_PUNCT, start, start + 1,
						NULL};

				return syntax_error(d, &t);
			}
			/* Adjacent strings join ('a' 'b' is 'ab'). */
			if (c != '`' && d->n &&
			    d->toks[d->n - 1].kind == TK_STRING) {
				struct tok *p = &d->toks[d->n - 1];
				char *j = emu_printf("%s%s", p->text, text);

				free(p->text);
				free(text);
				p->text = j;
				p->end = i;
				continue;
			}
			push(d, c == '`' ? TK_QUOTED : TK_STRING, start, i,
			     text);
		} else if (word_byte(c)) {
			while (i < d->len &&
			       (word_byte((unsigned char)d->src[i]) ||
				(isdigit(c) && d->src[i] == '.')))
				i++;
			push(d, isdigit(c) ? TK_NUMBER : TK_WORD, start, i,
			     emu_xmemdup0(d->src + start, i - start));
		} else {
			i++;
			push(d, TK_PUNCT, start, i,
			     emu_xmemdup0(d->src + start, 1));
		}
	}
	push(d, TK_END, d->len, d->len, NULL);
	return 0;
}

/* --- parsing helpers ------------------------------------------------------ */

static const struct tok *peek(const struct ddl *d)
{
	return &d->toks[d->pos];
}

static const struct tok *next(struct ddl *d)
{
	const struct tok *t = &d->toks[d->pos];

	if (t->kind != TK_END)
		d->pos++;
	return t;
}

static bool is_kw(const struct tok *t, const char *kw)
{
	return t->kind == TK_WORD && emu_strcaseeq(t->text, kw);
}

static bool is_punct(const struct tok *t, char c)
{
	return t->kind == TK_PUNCT && t->text[0] == c;
}

static bool accept_kw(struct ddl *d, const char *kw)
{
	if (!is_kw(peek(d), kw))
		return false;
	d->pos++;
	return true;
}

static bool accept_punct(struct ddl *d, char c)
{
	if (!is_punct(peek(d), c))
		return false;
	d->pos++;
	return true;
}

static int expect_kw(struct ddl *d, const char *kw)
{
	return accept_kw(d, kw) ? 0 : syntax_error(d, peek(d));
}

static int expect_punct(struct ddl *d, char c)
{
	return accept_punct(d, c) ? 0 : syntax_error(d, peek(d));
}

/* An identifier (a word or backticked); *out borrowed from the token. */
static int ident(const char **out, struct ddl *d)
{
	const struct tok *t = peek(d);

	*out = NULL;
	if (t->kind != TK_WORD && t->kind != TK_QUOTED)
		return syntax_error(d, t);
	if (!*t->text || strlen(t->text) > UC_MAX_NAME)
		return fail(d, "BAD_REQUEST",
			    "[INVALID_IDENTIFIER] The identifier is empty or "
			    "longer than %d characters. SQLSTATE: 42602",
			    UC_MAX_NAME);
	d->pos++;
	*out = t->text;
	return 0;
}

/* A string literal; *out borrowed. */
static int string_lit(const char **out, struct ddl *d)
{
	const struct tok *t = peek(d);

	*out = NULL;
	if (t->kind != TK_STRING)
		return syntax_error(d, t);
	if (strlen(t->text) > UC_MAX_TEXT)
		return fail(d, "BAD_REQUEST",
			    "[INVALID_PARAMETER_VALUE] A string is longer "
			    "than %d bytes. SQLSTATE: 22023",
			    UC_MAX_TEXT);
	d->pos++;
	*out = t->text;
	return 0;
}

static void qname_dispose(struct qname *q)
{
	int i;

	for (i = 0; i < 3; i++)
		free(q->parts[i]);
}

/* A name of one to three parts, completed from the defaults. */
static int qualified(struct qname *q, struct ddl *d)
{
	const char *parts[4];
	int n = 0, i;

	memset(q, 0, sizeof(*q));
	do {
		if (n == 4 || ident(&parts[n], d) < 0)
			return n == 4 ? fail(d, "BAD_REQUEST",
					     "[IDENTIFIER_TOO_MANY_NAME_PARTS] "
					     "A name has more than 3 parts. "
					     "SQLSTATE: 42601")
				      : -1;
		n++;
	} while (accept_punct(d, '.'));
	if (n == 4)
		return fail(d, "BAD_REQUEST",
			    "[IDENTIFIER_TOO_MANY_NAME_PARTS] A name has more "
			    "than 3 parts. SQLSTATE: 42601");
	q->parts[0] = uc_lower(n == 3 ? parts[0] : d->catalog);
	q->parts[1] = uc_lower(n >= 2 ? parts[n - 2] : d->schema);
	q->parts[2] = uc_lower(parts[n - 1]);
	for (i = 0; i < 3; i++)
		if (!q->parts[i])
			return fail(d, "BAD_REQUEST", "Invalid name.");
	return 0;
}

/* The schema of q, or NULL with SCHEMA_NOT_FOUND or CATALOG_NOT_FOUND. */
static struct uc_object *find_schema(struct ddl *d, const struct qname *q)
{
	struct uc_object *cat = uc_catalog_find(d->st, q->parts[0]), *s;

	if (!cat) {
		fail(d, "NOT_FOUND",
		     "[NO_SUCH_CATALOG_EXCEPTION] Catalog '%s' was not found. "
		     "Please verify the catalog name and then retry the query "
		     "or command again. SQLSTATE: 42704",
		     q->parts[0]);
		return NULL;
	}
	s = uc_list_find(&cat->schemas, q->parts[1]);
	if (!s)
		fail(d, "NOT_FOUND",
		     "[SCHEMA_NOT_FOUND] The schema `%s`.`%s` cannot be found. "
		     "Verify the spelling and correctness of the schema and "
		     "catalog. SQLSTATE: 42704",
		     q->parts[0], q->parts[1]);
	return s;
}

/* The table or view q; NULL (with TABLE_OR_VIEW_NOT_FOUND unless quiet). */
static struct uc_object *find_table(struct uc_object **schema_out,
				    struct ddl *d, const struct qname *q,
				    bool quiet)
{
	struct uc_object *s = find_schema(d, q), *t;

	if (schema_out)
		*schema_out = s;
	if (!s)
		return NULL;
	t = uc_list_find(&s->tables, q->parts[2]);
	if (!t && !quiet)
		not_found(d, q);
	return t;
}

static bool is_view(const struct uc_object *t)
{
	const char *type = emu_json_str(t->info, "table_type");

	return type && strstr(type, "VIEW") != NULL;
}

/* "(a, b, ...)" into a new array of strings. */
static int name_list(cJSON **out, struct ddl *d)
{
	cJSON *arr = cJSON_CreateArray();
	const char *name = NULL;

	*out = NULL;
	if (expect_punct(d, '(') < 0)
		goto fail;
	do {
		if (cJSON_GetArraySize(arr) >= UC_MAX_COLUMNS ||
		    ident(&name, d) < 0)
			goto fail;
		cJSON_AddItemToArray(arr, cJSON_CreateString(name));
	} while (accept_punct(d, ','));
	if (expect_punct(d, ')') < 0)
		goto fail;
	*out = arr;
	return 0;
fail:
	cJSON_Delete(arr);
	return fail(d, "BAD_REQUEST", "Invalid column list.");
}

/* A property key: 'text' or a dotted word path (delta.appendOnly). */
static int prop_key(char **out, struct ddl *d)
{
	const char *part = NULL;
	struct emu_buf b = EMU_BUF_INIT(UC_MAX_TEXT);

	*out = NULL;
	if (peek(d)->kind == TK_STRING) {
		if (string_lit(&part, d) < 0)
			return -1;
		*out = emu_xstrdup(part);
		return 0;
	}
	do {
		if (ident(&part, d) < 0 ||
		    (b.len && emu_buf_append(&b, ".", 1) < 0) ||
		    emu_buf_append(&b, part, strlen(part)) < 0) {
			emu_buf_dispose(&b);
			return fail(d, "BAD_REQUEST", "Invalid property key.");
		}
	} while (accept_punct(d, '.'));
	*out = b.data;
	return 0;
}

/* "(k = v, ...)" into a new object of strings; with keys_only
 * "(k, ...)" into an array. */
static int prop_list(cJSON **out, struct ddl *d, bool keys_only)
{
	cJSON *obj = keys_only ? cJSON_CreateArray() : cJSON_CreateObject();
	char *key = NULL;

	*out = NULL;
	if (expect_punct(d, '(') < 0)
		goto fail;
	do {
		const struct tok *v;

		if (cJSON_GetArraySize(obj) >= DDL_MAX_PROPS ||
		    prop_key(&key, d) < 0)
			goto fail;
		if (keys_only) {
			cJSON_AddItemToArray(obj, cJSON_CreateString(key));
		} else {
			accept_punct(d, '=');
			v = peek(d);
			if ((v->kind != TK_STRING && v->kind != TK_NUMBER &&
			     v->kind != TK_WORD) ||
			    strlen(v->text) > UC_MAX_TEXT) {
				syntax_error(d, v);
				goto fail;
			}
			d->pos++;
			cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
			cJSON_AddStringToObject(obj, key, v->text);
		}
		free(key);
		key = NULL;
	} while (accept_punct(d, ','));
	if (expect_punct(d, ')') < 0)
		goto fail;
	*out = obj;
	return 0;
fail:
	free(key);
	cJSON_Delete(obj);
	return fail(d, "BAD_REQUEST", "Invalid property list.");
}

/* --- columns -------------------------------------------------------------- */

/* Spark's type aliases, resolved as the service stores type_text. */
static char *type_canonical(char *text)
{
	static const char *const aliases[][2] = {
		{"integer", "int"},	  {"long", "bigint"},
		{"short", "smallint"},	  {"byte", "tinyint"},
		{"real", "float"},	  {"decimal", "decimal(10,0)"},
		{"dec", "decimal(10,0)"}, {"numeric", "decimal(10,0)"},
	};
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(text, aliases[i][0]) == 0) {
			free(text);
			return emu_xstrdup(aliases[i][1]);
		}
	if (strncmp(text, "dec(", 4) == 0 ||
	    strncmp(text, "numeric(", 8) == 0) {
		char *out = emu_printf("decimal%s", strchr(text, '('));

		free(text);
		return out;
	}
	return text;
}

/* A column type: a word, then one bracketed group ((p,s), <...>) nested
 * at most DDL_MAX_DEPTH deep; type_text in *out (caller frees). */
static int col_type(char **out, struct ddl *d)
{
	struct emu_buf b = EMU_BUF_INIT(UC_MAX_TEXT);
	const struct tok *t = peek(d);
	int depth = 0;
	char *p;

	*out = NULL;
	if (t->kind != TK_WORD)
		return syntax_error(d, t);
	emu_buf_append(&b, t->text, strlen(t->text));
	d->pos++;
	if (is_punct(peek(d), '(') || is_punct(peek(d), '<')) {
		do {
			t = next(d);
			if (t->kind == TK_END || is_punct(t, ';')) {
				emu_buf_dispose(&b);
				return syntax_error(d, t);
			}
			if (is_punct(t, '(') || is_punct(t, '<'))
				depth++;
			else if (is_punct(t, ')') || is_punct(t, '>'))
				depth--;
			if (depth > DDL_MAX_DEPTH ||
			    emu_buf_append(&b, t->text, strlen(t->text)) < 0) {
				emu_buf_dispose(&b);
				return fail(d, "BAD_REQUEST",
					    "[PARSE_SYNTAX_ERROR] The column "
					    "type is nested too deep or too "
					    "long. SQLSTATE: 42601");
			}
		} while (depth > 0);
	}
	for (p = b.data; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*out = type_canonical(b.data);
	return 0;
}

/* The Spark StructField of a column, with Delta's identity metadata. */
static void col_type_json(cJSON *col, const cJSON *identity)
{
	cJSON *tj = cJSON_CreateObject();
	char *txt;

	cJSON_AddStringToObject(tj, "name", emu_json_str(col, "name"));
	cJSON_AddStringToObject(tj, "type", emu_json_str(col, "type_text"));
	cJSON_AddBoolToObject(
		tj, "nullable",
		cJSON_IsTrue(cJSON_GetObjectItem(col, "nullable")));
	cJSON_AddItemToObject(tj, "metadata",
			      identity ? cJSON_Duplicate(identity, 1)
				       : cJSON_CreateObject());
	txt = cJSON_PrintUnformatted(tj);
	cJSON_DeleteItemFromObjectCaseSensitive(col, "type_json");
	cJSON_AddStringToObject(col, "type_json", txt);
	free(txt);
	cJSON_Delete(tj);
}

/* GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(START WITH n INCREMENT
 * BY m)], after GENERATED: Delta's metadata in *out. */
static int identity_clause(cJSON **out, struct ddl *d)
{
	bool always = accept_kw(d, "ALWAYS");
	double start = 1, step = 1;

	*out = NULL;
	if (!always && (expect_kw(d, "BY") < 0 || expect_kw(d, "DEFAULT") < 0))
		return -1;
	if (expect_kw(d, "AS") < 0 || expect_kw(d, "IDENTITY") < 0)
		return -1;
	if (accept_punct(d, '(')) {
		while (!accept_punct(d, ')')) {
			double *dst;

			if (accept_kw(d, "START") && expect_kw(d, "WITH") == 0)
				dst = &start;
			else if (accept_kw(d, "INCREMENT") &&
				 expect_kw(d, "BY") == 0)
				dst = &step;
			else
				return syntax_error(d, peek(d));
			accept_punct(d, '-') ? (void)(*dst = -1)
					     : (void)(*dst = 1);
			if (peek(d)->kind != TK_NUMBER)
				return syntax_error(d, peek(d));
			*dst *= strtod(next(d)->text, NULL);
		}
		if (step == 0)
			return fail(d, "BAD_REQUEST",
				    "[DELTA_IDENTITY_COLUMNS_ILLEGAL_STEP] "
				    "IDENTITY column step cannot be 0. "
				    "SQLSTATE: 42611");
	}
	*out = cJSON_CreateObject();
	cJSON_AddNumberToObject(*out, "delta.identity.start", start);
	cJSON_AddNumberToObject(*out, "delta.identity.step", step);
	cJSON_AddBoolToObject(*out, "delta.identity.allowExplicitInsert",
			      !always);
	return 0;
}

/*
 * A column definition: name, then (typed) a type, then NOT NULL,
 * GENERATED ... AS IDENTITY and COMMENT in any order. A view's column
 * (typed false) has a name and a COMMENT only, and is recorded as a
 * string (the emulator does not type queries).
 */
static int col_def(cJSON **out, struct ddl *d, bool typed)
{
	const char *name = NULL, *comment = NULL;
	char *type = NULL;
	cJSON *col, *identity = NULL;
	bool nullable = true;

	*out = NULL;
	if (ident(&name, d) < 0 || (typed && col_type(&type, d) < 0))
		return -1;
	for (;;) {
		if (typed && accept_kw(d, "NOT")) {
			if (expect_kw(d, "NULL") < 0)
				goto fail;
			nullable = false;
		} else if (typed && accept_kw(d, "GENERATED")) {
			if (identity || identity_clause(&identity, d) < 0)
				goto fail;
		} else if (accept_kw(d, "COMMENT")) {
			if (string_lit(&comment, d) < 0)
				goto fail;
		} else {
			break;
		}
	}
	col = cJSON_CreateObject();
	cJSON_AddStringToObject(col, "name", name);
	cJSON_AddStringToObject(col, "type_text", type ? type : "string");
	cJSON_AddBoolToObject(col, "nullable", nullable);
	if (comment && *comment)
		cJSON_AddStringToObject(col, "comment", comment);
	col_type_json(col, identity);
	cJSON_Delete(identity);
	free(type);
	*out = col;
	return 0;
fail:
	cJSON_Delete(identity);
	free(type);
	return -1;
}

/* The index of column name in cols (without regard to case), or -1. */
static int col_index(const cJSON *cols, const char *name)
{
	const cJSON *c;
	int i = 0;

	cJSON_ArrayForEach(c, cols)
	{
		if (emu_strcaseeq(emu_json_str(c, "name"), name))
			return i;
		i++;
	}
	return -1;
}

/* Stores cols (taken) as t's columns, positions renumbered. */
static int set_columns(struct ddl *d, struct uc_object *t, cJSON *cols)
{
	struct emu_response r;
	cJSON *stored;

	emu_response_init(&r);
	stored = uc_table_columns(cols, &r);
	cJSON_Delete(cols);
	if (!stored) {
		fail(d, "BAD_REQUEST", "[INVALID_PARAMETER_VALUE] %s",
		     emu_json_str(r.body, "message"));
		emu_response_dispose(&r);
		return -1;
	}
	emu_response_dispose(&r);
	cJSON_DeleteItemFromObjectCaseSensitive(t->info, "columns");
	cJSON_AddItemToObject(t->info, "columns", stored);
	return 0;
}

static cJSON *columns_copy(const struct uc_object *t)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(t->info, "columns");

	return cJSON_IsArray(c) ? cJSON_Duplicate(c, 1) : cJSON_CreateArray();
}

static int no_column(struct ddl *d, const char *name)
{
	return fail(d, "BAD_REQUEST",
		    "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, "
		    "variable, or function parameter with name `%s` cannot "
		    "be resolved. SQLSTATE: 42703",
		    name);
}

/* --- CREATE --------------------------------------------------------------- */

/* Runs a Tables API handler of uc_objects.c with args as its body, so a
 * table made by DDL is made as the API makes one. */
static int uc_call(struct ddl *d,
		   void (*fn)(struct emu_request *, struct emu_response *),
		   cJSON *args)
{
	struct emu_request sub = *d->req;
	struct emu_response r;
	char post[] = "POST";
	int rc = 0;

	sub.method = post;
	sub.json = args;
	sub.state = d->st;
	sub.nparams = 0;
	emu_response_init(&r);
	fn(&sub, &r);
	if (r.status != 200)
		rc = fail(d, r.status == 404 ? "NOT_FOUND" : "BAD_REQUEST",
			  "[INVALID_PARAMETER_VALUE] %s SQLSTATE: 22023",
			  emu_json_str(r.body, "message")
				  ? emu_json_str(r.body, "message")
				  : "The table cannot be created.");
	emu_response_dispose(&r);
	return rc;
}

static int dup_clause(struct ddl *d, const char *what)
{
	return fail(d, "BAD_REQUEST",
		    "[DUPLICATE_CLAUSES] Found duplicate clauses: %s. Please, "
		    "remove one of them. SQLSTATE: 42614",
		    what);
}

/* The query of a view: the rest of the statement, trailing ';' and
 * white space aside. */
static char *rest_text(struct ddl *d)
{
	size_t a = peek(d)->start, b = d->len;

	while (b > a &&
	       (isspace((unsigned char)d->src[b - 1]) || d->src[b - 1] == ';'))
		b--;
	d->pos = d->n - 1;
	return emu_xmemdup0(d->src + a, b - a);
}

static int create(struct ddl *d, bool replace, bool external, bool view)
{
	struct qname q;
	struct uc_object *schema, *old = NULL;
	cJSON *args = cJSON_CreateObject(), *cols = NULL, *x;
	const char *s;
	bool if_not_exists = false;
	int rc = -1;

	if (accept_kw(d, "IF")) {
		if (expect_kw(d, "NOT") < 0 || expect_kw(d, "EXISTS") < 0)
			goto done_args;
		if_not_exists = true;
	}
	if (qualified(&q, d) < 0)
		goto done;
	if (accept_punct(d, '(')) {
		cols = cJSON_CreateArray();
		cJSON_AddItemToObject(args, "columns", cols);
		do {
			if (cJSON_GetArraySize(cols) >= UC_MAX_COLUMNS)
				goto too_many;
			if (col_def(&x, d, !view) < 0)
				goto done;
			if (col_index(cols, emu_json_str(x, "name")) >= 0) {
				fail(d, "BAD_REQUEST",
				     "[COLUMN_ALREADY_EXISTS] The column `%s` "
				     "already exists. Choose another name or "
				     "rename the existing column. "
				     "SQLSTATE: 42711",
				     emu_json_str(x, "name"));
				cJSON_Delete(x);
				goto done;
			}
			cJSON_AddItemToArray(cols, x);
		} while (accept_punct(d, ','));
		if (expect_punct(d, ')') < 0)
			goto done;
	}
	for (;;) {
		const struct tok *t = peek(d);

		if (t->kind == TK_END || is_punct(t, ';'))
			break;
		if (!view && accept_kw(d, "USING")) {
			if (cJSON_HasObjectItem(args, "data_source_format"))
				goto dup;
			if (ident(&s, d) < 0)
				goto done;
			x = cJSON_AddStringToObject(args, "data_source_format",
						    s);
			for (char *p = x->valuestring; *p; p++)
				*p = (char)toupper((unsigned char)*p);
		} else if (!view && accept_kw(d, "PARTITIONED")) {
			if (cJSON_HasObjectItem(args, "partitions"))
				goto dup;
			if (expect_kw(d, "BY") < 0 || name_list(&x, d) < 0)
				goto done;
			cJSON_AddItemToObject(args, "partitions", x);
		} else if (!view && accept_kw(d, "CLUSTER")) {
			if (cJSON_HasObjectItem(args, "cluster_keys"))
				goto dup;
			if (expect_kw(d, "BY") < 0 || name_list(&x, d) < 0)
				goto done;
			cJSON_AddItemToObject(args, "cluster_keys", x);
		} else if (!view && accept_kw(d, "LOCATION")) {
			if (cJSON_HasObjectItem(args, "storage_location"))
				goto dup;
			if (string_lit(&s, d) < 0)
				goto done;
			cJSON_AddStringToObject(args, "storage_location", s);
			if (accept_kw(d, "WITH") &&
			    (expect_punct(d, '(') < 0 ||
			     expect_kw(d, "CREDENTIAL") < 0 ||
			     ident(&s, d) < 0 || expect_punct(d, ')') < 0))
				goto done;
		} else if (accept_kw(d, "COMMENT")) {
			if (cJSON_HasObjectItem(args, "comment"))
				goto dup;
			if (string_lit(&s, d) < 0)
				goto done;
			cJSON_AddStringToObject(args, "comment", s);
		} else if (accept_kw(d, "TBLPROPERTIES")) {
			if (cJSON_HasObjectItem(args, "properties"))
				goto dup;
			if (prop_list(&x, d, false) < 0)
				goto done;
			cJSON_AddItemToObject(args, "properties", x);
		} else if (!view && accept_kw(d, "OPTIONS")) {
			/* Kept nowhere the Tables API shows. */
			if (prop_list(&x, d, false) < 0)
				goto done;
			cJSON_Delete(x);
		} else if (view && accept_kw(d, "AS")) {
			char *query = rest_text(d);

			cJSON_AddStringToObject(args, "view_definition", query);
			free(query);
			if (!*emu_json_str(args, "view_definition")) {
				syntax_error(d, peek(d));
				goto done;
			}
			break;
		} else {
			syntax_error(d, t);
			goto done;
		}
	}
	accept_punct(d, ';');
	if (peek(d)->kind != TK_END) {
		syntax_error(d, peek(d));
		goto done;
	}
	if (view && !cJSON_HasObjectItem(args, "view_definition")) {
		syntax_error(d, peek(d));
		goto done;
	}
	/* Partition and clustering columns must be columns of the table. */
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(args, "partitions"))
	{
		if (cols && col_index(cols, x->valuestring) < 0) {
			char *n = display(&q);

			fail(d, "BAD_REQUEST",
			     "[COLUMN_NOT_DEFINED_IN_TABLE] partition column "
			     "`%s` is not defined in table %s. SQLSTATE: 42703",
			     x->valuestring, n);
			free(n);
			goto done;
		}
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(args, "cluster_keys"))
	{
		if (cols && col_index(cols, x->valuestring) < 0) {
			no_column(d, x->valuestring);
			goto done;
		}
	}
	schema = find_schema(d, &q);
	if (!schema)
		goto done;
	old = uc_list_find(&schema->tables, q.parts[2]);
	if (old && if_not_exists) {
		rc = 0;
		goto done;
	}
	if (old && !replace) {
		fail(d, "ALREADY_EXISTS",
		     "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or "
		     "view `%s`.`%s` because it already exists. Choose a "
		     "different name, drop or replace the existing object, or "
		     "add the IF NOT EXISTS clause to tolerate pre-existing "
		     "objects. SQLSTATE: 42P07",
		     q.parts[1], q.parts[2]);
		goto done;
	}
	cJSON_AddStringToObject(args, "catalog_name", q.parts[0]);
	cJSON_AddStringToObject(args, "schema_name", q.parts[1]);
	cJSON_AddStringToObject(args, "name", q.parts[2]);
	cJSON_AddStringToObject(
		args, "table_type",
		view ? "VIEW"
		: external || cJSON_HasObjectItem(args, "storage_location")
			? "EXTERNAL"
			: "MANAGED");
	/* OR REPLACE: the old one goes, and comes back if the new one
	 * cannot be made. */
	if (old)
		old = uc_list_take(&schema->tables,
				   uc_list_index(&schema->tables, q.parts[2]));
	rc = uc_call(d, uc_tables_create, args);
	if (old) {
		if (rc < 0)
			uc_list_insert(&schema->tables, old);
		else
			uc_object_free(old);
	}
	goto done;
too_many:
	fail(d, "BAD_REQUEST", "A table has at most %d columns.",
	     UC_MAX_COLUMNS);
	goto done;
dup:
	dup_clause(d, d->toks[d->pos - 1].text);
done:
	qname_dispose(&q);
done_args:
	cJSON_Delete(args);
	return rc;
}

/* --- ALTER ---------------------------------------------------------------- */

/* DROP and RENAME COLUMN need Delta's column mapping. */
static int need_mapping(struct ddl *d, const struct uc_object *t,
			const char *what)
{
	const char *mode = emu_json_str(
		cJSON_GetObjectItemCaseSensitive(t->info, "properties"),
		"delta.columnMapping.mode");
	const char *fmt = emu_json_str(t->info, "data_source_format");

	if (fmt && !emu_strcaseeq(fmt, "DELTA"))
		return fail(d, "BAD_REQUEST",
			    "[UNSUPPORTED_FEATURE.TABLE_OPERATION] The feature "
			    "is not supported: Table does not support %s. "
			    "SQLSTATE: 0A000",
			    what);
	if (mode && (strcmp(mode, "name") == 0 || strcmp(mode, "id") == 0))
		return 0;
	return fail(d, "BAD_REQUEST",
		    "[DELTA_UNSUPPORTED_%s_COLUMN] %s COLUMN is not supported "
		    "for your Delta table. Enable column mapping first: ALTER "
		    "TABLE <table_name> SET TBLPROPERTIES "
		    "('delta.columnMapping.mode' = 'name', "
		    "'delta.minReaderVersion' = '2', "
		    "'delta.minWriterVersion' = '5'). SQLSTATE: 0AKDC",
		    what, what);
}

static int alter_add(struct ddl *d, struct uc_object *t)
{
	cJSON *cols = columns_copy(t), *add = cJSON_CreateArray(), *x, *c;
	bool list;
	int at = -1;
	const char *after;

	if (!accept_kw(d, "COLUMNS"))
		accept_kw(d, "COLUMN");
	list = accept_punct(d, '(');
	do {
		if (cJSON_GetArraySize(add) >= UC_MAX_COLUMNS ||
		    col_def(&x, d, true) < 0)
			goto fail;
		cJSON_AddItemToArray(add, x);
	} while (accept_punct(d, ','));
	if (list && expect_punct(d, ')') < 0)
		goto fail;
	if (!list && accept_kw(d, "FIRST")) {
		at = 0;
	} else if (!list && accept_kw(d, "AFTER")) {
		if (ident(&after, d) < 0)
			goto fail;
		at = col_index(cols, after);
		if (at < 0) {
			no_column(d, after);
			goto fail;
		}
		at++;
	}
	cJSON_ArrayForEach(x, add)
	{
		if (col_index(cols, emu_json_str(x, "name")) >= 0) {
			fail(d, "BAD_REQUEST",
			     "[FIELDS_ALREADY_EXISTS] Cannot add column, "
			     "because `%s` already exists. SQLSTATE: 42710",
			     emu_json_str(x, "name"));
			goto fail;
		}
	}
	if (cJSON_GetArraySize(cols) + cJSON_GetArraySize(add) >
	    UC_MAX_COLUMNS) {
		fail(d, "BAD_REQUEST", "A table has at most %d columns.",
		     UC_MAX_COLUMNS);
		goto fail;
	}
	/* A new array in order: cJSON_InsertItemInArray refuses the items
	 * of a duplicated array (their prev links are not all set). */
	{
		cJSON *out = cJSON_CreateArray();
		int i = 0;

		if (at < 0)
			at = cJSON_GetArraySize(cols);
		while ((c = cJSON_DetachItemFromArray(cols, 0)) != NULL) {
			if (i++ == at)
				while ((x = cJSON_DetachItemFromArray(add, 0)))
					cJSON_AddItemToArray(out, x);
			cJSON_AddItemToArray(out, c);
		}
		while ((x = cJSON_DetachItemFromArray(add, 0)) != NULL)
			cJSON_AddItemToArray(out, x);
		cJSON_Delete(cols);
		cols = out;
	}
	cJSON_Delete(add);
	return set_columns(d, t, cols);
fail:
	cJSON_Delete(add);
	cJSON_Delete(cols);
	return -1;
}

static int alter_column(struct ddl *d, struct uc_object *t)
{
	cJSON *cols = columns_copy(t), *c, *tj;
	const char *name, *comment;
	int i;

	accept_kw(d, "COLUMN");
	if (ident(&name, d) < 0)
		goto fail;
	i = col_index(cols, name);
	if (i < 0) {
		no_column(d, name);
		goto fail;
	}
	c = cJSON_GetArrayItem(cols, i);
	if (accept_kw(d, "COMMENT")) {
		if (string_lit(&comment, d) < 0)
			goto fail;
		uc_set_str(c, "comment", comment);
	} else if (accept_kw(d, "SET") || is_kw(peek(d), "DROP")) {
		bool set = !accept_kw(d, "DROP");

		if (expect_kw(d, "NOT") < 0 || expect_kw(d, "NULL") < 0)
			goto fail;
		uc_set_bool(c, "nullable", !set);
		/* The StructField follows, its metadata (an identity) kept. */
		tj = cJSON_Parse(emu_json_str(c, "type_json")
					 ? emu_json_str(c, "type_json")
					 : "{}");
		col_type_json(c,
			      cJSON_GetObjectItemCaseSensitive(tj, "metadata"));
		cJSON_Delete(tj);
	} else {
		syntax_error(d, peek(d));
		goto fail;
	}
	return set_columns(d, t, cols);
fail:
	cJSON_Delete(cols);
	return -1;
}

static int alter_drop_columns(struct ddl *d, struct uc_object *t)
{
	cJSON *cols = columns_copy(t), *names = NULL, *x;
	bool if_exists = false;
	const char *name;

	if (!accept_kw(d, "COLUMNS"))
		accept_kw(d, "COLUMN");
	if (accept_kw(d, "IF")) {
		if (expect_kw(d, "EXISTS") < 0)
			goto fail;
		if_exists = true;
	}
	if (is_punct(peek(d), '(')) {
		if (name_list(&names, d) < 0)
			goto fail;
	} else {
		names = cJSON_CreateArray();
		do {
			if (cJSON_GetArraySize(names) >= UC_MAX_COLUMNS ||
			    ident(&name, d) < 0)
				goto fail;
			cJSON_AddItemToArray(names, cJSON_CreateString(name));
		} while (accept_punct(d, ','));
	}
	if (need_mapping(d, t, "DROP") < 0)
		goto fail;
	cJSON_ArrayForEach(x, names)
	{
		int i = col_index(cols, x->valuestring);

		if (i >= 0)
			cJSON_DeleteItemFromArray(cols, i);
		else if (!if_exists) {
			no_column(d, x->valuestring);
			goto fail;
		}
	}
	if (cJSON_GetArraySize(cols) == 0) {
		fail(d, "BAD_REQUEST",
		     "[DELTA_DROP_COLUMN_ON_SINGLE_FIELD_SCHEMA] Cannot drop "
		     "column from a schema with a single column. "
		     "SQLSTATE: 0AKDC");
		goto fail;
	}
	cJSON_Delete(names);
	return set_columns(d, t, cols);
fail:
	cJSON_Delete(names);
	cJSON_Delete(cols);
	return -1;
}

static int alter_rename_column(struct ddl *d, struct uc_object *t)
{
	cJSON *cols = columns_copy(t), *c, *tj;
	const char *from, *to;
	int i;

	if (expect_kw(d, "COLUMN") < 0 || ident(&from, d) < 0 ||
	    expect_kw(d, "TO") < 0 || ident(&to, d) < 0 ||
	    need_mapping(d, t, "RENAME") < 0)
		goto fail;
	i = col_index(cols, from);
	if (i < 0) {
		no_column(d, from);
		goto fail;
	}
	if (col_index(cols, to) >= 0 && !emu_strcaseeq(from, to)) {
		fail(d, "BAD_REQUEST",
		     "[COLUMN_ALREADY_EXISTS] The column `%s` already exists. "
		     "Choose another name or rename the existing column. "
		     "SQLSTATE: 42711",
		     to);
		goto fail;
	}
	c = cJSON_GetArrayItem(cols, i);
	uc_set_str(c, "name", to);
	tj = cJSON_Parse(emu_json_str(c, "type_json")
				 ? emu_json_str(c, "type_json")
				 : "{}");
	col_type_json(c, cJSON_GetObjectItemCaseSensitive(tj, "metadata"));
	cJSON_Delete(tj);
	return set_columns(d, t, cols);
fail:
	cJSON_Delete(cols);
	return -1;
}

static int alter_properties(struct ddl *d, struct uc_object *t, bool set,
			    const struct qname *q)
{
	cJSON *props = cJSON_GetObjectItemCaseSensitive(t->info, "properties");
	cJSON *list = NULL, *merged, *x;
	bool if_exists = false;

	merged = cJSON_IsObject(props) ? cJSON_Duplicate(props, 1)
				       : cJSON_CreateObject();
	if (!set && accept_kw(d, "IF")) {
		if (expect_kw(d, "EXISTS") < 0)
			goto fail;
		if_exists = true;
	}
	if (prop_list(&list, d, !set) < 0)
		goto fail;
	cJSON_ArrayForEach(x, list)
	{
		const char *key = set ? x->string : x->valuestring;

		cJSON_DeleteItemFromObjectCaseSensitive(merged, key);
		if (set) {
			if (cJSON_GetArraySize(merged) >= DDL_MAX_PROPS) {
				fail(d, "BAD_REQUEST", "Too many properties.");
				goto fail;
			}
			cJSON_AddStringToObject(merged, key, x->valuestring);
		} else if (!if_exists && !cJSON_HasObjectItem(props, key)) {
			char *n = display(q);

			fail(d, "BAD_REQUEST",
			     "[UNSET_NONEXISTENT_PROPERTIES] Attempted to "
			     "unset non-existent properties [`%s`] in table "
			     "%s. SQLSTATE: 42K0J",
			     key, n);
			free(n);
			goto fail;
		}
	}
	uc_set_json(t->info, "properties",
		    cJSON_GetArraySize(merged) ? merged : NULL);
	cJSON_Delete(list);
	cJSON_Delete(merged);
	return 0;
fail:
	cJSON_Delete(list);
	cJSON_Delete(merged);
	return -1;
}

static int wrong_kind(struct ddl *d, const struct qname *q, bool want_view)
{
	char *n = display(q);

	fail(d, "BAD_REQUEST",
	     want_view ? "[EXPECT_VIEW_NOT_TABLE.NO_ALTERNATIVE] The table %s "
			 "does not support ALTER VIEW. SQLSTATE: 42809"
		       : "[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] %s is a view: "
			 "use ALTER VIEW instead. SQLSTATE: 42809",
	     n);
	free(n);
	return -1;
}

static int alter(struct ddl *d, bool view)
{
	struct qname q;
	struct uc_object *t;
	const char *s;
	cJSON *x, *saved = NULL;
	int rc = -1;

	if (qualified(&q, d) < 0)
		goto done;
	t = find_table(NULL, d, &q, false);
	if (!t)
		goto done;
	if (is_view(t) != view) {
		wrong_kind(d, &q, view);
		goto done;
	}
	/* A statement changes all or nothing: trailing text found after
	 * the change puts the object back as it was. */
	saved = cJSON_Duplicate(t->info, 1);
	if (view && accept_kw(d, "AS")) {
		char *query = rest_text(d);

		if (!*query) {
			free(query);
			syntax_error(d, peek(d));
			goto done;
		}
		uc_set_str(t->info, "view_definition", query);
		free(query);
		rc = 0;
	} else if (!view && accept_kw(d, "ADD")) {
		rc = alter_add(d, t);
	} else if (!view && (accept_kw(d, "ALTER") || accept_kw(d, "CHANGE"))) {
		rc = alter_column(d, t);
	} else if (!view && accept_kw(d, "DROP")) {
		rc = alter_drop_columns(d, t);
	} else if (!view && accept_kw(d, "RENAME")) {
		rc = alter_rename_column(d, t);
	} else if (accept_kw(d, "UNSET")) {
		rc = expect_kw(d, "TBLPROPERTIES") < 0
			     ? -1
			     : alter_properties(d, t, false, &q);
	} else if (!view && accept_kw(d, "CLUSTER")) {
		if (expect_kw(d, "BY") < 0)
			goto done;
		if (accept_kw(d, "NONE")) {
			uc_set_json(t->info, "cluster_keys", NULL);
			rc = 0;
		} else if (name_list(&x, d) == 0) {
			const cJSON *k;

			rc = 0;
			cJSON_ArrayForEach(k, x)
			{
				if (col_index(cJSON_GetObjectItem(t->info,
								  "columns"),
					      k->valuestring) < 0) {
					rc = no_column(d, k->valuestring);
					break;
				}
			}
			if (rc == 0)
				uc_set_json(t->info, "cluster_keys", x);
			cJSON_Delete(x);
		}
	} else if (accept_kw(d, "SET")) {
		if (accept_kw(d, "TBLPROPERTIES")) {
			rc = alter_properties(d, t, true, &q);
		} else if (accept_kw(d, "OWNER")) {
			if (expect_kw(d, "TO") == 0 && ident(&s, d) == 0) {
				uc_set_str(t->info, "owner", s);
				rc = 0;
			}
		} else if (!view && accept_kw(d, "LOCATION")) {
			struct emu_response r;

			if (string_lit(&s, d) < 0)
				goto done;
			emu_response_init(&r);
			if (strcmp(emu_json_str(t->info, "table_type"),
				   "EXTERNAL") != 0)
				fail(d, "BAD_REQUEST",
				     "[UNSUPPORTED_FEATURE.TABLE_OPERATION] "
				     "The feature is not supported: a managed "
				     "table's location cannot change. "
				     "SQLSTATE: 0A000");
			else if (uc_check_external(d->req->ws, d->st, &r, s) < 0)
				fail(d, "BAD_REQUEST",
				     "[INVALID_PARAMETER_VALUE] %s "
				     "SQLSTATE: 22023",
				     emu_json_str(r.body, "message"));
			else {
				uc_set_str(t->info, "storage_location", s);
				rc = 0;
			}
			emu_response_dispose(&r);
		} else {
			syntax_error(d, peek(d));
		}
	} else if (accept_kw(d, "OWNER")) {
		if (expect_kw(d, "TO") == 0 && ident(&s, d) == 0) {
			uc_set_str(t->info, "owner", s);
			rc = 0;
		}
	} else {
		syntax_error(d, peek(d));
	}
	if (rc == 0) {
		accept_punct(d, ';');
		if (peek(d)->kind != TK_END)
			rc = syntax_error(d, peek(d));
		else
			uc_stamp_updated(t->info, d->req);
	}
	if (rc < 0 && saved) {
		cJSON_Delete(t->info);
		t->info = saved;
		saved = NULL;
	}
done:
	cJSON_Delete(saved);
	qname_dispose(&q);
	return rc;
}

/* --- COMMENT ON, DROP ----------------------------------------------------- */

static int comment_on(struct ddl *d)
{
	struct qname q;
	struct uc_object *t;
	const char *s = NULL;
	bool view = accept_kw(d, "VIEW");
	int rc = -1;

	memset(&q, 0, sizeof(q));
	if (!view && expect_kw(d, "TABLE") < 0)
		return -1;
	if (qualified(&q, d) < 0 || expect_kw(d, "IS") < 0)
		goto done;
	if (!accept_kw(d, "NULL") && string_lit(&s, d) < 0)
		goto done;
	accept_punct(d, ';');
	if (peek(d)->kind != TK_END) {
		syntax_error(d, peek(d));
		goto done;
	}
	t = find_table(NULL, d, &q, false);
	if (!t)
		goto done;
	if (is_view(t) != view) {
		wrong_kind(d, &q, view);
		goto done;
	}
	uc_set_str(t->info, "comment", s);
	uc_stamp_updated(t->info, d->req);
	rc = 0;
done:
	qname_dispose(&q);
	return rc;
}

static int drop(struct ddl *d, bool view)
{
	struct qname q;
	struct uc_object *schema, *t;
	bool if_exists = false;
	int rc = -1;

	memset(&q, 0, sizeof(q));
	if (accept_kw(d, "IF")) {
		if (expect_kw(d, "EXISTS") < 0)
			return -1;
		if_exists = true;
	}
	if (qualified(&q, d) < 0)
		goto done;
	accept_punct(d, ';');
	if (peek(d)->kind != TK_END) {
		syntax_error(d, peek(d));
		goto done;
	}
	t = find_table(&schema, d, &q, if_exists);
	if (!t) {
		/* IF EXISTS tolerates a missing table, not a missing
		 * schema. */
		rc = schema && if_exists ? 0 : -1;
		goto done;
	}
	if (is_view(t) != view) {
		char *n = display(&q);

		fail(d, "BAD_REQUEST",
		     "[WRONG_COMMAND_FOR_OBJECT_TYPE] The operation DROP %s "
		     "requires a %s. But %s is a %s. Use DROP %s instead. "
		     "SQLSTATE: 42809",
		     view ? "VIEW" : "TABLE", view ? "VIEW" : "TABLE", n,
		     view ? "TABLE" : "VIEW", view ? "TABLE" : "VIEW");
		free(n);
		goto done;
	}
	uc_object_free(uc_list_take(
		&schema->tables, uc_list_index(&schema->tables, uc_name(t))));
	rc = 0;
done:
	qname_dispose(&q);
	return rc;
}

/* --- the statement -------------------------------------------------------- */

static int statement(struct ddl *d)
{
	if (accept_kw(d, "CREATE")) {
		bool replace = false, external;

		if (accept_kw(d, "OR")) {
			if (expect_kw(d, "REPLACE") < 0)
				return -1;
			replace = true;
		}
		external = accept_kw(d, "EXTERNAL");
		if (accept_kw(d, "TABLE"))
			return create(d, replace, external, false);
		if (!external && accept_kw(d, "VIEW"))
			return create(d, replace, false, true);
		return syntax_error(d, peek(d));
	}
	if (accept_kw(d, "ALTER")) {
		if (accept_kw(d, "TABLE"))
			return alter(d, false);
		if (accept_kw(d, "VIEW"))
			return alter(d, true);
		return syntax_error(d, peek(d));
	}
	if (accept_kw(d, "COMMENT")) {
		if (expect_kw(d, "ON") < 0)
			return -1;
		return comment_on(d);
	}
	if (accept_kw(d, "DROP")) {
		if (accept_kw(d, "TABLE"))
			return drop(d, false);
		if (accept_kw(d, "VIEW"))
			return drop(d, true);
		return syntax_error(d, peek(d));
	}
	return syntax_error(d, peek(d));
}

int uc_ddl_execute(struct emu_request *req, const char *sql, size_t len,
		   const char *catalog, const char *schema,
		   struct uc_ddl_error *err)
{
	struct ddl d;
	struct emu_response r;
	size_t i;
	int rc;

	memset(&d, 0, sizeof(d));
	memset(err, 0, sizeof(*err));
	d.req = req;
	d.src = sql;
	d.len = len;
	d.err = err;
	d.catalog = catalog && *catalog ? catalog : UC_DEFAULT_CATALOG;
	d.schema = schema && *schema ? schema : "default";
	if (len > UC_DDL_MAX_LEN)
		return fail(&d, "BAD_REQUEST",
			    "[INVALID_PARAMETER_VALUE] The statement is "
			    "longer than %d bytes. SQLSTATE: 22023",
			    UC_DDL_MAX_LEN);
	emu_response_init(&r);
	if (uc_require_metastore(req, &r) < 0) {
		fail(&d, "BAD_REQUEST", "%s", emu_json_str(r.body, "message"));
		emu_response_dispose(&r);
		return -1;
	}
	emu_response_dispose(&r);
	d.st = emu_workspace_state(req->ws, &emu_module_uc);
	rc = lex(&d);
	if (rc == 0)
		rc = statement(&d);
	for (i = 0; i < d.n; i++)
		free(d.toks[i].text);
	free(d.toks);
	return rc;
}
