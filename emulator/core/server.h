/*
 * The HTTP server: libmicrohttpd glue between sockets and the router.
 *
 * It is the only file that includes microhttpd.h. For each request it
 * collects the body (up to max_body bytes; more is 413 with a Databricks
 * error body), copies method, raw target and headers into a struct
 * emu_request, runs emu_router_handle and sends the struct emu_response
 * back as JSON. Requests are served by a small pool of threads; the
 * workspace lock serialises the handlers.
 *
 * Loopback only unless allow_remote: the emulator has no TLS, accepts any
 * token when none is configured and serves unauthenticated test controls.
 */
#ifndef EMU_SERVER_H
#define EMU_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct emu_server;
struct emu_workspace;

/* Default request body cap: 16 MiB. */
#define EMU_SERVER_MAX_BODY ((size_t)16 * 1024 * 1024)

struct emu_server_options {
	const char *bind;  /* numeric IPv4/IPv6 address or "localhost";
			      NULL: 127.0.0.1 */
	unsigned port;	   /* 0: any free port */
	bool allow_remote; /* permit a non-loopback bind address */
	bool verbose;	   /* one line per request on stderr */
	size_t max_body;   /* 0: EMU_SERVER_MAX_BODY */
};

/** True when addr (numeric, or "localhost") is a loopback address. */
bool emu_server_is_loopback(const char *addr);

/**
 * Starts serving ws (which must outlive the server) and stores the server
 * in *out. Returns 0, or -1 with a one-line reason in err (errlen bytes):
 * a bad or non-loopback address without allow_remote, or a failed bind.
 * Also records the listening URL in the workspace.
 */
int emu_server_start(struct emu_server **out, struct emu_workspace *ws,
		     const struct emu_server_options *opts, char *err,
		     size_t errlen);

/** The port actually bound (useful with port 0). */
unsigned emu_server_port(const struct emu_server *server);

/** The base URL, e.g. "http://127.0.0.1:8080" or "http://[::1]:8080". */
const char *emu_server_url(const struct emu_server *server);

/**
 * Stops accepting, waits for in-flight requests and frees the server;
 * NULL is fine.
 */
void emu_server_stop(struct emu_server *server);

#endif
