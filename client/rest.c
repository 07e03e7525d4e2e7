/*
 * The Databricks REST client: the only file that uses libcurl.
 *
 * A call builds the URL (host + path + '?' + sorted, escaped query), sends
 * it on a pooled curl easy handle with the bearer token after taking a
 * token from the client's rate limiter, retries within the retry budget
 * what is safe to retry (throttling for everything; 5xx gateway errors,
 * resets and timeouts only for idempotent calls; a refused connection for
 * everything, since nothing was sent), honouring Retry-After, and turns the
 * final answer into a cJSON tree owned by the call's arena, TFP_ENOTFOUND,
 * or exactly one error diagnostic. Reads may go through the single-flight
 * cache (rest_cache.c).
 *
 * Connections: each pooled easy handle keeps its own live connections
 * between calls (curl_easy_reset keeps them), which is what gives
 * keep-alive; a CURLSH shares the DNS cache and TLS sessions between
 * handles. The connection cache itself is deliberately NOT shared: libcurl
 * documents that sharing it between concurrent threads is unsupported
 * (CURLSHOPT_SHARE, KNOWN_BUGS "A shared connection cache is not
 * thread-safe"), and several worker threads call at once.
 *
 * Secrets: the token is only ever copied into the Authorization header
 * list. Diagnostics and logs carry the method, path and the workspace's
 * answer (with any echo of the token blanked out), never headers; the curl
 * trace at TRACE level redacts Authorization and cookies and logs curl's
 * body chunks by size only; with debug_headers whole bodies are logged,
 * truncated, with the values of secret keys (string_value, client_secret,
 * access_token ...) redacted first.
 */
#include "rest.h"

#include <arpa/inet.h>
#include <assert.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "arena.h"
#include "diag.h"
#include "log.h"
#include "rest_cache.h"

#define REST_LOG                  "rest"
#define REST_MAX_REPLY            ((size_t)64 << 20)  /* bytes of one reply */
#define REST_CACHE_MAX_BYTES      ((size_t)256 << 20) /* reply text kept */
#define REST_POOL_MAX             16  /* idle easy handles kept */
#define REST_DEFAULT_TIMEOUT      60  /* seconds of inactivity */
#define REST_DEFAULT_RETRY_BUDGET 300 /* seconds */
#define REST_BACKOFF_FIRST_MS     500
#define REST_BACKOFF_MAX_MS       10000
#define REST_BACKOFF_MIN_MS       100
#define REST_DEFAULT_RATE_LIMIT   15.0 /* requests per second */
#define REST_DEFAULT_TRUNCATE     96   /* bytes of a body at TRACE */
#define REST_STOP_SLICE_MS        100
#define REST_RETRY_AFTER_MAX      86400 /* seconds we would ever wait */
#define REST_MESSAGE_MAX          4096 /* bytes of a workspace message we keep */
#define REST_SNIPPET_MAX          200 /* bytes of an unexpected body we quote */
#define REST_UA_SUFFIX            "databricks-tf-provider/compatible"

struct tfp_rest {
	char *host;  /* scheme://authority, no trailing slash */
	char *auth;  /* "Authorization: Bearer <token>": secret */
	char *token; /* secret; kept only to blank out echoes */
	/* A token source replacing auth (NULL: the static token). */
	int (*auth_fn)(const char **value, struct tfp_call *call,
	               const char *stale, void *payload);
	void *auth_payload;
	void (*auth_free)(void *payload); /* owns auth_payload when set */
	char *user_agent;
	long timeout_seconds;
	long retry_timeout_seconds; /* < 0: retry without limit */
	bool skip_verify;
	bool debug_headers;
	long debug_truncate_bytes;
	/* The token bucket: rate tokens a second up to burst (= rate); 0 =
	 * unlimited. tokens goes negative while callers wait their turn. */
	pthread_mutex_t limit_lock;
	double rate, tokens;
	long limit_ms; /* when tokens was last brought up to date */
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	pthread_mutex_t pool_lock;
	CURL *pool[REST_POOL_MAX];
	size_t pool_n;
	atomic_ulong requests;
	atomic_uint_fast64_t jitter_state;
	struct tfp_rest_cache *cache;
};

/* A growable byte buffer with a cap, always NUL-terminated once used. */
struct rest_buf {
	char *data;
	size_t len, cap, max;
	bool too_big;
};

/* One logical call, possibly several attempts. */
struct rest_req {
	struct tfp_call *call;
	struct tfp_rest *r;
	const char *method;
	const char *path;   /* without the query */
	const char *target; /* path + query: the cache key */
	const char *url;
	const char *user_agent;
	const char *body; /* what to send, or NULL for no body */
	char *printed;    /* cJSON_PrintUnformatted of the caller's body */
	size_t body_len;
	bool idempotent; /* may repeat after the server may have acted */
	const char *auth; /* the token source's header for this attempt */
	const char *auth_stale; /* the header a 401 refused, once */
	unsigned attempts;
	long started_ms;
};

/* What one attempt got back. */
struct rest_reply {
	CURLcode result;
	long status;
	long sent; /* bytes of request headers sent (CURLINFO_REQUEST_SIZE) */
	struct rest_buf body;
	char retry_after[64];
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t rest_once = PTHREAD_ONCE_INIT;
static CURLcode rest_global_result;

static void rest_global_init(void)
{
	rest_global_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* --- small helpers ------------------------------------------------------- */

static long rest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void buf_init(struct rest_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

static bool buf_append(struct rest_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len) {
		b->too_big = true;
		return false;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = tfp_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

static void buf_puts(struct rest_buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

/* Hands the text over (never NULL); the buffer is empty afterwards. */
static char *buf_take(struct rest_buf *b, size_t *len)
{
	char *p = b->data ? b->data : tfp_xstrdup("");

	*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

static void buf_dispose(struct rest_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static bool rest_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

/* Trims white space off both ends of s[0..*n): returns the new start and
 * shortens *n. */
static const char *rest_trim(const char *s, size_t *n)
{
	while (*n > 0 && rest_is_space(s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && rest_is_space(s[*n - 1]))
		(*n)--;
	return s;
}

/* Wipes a secret before freeing it. */
static void rest_free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void rest_json_delete(void *p)
{
	cJSON_Delete(p);
}

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
static char *rest_clean(struct tfp_arena *a, const char *s, size_t n,
                        size_t max)
{
	struct rest_buf b;
	size_t i = 0;
	char *out;

	s = rest_trim(s, &n);
	buf_init(&b, SIZE_MAX);
	buf_append(&b, "", 0);
	while (i < n) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t k = utf8_seq(u, n - i);

		if (b.len + (k ? k : 1) > max) {
			buf_puts(&b, "...");
			break;
		}
		if (k == 0 ||
		    (k == 1 && ((u[0] < 0x20 && u[0] != '\n' && u[0] != '\t') ||
		                u[0] == 0x7f))) {
			buf_append(&b, "?", 1);
			i++;
			continue;
		}
		buf_append(&b, s + i, k);
		i += k;
	}
	out = tfp_arena_strndup(a, b.data, b.len);
	buf_dispose(&b);
	return out;
}

/* Blanks out any echo of the token in text from the workspace. */
static const char *rest_redact(struct tfp_arena *a, const char *s,
                               const char *secret)
{
	struct rest_buf b;
	const char *p, *hit;
	size_t n;
	char *out;

	if (s == NULL || secret == NULL || secret[0] == '\0' ||
	    strstr(s, secret) == NULL)
		return s;
	n = strlen(secret);
	buf_init(&b, SIZE_MAX);
	p = s;
	hit = strstr(p, secret);
	while (hit != NULL) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, "<redacted>");
		p = hit + n;
		hit = strstr(p, secret);
	}
	buf_puts(&b, p);
	out = tfp_arena_strndup(a, b.data, b.len);
	buf_dispose(&b);
	return out;
}

static const char *rest_reason(long status)
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

static const char *rest_summary(struct tfp_call *call)
{
	if (call->op == NULL || call->type_name == NULL)
		return "Databricks API request failed";
	return tfp_arena_printf(call->arena, "Failed to %s %s", call->op,
	                        call->type_name);
}

static void rest_set_last_error(struct tfp_call *call, const char *method,
                                const char *path, long status, const char *code,
                                const char *message)
{
	struct tfp_api_error *e = &call->last_error;
	struct tfp_arena *a = call->arena;

	e->status = status;
	e->error_code = tfp_arena_strdup(a, code);
	e->message = tfp_arena_strdup(a, message);
	e->method = tfp_arena_strdup(a, method);
	e->path = tfp_arena_strdup(a, path);
	e->uncertain = false;
}

/* " (gave up after 4 attempts in 31 s)" when the call was retried. */
static const char *rest_attempts_note(struct rest_req *q)
{
	if (q->attempts <= 1)
		return "";
	return tfp_arena_printf(
	        q->call->arena, " (gave up after %u attempts in %ld s)",
	        q->attempts, (rest_now_ms() - q->started_ms + 500) / 1000);
}

/* --- pure helpers: error bodies ------------------------------------------ */

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
		return rest_clean(a, v->valuestring, strlen(v->valuestring),
		                  REST_MESSAGE_MAX);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d == (double)(long long)d)
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
	return rest_clean(a, v->valuestring, strlen(v->valuestring),
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
	s = rest_trim(body ? body : "", &n);
	if (n == 0) {
		out->message = rest_reason(status);
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
			out->message = rest_clean(a, el, eln, REST_MESSAGE_MAX);
		if (out->message[0] == '\0')
			out->message = rest_reason(status);
		return;
	} else if (isupper((unsigned char)s[0])) {
		/* Plain text "ERROR_CODE: message". */
		i = 1;
		while (i < n && (isupper((unsigned char)s[i]) ||
		                 isdigit((unsigned char)s[i]) || s[i] == '_'))
			i++;
		if (i < n && s[i] == ':') {
			out->error_code = tfp_arena_strndup(a, s, i);
			out->message = rest_clean(a, s + i + 1, n - i - 1,
			                          REST_MESSAGE_MAX);
			return;
		}
	}
	out->error_code = "UNKNOWN";
	out->message = rest_clean(a, s, n, REST_MESSAGE_MAX);
}

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

/* "Cluster <id> does not exist": one word between, so "Cluster policy 7
 * does not exist" (an edit naming a missing policy) is not a lost cluster. */
static bool rest_is_missing_cluster(const char *msg)
{
	const char *sp;

	if (strncmp(msg, "Cluster ", 8) != 0)
		return false;
	sp = strchr(msg + 8, ' ');
	return sp != NULL && sp > msg + 8 &&
	       strncmp(sp, " does not exist", 15) == 0;
}

bool tfp_rest_is_not_found(const struct tfp_api_error *e)
{
	const char *code = e->error_code ? e->error_code : "";
	const char *msg = e->message ? e->message : "";
	bool get = e->method != NULL && strcmp(e->method, "GET") == 0;

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
	/* jobs/delete shares jobs/get's answer for a missing id; a delete of
	 * something already gone is what the caller wanted. */
	if (!get && e->status == 400 &&
	    strcmp(code, "INVALID_PARAMETER_VALUE") == 0 &&
	    strstr(msg, "does not exist") != NULL &&
	    rest_api_path_is(e->path, "jobs/delete"))
		return true;
	/* Every Clusters and Libraries call about a missing cluster answers
	 * 400 "Cluster <id> does not exist" (databricks-rest-api.md §4);
	 * a create naming a missing policy or pool is a plain error. */
	if (e->status == 400 && strcmp(code, "INVALID_PARAMETER_VALUE") == 0 &&
	    rest_is_missing_cluster(msg) &&
	    (rest_api_path_is(e->path, "clusters/") ||
	     rest_api_path_is(e->path, "libraries/")) &&
	    !rest_api_path_is(e->path, "clusters/create"))
		return true;
	if (!get)
		return false;
	/* clusters/get answers INVALID_STATE for a cluster purged after 30
	 * days; the official provider treats it as gone. */
	if (rest_api_path_is(e->path, "clusters/get") &&
	    strcmp(code, "INVALID_STATE") == 0)
		return true;
	/* jobs/get, jobs/runs/get(-output) and clusters/get answer a missing
	 * id with 400 INVALID_PARAMETER_VALUE "... does not exist"
	 * (databricks-rest-api.md §1.3, the SDK's error overrides). */
	if (e->status == 400 && strcmp(code, "INVALID_PARAMETER_VALUE") == 0 &&
	    (strstr(msg, "does not exist") != NULL ||
	     strstr(msg, "doesn't exist") != NULL) &&
	    (rest_api_path_is(e->path, "clusters/get") ||
	     rest_api_path_is(e->path, "jobs/get") ||
	     rest_api_path_is(e->path, "jobs/runs/get")))
		return true;
	return false;
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

/* --- pure helpers: Retry-After ------------------------------------------- */

/* Reads min..max digits, not followed by another digit. */
static bool date_number(const char **p, int min_digits, int max_digits,
                        int *out)
{
	int n = 0, v = 0;

	while (n < max_digits && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n >= min_digits && !isdigit((unsigned char)**p);
}

static bool date_month(const char **p, int *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++) {
		if (strncmp(*p, months + 3 * i, 3) == 0) {
			*p += 3;
			*out = i + 1;
			return true;
		}
	}
	return false;
}

static bool date_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool date_clock(const char **p, int *h, int *m, int *s)
{
	return date_number(p, 2, 2, h) && date_lit(p, ":") &&
	       date_number(p, 2, 2, m) && date_lit(p, ":") &&
	       date_number(p, 2, 2, s) && *h < 24 && *m < 60 && *s <= 60;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate
 * "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"
 * and asctime "Sun Nov  6 08:49:37 1994".
 */
static bool rest_parse_http_date(const char *s, long *out)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	const char *p = s;
	int day, month, year, h, m, sec, i;
	bool ok = false;

	for (i = 0; i < 7 && !ok; i++)
		ok = strncmp(p, days + 3 * i, 3) == 0;
	if (!ok)
		return false;
	while (isalpha((unsigned char)*p))
		p++;
	if (*p == ',') {
		p++;
		if (!date_lit(&p, " ") || !date_number(&p, 1, 2, &day))
			return false;
		if (*p == ' ' || *p == '-') {
			char sep = *p++;
			const char *y;

			if (!date_month(&p, &month) || *p++ != sep)
				return false;
			y = p;
			if (!date_number(&p, 2, 4, &year) || p - y == 3 ||
			    !date_lit(&p, " ") ||
			    !date_clock(&p, &h, &m, &sec) ||
			    !date_lit(&p, " GMT"))
				return false;
		} else {
			return false;
		}
		/* RFC 850's two-digit year: the nearest century. */
		if (year < 100)
			year += year < 70 ? 2000 : 1900;
	} else {
		if (!date_lit(&p, " ") || !date_month(&p, &month))
			return false;
		while (*p == ' ')
			p++;
		if (!date_number(&p, 1, 2, &day) || !date_lit(&p, " ") ||
		    !date_clock(&p, &h, &m, &sec) || !date_lit(&p, " ") ||
		    !date_number(&p, 4, 4, &year))
			return false;
	}
	if (*p != '\0' || day < 1 || day > 31 || year < 1970)
		return false;
	*out = days_from_civil(year, month, day) * 86400L + h * 3600L +
	       m * 60L + sec;
	return true;
}

long tfp_rest_parse_retry_after(const char *value, long now_epoch)
{
	char buf[64];
	size_t n;
	const char *s;
	long v = 0, when;

	if (value == NULL)
		return -1;
	n = strlen(value);
	s = rest_trim(value, &n);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		for (s = buf; isdigit((unsigned char)*s); s++) {
			if (v > (LONG_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*s - '0');
		}
		return *s == '\0' ? v : -1;
	}
	if (!rest_parse_http_date(buf, &when))
		return -1;
	return when > now_epoch ? when - now_epoch : 0;
}

/* --- the client ---------------------------------------------------------- */

static void rest_share_lock(CURL *h, curl_lock_data data,
                            curl_lock_access access, void *userp)
{
	struct tfp_rest *r = userp;

	(void)h;
	(void)access;
	pthread_mutex_lock(&r->share_locks[data]);
}

static void rest_share_unlock(CURL *h, curl_lock_data data, void *userp)
{
	struct tfp_rest *r = userp;

	(void)h;
	pthread_mutex_unlock(&r->share_locks[data]);
}

static bool rest_is_loopback(const char *name)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (strcasecmp(name, "localhost") == 0 ||
	    strcasecmp(name, "localhost.") == 0)
		return true;
	if (inet_pton(AF_INET, name, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, name, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6) ||
		       (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
	return false;
}

/* host NULL: not quoted, because it holds a password. */
static int rest_bad_host(struct tfp_diags *d, const char *host, const char *why)
{
	return tfp_diag_error(
	        d, "Invalid Databricks host",
	        "The host%s%s%s %s. Set host in the provider block or the "
	        "DATABRICKS_HOST environment variable to the workspace URL, "
	        "for example https://<workspace>.cloud.databricks.com.",
	        host ? " \"" : "", host ? host : "", host ? "\"" : "", why);
}

/*
 * Checks the configured host and returns "scheme://authority" in *out
 * (malloc'd). Like the Go SDK, a bare name gets https:// and any path is
 * dropped. Plain http:// would send the token in clear text, so it is
 * allowed only for loopback addresses (a local brickform-emulator).
 */
static int rest_check_host(char **out, const char *host, struct tfp_diags *d)
{
	char name[256];
	const char *s, *auth, *end, *colon = NULL, *sep;
	size_t n = strlen(host), namelen;
	struct in6_addr v6;
	struct rest_buf b;
	bool https = true;
	char *shown;

	s = rest_trim(host, &n);
	shown = tfp_arena_strndup(d->arena, s, n);
	s = shown;
	sep = strstr(s, "://");
	if (sep == NULL) {
		auth = s;
	} else if ((size_t)(sep - s) == 5 && strncasecmp(s, "https", 5) == 0) {
		auth = sep + 3;
	} else if ((size_t)(sep - s) == 4 && strncasecmp(s, "http", 4) == 0) {
		auth = sep + 3;
		https = false;
	} else {
		return rest_bad_host(d, shown,
		                     "uses a scheme other than https://");
	}
	end = auth + strcspn(auth, "/?#");
	if (end == auth)
		return rest_bad_host(d, shown, "has no host name");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return rest_bad_host(
		        d, NULL, "must not contain a user name or password");
	if (auth[0] == '[') {
		const char *close = memchr(auth, ']', (size_t)(end - auth));

		if (close == NULL)
			return rest_bad_host(
			        d, shown, "has an unterminated IPv6 address");
		namelen = (size_t)(close - auth - 1);
		if (namelen >= sizeof(name))
			return rest_bad_host(d, shown, "is too long");
		memcpy(name, auth + 1, namelen);
		name[namelen] = '\0';
		if (close + 1 < end && close[1] != ':')
			return rest_bad_host(d, shown,
			                     "has text after the IPv6 address");
		if (close + 1 < end)
			colon = close + 1;
		if (inet_pton(AF_INET6, name, &v6) != 1)
			return rest_bad_host(d, shown,
			                     "has an invalid IPv6 address");
	} else {
		const char *p;

		colon = memchr(auth, ':', (size_t)(end - auth));
		namelen = (size_t)((colon ? colon : end) - auth);
		if (namelen == 0 || namelen >= sizeof(name))
			return rest_bad_host(d, shown,
			                     "has an invalid host name");
		for (p = auth; p < auth + namelen; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    *p != '.' && *p != '_')
				return rest_bad_host(
				        d, shown,
				        "has a character not allowed in a "
				        "host name");
		memcpy(name, auth, namelen);
		name[namelen] = '\0';
	}
	if (colon != NULL) {
		const char *p = colon + 1;
		long port = 0;

		if (p == end)
			return rest_bad_host(d, shown, "has an empty port");
		for (; p < end; p++) {
			if (!isdigit((unsigned char)*p) || port > 65535)
				return rest_bad_host(d, shown,
				                     "has an invalid port");
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return rest_bad_host(d, shown, "has an invalid port");
	}
	if (!https && !rest_is_loopback(name))
		return rest_bad_host(
		        d, shown,
		        "uses plain http://, which would send the token "
		        "unencrypted; use https://. Plain http:// is accepted "
		        "only for a loopback address (127.0.0.1, localhost, "
		        "[::1]) such as a local brickform-emulator");
	buf_init(&b, SIZE_MAX);
	buf_puts(&b, https ? "https://" : "http://");
	buf_append(&b, auth, (size_t)(end - auth));
	*out = buf_take(&b, &n);
	return TFP_OK;
}

int tfp_rest_new(struct tfp_rest **out, const struct tfp_rest_config *cfg,
                 struct tfp_diags *d)
{
	struct tfp_rest *r = NULL;
	char *host = NULL, *token = NULL;
	const char *ua;
	size_t n, i;
	int error = TFP_OK;

	assert(out != NULL && cfg != NULL && d != NULL);
	*out = NULL;
	pthread_once(&rest_once, rest_global_init);
	if (rest_global_result != CURLE_OK)
		return tfp_diag_error(d, "Cannot start the HTTP client",
		                      "libcurl failed to initialise: %s",
		                      curl_easy_strerror(rest_global_result));

	n = cfg->host ? strlen(cfg->host) : 0;
	rest_trim(cfg->host ? cfg->host : "", &n);
	if (n == 0)
		error = tfp_diag_error(
		        d, "Missing Databricks host",
		        "Set host in the provider block or the DATABRICKS_HOST "
		        "environment variable to the workspace URL, for "
		        "example https://<workspace>.cloud.databricks.com.");
	else if (rest_check_host(&host, cfg->host, d) < 0)
		error = TFP_ERROR;

	n = cfg->token ? strlen(cfg->token) : 0;
	if (n > 0) {
		const char *t = rest_trim(cfg->token, &n);

		token = tfp_xmalloc(n + 1);
		memcpy(token, t, n);
		token[n] = '\0';
	}
	if (cfg->auth_header != NULL) {
		/* The token source provides the Authorization header. */
	} else if (token == NULL || token[0] == '\0') {
		error = tfp_diag_error(
		        d, "Missing Databricks token",
		        "Set token in the provider block or the "
		        "DATABRICKS_TOKEN environment variable to a personal "
		        "access token.");
	} else {
		for (i = 0; token[i] != '\0'; i++) {
			if ((unsigned char)token[i] < 0x20 ||
			    token[i] == 0x7f) {
				/* A line break here would let the value
				 * inject headers; it is never shown. */
				error = tfp_diag_error(
				        d, "Invalid Databricks token",
				        "The token contains a line break or "
				        "another control character (its value "
				        "is not shown). Check token in the "
				        "provider block or DATABRICKS_TOKEN.");
				break;
			}
		}
	}
	if (error < 0)
		goto cleanup;

	r = tfp_xcalloc(1, sizeof(*r));
	r->host = host;
	host = NULL;
	r->token = token;
	token = NULL;
	r->auth_fn = cfg->auth_header;
	r->auth_payload = cfg->auth_payload;
	if (r->token != NULL) {
		n = strlen("Authorization: Bearer ") + strlen(r->token) + 1;
		r->auth = tfp_xmalloc(n);
		snprintf(r->auth, n, "Authorization: Bearer %s", r->token);
	}
	ua = cfg->user_agent && cfg->user_agent[0] ? cfg->user_agent
	                                           : "brickform/" TFP_VERSION;
	r->user_agent = tfp_xstrdup(ua);
	for (i = 0; r->user_agent[i] != '\0'; i++)
		if ((unsigned char)r->user_agent[i] < 0x20)
			r->user_agent[i] = ' ';
	r->timeout_seconds = cfg->timeout_seconds > 0 ? cfg->timeout_seconds
	                                              : REST_DEFAULT_TIMEOUT;
	r->retry_timeout_seconds = cfg->retry_timeout_seconds == 0
	                                   ? REST_DEFAULT_RETRY_BUDGET
	                                   : cfg->retry_timeout_seconds;
	r->skip_verify = cfg->skip_verify;
	r->debug_headers = cfg->debug_headers;
	r->debug_truncate_bytes = cfg->debug_truncate_bytes > 0
	                                  ? cfg->debug_truncate_bytes
	                                  : REST_DEFAULT_TRUNCATE;
	/* NaN and negative rates mean unlimited; 0 the default. */
	if (cfg->rate_limit == 0)
		r->rate = REST_DEFAULT_RATE_LIMIT;
	else if (cfg->rate_limit > 0)
		r->rate = cfg->rate_limit;
	else
		r->rate = 0;
	r->tokens = r->rate > 1 ? r->rate : 1;
	r->limit_ms = rest_now_ms();
	pthread_mutex_init(&r->limit_lock, NULL);
	atomic_init(&r->requests, 0);
	atomic_init(&r->jitter_state,
	            (uint_fast64_t)rest_now_ms() ^ (uint_fast64_t)(uintptr_t)r);
	for (i = 0; i < TFP_ARRAY_SIZE(r->share_locks); i++)
		pthread_mutex_init(&r->share_locks[i], NULL);
	pthread_mutex_init(&r->pool_lock, NULL);
	r->share = curl_share_init();
	if (r->share == NULL) {
		fprintf(stderr, "brickform: out of memory (curl_share_init)\n");
		abort();
	}
	curl_share_setopt(r->share, CURLSHOPT_LOCKFUNC, rest_share_lock);
	curl_share_setopt(r->share, CURLSHOPT_UNLOCKFUNC, rest_share_unlock);
	curl_share_setopt(r->share, CURLSHOPT_USERDATA, r);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(r->share, CURLSHOPT_SHARE,
	                  CURL_LOCK_DATA_SSL_SESSION);
	r->cache = tfp_rest_cache_new(REST_CACHE_MAX_BYTES);
	/* The payload becomes the client's only now: a failed new leaves
	 * it to the caller. */
	r->auth_free = cfg->auth_free;
	*out = r;
	r = NULL;

cleanup:
	free(host);
	rest_free_secret(token);
	tfp_rest_free(r);
	return error;
}

void tfp_rest_free(struct tfp_rest *r)
{
	size_t i;

	if (r == NULL)
		return;
	/* Easy handles first: a share in use cannot be cleaned up. */
	for (i = 0; i < r->pool_n; i++)
		curl_easy_cleanup(r->pool[i]);
	if (r->share != NULL)
		curl_share_cleanup(r->share);
	for (i = 0; i < TFP_ARRAY_SIZE(r->share_locks); i++)
		pthread_mutex_destroy(&r->share_locks[i]);
	pthread_mutex_destroy(&r->pool_lock);
	pthread_mutex_destroy(&r->limit_lock);
	tfp_rest_cache_free(r->cache);
	if (r->auth_free != NULL)
		r->auth_free(r->auth_payload);
	free(r->host);
	free(r->user_agent);
	rest_free_secret(r->auth);
	rest_free_secret(r->token);
	free(r);
}

unsigned long tfp_rest_request_count(const struct tfp_rest *r)
{
	return atomic_load(&r->requests);
}

const char *tfp_rest_host(const struct tfp_rest *r)
{
	return r != NULL ? r->host : NULL;
}

/* --- one HTTP exchange --------------------------------------------------- */

static CURL *rest_handle_get(struct tfp_rest *r)
{
	CURL *h = NULL;

	pthread_mutex_lock(&r->pool_lock);
	if (r->pool_n > 0)
		h = r->pool[--r->pool_n];
	pthread_mutex_unlock(&r->pool_lock);
	if (h == NULL) {
		h = curl_easy_init();
		if (h == NULL) {
			fprintf(stderr,
			        "brickform: out of memory (curl_easy_init)\n");
			abort();
		}
	}
	return h;
}

static void rest_handle_put(struct tfp_rest *r, CURL *h)
{
	/* Reset drops every option (and so every pointer into this call)
	 * but keeps the live connections, DNS cache and TLS sessions. */
	curl_easy_reset(h);
	pthread_mutex_lock(&r->pool_lock);
	if (r->pool_n < REST_POOL_MAX) {
		r->pool[r->pool_n++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&r->pool_lock);
	if (h != NULL)
		curl_easy_cleanup(h);
}

static size_t rest_write_cb(char *data, size_t size, size_t n, void *userp)
{
	struct rest_buf *b = userp;
	size_t len = size * n;

	/* Returning short makes curl stop with CURLE_WRITE_ERROR. */
	return buf_append(b, data, len) ? len : 0;
}

static size_t rest_header_cb(char *data, size_t size, size_t n, void *userp)
{
	struct rest_reply *rep = userp;
	size_t len = size * n, vlen;
	const char *v;

	/* A new status line (after a 100 Continue) starts a new header set. */
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		rep->retry_after[0] = '\0';
	} else if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		vlen = len - 12;
		v = rest_trim(data + 12, &vlen);
		if (vlen < sizeof(rep->retry_after)) {
			memcpy(rep->retry_after, v, vlen);
			rep->retry_after[vlen] = '\0';
		}
	}
	return len;
}

/* Logs one header block line by line, blanking credentials. */
static void rest_trace_headers(char dir, const char *data, size_t size)
{
	static const char *const hidden[] = {
	        "authorization:", "cookie:", "set-cookie:"};
	const char *p = data, *end = data + size;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol ? eol : end) - p), i, name = 0;

		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
			n--;
		for (i = 0; i < TFP_ARRAY_SIZE(hidden); i++)
			if (n >= strlen(hidden[i]) &&
			    strncasecmp(p, hidden[i], strlen(hidden[i])) == 0)
				name = strlen(hidden[i]);
		if (name > 0)
			tfp_log(TFP_LOG_TRACE, REST_LOG, "%c %.*s <redacted>",
			        dir, (int)name, p);
		else if (n > 0)
			tfp_log(TFP_LOG_TRACE, REST_LOG, "%c %.*s", dir, (int)n,
			        p);
		p = eol ? eol + 1 : end;
	}
}

static int rest_debug_cb(CURL *h, curl_infotype type, char *data, size_t size,
                         void *userp)
{
	size_t n = size;

	(void)h;
	(void)userp;
	switch (type) {
	case CURLINFO_TEXT:
		rest_trim(data, &n);
		tfp_log(TFP_LOG_TRACE, REST_LOG, "* %.*s", (int)n, data);
		break;
	case CURLINFO_HEADER_OUT:
		rest_trace_headers('>', data, size);
		break;
	case CURLINFO_HEADER_IN:
		rest_trace_headers('<', data, size);
		break;
	case CURLINFO_DATA_OUT:
		/* Bodies carry sensitive attribute values: sizes only. */
		tfp_log(TFP_LOG_TRACE, REST_LOG, "> [%zu bytes of body]", size);
		break;
	case CURLINFO_DATA_IN:
		tfp_log(TFP_LOG_TRACE, REST_LOG, "< [%zu bytes of body]", size);
		break;
	default:
		break;
	}
	return 0;
}

/* Keys whose values never reach a log, wherever they are in a body. */
static bool rest_secret_key(const char *k)
{
	static const char *const keys[] = {
	        "string_value", "bytes_value",   "client_secret",
	        "access_token", "refresh_token", "id_token",
	        "token_value",  "password",      "private_key",
	};
	size_t i;

	for (i = 0; k != NULL && i < TFP_ARRAY_SIZE(keys); i++)
		if (strcasecmp(k, keys[i]) == 0)
			return true;
	return false;
}

/* Replaces the values of secret keys in a JSON tree with "<redacted>". */
static void rest_redact_json(cJSON *node)
{
	cJSON *item;

	cJSON_ArrayForEach(item, node)
	{
		if (rest_secret_key(item->string) && !cJSON_IsObject(item) &&
		    !cJSON_IsArray(item)) {
			cJSON *blank = cJSON_CreateString("<redacted>");

			if (blank == NULL) {
				fprintf(stderr,
				        "brickform: out of memory (cJSON)\n");
				abort();
			}
			/* By key, so the field name stays in the log (replacing
			 * via the pointer would drop it). */
			cJSON_ReplaceItemInObjectCaseSensitive(node, item->string,
							       blank);
			item = blank;
		} else {
			rest_redact_json(item);
		}
	}
}

/* One body at TRACE: JSON with secret values redacted, cut to the
 * configured size; any other text only cleaned, token echoes blanked. */
static void rest_trace_body(struct rest_req *q, char dir, const char *text,
                            size_t len)
{
	struct tfp_arena *a = q->call->arena;
	const char *shown;
	cJSON *tree;
	char *printed = NULL;

	if (text == NULL || len == 0)
		return;
	tree = cJSON_ParseWithLength(text, len);
	if (tree != NULL) {
		rest_redact_json(tree);
		printed = cJSON_PrintUnformatted(tree);
		cJSON_Delete(tree);
	}
	if (printed != NULL)
		shown = rest_clean(a, printed, strlen(printed),
		                   (size_t)q->r->debug_truncate_bytes);
	else
		shown = rest_clean(a, text, len,
		                   (size_t)q->r->debug_truncate_bytes);
	cJSON_free(printed);
	shown = rest_redact(a, shown, q->r->token);
	tfp_log(TFP_LOG_TRACE, REST_LOG, "%c %s %s body (%zu bytes): %s", dir,
	        q->method, q->path, len, shown);
}

/* With debug_headers, TRACE shows the bodies of each attempt. */
static void rest_trace_bodies(struct rest_req *q, struct rest_reply *rep)
{
	if (!q->r->debug_headers || !tfp_log_enabled(TFP_LOG_TRACE))
		return;
	rest_trace_body(q, '>', q->body, q->body_len);
	if (rep->result == CURLE_OK)
		rest_trace_body(q, '<', rep->body.data, rep->body.len);
}

/* Aborts a GET in flight once Terraform asks the provider to stop. */
static int rest_progress_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow,
                            curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_bool *stop = userp;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(stop) ? 1 : 0;
}

/* Makes one attempt; fills *rep (whose body the caller disposes of). */
static void rest_perform(struct rest_req *q, struct rest_reply *rep)
{
	struct tfp_rest *r = q->r;
	struct curl_slist *headers = NULL;
	CURL *h = rest_handle_get(r);

	memset(rep, 0, sizeof(*rep));
	buf_init(&rep->body, REST_MAX_REPLY);
	headers = curl_slist_append(headers, q->auth ? q->auth : r->auth);
	headers = curl_slist_append(headers, "Accept: application/json");
	if (q->body != NULL)
		headers = curl_slist_append(headers,
		                            "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip on large bodies. */
	headers = curl_slist_append(headers, "Expect:");
	if (headers == NULL) {
		fprintf(stderr, "brickform: out of memory (curl_slist)\n");
		abort();
	}

	curl_easy_setopt(h, CURLOPT_SHARE, r->share);
	curl_easy_setopt(h, CURLOPT_URL, q->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, q->user_agent);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, rep->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, rest_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &rep->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, rest_header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, rep);
	/* timeout_seconds is about inactivity, as in the Go SDK: a long
	 * list that keeps streaming is fine, a silent server is not. */
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, r->timeout_seconds);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, r->timeout_seconds);
	if (r->skip_verify) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (strcmp(q->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		/* Only reads are cut short: a write abandoned mid-flight may
		 * still take effect, and Terraform would lose track of it. */
		if (q->call->stop != NULL) {
			curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION,
			                 rest_progress_cb);
			curl_easy_setopt(h, CURLOPT_XFERINFODATA,
			                 (void *)q->call->stop);
			curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		}
	} else if (strcmp(q->method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
		if (q->body != NULL) {
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
			                 (curl_off_t)q->body_len);
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body);
		}
	}
	if (tfp_log_enabled(TFP_LOG_TRACE)) {
		/* Verbose output only through the redacting callback. */
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, rest_debug_cb);
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	}

	/* libcurl resends a request on its own when a reused connection
	 * dies before any byte of the answer: a lost answer to a create
	 * would then make a second object. Writes that are not safe to
	 * repeat get a connection of their own instead. */
	curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, q->idempotent ? 0L : 1L);
	rep->result = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &rep->status);
	if (curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &rep->sent) != CURLE_OK)
		rep->sent = -1;
	if (rep->result != CURLE_COULDNT_CONNECT &&
	    rep->result != CURLE_COULDNT_RESOLVE_HOST &&
	    rep->result != CURLE_COULDNT_RESOLVE_PROXY)
		atomic_fetch_add(&r->requests, 1);
	curl_slist_free_all(headers);
	rest_handle_put(r, h);
}

/*
 * Transport failures worth another attempt. A refused connection, or a
 * timeout before any byte of the request went out, sent nothing, so any
 * method may retry. Other failures may strike after the server acted, so
 * only idempotent calls retry them. DNS failures are not retried: a typo
 * in host should fail at once, not after the whole budget.
 */
static bool rest_transport_retryable(const struct rest_req *q,
                                     const struct rest_reply *rep)
{
	CURLcode rc = rep->result;

	if (rc == CURLE_COULDNT_CONNECT)
		return true;
	if (rc == CURLE_OPERATION_TIMEDOUT && rep->sent == 0)
		return true;
	if (!q->idempotent)
		return false;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* HTTP answers worth another attempt: throttling and unavailability for
 * every method (the server refused the request), and for idempotent calls
 * the gateway and server errors 500, 502 and 504. */
static bool rest_status_retryable(const struct rest_req *q,
                                  const struct tfp_api_error *e)
{
	if (tfp_rest_is_retryable(e))
		return true;
	return q->idempotent &&
	       (e->status == 500 || e->status == 502 || e->status == 504);
}

/*
 * A failed write that is not safe to repeat whose request may have reached
 * the server: the connection died or timed out after the request went out,
 * or the reply was empty or cut short. Refused connections, DNS and TLS
 * handshake failures and timeouts before anything was sent are certain
 * failures. Idempotent calls are never uncertain: they were retried.
 */
static bool rest_transport_uncertain(const struct rest_req *q,
                                     const struct rest_reply *rep)
{
	if (q->idempotent)
		return false;
	switch (rep->result) {
	case CURLE_OPERATION_TIMEDOUT:
		return rep->sent != 0;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static int rest_transport_error(struct rest_req *q, struct rest_reply *rep)
{
	const char *what =
	        rep->errbuf[0] ? rep->errbuf : curl_easy_strerror(rep->result);
	const char *hint = "";

	switch (rep->result) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
		hint = " Check that the host's TLS certificate is valid and "
		       "trusted by this machine.";
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		hint = " Check the host name.";
		break;
	default:
		break;
	}
	what = rest_redact(q->call->arena, what, q->r->token);
	rest_set_last_error(q->call, q->method, q->path, rep->status, "", what);
	if (rest_transport_uncertain(q, rep)) {
		q->call->last_error.uncertain = true;
		tfp_diag_error(q->call->diags, rest_summary(q->call),
		               "%s %s failed after the request was sent: %s "
		               "(curl error %d)%s. The workspace may or may not "
		               "have carried it out: the outcome is unknown.",
		               q->method, q->path, what, (int)rep->result,
		               rest_attempts_note(q));
		return TFP_EUNCERTAIN;
	}
	return tfp_diag_error(q->call->diags, rest_summary(q->call),
	                      "%s %s failed: could not reach %s: %s (curl "
	                      "error %d)%s.%s",
	                      q->method, q->path, q->r->host, what,
	                      (int)rep->result, rest_attempts_note(q), hint);
}

static int rest_too_big(struct rest_req *q, struct rest_reply *rep)
{
	rest_set_last_error(q->call, q->method, q->path, rep->status, "",
	                    "reply too large");
	return tfp_diag_error(q->call->diags, rest_summary(q->call),
	                      "%s %s returned a reply larger than %zu MiB; it "
	                      "was not read.",
	                      q->method, q->path, REST_MAX_REPLY >> 20);
}

static int rest_interrupted(struct rest_req *q, const char *while_doing)
{
	tfp_diag_error(q->call->diags, "Interrupted",
	               "Terraform asked the provider to stop while %s %s was "
	               "%s.",
	               q->method, q->path, while_doing);
	return TFP_ECANCELED;
}

/* Waits ms, checking the stop flag every slice; true when stopped. */
static bool rest_sleep(const atomic_bool *stop, long ms)
{
	long end = rest_now_ms() + ms, left;
	struct timespec ts;

	for (;;) {
		if (stop != NULL && atomic_load(stop))
			return true;
		left = end - rest_now_ms();
		if (left <= 0)
			return false;
		if (left > REST_STOP_SLICE_MS)
			left = REST_STOP_SLICE_MS;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

long tfp_rest_backoff_ms(unsigned attempt, uint64_t random)
{
	long ceiling = REST_BACKOFF_FIRST_MS;

	while (attempt-- > 1 && ceiling < REST_BACKOFF_MAX_MS)
		ceiling *= 2;
	if (ceiling > REST_BACKOFF_MAX_MS)
		ceiling = REST_BACKOFF_MAX_MS;
	/* Full jitter: callers throttled together spread over the whole
	 * window instead of coming back in lockstep. */
	return REST_BACKOFF_MIN_MS +
	       (long)(random % (uint64_t)(ceiling - REST_BACKOFF_MIN_MS + 1));
}

/* splitmix64 over a shared atomic counter: thread-safe, no lock. */
static long rest_backoff(struct tfp_rest *r, unsigned attempt)
{
	uint_fast64_t z;

	z = atomic_fetch_add(&r->jitter_state, 0x9e3779b97f4a7c15u);
	z += 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return tfp_rest_backoff_ms(attempt, (uint64_t)z);
}

/*
 * Takes one token from the client's bucket, waiting (stop permitting) for
 * it when the bucket is empty; true when stopped. A waiter reserves its
 * token at once (the count goes negative), so waiters are served in
 * arrival order and the rate holds however many threads call.
 */
static bool rest_rate_wait(struct tfp_rest *r, const atomic_bool *stop)
{
	long now, wait_ms = 0;
	double burst;

	if (r->rate <= 0)
		return false;
	burst = r->rate > 1 ? r->rate : 1;
	pthread_mutex_lock(&r->limit_lock);
	now = rest_now_ms();
	r->tokens += (double)(now - r->limit_ms) * r->rate / 1000.0;
	if (r->tokens > burst)
		r->tokens = burst;
	r->limit_ms = now;
	r->tokens -= 1;
	if (r->tokens < 0)
		wait_ms = (long)(-r->tokens * 1000.0 / r->rate + 0.999);
	pthread_mutex_unlock(&r->limit_lock);
	if (wait_ms <= 0)
		return false;
	tfp_log(TFP_LOG_TRACE, REST_LOG, "rate limit: waiting %ld ms", wait_ms);
	if (!rest_sleep(stop, wait_ms))
		return false;
	/* Not sent: hand the token back. */
	pthread_mutex_lock(&r->limit_lock);
	r->tokens += 1;
	pthread_mutex_unlock(&r->limit_lock);
	return true;
}

/*
 * A 401 with a token source: the token may have expired or been revoked
 * early, so the source drops it and the request goes again once (the
 * server refused it, so even a write is safe to repeat).
 */
static bool rest_auth_refresh(struct rest_req *q, struct rest_reply *rep)
{
	if (rep->status != 401 || q->r->auth_fn == NULL || q->auth == NULL ||
	    q->auth_stale != NULL)
		return false;
	/* The next attempt asks the source for a token other than this. */
	q->auth_stale = q->auth;
	tfp_log(TFP_LOG_DEBUG, REST_LOG,
	        "%s %s -> 401: fetching a fresh token and retrying once",
	        q->method, q->path);
	return true;
}

/*
 * Sends the request until it gets a final answer: TFP_OK with the answer
 * (any status) in *rep, or a negative code with a diagnostic for a
 * transport failure, an oversized reply or an interrupted wait.
 */
static int rest_exchange(struct rest_req *q, struct rest_reply *rep)
{
	struct tfp_rest *r = q->r;
	long budget_ms = r->retry_timeout_seconds > LONG_MAX / 1000
	                         ? LONG_MAX
	                         : r->retry_timeout_seconds * 1000;
	struct tfp_api_error e;
	const char *reason = "";
	long t0, delay, ra;

	for (q->attempts = 1;; q->attempts++) {
		if (rest_rate_wait(r, q->call->stop)) {
			if (q->attempts > 1)
				rest_set_last_error(q->call, q->method, q->path,
				                    rep->status, "", reason);
			return rest_interrupted(q, "waiting for the rate "
			                           "limit");
		}
		if (q->attempts > 1)
			buf_dispose(&rep->body);
		if (r->auth_fn != NULL &&
		    r->auth_fn(&q->auth, q->call, q->auth_stale,
		               r->auth_payload) < 0)
			return TFP_ERROR;
		t0 = rest_now_ms();
		rest_perform(q, rep);
		rest_trace_bodies(q, rep);
		if (rep->result != CURLE_OK) {
			tfp_log(TFP_LOG_DEBUG, REST_LOG, "%s %s -> %s (%ld ms)",
			        q->method, q->path,
			        curl_easy_strerror(rep->result),
			        rest_now_ms() - t0);
			if (rep->body.too_big)
				return rest_too_big(q, rep);
			if (rep->result == CURLE_ABORTED_BY_CALLBACK)
				return rest_interrupted(q, "in flight");
			if (!rest_transport_retryable(q, rep))
				return rest_transport_error(q, rep);
			reason = tfp_arena_printf(
			        q->call->arena, "%s (curl error %d)",
			        curl_easy_strerror(rep->result),
			        (int)rep->result);
			delay = rest_backoff(r, q->attempts);
		} else {
			tfp_log(TFP_LOG_DEBUG, REST_LOG,
			        "%s %s -> %ld (%ld ms)", q->method, q->path,
			        rep->status, rest_now_ms() - t0);
			if (rep->status >= 200 && rep->status < 300)
				return TFP_OK;
			if (rest_auth_refresh(q, rep))
				continue;
			tfp_rest_parse_error(&e, q->call->arena, q->method,
			                     q->path, rep->status,
			                     rep->body.data, rep->body.len);
			if (!rest_status_retryable(q, &e))
				return TFP_OK;
			reason = tfp_arena_printf(
			        q->call->arena, "HTTP %ld%s%s", rep->status,
			        e.error_code[0] ? " " : "", e.error_code);
			ra = tfp_rest_parse_retry_after(rep->retry_after,
			                                (long)time(NULL));
			if (ra < 0)
				delay = rest_backoff(r, q->attempts);
			else if (ra > REST_RETRY_AFTER_MAX)
				delay = REST_RETRY_AFTER_MAX * 1000;
			else
				/* Retry-After: 0 from a confused server must
				 * not turn into a busy loop. */
				delay = ra > 0 ? ra * 1000 : REST_STOP_SLICE_MS;
		}
		/* Give up now rather than sleep past the budget: a wait the
		 * budget cannot cover would only delay the same error. */
		if (r->retry_timeout_seconds >= 0 &&
		    (delay > budget_ms ||
		     rest_now_ms() + delay - q->started_ms > budget_ms)) {
			tfp_log(TFP_LOG_DEBUG, REST_LOG,
			        "not retrying %s %s (%s): the %ld s retry "
			        "budget would run out",
			        q->method, q->path, reason,
			        r->retry_timeout_seconds);
			if (rep->result != CURLE_OK)
				return rest_transport_error(q, rep);
			return TFP_OK;
		}
		tfp_log(TFP_LOG_DEBUG, REST_LOG,
		        "retrying %s %s in %ld ms (attempt %u failed: %s)",
		        q->method, q->path, delay, q->attempts, reason);
		if (rest_sleep(q->call->stop, delay)) {
			rest_set_last_error(q->call, q->method, q->path,
			                    rep->status, "", reason);
			return rest_interrupted(q, "waiting to be retried");
		}
	}
}

/* --- turning answers into results ---------------------------------------- */

static int rest_parse_reply(struct cJSON **out, struct rest_req *q, long status,
                            const char *text, size_t len)
{
	struct tfp_call *call = q->call;
	const char *p = text, *end = text + len, *stop = NULL;
	cJSON *tree;

	while (p < end && rest_is_space(*p))
		p++;
	if (p == end) {
		/* Void methods may answer 200 with nothing at all. */
		tree = cJSON_CreateObject();
	} else if (*p == '<') {
		rest_set_last_error(call, q->method, q->path, status, "",
		                    "HTML instead of JSON");
		return tfp_diag_error(
		        call->diags, rest_summary(call),
		        "%s %s returned HTTP %ld with an HTML page instead of "
		        "JSON. Check that host (%s) is the workspace URL.",
		        q->method, q->path, status, q->r->host);
	} else {
		tree = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
		if (tree != NULL)
			while (stop < end && rest_is_space(*stop))
				stop++;
		if (tree == NULL || stop != end) {
			const char *snippet = rest_clean(call->arena, text, len,
			                                 REST_SNIPPET_MAX);

			cJSON_Delete(tree);
			snippet =
			        rest_redact(call->arena, snippet, q->r->token);
			rest_set_last_error(call, q->method, q->path, status,
			                    "", "reply is not JSON");
			return tfp_diag_error(
			        call->diags, rest_summary(call),
			        "%s %s returned HTTP %ld with a body that is "
			        "not JSON: %s",
			        q->method, q->path, status, snippet);
		}
	}
	if (tree == NULL) {
		fprintf(stderr, "brickform: out of memory (cJSON)\n");
		abort();
	}
	if (out != NULL) {
		tfp_arena_defer(call->arena, rest_json_delete, tree);
		*out = tree;
	} else {
		cJSON_Delete(tree);
	}
	return TFP_OK;
}

/* Turns a final answer (fetched, cached or shared) into the result. */
static int rest_finish(struct cJSON **out, struct rest_req *q, long status,
                       const char *text, size_t len)
{
	struct tfp_call *call = q->call;
	struct tfp_api_error e;

	if (status >= 200 && status < 300)
		return rest_parse_reply(out, q, status, text, len);
	tfp_rest_parse_error(&e, call->arena, q->method, q->path, status, text,
	                     len);
	e.message = rest_redact(call->arena, e.message, q->r->token);
	call->last_error = e;
	if (tfp_rest_is_not_found(&e)) {
		tfp_log(TFP_LOG_DEBUG, REST_LOG, "%s %s: not found (%s)",
		        q->method, q->path,
		        e.error_code[0] ? e.error_code : rest_reason(status));
		return TFP_ENOTFOUND;
	}
	if (e.error_code[0] != '\0')
		return tfp_diag_error(call->diags, rest_summary(call),
		                      "%s %s returned HTTP %ld %s: %s%s",
		                      q->method, q->path, status, e.error_code,
		                      e.message[0] ? e.message
		                                   : rest_reason(status),
		                      rest_attempts_note(q));
	return tfp_diag_error(call->diags, rest_summary(call),
	                      "%s %s returned HTTP %ld: %s%s", q->method,
	                      q->path, status,
	                      e.message[0] ? e.message : rest_reason(status),
	                      rest_attempts_note(q));
}

char *tfp_rest_escape_to(char *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		/* Not isalnum(): it depends on the locale. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			*out++ = (char)c;
		} else {
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 15];
		}
	}
	*out = '\0';
	return out;
}

char *tfp_rest_escape(struct tfp_arena *a, const char *s)
{
	char *out = tfp_arena_alloc(a, 3 * strlen(s) + 1);

	tfp_rest_escape_to(out, s);
	return out;
}

struct rest_qitem {
	const struct tfp_query *q;
	size_t index;
};

/* By key, then by position: repeated keys keep their order, like Go's
 * url.Values.Encode, so the URL and the cache key are canonical. */
static int rest_qitem_cmp(const void *pa, const void *pb)
{
	const struct rest_qitem *a = pa, *b = pb;
	int c = strcmp(a->q->key, b->q->key);

	if (c != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* path + '?' + the sorted, escaped query (pairs with a NULL value are
 * left out), in the arena. */
static char *rest_target(struct tfp_arena *a, const char *path,
                         const struct tfp_query *query)
{
	struct rest_qitem *items;
	struct rest_buf b;
	size_t n = 0, i, m = 0;
	const char *sep = strchr(path, '?') ? "&" : "?";
	char *out;

	buf_init(&b, SIZE_MAX);
	buf_puts(&b, path);
	for (i = 0; query != NULL && query[i].key != NULL; i++)
		n++;
	if (n > 0) {
		items = tfp_arena_alloc(a, n * sizeof(*items));
		for (i = 0; i < n; i++) {
			if (query[i].value == NULL)
				continue;
			items[m].q = &query[i];
			items[m].index = i;
			m++;
		}
		qsort(items, m, sizeof(*items), rest_qitem_cmp);
		for (i = 0; i < m; i++) {
			buf_puts(&b, i > 0 ? "&" : sep);
			buf_puts(&b, tfp_rest_escape(a, items[i].q->key));
			buf_puts(&b, "=");
			buf_puts(&b, tfp_rest_escape(a, items[i].q->value));
		}
	}
	out = tfp_arena_strndup(a, b.data, b.len);
	buf_dispose(&b);
	return out;
}

int tfp_rest_call(struct cJSON **out, struct tfp_call *call, const char *method,
                  const char *path, const struct tfp_query *query,
                  const struct cJSON *body, unsigned flags)
{
	struct rest_req q = {0};
	struct rest_reply rep = {0};
	struct tfp_rest_cache_ref ref = {0};
	enum tfp_rest_cache_state state;
	struct tfp_rest *r;
	bool get, sent = false;
	char *text;
	size_t len;
	int error;

	assert(call != NULL && call->client != NULL && method != NULL);
	assert(path != NULL && path[0] == '/');
	if (out != NULL)
		*out = NULL;
	r = call->client;
	get = strcmp(method, "GET") == 0;
	assert(!get || body == NULL);
	buf_init(&rep.body, REST_MAX_REPLY);

	q.call = call;
	q.r = r;
	q.method = method;
	q.path = path;
	q.started_ms = rest_now_ms();
	q.idempotent = get || strcmp(method, "HEAD") == 0 ||
	               strcmp(method, "DELETE") == 0 ||
	               (flags & TFP_REST_IDEMPOTENT) != 0;
	q.target = rest_target(call->arena, path, query);
	q.url = tfp_arena_printf(call->arena, "%s%s", r->host, q.target);
	q.user_agent =
	        call->type_name
	                ? tfp_arena_printf(call->arena,
	                                   "%s " REST_UA_SUFFIX " resource/%s",
	                                   r->user_agent, call->type_name)
	                : tfp_arena_printf(call->arena, "%s " REST_UA_SUFFIX,
	                                   r->user_agent);
	if (body != NULL) {
		q.printed = cJSON_PrintUnformatted(body);
		if (q.printed == NULL) {
			fprintf(stderr, "brickform: out of memory (cJSON)\n");
			abort();
		}
		q.body = q.printed;
	} else if (!get && strcmp(method, "DELETE") != 0) {
		/* A write without a body still sends {}: JSON endpoints
		 * reject an empty POST. */
		q.body = "{}";
	}
	if (q.body != NULL)
		q.body_len = strlen(q.body);

	if (get && (flags & TFP_REST_CACHE)) {
		state = tfp_rest_cache_begin(r->cache, q.target, call->stop,
		                             &ref);
		switch (state) {
		case TFP_REST_CACHE_HIT:
		case TFP_REST_CACHE_SHARED:
			tfp_log(TFP_LOG_DEBUG, REST_LOG, "%s %s -> %ld (%s)",
			        method, path, ref.status,
			        state == TFP_REST_CACHE_HIT
			                ? "cached"
			                : "answer of a concurrent call");
			error = rest_finish(out, &q, ref.status, ref.text,
			                    ref.len);
			tfp_rest_cache_release(r->cache, ref.entry);
			ref.entry = NULL;
			goto done;
		case TFP_REST_CACHE_CANCELED:
			error = rest_interrupted(
			        &q, "waiting for the same request made by "
			            "another operation");
			goto done;
		case TFP_REST_CACHE_FETCH:
			break;
		}
	}

	sent = true;
	error = rest_exchange(&q, &rep);
	if (error < 0) {
		if (ref.entry != NULL)
			tfp_rest_cache_fail(r->cache, ref.entry, 0, NULL, 0);
		goto done;
	}
	error = rest_finish(out, &q, rep.status,
	                    rep.body.data ? rep.body.data : "", rep.body.len);
	if (ref.entry != NULL) {
		text = buf_take(&rep.body, &len);
		/* Only good replies are kept; a failed one goes to the callers
		 * already waiting, so they report the same answer. */
		if (error == TFP_OK)
			tfp_rest_cache_fill(r->cache, ref.entry, rep.status,
			                    text, len);
		else
			tfp_rest_cache_fail(r->cache, ref.entry, rep.status,
			                    text, len);
	}

done:
	/* A write that reached the server may have changed what cached
	 * reads would return, even when it failed, so drop its family. */
	if (!get && sent)
		tfp_rest_cache_invalidate(r->cache, path);
	buf_dispose(&rep.body);
	cJSON_free(q.printed);
	return error;
}

/* --- pagination ---------------------------------------------------------- */

int tfp_rest_list(struct tfp_call *call, const char *path,
                  const struct tfp_query *query, const char *items_field,
                  unsigned flags, tfp_rest_item_fn fn, void *payload)
{
	struct tfp_query *q;
	const char **seen = NULL;
	size_t n = 0, m = 0, i, nseen = 0, capseen = 0;
	const char *token = NULL;
	const cJSON *items, *item, *next;
	cJSON *reply;
	int error;

	assert(items_field != NULL && fn != NULL);
	for (i = 0; query != NULL && query[i].key != NULL; i++)
		n++;
	q = tfp_arena_alloc(call->arena, (n + 2) * sizeof(*q));
	for (i = 0; i < n; i++)
		if (strcmp(query[i].key, "page_token") != 0)
			q[m++] = query[i];

	for (;;) {
		q[m].key = token ? "page_token" : NULL;
		q[m].value = token;
		q[m + 1].key = NULL;
		q[m + 1].value = NULL;
		error = tfp_rest_call(&reply, call, "GET", path, q, NULL,
		                      flags);
		if (error < 0)
			return error;
		items = cJSON_GetObjectItemCaseSensitive(reply, items_field);
		/* Databricks leaves an empty list out altogether. */
		if (items != NULL && !cJSON_IsArray(items)) {
			rest_set_last_error(call, "GET", path, 200, "",
			                    "items field is not a list");
			return tfp_diag_error(
			        call->diags, rest_summary(call),
			        "GET %s returned \"%s\" that is not a list.",
			        path, items_field);
		}
		cJSON_ArrayForEach(item, items)
		{
			error = fn(call, item, payload);
			if (error < 0)
				return error;
		}
		next = cJSON_GetObjectItemCaseSensitive(reply,
		                                        "next_page_token");
		if (!cJSON_IsString(next) || next->valuestring[0] == '\0')
			return TFP_OK;
		/* A server that hands out a token again would loop forever. */
		for (i = 0; i < nseen; i++) {
			if (strcmp(seen[i], next->valuestring) == 0) {
				rest_set_last_error(call, "GET", path, 200, "",
				                    "repeated page token");
				return tfp_diag_error(
				        call->diags, rest_summary(call),
				        "GET %s returned the page token "
				        "\"%s\" a second time; stopped "
				        "instead of reading the same pages "
				        "forever.",
				        path, next->valuestring);
			}
		}
		if (nseen == capseen) {
			const char **grown;

			capseen = capseen ? capseen * 2 : 8;
			grown = tfp_arena_alloc(call->arena,
			                        capseen * sizeof(*grown));
			if (nseen > 0)
				memcpy(grown, seen, nseen * sizeof(*grown));
			seen = grown;
		}
		seen[nseen++] = next->valuestring;
		token = next->valuestring;
	}
}

/* --- unauthenticated requests (auth token sources) ----------------------- */

#define REST_FETCH_MAX ((size_t)1 << 20)

int tfp_rest_fetch(long *status, char **body, size_t *len, const char **err,
                   struct tfp_arena *a, const char *url,
                   const char *const *headers, const char *form,
                   long timeout_seconds, bool skip_verify)
{
	struct curl_slist *list = NULL;
	struct rest_buf b;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *scheme = NULL, *name = NULL;
	CURLU *u;
	CURL *h;
	CURLcode res;
	bool ok;
	size_t i, n;
	int error = TFP_OK;

	*status = 0;
	*body = NULL;
	*len = 0;
	*err = NULL;
	pthread_once(&rest_once, rest_global_init);
	if (rest_global_result != CURLE_OK) {
		*err = "libcurl failed to initialise";
		return TFP_ERROR;
	}
	u = curl_url();
	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &name, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		*err = tfp_arena_printf(a, "\"%s\" is not a URL", url);
		return TFP_ERROR;
	}
	n = strlen(name);
	if (n > 2 && name[0] == '[' && name[n - 1] == ']') {
		memmove(name, name + 1, n - 2);
		name[n - 2] = '\0';
	}
	ok = strcasecmp(scheme, "https") == 0 ||
	     (strcasecmp(scheme, "http") == 0 && rest_is_loopback(name));
	curl_free(scheme);
	curl_free(name);
	curl_url_cleanup(u);
	if (!ok) {
		*err = tfp_arena_printf(a,
		                        "%s is neither https:// nor a loopback "
		                        "http:// address",
		                        url);
		return TFP_ERROR;
	}

	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		list = curl_slist_append(list, headers[i]);
	list = curl_slist_append(list, "Accept: application/json");
	if (form != NULL)
		list = curl_slist_append(
		        list, "Content-Type: application/x-www-form-urlencoded");
	list = curl_slist_append(list, "Expect:");
	h = curl_easy_init();
	if (list == NULL || h == NULL) {
		fprintf(stderr, "brickform: out of memory (curl)\n");
		abort();
	}
	buf_init(&b, REST_FETCH_MAX);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "brickform/" TFP_VERSION);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, rest_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	timeout_seconds = timeout_seconds > 0 ? timeout_seconds
	                                      : REST_DEFAULT_TIMEOUT;
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_seconds);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds);
	if (skip_verify) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (form != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)strlen(form));
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	res = curl_easy_perform(h);
	if (res != CURLE_OK) {
		*err = b.too_big ? "the answer is larger than 1 MiB"
		                 : tfp_arena_printf(a, "%s (curl error %d)",
		                                    errbuf[0]
		                                            ? errbuf
		                                            : curl_easy_strerror(
		                                                      res),
		                                    (int)res);
		error = TFP_ERROR;
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
		*body = tfp_arena_strndup(a, b.data ? b.data : "", b.len);
		*len = b.len;
	}
	/* The body may hold a token: wipe it before it is freed. */
	if (b.data != NULL)
		rest_free_secret(buf_take(&b, &n));
	buf_dispose(&b);
	curl_easy_cleanup(h);
	curl_slist_free_all(list);
	return error;
}
