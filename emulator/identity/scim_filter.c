/*
 * The SCIM filter and PATCH path parser and evaluator (scim_filter.h).
 *
 * Input is a query parameter or a JSON string from a client, so every read
 * is checked against the end of the text, recursion is counted, and a
 * failure is a message for a 400, never a crash. The tree owns copies of
 * every name and value it keeps.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scim_filter.h"
#include "util.h"

enum node_kind {
	NODE_AND,
	NODE_OR,
	NODE_NOT,
	NODE_PRESENT,
	NODE_COMPARE,
	NODE_VALUE_PATH, /* attr[filter]: any element matching */
};

enum compare_op {
	OP_EQ,
	OP_NE,
	OP_CO,
	OP_SW,
	OP_EW,
	OP_GT,
	OP_GE,
	OP_LT,
	OP_LE
};

enum value_kind {
	VALUE_STRING,
	VALUE_TRUE,
	VALUE_FALSE,
	VALUE_NULL,
	VALUE_NUMBER
};

struct scim_filter {
	enum node_kind kind;
	enum compare_op op;
	enum value_kind value_kind;
	char *attr;  /* PRESENT, COMPARE, VALUE_PATH: "members.value" */
	char *value; /* COMPARE: string or number text */
	struct scim_filter *left, *right;
};

struct parser {
	const char *p, *end;
	int depth;
	const char *err;
};

static const char *const op_words[] = {"eq", "ne", "co", "sw", "ew",
				       "gt", "ge", "lt", "le"};

/* --- tokens ----------------------------------------------------------------
 */

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* Characters of an attribute path, keyword or bare value. The colon and
 * dots let schema-qualified names through (urn:...:User:userName). */
static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == ':' || c == '$' || c == '+';
}

/* The next word's length at the cursor (0: none), without consuming it. */
static size_t peek_word(const struct parser *ps)
{
	const char *q = ps->p;

	while (q < ps->end && word_char(*q))
		q++;
	return (size_t)(q - ps->p);
}

static bool word_is(const struct parser *ps, size_t n, const char *kw)
{
	return n == strlen(kw) && strncasecmp(ps->p, kw, n) == 0;
}

/* Consumes keyword kw when it is the next word. */
static bool accept_word(struct parser *ps, const char *kw)
{
	size_t n;

	skip_space(ps);
	n = peek_word(ps);
	if (!word_is(ps, n, kw))
		return false;
	ps->p += n;
	return true;
}

static bool accept_char(struct parser *ps, char c)
{
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return true;
	}
	return false;
}

static int fail(struct parser *ps, const char *err)
{
	if (!ps->err)
		ps->err = err;
	return -1;
}

/* A quoted string at the cursor, unescaped into a new string. JSON's
 * escapes; \uXXXX is kept only for ASCII, which is all SCIM names use. */
static char *read_string(struct parser *ps)
{
	char quote = *ps->p++;
	char *out = emu_xmalloc((size_t)(ps->end - ps->p) + 1);
	size_t n = 0;

	while (ps->p < ps->end && *ps->p != quote) {
		char c = *ps->p++;

		if (c == '\\') {
			if (ps->p >= ps->end)
				break;
			c = *ps->p++;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'u':
				/* Four hex digits of an ASCII character;
				 * SCIM names and ids need no more. */
				if (ps->end - ps->p < 4) {
					free(out);
					fail(ps, "Invalid escape in string.");
					return NULL;
				} else {
					char hex[5];
					char *stop;
					unsigned long v;

					memcpy(hex, ps->p, 4);
					hex[4] = '\0';
					v = strtoul(hex, &stop, 16);
					if (*stop != '\0' || v == 0 ||
					    v > 0x7f) {
						free(out);
						fail(ps, "Invalid escape in "
							 "string.");
						return NULL;
					}
					ps->p += 4;
					c = (char)v;
				}
				break;
			default:
				break; /* \" \\ \/ \' stand for themselves */
			}
		}
		out[n++] = c;
	}
	if (ps->p >= ps->end) {
		free(out);
		fail(ps, "Unterminated string in filter.");
		return NULL;
	}
	ps->p++; /* the closing quote */
	out[n] = '\0';
	return out;
}

/* --- grammar ---------------------------------------------------------------
 */

static struct scim_filter *node_new(enum node_kind kind)
{
	struct scim_filter *f = emu_xcalloc(1, sizeof(*f));

	f->kind = kind;
	return f;
}

static struct scim_filter *parse_or(struct parser *ps);

static int parse_value(struct parser *ps, struct scim_filter *f)
{
	size_t n;

	skip_space(ps);
	if (ps->p < ps->end && (*ps->p == '"' || *ps->p == '\'')) {
		f->value_kind = VALUE_STRING;
		f->value = read_string(ps);
		return f->value ? 0 : -1;
	}
	n = peek_word(ps);
	if (n == 0)
		return fail(ps, "Expected a value in filter.");
	if (word_is(ps, n, "true")) {
		f->value_kind = VALUE_TRUE;
	} else if (word_is(ps, n, "false")) {
		f->value_kind = VALUE_FALSE;
	} else if (word_is(ps, n, "null")) {
		f->value_kind = VALUE_NULL;
	} else {
		size_t i;

		for (i = 0; i < n; i++) {
			char c = ps->p[i];

			if (!((c >= '0' && c <= '9') || c == '-' || c == '+' ||
			      c == '.' || c == 'e' || c == 'E'))
				return fail(ps, "Invalid value in filter.");
		}
		f->value_kind = VALUE_NUMBER;
		f->value = emu_xmemdup0(ps->p, n);
	}
	ps->p += n;
	return 0;
}

/* attrexp: path "pr" / path op value / path "[" filter "]" */
static struct scim_filter *parse_attr_exp(struct parser *ps)
{
	struct scim_filter *f = NULL;
	char *attr;
	size_t n, i;

	skip_space(ps);
	n = peek_word(ps);
	if (n == 0) {
		fail(ps, ps->p >= ps->end ? "Unexpected end of filter."
					  : "Expected an attribute in filter.");
		return NULL;
	}
	attr = emu_xmemdup0(ps->p, n);
	ps->p += n;
	if (accept_char(ps, '[')) {
		f = node_new(NODE_VALUE_PATH);
		f->attr = attr;
		f->left = parse_or(ps);
		if (!f->left || !accept_char(ps, ']')) {
			fail(ps, "Expected ']' in filter.");
			scim_filter_free(f);
			return NULL;
		}
		return f;
	}
	if (accept_word(ps, "pr")) {
		f = node_new(NODE_PRESENT);
		f->attr = attr;
		return f;
	}
	skip_space(ps);
	n = peek_word(ps);
	for (i = 0; i < EMU_ARRAY_SIZE(op_words); i++) {
		if (word_is(ps, n, op_words[i]))
			break;
	}
	if (i == EMU_ARRAY_SIZE(op_words)) {
		free(attr);
		fail(ps, "Unsupported or missing operator in filter.");
		return NULL;
	}
	ps->p += n;
	f = node_new(NODE_COMPARE);
	f->attr = attr;
	f->op = (enum compare_op)i;
	if (parse_value(ps, f) < 0) {
		scim_filter_free(f);
		return NULL;
	}
	return f;
}

static struct scim_filter *parse_unary(struct parser *ps)
{
	struct scim_filter *f;
	const char *save;

	if (++ps->depth > SCIM_FILTER_MAX_DEPTH) {
		fail(ps, "Filter is nested too deeply.");
		return NULL;
	}
	save = ps->p;
	if (accept_word(ps, "not")) {
		if (!accept_char(ps, '(')) {
			/* "not" was an attribute name after all. */
			ps->p = save;
			f = parse_attr_exp(ps);
		} else {
			f = node_new(NODE_NOT);
			f->left = parse_or(ps);
			if (!f->left || !accept_char(ps, ')')) {
				fail(ps, "Expected ')' in filter.");
				scim_filter_free(f);
				f = NULL;
			}
		}
	} else if (accept_char(ps, '(')) {
		f = parse_or(ps);
		if (f && !accept_char(ps, ')')) {
			fail(ps, "Expected ')' in filter.");
			scim_filter_free(f);
			f = NULL;
		}
	} else {
		f = parse_attr_exp(ps);
	}
	ps->depth--;
	return f;
}

/* and/or: a left-leaning chain of binary nodes, looped, not recursed, so
 * a long chain costs no stack. */
static struct scim_filter *
parse_chain(struct parser *ps, const char *kw, enum node_kind kind,
	    struct scim_filter *(*operand)(struct parser *))
{
	struct scim_filter *left = operand(ps);

	while (left && accept_word(ps, kw)) {
		struct scim_filter *node = node_new(kind);

		node->left = left;
		node->right = operand(ps);
		left = node;
		if (!node->right) {
			scim_filter_free(node);
			return NULL;
		}
	}
	return left;
}

static struct scim_filter *parse_and(struct parser *ps)
{
	return parse_chain(ps, "and", NODE_AND, parse_unary);
}

static struct scim_filter *parse_or(struct parser *ps)
{
	return parse_chain(ps, "or", NODE_OR, parse_and);
}

struct scim_filter *scim_filter_parse(const char *text, const char **err)
{
	struct parser ps = {0};
	struct scim_filter *f;
	size_t len = strlen(text);

	if (len > SCIM_FILTER_MAX_LEN) {
		*err = "Filter is too long.";
		return NULL;
	}
	ps.p = text;
	ps.end = text + len;
	f = parse_or(&ps);
	skip_space(&ps);
	if (f && ps.p != ps.end) {
		fail(&ps, "Unexpected text after filter.");
		scim_filter_free(f);
		f = NULL;
	}
	if (!f)
		*err = ps.err ? ps.err : "Invalid filter.";
	return f;
}

void scim_filter_free(struct scim_filter *f)
{
	if (!f)
		return;
	scim_filter_free(f->left);
	scim_filter_free(f->right);
	free(f->attr);
	free(f->value);
	free(f);
}

/* --- evaluation ------------------------------------------------------------
 */

cJSON *scim_member(const cJSON *obj, const char *name)
{
	cJSON *item;

	if (!cJSON_IsObject(obj))
		return NULL;
	cJSON_ArrayForEach(item, obj)
	{
		if (item->string && emu_strcaseeq(item->string, name))
			return item;
	}
	return NULL;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay), i;

	for (i = 0; n <= h && i <= h - n; i++) {
		if (strncasecmp(hay + i, needle, n) == 0)
			return true;
	}
	return false;
}

static bool compare_string(enum compare_op op, const char *have,
			   const char *want)
{
	size_t hl = strlen(have), wl = strlen(want);
	int c = strcasecmp(have, want);

	switch (op) {
	case OP_EQ:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_CO:
		return contains_nocase(have, want);
	case OP_SW:
		return emu_strcaseprefix(have, want);
	case OP_EW:
		return hl >= wl && strcasecmp(have + hl - wl, want) == 0;
	case OP_GT:
		return c > 0;
	case OP_GE:
		return c >= 0;
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	}
	return false;
}

/* One scalar attribute value against a comparison. */
static bool compare_scalar(const struct scim_filter *f, const cJSON *v)
{
	switch (f->value_kind) {
	case VALUE_NULL:
		return (f->op == OP_EQ) == (!v || cJSON_IsNull(v));
	case VALUE_TRUE:
	case VALUE_FALSE:
		if (!cJSON_IsBool(v))
			return f->op == OP_NE;
		return (f->op == OP_EQ) == ((cJSON_IsTrue(v) != 0) ==
					    (f->value_kind == VALUE_TRUE));
	case VALUE_NUMBER:
	case VALUE_STRING:
		break;
	}
	if (cJSON_IsString(v))
		return compare_string(f->op, v->valuestring, f->value);
	if (cJSON_IsNumber(v)) {
		char *text = emu_printf("%.17g", v->valuedouble);
		bool ok = compare_string(f->op, text, f->value);

		free(text);
		return ok;
	}
	return f->op == OP_NE;
}

/*
 * Applies test to the value(s) at path "a" or "a.b" in obj: a multi-valued
 * attribute matches when any element does (RFC 7644 §3.4.2.2).
 */
static bool match_path(const struct scim_filter *f, const cJSON *obj,
		       bool (*test)(const struct scim_filter *, const cJSON *))
{
	const char *dot = strchr(f->attr, '.');
	char *head = dot ? emu_xmemdup0(f->attr, (size_t)(dot - f->attr))
			 : emu_xstrdup(f->attr);
	const cJSON *v = scim_member(obj, head);
	bool any = false;

	free(head);
	if (cJSON_IsArray(v)) {
		const cJSON *el;

		cJSON_ArrayForEach(el, v)
		{
			const cJSON *x = dot ? scim_member(el, dot + 1) : el;

			if (x && test(f, x)) {
				any = true;
				break;
			}
		}
		return any;
	}
	if (dot)
		v = scim_member(v, dot + 1);
	return test(f, v);
}

static bool test_present(const struct scim_filter *f, const cJSON *v)
{
	(void)f;
	if (!v || cJSON_IsNull(v))
		return false;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child != NULL;
	return true;
}

static bool test_value_path(const struct scim_filter *f, const cJSON *v)
{
	return scim_filter_match(f->left, v);
}

bool scim_filter_match(const struct scim_filter *f, const cJSON *obj)
{
	switch (f->kind) {
	case NODE_AND:
		return scim_filter_match(f->left, obj) &&
		       scim_filter_match(f->right, obj);
	case NODE_OR:
		return scim_filter_match(f->left, obj) ||
		       scim_filter_match(f->right, obj);
	case NODE_NOT:
		return !scim_filter_match(f->left, obj);
	case NODE_PRESENT:
		return match_path(f, obj, test_present);
	case NODE_COMPARE:
		return match_path(f, obj, compare_scalar);
	case NODE_VALUE_PATH:
		return match_path(f, obj, test_value_path);
	}
	return false;
}

/* --- PATCH paths -----------------------------------------------------------
 */

int scim_path_parse(struct scim_path *out, const char *text, const char **err)
{
	struct parser ps = {0};
	size_t n, len = strlen(text);

	memset(out, 0, sizeof(*out));
	if (len > SCIM_FILTER_MAX_LEN) {
		*err = "Path is too long.";
		return -1;
	}
	ps.p = text;
	ps.end = text + len;
	skip_space(&ps);
	n = peek_word(&ps);
	/* A '.' here would be "attr.sub" without a filter; keep the
	 * attribute and the sub-attribute apart. */
	{
		const char *dot = memchr(ps.p, '.', n);
		size_t head = dot ? (size_t)(dot - ps.p) : n;

		if (head == 0)
			goto bad;
		out->attr = emu_xmemdup0(ps.p, head);
		if (dot) {
			if (n - head - 1 == 0)
				goto bad;
			out->sub = emu_xmemdup0(dot + 1, n - head - 1);
		}
	}
	ps.p += n;
	if (!out->sub && accept_char(&ps, '[')) {
		out->filter = parse_or(&ps);
		if (!out->filter || !accept_char(&ps, ']'))
			goto bad;
		if (accept_char(&ps, '.')) {
			skip_space(&ps);
			n = peek_word(&ps);
			if (n == 0)
				goto bad;
			out->sub = emu_xmemdup0(ps.p, n);
			ps.p += n;
		}
	}
	skip_space(&ps);
	if (ps.p != ps.end)
		goto bad;
	return 0;
bad:
	*err = ps.err ? ps.err : "Invalid path.";
	scim_path_dispose(out);
	return -1;
}

void scim_path_dispose(struct scim_path *p)
{
	free(p->attr);
	free(p->sub);
	scim_filter_free(p->filter);
	memset(p, 0, sizeof(*p));
}
