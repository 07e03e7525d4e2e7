/*
 * What the Unity Catalog securables (catalog, schema, storage credential,
 * external location) share: name, URL and role ARN checks, path escaping,
 * create with adoption after a lost answer, PATCH bodies of changed fields
 * only, the read normalisations that keep a plan empty when the workspace
 * spells a value differently from the configuration, and the steps every
 * one of their handlers takes the same way (owner PATCHed last and alone,
 * DELETE with force, state from a reply, read back after a write), so
 * that each resource file keeps only what differs.
 *
 * Names go into paths percent-encoded by tfp_rest_escape (rest.h), so '/'
 * and '?' in an imported name cannot change the path.
 *
 * The pure functions (validators, tfp_uc_add_field, tfp_uc_fields_body,
 * tfp_uc_normalize) and tfp_uc_keep are unit-tested in
 * tests/unit/test_uc_common.c; the handler steps by tests/e2e/uc_*.
 */
#ifndef TFP_UC_COMMON_H
#define TFP_UC_COMMON_H

#include <stdbool.h>
#include "common.h"

struct cJSON;
struct tfp_arena;
struct tfp_attr;
struct tfp_block;
struct tfp_call;
struct tfp_diags;
struct tfp_path;
struct tfp_type;
struct tfp_value;

/* Every Unity Catalog path starts here. */
#define TFP_UC_API "/api/2.1/unity-catalog"

/**
 * A securable's name: 1 to 255 characters, none of them a space, a
 * period, a slash or a control character (the workspace's own rule).
 */
int tfp_uc_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			 const struct tfp_value *v);

/** A cloud storage URL: s3://, abfss:// or gs:// and something after it. */
int tfp_uc_validate_url(struct tfp_diags *d, const struct tfp_path *path,
			const struct tfp_value *v);

/** An IAM role ARN: arn:<partition>:iam::<12 digits>:role/<name>. */
int tfp_uc_validate_role_arn(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v);

/**
 * Checks that a known string is one of allowed (NULL-terminated); list is
 * how the message names them. Returns TFP_OK or TFP_ERROR at path.
 */
int tfp_uc_check_enum(struct tfp_diags *d, const struct tfp_path *path,
		      const struct tfp_value *v, const char *what,
		      const char *const *allowed, const char *list);

/**
 * Adds attribute name of obj to body as field json (NULL: name) when it
 * is known and not null. With clear, a null value is sent as the empty
 * value of its type ("" / false / {}) so that a PATCH removes it. String,
 * bool and map-of-string attributes only. Returns true when a
 * field was added.
 */
bool tfp_uc_add_field(struct cJSON *body, const struct tfp_value *obj,
		      const char *name, const char *json, bool clear);

/**
 * Adds every attribute of names (NULL-terminated) whose value differs
 * between prior and plan to body, clearing removed values (see
 * tfp_uc_add_field). Returns the number of fields added.
 */
int tfp_uc_add_changes(struct cJSON *body, const struct tfp_value *prior,
		       const struct tfp_value *plan, const char *const *names);

/**
 * Read normalisations against prior (the state or plan the read replaces;
 * may be NULL), applied to the top-level attributes of state:
 *  - an optional, not computed string, bool or map that prior has null and
 *    the workspace answers with "", false or {} stays null (the workspace
 *    reports "nothing" as an empty value);
 *  - the attributes named in folded keep prior's spelling when they only
 *    differ in case (Unity Catalog lower-cases names);
 *  - the attributes named in slashed keep prior's spelling when they only
 *    differ by a trailing '/' (storage URLs);
 *  - TFP_NO_JSON attributes other than "id" come from prior (arguments
 *    such as force_destroy that the workspace never sees).
 */
void tfp_uc_normalize(struct tfp_arena *a, struct tfp_value *state,
		      const struct tfp_attr *attrs,
		      const struct tfp_value *prior, const char *const *folded,
		      const char *const *slashed);

/**
 * POSTs body to TFP_UC_API "/<collection>" so that the object is made
 * exactly once although the answer may be lost: after TFP_EUNCERTAIN it
 * GETs item_path (the object's own path): present means the lost create
 * made it (the uncertain diagnostic is dropped and *out is the GET's
 * reply), absent means nothing was made and the POST is sent again (three
 * tries in all). *out is the object as the workspace answered, in
 * call->arena. A 404 to the POST (the parent catalog or the credential
 * does not exist) is an error with the workspace's message.
 */
int tfp_uc_create(struct cJSON **out, struct tfp_call *call,
		  const char *collection, const char *item_path,
		  const struct cJSON *body);

/** An empty JSON object (a request body to fill), freed with a. */
struct cJSON *tfp_uc_body(struct tfp_arena *a);

/**
 * A body (freed with a) holding the fields of plan named in fields
 * (NULL-terminated) that are known and not null (tfp_uc_add_field): a
 * create's POST, or the PATCH after it of what POST does not take.
 */
struct cJSON *tfp_uc_fields_body(struct tfp_arena *a,
				 const struct tfp_value *plan,
				 const char *const *fields);

/**
 * PATCHes body to path (the object's own path) when it has a field;
 * TFP_OK without a request when it is empty. TFP_ENOTFOUND is passed on
 * for the caller to word.
 */
int tfp_uc_patch(struct tfp_call *call, const char *path,
		 const struct cJSON *body);

/**
 * PATCHes owner alone to path when plan sets one that prior (NULL: none)
 * lacks. Callers send it after every other change: giving the object away
 * first could take away the caller's right to make them.
 */
int tfp_uc_patch_owner(struct tfp_call *call, const char *path,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan);

/** DELETEs path, with ?force=true when prior's force_destroy is set. */
int tfp_uc_delete(struct tfp_call *call, const char *path,
		  const struct tfp_value *prior);

/** What the shared read code needs to know of one kind of securable. */
struct tfp_uc_kind {
	const char *what; /* "catalog", for messages */
	const struct tfp_attr *attrs;
	const struct tfp_block *blocks; /* or NULL */
	const char *const *folded;	/* see tfp_uc_normalize; may be NULL */
	const char *const *slashed;	/* the same */
	/* Sets "id" of a state made from a reply; NULL: the id is the name.
	 * Returns TFP_ERROR with a diagnostic when the reply lacks what the
	 * ID is made of. */
	int (*set_id)(struct tfp_call *call, struct tfp_value *state);
};

/**
 * The state (of type) for the workspace's reply info: mapped by kind's
 * tables, normalised against prior (tfp_uc_normalize; prior supplies
 * spellings and the arguments the workspace never sees) and given its id.
 * A reply without a name is an error.
 */
int tfp_uc_state(struct tfp_value **out, struct tfp_call *call,
		 const struct tfp_uc_kind *kind, const struct tfp_type *type,
		 const struct cJSON *info, const struct tfp_value *prior);

/**
 * The object at path as it now is, after a write, with plan as prior; name
 * is its ID, which messages use. A 404 here is an error (the workspace has
 * just accepted the object). If the GET fails and fallback (what a write
 * answered) is not NULL, *out is still set, by tfp_uc_keep, so that
 * Terraform records the object that exists; the GET's error is returned.
 */
int tfp_uc_read_back(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_uc_kind *kind,
		     const struct tfp_value *plan, const char *path,
		     const char *name, const struct cJSON *fallback);

/**
 * Sets *out for an object that exists although the handler is about to
 * fail (a PATCH after its create failed, or a read-back after a rename):
 * the state made from info (a reply of the workspace; may be NULL) when
 * that works, else plan with its unknowns made null and "id" set to id.
 * *out is always set, so the object is not lost from the state; a reply
 * that cannot be made a state leaves its diagnostic beside the caller's.
 */
void tfp_uc_keep(struct tfp_value **out, struct tfp_call *call,
		 const struct tfp_uc_kind *kind, const struct cJSON *info,
		 const struct tfp_value *plan, const char *id);

#endif
