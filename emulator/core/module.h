/*
 * The interface an emulated API implements, and the list of them.
 *
 * An API module (secrets.c, identity.c, control.c, jobs.c, oauth.c;
 * later clusters.c, catalog.c) is one .c file that ends with a
 * `const struct emu_module emu_module_<name>` descriptor: its route table
 * and, if it keeps workspace state, the functions that create, free, save
 * and load that state. modules.c lists every descriptor; the router
 * (router.c) dispatches over that list and the workspace (workspace.c)
 * keeps one state object per module. Adding an API therefore takes the new
 * family folder's file and two lines in modules.c (its extern and its
 * entry); nothing in the core changes.
 *
 * Handlers run with the workspace lock held (one mutex for the whole
 * workspace), so they read and write their state freely and a write is
 * visible to the next request. req->state is the module's own state;
 * another module's state is reachable with emu_workspace_state().
 *
 * Route patterns are absolute paths matched segment by segment against
 * the percent-decoded path:
 *
 *	literal            must equal the segment
 *	{name}             any non-empty segment, captured as param "name"
 *	{name:a|b|c}       one of the listed segments, captured
 *	{name*}            the rest of the path (one or more segments)
 *
 * so "/api/{v:2.0|2.1|2.2}/jobs/get" serves three API versions from one
 * handler, and "/api/2.1/unity-catalog/catalogs/{name}" captures a name
 * (read it with emu_request_param(req, "name")). The first route whose
 * method and pattern both match wins. A path that matches no pattern, or
 * matches with another method, is 404 ENDPOINT_NOT_FOUND as on the real
 * service.
 */
#ifndef EMU_MODULE_H
#define EMU_MODULE_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct emu_request;
struct emu_response;

/**
 * A request handler. It reads req (arguments via the emu_arg_* accessors)
 * and fills resp: leave it alone for 200 "{}", call emu_response_json() for
 * a body, or one of the errors.h helpers. It must not keep pointers into
 * req after returning.
 */
typedef void (*emu_handler_fn)(struct emu_request *req,
			       struct emu_response *resp);

enum emu_route_flags {
	/* Served without an Authorization header (discovery, test controls). */
	EMU_ROUTE_NO_AUTH = 1 << 0,
	/* Not recorded in the request log (the test controls themselves). */
	EMU_ROUTE_NO_LOG = 1 << 1,
	/* The body is not JSON (e.g. a form-encoded OAuth token request):
	 * the router leaves it in req->body and req->json stays NULL. */
	EMU_ROUTE_RAW_BODY = 1 << 2,
	/* The query or body carries credentials (the OAuth token endpoint):
	 * logged without them. */
	EMU_ROUTE_SECRET_ARGS = 1 << 3,
	/* The body may also be multipart/form-data (DBFS put's file
	 * upload): such a body is left in req->body with req->json NULL;
	 * any other body is parsed as JSON as usual. */
	EMU_ROUTE_MULTIPART = 1 << 4,
};

struct emu_route {
	const char *method;  /* "GET", "POST", ... or "*" for any method */
	const char *pattern; /* see the grammar above */
	emu_handler_fn handler;
	unsigned flags; /* enum emu_route_flags */
};

/* Ends a route table. */
/* clang-format off */
#define EMU_ROUTE_END { .method = NULL }
/* clang-format on */

struct emu_module {
	/* Short name; also the key of the module's state in --state files. */
	const char *name;
	/* Ends with EMU_ROUTE_END. */
	const struct emu_route *routes;

	/* The rest is optional (NULL for stateless modules). */

	/** A new, empty state (aborts on OOM, never NULL). */
	void *(*state_new)(void);
	/** Frees a state from state_new; NULL is fine. */
	void (*state_free)(void *state);
	/** The state as a new JSON value for the --state file. */
	cJSON *(*state_save)(const void *state);
	/**
	 * Fills an empty state from json (from state_save). Returns 0, or -1
	 * with a one-line reason in err (errlen bytes).
	 */
	int (*state_load)(void *state, const cJSON *json, char *err,
			  size_t errlen);
};

/* Every module, in routing order; ends with NULL (emulator/modules.c,
 * the composition root, outside the core). */
extern const struct emu_module *const emu_modules[];
/* The core's own API: the /_emulator/ test controls (control.c). */
extern const struct emu_module emu_module_control;

#endif
