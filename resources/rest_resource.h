/*
 * Declarative REST resources: a Terraform type that maps one REST object is
 * a descriptor, not a copy of the lifecycle.
 *
 * A descriptor (struct tfp_rres) says where the object lives (its create,
 * read, update and delete endpoints), where its id comes from and how it
 * goes into paths, query strings and bodies, what the import ID looks like,
 * which answers mean "gone", which fields a create takes and an update may
 * change, and which spellings the service normalises. The generic handlers
 * below do the rest on top of the lifecycle (provider/lifecycle.c) and the
 * schema-driven JSON mapping (provider/jsonmap.c):
 *
 *  - create: the plan's fields as JSON, POSTed; a create whose answer was
 *    lost is found by its id and adopted instead of made twice; fields the
 *    create does not take are PATCHed right after it, the owner last and
 *    alone; the object is read back; from the moment it exists, every
 *    failure still returns it, so Terraform records it; what the read
 *    back leaves unknown (a computed TFP_KEEP_PRIOR value only the
 *    create answers, such as a token's value) comes from the create's
 *    answer;
 *  - read: one GET, or one (cached) list and a match on a key field; the
 *    answer mapped by the schema tables and normalised against the prior
 *    state (names that differ only in case, URLs by a trailing slash, JSON
 *    text that is the same document, "" / false / {} where the
 *    configuration said nothing, arguments the service never returns);
 *  - update: a PATCH of the changed fields (a removed value sent empty so
 *    that it is cleared; a rename in place through a field such as
 *    new_name), or the whole object (a PUT or an "edit" POST);
 *  - delete, with ?force=true from an argument such as force_destroy;
 *  - import by the official ID, checked against its form;
 *  - the id in the plan as soon as the attributes it is made of are known.
 *
 * Hooks cover the quirks that a table cannot say (a catalog deletes the
 * "default" schema the service makes; a secret scope's create body names
 * fields differently from its list). A resource with real behaviour of
 * its own (a cluster's state machine, a job's keyed tasks, grants' set
 * arithmetic) keeps its own handlers.
 *
 * The descriptor reaches the handlers as call->data: a resource sets
 * .data = &its_descriptor and TFP_RRES_HANDLERS. Paths are templates in
 * which "{id}" is the object's id and "{<attribute>}" a string attribute
 * (of the object, or of the id parsed by the id template), both
 * percent-encoded (tfp_rest_escape); an integral number attribute (a
 * workspace_id) is written in decimal, and parsed back from an id;
 * "{account_id}" falls back to the provider's account. A type that both
 * levels of provider manage names the account level's declaration in
 * .account (see "levels" below). See docs/internals/adding-a-
 * resource.md for a walk through databricks_cluster_policy.
 */
#ifndef TFP_REST_RESOURCE_H
#define TFP_REST_RESOURCE_H

#include <stdbool.h>
#include "schema.h"

struct cJSON;
struct tfp_arena;
struct tfp_rest_not_found;

/** How an update reaches the service. */
enum tfp_rres_update {
	/* No update: every argument forces a new object (update = NULL). */
	TFP_RRES_NO_UPDATE = 0,
	/* The changed fields only; a value removed from the configuration is
	 * sent empty ("" / false / {}), which is how these APIs clear it. */
	TFP_RRES_PATCH,
	/* Every field (a full PUT, or an "edit" POST with the id). */
	TFP_RRES_FULL,
	/* Every field, under .reset_field beside the id (jobs/reset's
	 * {"job_id": ..., "new_settings": {...}}). */
	TFP_RRES_RESET,
};

/** One endpoint. */
struct tfp_rres_op {
	const char *method; /* NULL: POST create, GET read, PATCH update,
			       DELETE delete */
	const char *path;   /* template; see above */
	/* The id also goes in as this query parameter (GET, DELETE) or body
	 * field (POST, PATCH, PUT): "policy_id", "scope". */
	const char *id_param;
	/* This attribute of the object also goes in as a query parameter of
	 * the same name (an unassign's ?metastore_id=). */
	const char *query_attr;
	unsigned flags; /* TFP_REST_CACHE (read), TFP_REST_IDEMPOTENT */
	/* A fixed JSON body the call sends when it has none of its own
	 * (a log delivery's delete: {"status": "DISABLED"}). */
	const char *body;
	/* The body goes unwrapped even when the type has a .wrapper (a log
	 * delivery's status PATCH). */
	bool bare;
	/* Read only: the reply is a list whose array items holds the object;
	 * the element whose field key equals the id (exactly, else without
	 * regard to case when key is folded) is it. key may name a nested
	 * field ("principal.principal_id"), and an integer matches its
	 * decimal text. */
	const char *items, *key;
	/* Read only: what key must equal, as a template of the id's
	 * attributes ("{principal_id}"); NULL: the id itself. */
	const char *match;
};

struct tfp_rres {
	const char *what; /* "catalog": for messages */
	/* The resource's tables (the same as its tfp_resource's). */
	const struct tfp_attr *attrs;
	const struct tfp_block *blocks;

	/* --- identity --- */
	/* The id as a template of attributes ("{name}",
	 * "{catalog_name}.{name}", "{policy_id}"). */
	const char *id;
	/* The create reply's field holding an id the service issues
	 * ("policy_id"); NULL: the id is made from the plan. */
	const char *id_field;
	/* The import ID's form for messages ("<catalog_name>.<name>"). */
	const char *import_form;

	/* --- endpoints --- */
	struct tfp_rres_op create, read, update, del;
	/* The list endpoint a batched read uses: its path, the array of
	 * objects, and the field that is each one's id. With batch set, a
	 * refresh reads from it (tfp_rest_batch_find) when the list's
	 * objects are the read's: parent names the attribute that also goes
	 * in as the list's query parameter of that name (a schema's
	 * catalog_name), page_size how many it asks for a page (size_param,
	 * default max_results; scim: SCIM's startIndex and count), fold
	 * that ids compare without regard to case. */
	struct {
		const char *path, *items, *id_field;
		bool batch, fold, scim;
		const char *parent, *size_param, *page_size;
	} list;

	/* --- fields (attribute names; NULL-terminated; NULL: all) --- */
	const char *const *create_fields;
	/* Set by a PATCH right after the create (the create ignores them). */
	const char *const *create_patch_fields;
	enum tfp_rres_update update_mode;
	const char *const *update_fields;
	/* TFP_RRES_RESET: the field that holds the whole object. */
	const char *reset_field;
	/* A change of the single attribute of the id template goes in this
	 * field of the PATCH ("new_name"): a rename in place. */
	const char *rename_field;
	/* Sent alone in a PATCH after every other write ("owner"): giving
	 * the object away first could take the right to make the others. */
	const char *owner_field;
	/* A bool attribute that adds force=true to the delete. */
	const char *force_delete;
	/* The name force goes by: a query parameter, or a body field when
	 * the delete is a POST (workspace/delete's "recursive"). NULL:
	 * "force". */
	const char *force_param;

	/* --- read normalisations (prior's spelling is kept) --- */
	const char *const *folded;    /* equal without regard to case */
	const char *const *slashed;   /* equal but for a trailing '/' */

	/* The create answers with the object itself (not just its id), so
	 * a create that fails half-way records the service's view. */
	bool create_answers_object;
	/* A create whose answer was lost is looked up by its id (made from
	 * the plan) and adopted when it exists; else it is sent again. */
	bool adopt_lost_create;
	/* Answers of this type's endpoints that mean gone, beyond the
	 * client's rules and the families' tables (rest.h), in the same
	 * form; ends with .path == NULL. NULL: none. */
	const struct tfp_rest_not_found *gone;

	/* --- levels --- */
	/* Dual-level types (Unity Catalog metastores): the declaration an
	 * account-level provider uses instead of this one, with the account
	 * API's paths, methods and wrapper; the same tables, id and import
	 * form. NULL: one level (see provider_flags). Its own .account is
	 * NULL. */
	const struct tfp_rres *account;
	/* The member that wraps objects in request bodies and answers: the
	 * account API's {"metastore_info": {...}}, log delivery's
	 * {"log_delivery_configuration": {...}}. An endpoint marked .bare,
	 * and a fixed .body, are sent as they are. NULL: objects are bare. */
	const char *wrapper;

	/* --- hooks (all optional) --- */
	/* Adjusts a request body; call->op says which ("create", "update").
	 * prior is NULL on create. */
	int (*body)(struct cJSON *body, struct tfp_call *call,
		    const struct tfp_value *prior,
		    const struct tfp_value *plan);
	/* Runs right after a successful create, before anything else. A
	 * failure keeps the object in the state. */
	int (*after_create)(struct tfp_call *call, const char *id,
			    const struct tfp_value *plan);
	/* Turns an object as the service answers it into the tables'
	 * shape before it is mapped (a copy the hook may change): nested
	 * fields the schema keeps flat, such as an mws credential's
	 * aws_credentials.sts_role.role_arn. */
	int (*reshape)(struct cJSON *json, struct tfp_call *call);
	/* Adjusts a state read from the service; prior may be NULL. */
	void (*normalize)(struct tfp_call *call, struct tfp_value *state,
			  const struct tfp_value *prior);
	/* Runs after the generic plan adjustments (the resource's own
	 * modify_plan). */
	int (*modify_plan)(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan);
};

/* The generic handlers; call->data is the struct tfp_rres. */
int tfp_rres_create(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *plan);
int tfp_rres_read(struct tfp_value **out, struct tfp_call *call,
		  const struct tfp_value *prior);
int tfp_rres_update(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior,
		    const struct tfp_value *plan);
int tfp_rres_delete(struct tfp_call *call, const struct tfp_value *prior);
int tfp_rres_import(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_type *type, const char *id);
int tfp_rres_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			 const struct tfp_value *config,
			 struct tfp_value *plan);

/* Every handler but update, which a resource adds unless it has none. */
#define TFP_RRES_HANDLERS                                                      \
	.create = tfp_rres_create, .read = tfp_rres_read,                      \
	.delete = tfp_rres_delete, .import = tfp_rres_import,                  \
	.modify_plan = tfp_rres_modify_plan

/* --- pieces the hooks and data sources use -------------------------------- */

/**
 * The declaration that serves call's provider: d->account for an
 * account-level provider when d has one, else d. Handlers, tfp_rres_get
 * and tfp_rres_state apply it themselves; hooks that make calls of their
 * own use it to pick paths.
 */
const struct tfp_rres *tfp_rres_at_level(const struct tfp_call *call,
				       const struct tfp_rres *d);

/**
 * Expands a path template for obj (a state or plan; may be NULL) and id
 * (may be NULL): "{id}" is id, "{x}" the string attribute x, both
 * percent-encoded when escape is set. NULL when a value is missing.
 */
const char *tfp_rres_expand(struct tfp_call *call, const char *tmpl,
			    const struct tfp_value *obj, const char *id,
			    bool escape);

/* tfp_rres_get: ask the service, not the read cache (a create's answer
 * was lost, so a cached list may predate it). */
#define TFP_RRES_FRESH (1u << 30)

/**
 * GETs the object with id as d->read says (a list and a match included).
 * *out is the object's JSON in call->arena. TFP_ENOTFOUND when it is
 * gone (last_error says why), with flags added to the read's.
 */
int tfp_rres_get(struct cJSON **out, struct tfp_call *call,
		 const struct tfp_rres *d, const char *id, unsigned flags);

/**
 * A refresh's read of the object with id: from the type's list when
 * d->list.batch and the list serves it (prior gives the list's parent),
 * else tfp_rres_get. For a type whose read is its own handler.
 */
int tfp_rres_fetch(struct cJSON **out, struct tfp_call *call,
		   const struct tfp_rres *d, const char *id,
		   const struct tfp_value *prior);

/**
 * The state of type for json (an object as the service answers it),
 * mapped by the resource's tables and normalised against prior (may be
 * NULL), with its id set.
 */
int tfp_rres_state(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_rres *d, const struct tfp_type *type,
		   const struct cJSON *json, const struct tfp_value *prior);

/**
 * True when a and b are the same JSON document (key order and white space
 * aside; numbers compared by value). Text that is not JSON is compared as
 * text.
 */
bool tfp_rres_same_json(const char *a, const char *b);

/* --- semi-private: the pure steps, for tests/unit/test_rest_resource.c --- */

/**
 * The PATCH body (in call->arena) that turns prior into plan: every field
 * of d->update_fields (NULL: all) that changed, a removed value cleared
 * ("" / false / {} / []), unknown values and the owner left out.
 */
int tfp_rres__patch_body(struct cJSON **out, struct tfp_call *call,
			 const struct tfp_rres *d,
			 const struct tfp_value *prior,
			 const struct tfp_value *plan);

/**
 * The body of an update by d->update_mode, after the body hook; *out is
 * NULL when nothing is to be sent. *new_id is set on a rename.
 */
int tfp_rres__update_body(struct cJSON **out, struct tfp_call *call,
			  const struct tfp_rres *d,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan, const char **new_id);

/** obj's JSON (nulls and unknowns left out), only fields (NULL: all). */
int tfp_rres__fields_body(struct cJSON **out, struct tfp_call *call,
			  const struct tfp_rres *d, const struct tfp_value *obj,
			  const char *const *fields);

/**
 * The read normalisations of state against prior (may be NULL): see
 * "read" above. Top-level attributes; blocks only for TFP_NO_JSON ones.
 */
void tfp_rres__normalize(struct tfp_arena *a, const struct tfp_rres *d,
			 struct tfp_value *state,
			 const struct tfp_value *prior);

/**
 * Sets *out for an object that exists although the handler is about to
 * fail: the state made from json (may be NULL) when that works, else plan
 * with its unknowns made null and the id set. *out is always set.
 */
void tfp_rres__keep(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_rres *d, const struct cJSON *json,
		    const struct tfp_value *plan, const char *id);

#endif
