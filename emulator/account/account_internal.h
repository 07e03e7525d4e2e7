/*
 * Internals of the emulated Account API (provisioning), shared by its two
 * files and used nowhere else:
 *
 *   account.c             the module: the account-id check, credentials,
 *                         storage configurations and networks, the test
 *                         controls under /_emulator/accounts/, --state,
 *                         the route table
 *   account_workspaces.c  workspaces: the collection, references to the
 *                         other three, PATCH and the lazy PROVISIONING ->
 *                         RUNNING | FAILED state machine
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
	/* POST /_emulator/accounts/fail-next-workspace; NULL: disarmed. */
	char *fail_message;
};

/* The account state of the workspace (its module is emu_module_account). */
struct account_state *account_of(struct emu_workspace *ws);

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

#endif
