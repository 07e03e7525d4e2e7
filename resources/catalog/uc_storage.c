/*
 * databricks_storage_credential and databricks_external_location: the
 * Unity Catalog objects that give the metastore access to cloud storage.
 * A storage credential holds the cloud identity (here an AWS IAM role);
 * an external location pairs a storage URL with a credential.
 *
 * REST: POST /api/2.1/unity-catalog/storage-credentials,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/storage-credentials/{name};
 * POST /api/2.1/unity-catalog/external-locations,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/external-locations/{name}.
 *
 * Quirks that explain the code:
 *  - The IAM role's external_id and unity_catalog_iam_arn are chosen by
 *    the workspace: the role's trust policy needs them, so they are
 *    computed attributes of the aws_iam_role block.
 *  - skip_validation is accepted by create and PATCH but never returned;
 *    force_destroy (DELETE ?force=true) and force_update (PATCH "force")
 *    are not part of the object at all. All three are kept from the
 *    configuration.
 *  - Both names force a new object, as in the official provider. Other
 *    changes are PATCHes of the changed fields only, owner last and alone
 *    (see uc_catalog.c).
 *  - An external location whose URL overlaps another one's is refused by
 *    the workspace (400); the diagnostic quotes its message.
 *  - read_only and fallback come back false when unset; comment may come
 *    back ""; URLs may gain or lose a trailing slash. Read keeps the
 *    configured form (tfp_catalog__normalize).
 *  - Missing objects are 404 STORAGE_CREDENTIAL_DOES_NOT_EXIST /
 *    EXTERNAL_LOCATION_DOES_NOT_EXIST: read reports them gone.
 * Import ID: the name.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int storage_validate_isolation(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *v)
{
	static const char *const allowed[] = {"ISOLATION_MODE_OPEN",
					      "ISOLATION_MODE_ISOLATED", NULL};

	return tfp_catalog__check_enum(d, path, v, "isolation_mode", allowed,
				 "ISOLATION_MODE_OPEN or "
				 "ISOLATION_MODE_ISOLATED");
}

/* clang-format off */
static const struct tfp_attr cred_role_attrs[] = {
	{ .name = "role_arn", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_role_arn,
	  .desc = "The IAM role Unity Catalog assumes, "
		  "arn:aws:iam::<account>:role/<name>." },
	{ .name = "unity_catalog_iam_arn", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The Databricks-managed IAM principal that assumes the "
		  "role: the principal of the role's trust policy." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The external ID the role's trust policy must require "
		  "(sts:ExternalId)." },
	TFP_ATTR_END
};

static const struct tfp_block cred_blocks[] = {
	{ .name = "aws_iam_role", .nesting = TFP_NEST_LIST, .min_items = 1,
	  .max_items = 1, .attrs = cred_role_attrs,
	  .desc = "The AWS IAM role of the credential. Changing role_arn "
		  "updates the credential in place." },
	TFP_BLOCK_END
};

static const struct tfp_attr cred_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The credential's name, unique in the metastore. Changing "
		  "it replaces the credential." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the credential; the creator when left out." },
	{ .name = "read_only", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "The credential may only be used to read." },
	{ .name = "skip_validation", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Save the credential even if the workspace cannot assume "
		  "the role yet." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the credential on destroy even if external "
		  "locations or tables use it." },
	{ .name = "force_update", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Update the credential even if external locations or "
		  "tables use it." },
	{ .name = "isolation_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = storage_validate_isolation,
	  .desc = "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED (bound "
		  "workspaces only)." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the credential belongs to." },
	{ .name = "storage_credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .json = "id",
	  .desc = "The credential's unique identifier." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The credential's name." },
	TFP_ATTR_END
};

static const struct tfp_attr loc_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The location's name, unique in the metastore. Changing it "
		  "replaces the location." },
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_url,
	  .desc = "The storage it covers: s3://<bucket>/<path>, "
		  "abfss://<container>@<account>.dfs.core.windows.net/<path> "
		  "or gs://<bucket>/<path>. It may not overlap another "
		  "external location." },
	{ .name = "credential_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = tfp_catalog__validate_name,
	  .desc = "The storage credential used to reach the URL." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the location; the creator when left out." },
	{ .name = "read_only", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "The location may only be read." },
	{ .name = "fallback", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Fall back to cluster credentials when Unity Catalog "
		  "credentials are not enough." },
	{ .name = "skip_validation", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Save the location even if the workspace cannot reach the "
		  "URL with the credential." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the location on destroy even if tables or volumes "
		  "use it." },
	{ .name = "force_update", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Change the URL even if tables or volumes use the "
		  "location." },
	{ .name = "isolation_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = storage_validate_isolation,
	  .desc = "ISOLATION_MODE_OPEN or ISOLATION_MODE_ISOLATED (bound "
		  "workspaces only)." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the location belongs to." },
	{ .name = "credential_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The unique identifier of the location's credential." },
	{ .name = "browse_only", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "True when the caller may only see the location's "
		  "metadata." },
	{ .name = "created_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the location was created, in epoch milliseconds." },
	{ .name = "created_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who created the location." },
	{ .name = "updated_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the location last changed, in epoch milliseconds." },
	{ .name = "updated_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Who changed the location last." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The location's name." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const cred_patch_fields[] = {"comment", "read_only",
						"isolation_mode", NULL};
static const char *const cred_folded[] = {"name", NULL};

static const char *const loc_create_fields[] = {
	"name",	     "url",	 "credential_name", "comment",
	"read_only", "fallback", "skip_validation", NULL};
static const char *const loc_patch_fields[] = {
	"url",	    "credential_name", "comment", "read_only",
	"fallback", "isolation_mode",  NULL};
static const char *const loc_folded[] = {"name", "credential_name", NULL};
static const char *const loc_slashed[] = {"url", NULL};

/* What POST does not take, for both kinds: the PATCH right after a
 * create. */
static const char *const storage_after_create_fields[] = {"isolation_mode",
							  NULL};

/* The resource the shared handlers tell apart from the other. */
#define CRED_TYPE_NAME "databricks_storage_credential"

/*
 * One kind of object: its collection under TFP_UC_API, its
 * tables, and what differs between the two kinds.
 */
struct storage_kind {
	const char *collection; /* "storage-credentials" */
	struct tfp_catalog__kind uc;	/* uc.what: "storage credential" */
	const char *const *patch_fields;
	/* The POST body for a planned object. */
	cJSON *(*create_body)(struct tfp_arena *a,
			      const struct tfp_value *plan);
};

/* --- pure functions ------------------------------------------------------- */

/* The planned aws_iam_role element, or NULL. */
static const struct tfp_value *cred_role(const struct tfp_value *obj)
{
	const struct tfp_value *b = tfp_value_get(obj, "aws_iam_role");

	if (!tfp_value_is_known(b) || b->u.coll.n == 0)
		return NULL;
	return b->u.coll.items[0];
}

static void cred_add_role(cJSON *body, const struct tfp_value *obj)
{
	const struct tfp_value *role = cred_role(obj);
	cJSON *r;

	if (role == NULL)
		return;
	r = cJSON_AddObjectToObject(body, "aws_iam_role");
	tfp_catalog__add_field(r, role, "role_arn", NULL, false);
}

static cJSON *cred_create_body(struct tfp_arena *a,
			       const struct tfp_value *plan)
{
	cJSON *body = tfp_catalog__body(a);

	tfp_catalog__add_field(body, plan, "name", NULL, false);
	cred_add_role(body, plan);
	tfp_catalog__add_field(body, plan, "comment", NULL, false);
	tfp_catalog__add_field(body, plan, "read_only", NULL, false);
	tfp_catalog__add_field(body, plan, "skip_validation", NULL, false);
	return body;
}

static cJSON *loc_create_body(struct tfp_arena *a, const struct tfp_value *plan)
{
	return tfp_catalog__fields_body(a, plan, loc_create_fields);
}

static const struct storage_kind cred_kind = {
	.collection = "storage-credentials",
	.uc = {.what = "storage credential",
	       .attrs = cred_attrs,
	       .blocks = cred_blocks,
	       .folded = cred_folded},
	.patch_fields = cred_patch_fields,
	.create_body = cred_create_body,
};

static const struct storage_kind loc_kind = {
	.collection = "external-locations",
	.uc = {.what = "external location",
	       .attrs = loc_attrs,
	       .folded = loc_folded,
	       .slashed = loc_slashed},
	.patch_fields = loc_patch_fields,
	.create_body = loc_create_body,
};

/*
 * The PATCH body without owner that turns prior into plan (changed fields
 * only; the IAM role when its ARN changed), or after a create (prior NULL)
 * the isolation mode POST does not take. skip_validation and force
 * (force_update) go along with any change. Empty when there is nothing to
 * send.
 */
static cJSON *storage_patch_body(struct tfp_arena *a,
				 const struct storage_kind *k,
				 const struct tfp_value *prior,
				 const struct tfp_value *plan)
{
	cJSON *body;
	const struct tfp_value *role, *old_role;
	int n = 0;

	if (prior == NULL)
		return tfp_catalog__fields_body(a, plan, storage_after_create_fields);
	body = tfp_catalog__body(a);
	n = tfp_catalog__add_changes(body, prior, plan, k->patch_fields);
	if (k->uc.blocks != NULL) {
		role = cred_role(plan);
		old_role = cred_role(prior);
		if (role != NULL &&
		    !tfp_value_equal(tfp_value_get(role, "role_arn"),
				     tfp_value_get(old_role, "role_arn"))) {
			cred_add_role(body, plan);
			n++;
		}
	}
	if (n == 0)
		return body;
	if (tfp_value_get_bool(plan, "skip_validation", false))
		cJSON_AddBoolToObject(body, "skip_validation", true);
	if (tfp_value_get_bool(plan, "force_update", false))
		cJSON_AddBoolToObject(body, "force", true);
	return body;
}

/* --- handlers ------------------------------------------------------------- */

/*
 * The two resources share their handlers; the resource being called picks
 * the kind.
 */
static const struct storage_kind *storage_kind_of(const struct tfp_call *call)
{
	return strcmp(call->type_name, CRED_TYPE_NAME) == 0 ? &cred_kind
							    : &loc_kind;
}

static const char *storage_path(struct tfp_call *call,
				const struct storage_kind *k, const char *name)
{
	return tfp_arena_printf(call->arena, "%s/%s/%s", TFP_UC_API,
				k->collection,
				tfp_rest_escape(call->arena, name));
}

static int storage_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior)
{
	const struct storage_kind *k = storage_kind_of(call);
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *info = NULL;
	int error;

	if (id == NULL)
		id = tfp_value_get_string(prior, "name");
	error = tfp_rest_get(&info, call, storage_path(call, k, id), NULL);
	if (error < 0)
		return error;
	return tfp_catalog__state(out, call, &k->uc, prior->type, info, prior);
}

/* The changed fields, then owner alone and last (see uc_catalog.c). */
static int storage_patch(struct tfp_call *call, const struct storage_kind *k,
			 const char *name, const struct tfp_value *prior,
			 const struct tfp_value *plan)
{
	const char *path = storage_path(call, k, name);
	int error;

	error = tfp_catalog__patch(call, path,
			     storage_patch_body(call->arena, k, prior, plan));
	if (error == TFP_OK)
		error = tfp_catalog__patch_owner(call, path, prior, plan);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "The %s %s no longer exists.",
				      k->uc.what, name);
	return error;
}

static int storage_create(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *plan)
{
	const struct storage_kind *k = storage_kind_of(call);
	const char *name = tfp_value_get_string(plan, "name");
	cJSON *info = NULL;
	int error;

	error = tfp_catalog__create(&info, call, k->collection,
			      storage_path(call, k, name),
			      k->create_body(call->arena, plan));
	if (error < 0)
		return error;
	error = storage_patch(call, k, name, NULL, plan);
	if (error < 0) {
		tfp_catalog__keep(out, call, &k->uc, info, plan, name);
		return error;
	}
	return tfp_catalog__read_back(out, call, &k->uc, plan,
				storage_path(call, k, name), name, info);
}

static int storage_update(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	const struct storage_kind *k = storage_kind_of(call);
	const char *id = tfp_value_get_string(prior, "id");
	int error;

	error = storage_patch(call, k, id, prior, plan);
	if (error < 0)
		return error;
	return tfp_catalog__read_back(out, call, &k->uc, plan,
				storage_path(call, k, id), id, NULL);
}

static int storage_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	return tfp_catalog__delete(call,
			     storage_path(call, storage_kind_of(call),
					  tfp_value_get_string(prior, "id")),
			     prior);
}

/* --- the two resources --------------------------------------------------- */

const struct tfp_resource tfp_resource_storage_credential = {
	.type_name = CRED_TYPE_NAME,
	.attrs = cred_attrs,
	.blocks = cred_blocks,
	.desc = "A Unity Catalog storage credential: an AWS IAM role that the "
		"metastore assumes to reach cloud storage. Its aws_iam_role "
		"block exports the external ID and the principal that the "
		"role's trust policy must name.",
	.create = storage_create,
	.read = storage_read,
	.update = storage_update,
	.delete = storage_delete,
};

/* A new credential_name means a new credential_id. */
static int loc_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan)
{
	(void)config;
	if (prior == NULL ||
	    tfp_value_equal(tfp_value_get(prior, "credential_name"),
			    tfp_value_get(plan, "credential_name")))
		return TFP_OK;
	tfp_value_set(plan, "credential_id",
		      tfp_value_unknown(call->arena, &tfp_type_string));
	return TFP_OK;
}

const struct tfp_resource tfp_resource_external_location = {
	.type_name = "databricks_external_location",
	.attrs = loc_attrs,
	.desc = "A Unity Catalog external location: a cloud storage URL and "
		"the storage credential used to reach it. URLs of two "
		"external locations may not overlap. The URL, credential, "
		"comment and flags change in place; a new name replaces it.",
	.create = storage_create,
	.read = storage_read,
	.update = storage_update,
	.delete = storage_delete,
	.modify_plan = loc_modify_plan,
};
