/*
 * Global Init Scripts API 2.0 (/api/2.0/global-init-scripts): the shell
 * scripts every cluster of the workspace runs at start, in order.
 *
 *   POST   /api/2.0/global-init-scripts {name, script (base64), position?,
 *                                        enabled?}         -> {script_id}
 *   GET    /api/2.0/global-init-scripts                    -> {scripts}
 *   GET    /api/2.0/global-init-scripts/{script_id}        -> the script
 *   PATCH  /api/2.0/global-init-scripts/{script_id} {name?, script?,
 *                                        position?, enabled?} -> {}
 *   DELETE /api/2.0/global-init-scripts/{script_id}        -> {}
 *
 * A script is {script_id, name, position, enabled, created_at,
 * created_by, updated_at, updated_by} plus, from get only, script (its
 * base64 content); list leaves the content out and is sorted by
 * position. Paths and fields follow databricks-sdk-go's service/compute.
 *
 * Positions are 0-based and always dense (0, 1, 2, ...), as the service
 * keeps them: a new script without a position goes last; a position past
 * the last is the last; a position already taken pushes that script and
 * every later one down by one. An update moves the script the same way
 * (a position at or past the last moves it to the end) and keeps its
 * place when none is given; a delete closes the gap. enabled defaults to
 * false on create; an update without it keeps the current value.
 *
 * name and script are required on create. On update every field is
 * optional and what is not given keeps its value, as the current REST API
 * reference says (older SDK specifications, and the CLI generated from
 * them, still send name and script on every update, which is accepted
 * too). A name is 1 to 100 letters, digits, '_', '-', '.' and spaces. The
 * content is at most 64 KB (65536 bytes decoded): more is 400
 * INVALID_PARAMETER_VALUE (the emulator's words; the official provider
 * refuses such a script before sending it). An
 * unknown id is 404 RESOURCE_DOES_NOT_EXIST "The global unit script with
 * ID <id> does not exist." ("unit" sic, the service's wording as the
 * official provider's tests record it).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dbfs_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define GIS_MAX_SCRIPT (64 * 1024)
#define GIS_MAX_COUNT  1000
#define GIS_MAX_NAME   100

struct gis_state {
	/* The scripts in position order; a script's position is its index
	 * and is not stored. Members as the service names them, the
	 * content as normalised base64 in "script". */
	cJSON *scripts;
};

extern const struct emu_module emu_module_init_scripts;

/* --- pure functions ------------------------------------------------------- */

/* The script as get shows it (with_content) or as list does. */
static cJSON *gis_view(const cJSON *s, int position, bool with_content)
{
	cJSON *o = cJSON_Duplicate(s, true);

	emu_json_add_int64(o, "position", position);
	if (!with_content)
		cJSON_DeleteItemFromObjectCaseSensitive(o, "script");
	return o;
}

/* A new id like the service's: 16 upper-case hexadecimal digits. */
static char *gis_new_id(void)
{
	char *id = emu_random_token("", 8), *p;

	for (p = id; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return id;
}

/* Where a requested position lands among n scripts. */
static int gis_clamp(int64_t position, int n)
{
	return position > n ? n : (int)position;
}

/*
 * Puts s at index position of scripts (clamped to the end); the scripts
 * from there on move down by one. cJSON_InsertItemInArray is not used:
 * cJSON 1.7.15 leaves the list unable to take a second insertion after an
 * insertion at the head.
 */
static void gis_insert(cJSON *scripts, int64_t position, cJSON *s)
{
	int at = gis_clamp(position, cJSON_GetArraySize(scripts));
	cJSON *later = cJSON_CreateArray();

	while (cJSON_GetArraySize(scripts) > at)
		cJSON_AddItemToArray(later,
				     cJSON_DetachItemFromArray(scripts, at));
	cJSON_AddItemToArray(scripts, s);
	while (cJSON_GetArraySize(later) > 0)
		cJSON_AddItemToArray(scripts,
				     cJSON_DetachItemFromArray(later, 0));
	cJSON_Delete(later);
}

/* --- handlers ----------------------------------------------------------- */

static const char *caller_name(const struct emu_request *req)
{
	return req->principal ? req->principal
			      : emu_workspace_user_name(req->ws);
}

/* The script with the path's script_id and its index, or -1 answered. */
static int gis_find(cJSON **out, struct emu_request *req,
		    struct emu_response *resp)
{
	struct gis_state *st = req->state;
	const char *id = emu_request_param(req, "script_id");
	cJSON *s;
	int i = 0;

	cJSON_ArrayForEach(s, st->scripts)
	{
		if (strcmp(emu_json_str(s, "script_id"), id) == 0) {
			*out = s;
			return i;
		}
		i++;
	}
	emu_error_not_found(resp,
			    "The global unit script with ID %s does not "
			    "exist.",
			    id);
	return -1;
}

/* The service's rule for names: 1 to 100 letters, digits, '_', '-', '.'
 * and spaces. */
static bool gis_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= GIS_MAX_NAME &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. ") == n;
}

/*
 * Reads and checks the fields create and update share: name and script
 * (required on create: flags), position (>= 0) and enabled. *name and
 * *script are NULL when not given; *script is the normalised base64
 * (caller frees).
 */
static int gis_args(const char **name, char **script, int64_t *position,
		    bool *has_position, bool *enabled, bool *has_enabled,
		    unsigned flags, struct emu_request *req,
		    struct emu_response *resp)
{
	const char *text = NULL;
	unsigned char *bytes = NULL;
	size_t len = 0;

	*script = NULL;
	if (emu_arg_string(name, req, resp, "name", flags) < 0 ||
	    emu_arg_string(&text, req, resp, "script", flags) < 0 ||
	    emu_arg_int64(position, has_position, req, resp, "position",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(enabled, has_enabled, req, resp, "enabled",
			 EMU_ARG_OPTIONAL) < 0)
		return -1;
	if (*name && !gis_name_ok(*name))
		return emu_error_invalid(resp,
					 "Invalid name '%.200s': 1 to %d "
					 "letters, digits, '_', '-', '.' "
					 "and spaces.",
					 *name, GIS_MAX_NAME);
	if (*has_position && *position < 0)
		return emu_error_invalid(resp,
					 "Invalid position %" PRId64
					 ": positions start at 0.",
					 *position);
	if (text == NULL)
		return 0;
	if (emu_dbfs_decode(&bytes, &len, resp, "script", text) < 0)
		return -1;
	if (len > GIS_MAX_SCRIPT) {
		free(bytes);
		return emu_error_invalid(resp,
					 "Size of the global init script (%zu "
					 "bytes) exceeds the maximum allowed "
					 "(%d bytes).",
					 len, GIS_MAX_SCRIPT);
	}
	*script = emu_base64_encode(bytes, len);
	free(bytes);
	return 0;
}

static void gis_create(struct emu_request *req, struct emu_response *resp)
{
	struct gis_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws), position = 0;
	bool has_position = false, enabled = false, has_enabled = false;
	int n = cJSON_GetArraySize(st->scripts);
	const char *name = NULL;
	char *script = NULL, *id;
	cJSON *s, *body;

	if (gis_args(&name, &script, &position, &has_position, &enabled,
		     &has_enabled, EMU_ARG_REQUIRED, req, resp) < 0)
		goto done;
	if (n >= GIS_MAX_COUNT) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "A workspace has at most %d global init scripts.",
			  GIS_MAX_COUNT);
		goto done;
	}
	id = gis_new_id();
	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "script_id", id);
	cJSON_AddStringToObject(s, "name", name);
	cJSON_AddBoolToObject(s, "enabled", enabled);
	emu_json_add_int64(s, "created_at", now);
	cJSON_AddStringToObject(s, "created_by", caller_name(req));
	emu_json_add_int64(s, "updated_at", now);
	cJSON_AddStringToObject(s, "updated_by", caller_name(req));
	cJSON_AddStringToObject(s, "script", script);
	/* Inserting at an index shifts the later scripts down by one. */
	gis_insert(st->scripts, has_position ? position : n, s);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "script_id", id);
	emu_response_json(resp, 200, body);
	free(id);
done:
	free(script);
}

static void gis_get(struct emu_request *req, struct emu_response *resp)
{
	cJSON *s = NULL;
	int i = gis_find(&s, req, resp);

	if (i >= 0)
		emu_response_json(resp, 200, gis_view(s, i, true));
}

static void gis_list(struct emu_request *req, struct emu_response *resp)
{
	struct gis_state *st = req->state;
	cJSON *body = cJSON_CreateObject(), *arr, *s;
	int i = 0;

	/* No scripts: {}, the empty array left out as the service does. */
	if (cJSON_GetArraySize(st->scripts) > 0) {
		arr = cJSON_AddArrayToObject(body, "scripts");
		cJSON_ArrayForEach(s, st->scripts)
		{
			cJSON_AddItemToArray(arr, gis_view(s, i++, false));
		}
	}
	emu_response_json(resp, 200, body);
}

static void gis_update(struct emu_request *req, struct emu_response *resp)
{
	struct gis_state *st = req->state;
	int64_t position = 0;
	bool has_position = false, enabled = false, has_enabled = false;
	const char *name = NULL;
	char *script = NULL;
	cJSON *s = NULL;
	int i;

	i = gis_find(&s, req, resp);
	/* Every field is optional: what is not given keeps its value. */
	if (i < 0 ||
	    gis_args(&name, &script, &position, &has_position, &enabled,
		     &has_enabled, EMU_ARG_OPTIONAL, req, resp) < 0)
		goto done;
	if (name)
		cJSON_ReplaceItemInObjectCaseSensitive(
			s, "name", cJSON_CreateString(name));
	if (script)
		cJSON_ReplaceItemInObjectCaseSensitive(
			s, "script", cJSON_CreateString(script));
	if (has_enabled)
		cJSON_ReplaceItemInObjectCaseSensitive(
			s, "enabled", cJSON_CreateBool(enabled));
	cJSON_ReplaceItemInObjectCaseSensitive(
		s, "updated_at", emu_json_int64(emu_workspace_now_ms(req->ws)));
	cJSON_ReplaceItemInObjectCaseSensitive(
		s, "updated_by", cJSON_CreateString(caller_name(req)));
	if (has_position) {
		/* Out, then in at the new place among the others: a
		 * position at or past the last moves it to the end. */
		cJSON_DetachItemViaPointer(st->scripts, s);
		gis_insert(st->scripts, position, s);
	}
done:
	free(script);
}

static void gis_delete(struct emu_request *req, struct emu_response *resp)
{
	struct gis_state *st = req->state;
	cJSON *s = NULL;

	/* Later scripts move up: positions stay dense. */
	if (gis_find(&s, req, resp) >= 0)
		cJSON_Delete(cJSON_DetachItemViaPointer(st->scripts, s));
}

/* --- module state and --state --------------------------------------------- */

static void *gis_state_new(void)
{
	struct gis_state *st = emu_xcalloc(1, sizeof(*st));

	st->scripts = cJSON_CreateArray();
	return st;
}

static void gis_state_free(void *state)
{
	struct gis_state *st = state;

	if (!st)
		return;
	cJSON_Delete(st->scripts);
	free(st);
}

/* The scripts in position order, as stored. */
static cJSON *gis_state_save(const void *state)
{
	const struct gis_state *st = state;

	return cJSON_Duplicate(st->scripts, true);
}

static int gis_state_load(void *state, const cJSON *json, char *err,
			  size_t errlen)
{
	struct gis_state *st = state;
	const cJSON *s;

	if (!cJSON_IsArray(json) || cJSON_GetArraySize(json) > GIS_MAX_COUNT) {
		snprintf(err, errlen,
			 "init_scripts must be an array of at most %d "
			 "scripts",
			 GIS_MAX_COUNT);
		return -1;
	}
	cJSON_ArrayForEach(s, json)
	{
		int64_t t = 0;

		if (!emu_json_str(s, "script_id") || !emu_json_str(s, "name") ||
		    !emu_json_str(s, "script") ||
		    !emu_json_str(s, "created_by") ||
		    !emu_json_str(s, "updated_by") ||
		    !cJSON_IsBool(
			    cJSON_GetObjectItemCaseSensitive(s, "enabled")) ||
		    emu_json_member_int(&t, s, "created_at") < 0 ||
		    emu_json_member_int(&t, s, "updated_at") < 0) {
			snprintf(err, errlen,
				 "init_scripts: a script needs script_id, "
				 "name, script, enabled, created_at, "
				 "created_by, updated_at and updated_by");
			return -1;
		}
	}
	cJSON_Delete(st->scripts);
	st->scripts = cJSON_Duplicate(json, true);
	return 0;
}

/* clang-format off */
static const struct emu_route gis_routes[] = {
	{.method = "POST", .pattern = "/api/2.0/global-init-scripts",
	 .handler = gis_create},
	{.method = "GET", .pattern = "/api/2.0/global-init-scripts",
	 .handler = gis_list},
	{.method = "GET", .pattern = "/api/2.0/global-init-scripts/{script_id}",
	 .handler = gis_get},
	{.method = "PATCH",
	 .pattern = "/api/2.0/global-init-scripts/{script_id}",
	 .handler = gis_update},
	{.method = "DELETE",
	 .pattern = "/api/2.0/global-init-scripts/{script_id}",
	 .handler = gis_delete},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_init_scripts = {
	.name = "init_scripts",
	.routes = gis_routes,
	.state_new = gis_state_new,
	.state_free = gis_state_free,
	.state_save = gis_state_save,
	.state_load = gis_state_load,
};
