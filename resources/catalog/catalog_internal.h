/*
 * The Unity Catalog family's internal header: what its securables and
 * grants resources share, and what their unit tests call.
 * Prefix: tfp_catalog_.
 */
#ifndef TFP_CATALOG_INTERNAL_H
#define TFP_CATALOG_INTERNAL_H

/* === securables ====================================================== */

/*
 * What the Unity Catalog securables (catalog, schema, storage credential,
 * external location) share beyond their descriptors (rest_resource.h):
 * the API prefix and the argument checks, unit-tested in
 * tests/unit/test_uc_common.c. Names go into paths percent-encoded by the
 * declarative resources, so '/' and '?' in an imported name cannot change
 * the path.
 */

#include <stdbool.h>
#include "common.h"
#include "schema.h"

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
int tfp_catalog__validate_name(struct tfp_diags *d, const struct tfp_path *path,
			 const struct tfp_value *v);

/** A cloud storage URL: s3://, abfss://, gs:// or r2:// and something
 * after it. */
int tfp_catalog__validate_url(struct tfp_diags *d, const struct tfp_path *path,
			const struct tfp_value *v);

/** An IAM role ARN: arn:<partition>:iam::<12 digits>:role/<name>. */
int tfp_catalog__validate_role_arn(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v);

/**
 * Checks that a known string is one of allowed (NULL-terminated); list is
 * how the message names them. Returns TFP_OK or TFP_ERROR at path.
 */
int tfp_catalog__check_enum(struct tfp_diags *d, const struct tfp_path *path,
		      const struct tfp_value *v, const char *what,
		      const char *const *allowed, const char *list);

/**
 * The "exactly one of these blocks" rule of obj (a config or a block
 * element of one, at path; NULL: the root): none of names (NULL-terminated
 * list blocks) given is an error at path naming them all (what says of
 * what, e.g. "a storage credential's cloud identity"), more than one an
 * error at the second. An unknown block skips the check. Returns TFP_OK or
 * TFP_ERROR.
 */
int tfp_catalog__exactly_one_block(struct tfp_diags *d, struct tfp_arena *a,
				   const struct tfp_value *obj,
				   const struct tfp_path *path,
				   const char *const *names, const char *what);

/**
 * Puts each object member of json named in names (NULL-terminated) in an
 * array of one: the official schema keeps these nested objects as lists
 * of at most one (effective_predictive_optimization_flag[0].value).
 */
void tfp_catalog__wrap_objects(struct cJSON *json, const char *const *names);

/*
 * effective_predictive_optimization_flag (value, inherited_from_type,
 * inherited_from_name), computed: catalogs, schemas and their data
 * sources.
 */
extern const struct tfp_attr tfp_catalog__po_flag_attrs[];

/*
 * The aws_iam_role block's attributes (role_arn; the computed external_id
 * and unity_catalog_iam_arn the role's trust policy needs), shared by the
 * storage credential and the metastore data access.
 */
extern const struct tfp_attr tfp_catalog__aws_iam_role_attrs[];

/*
 * The blocks of databricks_storage_credential (its cloud identities) and
 * databricks_external_location (encryption_details, file_event_queue),
 * which their data sources' info blocks share.
 */
extern const struct tfp_block tfp_catalog__credential_blocks[];
extern const struct tfp_block tfp_catalog__location_blocks[];

/**
 * The account API's path of the provider's account's metastore
 * metastore_id (escaped here), or of its metastores for NULL; in call's
 * arena.
 */
const char *tfp_catalog__account_metastore(struct tfp_call *call,
					   const char *metastore_id);

/**
 * A metastore's storage_root as configured, from the one the service
 * answers (it appends "/<metastore_id>"), in call's arena; NULL when root
 * does not end with the ID.
 */
const char *tfp_catalog__metastore_root(struct tfp_call *call,
					const char *root,
					const char *metastore_id);

/* === grants ========================================================== */

/*
 * What databricks_grants (uc_grants.c) and databricks_grant (uc_grant.c)
 * share, implemented in uc_grants_core.c: the table of securables, the
 * privilege and principal rules, the diff between desired and current
 * grants, import IDs, and the REST calls that read grants and bring them
 * to a desired state.
 *
 * The double underscore marks these semi-private (libgit2's convention):
 * only the two grant resources and tests/unit/test_uc_grants.c use them.
 * Everything above the "REST" banner is pure (no I/O) and unit-tested.
 *
 * Rules every function here follows:
 *  - a privilege is compared by its normal form: ASCII upper case, spaces
 *    turned into underscores ("use catalog" is USE_CATALOG), as Unity
 *    Catalog itself normalises them;
 *  - principals are compared without regard to ASCII case, and the first
 *    spelling met is the one kept;
 *  - strings returned live in the arena passed in.
 */

#include <stdbool.h>
#include <stddef.h>
#include "schema.h"

struct cJSON;
struct tfp_arena;
struct tfp_call;
struct tfp_diags;

/** A kind of object grants are made on. */
struct tfp_ucg_securable {
	const char *attr;     /* the argument and import-ID type: "model" */
	const char *api_type; /* the securable type in the API: "function" */
	bool share;	      /* shares use /shares/{name}/permissions */
};

/* The securable arguments, the same in both resources: optional, each
 * replaces the resource when it changes; exactly one must be set. */
/* clang-format off */
#define TFP_UCG_SECURABLE_ATTR(n, d)                                           \
	{                                                                      \
		.name = n, .type = &tfp_type_string,                           \
		.flags = TFP_OPTIONAL | TFP_FORCE_NEW, .desc = d               \
	}
#define TFP_UCG_SECURABLE_ATTRS                                                \
	TFP_UCG_SECURABLE_ATTR("catalog", "The name of a catalog."),           \
		TFP_UCG_SECURABLE_ATTR("schema",                               \
				       "The full name of a schema: "           \
				       "<catalog>.<schema>."),                 \
		TFP_UCG_SECURABLE_ATTR("table",                                \
				       "The full name of a table or view: "    \
				       "<catalog>.<schema>.<table>."),         \
		TFP_UCG_SECURABLE_ATTR("volume",                               \
				       "The full name of a volume: "           \
				       "<catalog>.<schema>.<volume>."),        \
		TFP_UCG_SECURABLE_ATTR("model",                                \
				       "The full name of a registered model "  \
				       "(granted as a function)."),            \
		TFP_UCG_SECURABLE_ATTR("function",                             \
				       "The full name of a function: "         \
				       "<catalog>.<schema>.<function>."),      \
		TFP_UCG_SECURABLE_ATTR("external_location",                    \
				       "The name of an external location."),   \
		TFP_UCG_SECURABLE_ATTR("storage_credential",                   \
				       "The name of a storage credential."),   \
		TFP_UCG_SECURABLE_ATTR("credential",                           \
				       "The name of a service credential."),   \
		TFP_UCG_SECURABLE_ATTR("foreign_connection",                   \
				       "The name of a connection (granted "    \
				       "as securable type connection)."),      \
		TFP_UCG_SECURABLE_ATTR("metastore", "The ID of a metastore."), \
		TFP_UCG_SECURABLE_ATTR("share",                                \
				       "The name of a Delta Sharing share."),  \
		TFP_UCG_SECURABLE_ATTR("recipient",                            \
				       "The name of a Delta Sharing "          \
				       "recipient."),                          \
		TFP_UCG_SECURABLE_ATTR("pipeline", "The ID of a pipeline.")
/* clang-format on */

/** Every securable, in the order of TFP_UCG_SECURABLE_ATTRS. */
extern const struct tfp_ucg_securable tfp_catalog__grants_securables[];
extern const size_t tfp_catalog__grants_n_securables;

/** The securable whose argument is attr, or NULL. */
const struct tfp_ucg_securable *tfp_catalog__grants_securable(const char *attr);

/**
 * The configured securable of obj (a config, plan or state): the first
 * securable argument that is known and not null, its value in *name.
 * Returns NULL when there is none.
 */
const struct tfp_ucg_securable *
tfp_catalog__grants_target(const char **name, const struct tfp_value *obj);

/**
 * The "exactly one securable" rule for a config: more than one set is an
 * error at the path of each extra one, none set (and none unknown) an
 * error on the resource. Returns TFP_OK or TFP_ERROR.
 */
int tfp_catalog__grants_validate_target(struct tfp_diags *d, struct tfp_arena *a,
				  const struct tfp_value *config);

/**
 * Checks one privileges set of a config (a known set of strings, at path):
 * at least one privilege, none empty, no two with the same normal form.
 * Unknown elements are skipped. Returns TFP_OK or TFP_ERROR.
 */
int tfp_catalog__grants_validate_privileges(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *privileges);

/** The normal form of a privilege: upper case, spaces → underscores. */
const char *tfp_catalog__grants_normalize(struct tfp_arena *a, const char *privilege);

/** True when two principals name the same one (ASCII case ignored). */
bool tfp_catalog__grants_same_principal(const char *x, const char *y);

/* --- grants and their diff ------------------------------------------------ */

/** One principal's privileges, in normal form, without duplicates. */
struct tfp_ucg_assignment {
	const char *principal;
	const char **privileges;
	size_t n;
	size_t cap;
};

/** The grants on one securable: one assignment per principal. */
struct tfp_ucg_grants {
	struct tfp_ucg_assignment *items;
	size_t n;
	size_t cap;
};

/**
 * Adds principal (without privilege when privilege is NULL) to g: an
 * existing assignment of the same principal (any case) gets privilege in
 * normal form unless it has it already; otherwise a new assignment starts
 * with this spelling. g starts zeroed; its arrays live in a.
 */
void tfp_catalog__grants_add(struct tfp_ucg_grants *g, struct tfp_arena *a,
		       const char *principal, const char *privilege);

/** The assignment of principal (any case) in g, or NULL. */
const struct tfp_ucg_assignment *
tfp_catalog__grants_find(const struct tfp_ucg_grants *g, const char *principal);

/** One entry of a PATCH's changes[]. */
struct tfp_ucg_change {
	const char *principal;
	const char **add;
	size_t n_add;
	const char **remove;
	size_t n_remove;
};

/**
 * What turns current into desired: for each principal, add = desired −
 * current and remove = current − desired (privileges by normal form,
 * principals without regard to case). With only == NULL every principal of
 * current is managed, so one absent from desired loses everything
 * (databricks_grants); otherwise only the principal only is looked at in
 * both (databricks_grant). A change names the principal as current spells
 * it when current has it. Principals in desired order, then current order;
 * principals with nothing to change are left out. Returns the number of
 * changes; *out is NULL when there are none.
 */
size_t tfp_catalog__grants_diff(struct tfp_ucg_change **out, struct tfp_arena *a,
			  const struct tfp_ucg_grants *desired,
			  const struct tfp_ucg_grants *current,
			  const char *only);

/** The PATCH body {"changes": [...]} of n changes; caller frees it. */
struct cJSON *tfp_catalog__grants_patch_body(const struct tfp_ucg_change *c,
				       size_t n);

/**
 * A one-line account of n changes still to make, for a diagnostic:
 * "x lacks SELECT, MODIFY; y still has USE_CATALOG".
 */
const char *tfp_catalog__grants_describe(struct tfp_arena *a,
				   const struct tfp_ucg_change *c, size_t n);

/**
 * Adds the assignment item of a permissions reply ({"principal": "...",
 * "privileges": ["..."]}) to g. A malformed item (not an object, no
 * principal string, privileges not an array of strings) is an error in d
 * naming the field. An item without privileges adds nothing.
 */
int tfp_catalog__grants_parse_item(struct tfp_ucg_grants *g, struct tfp_arena *a,
			     const struct cJSON *item, struct tfp_diags *d);

/* --- values --------------------------------------------------------------- */

/**
 * Adds principal's privileges (a set of strings; null, unknown and unknown
 * elements are skipped) to g.
 */
void tfp_catalog__grants_add_value(struct tfp_ucg_grants *g, struct tfp_arena *a,
			     const char *principal,
			     const struct tfp_value *privileges);

/**
 * The set(string) of a's privileges for the state, each spelt as in
 * prior (a set of strings, may be NULL or null) when prior has one with
 * the same normal form, else in normal form.
 */
struct tfp_value *
tfp_catalog__grants_privileges_value(struct tfp_arena *a,
			       const struct tfp_ucg_assignment *assignment,
			       const struct tfp_value *prior);

/**
 * The value of a databricks_grants "grant" block (set_type: a set of
 * objects {principal, privileges}) for the grants in g, each principal and
 * privilege spelt as in prior (the prior state's block, may be NULL) when
 * prior has an equivalent one.
 */
struct tfp_value *tfp_catalog__grants_grant_set_value(struct tfp_arena *a,
						const struct tfp_type *set_type,
						const struct tfp_ucg_grants *g,
						const struct tfp_value *prior);

/**
 * A new state of prior's type holding prior's securable arguments (they
 * force replacement, so a read keeps them as they are) and id; the caller
 * adds the grants.
 */
struct tfp_value *tfp_catalog__grants_read_state(struct tfp_arena *a,
					   const struct tfp_value *prior,
					   const char *id);

/* --- identifiers and paths ------------------------------------------------ */

/** The databricks_grants ID "<type>/<name>" (the official form). */
const char *tfp_catalog__grants_grants_id(struct tfp_arena *a,
				    const struct tfp_ucg_securable *sec,
				    const char *name);

/**
 * Parses a databricks_grants import ID "<type>/<name>": type is a
 * securable argument name, name the rest (it may contain '/'). Errors go
 * to d with the expected form and the valid types.
 */
int tfp_catalog__grants_parse_grants_id(const struct tfp_ucg_securable **sec,
				  const char **name, struct tfp_arena *a,
				  struct tfp_diags *d, const char *id);

/**
 * The databricks_grant ID "<type>/<name>/<principal>", in which '%' and
 * '/' inside name and principal are written %25 and %2F, so that any
 * name and principal survive. For ordinary names it is the official
 * provider's form.
 */
const char *tfp_catalog__grants_grant_id(struct tfp_arena *a,
				   const struct tfp_ucg_securable *sec,
				   const char *name, const char *principal);

/**
 * Parses a databricks_grant ID: "<type>/<name>/<principal>" split at the
 * first two '/' (so a principal may contain '/', as the official provider
 * reads it), then %2F and %25 (any case) decoded in name and principal.
 */
int tfp_catalog__grants_parse_grant_id(const struct tfp_ucg_securable **sec,
				 const char **name, const char **principal,
				 struct tfp_arena *a, struct tfp_diags *d,
				 const char *id);

/**
 * The API path of the grants on name:
 * /api/2.1/unity-catalog/permissions/<api_type>/<name>, or
 * /api/2.1/unity-catalog/shares/<name>/permissions for a share, with every
 * byte of name outside [A-Za-z0-9._~-] percent-encoded.
 */
const char *tfp_catalog__grants_path(struct tfp_arena *a,
			       const struct tfp_ucg_securable *sec,
			       const char *name);

/* --- REST ----------------------------------------------------------------- */

/**
 * Reads the grants on name into *out (zeroed first), every page. With
 * principal != NULL only that principal's (the API's principal filter,
 * which ignores case, then the same principal in any case; one filtered
 * read, never a second unfiltered one).
 * Returns TFP_OK, TFP_ENOTFOUND when the securable does not exist, or an
 * error with its diagnostic.
 */
int tfp_catalog__grants_fetch(struct tfp_ucg_grants *out, struct tfp_call *call,
			const struct tfp_ucg_securable *sec, const char *name,
			const char *principal);

/**
 * Brings the grants on name to desired: reads them, sends one PATCH with
 * every change (none when there is nothing to change), then reads again
 * until nothing differs (tfp_wait_for: short backoff, at most a minute,
 * interrupted by call->stop), since grants are eventually consistent.
 * only as in tfp_catalog__grants_diff. Returns TFP_OK, TFP_ENOTFOUND when the
 * securable does not exist, TFP_ECANCELED, or TFP_ERROR; a minute without
 * agreement is the wait's "Timed out" plus an error naming what still
 * differs.
 */
int tfp_catalog__grants_converge(struct tfp_call *call,
			   const struct tfp_ucg_securable *sec,
			   const char *name,
			   const struct tfp_ucg_grants *desired,
			   const char *only);

/**
 * Create and update of both resources: tfp_catalog__grants_converge, then *out
 * is plan with id, since the workspace now holds exactly what the plan
 * asks for.
 */
int tfp_catalog__grants_apply(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *plan,
			const struct tfp_ucg_securable *sec, const char *name,
			const struct tfp_ucg_grants *desired, const char *only,
			const char *id);

/* --- uc_sql_table.c: the SQL text of databricks_sql_table ----------------
 * (semi-private, for tests/unit/test_uc_sql_table.c) */

/** name as a SQL identifier: backticked, a backtick in it doubled. */
const char *tfp_catalog__sql_ident(struct tfp_arena *a, const char *name);
/** text as a SQL string literal: quoted, a quote or backslash escaped. */
const char *tfp_catalog__sql_string(struct tfp_arena *a, const char *text);
/** True when a and b name the same column type (case, white space,
 * backticks and Spark's aliases aside); NULL equals only NULL. */
bool tfp_catalog__same_column_type(const char *a, const char *b);

#endif
