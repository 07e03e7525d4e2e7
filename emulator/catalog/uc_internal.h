/*
 * What the Unity Catalog files share (uc.c, uc_catalogs.c, uc_storage.c,
 * uc_grants.c, uc_metastores.c): the module state, the securable objects, the helpers for
 * names, ids, URLs, paging and errors, and the route handlers that uc.c
 * lists in its route table. Nothing outside this folder includes it.
 *
 * Every securable keeps its API representation (CatalogInfo, SchemaInfo,
 * StorageCredentialInfo, ExternalLocationInfo) as a cJSON object, always
 * up to date, so GET and list copy it and --state saves it as is; the
 * fields the emulator reasons about (name, url, credential_name,
 * storage_root, catalog_type) are read back from it with emu_json_str(), which
 * tolerates their absence. Names are stored lower-case, as Unity Catalog
 * stores identifiers, and every list is kept sorted by name so lists page
 * by name.
 */
#ifndef EMU_UC_INTERNAL_H
#define EMU_UC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "workspace.h"

struct emu_request;
struct emu_response;
struct emu_workspace;

/* The one metastore of the workspace (docs/emulator.md). */
#define UC_METASTORE_ID	      "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5"
#define UC_METASTORE_NAME     "emulator-metastore"
#define UC_METASTORE_REGION   "us-west-2"
#define UC_METASTORE_ROOT     "s3://emulator-metastore/root"
#define UC_DEFAULT_CATALOG    "main"
#define UC_SYSTEM_USER	      "System user"
#define UC_INFORMATION_SCHEMA "information_schema"

/* Emulator caps, so a long-running emulator keeps bounded memory. */
#define UC_MAX_CATALOGS	   1000
#define UC_MAX_SCHEMAS	   10000 /* in the whole metastore */
#define UC_MAX_CREDENTIALS 1000
#define UC_MAX_LOCATIONS   1000
#define UC_MAX_PRINCIPALS  1000 /* grantees per securable */
#define UC_MAX_CHILDREN	   1000 /* tables, volumes, models per schema */
#define UC_MAX_COLUMNS	   1000 /* per table */
#define UC_MAX_NAME	   255
#define UC_MAX_TEXT	   16384 /* comment, principal, url, properties */
/* Lists page at this size when max_results is 0, and at most at UC_PAGE_MAX. */
#define UC_PAGE_DEFAULT 50
#define UC_PAGE_MAX	1000

/* One principal's privileges on a securable: bits of uc_privileges[]. */
struct uc_grant {
	char *principal; /* the spelling it was first granted with */
	uint64_t privileges;
};

struct uc_grants {
	struct uc_grant *items; /* in order of first grant */
	size_t n;
};

struct uc_object;

/* Securables sorted by name. */
struct uc_list {
	struct uc_object **items;
	size_t n;
};

struct uc_object {
	cJSON *info; /* the object as GET returns it; has a string "name" */
	struct uc_grants grants;
	struct uc_list schemas; /* catalogs only */
	/* Schemas only: their tables and views, and their volumes
	 * and their registered models (uc_objects.c); info is TableInfo /
	 * VolumeInfo / RegisteredModelInfo. */
	struct uc_list tables, volumes, models;
	/* Catalogs, locations and credentials: their workspace bindings,
	 * [{workspace_id, binding_type}], or NULL (uc_bindings.c). */
	cJSON *bindings;
	/* Connections only: the secret options, never answered
	 * (uc_connections.c). */
	cJSON *secrets;
	/* Metastores only: the storage credentials made for it through the
	 * account API (metastores/{id}/storage-credentials). */
	struct uc_list credentials;
};

struct uc_state {
	uint64_t rng;	    /* ids (uuids) */
	int64_t created_at; /* of the metastore and its defaults */
	struct uc_list catalogs;
	struct uc_list credentials;
	struct uc_list locations;
	struct uc_list connections; /* uc_connections.c */
	size_t nschemas; /* across all catalogs */
	/* {schema: state} of the system schemas, made on first use
	 * (uc_bindings.c); NULL until then. */
	cJSON *system_schemas;
	/* {artifact_type: ArtifactAllowlistInfo}, made on first use
	 * (uc_bindings.c). */
	cJSON *allowlists;
	struct uc_grants metastore_grants;
	/*
	 * The account's metastores and their workspace assignments, kept in
	 * the root workspace's state only and reached through
	 * uc_account_state(): a metastore is the account's, not one
	 * workspace's. Made on first use (the default metastore, assigned
	 * to the root workspace) or by --state.
	 */
	bool account_ready;
	struct uc_list metastores; /* by name; info is MetastoreInfo */
	/* [{workspace_id (digits), metastore_id, default_catalog_name}] */
	cJSON *assignments;
};

/* --- uc.c: helpers -------------------------------------------------------- */

/** Sets obj.name to value, or removes it when value is NULL or "". */
void uc_set_str(cJSON *obj, const char *name, const char *value);
/** Sets obj.name to a copy of value (NULL removes it). */
void uc_set_json(cJSON *obj, const char *name, const cJSON *value);
void uc_set_bool(cJSON *obj, const char *name, bool value);
/** created_at/by and updated_at/by from the request's clock and caller. */
void uc_stamp_created(cJSON *info, const struct emu_request *req);
void uc_stamp_updated(cJSON *info, const struct emu_request *req);
/**
 * The answer to a successful PATCH: stamps obj updated now by the caller
 * and replies 200 with the whole object, as the real service does.
 */
void uc_respond_updated(struct uc_object *obj, const struct emu_request *req,
			struct emu_response *resp);

/** A new random version-4 UUID string; the caller frees it. */
char *uc_uuid(struct uc_state *st);
/** An ASCII lower-case copy of s; the caller frees it. */
char *uc_lower(const char *s);

/**
 * Unity Catalog names: 1-255 characters, none of them a space, a period,
 * a forward slash or a control character.
 */
bool uc_name_valid(const char *name);
/**
 * 400 INVALID_PARAMETER_VALUE for an invalid name, worded as the real
 * service words it for rpc ("CreateCatalog") and field
 * ("managedcatalog.CatalogInfo.name"). Returns -1.
 */
int uc_name_error(struct emu_response *resp, const char *rpc, const char *field,
		  const char *name);

/**
 * Reads optional string argument name, refusing values longer than
 * UC_MAX_TEXT. As emu_arg_string otherwise.
 */
int uc_arg_text(const char **out, struct emu_request *req,
		struct emu_response *resp, const char *name);
/**
 * Reads the optional "properties" map (string values only, at most
 * UC_MAX_TEXT bytes as JSON) into *out (borrowed; NULL when absent).
 */
int uc_arg_properties(const cJSON **out, struct emu_request *req,
		      struct emu_response *resp);
/** As uc_arg_properties for the map argument name ("options"). */
int uc_arg_map(const cJSON **out, struct emu_request *req,
	       struct emu_response *resp, const char *name);

/**
 * True for "s3://<bucket>[/<path>]" with a valid bucket name and no
 * control characters, '?' or '#'.
 */
bool uc_s3_url_valid(const char *url);
/* The clouds whose storage Unity Catalog reaches (uc_url_cloud). */
#define UC_CLOUD_AWS	    "aws"
#define UC_CLOUD_AZURE	    "azure"
#define UC_CLOUD_GCP	    "gcp"
#define UC_CLOUD_CLOUDFLARE "cloudflare"
/**
 * The cloud of a storage URL: aws for s3://<bucket>/<path>, azure for
 * abfss://<container>@<account>.dfs.core.windows.net/<path>, gcp for
 * gs://<bucket>/<path>, cloudflare for
 * r2://<bucket>@<account id>.r2.cloudflarestorage.com/<path>; NULL when
 * url is none of them (or malformed).
 */
const char *uc_url_cloud(const char *url);
/*
 * --- the workspace's cloud (--cloud) ---
 *
 * Each cloud's Unity Catalog reaches its own object store and Cloudflare
 * R2: s3:// on AWS, abfss:// on Azure (ADLS Gen2 only: wasbs:// is no
 * external location, see uc.c), gs:// on GCP, and r2:// on all three. On a
 * strict workspace (emu_workspace_cloud_strict) any other scheme is
 * refused; without --cloud the AWS workspace takes every cloud's URLs.
 */
/** The metastore's storage root in cloud ("s3://emulator-metastore/root"). */
const char *uc_cloud_metastore_root(enum emu_cloud cloud);
/** The region the metastore and its workspace are in ("us-west-2"). */
const char *uc_cloud_region(enum emu_cloud cloud);
/**
 * Checks the scheme of a storage URL given as field ("url",
 * "storage_root", "storage_location") against ws's cloud. Returns 0, or
 * -1 after a 400 INVALID_PARAMETER_VALUE "<field> has invalid URI scheme
 * <scheme>. Valid URI schemes include <list>". Always 0 when ws is not
 * strict.
 */
int uc_check_scheme(struct emu_workspace *ws, struct emu_response *resp,
		    const char *field, const char *url);
/** True when uc_url_cloud(url) names a store ws's cloud reaches. */
bool uc_url_of_workspace(struct emu_workspace *ws, const char *url);
/** True when ws's cloud reaches url_cloud's store (a UC_CLOUD_*). */
bool uc_workspace_reaches(struct emu_workspace *ws, const char *url_cloud);
/** "AWS", "Azure" or "GCP": ws's cloud as messages name it. */
const char *uc_cloud_words(struct emu_workspace *ws);
/** True when path is base or lies under it (at a '/' boundary). */
bool uc_url_covers(const char *base, const char *path);
/** True when one of a and b covers the other. */
bool uc_url_overlaps(const char *a, const char *b);
/** The external location whose url covers url, or NULL. */
struct uc_object *uc_location_covering(const struct uc_state *st,
				       const char *url);
/**
 * Checks a catalog or schema storage_root: a storage URL under an existing
 * external location. Returns 0, or -1 with a 400 in resp.
 */
int uc_check_storage_root(struct emu_workspace *ws, const struct uc_state *st,
			  struct emu_response *resp, const char *root);

/* Lists (names compare ASCII case-insensitively). */
size_t uc_list_index(const struct uc_list *l, const char *name);
struct uc_object *uc_list_find(const struct uc_list *l, const char *name);
/**
 * Checks a PATCH's new_name ("" or NULL: no rename): a valid name, not taken
 * in l by an object other than self. *lower gets the lower-case name (NULL
 * for no rename; the caller frees it, also after an error). rpc names the
 * update ("UpdateCatalog") as the invalid-name message does; the 409 is
 * exists_code with "<kind> '<name>' already exists", the name prefixed
 * with "<parent>." when parent is not NULL. Returns 0, or -1 after
 * writing the error.
 */
int uc_rename_check(char **lower, const char *new_name, const struct uc_list *l,
		    const struct uc_object *self, const char *rpc,
		    const char *exists_code, const char *kind,
		    const char *parent, struct emu_response *resp);
/** Inserts obj in name order; the list takes ownership. */
void uc_list_insert(struct uc_list *l, struct uc_object *obj);
/** Takes item i out of the list and returns it (caller frees). */
struct uc_object *uc_list_take(struct uc_list *l, size_t i);
/** Re-sorts after an object was renamed. */
void uc_list_resort(struct uc_list *l);
void uc_list_dispose(struct uc_list *l);

/** A new object owning info. */
struct uc_object *uc_object_new(cJSON *info);
/** Frees obj, its grants and its schemas; NULL is fine. */
void uc_object_free(struct uc_object *obj);
/** obj's name ("" if it somehow has none). */
const char *uc_name(const struct uc_object *obj);

/**
 * Answers a list endpoint: reads max_results and page_token (paging rules
 * in uc.c's header) and writes {key: [...], next_page_token} with copies
 * of the items' info. Returns 0 or -1 (error written).
 */
int uc_list_respond(struct emu_request *req, struct emu_response *resp,
		    const struct uc_list *l, const char *key);

/**
 * Reads the optional boolean query/body argument "force" (false when
 * absent). Returns 0 or -1.
 */
int uc_arg_force(bool *force, struct emu_request *req,
		 struct emu_response *resp);

/* Errors with the codes and wording of the real service. All return -1. */
int uc_catalog_missing(struct emu_response *resp, const char *name);
int uc_schema_missing(struct emu_response *resp, const char *full_name);
int uc_credential_missing(struct emu_response *resp, const char *name);
int uc_location_missing(struct emu_response *resp, const char *name);

/* Lookups by the names clients use. */
struct uc_object *uc_catalog_find(const struct uc_state *st, const char *name);
/** The schema "cat.schema" (and its catalog in *cat_out, if not NULL). */
struct uc_object *uc_schema_find(const struct uc_state *st,
				 const char *full_name,
				 struct uc_object **cat_out);

/* --- uc_metastores.c: the account's metastores ----------------------------- */

/** The Unity Catalog state that holds ws's account's metastores. */
struct uc_state *uc_account_state(struct emu_workspace *ws);
/** The id of the metastore assigned to ws, or NULL. */
const char *uc_assigned_metastore(struct emu_workspace *ws);
/**
 * Checks that the request's workspace has a metastore, as every catalog,
 * schema, credential, location and permission call needs: 0, or -1 with
 * the service's 404 METASTORE_DOES_NOT_EXIST in resp.
 */
int uc_require_metastore(struct emu_request *req, struct emu_response *resp);
/** Frees the metastores and assignments of st. */
void uc_metastores_dispose(struct uc_state *st);
/** The metastores and assignments for --state (NULL when not made). */
cJSON *uc_metastores_save(const struct uc_state *st);
/** Loads uc_metastores_save's output into st. Returns 0 or -1. */
int uc_metastores_load(struct uc_state *st, const cJSON *json, char *err,
		       size_t errlen);

/* uc.c: saving and loading lists of securables (lower-case names). */
cJSON *uc_list_save(const struct uc_list *l, bool with_schemas);
int uc_list_load(struct uc_state *st, struct uc_list *l, const cJSON *arr,
		 const char *const *need, const char *what, size_t max,
		 char *err, size_t errlen);

/* --- uc_storage.c: credentials for either API ------------------------------ */

/**
 * Makes a storage credential from the request's arguments (name,
 * aws_iam_role, comment, read_only, skip_validation) into l, belonging to
 * metastore_id, and answers it in resp: in {"credential_info": ...} when
 * wrapped (the account API). Returns 0, or -1 with the error in resp.
 */
int uc_credential_create(struct uc_state *st, struct uc_list *l,
			 const char *metastore_id, bool wrapped,
			 struct emu_request *req, struct emu_response *resp);

/* --- uc_catalogs.c: metastore defaults ------------------------------------ */

/** Adds the catalogs main (default, information_schema) and system. */
void uc_catalogs_add_defaults(struct uc_state *st);

/* --- uc_grants.c ---------------------------------------------------------- */

void uc_grants_dispose(struct uc_grants *g);
/** The grants as [{principal, privileges: [...]}] (a new array). */
cJSON *uc_grants_json(const struct uc_grants *g);
/** Fills empty g from uc_grants_json() output. Returns 0 or -1. */
int uc_grants_load(struct uc_grants *g, const cJSON *arr);

/* --- route handlers ------------------------------------------------------- */

void uc_catalogs_create(struct emu_request *req, struct emu_response *resp);
void uc_catalogs_get(struct emu_request *req, struct emu_response *resp);
void uc_catalogs_list(struct emu_request *req, struct emu_response *resp);
void uc_catalogs_update(struct emu_request *req, struct emu_response *resp);
void uc_catalogs_delete(struct emu_request *req, struct emu_response *resp);

void uc_schemas_create(struct emu_request *req, struct emu_response *resp);
void uc_schemas_get(struct emu_request *req, struct emu_response *resp);
void uc_schemas_list(struct emu_request *req, struct emu_response *resp);
void uc_schemas_update(struct emu_request *req, struct emu_response *resp);
void uc_schemas_delete(struct emu_request *req, struct emu_response *resp);

void uc_credentials_create(struct emu_request *req, struct emu_response *resp);
void uc_credentials_get(struct emu_request *req, struct emu_response *resp);
void uc_credentials_list(struct emu_request *req, struct emu_response *resp);
void uc_credentials_update(struct emu_request *req, struct emu_response *resp);
void uc_credentials_delete(struct emu_request *req, struct emu_response *resp);

void uc_locations_create(struct emu_request *req, struct emu_response *resp);
void uc_locations_get(struct emu_request *req, struct emu_response *resp);
void uc_locations_list(struct emu_request *req, struct emu_response *resp);
void uc_locations_update(struct emu_request *req, struct emu_response *resp);
void uc_locations_delete(struct emu_request *req, struct emu_response *resp);

/* uc_objects.c */
void uc_volumes_create(struct emu_request *req, struct emu_response *resp);
void uc_volumes_get(struct emu_request *req, struct emu_response *resp);
void uc_volumes_list(struct emu_request *req, struct emu_response *resp);
void uc_volumes_update(struct emu_request *req, struct emu_response *resp);
void uc_volumes_delete(struct emu_request *req, struct emu_response *resp);
void uc_tables_create(struct emu_request *req, struct emu_response *resp);
/**
 * The columns a table stores for cols ([{name, type_text, nullable,
 * comment, type_json}]): position, type_name, nullable and type_json
 * filled (a given type_json is kept). NULL with a 400 in resp.
 */
cJSON *uc_table_columns(const cJSON *cols, struct emu_response *resp);
/** An external table's url: a URL of the workspace's cloud (without
 * --cloud: s3://) under an external location; 0, or -1 with a 400 in
 * resp. */
int uc_check_external(struct emu_workspace *ws, const struct uc_state *st,
		      struct emu_response *resp, const char *url);
void uc_tables_get(struct emu_request *req, struct emu_response *resp);
void uc_tables_list(struct emu_request *req, struct emu_response *resp);
void uc_tables_update(struct emu_request *req, struct emu_response *resp);
void uc_tables_delete(struct emu_request *req, struct emu_response *resp);
void uc_models_create(struct emu_request *req, struct emu_response *resp);
void uc_models_get(struct emu_request *req, struct emu_response *resp);
void uc_models_list(struct emu_request *req, struct emu_response *resp);
void uc_models_update(struct emu_request *req, struct emu_response *resp);
void uc_models_delete(struct emu_request *req, struct emu_response *resp);

/* uc_connections.c */
void uc_connections_create(struct emu_request *req, struct emu_response *resp);
void uc_connections_get(struct emu_request *req, struct emu_response *resp);
void uc_connections_list(struct emu_request *req, struct emu_response *resp);
void uc_connections_update(struct emu_request *req, struct emu_response *resp);
void uc_connections_delete(struct emu_request *req, struct emu_response *resp);

/* uc_bindings.c */
void uc_bindings_get(struct emu_request *req, struct emu_response *resp);
void uc_bindings_update(struct emu_request *req, struct emu_response *resp);
void uc_system_schemas_list(struct emu_request *req,
			    struct emu_response *resp);
void uc_system_schemas_enable(struct emu_request *req,
			      struct emu_response *resp);
void uc_system_schemas_disable(struct emu_request *req,
			       struct emu_response *resp);
void uc_allowlists_get(struct emu_request *req, struct emu_response *resp);
void uc_allowlists_put(struct emu_request *req, struct emu_response *resp);

void uc_permissions_get(struct emu_request *req, struct emu_response *resp);
void uc_permissions_update(struct emu_request *req, struct emu_response *resp);

/* uc_metastores.c: workspace level (/api/2.1/unity-catalog/...). */
void uc_metastores_create(struct emu_request *req, struct emu_response *resp);
void uc_metastores_list(struct emu_request *req, struct emu_response *resp);
void uc_metastores_get(struct emu_request *req, struct emu_response *resp);
void uc_metastores_update(struct emu_request *req, struct emu_response *resp);
void uc_metastores_delete(struct emu_request *req, struct emu_response *resp);
void uc_metastore_summary(struct emu_request *req, struct emu_response *resp);
void uc_current_assignment(struct emu_request *req, struct emu_response *resp);
void uc_assign(struct emu_request *req, struct emu_response *resp);
void uc_assign_update(struct emu_request *req, struct emu_response *resp);
void uc_unassign(struct emu_request *req, struct emu_response *resp);
/* uc_metastores.c: account level (/api/2.0/accounts/{account_id}/...). */
void uc_acc_metastores_create(struct emu_request *req,
			      struct emu_response *resp);
void uc_acc_metastores_list(struct emu_request *req, struct emu_response *resp);
void uc_acc_metastores_get(struct emu_request *req, struct emu_response *resp);
void uc_acc_metastores_update(struct emu_request *req,
			      struct emu_response *resp);
void uc_acc_metastores_delete(struct emu_request *req,
			      struct emu_response *resp);
void uc_acc_metastore_workspaces(struct emu_request *req,
				 struct emu_response *resp);
void uc_acc_assignment_get(struct emu_request *req, struct emu_response *resp);
void uc_acc_assign(struct emu_request *req, struct emu_response *resp);
void uc_acc_assign_update(struct emu_request *req, struct emu_response *resp);
void uc_acc_unassign(struct emu_request *req, struct emu_response *resp);
void uc_acc_credentials_create(struct emu_request *req,
			       struct emu_response *resp);
void uc_acc_credentials_list(struct emu_request *req,
			     struct emu_response *resp);
void uc_acc_credentials_get(struct emu_request *req, struct emu_response *resp);
void uc_acc_credentials_delete(struct emu_request *req,
			       struct emu_response *resp);

#endif
