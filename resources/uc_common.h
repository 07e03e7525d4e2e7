/*
 * What the Unity Catalog securables (catalog, schema, storage credential,
 * external location) share: name, URL and role ARN checks, path escaping,
 * create with adoption after a lost answer, PATCH bodies of changed fields
 * only, and the read normalisations that keep a plan empty when the
 * workspace spells a value differently from the configuration.
 *
 * The pure functions (validators, tfp_uc_escape, tfp_uc_add_field,
 * tfp_uc_normalize) are unit-tested in tests/unit/test_uc_common.c.
 */
#ifndef TFP_UC_COMMON_H
#define TFP_UC_COMMON_H

#include <stdbool.h>
#include "common.h"

struct cJSON;
struct tfp_arena;
struct tfp_attr;
struct tfp_call;
struct tfp_diags;
struct tfp_path;
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
 * s percent-encoded for one path segment (RFC 3986 unreserved characters
 * kept, everything else %XX, so '/' and '?' in an imported name cannot
 * change the path), in a.
 */
char *tfp_uc_escape(struct tfp_arena *a, const char *s);

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

/**
 * An error of the operation in progress ("Failed to create
 * databricks_catalog") with a formatted detail. Returns TFP_ERROR.
 */
int tfp_uc_fail(struct tfp_call *call, const char *fmt, ...) TFP_PRINTF(2, 3);

#endif
