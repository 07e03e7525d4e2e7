/*
 * databricks_instance_profile (resource) and databricks_instance_profiles
 * (data source): the AWS instance profiles a workspace's clusters and
 * pools may launch with.
 *
 * REST (Instance Profiles 2.0): POST /api/2.0/instance-profiles/add
 * {instance_profile_arn, iam_role_arn, is_meta_instance_profile,
 * skip_validation} -> {}; POST /api/2.0/instance-profiles/edit
 * {instance_profile_arn, iam_role_arn, is_meta_instance_profile};
 * POST /api/2.0/instance-profiles/remove {instance_profile_arn};
 * GET /api/2.0/instance-profiles/list -> {instance_profiles} ({} when
 * there are none).
 *
 * Quirks that explain the code:
 *  - There is no get: a read is the (cached) list, matched on the ARN,
 *    which is also the id and the import ID. add answers nothing, and a
 *    second add of the same ARN is refused, so a create whose answer was
 *    lost is looked up in the list and adopted.
 *  - skip_validation only tells add not to ask AWS whether the profile
 *    can launch instances; the list never returns it. The state keeps
 *    what was configured, false for an imported profile, and a change
 *    from false to true is nothing to do (the official provider ignores
 *    it: the profile exists, validated or not).
 *  - edit changes the IAM role and the meta flag in place; another ARN
 *    is another profile.
 *  - ARNs are checked at plan time as the official provider checks them.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "compute_internal.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"

#define PROFILE_API "/api/2.0/instance-profiles"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr profile_attrs[] = {
	{ .name = "instance_profile_arn", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_validate_instance_profile_arn,
	  .desc = "The instance profile's ARN, "
		  "arn:aws:iam::<account>:instance-profile/<name>." },
	{ .name = "iam_role_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = tfp_validate_iam_role_arn,
	  .desc = "The IAM role of the profile, needed when the role's name "
		  "differs from the profile's (and for Databricks SQL "
		  "serverless)." },
	{ .name = "is_meta_instance_profile", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Whether the profile is a meta instance profile, used to "
		  "assume other roles (IAM credential passthrough)." },
	{ .name = "skip_validation", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_KEEP_PRIOR,
	  .desc = "Add the profile without asking AWS whether instances can "
		  "launch with it. Never returned by the workspace." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The instance profile's ARN." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const profile_edit_fields[] = {
	"instance_profile_arn", "iam_role_arn", "is_meta_instance_profile",
	NULL};

/* --- hooks ---------------------------------------------------------------- */

/* skip_validation is false unless configured; false to true is no change. */
static int profile_modify_plan(struct tfp_call *call,
			       const struct tfp_value *prior,
			       const struct tfp_value *config,
			       struct tfp_value *plan)
{
	const struct tfp_value *want, *was;

	if (!tfp_value_is_known(plan) || !tfp_value_is_known(config))
		return TFP_OK;
	want = tfp_value_get(config, "skip_validation");
	was = tfp_value_is_known(prior)
		      ? tfp_value_get(prior, "skip_validation")
		      : NULL;
	if (tfp_value_is_unknown(want))
		return TFP_OK;
	if (tfp_value_is_null(want) ||
	    (tfp_value_is_known(was) && !was->u.b && want->u.b))
		tfp_value_set(
			plan, "skip_validation",
			tfp_value_bool(call->arena,
				       tfp_value_is_known(was) && was->u.b));
	return TFP_OK;
}

/* An imported profile has no skip_validation to keep: false. */
static void profile_normalize(struct tfp_call *call, struct tfp_value *state,
			      const struct tfp_value *prior)
{
	(void)prior;
	if (!tfp_value_is_known(tfp_value_get(state, "skip_validation")))
		tfp_value_set(state, "skip_validation",
			      tfp_value_bool(call->arena, false));
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres profile_rres = {
	.what = "instance profile",
	.attrs = profile_attrs,
	.id = "{instance_profile_arn}",
	.import_form = "<instance_profile_arn>",
	.create = { .path = PROFILE_API "/add" },
	/* No get: the cached list, matched on the ARN. */
	.read = { .path = PROFILE_API "/list", .flags = TFP_REST_CACHE,
		  .items = "instance_profiles",
		  .key = "instance_profile_arn" },
	.update = { .method = "POST", .path = PROFILE_API "/edit" },
	.del = { .method = "POST", .path = PROFILE_API "/remove",
		 .id_param = "instance_profile_arn",
		 .flags = TFP_REST_IDEMPOTENT },
	.list = { .path = PROFILE_API "/list", .items = "instance_profiles",
		  .id_field = "instance_profile_arn" },
	.update_mode = TFP_RRES_FULL,
	.update_fields = profile_edit_fields,
	.adopt_lost_create = true,
	.normalize = profile_normalize,
	.modify_plan = profile_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_instance_profile = {
	.type_name = "databricks_instance_profile",
	.attrs = profile_attrs,
	.desc = "An AWS instance profile registered with the workspace, so "
		"that clusters and instance pools may launch with it.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &profile_rres,
};

/* --- the data source ------------------------------------------------------ */

/* clang-format off */
static const struct tfp_attr data_profile_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The profile's name: the last part of its ARN." },
	{ .name = "arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The instance profile's ARN." },
	{ .name = "role_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The IAM role's ARN, when the profile names one." },
	{ .name = "is_meta", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether it is a meta instance profile." },
	TFP_ATTR_END
};

static const struct tfp_block data_profiles_blocks[] = {
	{ .name = "instance_profiles", .nesting = TFP_NEST_LIST,
	  .attrs = data_profile_attrs,
	  .desc = "Every instance profile of the workspace; filled by the "
		  "data source." },
	TFP_BLOCK_END
};

static const struct tfp_attr data_profiles_attrs[] = {
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

static int data_profiles_read(struct tfp_value **out, struct tfp_call *call,
			      const struct tfp_value *config)
{
	const struct tfp_type *list_t =
		config->type->attr_types[tfp_type_attr_index(
			config->type, "instance_profiles")];
	const cJSON *items, *p;
	struct tfp_value *v, *list;
	cJSON *reply = NULL;
	size_t n = 0;
	int error;

	error = tfp_rest_call(&reply, call, "GET", PROFILE_API "/list", NULL,
			      NULL, TFP_REST_CACHE);
	if (error < 0)
		return error;
	items = cJSON_GetObjectItemCaseSensitive(reply, "instance_profiles");
	list = tfp_value_collection(call->arena, list_t,
				    (size_t)cJSON_GetArraySize(items));
	cJSON_ArrayForEach(p, items)
	{
		const char *arn = tfp_json_string(p, "instance_profile_arn");
		const char *slash = arn ? strrchr(arn, '/') : NULL;
		const cJSON *meta = cJSON_GetObjectItemCaseSensitive(
			p, "is_meta_instance_profile");
		struct tfp_value *e;

		if (arn == NULL)
			continue;
		e = tfp_value_object(call->arena, list_t->elem);
		tfp_value_set_string(call->arena, e, "name",
				     slash ? slash + 1 : arn);
		tfp_value_set_string(call->arena, e, "arn", arn);
		tfp_value_set_string(call->arena, e, "role_arn",
				     tfp_json_string(p, "iam_role_arn"));
		tfp_value_set(e, "is_meta",
			      tfp_value_bool(call->arena, cJSON_IsTrue(meta)));
		list->u.coll.items[n++] = e;
	}
	list->u.coll.n = n;
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id", "_");
	tfp_value_set(v, "instance_profiles", list);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_instance_profiles = {
	.type_name = "databricks_instance_profiles",
	.attrs = data_profiles_attrs,
	.blocks = data_profiles_blocks,
	.desc = "Every AWS instance profile registered with the workspace.",
	.read = data_profiles_read,
};
