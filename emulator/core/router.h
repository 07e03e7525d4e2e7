/*
 * Request dispatch: turns a struct emu_request into a struct emu_response
 * by running the matching module route (module.h), with the checks every
 * Databricks endpoint shares, in the order the real service applies them:
 *
 *   1. the target must decode (else 400 MALFORMED_REQUEST);
 *   2. authentication, unless the route is EMU_ROUTE_NO_AUTH
 *      (401 UNAUTHENTICATED / 403 PERMISSION_DENIED; unknown paths are
 *      authenticated too, as the real gateway does);
 *   3. routing (404 ENDPOINT_NOT_FOUND "No API found for 'GET /x'");
 *   4. test controls (faults.h): the --rate-limit token bucket (429),
 *      then --faults: added latency, an injected 429/503/500, a reset
 *      (resp->drop: no answer at all), or drop-create (the handler runs,
 *      then resp->drop);
 *   5. the JSON body of POST/PUT/PATCH: valid UTF-8 and a JSON object
 *      (400 MALFORMED_REQUEST); an empty body counts as {};
 *   6. the handler, with the workspace locked;
 *   7. the request log (unless EMU_ROUTE_NO_LOG), with the fault if any.
 */
#ifndef EMU_ROUTER_H
#define EMU_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct emu_request;
struct emu_response;
struct emu_workspace;

/**
 * Handles req against ws and fills resp (initialised by the caller with
 * emu_response_init). Takes and releases the workspace lock. req is
 * modified (json, params, principal, ws, state).
 */
void emu_router_handle(struct emu_workspace *ws, struct emu_request *req,
		       struct emu_response *resp);

/**
 * Convenience for tests and embedding: builds a request for method and
 * target ("/path?query") with body (may be NULL) and, when bearer is not
 * NULL, "Authorization: Bearer <bearer>", handles it, and disposes of the
 * request. resp must be initialised; the caller disposes of it.
 */
void emu_router_call(struct emu_workspace *ws, const char *method,
		     const char *target, const char *body, const char *bearer,
		     struct emu_response *resp);

/**
 * Matches a route pattern (module.h grammar) against a raw, still
 * percent-encoded path. On a match returns true and, when req is not NULL,
 * stores the captures in req->params (replacing earlier ones).
 */
bool emu_router_match(const char *pattern, const char *raw_path,
		      struct emu_request *req);

#endif
