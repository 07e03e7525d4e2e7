/*
 * Paginated lists: tfp_rest_list follows next_page_token through every
 * page of a list endpoint, one tfp_rest_call per page (so each page is
 * retried, rate limited and cached like any GET), handing the items to a
 * callback. A page token seen twice stops the walk with an error instead
 * of an endless loop. tfp_rest_list_scim does the same for SCIM 2.0
 * lists, which page by startIndex and count and count their items in
 * totalResults.
 */
#include "rest.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "rest_internal.h"

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
			tfp_rest__set_last_error(call, "GET", path, 200, "",
			                         "items field is not a list");
			return tfp_diag_error(
			        call->diags, tfp_rest__summary(call),
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
				tfp_rest__set_last_error(call, "GET", path, 200,
				                         "",
				                         "repeated page token");
				return tfp_diag_error(
				        call->diags, tfp_rest__summary(call),
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

/* --- SCIM ----------------------------------------------------------------- */

int tfp_rest_list_scim(struct tfp_call *call, const char *path,
                       const struct tfp_query *query, unsigned flags,
                       tfp_rest_item_fn fn, void *payload)
{
	struct tfp_query *q;
	size_t n = 0, i;
	int64_t start = 1, total = 0, got;
	const cJSON *items, *item;
	cJSON *reply;
	int error;

	assert(fn != NULL);
	for (i = 0; query != NULL && query[i].key != NULL; i++)
		n++;
	q = tfp_arena_alloc(call->arena, (n + 3) * sizeof(*q));
	for (i = 0; i < n; i++)
		q[i] = query[i];
	q[n + 1].key = "count";
	q[n + 1].value = tfp_arena_printf(call->arena, "%d",
	                                  TFP_REST_SCIM_PAGE);
	q[n + 2].key = NULL;
	q[n + 2].value = NULL;
	q[n].key = "startIndex";

	for (;;) {
		q[n].value = tfp_arena_printf(call->arena, "%lld",
		                              (long long)start);
		error = tfp_rest_call(&reply, call, "GET", path, q, NULL,
		                      flags);
		if (error < 0)
			return error;
		items = cJSON_GetObjectItemCaseSensitive(reply, "Resources");
		/* The service leaves Resources out of an empty page. */
		if (items != NULL && !cJSON_IsArray(items)) {
			tfp_rest__set_last_error(call, "GET", path, 200, "",
			                         "Resources is not a list");
			return tfp_diag_error(call->diags,
			                      tfp_rest__summary(call),
			                      "GET %s returned \"Resources\" "
			                      "that is not a list.",
			                      path);
		}
		got = 0;
		cJSON_ArrayForEach(item, items)
		{
			error = fn(call, item, payload);
			if (error < 0)
				return error;
			got++;
		}
		item = cJSON_GetObjectItemCaseSensitive(reply, "totalResults");
		if (cJSON_IsNumber(item) && item->valuedouble > 0 &&
		    item->valuedouble < 9007199254740992.0)
			total = (int64_t)item->valuedouble;
		if (got == 0 || start - 1 + got >= total)
			return TFP_OK;
		start += got;
	}
}
