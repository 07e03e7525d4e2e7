/*
 * What the identity family's SCIM resources share (scim_common.c): the
 * entitlement flags every principal type and databricks_entitlements
 * carry, the SCIM PATCH bodies, and the container the link resources
 * (group_member and the role types) keep their list's name in.
 *
 * Entitlements are one multi-valued SCIM attribute, [{"value":
 * "allow-cluster-create"}, ...]; the official schema shows each as a
 * bool flag (allow_cluster_create, ...), false unless configured. The
 * flags' JSON names are the flags' own: a reshape turns the service's
 * array into them, and a body hook turns them back.
 */
#ifndef TFP_IDENTITY_INTERNAL_H
#define TFP_IDENTITY_INTERNAL_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "common.h"
#include "rest.h"
#include "rest_resource.h"

struct tfp_call;
struct tfp_value;

/* The workspace SCIM API. */
#define TFP_IDENTITY_SCIM     "/api/2.0/preview/scim/v2"
#define TFP_IDENTITY_PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"

/* The five entitlement flags, for a schema table (optional, computed:
 * the plan makes an unset one false, as the official default does). */
/* clang-format off */
#define TFP_IDENTITY_ENTITLEMENT_ATTRS                                         \
	{ .name = "allow_cluster_create", .type = &tfp_type_bool,              \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .desc = "The allow-cluster-create entitlement: may create "          \
		  "clusters. False unless set." },                             \
	{ .name = "allow_instance_pool_create", .type = &tfp_type_bool,        \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .desc = "The allow-instance-pool-create entitlement: may create "    \
		  "instance pools. False unless set." },                       \
	{ .name = "databricks_sql_access", .type = &tfp_type_bool,             \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .desc = "The databricks-sql-access entitlement: may use "            \
		  "Databricks SQL. False unless set." },                       \
	{ .name = "workspace_access", .type = &tfp_type_bool,                  \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .desc = "The workspace-access entitlement: may use the Data "        \
		  "Science & Engineering workspace. False unless set." },      \
	{ .name = "workspace_consume", .type = &tfp_type_bool,                 \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .desc = "The workspace-consume entitlement: consumer access only. "  \
		  "Conflicts with workspace_access and "                       \
		  "databricks_sql_access. False unless set." }
/* clang-format on */

/* NULL-terminated names of the flags, for create_fields lists. */
#define TFP_IDENTITY_ENTITLEMENT_NAMES                                         \
	"allow_cluster_create", "allow_instance_pool_create",                  \
		"databricks_sql_access", "workspace_access",                   \
		"workspace_consume"

/**
 * The entitlements array obj's true flags make (taken by the caller); [{}] when
 * none is true, which is what the official provider sends for "none" and
 * the service takes as such.
 */
cJSON *tfp_identity__entitlements(struct tfp_call *call,
				  const struct tfp_value *obj);

/**
 * Replaces json's "entitlements" array by the five flags as bool members
 * (absent: false), so that the tables map them.
 */
void tfp_identity__flags_from(cJSON *json);

/** Removes the flags' members from a request body. */
void tfp_identity__drop_flags(cJSON *body);

/** modify_plan: an unset flag is planned false. plan must be known. */
void tfp_identity__default_flags(struct tfp_call *call,
				 const struct tfp_value *config,
				 struct tfp_value *plan);

/**
 * validate: workspace_consume with workspace_access or
 * databricks_sql_access set true (the official ConflictsWith).
 */
int tfp_identity__check_flags(struct tfp_call *call,
			      const struct tfp_value *config);

/**
 * A SCIM PATCH body of one operation, in call->arena: {"schemas":
 * [PatchOp], "Operations": [{"op", "path", "value"}]}; value (may be
 * NULL: none) is taken over.
 */
cJSON *tfp_identity__patch_body(struct tfp_call *call, const char *op,
				const char *path, cJSON *value);

/** [{"value": value}], the SCIM multi-valued form, taken by the caller. */
cJSON *tfp_identity__values(const char *value);

/** PATCHes body to path (a workspace path, escaped by the caller). */
int tfp_identity__patch(struct tfp_call *call, const char *path,
			const cJSON *body);

/*
 * A link: one value in a multi-valued attribute of a principal (a group's
 * members, a principal's roles), as a declarative resource. The
 * descriptor is the first member, so call->data is both.
 */
struct tfp_identity_link {
	struct tfp_rres rres;
	const char *list;  /* "members", "roles" */
	const char *owner; /* the attribute naming the principal */
	const char *value; /* the attribute holding the value */
};

/* The Permissions API's answers that mean "gone" (permissions.c). */
extern const struct tfp_rest_not_found tfp_identity_not_found[];

/* --- names and filters (data_current_user.c, data_scim.c) ---------------- */

struct tfp_arena;

/** True when s is a UUID: 8-4-4-4-12 hexadecimal digits. */
bool tfp_identity__is_uuid(const char *s);

/**
 * The alphanumeric form of a user name, in a: the part before the first
 * "@", lower case, with every character other than ASCII letters, digits
 * and "_" replaced by one "_" (a multi-byte UTF-8 character is one
 * character).
 */
char *tfp_identity__alphanumeric(struct tfp_arena *a, const char *user);

/**
 * The SCIM filter "<attr> <op> <value>" in a, value quoted as a JSON
 * string (RFC 7644 §3.4.2.2 takes JSON's escapes), op "eq", "co"...
 */
const char *tfp_identity__scim_filter(struct tfp_arena *a, const char *attr,
				      const char *op, const char *value);

#endif
