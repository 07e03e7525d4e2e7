/*
 * What the AWS policy data sources share: the Databricks accounts and
 * roles of each AWS partition, the checks of aws_partition and bucket
 * names, building a policy document, and printing it.
 *
 * No REST endpoint: the documents come from the arguments alone.
 *
 * Quirks that explain the code:
 *  - "aws-us-gov-dod" is a partition of Databricks', not of AWS: its ARNs
 *    say "aws-us-gov" (the ns field), only the Databricks accounts differ.
 *  - The official provider prints documents with Go's json.MarshalIndent:
 *    two spaces, ": " after keys, "[]" and "{}" when empty, and Go's
 *    escapes ("<", ">" and "&" as \u003c, \u003e and \u0026; U+2028 and
 *    U+2029 as escapes; other control characters as \b, \f, \n, \r, \t or
 *    \u00XX in lower-case hex). The document is still a cJSON tree;
 *    tfp_account__policy_text only lays it out that way, so a
 *    configuration that moves from the official provider gets the very
 *    same string (an aws_iam_policy or a local_file fed by it does not
 *    change). Terraform hands providers valid UTF-8, so Go's replacement
 *    of invalid bytes never applies.
 */
#include <assert.h>
#include <string.h>
#include "account_internal.h"
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "schema.h"

/* clang-format off */
static const struct tfp_account_partition partitions[] = {
	{ .name = "aws", .ns = "aws", .account = "414351767826",
	  .log_role = "arn:aws:iam::414351767826:role/"
		      "SaasUsageDeliveryRole-prod-IAMRole-3PLHICCRR1TK",
	  .uc_role = "arn:aws:iam::414351767826:role/"
		     "unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL" },
	{ .name = "aws-us-gov", .ns = "aws-us-gov", .account = "044793339203",
	  .log_role = "arn:aws-us-gov:iam::044793339203:role/"
		      "SaasUsageDeliveryRole-prod-aws-gov-IAMRole-L4QM0RCHYQ1G",
	  .uc_role = "arn:aws-us-gov:iam::044793339203:role/"
		     "unity-catalog-prod-UCMasterRole-1QRFA8SGY15OJ" },
	{ .name = "aws-us-gov-dod", .ns = "aws-us-gov",
	  .account = "170661010020",
	  .log_role = "arn:aws-us-gov:iam::170661010020:role/"
		      "SaasUsageDeliveryRole-prod-aws-gov-dod-IAMRole-"
		      "1DMEHBYR8VC5P",
	  .uc_role = "arn:aws-us-gov:iam::170661010020:role/"
		     "unity-catalog-prod-UCMasterRole-1DI6DL6ZP26AS" },
};
/* clang-format on */

/* --- partitions and checks ------------------------------------------------ */

const struct tfp_account_partition *tfp_account__partition(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < TFP_ARRAY_SIZE(partitions); i++)
		if (strcmp(partitions[i].name, name) == 0)
			return &partitions[i];
	return NULL;
}

int tfp_account__validate_partition(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	if (tfp_account__partition(v->u.str) != NULL)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid AWS partition",
				   "aws_partition must be either 'aws' or "
				   "'aws-us-gov' or 'aws-us-gov-dod', not "
				   "\"%s\".",
				   v->u.str);
}

static bool bucket_char(char c, bool edge)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return true;
	return !edge && (c == '-' || c == '.');
}

int tfp_account__validate_bucket(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	const char *s = v->u.str;
	size_t n = strlen(s), i;
	bool good = n >= 3 && n <= 63;

	for (i = 0; good && i < n; i++)
		good = bucket_char(s[i], i == 0 || i == n - 1);
	if (good)
		return TFP_OK;
	return tfp_diag_attr_error(
		d, path, "Invalid S3 bucket name",
		"\"%s\" is not an S3 bucket name: it must have 3 to 63 "
		"characters, only lower-case letters, digits, dots and "
		"hyphens, and begin and end with a letter or digit.",
		s);
}

int tfp_account__recheck(struct tfp_call *call, const struct tfp_value *config,
			 const char *name,
			 int (*validate)(struct tfp_diags *,
					 const struct tfp_path *,
					 const struct tfp_value *))
{
	const struct tfp_value *v = tfp_value_get(config, name);

	if (!tfp_value_is_known(v))
		return TFP_OK;
	return validate(call->diags, tfp_path_attr(call->arena, NULL, name), v);
}

/* --- building a document -------------------------------------------------- */

cJSON *tfp_account__policy_new(void)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON_AddArrayToObject(doc, "Statement");
	return doc;
}

cJSON *tfp_account__statement(cJSON *policy, const char *sid)
{
	cJSON *stmt = cJSON_CreateObject();

	if (sid != NULL)
		cJSON_AddStringToObject(stmt, "Sid", sid);
	cJSON_AddStringToObject(stmt, "Effect", "Allow");
	cJSON_AddItemToArray(
		cJSON_GetObjectItemCaseSensitive(policy, "Statement"), stmt);
	return stmt;
}

void tfp_account__add_list(cJSON *obj, const char *key, const char *const *v,
			   size_t n)
{
	cJSON *list = cJSON_AddArrayToObject(obj, key);
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(v[i]));
}

void tfp_account__add_condition(cJSON *stmt, const char *op, const char *key,
				const char *value)
{
	cJSON *cond = cJSON_GetObjectItemCaseSensitive(stmt, "Condition");
	cJSON *ops;

	if (cond == NULL)
		cond = cJSON_AddObjectToObject(stmt, "Condition");
	ops = cJSON_GetObjectItemCaseSensitive(cond, op);
	if (ops == NULL)
		ops = cJSON_AddObjectToObject(cond, op);
	cJSON_AddStringToObject(ops, key, value);
}

/* --- printing --------------------------------------------------------------
 */

/*
 * The printer runs twice over the tree: once with out == NULL to count the
 * bytes, once to write them, so the text is one arena allocation.
 */
struct pr {
	char *out;
	size_t n;
};

static void pr_bytes(struct pr *p, const char *s, size_t n)
{
	if (p->out != NULL)
		memcpy(p->out + p->n, s, n);
	p->n += n;
}

static void pr_str(struct pr *p, const char *s)
{
	pr_bytes(p, s, strlen(s));
}

static void pr_indent(struct pr *p, int depth)
{
	int i;

	pr_bytes(p, "\n", 1);
	for (i = 0; i < depth; i++)
		pr_bytes(p, "  ", 2);
}

/* Go's short escape of an ASCII character, or NULL. */
static const char *go_short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		return NULL;
	}
}

/* A JSON string with Go's escapes (see the header comment). */
static void pr_quoted(struct pr *p, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *c = (const unsigned char *)s;

	pr_bytes(p, "\"", 1);
	for (; *c != '\0'; c++) {
		const char *esc = go_short_escape(*c);
		char u[6] = {'\\', 'u', '0', '0', 0, 0};

		if (c[0] == 0xE2 && c[1] == 0x80 &&
		    (c[2] == 0xA8 || c[2] == 0xA9)) {
			esc = c[2] == 0xA8 ? "\\u2028" : "\\u2029";
			c += 2;
		}
		if (esc != NULL) {
			pr_str(p, esc);
		} else if (*c >= 0x20 && *c != '<' && *c != '>' && *c != '&') {
			pr_bytes(p, (const char *)c, 1);
		} else {
			u[4] = hex[*c >> 4];
			u[5] = hex[*c & 0xF];
			pr_bytes(p, u, sizeof(u));
		}
	}
	pr_bytes(p, "\"", 1);
}

static void pr_value(struct pr *p, const cJSON *j, int depth)
{
	const cJSON *e;

	if (cJSON_IsString(j)) {
		pr_quoted(p, j->valuestring);
		return;
	}
	/* Policies hold nothing else; a number or a bool here is a bug. */
	assert(cJSON_IsArray(j) || cJSON_IsObject(j));
	pr_bytes(p, cJSON_IsArray(j) ? "[" : "{", 1);
	for (e = j->child; e != NULL; e = e->next) {
		pr_indent(p, depth + 1);
		if (cJSON_IsObject(j)) {
			pr_quoted(p, e->string);
			pr_bytes(p, ": ", 2);
		}
		pr_value(p, e, depth + 1);
		if (e->next != NULL)
			pr_bytes(p, ",", 1);
	}
	if (j->child != NULL)
		pr_indent(p, depth);
	pr_bytes(p, cJSON_IsArray(j) ? "]" : "}", 1);
}

char *tfp_account__policy_text(struct tfp_arena *a, const cJSON *doc)
{
	struct pr p = {0};

	pr_value(&p, doc, 0);
	p.out = tfp_arena_alloc(a, p.n + 1);
	p.n = 0;
	pr_value(&p, doc, 0);
	p.out[p.n] = '\0';
	return p.out;
}

int tfp_account__finish(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *config, cJSON *doc,
			const char *id)
{
	char *text = tfp_account__policy_text(call->arena, doc);
	struct tfp_value *v;

	cJSON_Delete(doc);
	/* cJSON allocates with tfp_xmalloc (plugin.c), which ends the
	 * process rather than fail, so a document is never half built. */
	assert(text != NULL);
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "json", text);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}
