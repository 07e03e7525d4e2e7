/*
 * Unit tests for the emulated Account API's private connectivity, keys,
 * log delivery and permission assignments (emulator/account/account_*.c),
 * through the router without a network: required fields and the rules of
 * each kind, the fields the server fills, PUT of private access settings,
 * deletes refused while a workspace uses the object, log delivery's
 * wrapper, status-only PATCH, filters and limits, assignments with ADMIN
 * winning, a missing workspace or principal, and --state.
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

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-account-private-test"
#include "emu_test.h"

#define ACCOUNT_ID "00000000-0000-4000-8000-000000000001"
#define ACCT	   "/api/2.0/accounts/" ACCOUNT_ID "/"
#define VPCE_BODY                                                              \
	"{\"vpc_endpoint_name\":\"relay\",\"region\":\"us-east-1\","           \
	"\"aws_vpc_endpoint_id\":\"vpce-0a1b2c3d4e5f60718\"}"
#define KEY_ARN "arn:aws:kms:eu-west-1:123456789012:key/abcd"

/* --- helpers -------------------------------------------------------------- */

static void invalid(struct emu_workspace *ws, const char *method,
		    const char *target, const char *body, const char *part)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, part);
}

static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, NULL);
}

/* GETs target and checks a string field. */
static void expect_field(struct emu_workspace *ws, const char *target,
			 const char *field, const char *value)
{
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	assert_string_equal(emu_test_str(r.json, field), value);
	emu_test_result_dispose(&r);
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

static char *make_config(struct emu_workspace *ws, const char *kind)
{
	if (strcmp(kind, "credentials") == 0)
		return create(ws, ACCT "credentials",
			      "{\"credentials_name\":\"c\",\"aws_credentials\":"
			      "{\"sts_role\":{\"role_arn\":\"arn:aws:iam::"
			      "123456789012:role/x\"}}}",
			      "credentials_id");
	return create(ws, ACCT "storage-configurations",
		      "{\"storage_configuration_name\":\"s\","
		      "\"root_bucket_info\":{\"bucket_name\":\"b\"}}",
		      "storage_configuration_id");
}

/* A workspace with extra top-level fields (may be ""); its id. */
static int64_t make_workspace(struct emu_workspace *ws, const char *extra)
{
	char *cred = make_config(ws, "credentials");
	char *storage = make_config(ws, "storage");
	char *body = emu_printf("{\"workspace_name\":\"w\","
				"\"aws_region\":\"us-east-1\","
				"\"credentials_id\":\"%s\","
				"\"storage_configuration_id\":\"%s\"%s}",
				cred, storage, extra);
	struct emu_test_result r = call_ok(ws, "POST", ACCT "workspaces", body);
	int64_t id = emu_test_int(r.json, "workspace_id");

	emu_test_result_dispose(&r);
	free(body);
	free(cred);
	free(storage);
	return id;
}

/* --- VPC endpoints and private access settings ---------------------------- */

static void test_emu_account_private__vpc_endpoints(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r =
		call_ok(ws, "POST", ACCT "vpc-endpoints", VPCE_BODY);
	char *target = emu_printf(ACCT "vpc-endpoints/%s",
				  emu_test_str(r.json, "vpc_endpoint_id"));

	assert_string_equal(emu_test_str(r.json, "state"), "available");
	assert_string_equal(emu_test_str(r.json, "use_case"), "GENERAL_ACCESS");
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_int_equal(strlen(emu_test_str(r.json, "aws_account_id")), 12);
	assert_non_null(strstr(emu_test_str(r.json, "aws_endpoint_service_id"),
			       "us-east-1"));
	emu_test_result_dispose(&r);
	expect_field(ws, target, "vpc_endpoint_name", "relay");

	invalid(ws, "POST", ACCT "vpc-endpoints", VPCE_BODY,
		"is already registered");
	invalid(ws, "POST", ACCT "vpc-endpoints",
		"{\"vpc_endpoint_name\":\"x\",\"region\":\"us-east-1\","
		"\"aws_vpc_endpoint_id\":\"endpoint-1\"}",
		"Invalid aws_vpc_endpoint_id");
	invalid(ws, "POST", ACCT "vpc-endpoints",
		"{\"vpc_endpoint_name\":\"x\","
		"\"aws_vpc_endpoint_id\":\"vpce-00000000\"}",
		"Missing required field: region");
	invalid(ws, "POST", ACCT "vpc-endpoints",
		"{\"vpc_endpoint_name\":\"x\",\"gcp_vpc_endpoint_info\":"
		"{\"project_id\":\"p\",\"endpoint_region\":\"r\"}}",
		"gcp_vpc_endpoint_info.psc_endpoint_name");

	r = call_ok(ws, "POST", ACCT "vpc-endpoints",
		    "{\"vpc_endpoint_name\":\"psc\",\"gcp_vpc_endpoint_info\":"
		    "{\"project_id\":\"p\",\"psc_endpoint_name\":\"e\","
		    "\"endpoint_region\":\"us-east4\"}}");
	assert_non_null(emu_test_str(
		cJSON_GetObjectItem(r.json, "gcp_vpc_endpoint_info"),
		"psc_connection_id"));
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", ACCT "vpc-endpoints", NULL);
	assert_true(cJSON_IsArray(r.json));
	assert_int_equal(cJSON_GetArraySize(r.json), 2);
	emu_test_result_dispose(&r);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist");
	free(target);
}

static void test_emu_account_private__access_settings(void **state)
{
	struct emu_workspace *ws = *state;
	char *vpce =
		create(ws, ACCT "vpc-endpoints", VPCE_BODY, "vpc_endpoint_id");
	char *body = emu_printf("{\"private_access_settings_name\":\"pas\","
				"\"region\":\"us-east-1\","
				"\"private_access_level\":\"ENDPOINT\","
				"\"allowed_vpc_endpoint_ids\":[\"%s\"]}",
				vpce);
	char *pas = create(ws, ACCT "private-access-settings", body,
			   "private_access_settings_id");
	char *target = emu_printf(ACCT "private-access-settings/%s", pas);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	assert_false(cJSON_IsTrue(
		cJSON_GetObjectItem(r.json, "public_access_enabled")));
	assert_string_equal(emu_test_str(r.json, "private_access_level"),
			    "ENDPOINT");
	emu_test_result_dispose(&r);

	/* PUT replaces: the level left out returns to ACCOUNT. */
	r = call_ok(ws, "PUT", target,
		    "{\"private_access_settings_name\":\"renamed\","
		    "\"region\":\"us-east-1\",\"public_access_enabled\":true}");
	assert_string_equal(emu_test_str(r.json, "private_access_level"),
			    "ACCOUNT");
	assert_string_equal(emu_test_str(r.json, "account_id"), ACCOUNT_ID);
	assert_null(cJSON_GetObjectItem(r.json, "allowed_vpc_endpoint_ids"));
	emu_test_result_dispose(&r);

	invalid(ws, "PUT", target, "{\"region\":\"us-east-1\"}",
		"Missing required field: private_access_settings_name");
	invalid(ws, "POST", ACCT "private-access-settings",
		"{\"private_access_settings_name\":\"p\",\"region\":\"r\","
		"\"private_access_level\":\"NONE\"}",
		"private_access_level");
	invalid(ws, "POST", ACCT "private-access-settings",
		"{\"private_access_settings_name\":\"p\",\"region\":\"r\","
		"\"allowed_vpc_endpoint_ids\":[\"nope\"]}",
		"Invalid VpcEndpointId: nope");
	free(target);
	free(body);
	free(pas);
	free(vpce);
}

/* --- customer-managed keys ------------------------------------------------ */

static void test_emu_account_private__keys(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r =
		call_ok(ws, "POST", ACCT "customer-managed-keys",
			"{\"aws_key_info\":{\"key_arn\":\"" KEY_ARN "\"},"
			"\"use_cases\":[\"MANAGED_SERVICES\",\"STORAGE\"]}");

	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json, "aws_key_info"),
			     "key_region"),
		"eu-west-1");
	assert_non_null(cJSON_GetObjectItem(r.json, "creation_time"));
	emu_test_result_dispose(&r);

	invalid(ws, "POST", ACCT "customer-managed-keys",
		"{\"aws_key_info\":{\"key_arn\":\"" KEY_ARN "\"}}",
		"use_cases");
	invalid(ws, "POST", ACCT "customer-managed-keys",
		"{\"aws_key_info\":{\"key_arn\":\"" KEY_ARN "\"},"
		"\"use_cases\":[\"BACKUPS\"]}",
		"Invalid use_cases 'BACKUPS'");
	invalid(ws, "POST", ACCT "customer-managed-keys",
		"{\"use_cases\":[\"STORAGE\"]}", "exactly one of");
	invalid(ws, "POST", ACCT "customer-managed-keys",
		"{\"aws_key_info\":{\"key_arn\":\"" KEY_ARN "\"},"
		"\"gcp_key_info\":{\"kms_key_id\":\"k\"},"
		"\"use_cases\":[\"STORAGE\"]}",
		"exactly one of");
	invalid(ws, "POST", ACCT "customer-managed-keys",
		"{\"aws_key_info\":{\"key_arn\":\"not-an-arn\"},"
		"\"use_cases\":[\"STORAGE\"]}",
		"Invalid aws_key_info.key_arn");
}

/* --- deletes refused while a workspace uses the object -------------------- */

static void test_emu_account_private__delete_in_use(void **state)
{
	struct emu_workspace *ws = *state;
	char *vpce =
		create(ws, ACCT "vpc-endpoints", VPCE_BODY, "vpc_endpoint_id");
	char *net_body = emu_printf(
		"{\"network_name\":\"n\",\"vpc_id\":\"vpc-1\","
		"\"subnet_ids\":[\"a\",\"b\"],\"security_group_ids\":[\"sg\"],"
		"\"vpc_endpoints\":{\"rest_api\":[\"%s\"],"
		"\"dataplane_relay\":[\"%s\"]}}",
		vpce, vpce);
	char *net = create(ws, ACCT "networks", net_body, "network_id");
	char *pas = create(ws, ACCT "private-access-settings",
			   "{\"private_access_settings_name\":\"p\","
			   "\"region\":\"us-east-1\"}",
			   "private_access_settings_id");
	char *key = create(ws, ACCT "customer-managed-keys",
			   "{\"aws_key_info\":{\"key_arn\":\"" KEY_ARN "\"},"
			   "\"use_cases\":[\"STORAGE\"]}",
			   "customer_managed_key_id");
	char *extra = emu_printf(",\"network_id\":\"%s\","
				 "\"private_access_settings_id\":\"%s\","
				 "\"storage_customer_managed_key_id\":\"%s\"",
				 net, pas, key);
	int64_t id = make_workspace(ws, extra);
	char *target;

	target = emu_printf(ACCT "vpc-endpoints/%s", vpce);
	invalid(ws, "DELETE", target, NULL,
		"while it is attached to a workspace");
	free(target);
	target = emu_printf(ACCT "private-access-settings/%s", pas);
	invalid(ws, "DELETE", target, NULL,
		"while it is attached to a workspace");
	free(target);
	target = emu_printf(ACCT "customer-managed-keys/%s", key);
	invalid(ws, "DELETE", target, NULL,
		"while it is attached to a workspace");

	/* Once the workspace is gone, they can go. */
	free(target);
	target = emu_printf(ACCT "workspaces/%lld", (long long)id);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	free(target);
	target = emu_printf(ACCT "customer-managed-keys/%s", key);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	free(target);
	target = emu_printf(ACCT "vpc-endpoints/%s", vpce);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	free(target);
	free(extra);
	free(key);
	free(pas);
	free(net);
	free(net_body);
	free(vpce);
}

/* --- log delivery --------------------------------------------------------- */

/* A log delivery body for the given configurations and extra fields. */
static char *log_body(const char *cred, const char *storage, const char *type,
		      const char *format, const char *extra)
{
	return emu_printf("{\"log_delivery_configuration\":{"
			  "\"credentials_id\":\"%s\","
			  "\"storage_configuration_id\":\"%s\","
			  "\"log_type\":\"%s\",\"output_format\":\"%s\"%s}}",
			  cred, storage, type, format, extra);
}

static void test_emu_account_private__log_delivery(void **state)
{
	struct emu_workspace *ws = *state;
	char *cred = make_config(ws, "credentials");
	char *storage = make_config(ws, "storage");
	char *body = log_body(cred, storage, "BILLABLE_USAGE", "CSV", "");
	struct emu_test_result r =
		call_ok(ws, "POST", ACCT "log-delivery", body);
	const cJSON *c =
		cJSON_GetObjectItem(r.json, "log_delivery_configuration");
	char *target = emu_printf(ACCT "log-delivery/%s",
				  emu_test_str(c, "config_id"));
	char *bad;

	assert_string_equal(emu_test_str(c, "status"), "ENABLED");
	assert_int_equal(strlen(emu_test_str(c, "delivery_start_time")), 7);
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(c, "log_delivery_status"),
			     "status"),
		"CREATED");
	emu_test_result_dispose(&r);

	/* Only the status changes; there is no delete. */
	emu_test_ok(ws, "PATCH", target,
		    "{\"status\":\"DISABLED\",\"config_name\":\"x\"}",
		    EMU_TEST_TOKEN, NULL);
	r = call_ok(ws, "GET", target, NULL);
	c = cJSON_GetObjectItem(r.json, "log_delivery_configuration");
	assert_string_equal(emu_test_str(c, "status"), "DISABLED");
	assert_null(emu_test_str(c, "config_name"));
	emu_test_result_dispose(&r);
	invalid(ws, "PATCH", target, "{}", "Missing required field: status");
	invalid(ws, "PATCH", target, "{\"status\":\"PAUSED\"}", "status");
	emu_test_fails(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, 404,
		       "ENDPOINT_NOT_FOUND", NULL, NULL);

	/* Filters. */
	r = call_ok(ws, "GET", ACCT "log-delivery?status=ENABLED", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
				 r.json, "log_delivery_configurations")),
			 0);
	emu_test_result_dispose(&r);

	/* Two enabled account-wide configurations per log type. */
	ok(ws, "POST", ACCT "log-delivery", body);
	ok(ws, "POST", ACCT "log-delivery", body);
	emu_test_fails(ws, "POST", ACCT "log-delivery", body, EMU_TEST_TOKEN,
		       400, "RESOURCE_LIMIT_EXCEEDED", NULL, "at most 2");
	emu_test_fails(ws, "PATCH", target, "{\"status\":\"ENABLED\"}",
		       EMU_TEST_TOKEN, 400, "RESOURCE_LIMIT_EXCEEDED", NULL,
		       "at most 2");

	/* The rules of the fields. */
	bad = log_body(cred, storage, "AUDIT_LOGS", "CSV", "");
	invalid(ws, "POST", ACCT "log-delivery", bad, "audit logs as JSON");
	free(bad);
	bad = log_body(cred, storage, "AUDIT_LOGS", "JSON",
		       ",\"delivery_path_prefix\":\"/logs\"");
	invalid(ws, "POST", ACCT "log-delivery", bad, "delivery_path_prefix");
	free(bad);
	bad = log_body("nope", storage, "AUDIT_LOGS", "JSON", "");
	invalid(ws, "POST", ACCT "log-delivery", bad,
		"Invalid CredentialsId: nope");
	free(bad);
	bad = log_body(cred, storage, "AUDIT_LOGS", "JSON",
		       ",\"delivery_start_time\":\"2024-13\"");
	invalid(ws, "POST", ACCT "log-delivery", bad, "YYYY-MM");
	free(bad);
	invalid(ws, "POST", ACCT "log-delivery", "{\"credentials_id\":\"x\"}",
		"Missing required field: log_delivery_configuration");
	free(target);
	free(body);
	free(cred);
	free(storage);
}

/* --- permission assignments ----------------------------------------------- */

static void test_emu_account_private__assignments(void **state)
{
	struct emu_workspace *ws = *state;
	int64_t id = make_workspace(ws, "");
	char *base = emu_printf(ACCT "workspaces/%lld/permissionassignments",
				(long long)id);
	char *p42 = emu_printf("%s/principals/42", base);
	char *bad = emu_printf("%s/principals/alice", base);
	struct emu_test_result r;
	const cJSON *first;

	r = call_ok(ws, "PUT", p42, "{\"permissions\":[\"USER\",\"ADMIN\"]}");
	assert_string_equal(
		cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "permissions"),
				   0)
			->valuestring,
		"ADMIN");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", base, NULL);
	first = cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.json, "permission_assignments"), 0);
	assert_int_equal(emu_test_int(cJSON_GetObjectItem(first, "principal"),
				      "principal_id"),
			 42);
	emu_test_result_dispose(&r);

	invalid(ws, "PUT", bad, "{\"permissions\":[\"USER\"]}",
		"Invalid principal id 'alice'");
	emu_test_ok(ws, "DELETE", p42, NULL, EMU_TEST_TOKEN, NULL);
	emu_test_fails(ws, "DELETE", p42, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "not in workspace");
	emu_test_fails(ws, "GET", ACCT "workspaces/999/permissionassignments",
		       NULL, EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "Workspace 999 does not exist.", NULL);
	free(bad);
	free(p42);
	free(base);
}

/* --- --state -------------------------------------------------------------- */

static void test_emu_account_private__state_round_trip(void **state)
{
	struct emu_workspace *ws = *state, *fresh;
	int64_t id = make_workspace(ws, "");
	char *p7 = emu_printf(ACCT "workspaces/%lld/permissionassignments/"
				   "principals/7",
			      (long long)id);
	char *vpce =
		create(ws, ACCT "vpc-endpoints", VPCE_BODY, "vpc_endpoint_id");
	char *target = emu_printf(ACCT "vpc-endpoints/%s", vpce);
	char path[] = "/tmp/emu-account-private-XXXXXX";

	ok(ws, "PUT", p7, "{\"permissions\":[\"USER\"]}");
	emu_test_temp_file(path);
	fresh = emu_workspace_new(NULL);
	emu_test_save_load(ws, fresh, path);
	unlink(path);
	expect_field(fresh, target, "state", "available");
	emu_test_ok(fresh, "DELETE", p7, NULL, EMU_TEST_TOKEN, NULL);
	emu_workspace_free(fresh);
	free(target);
	free(vpce);
	free(p7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_account_private__vpc_endpoints),
		T(test_emu_account_private__access_settings),
		T(test_emu_account_private__keys),
		T(test_emu_account_private__delete_in_use),
		T(test_emu_account_private__log_delivery),
		T(test_emu_account_private__assignments),
		T(test_emu_account_private__state_round_trip),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
