/*
 * The one REST client every resource uses: the only libcurl user.
 *
 * It owns the workspace host, authentication (Authorization: Bearer),
 * JSON request and response bodies, connection reuse across threads,
 * retries of throttled calls (429/503 honouring Retry-After), pagination,
 * a read cache for list endpoints, and the mapping of Databricks error
 * bodies to diagnostics.
 *
 * Errors: on failure a call adds one diagnostic to call->diags whose summary
 * says what the user was doing ("Failed to create databricks_secret_scope",
 * from call->op and call->type_name) and whose detail says what the
 * workspace answered ("POST /api/2.0/secrets/scopes/create returned HTTP 400
 * RESOURCE_ALREADY_EXISTS: Scope x already exists!"), and returns TFP_ERROR.
 * When the workspace says the object does not exist (404, or
 * RESOURCE_DOES_NOT_EXIST, or a rule of the not-found tables the provider
 * configured, such as the 400 "... does not exist" quirk of jobs/get and
 * clusters/get) the call returns TFP_ENOTFOUND and adds NO diagnostic;
 * call->last_error holds the answer for whoever needs to report it.
 *
 * call->last_error keeps the most recent error of any kind (status 0 for a
 * transport failure); successful calls leave it alone.
 *
 * Replies: *out is a cJSON tree owned by call->arena (freed with it); an
 * empty 2xx body gives an empty object. out may be NULL when the reply is
 * not needed. A 2xx reply that is HTML or not JSON is an error. Replies are
 * capped at 64 MiB. Secrets (the token, Authorization headers) are never
 * logged and never appear in a diagnostic; a workspace message that echoes
 * the token has it replaced by "<redacted>".
 *
 * Retries: 429, 503 and the codes REQUEST_LIMIT_EXCEEDED,
 * TEMPORARILY_UNAVAILABLE and RESOURCE_EXHAUSTED are retried for every
 * method (the server refused the request). GET, HEAD, DELETE and calls made
 * with TFP_REST_IDEMPOTENT also retry 500, 502 and 504, broken connections
 * (reset, empty or partial reply), TLS handshake failures and timeouts.
 * Other writes (POST, PATCH, PUT) retry a transport failure only when
 * nothing was sent: a refused connection or a timeout while connecting.
 * The wait is Retry-After when the answer has one, else
 * tfp_rest_backoff_ms; the total stays within retry_timeout_seconds, and a
 * wait that would overrun it fails at once. Every attempt, retries
 * included, first takes a token from the client's rate limiter. When
 * *call->stop becomes true, a retry or rate-limit wait or a GET in flight
 * ends with TFP_ECANCELED and the diagnostic "Interrupted"; writes in
 * flight are left to finish, since an abandoned write may still happen.
 *
 * This header does not know tfp_value. See docs/internals/rest.md.
 */
#ifndef TFP_REST_H
#define TFP_REST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "call.h"

struct cJSON;
struct tfp_arena;
struct tfp_diags;
struct tfp_rest;

/*
 * A workspace answer that means "the object is gone", beyond the generic
 * rules (HTTP 404 other than ENDPOINT_NOT_FOUND, RESOURCE_DOES_NOT_EXIST,
 * NOT_FOUND, *_DOES_NOT_EXIST). The resource family that owns an API quirk
 * declares its rules in a table ending with { .path = NULL }; the provider
 * hands the tables to the client (tfp_rest_config.not_found). A rule
 * matches when every field it sets matches; unset fields match anything.
 */
struct tfp_rest_not_found {
	/* API path the rule covers, as a prefix of what follows
	 * "/api/2.<n>/": "jobs/delete", "clusters/" (every Clusters call),
	 * "jobs/runs/get" (also jobs/runs/get-output). */
	const char *path;
	/* A prefix of the same kind that path leaves out ("clusters/create"),
	 * or NULL. */
	const char *except;
	/* "GET"; "!GET" = any method but GET; NULL = any method. */
	const char *method;
	long status;            /* 400; 0 = any */
	const char *error_code; /* "INVALID_PARAMETER_VALUE"; NULL = any */
	/* A substring of the message ("does not exist"), or NULL. */
	const char *message;
	/* A test on the message where a substring is not enough (NULL: none);
	 * message is never NULL. */
	bool (*match)(const char *message);
};

struct tfp_rest_config {
	const char *host;        /* "https://x.cloud.databricks.com" or loopback http */
	const char *token;       /* PAT; secret */
	const char *user_agent;  /* product part, e.g. "brickform/0.1.0" */
	long timeout_seconds;    /* per request, of inactivity; 0 = 60 */
	long retry_timeout_seconds; /* total retry budget; 0 = 300, < 0 = none */
	bool skip_verify;        /* TLS verification off (tests only) */
	/* Requests per second for the whole client (burst = rate):
	 * 0 = the default 15, < 0 = unlimited. */
	double rate_limit;
	/* Bytes of each body shown at TRACE with debug_headers; <= 0 = 96. */
	long debug_truncate_bytes;
	/* TRACE also logs request and reply bodies (truncated, secret values
	 * redacted); headers are logged at TRACE either way, credentials
	 * always redacted. */
	bool debug_headers;
	/*
	 * Authorization from a token source instead of token (which may then
	 * be NULL): called before each attempt with stale NULL, and once more
	 * with stale = the header a 401 answer refused, after which the
	 * request is retried once. *value is the whole header line
	 * ("Authorization: Bearer ..."), in call->arena. A negative return
	 * fails the call; the callback has added the diagnostic.
	 */
	/* *value may hold several header lines separated by '\n'. */
	int (*auth_header)(const char **value, struct tfp_call *call,
			   const char *stale, void *payload);
	void *auth_payload;
	/* Frees auth_payload with the client (NULL: the caller keeps it).
	 * The client owns the payload only once tfp_rest_new succeeds. */
	void (*auth_free)(void *payload);
	/*
	 * The not-found rules beyond the generic ones: a list of tables, each
	 * ending with { .path = NULL }, the list ending with NULL (NULL: only
	 * the generic rules). Borrowed, not copied: the tables must outlive
	 * the client (the families' tables are static).
	 */
	const struct tfp_rest_not_found *const *not_found;
	/* The Databricks account (account-level APIs), or NULL; and whether
	 * the host is the account console rather than a workspace. */
	const char *account_id;
	bool account_level;
};

/**
 * Checks cfg and creates a client into *out (caller frees it with
 * tfp_rest_free). host must be https://, or http:// on a loopback address
 * (127.0.0.0/8, localhost, [::1]); a host without a scheme gets https://,
 * and like the Go SDK only scheme://host[:port] is kept (a trailing slash
 * or path is dropped). Surrounding white space in host and token is
 * ignored. Errors (bad host, missing host or token, a token with control
 * characters) become diagnostics in d, all of them at once, and TFP_ERROR;
 * *out is then NULL. cfg's strings are copied.
 */
int tfp_rest_new(struct tfp_rest **out, const struct tfp_rest_config *cfg,
		 struct tfp_diags *d);
/**
 * A client for another workspace host with base's credentials and
 * settings (what the Go SDK's ClientForHost does): the account provider
 * reaching a workspace it has just made (a workspace PAT for
 * databricks_mws_workspaces' token block). The token source is borrowed,
 * so the new client must be freed before base. Errors as tfp_rest_new.
 */
int tfp_rest_new_for_host(struct tfp_rest **out, const struct tfp_rest *base,
                          const char *host, struct tfp_diags *d);
/** Frees the client and its connections; NULL is fine. */
void tfp_rest_free(struct tfp_rest *r);

/**
 * A query parameter; arrays of these end with { NULL, NULL }. A pair whose
 * value is NULL is left out, so optional parameters need no branching.
 * Keys and values are percent-encoded by the client and sorted by key
 * (repeated keys keep their order).
 */
struct tfp_query {
	const char *key;
	const char *value;
};

enum {
	TFP_REST_CACHE = 1 << 0, /* GET: serve from / fill the read cache */
	/*
	 * A write that is safe to repeat (secrets/put, acls/put, jobs/reset,
	 * jobs/delete: the same request twice leaves the same state): it
	 * gets GET's retry policy (500/502/504, resets, timeouts). Never set
	 * it on a create: a retried create after a lost answer makes two.
	 */
	TFP_REST_IDEMPOTENT = 1 << 1,
};

/**
 * One API call. method is "GET", "POST", "PATCH", "PUT" or "DELETE"; path
 * starts with "/api/" and is sent as given (callers escape any id in it);
 * query may be NULL; body (POST/PATCH/PUT, rarely DELETE) may be NULL, and
 * POST/PATCH/PUT then send "{}". Returns TFP_OK, TFP_ENOTFOUND (no
 * diagnostic), TFP_ECANCELED or TFP_ERROR (one diagnostic), or
 * TFP_EUNCERTAIN (one diagnostic saying the outcome is unknown;
 * call->last_error.uncertain set) when a write without TFP_REST_IDEMPOTENT
 * failed after its request may have reached the workspace. Such writes go
 * over a fresh connection, so libcurl never resends them on its own.
 *
 * With TFP_REST_CACHE a GET is answered from the client's cache when the
 * same method + path + query was fetched before; concurrent misses for one
 * key make one request (the others wait for it and get its answer, error
 * included; only good replies are kept). Any non-GET call that reached the
 * server, even one that failed, drops cached replies of the same API
 * family (the first three path segments, e.g. "/api/2.0/secrets", with
 * the version ignored so that "/api/2.1/jobs" and "/api/2.2/jobs" are one
 * family), so a read after a write is fresh. Each caller gets its own tree.
 */
int tfp_rest_call(struct cJSON **out, struct tfp_call *call,
		  const char *method, const char *path,
		  const struct tfp_query *query, const struct cJSON *body,
		  unsigned flags);

static inline int tfp_rest_get(struct cJSON **out, struct tfp_call *call,
			       const char *path, const struct tfp_query *query)
{
	return tfp_rest_call(out, call, "GET", path, query, NULL, 0);
}

static inline int tfp_rest_post(struct cJSON **out, struct tfp_call *call,
				const char *path, const struct cJSON *body)
{
	return tfp_rest_call(out, call, "POST", path, NULL, body, 0);
}

/* --- batched reads (rest_batch.c) --------------------------------------- */

/** How a list endpoint pages. */
enum tfp_rest_paging {
	TFP_REST_PAGE_TOKEN = 0, /* next_page_token -> ?page_token= */
	TFP_REST_PAGE_SCIM,	 /* SCIM 2.0: startIndex, count, totalResults */
	TFP_REST_PAGE_NONE,	 /* one answer holds everything */
};

/**
 * A list endpoint that can answer reads of its objects: the path and its
 * fixed query (a parent: {"catalog_name", "main"}; expand_tasks), the
 * array of objects in each page, each object's id field (a string, or an
 * integer compared in decimal), how it pages and the page size parameter
 * (size_param = size_value; SCIM: count), and a flag field that marks an
 * object the list gives incomplete (Jobs 2.2's has_more). fold: ids
 * compare without regard to case (Unity Catalog names).
 */
struct tfp_rest_batch_list {
	const char *path;
	const struct tfp_query *query;
	const char *items, *id_field;
	enum tfp_rest_paging paging;
	const char *size_param, *size_value;
	const char *partial_field;
	bool fold;
};

/**
 * A read served from the list: TFP_OK with *out (in call->arena) the
 * object whose id is id as the list has it, or TFP_ENOTFOUND when the
 * caller must GET it (not listed, listed incomplete, batching not worth
 * it yet, a page failed, or the read comes after a write of its family).
 * Never adds a diagnostic. The lists fetched stay with the client for
 * later reads; the calls made for them never exceed the reads that asked
 * plus one, so batching costs at most twice the GETs plus one. For
 * refresh reads only: an object this process has just written is read
 * with a GET.
 */
int tfp_rest_batch_find(struct cJSON **out, struct tfp_call *call,
			const struct tfp_rest_batch_list *list, const char *id);

/** Called once per item of a paginated list; a negative return stops. */
typedef int (*tfp_rest_item_fn)(struct tfp_call *call,
				const struct cJSON *item, void *payload);

/**
 * GETs every page of a list endpoint: the items of array items_field go to
 * fn; it follows "next_page_token" (sent back as "page_token", replacing
 * any page_token in query) until the reply has none. A reply without
 * items_field has no items. A page token seen before is an error rather
 * than an endless loop. Items are borrowed from reply trees that live in
 * call->arena. Returns TFP_OK, fn's negative code, or an API error.
 */
int tfp_rest_list(struct tfp_call *call, const char *path,
		  const struct tfp_query *query, const char *items_field,
		  unsigned flags, tfp_rest_item_fn fn, void *payload);

/* The page size tfp_rest_list_scim asks for: the Go SDK's, which the
 * service serves in full (a server may still answer fewer). */
#define TFP_REST_SCIM_PAGE 10000

/**
 * GETs every page of a SCIM 2.0 list (RFC 7644 §3.4.2.4): startIndex and
 * count (TFP_REST_SCIM_PAGE) are added to query (which must not have
 * them); the items of "Resources" go to fn. A server may answer fewer
 * items than asked, so the walk goes on from where each page ended until
 * totalResults are seen; a page with no items ends it (rather than asking
 * for the same page forever). Items are borrowed from reply trees in
 * call->arena. Returns TFP_OK, fn's negative code, or an API error.
 */
int tfp_rest_list_scim(struct tfp_call *call, const char *path,
		       const struct tfp_query *query, unsigned flags,
		       tfp_rest_item_fn fn, void *payload);

/**
 * How many HTTP requests this client has sent (tests, benchmarks): retries
 * count, cache hits and refused connections do not.
 */
unsigned long tfp_rest_request_count(const struct tfp_rest *r);
/** How many answers were retried as throttling or unavailability (429, 503,
 * REQUEST_LIMIT_EXCEEDED ...): the exporter's progress line. */
unsigned long tfp_rest_throttled_count(const struct tfp_rest *r);

/**
 * The request rate in force (requests a second; 0 = unlimited): the
 * configured rate_limit, lowered while the workspace answers 429.
 */
double tfp_rest_pace(struct tfp_rest *r);

/** The client of a call (call->client, set once the provider is configured). */
static inline struct tfp_rest *tfp_rest_of(const struct tfp_call *call)
{
	return (struct tfp_rest *)call->client;
}

/**
 * The workspace URL the client talks to, as normalised by tfp_rest_new
 * ("https://x.cloud.databricks.com", no trailing slash), for resources
 * that show a UI link (a job's url). Owned by r; NULL when r is NULL.
 */
const char *tfp_rest_host(const struct tfp_rest *r);

/** The account ID the client was configured with, or NULL. */
const char *tfp_rest_account_id(const struct tfp_rest *r);

/** True when the client talks to the account API, not a workspace. */
bool tfp_rest_is_account(const struct tfp_rest *r);

/**
 * One unauthenticated request to an absolute URL (OAuth discovery and
 * token endpoints, the metadata service), outside any client: no retries,
 * no rate limit, and nothing of it is logged (headers and bodies carry
 * credentials). headers ends with NULL; form (may be NULL) is sent as an
 * application/x-www-form-urlencoded POST body, else the method is GET.
 * The URL must be https://, or http:// on a loopback address. Returns
 * TFP_OK with the HTTP status and the body (NUL-terminated, in a, capped
 * at 1 MiB), or TFP_ERROR with *err (in a) saying why nothing came back.
 */
int tfp_rest_fetch(long *status, char **body, size_t *len, const char **err,
		   struct tfp_arena *a, const char *url,
		   const char *const *headers, const char *form,
		   long timeout_seconds, bool skip_verify);

/**
 * A GET like tfp_rest_fetch that does not follow a redirect: *location
 * (in a) is where a 3xx answer points, NULL when it points nowhere. For
 * learning something from a redirect itself (Azure's tenant from a
 * workspace's /aad/auth).
 */
int tfp_rest_fetch_redirect(long *status, const char **location,
                            const char **err, struct tfp_arena *a,
                            const char *url, long timeout_seconds,
                            bool skip_verify);

/* --- pure helpers, unit-tested without a network ----------------------- */

/**
 * Parses a Databricks error body (the {"error_code","message"} shape, the
 * legacy {"error": ...}, SCIM {"detail","status"} as code "SCIM_<status>",
 * plain text "CODE: message", HTML with <pre> or <title>, or empty, which
 * gives the reason phrase) into *out, strings in a. Anything else becomes
 * code "UNKNOWN" with the body as message. Messages are made valid UTF-8
 * and capped at 4 KiB. error_code and message are never NULL; method and
 * path may be NULL (stored as "").
 */
void tfp_rest_parse_error(struct tfp_api_error *out, struct tfp_arena *a,
			  const char *method, const char *path, long status,
			  const char *body, size_t len);

/**
 * Percent-encodes s into out, which must have room for 3 * strlen(s) + 1
 * bytes: every byte but RFC 3986's unreserved characters (A-Z, a-z, 0-9,
 * '-', '.', '_', '~') becomes %XX in upper-case hex, so '/', '?', '&' and
 * '%' in a name cannot change a path or a query. Returns the terminating
 * NUL it wrote, so that encodings can be chained. For callers that must
 * not copy a secret into an arena (auth.c zeroes its buffer after use).
 */
char *tfp_rest_escape_to(char *out, const char *s);

/**
 * s percent-encoded as by tfp_rest_escape_to, in a: a path segment such
 * as an imported name, or a query key or value.
 */
char *tfp_rest_escape(struct tfp_arena *a, const char *s);

/**
 * True when the error means "the object does not exist" by the generic
 * rules alone: HTTP 404 (except ENDPOINT_NOT_FOUND, a wrong URL), codes
 * RESOURCE_DOES_NOT_EXIST, NOT_FOUND and *_DOES_NOT_EXIST. Same as
 * tfp_rest_is_not_found_in(NULL, e).
 */
bool tfp_rest_is_not_found(const struct tfp_api_error *e);

/**
 * The generic rules, then the rules of tables (a list of tables as in
 * tfp_rest_config.not_found; may be NULL): what a client applies to every
 * error answer. The provider's tables add the 400 INVALID_PARAMETER_VALUE
 * "... does not exist" answers of jobs/get, jobs/runs/get(-output),
 * jobs/delete and the Clusters and Libraries APIs, and INVALID_STATE on
 * clusters/get (tfp_databricks_not_found, resources/databricks.h).
 */
bool tfp_rest_is_not_found_in(const struct tfp_rest_not_found *const *tables,
			      const struct tfp_api_error *e);

/**
 * True when the error is throttling or unavailability worth retrying: 429,
 * 503, the codes REQUEST_LIMIT_EXCEEDED, TEMPORARILY_UNAVAILABLE and
 * RESOURCE_EXHAUSTED, or a message naming REQUEST_LIMIT_EXCEEDED.
 */
bool tfp_rest_is_retryable(const struct tfp_api_error *e);

/**
 * Seconds to wait from a Retry-After header value (delta-seconds or an
 * HTTP-date in any of RFC 9110's three forms, relative to now_epoch; a
 * date in the past gives 0); -1 when NULL, empty or unparseable.
 */
long tfp_rest_parse_retry_after(const char *value, long now_epoch);

/**
 * The wait in ms before retry number attempt (1 = the first retry) when
 * the answer had no Retry-After: exponential backoff with full jitter,
 * random spread over [100, min(10000, 500 * 2^(attempt - 1))] (the 100 ms
 * floor keeps a failing server from being hammered). random is any 64-bit
 * random number; attempt 0 counts as 1.
 */
long tfp_rest_backoff_ms(unsigned attempt, uint64_t random);

#endif
