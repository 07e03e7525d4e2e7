/*
 * The REST client's read cache: internal to rest.c, not for resources.
 *
 * It maps a request target ("/api/2.0/secrets/scopes/list?x=1") to the text
 * of a successful reply, and makes concurrent misses for one key share one
 * request (single flight): the first caller becomes the owner and fetches,
 * the others wait on a condition variable. Entries keep the reply TEXT, not
 * a cJSON tree, so every caller parses its own tree into its own arena and
 * no tree is ever shared between threads.
 *
 * Writes invalidate by API family: the "api" segment plus the service
 * segment of the path, ignoring the version ("/api/2.1/jobs/create" drops
 * "/api/2.2/jobs/list?..."), because a write through one API version is
 * visible through the others.
 *
 * An entry is reference counted: the table holds one reference while the
 * entry is linked, and each caller holds one between begin and
 * fill/fail/release. Text is immutable once an entry leaves the PENDING
 * state, so holders read it without the lock. Thread-safe.
 */
#ifndef TFP_REST_CACHE_H
#define TFP_REST_CACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct tfp_rest_cache;
struct tfp_rest_cache_entry;

/** What tfp_rest_cache_begin found. */
enum tfp_rest_cache_state {
	TFP_REST_CACHE_HIT,      /* a stored reply: read it, then release */
	TFP_REST_CACHE_FETCH,    /* caller owns the fetch: fill or fail */
	TFP_REST_CACHE_SHARED,   /* the owner's request failed with this
	                          * reply: process it, then release */
	TFP_REST_CACHE_CANCELED, /* *stop was set while waiting */
};

/** A caller's handle on one entry, filled by tfp_rest_cache_begin. */
struct tfp_rest_cache_ref {
	struct tfp_rest_cache_entry *entry;
	long status;      /* HIT, SHARED: the reply's HTTP status */
	const char *text; /* HIT, SHARED: NUL-terminated reply body */
	size_t len;
};

/**
 * Creates an empty cache that keeps at most max_bytes of reply text (a
 * reply that does not fit is served but not kept). Never returns NULL.
 */
struct tfp_rest_cache *tfp_rest_cache_new(size_t max_bytes);

/** Frees the cache; no caller may hold a reference. NULL is fine. */
void tfp_rest_cache_free(struct tfp_rest_cache *c);

/**
 * Looks key up, waiting while another caller fetches it; the wait checks
 * stop (may be NULL) every 100 ms. On HIT and SHARED the caller holds a
 * reference and must call tfp_rest_cache_release after reading ref->text;
 * on FETCH it must call tfp_rest_cache_fill or tfp_rest_cache_fail; on
 * CANCELED it holds nothing.
 */
enum tfp_rest_cache_state tfp_rest_cache_begin(struct tfp_rest_cache *c,
                                               const char *key,
                                               const atomic_bool *stop,
                                               struct tfp_rest_cache_ref *ref);

/**
 * Completes the owner's fetch with a good reply: waiters get it and later
 * callers hit it (unless a write invalidated the family meanwhile). The
 * cache takes ownership of text, a malloc'd NUL-terminated string of len
 * bytes. Drops the owner's reference.
 */
void tfp_rest_cache_fill(struct tfp_rest_cache *c,
                         struct tfp_rest_cache_entry *e, long status,
                         char *text, size_t len);

/**
 * Completes the owner's fetch without storing anything. With status > 0 the
 * current waiters get SHARED with this reply (text owned by the cache, may
 * be NULL); with status 0 (transport failure, interrupted) they fetch
 * themselves. Drops the owner's reference.
 */
void tfp_rest_cache_fail(struct tfp_rest_cache *c,
                         struct tfp_rest_cache_entry *e, long status,
                         char *text, size_t len);

/** Drops a HIT or SHARED reference. */
void tfp_rest_cache_release(struct tfp_rest_cache *c,
                            struct tfp_rest_cache_entry *e);

/**
 * Drops every entry of path's API family, including fetches in flight:
 * their waiters still get the reply, but it is not kept.
 */
void tfp_rest_cache_invalidate(struct tfp_rest_cache *c, const char *path);

/**
 * True when two paths (or keys) belong to the same API family: their first
 * and third segments match ("/api/2.0/secrets/put" and
 * "/api/2.1/secrets/list?scope=x"). A path with fewer than three segments
 * is its own family.
 */
bool tfp_rest_cache_same_family(const char *a, const char *b);

#endif
