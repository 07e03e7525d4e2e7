/*
 * The request and response objects every API handler sees. Handlers never
 * touch libmicrohttpd: server.c turns a connection into a struct
 * emu_request, the router (router.c) runs the handler, and server.c sends
 * the struct emu_response back. Unit tests build requests the same way,
 * without a network.
 *
 * Requests own all their strings; they live until emu_request_dispose().
 * Query values, headers and path parameters are returned as borrowed
 * pointers valid for the request's lifetime.
 *
 * The argument accessors that read a request and answer errors (emu_arg_*)
 * are one layer up, in args.h: this file depends on util.h only.
 */
#ifndef EMU_HTTP_H
#define EMU_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct emu_workspace;

/** A name/value pair; both strings are owned by the containing object. */
struct emu_kv {
	char *name;
	char *value;
};

/** Most path parameters a route pattern may capture. */
#define EMU_MAX_PARAMS 8

struct emu_request {
	char *method;	      /* "GET", "POST", ... as sent */
	char *raw_path;	      /* the target up to '?', still percent-encoded */
	char *path;	      /* raw_path percent-decoded ("/api/2.0/...") */
	char *query_string;   /* after '?', still encoded; "" if none */
	struct emu_kv *query; /* decoded pairs in order; keys may repeat */
	size_t nquery;
	struct emu_kv *headers;
	size_t nheaders;
	char *body; /* NUL-terminated copy of the body; NULL if none */
	size_t body_len;

	/* Set when the target does not decode to valid UTF-8 without NUL
	 * bytes; the router answers 400 without running a handler. method,
	 * path and query_string are then made printable ASCII ('?' for any
	 * other byte) so they can still be logged. */
	bool bad_target;
	/* The caller's numeric address as the connection shows it
	 * ("127.0.0.1"; "" for a request made in-process, such as a unit
	 * test's). Set by server.c; the IP access list rules check it. */
	char remote_addr[64];

	/* Filled by the router before the handler runs. */
	cJSON *json; /* POST/PUT/PATCH: the body object ({} if empty) */
	struct emu_kv params[EMU_MAX_PARAMS]; /* captures of the pattern */
	size_t nparams;
	const char *principal;	  /* caller's user name; NULL if no auth */
	struct emu_workspace *ws; /* locked while the handler runs */
	void *state;		  /* the route's module state */
	/* Set by the router for the request log and --verbose. */
	const char *fault; /* injected fault ("503", "reset"...), or NULL */
	bool log_redacted; /* carries credentials: log no query or body */
};

struct emu_response {
	int status;
	cJSON *body; /* owned; NULL is sent as "{}" */
	struct emu_kv *headers;
	size_t nheaders;
	const char *error_code; /* last error's code (static), or NULL */
	/* Send nothing and close the connection (an injected reset). */
	bool drop;
};

/* --- requests ------------------------------------------------------------- */

/**
 * Initialises req for method and target ("/path" or "/path?query") and a
 * copy of body (body_len bytes; body may be NULL). The query is split on
 * '&' and each key and value percent-decoded with '+' as a space, as Go's
 * url.Values encodes it. Never fails: a target that does not decode to
 * valid UTF-8 (or decodes to a NUL byte) sets req->bad_target. Bodies are
 * not examined here; the router validates them.
 */
void emu_request_init(struct emu_request *req, const char *method,
		      const char *target, const char *body, size_t body_len);
/** Adds a header (copied). Names compare case-insensitively. */
void emu_request_add_header(struct emu_request *req, const char *name,
			    const char *value);
/** Frees everything req owns, including req->json. */
void emu_request_dispose(struct emu_request *req);

/** The first value of header name, or NULL. */
const char *emu_request_header(const struct emu_request *req, const char *name);
/** The first value of query key, or NULL (present but empty gives ""). */
const char *emu_request_query(const struct emu_request *req, const char *key);
/** How many times key appears in the query (repeated keys are arrays). */
size_t emu_request_query_count(const struct emu_request *req, const char *key);
/** The i-th value of a repeated query key, or NULL. */
const char *emu_request_query_nth(const struct emu_request *req,
				  const char *key, size_t i);
/** A path parameter captured by the route pattern ("{name}"), or NULL. */
const char *emu_request_param(const struct emu_request *req, const char *name);
/** True for the methods whose arguments travel in a JSON body. */
bool emu_request_has_json_body(const struct emu_request *req);

/**
 * Percent-decodes n bytes of s into a new string stored in *out (caller
 * frees); '+' becomes a space when plus_is_space. Returns 0, or -1 (and
 * *out NULL) on a malformed escape, a NUL byte or invalid UTF-8.
 */
int emu_percent_decode(char **out, const char *s, size_t n, bool plus_is_space);

/*
 * The decoded value of name in an application/x-www-form-urlencoded body
 * (the first one; keys are decoded before they are compared), malloc'd;
 * NULL when absent or badly encoded.
 */
char *emu_form_value(const char *body, size_t len, const char *name);

/* Equal strings, compared in time that depends on the given length only
 * (a client secret checked by a token stand-in). */
bool emu_secret_equal(const char *known, const char *given);

/* --- responses ------------------------------------------------------------ */

/** Initialises resp as 200 with an empty ("{}") body. */
void emu_response_init(struct emu_response *resp);
/** Frees the body and headers. */
void emu_response_dispose(struct emu_response *resp);
/**
 * Sets status and body; takes ownership of body (may be NULL) and frees the
 * previous one. Clears error_code.
 */
void emu_response_json(struct emu_response *resp, int status, cJSON *body);
/** Sets a response header, replacing one of the same name. Copies both. */
void emu_response_set_header(struct emu_response *resp, const char *name,
			     const char *value);
/** The value of response header name, or NULL. */
const char *emu_response_header(const struct emu_response *resp,
				const char *name);
/** The body as compact JSON text ("{}" when empty); caller frees. */
char *emu_response_text(const struct emu_response *resp);

#endif
