/*
 * Unit tests for the emulated Permissions API (emulator/identity/
 * permissions.c), through the router without a network: the exact
 * ObjectPermissions and permissionLevels bodies a client decodes; levels
 * valid and invalid per object type; the owner of jobs, pipelines and
 * warehouses (exactly one, transfers, a group refused, the last level of
 * a principal named twice); the admins group kept and never lowered, and
 * direct on tokens and the root folder; principals checked against the
 * SCIM directory, user names ignoring case; PUT against PATCH; unknown
 * and deleted jobs, clusters and policies; the tokens ACL the Token API
 * consults; each hosted workspace's own ACLs; and --state. Every body is
 * checked against the Go SDK's structs, and one exchange goes over a
 * real socket through the HTTP server.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "server.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-permissions-test"
#include "emu_test.h"

#define PERMS  "/api/2.0/permissions/"
#define SCIM   "/api/2.0/preview/scim/v2/"
#define SP_APP "6b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
#define ADMINS_JOB                                                             \
	"{\"group_name\":\"admins\",\"all_permissions\":[{\"permission_"       \
	"level\""                                                              \
	":\"CAN_MANAGE\",\"inherited\":true,\"inherited_from_object\":"        \
	"[\"/jobs/\"]}]}"

/* --- helpers -------------------------------------------------------------- */

static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, NULL);
}

/* Expects a 400 INVALID_PARAMETER_VALUE with exactly message. */
static void invalid(struct emu_workspace *ws, const char *method,
		    const char *target, const char *body, const char *message)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", message, NULL);
}

/* Sends method target body and expects exactly the 200 answer text. */
static void answers(struct emu_workspace *ws, const char *method,
		    const char *target, const char *body, const char *text)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, text);
}

/* SCIM creates answer 201. */
static void scim_create(struct emu_workspace *ws, const char *kind,
			const char *body)
{
	char *target = emu_printf(SCIM "%s", kind);
	struct emu_test_result r =
		emu_test_call(ws, "POST", target, body, EMU_TEST_TOKEN);

	if (r.status != 201)
		fprintf(stderr, "%s -> %d %s\n", target, r.status, r.text);
	assert_int_equal(r.status, 201);
	emu_test_result_dispose(&r);
	free(target);
}

static void directory(struct emu_workspace *ws)
{
	scim_create(ws, "Users",
		    "{\"userName\":\"Alice@Example.com\","
		    "\"displayName\":\"Alice\"}");
	scim_create(ws, "Users", "{\"userName\":\"bob@example.com\"}");
	scim_create(ws, "Groups", "{\"displayName\":\"Engineering\"}");
	scim_create(ws, "ServicePrincipals",
		    "{\"applicationId\":\"" SP_APP "\","
		    "\"displayName\":\"ci\"}");
}

/* A new job's id, as text (malloc'd). */
static char *make_job(struct emu_workspace *ws)
{
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.1/jobs/create", "{\"name\":\"j\"}");
	char *id = emu_printf("%" PRId64, emu_test_int(r.json, "job_id"));

	emu_test_result_dispose(&r);
	return id;
}

static char *make_cluster(struct emu_workspace *ws)
{
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.1/clusters/create",
			"{\"cluster_name\":\"c\",\"spark_version\":"
			"\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\","
			"\"num_workers\":1}");
	char *id = emu_xstrdup(emu_test_str(r.json, "cluster_id"));

	emu_test_result_dispose(&r);
	return id;
}

/* An instance pool's permissions path, "instance-pools/<id>" (malloc'd). */
static char *make_pool(struct emu_workspace *ws)
{
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.0/instance-pools/create",
			"{\"instance_pool_name\":\"p\","
			"\"node_type_id\":\"i3.xlarge\"}");
	char *path = emu_printf("instance-pools/%s",
				emu_test_str(r.json, "instance_pool_id"));

	emu_test_result_dispose(&r);
	return path;
}

/* A pipeline's permissions path, "pipelines/<id>" (malloc'd). */
static char *make_pipeline(struct emu_workspace *ws)
{
	struct emu_test_result r = call_ok(ws, "POST", "/api/2.0/pipelines",
					   "{\"name\":\"p\"}");
	char *path = emu_printf("pipelines/%s",
				emu_test_str(r.json, "pipeline_id"));

	emu_test_result_dispose(&r);
	return path;
}

/* A SQL warehouse's permissions path, "sql/warehouses/<id>" (malloc'd). */
static char *make_warehouse(struct emu_workspace *ws)
{
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.0/sql/warehouses",
			"{\"name\":\"w\",\"cluster_size\":\"2X-Small\","
			"\"max_num_clusters\":1}");
	char *path = emu_printf("sql/warehouses/%s",
				emu_test_str(r.json, "id"));

	emu_test_result_dispose(&r);
	return path;
}

/* The direct levels of a principal field=name in an ObjectPermissions
 * body, as "A,B" ("" when it has none), malloc'd. */
static char *direct_of(const cJSON *body, const char *field, const char *name)
{
	const cJSON *e, *p;
	char *out = emu_xstrdup("");

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(body, "access_control_list"))
	{
		const char *n = emu_test_str(e, field);

		if (!n || strcmp(n, name) != 0)
			continue;
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(e, "all_permissions"))
		{
			char *next;

			if (cJSON_IsTrue(cJSON_GetObjectItem(p, "inherited")))
				continue;
			next = emu_printf("%s%s%s", out, *out ? "," : "",
					  emu_test_str(p, "permission_level"));
			free(out);
			out = next;
		}
	}
	return out;
}

/* GET target and compare the direct levels of field=name. */
static void expect_direct(struct emu_workspace *ws, const char *target,
			  const char *field, const char *name,
			  const char *levels)
{
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	char *got = direct_of(r.json, field, name);

	assert_string_equal(got, levels);
	free(got);
	emu_test_result_dispose(&r);
}

/* --- the SDK's shapes ------------------------------------------------------
 *
 * databricks-sdk-go service/iam: every member the emulator sends must be a
 * field of these structs, with its JSON type, so a client decoding them
 * (strictly or not) reads everything and misses nothing.
 */

/* Is every member of obj one of names (NULL-terminated)? */
static void only_members(const cJSON *obj, const char *const *names)
{
	const cJSON *m;

	assert_true(cJSON_IsObject(obj));
	cJSON_ArrayForEach(m, obj)
	{
		const char *const *n = names;

		while (*n && strcmp(*n, m->string) != 0)
			n++;
		if (!*n)
			fprintf(stderr, "unexpected member %s\n", m->string);
		assert_non_null(*n);
	}
}

/* ObjectPermissions { access_control_list []AccessControlResponse,
 * object_id, object_type }; AccessControlResponse { all_permissions
 * []Permission, display_name, group_name, service_principal_name,
 * user_name }; Permission { inherited bool, inherited_from_object
 * []string, permission_level }. */
static void sdk_object_permissions(const cJSON *body)
{
	static const char *const op[] = {"access_control_list", "object_id",
					 "object_type", NULL};
	static const char *const acr[] = {
		"all_permissions",	  "display_name", "group_name",
		"service_principal_name", "user_name",	  NULL};
	static const char *const perm[] = {"inherited", "inherited_from_object",
					   "permission_level", NULL};
	const cJSON *e, *p, *o;

	only_members(body, op);
	assert_non_null(emu_test_str(body, "object_id"));
	assert_non_null(emu_test_str(body, "object_type"));
	assert_true(cJSON_IsArray(
		cJSON_GetObjectItem(body, "access_control_list")));
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(body, "access_control_list"))
	{
		int principals = !!emu_test_str(e, "user_name") +
				 !!emu_test_str(e, "group_name") +
				 !!emu_test_str(e, "service_principal_name");

		only_members(e, acr);
		assert_int_equal(principals, 1);
		assert_true(cJSON_IsArray(
			cJSON_GetObjectItem(e, "all_permissions")));
		cJSON_ArrayForEach(p, cJSON_GetObjectItem(e, "all_permissions"))
		{
			const cJSON *from =
				cJSON_GetObjectItem(p, "inherited_from_object");

			only_members(p, perm);
			assert_non_null(emu_test_str(p, "permission_level"));
			assert_true(cJSON_IsBool(
				cJSON_GetObjectItem(p, "inherited")));
			/* Inherited permissions say where from; direct ones
			 * do not. */
			assert_int_equal(from != NULL,
					 cJSON_IsTrue(cJSON_GetObjectItem(
						 p, "inherited")));
			cJSON_ArrayForEach(o, from)
				assert_true(cJSON_IsString(o));
		}
	}
}

/* GetPermissionLevelsResponse { permission_levels
 * []PermissionsDescription { description, permission_level } }. */
static void sdk_levels(const cJSON *body)
{
	static const char *const top[] = {"permission_levels", NULL};
	static const char *const desc[] = {"description", "permission_level",
					   NULL};
	const cJSON *d;

	only_members(body, top);
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(body, "permission_levels"))
	{
		only_members(d, desc);
		assert_non_null(emu_test_str(d, "description"));
		assert_non_null(emu_test_str(d, "permission_level"));
	}
}

/* --- tests ---------------------------------------------------------------- */

/* A new job: its creator owns it, admins manage it by inheritance; the
 * body is byte for byte the SDK's ObjectPermissions. */
static void test_emu_permissions__job_shape(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = make_job(ws);
	char *target = emu_printf(PERMS "jobs/%s", id);
	char *levels = emu_printf(PERMS "jobs/%s/permissionLevels", id);
	char *want = emu_printf(
		"{\"object_id\":\"/jobs/%s\",\"object_type\":\"job\","
		"\"access_control_list\":[{\"user_name\":\"admin@example.com\","
		"\"display_name\":\"Emulator Admin\",\"all_permissions\":"
		"[{\"permission_level\":\"IS_OWNER\",\"inherited\":false}]}"
		"," ADMINS_JOB "]}",
		id);

	answers(ws, "GET", target, NULL, want);
	answers(ws, "GET", levels, NULL,
		"{\"permission_levels\":["
		"{\"permission_level\":\"CAN_VIEW\","
		"\"description\":\"Can view the job\"},"
		"{\"permission_level\":\"CAN_MANAGE_RUN\",\"description\":"
		"\"Can view, trigger and cancel runs of the job\"},"
		"{\"permission_level\":\"IS_OWNER\",\"description\":\"Owns, "
		"and can view, run, edit, delete and change permissions of "
		"the job\"},"
		"{\"permission_level\":\"CAN_MANAGE\",\"description\":\"Can "
		"view, run, edit, delete and change permissions of the "
		"job\"}]}");
	free(want);
	/* A PUT answers the new ACL, sorted users, then groups by name. */
	want = emu_printf(
		"{\"object_id\":\"/jobs/%s\",\"object_type\":\"job\","
		"\"access_control_list\":[{\"user_name\":\"admin@example.com\","
		"\"display_name\":\"Emulator Admin\",\"all_permissions\":"
		"[{\"permission_level\":\"IS_OWNER\",\"inherited\":false}]}"
		"," ADMINS_JOB ",{\"group_name\":\"users\",\"all_permissions\":"
		"[{\"permission_level\":\"CAN_VIEW\",\"inherited\":false}]}]}",
		id);
	answers(ws, "PUT", target,
		"{\"access_control_list\":[{\"group_name\":\"users\","
		"\"permission_level\":\"CAN_VIEW\"},{\"user_name\":"
		"\"admin@example.com\",\"permission_level\":\"IS_OWNER\"}]}",
		want);
	answers(ws, "GET", target, NULL, want);
	free(want);
	free(levels);
	free(target);
	free(id);
}

static void test_emu_permissions__job_owner(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = make_job(ws);
	char *target = emu_printf(PERMS "jobs/%s", id);
	char *get = NULL, *body, *pipe;
	struct emu_test_result r;

	directory(ws);
	/* A PUT without an owner does not keep the old one: refused. */
	invalid(ws, "PUT", target,
		"{\"access_control_list\":[{\"group_name\":\"users\","
		"\"permission_level\":\"CAN_VIEW\"}]}",
		"The job must have exactly one owner.");
	invalid(ws, "PUT", target, "{}",
		"The job must have exactly one owner.");
	invalid(ws, "PUT", target,
		"{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
		"\"permission_level\":\"IS_OWNER\"},{\"user_name\":"
		"\"admin@example.com\",\"permission_level\":\"IS_OWNER\"}]}",
		"The job must have exactly one owner.");
	invalid(ws, "PUT", target,
		"{\"access_control_list\":[{\"group_name\":\"Engineering\","
		"\"permission_level\":\"IS_OWNER\"}]}",
		"A group cannot be the owner of a job.");
	/* Named twice, a principal keeps its last level. */
	invalid(ws, "PUT", target,
		"{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
		"\"permission_level\":\"IS_OWNER\"},{\"user_name\":"
		"\"bob@example.com\",\"permission_level\":\"CAN_MANAGE\"}]}",
		"The job must have exactly one owner.");
	ok(ws, "PUT", target,
	   "{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
	   "\"permission_level\":\"CAN_MANAGE\"},{\"user_name\":"
	   "\"bob@example.com\",\"permission_level\":\"IS_OWNER\"}]}");
	/* That was a transfer: the creator's entry went with the PUT, and a
	 * job without run_as now runs as its new owner. */
	expect_direct(ws, target, "user_name", "bob@example.com", "IS_OWNER");
	expect_direct(ws, target, "user_name", "admin@example.com", "");
	get = emu_printf("/api/2.1/jobs/get?job_id=%s", id);
	r = call_ok(ws, "GET", get, NULL);
	assert_string_equal(emu_test_str(r.json, "run_as_user_name"),
			    "bob@example.com");
	assert_string_equal(emu_test_str(r.json, "creator_user_name"),
			    "admin@example.com");
	emu_test_result_dispose(&r);
	/* A PATCH naming a new owner must re-level the old one. */
	invalid(ws, "PATCH", target,
		"{\"access_control_list\":[{\"user_name\":"
		"\"admin@example.com\",\"permission_level\":\"IS_OWNER\"}]}",
		"The job must have exactly one owner.");
	ok(ws, "PATCH", target,
	   "{\"access_control_list\":[{\"user_name\":\"admin@example.com\","
	   "\"permission_level\":\"IS_OWNER\"},{\"user_name\":"
	   "\"bob@example.com\",\"permission_level\":\"CAN_VIEW\"}]}");
	expect_direct(ws, target, "user_name", "admin@example.com", "IS_OWNER");
	expect_direct(ws, target, "user_name", "bob@example.com", "CAN_VIEW");
	/* Once run_as is given, it no longer follows the owner. */
	body = emu_printf("{\"job_id\":%s,\"new_settings\":{\"run_as\":"
			  "{\"user_name\":\"bob@example.com\"}}}",
			  id);
	ok(ws, "POST", "/api/2.1/jobs/update", body);
	free(body);
	ok(ws, "PUT", target,
	   "{\"access_control_list\":[{\"service_principal_name\":\"" SP_APP
	   "\",\"permission_level\":\"IS_OWNER\"}]}");
	r = call_ok(ws, "GET", get, NULL);
	assert_string_equal(emu_test_str(r.json, "run_as_user_name"),
			    "bob@example.com");
	emu_test_result_dispose(&r);
	free(get);
	/* Pipelines follow the same rule; the creator owns a new one. */
	pipe = make_pipeline(ws);
	free(target);
	target = emu_printf(PERMS "%s", pipe);
	expect_direct(ws, target, "user_name", "admin@example.com",
		      "IS_OWNER");
	invalid(ws, "PUT", target,
		"{\"access_control_list\":[{\"group_name\":\"users\","
		"\"permission_level\":\"CAN_VIEW\"}]}",
		"The pipeline must have exactly one owner.");
	ok(ws, "PUT", target,
	   "{\"access_control_list\":[{\"service_principal_name\":\"" SP_APP
	   "\",\"permission_level\":\"IS_OWNER\"}]}");
	expect_direct(ws, target, "service_principal_name", SP_APP,
		      "IS_OWNER");
	/* An unknown pipeline is answered as pipelines/get answers it. */
	emu_test_fails(ws, "GET", PERMS "pipelines/no-such", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "The specified pipeline no-such was not found.", NULL);
	free(pipe);
	free(target);
	free(id);
}

/* A warehouse keeps its owner when a write names none; one without an
 * owner must be given one by a PUT. */
static void test_emu_permissions__warehouse_owner(void **state)
{
	struct emu_workspace *ws = *state;
	char *path = make_warehouse(ws);
	char *wh = emu_printf(PERMS "%s", path);
	char *alias = emu_printf(PERMS "%s", path + strlen("sql/"));
	char *object_id = emu_printf("/%s", path);

	directory(ws);
	/* The creator owns a new warehouse, and a PUT that names no owner
	 * keeps it. */
	expect_direct(ws, wh, "user_name", "admin@example.com", "IS_OWNER");
	ok(ws, "PUT", wh,
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_USE\"}]}");
	expect_direct(ws, wh, "user_name", "admin@example.com", "IS_OWNER");
	ok(ws, "PUT", wh,
	   "{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
	   "\"permission_level\":\"IS_OWNER\"}]}");
	ok(ws, "PUT", wh,
	   "{\"access_control_list\":[{\"group_name\":\"Engineering\","
	   "\"permission_level\":\"CAN_MONITOR\"}]}");
	expect_direct(ws, wh, "user_name", "bob@example.com", "IS_OWNER");
	expect_direct(ws, wh, "group_name", "Engineering", "CAN_MONITOR");
	expect_direct(ws, wh, "group_name", "users", "");
	expect_direct(ws, wh, "user_name", "admin@example.com", "");
	invalid(ws, "PUT", wh,
		"{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
		"\"permission_level\":\"CAN_USE\"}]}",
		"The warehouse must have exactly one owner.");
	/* warehouses/{id}, the Warehouses API's path, is the same ACL. */
	expect_direct(ws, alias, "user_name", "bob@example.com", "IS_OWNER");
	{
		struct emu_test_result r = call_ok(ws, "GET", alias, NULL);

		assert_string_equal(emu_test_str(r.json, "object_id"),
				    object_id);
		assert_string_equal(emu_test_str(r.json, "object_type"),
				    "warehouses");
		emu_test_result_dispose(&r);
	}
	emu_test_fails(ws, "GET", PERMS "sql/warehouses/nope", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "SQL warehouse nope does not exist.", NULL);
	free(object_id);
	free(alias);
	free(wh);
	free(path);
}

/* Each type's levels: one accepted, one refused with the valid list. */
static void test_emu_permissions__levels_per_type(void **state)
{
	struct emu_workspace *ws = *state;
	static const struct {
		const char *path, *good, *bad, *message;
	} cases[] = {
		{"instance-pools/p", "CAN_ATTACH_TO", "CAN_USE",
		 "Invalid permission level CAN_USE for instance pool. Valid "
		 "permission levels are: CAN_ATTACH_TO, CAN_MANAGE."},
		{"notebooks/1", "CAN_RUN", "CAN_VIEW",
		 "Invalid permission level CAN_VIEW for notebook. Valid "
		 "permission levels are: CAN_READ, CAN_RUN, CAN_EDIT, "
		 "CAN_MANAGE."},
		{"directories/2", "CAN_EDIT", "IS_OWNER", NULL},
		{"files/3", "CAN_READ", "CAN_USE", NULL},
		{"repos/4", "CAN_MANAGE", "CAN_ATTACH_TO", NULL},
		{"sql/warehouses/w", "IS_OWNER", "CAN_READ",
		 "Invalid permission level CAN_READ for warehouse. Valid "
		 "permission levels are: CAN_USE, CAN_MANAGE, CAN_MONITOR, "
		 "CAN_VIEW, IS_OWNER."},
		{"pipelines/p", "IS_OWNER", "CAN_MANAGE_RUN", NULL},
		{"authorization/tokens", "CAN_USE", "CAN_RUN", NULL},
		{"authorization/passwords", "CAN_USE", "CAN_MANAGE",
		 "Invalid permission level CAN_MANAGE for passwords. Valid "
		 "permission levels are: CAN_USE."},
	};
	char *pool = make_pool(ws), *warehouse = make_warehouse(ws);
	char *pipeline = make_pipeline(ws);
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(cases); i++) {
		/* "instance-pools/p", "sql/warehouses/w" and "pipelines/p"
		 * stand for objects that exist. */
		const char *path =
			strcmp(cases[i].path, "instance-pools/p") == 0 ? pool
			: strcmp(cases[i].path, "sql/warehouses/w") == 0
				? warehouse
			: strcmp(cases[i].path, "pipelines/p") == 0 ? pipeline
								   : cases[i].path;
		char *target = emu_printf(PERMS "%s", path);
		char *good = emu_printf(
			"{\"access_control_list\":[{\"user_name\":"
			"\"admin@example.com\",\"permission_level\":\"%s\"}%s]"
			"}",
			cases[i].good,
			strstr(cases[i].path, "tokens")
				? ",{\"group_name\":\"admins\","
				  "\"permission_level\":\"CAN_MANAGE\"}"
				: "");
		char *bad = emu_printf(
			"{\"access_control_list\":[{\"group_name\":\"users\","
			"\"permission_level\":\"%s\"}]}",
			cases[i].bad);

		emu_test_fails(ws, "PUT", target, bad, EMU_TEST_TOKEN, 400,
			       "INVALID_PARAMETER_VALUE", cases[i].message,
			       cases[i].bad);
		ok(ws, "PUT", target, good);
		expect_direct(ws, target, "user_name", "admin@example.com",
			      cases[i].good);
		free(target);
		free(good);
		free(bad);
	}
	/* An id may carry an encoded '/': the sweep of deleted objects
	 * before each request keeps its ACL. */
	ok(ws, "PUT", PERMS "notebooks/a%2Fb",
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_READ\"}]}");
	expect_direct(ws, PERMS "notebooks/a%2Fb", "group_name", "users",
		      "CAN_READ");
	/* permissionLevels lists exactly the type's levels. */
	answers(ws, "GET", PERMS "authorization/tokens/permissionLevels", NULL,
		"{\"permission_levels\":[{\"permission_level\":\"CAN_USE\","
		"\"description\":\"Can create and use personal access "
		"tokens\"},{\"permission_level\":\"CAN_MANAGE\","
		"\"description\":\"Can create, use and revoke every personal "
		"access token\"}]}");
	free(pipeline);
	free(warehouse);
	free(pool);
}

/* The admins group is always there and cannot be lowered. */
static void test_emu_permissions__admins(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = make_cluster(ws);
	char *target = emu_printf(PERMS "clusters/%s", id);
	struct emu_test_result r;
	const cJSON *admins;

	invalid(ws, "PUT", target,
		"{\"access_control_list\":[{\"group_name\":\"admins\","
		"\"permission_level\":\"CAN_ATTACH_TO\"}]}",
		"Cannot change permissions for group 'admins' to "
		"CAN_ATTACH_TO.");
	/* A PUT that names nobody removes direct entries, not admins'. */
	ok(ws, "PUT", target, "{\"access_control_list\":[]}");
	r = call_ok(ws, "GET", target, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 r.json, "access_control_list")),
			 1);
	admins = cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.json, "access_control_list"), 0);
	assert_string_equal(emu_test_str(admins, "group_name"), "admins");
	emu_test_result_dispose(&r);
	/* Naming admins at their level adds a direct entry beside it. */
	ok(ws, "PUT", target,
	   "{\"access_control_list\":[{\"group_name\":\"admins\","
	   "\"permission_level\":\"CAN_MANAGE\"}]}");
	r = call_ok(ws, "GET", target, NULL);
	admins = cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.json, "access_control_list"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 admins, "all_permissions")),
			 2);
	emu_test_result_dispose(&r);
	/* Tokens: the admins' CAN_MANAGE is direct and must stay. */
	answers(ws, "GET", PERMS "authorization/tokens", NULL,
		"{\"object_id\":\"/authorization/tokens\",\"object_type\":"
		"\"tokens\",\"access_control_list\":[{\"group_name\":"
		"\"admins\",\"all_permissions\":[{\"permission_level\":"
		"\"CAN_MANAGE\",\"inherited\":false}]}]}");
	invalid(ws, "PUT", PERMS "authorization/tokens",
		"{\"access_control_list\":[{\"group_name\":\"users\","
		"\"permission_level\":\"CAN_USE\"}]}",
		"Cannot change permissions for group 'admins' to None.");
	invalid(ws, "PATCH", PERMS "authorization/tokens",
		"{\"access_control_list\":[{\"group_name\":\"admins\","
		"\"permission_level\":\"CAN_USE\"}]}",
		"Cannot change permissions for group 'admins' to CAN_USE.");
	invalid(ws, "PATCH", PERMS "authorization/tokens",
		"{\"access_control_list\":[{\"group_name\":\"users\","
		"\"permission_level\":\"CAN_MANAGE\"}]}",
		"Only the admins group can have CAN_MANAGE on tokens.");
	ok(ws, "PATCH", PERMS "authorization/tokens",
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_USE\"}]}");
	expect_direct(ws, PERMS "authorization/tokens", "group_name", "admins",
		      "CAN_MANAGE");
	/* The root folder too. */
	invalid(ws, "PUT", PERMS "directories/0",
		"{\"access_control_list\":[{\"group_name\":\"users\","
		"\"permission_level\":\"CAN_READ\"}]}",
		"Cannot remove admins's CAN_MANAGE permission on 0");
	/* Passwords: admins are an ordinary group. */
	answers(ws, "GET", PERMS "authorization/passwords", NULL,
		"{\"object_id\":\"/authorization/passwords\",\"object_type\":"
		"\"passwords\",\"access_control_list\":[]}");
	ok(ws, "PUT", PERMS "authorization/passwords",
	   "{\"access_control_list\":[{\"group_name\":\"admins\","
	   "\"permission_level\":\"CAN_USE\"}]}");
	expect_direct(ws, PERMS "authorization/passwords", "group_name",
		      "admins", "CAN_USE");
	free(target);
	free(id);
}

/* Principals come from the SCIM directory, users ignoring case. */
static void test_emu_permissions__principals(void **state)
{
	struct emu_workspace *ws = *state;
	char *path = make_pool(ws);
	char *pool = emu_printf(PERMS "%s", path);
	struct emu_test_result r;
	const cJSON *e;

	directory(ws);
	emu_test_fails(ws, "PUT", pool,
		       "{\"access_control_list\":[{\"user_name\":"
		       "\"nobody@example.com\",\"permission_level\":"
		       "\"CAN_MANAGE\"}]}",
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Principal: UserName(nobody@example.com) does not exist",
		       NULL);
	emu_test_fails(ws, "PUT", pool,
		       "{\"access_control_list\":[{\"group_name\":"
		       "\"engineering\",\"permission_level\":"
		       "\"CAN_MANAGE\"}]}",
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Principal: GroupName(engineering) does not exist",
		       NULL);
	emu_test_fails(
		ws, "PUT", pool,
		"{\"access_control_list\":[{\"service_principal_name\":"
		"\"00000000-0000-4000-8000-00000000beef\","
		"\"permission_level\":\"CAN_MANAGE\"}]}",
		EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		"Principal: ServicePrincipalName(00000000-0000-4000-8000-"
		"00000000beef) does not exist",
		NULL);
	/* A service principal named as a user is the service principal;
	 * through two fields at two levels it is ambiguous. */
	ok(ws, "PUT", pool,
	   "{\"access_control_list\":[{\"user_name\":\"" SP_APP "\","
	   "\"permission_level\":\"CAN_MANAGE\"}]}");
	expect_direct(ws, pool, "service_principal_name", SP_APP, "CAN_MANAGE");
	expect_direct(ws, pool, "user_name", SP_APP, "");
	invalid(ws, "PUT", pool,
		"{\"access_control_list\":[{\"service_principal_name\":"
		"\"" SP_APP
		"\",\"permission_level\":\"CAN_ATTACH_TO\"},{\"user_name\":"
		"\"" SP_APP "\",\"permission_level\":\"CAN_MANAGE\"}]}",
		"Permissions being set for UserName(" SP_APP ") are ambiguous");
	ok(ws, "PUT", pool,
	   "{\"access_control_list\":[{\"service_principal_name\":\"" SP_APP
	   "\",\"permission_level\":\"CAN_MANAGE\"},{\"user_name\":"
	   "\"" SP_APP "\",\"permission_level\":\"CAN_MANAGE\"}]}");
	ok(ws, "PUT", pool, "{}");
	/* A failed write changes nothing. */
	expect_direct(ws, pool, "user_name", "nobody@example.com", "");
	ok(ws, "PUT", pool,
	   "{\"access_control_list\":[{\"user_name\":\"alice@EXAMPLE.COM\","
	   "\"permission_level\":\"CAN_ATTACH_TO\"},"
	   "{\"service_principal_name\":\"6B1C2D3E-4F50-4A6B-8C7D-"
	   "9E0F1A2B3C4D\","
	   "\"permission_level\":\"CAN_MANAGE\"},"
	   "{\"group_name\":\"Engineering\",\"permission_level\":"
	   "\"CAN_ATTACH_TO\"}]}");
	r = call_ok(ws, "GET", pool, NULL);
	/* Users, then service principals, then groups; a user in the
	 * directory's spelling (SCIM keeps user names in lower case). */
	e = cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.json, "access_control_list"), 0);
	assert_string_equal(emu_test_str(e, "user_name"), "alice@example.com");
	assert_string_equal(emu_test_str(e, "display_name"), "Alice");
	e = cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.json, "access_control_list"), 1);
	assert_string_equal(emu_test_str(e, "service_principal_name"), SP_APP);
	assert_string_equal(emu_test_str(e, "display_name"), "ci");
	e = cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.json, "access_control_list"), 2);
	assert_string_equal(emu_test_str(e, "group_name"), "Engineering");
	assert_null(cJSON_GetObjectItem(e, "display_name"));
	assert_string_equal(emu_test_str(r.json, "object_type"),
			    "instance-pool");
	emu_test_result_dispose(&r);
	/* The same user in another case is the same principal. */
	ok(ws, "PATCH", pool,
	   "{\"access_control_list\":[{\"user_name\":\"ALICE@example.com\","
	   "\"permission_level\":\"CAN_MANAGE\"}]}");
	expect_direct(ws, pool, "user_name", "alice@example.com", "CAN_MANAGE");
	/* Malformed entries. */
	invalid(ws, "PUT", pool, "{\"access_control_list\":{}}",
		"Invalid value for field 'access_control_list': expected an "
		"array, got an object.");
	invalid(ws, "PUT", pool,
		"{\"access_control_list\":[{\"permission_level\":"
		"\"CAN_MANAGE\"}]}",
		"Exactly one of user_name, group_name and "
		"service_principal_name must be given in an access control "
		"entry.");
	invalid(ws, "PUT", pool,
		"{\"access_control_list\":[{\"group_name\":\"users\"}]}",
		"Missing required field: permission_level");
	invalid(ws, "PUT", pool,
		"{\"access_control_list\":[{\"group_name\":1,"
		"\"permission_level\":\"CAN_MANAGE\"}]}",
		"Invalid value for field 'access_control_list.group_name': "
		"expected a string, got a number.");
	free(pool);
	free(path);
}

/* PUT replaces the direct entries; PATCH adds and re-levels. */
static void test_emu_permissions__put_and_patch(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = make_cluster(ws);
	char *target = emu_printf(PERMS "clusters/%s", id);
	struct emu_test_result r;

	directory(ws);
	/* The creator manages a new cluster. */
	expect_direct(ws, target, "user_name", "admin@example.com",
		      "CAN_MANAGE");
	ok(ws, "PATCH", target,
	   "{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
	   "\"permission_level\":\"CAN_RESTART\"}]}");
	expect_direct(ws, target, "user_name", "admin@example.com",
		      "CAN_MANAGE");
	expect_direct(ws, target, "user_name", "bob@example.com",
		      "CAN_RESTART");
	ok(ws, "PATCH", target,
	   "{\"access_control_list\":[{\"user_name\":\"bob@example.com\","
	   "\"permission_level\":\"CAN_ATTACH_TO\"}]}");
	expect_direct(ws, target, "user_name", "bob@example.com",
		      "CAN_ATTACH_TO");
	/* PUT drops everyone it does not name, the creator too. */
	ok(ws, "PUT", target,
	   "{\"access_control_list\":[{\"group_name\":\"Engineering\","
	   "\"permission_level\":\"CAN_MANAGE\"}]}");
	expect_direct(ws, target, "user_name", "admin@example.com", "");
	expect_direct(ws, target, "user_name", "bob@example.com", "");
	expect_direct(ws, target, "group_name", "Engineering", "CAN_MANAGE");
	free(target);
	target = emu_printf(PERMS "clusters/%s/permissionLevels", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 r.json, "permission_levels")),
			 3);
	assert_string_equal(
		emu_test_str(
			cJSON_GetArrayItem(cJSON_GetObjectItem(
						   r.json, "permission_levels"),
					   1),
			"permission_level"),
		"CAN_RESTART");
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

/* Jobs, clusters and policies must exist; their ACLs go with them. */
static void test_emu_permissions__unknown_and_deleted(void **state)
{
	struct emu_workspace *ws = *state;
	char *job = make_job(ws), *cluster = make_cluster(ws);
	char *target, *body;
	struct emu_test_result r;
	char *policy;

	emu_test_fails(ws, "GET", PERMS "jobs/123", NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", "Job 123 does not exist.",
		       NULL);
	emu_test_fails(ws, "GET", PERMS "jobs/123/permissionLevels", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST", NULL,
		       NULL);
	emu_test_fails(ws, "PUT", PERMS "clusters/0101-000000-nope", "{}",
		       EMU_TEST_TOKEN, 400, "INVALID_STATE",
		       "Cannot access cluster 0101-000000-nope that was "
		       "terminated or unpinned more than 30 days ago.",
		       NULL);
	emu_test_fails(ws, "GET", PERMS "cluster-policies/99", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Can't find a cluster policy with id: 99.", NULL);
	/* Objects the emulator does not hold are taken by any id. */
	ok(ws, "GET", PERMS "notebooks/4242", NULL);
	ok(ws, "GET", PERMS "repos/17/permissionLevels", NULL);
	/* An unknown object type is no API. */
	emu_test_fails(ws, "GET", PERMS "widgets/1", NULL, EMU_TEST_TOKEN, 404,
		       "ENDPOINT_NOT_FOUND", NULL, NULL);

	/* A policy's ACL: admins use it by inheritance. */
	r = call_ok(ws, "POST", "/api/2.0/policies/clusters/create",
		    "{\"name\":\"p\",\"definition\":\"{}\"}");
	policy = emu_xstrdup(emu_test_str(r.json, "policy_id"));
	emu_test_result_dispose(&r);
	target = emu_printf(PERMS "cluster-policies/%s", policy);
	ok(ws, "PUT", target,
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_USE\"}]}");
	body = emu_printf(
		"{\"object_id\":\"/cluster-policies/%s\",\"object_type\":"
		"\"cluster-policy\",\"access_control_list\":[{\"group_name\":"
		"\"admins\",\"all_permissions\":[{\"permission_level\":"
		"\"CAN_USE\",\"inherited\":true,\"inherited_from_object\":"
		"[\"/cluster-policies/cluster-policies\"]}]},{\"group_name\":"
		"\"users\",\"all_permissions\":[{\"permission_level\":"
		"\"CAN_USE\",\"inherited\":false}]}]}",
		policy);
	answers(ws, "GET", target, NULL, body);
	free(body);
	body = emu_printf("{\"policy_id\":\"%s\"}", policy);
	ok(ws, "POST", "/api/2.0/policies/clusters/delete", body);
	free(body);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	free(target);

	/* A deleted job's ACL is gone with it. */
	target = emu_printf(PERMS "jobs/%s", job);
	ok(ws, "PATCH", target,
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_VIEW\"}]}");
	body = emu_printf("{\"job_id\":%s}", job);
	ok(ws, "POST", "/api/2.1/jobs/delete", body);
	free(body);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	free(target);

	/* A permanently deleted cluster answers as the service does. */
	target = emu_printf(PERMS "clusters/%s", cluster);
	ok(ws, "GET", target, NULL);
	body = emu_printf("{\"cluster_id\":\"%s\"}", cluster);
	ok(ws, "POST", "/api/2.1/clusters/permanent-delete", body);
	free(body);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 400,
		       "INVALID_STATE", NULL, "Cannot access cluster");
	free(target);
	free(policy);
	free(cluster);
	free(job);
}

/* Once the tokens ACL is set, a non-admin needs CAN_USE to make a
 * token; admins always may. */
static void test_emu_permissions__tokens_acl(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *sp_token;

	directory(ws);
	r = call_ok(ws, "POST", "/api/2.0/token-management/on-behalf-of/tokens",
		    "{\"application_id\":\"" SP_APP "\"}");
	sp_token = emu_xstrdup(emu_test_str(r.json, "token_value"));
	emu_test_result_dispose(&r);
	/* No token permissions yet: anyone may. */
	r = emu_test_call_ok(ws, "POST", "/api/2.0/token/create", "{}",
			     sp_token);
	emu_test_result_dispose(&r);
	ok(ws, "PUT", PERMS "authorization/tokens",
	   "{\"access_control_list\":[{\"group_name\":\"admins\","
	   "\"permission_level\":\"CAN_MANAGE\"},{\"user_name\":"
	   "\"bob@example.com\",\"permission_level\":\"CAN_USE\"}]}");
	emu_test_fails(ws, "POST", "/api/2.0/token/create", "{}", sp_token, 403,
		       "PERMISSION_DENIED", NULL, "permission to use");
	/* The workspace admin may still. */
	ok(ws, "POST", "/api/2.0/token/create", "{}");
	/* CAN_USE through a group the service principal is in. */
	r = call_ok(ws, "GET", SCIM "ServicePrincipals", NULL);
	{
		const char *sp_id = emu_test_str(
			cJSON_GetArrayItem(
				cJSON_GetObjectItem(r.json, "Resources"), 0),
			"id");
		char *patch = emu_printf(
			"{\"schemas\":[\"urn:ietf:params:scim:api:messages:"
			"2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\","
			"\"path\":\"members\",\"value\":[{\"value\":\"%s\"}]}]"
			"}",
			sp_id);
		struct emu_test_result g =
			call_ok(ws, "GET",
				SCIM "Groups?filter=displayName%20eq%20"
				     "%22Engineering%22",
				NULL);
		char *gpath = emu_printf(
			SCIM "Groups/%s",
			emu_test_str(
				cJSON_GetArrayItem(cJSON_GetObjectItem(
							   g.json, "Resources"),
						   0),
				"id"));
		struct emu_test_result p = call(ws, "PATCH", gpath, patch);

		assert_int_equal(p.status, 204);
		emu_test_result_dispose(&p);
		emu_test_result_dispose(&g);
		free(gpath);
		free(patch);
	}
	emu_test_result_dispose(&r);
	ok(ws, "PATCH", PERMS "authorization/tokens",
	   "{\"access_control_list\":[{\"group_name\":\"Engineering\","
	   "\"permission_level\":\"CAN_USE\"}]}");
	r = emu_test_call_ok(ws, "POST", "/api/2.0/token/create", "{}",
			     sp_token);
	emu_test_result_dispose(&r);
	free(sp_token);
}

/* Each hosted workspace has ACLs of its own; --state keeps them. */
static void test_emu_permissions__hosted_and_state(void **state)
{
	struct emu_workspace *ws = *state, *fresh;
	char path[] = "/tmp/emu-perms-XXXXXX";
	char *job = make_job(ws);
	char *target = emu_printf(PERMS "jobs/%s", job);
	struct emu_test_result r;
	char err[256];

	ok(ws, "PUT", PERMS "notebooks/7",
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_RUN\"}]}");
	ok(ws, "PATCH", target,
	   "{\"access_control_list\":[{\"group_name\":\"users\","
	   "\"permission_level\":\"CAN_MANAGE_RUN\"}]}");
	assert_non_null(emu_workspace_host(ws, "analytics", "1234567890"));
	r = emu_test_call_at(ws, "analytics.localhost", "GET",
			     PERMS "notebooks/7", NULL, EMU_TEST_TOKEN);
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 r.json, "access_control_list")),
			 1); /* admins only */
	emu_test_result_dispose(&r);
	/* The job is the root workspace's. */
	r = emu_test_call_at(ws, "analytics.localhost", "GET", target, NULL,
			     EMU_TEST_TOKEN);
	assert_int_equal(r.status, 404);
	emu_test_result_dispose(&r);

	emu_test_temp_file(path);
	fresh = emu_workspace_new(NULL);
	emu_test_save_load(ws, fresh, path);
	expect_direct(fresh, PERMS "notebooks/7", "group_name", "users",
		      "CAN_RUN");
	expect_direct(fresh, target, "group_name", "users", "CAN_MANAGE_RUN");
	expect_direct(fresh, target, "user_name", "admin@example.com",
		      "IS_OWNER");
	emu_workspace_free(fresh);

	/* A permissions member the module cannot read. */
	fresh = emu_workspace_new(NULL);
	assert_int_equal(
		emu_test_load_text(fresh, path,
				   "{\"format\":\"brickform-emulator-state\","
				   "\"version\":1,\"modules\":{\"permissions\":"
				   "{\"/jobs/1\":[{\"permission_level\":"
				   "\"CAN_VIEW\"}]}}}",
				   err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "permissions"));
	emu_workspace_free(fresh);
	unlink(path);
	free(target);
	free(job);
}

/* Every answer of every type decodes into the SDK's structs exactly. */
static void test_emu_permissions__sdk_shapes(void **state)
{
	struct emu_workspace *ws = *state;
	char *job = make_job(ws), *cluster = make_cluster(ws), *pool_target;
	char *paths[16];
	size_t n = 0, i;
	struct emu_test_result r;

	directory(ws);
	paths[n++] = emu_printf("jobs/%s", job);
	paths[n++] = emu_printf("clusters/%s", cluster);
	paths[n++] = make_pool(ws);
	paths[n++] = emu_xstrdup("notebooks/1");
	paths[n++] = emu_xstrdup("directories/0");
	paths[n++] = emu_xstrdup("files/2");
	paths[n++] = emu_xstrdup("repos/3");
	paths[n++] = make_pipeline(ws);
	paths[n++] = make_warehouse(ws);
	paths[n++] = emu_xstrdup("authorization/tokens");
	paths[n++] = emu_xstrdup("authorization/passwords");
	pool_target = emu_printf(PERMS "%s", paths[2]);
	ok(ws, "PATCH", pool_target,
	   "{\"access_control_list\":[{\"user_name\":\"alice@example.com\","
	   "\"permission_level\":\"CAN_MANAGE\"},{\"service_principal_name\":"
	   "\"" SP_APP "\",\"permission_level\":\"CAN_ATTACH_TO\"},"
	   "{\"group_name\":\"admins\",\"permission_level\":\"CAN_MANAGE\"}]}");
	free(pool_target);
	for (i = 0; i < n; i++) {
		char *target = emu_printf(PERMS "%s", paths[i]);
		char *levels = emu_printf("%s/permissionLevels", target);

		r = call_ok(ws, "GET", target, NULL);
		sdk_object_permissions(r.json);
		emu_test_result_dispose(&r);
		r = call_ok(ws, "GET", levels, NULL);
		sdk_levels(r.json);
		emu_test_result_dispose(&r);
		free(levels);
		free(target);
		free(paths[i]);
	}
	free(cluster);
	free(job);
}

/* Over the wire: PUT and GET through the HTTP server on a real socket. */
static void test_emu_permissions__over_http(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_server_options sopts = {.port = 0};
	struct emu_server *server = NULL;
	const char *body = "{\"access_control_list\":[{\"group_name\":"
			   "\"users\",\"permission_level\":\"CAN_RUN\"}]}";
	const char *want =
		"{\"object_id\":\"/notebooks/42\",\"object_type\":"
		"\"notebook\",\"access_control_list\":[{\"group_name\":"
		"\"admins\",\"all_permissions\":[{\"permission_level\":"
		"\"CAN_MANAGE\",\"inherited\":true,"
		"\"inherited_from_object\":[\"/directories/\"]}]},"
		"{\"group_name\":\"users\",\"all_permissions\":"
		"[{\"permission_level\":\"CAN_RUN\",\"inherited\":false}]}]}";
	char err[256], *req, *resp, *sep;
	size_t i;

	assert_int_equal(
		emu_server_start(&server, ws, &sopts, err, sizeof(err)), 0);
	for (i = 0; i < 2; i++) {
		req = i == 0 ? emu_printf("PUT " PERMS
					  "notebooks/42 HTTP/1.1\r\n"
					  "Host: 127.0.0.1\r\n"
					  "Authorization: Bearer %s\r\n"
					  "Content-Type: application/json\r\n"
					  "Content-Length: %zu\r\n"
					  "Connection: close\r\n\r\n%s",
					  EMU_TEST_TOKEN, strlen(body), body)
			     : emu_printf("GET " PERMS
					  "notebooks/42 HTTP/1.1\r\n"
					  "Host: 127.0.0.1\r\n"
					  "Authorization: Bearer %s\r\n"
					  "Connection: close\r\n\r\n",
					  EMU_TEST_TOKEN);
		resp = emu_test_raw_http(emu_server_port(server), req,
					 strlen(req));
		assert_non_null(strstr(resp, "HTTP/1.1 200"));
		assert_non_null(strstr(resp, "application/json"));
		sep = strstr(resp, "\r\n\r\n");
		assert_non_null(sep);
		assert_string_equal(sep + 4, want);
		free(resp);
		free(req);
	}
	emu_server_stop(server);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_permissions__job_shape),
		T(test_emu_permissions__job_owner),
		T(test_emu_permissions__warehouse_owner),
		T(test_emu_permissions__levels_per_type),
		T(test_emu_permissions__admins),
		T(test_emu_permissions__principals),
		T(test_emu_permissions__put_and_patch),
		T(test_emu_permissions__unknown_and_deleted),
		T(test_emu_permissions__tokens_acl),
		T(test_emu_permissions__hosted_and_state),
		T(test_emu_permissions__sdk_shapes),
		T(test_emu_permissions__over_http),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
