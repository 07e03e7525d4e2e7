/*
 * The request log behind GET /_emulator/requests; see reqlog.h for the
 * bounds. Entries sit in a ring buffer (oldest evicted first); counts sit
 * in an insertion-ordered array indexed by a small chained hash table, so
 * the JSON lists paths in the order they were first seen.
 */
#include "reqlog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json.h"
#include "util.h"

struct log_entry {
	char *method;
	char *path;
	char *query;
	int status;
	const char *fault; /* static name of an injected fault, or NULL */
	cJSON *body;	   /* copy of the parsed body, or NULL */
	size_t body_cost;  /* bytes charged to the body budget */
};

struct count_entry {
	char *key; /* "METHOD /path" */
	int64_t count;
	size_t next; /* next index in the hash chain, or SIZE_MAX */
};

#define HASH_BUCKETS 4096

struct emu_reqlog {
	struct log_entry *ring; /* EMU_REQLOG_MAX_ENTRIES slots */
	size_t head;		/* index of the oldest entry */
	size_t len;
	size_t body_bytes;
	int64_t dropped;

	struct count_entry *counts;
	size_t ncounts;
	size_t buckets[HASH_BUCKETS]; /* first index per bucket or SIZE_MAX */
	int64_t uncounted;
};

static void reset_buckets(struct emu_reqlog *log)
{
	size_t i;

	for (i = 0; i < HASH_BUCKETS; i++)
		log->buckets[i] = SIZE_MAX;
}

struct emu_reqlog *emu_reqlog_new(void)
{
	struct emu_reqlog *log = emu_xcalloc(1, sizeof(*log));

	log->ring = emu_xcalloc(EMU_REQLOG_MAX_ENTRIES, sizeof(*log->ring));
	log->counts = emu_xcalloc(EMU_REQLOG_MAX_KEYS, sizeof(*log->counts));
	reset_buckets(log);
	return log;
}

static void entry_dispose(struct log_entry *e)
{
	free(e->method);
	free(e->path);
	free(e->query);
	cJSON_Delete(e->body);
	memset(e, 0, sizeof(*e));
}

static void drop_oldest(struct emu_reqlog *log)
{
	struct log_entry *e = &log->ring[log->head];

	log->body_bytes -= e->body_cost;
	entry_dispose(e);
	log->head = (log->head + 1) % EMU_REQLOG_MAX_ENTRIES;
	log->len--;
	log->dropped++;
}

void emu_reqlog_clear(struct emu_reqlog *log)
{
	size_t i;

	while (log->len > 0)
		drop_oldest(log);
	log->head = 0;
	log->dropped = 0;
	for (i = 0; i < log->ncounts; i++)
		free(log->counts[i].key);
	log->ncounts = 0;
	log->uncounted = 0;
	reset_buckets(log);
}

void emu_reqlog_free(struct emu_reqlog *log)
{
	if (!log)
		return;
	emu_reqlog_clear(log);
	free(log->ring);
	free(log->counts);
	free(log);
}

static size_t hash_key(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h % HASH_BUCKETS;
}

static void count(struct emu_reqlog *log, const char *method, const char *path)
{
	char *key = emu_printf("%s %s", method, path);
	size_t b = hash_key(key), i;
	struct count_entry *c;

	for (i = log->buckets[b]; i != SIZE_MAX; i = log->counts[i].next) {
		if (strcmp(log->counts[i].key, key) == 0) {
			log->counts[i].count++;
			free(key);
			return;
		}
	}
	if (log->ncounts == EMU_REQLOG_MAX_KEYS) {
		log->uncounted++;
		free(key);
		return;
	}
	c = &log->counts[log->ncounts];
	c->key = key;
	c->count = 1;
	c->next = log->buckets[b];
	log->buckets[b] = log->ncounts++;
}

void emu_reqlog_add(struct emu_reqlog *log, const struct emu_request *req,
		    int status)
{
	struct log_entry *e;
	size_t cost = 0;
	cJSON *body = NULL;

	count(log, req->method, req->path);

	if (req->json && !req->log_redacted &&
	    req->body_len <= EMU_REQLOG_MAX_BODY) {
		body = cJSON_Duplicate(req->json, true);
		cost = req->body_len;
	}
	while (log->len > 0 &&
	       (log->len == EMU_REQLOG_MAX_ENTRIES ||
		log->body_bytes + cost > EMU_REQLOG_BODY_BUDGET))
		drop_oldest(log);

	e = &log->ring[(log->head + log->len) % EMU_REQLOG_MAX_ENTRIES];
	e->method = emu_xstrdup(req->method);
	e->path = emu_xstrdup(req->path);
	e->query = emu_xstrdup(req->log_redacted ? "" : req->query_string);
	e->status = status;
	e->fault = req->fault;
	e->body = body;
	e->body_cost = cost;
	log->body_bytes += cost;
	log->len++;
}

cJSON *emu_reqlog_json(const struct emu_reqlog *log)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *requests = cJSON_AddArrayToObject(root, "requests");
	cJSON *counts = cJSON_AddObjectToObject(root, "counts");
	size_t i;

	for (i = 0; i < log->len; i++) {
		const struct log_entry *e =
			&log->ring[(log->head + i) % EMU_REQLOG_MAX_ENTRIES];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "method", e->method);
		cJSON_AddStringToObject(item, "path", e->path);
		cJSON_AddStringToObject(item, "query", e->query);
		emu_json_add_int64(item, "status", e->status);
		if (e->fault)
			cJSON_AddStringToObject(item, "fault", e->fault);
		if (e->body)
			cJSON_AddItemToObject(item, "body",
					      cJSON_Duplicate(e->body, true));
		cJSON_AddItemToArray(requests, item);
	}
	for (i = 0; i < log->ncounts; i++)
		emu_json_add_int64(counts, log->counts[i].key,
				   log->counts[i].count);
	emu_json_add_int64(root, "dropped", log->dropped);
	emu_json_add_int64(root, "uncounted", log->uncounted);
	return root;
}
