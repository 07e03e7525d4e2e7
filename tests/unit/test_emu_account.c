/*
 * Unit tests for the emulated Account API (emulator/account/), through the
 * router without a network: credentials, storage configurations, networks
 * and workspaces with their required fields, types and server-filled
 * fields; bare-array lists; the PROVISIONING -> RUNNING transition on the
 * workspace clock and fail-next-workspace; references to missing ids;
 * deleting a configuration a workspace uses; another account's id; PATCH
 * with and without update_mask; OAuth tokens; and --state.
 *
 * Times: each test sets the provisioning delay to PROVISION ms and keeps
 * MARGIN away from the transition, as the clusters tests do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "account/account.h"
#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-account-test"
#include "emu_test.h"

#define ACCOUNT_ID "00000000-0000-4000-8000-000000000001"
#define ACCT	   "/api/2.0/accounts/" ACCOUNT_ID "/"
#define ROLE	   "arn:aws:iam::123456789012:role/cross-account"

#define PROVISION 30000
#define MARGIN	  1000

/* --- helpers -------------------------------------------------------------- */

static void invalid(struct emu_workspace *ws, const char *method,
		    const char *target, const char *body, const char *part)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, part);
}

/* POSTs body to target and returns the new object's idfield (malloc'd). */
static char *create(struct emu_workspace *ws, const char *target,
		    const char *body, const char *idfield)
{
	struct emu_test_result r = call_ok(ws, "POST", target, body);
	char *id;

	assert_non_null(emu_test_str(r.json, idfield));
	id = emu_xstrdup(emu_test_str(r.json, idfield));
	emu_test_result_dispose(&r);
	return id;
}

static char *make_credentials(struct emu_workspace *ws)
{
	return create(ws, ACCT "credentials",
		      "{\"credentials_name\":\"c\",\"aws_credentials\":{"
		      "\"sts_role\":{\"role_arn\":\"" ROLE "\"}}}",
		      "credentials_id");
}

static char *make_storage(struct emu_workspace *ws)
{
	return create(ws, ACCT "storage-configurations",
		      "{\"storage_configuration_name\":\"s\","
		      "\"root_bucket_info\":{\"bucket_name\":\"root\"}}",
		      "storage_configuration_id");
}

static char *make_network(struct emu_workspace *ws)
{
	return create(ws, ACCT "networks",
		      "{\"network_name\":\"n\",\"vpc_id\":\"vpc-1\","
		      "\"subnet_ids\":[\"subnet-a\",\"subnet-b\"],"
		      "\"security_group_ids\":[\"sg-1\"]}",
		      "network_id");
}

/* A workspace named name on the three configurations (network may be
 * NULL); returns the workspace's reply. */
static struct emu_test_result make_workspace(struct emu_workspace *ws,
					     const char *name, const char *cred,
					     const char *storage,
					     const char *network)
{
	char *net = network ? emu_printf(",\"network_id\":\"%s\"", network)
			    : emu_xstrdup("");
	char *body = emu_printf("{\"workspace_name\":\"%s\","
				"\"aws_region\":\"us-west-2\","
				"\"credentials_id\":\"%s\","
				"\"storage_configuration_id\":\"%s\"%s}",
				name, cred, storage, net);
	struct emu_test_result r = call_ok(ws, "POST", ACCT "workspaces", body);

	free(body);
	free(net);
	return r;
}

static char *workspace_target(int64_t id)
{
	return emu_printf(ACCT "workspaces/%lld", (long long)id);
}

static void expect_status(struct emu_workspace *ws, int64_t id,
			  const char *status, const char *message)
{
	char *target = workspace_target(id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	assert_string_equal(emu_test_str(r.json, "workspace_status"), status);
	if (message)
		assert_string_equal(
			emu_test_str(r.json, "workspace_status_message"),
			message);
	emu_test_result_dispose(&r);
	free(target);
}

static int account_setup(void **state)
{
	struct emu_workspace *ws;

	if (emu_test_setup(state) < 0)
		return -1;
	ws = *state;
	emu_test_ok(ws, "POST", "/_emulator/accounts/settings",
		    "{\"provision_ms\":30000}", NULL, NULL);
	return 0;
}

/* --- tests ---------------------------------------------------------------- */

static void test_emu_account__credentials(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id = make_credentials(ws), *target;

	target = emu_printf(ACCT "credentials/%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "credentials_id"), id);
	assert_int_equal(strlen(id), 36);
	assert_string_equal(emu_test_str(r.json, "credentials_name"), "c");
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_true(emu_test_int(r.json, "creation_time") > 0);
	assert_string_equal(
		emu_test_str(
			emu_test_member(r.json, "aws_credentials.sts_role"),
			"role_arn"),
		ROLE);
	assert_string_equal(
		emu_test_str(
			emu_test_member(r.json, "aws_credentials.sts_role"),
			"external_id"),
		ACCOUNT_ID);
	emu_test_result_dispose(&r);

	/* The list is a bare array. */
	r = call_ok(ws, "GET", ACCT "credentials", NULL);
	assert_true(cJSON_IsArray(r.json));
	assert_int_equal(cJSON_GetArraySize(r.json), 1);
	emu_test_result_dispose(&r);

	/* Required fields, types, and a role the service could not use. */
	invalid(ws, "POST", ACCT "credentials",
		"{\"aws_credentials\":{\"sts_role\":{\"role_arn\":\"" ROLE
		"\"}}}",
		"Missing required field: credentials_name");
	invalid(ws, "POST", ACCT "credentials", "{\"credentials_name\":\"x\"}",
		"Missing required field: aws_credentials");
	invalid(ws, "POST", ACCT "credentials",
		"{\"credentials_name\":\"x\",\"aws_credentials\":{}}",
		"Missing required field: aws_credentials.sts_role");
	invalid(ws, "POST", ACCT "credentials",
		"{\"credentials_name\":\"x\",\"aws_credentials\":{"
		"\"sts_role\":{}}}",
		"aws_credentials.sts_role.role_arn");
	invalid(ws, "POST", ACCT "credentials",
		"{\"credentials_name\":7,\"aws_credentials\":{}}",
		"credentials_name");
	emu_test_fails(ws, "POST", ACCT "credentials",
		       "{\"credentials_name\":\"x\",\"aws_credentials\":{"
		       "\"sts_role\":{\"role_arn\":\"not-an-arn\"}}}",
		       EMU_TEST_TOKEN, 400, "MALFORMED_REQUEST", NULL,
		       "Failed credential validation checks");

	/* Delete answers the object; then it is gone. */
	r = call_ok(ws, "DELETE", target, NULL);
	assert_string_equal(emu_test_str(r.json, "credentials_id"), id);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	emu_test_fails(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	free(target);
	free(id);
}

static void test_emu_account__storage(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id = make_storage(ws), *target;

	target = emu_printf(ACCT "storage-configurations/%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "storage_configuration_name"),
			    "s");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "root_bucket_info"),
			     "bucket_name"),
		"root");
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_true(emu_test_int(r.json, "creation_time") > 0);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", ACCT "storage-configurations", NULL);
	assert_true(cJSON_IsArray(r.json));
	assert_int_equal(cJSON_GetArraySize(r.json), 1);
	emu_test_result_dispose(&r);

	invalid(ws, "POST", ACCT "storage-configurations",
		"{\"storage_configuration_name\":\"s\"}",
		"Missing required field: root_bucket_info");
	invalid(ws, "POST", ACCT "storage-configurations",
		"{\"storage_configuration_name\":\"s\","
		"\"root_bucket_info\":{}}",
		"Missing required field: root_bucket_info.bucket_name");
	invalid(ws, "POST", ACCT "storage-configurations",
		"{\"root_bucket_info\":{\"bucket_name\":\"b\"}}",
		"Missing required field: storage_configuration_name");
	invalid(ws, "POST", ACCT "storage-configurations",
		"{\"storage_configuration_name\":\"s\","
		"\"root_bucket_info\":\"b\"}",
		"root_bucket_info");

	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	free(target);
	free(id);
}

static void test_emu_account__networks(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *target;

	r = call_ok(
		ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"vpc_id\":\"vpc-1\","
		"\"subnet_ids\":[\"subnet-a\",\"subnet-b\"],"
		"\"security_group_ids\":[\"sg-1\"],\"vpc_endpoints\":{"
		"\"rest_api\":[\"vpce-1\"],\"dataplane_relay\":[\"vpce-2\"]}}");
	id = emu_xstrdup(emu_test_str(r.json, "network_id"));
	assert_string_equal(emu_test_str(r.json, "vpc_status"), "UNATTACHED");
	assert_true(
		cJSON_IsArray(cJSON_GetObjectItem(r.json, "error_messages")));
	assert_true(
		cJSON_IsArray(cJSON_GetObjectItem(r.json, "warning_messages")));
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_true(emu_test_int(r.json, "creation_time") > 0);
	assert_string_equal(
		cJSON_GetArrayItem(
			emu_test_member(r.json, "vpc_endpoints.rest_api"), 0)
			->valuestring,
		"vpce-1");
	emu_test_result_dispose(&r);

	target = emu_printf(ACCT "networks/%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "vpc_id"), "vpc-1");
	assert_null(cJSON_GetObjectItem(r.json, "workspace_id"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", ACCT "networks", NULL);
	assert_true(cJSON_IsArray(r.json));
	assert_int_equal(cJSON_GetArraySize(r.json), 1);
	emu_test_result_dispose(&r);

	invalid(ws, "POST", ACCT "networks",
		"{\"vpc_id\":\"v\",\"subnet_ids\":[\"a\",\"b\"],"
		"\"security_group_ids\":[\"s\"]}",
		"Missing required field: network_name");
	invalid(ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"subnet_ids\":[\"a\",\"b\"],"
		"\"security_group_ids\":[\"s\"]}",
		"Missing required field: vpc_id");
	invalid(ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"vpc_id\":\"v\",\"subnet_ids\":"
		"[\"a\"],\"security_group_ids\":[\"s\"]}",
		"subnet_ids");
	invalid(ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"vpc_id\":\"v\",\"subnet_ids\":"
		"[\"a\",\"b\"],\"security_group_ids\":[]}",
		"security_group_ids");
	invalid(ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"vpc_id\":\"v\",\"subnet_ids\":"
		"\"a\",\"security_group_ids\":[\"s\"]}",
		"subnet_ids");
	invalid(ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"vpc_id\":\"v\",\"subnet_ids\":"
		"[\"a\",2],\"security_group_ids\":[\"s\"]}",
		"subnet_ids[]");
	invalid(ws, "POST", ACCT "networks",
		"{\"network_name\":\"n\",\"vpc_id\":\"v\",\"subnet_ids\":"
		"[\"a\",\"b\"],\"security_group_ids\":[\"s\"],"
		"\"vpc_endpoints\":{\"rest_api\":\"x\"}}",
		"vpc_endpoints.rest_api");

	r = call_ok(ws, "DELETE", target, NULL);
	assert_string_equal(emu_test_str(r.json, "network_id"), id);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	free(target);
	free(id);
}

static void test_emu_account__workspace_lifecycle(void **state)
{
	struct emu_workspace *ws = *state;
	char *cred = make_credentials(ws), *storage = make_storage(ws);
	char *network = make_network(ws), *target;
	struct emu_test_result r;
	int64_t id, id2;

	r = make_workspace(ws, "analytics", cred, storage, network);
	id = emu_test_int(r.json, "workspace_id");
	assert_true(id > 0 && id < EMU_JSON_MAX_INT);
	assert_string_equal(emu_test_str(r.json, "workspace_name"),
			    "analytics");
	assert_string_equal(emu_test_str(r.json, "workspace_status"),
			    "PROVISIONING");
	assert_non_null(emu_test_str(r.json, "workspace_status_message"));
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_string_equal(emu_test_str(r.json, "aws_region"), "us-west-2");
	assert_string_equal(emu_test_str(r.json, "pricing_tier"), "PREMIUM");
	assert_string_equal(emu_test_str(r.json, "cloud"), "aws");
	assert_string_equal(emu_test_str(r.json, "network_id"), network);
	assert_true(emu_test_int(r.json, "creation_time") > 0);
	/* dbc-xxxxxxxx-xxxx, as the service names deployments by default. */
	assert_int_equal(strlen(emu_test_str(r.json, "deployment_name")), 17);
	assert_memory_equal(emu_test_str(r.json, "deployment_name"), "dbc-", 4);
	assert_null(cJSON_GetObjectItem(r.json, "_provision_end_ms"));
	emu_test_result_dispose(&r);

	/* Ids are issued in sequence. */
	r = make_workspace(ws, "second", cred, storage, NULL);
	id2 = emu_test_int(r.json, "workspace_id");
	assert_int_equal(id2, id + 1);
	emu_test_result_dispose(&r);

	/* The network now shows the workspace. */
	target = emu_printf(ACCT "networks/%s", network);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "vpc_status"), "VALID");
	assert_int_equal(emu_test_int(r.json, "workspace_id"), id);
	emu_test_result_dispose(&r);
	free(target);

	/* PROVISIONING until the delay has passed, then RUNNING. */
	emu_workspace_advance_clock(ws, PROVISION - MARGIN);
	expect_status(ws, id, "PROVISIONING", NULL);
	emu_workspace_advance_clock(ws, 2 * MARGIN);
	expect_status(ws, id, "RUNNING", "Workspace is running.");

	r = call_ok(ws, "GET", ACCT "workspaces", NULL);
	assert_true(cJSON_IsArray(r.json));
	assert_int_equal(cJSON_GetArraySize(r.json), 2);
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(r.json, 0), "workspace_status"),
		"RUNNING");
	emu_test_result_dispose(&r);

	/* Delete answers the workspace; then it is 404 (what clients wait
	 * for). */
	target = workspace_target(id2);
	r = call_ok(ws, "DELETE", target, NULL);
	assert_int_equal(emu_test_int(r.json, "workspace_id"), id2);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	emu_test_fails(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	free(target);
	free(cred);
	free(storage);
	free(network);
}

static void test_emu_account__workspace_validation(void **state)
{
	struct emu_workspace *ws = *state;
	char *cred = make_credentials(ws), *storage = make_storage(ws);
	char *network = make_network(ws), *body;
	struct emu_test_result r;

	/* Each kind has ids of its own. */
	assert_string_not_equal(cred, storage);
	assert_string_not_equal(cred, network);
	assert_string_not_equal(storage, network);
	invalid(ws, "POST", ACCT "workspaces",
		"{\"aws_region\":\"us-west-2\",\"credentials_id\":\"a\","
		"\"storage_configuration_id\":\"b\"}",
		"Missing required field: workspace_name");
	body = emu_printf("{\"workspace_name\":\"w\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\"}",
			  cred, storage);
	invalid(ws, "POST", ACCT "workspaces", body,
		"Missing required field: aws_region");
	free(body);
	invalid(ws, "POST", ACCT "workspaces",
		"{\"workspace_name\":\"w\",\"aws_region\":\"us-west-2\","
		"\"credentials_id\":\"nope\",\"storage_configuration_id\":"
		"\"b\"}",
		"Invalid CredentialsId: nope");
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"gone\"}",
			  cred);
	invalid(ws, "POST", ACCT "workspaces", body,
		"Invalid StorageConfigurationId: gone");
	free(body);
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"network_id\":\"gone\"}",
			  cred, storage);
	invalid(ws, "POST", ACCT "workspaces", body, "Invalid NetworkId: gone");
	free(body);
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"pricing_tier\":\"GOLD\"}",
			  cred, storage);
	invalid(ws, "POST", ACCT "workspaces", body, "Invalid pricing_tier");
	free(body);
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"custom_tags\":{\"a\":1}}",
			  cred, storage);
	invalid(ws, "POST", ACCT "workspaces", body, "custom_tags");
	free(body);
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"deployment_name\":\"Bad Name\"}",
			  cred, storage);
	invalid(ws, "POST", ACCT "workspaces", body, "deployment_name");
	free(body);

	/* A chosen deployment name is kept and unique. */
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"deployment_name\":\"acme-sales\","
			  "\"network_id\":\"%s\"}",
			  cred, storage, network);
	r = call_ok(ws, "POST", ACCT "workspaces", body);
	assert_string_equal(emu_test_str(r.json, "deployment_name"),
			    "acme-sales");
	emu_test_result_dispose(&r);
	free(body);
	body = emu_printf("{\"workspace_name\":\"w\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"deployment_name\":\"acme-sales\"}",
			  cred, storage);
	invalid(ws, "POST", ACCT "workspaces", body,
		"Deployment name 'acme-sales' is already in use.");
	free(body);
	/* A network serves one workspace. */
	body = emu_printf("{\"workspace_name\":\"w2\",\"aws_region\":"
			  "\"us-west-2\",\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"network_id\":\"%s\"}",
			  cred, storage, network);
	invalid(ws, "POST", ACCT "workspaces", body, "is already used by");
	free(body);
	emu_test_fails(ws, "GET", ACCT "workspaces/123", NULL, EMU_TEST_TOKEN,
		       404, "RESOURCE_DOES_NOT_EXIST",
		       "Workspace 123 does not "
		       "exist.",
		       NULL);
	free(cred);
	free(storage);
	free(network);
}

static void test_emu_account__delete_in_use(void **state)
{
	struct emu_workspace *ws = *state;
	char *cred = make_credentials(ws), *storage = make_storage(ws);
	char *network = make_network(ws), *target;
	struct emu_test_result r =
		make_workspace(ws, "w", cred, storage, network);
	int64_t id = emu_test_int(r.json, "workspace_id");

	emu_test_result_dispose(&r);
	target = emu_printf(ACCT "credentials/%s", cred);
	invalid(ws, "DELETE", target, NULL,
		"while it is attached to a workspace");
	free(target);
	target = emu_printf(ACCT "storage-configurations/%s", storage);
	invalid(ws, "DELETE", target, NULL,
		"while it is attached to a workspace");
	free(target);
	target = emu_printf(ACCT "networks/%s", network);
	invalid(ws, "DELETE", target, NULL,
		"while it is attached to a workspace");
	free(target);

	/* Once the workspace is gone, they can go. */
	target = workspace_target(id);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	free(target);
	target = emu_printf(ACCT "networks/%s", network);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	free(target);
	target = emu_printf(ACCT "credentials/%s", cred);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	free(target);
	free(cred);
	free(storage);
	free(network);
}

static void test_emu_account__fail_next_and_patch(void **state)
{
	struct emu_workspace *ws = *state;
	char *cred = make_credentials(ws), *storage = make_storage(ws);
	char *cred2 = make_credentials(ws), *storage2 = make_storage(ws);
	char *target, *body, *masked;
	struct emu_test_result r;
	int64_t id, other;

	r = call_ok(ws, "POST", "/_emulator/accounts/fail-next-workspace",
		    "{\"message\":\"The VPC has no NAT gateway.\"}");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "fail_next_workspace"),
			     "message"),
		"The VPC has no NAT gateway.");
	emu_test_result_dispose(&r);
	r = make_workspace(ws, "doomed", cred, storage, NULL);
	id = emu_test_int(r.json, "workspace_id");
	emu_test_result_dispose(&r);
	/* Armed once: the next workspace runs. */
	r = make_workspace(ws, "fine", cred, storage, NULL);
	other = emu_test_int(r.json, "workspace_id");
	emu_test_result_dispose(&r);

	target = workspace_target(id);
	/* No update while PROVISIONING. */
	emu_test_fails(ws, "PATCH", target, "{\"credentials_id\":\"x\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_STATE", NULL,
		       "being provisioned");
	emu_workspace_advance_clock(ws, PROVISION + MARGIN);
	expect_status(ws, id, "FAILED", "The VPC has no NAT gateway.");
	expect_status(ws, other, "RUNNING", NULL);

	/* Patching a missing reference is refused and changes nothing. */
	invalid(ws, "PATCH", target, "{\"credentials_id\":\"nope\"}",
		"Invalid CredentialsId: nope");
	emu_test_fails(ws, "PATCH", target, "{\"deployment_name\":\"other\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE",
		       "Field 'deployment_name' cannot be changed after "
		       "creation.",
		       NULL);

	/* A failed workspace takes a new storage configuration (the mask
	 * keeps only storage_configuration_id) and launches again. */
	body = emu_printf("{\"storage_configuration_id\":\"%s\","
			  "\"workspace_name\":\"ignored\"}",
			  storage2);
	masked = emu_printf("%s?update_mask=storage_configuration_id", target);
	r = call_ok(ws, "PATCH", masked, body);
	assert_string_equal(emu_test_str(r.json, "storage_configuration_id"),
			    storage2);
	assert_string_equal(emu_test_str(r.json, "workspace_name"), "doomed");
	assert_string_equal(emu_test_str(r.json, "workspace_status"),
			    "PROVISIONING");
	emu_test_result_dispose(&r);
	free(masked);
	free(body);
	emu_workspace_advance_clock(ws, PROVISION + MARGIN);
	expect_status(ws, id, "RUNNING", NULL);

	/* A running workspace takes new credentials and stays RUNNING, but
	 * not a new storage configuration or region. */
	body = emu_printf("{\"credentials_id\":\"%s\"}", cred2);
	r = call_ok(ws, "PATCH", target, body);
	assert_string_equal(emu_test_str(r.json, "credentials_id"), cred2);
	assert_string_equal(emu_test_str(r.json, "workspace_status"),
			    "RUNNING");
	emu_test_result_dispose(&r);
	free(body);
	body = emu_printf("{\"storage_configuration_id\":\"%s\"}", storage);
	invalid(ws, "PATCH", target, body, "failed to launch");
	free(body);
	invalid(ws, "PATCH", target, "{\"aws_region\":\"eu-west-1\"}",
		"failed to launch");
	emu_test_fails(ws, "PATCH", ACCT "workspaces/42", "{}", EMU_TEST_TOKEN,
		       404, "RESOURCE_DOES_NOT_EXIST", NULL, NULL);

	/* DELETE disarms. */
	emu_test_ok(ws, "POST", "/_emulator/accounts/fail-next-workspace", "{}",
		    NULL, NULL);
	r = call_ok(ws, "DELETE", "/_emulator/accounts/fail-next-workspace",
		    NULL);
	assert_null(cJSON_GetObjectItem(r.json, "fail_next_workspace"));
	emu_test_result_dispose(&r);
	free(target);
	free(cred);
	free(cred2);
	free(storage);
	free(storage2);
}

static void test_emu_account__wrong_account(void **state)
{
	struct emu_workspace *ws = *state;
	static const char *const paths[] = {"credentials",
					    "storage-configurations",
					    "networks", "workspaces"};
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(paths); i++) {
		char *target = emu_printf("/api/2.0/accounts/"
					  "11111111-2222-4333-8444-"
					  "555555555555/%s",
					  paths[i]);

		emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
			       "RESOURCE_DOES_NOT_EXIST",
			       "The account does not exist or the user does "
			       "not belong to this account",
			       NULL);
		emu_test_fails(ws, "POST", target, "{}", EMU_TEST_TOKEN, 404,
			       "RESOURCE_DOES_NOT_EXIST", NULL, "account");
		free(target);
	}
	/* Unauthenticated calls are refused before that. */
	emu_test_fails(ws, "GET", ACCT "credentials", NULL, NULL, 401,
		       "UNAUTHENTICATED", NULL, NULL);
	/* A method the API does not have. */
	emu_test_fails(ws, "PUT", ACCT "credentials", "{}", EMU_TEST_TOKEN, 404,
		       "ENDPOINT_NOT_FOUND", NULL, NULL);
}

/* The token options: one PAT and one OAuth client. */
static void test_emu_account__tokens(void **state)
{
	static const char *const tokens[] = {"dapi-only"};
	static const char *const clients[] = {"sp-1:s3cret"};
	struct emu_workspace_options opts = {
		.tokens = tokens,
		.ntokens = 1,
		.oauth_clients = clients,
		.noauth_clients = 1,
	};
	struct emu_workspace *ws = emu_workspace_new(&opts);
	const char *form = "grant_type=client_credentials&client_id=sp-1&"
			   "client_secret=s3cret&scope=all-apis";
	struct emu_request req;
	struct emu_response resp;
	cJSON *json;
	char *text, *oauth;
	struct emu_test_result r;

	(void)state;
	emu_request_init(&req, "POST", "/oidc/v1/token", form, strlen(form));
	emu_request_add_header(&req, "Content-Type",
			       "application/x-www-form-urlencoded");
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	assert_int_equal(resp.status, 200);
	text = emu_response_text(&resp);
	json = cJSON_Parse(text);
	oauth = emu_xstrdup(emu_test_str(json, "access_token"));
	cJSON_Delete(json);
	free(text);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);

	r = emu_test_call_ok(ws, "GET", ACCT "workspaces", NULL, "dapi-only");
	emu_test_result_dispose(&r);
	r = emu_test_call_ok(ws, "GET", ACCT "workspaces", NULL, oauth);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", ACCT "workspaces", NULL, "dapi-other", 403,
		       "PERMISSION_DENIED", NULL, NULL);
	free(oauth);
	emu_workspace_free(ws);
}

static void test_emu_account__settings_and_reset(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *cred;

	r = call_ok(ws, "GET", "/_emulator/accounts/settings", NULL);
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_int_equal(emu_test_int(r.json, "provision_ms"), PROVISION);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "POST", "/_emulator/accounts/settings",
		       "{\"provision_ms\":-1}", NULL, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "provision_ms");

	cred = make_credentials(ws);
	free(cred);
	emu_test_ok(ws, "POST", "/_emulator/reset", NULL, NULL, NULL);
	r = call_ok(ws, "GET", ACCT "credentials", NULL);
	assert_int_equal(cJSON_GetArraySize(r.json), 0);
	emu_test_result_dispose(&r);
	/* Back to the command-line delay. */
	r = call_ok(ws, "GET", "/_emulator/accounts/settings", NULL);
	assert_int_equal(emu_test_int(r.json, "provision_ms"),
			 EMU_ACCOUNT_DEFAULT_PROVISION_MS);
	emu_test_result_dispose(&r);
}

static void test_emu_account__state_round_trip(void **state)
{
	struct emu_workspace *ws = *state, *fresh;
	char *cred = make_credentials(ws), *storage = make_storage(ws);
	char *network = make_network(ws), *target;
	char path[] = "/tmp/emu-account-XXXXXX";
	struct emu_test_result r =
		make_workspace(ws, "kept", cred, storage, network);
	int64_t id = emu_test_int(r.json, "workspace_id");

	emu_test_result_dispose(&r);
	emu_test_temp_file(path);
	fresh = emu_workspace_new(NULL);
	emu_test_save_load(ws, fresh, path);
	unlink(path);

	/* The provisioning end is absolute: still PROVISIONING now, RUNNING
	 * once the (fresh workspace's) clock passes it. */
	expect_status(fresh, id, "PROVISIONING", NULL);
	emu_workspace_advance_clock(fresh, PROVISION + MARGIN);
	expect_status(fresh, id, "RUNNING", NULL);
	target = emu_printf(ACCT "credentials/%s", cred);
	r = call_ok(fresh, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "credentials_name"), "c");
	emu_test_result_dispose(&r);
	free(target);
	target = emu_printf(ACCT "networks/%s", network);
	r = call_ok(fresh, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "vpc_status"), "VALID");
	emu_test_result_dispose(&r);
	free(target);
	/* The sequence continues after the saved ids. */
	r = make_workspace(fresh, "next", cred, storage, NULL);
	assert_int_equal(emu_test_int(r.json, "workspace_id"), id + 1);
	emu_test_result_dispose(&r);
	emu_workspace_free(fresh);
	free(cred);
	free(storage);
	free(network);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, account_setup, emu_test_teardown)
		T(test_emu_account__credentials),
		T(test_emu_account__storage),
		T(test_emu_account__networks),
		T(test_emu_account__workspace_lifecycle),
		T(test_emu_account__workspace_validation),
		T(test_emu_account__delete_in_use),
		T(test_emu_account__fail_next_and_patch),
		T(test_emu_account__wrong_account),
		T(test_emu_account__tokens),
		T(test_emu_account__settings_and_reset),
		T(test_emu_account__state_round_trip),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
