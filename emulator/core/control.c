/*
 * Test controls under /_emulator/. These are NOT part of the Databricks
 * API: they exist so tests can inspect and reset the emulator between
 * cases. They need no token and are not themselves recorded in the request
 * log (docs/emulator.md lists them).
 *
 *   GET    /_emulator/health     {"status": "ok"}: ready check for CI
 *   GET    /_emulator/cloud      {"cloud": "aws"|"azure"|"gcp", "strict":
 *                                bool}: the cloud the workspace plays
 *                                (--cloud), and whether the other clouds'
 *                                parts are refused (--cloud given)
 *   GET    /_emulator/requests   captured requests and per-path counts
 *                                (reqlog.h)
 *   DELETE /_emulator/requests   clear the request log only
 *   POST   /_emulator/reset      empty workspace and empty request log
 *   GET    /_emulator/faults     the fault rules, seed and injected counts
 *   POST   /_emulator/faults     {"spec": "...", "seed": N}: new rules
 *                                (and seed), counters zeroed (faults.h)
 *   DELETE /_emulator/faults     no faults any more
 *   POST   /_emulator/rate-limit {"per_second": N}: the --rate-limit
 *                                from now on (0: none), counters zeroed
 *   GET    /_emulator/clock      {"now_ms": N}: the workspace clock
 *   POST   /_emulator/clock      {"advance_ms": N}: moves it forward
 *                                without waiting (a warehouse auto-stops,
 *                                a pool's idle instances settle), answers
 *                                like GET
 *
 * Anything else under /_emulator/ is 404 ENDPOINT_NOT_FOUND, still without
 * needing a token.
 */
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "faults.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "reqlog.h"
#include "workspace.h"

static void control_health(struct emu_request *req, struct emu_response *resp)
{
	cJSON *body = cJSON_CreateObject();

	(void)req;
	cJSON_AddStringToObject(body, "status", "ok");
	emu_response_json(resp, 200, body);
}

static void control_cloud(struct emu_request *req, struct emu_response *resp)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "cloud",
				emu_cloud_name(emu_workspace_cloud(req->ws)));
	cJSON_AddBoolToObject(body, "strict",
			      emu_workspace_cloud_strict(req->ws));
	emu_response_json(resp, 200, body);
}

static void control_requests(struct emu_request *req, struct emu_response *resp)
{
	cJSON *body = emu_reqlog_json(emu_workspace_reqlog(req->ws));

	emu_faults_rate_json(emu_workspace_faults(req->ws), body);
	emu_response_json(resp, 200, body);
}

static void control_requests_clear(struct emu_request *req,
				   struct emu_response *resp)
{
	(void)resp;
	emu_reqlog_clear(emu_workspace_reqlog(req->ws));
	emu_faults_clear_rate_counters(emu_workspace_faults(req->ws));
}

static void control_faults_get(struct emu_request *req,
			       struct emu_response *resp)
{
	emu_response_json(resp, 200,
			  emu_faults_json(emu_workspace_faults(req->ws)));
}

/* Control routes take their body raw (a reset may carry anything), so
 * this one parses its own JSON. */
static void control_faults_set(struct emu_request *req,
			       struct emu_response *resp)
{
	struct emu_faults *faults = emu_workspace_faults(req->ws);
	cJSON *json = NULL;
	const cJSON *spec, *seed;
	int64_t seed_value = 0;
	char err[512];

	if (req->body && req->body_len > 0)
		json = cJSON_ParseWithLength(req->body, req->body_len);
	if (!cJSON_IsObject(json)) {
		emu_error_malformed(resp, "expected a map such as "
					  "{\"spec\": \"503=0.1\"}");
		goto done;
	}
	spec = cJSON_GetObjectItemCaseSensitive(json, "spec");
	seed = cJSON_GetObjectItemCaseSensitive(json, "seed");
	if (!cJSON_IsString(spec)) {
		if (!spec || cJSON_IsNull(spec))
			emu_error_missing_field(resp, "spec");
		else
			emu_error_field_type(resp, "spec", "a string",
					     emu_json_type_name(spec));
		goto done;
	}
	if (seed && !cJSON_IsNull(seed) &&
	    (emu_json_get_int64(&seed_value, seed) < 0 || seed_value < 0)) {
		emu_error_invalid(resp,
				  "Invalid value for field 'seed': "
				  "expected an integer from 0 to 2^53-1.");
		goto done;
	}
	if (emu_faults_set_spec(faults, spec->valuestring, err, sizeof(err)) <
	    0) {
		emu_error_invalid(resp, "%s", err);
		goto done;
	}
	if (seed && !cJSON_IsNull(seed))
		emu_faults_set_seed(faults, (uint64_t)seed_value);
	emu_response_json(resp, 200, emu_faults_json(faults));

done:
	cJSON_Delete(json);
}

static void control_faults_clear(struct emu_request *req,
				 struct emu_response *resp)
{
	char err[64];

	emu_faults_set_spec(emu_workspace_faults(req->ws), "", err,
			    sizeof(err));
	emu_response_json(resp, 200,
			  emu_faults_json(emu_workspace_faults(req->ws)));
}

/* A benchmark sets the workspace up unthrottled, then measures a client
 * against a limit, without restarting the workspace in between. */
static void control_rate_limit_set(struct emu_request *req,
				   struct emu_response *resp)
{
	struct emu_faults *faults = emu_workspace_faults(req->ws);
	cJSON *json = NULL, *body;
	const cJSON *per;
	int64_t n = 0;

	if (req->body && req->body_len > 0)
		json = cJSON_ParseWithLength(req->body, req->body_len);
	per = cJSON_GetObjectItemCaseSensitive(json, "per_second");
	if (!cJSON_IsObject(json) || !per) {
		emu_error_malformed(resp, "expected a map such as "
					  "{\"per_second\": 15}");
		goto done;
	}
	if (emu_json_get_int64(&n, per) < 0 || n < 0 || n > 1000000) {
		emu_error_invalid(resp, "Invalid value for field 'per_second': "
					"expected an integer from 0 to 1000000.");
		goto done;
	}
	emu_faults_set_rate_limit(faults, (unsigned)n);
	emu_faults_clear_rate_counters(faults);
	body = cJSON_CreateObject();
	emu_faults_rate_json(faults, body);
	emu_response_json(resp, 200, body);
done:
	cJSON_Delete(json);
}

static void control_clock_get(struct emu_request *req,
			      struct emu_response *resp)
{
	cJSON *body = cJSON_CreateObject();

	emu_json_add_int64(body, "now_ms", emu_workspace_now_ms(req->ws));
	emu_response_json(resp, 200, body);
}

/* At most a year at a time: the clock's sum must stay far from overflow
 * whatever a client sends. */
#define CLOCK_MAX_ADVANCE_MS (366LL * 24 * 3600 * 1000)

static void control_clock_set(struct emu_request *req,
			      struct emu_response *resp)
{
	cJSON *json = NULL;
	const cJSON *adv;
	int64_t ms = 0;

	if (req->body && req->body_len > 0)
		json = cJSON_ParseWithLength(req->body, req->body_len);
	adv = cJSON_GetObjectItemCaseSensitive(json, "advance_ms");
	if (!cJSON_IsObject(json) || !adv) {
		emu_error_malformed(resp, "expected a map such as "
					  "{\"advance_ms\": 600000}");
		goto done;
	}
	if (emu_json_get_int64(&ms, adv) < 0 || ms < 0 ||
	    ms > CLOCK_MAX_ADVANCE_MS) {
		emu_error_invalid(resp, "Invalid value for field 'advance_ms': "
					"expected an integer from 0 to %lld.",
				  (long long)CLOCK_MAX_ADVANCE_MS);
		goto done;
	}
	emu_workspace_advance_clock(req->ws, ms);
	control_clock_get(req, resp);
done:
	cJSON_Delete(json);
}

static void control_reset(struct emu_request *req, struct emu_response *resp)
{
	(void)resp;
	emu_workspace_reset(req->ws);
}

static void control_unknown(struct emu_request *req, struct emu_response *resp)
{
	emu_error_no_api(resp, req->method, req->path);
}

#define CONTROL (EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG | EMU_ROUTE_RAW_BODY)

static const struct emu_route control_routes[] = {
	{.method = "GET",
	 .pattern = "/_emulator/health",
	 .handler = control_health,
	 .flags = CONTROL},
	{.method = "GET",
	 .pattern = "/_emulator/cloud",
	 .handler = control_cloud,
	 .flags = CONTROL},
	{.method = "GET",
	 .pattern = "/_emulator/requests",
	 .handler = control_requests,
	 .flags = CONTROL},
	{.method = "DELETE",
	 .pattern = "/_emulator/requests",
	 .handler = control_requests_clear,
	 .flags = CONTROL},
	{.method = "POST",
	 .pattern = "/_emulator/reset",
	 .handler = control_reset,
	 .flags = CONTROL},
	{.method = "GET",
	 .pattern = "/_emulator/faults",
	 .handler = control_faults_get,
	 .flags = CONTROL},
	{.method = "POST",
	 .pattern = "/_emulator/faults",
	 .handler = control_faults_set,
	 .flags = CONTROL},
	{.method = "DELETE",
	 .pattern = "/_emulator/faults",
	 .handler = control_faults_clear,
	 .flags = CONTROL},
	{.method = "POST",
	 .pattern = "/_emulator/rate-limit",
	 .handler = control_rate_limit_set,
	 .flags = CONTROL},
	{.method = "GET",
	 .pattern = "/_emulator/clock",
	 .handler = control_clock_get,
	 .flags = CONTROL},
	{.method = "POST",
	 .pattern = "/_emulator/clock",
	 .handler = control_clock_set,
	 .flags = CONTROL},
	{.method = "*",
	 .pattern = "/_emulator/{rest*}",
	 .handler = control_unknown,
	 .flags = CONTROL},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_control = {
	.name = "control",
	.routes = control_routes,
};
