/*
 * Batched reads: serving many reads of one type from its list endpoint.
 *
 * A scheduled `terraform plan` reads every managed object, one ReadResource
 * call each, all in one provider process. One GET per object costs N calls
 * under the workspace's rate limit; a list endpoint answers a hundred or
 * more objects per call. This file keeps, per list (path and fixed query:
 * "/api/2.2/jobs/list?expand_tasks=true", "/api/2.1/unity-catalog/
 * schemas?catalog_name=main"), the pages fetched so far as item text keyed
 * by id, and answers tfp_rest_batch_find from them.
 *
 * The cost is bounded whatever the sizes: a list never costs more than the
 * reads that asked for it. The first BATCH_GET_FIRST reads of a list are
 * left to GETs (three managed jobs in a workspace of 5,000 cost three
 * calls, not fifty pages); after that a read may fetch the next page only
 * while the pages fetched are fewer than the reads seen plus one. With N
 * reads, pages <= N + 1 and GETs <= N: at most 2N + 1 calls, and for a
 * workspace where the managed objects are most of the list, about N/page
 * size + BATCH_GET_FIRST.
 *
 * It must never answer with something older than what this process did or
 * than the service says, so:
 *  - a write (any non-GET that reached the server) drops the lists of its
 *    API family, and a page whose request started before such a write is
 *    thrown away when it arrives;
 *  - only hits are served: an id not in the list (a deleted object, or
 *    a list that lags) is the caller's to GET, so a 404 decides "gone";
 *  - an item the list gives short (Jobs 2.2's has_more: more than 100
 *    tasks) is the caller's to GET;
 *  - a page that fails ends batching of that list (GETs from then on),
 *    without a diagnostic: the GETs report their own errors.
 * Items are kept as compact text (a cluster's library statuses serve
 * every databricks_library on it) and parsed per read into the caller's
 * arena, so no tree is shared between threads.
 * The lists live as long as the client, one provider process.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "call.h"
#include "diag.h"
#include "log.h"
#include "rest.h"
#include "rest_cache.h"
#include "rest_internal.h"

#define BATCH_LOG "rest"
#define BATCH_GET_FIRST 3
#define BATCH_MAX_PAGES 100000 /* a list that never ends is not followed */

struct batch_item {
	char *id;   /* NULL: empty slot; "" tombstone never used */
	char *text; /* the item as compact JSON */
	bool partial;
};

struct batch_list {
	struct batch_list *next;
	char *key;		 /* path?fixed-query: identity and family */
	char *token;		 /* the next page's token; NULL: first page */
	struct batch_item *slots; /* open addressing, power of two */
	size_t nslots, nitems;
	size_t reads, pages;	 /* reads asking, pages fetched (ever) */
	unsigned long epoch;	 /* bumped by each write of the family */
	bool stale, done, failed, fetching;
};

struct tfp_rest_batch {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch_list *lists;
};

struct tfp_rest_batch *tfp_rest_batch_new(void)
{
	struct tfp_rest_batch *b = tfp_xmalloc(sizeof(*b));

	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	return b;
}

static void list_clear(struct batch_list *l)
{
	size_t i;

	for (i = 0; i < l->nslots; i++) {
		free(l->slots[i].id);
		free(l->slots[i].text);
	}
	free(l->slots);
	l->slots = NULL;
	l->nslots = l->nitems = 0;
	free(l->token);
	l->token = NULL;
	l->done = false;
}

void tfp_rest_batch_free(struct tfp_rest_batch *b)
{
	struct batch_list *l, *next;

	if (b == NULL)
		return;
	for (l = b->lists; l != NULL; l = next) {
		next = l->next;
		list_clear(l);
		free(l->key);
		free(l);
	}
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

/* FNV-1a of the id, lower-cased when fold: UC names compare so. */
static size_t id_hash(const char *id, bool fold)
{
	uint64_t h = 1469598103934665603ull;

	for (; *id; id++) {
		unsigned char c = (unsigned char)*id;

		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211ull;
	}
	return (size_t)h;
}

static bool id_equal(const char *a, const char *b, bool fold)
{
	return fold ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static struct batch_item *list_slot(struct batch_list *l, const char *id,
				    bool fold)
{
	size_t mask, i;

	if (l->nslots == 0)
		return NULL;
	mask = l->nslots - 1;
	for (i = id_hash(id, fold) & mask; l->slots[i].id != NULL;
	     i = (i + 1) & mask)
		if (id_equal(l->slots[i].id, id, fold))
			return &l->slots[i];
	return &l->slots[i]; /* the empty slot where id would go */
}

static void list_grow(struct batch_list *l, bool fold)
{
	struct batch_item *old = l->slots;
	size_t n = l->nslots, i;

	l->nslots = n ? 2 * n : 256;
	l->slots = tfp_xmalloc(l->nslots * sizeof(*l->slots));
	memset(l->slots, 0, l->nslots * sizeof(*l->slots));
	for (i = 0; i < n; i++)
		if (old[i].id != NULL)
			*list_slot(l, old[i].id, fold) = old[i];
	free(old);
}

/* The item's id as text: a string, or an integer in decimal. */
static const char *item_id(char *buf, size_t size, const cJSON *item,
			   const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, field);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	    v->valuedouble < 9007199254740992.0 &&
	    v->valuedouble == (double)(int64_t)v->valuedouble) {
		snprintf(buf, size, "%lld", (long long)v->valuedouble);
		return buf;
	}
	return NULL;
}

/*
 * Numbers as text that parses back to the same double: cJSON prints 15
 * significant digits whenever they come within DBL_EPSILON of the value,
 * which turns job 6843239861364111 into 6843239861364110. Every number of
 * the (duplicated) tree becomes raw text with all its digits.
 */
static void exact_numbers(cJSON *j)
{
	cJSON *c;

	for (c = j ? j->child : NULL; c != NULL; c = c->next) {
		if (cJSON_IsNumber(c)) {
			double x = c->valuedouble;
			char text[40];

			if (x == (double)(long long)x && x > -9.2e18 &&
			    x < 9.2e18)
				snprintf(text, sizeof(text), "%lld",
					 (long long)x);
			else
				snprintf(text, sizeof(text), "%.17g", x);
			c->type = cJSON_Raw;
			c->valuestring = tfp_xstrdup(text);
		} else {
			exact_numbers(c);
		}
	}
}

/* The item as compact text with exact numbers, malloc'd. */
static char *item_text(const cJSON *item)
{
	cJSON *dup = cJSON_Duplicate(item, true);
	char *text;

	exact_numbers(dup);
	text = cJSON_PrintUnformatted(dup);
	cJSON_Delete(dup);
	return text;
}

static void list_store(struct batch_list *l, const struct tfp_rest_batch_list *d,
		       const cJSON *page)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(page, d->items);
	const cJSON *item;
	char buf[32];

	cJSON_ArrayForEach(item, items)
	{
		const char *id = item_id(buf, sizeof(buf), item, d->id_field);
		const cJSON *flag;
		struct batch_item *s;

		if (id == NULL || id[0] == '\0')
			continue;
		if (2 * (l->nitems + 1) > l->nslots)
			list_grow(l, d->fold);
		s = list_slot(l, id, d->fold);
		if (s->id == NULL) {
			s->id = tfp_xstrdup(id);
			l->nitems++;
		}
		free(s->text);
		s->text = item_text(item);
		flag = d->partial_field ? cJSON_GetObjectItemCaseSensitive(
						  item, d->partial_field)
					: NULL;
		s->partial = cJSON_IsTrue(flag);
	}
}

/* The list's key: path and its fixed query, as tfp_rest__target writes. */
static const char *list_key(struct tfp_call *call,
			    const struct tfp_rest_batch_list *d)
{
	return tfp_rest__target(call->arena, d->path, d->query);
}

static struct batch_list *list_of(struct tfp_rest_batch *b, const char *key)
{
	struct batch_list *l;

	for (l = b->lists; l != NULL; l = l->next)
		if (strcmp(l->key, key) == 0)
			return l;
	l = tfp_xmalloc(sizeof(*l));
	memset(l, 0, sizeof(*l));
	l->key = tfp_xstrdup(key);
	l->next = b->lists;
	b->lists = l;
	return l;
}

/*
 * GETs the page after l->token, outside the lock, without a diagnostic:
 * a page that fails only ends batching. *page lives in call->arena.
 */
static int fetch_page(cJSON **page, struct tfp_call *call,
		      const struct tfp_rest_batch_list *d, const char *token,
		      size_t index)
{
	struct tfp_query q[16];
	struct tfp_diags quiet, *saved = call->diags;
	struct tfp_api_error last = call->last_error;
	char start[32];
	size_t n = 0;
	int error;

	for (; d->query != NULL && d->query[n].key != NULL && n < 12; n++)
		q[n] = d->query[n];
	if (d->paging == TFP_REST_PAGE_SCIM) {
		snprintf(start, sizeof(start), "%zu",
			 index * (size_t)atoi(d->size_value ? d->size_value
							     : "100") +
				 1);
		q[n++] = (struct tfp_query){"startIndex", start};
		q[n++] = (struct tfp_query){"count", d->size_value};
	} else {
		if (d->size_param != NULL)
			q[n++] = (struct tfp_query){d->size_param,
						    d->size_value};
		if (token != NULL)
			q[n++] = (struct tfp_query){"page_token", token};
	}
	q[n] = (struct tfp_query){NULL, NULL};
	tfp_diags_init(&quiet, call->arena);
	call->diags = &quiet;
	error = tfp_rest_call(page, call, "GET", d->path, q, NULL, 0);
	call->diags = saved;
	call->last_error = last;
	return error;
}

/* What comes after this page: its token, or NULL when it was the last. */
static char *next_token(const struct tfp_rest_batch_list *d, const cJSON *page,
			size_t index)
{
	const cJSON *t;

	if (d->paging == TFP_REST_PAGE_NONE)
		return NULL;
	if (d->paging == TFP_REST_PAGE_SCIM) {
		const cJSON *total =
			cJSON_GetObjectItemCaseSensitive(page, "totalResults");
		const cJSON *items =
			cJSON_GetObjectItemCaseSensitive(page, d->items);
		double seen = (double)(index + 1) *
			      atoi(d->size_value ? d->size_value : "100");

		if (!cJSON_IsNumber(total) || total->valuedouble <= seen ||
		    cJSON_GetArraySize(items) == 0)
			return NULL;
		return tfp_xstrdup("next");
	}
	t = cJSON_GetObjectItemCaseSensitive(page, "next_page_token");
	return cJSON_IsString(t) && t->valuestring[0] != '\0'
		       ? tfp_xstrdup(t->valuestring)
		       : NULL;
}

static void batch_json_delete(void *p)
{
	cJSON_Delete(p);
}

int tfp_rest_batch_find(struct cJSON **out, struct tfp_call *call,
			const struct tfp_rest_batch_list *d, const char *id)
{
	struct tfp_rest *r = call->client;
	struct tfp_rest_batch *b = r != NULL ? r->batch : NULL;
	struct batch_list *l;
	const char *key;
	char *text = NULL;
	int result = TFP_ENOTFOUND;

	*out = NULL;
	if (b == NULL || id == NULL || id[0] == '\0')
		return TFP_ENOTFOUND;
	key = list_key(call, d);
	pthread_mutex_lock(&b->lock);
	l = list_of(b, key);
	l->reads++;
	for (;;) {
		struct batch_item *s;
		unsigned long epoch;
		char *token;
		size_t index;
		cJSON *page = NULL;
		int error;

		if (l->stale) {
			/* A write of its family came since: start over. */
			list_clear(l);
			l->stale = false;
		}
		s = list_slot(l, id, d->fold);
		if (s != NULL && s->id != NULL) {
			if (s->text != NULL && !s->partial) {
				text = tfp_xstrdup(s->text);
				result = TFP_OK;
			}
			break;
		}
		if (l->done || l->failed || l->reads <= BATCH_GET_FIRST ||
		    l->pages >= l->reads + 1 || l->pages >= BATCH_MAX_PAGES)
			break;
		if (l->fetching) {
			pthread_cond_wait(&b->cond, &b->lock);
			continue;
		}
		l->fetching = true;
		epoch = l->epoch;
		token = l->token ? tfp_xstrdup(l->token) : NULL;
		index = l->pages;
		pthread_mutex_unlock(&b->lock);
		error = fetch_page(&page, call, d, token, index);
		free(token);
		pthread_mutex_lock(&b->lock);
		l->fetching = false;
		l->pages++;
		pthread_cond_broadcast(&b->cond);
		if (error < 0) {
			tfp_log(TFP_LOG_DEBUG, BATCH_LOG,
				"list %s: a page failed; reading with GETs",
				l->key);
			l->failed = true;
			break;
		}
		if (epoch != l->epoch)
			continue; /* a write came meanwhile: the page is old */
		list_store(l, d, page);
		free(l->token);
		l->token = next_token(d, page, index);
		l->done = l->token == NULL;
	}
	pthread_mutex_unlock(&b->lock);
	if (text != NULL) {
		*out = cJSON_Parse(text);
		free(text);
		if (*out == NULL)
			return TFP_ENOTFOUND;
		tfp_arena_defer(call->arena, batch_json_delete, *out);
	}
	return result;
}

void tfp_rest_batch_wrote(struct tfp_rest_batch *b, const char *path)
{
	struct batch_list *l;

	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	for (l = b->lists; l != NULL; l = l->next) {
		if (tfp_rest_cache_same_family(l->key, path)) {
			l->epoch++;
			l->stale = true;
		}
	}
	pthread_mutex_unlock(&b->lock);
}
