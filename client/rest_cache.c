/*
 * The REST client's single-flight read cache (see rest_cache.h).
 *
 * One mutex guards the table and every entry's state; one condition
 * variable is broadcast whenever any fetch completes, and waiters recheck
 * their own entry. Fetches are rare next to the time a request takes, so a
 * shared condition variable costs nothing worth a per-entry one.
 *
 * Invariants: a linked entry is in exactly one bucket chain and the table
 * holds one reference on it; c->bytes is the text size of the linked READY
 * entries; an entry is freed when its last reference goes, never earlier,
 * so a waiter can always read the entry it waited on.
 */
#include "rest_cache.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common.h"

#define CACHE_BUCKETS       256
#define CACHE_WAIT_SLICE_MS 100

enum entry_state {
	ENTRY_PENDING, /* the owner is fetching */
	ENTRY_READY,   /* a good reply; hits read it */
	ENTRY_FAILED,  /* the owner's fetch failed; never hit */
};

struct tfp_rest_cache_entry {
	struct tfp_rest_cache_entry *next; /* bucket chain, while linked */
	char *key;
	enum entry_state state;
	long status; /* READY, FAILED: reply status; FAILED 0 = refetch */
	char *text;
	size_t len;
	unsigned refs;
	bool linked;
};

struct tfp_rest_cache {
	pthread_mutex_t lock;
	pthread_cond_t done; /* broadcast when any entry leaves PENDING */
	struct tfp_rest_cache_entry *buckets[CACHE_BUCKETS];
	size_t bytes, max_bytes;
};

/* FNV-1a: keys are short paths; any decent spread will do. */
static size_t cache_bucket(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 16777619u;
	}
	return h % CACHE_BUCKETS;
}

/* Finds segment i (0-based) of a path that ends at '?' or NUL. */
static bool cache_segment(const char *path, unsigned i, const char **seg,
                          size_t *len)
{
	const char *p = path;
	unsigned n = 0;

	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0' || *p == '?')
			return false;
		*seg = p;
		while (*p != '\0' && *p != '/' && *p != '?')
			p++;
		*len = (size_t)(p - *seg);
		if (n++ == i)
			return true;
	}
}

static bool cache_segment_equal(const char *a, const char *b, unsigned i)
{
	const char *sa, *sb;
	size_t la, lb;

	if (!cache_segment(a, i, &sa, &la) || !cache_segment(b, i, &sb, &lb))
		return false;
	return la == lb && memcmp(sa, sb, la) == 0;
}

bool tfp_rest_cache_same_family(const char *a, const char *b)
{
	const char *s;
	size_t len, la, lb;

	if (cache_segment(a, 2, &s, &len) && cache_segment(b, 2, &s, &len))
		return cache_segment_equal(a, b, 0) &&
		       cache_segment_equal(a, b, 2);
	/* Short paths are no family of their own: compare them whole. */
	la = strcspn(a, "?");
	lb = strcspn(b, "?");
	return la == lb && memcmp(a, b, la) == 0;
}

struct tfp_rest_cache *tfp_rest_cache_new(size_t max_bytes)
{
	struct tfp_rest_cache *c = tfp_xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	c->max_bytes = max_bytes;
	return c;
}

static void entry_free(struct tfp_rest_cache_entry *e)
{
	free(e->key);
	free(e->text);
	free(e);
}

/* Called with the lock held. */
static void entry_unref(struct tfp_rest_cache_entry *e)
{
	assert(e->refs > 0);
	if (--e->refs == 0) {
		assert(!e->linked);
		entry_free(e);
	}
}

/* Called with the lock held: removes e from its chain and drops the
 * table's reference. */
static void cache_unlink(struct tfp_rest_cache *c,
                         struct tfp_rest_cache_entry *e)
{
	struct tfp_rest_cache_entry **pp = &c->buckets[cache_bucket(e->key)];

	assert(e->linked);
	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	e->next = NULL;
	e->linked = false;
	if (e->state == ENTRY_READY)
		c->bytes -= e->len;
	entry_unref(e);
}

void tfp_rest_cache_free(struct tfp_rest_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CACHE_BUCKETS; i++) {
		while (c->buckets[i] != NULL) {
			assert(c->buckets[i]->refs == 1);
			cache_unlink(c, c->buckets[i]);
		}
	}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static struct tfp_rest_cache_entry *cache_find(struct tfp_rest_cache *c,
                                               const char *key)
{
	struct tfp_rest_cache_entry *e = c->buckets[cache_bucket(key)];

	while (e != NULL && strcmp(e->key, key) != 0)
		e = e->next;
	return e;
}

/* Waits up to one slice for a broadcast. The condition variable uses the
 * realtime clock (the portable default); a clock jump only shortens or
 * lengthens one slice, and the caller loops anyway. */
static void cache_wait_slice(struct tfp_rest_cache *c)
{
	struct timespec ts;
	int error;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += CACHE_WAIT_SLICE_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	error = pthread_cond_timedwait(&c->done, &c->lock, &ts);
	assert(error == 0 || error == ETIMEDOUT);
	(void)error;
}

enum tfp_rest_cache_state tfp_rest_cache_begin(struct tfp_rest_cache *c,
                                               const char *key,
                                               const atomic_bool *stop,
                                               struct tfp_rest_cache_ref *ref)
{
	enum tfp_rest_cache_state state;
	struct tfp_rest_cache_entry *e;

	memset(ref, 0, sizeof(*ref));
	pthread_mutex_lock(&c->lock);
	for (;;) {
		e = cache_find(c, key);
		if (e == NULL) {
			size_t b = cache_bucket(key);

			e = tfp_xcalloc(1, sizeof(*e));
			e->key = tfp_xstrdup(key);
			e->state = ENTRY_PENDING;
			e->refs = 2; /* the table's and the owner's */
			e->linked = true;
			e->next = c->buckets[b];
			c->buckets[b] = e;
			ref->entry = e;
			state = TFP_REST_CACHE_FETCH;
			break;
		}
		e->refs++;
		while (e->state == ENTRY_PENDING) {
			if (stop != NULL && atomic_load(stop)) {
				entry_unref(e);
				state = TFP_REST_CACHE_CANCELED;
				goto done;
			}
			cache_wait_slice(c);
		}
		if (e->state == ENTRY_FAILED && e->status == 0) {
			/* The owner never got an answer (connection failure,
			 * StopProvider): it was unlinked, so look again and
			 * let one waiter become the new owner. */
			entry_unref(e);
			continue;
		}
		ref->entry = e;
		ref->status = e->status;
		ref->text = e->text != NULL ? e->text : "";
		ref->len = e->len;
		state = e->state == ENTRY_READY ? TFP_REST_CACHE_HIT
		                                : TFP_REST_CACHE_SHARED;
		break;
	}
done:
	pthread_mutex_unlock(&c->lock);
	return state;
}

void tfp_rest_cache_fill(struct tfp_rest_cache *c,
                         struct tfp_rest_cache_entry *e, long status,
                         char *text, size_t len)
{
	pthread_mutex_lock(&c->lock);
	assert(e->state == ENTRY_PENDING);
	e->state = ENTRY_READY;
	e->status = status;
	e->text = text;
	e->len = len;
	if (e->linked) {
		c->bytes += len;
		/* Too big to keep: the waiters still get it. */
		if (c->bytes > c->max_bytes)
			cache_unlink(c, e);
	}
	pthread_cond_broadcast(&c->done);
	entry_unref(e);
	pthread_mutex_unlock(&c->lock);
}

void tfp_rest_cache_fail(struct tfp_rest_cache *c,
                         struct tfp_rest_cache_entry *e, long status,
                         char *text, size_t len)
{
	pthread_mutex_lock(&c->lock);
	assert(e->state == ENTRY_PENDING);
	e->state = ENTRY_FAILED;
	e->status = status;
	e->text = text;
	e->len = len;
	if (e->linked)
		cache_unlink(c, e);
	pthread_cond_broadcast(&c->done);
	entry_unref(e);
	pthread_mutex_unlock(&c->lock);
}

void tfp_rest_cache_release(struct tfp_rest_cache *c,
                            struct tfp_rest_cache_entry *e)
{
	pthread_mutex_lock(&c->lock);
	entry_unref(e);
	pthread_mutex_unlock(&c->lock);
}

void tfp_rest_cache_invalidate(struct tfp_rest_cache *c, const char *path)
{
	struct tfp_rest_cache_entry *e, *next;
	size_t i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < CACHE_BUCKETS; i++) {
		for (e = c->buckets[i]; e != NULL; e = next) {
			next = e->next;
			if (tfp_rest_cache_same_family(e->key, path))
				cache_unlink(c, e);
		}
	}
	pthread_mutex_unlock(&c->lock);
}
