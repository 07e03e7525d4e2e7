/*
 * databricks_ip_access_list: a list of IPv4 addresses and CIDR ranges
 * that may (ALLOW) or may not (BLOCK) reach the workspace, enforced while
 * the workspace configuration key enableIpAccessLists is "true"
 * (databricks_workspace_conf).
 *
 * REST: POST /api/2.0/ip-access-lists, GET|PATCH|DELETE
 * /api/2.0/ip-access-lists/{list_id}.
 *
 * Quirks that explain the code:
 *  - Answers wrap the list: {"ip_access_list": {...}}; requests are bare.
 *  - A create makes an enabled list whatever it is sent, so enabled is
 *    PATCHed right after it. enabled defaults to true, as in the official
 *    provider: a list disabled by someone else is drift that the next
 *    apply turns back on even when the configuration does not say
 *    enabled.
 *  - While IP access lists are on, a write that would block the caller's
 *    own address is refused (400 INVALID_STATE "Your current IP ... will
 *    not be allowed to access the workspace under current
 *    configuration"); the diagnostic quotes it.
 *  - The service checks each entry (an IPv4 address or a CIDR range) and
 *    the count over every list (1000); the entries are checked here at
 *    plan time too, as the official provider does.
 * Import ID: the list's ID.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "validate.h"
#include "settings_internal.h"

#define IPACL_API "/api/2.0/ip-access-lists"

/* --- pure functions ------------------------------------------------------- */

/* The official provider's check is Go's net.ParseIP (IPv4 only) or
 * net.ParseCIDR (either family). */
bool tfp_settings__ip_entry_ok(const char *s)
{
	unsigned char buf[16];
	const char *slash = strchr(s, '/');
	char addr[64];
	size_t n;
	long bits = 0;
	int family;

	if (slash == NULL)
		return inet_pton(AF_INET, s, buf) == 1;
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(addr) || slash[1] == '\0' ||
	    strlen(slash + 1) > 3)
		return false;
	memcpy(addr, s, n);
	addr[n] = '\0';
	family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, buf) != 1)
		return false;
	for (s = slash + 1; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		bits = bits * 10 + (*s - '0');
	}
	return bits <= (family == AF_INET ? 32 : 128);
}

/* --- schema --------------------------------------------------------------- */

static int ipacl_validate_type(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = {"ALLOW", "BLOCK", NULL};

	return tfp_validate_enum(d, path, v, "list_type", allowed, false,
				 "ALLOW or BLOCK");
}

static int ipacl_validate_addresses(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	size_t i;
	int error = TFP_OK;

	for (i = 0; tfp_value_is_known(v) && i < v->u.coll.n; i++) {
		const struct tfp_value *e = v->u.coll.items[i];

		if (!tfp_value_is_known(e) ||
		    tfp_settings__ip_entry_ok(e->u.str))
			continue;
		error = tfp_diag_attr_error(
			d, tfp_path_index(d->arena, path, (int64_t)i),
			"Invalid IP address",
			"\"%s\" is neither an IPv4 address nor a CIDR range "
			"such as 10.0.0.0/16.",
			e->u.str);
	}
	return error;
}

/* clang-format off */
static const struct tfp_attr ipacl_attrs[] = {
	{ .name = "label", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The list's name." },
	{ .name = "list_type", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = ipacl_validate_type,
	  .desc = "ALLOW or BLOCK." },
	{ .name = "ip_addresses", .type = &tfp_type_list_string,
	  .flags = TFP_REQUIRED, .validate = ipacl_validate_addresses,
	  .desc = "IPv4 addresses and CIDR ranges." },
	{ .name = "enabled", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the list is in force; true when left out." },
	/* The official schema has no list_id: the id is read from it. */
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .json = "list_id", .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The list's ID." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const ipacl_create_fields[] = {"label", "list_type",
						  "ip_addresses", NULL};
static const char *const ipacl_after_create[] = {"enabled", NULL};

/* --- hooks ---------------------------------------------------------------- */

/* enabled left out of the configuration means true (the official
 * provider's default), so a list someone disabled is turned back on. */
static int ipacl_modify_plan(struct tfp_call *call,
			     const struct tfp_value *prior,
			     const struct tfp_value *config,
			     struct tfp_value *plan)
{
	(void)prior;
	if (!tfp_value_is_known(plan) ||
	    !tfp_value_is_null(tfp_value_get(config, "enabled")))
		return TFP_OK;
	tfp_value_set(plan, "enabled", tfp_value_bool(call->arena, true));
	return TFP_OK;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres ipacl_rres = {
	.what = "IP access list",
	.attrs = ipacl_attrs,
	.id_field = "list_id",
	.import_form = "<list_id>",
	.wrapper = "ip_access_list",
	.create = { .path = IPACL_API, .bare = true },
	.read = { .path = IPACL_API "/{id}" },
	.update = { .method = "PATCH", .path = IPACL_API "/{id}",
		    .bare = true },
	.del = { .method = "DELETE", .path = IPACL_API "/{id}",
		 .flags = TFP_REST_IDEMPOTENT },
	.create_fields = ipacl_create_fields,
	.create_patch_fields = ipacl_after_create,
	.update_mode = TFP_RRES_PATCH,
	.modify_plan = ipacl_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_ip_access_list = {
	.type_name = "databricks_ip_access_list",
	.attrs = ipacl_attrs,
	.desc = "A list of IP addresses allowed or blocked from the "
		"workspace while IP access lists are on "
		"(databricks_workspace_conf enableIpAccessLists).",
	.create = tfp_rres_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = tfp_rres_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.data = &ipacl_rres,
};
