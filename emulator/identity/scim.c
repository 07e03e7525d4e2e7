/*
 * SCIM 2.0: the workspace's users, groups and service principals
 * (databricks-sdk-go service/iam; RFC 7643/7644 where Databricks follows
 * them).
 *
 *   POST   /api/2.0/preview/scim/v2/{Users|Groups|ServicePrincipals}
 *   GET    /api/2.0/preview/scim/v2/{kind}        filter, startIndex, count,
 *                                                 attributes,
 * excludedAttributes GET    /api/2.0/preview/scim/v2/{kind}/{id} PUT
 * /api/2.0/preview/scim/v2/{kind}/{id}   replace PATCH
 * /api/2.0/preview/scim/v2/{kind}/{id}   Operations: add, remove, replace
 *   DELETE /api/2.0/preview/scim/v2/{kind}/{id}
 *
 * /Me stays in identity.c and reads its user from here (emu_scim_me).
 *
 * State: three arrays of records, one per kind, plus the id sequence.
 * A record holds what the client set (id, userName, displayName, active,
 * entitlements, roles...); memberships live only in a group's "members"
 * ({"value": id} each), and the "groups" a principal shows, the members'
 * display names and $refs are computed when rendering, so there is one
 * truth for who is in which group. The object store (store.h) is not used:
 * SCIM's list envelope, error body, PATCH operations and cross-record
 * memberships are none of its shapes.
 *
 * Every workspace starts with the groups "admins" and "users" and the
 * emulator's user admin@example.com (EMU_DEFAULT_USER_ID) in both; each
 * new user and service principal joins "users", as on the service.
 *
 * The test control POST /_emulator/scim/settings {"page_size": n} makes
 * lists serve at most n records a page (a server may serve fewer than
 * count asks, RFC 7644 §3.4.2.4), so clients' paging can be tested with
 * few records; it is routed before the core's catch-all control route
 * through a module of its own, emu_module_scim_control.
 *
 * Errors are SCIM's body, {"schemas": [...Error], "detail", "status" as a
 * string, "scimType" for 400 and 409}; the duplicate wordings are the
 * service's, as the official provider matches them for `force`.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "http.h"
#include "identity.h"
#include "json.h"
#include "module.h"
#include "scim_filter.h"
#include "util.h"
#include "workspace.h"

#define SCHEMA_USER "urn:ietf:params:scim:schemas:core:2.0:User"
#define SCHEMA_USER_WS                                                         \
	"urn:ietf:params:scim:schemas:extension:workspace:2.0:User"
#define SCHEMA_GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define SCHEMA_SP    "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"
#define SCHEMA_LIST  "urn:ietf:params:scim:api:messages:2.0:ListResponse"
#define SCHEMA_ERROR "urn:ietf:params:scim:api:messages:2.0:Error"

/* The Go SDK asks for pages of 10000 (ListUsersRequest.Count's default in
 * its iterators), and the service serves that size; more is clamped. */
#define SCIM_PAGE_DEFAULT 10000
#define SCIM_PAGE_MAX	  10000
/* Records per kind: a bound on memory for a hostile client, far above
 * what a test creates. */
#define SCIM_MAX_RECORDS 100000
/* New ids: 16 digits, apart from the built-ins' 42... range and the
 * 43... range identity.c gives OAuth principals, all below 2^53. */
#define SCIM_ID_BASE UINT64_C(4400000000000000)

enum scim_kind { KIND_USERS, KIND_GROUPS, KIND_SPS, KIND_COUNT };

struct kind_info {
	const char *path;	/* "Users": in routes and $ref */
	const char *key;	/* the unique attribute */
	const char *noun;	/* "User": in 404 messages */
	const char *dup_before; /* duplicate: before the key */
	const char *schema;
};

static const struct kind_info kinds[KIND_COUNT] = {
	[KIND_USERS] = {.path = "Users",
			.key = "userName",
			.noun = "User",
			.dup_before = "User with username ",
			.schema = SCHEMA_USER},
	[KIND_GROUPS] = {.path = "Groups",
			 .key = "displayName",
			 .noun = "Group",
			 .dup_before = "Group with name ",
			 .schema = SCHEMA_GROUP},
	[KIND_SPS] = {.path = "ServicePrincipals",
		      .key = "applicationId",
		      .noun = "Service principal",
		      .dup_before = "Service principal with application ID ",
		      .schema = SCHEMA_SP},
};

struct scim_state {
	cJSON *records[KIND_COUNT]; /* arrays of records */
	uint64_t next;		    /* last sequence number issued */
	/* The largest page a list serves (a test control; 0: the
	 * service's SCIM_PAGE_MAX). Not saved. */
	int64_t page_max;
};

/* --- errors ----------------------------------------------------------------
 */

static int scim_error(struct emu_response *resp, int status,
		      const char *scim_type, const char *fmt, ...)
	EMU_PRINTF(4, 5);

static int scim_error(struct emu_response *resp, int status,
		      const char *scim_type, const char *fmt, ...)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *schemas = cJSON_AddArrayToObject(body, "schemas");
	char *detail, *code;
	va_list ap;

	va_start(ap, fmt);
	detail = emu_vprintf(fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(schemas, cJSON_CreateString(SCHEMA_ERROR));
	cJSON_AddStringToObject(body, "detail", detail);
	code = emu_printf("%d", status);
	cJSON_AddStringToObject(body, "status", code);
	if (scim_type)
		cJSON_AddStringToObject(body, "scimType", scim_type);
	free(code);
	free(detail);
	emu_response_json(resp, status, body);
	/* For the request log; SCIM bodies carry no error_code. */
	resp->error_code = status == 404   ? "SCIM_404"
			   : status == 409 ? "SCIM_409"
					   : "SCIM_400";
	return -1;
}

static int invalid_value(struct emu_response *resp, const char *attr)
{
	return scim_error(resp, 400, "invalidValue",
			  "Invalid value for attribute %s.", attr);
}

/* --- records ---------------------------------------------------------------
 */

static const char *rec_id(const cJSON *rec)
{
	return emu_json_str(rec, "id");
}

static cJSON *find_by(const struct scim_state *st, enum scim_kind k,
		      const char *attr, const char *value, bool nocase)
{
	cJSON *rec;

	cJSON_ArrayForEach(rec, st->records[k])
	{
		const char *v = emu_json_str(rec, attr);

		if (v &&
		    (nocase ? emu_strcaseeq(v, value) : strcmp(v, value) == 0))
			return rec;
	}
	return NULL;
}

static cJSON *find_id(const struct scim_state *st, enum scim_kind k,
		      const char *id)
{
	return find_by(st, k, "id", id, false);
}

/* The record with this id in any kind (its kind in *kind_out), or NULL. */
static cJSON *find_any(const struct scim_state *st, const char *id,
		       enum scim_kind *kind_out)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++) {
		cJSON *rec = find_id(st, (enum scim_kind)k, id);

		if (rec) {
			*kind_out = (enum scim_kind)k;
			return rec;
		}
	}
	return NULL;
}

/* Does a multi-valued array hold an element with this value? */
static cJSON *value_in(const cJSON *array, const char *value)
{
	cJSON *el;

	cJSON_ArrayForEach(el, array)
	{
		const char *v = emu_json_str(el, "value");

		if (v && strcmp(v, value) == 0)
			return el;
	}
	return NULL;
}

static void add_value(cJSON *array, const char *value)
{
	cJSON *el;

	if (value_in(array, value))
		return;
	el = cJSON_CreateObject();
	cJSON_AddStringToObject(el, "value", value);
	cJSON_AddItemToArray(array, el);
}

static void remove_value(cJSON *array, const char *value)
{
	cJSON *el = value_in(array, value);

	if (el)
		cJSON_Delete(cJSON_DetachItemViaPointer(array, el));
}

static cJSON *members_of(cJSON *group)
{
	cJSON *m = cJSON_GetObjectItemCaseSensitive(group, "members");

	if (!m)
		m = cJSON_AddArrayToObject(group, "members");
	return m;
}

static void join_group(struct scim_state *st, const char *group_id,
		       const char *id)
{
	cJSON *g = find_id(st, KIND_GROUPS, group_id);

	if (g)
		add_value(members_of(g), id);
}

/* Takes id out of every group (it is being deleted). */
static void leave_all(struct scim_state *st, const char *id)
{
	cJSON *g;

	cJSON_ArrayForEach(g, st->records[KIND_GROUPS])
	{
		remove_value(members_of(g), id);
	}
}

/* The id the next create takes; st->next moves on only when it succeeds,
 * so a refused create leaves no gap. */
static char *next_id(const struct scim_state *st)
{
	return emu_printf("%" PRIu64, SCIM_ID_BASE + st->next + 1);
}

/* A version 4 UUID layout from the sequence, for applicationId. */
static char *make_uuid(uint64_t n)
{
	uint64_t a = (n + UINT64_C(0x9E3779B97F4A7C15)) *
		     UINT64_C(0xBF58476D1CE4E5B9);
	uint64_t b = (a ^ (a >> 31)) * UINT64_C(0x94D049BB133111EB);

	return emu_printf("%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64
			  "-%04" PRIx64 "-%012" PRIx64,
			  a >> 32, (a >> 16) & 0xffff, a & 0xfff,
			  (b >> 48 & 0x3fff) | 0x8000,
			  b & UINT64_C(0xffffffffffff));
}

/* --- rendering ---------------------------------------------------------------
 */

static const char *display_of(const cJSON *rec, enum scim_kind k)
{
	const char *d = emu_json_str(rec, "displayName");

	if (!d && k == KIND_USERS)
		d = emu_json_str(rec, "userName");
	if (!d && k == KIND_SPS)
		d = emu_json_str(rec, "applicationId");
	return d ? d : "";
}

static cJSON *ref_to(const cJSON *rec, enum scim_kind k, bool direct)
{
	cJSON *el = cJSON_CreateObject();
	char *ref = emu_printf("%s/%s", kinds[k].path, rec_id(rec));

	cJSON_AddStringToObject(el, "display", display_of(rec, k));
	if (direct)
		cJSON_AddStringToObject(el, "type", "direct");
	cJSON_AddStringToObject(el, "value", rec_id(rec));
	cJSON_AddStringToObject(el, "$ref", ref);
	free(ref);
	return el;
}

/* The groups that list id as a member, as a principal's "groups". */
static cJSON *groups_of(const struct scim_state *st, const char *id)
{
	cJSON *out = cJSON_CreateArray();
	cJSON *g;

	cJSON_ArrayForEach(g, st->records[KIND_GROUPS])
	{
		if (value_in(cJSON_GetObjectItemCaseSensitive(g, "members"),
			     id))
			cJSON_AddItemToArray(out, ref_to(g, KIND_GROUPS, true));
	}
	return out;
}

/* A record as GET shows it (a new object). */
static cJSON *render(const struct scim_state *st, enum scim_kind k,
		     const cJSON *rec)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *schemas = cJSON_AddArrayToObject(out, "schemas");
	const cJSON *item;
	cJSON *groups;

	cJSON_AddItemToArray(schemas, cJSON_CreateString(kinds[k].schema));
	if (k == KIND_USERS)
		cJSON_AddItemToArray(schemas,
				     cJSON_CreateString(SCHEMA_USER_WS));
	cJSON_ArrayForEach(item, rec)
	{
		if (strcmp(item->string, "members") == 0) {
			cJSON *members = cJSON_AddArrayToObject(out, "members");
			const cJSON *m;

			cJSON_ArrayForEach(m, item)
			{
				enum scim_kind mk;
				const cJSON *who = find_any(
					st, emu_json_str(m, "value"), &mk);

				if (who)
					cJSON_AddItemToArray(
						members,
						ref_to(who, mk, false));
			}
			continue;
		}
		cJSON_AddItemToObject(out, item->string,
				      cJSON_Duplicate(item, true));
	}
	groups = groups_of(st, rec_id(rec));
	if (cJSON_GetArraySize(groups) > 0)
		cJSON_AddItemToObject(out, "groups", groups);
	else
		cJSON_Delete(groups);
	if (k == KIND_GROUPS) {
		cJSON *meta = cJSON_AddObjectToObject(out, "meta");

		cJSON_AddStringToObject(meta, "resourceType", "WorkspaceGroup");
	}
	return out;
}

/* Is name in the comma-separated attribute list? Only the top-level part
 * of a list entry counts ("name.givenName" keeps "name"). */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		const char *dot;

		while (len > 0 && *list == ' ') {
			list++;
			len--;
		}
		while (len > 0 && list[len - 1] == ' ')
			len--;
		dot = memchr(list, '.', len);
		if (dot)
			len = (size_t)(dot - list);
		if (len == n && strncasecmp(list, name, n) == 0)
			return true;
		list = comma ? comma + 1 : NULL;
	}
	return false;
}

void emu_scim_project(cJSON *obj, const char *attributes, const char *excluded)
{
	cJSON *item = obj->child;

	while (item) {
		cJSON *next = item->next;
		bool keep = strcmp(item->string, "id") == 0 ||
			    strcmp(item->string, "schemas") == 0 ||
			    ((!attributes || !*attributes ||
			      listed(attributes, item->string)) &&
			     !listed(excluded, item->string));

		if (!keep)
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, item));
		item = next;
	}
}

static void reply_object(struct scim_state *st, struct emu_request *req,
			 struct emu_response *resp, int status,
			 enum scim_kind k, const cJSON *rec)
{
	cJSON *out = render(st, k, rec);

	emu_scim_project(out, emu_request_query(req, "attributes"),
			 emu_request_query(req, "excludedAttributes"));
	emu_response_json(resp, status, out);
}

/* --- request bodies ----------------------------------------------------------
 */

/*
 * A multi-valued attribute from a request: an array of {"value": string}
 * (other members of an element are kept), or one such object. Returns a
 * new array without repeated values, or NULL after a 400.
 */
static cJSON *multi_values(const cJSON *v, const char *attr,
			   struct emu_response *resp)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *el;
	cJSON *one = NULL;

	if (cJSON_IsObject(v)) {
		one = cJSON_CreateArray();
		cJSON_AddItemToArray(one, cJSON_Duplicate(v, true));
		v = one;
	}
	if (!cJSON_IsArray(v))
		goto bad;
	cJSON_ArrayForEach(el, v)
	{
		const char *value = emu_json_str(el, "value");

		/* The official provider sends entitlements [{}] for "none"
		 * (a create, a PUT, a PATCH replace), which the service takes
		 * as no entitlement. */
		if (cJSON_IsObject(el) && (!value || !*value) &&
		    strcmp(attr, "entitlements") == 0)
			continue;
		if (!cJSON_IsObject(el) || !value || !*value)
			goto bad;
		if (!value_in(out, value)) {
			cJSON *copy = cJSON_CreateObject();

			cJSON_AddStringToObject(copy, "value", value);
			cJSON_AddItemToArray(out, copy);
		}
	}
	cJSON_Delete(one);
	return out;
bad:
	cJSON_Delete(one);
	cJSON_Delete(out);
	invalid_value(resp, attr);
	return NULL;
}

/* What a client may set, per kind, and its JSON type. */
struct settable {
	const char *name;
	int type;	/* cJSON_String, cJSON_True (a bool), cJSON_Object,
			   cJSON_Array (plain array), 0: multi-valued {value} */
	unsigned kinds; /* 1 << enum scim_kind */
};

#define U (1u << KIND_USERS)
#define G (1u << KIND_GROUPS)
#define S (1u << KIND_SPS)
static const struct settable settables[] = {
	{"userName", cJSON_String, U},
	{"applicationId", cJSON_String, S},
	{"displayName", cJSON_String, U | G | S},
	{"externalId", cJSON_String, U | G | S},
	{"name", cJSON_Object, U},
	{"emails", cJSON_Array, U},
	{"active", cJSON_True, U | S},
	{"members", 0, G},
	{"entitlements", 0, U | G | S},
	{"roles", 0, U | G | S},
};
#undef U
#undef G
#undef S

static const struct settable *settable_for(enum scim_kind k, const char *name)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(settables); i++) {
		if ((settables[i].kinds & (1u << k)) &&
		    emu_strcaseeq(settables[i].name, name))
			return &settables[i];
	}
	return NULL;
}

/* Checks and normalises one attribute value; returns a new value or NULL
 * after a 400. */
static cJSON *attr_value(const struct settable *s, const cJSON *v,
			 struct emu_response *resp)
{
	bool ok;

	switch (s->type) {
	case 0:
		return multi_values(v, s->name, resp);
	case cJSON_String:
		ok = cJSON_IsString(v);
		break;
	case cJSON_True:
		/* The service also takes a boolean as its text, and as a
		 * one-element multi-valued array: the official provider
		 * deactivates with {"op": "replace", "path": "active",
		 * "value": [{"value": "false"}]}. */
		if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 1)
			v = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetArrayItem(v, 0), "value");
		if (cJSON_IsString(v) &&
		    (strcasecmp(v->valuestring, "true") == 0 ||
		     strcasecmp(v->valuestring, "false") == 0))
			return cJSON_CreateBool(
				strcasecmp(v->valuestring, "true") == 0);
		ok = cJSON_IsBool(v);
		break;
	case cJSON_Object:
		ok = cJSON_IsObject(v);
		break;
	default:
		ok = cJSON_IsArray(v);
		break;
	}
	if (!ok) {
		invalid_value(resp, s->name);
		return NULL;
	}
	return cJSON_Duplicate(v, true);
}

/* Every member id in record's "members" must name a principal, and not
 * the group itself. */
static int check_members(const struct scim_state *st, const cJSON *rec,
			 struct emu_response *resp)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(rec, "members"))
	{
		const char *v = emu_json_str(m, "value");
		enum scim_kind k;

		if (!find_any(st, v, &k) || strcmp(v, rec_id(rec)) == 0)
			return scim_error(resp, 404, NULL,
					  "Member with id %s not found.", v);
	}
	return 0;
}

static int check_unique(const struct scim_state *st, enum scim_kind k,
			const cJSON *rec, struct emu_response *resp)
{
	const char *key = emu_json_str(rec, kinds[k].key);
	const cJSON *other;

	if (!key || !*key)
		return scim_error(resp, 400, "invalidValue",
				  "Attribute %s is required.", kinds[k].key);
	other = find_by(st, k, kinds[k].key, key, k != KIND_GROUPS);
	if (other && strcmp(rec_id(other), rec_id(rec)) != 0)
		return scim_error(resp, 409, "uniqueness",
				  "%s%s already exists.", kinds[k].dup_before,
				  key);
	return 0;
}

/*
 * A record from a create or PUT body, with id. Unknown and read-only
 * attributes are ignored, as the service ignores them. Returns NULL after
 * an error.
 */
static cJSON *record_from(enum scim_kind k, const char *id, const cJSON *body,
			  struct emu_response *resp)
{
	cJSON *rec = cJSON_CreateObject();
	size_t i;

	cJSON_AddStringToObject(rec, "id", id);
	for (i = 0; i < EMU_ARRAY_SIZE(settables); i++) {
		const struct settable *s = &settables[i];
		const cJSON *v = scim_member(body, s->name);
		cJSON *value;

		if (!(s->kinds & (1u << k)) || !v || cJSON_IsNull(v))
			continue;
		value = attr_value(s, v, resp);
		if (!value) {
			cJSON_Delete(rec);
			return NULL;
		}
		cJSON_AddItemToObject(rec, s->name, value);
	}
	/* The service keeps user names in lower case ("Provided username
	 * will be converted to lower case", the official provider's docs). */
	if (k == KIND_USERS) {
		cJSON *name = cJSON_GetObjectItemCaseSensitive(rec, "userName");
		char *c;

		for (c = cJSON_IsString(name) ? name->valuestring : NULL;
		     c && *c; c++)
			*c = (char)tolower((unsigned char)*c);
	}
	if (k != KIND_GROUPS &&
	    !cJSON_GetObjectItemCaseSensitive(rec, "active"))
		cJSON_AddBoolToObject(rec, "active", true);
	if (k == KIND_USERS && !emu_json_str(rec, "displayName") &&
	    emu_json_str(rec, "userName"))
		cJSON_AddStringToObject(rec, "displayName",
					emu_json_str(rec, "userName"));
	return rec;
}

/* The group ids of a body's "groups" ([{"value": id}]), checked to exist;
 * NULL after an error, an empty array when none. */
static cJSON *body_groups(const struct scim_state *st, const cJSON *body,
			  struct emu_response *resp)
{
	const cJSON *v = scim_member(body, "groups");
	cJSON *ids;
	const cJSON *g;

	if (!v || cJSON_IsNull(v))
		return cJSON_CreateArray();
	ids = multi_values(v, "groups", resp);
	if (!ids)
		return NULL;
	cJSON_ArrayForEach(g, ids)
	{
		const char *gid = emu_json_str(g, "value");

		if (!find_id(st, KIND_GROUPS, gid)) {
			cJSON_Delete(ids);
			scim_error(resp, 404, NULL,
				   "Group with id %s not found.", gid);
			return NULL;
		}
	}
	return ids;
}

/* --- handlers ----------------------------------------------------------------
 */

static enum scim_kind route_kind(const struct emu_request *req)
{
	const char *k = emu_request_param(req, "kind");
	int i;

	for (i = 0; i < KIND_COUNT; i++) {
		if (strcmp(k, kinds[i].path) == 0)
			return (enum scim_kind)i;
	}
	return KIND_USERS; /* unreachable: the route lists the kinds */
}

static cJSON *route_record(struct scim_state *st, struct emu_request *req,
			   struct emu_response *resp, enum scim_kind k)
{
	const char *id = emu_request_param(req, "id");
	cJSON *rec = find_id(st, k, id);

	if (!rec)
		scim_error(resp, 404, NULL, "%s with id %s not found.",
			   kinds[k].noun, id);
	return rec;
}

static void scim_create(struct emu_request *req, struct emu_response *resp)
{
	struct scim_state *st = req->state;
	enum scim_kind k = route_kind(req);
	cJSON *rec = NULL, *groups = NULL, *g;
	char *id = NULL;

	if (cJSON_GetArraySize(st->records[k]) >= SCIM_MAX_RECORDS) {
		scim_error(resp, 400, "tooMany", "Too many %s.", kinds[k].path);
		return;
	}
	groups = body_groups(st, req->json, resp);
	if (!groups)
		return;
	id = next_id(st);
	rec = record_from(k, id, req->json, resp);
	if (!rec)
		goto done;
	if (k == KIND_SPS && !emu_json_str(rec, "applicationId")) {
		char *uuid = make_uuid(st->next + 1);

		cJSON_AddStringToObject(rec, "applicationId", uuid);
		free(uuid);
	}
	if (check_unique(st, k, rec, resp) < 0 ||
	    check_members(st, rec, resp) < 0)
		goto done;
	cJSON_AddItemToArray(st->records[k], rec);
	st->next++;
	if (k != KIND_GROUPS)
		join_group(st, EMU_SCIM_USERS_ID, id);
	cJSON_ArrayForEach(g, groups)
	{
		join_group(st, emu_json_str(g, "value"), id);
	}
	reply_object(st, req, resp, 201, k, rec);
	rec = NULL;
done:
	cJSON_Delete(rec);
	cJSON_Delete(groups);
	free(id);
}

static void scim_get(struct emu_request *req, struct emu_response *resp)
{
	struct scim_state *st = req->state;
	enum scim_kind k = route_kind(req);
	cJSON *rec = route_record(st, req, resp, k);

	if (rec)
		reply_object(st, req, resp, 200, k, rec);
}

/* A positive integer query parameter, or def when absent. */
static int query_count(int64_t *out, struct emu_request *req,
		       struct emu_response *resp, const char *name, int64_t def)
{
	const char *text = emu_request_query(req, name);

	*out = def;
	if (!text || !*text)
		return 0;
	if (emu_json_parse_int64_text(out, text) < 0 || *out < 0)
		return scim_error(resp, 400, "invalidValue",
				  "Invalid value for %s: %s.", name, text);
	return 0;
}

static void scim_list(struct emu_request *req, struct emu_response *resp)
{
	struct scim_state *st = req->state;
	enum scim_kind k = route_kind(req);
	const char *filter_text = emu_request_query(req, "filter");
	struct scim_filter *filter = NULL;
	int64_t start, count, total = 0, shown = 0;
	cJSON *body, *resources, *rec;

	if (query_count(&start, req, resp, "startIndex", 1) < 0 ||
	    query_count(&count, req, resp, "count", SCIM_PAGE_DEFAULT) < 0)
		return;
	/* SCIM: a startIndex below 1 is read as 1 (RFC 7644 §3.4.2.4). */
	if (start < 1)
		start = 1;
	if (count > SCIM_PAGE_MAX)
		count = SCIM_PAGE_MAX;
	/* A server may serve fewer than asked (RFC 7644 §3.4.2.4): the
	 * test control makes that happen with few records. */
	if (st->page_max > 0 && count > st->page_max)
		count = st->page_max;
	if (filter_text && *filter_text) {
		const char *err;

		filter = scim_filter_parse(filter_text, &err);
		if (!filter) {
			scim_error(resp, 400, "invalidFilter", "%s", err);
			return;
		}
	}
	resources = cJSON_CreateArray();
	cJSON_ArrayForEach(rec, st->records[k])
	{
		cJSON *view = render(st, k, rec);

		if (!filter || scim_filter_match(filter, view)) {
			total++;
			if (total >= start && shown < count) {
				emu_scim_project(
					view,
					emu_request_query(req, "attributes"),
					emu_request_query(
						req, "excludedAttributes"));
				cJSON_AddItemToArray(resources, view);
				shown++;
				continue;
			}
		}
		cJSON_Delete(view);
	}
	scim_filter_free(filter);
	body = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "schemas"),
			     cJSON_CreateString(SCHEMA_LIST));
	emu_json_add_int64(body, "totalResults", total);
	emu_json_add_int64(body, "startIndex", start);
	emu_json_add_int64(body, "itemsPerPage", shown);
	/* An empty page has no Resources member on the service. */
	if (shown > 0)
		cJSON_AddItemToObject(body, "Resources", resources);
	else
		cJSON_Delete(resources);
	emu_response_json(resp, 200, body);
}

static void scim_put(struct emu_request *req, struct emu_response *resp)
{
	struct scim_state *st = req->state;
	enum scim_kind k = route_kind(req);
	cJSON *old = route_record(st, req, resp, k);
	cJSON *rec;

	if (!old)
		return;
	rec = record_from(k, rec_id(old), req->json, resp);
	if (!rec)
		return;
	/* The application id cannot change; a PUT without it keeps it. */
	if (k == KIND_SPS) {
		const char *app = emu_json_str(rec, "applicationId");
		const char *was = emu_json_str(old, "applicationId");

		if (app && !emu_strcaseeq(app, was)) {
			cJSON_Delete(rec);
			scim_error(resp, 400, "mutability",
				   "Attribute applicationId is immutable.");
			return;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(rec, "applicationId");
		cJSON_AddStringToObject(rec, "applicationId", was);
	}
	if (check_unique(st, k, rec, resp) < 0 ||
	    check_members(st, rec, resp) < 0) {
		cJSON_Delete(rec);
		return;
	}
	/* A user's or service principal's "groups" in a PUT is read-only
	 * (memberships change through the group), so it is ignored. */
	cJSON_ReplaceItemViaPointer(st->records[k], old, rec);
	reply_object(st, req, resp, 200, k, rec);
}

static void scim_delete(struct emu_request *req, struct emu_response *resp)
{
	struct scim_state *st = req->state;
	enum scim_kind k = route_kind(req);
	cJSON *rec = route_record(st, req, resp, k);

	if (!rec)
		return;
	if (k == KIND_GROUPS && (strcmp(rec_id(rec), EMU_SCIM_ADMINS_ID) == 0 ||
				 strcmp(rec_id(rec), EMU_SCIM_USERS_ID) == 0)) {
		scim_error(resp, 400, "mutability",
			   "Cannot delete the built-in group %s.",
			   display_of(rec, k));
		return;
	}
	leave_all(st, rec_id(rec));
	cJSON_Delete(cJSON_DetachItemViaPointer(st->records[k], rec));
	resp->status = 204;
}

/* --- PATCH -------------------------------------------------------------------
 */

/* A principal's "groups" as a multi-valued array of {value}. */
static cJSON *group_values(const struct scim_state *st, const char *id)
{
	cJSON *out = cJSON_CreateArray();
	cJSON *g;

	cJSON_ArrayForEach(g, st->records[KIND_GROUPS])
	{
		if (value_in(cJSON_GetObjectItemCaseSensitive(g, "members"),
			     id)) {
			cJSON *el = cJSON_CreateObject();

			cJSON_AddStringToObject(el, "value", rec_id(g));
			cJSON_AddStringToObject(el, "display",
						display_of(g, KIND_GROUPS));
			cJSON_AddItemToArray(out, el);
		}
	}
	return out;
}

/* Makes id's memberships those of want (an array of {value}). */
static int set_groups(struct scim_state *st, const char *id, const cJSON *want,
		      struct emu_response *resp)
{
	cJSON *g;
	const cJSON *el;

	cJSON_ArrayForEach(el, want)
	{
		const char *gid = emu_json_str(el, "value");

		if (!find_id(st, KIND_GROUPS, gid) || strcmp(gid, id) == 0)
			return scim_error(resp, 404, NULL,
					  "Group with id %s not found.", gid);
	}
	cJSON_ArrayForEach(g, st->records[KIND_GROUPS])
	{
		if (value_in(want, rec_id(g)))
			add_value(members_of(g), id);
		else
			remove_value(members_of(g), id);
	}
	return 0;
}

/*
 * One operation on the multi-valued array list (replaced in place): add
 * appends the values not there, remove drops those the path's filter (or
 * the value) names, or all, replace does remove then add.
 */
static int patch_multi(cJSON *list, const char *op, const struct scim_path *p,
		       const cJSON *value, struct emu_response *resp)
{
	cJSON *values = NULL, *el, *next;

	if (value && !cJSON_IsNull(value)) {
		values = multi_values(value, p->attr, resp);
		if (!values)
			return -1;
	} else if (strcmp(op, "remove") != 0) {
		return scim_error(resp, 400, "invalidValue",
				  "Operation %s requires a value.", op);
	}
	if (strcmp(op, "remove") == 0 || strcmp(op, "replace") == 0) {
		for (el = list->child; el; el = next) {
			bool drop;

			next = el->next;
			if (p->filter)
				drop = scim_filter_match(p->filter, el);
			else if (strcmp(op, "remove") == 0 && values)
				drop = value_in(values,
						emu_json_str(el, "value")) !=
				       NULL;
			else
				drop = true;
			if (drop)
				cJSON_Delete(
					cJSON_DetachItemViaPointer(list, el));
		}
	}
	if (strcmp(op, "remove") != 0) {
		cJSON_ArrayForEach(el, values)
		{
			add_value(list, emu_json_str(el, "value"));
		}
	}
	cJSON_Delete(values);
	return 0;
}

static int patch_attr(struct scim_state *st, enum scim_kind k, cJSON *rec,
		      const char *op, const char *path, const cJSON *value,
		      struct emu_response *resp)
{
	struct scim_path p;
	const struct settable *s;
	const char *err;
	int rc = -1;

	if (scim_path_parse(&p, path, &err) < 0)
		return scim_error(resp, 400, "invalidPath", "%s", err);
	if (emu_strcaseeq(p.attr, "groups")) {
		cJSON *list = group_values(st, rec_id(rec));

		rc = patch_multi(list, op, &p, value, resp);
		if (rc == 0)
			rc = set_groups(st, rec_id(rec), list, resp);
		cJSON_Delete(list);
		goto done;
	}
	s = settable_for(k, p.attr);
	if (!s || (p.filter && s->type != 0)) {
		rc = scim_error(resp, 400, "invalidPath", "Invalid path: %s.",
				path);
		goto done;
	}
	if (s->type == 0) {
		cJSON *list = cJSON_GetObjectItemCaseSensitive(rec, s->name);

		if (!list)
			list = cJSON_AddArrayToObject(rec, s->name);
		rc = patch_multi(list, op, &p, value, resp);
		if (rc == 0 && strcmp(s->name, "members") == 0)
			rc = check_members(st, rec, resp);
		goto done;
	}
	if (strcmp(s->name, kinds[k].key) == 0 && strcmp(op, "remove") == 0) {
		rc = scim_error(resp, 400, "mutability",
				"Attribute %s is required.", s->name);
		goto done;
	}
	if (strcmp(s->name, "applicationId") == 0) {
		rc = scim_error(resp, 400, "mutability",
				"Attribute applicationId is immutable.");
		goto done;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(rec, s->name);
	if (strcmp(op, "remove") != 0) {
		cJSON *v = attr_value(s, value, resp);

		if (!v)
			goto done;
		cJSON_AddItemToObject(rec, s->name, v);
	}
	rc = strcmp(s->name, kinds[k].key) == 0 ? check_unique(st, k, rec, resp)
						: 0;
done:
	scim_path_dispose(&p);
	return rc;
}

static int patch_op(struct scim_state *st, enum scim_kind k, cJSON *rec,
		    const cJSON *operation, struct emu_response *resp)
{
	const char *op_text = emu_json_str(operation, "op");
	const cJSON *path = scim_member(operation, "path");
	const cJSON *value = scim_member(operation, "value");
	const char *op;
	const cJSON *item;

	if (!op_text)
		return scim_error(resp, 400, "invalidSyntax",
				  "Missing op in operation.");
	if (emu_strcaseeq(op_text, "add"))
		op = "add";
	else if (emu_strcaseeq(op_text, "remove"))
		op = "remove";
	else if (emu_strcaseeq(op_text, "replace"))
		op = "replace";
	else
		return scim_error(resp, 400, "invalidSyntax",
				  "Unsupported op: %s.", op_text);
	if (cJSON_IsString(path) && path->valuestring[0])
		return patch_attr(st, k, rec, op, path->valuestring, value,
				  resp);
	if (path && !cJSON_IsNull(path) && !cJSON_IsString(path))
		return scim_error(resp, 400, "invalidPath", "Invalid path.");
	/* No path: the value is an object of attribute: value pairs
	 * (RFC 7644 §3.5.2.1); remove always needs a path. */
	if (strcmp(op, "remove") == 0)
		return scim_error(resp, 400, "noTarget",
				  "Operation remove requires a path.");
	if (!cJSON_IsObject(value))
		return scim_error(resp, 400, "invalidValue",
				  "Operation %s without a path requires an "
				  "object value.",
				  op);
	cJSON_ArrayForEach(item, value)
	{
		/* schemas in the value object is not an attribute to set. */
		if (emu_strcaseeq(item->string, "schemas"))
			continue;
		if (patch_attr(st, k, rec, op, item->string, item, resp) < 0)
			return -1;
	}
	return 0;
}

static void state_swap(struct scim_state *a, struct scim_state *b)
{
	struct scim_state t = *a;

	*a = *b;
	*b = t;
}

static void state_copy(struct scim_state *out, const struct scim_state *in)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		out->records[k] = cJSON_Duplicate(in->records[k], true);
	out->next = in->next;
	out->page_max = in->page_max;
}

static void state_dispose(struct scim_state *st)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		cJSON_Delete(st->records[k]);
}

static void scim_patch(struct emu_request *req, struct emu_response *resp)
{
	struct scim_state *st = req->state;
	enum scim_kind k = route_kind(req);
	cJSON *rec = route_record(st, req, resp, k);
	const cJSON *ops = scim_member(req->json, "Operations");
	const cJSON *operation;
	struct scim_state saved;

	if (!rec)
		return;
	if (!cJSON_IsArray(ops)) {
		scim_error(resp, 400, "invalidSyntax",
			   "Request is unparsable, syntactically incorrect, "
			   "or violates schema.");
		return;
	}
	/* Operations apply all or nothing (RFC 7644 §3.5.2): work on the
	 * live state and put the copy back on the first failure. */
	state_copy(&saved, st);
	cJSON_ArrayForEach(operation, ops)
	{
		if (patch_op(st, k, rec, operation, resp) < 0) {
			state_swap(st, &saved);
			state_dispose(&saved);
			return;
		}
	}
	state_dispose(&saved);
	resp->status = 204;
}

/* --- the interface to other families
 * -------------------------------------------
 */

static struct scim_state *state_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_scim);
}

bool emu_scim_user_exists(struct emu_workspace *ws, const char *user_name)
{
	return find_by(state_of(ws), KIND_USERS, "userName", user_name, true);
}

const char *emu_scim_sp_application_id(struct emu_workspace *ws,
				       const char *id)
{
	const cJSON *rec = id ? find_id(state_of(ws), KIND_SPS, id) : NULL;

	return rec ? emu_json_str(rec, "applicationId") : NULL;
}

bool emu_scim_group_exists(struct emu_workspace *ws, const char *display_name)
{
	return find_by(state_of(ws), KIND_GROUPS, "displayName", display_name,
		       false);
}

bool emu_scim_sp_exists(struct emu_workspace *ws, const char *application_id)
{
	return find_by(state_of(ws), KIND_SPS, "applicationId", application_id,
		       true);
}

/* The spelling of attr in the record of kind k whose attr is value
 * (ASCII case ignored), with its displayName. */
static const char *canonical(struct emu_workspace *ws, enum scim_kind k,
			     const char *attr, const char *value,
			     const char **display_name)
{
	const cJSON *rec = find_by(state_of(ws), k, attr, value, true);

	*display_name = rec ? emu_json_str(rec, "displayName") : NULL;
	return rec ? emu_json_str(rec, attr) : NULL;
}

const char *emu_scim_user_name(struct emu_workspace *ws, const char *user_name,
			       const char **display_name)
{
	return canonical(ws, KIND_USERS, "userName", user_name, display_name);
}

const char *emu_scim_sp_name(struct emu_workspace *ws,
			     const char *application_id,
			     const char **display_name)
{
	return canonical(ws, KIND_SPS, "applicationId", application_id,
			 display_name);
}

/* Is id in group gid, directly or through nested groups? depth bounds a
 * cycle of groups containing each other. */
static bool in_group(const struct scim_state *st, const char *id,
		     const char *gid, int depth)
{
	cJSON *g;

	if (depth > 16)
		return false;
	cJSON_ArrayForEach(g, st->records[KIND_GROUPS])
	{
		if (!value_in(cJSON_GetObjectItemCaseSensitive(g, "members"),
			      id))
			continue;
		if (strcmp(rec_id(g), gid) == 0 ||
		    in_group(st, rec_id(g), gid, depth + 1))
			return true;
	}
	return false;
}

/* Is id in the admins group, directly or through nested groups? */
static bool in_admins(const struct scim_state *st, const char *id)
{
	return in_group(st, id, EMU_SCIM_ADMINS_ID, 0);
}

/* The user or service principal a principal name stands for. */
static cJSON *principal_record(const struct scim_state *st,
			       const char *principal, enum scim_kind *k)
{
	cJSON *rec = find_by(st, KIND_USERS, "userName", principal, true);

	*k = KIND_USERS;
	if (!rec) {
		rec = find_by(st, KIND_SPS, "applicationId", principal, true);
		*k = KIND_SPS;
	}
	return rec;
}

bool emu_scim_is_admin(struct emu_workspace *ws, const char *principal)
{
	const struct scim_state *st = state_of(ws);
	enum scim_kind k;
	const cJSON *rec = principal_record(st, principal, &k);

	if (!rec)
		rec = find_by(st, KIND_GROUPS, "displayName", principal, false);
	if (!rec)
		return false;
	return strcmp(rec_id(rec), EMU_SCIM_ADMINS_ID) == 0 ||
	       in_admins(st, rec_id(rec));
}

bool emu_scim_in_group(struct emu_workspace *ws, const char *principal,
		       const char *group_name)
{
	const struct scim_state *st = state_of(ws);
	enum scim_kind k;
	const cJSON *rec = principal_record(st, principal, &k);
	const cJSON *group =
		find_by(st, KIND_GROUPS, "displayName", group_name, false);

	if (!rec)
		rec = find_by(st, KIND_GROUPS, "displayName", principal, false);
	if (!rec || !group)
		return false;
	return strcmp(rec_id(rec), rec_id(group)) == 0 ||
	       in_group(st, rec_id(rec), rec_id(group), 0);
}

cJSON *emu_scim_me(struct emu_workspace *ws, const char *principal)
{
	const struct scim_state *st = state_of(ws);
	enum scim_kind k;
	const cJSON *rec = principal_record(st, principal, &k);
	cJSON *me;

	if (!rec)
		return NULL;
	me = render(st, k, rec);
	/* /Me shows a service principal with its application id as
	 * userName, as it does the ones it does not list. */
	if (k == KIND_SPS && !cJSON_GetObjectItemCaseSensitive(me, "userName"))
		cJSON_AddStringToObject(me, "userName", principal);
	return me;
}

/* --- state -------------------------------------------------------------------
 */

static cJSON *builtin_group(const char *id, const char *name)
{
	cJSON *g = cJSON_CreateObject();

	cJSON_AddStringToObject(g, "id", id);
	cJSON_AddStringToObject(g, "displayName", name);
	cJSON_AddArrayToObject(g, "members");
	return g;
}

/* The emulator's own user, as /Me has always shown it. */
static cJSON *builtin_admin(void)
{
	static const char *const entitlements[] = {
		"allow-cluster-create", "allow-instance-pool-create",
		"databricks-sql-access", "workspace-access"};
	cJSON *u = cJSON_CreateObject();
	cJSON *name, *emails, *email, *ents;
	size_t i;

	cJSON_AddStringToObject(u, "id", EMU_DEFAULT_USER_ID);
	cJSON_AddStringToObject(u, "userName", EMU_DEFAULT_USER_NAME);
	cJSON_AddStringToObject(u, "displayName", "Emulator Admin");
	name = cJSON_AddObjectToObject(u, "name");
	cJSON_AddStringToObject(name, "givenName", "Emulator");
	cJSON_AddStringToObject(name, "familyName", "Admin");
	cJSON_AddBoolToObject(u, "active", true);
	emails = cJSON_AddArrayToObject(u, "emails");
	email = cJSON_CreateObject();
	cJSON_AddStringToObject(email, "value", EMU_DEFAULT_USER_NAME);
	cJSON_AddStringToObject(email, "type", "work");
	cJSON_AddBoolToObject(email, "primary", true);
	cJSON_AddItemToArray(emails, email);
	ents = cJSON_AddArrayToObject(u, "entitlements");
	for (i = 0; i < EMU_ARRAY_SIZE(entitlements); i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "value", entitlements[i]);
		cJSON_AddItemToArray(ents, e);
	}
	return u;
}

static void *scim_state_new(void)
{
	struct scim_state *st = emu_xcalloc(1, sizeof(*st));
	cJSON *admins, *users;
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		st->records[k] = cJSON_CreateArray();
	admins = builtin_group(EMU_SCIM_ADMINS_ID, "admins");
	users = builtin_group(EMU_SCIM_USERS_ID, "users");
	add_value(members_of(admins), EMU_DEFAULT_USER_ID);
	add_value(members_of(users), EMU_DEFAULT_USER_ID);
	cJSON_AddItemToArray(st->records[KIND_GROUPS], admins);
	cJSON_AddItemToArray(st->records[KIND_GROUPS], users);
	cJSON_AddItemToArray(st->records[KIND_USERS], builtin_admin());
	return st;
}

static void scim_state_free(void *state)
{
	struct scim_state *st = state;

	if (!st)
		return;
	state_dispose(st);
	free(st);
}

static cJSON *scim_state_save(const void *state)
{
	const struct scim_state *st = state;
	cJSON *out = cJSON_CreateObject();
	int k;

	emu_json_add_int64(out, "next", (int64_t)st->next);
	for (k = 0; k < KIND_COUNT; k++)
		cJSON_AddItemToObject(out, kinds[k].path,
				      cJSON_Duplicate(st->records[k], true));
	return out;
}

/* A saved record must have a numeric id unique across kinds and its
 * kind's key; the rest is the client's and is kept as saved. */
static const char *load_check(const struct scim_state *st, enum scim_kind k,
			      const cJSON *rec)
{
	const char *id = rec_id(rec);
	enum scim_kind other;
	int64_t n;

	if (!cJSON_IsObject(rec) || !id ||
	    emu_json_parse_int64_text(&n, id) < 0 || n <= 0)
		return "a record without a numeric id";
	if (find_any(st, id, &other))
		return "a repeated id";
	if (!emu_json_str(rec, kinds[k].key))
		return "a record without its key attribute";
	return NULL;
}

static int scim_state_load(void *state, const cJSON *json, char *err,
			   size_t errlen)
{
	struct scim_state *st = state;
	struct scim_state fresh = {0};
	int64_t next;
	int k;

	if (emu_json_member_int(&next, json, "next") < 0 || next < 0) {
		snprintf(err, errlen, "scim: missing or bad \"next\"");
		return -1;
	}
	fresh.next = (uint64_t)next;
	for (k = 0; k < KIND_COUNT; k++)
		fresh.records[k] = cJSON_CreateArray();
	for (k = 0; k < KIND_COUNT; k++) {
		const cJSON *list =
			cJSON_GetObjectItemCaseSensitive(json, kinds[k].path);
		const cJSON *rec;

		if (!cJSON_IsArray(list)) {
			snprintf(err, errlen, "scim: \"%s\" is not an array",
				 kinds[k].path);
			goto fail;
		}
		cJSON_ArrayForEach(rec, list)
		{
			const char *why =
				load_check(&fresh, (enum scim_kind)k, rec);

			if (why) {
				snprintf(err, errlen, "scim: %s has %s",
					 kinds[k].path, why);
				goto fail;
			}
			cJSON_AddItemToArray(fresh.records[k],
					     cJSON_Duplicate(rec, true));
		}
	}
	/* The built-ins new state made give way to the saved directory. */
	state_swap(st, &fresh);
	state_dispose(&fresh);
	return 0;
fail:
	state_dispose(&fresh);
	return -1;
}

/* clang-format off */
#define KIND_SEG "{kind:Users|Groups|ServicePrincipals}"
/* --- test control -------------------------------------------------------- */

/* POST /_emulator/scim/settings {"page_size": n}: lists serve at most n
 * records a page (0: the service's maximum), so that clients' paging is
 * exercised without thousands of records. */
static void control_scim_settings(struct emu_request *req,
				  struct emu_response *resp)
{
	struct scim_state *st = state_of(req->ws);
	bool given = false;
	int64_t v = 0;
	cJSON *body;

	if (emu_arg_int64(&v, &given, req, resp, "page_size",
			  EMU_ARG_OPTIONAL) < 0)
		return;
	if (given && (v < 0 || v > SCIM_PAGE_MAX)) {
		scim_error(resp, 400, "invalidValue",
			   "page_size must be 0 to %d.", SCIM_PAGE_MAX);
		return;
	}
	if (given)
		st->page_max = v;
	body = cJSON_CreateObject();
	emu_json_add_int64(body, "page_size",
			   st->page_max ? st->page_max : SCIM_PAGE_MAX);
	emu_response_json(resp, 200, body);
}

static const struct emu_route scim_routes[] = {
	{.method = "POST", .pattern = "/api/2.0/preview/scim/v2/" KIND_SEG,
	 .handler = scim_create},
	{.method = "GET", .pattern = "/api/2.0/preview/scim/v2/" KIND_SEG,
	 .handler = scim_list},
	{.method = "GET", .pattern = "/api/2.0/preview/scim/v2/" KIND_SEG "/{id}",
	 .handler = scim_get},
	{.method = "PUT", .pattern = "/api/2.0/preview/scim/v2/" KIND_SEG "/{id}",
	 .handler = scim_put},
	{.method = "PATCH", .pattern = "/api/2.0/preview/scim/v2/" KIND_SEG "/{id}",
	 .handler = scim_patch},
	{.method = "DELETE", .pattern = "/api/2.0/preview/scim/v2/" KIND_SEG "/{id}",
	 .handler = scim_delete},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_scim = {
	.name = "scim",
	.routes = scim_routes,
	.state_new = scim_state_new,
	.state_free = scim_state_free,
	.state_save = scim_state_save,
	.state_load = scim_state_load,
};

/* The test control, routed before the core's catch-all /_emulator/ route
 * (modules.c); it works on emu_module_scim's state. */
static const struct emu_route scim_control_routes[] = {
	{.method = "POST",
	 .pattern = "/_emulator/scim/settings",
	 .handler = control_scim_settings,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_scim_control = {
	.name = "scim-control",
	.routes = scim_control_routes,
};
