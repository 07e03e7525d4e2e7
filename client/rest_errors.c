/*
 * What the workspace's error answers mean: the REST client's error facet.
 *
 * tfp_rest_parse_error reads every error body shape Databricks and its
 * gateways send (the {"error_code","message"} object, the legacy
 * {"error": ...}, SCIM, plain "CODE: message", HTML, nothing at all) into a
 * struct tfp_api_error; tfp_rest_is_retryable says whether it is
 * throttling; tfp_rest_is_not_found_in whether it means "the object is
 * gone". The generic not-found rules live here; the path-specific quirks
 * (jobs/get answering 400 for a missing job, ...) are tables the resource
 * families declare and the provider hands to the client
 * (tfp_rest_config.not_found). Text from the workspace is made fit for a
 * diagnostic here too (tfp_rest__clean). Pure functions: no I/O, no
 * locks; strings go into the caller's arena.
 */
#include "rest.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "rest_internal.h"

/* --- text from the workspace --------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629 ranges). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * Copies untrusted text for a diagnostic: Terraform decodes diagnostics as
 * protobuf strings, which must be valid UTF-8, so invalid bytes and control
 * characters (other than newline and tab) become '?', and the result is
 * trimmed and capped at max bytes with "..." marking a cut.
 */
char *tfp_rest__clean(struct tfp_arena *a, const char *s, size_t n, size_t max)
{
	struct tfp_rest__buf b;
	size_t i = 0;
	char *out;

	s = tfp_rest__trim(s, &n);
	tfp_rest__buf_init(&b, SIZE_MAX);
	tfp_rest__buf_append(&b, "", 0);
	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t k = utf8_seq(u, n - i);

		if (b.len + (k ? k : 1) > max) {
			tfp_rest__buf_puts(&b, "...");
			break;
		}
		if (k == 0 ||
		    (k == 1 && ((u[0] < 0x20 && u[0] != '\n' && u[0] != '\t') ||
		                u[0] == 0x7f))) {
			tfp_rest__buf_append(&b, "?", 1);
			i++;
			continue;
		}
		tfp_rest__buf_append(&b, s + i, k);
		i += k;
	}
	out = tfp_arena_strndup(a, b.data, b.len);
	tfp_rest__buf_dispose(&b);
	return out;
}

const char *tfp_rest__reason(long status)
{
	static const struct {
		long status;
		const char *phrase;
	} phrases[] = {
	        {200, "OK"},
	        {400, "Bad Request"},
	        {401, "Unauthorized"},
	        {403, "Forbidden"},
	        {404, "Not Found"},
	        {405, "Method Not Allowed"},
	        {408, "Request Timeout"},
	        {409, "Conflict"},
	        {410, "Gone"},
	        {413, "Payload Too Large"},
	        {415, "Unsupported Media Type"},
	        {422, "Unprocessable Entity"},
	        {429, "Too Many Requests"},
	        {499, "Client Closed Request"},
	        {500, "Internal Server Error"},
	        {501, "Not Implemented"},
	        {502, "Bad Gateway"},
	        {503, "Service Unavailable"},
	        {504, "Gateway Timeout"},
	};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(phrases); i++)
		if (phrases[i].status == status)
			return phrases[i].phrase;
	if (status >= 300 && status < 400)
		return "Redirect";
	if (status >= 400 && status < 500)
		return "Client Error";
	return "Server Error";
}

/* --- error bodies -------------------------------------------------------- */

/* Case-insensitive search in s[0..n) for a NUL-terminated needle. */
static const char *rest_memcasestr(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/* Text between <tag> and </tag> in an HTML body, or NULL. */
static const char *rest_html_element(const char *s, size_t n, const char *open,
                                     const char *close, size_t *len)
{
	const char *start = rest_memcasestr(s, n, open), *end;

	if (start == NULL)
		return NULL;
	start += strlen(open);
	end = rest_memcasestr(start, n - (size_t)(start - s), close);
	if (end == NULL)
		return NULL;
	*len = (size_t)(end - start);
	return start;
}

/* error_code is a string, but some legacy endpoints send a number. */
static const char *rest_json_code(struct tfp_arena *a, const cJSON *v)
{
	if (cJSON_IsString(v))
		return tfp_rest__clean(a, v->valuestring,
		                       strlen(v->valuestring),
		                       REST_MESSAGE_MAX);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		/* Range first: casting a double beyond long long (1e300 from
		 * a hostile server) is undefined behaviour. */
		if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(long long)d)
			return tfp_arena_printf(a, "%lld", (long long)d);
		return tfp_arena_printf(a, "%g", d);
	}
	return NULL;
}

static const char *rest_json_string(struct tfp_arena *a, const cJSON *obj,
                                    const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(v))
		return NULL;
	return tfp_rest__clean(a, v->valuestring, strlen(v->valuestring),
	                       REST_MESSAGE_MAX);
}

/* Fills code and message from a JSON error object; false if no known
 * shape matched. */
static bool rest_error_from_json(struct tfp_api_error *out, struct tfp_arena *a,
                                 const cJSON *obj)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(obj, "error_code");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(obj, "message");
	const cJSON *legacy = cJSON_GetObjectItemCaseSensitive(obj, "error");
	const cJSON *detail = cJSON_GetObjectItemCaseSensitive(obj, "detail");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(obj, "status");
	const char *s;

	if (code != NULL || msg != NULL) {
		/* The Databricks shape {"error_code", "message", "details"}. */
		s = rest_json_code(a, code);
		out->error_code = s ? s : "";
		s = rest_json_string(a, obj, "message");
		out->message = s ? s : "";
		return true;
	}
	if (cJSON_IsString(legacy)) {
		/* API 1.2 and some gateways: {"error": "text"}. */
		out->message = rest_json_string(a, obj, "error");
		return true;
	}
	if (cJSON_IsObject(legacy))
		return rest_error_from_json(out, a, legacy);
	if (detail != NULL || status != NULL) {
		/* SCIM: {"detail", "status": "404", "scimType"}; the SDKs
		 * name the code after the status. */
		s = rest_json_code(a, status);
		out->error_code =
		        s ? tfp_arena_printf(a, "SCIM_%s", s) : "SCIM";
		s = rest_json_string(a, obj, "detail");
		if (s == NULL || strcmp(s, "null") == 0)
			s = "SCIM API Internal Error";
		out->message = s;
		return true;
	}
	return false;
}

void tfp_rest_parse_error(struct tfp_api_error *out, struct tfp_arena *a,
                          const char *method, const char *path, long status,
                          const char *body, size_t len)
{
	const char *s, *el;
	size_t n = body ? len : 0, eln, i;
	cJSON *json;

	memset(out, 0, sizeof(*out));
	out->status = status;
	out->method = tfp_arena_strdup(a, method ? method : "");
	out->path = tfp_arena_strdup(a, path ? path : "");
	out->error_code = "";
	out->message = "";
	s = tfp_rest__trim(body ? body : "", &n);
	if (n == 0) {
		out->message = tfp_rest__reason(status);
		return;
	}
	if (s[0] == '{') {
		json = cJSON_ParseWithLength(s, n);
		if (cJSON_IsObject(json) &&
		    rest_error_from_json(out, a, json)) {
			cJSON_Delete(json);
			return;
		}
		cJSON_Delete(json);
	} else if (s[0] == '<') {
		/* Gateways and some legacy pages answer with HTML that puts
		 * the message in <pre>; else the title is the best we have. */
		el = rest_html_element(s, n, "<pre>", "</pre>", &eln);
		if (el == NULL)
			el = rest_html_element(s, n, "<title>", "</title>",
			                       &eln);
		if (el != NULL)
			out->message =
			        tfp_rest__clean(a, el, eln, REST_MESSAGE_MAX);
		if (out->message[0] == '\0')
			out->message = tfp_rest__reason(status);
		return;
	} else if (isupper((unsigned char)s[0])) {
		/* Plain text "ERROR_CODE: message". */
		i = 1;
		while (i < n && (isupper((unsigned char)s[i]) ||
		                 isdigit((unsigned char)s[i]) || s[i] == '_'))
			i++;
		if (i < n && s[i] == ':') {
			out->error_code = tfp_arena_strndup(a, s, i);
			out->message = tfp_rest__clean(a, s + i + 1, n - i - 1,
			                               REST_MESSAGE_MAX);
			return;
		}
	}
	out->error_code = "UNKNOWN";
	out->message = tfp_rest__clean(a, s, n, REST_MESSAGE_MAX);
}

/* --- what an error means ------------------------------------------------- */

static bool rest_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* True for "/api/2.<digits>/<what>..." (a prefix match, like the SDK's
 * override regexes: jobs/runs/get also covers jobs/runs/get-output). */
static bool rest_api_path_is(const char *path, const char *what)
{
	const char *p;

	if (path == NULL || strncmp(path, "/api/2.", 7) != 0)
		return false;
	p = path + 7;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '/')
		return false;
	return strncmp(p + 1, what, strlen(what)) == 0;
}

/* Whether rule covers e; msg and code are e's, never NULL. */
static bool rest_rule_matches(const struct tfp_rest_not_found *rule,
                              const struct tfp_api_error *e, const char *code,
                              const char *msg)
{
	const char *m = rule->method;
	bool negate, same;

	if (!rest_api_path_is(e->path, rule->path))
		return false;
	if (rule->except != NULL && rest_api_path_is(e->path, rule->except))
		return false;
	if (m != NULL) {
		/* "!GET" is every method but GET (a missing one included). */
		negate = m[0] == '!';
		same = e->method != NULL &&
		       strcmp(e->method, negate ? m + 1 : m) == 0;
		if (same == negate)
			return false;
	}
	if (rule->status != 0 && e->status != rule->status)
		return false;
	if (rule->error_code != NULL && strcmp(code, rule->error_code) != 0)
		return false;
	if (rule->message != NULL && strstr(msg, rule->message) == NULL)
		return false;
	return rule->match == NULL || rule->match(msg);
}

bool tfp_rest_is_not_found_in(const struct tfp_rest_not_found *const *tables,
                              const struct tfp_api_error *e)
{
	const char *code = e->error_code ? e->error_code : "";
	const char *msg = e->message ? e->message : "";
	const struct tfp_rest_not_found *rule;
	size_t i;

	/* A 404 about the URL itself (a wrong path, an API this workspace
	 * lacks) is not a deleted object: calling it "gone" would silently
	 * drop resources from state. */
	if (strcmp(code, "ENDPOINT_NOT_FOUND") == 0)
		return false;
	if (e->status == 404)
		return true;
	if (strcmp(code, "RESOURCE_DOES_NOT_EXIST") == 0 ||
	    strcmp(code, "NOT_FOUND") == 0 ||
	    rest_ends_with(code, "_DOES_NOT_EXIST"))
		return true;
	/* The families' quirks: some APIs answer a missing object with a
	 * 400 whose message says so (databricks-rest-api.md §1.3, §4). */
	for (i = 0; tables != NULL && tables[i] != NULL; i++)
		for (rule = tables[i]; rule->path != NULL; rule++)
			if (rest_rule_matches(rule, e, code, msg))
				return true;
	return false;
}

bool tfp_rest_is_not_found(const struct tfp_api_error *e)
{
	return tfp_rest_is_not_found_in(NULL, e);
}

bool tfp_rest_is_retryable(const struct tfp_api_error *e)
{
	const char *code = e->error_code ? e->error_code : "";

	if (e->status == 429 || e->status == 503)
		return true;
	if (strcmp(code, "REQUEST_LIMIT_EXCEEDED") == 0 ||
	    strcmp(code, "TEMPORARILY_UNAVAILABLE") == 0 ||
	    strcmp(code, "RESOURCE_EXHAUSTED") == 0)
		return true;
	/* The Go SDK also retries any message naming the limit. */
	return e->message != NULL &&
	       strstr(e->message, "REQUEST_LIMIT_EXCEEDED") != NULL;
}
