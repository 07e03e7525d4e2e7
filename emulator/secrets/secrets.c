/*
 * Secrets API 2.0 (databricks-rest-api.md §5): Databricks-backed secret
 * scopes, their secrets and their ACLs.
 *
 *   POST /api/2.0/secrets/scopes/create   {scope, initial_manage_principal,
 *                                          scope_backend_type, ...} -> {}
 *   GET  /api/2.0/secrets/scopes/list     -> {scopes: [{name, backend_type}]}
 *   POST /api/2.0/secrets/scopes/delete   {scope} -> {}
 *   POST /api/2.0/secrets/put             {scope, key, string_value |
 *                                          bytes_value} -> {}
 *   GET  /api/2.0/secrets/list            ?scope= -> {secrets: [{key,
 *                                          last_updated_timestamp}]}
 *   POST /api/2.0/secrets/delete          {scope, key} -> {}
 *   GET  /api/2.0/secrets/get             ?scope=&key= -> {key, value}
 *   POST /api/2.0/secrets/acls/put        {scope, principal, permission}
 *   GET  /api/2.0/secrets/acls/get        ?scope=&principal=
 *   GET  /api/2.0/secrets/acls/list       ?scope= -> {items: [...]}
 *   POST /api/2.0/secrets/acls/delete     {scope, principal}
 *
 * Quirks kept on purpose, because clients depend on them:
 * - a duplicate scope is 400 RESOURCE_ALREADY_EXISTS "Scope <name> already
 *   exists!" (not 409); a missing scope is 404 RESOURCE_DOES_NOT_EXIST
 *   "Scope <name> does not exist!" (both wordings quoted from real
 *   responses);
 * - scope names are unique and looked up case-insensitively, and keep the
 *   spelling they were created with;
 * - lists omit an empty array entirely ({} rather than {"scopes": []}),
 *   like the real service; items keep insertion order;
 * - secrets/get returns the stored bytes as base64 whichever way they were
 *   written; string_value is stored as its UTF-8 bytes;
 * - the creator of a scope (the caller's userName), or the group "users"
 *   when initial_manage_principal is "users", gets a MANAGE ACL.
 *
 * Azure Key Vault-backed scopes exist only on an Azure workspace (--cloud
 * azure): create takes scope_backend_type AZURE_KEYVAULT with
 * backend_azure_keyvault {resource_id, dns_name} (both required), and
 * scopes/list shows backend_type AZURE_KEYVAULT with keyvault_metadata
 * {resource_id, dns_name}. Their secrets live in the vault, which the
 * emulator does not reach: secrets/list shows none, and secrets/put and
 * secrets/delete are 400 BAD_REQUEST "Cannot write secrets to Azure
 * KeyVault-backed scope" (the wording databricks-labs tools match on).
 * ACLs work as on any scope. On AWS and GCP such a create is 400
 * INVALID_PARAMETER_VALUE naming the cloud (the real non-Azure wording
 * could not be found). The real service also insists on an Entra ID user
 * token for a Key Vault create ("Scope with Azure KeyVault must have
 * userAADToken defined!"); the emulator does not tell tokens apart and
 * takes any. Callers are workspace admins: ACLs are stored and listed but not
 * enforced. Besides the documented limits (1000 scopes, 1000 secrets per
 * scope, 128 KB per value) all values together are capped at
 * SECRETS_MAX_TOTAL_BYTES so a long-running emulator cannot be made to eat
 * the machine's memory.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define SECRETS_MAX_NAME	128
#define SECRETS_MAX_SCOPES	1000
#define SECRETS_MAX_PER_SCOPE	1000
#define SECRETS_MAX_VALUE	(128 * 1024)
#define SECRETS_MAX_TOTAL_BYTES ((size_t)256 * 1024 * 1024)
/* resource_id and dns_name of a Key Vault (an Azure resource id is far
 * shorter). */
#define SECRETS_MAX_KV_TEXT 4096

struct secret {
	char *key;
	unsigned char *value;
	size_t len;
	int64_t updated_ms;
};

struct acl {
	char *principal;
	const char *permission; /* one of permissions[] */
};

struct scope {
	char *name;
	/* Key Vault-backed scopes only (Azure); NULL for Databricks ones. */
	char *kv_resource_id;
	char *kv_dns_name;
	struct secret *secrets;
	size_t nsecrets;
	struct acl *acls;
	size_t nacls;
};

struct secrets_state {
	struct scope **scopes; /* insertion order */
	size_t nscopes;
	size_t value_bytes; /* sum of all secret lengths */
};

static const char *const permissions[] = {"READ", "WRITE", "MANAGE"};

/* --- state ---------------------------------------------------------------- */

static void *secrets_state_new(void)
{
	return emu_xcalloc(1, sizeof(struct secrets_state));
}

static void scope_free(struct scope *sc)
{
	size_t i;

	for (i = 0; i < sc->nsecrets; i++) {
		free(sc->secrets[i].key);
		free(sc->secrets[i].value);
	}
	free(sc->secrets);
	for (i = 0; i < sc->nacls; i++)
		free(sc->acls[i].principal);
	free(sc->acls);
	free(sc->name);
	free(sc->kv_resource_id);
	free(sc->kv_dns_name);
	free(sc);
}

static void secrets_state_free(void *p)
{
	struct secrets_state *st = p;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nscopes; i++)
		scope_free(st->scopes[i]);
	free(st->scopes);
	free(st);
}

static size_t scope_index(const struct secrets_state *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->nscopes; i++)
		if (emu_strcaseeq(st->scopes[i]->name, name))
			return i;
	return SIZE_MAX;
}

static struct scope *scope_find(const struct secrets_state *st,
				const char *name)
{
	size_t i = scope_index(st, name);

	return i == SIZE_MAX ? NULL : st->scopes[i];
}

static struct scope *scope_add(struct secrets_state *st, const char *name)
{
	struct scope *sc = emu_xcalloc(1, sizeof(*sc));

	sc->name = emu_xstrdup(name);
	st->scopes = emu_xrealloc(st->scopes,
				  (st->nscopes + 1) * sizeof(*st->scopes));
	st->scopes[st->nscopes++] = sc;
	return sc;
}

static struct secret *secret_find(const struct scope *sc, const char *key)
{
	size_t i;

	for (i = 0; i < sc->nsecrets; i++)
		if (strcmp(sc->secrets[i].key, key) == 0)
			return &sc->secrets[i];
	return NULL;
}

static struct acl *acl_find(const struct scope *sc, const char *principal)
{
	size_t i;

	for (i = 0; i < sc->nacls; i++)
		if (strcmp(sc->acls[i].principal, principal) == 0)
			return &sc->acls[i];
	return NULL;
}

/* Creates or overwrites the ACL of principal, keeping its position. */
static void acl_set(struct scope *sc, const char *principal,
		    const char *permission)
{
	struct acl *a = acl_find(sc, principal);

	if (!a) {
		sc->acls = emu_xrealloc(sc->acls,
					(sc->nacls + 1) * sizeof(*sc->acls));
		a = &sc->acls[sc->nacls++];
		a->principal = emu_xstrdup(principal);
	}
	a->permission = permission;
}

/* --- validation ----------------------------------------------------------- */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/*
 * Scope names: 1-128 of letters, digits, '-', '_', '.', '@' (current docs)
 * and '/' (accepted by the API: terraform-provider-databricks#888).
 */
static bool scope_name_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > SECRETS_MAX_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(name[i]) && !strchr("-_.@/", name[i]))
			return false;
	return true;
}

/* Secret keys: 1-128 of letters, digits, '-', '_', '.'. */
static bool key_valid(const char *key)
{
	size_t n = strlen(key), i;

	if (n == 0 || n > SECRETS_MAX_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(key[i]) && !strchr("-_.", key[i]))
			return false;
	return true;
}

static const char *permission_lookup(const char *p)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(permissions); i++)
		if (strcmp(p, permissions[i]) == 0)
			return permissions[i];
	return NULL;
}

static int scope_name_error(struct emu_response *resp, const char *name)
{
	return emu_error_invalid(
		resp,
		"Invalid scope name '%s': scope names must consist of "
		"alphanumeric characters, dashes, underscores, '@', periods "
		"and slashes, and may not exceed 128 characters.",
		name);
}

static int key_error(struct emu_response *resp, const char *key)
{
	return emu_error_invalid(
		resp,
		"Invalid secret key '%s': keys must consist of alphanumeric "
		"characters, dashes, underscores and periods, and may not "
		"exceed 128 characters.",
		key);
}

static int scope_missing(struct emu_response *resp, const char *name)
{
	return emu_error_not_found(resp, "Scope %s does not exist!", name);
}

/*
 * Reads the required "scope" argument and finds it. Returns NULL after
 * writing the error (missing argument, or 404 for an unknown scope).
 */
static struct scope *scope_arg(struct emu_request *req,
			       struct emu_response *resp)
{
	const char *name;
	struct scope *sc;

	if (emu_arg_string(&name, req, resp, "scope", EMU_ARG_REQUIRED) < 0)
		return NULL;
	sc = scope_find(req->state, name);
	if (!sc)
		scope_missing(resp, name);
	return sc;
}

/* --- scopes --------------------------------------------------------------- */

/* A required, non-empty, bounded string member of backend_azure_keyvault. */
static int keyvault_str(const char **out, const cJSON *keyvault,
			const char *name, struct emu_response *resp)
{
	const char *v = emu_json_str(keyvault, name);
	char path[64];

	snprintf(path, sizeof(path), "backend_azure_keyvault.%s", name);
	if (!v || !*v)
		return emu_error_missing_field(resp, path);
	if (strlen(v) > SECRETS_MAX_KV_TEXT)
		return emu_error_invalid(resp, "%s is too long.", path);
	*out = v;
	return 0;
}

/* The 400 a write into a Key Vault-backed scope gets. */
static int keyvault_read_only(struct emu_response *resp)
{
	return emu_error(resp, 400, "BAD_REQUEST",
			 "Cannot write secrets to Azure KeyVault-backed "
			 "scope");
}

static void scopes_create(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	const char *name, *manage, *backend;
	const char *kv_id = NULL, *kv_dns = NULL;
	const cJSON *keyvault;
	struct scope *sc;
	bool kv;

	if (emu_arg_string(&name, req, resp, "scope", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&manage, req, resp, "initial_manage_principal",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&backend, req, resp, "scope_backend_type",
			   EMU_ARG_OPTIONAL) < 0)
		return;
	keyvault = emu_arg_json(req, "backend_azure_keyvault");
	if (keyvault && !cJSON_IsObject(keyvault)) {
		emu_error_field_type(resp, "backend_azure_keyvault",
				     "an object", emu_json_type_name(keyvault));
		return;
	}

	if (!scope_name_valid(name)) {
		scope_name_error(resp, name);
		return;
	}
	if (backend && strcmp(backend, "AZURE_KEYVAULT") == 0 &&
	    emu_workspace_cloud(req->ws) != EMU_CLOUD_AZURE) {
		/* Key Vault-backed scopes exist on Azure Databricks only. */
		emu_error_invalid(resp,
				  "Azure Key Vault-backed secret scopes are "
				  "only supported on Azure Databricks; this "
				  "workspace is on %s. Use scope_backend_type "
				  "DATABRICKS.",
				  emu_workspace_cloud(req->ws) == EMU_CLOUD_GCP
					  ? "GCP"
					  : "AWS");
		return;
	}
	if (backend && strcmp(backend, "DATABRICKS") != 0 &&
	    strcmp(backend, "AZURE_KEYVAULT") != 0) {
		emu_error_invalid(resp,
				  "Invalid scope_backend_type '%s': expected "
				  "DATABRICKS or AZURE_KEYVAULT.",
				  backend);
		return;
	}
	kv = backend && strcmp(backend, "AZURE_KEYVAULT") == 0;
	if (keyvault && !kv) {
		emu_error_invalid(resp,
				  "backend_azure_keyvault can only be given "
				  "with scope_backend_type AZURE_KEYVAULT.");
		return;
	}
	if (kv && (keyvault_str(&kv_id, keyvault, "resource_id", resp) < 0 ||
		   keyvault_str(&kv_dns, keyvault, "dns_name", resp) < 0))
		return;
	/* Go clients omit an empty string, so "" means "not given". */
	if (manage && *manage && strcmp(manage, "users") != 0) {
		emu_error_invalid(resp,
				  "Invalid initial_manage_principal '%s': the "
				  "only supported principal is 'users'.",
				  manage);
		return;
	}
	if (scope_find(st, name)) {
		/* 400, not 409: what the real service answers. */
		emu_error(resp, 400, "RESOURCE_ALREADY_EXISTS",
			  "Scope %s already exists!", name);
		return;
	}
	if (st->nscopes >= SECRETS_MAX_SCOPES) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "Cannot create scope %s: the workspace already has "
			  "the maximum of %d secret scopes.",
			  name, SECRETS_MAX_SCOPES);
		return;
	}

	sc = scope_add(st, name);
	if (kv) {
		sc->kv_resource_id = emu_xstrdup(kv_id);
		sc->kv_dns_name = emu_xstrdup(kv_dns);
	}
	acl_set(sc, manage && *manage ? manage : req->principal, "MANAGE");
}

/* backend_type, and keyvault_metadata for a Key Vault-backed scope. */
static void scope_backend_json(cJSON *item, const struct scope *sc)
{
	cJSON *kv;

	if (!sc->kv_resource_id) {
		cJSON_AddStringToObject(item, "backend_type", "DATABRICKS");
		return;
	}
	cJSON_AddStringToObject(item, "backend_type", "AZURE_KEYVAULT");
	kv = cJSON_AddObjectToObject(item, "keyvault_metadata");
	cJSON_AddStringToObject(kv, "resource_id", sc->kv_resource_id);
	cJSON_AddStringToObject(kv, "dns_name", sc->kv_dns_name);
}

static void scopes_list(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	cJSON *body = cJSON_CreateObject(), *scopes;
	size_t i;

	if (st->nscopes > 0) {
		scopes = cJSON_AddArrayToObject(body, "scopes");
		for (i = 0; i < st->nscopes; i++) {
			cJSON *item = cJSON_CreateObject();

			cJSON_AddStringToObject(item, "name",
						st->scopes[i]->name);
			scope_backend_json(item, st->scopes[i]);
			cJSON_AddItemToArray(scopes, item);
		}
	}
	emu_response_json(resp, 200, body);
}

static void scopes_delete(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	const char *name;
	size_t i, k;

	if (emu_arg_string(&name, req, resp, "scope", EMU_ARG_REQUIRED) < 0)
		return;
	i = scope_index(st, name);
	if (i == SIZE_MAX) {
		scope_missing(resp, name);
		return;
	}
	/* Deleting a scope deletes its secrets and ACLs with it. */
	for (k = 0; k < st->scopes[i]->nsecrets; k++)
		st->value_bytes -= st->scopes[i]->secrets[k].len;
	scope_free(st->scopes[i]);
	memmove(&st->scopes[i], &st->scopes[i + 1],
		(st->nscopes - i - 1) * sizeof(*st->scopes));
	st->nscopes--;
}

/* --- secrets -------------------------------------------------------------- */

static void secrets_put(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	const char *scope_name, *key, *string_value, *bytes_value;
	unsigned char *value = NULL;
	size_t len = 0;
	struct scope *sc;
	struct secret *s;

	if (emu_arg_string(&scope_name, req, resp, "scope", EMU_ARG_REQUIRED) <
		    0 ||
	    emu_arg_string(&key, req, resp, "key", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&string_value, req, resp, "string_value",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&bytes_value, req, resp, "bytes_value",
			   EMU_ARG_OPTIONAL) < 0)
		return;
	if (!key_valid(key)) {
		key_error(resp, key);
		return;
	}
	if (!string_value == !bytes_value) {
		emu_error_invalid(resp, "Exactly one of string_value or "
					"bytes_value must be specified.");
		return;
	}
	if (string_value) {
		len = strlen(string_value);
	} else if (emu_base64_decode(&value, &len, bytes_value,
				     strlen(bytes_value)) < 0) {
		emu_error_invalid(resp,
				  "Invalid value for field "
				  "'bytes_value': expected base64-encoded "
				  "bytes.");
		return;
	}
	if (len > SECRETS_MAX_VALUE) {
		emu_error_invalid(resp,
				  "Secret value of %zu bytes exceeds the "
				  "maximum allowed size of 128 KB (%d bytes).",
				  len, SECRETS_MAX_VALUE);
		goto done;
	}
	sc = scope_find(st, scope_name);
	if (!sc) {
		scope_missing(resp, scope_name);
		goto done;
	}
	if (sc->kv_resource_id) {
		keyvault_read_only(resp);
		goto done;
	}
	s = secret_find(sc, key);
	if (!s && sc->nsecrets >= SECRETS_MAX_PER_SCOPE) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "Cannot put secret %s: scope %s already has the "
			  "maximum of %d secrets.",
			  key, sc->name, SECRETS_MAX_PER_SCOPE);
		goto done;
	}
	if (st->value_bytes - (s ? s->len : 0) + len >
	    SECRETS_MAX_TOTAL_BYTES) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "Cannot put secret %s: the emulator's storage for "
			  "secret values (256 MiB in total) is full.",
			  key);
		goto done;
	}

	if (!value)
		value = (unsigned char *)emu_xmemdup0(string_value, len);
	if (!s) {
		sc->secrets = emu_xrealloc(sc->secrets,
					   (sc->nsecrets + 1) * sizeof(*s));
		s = &sc->secrets[sc->nsecrets++];
		s->key = emu_xstrdup(key);
		s->value = NULL;
		s->len = 0;
	}
	/* Overwriting keeps the secret's place and moves its timestamp. */
	st->value_bytes = st->value_bytes - s->len + len;
	free(s->value);
	s->value = value;
	s->len = len;
	s->updated_ms = emu_workspace_now_ms(req->ws);
	value = NULL;

done:
	free(value);
}

static void secrets_list(struct emu_request *req, struct emu_response *resp)
{
	struct scope *sc = scope_arg(req, resp);
	cJSON *body, *secrets;
	size_t i;

	if (!sc)
		return;
	body = cJSON_CreateObject();
	if (sc->nsecrets > 0) {
		secrets = cJSON_AddArrayToObject(body, "secrets");
		for (i = 0; i < sc->nsecrets; i++) {
			cJSON *item = cJSON_CreateObject();

			cJSON_AddStringToObject(item, "key",
						sc->secrets[i].key);
			emu_json_add_int64(item, "last_updated_timestamp",
					   sc->secrets[i].updated_ms);
			cJSON_AddItemToArray(secrets, item);
		}
	}
	emu_response_json(resp, 200, body);
}

static int secret_missing(struct emu_response *resp, const char *scope,
			  const char *key)
{
	return emu_error_not_found(resp,
				   "Secret does not exist with scope: %s and "
				   "key: %s",
				   scope, key);
}

/*
 * The secret named by the request's scope and key arguments; NULL after
 * writing the error (bad argument, missing scope or secret) to resp.
 */
static struct secret *secret_arg(struct scope **sc_out, struct emu_request *req,
				 struct emu_response *resp)
{
	struct scope *sc = scope_arg(req, resp);
	struct secret *s;
	const char *key;

	if (!sc || emu_arg_string(&key, req, resp, "key", EMU_ARG_REQUIRED) < 0)
		return NULL;
	s = secret_find(sc, key);
	if (!s) {
		secret_missing(resp, sc->name, key);
		return NULL;
	}
	*sc_out = sc;
	return s;
}

static void secrets_delete(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	struct scope *sc;
	struct secret *s;
	size_t i;

	sc = scope_arg(req, resp);
	if (!sc)
		return;
	if (sc->kv_resource_id) {
		keyvault_read_only(resp);
		return;
	}
	s = secret_arg(&sc, req, resp);
	if (!s)
		return;
	i = (size_t)(s - sc->secrets);
	st->value_bytes -= s->len;
	free(s->key);
	free(s->value);
	memmove(&sc->secrets[i], &sc->secrets[i + 1],
		(sc->nsecrets - i - 1) * sizeof(*sc->secrets));
	sc->nsecrets--;
}

static void secrets_get(struct emu_request *req, struct emu_response *resp)
{
	struct scope *sc;
	struct secret *s;
	cJSON *body;
	char *b64;

	s = secret_arg(&sc, req, resp);
	if (!s)
		return;
	body = cJSON_CreateObject();
	b64 = emu_base64_encode(s->value, s->len);
	cJSON_AddStringToObject(body, "key", s->key);
	cJSON_AddStringToObject(body, "value", b64);
	free(b64);
	emu_response_json(resp, 200, body);
}

/* --- ACLs ----------------------------------------------------------------- */

static int acl_missing(struct emu_response *resp, const char *scope,
		       const char *principal)
{
	return emu_error_not_found(resp,
				   "ACL for principal %s on scope %s does not "
				   "exist!",
				   principal, scope);
}

static void acls_put(struct emu_request *req, struct emu_response *resp)
{
	const char *scope_name, *principal, *permission, *canonical;
	struct scope *sc;

	if (emu_arg_string(&scope_name, req, resp, "scope", EMU_ARG_REQUIRED) <
		    0 ||
	    emu_arg_string(&principal, req, resp, "principal",
			   EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&permission, req, resp, "permission",
			   EMU_ARG_REQUIRED) < 0)
		return;
	canonical = permission_lookup(permission);
	if (!canonical) {
		emu_error_invalid(resp,
				  "Invalid permission '%s': expected READ, "
				  "WRITE or MANAGE.",
				  permission);
		return;
	}
	if (*principal == '\0') {
		emu_error_invalid(resp, "Invalid principal: it must not be "
					"empty.");
		return;
	}
	sc = scope_find(req->state, scope_name);
	if (!sc) {
		scope_missing(resp, scope_name);
		return;
	}
	acl_set(sc, principal, canonical);
}

static cJSON *acl_json(const struct acl *a)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "principal", a->principal);
	cJSON_AddStringToObject(item, "permission", a->permission);
	return item;
}

static void acls_get(struct emu_request *req, struct emu_response *resp)
{
	struct scope *sc;
	const char *principal;
	struct acl *a;

	sc = scope_arg(req, resp);
	if (!sc || emu_arg_string(&principal, req, resp, "principal",
				  EMU_ARG_REQUIRED) < 0)
		return;
	a = acl_find(sc, principal);
	if (!a) {
		acl_missing(resp, sc->name, principal);
		return;
	}
	emu_response_json(resp, 200, acl_json(a));
}

static void acls_list(struct emu_request *req, struct emu_response *resp)
{
	struct scope *sc = scope_arg(req, resp);
	cJSON *body, *items;
	size_t i;

	if (!sc)
		return;
	body = cJSON_CreateObject();
	/* The wire field is "items", whatever older docs say ("acls"). */
	if (sc->nacls > 0) {
		items = cJSON_AddArrayToObject(body, "items");
		for (i = 0; i < sc->nacls; i++)
			cJSON_AddItemToArray(items, acl_json(&sc->acls[i]));
	}
	emu_response_json(resp, 200, body);
}

static void acls_delete(struct emu_request *req, struct emu_response *resp)
{
	struct scope *sc;
	const char *principal;
	struct acl *a;
	size_t i;

	sc = scope_arg(req, resp);
	if (!sc || emu_arg_string(&principal, req, resp, "principal",
				  EMU_ARG_REQUIRED) < 0)
		return;
	a = acl_find(sc, principal);
	if (!a) {
		acl_missing(resp, sc->name, principal);
		return;
	}
	i = (size_t)(a - sc->acls);
	free(a->principal);
	memmove(&sc->acls[i], &sc->acls[i + 1],
		(sc->nacls - i - 1) * sizeof(*sc->acls));
	sc->nacls--;
}

/* --- persistence ---------------------------------------------------------- */

static cJSON *secrets_state_save(const void *p)
{
	const struct secrets_state *st = p;
	cJSON *root = cJSON_CreateObject();
	cJSON *scopes = cJSON_AddArrayToObject(root, "scopes");
	size_t i, k;

	for (i = 0; i < st->nscopes; i++) {
		const struct scope *sc = st->scopes[i];
		cJSON *item = cJSON_CreateObject();
		cJSON *secrets = NULL, *acls = NULL;

		cJSON_AddStringToObject(item, "name", sc->name);
		scope_backend_json(item, sc);
		secrets = cJSON_AddArrayToObject(item, "secrets");
		for (k = 0; k < sc->nsecrets; k++) {
			const struct secret *s = &sc->secrets[k];
			cJSON *sj = cJSON_CreateObject();
			char *b64 = emu_base64_encode(s->value, s->len);

			cJSON_AddStringToObject(sj, "key", s->key);
			cJSON_AddStringToObject(sj, "value", b64);
			emu_json_add_int64(sj, "last_updated_timestamp",
					   s->updated_ms);
			free(b64);
			cJSON_AddItemToArray(secrets, sj);
		}
		acls = cJSON_AddArrayToObject(item, "acls");
		for (k = 0; k < sc->nacls; k++)
			cJSON_AddItemToArray(acls, acl_json(&sc->acls[k]));
		cJSON_AddItemToArray(scopes, item);
	}
	return root;
}

static int load_secret(struct secrets_state *st, struct scope *sc,
		       const cJSON *sj, char *err, size_t errlen)
{
	const char *key = emu_json_str(sj, "key");
	const char *b64 = emu_json_str(sj, "value");
	int64_t ts;
	struct secret *s;
	unsigned char *value;
	size_t len;

	if (!key || !key_valid(key) || secret_find(sc, key) || !b64 ||
	    emu_json_get_int64(&ts, cJSON_GetObjectItemCaseSensitive(
					    sj, "last_updated_timestamp")) <
		    0 ||
	    sc->nsecrets >= SECRETS_MAX_PER_SCOPE) {
		snprintf(err, errlen, "scope %s: bad or duplicate secret",
			 sc->name);
		return -1;
	}
	if (emu_base64_decode(&value, &len, b64, strlen(b64)) < 0 ||
	    len > SECRETS_MAX_VALUE ||
	    st->value_bytes + len > SECRETS_MAX_TOTAL_BYTES) {
		free(value);
		snprintf(err, errlen, "scope %s: secret %s has a bad value",
			 sc->name, key);
		return -1;
	}
	sc->secrets =
		emu_xrealloc(sc->secrets, (sc->nsecrets + 1) * sizeof(*s));
	s = &sc->secrets[sc->nsecrets++];
	s->key = emu_xstrdup(key);
	s->value = value;
	s->len = len;
	s->updated_ms = ts;
	st->value_bytes += len;
	return 0;
}

static int secrets_state_load(void *p, const cJSON *json, char *err,
			      size_t errlen)
{
	struct secrets_state *st = p;
	const cJSON *scopes = cJSON_GetObjectItemCaseSensitive(json, "scopes");
	const cJSON *item, *child;

	if (!cJSON_IsArray(scopes)) {
		snprintf(err, errlen, "\"scopes\" must be an array");
		return -1;
	}
	cJSON_ArrayForEach(item, scopes)
	{
		const char *name = emu_json_str(item, "name");
		const cJSON *secrets, *acls, *kvm;
		struct scope *sc;

		if (!name || !scope_name_valid(name) || scope_find(st, name) ||
		    st->nscopes >= SECRETS_MAX_SCOPES) {
			snprintf(err, errlen, "bad or duplicate scope name");
			return -1;
		}
		sc = scope_add(st, name);
		kvm = cJSON_GetObjectItemCaseSensitive(item,
						       "keyvault_metadata");
		if (kvm) {
			const char *id = emu_json_str(kvm, "resource_id");
			const char *dns = emu_json_str(kvm, "dns_name");

			if (!id || !*id || !dns || !*dns) {
				snprintf(err, errlen,
					 "scope %s: bad keyvault_metadata",
					 name);
				return -1;
			}
			sc->kv_resource_id = emu_xstrdup(id);
			sc->kv_dns_name = emu_xstrdup(dns);
		}
		secrets = cJSON_GetObjectItemCaseSensitive(item, "secrets");
		acls = cJSON_GetObjectItemCaseSensitive(item, "acls");
		if ((secrets && !cJSON_IsArray(secrets)) ||
		    (acls && !cJSON_IsArray(acls))) {
			snprintf(err, errlen,
				 "scope %s: secrets and acls must be arrays",
				 name);
			return -1;
		}
		cJSON_ArrayForEach(child, secrets)
		{
			if (load_secret(st, sc, child, err, errlen) < 0)
				return -1;
		}
		cJSON_ArrayForEach(child, acls)
		{
			const char *principal =
				emu_json_str(child, "principal");
			const char *perm = emu_json_str(child, "permission");

			if (!principal || !*principal || !perm ||
			    !permission_lookup(perm)) {
				snprintf(err, errlen, "scope %s: bad ACL",
					 name);
				return -1;
			}
			acl_set(sc, principal, permission_lookup(perm));
		}
	}
	return 0;
}

/* --- descriptor ----------------------------------------------------------- */

static const struct emu_route secrets_routes[] = {
	{.method = "POST",
	 .pattern = "/api/2.0/secrets/scopes/create",
	 .handler = scopes_create},
	{.method = "GET",
	 .pattern = "/api/2.0/secrets/scopes/list",
	 .handler = scopes_list},
	{.method = "POST",
	 .pattern = "/api/2.0/secrets/scopes/delete",
	 .handler = scopes_delete},
	{.method = "POST",
	 .pattern = "/api/2.0/secrets/put",
	 .handler = secrets_put},
	{.method = "GET",
	 .pattern = "/api/2.0/secrets/list",
	 .handler = secrets_list},
	{.method = "POST",
	 .pattern = "/api/2.0/secrets/delete",
	 .handler = secrets_delete},
	{.method = "GET",
	 .pattern = "/api/2.0/secrets/get",
	 .handler = secrets_get},
	{.method = "POST",
	 .pattern = "/api/2.0/secrets/acls/put",
	 .handler = acls_put},
	{.method = "GET",
	 .pattern = "/api/2.0/secrets/acls/get",
	 .handler = acls_get},
	{.method = "GET",
	 .pattern = "/api/2.0/secrets/acls/list",
	 .handler = acls_list},
	{.method = "POST",
	 .pattern = "/api/2.0/secrets/acls/delete",
	 .handler = acls_delete},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_secrets = {
	.name = "secrets",
	.routes = secrets_routes,
	.state_new = secrets_state_new,
	.state_free = secrets_state_free,
	.state_save = secrets_state_save,
	.state_load = secrets_state_load,
};
