/*
 * The object store: a collection an API family declares instead of
 * hand-writing create, get, list, update, delete and --state for it.
 *
 * A family writes one `struct emu_store_decl` (what the real API's objects
 * look like: id kind, field table, error wording, list style, hooks), makes
 * a store from it in its module's state_new, and points routes or thin
 * handlers at emu_store_create() and friends. The store then answers with
 * the real service's shapes and errors:
 *
 *   - fields are checked against the table in table order: the JSON type
 *     (400 INVALID_PARAMETER_VALUE "Invalid value for field 'x': expected
 *     a string, got a number."), required on create and update ("Missing
 *     required field: x"), enum values ("Invalid x 'FOO': expected one of
 *     A, B."), immutability after create; unknown and read-only fields in
 *     a request are ignored, as the service ignores them;
 *   - the "does not exist" and duplicate errors use the status, code and
 *     wording the declaration gives, because they differ between APIs
 *     (400 INVALID_PARAMETER_VALUE for cluster policies, 404
 *     RESOURCE_DOES_NOT_EXIST elsewhere; 400 vs 409 for duplicates);
 *   - lists come back in the declared style: all at once, offset/limit
 *     with has_more, or page_token/next_page_token with max_results.
 *
 * What it is not for: objects with a state machine or cross-object rules
 * (runs, clusters); those keep their own code and may still use the store
 * for the plain CRUD part through the hooks.
 *
 * Records are cJSON objects owned by the store: the id field first, then
 * the table's fields in table order. Integers (EMU_JSON_INT fields) are
 * kept as exact raw nodes (json.h), so they round-trip digit for digit.
 * Records keep creation order; lookups are linear, which is fine for the
 * bounded collections of an emulated workspace.
 *
 * Handlers run under the workspace lock (module.h), so the store has no
 * lock of its own.
 */
#ifndef EMU_STORE_H
#define EMU_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "json.h"

struct emu_request;
struct emu_response;
struct emu_store;

/** How a collection names its objects. */
enum emu_store_id_kind {
	/* Numeric strings issued in sequence from 1 ("1", "2", ...), always
	 * below 2^53; decl.make_id may format the number differently. */
	EMU_STORE_ID_SEQUENCE,
	/* A UUID (version 4 layout), derived from the sequence. */
	EMU_STORE_ID_UUID,
	/* The id is a field the client gives (e.g. a name); it must be in the
	 * field table, and is required and immutable. */
	EMU_STORE_ID_FIELD,
};

/** How list answers. */
enum emu_store_list_style {
	/* Everything in one array: {<items>: [...]} (+ <total_field>). */
	EMU_STORE_LIST_ALL,
	/* ?offset=&limit= -> {<items>: [...], has_more} (+ <total_field>). */
	EMU_STORE_LIST_OFFSET,
	/* ?max_results=&page_token= -> {<items>: [...], next_page_token}. */
	EMU_STORE_LIST_TOKEN,
};

enum emu_store_field_flags {
	EMU_STORE_REQUIRED = 1 << 0,  /* on create and on full update */
	EMU_STORE_READ_ONLY = 1 << 1, /* server-filled; ignored on input */
	EMU_STORE_IMMUTABLE = 1 << 2, /* set on create; changing it is a 400 */
};

/** One field of a record. */
struct emu_store_field {
	const char *name;
	enum emu_json_type type;
	unsigned flags; /* enum emu_store_field_flags */
	/* String fields: the accepted values, ending with NULL; NULL: any. */
	const char *const *values;
	/* JSON text of the value the server fills in on create when the
	 * client gives none (e.g. "false", "\"STANDARD\""); NULL: none. */
	const char *default_json;
};

/**
 * An error the declaration words: status, error_code and a message made of
 * before, the value (an id, a name, a count) and after, e.g. {400,
 * "INVALID_PARAMETER_VALUE", "Can't find a cluster policy with id: ", "."}.
 * A zero status takes the default named where the struct is used.
 */
struct emu_store_error {
	int status;
	const char *code; /* a string literal */
	const char *before;
	const char *after;
};

/*
 * Hooks; each is optional. req is the request being served (NULL while
 * loading --state). A hook that fails writes the error into resp and
 * returns -1; the store then changes nothing.
 */
struct emu_store_hooks {
	/* The new record (create: existing is NULL) after the table's
	 * checks and defaults, before the uniqueness check; may normalise
	 * or fill fields of record. */
	int (*validate)(struct emu_store *st, struct emu_request *req,
			cJSON *record, const cJSON *existing,
			struct emu_response *resp);
	/* Fills the computed fields of a new record (its id is set). */
	void (*on_create)(struct emu_store *st, struct emu_request *req,
			  cJSON *record);
	/* After an update or patch was applied to record (old: before). */
	void (*on_update)(struct emu_store *st, struct emu_request *req,
			  cJSON *record, const cJSON *old);
	/* Just before record is removed. */
	void (*on_delete)(struct emu_store *st, struct emu_request *req,
			  const cJSON *record);
	/* The reply for get and list items, as a new value; NULL hook: a
	 * copy of the record. */
	cJSON *(*to_json)(const struct emu_store *st, const cJSON *record);
};

/** What create, update and patch answer. */
enum emu_store_reply {
	EMU_STORE_REPLY_DEFAULT, /* create: {<id_field>: id}; others: {} */
	EMU_STORE_REPLY_OBJECT,	 /* the object, as get shows it */
	EMU_STORE_REPLY_EMPTY,	 /* {} */
};

/** A collection. Declarations are static const and outlive the store. */
struct emu_store_decl {
	/* Short name, for --state error messages ("policies"). */
	const char *name;
	enum emu_store_id_kind id_kind;
	/* The id's member in records and requests ("policy_id"); read from
	 * the path parameter of that name when the route captures one, else
	 * from the query (GET) or body (POST). */
	const char *id_field;
	/* EMU_STORE_ID_SEQUENCE: formats sequence number n (>= 1) as an id,
	 * returning a new string; NULL: decimal. */
	char *(*make_id)(uint64_t n);

	const struct emu_store_field *fields;
	size_t nfields;

	/* Default {404, "RESOURCE_DOES_NOT_EXIST", "<name> ", " does not
	 * exist."}-like wording is required: before/after must be set. */
	struct emu_store_error missing;
	/* A field whose value is unique across the collection (NULL: none),
	 * compared ignoring ASCII case when unique_nocase; default status
	 * 409 RESOURCE_ALREADY_EXISTS. */
	const char *unique_field;
	bool unique_nocase;
	struct emu_store_error duplicate;
	/* Most records (0: 1000); beyond it create is refused with limit
	 * (default 400 RESOURCE_LIMIT_EXCEEDED; the value is the maximum). */
	size_t max_items;
	struct emu_store_error limit;

	enum emu_store_list_style list_style;
	const char *items_field; /* the list's array member ("policies") */
	const char *total_field; /* NULL: no total count in lists */
	/* Lists omit an empty array (as secrets/list does) when true. */
	bool omit_empty_list;
	/* Page sizes for OFFSET (limit) and TOKEN (max_results): the size
	 * when none is given (or 0), and the largest accepted (more is
	 * clamped); 0: 100 and 1000. */
	size_t page_default;
	size_t page_max;

	enum emu_store_reply create_reply;
	enum emu_store_reply update_reply;

	struct emu_store_hooks hooks;
};

/** A new empty store for decl (aborts on OOM, never NULL). */
struct emu_store *emu_store_new(const struct emu_store_decl *decl);
/** Frees a store and its records; NULL is fine. Fits emu_module.state_free. */
void emu_store_free(void *store);
/** The declaration the store was made with. */
const struct emu_store_decl *emu_store_decl(const struct emu_store *st);

/* --- request handlers: read req, answer in resp ----------------------------
 */

void emu_store_create(struct emu_store *st, struct emu_request *req,
		      struct emu_response *resp);
void emu_store_get(struct emu_store *st, struct emu_request *req,
		   struct emu_response *resp);
void emu_store_list(struct emu_store *st, struct emu_request *req,
		    struct emu_response *resp);
/** Full replace: settable fields not given are removed (or defaulted). */
void emu_store_update(struct emu_store *st, struct emu_request *req,
		      struct emu_response *resp);
/** Only the given fields change. */
void emu_store_patch(struct emu_store *st, struct emu_request *req,
		     struct emu_response *resp);
void emu_store_delete(struct emu_store *st, struct emu_request *req,
		      struct emu_response *resp);

/*
 * The same as route handlers, for a module whose state is one store
 * (req->state): {.method = "GET", .pattern = "...", .handler =
 * emu_store_route_get}.
 */
void emu_store_route_create(struct emu_request *req, struct emu_response *resp);
void emu_store_route_get(struct emu_request *req, struct emu_response *resp);
void emu_store_route_list(struct emu_request *req, struct emu_response *resp);
void emu_store_route_update(struct emu_request *req, struct emu_response *resp);
void emu_store_route_patch(struct emu_request *req, struct emu_response *resp);
void emu_store_route_delete(struct emu_request *req, struct emu_response *resp);

/* --- direct access ---------------------------------------------------------
 */

/** The record with this id (borrowed), or NULL. */
const cJSON *emu_store_find(const struct emu_store *st, const char *id);
/** Number of records, and the i-th in creation order (borrowed). */
size_t emu_store_count(const struct emu_store *st);
const cJSON *emu_store_at(const struct emu_store *st, size_t i);

/**
 * Adds record without request checks (a built-in catalogue, tests), taking
 * ownership; a record without its id gets the next one. Returns the stored
 * record, or NULL (record freed) when the id is taken or the store is full.
 */
const cJSON *emu_store_insert(struct emu_store *st, cJSON *record);

/* --- --state ----------------------------------------------------------------
 */

/**
 * The store as {"next": N, <items_field>: [records]}; fits
 * emu_module.state_save.
 */
cJSON *emu_store_save(const void *store);

/**
 * Fills an empty store from emu_store_save's output; fits
 * emu_module.state_load. Records are checked against the field table
 * (types and enums; a record may lack fields later versions added).
 * Returns 0, or -1 with "<name>: <reason>" in err.
 */
int emu_store_load(void *store, const cJSON *json, char *err, size_t errlen);

#endif
