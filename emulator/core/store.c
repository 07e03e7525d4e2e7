/*
 * The object store: declared collections with create, get, list, update,
 * patch, delete and --state; see store.h for what a declaration says and
 * the errors the store answers with.
 *
 * Invariants: every record is an object whose id member (decl->id_field)
 * is a string unique in the store; EMU_JSON_INT fields hold exact raw
 * integers; records are in creation order. A request that fails changes
 * nothing: the new record is built aside and swapped in only once every
 * check and hook has passed.
 */
#include "store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "util.h"

#define STORE_DEFAULT_MAX  1000
#define STORE_PAGE_DEFAULT 100
#define STORE_PAGE_MAX	   1000

struct emu_store {
	const struct emu_store_decl *decl;
	cJSON **items;
	size_t n;
	uint64_t next; /* sequence numbers issued so far */
};

enum build_mode { BUILD_CREATE, BUILD_UPDATE, BUILD_PATCH };

/* --- small helpers ---------------------------------------------------------
 */

static size_t max_items(const struct emu_store_decl *d)
{
	return d->max_items ? d->max_items : STORE_DEFAULT_MAX;
}

static int store_error(struct emu_response *resp,
		       const struct emu_store_error *e, int status,
		       const char *code, const char *value)
{
	return emu_error(resp, e->status ? e->status : status,
			 e->code ? e->code : code, "%s%s%s",
			 e->before ? e->before : "", value,
			 e->after ? e->after : "");
}

static const char *record_id(const struct emu_store *st, const cJSON *rec)
{
	return emu_json_str(rec, st->decl->id_field);
}

static bool find_index(size_t *out, const struct emu_store *st, const char *id)
{
	size_t i;

	for (i = 0; id && i < st->n; i++) {
		if (strcmp(record_id(st, st->items[i]), id) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

/* The field is the id of an EMU_STORE_ID_FIELD collection: it is then
 * required and immutable whatever its flags say. */
static unsigned field_flags(const struct emu_store_decl *d,
			    const struct emu_store_field *f)
{
	if (d->id_kind == EMU_STORE_ID_FIELD &&
	    strcmp(f->name, d->id_field) == 0)
		return f->flags | EMU_STORE_REQUIRED | EMU_STORE_IMMUTABLE;
	return f->flags;
}

/* splitmix64: a bijection on 64-bit values, so ids drawn from distinct
 * sequence numbers differ and the same sequence gives the same ids. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static char *make_id(const struct emu_store *st, uint64_t n)
{
	const struct emu_store_decl *d = st->decl;
	uint64_t hi, lo;

	if (d->id_kind == EMU_STORE_ID_UUID) {
		hi = mix64(2 * n);
		lo = mix64(2 * n + 1);
		/* Version 4 and the RFC 4122 variant, as real UUIDs show. */
		hi = (hi & ~0xF000ULL) | 0x4000ULL;
		lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
		return emu_printf("%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64
				  "-%04" PRIx64 "-%012" PRIx64,
				  hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
				  lo >> 48, lo & (uint64_t)0xFFFFFFFFFFFF);
	}
	if (d->make_id)
		return d->make_id(n);
	return emu_printf("%" PRIu64, n);
}

/* The next free generated id; the sequence only moves on a success. */
static char *next_id(const struct emu_store *st, uint64_t *seq)
{
	size_t i;
	char *id;

	for (*seq = st->next + 1;; (*seq)++) {
		id = make_id(st, *seq);
		if (!find_index(&i, st, id))
			return id;
		free(id);
	}
}

/* Puts EMU_JSON_INT fields of rec into exact raw form. */
static void exact_ints(const struct emu_store_decl *d, cJSON *rec)
{
	size_t i;
	int64_t v;

	for (i = 0; i < d->nfields; i++) {
		cJSON *item = emu_json_member(rec, d->fields[i].name);

		if (d->fields[i].type != EMU_JSON_INT || !item ||
		    cJSON_IsRaw(item) || emu_json_int(&v, item) < 0)
			continue;
		cJSON_ReplaceItemInObjectCaseSensitive(rec, d->fields[i].name,
						       emu_json_int64(v));
	}
}

static bool value_allowed(const struct emu_store_field *f, const cJSON *item)
{
	size_t i;

	if (!f->values || !cJSON_IsString(item))
		return true;
	for (i = 0; f->values[i]; i++)
		if (strcmp(f->values[i], item->valuestring) == 0)
			return true;
	return false;
}

static int bad_enum(struct emu_response *resp, const struct emu_store_field *f,
		    const char *value)
{
	char *list = emu_xstrdup(""), *next;
	size_t i;

	for (i = 0; f->values[i]; i++) {
		next = emu_printf("%s%s%s", list, i ? ", " : "", f->values[i]);
		free(list);
		list = next;
	}
	emu_error_invalid(resp, "Invalid %s '%s': expected one of %s.", f->name,
			  value, list);
	free(list);
	return -1;
}

/* Type and enum of one given value. */
static int check_value(struct emu_response *resp,
		       const struct emu_store_field *f, const cJSON *item)
{
	if (!emu_json_type_ok(item, f->type))
		return emu_error_field_type(resp, f->name,
					    emu_json_type_word(f->type),
					    emu_json_type_name(item));
	if (!value_allowed(f, item))
		return bad_enum(resp, f, item->valuestring);
	return 0;
}

static void add_copy(cJSON *rec, const char *name, const cJSON *item)
{
	cJSON_AddItemToObject(rec, name, cJSON_Duplicate(item, true));
}

/* The server's default of f, when the declaration gives one. */
static void add_default(cJSON *rec, const struct emu_store_field *f)
{
	cJSON *def;

	if (!f->default_json)
		return;
	def = cJSON_Parse(f->default_json);
	if (def)
		cJSON_AddItemToObject(rec, f->name, def);
}

/* --- building a record ------------------------------------------------------
 */

/*
 * One field of the record being built from the request's input and, for
 * update and patch, the old record. Returns 0 or -1 after an error.
 */
static int build_field(const struct emu_store_decl *d,
		       const struct emu_store_field *f, cJSON *rec,
		       const cJSON *input, const cJSON *old,
		       enum build_mode mode, struct emu_response *resp)
{
	unsigned flags = field_flags(d, f);
	const cJSON *in = emu_json_member(input, f->name);
	const cJSON *was = emu_json_member(old, f->name);

	if (flags & EMU_STORE_READ_ONLY) {
		/* Output-only fields a client echoes back are ignored, as
		 * the service ignores them; the server's value stays. */
		if (was)
			add_copy(rec, f->name, was);
		else if (mode == BUILD_CREATE)
			add_default(rec, f);
		return 0;
	}
	if (in) {
		if (check_value(resp, f, in) < 0)
			return -1;
		if ((flags & EMU_STORE_IMMUTABLE) && mode != BUILD_CREATE &&
		    was && !cJSON_Compare(in, was, true)) {
			int64_t a, b;

			/* The same integer, raw in the record and parsed in
			 * the request, is no change. */
			if (f->type != EMU_JSON_INT || emu_json_int(&a, in) ||
			    emu_json_int(&b, was) || a != b)
				return emu_error_invalid(
					resp,
					"Field '%s' cannot be changed "
					"after creation.",
					f->name);
		}
		add_copy(rec, f->name, in);
		return 0;
	}
	if (was && (mode == BUILD_PATCH || (flags & EMU_STORE_IMMUTABLE))) {
		add_copy(rec, f->name, was);
		return 0;
	}
	if ((flags & EMU_STORE_REQUIRED) && mode != BUILD_PATCH)
		return emu_error_missing_field(resp, f->name);
	if (mode != BUILD_PATCH)
		add_default(rec, f);
	return 0;
}

static bool unique_clash(const struct emu_store *st, const cJSON *rec,
			 const char *except_id)
{
	const struct emu_store_decl *d = st->decl;
	const char *value = emu_json_str(rec, d->unique_field);
	size_t i;

	for (i = 0; value && i < st->n; i++) {
		const char *other = emu_json_str(st->items[i], d->unique_field);

		if (!other || (except_id && strcmp(record_id(st, st->items[i]),
						   except_id) == 0))
			continue;
		if (d->unique_nocase ? emu_strcaseeq(other, value)
				     : strcmp(other, value) == 0)
			return true;
	}
	return false;
}

/*
 * The new record for create (id given, old NULL), update or patch, after
 * the field table, the validate hook and the uniqueness rule; NULL after
 * an error in resp.
 */
static cJSON *build_record(struct emu_store *st, struct emu_request *req,
			   const char *id, const cJSON *old,
			   enum build_mode mode, struct emu_response *resp)
{
	const struct emu_store_decl *d = st->decl;
	cJSON *rec = cJSON_CreateObject();
	size_t i;

	if (d->id_kind != EMU_STORE_ID_FIELD)
		cJSON_AddStringToObject(rec, d->id_field, id);
	for (i = 0; i < d->nfields; i++)
		if (build_field(d, &d->fields[i], rec, req->json, old, mode,
				resp) < 0)
			goto fail;
	exact_ints(d, rec);
	if (d->hooks.validate && d->hooks.validate(st, req, rec, old, resp) < 0)
		goto fail;
	if (d->unique_field &&
	    unique_clash(st, rec, old ? record_id(st, old) : NULL)) {
		store_error(resp, &d->duplicate, 409, "RESOURCE_ALREADY_EXISTS",
			    emu_json_str(rec, d->unique_field));
		goto fail;
	}
	return rec;

fail:
	cJSON_Delete(rec);
	return NULL;
}

/* --- handlers ----------------------------------------------------------------
 */

/* The id the request names: a path parameter, else an argument. */
static int arg_id(const char **id, const struct emu_store *st,
		  struct emu_request *req, struct emu_response *resp)
{
	*id = emu_request_param(req, st->decl->id_field);
	if (*id)
		return 0;
	return emu_arg_string(id, req, resp, st->decl->id_field,
			      EMU_ARG_REQUIRED);
}

/* The index of the record the request names, or -1 after an error. */
static int lookup(size_t *idx, const struct emu_store *st,
		  struct emu_request *req, struct emu_response *resp)
{
	const char *id;

	if (arg_id(&id, st, req, resp) < 0)
		return -1;
	if (!find_index(idx, st, id))
		return store_error(resp, &st->decl->missing, 404,
				   "RESOURCE_DOES_NOT_EXIST", id);
	return 0;
}

static cJSON *view(const struct emu_store *st, const cJSON *rec)
{
	if (st->decl->hooks.to_json)
		return st->decl->hooks.to_json(st, rec);
	return cJSON_Duplicate(rec, true);
}

static void reply(const struct emu_store *st, enum emu_store_reply how,
		  const cJSON *rec, bool is_create, struct emu_response *resp)
{
	cJSON *body;

	if (how == EMU_STORE_REPLY_OBJECT) {
		body = view(st, rec);
	} else {
		body = cJSON_CreateObject();
		if (how == EMU_STORE_REPLY_DEFAULT && is_create)
			cJSON_AddStringToObject(body, st->decl->id_field,
						record_id(st, rec));
	}
	emu_response_json(resp, 200, body);
}

static void append(struct emu_store *st, cJSON *rec)
{
	st->items = emu_xrealloc(st->items, (st->n + 1) * sizeof(*st->items));
	st->items[st->n++] = rec;
}

void emu_store_create(struct emu_store *st, struct emu_request *req,
		      struct emu_response *resp)
{
	const struct emu_store_decl *d = st->decl;
	uint64_t seq = st->next;
	char *id = NULL, *limit;
	cJSON *rec;

	if (d->id_kind != EMU_STORE_ID_FIELD)
		id = next_id(st, &seq);
	rec = build_record(st, req, id, NULL, BUILD_CREATE, resp);
	free(id);
	if (!rec)
		return;
	if (d->id_kind == EMU_STORE_ID_FIELD &&
	    emu_store_find(st, record_id(st, rec))) {
		store_error(resp, &d->duplicate, 409, "RESOURCE_ALREADY_EXISTS",
			    record_id(st, rec));
		cJSON_Delete(rec);
		return;
	}
	if (st->n >= max_items(d)) {
		limit = emu_printf("%zu", max_items(d));
		store_error(resp, &d->limit, 400, "RESOURCE_LIMIT_EXCEEDED",
			    limit);
		free(limit);
		cJSON_Delete(rec);
		return;
	}
	st->next = seq;
	if (d->hooks.on_create)
		d->hooks.on_create(st, req, rec);
	exact_ints(d, rec);
	append(st, rec);
	reply(st, d->create_reply, rec, true, resp);
}

void emu_store_get(struct emu_store *st, struct emu_request *req,
		   struct emu_response *resp)
{
	size_t i;

	if (lookup(&i, st, req, resp) == 0)
		emu_response_json(resp, 200, view(st, st->items[i]));
}

static void modify(struct emu_store *st, struct emu_request *req,
		   struct emu_response *resp, enum build_mode mode)
{
	const struct emu_store_decl *d = st->decl;
	cJSON *rec, *old;
	size_t i;

	if (lookup(&i, st, req, resp) < 0)
		return;
	old = st->items[i];
	rec = build_record(st, req, record_id(st, old), old, mode, resp);
	if (!rec)
		return;
	st->items[i] = rec;
	if (d->hooks.on_update)
		d->hooks.on_update(st, req, rec, old);
	exact_ints(d, rec);
	cJSON_Delete(old);
	reply(st, d->update_reply, rec, false, resp);
}

void emu_store_update(struct emu_store *st, struct emu_request *req,
		      struct emu_response *resp)
{
	modify(st, req, resp, BUILD_UPDATE);
}

void emu_store_patch(struct emu_store *st, struct emu_request *req,
		     struct emu_response *resp)
{
	modify(st, req, resp, BUILD_PATCH);
}

void emu_store_delete(struct emu_store *st, struct emu_request *req,
		      struct emu_response *resp)
{
	size_t i;

	if (lookup(&i, st, req, resp) < 0)
		return;
	if (st->decl->hooks.on_delete)
		st->decl->hooks.on_delete(st, req, st->items[i]);
	cJSON_Delete(st->items[i]);
	memmove(&st->items[i], &st->items[i + 1],
		(st->n - i - 1) * sizeof(*st->items));
	st->n--;
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* --- lists -------------------------------------------------------------------
 */

/* A page size argument: absent or 0 gives the default, more than the
 * maximum is clamped (as jobs/list and the UC lists do), negative is a
 * 400. */
static int page_size(size_t *out, const struct emu_store_decl *d,
		     struct emu_request *req, struct emu_response *resp,
		     const char *name)
{
	size_t def = d->page_default ? d->page_default : STORE_PAGE_DEFAULT;
	size_t max = d->page_max ? d->page_max : STORE_PAGE_MAX;
	bool given = false;
	int64_t v = 0;

	if (emu_arg_int64(&v, &given, req, resp, name, EMU_ARG_OPTIONAL) < 0)
		return -1;
	if (v < 0)
		return emu_error_invalid(resp,
					 "Invalid value for field '%s': "
					 "%" PRId64 " is negative.",
					 name, v);
	*out = !given || v == 0 ? def : (uint64_t)v > max ? max : (size_t)v;
	return 0;
}

/* Page tokens are opaque to clients: the base64 of the next offset. */
static char *token_make(size_t offset)
{
	char text[32];
	char *token, *eq;

	snprintf(text, sizeof(text), "o%zu", offset);
	token = emu_base64_encode((const unsigned char *)text, strlen(text));
	eq = strchr(token, '=');
	if (eq)
		*eq = '\0'; /* no padding: nothing to escape in a URL */
	return token;
}

static int token_read(size_t *offset, const char *token)
{
	unsigned char *text = NULL;
	size_t len = 0;
	int64_t v;
	int ok;

	if (emu_base64_decode(&text, &len, token, strlen(token)) < 0)
		return -1;
	ok = len > 1 && text[0] == 'o' && strlen((char *)text) == len &&
	     emu_json_parse_int64_text(&v, (char *)text + 1) == 0 && v >= 0;
	free(text);
	if (!ok)
		return -1;
	*offset = (size_t)v;
	return 0;
}

void emu_store_list(struct emu_store *st, struct emu_request *req,
		    struct emu_response *resp)
{
	const struct emu_store_decl *d = st->decl;
	size_t start = 0, count = st->n, i;
	const char *token = NULL;
	cJSON *body, *arr;
	int64_t offset = 0;
	bool more;

	if (d->list_style == EMU_STORE_LIST_OFFSET) {
		if (emu_arg_int64(&offset, NULL, req, resp, "offset",
				  EMU_ARG_OPTIONAL) < 0 ||
		    page_size(&count, d, req, resp, "limit") < 0)
			return;
		if (offset < 0) {
			emu_error_invalid(resp,
					  "Invalid value for field "
					  "'offset': %" PRId64 " is negative.",
					  offset);
			return;
		}
		start = (uint64_t)offset > st->n ? st->n : (size_t)offset;
	} else if (d->list_style == EMU_STORE_LIST_TOKEN) {
		if (page_size(&count, d, req, resp, "max_results") < 0 ||
		    emu_arg_string(&token, req, resp, "page_token",
				   EMU_ARG_OPTIONAL) < 0)
			return;
		if (token && *token && token_read(&start, token) < 0) {
			emu_error_invalid(resp, "Invalid page_token '%s'.",
					  token);
			return;
		}
		if (start > st->n)
			start = st->n;
	}
	if (count > st->n - start)
		count = st->n - start;
	more = start + count < st->n;

	body = cJSON_CreateObject();
	if (count > 0 || !d->omit_empty_list) {
		arr = cJSON_AddArrayToObject(body, d->items_field);
		for (i = start; i < start + count; i++)
			cJSON_AddItemToArray(arr, view(st, st->items[i]));
	}
	if (d->list_style == EMU_STORE_LIST_OFFSET)
		cJSON_AddBoolToObject(body, "has_more", more);
	if (d->list_style == EMU_STORE_LIST_TOKEN && more) {
		char *next = token_make(start + count);

		cJSON_AddStringToObject(body, "next_page_token", next);
		free(next);
	}
	if (d->total_field)
		emu_json_add_int64(body, d->total_field, (int64_t)st->n);
	emu_response_json(resp, 200, body);
}

/* --- route handlers
 * ------------------------------------------------------------ */

void emu_store_route_create(struct emu_request *req, struct emu_response *resp)
{
	emu_store_create(req->state, req, resp);
}

void emu_store_route_get(struct emu_request *req, struct emu_response *resp)
{
	emu_store_get(req->state, req, resp);
}

void emu_store_route_list(struct emu_request *req, struct emu_response *resp)
{
	emu_store_list(req->state, req, resp);
}

void emu_store_route_update(struct emu_request *req, struct emu_response *resp)
{
	emu_store_update(req->state, req, resp);
}

void emu_store_route_patch(struct emu_request *req, struct emu_response *resp)
{
	emu_store_patch(req->state, req, resp);
}

void emu_store_route_delete(struct emu_request *req, struct emu_response *resp)
{
	emu_store_delete(req->state, req, resp);
}

/* --- life cycle and direct access
 * ---------------------------------------------- */

struct emu_store *emu_store_new(const struct emu_store_decl *decl)
{
	struct emu_store *st = emu_xcalloc(1, sizeof(*st));

	st->decl = decl;
	return st;
}

void emu_store_free(void *store)
{
	struct emu_store *st = store;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->n; i++)
		cJSON_Delete(st->items[i]);
	free(st->items);
	free(st);
}

const struct emu_store_decl *emu_store_decl(const struct emu_store *st)
{
	return st->decl;
}

const cJSON *emu_store_find(const struct emu_store *st, const char *id)
{
	size_t i;

	return find_index(&i, st, id) ? st->items[i] : NULL;
}

size_t emu_store_count(const struct emu_store *st)
{
	return st->n;
}

const cJSON *emu_store_at(const struct emu_store *st, size_t i)
{
	return i < st->n ? st->items[i] : NULL;
}

const cJSON *emu_store_insert(struct emu_store *st, cJSON *record)
{
	const struct emu_store_decl *d = st->decl;
	uint64_t seq;
	char *id;

	if (!record_id(st, record) && d->id_kind != EMU_STORE_ID_FIELD) {
		id = next_id(st, &seq);
		cJSON_DeleteItemFromObjectCaseSensitive(record, d->id_field);
		cJSON_AddStringToObject(record, d->id_field, id);
		free(id);
		st->next = seq;
	}
	if (!record_id(st, record) ||
	    emu_store_find(st, record_id(st, record)) ||
	    st->n >= max_items(d)) {
		cJSON_Delete(record);
		return NULL;
	}
	exact_ints(d, record);
	append(st, record);
	return record;
}

/* --- --state
 * ------------------------------------------------------------------- */

cJSON *emu_store_save(const void *store)
{
	const struct emu_store *st = store;
	cJSON *o = cJSON_CreateObject();
	cJSON *arr;
	size_t i;

	emu_json_add_int64(o, "next", (int64_t)st->next);
	arr = cJSON_AddArrayToObject(o, st->decl->items_field);
	for (i = 0; i < st->n; i++)
		cJSON_AddItemToArray(arr, cJSON_Duplicate(st->items[i], true));
	return o;
}

/* Why a saved record cannot be loaded, or NULL when it can. */
static const char *load_check(const struct emu_store *st, const cJSON *rec)
{
	const struct emu_store_decl *d = st->decl;
	size_t i;

	if (!cJSON_IsObject(rec) || !record_id(st, rec))
		return "a record without its id";
	if (emu_store_find(st, record_id(st, rec)))
		return "a duplicate id";
	if (st->n >= max_items(d))
		return "too many records";
	for (i = 0; i < d->nfields; i++) {
		const cJSON *item = emu_json_member(rec, d->fields[i].name);

		if (item && (!emu_json_type_ok(item, d->fields[i].type) ||
			     !value_allowed(&d->fields[i], item)))
			return "a field of the wrong type or value";
	}
	return NULL;
}

int emu_store_load(void *store, const cJSON *json, char *err, size_t errlen)
{
	struct emu_store *st = store;
	const char *name = st->decl->name;
	const cJSON *rec;
	const char *why;
	int64_t next = 0;

	if (emu_json_member_int(&next, json, "next") < 0 || next < 0) {
		snprintf(err, errlen, "%s: bad \"next\"", name);
		return -1;
	}
	st->next = (uint64_t)next;
	cJSON_ArrayForEach(rec, emu_json_member(json, st->decl->items_field))
	{
		why = load_check(st, rec);
		if (why) {
			snprintf(err, errlen, "%s: %s", name, why);
			return -1;
		}
		append(st, cJSON_Duplicate(rec, true));
		exact_ints(st->decl, st->items[st->n - 1]);
	}
	return 0;
}
