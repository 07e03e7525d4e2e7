/*
 * Request dispatch over the module list; see router.h for the stages and
 * module.h for the pattern grammar.
 *
 * Matching works on the raw path, one segment at a time, and decodes each
 * segment on its own, so an encoded slash ("%2F") inside a captured name
 * stays inside that segment instead of creating a new one.
 */
#include "router.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "errors.h"
#include "faults.h"
#include "http.h"
#include "module.h"
#include "reqlog.h"
#include "util.h"
#include "workspace.h"

/* --- pattern matching ----------------------------------------------------- */

struct captures {
	struct emu_kv kv[EMU_MAX_PARAMS];
	size_t n;
};

static void captures_dispose(struct captures *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->kv[i].name);
		free(c->kv[i].value);
	}
	c->n = 0;
}

static bool capture(struct captures *c, const char *name, size_t name_len,
		    char *value)
{
	if (c->n == EMU_MAX_PARAMS) {
		free(value);
		return false;
	}
	c->kv[c->n].name = emu_xmemdup0(name, name_len);
	c->kv[c->n].value = value;
	c->n++;
	return true;
}

/* Does the decoded segment equal one of the '|'-separated alternatives? */
static bool one_of(const char *alts, size_t alts_len, const char *seg)
{
	size_t seg_len = strlen(seg);

	while (alts_len > 0) {
		const char *bar = memchr(alts, '|', alts_len);
		size_t n = bar ? (size_t)(bar - alts) : alts_len;

		if (n == seg_len && memcmp(alts, seg, n) == 0)
			return true;
		if (!bar)
			break;
		alts_len -= n + 1;
		alts = bar + 1;
	}
	return false;
}

/*
 * Matches one pattern segment p[0..plen) against the raw path segment
 * s[0..slen). Returns 1 on a match, 0 otherwise.
 */
static int match_segment(const char *p, size_t plen, const char *s, size_t slen,
			 struct captures *caps)
{
	const char *inner, *colon;
	size_t ilen;
	char *seg = NULL;

	if (plen < 2 || p[0] != '{' || p[plen - 1] != '}') {
		/* A literal. Most path segments carry no escapes, so compare
		 * those without decoding. */
		if (!memchr(s, '%', slen))
			return plen == slen && memcmp(p, s, plen) == 0;
		if (emu_percent_decode(&seg, s, slen, false) < 0)
			return 0;
		if (strlen(seg) == plen && memcmp(p, seg, plen) == 0) {
			free(seg);
			return 1;
		}
		free(seg);
		return 0;
	}

	inner = p + 1;
	ilen = plen - 2;
	if (slen == 0 || emu_percent_decode(&seg, s, slen, false) < 0 ||
	    seg[0] == '\0') {
		free(seg);
		return 0;
	}
	colon = memchr(inner, ':', ilen);
	if (colon) {
		size_t name_len = (size_t)(colon - inner);

		if (!one_of(colon + 1, ilen - name_len - 1, seg)) {
			free(seg);
			return 0;
		}
		return capture(caps, inner, name_len, seg);
	}
	return capture(caps, inner, ilen, seg);
}

bool emu_router_match(const char *pattern, const char *raw_path,
		      struct emu_request *req)
{
	struct captures caps = {.n = 0};
	const char *p = pattern, *s = raw_path;
	bool ok = false;
	size_t i;

	if (*p != '/' || *s != '/')
		return false;
	while (*p == '/') {
		size_t plen, slen;

		if (*s != '/')
			goto done;
		p++;
		s++;
		plen = strcspn(p, "/");
		slen = strcspn(s, "/");

		/* "{name*}": the rest of the path, at least one byte. */
		if (plen > 3 && p[0] == '{' && p[plen - 2] == '*' &&
		    p[plen - 1] == '}') {
			char *rest = NULL;
			size_t rest_len = strlen(s);

			if (rest_len == 0 ||
			    emu_percent_decode(&rest, s, rest_len, false) < 0 ||
			    !capture(&caps, p + 1, plen - 3, rest))
				goto done;
			p += plen;
			s += rest_len;
			break;
		}
		if (!match_segment(p, plen, s, slen, &caps))
			goto done;
		p += plen;
		s += slen;
	}
	ok = *p == '\0' && *s == '\0';

done:
	if (ok && req) {
		for (i = 0; i < req->nparams; i++) {
			free(req->params[i].name);
			free(req->params[i].value);
		}
		memcpy(req->params, caps.kv, caps.n * sizeof(caps.kv[0]));
		req->nparams = caps.n;
	} else {
		captures_dispose(&caps);
	}
	return ok;
}

/* --- dispatch ------------------------------------------------------------- */

struct match {
	const struct emu_module *module;
	const struct emu_route *route;
};

static bool find_route(struct match *out, struct emu_request *req)
{
	size_t m;

	for (m = 0; emu_modules[m]; m++) {
		const struct emu_route *r;

		for (r = emu_modules[m]->routes; r && r->method; r++) {
			if (strcmp(r->method, "*") != 0 &&
			    strcmp(r->method, req->method) != 0)
				continue;
			if (emu_router_match(r->pattern, req->raw_path, req)) {
				out->module = emu_modules[m];
				out->route = r;
				return true;
			}
		}
	}
	return false;
}

/* Is the body multipart/form-data (a form with a file, as curl -F
 * sends it)? */
static bool is_multipart(const struct emu_request *req)
{
	const char *type = emu_request_header(req, "Content-Type");

	return type && emu_strcaseprefix(type, "multipart/form-data");
}

/*
 * Parses the body of a POST/PUT/PATCH into req->json. Returns NULL, or the
 * detail of the MALFORMED_REQUEST error to send.
 */
static const char *parse_body(struct emu_request *req)
{
	const char *end = NULL;

	if (!req->body || req->body_len == 0) {
		/* An empty body means "no fields": required ones are then
		 * reported as missing, as the service does. */
		req->json = cJSON_CreateObject();
		return NULL;
	}
	/* cJSON passes bytes through unchecked, so check UTF-8 first: every
	 * string the emulator echoes must be valid in its JSON output. A NUL
	 * byte would end the parse early and hide trailing garbage. */
	if (!emu_utf8_valid(req->body, req->body_len) ||
	    memchr(req->body, '\0', req->body_len))
		return "the body is not valid UTF-8 text";
	/* The length includes the terminating NUL, which cJSON requires to
	 * reject trailing garbage. */
	req->json = cJSON_ParseWithLengthOpts(req->body, req->body_len + 1,
					      &end, true);
	if (!req->json)
		return "failed to parse given JSON";
	if (!cJSON_IsObject(req->json)) {
		cJSON_Delete(req->json);
		req->json = NULL;
		return "expected a map";
	}
	return NULL;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
			      .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The test-control stage between routing and the handler: the rate limit,
 * then the faults of --faults (faults.h). Returns true when the handler
 * must not run (resp then holds the throttle or fault answer, or is to be
 * dropped). A drop-create fault is left in *drop_after for after the
 * handler. The lock is held on entry and on return, but released while an
 * injected latency passes, so other requests go on meanwhile.
 */
static bool inject(struct emu_workspace *ws, struct emu_request *req,
		   struct emu_response *resp, bool *drop_after)
{
	struct emu_faults *faults = emu_workspace_faults(ws);
	struct emu_fault_decision d;

	/* Never fault the control that removes faults, whatever the
	 * scopes say, so a test cannot lock itself out. */
	if (strcmp(req->path, "/_emulator/faults") == 0)
		return false;
	if (!emu_faults_path_exempt(req->path) &&
	    !emu_faults_rate_admit(faults, emu_workspace_now_ms(ws), resp)) {
		req->fault = "throttled";
		return true;
	}
	emu_faults_decide(&d, faults, req->method, req->path);
	if (d.latency_ms > 0) {
		emu_workspace_unlock(ws);
		sleep_ms(d.latency_ms);
		emu_workspace_lock(ws);
	}
	switch (d.kind) {
	case EMU_FAULT_NONE:
		return false;
	case EMU_FAULT_DROP_CREATE:
		*drop_after = true;
		return false;
	case EMU_FAULT_RESET:
		req->fault = emu_fault_kind_name(d.kind);
		resp->status = 0;
		resp->drop = true;
		return true;
	default:
		req->fault = emu_fault_kind_name(d.kind);
		emu_faults_respond(faults, d.kind, resp);
		return true;
	}
}

void emu_router_handle(struct emu_workspace *ws, struct emu_request *req,
		       struct emu_response *resp)
{
	struct match match = {NULL, NULL};
	bool found = false, drop_after = false, unknown_host = false;
	unsigned flags = 0;
	const char *body_error = NULL;

	if (!req->bad_target) {
		found = find_route(&match, req);
		if (found)
			flags = match.route->flags;
		req->log_redacted = (flags & EMU_ROUTE_SECRET_ARGS) != 0;
		if (emu_request_has_json_body(req) &&
		    !(flags & EMU_ROUTE_RAW_BODY) &&
		    !((flags & EMU_ROUTE_MULTIPART) && is_multipart(req)))
			body_error = parse_body(req);
	}

	/* The Host header picks the workspace (workspace.h), under the
	 * root's lock, which every workspace it hosts shares. */
	emu_workspace_lock(ws);
	/* The server hands every request to the root; a caller that names a
	 * hosted workspace itself (emu_router_call) is served by it. */
	if (emu_workspace_root(ws) == ws)
		ws = emu_workspace_for_host(ws, emu_request_header(req, "Host"),
					    &unknown_host);
	if (unknown_host) {
		/* A deleted workspace's URL, or a typo: never the root's
		 * data under another name. */
		emu_error(resp, 404, "ENDPOINT_NOT_FOUND",
			  "No workspace is served at this host.");
		goto log;
	}
	if (req->bad_target) {
		emu_error(resp, 400, "MALFORMED_REQUEST",
			  "The request target is not valid percent-encoded "
			  "UTF-8.");
		goto log;
	}
	if (!(flags & EMU_ROUTE_NO_AUTH) &&
	    emu_auth_check(&req->principal, emu_workspace_auth(ws),
			   emu_request_header(req, "Authorization"),
			   emu_workspace_now_ms(ws), resp) < 0)
		goto log;
	if (!found) {
		emu_error_no_api(resp, req->method, req->path);
		goto log;
	}
	if (inject(ws, req, resp, &drop_after))
		goto log;
	if (body_error) {
		emu_error_malformed(resp, body_error);
		goto log;
	}
	req->ws = ws;
	req->state = emu_workspace_state(ws, match.module);
	match.route->handler(req, resp);
	if (drop_after) {
		/* The write happened; only its answer is lost. */
		req->fault = emu_fault_kind_name(EMU_FAULT_DROP_CREATE);
		resp->drop = true;
	}

log:
	if (!(flags & EMU_ROUTE_NO_LOG))
		emu_reqlog_add(emu_workspace_reqlog(ws), req, resp->status);
	emu_workspace_unlock(ws);
}

void emu_router_call(struct emu_workspace *ws, const char *method,
		     const char *target, const char *body, const char *bearer,
		     struct emu_response *resp)
{
	struct emu_request req;

	emu_request_init(&req, method, target, body, body ? strlen(body) : 0);
	if (bearer) {
		char *value = emu_printf("Bearer %s", bearer);

		emu_request_add_header(&req, "Authorization", value);
		free(value);
	}
	emu_router_handle(ws, &req, resp);
	emu_request_dispose(&req);
}
