/*
 * Unity Catalog API (databricks-rest-api.md §6): the state shared by the
 * catalog, schema, storage credential, external location and permission
 * endpoints, their helpers, --state persistence and the route table. The
 * handlers live in uc_catalogs.c, uc_storage.c, uc_grants.c,
 * uc_objects.c (volumes, tables and registered models), uc_connections.c, uc_bindings.c (workspace bindings,
 * system schemas and artifact allowlists) and uc_metastores.c (metastores and
 * their assignments, workspace and account level).
 *
 * Metastores are the account's (uc_metastores.c): the start-up workspace
 * has the default metastore, with a fixed id, assigned; a workspace the
 * account provisions has none until one is assigned, and its catalog,
 * schema, credential, location and permission calls fail until then. A
 * new state (start-up, /_emulator/reset) holds "the metastore defaults",
 * the catalog main with its schemas default and information_schema, and
 * the SYSTEM_CATALOG system.
 *
 * Lists: max_results unset returns everything (the deprecated unpaginated
 * form), 0 pages at UC_PAGE_DEFAULT, a positive value at that many (at
 * most UC_PAGE_MAX), with an opaque next_page_token (the last name
 * returned) while more remain; a token resumes after that name, so
 * objects created or deleted between pages do not shift the pages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "uc_internal.h"
#include "util.h"
#include "workspace.h"

/* --- strings and JSON ----------------------------------------------------- */

static void set_item(cJSON *obj, const char *name, cJSON *item)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, name))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, name, item);
	else
		cJSON_AddItemToObject(obj, name, item);
}

void uc_set_str(cJSON *obj, const char *name, const char *value)
{
	/* Unity Catalog is proto3 behind JSON: an empty string is unset. */
	if (!value || !*value) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
		return;
	}
	set_item(obj, name, cJSON_CreateString(value));
}

void uc_set_json(cJSON *obj, const char *name, const cJSON *value)
{
	if (!value) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
		return;
	}
	set_item(obj, name, cJSON_Duplicate(value, 1));
}

void uc_set_bool(cJSON *obj, const char *name, bool value)
{
	set_item(obj, name, cJSON_CreateBool(value));
}

void uc_stamp_updated(cJSON *info, const struct emu_request *req)
{
	set_item(info, "updated_at",
		 emu_json_int64(emu_workspace_now_ms(req->ws)));
	uc_set_str(info, "updated_by",
		   req->principal ? req->principal : EMU_DEFAULT_USER_NAME);
}

void uc_respond_updated(struct uc_object *obj, const struct emu_request *req,
			struct emu_response *resp)
{
	uc_stamp_updated(obj->info, req);
	emu_response_json(resp, 200, cJSON_Duplicate(obj->info, 1));
}

void uc_stamp_created(cJSON *info, const struct emu_request *req)
{
	set_item(info, "created_at",
		 emu_json_int64(emu_workspace_now_ms(req->ws)));
	uc_set_str(info, "created_by",
		   req->principal ? req->principal : EMU_DEFAULT_USER_NAME);
	uc_stamp_updated(info, req);
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

char *uc_uuid(struct uc_state *st)
{
	uint64_t hi = splitmix64(&st->rng), lo = splitmix64(&st->rng);

	/* Version 4, variant 10xx, as real UC ids are. */
	hi = (hi & ~0xF000ULL) | 0x4000ULL;
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
	return emu_printf("%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64
			  "-%012" PRIx64,
			  hi >> 32, (hi >> 16) & 0xFFFFu, hi & 0xFFFFu,
			  lo >> 48, lo & (uint64_t)0xFFFFFFFFFFFF);
}

char *uc_lower(const char *s)
{
	char *out = emu_xstrdup(s);
	char *p;

	for (p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

bool uc_name_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > UC_MAX_NAME)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == ' ' || c == '.' || c == '/')
			return false;
	}
	return true;
}

int uc_name_error(struct emu_response *resp, const char *rpc, const char *field,
		  const char *name)
{
	/* The wording of a cloud recording (databricks-rest-api.md §6.2). */
	return emu_error_invalid(resp,
				 "Invalid input: RPC %s Field %s: name \"%s\" "
				 "is not a valid name. Valid names cannot "
				 "contain spaces, periods, forward slashes, or "
				 "control characters.",
				 rpc, field, name);
}

int uc_arg_text(const char **out, struct emu_request *req,
		struct emu_response *resp, const char *name)
{
	if (emu_arg_string(out, req, resp, name, EMU_ARG_OPTIONAL) < 0)
		return -1;
	if (*out && strlen(*out) > UC_MAX_TEXT)
		return emu_error_invalid(resp,
					 "Invalid value for field '%s': it is "
					 "longer than %d characters.",
					 name, UC_MAX_TEXT);
	return 0;
}

int uc_arg_map(const cJSON **out, struct emu_request *req,
	       struct emu_response *resp, const char *name)
{
	const cJSON *props = emu_arg_json(req, name), *item;
	char *text;
	size_t len;

	*out = NULL;
	if (!props)
		return 0;
	if (!cJSON_IsObject(props))
		return emu_error_field_type(resp, name, "a map",
					    emu_json_type_name(props));
	cJSON_ArrayForEach(item, props)
	{
		if (!cJSON_IsString(item))
			return emu_error_invalid(
				resp,
				"Invalid value for field '%s': the "
				"value of '%s' is %s, not a string.",
				name, item->string, emu_json_type_name(item));
	}
	text = cJSON_PrintUnformatted(props);
	len = strlen(text);
	cJSON_free(text);
	if (len > UC_MAX_TEXT)
		return emu_error_invalid(
			resp,
			"Invalid value for field '%s': "
			"it is larger than %d bytes.",
			name, UC_MAX_TEXT);
	*out = props;
	return 0;
}

int uc_arg_properties(const cJSON **out, struct emu_request *req,
		      struct emu_response *resp)
{
	return uc_arg_map(out, req, resp, "properties");
}

int uc_arg_force(bool *force, struct emu_request *req,
		 struct emu_response *resp)
{
	*force = false;
	return emu_arg_bool(force, NULL, req, resp, "force", EMU_ARG_OPTIONAL);
}

/* --- URLs ----------------------------------------------------------------- */

static bool bucket_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-';
}

bool uc_s3_url_valid(const char *url)
{
	const char *bucket, *p;
	size_t n;

	if (strncmp(url, "s3://", 5) != 0 || strlen(url) > UC_MAX_TEXT)
		return false;
	bucket = url + 5;
	for (p = bucket; *p && *p != '/'; p++)
		if (!bucket_char(*p))
			return false;
	/* S3 bucket names: 3-63 characters, starting and ending with a
	 * letter or digit. */
	n = (size_t)(p - bucket);
	if (n < 3 || n > 63 || !bucket_char(bucket[0]) || bucket[0] == '.' ||
	    bucket[0] == '-' || bucket[n - 1] == '.' || bucket[n - 1] == '-')
		return false;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == '?' || c == '#')
			return false;
	}
	return true;
}

/* The rest of a URL after its authority: no control characters, '?' or
 * '#' (they would not name an object path). */
static bool url_path_valid(const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == '?' || c == '#')
			return false;
	}
	return true;
}

/* Letters, digits and the characters of extra, n of them from s, n in
 * [min, max]; *end is after them. */
static bool url_word(const char **end, const char *s, const char *extra,
		     size_t min, size_t max)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
	       (s[n] != '\0' && strchr(extra, s[n]) != NULL))
		n++;
	*end = s + n;
	return n >= min && n <= max;
}

/* abfss://<container>@<account>.dfs.core.windows.net[/<path>]. */
static bool abfss_url_valid(const char *url)
{
	static const char host[] = ".dfs.core.windows.net";
	const char *p;

	if (!url_word(&p, url + 8, "-", 3, 63) || *p != '@' ||
	    !url_word(&p, p + 1, "", 3, 24) ||
	    strncmp(p, host, sizeof(host) - 1) != 0)
		return false;
	p += sizeof(host) - 1;
	return (*p == '\0' || *p == '/') && url_path_valid(p);
}

/* gs://<bucket>[/<path>]: GCS bucket names are 3-63 characters of
 * lower-case letters, digits, '-', '_' and '.'. */
static bool gs_url_valid(const char *url)
{
	const char *p;

	if (!url_word(&p, url + 5, "-_.", 3, 63))
		return false;
	return (*p == '\0' || *p == '/') && url_path_valid(p);
}

/* r2://<bucket>@<account id>.r2.cloudflarestorage.com[/<path>]. */
static bool r2_url_valid(const char *url)
{
	static const char host[] = ".r2.cloudflarestorage.com";
	const char *p;

	if (!url_word(&p, url + 5, "-", 3, 63) || *p != '@' ||
	    !url_word(&p, p + 1, "", 1, 64) ||
	    strncmp(p, host, sizeof(host) - 1) != 0)
		return false;
	p += sizeof(host) - 1;
	return (*p == '\0' || *p == '/') && url_path_valid(p);
}

const char *uc_url_cloud(const char *url)
{
	if (!url || strlen(url) > UC_MAX_TEXT)
		return NULL;
	if (uc_s3_url_valid(url))
		return UC_CLOUD_AWS;
	if (strncmp(url, "abfss://", 8) == 0)
		return abfss_url_valid(url) ? UC_CLOUD_AZURE : NULL;
	if (strncmp(url, "gs://", 5) == 0)
		return gs_url_valid(url) ? UC_CLOUD_GCP : NULL;
	if (strncmp(url, "r2://", 5) == 0)
		return r2_url_valid(url) ? UC_CLOUD_CLOUDFLARE : NULL;
	return NULL;
}

/* --- the workspace's cloud ------------------------------------------------ */

/*
 * Per cloud: the URL clouds (uc_url_cloud) its Unity Catalog reaches, the
 * schemes as the refusal lists them, the metastore root and the region.
 * The refusal's wording follows the real service's
 * INVALID_PARAMETER_VALUE.UNSUPPORTED_LOCATION_SCHEME message ("url has
 * invalid URI scheme https. Valid URI schemes include s3, gs, s3n, r2,
 * s3a, abfss", quoted in treeverse/lakeFS#7551), listing only what the
 * emulated cloud takes. The same report shows that wasbs:// is no
 * external location even on Azure.
 */
static const struct {
	const char *clouds[2];
	const char *schemes;
	const char *root;
	const char *region;
} uc_clouds[] = {
	[EMU_CLOUD_AWS] = {{UC_CLOUD_AWS, UC_CLOUD_CLOUDFLARE},
			   "s3, r2",
			   UC_METASTORE_ROOT,
			   UC_METASTORE_REGION},
	[EMU_CLOUD_AZURE] = {{UC_CLOUD_AZURE, UC_CLOUD_CLOUDFLARE},
			     "abfss, r2",
			     "abfss://metastore@emulatormetastore.dfs.core."
			     "windows.net/root",
			     "westus2"},
	[EMU_CLOUD_GCP] = {{UC_CLOUD_GCP, UC_CLOUD_CLOUDFLARE},
			   "gs, r2",
			   "gs://emulator-metastore/root",
			   "us-west1"},
};

static size_t cloud_index(enum emu_cloud cloud)
{
	return (size_t)cloud < EMU_ARRAY_SIZE(uc_clouds) ? (size_t)cloud : 0;
}

const char *uc_cloud_metastore_root(enum emu_cloud cloud)
{
	return uc_clouds[cloud_index(cloud)].root;
}

const char *uc_cloud_region(enum emu_cloud cloud)
{
	return uc_clouds[cloud_index(cloud)].region;
}

/* Whether URLs of url_cloud (a UC_CLOUD_*) are reachable from cloud. */
static bool cloud_reaches(enum emu_cloud cloud, const char *url_cloud)
{
	size_t k = cloud_index(cloud), i;

	for (i = 0; url_cloud && i < EMU_ARRAY_SIZE(uc_clouds[k].clouds); i++)
		if (strcmp(uc_clouds[k].clouds[i], url_cloud) == 0)
			return true;
	return false;
}

/* The cloud a URL's scheme belongs to, even when the rest is malformed. */
static const char *scheme_cloud(const char *url)
{
	static const struct {
		const char *prefix, *cloud;
	} schemes[] = {
		{"s3://", UC_CLOUD_AWS},
		{"abfss://", UC_CLOUD_AZURE},
		{"gs://", UC_CLOUD_GCP},
		{"r2://", UC_CLOUD_CLOUDFLARE},
	};
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(schemes); i++)
		if (strncmp(url, schemes[i].prefix,
			    strlen(schemes[i].prefix)) == 0)
			return schemes[i].cloud;
	return NULL;
}

int uc_check_scheme(struct emu_workspace *ws, struct emu_response *resp,
		    const char *field, const char *url)
{
	enum emu_cloud cloud = emu_workspace_cloud(ws);
	size_t n;

	if (!emu_workspace_cloud_strict(ws) || !url ||
	    cloud_reaches(cloud, scheme_cloud(url)))
		return 0;
	/* The scheme is what precedes "://" (or ':'), bounded so a long
	 * hostile value does not end up in the message whole. */
	n = strcspn(url, ":/");
	if (n > 32)
		n = 32;
	return emu_error_invalid(resp,
				 "%s has invalid URI scheme %.*s. Valid URI "
				 "schemes include %s",
				 field, (int)n, url,
				 uc_clouds[cloud_index(cloud)].schemes);
}

bool uc_url_of_workspace(struct emu_workspace *ws, const char *url)
{
	return cloud_reaches(emu_workspace_cloud(ws), uc_url_cloud(url));
}

bool uc_workspace_reaches(struct emu_workspace *ws, const char *url_cloud)
{
	return cloud_reaches(emu_workspace_cloud(ws), url_cloud);
}

const char *uc_cloud_words(struct emu_workspace *ws)
{
	static const char *const words[] = {
		[EMU_CLOUD_AWS] = "AWS",
		[EMU_CLOUD_AZURE] = "Azure",
		[EMU_CLOUD_GCP] = "GCP",
	};

	return words[cloud_index(emu_workspace_cloud(ws))];
}

/* Length of url without trailing slashes ("s3://b/x/" is "s3://b/x"). */
static size_t url_len(const char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	return n;
}

bool uc_url_covers(const char *base, const char *path)
{
	size_t nb = url_len(base), np = url_len(path);

	if (np < nb || strncmp(base, path, nb) != 0)
		return false;
	return np == nb || path[nb] == '/';
}

bool uc_url_overlaps(const char *a, const char *b)
{
	return uc_url_covers(a, b) || uc_url_covers(b, a);
}

struct uc_object *uc_location_covering(const struct uc_state *st,
				       const char *url)
{
	size_t i;

	for (i = 0; i < st->locations.n; i++) {
		const char *base =
			emu_json_str(st->locations.items[i]->info, "url");

		if (base && uc_url_covers(base, url))
			return st->locations.items[i];
	}
	return NULL;
}

int uc_check_storage_root(struct emu_workspace *ws, const struct uc_state *st,
			  struct emu_response *resp, const char *root)
{
	if (uc_check_scheme(ws, resp, "storage_root", root) < 0)
		return -1;
	if (!uc_url_cloud(root))
		return emu_error_invalid(resp,
					 "Invalid storage_root '%s': expected "
					 "a cloud storage URL (s3://, "
					 "abfss://, gs:// or r2://).",
					 root);
	/* Real Unity Catalog only manages storage it can reach through an
	 * external location's credential. */
	if (!uc_location_covering(st, root))
		return emu_error_invalid(resp,
					 "Input path url '%s' is not covered "
					 "by any external location. Create an "
					 "external location for it (or a "
					 "parent path) first.",
					 root);
	return 0;
}

/* --- lists ---------------------------------------------------------------- */

const char *uc_name(const struct uc_object *obj)
{
	const char *name = emu_json_str(obj->info, "name");

	return name ? name : "";
}

size_t uc_list_index(const struct uc_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (emu_strcaseeq(uc_name(l->items[i]), name))
			return i;
	return SIZE_MAX;
}

struct uc_object *uc_list_find(const struct uc_list *l, const char *name)
{
	size_t i = uc_list_index(l, name);

	return i == SIZE_MAX ? NULL : l->items[i];
}

int uc_rename_check(char **lower, const char *new_name, const struct uc_list *l,
		    const struct uc_object *self, const char *rpc,
		    const char *exists_code, const char *kind,
		    const char *parent, struct emu_response *resp)
{
	struct uc_object *other;
	char *field;

	*lower = NULL;
	if (!new_name || !*new_name)
		return 0;
	if (!uc_name_valid(new_name)) {
		field = emu_printf("managedcatalog.%s.new_name", rpc);
		uc_name_error(resp, rpc, field, new_name);
		free(field);
		return -1;
	}
	*lower = uc_lower(new_name);
	other = uc_list_find(l, *lower);
	if (!other || other == self)
		return 0;
	if (parent)
		return emu_error(resp, 409, exists_code,
				 "%s '%s.%s' already exists", kind, parent,
				 *lower);
	return emu_error(resp, 409, exists_code, "%s '%s' already exists", kind,
			 *lower);
}

void uc_list_insert(struct uc_list *l, struct uc_object *obj)
{
	size_t i = 0;

	while (i < l->n && strcmp(uc_name(l->items[i]), uc_name(obj)) < 0)
		i++;
	l->items = emu_xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
	memmove(&l->items[i + 1], &l->items[i], (l->n - i) * sizeof(*l->items));
	l->items[i] = obj;
	l->n++;
}

struct uc_object *uc_list_take(struct uc_list *l, size_t i)
{
	struct uc_object *obj = l->items[i];

	memmove(&l->items[i], &l->items[i + 1],
		(l->n - i - 1) * sizeof(*l->items));
	l->n--;
	return obj;
}

static int by_name(const void *a, const void *b)
{
	const struct uc_object *const *x = a, *const *y = b;

	return strcmp(uc_name(*x), uc_name(*y));
}

void uc_list_resort(struct uc_list *l)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), by_name);
}

void uc_list_dispose(struct uc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		uc_object_free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

struct uc_object *uc_object_new(cJSON *info)
{
	struct uc_object *obj = emu_xcalloc(1, sizeof(*obj));

	obj->info = info;
	return obj;
}

void uc_object_free(struct uc_object *obj)
{
	if (!obj)
		return;
	cJSON_Delete(obj->info);
	uc_grants_dispose(&obj->grants);
	uc_list_dispose(&obj->schemas);
	uc_list_dispose(&obj->credentials);
	uc_list_dispose(&obj->tables);
	uc_list_dispose(&obj->volumes);
	uc_list_dispose(&obj->models);
	cJSON_Delete(obj->bindings);
	cJSON_Delete(obj->secrets);
	free(obj);
}

int uc_list_respond(struct emu_request *req, struct emu_response *resp,
		    const struct uc_list *l, const char *key)
{
	int64_t max = 0;
	bool limited = false;
	const char *token;
	unsigned char *after = NULL;
	size_t after_len = 0, start = 0, count, i;
	cJSON *body, *items;

	if (emu_arg_int64(&max, &limited, req, resp, "max_results",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&token, req, resp, "page_token", EMU_ARG_OPTIONAL) <
		    0)
		return -1;
	if (max < 0)
		return emu_error_invalid(resp,
					 "Invalid value for field "
					 "'max_results': %" PRId64
					 " must not be negative.",
					 max);
	if (token && *token) {
		if (emu_base64_decode(&after, &after_len, token,
				      strlen(token)) < 0 ||
		    after_len == 0 || strlen((char *)after) != after_len) {
			free(after);
			return emu_error_invalid(
				resp, "Invalid page_token '%s'.", token);
		}
		while (start < l->n &&
		       strcmp(uc_name(l->items[start]), (char *)after) <= 0)
			start++;
		free(after);
	}
	count = l->n - start;
	if (limited) {
		size_t page = max == 0		  ? UC_PAGE_DEFAULT
			      : max > UC_PAGE_MAX ? UC_PAGE_MAX
						  : (size_t)max;

		if (count > page)
			count = page;
	}
	body = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(body, key);
	for (i = start; i < start + count; i++)
		cJSON_AddItemToArray(items,
				     cJSON_Duplicate(l->items[i]->info, 1));
	if (start + count < l->n && count > 0) {
		const char *last = uc_name(l->items[start + count - 1]);
		char *next = emu_base64_encode((const unsigned char *)last,
					       strlen(last));

		cJSON_AddStringToObject(body, "next_page_token", next);
		free(next);
	}
	emu_response_json(resp, 200, body);
	return 0;
}

/* --- errors and lookups --------------------------------------------------- */

int uc_catalog_missing(struct emu_response *resp, const char *name)
{
	return emu_error(resp, 404, "CATALOG_DOES_NOT_EXIST",
			 "Catalog '%s' does not exist.", name);
}

int uc_schema_missing(struct emu_response *resp, const char *full_name)
{
	return emu_error(resp, 404, "SCHEMA_DOES_NOT_EXIST",
			 "Schema '%s' does not exist.", full_name);
}

int uc_credential_missing(struct emu_response *resp, const char *name)
{
	return emu_error(resp, 404, "STORAGE_CREDENTIAL_DOES_NOT_EXIST",
			 "Storage Credential '%s' does not exist.", name);
}

int uc_location_missing(struct emu_response *resp, const char *name)
{
	return emu_error(resp, 404, "EXTERNAL_LOCATION_DOES_NOT_EXIST",
			 "External Location '%s' does not exist.", name);
}

struct uc_object *uc_catalog_find(const struct uc_state *st, const char *name)
{
	return uc_list_find(&st->catalogs, name);
}

struct uc_object *uc_schema_find(const struct uc_state *st,
				 const char *full_name,
				 struct uc_object **cat_out)
{
	const char *dot = strchr(full_name, '.');
	struct uc_object *cat;
	char *cat_name;

	if (cat_out)
		*cat_out = NULL;
	if (!dot)
		return NULL;
	cat_name = emu_xmemdup0(full_name, (size_t)(dot - full_name));
	cat = uc_catalog_find(st, cat_name);
	free(cat_name);
	if (!cat)
		return NULL;
	if (cat_out)
		*cat_out = cat;
	return uc_list_find(&cat->schemas, dot + 1);
}

/* --- state ---------------------------------------------------------------- */

static void state_clear(struct uc_state *st)
{
	uc_list_dispose(&st->catalogs);
	uc_list_dispose(&st->credentials);
	uc_list_dispose(&st->locations);
	uc_list_dispose(&st->connections);
	uc_grants_dispose(&st->metastore_grants);
	uc_metastores_dispose(st);
	st->nschemas = 0;
	cJSON_Delete(st->system_schemas);
	st->system_schemas = NULL;
	cJSON_Delete(st->allowlists);
	st->allowlists = NULL;
}

static void *uc_state_new(void)
{
	struct uc_state *st = emu_xcalloc(1, sizeof(*st));

	st->rng = (uint64_t)emu_now_ms() ^ ((uint64_t)getpid() << 32) ^
		  (uint64_t)(uintptr_t)st;
	st->created_at = emu_now_ms();
	uc_catalogs_add_defaults(st);
	return st;
}

static void uc_state_free(void *p)
{
	struct uc_state *st = p;

	if (!st)
		return;
	state_clear(st);
	free(st);
}

static cJSON *object_save(const struct uc_object *obj)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddItemToObject(item, "info", cJSON_Duplicate(obj->info, 1));
	cJSON_AddItemToObject(item, "grants", uc_grants_json(&obj->grants));
	if (obj->bindings)
		cJSON_AddItemToObject(item, "bindings",
				      cJSON_Duplicate(obj->bindings, 1));
	if (obj->secrets)
		cJSON_AddItemToObject(item, "secrets",
				      cJSON_Duplicate(obj->secrets, 1));
	return item;
}

cJSON *uc_list_save(const struct uc_list *l, bool with_schemas)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < l->n; i++) {
		cJSON *item = object_save(l->items[i]);

		if (with_schemas)
			cJSON_AddItemToObject(
				item, "schemas",
				uc_list_save(&l->items[i]->schemas, false));
		/* A schema's tables and volumes go with it. */
		if (l->items[i]->tables.n)
			cJSON_AddItemToObject(
				item, "tables",
				uc_list_save(&l->items[i]->tables, false));
		if (l->items[i]->volumes.n)
			cJSON_AddItemToObject(
				item, "volumes",
				uc_list_save(&l->items[i]->volumes, false));
		if (l->items[i]->models.n)
			cJSON_AddItemToObject(
				item, "models",
				uc_list_save(&l->items[i]->models, false));
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

static cJSON *uc_state_save(const void *p)
{
	const struct uc_state *st = p;
	cJSON *root = cJSON_CreateObject();

	emu_json_add_int64(root, "created_at", st->created_at);
	cJSON_AddItemToObject(root, "metastore_grants",
			      uc_grants_json(&st->metastore_grants));
	cJSON_AddItemToObject(root, "catalogs", uc_list_save(&st->catalogs, true));
	cJSON_AddItemToObject(root, "storage_credentials",
			      uc_list_save(&st->credentials, false));
	cJSON_AddItemToObject(root, "external_locations",
			      uc_list_save(&st->locations, false));
	cJSON_AddItemToObject(root, "connections",
			      uc_list_save(&st->connections, false));
	if (st->system_schemas)
		cJSON_AddItemToObject(root, "system_schemas",
				      cJSON_Duplicate(st->system_schemas, 1));
	if (st->allowlists)
		cJSON_AddItemToObject(root, "artifact_allowlists",
				      cJSON_Duplicate(st->allowlists, 1));
	if (st->account_ready)
		cJSON_AddItemToObject(root, "account",
				      uc_metastores_save(st));
	return root;
}

/*
 * One saved object: its info must carry a valid, lower-case name not yet
 * in l, and every string field in need (NULL-terminated) must be present.
 */
static struct uc_object *load_object(struct uc_list *l, const cJSON *item,
				     const char *const *need, const char *what,
				     char *err, size_t errlen)
{
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(item, "info");
	const cJSON *bindings;
	const char *name = emu_json_str(info, "name");
	struct uc_object *obj;
	char *lower;
	bool bad;

	if (!cJSON_IsObject(info) || !name || !uc_name_valid(name)) {
		snprintf(err, errlen, "%s without a valid name", what);
		return NULL;
	}
	lower = uc_lower(name);
	bad = strcmp(lower, name) != 0 || uc_list_find(l, name);
	free(lower);
	for (; !bad && need && *need; need++)
		bad = emu_json_str(info, *need) == NULL;
	if (bad) {
		snprintf(err, errlen, "%s %s: duplicate or incomplete", what,
			 name);
		return NULL;
	}
	obj = uc_object_new(cJSON_Duplicate(info, 1));
	if (uc_grants_load(&obj->grants, cJSON_GetObjectItemCaseSensitive(
						 item, "grants")) < 0) {
		uc_object_free(obj);
		snprintf(err, errlen, "%s %s: bad grants", what, name);
		return NULL;
	}
	bindings = cJSON_GetObjectItemCaseSensitive(item, "bindings");
	if (cJSON_IsArray(bindings))
		obj->bindings = cJSON_Duplicate(bindings, 1);
	bindings = cJSON_GetObjectItemCaseSensitive(item, "secrets");
	if (cJSON_IsObject(bindings))
		obj->secrets = cJSON_Duplicate(bindings, 1);
	uc_list_insert(l, obj);
	return obj;
}

int uc_list_load(struct uc_state *st, struct uc_list *l, const cJSON *arr,
		 const char *const *need, const char *what, size_t max,
		 char *err, size_t errlen)
{
	static const char *const schema_need[] = {"catalog_name", "full_name",
						  NULL};
	static const char *const child_need[] = {"catalog_name", "schema_name",
						 "full_name", NULL};
	const cJSON *item, *schema;

	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "%s list missing or not an array", what);
		return -1;
	}
	cJSON_ArrayForEach(item, arr)
	{
		struct uc_object *obj;

		if (l->n >= max) {
			snprintf(err, errlen, "too many %ss", what);
			return -1;
		}
		obj = load_object(l, item, need, what, err, errlen);
		if (!obj)
			return -1;
		if (strcmp(what, "schema") == 0) {
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(
					     item, "tables"),
				    *v = cJSON_GetObjectItemCaseSensitive(
					     item, "volumes"),
				    *m = cJSON_GetObjectItemCaseSensitive(
					     item, "models");

			if ((t && uc_list_load(st, &obj->tables, t, child_need,
					       "table", UC_MAX_CHILDREN, err,
					       errlen) < 0) ||
			    (v && uc_list_load(st, &obj->volumes, v,
					       child_need, "volume",
					       UC_MAX_CHILDREN, err,
					       errlen) < 0) ||
			    (m && uc_list_load(st, &obj->models, m,
					       child_need, "model",
					       UC_MAX_CHILDREN, err,
					       errlen) < 0))
				return -1;
		}
		if (l != &st->catalogs)
			continue;
		schema = cJSON_GetObjectItemCaseSensitive(item, "schemas");
		if (uc_list_load(st, &obj->schemas, schema, schema_need, "schema",
			      UC_MAX_SCHEMAS, err, errlen) < 0)
			return -1;
		st->nschemas += obj->schemas.n;
		if (st->nschemas > UC_MAX_SCHEMAS) {
			snprintf(err, errlen, "too many schemas");
			return -1;
		}
	}
	return 0;
}

static int uc_state_load(void *p, const cJSON *json, char *err, size_t errlen)
{
	static const char *const catalog_need[] = {"catalog_type", NULL};
	static const char *const location_need[] = {"url", "credential_name",
						    NULL};
	struct uc_state *st = p;
	const cJSON *created =
		cJSON_GetObjectItemCaseSensitive(json, "created_at");
	const cJSON *account, *sys;
	size_t i;

	/* The saved state includes the defaults as they were left. */
	state_clear(st);
	if (created && emu_json_get_int64(&st->created_at, created) < 0) {
		snprintf(err, errlen, "bad created_at");
		return -1;
	}
	if (uc_grants_load(&st->metastore_grants,
			   cJSON_GetObjectItemCaseSensitive(
				   json, "metastore_grants")) < 0) {
		snprintf(err, errlen, "bad metastore grants");
		return -1;
	}
	if (uc_list_load(st, &st->catalogs,
		      cJSON_GetObjectItemCaseSensitive(json, "catalogs"),
		      catalog_need, "catalog", UC_MAX_CATALOGS, err,
		      errlen) < 0 ||
	    uc_list_load(st, &st->credentials,
		      cJSON_GetObjectItemCaseSensitive(json,
						       "storage_credentials"),
		      NULL, "storage credential", UC_MAX_CREDENTIALS, err,
		      errlen) < 0 ||
	    uc_list_load(st, &st->locations,
		      cJSON_GetObjectItemCaseSensitive(json,
						       "external_locations"),
		      location_need, "external location", UC_MAX_LOCATIONS, err,
		      errlen) < 0)
		return -1;
	for (i = 0; i < st->locations.n; i++) {
		if (!uc_url_cloud(emu_json_str(st->locations.items[i]->info,
					       "url"))) {
			snprintf(err, errlen, "external location %s: bad url",
				 uc_name(st->locations.items[i]));
			return -1;
		}
	}
	sys = cJSON_GetObjectItemCaseSensitive(json, "system_schemas");
	if (sys) {
		const cJSON *s;

		cJSON_ArrayForEach(s, sys)
		{
			if (!cJSON_IsString(s)) {
				snprintf(err, errlen, "bad system_schemas");
				return -1;
			}
		}
		if (!cJSON_IsObject(sys)) {
			snprintf(err, errlen, "bad system_schemas");
			return -1;
		}
		st->system_schemas = cJSON_Duplicate(sys, 1);
	}
	sys = cJSON_GetObjectItemCaseSensitive(json, "connections");
	if (sys && uc_list_load(st, &st->connections, sys, NULL, "connection",
				UC_MAX_LOCATIONS, err, errlen) < 0)
		return -1;
	sys = cJSON_GetObjectItemCaseSensitive(json, "artifact_allowlists");
	if (sys) {
		if (!cJSON_IsObject(sys)) {
			snprintf(err, errlen, "bad artifact_allowlists");
			return -1;
		}
		st->allowlists = cJSON_Duplicate(sys, 1);
	}
	/* Files saved before metastores were the account's have none: the
	 * default metastore is then made on first use. */
	account = cJSON_GetObjectItemCaseSensitive(json, "account");
	return account ? uc_metastores_load(st, account, err, errlen) : 0;
}

/* --- descriptor ----------------------------------------------------------- */

#define UC "/api/2.1/unity-catalog"

/*
 * The handlers below need the workspace's metastore: in a workspace with
 * none they fail as the service does (uc_require_metastore). The
 * metastore and assignment endpoints themselves do not.
 */
#define UC_NEEDS_METASTORE(fn)                                                 \
	static void need_##fn(struct emu_request *req,                         \
			      struct emu_response *resp)                       \
	{                                                                      \
		if (uc_require_metastore(req, resp) == 0)                      \
			fn(req, resp);                                         \
	}
UC_NEEDS_METASTORE(uc_catalogs_create)
UC_NEEDS_METASTORE(uc_catalogs_list)
UC_NEEDS_METASTORE(uc_catalogs_get)
UC_NEEDS_METASTORE(uc_catalogs_update)
UC_NEEDS_METASTORE(uc_catalogs_delete)
UC_NEEDS_METASTORE(uc_schemas_create)
UC_NEEDS_METASTORE(uc_schemas_list)
UC_NEEDS_METASTORE(uc_schemas_get)
UC_NEEDS_METASTORE(uc_schemas_update)
UC_NEEDS_METASTORE(uc_schemas_delete)
UC_NEEDS_METASTORE(uc_credentials_create)
UC_NEEDS_METASTORE(uc_credentials_list)
UC_NEEDS_METASTORE(uc_credentials_get)
UC_NEEDS_METASTORE(uc_credentials_update)
UC_NEEDS_METASTORE(uc_credentials_delete)
UC_NEEDS_METASTORE(uc_locations_create)
UC_NEEDS_METASTORE(uc_locations_list)
UC_NEEDS_METASTORE(uc_locations_get)
UC_NEEDS_METASTORE(uc_locations_update)
UC_NEEDS_METASTORE(uc_locations_delete)
UC_NEEDS_METASTORE(uc_volumes_create)
UC_NEEDS_METASTORE(uc_volumes_list)
UC_NEEDS_METASTORE(uc_volumes_get)
UC_NEEDS_METASTORE(uc_volumes_update)
UC_NEEDS_METASTORE(uc_volumes_delete)
UC_NEEDS_METASTORE(uc_tables_create)
UC_NEEDS_METASTORE(uc_tables_list)
UC_NEEDS_METASTORE(uc_tables_get)
UC_NEEDS_METASTORE(uc_tables_update)
UC_NEEDS_METASTORE(uc_tables_delete)
UC_NEEDS_METASTORE(uc_models_create)
UC_NEEDS_METASTORE(uc_models_list)
UC_NEEDS_METASTORE(uc_models_get)
UC_NEEDS_METASTORE(uc_models_update)
UC_NEEDS_METASTORE(uc_models_delete)
UC_NEEDS_METASTORE(uc_connections_create)
UC_NEEDS_METASTORE(uc_connections_list)
UC_NEEDS_METASTORE(uc_connections_get)
UC_NEEDS_METASTORE(uc_connections_update)
UC_NEEDS_METASTORE(uc_connections_delete)
UC_NEEDS_METASTORE(uc_allowlists_get)
UC_NEEDS_METASTORE(uc_allowlists_put)
UC_NEEDS_METASTORE(uc_bindings_get)
UC_NEEDS_METASTORE(uc_bindings_update)
UC_NEEDS_METASTORE(uc_system_schemas_list)
UC_NEEDS_METASTORE(uc_system_schemas_enable)
UC_NEEDS_METASTORE(uc_system_schemas_disable)
UC_NEEDS_METASTORE(uc_permissions_get)
UC_NEEDS_METASTORE(uc_permissions_update)

#define ACC "/api/2.0/accounts/{account_id}"

static const struct emu_route uc_routes[] = {
	{.method = "GET",
	 .pattern = UC "/current-metastore-assignment",
	 .handler = uc_current_assignment},
	{.method = "GET",
	 .pattern = UC "/metastore_summary",
	 .handler = uc_metastore_summary},
	{.method = "POST",
	 .pattern = UC "/metastores",
	 .handler = uc_metastores_create},
	{.method = "GET",
	 .pattern = UC "/metastores",
	 .handler = uc_metastores_list},
	{.method = "GET",
	 .pattern = UC "/metastores/{id}",
	 .handler = uc_metastores_get},
	{.method = "PATCH",
	 .pattern = UC "/metastores/{id}",
	 .handler = uc_metastores_update},
	{.method = "DELETE",
	 .pattern = UC "/metastores/{id}",
	 .handler = uc_metastores_delete},
	{.method = "PUT",
	 .pattern = UC "/workspaces/{workspace_id}/metastore",
	 .handler = uc_assign},
	{.method = "PATCH",
	 .pattern = UC "/workspaces/{workspace_id}/metastore",
	 .handler = uc_assign_update},
	{.method = "DELETE",
	 .pattern = UC "/workspaces/{workspace_id}/metastore",
	 .handler = uc_unassign},
	{.method = "POST",
	 .pattern = ACC "/metastores",
	 .handler = uc_acc_metastores_create},
	{.method = "GET",
	 .pattern = ACC "/metastores",
	 .handler = uc_acc_metastores_list},
	{.method = "GET",
	 .pattern = ACC "/metastores/{id}",
	 .handler = uc_acc_metastores_get},
	{.method = "PUT",
	 .pattern = ACC "/metastores/{id}",
	 .handler = uc_acc_metastores_update},
	{.method = "DELETE",
	 .pattern = ACC "/metastores/{id}",
	 .handler = uc_acc_metastores_delete},
	{.method = "GET",
	 .pattern = ACC "/metastores/{id}/workspaces",
	 .handler = uc_acc_metastore_workspaces},
	{.method = "POST",
	 .pattern = ACC "/metastores/{id}/storage-credentials",
	 .handler = uc_acc_credentials_create},
	{.method = "GET",
	 .pattern = ACC "/metastores/{id}/storage-credentials",
	 .handler = uc_acc_credentials_list},
	{.method = "GET",
	 .pattern = ACC "/metastores/{id}/storage-credentials/{name}",
	 .handler = uc_acc_credentials_get},
	{.method = "DELETE",
	 .pattern = ACC "/metastores/{id}/storage-credentials/{name}",
	 .handler = uc_acc_credentials_delete},
	{.method = "GET",
	 .pattern = ACC "/workspaces/{workspace_id}/metastore",
	 .handler = uc_acc_assignment_get},
	{.method = "POST",
	 .pattern = ACC "/workspaces/{workspace_id}/metastores/{id}",
	 .handler = uc_acc_assign},
	{.method = "PUT",
	 .pattern = ACC "/workspaces/{workspace_id}/metastores/{id}",
	 .handler = uc_acc_assign_update},
	{.method = "DELETE",
	 .pattern = ACC "/workspaces/{workspace_id}/metastores/{id}",
	 .handler = uc_acc_unassign},
	{.method = "POST",
	 .pattern = UC "/catalogs",
	 .handler = need_uc_catalogs_create},
	{.method = "GET",
	 .pattern = UC "/catalogs",
	 .handler = need_uc_catalogs_list},
	{.method = "GET",
	 .pattern = UC "/catalogs/{name}",
	 .handler = need_uc_catalogs_get},
	{.method = "PATCH",
	 .pattern = UC "/catalogs/{name}",
	 .handler = need_uc_catalogs_update},
	{.method = "DELETE",
	 .pattern = UC "/catalogs/{name}",
	 .handler = need_uc_catalogs_delete},
	{.method = "POST",
	 .pattern = UC "/schemas",
	 .handler = need_uc_schemas_create},
	{.method = "GET", .pattern = UC "/schemas", .handler = need_uc_schemas_list},
	{.method = "GET",
	 .pattern = UC "/schemas/{name}",
	 .handler = need_uc_schemas_get},
	{.method = "PATCH",
	 .pattern = UC "/schemas/{name}",
	 .handler = need_uc_schemas_update},
	{.method = "DELETE",
	 .pattern = UC "/schemas/{name}",
	 .handler = need_uc_schemas_delete},
	{.method = "POST",
	 .pattern = UC "/storage-credentials",
	 .handler = need_uc_credentials_create},
	{.method = "GET",
	 .pattern = UC "/storage-credentials",
	 .handler = need_uc_credentials_list},
	{.method = "GET",
	 .pattern = UC "/storage-credentials/{name}",
	 .handler = need_uc_credentials_get},
	{.method = "PATCH",
	 .pattern = UC "/storage-credentials/{name}",
	 .handler = need_uc_credentials_update},
	{.method = "DELETE",
	 .pattern = UC "/storage-credentials/{name}",
	 .handler = need_uc_credentials_delete},
	{.method = "POST",
	 .pattern = UC "/external-locations",
	 .handler = need_uc_locations_create},
	{.method = "GET",
	 .pattern = UC "/external-locations",
	 .handler = need_uc_locations_list},
	{.method = "GET",
	 .pattern = UC "/external-locations/{name}",
	 .handler = need_uc_locations_get},
	{.method = "PATCH",
	 .pattern = UC "/external-locations/{name}",
	 .handler = need_uc_locations_update},
	{.method = "DELETE",
	 .pattern = UC "/external-locations/{name}",
	 .handler = need_uc_locations_delete},
	{.method = "POST",
	 .pattern = UC "/volumes",
	 .handler = need_uc_volumes_create},
	{.method = "GET",
	 .pattern = UC "/volumes",
	 .handler = need_uc_volumes_list},
	{.method = "GET",
	 .pattern = UC "/volumes/{name}",
	 .handler = need_uc_volumes_get},
	{.method = "PATCH",
	 .pattern = UC "/volumes/{name}",
	 .handler = need_uc_volumes_update},
	{.method = "DELETE",
	 .pattern = UC "/volumes/{name}",
	 .handler = need_uc_volumes_delete},
	{.method = "POST",
	 .pattern = UC "/tables",
	 .handler = need_uc_tables_create},
	{.method = "GET",
	 .pattern = UC "/tables",
	 .handler = need_uc_tables_list},
	{.method = "GET",
	 .pattern = UC "/tables/{name}",
	 .handler = need_uc_tables_get},
	{.method = "PATCH",
	 .pattern = UC "/tables/{name}",
	 .handler = need_uc_tables_update},
	{.method = "DELETE",
	 .pattern = UC "/tables/{name}",
	 .handler = need_uc_tables_delete},
	{.method = "POST",
	 .pattern = UC "/models",
	 .handler = need_uc_models_create},
	{.method = "GET",
	 .pattern = UC "/models",
	 .handler = need_uc_models_list},
	{.method = "GET",
	 .pattern = UC "/models/{name}",
	 .handler = need_uc_models_get},
	{.method = "PATCH",
	 .pattern = UC "/models/{name}",
	 .handler = need_uc_models_update},
	{.method = "DELETE",
	 .pattern = UC "/models/{name}",
	 .handler = need_uc_models_delete},
	{.method = "POST",
	 .pattern = UC "/connections",
	 .handler = need_uc_connections_create},
	{.method = "GET",
	 .pattern = UC "/connections",
	 .handler = need_uc_connections_list},
	{.method = "GET",
	 .pattern = UC "/connections/{name}",
	 .handler = need_uc_connections_get},
	{.method = "PATCH",
	 .pattern = UC "/connections/{name}",
	 .handler = need_uc_connections_update},
	{.method = "DELETE",
	 .pattern = UC "/connections/{name}",
	 .handler = need_uc_connections_delete},
	{.method = "GET",
	 .pattern = UC "/artifact-allowlists/{type}",
	 .handler = need_uc_allowlists_get},
	{.method = "PUT",
	 .pattern = UC "/artifact-allowlists/{type}",
	 .handler = need_uc_allowlists_put},
	{.method = "GET",
	 .pattern = UC "/bindings/{type}/{name}",
	 .handler = need_uc_bindings_get},
	{.method = "PATCH",
	 .pattern = UC "/bindings/{type}/{name}",
	 .handler = need_uc_bindings_update},
	{.method = "GET",
	 .pattern = UC "/metastores/{id}/systemschemas",
	 .handler = need_uc_system_schemas_list},
	{.method = "PUT",
	 .pattern = UC "/metastores/{id}/systemschemas/{schema}",
	 .handler = need_uc_system_schemas_enable},
	{.method = "DELETE",
	 .pattern = UC "/metastores/{id}/systemschemas/{schema}",
	 .handler = need_uc_system_schemas_disable},
	{.method = "GET",
	 .pattern = UC "/permissions/{type}/{name}",
	 .handler = need_uc_permissions_get},
	{.method = "PATCH",
	 .pattern = UC "/permissions/{type}/{name}",
	 .handler = need_uc_permissions_update},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_uc = {
	.name = "unity_catalog",
	.routes = uc_routes,
	.state_new = uc_state_new,
	.state_free = uc_state_free,
	.state_save = uc_state_save,
	.state_load = uc_state_load,
};
