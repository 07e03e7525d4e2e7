/*
 * Unity Catalog permissions (grants) on securables
 * (databricks-rest-api.md §6.1; the official provider's databricks_grants
 * and databricks_grant read with GET, write the difference with PATCH, and
 * poll GET until it matches, so every write is visible at once).
 *
 *   GET   /api/2.1/unity-catalog/permissions/{securable_type}/{full_name}
 *         ?principal=&max_results=&page_token=
 *         -> {privilege_assignments: [{principal, privileges}],
 *             next_page_token}
 *   PATCH /api/2.1/unity-catalog/permissions/{securable_type}/{full_name}
 *         {changes: [{principal, add, remove}],
 *          omit_permissions_in_response} -> {privilege_assignments}
 *
 * Rules:
 * - securable_type is matched case-insensitively; catalogs, schemas,
 *   external locations, storage credentials and the metastore (full_name
 *   = its id) are emulated and must exist (404 <TYPE>_DOES_NOT_EXIST);
 *   the other real types (table, volume, function, share, ...) have no
 *   objects here, so their grants are always 404;
 * - privileges are normalised (upper case, spaces to underscores), must be
 *   known and apply to the securable's type, else 400
 *   INVALID_PARAMETER_VALUE; a change is validated whole before any of
 *   it is applied;
 * - the same privilege in add and remove of one change is 400 "Duplicate
 *   privileges to add and delete for principal <p>.";
 * - principals match case-insensitively and keep the spelling they were
 *   first granted with; a principal left with no privileges disappears;
 * - GET with no grants is {"privilege_assignments": []}; max_results unset
 *   returns everything, 0 pages at UC_PAGE_DEFAULT, 1..149 is 400, larger
 *   values page at min(value, UC_PAGE_MAX); privileges are listed in
 *   alphabetical order, principals in order of first grant.
 *
 * Grants live in their securable (struct uc_object), so deleting it drops
 * them and renaming it keeps them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "uc_internal.h"
#include "util.h"
#include "workspace.h"

/* Every privilege of the API (SDK catalog.Privilege), alphabetical: the
 * order GET lists them in. A grant is a bit mask over this table. */
static const char *const privileges[] = {
	"ACCESS",
	"ALL_PRIVILEGES",
	"APPLY_TAG",
	"BROWSE",
	"CREATE",
	"CREATE_CATALOG",
	"CREATE_CLEAN_ROOM",
	"CREATE_CONNECTION",
	"CREATE_EXTERNAL_LOCATION",
	"CREATE_EXTERNAL_TABLE",
	"CREATE_EXTERNAL_VOLUME",
	"CREATE_FOREIGN_CATALOG",
	"CREATE_FOREIGN_SECURABLE",
	"CREATE_FUNCTION",
	"CREATE_MANAGED_STORAGE",
	"CREATE_MATERIALIZED_VIEW",
	"CREATE_MODEL",
	"CREATE_PROVIDER",
	"CREATE_RECIPIENT",
	"CREATE_SCHEMA",
	"CREATE_SERVICE_CREDENTIAL",
	"CREATE_SHARE",
	"CREATE_STORAGE_CREDENTIAL",
	"CREATE_TABLE",
	"CREATE_VIEW",
	"CREATE_VOLUME",
	"EXECUTE",
	"EXECUTE_CLEAN_ROOM_TASK",
	"EXTERNAL_USE_LOCATION",
	"EXTERNAL_USE_SCHEMA",
	"MANAGE",
	"MANAGE_ALLOWLIST",
	"MODIFY",
	"MODIFY_CLEAN_ROOM",
	"READ_FILES",
	"READ_METADATA",
	"READ_PRIVATE_FILES",
	"READ_VOLUME",
	"REFRESH",
	"SELECT",
	"SET_SHARE_PERMISSION",
	"USAGE",
	"USE_CATALOG",
	"USE_CONNECTION",
	"USE_MARKETPLACE_ASSETS",
	"USE_PROVIDER",
	"USE_RECIPIENT",
	"USE_SCHEMA",
	"USE_SHARE",
	"WRITE_FILES",
	"WRITE_PRIVATE_FILES",
	"WRITE_VOLUME",
};

_Static_assert(EMU_ARRAY_SIZE(privileges) <= 64,
	       "a grant's privileges are a uint64_t mask");

/* What can be granted on each emulated securable type (the Databricks
 * privileges reference, "privilege types by securable object"). */
static const char *const catalog_privileges[] = {
	"ALL_PRIVILEGES",
	"APPLY_TAG",
	"BROWSE",
	"CREATE_FUNCTION",
	"CREATE_MATERIALIZED_VIEW",
	"CREATE_MODEL",
	"CREATE_SCHEMA",
	"CREATE_TABLE",
	"CREATE_VOLUME",
	"EXECUTE",
	"EXTERNAL_USE_SCHEMA",
	"MANAGE",
	"MODIFY",
	"READ_VOLUME",
	"REFRESH",
	"SELECT",
	"USE_CATALOG",
	"USE_SCHEMA",
	"WRITE_VOLUME",
	NULL,
};

static const char *const schema_privileges[] = {
	"ALL_PRIVILEGES",
	"APPLY_TAG",
	"CREATE_FUNCTION",
	"CREATE_MATERIALIZED_VIEW",
	"CREATE_MODEL",
	"CREATE_TABLE",
	"CREATE_VOLUME",
	"EXECUTE",
	"EXTERNAL_USE_SCHEMA",
	"MANAGE",
	"MODIFY",
	"READ_VOLUME",
	"REFRESH",
	"SELECT",
	"USE_SCHEMA",
	"WRITE_VOLUME",
	NULL,
};

static const char *const location_privileges[] = {
	"ALL_PRIVILEGES",
	"BROWSE",
	"CREATE_EXTERNAL_TABLE",
	"CREATE_EXTERNAL_VOLUME",
	"CREATE_FOREIGN_SECURABLE",
	"CREATE_MANAGED_STORAGE",
	"EXTERNAL_USE_LOCATION",
	"MANAGE",
	"READ_FILES",
	"WRITE_FILES",
	NULL,
};

static const char *const credential_privileges[] = {
	"ALL_PRIVILEGES",
	"CREATE_EXTERNAL_LOCATION",
	"CREATE_EXTERNAL_TABLE",
	"MANAGE",
	"READ_FILES",
	"WRITE_FILES",
	NULL,
};

/* The metastore has no ALL_PRIVILEGES. */
static const char *const metastore_privileges[] = {
	"CREATE_CATALOG",
	"CREATE_CLEAN_ROOM",
	"CREATE_CONNECTION",
	"CREATE_EXTERNAL_LOCATION",
	"CREATE_PROVIDER",
	"CREATE_RECIPIENT",
	"CREATE_SERVICE_CREDENTIAL",
	"CREATE_SHARE",
	"CREATE_STORAGE_CREDENTIAL",
	"MANAGE_ALLOWLIST",
	"SET_SHARE_PERMISSION",
	"USE_CONNECTION",
	"USE_MARKETPLACE_ASSETS",
	"USE_PROVIDER",
	"USE_RECIPIENT",
	"USE_SHARE",
	NULL,
};

enum securable_kind {
	SEC_CATALOG,
	SEC_SCHEMA,
	SEC_LOCATION,
	SEC_CREDENTIAL,
	SEC_METASTORE,
	SEC_OTHER, /* a real type with no objects in the emulator */
};

struct securable_type {
	const char *name;	  /* as in the path, lower-case */
	const char *label;	  /* for messages */
	const char *missing_code; /* a literal, as emu_error needs */
	enum securable_kind kind;
	const char *const *allowed; /* NULL-terminated; NULL for SEC_OTHER */
};

static const struct securable_type securable_types[] = {
	{.name = "catalog",
	 .label = "Catalog",
	 .missing_code = "CATALOG_DOES_NOT_EXIST",
	 .kind = SEC_CATALOG,
	 .allowed = catalog_privileges},
	{.name = "schema",
	 .label = "Schema",
	 .missing_code = "SCHEMA_DOES_NOT_EXIST",
	 .kind = SEC_SCHEMA,
	 .allowed = schema_privileges},
	{.name = "external_location",
	 .label = "External Location",
	 .missing_code = "EXTERNAL_LOCATION_DOES_NOT_EXIST",
	 .kind = SEC_LOCATION,
	 .allowed = location_privileges},
	{.name = "storage_credential",
	 .label = "Storage Credential",
	 .missing_code = "STORAGE_CREDENTIAL_DOES_NOT_EXIST",
	 .kind = SEC_CREDENTIAL,
	 .allowed = credential_privileges},
	{.name = "metastore",
	 .label = "Metastore",
	 .missing_code = "METASTORE_DOES_NOT_EXIST",
	 .kind = SEC_METASTORE,
	 .allowed = metastore_privileges},
	{.name = "table",
	 .label = "Table",
	 .missing_code = "TABLE_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "volume",
	 .label = "Volume",
	 .missing_code = "VOLUME_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "function",
	 .label = "Function",
	 .missing_code = "FUNCTION_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "share",
	 .label = "Share",
	 .missing_code = "SHARE_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "connection",
	 .label = "Connection",
	 .missing_code = "CONNECTION_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "credential",
	 .label = "Credential",
	 .missing_code = "CREDENTIAL_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "provider",
	 .label = "Provider",
	 .missing_code = "PROVIDER_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "recipient",
	 .label = "Recipient",
	 .missing_code = "RECIPIENT_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "pipeline",
	 .label = "Pipeline",
	 .missing_code = "PIPELINE_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "clean_room",
	 .label = "Clean Room",
	 .missing_code = "CLEAN_ROOM_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "external_metadata",
	 .label = "External Metadata",
	 .missing_code = "EXTERNAL_METADATA_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
	{.name = "staging_table",
	 .label = "Staging Table",
	 .missing_code = "STAGING_TABLE_DOES_NOT_EXIST",
	 .kind = SEC_OTHER},
};

/* Most changes one PATCH may carry (an emulator bound). */
#define MAX_CHANGES 1000

/* --- grants --------------------------------------------------------------- */

void uc_grants_dispose(struct uc_grants *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->items[i].principal);
	free(g->items);
	g->items = NULL;
	g->n = 0;
}

static struct uc_grant *grant_find(const struct uc_grants *g,
				   const char *principal)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (emu_strcaseeq(g->items[i].principal, principal))
			return &g->items[i];
	return NULL;
}

static struct uc_grant *grant_add(struct uc_grants *g, const char *principal)
{
	struct uc_grant *gr;

	g->items = emu_xrealloc(g->items, (g->n + 1) * sizeof(*g->items));
	gr = &g->items[g->n++];
	gr->principal = emu_xstrdup(principal);
	gr->privileges = 0;
	return gr;
}

static void grant_remove(struct uc_grants *g, struct uc_grant *gr)
{
	size_t i = (size_t)(gr - g->items);

	free(gr->principal);
	memmove(&g->items[i], &g->items[i + 1],
		(g->n - i - 1) * sizeof(*g->items));
	g->n--;
}

/* The index of an exact privilege name, or -1. */
static int privilege_index(const char *name)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(privileges); i++)
		if (strcmp(privileges[i], name) == 0)
			return (int)i;
	return -1;
}

static cJSON *grant_json(const struct uc_grant *gr)
{
	cJSON *item = cJSON_CreateObject();
	cJSON *privs;
	size_t i;

	cJSON_AddStringToObject(item, "principal", gr->principal);
	privs = cJSON_AddArrayToObject(item, "privileges");
	for (i = 0; i < EMU_ARRAY_SIZE(privileges); i++)
		if (gr->privileges & (1ULL << i))
			cJSON_AddItemToArray(privs,
					     cJSON_CreateString(privileges[i]));
	return item;
}

cJSON *uc_grants_json(const struct uc_grants *g)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < g->n; i++)
		cJSON_AddItemToArray(arr, grant_json(&g->items[i]));
	return arr;
}

int uc_grants_load(struct uc_grants *g, const cJSON *arr)
{
	const cJSON *item, *priv;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return -1;
	cJSON_ArrayForEach(item, arr)
	{
		const char *principal = emu_json_str(item, "principal");
		const cJSON *privs =
			cJSON_GetObjectItemCaseSensitive(item, "privileges");
		struct uc_grant *gr;

		if (!principal || !*principal ||
		    strlen(principal) > UC_MAX_TEXT ||
		    grant_find(g, principal) || !cJSON_IsArray(privs) ||
		    g->n >= UC_MAX_PRINCIPALS)
			return -1;
		gr = grant_add(g, principal);
		cJSON_ArrayForEach(priv, privs)
		{
			int i = cJSON_IsString(priv)
					? privilege_index(priv->valuestring)
					: -1;

			if (i < 0)
				return -1;
			gr->privileges |= 1ULL << i;
		}
		if (gr->privileges == 0)
			return -1;
	}
	return 0;
}

/* --- securables ----------------------------------------------------------- */

/*
 * The grants of the securable named by the path, and its type in *type;
 * NULL after writing the error (unknown type, missing securable).
 */
static struct uc_grants *securable_arg(const struct securable_type **type,
				       struct emu_request *req,
				       struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *type_name = emu_request_param(req, "type");
	const char *name = emu_request_param(req, "name");
	struct uc_object *obj = NULL;
	size_t i;

	*type = NULL;
	for (i = 0; i < EMU_ARRAY_SIZE(securable_types); i++)
		if (emu_strcaseeq(securable_types[i].name, type_name))
			*type = &securable_types[i];
	if (!*type) {
		emu_error_invalid(resp,
				  "Invalid securable type '%s': expected one "
				  "of catalog, schema, table, volume, "
				  "function, external_location, "
				  "storage_credential, metastore, share, "
				  "connection, credential, ...",
				  type_name);
		return NULL;
	}
	switch ((*type)->kind) {
	case SEC_CATALOG:
		obj = uc_catalog_find(st, name);
		break;
	case SEC_SCHEMA:
		obj = uc_schema_find(st, name, NULL);
		break;
	case SEC_LOCATION:
		obj = uc_list_find(&st->locations, name);
		break;
	case SEC_CREDENTIAL:
		obj = uc_list_find(&st->credentials, name);
		break;
	case SEC_METASTORE:
		if (emu_strcaseeq(name, UC_METASTORE_ID))
			return &st->metastore_grants;
		break;
	case SEC_OTHER:
		break;
	}
	if (obj)
		return &obj->grants;
	emu_error(resp, 404, (*type)->missing_code, "%s '%s' does not exist.",
		  (*type)->label, name);
	return NULL;
}

/* --- GET ------------------------------------------------------------------ */

void uc_permissions_get(struct emu_request *req, struct emu_response *resp)
{
	const struct securable_type *type;
	struct uc_grants *g = securable_arg(&type, req, resp);
	const char *principal, *token;
	int64_t max = 0, start = 0;
	bool limited = false;
	size_t page = SIZE_MAX, i, shown = 0, seen = 0;
	cJSON *body, *items;

	if (!g ||
	    emu_arg_string(&principal, req, resp, "principal",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&max, &limited, req, resp, "max_results",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&token, req, resp, "page_token", EMU_ARG_OPTIONAL) <
		    0)
		return;
	if (limited) {
		if (max < 0 || (max > 0 && max < 150)) {
			emu_error_invalid(resp,
					  "Invalid max_results %" PRId64
					  ": it must be 0 (the server's page "
					  "size) or at least 150.",
					  max);
			return;
		}
		page = max == 0		   ? UC_PAGE_DEFAULT
		       : max > UC_PAGE_MAX ? UC_PAGE_MAX
					   : (size_t)max;
	}
	if (token && *token) {
		unsigned char *text = NULL;
		size_t len = 0;

		/* The token is the base64 of the offset into the list. */
		if (emu_base64_decode(&text, &len, token, strlen(token)) < 0 ||
		    strlen((char *)text) != len ||
		    emu_json_parse_int64_text(&start, (char *)text) < 0 ||
		    start < 0) {
			free(text);
			emu_error_invalid(resp, "Invalid page_token '%s'.",
					  token);
			return;
		}
		free(text);
	}

	body = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(body, "privilege_assignments");
	for (i = 0; i < g->n; i++) {
		if (principal && *principal &&
		    !emu_strcaseeq(g->items[i].principal, principal))
			continue;
		if (seen++ < (size_t)start)
			continue;
		if (shown == page) {
			char *off = emu_printf("%zu", seen - 1);
			char *next = emu_base64_encode(
				(const unsigned char *)off, strlen(off));

			cJSON_AddStringToObject(body, "next_page_token", next);
			free(off);
			free(next);
			break;
		}
		cJSON_AddItemToArray(items, grant_json(&g->items[i]));
		shown++;
	}
	emu_response_json(resp, 200, body);
}

/* --- PATCH ---------------------------------------------------------------- */

/* UC accepts "use catalog" for USE_CATALOG. */
static char *normalise(const char *privilege)
{
	char *out = emu_xstrdup(privilege), *p;

	for (p = out; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (*p == ' ')
			*p = '_';
	}
	return out;
}

static bool allowed_on(const struct securable_type *type, const char *name)
{
	const char *const *p;

	for (p = type->allowed; p && *p; p++)
		if (strcmp(*p, name) == 0)
			return true;
	return false;
}

/* The mask of the privilege list arr ("add" or "remove"); -1 after a 400. */
static int privilege_mask(uint64_t *mask, const cJSON *arr, const char *field,
			  const struct securable_type *type,
			  const char *full_name, struct emu_response *resp)
{
	const cJSON *item;

	*mask = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return emu_error_invalid(
			resp,
			"Invalid value for field 'changes.%s': "
			"expected an array of privileges, got "
			"%s.",
			field, emu_json_type_name(arr));
	cJSON_ArrayForEach(item, arr)
	{
		char *name;
		int i;

		if (!cJSON_IsString(item))
			return emu_error_invalid(
				resp,
				"Invalid value for field 'changes.%s': "
				"privileges are strings, got %s.",
				field, emu_json_type_name(item));
		name = normalise(item->valuestring);
		i = privilege_index(name);
		if (i < 0) {
			emu_error_invalid(
				resp,
				"Invalid input: RPC UpdatePermissions "
				"Field managedcatalog.PermissionsChange."
				"%s: unknown privilege '%s'.",
				field, item->valuestring);
			free(name);
			return -1;
		}
		if (!allowed_on(type, name)) {
			emu_error_invalid(resp,
					  "Privilege %s is not applicable to "
					  "this entity [%s:%s]. If the "
					  "privilege belongs to another kind "
					  "of securable, grant it there.",
					  name, type->name, full_name);
			free(name);
			return -1;
		}
		free(name);
		*mask |= 1ULL << i;
	}
	return 0;
}

struct change {
	const char *principal;
	uint64_t add, remove;
};

void uc_permissions_update(struct emu_request *req, struct emu_response *resp)
{
	const struct securable_type *type;
	struct uc_grants *g = securable_arg(&type, req, resp);
	const char *full_name = emu_request_param(req, "name");
	const cJSON *changes = emu_arg_json(req, "changes"), *item;
	struct change *list = NULL;
	size_t n = 0, i, added = 0;
	bool omit = false;

	if (!g ||
	    emu_arg_bool(&omit, NULL, req, resp, "omit_permissions_in_response",
			 EMU_ARG_OPTIONAL) < 0)
		return;
	if (changes && !cJSON_IsArray(changes)) {
		emu_error_field_type(resp, "changes", "an array",
				     emu_json_type_name(changes));
		return;
	}
	if (cJSON_GetArraySize(changes) > MAX_CHANGES) {
		emu_error_invalid(resp,
				  "Too many changes: at most %d per request.",
				  MAX_CHANGES);
		return;
	}

	/* Validate everything first, so a bad change applies nothing. */
	list = emu_xcalloc((size_t)cJSON_GetArraySize(changes) + 1,
			   sizeof(*list));
	cJSON_ArrayForEach(item, changes)
	{
		struct change *c = &list[n];

		c->principal = emu_json_str(item, "principal");
		if (!cJSON_IsObject(item) || !c->principal || !*c->principal) {
			emu_error_missing_field(resp, "changes.principal");
			goto done;
		}
		if (strlen(c->principal) > UC_MAX_TEXT) {
			emu_error_invalid(resp,
					  "Invalid principal: longer than %d "
					  "characters.",
					  UC_MAX_TEXT);
			goto done;
		}
		if (privilege_mask(
			    &c->add,
			    cJSON_GetObjectItemCaseSensitive(item, "add"),
			    "add", type, full_name, resp) < 0 ||
		    privilege_mask(
			    &c->remove,
			    cJSON_GetObjectItemCaseSensitive(item, "remove"),
			    "remove", type, full_name, resp) < 0)
			goto done;
		if (c->add & c->remove) {
			emu_error_invalid(resp,
					  "Duplicate privileges to add and "
					  "delete for principal %s.",
					  c->principal);
			goto done;
		}
		if (c->add && !grant_find(g, c->principal))
			added++;
		n++;
	}
	if (g->n + added > UC_MAX_PRINCIPALS) {
		emu_error_invalid(resp,
				  "Too many principals: a securable can have "
				  "grants for at most %d in this emulator.",
				  UC_MAX_PRINCIPALS);
		goto done;
	}

	for (i = 0; i < n; i++) {
		struct uc_grant *gr = grant_find(g, list[i].principal);

		if (!gr && !list[i].add)
			continue;
		if (!gr)
			gr = grant_add(g, list[i].principal);
		gr->privileges =
			(gr->privileges | list[i].add) & ~list[i].remove;
		if (gr->privileges == 0)
			grant_remove(g, gr);
	}
	if (!omit) {
		cJSON *body = cJSON_CreateObject();

		cJSON_AddItemToObject(body, "privilege_assignments",
				      uc_grants_json(g));
		emu_response_json(resp, 200, body);
	}
done:
	free(list);
}
