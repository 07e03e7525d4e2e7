/*
 * The Databricks REST client: the client object and one call.
 *
 * A call builds the URL (host + path + '?' + sorted, escaped query:
 * rest_url.c), sends it on a pooled curl easy handle with the bearer token
 * (tfp_rest__perform), lets rest_retry.c repeat what is safe to repeat
 * within the retry budget, and turns the final answer into a cJSON tree
 * owned by the call's arena, TFP_ENOTFOUND (rest_errors.c decides), or
 * exactly one error diagnostic. Reads may go through the single-flight
 * cache (rest_cache.c). tfp_rest_fetch, for the token sources of auth.c,
 * is one unauthenticated request outside any client.
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
 * answer (with any echo of the token blanked out by rest_trace.c), never
 * headers. The facets share struct tfp_rest through rest_internal.h.
 */
#include "rest.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
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
#include "rest_internal.h"

static pthread_once_t rest_once = PTHREAD_ONCE_INIT;
static CURLcode rest_global_result;

static void rest_global_init(void)
{
	rest_global_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* --- small helpers ------------------------------------------------------- */

long tfp_rest__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tfp_rest__buf_init(struct tfp_rest__buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

bool tfp_rest__buf_append(struct tfp_rest__buf *b, const void *p, size_t n)
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

void tfp_rest__buf_puts(struct tfp_rest__buf *b, const char *s)
{
	tfp_rest__buf_append(b, s, strlen(s));
}

/* Hands the text over (never NULL); the buffer is empty afterwards. */
char *tfp_rest__buf_take(struct tfp_rest__buf *b, size_t *len)
{
	char *p = b->data ? b->data : tfp_xstrdup("");

	*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void tfp_rest__buf_dispose(struct tfp_rest__buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool tfp_rest__is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

/* Trims white space off both ends of s[0..*n): returns the new start and
 * shortens *n. */
const char *tfp_rest__trim(const char *s, size_t *n)
{
	while (*n > 0 && tfp_rest__is_space(s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && tfp_rest__is_space(s[*n - 1]))
		(*n)--;
	return s;
}

/* Wipes a secret before freeing it. */
void tfp_rest__free_secret(char *s)
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

const char *tfp_rest__summary(struct tfp_call *call)
{
	if (call->op == NULL || call->type_name == NULL)
		return "Databricks API request failed";
	return tfp_arena_printf(call->arena, "Failed to %s %s", call->op,
	                        call->type_name);
}

void tfp_rest__set_last_error(struct tfp_call *call, const char *method,
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
const char *tfp_rest__attempts_note(struct tfp_rest__req *q)
{
	if (q->attempts <= 1)
		return "";
	return tfp_arena_printf(
	        q->call->arena, " (gave up after %u attempts in %ld s)",
	        q->attempts, (tfp_rest__now_ms() - q->started_ms + 500) / 1000);
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
	tfp_rest__trim(cfg->host ? cfg->host : "", &n);
	if (n == 0)
		error = tfp_diag_error(
		        d, "Missing Databricks host",
		        "Set host in the provider block or the DATABRICKS_HOST "
		        "environment variable to the workspace URL, for "
		        "example https://<workspace>.cloud.databricks.com.");
	else if (tfp_rest__check_host(&host, cfg->host, d) < 0)
		error = TFP_ERROR;

	n = cfg->token ? strlen(cfg->token) : 0;
	if (n > 0) {
		const char *t = tfp_rest__trim(cfg->token, &n);

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
	r->not_found = cfg->not_found;
	if (r->token != NULL) {
		n = strlen("Authorization: Bearer ") + strlen(r->token) + 1;
		r->auth = tfp_xmalloc(n);
		snprintf(r->auth, n, "Authorization: Bearer %s", r->token);
	}
	ua = cfg->user_agent && cfg->user_agent[0] ? cfg->user_agent
	                                           : "brickform/" TFP_VERSION;
	r->user_agent = tfp_xstrdup(ua);
	r->account_id = cfg->account_id && cfg->account_id[0]
				? tfp_xstrdup(cfg->account_id)
				: NULL;
	r->account_level = cfg->account_level;
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
	tfp_rest__limit_init(r, cfg->rate_limit);
	atomic_init(&r->requests, 0);
	atomic_init(&r->throttled, 0);
	atomic_init(&r->jitter_state, (uint_fast64_t)tfp_rest__now_ms() ^
	                                      (uint_fast64_t)(uintptr_t)r);
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
	r->batch = tfp_rest_batch_new();
	/* The payload becomes the client's only now: a failed new leaves
	 * it to the caller. */
	r->auth_free = cfg->auth_free;
	*out = r;
	r = NULL;

cleanup:
	free(host);
	tfp_rest__free_secret(token);
	tfp_rest_free(r);
	return error;
}

int tfp_rest_new_for_host(struct tfp_rest **out, const struct tfp_rest *base,
                          const char *host, struct tfp_diags *d)
{
	struct tfp_rest_config cfg = {
	        .host = host,
	        .token = base->token,
	        .user_agent = base->user_agent,
	        .timeout_seconds = base->timeout_seconds,
	        .retry_timeout_seconds = base->retry_timeout_seconds,
	        .skip_verify = base->skip_verify,
	        /* tfp_rest__limit_init keeps 0 for "unlimited". */
	        .rate_limit = base->rate > 0 ? base->rate : -1,
	        .debug_truncate_bytes = base->debug_truncate_bytes,
	        .debug_headers = base->debug_headers,
	        /* Borrowed: base owns the token source and outlives this
	         * client (auth_free stays NULL). */
	        .auth_header = base->auth_fn,
	        .auth_payload = base->auth_payload,
	        .not_found = base->not_found,
	        .account_id = base->account_id,
	        .account_level = false,
	};

	return tfp_rest_new(out, &cfg, d);
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
	tfp_rest_batch_free(r->batch);
	if (r->auth_free != NULL)
		r->auth_free(r->auth_payload);
	free(r->host);
	free(r->user_agent);
	free(r->account_id);
	tfp_rest__free_secret(r->auth);
	tfp_rest__free_secret(r->token);
	free(r);
}

unsigned long tfp_rest_request_count(const struct tfp_rest *r)
{
	return atomic_load(&r->requests);
}

unsigned long tfp_rest_throttled_count(const struct tfp_rest *r)
{
	return atomic_load(&r->throttled);
}

const char *tfp_rest_host(const struct tfp_rest *r)
{
	return r != NULL ? r->host : NULL;
}

const char *tfp_rest_account_id(const struct tfp_rest *r)
{
	return r != NULL ? r->account_id : NULL;
}

bool tfp_rest_is_account(const struct tfp_rest *r)
{
	return r != NULL && r->account_level;
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
	struct tfp_rest__buf *b = userp;
	size_t len = size * n;

	/* Returning short makes curl stop with CURLE_WRITE_ERROR. */
	return tfp_rest__buf_append(b, data, len) ? len : 0;
}

static size_t rest_header_cb(char *data, size_t size, size_t n, void *userp)
{
	struct tfp_rest__reply *rep = userp;
	size_t len = size * n, vlen;
	const char *v;

	/* A new status line (after a 100 Continue) starts a new header set. */
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		rep->retry_after[0] = '\0';
	} else if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		vlen = len - 12;
		v = tfp_rest__trim(data + 12, &vlen);
		if (vlen < sizeof(rep->retry_after)) {
			memcpy(rep->retry_after, v, vlen);
			rep->retry_after[vlen] = '\0';
		}
	}
	return len;
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
void tfp_rest__perform(struct tfp_rest__req *q, struct tfp_rest__reply *rep)
{
	struct tfp_rest *r = q->r;
	struct curl_slist *headers = NULL;
	CURL *h = rest_handle_get(r);

	memset(rep, 0, sizeof(*rep));
	tfp_rest__buf_init(&rep->body, REST_MAX_REPLY);
	{
		/* A token source may give several lines (Azure's management
		 * token goes with the Authorization header): one each. */
		const char *a = q->auth ? q->auth : r->auth, *nl;

		while (a != NULL && (nl = strchr(a, '\n')) != NULL) {
			char *line = tfp_arena_strndup(q->call->arena, a,
			                               (size_t)(nl - a));

			headers = curl_slist_append(headers, line);
			a = nl + 1;
		}
		headers = curl_slist_append(headers, a);
	}
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
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, tfp_rest__debug_cb);
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

/* --- turning answers into results ---------------------------------------- */

static int rest_parse_reply(struct cJSON **out, struct tfp_rest__req *q,
                            long status, const char *text, size_t len)
{
	struct tfp_call *call = q->call;
	const char *p = text, *end = text + len, *stop = NULL;
	cJSON *tree;

	while (p < end && tfp_rest__is_space(*p))
		p++;
	if (p == end) {
		/* Void methods may answer 200 with nothing at all. */
		tree = cJSON_CreateObject();
	} else if (*p == '<') {
		tfp_rest__set_last_error(call, q->method, q->path, status, "",
		                         "HTML instead of JSON");
		return tfp_diag_error(
		        call->diags, tfp_rest__summary(call),
		        "%s %s returned HTTP %ld with an HTML page instead of "
		        "JSON. Check that host (%s) is the workspace URL.",
		        q->method, q->path, status, q->r->host);
	} else {
		tree = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
		if (tree != NULL)
			while (stop < end && tfp_rest__is_space(*stop))
				stop++;
		if (tree == NULL || stop != end) {
			const char *snippet = tfp_rest__clean(
			        call->arena, text, len, REST_SNIPPET_MAX);

			cJSON_Delete(tree);
			snippet = tfp_rest__redact(call->arena, snippet,
			                           q->r->token);
			tfp_rest__set_last_error(call, q->method, q->path,
			                         status, "",
			                         "reply is not JSON");
			return tfp_diag_error(
			        call->diags, tfp_rest__summary(call),
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
static int rest_finish(struct cJSON **out, struct tfp_rest__req *q, long status,
                       const char *text, size_t len)
{
	struct tfp_call *call = q->call;
	struct tfp_api_error e;

	if (status >= 200 && status < 300)
		return rest_parse_reply(out, q, status, text, len);
	tfp_rest_parse_error(&e, call->arena, q->method, q->path, status, text,
	                     len);
	e.message = tfp_rest__redact(call->arena, e.message, q->r->token);
	call->last_error = e;
	if (tfp_rest_is_not_found_in(q->r->not_found, &e)) {
		tfp_log(TFP_LOG_DEBUG, REST_LOG, "%s %s: not found (%s)",
		        q->method, q->path,
		        e.error_code[0] ? e.error_code
		                        : tfp_rest__reason(status));
		return TFP_ENOTFOUND;
	}
	if (e.error_code[0] != '\0')
		return tfp_diag_error(call->diags, tfp_rest__summary(call),
		                      "%s %s returned HTTP %ld %s: %s%s",
		                      q->method, q->path, status, e.error_code,
		                      e.message[0] ? e.message
		                                   : tfp_rest__reason(status),
		                      tfp_rest__attempts_note(q));
	return tfp_diag_error(
	        call->diags, tfp_rest__summary(call),
	        "%s %s returned HTTP %ld: %s%s", q->method, q->path, status,
	        e.message[0] ? e.message : tfp_rest__reason(status),
	        tfp_rest__attempts_note(q));
}

/* --- calls --------------------------------------------------------------- */

int tfp_rest_call(struct cJSON **out, struct tfp_call *call, const char *method,
                  const char *path, const struct tfp_query *query,
                  const struct cJSON *body, unsigned flags)
{
	struct tfp_rest__req q = {0};
	struct tfp_rest__reply rep = {0};
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
	tfp_rest__buf_init(&rep.body, REST_MAX_REPLY);

	q.call = call;
	q.r = r;
	q.method = method;
	q.path = path;
	q.started_ms = tfp_rest__now_ms();
	q.idempotent = get || strcmp(method, "HEAD") == 0 ||
	               strcmp(method, "DELETE") == 0 ||
	               (flags & TFP_REST_IDEMPOTENT) != 0;
	q.target = tfp_rest__target(call->arena, path, query);
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
			error = tfp_rest__interrupted(
			        &q, "waiting for the same request made by "
			            "another operation");
			goto done;
		case TFP_REST_CACHE_FETCH:
			break;
		}
	}

	sent = true;
	error = tfp_rest__exchange(&q, &rep);
	if (error < 0) {
		if (ref.entry != NULL)
			tfp_rest_cache_fail(r->cache, ref.entry, 0, NULL, 0);
		goto done;
	}
	error = rest_finish(out, &q, rep.status,
	                    rep.body.data ? rep.body.data : "", rep.body.len);
	if (ref.entry != NULL) {
		text = tfp_rest__buf_take(&rep.body, &len);
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
	if (!get && sent) {
		tfp_rest_cache_invalidate(r->cache, path);
		tfp_rest_batch_wrote(r->batch, path);
	}
	tfp_rest__buf_dispose(&rep.body);
	cJSON_free(q.printed);
	return error;
}

/* --- unauthenticated requests (auth token sources) ----------------------- */

#define REST_FETCH_MAX ((size_t)1 << 20)

/* tfp_rest_fetch, and with location != NULL the redirect target of a 3xx
 * answer (in a; NULL without one), which is never followed. */
static int rest_fetch(long *status, char **body, size_t *len,
                      const char **location, const char **err,
                      struct tfp_arena *a, const char *url,
                      const char *const *headers, const char *form,
                      long timeout_seconds, bool skip_verify)
{
	struct curl_slist *list = NULL;
	struct tfp_rest__buf b;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *scheme = NULL, *name = NULL;
	CURLU *u;
	CURL *h;
	CURLcode res;
	bool ok, typed = false;
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
	/* Cloud metadata services (Azure's IMDS, Google's metadata server)
	 * only speak plain HTTP, on a link-local address the machine alone
	 * reaches. */
	ok = strcasecmp(scheme, "https") == 0 ||
	     (strcasecmp(scheme, "http") == 0 &&
	      (tfp_rest__is_loopback(name) ||
	       tfp_rest__is_metadata_service(name)));
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

	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		list = curl_slist_append(list, headers[i]);
		if (strncasecmp(headers[i], "Content-Type:", 13) == 0)
			typed = true; /* a JSON body (Google's IAM API) */
	}
	list = curl_slist_append(list, "Accept: application/json");
	if (form != NULL && !typed)
		list = curl_slist_append(
		        list, "Content-Type: application/x-www-form-urlencoded");
	list = curl_slist_append(list, "Expect:");
	h = curl_easy_init();
	if (list == NULL || h == NULL) {
		fprintf(stderr, "brickform: out of memory (curl)\n");
		abort();
	}
	tfp_rest__buf_init(&b, REST_FETCH_MAX);
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
		if (location != NULL) {
			char *target = NULL;

			*location = NULL;
			if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL,
			                      &target) == CURLE_OK &&
			    target != NULL)
				*location = tfp_arena_strdup(a, target);
		}
	}
	/* The body may hold a token: wipe it before it is freed. */
	if (b.data != NULL)
		tfp_rest__free_secret(tfp_rest__buf_take(&b, &n));
	tfp_rest__buf_dispose(&b);
	curl_easy_cleanup(h);
	curl_slist_free_all(list);
	return error;
}

int tfp_rest_fetch(long *status, char **body, size_t *len, const char **err,
                   struct tfp_arena *a, const char *url,
                   const char *const *headers, const char *form,
                   long timeout_seconds, bool skip_verify)
{
	return rest_fetch(status, body, len, NULL, err, a, url, headers, form,
	                  timeout_seconds, skip_verify);
}

int tfp_rest_fetch_redirect(long *status, const char **location,
                            const char **err, struct tfp_arena *a,
                            const char *url, long timeout_seconds,
                            bool skip_verify)
{
	char *body;
	size_t len;

	return rest_fetch(status, &body, &len, location, err, a, url, NULL,
	                  NULL, timeout_seconds, skip_verify);
}
