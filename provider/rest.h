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
 * RESOURCE_DOES_NOT_EXIST, or the 400 "... does not exist" quirk of jobs/get
 * and clusters/get) the call returns TFP_ENOTFOUND and adds NO diagnostic;
 * call->last_error holds the answer for whoever needs to report it.
 *
 * Replies: *out is a cJSON tree owned by call->arena (freed with it); an
 * empty 2xx body gives an empty object. out may be NULL when the reply is
 * not needed. Secrets (the token, Authorization headers) are never logged
 * and never appear in a diagnostic. This header does not know tfp_value.
 */
#ifndef TFP_REST_H
#define TFP_REST_H

#include <stdbool.h>
#include <stddef.h>
#include "common.h"
#include "call.h"

struct cJSON;
struct tfp_arena;
struct tfp_diags;
struct tfp_rest;

struct tfp_rest_config {
	const char *host;        /* "https://x.cloud.databricks.com" or loopback http */
	const char *token;       /* PAT; secret */
	const char *user_agent;  /* product part, e.g. "brickform/0.1.0" */
	long timeout_seconds;    /* per request; 0 = 60 */
	long retry_timeout_seconds; /* total retry budget; 0 = 300 */
	bool skip_verify;        /* TLS verification off (tests only) */
};

/**
 * Checks cfg and creates a client into *out (caller frees it with
 * tfp_rest_free). host must be https://, or http:// on a loopback address;
 * a trailing slash is dropped. Errors (bad host, missing token) become
 * diagnostics in d and TFP_ERROR.
 */
int tfp_rest_new(struct tfp_rest **out, const struct tfp_rest_config *cfg,
		 struct tfp_diags *d);
/** Frees the client and its connections; NULL is fine. */
void tfp_rest_free(struct tfp_rest *r);

/** A query parameter; arrays of these end with { NULL, NULL }. */
struct tfp_query {
	const char *key;
	const char *value;
};

enum {
	TFP_REST_CACHE = 1 << 0, /* GET: serve from / fill the read cache */
};

/**
 * One API call. method is "GET", "POST", "PATCH", "PUT" or "DELETE"; path
 * starts with "/api/"; query may be NULL; body (POST/PATCH/PUT) may be NULL.
 *
 * With TFP_REST_CACHE a GET is answered from the client's cache when the
 * same method + path + query was fetched before; concurrent misses for one
 * key make one request (the others wait for it). Any non-GET call that
 * succeeds drops cached replies of the same API family (the first three
 * path segments, e.g. "/api/2.0/secrets"), so a read after a write is fresh.
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

/** Called once per item of a paginated list; a negative return stops. */
typedef int (*tfp_rest_item_fn)(struct tfp_call *call,
				const struct cJSON *item, void *payload);

/**
 * GETs every page of a list endpoint: the items of array items_field go to
 * fn; it follows "next_page_token" (sent back as "page_token") until the
 * reply has none. Returns TFP_OK, fn's negative code, or an API error.
 */
int tfp_rest_list(struct tfp_call *call, const char *path,
		  const struct tfp_query *query, const char *items_field,
		  unsigned flags, tfp_rest_item_fn fn, void *payload);

/** How many HTTP requests this client has sent (tests, benchmarks). */
unsigned long tfp_rest_request_count(const struct tfp_rest *r);

/* --- pure helpers, unit-tested without a network ----------------------- */

/**
 * Parses a Databricks error body (the {"error_code","message"} shape, the
 * legacy {"error": ...}, SCIM {"detail","status"}, plain text, HTML or
 * empty) into *out, strings in a.
 */
void tfp_rest_parse_error(struct tfp_api_error *out, struct tfp_arena *a,
			  const char *method, const char *path, long status,
			  const char *body, size_t len);

/** True when the error means "the object does not exist". */
bool tfp_rest_is_not_found(const struct tfp_api_error *e);

/** True when the error is throttling or unavailability worth retrying. */
bool tfp_rest_is_retryable(const struct tfp_api_error *e);

/**
 * Seconds to wait from a Retry-After header value (delta-seconds or an
 * HTTP-date relative to now_epoch); -1 when absent or unparseable.
 */
long tfp_rest_parse_retry_after(const char *value, long now_epoch);

#endif
