/*
 * Test controls under /_emulator/. These are NOT part of the Databricks
 * API: they exist so tests can inspect and reset the emulator between
 * cases. They need no token and are not themselves recorded in the request
 * log (docs/emulator.md lists them).
 *
 *   GET    /_emulator/health     {"status": "ok"}: ready check for CI
 *   GET    /_emulator/requests   captured requests and per-path counts
 *                                (reqlog.h)
 *   DELETE /_emulator/requests   clear the request log only
 *   POST   /_emulator/reset      empty workspace and empty request log
 *
 * Anything else under /_emulator/ is 404 ENDPOINT_NOT_FOUND, still without
 * needing a token.
 */
#include "errors.h"
#include "http.h"
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

static void control_requests(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200,
			  emu_reqlog_json(emu_workspace_reqlog(req->ws)));
}

static void control_requests_clear(struct emu_request *req,
				   struct emu_response *resp)
{
	(void)resp;
	emu_reqlog_clear(emu_workspace_reqlog(req->ws));
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
