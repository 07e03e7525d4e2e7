/*
 * Internals of the emulated Account API (provisioning), shared by its two
 * files and used nowhere else:
 *
 *   account.c             the module: the account-id check, credentials,
 *                         storage configurations and networks, the
 *                         handlers every configuration collection shares,
 *                         the test controls under /_emulator/accounts/,
 *                         --state, the route table
 *   account_workspaces.c  workspaces: the collection, references to the
 *                         other three, PATCH and the lazy PROVISIONING ->
 *                         RUNNING | FAILED state machine
 *   account_network.c     VPC endpoints and private access settings
 *   account_keys.c        customer-managed keys
 *   account_logs.c        log delivery configurations
 *   account_assign.c      workspace permission assignments
 *
 * Each collection is declared on the object store (core/store.h); the
 * handlers here add what the store does not know: the {account_id} path
 * segment, bare-array lists, views that depend on the clock or on another
 * collection, and refusing to delete what a workspace uses. Everything
 * runs with the workspace lock held (module.h).
 */
#ifndef EMU_ACCOUNT_INTERNAL_H
#define EMU_ACCOUNT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct emu_request;
struct emu_response;
struct emu_store;
struct emu_workspace;

struct account_state {
	int64_t provision_ms; /* PROVISIONING lasts this long */
	struct emu_store *credentials;
	struct emu_store *storage;
	struct emu_store *networks;
	struct emu_store *workspaces;
	struct emu_store *vpc_endpoints;
	struct emu_store *private_access;
	struct emu_store *keys;
	struct emu_store *log_delivery;
	/* Permission assignments: {"<workspace_id>": {"<principal_id>":
	 * ["ADMIN"]}} (account_assign.c); never NULL. */
	cJSON *assignments;
	/* POST /_emulator/accounts/fail-next-workspace; NULL: disarmed. */
	char *fail_message;
};

/* The account state of the workspace (its module is emu_module_account). */
struct account_state *account_of(struct emu_workspace *ws);

/*
 * A configuration collection served alike: POST creates (answering the
 * object), GET lists as a bare array, GET and DELETE one by the path
 * parameter ref (DELETE answering the object it removed), each reply the
 * record's view; a delete is refused while a workspace uses the object.
 */
struct account_config {
	size_t store;	   /* offsetof(struct account_state, <its store>) */
	const char *ref;   /* the path parameter and the workspace field */
	const char *words; /* how messages name one: "network configuration" */
	/* The reply for rec, a new value; NULL: a copy of the record. */
	cJSON *(*view)(struct account_state *a, const cJSON *rec);
	/* The workspace that uses object id, or NULL; NULL hook: the first
	 * workspace whose field ref is id. */
	const char *(*used_by)(const struct account_state *a, const char *id);
};

/** The store of configuration collection k. */
struct emu_store *account_config_store(struct account_state *a,
				       const struct account_config *k);

/* The shared handlers (account.c). */
void account_config_create(struct emu_request *req, struct emu_response *resp,
			   const struct account_config *k);
void account_config_list(struct emu_request *req, struct emu_response *resp,
			 const struct account_config *k);
void account_config_get(struct emu_request *req, struct emu_response *resp,
			const struct account_config *k);
void account_config_delete(struct emu_request *req, struct emu_response *resp,
			   const struct account_config *k);

/* Route handlers prefix_create, _list, _get and _delete for collection k
 * (a pointer to a struct account_config). */
#define ACCOUNT_CONFIG_HANDLERS(prefix, k)                                     \
	static void prefix##_create(struct emu_request *req,                   \
				    struct emu_response *resp)                 \
	{                                                                      \
		account_config_create(req, resp, k);                           \
	}                                                                      \
	static void prefix##_list(struct emu_request *req,                     \
				  struct emu_response *resp)                   \
	{                                                                      \
		account_config_list(req, resp, k);                             \
	}                                                                      \
	static void prefix##_get(struct emu_request *req,                      \
				 struct emu_response *resp)                    \
	{                                                                      \
		account_config_get(req, resp, k);                              \
	}                                                                      \
	static void prefix##_delete(struct emu_request *req,                   \
				    struct emu_response *resp)                 \
	{                                                                      \
		account_config_delete(req, resp, k);                           \
	}

/**
 * A version 4 UUID from a collection's sequence number n and a salt of
 * its own, so ids of different kinds never coincide; a new string.
 */
char *account_uuid(uint64_t n, uint64_t salt);

/** on_create hook: the record's account_id and creation_time (now). */
void account_stamp(struct emu_store *st, struct emu_request *req, cJSON *rec);

/**
 * A required string member name of obj, at path in messages: present, a
 * string, not empty; else the service's error in resp and -1.
 */
int account_nested_string(const cJSON *obj, const char *path, const char *name,
			  struct emu_response *resp);

/**
 * An optional array member name of rec holding non-empty strings, with
 * min to max elements when given (max 0: no bound); else -1 and the error.
 */
int account_string_array(const cJSON *rec, const char *name, size_t min,
			 size_t max, struct emu_response *resp);

/** The workspace collection's declaration (account_workspaces.c). */
extern const struct emu_store_decl account_workspace_decl;

/**
 * The id of the first workspace whose field (credentials_id, ...) is id,
 * or NULL: what stops a delete of a configuration in use.
 */
const char *account_workspace_using(const struct account_state *a,
				    const char *field, const char *id);

/* Workspace handlers (account_workspaces.c). */
void account_workspaces_create(struct emu_request *req,
			       struct emu_response *resp);
void account_workspaces_list(struct emu_request *req,
			     struct emu_response *resp);
void account_workspaces_get(struct emu_request *req, struct emu_response *resp);
void account_workspaces_patch(struct emu_request *req,
			      struct emu_response *resp);
void account_workspaces_delete(struct emu_request *req,
			       struct emu_response *resp);

/* VPC endpoints and private access settings (account_network.c). */
extern const struct emu_store_decl account_vpce_decl;
extern const struct emu_store_decl account_pas_decl;
extern const struct account_config account_vpce_config;
extern const struct account_config account_pas_config;
void account_pas_replace(struct emu_request *req, struct emu_response *resp);

/* Customer-managed keys (account_keys.c). */
extern const struct emu_store_decl account_key_decl;
extern const struct account_config account_key_config;

/* Log delivery (account_logs.c). */
extern const struct emu_store_decl account_log_decl;
void account_logs_create(struct emu_request *req, struct emu_response *resp);
void account_logs_list(struct emu_request *req, struct emu_response *resp);
void account_logs_get(struct emu_request *req, struct emu_response *resp);
void account_logs_patch(struct emu_request *req, struct emu_response *resp);

/* Workspace permission assignments (account_assign.c). */
void account_assign_list(struct emu_request *req, struct emu_response *resp);
void account_assign_levels(struct emu_request *req, struct emu_response *resp);
void account_assign_put(struct emu_request *req, struct emu_response *resp);
void account_assign_delete(struct emu_request *req, struct emu_response *resp);
/* --state: the assignments as saved, and checked when loaded. */
int account_assign_load(struct account_state *a, const cJSON *json, char *err,
			size_t errlen);

#endif
