/*
 * Unity Catalog storage credentials and external locations. A credential
 * holds one cloud identity, and a location's URL must be of that cloud
 * (uc_url_cloud): s3:// for an IAM role, abfss:// for an Azure identity,
 * gs:// for a GCP account, r2:// for a Cloudflare token.
 *
 *   POST   /api/2.1/unity-catalog/storage-credentials         -> info
 *   GET    /api/2.1/unity-catalog/storage-credentials         ->
 * {storage_credentials} GET /api/2.1/unity-catalog/storage-credentials/{name}
 * -> info PATCH  /api/2.1/unity-catalog/storage-credentials/{name}  -> info
 *   DELETE /api/2.1/unity-catalog/storage-credentials/{name}  ?force=
 *   POST   /api/2.1/unity-catalog/external-locations          -> info
 *   GET    /api/2.1/unity-catalog/external-locations          ->
 * {external_locations} GET    /api/2.1/unity-catalog/external-locations/{name}
 * -> info PATCH  /api/2.1/unity-catalog/external-locations/{name}   -> info
 *   DELETE /api/2.1/unity-catalog/external-locations/{name}   ?force=
 *
 * Rules, as on the real service:
 * - names are case-insensitive and stored lower-case; duplicates are 409
 *   *_ALREADY_EXISTS, missing objects 404 *_DOES_NOT_EXIST;
 * - aws_iam_role.role_arn must look like arn:aws:iam::<12 digits>:role/<name>;
 *   the server fills unity_catalog_iam_arn and external_id (and the
 *   identities' own fields, see identities[]); secrets are never returned;
 * - file_event_queue holds exactly one kind of queue; managed ones get
 *   what Databricks would make (see queue_arg);
 * - an external location's credential must exist, and its url must not
 *   overlap another location's (equal, or one under the other at a '/'
 *   boundary): 400 INVALID_PARAMETER_VALUE naming the other location;
 * - a credential used by an external location, or a location under which
 *   a catalog or schema keeps its storage_root, is only deleted with
 *   force=true (the dependants are left as they are, naming a credential
 *   or location that no longer exists);
 * - renaming a credential renames it in the locations that use it (the
 *   real service links them by id).
 *
 * Clouds (--cloud, uc_internal.h): a strict workspace refuses a url of
 * another cloud's scheme (uc_check_scheme: "url has invalid URI scheme
 * abfss. Valid URI schemes include s3, r2") and another cloud's identity
 * ("azure_managed_identity can only be specified for storage credentials
 * in AWS workspaces": modelled, the real wording was not found).
 * cloudflare_api_token and r2:// are taken on every cloud.
 *
 * skip_validation is accepted and has no effect: the emulator never
 * reaches S3 or IAM, so every credential "validates".
 */
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

/* The IAM role Databricks uses to assume customer roles (emulated). */
#define UC_MASTER_ROLE                                                         \
	"arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-EMU"

static bool role_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("+=,.@_-/", c) != NULL;
}

/* arn:aws:iam::<12 digits>:role/[<path>/]<name>, names as IAM allows. */
static bool role_arn_valid(const char *arn)
{
	static const char prefix[] = "arn:aws:iam::";
	const char *p = arn, *name;
	size_t i;

	if (strncmp(p, prefix, sizeof(prefix) - 1) != 0)
		return false;
	p += sizeof(prefix) - 1;
	for (i = 0; i < 12; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	p += 12;
	if (strncmp(p, ":role/", 6) != 0)
		return false;
	p += 6;
	if (*p == '\0' || *p == '/' || strlen(p) > 512)
		return false;
	for (i = 0; p[i]; i++)
		if (!role_char(p[i]))
			return false;
	name = strrchr(p, '/');
	name = name ? name + 1 : p;
	return *name != '\0' && strlen(name) <= 64;
}

static int isolation_arg(const char **out, struct emu_request *req,
			 struct emu_response *resp)
{
	if (emu_arg_string(out, req, resp, "isolation_mode", EMU_ARG_OPTIONAL) <
	    0)
		return -1;
	if (*out && (*out)[0] && strcmp(*out, "ISOLATION_MODE_OPEN") != 0 &&
	    strcmp(*out, "ISOLATION_MODE_ISOLATED") != 0)
		return emu_error_invalid(
			resp,
			"Invalid isolation_mode '%s': expected "
			"ISOLATION_MODE_OPEN or "
			"ISOLATION_MODE_ISOLATED.",
			*out);
	return 0;
}

static int quota(struct emu_response *resp, const char *what, int max)
{
	return emu_error(resp, 400, "QUOTA_EXCEEDED",
			 "Cannot create %s: the metastore already has the "
			 "emulator's maximum of %d.",
			 what, max);
}

/* The common PATCH fields: new_name (validated, lower-cased into *lower),
 * owner, comment, read_only. */
struct common_update {
	char *lower;
	const char *owner, *comment, *isolation;
	bool read_only, has_read_only;
};

static int common_args(struct common_update *u, const struct uc_list *l,
		       const struct uc_object *self, const char *rpc,
		       const char *exists_code, const char *kind,
		       struct emu_request *req, struct emu_response *resp)
{
	const char *new_name;

	if (emu_arg_string(&new_name, req, resp, "new_name", EMU_ARG_OPTIONAL) <
		    0 ||
	    uc_arg_text(&u->owner, req, resp, "owner") < 0 ||
	    uc_arg_text(&u->comment, req, resp, "comment") < 0 ||
	    emu_arg_bool(&u->read_only, &u->has_read_only, req, resp,
			 "read_only", EMU_ARG_OPTIONAL) < 0 ||
	    isolation_arg(&u->isolation, req, resp) < 0)
		return -1;
	return uc_rename_check(&u->lower, new_name, l, self, rpc, exists_code,
			       kind, NULL, resp);
}

static void common_apply(cJSON *info, const struct common_update *u)
{
	if (u->owner && *u->owner)
		uc_set_str(info, "owner", u->owner);
	if (u->comment)
		uc_set_str(info, "comment", u->comment);
	if (u->has_read_only)
		uc_set_bool(info, "read_only", u->read_only);
	if (u->isolation && *u->isolation)
		uc_set_str(info, "isolation_mode", u->isolation);
}

/* --- storage credentials -------------------------------------------------- */

/*
 * The cloud identities a credential may hold, exactly one of them. Secrets
 * (client_secret, private_key, secret_access_key) are taken and never
 * returned; the service fills the identity's own fields (an IAM role's
 * external_id, a managed identity's credential_id, the Databricks-managed
 * GCP service account's email).
 */
struct identity_kind {
	const char *field, *cloud;
	const char *required[3]; /* NULL-terminated */
	const char *secret;	 /* NULL: none */
	const char *optional;	 /* NULL: none */
};

static const struct identity_kind identities[] = {
	{"aws_iam_role", UC_CLOUD_AWS, {"role_arn", NULL}, NULL, NULL},
	{"azure_managed_identity",
	 UC_CLOUD_AZURE,
	 {"access_connector_id", NULL},
	 NULL,
	 "managed_identity_id"},
	{"azure_service_principal",
	 UC_CLOUD_AZURE,
	 {"directory_id", "application_id", NULL},
	 "client_secret",
	 NULL},
	{"databricks_gcp_service_account", UC_CLOUD_GCP, {NULL}, NULL, NULL},
	{"gcp_service_account_key",
	 UC_CLOUD_GCP,
	 {"email", "private_key_id", NULL},
	 "private_key",
	 NULL},
	{"cloudflare_api_token",
	 UC_CLOUD_CLOUDFLARE,
	 {"account_id", "access_key_id", NULL},
	 "secret_access_key",
	 NULL},
};

/* The cloud whose storage cred reaches (by the identity it holds). */
static const char *credential_cloud(const struct uc_object *cred)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(identities); i++)
		if (cJSON_GetObjectItemCaseSensitive(cred->info,
						     identities[i].field))
			return identities[i].cloud;
	return UC_CLOUD_AWS;
}

/* A required or optional string member of an identity, bounded. */
static int identity_str(const char **out, const cJSON *obj, const char *kind,
			const char *name, bool required,
			struct emu_response *resp)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, name);
	char path[128];

	snprintf(path, sizeof(path), "%s.%s", kind, name);
	*out = NULL;
	if (!f || cJSON_IsNull(f))
		return required ? emu_error_missing_field(resp, path) : 0;
	if (!cJSON_IsString(f))
		return emu_error_field_type(resp, path, "a string",
					    emu_json_type_name(f));
	if (strlen(f->valuestring) > UC_MAX_TEXT)
		return emu_error_invalid(resp, "%s is too long.", path);
	if (required && !*f->valuestring)
		return emu_error_missing_field(resp, path);
	*out = f->valuestring;
	return 0;
}

/*
 * Reads the request's cloud identity: *kind the one given (NULL for none)
 * and *out a new object of what the service keeps of it (no secret; the
 * caller frees it). More than one identity is 400.
 */
static int identity_arg(const struct identity_kind **kind, cJSON **out,
			struct emu_request *req, struct emu_response *resp)
{
	const cJSON *given = NULL;
	const char *v;
	size_t i, k;

	*kind = NULL;
	*out = NULL;
	for (i = 0; i < EMU_ARRAY_SIZE(identities); i++) {
		const cJSON *f = emu_arg_json(req, identities[i].field);

		if (!f || cJSON_IsNull(f))
			continue;
		if (*kind)
			return emu_error_invalid(
				resp,
				"Only one of aws_iam_role, "
				"azure_managed_identity, "
				"azure_service_principal, "
				"databricks_gcp_service_account, "
				"gcp_service_account_key and "
				"cloudflare_api_token may be given; the "
				"request has %s and %s.",
				(*kind)->field, identities[i].field);
		if (!cJSON_IsObject(f))
			return emu_error_field_type(resp, identities[i].field,
						    "an object",
						    emu_json_type_name(f));
		*kind = &identities[i];
		given = f;
	}
	if (!*kind)
		return 0;
	/* A strict workspace (--cloud given) takes only its own cloud's
	 * identities and Cloudflare's. The real wording could not be found;
	 * this one follows the clusters' "... can only be specified for
	 * clusters running in AWS". */
	if (emu_workspace_cloud_strict(req->ws) &&
	    !uc_workspace_reaches(req->ws, (*kind)->cloud))
		return emu_error_invalid(resp,
					 "%s can only be specified for storage "
					 "credentials in %s workspaces",
					 (*kind)->field,
					 uc_cloud_words(req->ws));
	for (k = 0; (*kind)->required[k]; k++)
		if (identity_str(&v, given, (*kind)->field,
				 (*kind)->required[k], true, resp) < 0)
			return -1;
	if ((*kind)->secret &&
	    identity_str(&v, given, (*kind)->field, (*kind)->secret, true,
			 resp) < 0)
		return -1;
	if ((*kind)->optional &&
	    identity_str(&v, given, (*kind)->field, (*kind)->optional, false,
			 resp) < 0)
		return -1;
	v = emu_json_str(given, "role_arn");
	if (strcmp((*kind)->field, "aws_iam_role") == 0 && !role_arn_valid(v))
		return emu_error_invalid(resp,
					 "Invalid role_arn '%s': expected "
					 "arn:aws:iam::<12-digit account "
					 "id>:role/<role name>.",
					 v);
	*out = cJSON_CreateObject();
	for (k = 0; (*kind)->required[k]; k++)
		uc_set_str(*out, (*kind)->required[k],
			   emu_json_str(given, (*kind)->required[k]));
	if ((*kind)->optional)
		uc_set_str(*out, (*kind)->optional,
			   emu_json_str(given, (*kind)->optional));
	return 0;
}

/* The fields the service adds to a new identity of kind in id. */
static void identity_fill(cJSON *id, const struct identity_kind *kind,
			  struct uc_state *st, const char *name)
{
	char *uuid = uc_uuid(st);

	if (strcmp(kind->field, "aws_iam_role") == 0) {
		uc_set_str(id, "unity_catalog_iam_arn", UC_MASTER_ROLE);
		uc_set_str(id, "external_id", uuid);
	} else if (strcmp(kind->field, "azure_managed_identity") == 0) {
		uc_set_str(id, "credential_id", uuid);
	} else if (strcmp(kind->field, "databricks_gcp_service_account") ==
		   0) {
		char *email = emu_printf("db-uc-%.8s-%.16s@uc-emulator.iam."
					 "gserviceaccount.com",
					 uuid, name);

		uc_set_str(id, "credential_id", uuid);
		uc_set_str(id, "email", email);
		free(email);
	}
	free(uuid);
}

/* Replaces every identity of info by kind's id (taken). On an update of
 * the same kind, the fields the service chose stay. */
static void identity_set(cJSON *info, const struct identity_kind *kind,
			 cJSON *id, struct uc_state *st)
{
	cJSON *old = cJSON_GetObjectItemCaseSensitive(info, kind->field);
	static const char *const kept[] = {"unity_catalog_iam_arn",
					   "external_id", "credential_id",
					   "email"};
	size_t i;

	if (cJSON_IsObject(old)) {
		for (i = 0; i < EMU_ARRAY_SIZE(kept); i++)
			if (!cJSON_GetObjectItemCaseSensitive(id, kept[i]))
				uc_set_json(
					id, kept[i],
					cJSON_GetObjectItemCaseSensitive(
						old, kept[i]));
	} else {
		identity_fill(id, kind, st, emu_json_str(info, "name"));
	}
	for (i = 0; i < EMU_ARRAY_SIZE(identities); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(info,
							identities[i].field);
	cJSON_AddItemToObject(info, kind->field, id);
}

int uc_credential_create(struct uc_state *st, struct uc_list *l,
			 const char *metastore_id, bool wrapped,
			 struct emu_request *req, struct emu_response *resp)
{
	const char *name, *comment;
	const struct identity_kind *kind;
	bool read_only = false, skip = false;
	cJSON *info = NULL, *ident = NULL, *reply;
	char *lower = NULL, *id = NULL;
	int error = -1;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    emu_arg_bool(&read_only, NULL, req, resp, "read_only",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&skip, NULL, req, resp, "skip_validation",
			 EMU_ARG_OPTIONAL) < 0 ||
	    identity_arg(&kind, &ident, req, resp) < 0)
		return -1;
	if (!uc_name_valid(name)) {
		cJSON_Delete(ident);
		return uc_name_error(resp, "CreateStorageCredential",
				     "managedcatalog.StorageCredentialInfo.name",
				     name);
	}
	if (!kind)
		return emu_error_invalid(
			resp, "A storage credential needs a cloud identity: "
			      "one of aws_iam_role, azure_managed_identity, "
			      "azure_service_principal, "
			      "databricks_gcp_service_account, "
			      "gcp_service_account_key or "
			      "cloudflare_api_token.");
	lower = uc_lower(name);
	if (uc_list_find(l, lower)) {
		emu_error(resp, 409, "STORAGE_CREDENTIAL_ALREADY_EXISTS",
			  "Storage Credential '%s' already exists", lower);
		goto done;
	}
	if (l->n >= UC_MAX_CREDENTIALS) {
		quota(resp, "storage credential", UC_MAX_CREDENTIALS);
		goto done;
	}

	id = uc_uuid(st);
	info = cJSON_CreateObject();
	cJSON_AddStringToObject(info, "name", lower);
	cJSON_AddStringToObject(info, "id", id);
	cJSON_AddStringToObject(info, "full_name", lower);
	identity_set(info, kind, ident, st);
	ident = NULL;
	uc_set_str(info, "comment", comment);
	cJSON_AddStringToObject(info, "owner",
				req->principal ? req->principal
					       : EMU_DEFAULT_USER_NAME);
	cJSON_AddBoolToObject(info, "read_only", read_only);
	cJSON_AddStringToObject(info, "metastore_id", metastore_id);
	cJSON_AddStringToObject(info, "isolation_mode", "ISOLATION_MODE_OPEN");
	cJSON_AddBoolToObject(info, "used_for_managed_storage", false);
	uc_stamp_created(info, req);
	uc_list_insert(l, uc_object_new(info));
	reply = cJSON_Duplicate(info, 1);
	if (wrapped) {
		cJSON *wrap = cJSON_CreateObject();

		cJSON_AddItemToObject(wrap, "credential_info", reply);
		reply = wrap;
	}
	emu_response_json(resp, 200, reply);
	error = 0;
done:
	cJSON_Delete(ident);
	free(lower);
	free(id);
	return error;
}

void uc_credentials_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;

	uc_credential_create(st, &st->credentials,
			     uc_assigned_metastore(req->ws), false, req, resp);
}

static struct uc_object *credential_arg(struct emu_request *req,
					struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name = emu_request_param(req, "name");
	struct uc_object *cred = uc_list_find(&st->credentials, name);

	if (!cred)
		uc_credential_missing(resp, name);
	return cred;
}

void uc_credentials_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *cred = credential_arg(req, resp);

	if (cred)
		emu_response_json(resp, 200, cJSON_Duplicate(cred->info, 1));
}

void uc_credentials_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;

	uc_list_respond(req, resp, &st->credentials, "storage_credentials");
}

void uc_credentials_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *cred = credential_arg(req, resp);
	struct common_update u = {0};
	const struct identity_kind *kind = NULL;
	cJSON *ident = NULL;
	bool skip = false, force = false;
	size_t i;

	if (!cred ||
	    common_args(&u, &st->credentials, cred, "UpdateStorageCredential",
			"STORAGE_CREDENTIAL_ALREADY_EXISTS",
			"Storage Credential", req, resp) < 0 ||
	    identity_arg(&kind, &ident, req, resp) < 0 ||
	    emu_arg_bool(&skip, NULL, req, resp, "skip_validation",
			 EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_force(&force, req, resp) < 0)
		goto done;

	common_apply(cred->info, &u);
	if (kind) {
		identity_set(cred->info, kind, ident, st);
		ident = NULL;
	}
	if (u.lower) {
		for (i = 0; i < st->locations.n; i++) {
			cJSON *info = st->locations.items[i]->info;
			const char *used =
				emu_json_str(info, "credential_name");

			if (used && emu_strcaseeq(used, uc_name(cred)))
				uc_set_str(info, "credential_name", u.lower);
		}
		uc_set_str(cred->info, "name", u.lower);
		uc_set_str(cred->info, "full_name", u.lower);
		uc_list_resort(&st->credentials);
	}
	uc_respond_updated(cred, req, resp);
done:
	cJSON_Delete(ident);
	free(u.lower);
}

void uc_credentials_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *cred = credential_arg(req, resp);
	const struct uc_object *user = NULL;
	size_t i, users = 0;
	bool force;

	if (!cred || uc_arg_force(&force, req, resp) < 0)
		return;
	for (i = 0; i < st->locations.n; i++) {
		const char *used = emu_json_str(st->locations.items[i]->info,
						"credential_name");

		if (used && emu_strcaseeq(used, uc_name(cred))) {
			user = user ? user : st->locations.items[i];
			users++;
		}
	}
	if (users > 0 && !force) {
		emu_error_invalid(resp,
				  "Storage Credential '%s' cannot be deleted "
				  "because it is used by %zu external "
				  "location(s), such as '%s'. Use force=true "
				  "to delete it anyway.",
				  uc_name(cred), users, uc_name(user));
		return;
	}
	uc_object_free(
		uc_list_take(&st->credentials,
			     uc_list_index(&st->credentials, uc_name(cred))));
}

/* --- external locations --------------------------------------------------- */

/* encryption_details: {sse_encryption_details: {algorithm,
 * aws_kms_key_arn}}, algorithm AWS_SSE_S3 or AWS_SSE_KMS. */
static int encryption_arg(const cJSON **out, struct emu_request *req,
			  struct emu_response *resp)
{
	const cJSON *enc = emu_arg_json(req, "encryption_details"), *sse;
	const char *algorithm;

	*out = enc;
	if (!enc)
		return 0;
	if (!cJSON_IsObject(enc))
		return emu_error_field_type(resp, "encryption_details",
					    "an object",
					    emu_json_type_name(enc));
	sse = cJSON_GetObjectItemCaseSensitive(enc, "sse_encryption_details");
	if (!sse)
		return 0;
	algorithm = emu_json_str(sse, "algorithm");
	if (!cJSON_IsObject(sse) ||
	    (cJSON_GetObjectItemCaseSensitive(sse, "algorithm") &&
	     (!algorithm || (strcmp(algorithm, "AWS_SSE_S3") != 0 &&
			     strcmp(algorithm, "AWS_SSE_KMS") != 0))))
		return emu_error_invalid(resp,
					 "Invalid encryption_details: "
					 "sse_encryption_details.algorithm "
					 "must be AWS_SSE_S3 or AWS_SSE_KMS.");
	return 0;
}

/* How a cloud's storage URLs look, for messages. */
static const char *url_form(const char *cloud)
{
	if (strcmp(cloud, UC_CLOUD_AZURE) == 0)
		return "abfss://<container>@<account>.dfs.core.windows.net/"
		       "<path>";
	if (strcmp(cloud, UC_CLOUD_GCP) == 0)
		return "gs://<bucket>/<path>";
	if (strcmp(cloud, UC_CLOUD_CLOUDFLARE) == 0)
		return "r2://<bucket>@<account id>.r2.cloudflarestorage.com/"
		       "<path>";
	return "s3://<bucket>/<path> with a valid S3 bucket name";
}

/* 400 unless url is a storage URL of the cloud cred reaches. */
static int url_check(struct emu_response *resp, const char *url,
		     const struct uc_object *cred)
{
	const char *cloud = credential_cloud(cred);
	const char *got = uc_url_cloud(url);

	if (got && strcmp(got, cloud) == 0)
		return 0;
	if (!got)
		return emu_error_invalid(resp,
					 "Invalid url '%s': expected %s.", url,
					 url_form(cloud));
	return emu_error_invalid(resp,
				 "Invalid url '%s': storage credential '%s' "
				 "reaches %s storage, whose URLs are %s.",
				 url, uc_name(cred), cloud, url_form(cloud));
}

/*
 * file_event_queue: exactly one of managed_sqs, provided_sqs, managed_aqs,
 * provided_aqs, managed_pubsub, provided_pubsub. A provided queue is named
 * by the caller; a managed one Databricks makes, so it gets a
 * managed_resource_id and, unless given, its queue URL or subscription.
 * *out is a new object (the caller frees it), NULL when absent.
 */
struct queue_kind {
	const char *field;
	const char *required[3]; /* NULL-terminated */
	const char *optional[3]; /* NULL-terminated */
	bool managed;
};

static const struct queue_kind queues[] = {
	{"managed_sqs", {NULL}, {"queue_url", NULL}, true},
	{"provided_sqs", {"queue_url", NULL}, {NULL}, false},
	{"managed_aqs",
	 {"resource_group", "subscription_id", NULL},
	 {"queue_url", NULL},
	 true},
	{"provided_aqs",
	 {"queue_url", NULL},
	 {"resource_group", "subscription_id", NULL},
	 false},
	{"managed_pubsub", {NULL}, {"subscription_name", NULL}, true},
	{"provided_pubsub", {"subscription_name", NULL}, {NULL}, false},
};

static int queue_arg(cJSON **out, bool *cleared, struct uc_state *st,
		     const char *loc_name, struct emu_request *req,
		     struct emu_response *resp)
{
	const cJSON *q = emu_arg_json(req, "file_event_queue"), *given = NULL;
	const struct queue_kind *kind = NULL;
	const char *v;
	cJSON *item;
	char *uuid;
	size_t i, k;

	*out = NULL;
	*cleared = false;
	if (!q || cJSON_IsNull(q))
		return 0;
	if (!cJSON_IsObject(q))
		return emu_error_field_type(resp, "file_event_queue",
					    "an object", emu_json_type_name(q));
	/* An empty message is "no queue" (proto3): an update clears it. */
	if (cJSON_GetArraySize(q) == 0) {
		*cleared = true;
		return 0;
	}
	for (i = 0; i < EMU_ARRAY_SIZE(queues); i++) {
		const cJSON *f =
			cJSON_GetObjectItemCaseSensitive(q, queues[i].field);

		if (!f || cJSON_IsNull(f))
			continue;
		if (kind || !cJSON_IsObject(f))
			return emu_error_invalid(
				resp, "file_event_queue must hold exactly one "
				      "queue object: managed_sqs, "
				      "provided_sqs, managed_aqs, "
				      "provided_aqs, managed_pubsub or "
				      "provided_pubsub.");
		kind = &queues[i];
		given = f;
	}
	if (!kind)
		return emu_error_invalid(
			resp, "file_event_queue must hold exactly one queue "
			      "object: managed_sqs, provided_sqs, "
			      "managed_aqs, provided_aqs, managed_pubsub or "
			      "provided_pubsub.");
	for (k = 0; kind->required[k]; k++)
		if (identity_str(&v, given,
				 kind->field, kind->required[k], true,
				 resp) < 0)
			return -1;
	for (k = 0; kind->optional[k]; k++)
		if (identity_str(&v, given, kind->field, kind->optional[k],
				 false, resp) < 0)
			return -1;

	*out = cJSON_CreateObject();
	item = cJSON_AddObjectToObject(*out, kind->field);
	for (k = 0; kind->required[k]; k++)
		uc_set_str(item, kind->required[k],
			   emu_json_str(given, kind->required[k]));
	for (k = 0; kind->optional[k]; k++)
		uc_set_str(item, kind->optional[k],
			   emu_json_str(given, kind->optional[k]));
	if (!kind->managed)
		return 0;
	uuid = uc_uuid(st);
	uc_set_str(item, "managed_resource_id", uuid);
	if (kind->optional[0] && !emu_json_str(item, kind->optional[0])) {
		char *made;

		if (strcmp(kind->field, "managed_sqs") == 0)
			made = emu_printf("https://sqs.%s.amazonaws.com/"
					  "414351767826/databricks-"
					  "auto-ingest-%s-%.8s",
					  UC_METASTORE_REGION, loc_name, uuid);
		else if (strcmp(kind->field, "managed_aqs") == 0)
			made = emu_printf("https://databricksauto%.8s.queue."
					  "core.windows.net/databricks-"
					  "auto-ingest-%s",
					  uuid, loc_name);
		else
			made = emu_printf("projects/uc-emulator/"
					  "subscriptions/databricks-"
					  "auto-ingest-%s-%.8s",
					  loc_name, uuid);
		uc_set_str(item, kind->optional[0], made);
		free(made);
	}
	free(uuid);
	return 0;
}

/* 400 when url overlaps a location other than self. */
static int overlap_check(const struct uc_state *st, struct emu_response *resp,
			 const char *url, const struct uc_object *self)
{
	size_t i;

	for (i = 0; i < st->locations.n; i++) {
		const struct uc_object *loc = st->locations.items[i];
		const char *other = emu_json_str(loc->info, "url");

		if (loc != self && other && uc_url_overlaps(url, other))
			return emu_error_invalid(
				resp,
				"Input path url '%s' overlaps with an existing "
				"external location '%s' (url '%s').",
				url, uc_name(loc), other);
	}
	return 0;
}

/* The credential named name, or NULL after a 404. */
static struct uc_object *credential_named(const struct uc_state *st,
					  struct emu_response *resp,
					  const char *name)
{
	struct uc_object *cred = uc_list_find(&st->credentials, name);

	if (!cred)
		uc_credential_missing(resp, name);
	return cred;
}

void uc_locations_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *url, *cred_name, *comment, *access_point;
	const cJSON *enc;
	bool read_only = false, skip = false, fallback = false,
	     file_events = false, no_queue = false;
	struct uc_object *cred, *loc;
	cJSON *info, *queue = NULL;
	char *lower = NULL, *id = NULL;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&url, req, resp, "url", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&cred_name, req, resp, "credential_name",
			   EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    uc_arg_text(&access_point, req, resp, "access_point") < 0 ||
	    emu_arg_bool(&read_only, NULL, req, resp, "read_only",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&skip, NULL, req, resp, "skip_validation",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&fallback, NULL, req, resp, "fallback",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&file_events, NULL, req, resp, "enable_file_events",
			 EMU_ARG_OPTIONAL) < 0 ||
	    encryption_arg(&enc, req, resp) < 0)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateExternalLocation",
			      "managedcatalog.ExternalLocationInfo.name", name);
		return;
	}
	lower = uc_lower(name);
	if (uc_list_find(&st->locations, lower)) {
		emu_error(resp, 409, "EXTERNAL_LOCATION_ALREADY_EXISTS",
			  "External Location '%s' already exists", lower);
		goto done;
	}
	cred = credential_named(st, resp, cred_name);
	if (!cred || uc_check_scheme(req->ws, resp, "url", url) < 0 ||
	    url_check(resp, url, cred) < 0 ||
	    overlap_check(st, resp, url, NULL) < 0 ||
	    queue_arg(&queue, &no_queue, st, lower, req, resp) < 0)
		goto done;
	if (st->locations.n >= UC_MAX_LOCATIONS) {
		quota(resp, "external location", UC_MAX_LOCATIONS);
		goto done;
	}

	id = uc_uuid(st);
	info = cJSON_CreateObject();
	cJSON_AddStringToObject(info, "name", lower);
	cJSON_AddStringToObject(info, "id", id);
	cJSON_AddStringToObject(info, "url", url);
	cJSON_AddStringToObject(info, "credential_name", uc_name(cred));
	uc_set_json(info, "credential_id",
		    cJSON_GetObjectItemCaseSensitive(cred->info, "id"));
	uc_set_str(info, "comment", comment);
	cJSON_AddStringToObject(info, "owner",
				req->principal ? req->principal
					       : EMU_DEFAULT_USER_NAME);
	cJSON_AddBoolToObject(info, "read_only", read_only);
	cJSON_AddBoolToObject(info, "fallback", fallback);
	uc_set_str(info, "access_point", access_point);
	uc_set_json(info, "encryption_details", enc);
	cJSON_AddBoolToObject(info, "enable_file_events", file_events);
	if (queue) {
		cJSON_AddItemToObject(info, "file_event_queue", queue);
		queue = NULL;
	}
	cJSON_AddStringToObject(info, "metastore_id",
				uc_assigned_metastore(req->ws));
	cJSON_AddStringToObject(info, "isolation_mode", "ISOLATION_MODE_OPEN");
	cJSON_AddStringToObject(info, "securable_type", "EXTERNAL_LOCATION");
	cJSON_AddStringToObject(info, "securable_kind",
				"EXTERNAL_LOCATION_STANDARD");
	cJSON_AddBoolToObject(info, "browse_only", false);
	uc_stamp_created(info, req);
	loc = uc_object_new(info);
	uc_list_insert(&st->locations, loc);
	emu_response_json(resp, 200, cJSON_Duplicate(info, 1));
done:
	cJSON_Delete(queue);
	free(lower);
	free(id);
}

static struct uc_object *location_arg(struct emu_request *req,
				      struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name = emu_request_param(req, "name");
	struct uc_object *loc = uc_list_find(&st->locations, name);

	if (!loc)
		uc_location_missing(resp, name);
	return loc;
}

void uc_locations_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *loc = location_arg(req, resp);

	if (loc)
		emu_response_json(resp, 200, cJSON_Duplicate(loc->info, 1));
}

void uc_locations_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;

	uc_list_respond(req, resp, &st->locations, "external_locations");
}

void uc_locations_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *loc = location_arg(req, resp), *cred = NULL;
	struct common_update u = {0};
	const char *url, *cred_name, *access_point;
	const cJSON *enc;
	cJSON *queue = NULL;
	bool skip = false, force = false, fallback = false,
	     has_fallback = false, file_events = false, has_file_events = false,
	     no_queue = false;

	if (!loc ||
	    common_args(&u, &st->locations, loc, "UpdateExternalLocation",
			"EXTERNAL_LOCATION_ALREADY_EXISTS", "External Location",
			req, resp) < 0 ||
	    emu_arg_string(&url, req, resp, "url", EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&cred_name, req, resp, "credential_name",
			   EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_text(&access_point, req, resp, "access_point") < 0 ||
	    emu_arg_bool(&fallback, &has_fallback, req, resp, "fallback",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&skip, NULL, req, resp, "skip_validation",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&file_events, &has_file_events, req, resp,
			 "enable_file_events", EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_force(&force, req, resp) < 0 ||
	    encryption_arg(&enc, req, resp) < 0 ||
	    queue_arg(&queue, &no_queue, st, uc_name(loc), req, resp) < 0)
		goto done;
	if (cred_name && *cred_name) {
		cred = credential_named(st, resp, cred_name);
		if (!cred)
			goto done;
	}
	if (url && *url) {
		struct uc_object *used =
			cred ? cred
			     : uc_list_find(&st->credentials,
					    emu_json_str(loc->info,
							 "credential_name"));

		if (uc_check_scheme(req->ws, resp, "url", url) < 0 ||
		    (used && url_check(resp, url, used) < 0) ||
		    (!used && !uc_url_cloud(url) &&
		     emu_error_invalid(resp, "Invalid url '%s'.", url) < 0) ||
		    overlap_check(st, resp, url, loc) < 0)
			goto done;
	}

	common_apply(loc->info, &u);
	if (url && *url)
		uc_set_str(loc->info, "url", url);
	if (cred) {
		uc_set_str(loc->info, "credential_name", uc_name(cred));
		uc_set_json(loc->info, "credential_id",
			    cJSON_GetObjectItemCaseSensitive(cred->info, "id"));
	}
	if (access_point)
		uc_set_str(loc->info, "access_point", access_point);
	if (has_fallback)
		uc_set_bool(loc->info, "fallback", fallback);
	if (enc)
		uc_set_json(loc->info, "encryption_details", enc);
	if (has_file_events)
		uc_set_bool(loc->info, "enable_file_events", file_events);
	if (queue) {
		/* A queue of the kind it had keeps what Databricks made:
		 * its managed_resource_id, and its URL or subscription
		 * unless the request names one. */
		static const char *const made[] = {
			"managed_resource_id", "queue_url", "subscription_name"};
		cJSON *nk = queue->child;
		const cJSON *asked = cJSON_GetObjectItemCaseSensitive(
			emu_arg_json(req, "file_event_queue"), nk->string);
		const cJSON *ok = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(loc->info,
							 "file_event_queue"),
			nk->string);
		size_t i;

		for (i = 0; cJSON_IsObject(ok) && i < EMU_ARRAY_SIZE(made);
		     i++)
			if (emu_json_str(ok, made[i]) &&
			    (i == 0 || !emu_json_str(asked, made[i])))
				uc_set_json(nk, made[i],
					    cJSON_GetObjectItemCaseSensitive(
						    ok, made[i]));
		uc_set_json(loc->info, "file_event_queue", queue);
	} else if (no_queue) {
		uc_set_json(loc->info, "file_event_queue", NULL);
	}
	if (u.lower) {
		uc_set_str(loc->info, "name", u.lower);
		uc_list_resort(&st->locations);
	}
	uc_respond_updated(loc, req, resp);
done:
	cJSON_Delete(queue);
	free(u.lower);
}

/* The first catalog or schema keeping its storage_root under url. */
static const char *storage_user(const struct uc_state *st, const char *url)
{
	size_t i, k;

	for (i = 0; i < st->catalogs.n; i++) {
		const struct uc_object *cat = st->catalogs.items[i];
		const char *root = emu_json_str(cat->info, "storage_root");

		if (root && uc_url_covers(url, root))
			return uc_name(cat);
		for (k = 0; k < cat->schemas.n; k++) {
			const struct uc_object *s = cat->schemas.items[k];

			root = emu_json_str(s->info, "storage_root");
			if (root && uc_url_covers(url, root))
				return emu_json_str(s->info, "full_name");
		}
	}
	return NULL;
}

void uc_locations_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *loc = location_arg(req, resp);
	const char *url, *user;
	bool force;

	if (!loc || uc_arg_force(&force, req, resp) < 0)
		return;
	url = emu_json_str(loc->info, "url");
	user = url ? storage_user(st, url) : NULL;
	if (user && !force) {
		emu_error_invalid(resp,
				  "External Location '%s' cannot be deleted "
				  "because '%s' keeps its managed storage "
				  "under it. Use force=true to delete it "
				  "anyway.",
				  uc_name(loc), user);
		return;
	}
	uc_object_free(uc_list_take(
		&st->locations, uc_list_index(&st->locations, uc_name(loc))));
}
