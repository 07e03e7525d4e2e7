/*
 * What the facets of the REST client share: private to client/rest*.c, not
 * for resources or auth.c (they use rest.h).
 *
 * The client is one object (struct tfp_rest) seen from several files, as
 * curl keeps http.c beside http_chunks.c and parsedate.c:
 *
 *   rest.c         the client object (new/free, connection pool, curl
 *                  share), one HTTP exchange (tfp_rest__perform), turning
 *                  answers into results, tfp_rest_call, tfp_rest_fetch
 *   rest_url.c     the workspace host (checked, normalised) and request
 *                  targets (path + sorted, escaped query), escaping
 *   rest_page.c    pagination (tfp_rest_list)
 *   rest_errors.c  error bodies into tfp_api_error, the not-found rules
 *                  (generic ones and the families' tables), text cleaned
 *                  for diagnostics
 *   rest_retry.c   the attempt loop (tfp_rest__exchange) and its
 *                  decisions: what to retry, backoff, Retry-After and
 *                  HTTP dates, the rate limiter, stop-aware waits
 *   rest_trace.c   redaction (token echoes, secret JSON values,
 *                  credential headers) and TRACE logging
 *   rest_cache.c   the single-flight read cache (rest_cache.h)
 *
 * Names are tfp_rest__x (libgit2's double underscore: semi-private).
 * Every function here is thread-safe in the sense the client is: a request
 * (struct tfp_rest__req) belongs to one thread; the client's shared state
 * is guarded by its own locks or atomics.
 */
#ifndef TFP_REST_INTERNAL_H
#define TFP_REST_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rest.h"

struct tfp_arena;
struct tfp_diags;
struct tfp_rest_cache;

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
#define REST_PACE_CUT             0.7  /* pace kept after a 429 */
#define REST_PACE_CUT_MS          1000 /* at most one cut a second */
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
	/* The families' not-found tables (borrowed; NULL: generic rules). */
	const struct tfp_rest_not_found *const *not_found;
	char *user_agent;
	/* The Databricks account this client speaks for (NULL: none), and
	 * whether it talks to the account API rather than a workspace. */
	char *account_id;
	bool account_level;
	long timeout_seconds;
	long retry_timeout_seconds; /* < 0: retry without limit */
	bool skip_verify;
	bool debug_headers;
	long debug_truncate_bytes;
	/* The token bucket: pace tokens a second up to burst (= pace); rate
	 * 0 = unlimited. tokens goes negative while callers wait their turn.
	 * pace is the rate in force: the configured rate, lowered when the
	 * workspace answers 429 and raised back by successes (never above
	 * rate), so a workspace that allows less is not sent requests it
	 * can only refuse. */
	pthread_mutex_t limit_lock;
	double rate, pace, tokens;
	long limit_ms; /* when tokens was last brought up to date */
	long cut_ms;   /* when pace was last lowered */
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	pthread_mutex_t pool_lock;
	CURL *pool[REST_POOL_MAX];
	size_t pool_n;
	atomic_ulong requests;
	atomic_ulong throttled; /* answers retried as throttling (rest_retry.c) */
	atomic_uint_fast64_t jitter_state;
	struct tfp_rest_cache *cache;
	struct tfp_rest_batch *batch; /* batched reads (rest_batch.c) */
};

/* A growable byte buffer with a cap, always NUL-terminated once used. */
struct tfp_rest__buf {
	char *data;
	size_t len, cap, max;
	bool too_big;
};

/* One logical call, possibly several attempts. */
struct tfp_rest__req {
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
struct tfp_rest__reply {
	CURLcode result;
	long status;
	long sent; /* bytes of request headers sent (CURLINFO_REQUEST_SIZE) */
	struct tfp_rest__buf body;
	char retry_after[64];
	char errbuf[CURL_ERROR_SIZE];
};

/* --- rest.c: small helpers ----------------------------------------------- */

/** Milliseconds on the monotonic clock. */
long tfp_rest__now_ms(void);

/** An empty buffer that refuses to grow past max bytes. */
void tfp_rest__buf_init(struct tfp_rest__buf *b, size_t max);
/** Appends n bytes; false (and too_big set) when max would be passed. */
bool tfp_rest__buf_append(struct tfp_rest__buf *b, const void *p, size_t n);
void tfp_rest__buf_puts(struct tfp_rest__buf *b, const char *s);
/** Hands the text over (never NULL; the caller frees it); the buffer is
 * empty afterwards. */
char *tfp_rest__buf_take(struct tfp_rest__buf *b, size_t *len);
void tfp_rest__buf_dispose(struct tfp_rest__buf *b);

bool tfp_rest__is_space(char c);
/** Trims white space off both ends of s[0..*n): returns the new start and
 * shortens *n. */
const char *tfp_rest__trim(const char *s, size_t *n);
/** Wipes a secret before freeing it; NULL is fine. */
void tfp_rest__free_secret(char *s);

/** "Failed to <op> <type_name>", the summary of every call diagnostic. */
const char *tfp_rest__summary(struct tfp_call *call);
/** Fills call->last_error (strings copied into call->arena). */
void tfp_rest__set_last_error(struct tfp_call *call, const char *method,
                              const char *path, long status, const char *code,
                              const char *message);
/** " (gave up after 4 attempts in 31 s)" when the call was retried. */
const char *tfp_rest__attempts_note(struct tfp_rest__req *q);

/** Makes one attempt; fills *rep (whose body the caller disposes of). */
void tfp_rest__perform(struct tfp_rest__req *q, struct tfp_rest__reply *rep);

/* --- rest_url.c ---------------------------------------------------------- */

/** True for localhost and names under it (x.localhost, RFC 6761),
 * 127.0.0.0/8, ::1 and ::ffff:127.x.y.z; a trailing dot is allowed. */
bool tfp_rest__is_loopback(const char *name);

/* The batched reads' lists (rest_batch.c), one set per client. */
struct tfp_rest_batch;
struct tfp_rest_batch *tfp_rest_batch_new(void);
void tfp_rest_batch_free(struct tfp_rest_batch *b);
/* A write of path reached the server: drop the lists of its family. */
void tfp_rest_batch_wrote(struct tfp_rest_batch *b, const char *path);
/* The link-local cloud metadata services: 169.254.169.254 (Azure's
 * instance metadata service, Google's metadata server) and
 * metadata.google.internal. */
bool tfp_rest__is_metadata_service(const char *name);
/**
 * Checks the configured host and returns "scheme://authority" in *out
 * (malloc'd), or TFP_ERROR with a diagnostic in d.
 */
int tfp_rest__check_host(char **out, const char *host, struct tfp_diags *d);
/** path + '?' + the sorted, escaped query (pairs with a NULL value are
 * left out), in a. */
char *tfp_rest__target(struct tfp_arena *a, const char *path,
                       const struct tfp_query *query);

/* --- rest_errors.c ------------------------------------------------------- */

/**
 * Untrusted text made fit for a diagnostic (valid UTF-8, no control
 * characters but newline and tab), trimmed and capped at max bytes, in a.
 */
char *tfp_rest__clean(struct tfp_arena *a, const char *s, size_t n,
                      size_t max);
/** The reason phrase of an HTTP status ("Not Found"). */
const char *tfp_rest__reason(long status);

/* --- rest_retry.c -------------------------------------------------------- */

/** Sets up the client's token bucket from tfp_rest_config.rate_limit. */
void tfp_rest__limit_init(struct tfp_rest *r, double rate_limit);
/**
 * Sends the request until it gets a final answer: TFP_OK with the answer
 * (any status) in *rep, or a negative code with a diagnostic for a
 * transport failure, an oversized reply or an interrupted wait.
 */
int tfp_rest__exchange(struct tfp_rest__req *q, struct tfp_rest__reply *rep);
/** The "Interrupted" diagnostic; returns TFP_ECANCELED. */
int tfp_rest__interrupted(struct tfp_rest__req *q, const char *while_doing);

/* --- rest_trace.c -------------------------------------------------------- */

/** s with every echo of secret replaced by "<redacted>" (s itself when
 * there is none). */
const char *tfp_rest__redact(struct tfp_arena *a, const char *s,
                             const char *secret);
/** Replaces, in place, the values of secret keys (passwords, tokens,
 * secret values, ...) anywhere in a JSON tree with "<redacted>". */
void tfp_rest__redact_json(struct cJSON *node);
/** CURLOPT_DEBUGFUNCTION: curl's trace at TRACE, credentials redacted,
 * bodies by size only. */
int tfp_rest__debug_cb(CURL *h, curl_infotype type, char *data, size_t size,
                       void *userp);
/** With debug_headers, TRACE shows the bodies of each attempt. */
void tfp_rest__trace_bodies(struct tfp_rest__req *q,
                            struct tfp_rest__reply *rep);

#endif
