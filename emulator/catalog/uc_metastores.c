/*
 * Unity Catalog metastores and their workspace assignments, the account's
 * (databricks-rest-api.md §6.1), served at both levels:
 *
 *   workspace level, /api/2.1/unity-catalog:
 *   POST   metastores                    {name, storage_root?, region?}
 *                                        -> MetastoreInfo
 *   GET    metastores                    -> {metastores: [...]}
 *   GET    metastores/{id}               -> MetastoreInfo
 *   PATCH  metastores/{id}               {new_name?, owner?, delta_sharing_*?,
 *                                         storage_root_credential_id?, ...}
 *                                        -> MetastoreInfo
 *   DELETE metastores/{id}               ?force= -> {}
 *   PUT    workspaces/{ws}/metastore     {metastore_id, default_catalog_name?}
 *   PATCH  workspaces/{ws}/metastore     {metastore_id?, default_catalog_name?}
 *   DELETE workspaces/{ws}/metastore     ?metastore_id= -> {}
 *   GET    current-metastore-assignment  -> {metastore_id, workspace_id,
 *                                            default_catalog_name}
 *   GET    metastore_summary             -> MetastoreInfo
 *
 *   account level, /api/2.0/accounts/{account_id}, objects wrapped:
 *   POST|GET metastores, GET|PUT|DELETE metastores/{id}
 *                                        {"metastore_info": {...}}
 *   GET    metastores/{id}/workspaces    -> {workspace_ids: [...]}
 *   POST|GET metastores/{id}/storage-credentials,
 *   GET|DELETE .../storage-credentials/{name} {"credential_info": {...}}
 *   GET    workspaces/{ws}/metastore     -> {"metastore_assignment": {...}}
 *   POST|PUT|DELETE workspaces/{ws}/metastores/{id}
 *                                        {"metastore_assignment": {...}}
 *
 * Everything lives in the root workspace's Unity Catalog state
 * (uc_account_state), made on first use with the default metastore
 * assigned to the start-up workspace, so the Account API and every
 * hosted workspace see one set. Rules, as on the real service:
 * - a workspace without a metastore answers its catalog, schema,
 *   credential, location and permission calls, metastore_summary and
 *   current-metastore-assignment with 404 METASTORE_DOES_NOT_EXIST "No
 *   metastore assigned for the current workspace.";
 * - the service fills metastore_id (a UUID), global_metastore_id
 *   (<cloud>:<region>:<id>), cloud, owner (the caller),
 *   privilege_model_version, delta_sharing_scope INTERNAL and the
 *   timestamps, and appends "/<metastore_id>" to storage_root;
 * - a missing metastore is 404 METASTORE_DOES_NOT_EXIST;
 * - a workspace has at most one metastore, and a workspace id must be one
 *   the account has;
 * Choices of the emulator, the real wording not being recorded: a name
 * taken in the region is 409 RESOURCE_ALREADY_EXISTS; a metastore still
 * assigned is deleted only with force=true (400 INVALID_PARAMETER_VALUE
 * otherwise), which unassigns it; assigning a workspace that has another
 * metastore is 400 INVALID_PARAMETER_VALUE. Credentials made through the
 * account API are the metastore's, listed there only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "uc_internal.h"
#include "util.h"
#include "workspace.h"

extern const struct emu_module emu_module_uc;

#define UC_MAX_METASTORES  100
#define UC_PRIVILEGE_MODEL "1.0"

static const char *const sharing_scopes[] = {"INTERNAL",
					     "INTERNAL_AND_EXTERNAL", NULL};

/* --- the account's state -------------------------------------------------- */

/* The account's first metastore, in the cloud and region the emulator
 * plays (--cloud), its root in that cloud's object store. */
static cJSON *default_metastore(const struct uc_state *st, enum emu_cloud cloud)
{
	cJSON *info = cJSON_CreateObject();
	char *global = emu_printf("%s:%s:%s", emu_cloud_name(cloud),
				  uc_cloud_region(cloud), UC_METASTORE_ID);

	cJSON_AddStringToObject(info, "metastore_id", UC_METASTORE_ID);
	cJSON_AddStringToObject(info, "name", UC_METASTORE_NAME);
	cJSON_AddStringToObject(info, "cloud", emu_cloud_name(cloud));
	cJSON_AddStringToObject(info, "region", uc_cloud_region(cloud));
	cJSON_AddStringToObject(info, "global_metastore_id", global);
	free(global);
	cJSON_AddStringToObject(info, "storage_root",
				uc_cloud_metastore_root(cloud));
	cJSON_AddStringToObject(info, "owner", EMU_DEFAULT_USER_NAME);
	cJSON_AddStringToObject(info, "privilege_model_version",
				UC_PRIVILEGE_MODEL);
	cJSON_AddStringToObject(info, "delta_sharing_scope", "INTERNAL");
	cJSON_AddBoolToObject(info, "external_access_enabled", false);
	emu_json_add_int64(info, "created_at", st->created_at);
	cJSON_AddStringToObject(info, "created_by", EMU_DEFAULT_USER_NAME);
	emu_json_add_int64(info, "updated_at", st->created_at);
	cJSON_AddStringToObject(info, "updated_by", EMU_DEFAULT_USER_NAME);
	return info;
}

static cJSON *assignment_new(const char *workspace_id, const char *metastore_id,
			     const char *default_catalog)
{
	cJSON *a = cJSON_CreateObject();

	cJSON_AddStringToObject(a, "workspace_id", workspace_id);
	cJSON_AddStringToObject(a, "metastore_id", metastore_id);
	uc_set_str(a, "default_catalog_name", default_catalog);
	return a;
}

struct uc_state *uc_account_state(struct emu_workspace *ws)
{
	struct emu_workspace *root = emu_workspace_root(ws);
	struct uc_state *st = emu_workspace_state(root, &emu_module_uc);

	if (!st->account_ready) {
		st->account_ready = true;
		uc_list_insert(&st->metastores,
			       uc_object_new(default_metastore(
				       st, emu_workspace_cloud(root))));
		st->assignments = cJSON_CreateArray();
		cJSON_AddItemToArray(st->assignments,
				     assignment_new(emu_workspace_id(root),
						    UC_METASTORE_ID,
						    UC_DEFAULT_CATALOG));
	}
	return st;
}

void uc_metastores_dispose(struct uc_state *st)
{
	uc_list_dispose(&st->metastores);
	cJSON_Delete(st->assignments);
	st->assignments = NULL;
	st->account_ready = false;
}

static struct uc_object *metastore_find(const struct uc_state *a,
					const char *id)
{
	size_t i;

	for (i = 0; id && i < a->metastores.n; i++)
		if (emu_strcaseeq(emu_json_str(a->metastores.items[i]->info,
					       "metastore_id"),
				  id))
			return a->metastores.items[i];
	return NULL;
}

/* The assignment of workspace_id (borrowed), or NULL. */
static cJSON *assignment_find(const struct uc_state *a,
			      const char *workspace_id)
{
	cJSON *item;

	cJSON_ArrayForEach(item, a->assignments)
	{
		const char *ws = emu_json_str(item, "workspace_id");

		if (ws && workspace_id && strcmp(ws, workspace_id) == 0)
			return item;
	}
	return NULL;
}

const char *uc_assigned_metastore(struct emu_workspace *ws)
{
	const cJSON *a =
		assignment_find(uc_account_state(ws), emu_workspace_id(ws));

	return a ? emu_json_str(a, "metastore_id") : NULL;
}

/* --- errors --------------------------------------------------------------- */

static int no_metastore(struct emu_response *resp)
{
	return emu_error(resp, 404, "METASTORE_DOES_NOT_EXIST",
			 "No metastore assigned for the current workspace.");
}

static int metastore_missing(struct emu_response *resp, const char *id)
{
	return emu_error(resp, 404, "METASTORE_DOES_NOT_EXIST",
			 "Metastore '%s' does not exist.", id);
}

int uc_require_metastore(struct emu_request *req, struct emu_response *resp)
{
	return uc_assigned_metastore(req->ws) ? 0 : no_metastore(resp);
}

/* The metastore of path parameter "id", or NULL with the 404 written. */
static struct uc_object *metastore_arg(struct uc_state *a,
				       struct emu_request *req,
				       struct emu_response *resp)
{
	const char *id = emu_request_param(req, "id");
	struct uc_object *m = metastore_find(a, id);

	if (!m)
		metastore_missing(resp, id);
	return m;
}

/* The workspace of path parameter "workspace_id" must be the account's. */
static int workspace_arg(const char **out, struct emu_request *req,
			 struct emu_response *resp)
{
	*out = emu_request_param(req, "workspace_id");
	if (emu_workspace_by_id(req->ws, *out))
		return 0;
	return emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			 "Workspace %s does not exist.", *out);
}

/* --- wrapped bodies (account level) --------------------------------------- */

/*
 * The account API wraps objects: req->json becomes its member name for
 * the handler's argument readers (restore it with unwrap_end). A body
 * without it is read as empty when optional.
 */
static int unwrap(cJSON **saved, struct emu_request *req,
		  struct emu_response *resp, const char *name, bool required)
{
	cJSON *inner = emu_json_member(req->json, name);

	*saved = req->json;
	if (inner && !cJSON_IsObject(inner))
		return emu_error_field_type(resp, name, "an object",
					    emu_json_type_name(inner));
	if (!inner && required)
		return emu_error_missing_field(resp, name);
	req->json = inner ? inner : NULL;
	return 0;
}

static void unwrap_end(cJSON *saved, struct emu_request *req)
{
	req->json = saved;
}

/* Answers value (taken), wrapped in {name: value} when name is set. */
static void respond(struct emu_response *resp, const char *name, cJSON *value)
{
	if (name) {
		cJSON *wrap = cJSON_CreateObject();

		cJSON_AddItemToObject(wrap, name, value);
		value = wrap;
	}
	emu_response_json(resp, 200, value);
}

/* --- metastores ----------------------------------------------------------- */

static bool name_taken(const struct uc_state *a, const struct uc_object *self,
		       const char *name, const char *region)
{
	size_t i;

	for (i = 0; i < a->metastores.n; i++) {
		const cJSON *info = a->metastores.items[i]->info;

		if (a->metastores.items[i] != self &&
		    emu_strcaseeq(emu_json_str(info, "name"), name) &&
		    emu_strcaseeq(emu_json_str(info, "region"), region))
			return true;
	}
	return false;
}

static int name_conflict(struct emu_response *resp, const char *name,
			 const char *region)
{
	return emu_error(resp, 409, "RESOURCE_ALREADY_EXISTS",
			 "Metastore with name '%s' already exists in region "
			 "%s.",
			 name, region);
}

/* <root>/<id>, root without its trailing slashes. */
static char *metastore_root(const char *root, const char *id)
{
	size_t n = strlen(root);

	while (n > 0 && root[n - 1] == '/')
		n--;
	return emu_printf("%.*s/%s", (int)n, root, id);
}

/* Creates a metastore from the request's arguments; region is required
 * at the account level, else the workspace's own. */
static struct uc_object *metastore_create(struct uc_state *a,
					  bool region_required,
					  struct emu_request *req,
					  struct emu_response *resp)
{
	const char *name, *root, *region;
	char *id = NULL, *global = NULL, *full_root = NULL;
	struct uc_object *m = NULL;
	cJSON *info;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&root, req, resp, "storage_root") < 0 ||
	    emu_arg_string(&region, req, resp, "region",
			   region_required ? EMU_ARG_REQUIRED
					   : EMU_ARG_OPTIONAL) < 0)
		return NULL;
	if (!region || !*region)
		region = uc_cloud_region(emu_workspace_cloud(req->ws));
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateMetastore",
			      "managedcatalog.CreateMetastore.name", name);
		return NULL;
	}
	if (root && *root && emu_workspace_cloud_strict(req->ws)) {
		/* A strict workspace: the root is in its own cloud. */
		if (uc_check_scheme(req->ws, resp, "storage_root", root) < 0)
			return NULL;
		if (!uc_url_of_workspace(req->ws, root)) {
			emu_error_invalid(resp,
					  "Invalid storage_root '%s': expected "
					  "a cloud storage URL.",
					  root);
			return NULL;
		}
	} else if (root && *root && !uc_s3_url_valid(root)) {
		emu_error_invalid(resp,
				  "Invalid storage_root '%s': expected an "
				  "s3://<bucket>/<path> URL.",
				  root);
		return NULL;
	}
	if (name_taken(a, NULL, name, region)) {
		name_conflict(resp, name, region);
		return NULL;
	}
	if (a->metastores.n >= UC_MAX_METASTORES) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "An account has at most %d metastores.",
			  UC_MAX_METASTORES);
		return NULL;
	}
	id = uc_uuid(a);
	global = emu_printf("%s:%s:%s",
			    emu_cloud_name(emu_workspace_cloud(req->ws)),
			    region, id);
	info = cJSON_CreateObject();
	cJSON_AddStringToObject(info, "metastore_id", id);
	cJSON_AddStringToObject(info, "name", name);
	cJSON_AddStringToObject(info, "cloud",
				emu_cloud_name(emu_workspace_cloud(req->ws)));
	cJSON_AddStringToObject(info, "region", region);
	cJSON_AddStringToObject(info, "global_metastore_id", global);
	if (root && *root) {
		full_root = metastore_root(root, id);
		cJSON_AddStringToObject(info, "storage_root", full_root);
	}
	cJSON_AddStringToObject(info, "owner",
				req->principal ? req->principal
					       : EMU_DEFAULT_USER_NAME);
	cJSON_AddStringToObject(info, "privilege_model_version",
				UC_PRIVILEGE_MODEL);
	cJSON_AddStringToObject(info, "delta_sharing_scope", "INTERNAL");
	cJSON_AddBoolToObject(info, "external_access_enabled", false);
	uc_stamp_created(info, req);
	m = uc_object_new(info);
	uc_list_insert(&a->metastores, m);
	free(id);
	free(global);
	free(full_root);
	return m;
}

/* The credential with id cred_id that m may use for its root: one made
 * for it through the account API, or one of the calling workspace's when
 * that workspace is assigned to m. */
static const cJSON *root_credential(const struct uc_object *m,
				    struct emu_request *req,
				    const char *cred_id)
{
	const char *mid = emu_json_str(m->info, "metastore_id");
	const char *assigned = uc_assigned_metastore(req->ws);
	const struct uc_state *own =
		emu_workspace_state(req->ws, &emu_module_uc);
	const struct uc_list *lists[2] = {&m->credentials, NULL};
	size_t i, k;

	if (assigned && emu_strcaseeq(assigned, mid))
		lists[1] = &own->credentials;
	for (k = 0; k < 2 && lists[k]; k++)
		for (i = 0; i < lists[k]->n; i++)
			if (emu_strcaseeq(emu_json_str(lists[k]->items[i]->info,
						       "id"),
					  cred_id))
				return lists[k]->items[i]->info;
	return NULL;
}

static int metastore_update(struct uc_state *a, struct uc_object *m,
			    struct emu_request *req, struct emu_response *resp)
{
	const char *new_name, *owner, *scope, *org, *cred_id, *model;
	const cJSON *cred = NULL;
	int64_t lifetime = 0;
	bool has_lifetime = false, external = false, has_external = false;
	size_t i;

	if (emu_arg_string(&new_name, req, resp, "new_name", EMU_ARG_OPTIONAL) <
		    0 ||
	    uc_arg_text(&owner, req, resp, "owner") < 0 ||
	    emu_arg_string(&scope, req, resp, "delta_sharing_scope",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&lifetime, &has_lifetime, req, resp,
			  "delta_sharing_recipient_token_lifetime_in_seconds",
			  EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_text(&org, req, resp, "delta_sharing_organization_name") <
		    0 ||
	    emu_arg_string(&cred_id, req, resp, "storage_root_credential_id",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&model, req, resp, "privilege_model_version",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&external, &has_external, req, resp,
			 "external_access_enabled", EMU_ARG_OPTIONAL) < 0)
		return -1;
	if (new_name && *new_name && !uc_name_valid(new_name))
		return uc_name_error(resp, "UpdateMetastore",
				     "managedcatalog.UpdateMetastore.new_name",
				     new_name);
	if (new_name && *new_name &&
	    name_taken(a, m, new_name, emu_json_str(m->info, "region")))
		return name_conflict(resp, new_name,
				     emu_json_str(m->info, "region"));
	if (scope && *scope) {
		for (i = 0;
		     sharing_scopes[i] && strcmp(sharing_scopes[i], scope) != 0;
		     i++)
			;
		if (!sharing_scopes[i])
			return emu_error_invalid(
				resp,
				"Invalid delta_sharing_scope '%s': expected "
				"one of INTERNAL, INTERNAL_AND_EXTERNAL.",
				scope);
	}
	if (has_lifetime && lifetime < 0)
		return emu_error_invalid(
			resp, "Invalid value for field "
			      "'delta_sharing_recipient_token_lifetime_in_"
			      "seconds': it must not be negative.");
	if (cred_id && *cred_id) {
		cred = root_credential(m, req, cred_id);
		if (!cred)
			return uc_credential_missing(resp, cred_id);
	}

	if (new_name && *new_name)
		uc_set_str(m->info, "name", new_name);
	if (owner && *owner)
		uc_set_str(m->info, "owner", owner);
	if (scope && *scope)
		uc_set_str(m->info, "delta_sharing_scope", scope);
	if (has_lifetime) {
		cJSON_DeleteItemFromObjectCaseSensitive(
			m->info,
			"delta_sharing_recipient_token_lifetime_in_seconds");
		emu_json_add_int64(
			m->info,
			"delta_sharing_recipient_token_lifetime_in_seconds",
			lifetime);
	}
	if (org)
		uc_set_str(m->info, "delta_sharing_organization_name", org);
	if (model && *model)
		uc_set_str(m->info, "privilege_model_version", model);
	if (has_external)
		uc_set_bool(m->info, "external_access_enabled", external);
	if (cred_id) {
		uc_set_str(m->info, "storage_root_credential_id",
			   cred ? emu_json_str(cred, "id") : NULL);
		uc_set_str(m->info, "storage_root_credential_name",
			   cred ? emu_json_str(cred, "name") : NULL);
	}
	uc_list_resort(&a->metastores);
	uc_stamp_updated(m->info, req);
	return 0;
}

/* Deletes m (its assignments with it under force). */
static int metastore_delete(struct uc_state *a, struct uc_object *m,
			    struct emu_request *req, struct emu_response *resp)
{
	const char *id = emu_json_str(m->info, "metastore_id");
	bool force = false;
	cJSON *item, *next;
	size_t i;

	if (uc_arg_force(&force, req, resp) < 0)
		return -1;
	cJSON_ArrayForEach(item, a->assignments)
	{
		if (!force &&
		    emu_strcaseeq(emu_json_str(item, "metastore_id"), id))
			return emu_error_invalid(
				resp,
				"Metastore '%s' is assigned to workspace %s; "
				"unassign it first or delete it with "
				"force=true.",
				id, emu_json_str(item, "workspace_id"));
	}
	for (item = a->assignments->child; item; item = next) {
		next = item->next;
		if (emu_strcaseeq(emu_json_str(item, "metastore_id"), id))
			cJSON_Delete(cJSON_DetachItemViaPointer(a->assignments,
								item));
	}
	for (i = 0; a->metastores.items[i] != m; i++)
		;
	uc_object_free(uc_list_take(&a->metastores, i));
	return 0;
}

static cJSON *metastores_json(const struct uc_state *a)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(body, "metastores");
	size_t i;

	for (i = 0; i < a->metastores.n; i++)
		cJSON_AddItemToArray(
			arr, cJSON_Duplicate(a->metastores.items[i]->info, 1));
	return body;
}

void uc_metastores_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m =
		metastore_create(uc_account_state(req->ws), false, req, resp);

	if (m)
		respond(resp, NULL, cJSON_Duplicate(m->info, 1));
}

void uc_metastores_list(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200,
			  metastores_json(uc_account_state(req->ws)));
}

void uc_metastores_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m =
		metastore_arg(uc_account_state(req->ws), req, resp);

	if (m)
		respond(resp, NULL, cJSON_Duplicate(m->info, 1));
}

void uc_metastores_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *a = uc_account_state(req->ws);
	struct uc_object *m = metastore_arg(a, req, resp);

	if (m && metastore_update(a, m, req, resp) == 0)
		respond(resp, NULL, cJSON_Duplicate(m->info, 1));
}

void uc_metastores_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *a = uc_account_state(req->ws);
	struct uc_object *m = metastore_arg(a, req, resp);

	if (m)
		metastore_delete(a, m, req, resp);
}

void uc_metastore_summary(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m = metastore_find(uc_account_state(req->ws),
					     uc_assigned_metastore(req->ws));

	if (!m) {
		no_metastore(resp);
		return;
	}
	respond(resp, NULL, cJSON_Duplicate(m->info, 1));
}

/* --- assignments ---------------------------------------------------------- */

/* {workspace_id (an integer), metastore_id, default_catalog_name}. */
static cJSON *assignment_json(const cJSON *a)
{
	cJSON *v = cJSON_CreateObject();
	int64_t ws = 0;

	/* Stored ids are digits only (workspace_arg), so this cannot fail. */
	emu_json_parse_int64_text(&ws, emu_json_str(a, "workspace_id"));
	emu_json_add_int64(v, "workspace_id", ws);
	cJSON_AddStringToObject(v, "metastore_id",
				emu_json_str(a, "metastore_id"));
	uc_set_str(v, "default_catalog_name",
		   emu_json_str(a, "default_catalog_name"));
	return v;
}

/*
 * Assigns metastore_id to workspace ws (a new assignment, or the same
 * metastore again), or with update, changes ws's assignment. catalog may
 * be NULL (kept). Returns 0 or -1 with the error in resp.
 */
static int assign(struct uc_state *a, const char *ws, const char *metastore_id,
		  const char *catalog, bool update, struct emu_response *resp)
{
	cJSON *cur = assignment_find(a, ws);
	const char *had = cur ? emu_json_str(cur, "metastore_id") : NULL;

	if (metastore_id && *metastore_id && !metastore_find(a, metastore_id))
		return metastore_missing(resp, metastore_id);
	if (update && !cur)
		return emu_error(resp, 404, "METASTORE_DOES_NOT_EXIST",
				 "No metastore assigned for workspace %s.", ws);
	if (!update && had && !emu_strcaseeq(had, metastore_id))
		return emu_error_invalid(resp,
					 "Workspace %s is already assigned to "
					 "metastore %s; unassign it first.",
					 ws, had);
	if (!cur) {
		cJSON_AddItemToArray(a->assignments,
				     assignment_new(ws, metastore_id, catalog));
		return 0;
	}
	if (metastore_id && *metastore_id)
		uc_set_str(cur, "metastore_id", metastore_id);
	if (catalog)
		uc_set_str(cur, "default_catalog_name", catalog);
	return 0;
}

static int unassign(struct uc_state *a, const char *ws,
		    const char *metastore_id, struct emu_response *resp)
{
	cJSON *cur = assignment_find(a, ws);

	if (!cur ||
	    !emu_strcaseeq(emu_json_str(cur, "metastore_id"), metastore_id))
		return emu_error(resp, 404, "METASTORE_DOES_NOT_EXIST",
				 "Metastore '%s' is not assigned to workspace "
				 "%s.",
				 metastore_id, ws);
	cJSON_Delete(cJSON_DetachItemViaPointer(a->assignments, cur));
	return 0;
}

void uc_current_assignment(struct emu_request *req, struct emu_response *resp)
{
	const cJSON *a = assignment_find(uc_account_state(req->ws),
					 emu_workspace_id(req->ws));

	if (!a) {
		no_metastore(resp);
		return;
	}
	respond(resp, NULL, assignment_json(a));
}

/* PUT (update false) and PATCH (true) workspaces/{ws}/metastore. */
static void workspace_assign(struct emu_request *req, struct emu_response *resp,
			     bool update)
{
	const char *ws, *metastore_id, *catalog;

	if (workspace_arg(&ws, req, resp) < 0 ||
	    emu_arg_string(&metastore_id, req, resp, "metastore_id",
			   update ? EMU_ARG_OPTIONAL : EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&catalog, req, resp, "default_catalog_name",
			   EMU_ARG_OPTIONAL) < 0)
		return;
	assign(uc_account_state(req->ws), ws, metastore_id, catalog, update,
	       resp);
}

void uc_assign(struct emu_request *req, struct emu_response *resp)
{
	workspace_assign(req, resp, false);
}

void uc_assign_update(struct emu_request *req, struct emu_response *resp)
{
	workspace_assign(req, resp, true);
}

void uc_unassign(struct emu_request *req, struct emu_response *resp)
{
	const char *ws, *metastore_id;

	if (workspace_arg(&ws, req, resp) < 0 ||
	    emu_arg_string(&metastore_id, req, resp, "metastore_id",
			   EMU_ARG_REQUIRED) < 0)
		return;
	unassign(uc_account_state(req->ws), ws, metastore_id, resp);
}

/* --- account level -------------------------------------------------------- */

void uc_acc_metastores_create(struct emu_request *req,
			      struct emu_response *resp)
{
	struct uc_object *m;
	cJSON *saved;

	if (emu_account_check(req, resp) < 0 ||
	    unwrap(&saved, req, resp, "metastore_info", true) < 0)
		return;
	m = metastore_create(uc_account_state(req->ws), true, req, resp);
	unwrap_end(saved, req);
	if (m)
		respond(resp, "metastore_info", cJSON_Duplicate(m->info, 1));
}

void uc_acc_metastores_list(struct emu_request *req, struct emu_response *resp)
{
	if (emu_account_check(req, resp) == 0)
		uc_metastores_list(req, resp);
}

void uc_acc_metastores_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m;

	if (emu_account_check(req, resp) < 0)
		return;
	m = metastore_arg(uc_account_state(req->ws), req, resp);
	if (m)
		respond(resp, "metastore_info", cJSON_Duplicate(m->info, 1));
}

void uc_acc_metastores_update(struct emu_request *req,
			      struct emu_response *resp)
{
	struct uc_state *a = uc_account_state(req->ws);
	struct uc_object *m;
	cJSON *saved;
	int error;

	if (emu_account_check(req, resp) < 0)
		return;
	m = metastore_arg(a, req, resp);
	if (!m || unwrap(&saved, req, resp, "metastore_info", false) < 0)
		return;
	error = req->json ? metastore_update(a, m, req, resp) : 0;
	unwrap_end(saved, req);
	if (error == 0)
		respond(resp, "metastore_info", cJSON_Duplicate(m->info, 1));
}

void uc_acc_metastores_delete(struct emu_request *req,
			      struct emu_response *resp)
{
	if (emu_account_check(req, resp) == 0)
		uc_metastores_delete(req, resp);
}

void uc_acc_metastore_workspaces(struct emu_request *req,
				 struct emu_response *resp)
{
	struct uc_state *a = uc_account_state(req->ws);
	struct uc_object *m;
	cJSON *body, *ids, *item;

	if (emu_account_check(req, resp) < 0)
		return;
	m = metastore_arg(a, req, resp);
	if (!m)
		return;
	body = cJSON_CreateObject();
	ids = cJSON_AddArrayToObject(body, "workspace_ids");
	cJSON_ArrayForEach(item, a->assignments)
	{
		int64_t ws = 0;

		if (!emu_strcaseeq(emu_json_str(item, "metastore_id"),
				   emu_json_str(m->info, "metastore_id")))
			continue;
		emu_json_parse_int64_text(&ws,
					  emu_json_str(item, "workspace_id"));
		cJSON_AddItemToArray(ids, emu_json_int64(ws));
	}
	emu_response_json(resp, 200, body);
}

void uc_acc_assignment_get(struct emu_request *req, struct emu_response *resp)
{
	const char *ws;
	const cJSON *a;

	if (emu_account_check(req, resp) < 0 ||
	    workspace_arg(&ws, req, resp) < 0)
		return;
	a = assignment_find(uc_account_state(req->ws), ws);
	if (!a) {
		emu_error(resp, 404, "METASTORE_DOES_NOT_EXIST",
			  "No metastore assigned for workspace %s.", ws);
		return;
	}
	respond(resp, "metastore_assignment", assignment_json(a));
}

/* POST (update false) and PUT (true) workspaces/{ws}/metastores/{id}. */
static void account_assign(struct emu_request *req, struct emu_response *resp,
			   bool update)
{
	const char *ws, *catalog = NULL;
	cJSON *saved;
	int error;

	if (emu_account_check(req, resp) < 0 ||
	    workspace_arg(&ws, req, resp) < 0 ||
	    unwrap(&saved, req, resp, "metastore_assignment", false) < 0)
		return;
	error = req->json ? emu_arg_string(&catalog, req, resp,
					   "default_catalog_name",
					   EMU_ARG_OPTIONAL)
			  : 0;
	unwrap_end(saved, req);
	if (error == 0)
		assign(uc_account_state(req->ws), ws,
		       emu_request_param(req, "id"), catalog, update, resp);
}

void uc_acc_assign(struct emu_request *req, struct emu_response *resp)
{
	account_assign(req, resp, false);
}

void uc_acc_assign_update(struct emu_request *req, struct emu_response *resp)
{
	account_assign(req, resp, true);
}

void uc_acc_unassign(struct emu_request *req, struct emu_response *resp)
{
	const char *ws;

	if (emu_account_check(req, resp) < 0 ||
	    workspace_arg(&ws, req, resp) < 0)
		return;
	unassign(uc_account_state(req->ws), ws, emu_request_param(req, "id"),
		 resp);
}

/* The metastore of the path, after the account check; NULL: answered. */
static struct uc_object *account_metastore(struct emu_request *req,
					   struct emu_response *resp)
{
	if (emu_account_check(req, resp) < 0)
		return NULL;
	return metastore_arg(uc_account_state(req->ws), req, resp);
}

void uc_acc_credentials_create(struct emu_request *req,
			       struct emu_response *resp)
{
	struct uc_object *m = account_metastore(req, resp);
	cJSON *saved;

	if (!m || unwrap(&saved, req, resp, "credential_info", true) < 0)
		return;
	uc_credential_create(uc_account_state(req->ws), &m->credentials,
			     emu_json_str(m->info, "metastore_id"), true, req,
			     resp);
	unwrap_end(saved, req);
}

void uc_acc_credentials_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m = account_metastore(req, resp);

	if (m)
		uc_list_respond(req, resp, &m->credentials,
				"storage_credentials");
}

void uc_acc_credentials_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m = account_metastore(req, resp);
	const char *name = emu_request_param(req, "name");
	struct uc_object *cred = m ? uc_list_find(&m->credentials, name) : NULL;

	if (m && !cred)
		uc_credential_missing(resp, name);
	else if (cred)
		respond(resp, "credential_info",
			cJSON_Duplicate(cred->info, 1));
}

void uc_acc_credentials_delete(struct emu_request *req,
			       struct emu_response *resp)
{
	struct uc_object *m = account_metastore(req, resp);
	const char *name = emu_request_param(req, "name");
	size_t i = m ? uc_list_index(&m->credentials, name) : SIZE_MAX;
	bool force = false;

	if (!m || uc_arg_force(&force, req, resp) < 0)
		return;
	if (i == SIZE_MAX) {
		uc_credential_missing(resp, name);
		return;
	}
	/* The metastore no longer has a root credential. */
	if (emu_strcaseeq(emu_json_str(m->info, "storage_root_credential_id"),
			  emu_json_str(m->credentials.items[i]->info, "id"))) {
		uc_set_str(m->info, "storage_root_credential_id", NULL);
		uc_set_str(m->info, "storage_root_credential_name", NULL);
	}
	uc_object_free(uc_list_take(&m->credentials, i));
}

/* --- --state -------------------------------------------------------------- */

cJSON *uc_metastores_save(const struct uc_state *st)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(root, "metastores");
	size_t i;

	for (i = 0; i < st->metastores.n; i++) {
		cJSON *item = cJSON_CreateObject();

		cJSON_AddItemToObject(
			item, "info",
			cJSON_Duplicate(st->metastores.items[i]->info, 1));
		cJSON_AddItemToObject(
			item, "credentials",
			uc_list_save(&st->metastores.items[i]->credentials,
				     false));
		cJSON_AddItemToArray(arr, item);
	}
	cJSON_AddItemToObject(root, "assignments",
			      cJSON_Duplicate(st->assignments, 1));
	return root;
}

int uc_metastores_load(struct uc_state *st, const cJSON *json, char *err,
		       size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(json, "metastores");
	const cJSON *assignments =
		cJSON_GetObjectItemCaseSensitive(json, "assignments");
	const cJSON *item;
	int64_t ws;

	uc_metastores_dispose(st);
	st->account_ready = true;
	st->assignments = cJSON_CreateArray();
	if (!cJSON_IsArray(arr) || !cJSON_IsArray(assignments) ||
	    cJSON_GetArraySize(arr) > UC_MAX_METASTORES) {
		snprintf(err, errlen, "bad account metastores");
		return -1;
	}
	cJSON_ArrayForEach(item, arr)
	{
		const cJSON *info =
			cJSON_GetObjectItemCaseSensitive(item, "info");
		struct uc_object *m;

		if (!emu_json_str(info, "metastore_id") ||
		    !emu_json_str(info, "name") ||
		    metastore_find(st, emu_json_str(info, "metastore_id"))) {
			snprintf(err, errlen,
				 "a metastore without a unique metastore_id "
				 "or a name");
			return -1;
		}
		m = uc_object_new(cJSON_Duplicate(info, 1));
		uc_list_insert(&st->metastores, m);
		if (uc_list_load(st, &m->credentials,
				 cJSON_GetObjectItemCaseSensitive(
					 item, "credentials"),
				 NULL, "storage credential", UC_MAX_CREDENTIALS,
				 err, errlen) < 0)
			return -1;
	}
	cJSON_ArrayForEach(item, assignments)
	{
		const char *w = emu_json_str(item, "workspace_id");

		if (!w || emu_json_parse_int64_text(&ws, w) < 0 ||
		    !metastore_find(st, emu_json_str(item, "metastore_id")) ||
		    assignment_find(st, w)) {
			snprintf(err, errlen, "bad metastore assignment");
			return -1;
		}
		cJSON_AddItemToArray(st->assignments, cJSON_Duplicate(item, 1));
	}
	return 0;
}
