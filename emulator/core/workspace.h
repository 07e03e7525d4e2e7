/*
 * The emulated workspace: identity, accepted tokens, the request log and
 * one state object per API module (module.h), behind one mutex.
 *
 * Locking: the router takes the lock around each request (auth, handler,
 * logging), so handlers and the functions they call never lock. Every
 * function below except new/free/lock/unlock and the file functions
 * expects the caller to hold the lock. One lock for everything keeps
 * cross-module operations (a job naming a cluster) simple; the emulator
 * serves tests, not throughput.
 *
 * Persistence (--state FILE): emu_workspace_save_file writes every
 * module's state as JSON (atomically: a temporary file, then rename; mode
 * 0600 because it holds secret values); emu_workspace_load_file reads it
 * back at start-up. The request log is not saved.
 */
#ifndef EMU_WORKSPACE_H
#define EMU_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emu_auth;
struct emu_faults;
struct emu_module;
struct emu_reqlog;
struct emu_workspace;

/* The identity the emulator presents (databricks-rest-api.md §2.1, §2.5). */
#define EMU_WORKSPACE_ID      "900800700600"
/* The account every workspace of the process belongs to (--account-id). */
#define EMU_DEFAULT_ACCOUNT_ID "00000000-0000-4000-8000-000000000001"
#define EMU_DEFAULT_USER_NAME "admin@example.com"
#define EMU_DEFAULT_USER_ID   "4200000000000001"

/*
 * The cloud the workspace plays (--cloud). It decides the node types and
 * zones, the server-filled *_attributes of clusters and pools, the storage
 * URL schemes and credential types of Unity Catalog, whether Key
 * Vault-backed secret scopes exist, and the cloud the host metadata
 * names. Every workspace of the process (the root and those the Account
 * API hosts) plays the same cloud: one account lives on one cloud.
 */
enum emu_cloud {
	EMU_CLOUD_AWS = 0, /* the default */
	EMU_CLOUD_AZURE,
	EMU_CLOUD_GCP,
};

/** "aws", "azure" or "gcp": the spelling of --cloud and host metadata. */
const char *emu_cloud_name(enum emu_cloud cloud);
/** Parses "aws", "azure" or "gcp" into *out; -1 for anything else. */
int emu_cloud_parse(enum emu_cloud *out, const char *name);

struct emu_workspace_options {
	/* Accepted personal access tokens; none: any bearer token. */
	const char *const *tokens;
	size_t ntokens;
	/* The workspace user; NULL: EMU_DEFAULT_USER_NAME. */
	const char *user_name;
	/* OAuth service principals (--oauth-client), each "ID:SECRET";
	 * none: the token endpoint refuses every client. */
	const char *const *oauth_clients;
	size_t noauth_clients;
	/* Lifetime of issued OAuth tokens in seconds; 0: 3600. */
	int64_t oauth_token_ttl_s;
	/* The account (a UUID); NULL: EMU_DEFAULT_ACCOUNT_ID. */
	const char *account_id;
	/* Users accepted with HTTP Basic (--basic-user), each
	 * "USER:PASSWORD", the user being the principal; none: a Basic
	 * header is refused as an unsupported scheme. */
	const char *const *basic_users;
	size_t nbasic_users;
	/* The cloud played (--cloud); zero is EMU_CLOUD_AWS. */
	enum emu_cloud cloud;
	/* --cloud was given: refuse the other clouds' node types,
	 * *_attributes, storage URLs and credentials. Without it the
	 * workspace is the AWS one that takes them loosely (see
	 * emu_workspace_cloud_strict). */
	bool cloud_strict;
};

/* Default of --oauth-token-ttl, in seconds. */
#define EMU_DEFAULT_OAUTH_TOKEN_TTL_S 3600

/** A new empty workspace (copies what it needs from opts; never NULL). */
struct emu_workspace *
emu_workspace_new(const struct emu_workspace_options *opts);
/** Frees the workspace and all module state; NULL is fine. */
void emu_workspace_free(struct emu_workspace *ws);

void emu_workspace_lock(struct emu_workspace *ws);
void emu_workspace_unlock(struct emu_workspace *ws);

/** The state of module m (lock held); NULL for stateless modules. */
void *emu_workspace_state(struct emu_workspace *ws, const struct emu_module *m);

/**
 * Back to an empty workspace (lock held): every module's state is replaced
 * by a fresh one, OAuth-issued tokens are forgotten and the request log is
 * cleared, with the fault and rate-limit counters. --token tokens, OAuth
 * clients, the fault rules, the rate limit and the identity stay. The
 * root's reset also stops hosting every workspace; a hosted workspace's
 * empties only its own module states and request log (the tokens and
 * faults it uses are the root's).
 */
void emu_workspace_reset(struct emu_workspace *ws);

struct emu_reqlog *emu_workspace_reqlog(struct emu_workspace *ws);
struct emu_auth *emu_workspace_auth(struct emu_workspace *ws);
/** Fault injection and the rate limit (faults.h); survive a reset. */
struct emu_faults *emu_workspace_faults(struct emu_workspace *ws);

/**
 * The secret of OAuth client id (from --oauth-client), or NULL when no
 * such client is configured.
 */
const char *emu_workspace_oauth_secret(const struct emu_workspace *ws,
				       const char *id);
/** Lifetime of issued OAuth access tokens, in seconds. */
int64_t emu_workspace_oauth_token_ttl_s(const struct emu_workspace *ws);

/** The cloud every workspace of the process plays (--cloud). */
enum emu_cloud emu_workspace_cloud(const struct emu_workspace *ws);
/**
 * Whether the other clouds' parts are refused: true when --cloud was
 * given (always for azure and gcp). Without --cloud the emulator is the
 * AWS workspace it always was, which also stores azure_attributes,
 * gcp_attributes, abfss://, gs:// and r2:// URLs and every credential
 * type, so configurations written for any cloud can be tested on it.
 */
bool emu_workspace_cloud_strict(const struct emu_workspace *ws);

/** The account id the Account API serves (--account-id). */
const char *emu_workspace_account_id(const struct emu_workspace *ws);

/**
 * Checks a request's {account_id} path parameter against the account:
 * returns 0, or answers the real service's unknown-account error in resp
 * and returns -1.
 */
struct emu_request;
struct emu_response;
int emu_account_check(struct emu_request *req, struct emu_response *resp);

/* --- hosted workspaces ------------------------------------------------------
 *
 * The emulator starts with one workspace, the root, which also serves the
 * Account API. Each workspace the Account API provisions is another
 * struct emu_workspace, hosted by the root at
 * http://<deployment>.localhost:<port> (RFC 6761: every name under
 * localhost is loopback, and libcurl resolves it so itself): one process,
 * one port, the Host header picks the workspace. A hosted workspace has
 * module states, a request log, an id and a user of its own; it shares
 * the root's lock (so one handler may touch both), tokens, OAuth clients,
 * faults and clock (one account, one time).
 */

/** The root workspace of ws (ws itself for the root). */
struct emu_workspace *emu_workspace_root(struct emu_workspace *ws);
/** The numeric workspace id, as a string ("900800700600" for the root). */
const char *emu_workspace_id(const struct emu_workspace *ws);
/** The deployment name of a hosted workspace; NULL for the root. */
const char *emu_workspace_deployment(const struct emu_workspace *ws);

/**
 * Hosts a new empty workspace named deployment (letters, digits and '-')
 * with workspace_id (digits), lock held; replaces nothing: returns NULL
 * when the deployment is already hosted.
 */
struct emu_workspace *emu_workspace_host(struct emu_workspace *root,
					 const char *deployment,
					 const char *workspace_id);
/**
 * The workspace whose numeric id is workspace_id: the root or one it
 * hosts; NULL when the account has no such workspace. What an API that
 * names workspaces by id (Unity Catalog's metastore assignments) checks.
 */
struct emu_workspace *emu_workspace_by_id(struct emu_workspace *root,
					  const char *workspace_id);
/** The hosted workspace of that deployment, or NULL. */
struct emu_workspace *emu_workspace_hosted(struct emu_workspace *root,
					   const char *deployment);
/** Stops hosting deployment and frees its workspace (lock held). */
void emu_workspace_unhost(struct emu_workspace *root, const char *deployment);
/**
 * The URL a hosted deployment is served at (malloc'd): the root's URL with
 * "<deployment>.localhost" as its host.
 */
char *emu_workspace_host_url(const struct emu_workspace *root,
			     const char *deployment);
/**
 * Routes a request by its Host header value (NULL: none): the hosted
 * workspace when the host is <deployment>.localhost[:port], else the
 * root (also for accounts.localhost, the account console's name). *unknown is set when the host names a deployment that is not (or
 * no longer) hosted; the caller answers that, rather than serve it from
 * the root.
 */
struct emu_workspace *emu_workspace_for_host(struct emu_workspace *root,
					     const char *host, bool *unknown);

/** The workspace user's userName (e.g. "admin@example.com"). */
const char *emu_workspace_user_name(const struct emu_workspace *ws);
/** The workspace user's numeric SCIM id, as a string. */
const char *emu_workspace_user_id(const struct emu_workspace *ws);

/**
 * The URL the server listens on ("http://127.0.0.1:8080"), used when a
 * request has no usable Host header; server.c sets it. Copies url.
 */
void emu_workspace_set_base_url(struct emu_workspace *ws, const char *url);
const char *emu_workspace_base_url(const struct emu_workspace *ws);

/**
 * The workspace clock in epoch milliseconds: the real-time clock plus any
 * offset added with emu_workspace_advance_clock(). State machines (job
 * runs) read time only through this, at request time.
 */
int64_t emu_workspace_now_ms(const struct emu_workspace *ws);

/**
 * Moves the workspace clock forward by ms (>= 0) without waiting, so tests
 * can drive time-based state machines. Call with the lock held, or while
 * no request is being served.
 */
void emu_workspace_advance_clock(struct emu_workspace *ws, int64_t ms);

/* Default of --run-duration-ms: how long a job run takes from start to
 * TERMINATED. */
#define EMU_DEFAULT_RUN_DURATION_MS 2000

/**
 * How long an emulated job run lasts (--run-duration-ms; 0 = runs finish
 * as soon as they start). Set it before serving requests; it is not part
 * of the saved state and survives /_emulator/reset.
 */
void emu_workspace_set_run_duration_ms(struct emu_workspace *ws, int64_t ms);
int64_t emu_workspace_run_duration_ms(const struct emu_workspace *ws);

/**
 * Loads state saved by emu_workspace_save_file into an empty workspace
 * (takes the lock). A missing file is not an error (returns 1: nothing
 * loaded). Returns 0 on success, or -1 with a one-line reason in err; the
 * workspace is then left empty.
 */
int emu_workspace_load_file(struct emu_workspace *ws, const char *path,
			    char *err, size_t errlen);

/**
 * Writes every module's state to path (takes the lock). Returns 0, or -1
 * with a one-line reason in err; the previous file is then untouched.
 */
int emu_workspace_save_file(struct emu_workspace *ws, const char *path,
			    char *err, size_t errlen);

#endif
