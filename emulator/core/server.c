/*
 * libmicrohttpd glue; see server.h. The only file that includes
 * microhttpd.h.
 *
 * Per-request context: MHD's URI log callback runs once per request with
 * the raw request target (path and query, before MHD unescapes anything);
 * its return value becomes the request's context, which the completion
 * callback frees. The emulator decodes the target itself (http.c), so
 * handlers see exactly what the client sent.
 *
 * Body cap: a Content-Length over the cap is refused at once with 413
 * (MHD then closes the connection instead of reading the body); a chunked
 * body that grows past the cap is read and discarded, then refused the same
 * way.
 *
 * Injected resets (faults.h): when the router marks the response as
 * dropped, no response is queued and MHD_NO makes MHD close the
 * connection: the client reads the end of the stream where the answer
 * should be (curl: "Empty reply from server"; Go: EOF).
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "errors.h"
#include "http.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

/* Enough threads that a slow client cannot stall the others; handlers are
 * serialised by the workspace lock anyway. */
#define SERVER_THREADS		4
/* Connections at once: many, so that idle clients holding keep-alive
 * connections open cannot starve the others (at the limit MHD stops
 * accepting, and new clients wait for an idle one to time out); bounded
 * by the descriptors the process may open (server_connection_limit). */
#define SERVER_CONNECTION_LIMIT 8192
/* Descriptors kept back for the listener, files and pipes. */
#define SERVER_FD_RESERVE 64
/* Idle keep-alive connections are closed after this many seconds. */
#define SERVER_IDLE_TIMEOUT 120
/* Per-connection memory for the request line and headers. */
#define SERVER_CONNECTION_MEMORY (256 * 1024)

struct emu_server {
	struct MHD_Daemon *daemon;
	struct emu_workspace *ws;
	unsigned port;
	char *url;
	bool verbose;
	size_t max_body;
};

struct request_ctx {
	char *target; /* raw request target from the request line */
	struct emu_buf body;
	bool started;	/* the access handler has seen the headers */
	bool too_large; /* the body went over the cap */
};

/* The peer's numeric address into out ("" when libmicrohttpd cannot say):
 * the IP access list rules compare it with the lists. An IPv4 peer on a
 * dual-stack socket is shown as plain IPv4, as a workspace sees it. */
static void remote_address(struct MHD_Connection *conn, char *out,
			   size_t outlen)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	out[0] = '\0';
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)outlen);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		const char *p;

		if (inet_ntop(AF_INET6, &in6->sin6_addr, out,
			      (socklen_t)outlen) == NULL) {
			out[0] = '\0';
			return;
		}
		p = strrchr(out, ':');
		if (strncmp(out, "::ffff:", 7) == 0 && p && strchr(p, '.'))
			memmove(out, out + 7, strlen(out + 7) + 1);
	}
}

bool emu_server_is_loopback(const char *addr)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (!addr || strcmp(addr, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, addr, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6);
	return false;
}

/*
 * Raises the soft descriptor limit to the hard one (Debian's default soft
 * limit of 1024 would cap the connections), and answers how many
 * connections fit.
 */
static unsigned server_connection_limit(void)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 512;
	want = rl.rlim_max == RLIM_INFINITY ? 65536 : rl.rlim_max;
	if (want > 65536)
		want = 65536;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = want;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > SERVER_CONNECTION_LIMIT + SERVER_FD_RESERVE)
		return SERVER_CONNECTION_LIMIT;
	return rl.rlim_cur > 2 * SERVER_FD_RESERVE
		       ? (unsigned)(rl.rlim_cur - SERVER_FD_RESERVE)
		       : SERVER_FD_RESERVE;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct emu_server *server = cls;
	struct request_ctx *ctx = emu_xcalloc(1, sizeof(*ctx));

	(void)conn;
	ctx->target = emu_xstrdup(uri ? uri : "");
	ctx->body.max = server->max_body;
	return ctx;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct request_ctx *ctx = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!ctx)
		return;
	free(ctx->target);
	emu_buf_dispose(&ctx->body);
	free(ctx);
	*req_cls = NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind,
				      const char *key, const char *value)
{
	(void)kind;
	emu_request_add_header(cls, key, value ? value : "");
	return MHD_YES;
}

static enum MHD_Result send_response(struct MHD_Connection *conn,
				     const struct emu_response *resp)
{
	char *text = emu_response_text(resp);
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t i;

	r = MHD_create_response_from_buffer(strlen(text), text,
					    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json");
	for (i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name,
					resp->headers[i].value);
	ret = MHD_queue_response(conn, (unsigned int)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Writes s to stderr with control characters (a decoded "%0A" in a path)
 * shown as '?', so one request stays one log line. */
static void log_text(const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s,
		      stderr);
}

static void log_request(const struct emu_server *server,
			const struct emu_request *req,
			const struct emu_response *resp)
{
	if (!server->verbose)
		return;
	/* Headers (and so tokens) are never logged. */
	fputs("brickform-emulator: ", stderr);
	log_text(req->method);
	fputc(' ', stderr);
	log_text(req->path);
	if (req->query_string[0] && !req->log_redacted) {
		fputc('?', stderr);
		log_text(req->query_string);
	}
	if (resp->drop)
		fprintf(stderr, " -> connection reset (fault %s)\n",
			req->fault ? req->fault : "reset");
	else
		fprintf(stderr, " -> %d%s%s%s\n", resp->status,
			resp->error_code ? " " : "",
			resp->error_code ? resp->error_code : "",
			req->fault ? " (injected)" : "");
}

static enum MHD_Result send_too_large(struct emu_server *server,
				      struct MHD_Connection *conn,
				      const char *method, const char *target)
{
	struct emu_request req;
	struct emu_response resp;
	enum MHD_Result ret;

	emu_request_init(&req, method, target, NULL, 0);
	emu_response_init(&resp);
	emu_error(&resp, 413, "BAD_REQUEST",
		  "The request body exceeds the limit of %zu bytes.",
		  server->max_body);
	log_request(server, &req, &resp);
	ret = send_response(conn, &resp);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	return ret;
}

/* Is the Content-Length header value a number above max? Malformed values
 * are left for MHD, which rejects them itself. */
static bool length_exceeds(const char *value, size_t max)
{
	char *end = NULL;
	uintmax_t n;

	if (!value || *value < '0' || *value > '9')
		return false;
	errno = 0;
	n = strtoumax(value, &end, 10);
	if (*end != '\0')
		return false;
	return errno == ERANGE || n > max;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct emu_server *server = cls;
	struct request_ctx *ctx = *req_cls;
	struct emu_request req;
	struct emu_response resp;
	enum MHD_Result ret;

	(void)version;
	if (!ctx) {
		/* Not expected: the URI callback runs for every request. */
		ctx = on_uri(server, url, conn);
		*req_cls = ctx;
	}
	if (!ctx->started) {
		ctx->started = true;
		if (length_exceeds(MHD_lookup_connection_value(
					   conn, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_CONTENT_LENGTH),
				   server->max_body))
			return send_too_large(server, conn, method,
					      ctx->target);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!ctx->too_large && emu_buf_append(&ctx->body, upload_data,
						      *upload_data_size) < 0) {
			ctx->too_large = true;
			emu_buf_dispose(&ctx->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->too_large)
		return send_too_large(server, conn, method, ctx->target);

	emu_request_init(&req, method, ctx->target, ctx->body.data,
			 ctx->body.len);
	emu_buf_dispose(&ctx->body);
	remote_address(conn, req.remote_addr, sizeof(req.remote_addr));
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &req);
	emu_response_init(&resp);
	emu_router_handle(server->ws, &req, &resp);
	log_request(server, &req, &resp);
	/* An injected reset: queue nothing, and MHD closes the connection
	 * when the access handler says MHD_NO. */
	ret = resp.drop ? MHD_NO : send_response(conn, &resp);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	return ret;
}

int emu_server_start(struct emu_server **out, struct emu_workspace *ws,
		     const struct emu_server_options *opts, char *err,
		     size_t errlen)
{
	const char *bind = opts->bind ? opts->bind : "127.0.0.1";
	struct emu_server *server = NULL;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *sa;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	const union MHD_DaemonInfo *info;
	bool v6 = false;

	*out = NULL;
	if (strcmp(bind, "localhost") == 0)
		bind = "127.0.0.1";
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, bind, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)opts->port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, bind, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)opts->port);
		sa = (struct sockaddr *)&sin6;
		v6 = true;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen,
			 "invalid bind address '%s': expected a numeric IPv4 "
			 "or IPv6 address, or localhost",
			 bind);
		return -1;
	}
	if (opts->port > 65535) {
		snprintf(err, errlen, "invalid port %u", opts->port);
		return -1;
	}
	if (!opts->allow_remote && !emu_server_is_loopback(bind)) {
		snprintf(err, errlen,
			 "refusing to listen on non-loopback address %s: the "
			 "emulator has no TLS and serves unauthenticated test "
			 "controls; pass --allow-remote to do it anyway",
			 bind);
		return -1;
	}
	if (opts->verbose)
		flags |= MHD_USE_ERROR_LOG;

	server = emu_xcalloc(1, sizeof(*server));
	server->ws = ws;
	server->verbose = opts->verbose;
	server->max_body =
		opts->max_body ? opts->max_body : EMU_SERVER_MAX_BODY;
	errno = 0;
	server->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, server, MHD_OPTION_SOCK_ADDR,
		sa, MHD_OPTION_URI_LOG_CALLBACK, on_uri, server,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)SERVER_THREADS,
		MHD_OPTION_CONNECTION_LIMIT, server_connection_limit(),
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)SERVER_IDLE_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)SERVER_CONNECTION_MEMORY, MHD_OPTION_END);
	if (!server->daemon) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s", bind,
			 opts->port,
			 errno ? strerror(errno) : "libmicrohttpd failed");
		free(server);
		return -1;
	}
	info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : opts->port;
	server->url = v6 ? emu_printf("http://[%s]:%u", bind, server->port)
			 : emu_printf("http://%s:%u", bind, server->port);
	emu_workspace_lock(ws);
	emu_workspace_set_base_url(ws, server->url);
	emu_workspace_unlock(ws);
	*out = server;
	return 0;
}

unsigned emu_server_port(const struct emu_server *server)
{
	return server->port;
}

const char *emu_server_url(const struct emu_server *server)
{
	return server->url;
}

void emu_server_stop(struct emu_server *server)
{
	if (!server)
		return;
	MHD_stop_daemon(server->daemon);
	free(server->url);
	free(server);
}
