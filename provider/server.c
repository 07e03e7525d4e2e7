/*
 * gRPC core server: one completion queue, generic dispatch, a worker pool.
 *
 * The queue thread (the caller of tfp_server_run) owns the completion queue
 * and is the only thread that calls grpc_completion_queue_next. Calls are
 * requested without registered methods, so every method arrives through the
 * same grpc_server_request_call and is looked up by path in the caller's
 * table; anything not in it gets UNIMPLEMENTED, which newer Terraform
 * versions expect for RPCs we do not know (terraform-plugin-protocol.md §2).
 *
 * Each call is one struct srv_call, used as the tag of its only outstanding
 * batch, so its state field says which batch completed:
 *
 *   REQUESTED -> (unary)  RECEIVING -> [handler] -> REPLYING -> freed
 *             -> (stream) HOLDING -> freed when the client cancels
 *             -> (unknown method) REPLYING -> freed
 *
 * Unary handlers run on worker threads, started lazily up to n_workers,
 * because Terraform sends up to ten calls at once and a slow apply must not
 * hold up StopProvider (§9.7). A worker starts the reply batch itself; its
 * completion comes back to the queue thread, which frees the call and its
 * arena. A call is therefore touched by one thread at a time, handed over
 * through the worker queue's mutex or through the completion queue.
 *
 * Stopping follows §9.6: shutdown_and_notify, cancel_all_calls, drain until
 * the notification arrived and every call is freed, stop the workers, shut
 * the queue down, drain it, destroy. tfp_server_request_stop only sets an
 * atomic flag (so it is even safe in a signal handler); the queue thread
 * polls it between events.
 */
#include "server.h"

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "log.h"

#define SERVER_DEFAULT_WORKERS 16
/* How long the queue thread sleeps before it looks at the stop flag. */
#define SERVER_POLL_MS 100
#define LOG_MODULE     "sdk.proto"

enum call_state {
	CALL_REQUESTED, /* waiting for grpc_server_request_call */
	CALL_RECEIVING, /* RECV_MESSAGE batch started */
	CALL_HOLDING,	/* held stream: waiting for the client to cancel */
	CALL_REPLYING,	/* reply batch started */
};

struct tfp_server;

struct srv_call {
	struct tfp_server *srv;
	enum call_state state;
	grpc_call *call;
	grpc_call_details details;
	grpc_metadata_array request_md;
	const struct tfp_method *method; /* NULL: unknown */
	char rpc[64];			 /* last path element, for logs */
	struct timespec started;

	grpc_byte_buffer *recv_buf;
	grpc_slice request; /* recv_buf flattened */
	bool have_request;
	struct tfp_arena *arena; /* unary calls only */
	grpc_byte_buffer *send_buf;
	grpc_status_code status;
	int cancelled; /* RECV_CLOSE_ON_SERVER result */

	struct srv_call *next; /* worker queue link */
};

struct tfp_server {
	const struct tfp_server_config *cfg;
	grpc_server *server;
	grpc_completion_queue *cq;
	/* Calls allocated and not yet freed, pending requests included. The
	 * queue thread frees calls, but a worker may free one whose reply
	 * batch could not start, so it is atomic. */
	atomic_long live_calls;
	bool shutting_down;
	bool shutdown_notified;

	pthread_mutex_t mu; /* protects everything below */
	pthread_cond_t cv;
	struct srv_call *head, *tail;
	size_t queued;
	int n_threads, n_idle, max_threads;
	bool workers_stop;
	pthread_t *threads;
};

static atomic_bool stop_requested;
/* The notification tag of grpc_server_shutdown_and_notify; only its
 * address matters. */
static char shutdown_tag;

/* --- gRPC core's own log lines -------------------------------------------- */

/*
 * gRPC core writes "E1121 12:00:00 ... file.cc:123] message" to stderr by
 * default. go-plugin logs such lines raw at DEBUG; routing them through our
 * logger keeps every stderr line hclog JSON with the right level.
 */
static void server_gpr_log(gpr_log_func_args *args)
{
	enum tfp_log_level level = TFP_LOG_DEBUG;
	char caller[160];
	const char *kv[] = {"@caller", caller, NULL};

	if (args->severity == GPR_LOG_SEVERITY_ERROR)
		level = TFP_LOG_ERROR;
	else if (args->severity == GPR_LOG_SEVERITY_INFO)
		level = TFP_LOG_INFO;
	if (!tfp_log_enabled(level))
		return;
	snprintf(caller, sizeof(caller), "%s:%d", args->file ? args->file : "?",
		 args->line);
	tfp_log_kv(level, "sdk.grpc", kv, "%s",
		   args->message ? args->message : "");
}

/* --- calls ---------------------------------------------------------------- */

static struct srv_call *call_new(struct tfp_server *srv)
{
	struct srv_call *c = tfp_xcalloc(1, sizeof(*c));

	c->srv = srv;
	c->state = CALL_REQUESTED;
	grpc_call_details_init(&c->details);
	grpc_metadata_array_init(&c->request_md);
	atomic_fetch_add(&srv->live_calls, 1);
	return c;
}

static void call_free(struct srv_call *c)
{
	struct tfp_server *srv = c->srv;

	if (c->have_request)
		grpc_slice_unref(c->request);
	if (c->recv_buf)
		grpc_byte_buffer_destroy(c->recv_buf);
	if (c->send_buf)
		grpc_byte_buffer_destroy(c->send_buf);
	if (c->arena)
		tfp_arena_free(c->arena);
	if (c->call)
		grpc_call_unref(c->call);
	grpc_metadata_array_destroy(&c->request_md);
	grpc_call_details_destroy(&c->details);
	free(c);
	atomic_fetch_sub(&srv->live_calls, 1);
}

static const struct tfp_method *find_method(const struct tfp_server *srv,
					    grpc_slice path)
{
	size_t len = GRPC_SLICE_LENGTH(path), i;
	const uint8_t *p = GRPC_SLICE_START_PTR(path);

	for (i = 0; i < srv->cfg->n_methods; i++) {
		const char *m = srv->cfg->methods[i].path;

		if (strlen(m) == len && memcmp(m, p, len) == 0)
			return &srv->cfg->methods[i];
	}
	return NULL;
}

/* "/tfplugin6.Provider/ReadResource" -> "ReadResource", for tf_rpc. */
static void call_set_rpc_name(struct srv_call *c)
{
	size_t len = GRPC_SLICE_LENGTH(c->details.method), start = 0, i;
	const char *p = (const char *)GRPC_SLICE_START_PTR(c->details.method);

	for (i = 0; i < len; i++)
		if (p[i] == '/')
			start = i + 1;
	len -= start;
	if (len >= sizeof(c->rpc))
		len = sizeof(c->rpc) - 1;
	memcpy(c->rpc, p + start, len);
	c->rpc[len] = '\0';
}

/* Asks for the next incoming call. Called again as soon as one arrives. */
static void server_arm(struct tfp_server *srv)
{
	struct srv_call *c;
	grpc_call_error err;

	if (srv->shutting_down)
		return;
	c = call_new(srv);
	err = grpc_server_request_call(srv->server, &c->call, &c->details,
				       &c->request_md, srv->cq, srv->cq, c);
	if (err != GRPC_CALL_OK) {
		tfp_log(TFP_LOG_ERROR, LOG_MODULE,
			"grpc_server_request_call failed: %d", (int)err);
		call_free(c);
	}
}

/*
 * Starts the final batch: initial metadata, the message if send_buf is set,
 * the status, and the close. When the batch cannot start, no completion will
 * come, so the call is freed here (on whichever thread this is).
 */
static void call_reply(struct srv_call *c, grpc_status_code status,
		       const char *err_msg)
{
	grpc_op ops[4];
	grpc_op *op = ops;
	grpc_slice details;
	grpc_call_error err;

	memset(ops, 0, sizeof(ops));
	c->status = status;
	op->op = GRPC_OP_SEND_INITIAL_METADATA;
	op++;
	if (c->send_buf != NULL) {
		op->op = GRPC_OP_SEND_MESSAGE;
		op->data.send_message.send_message = c->send_buf;
		op++;
	}
	/* The core copies the details during start_batch. */
	details = grpc_slice_from_copied_string(err_msg ? err_msg : "");
	op->op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	op->data.send_status_from_server.status = status;
	op->data.send_status_from_server.status_details =
		err_msg != NULL ? &details : NULL;
	op++;
	op->op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	op->data.recv_close_on_server.cancelled = &c->cancelled;
	op++;

	c->state = CALL_REPLYING;
	err = grpc_call_start_batch(c->call, ops, (size_t)(op - ops), c, NULL);
	grpc_slice_unref(details);
	if (err != GRPC_CALL_OK) {
		tfp_log(TFP_LOG_ERROR, LOG_MODULE,
			"%s: could not start the reply batch: %d", c->rpc,
			(int)err);
		call_free(c);
	}
}

/* Runs the handler of a unary call and replies; worker or queue thread. */
static void call_run_handler(struct srv_call *c)
{
	const struct tfp_method *m = c->method;
	const uint8_t *req = GRPC_SLICE_START_PTR(c->request);
	size_t req_len = GRPC_SLICE_LENGTH(c->request);
	uint8_t *resp = NULL;
	size_t resp_len = 0;
	const char *err_msg = NULL;
	grpc_slice out;
	int status;

	c->arena = tfp_arena_new();
	status = m->fn(c->arena, req, req_len, &resp, &resp_len, &err_msg,
		       c->srv->cfg->payload);
	if (status != GRPC_STATUS_OK) {
		/* A TFP_ERROR (-1) returned by mistake is no gRPC status; the
		 * core would pass it on as is. */
		if (status < 0 || status > GRPC_STATUS_UNAUTHENTICATED) {
			tfp_log(TFP_LOG_ERROR, LOG_MODULE,
				"%s: the handler returned %d, not a gRPC "
				"status",
				c->rpc, status);
			status = GRPC_STATUS_UNKNOWN;
		}
		if (err_msg == NULL)
			err_msg = "the provider failed to handle the request";
		call_reply(c, (grpc_status_code)status, err_msg);
		return;
	}
	if (resp_len == 0 || resp == NULL)
		out = grpc_empty_slice();
	else
		out = grpc_slice_from_copied_buffer((const char *)resp,
						    resp_len);
	c->send_buf = grpc_raw_byte_buffer_create(&out, 1);
	grpc_slice_unref(out);
	call_reply(c, GRPC_STATUS_OK, NULL);
}

/* --- worker pool ---------------------------------------------------------- */

static void *worker_main(void *arg)
{
	struct tfp_server *srv = arg;
	struct srv_call *c;

	for (;;) {
		pthread_mutex_lock(&srv->mu);
		while (srv->head == NULL && !srv->workers_stop) {
			srv->n_idle++;
			pthread_cond_wait(&srv->cv, &srv->mu);
			srv->n_idle--;
		}
		if (srv->head == NULL) {
			pthread_mutex_unlock(&srv->mu);
			return NULL;
		}
		c = srv->head;
		srv->head = c->next;
		if (srv->head == NULL)
			srv->tail = NULL;
		srv->queued--;
		pthread_mutex_unlock(&srv->mu);

		c->next = NULL;
		call_run_handler(c);
	}
}

/*
 * Hands a call to the pool. Threads start on demand, so a process that only
 * serves GetProviderSchema never starts one beyond what it needs.
 */
static void pool_submit(struct tfp_server *srv, struct srv_call *c)
{
	bool run_inline = false;

	pthread_mutex_lock(&srv->mu);
	if (srv->tail)
		srv->tail->next = c;
	else
		srv->head = c;
	srv->tail = c;
	srv->queued++;
	if ((size_t)srv->n_idle < srv->queued &&
	    srv->n_threads < srv->max_threads) {
		int err = pthread_create(&srv->threads[srv->n_threads], NULL,
					 worker_main, srv);

		if (err == 0)
			srv->n_threads++;
		else if (srv->n_threads == 0)
			run_inline = true;
	}
	if (run_inline) {
		/* Without any worker the call would wait forever; take it
		 * back and run it here. */
		srv->head = c->next;
		if (srv->head == NULL)
			srv->tail = NULL;
		srv->queued--;
	}
	pthread_cond_signal(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
	if (run_inline) {
		tfp_log(TFP_LOG_WARN, LOG_MODULE,
			"could not start a worker thread; running %s inline",
			c->rpc);
		call_run_handler(c);
	}
}

static void pool_stop(struct tfp_server *srv)
{
	int i;

	pthread_mutex_lock(&srv->mu);
	srv->workers_stop = true;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
	for (i = 0; i < srv->n_threads; i++)
		pthread_join(srv->threads[i], NULL);
	srv->n_threads = 0;
}

/* --- the queue thread ----------------------------------------------------- */

static double elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static void call_log_done(struct srv_call *c)
{
	char ms[32], status[16];
	const char *kv[] = {"tf_rpc", c->rpc,	     "tf_req_duration_ms",
			    ms,	      "grpc_status", status,
			    NULL};

	/* rpc.c logs each tfplugin6 call at DEBUG with its resource type;
	 * this transport-level line is for TRACE. */
	if (!tfp_log_enabled(TFP_LOG_TRACE))
		return;
	snprintf(ms, sizeof(ms), "%.3f", elapsed_ms(&c->started));
	snprintf(status, sizeof(status), "%d", (int)c->status);
	tfp_log_kv(TFP_LOG_TRACE, LOG_MODULE, kv,
		   c->cancelled ? "Cancelled RPC %s" : "Served RPC %s", c->rpc);
}

static void server_begin_shutdown(struct tfp_server *srv)
{
	if (srv->shutting_down)
		return;
	srv->shutting_down = true;
	tfp_log(TFP_LOG_DEBUG, LOG_MODULE, "Stopping the gRPC server");
	grpc_server_shutdown_and_notify(srv->server, srv->cq, &shutdown_tag);
	/* Held streams end only when the client hangs up; cancel them so
	 * the notification comes now. */
	grpc_server_cancel_all_calls(srv->server);
}

static void on_new_call(struct srv_call *c, bool ok)
{
	struct tfp_server *srv = c->srv;
	grpc_op op;
	grpc_call_error err;

	if (!ok) {
		/* The server is shutting down: the request was never used. */
		call_free(c);
		return;
	}
	server_arm(srv);
	clock_gettime(CLOCK_MONOTONIC, &c->started);
	call_set_rpc_name(c);
	c->method = find_method(srv, c->details.method);
	if (tfp_log_enabled(TFP_LOG_TRACE)) {
		const char *kv[] = {"tf_rpc", c->rpc, NULL};

		tfp_log_kv(TFP_LOG_TRACE, LOG_MODULE, kv, "Received RPC %s",
			   c->rpc);
	}

	if (c->method == NULL) {
		call_reply(c, GRPC_STATUS_UNIMPLEMENTED, "unknown method");
		return;
	}

	memset(&op, 0, sizeof(op));
	if (c->method->kind == TFP_METHOD_HOLD_STREAM) {
		grpc_op ops[2];

		memset(ops, 0, sizeof(ops));
		ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
		ops[1].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
		ops[1].data.recv_close_on_server.cancelled = &c->cancelled;
		c->state = CALL_HOLDING;
		err = grpc_call_start_batch(c->call, ops, 2, c, NULL);
	} else {
		op.op = GRPC_OP_RECV_MESSAGE;
		op.data.recv_message.recv_message = &c->recv_buf;
		c->state = CALL_RECEIVING;
		err = grpc_call_start_batch(c->call, &op, 1, c, NULL);
	}
	if (err != GRPC_CALL_OK) {
		tfp_log(TFP_LOG_ERROR, LOG_MODULE,
			"%s: could not start a batch: %d", c->rpc, (int)err);
		call_free(c);
	}
}

static void on_received(struct srv_call *c, bool ok)
{
	grpc_byte_buffer_reader reader;

	if (!ok) {
		/* The client went away before the request arrived. */
		call_free(c);
		return;
	}
	if (c->recv_buf == NULL) {
		call_reply(c, GRPC_STATUS_INTERNAL, "no request message");
		return;
	}
	if (!grpc_byte_buffer_reader_init(&reader, c->recv_buf)) {
		call_reply(c, GRPC_STATUS_INTERNAL,
			   "could not read the request message");
		return;
	}
	c->request = grpc_byte_buffer_reader_readall(&reader);
	c->have_request = true;
	grpc_byte_buffer_reader_destroy(&reader);
	grpc_byte_buffer_destroy(c->recv_buf);
	c->recv_buf = NULL;

	switch (c->method->kind) {
	case TFP_METHOD_SHUTDOWN: {
		/* An empty message is the encoding of plugin.Empty. */
		grpc_slice empty = grpc_empty_slice();

		c->send_buf = grpc_raw_byte_buffer_create(&empty, 1);
		call_reply(c, GRPC_STATUS_OK, NULL);
		break;
	}
	case TFP_METHOD_UNARY_INLINE:
		call_run_handler(c);
		break;
	case TFP_METHOD_UNARY:
		pool_submit(c->srv, c);
		break;
	case TFP_METHOD_HOLD_STREAM:
		/* Not reached: held streams never receive. */
		call_reply(c, GRPC_STATUS_INTERNAL, "unexpected message");
		break;
	}
}

static void on_event(struct tfp_server *srv, grpc_event ev)
{
	struct srv_call *c;
	bool is_shutdown_rpc;

	if (ev.tag == &shutdown_tag) {
		srv->shutdown_notified = true;
		return;
	}
	c = ev.tag;
	switch (c->state) {
	case CALL_REQUESTED:
		on_new_call(c, ev.success != 0);
		break;
	case CALL_RECEIVING:
		on_received(c, ev.success != 0);
		break;
	case CALL_HOLDING:
		call_free(c);
		break;
	case CALL_REPLYING:
		is_shutdown_rpc = c->method != NULL &&
				  c->method->kind == TFP_METHOD_SHUTDOWN;
		if (!ev.success)
			c->cancelled = 1;
		call_log_done(c);
		call_free(c);
		/* §9.6: stop only once the reply is on the wire, so the
		 * client sees Shutdown succeed. */
		if (is_shutdown_rpc)
			server_begin_shutdown(srv);
		break;
	}
}

static void server_loop(struct tfp_server *srv)
{
	for (;;) {
		gpr_timespec deadline = gpr_time_add(
			gpr_now(GPR_CLOCK_MONOTONIC),
			gpr_time_from_millis(SERVER_POLL_MS, GPR_TIMESPAN));
		grpc_event ev =
			grpc_completion_queue_next(srv->cq, deadline, NULL);

		if (ev.type == GRPC_OP_COMPLETE)
			on_event(srv, ev);
		else if (ev.type == GRPC_QUEUE_SHUTDOWN)
			return; /* not reached: the queue is shut down later */

		if (!srv->shutting_down && atomic_load(&stop_requested))
			server_begin_shutdown(srv);
		if (srv->shutdown_notified &&
		    atomic_load(&srv->live_calls) == 0)
			return;
	}
}

static grpc_server_credentials *
server_credentials(const struct tfp_server_config *cfg)
{
	grpc_ssl_pem_key_cert_pair pair;

	if (cfg->client_ca_pem == NULL || cfg->server_cert_pem == NULL ||
	    cfg->server_key_pem == NULL)
		return grpc_insecure_server_credentials_create();
	pair.private_key = cfg->server_key_pem;
	pair.cert_chain = cfg->server_cert_pem;
	/* Go's tls.RequireAndVerifyClientCert: only the certificate Terraform
	 * passed in PLUGIN_CLIENT_CERT may connect. */
	return grpc_ssl_server_credentials_create_ex(
		cfg->client_ca_pem, &pair, 1,
		GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY,
		NULL);
}

int tfp_server_run(const struct tfp_server_config *cfg,
		   void (*on_listening)(void *arg), void *arg)
{
	struct tfp_server srv;
	grpc_server_credentials *creds = NULL;
	grpc_arg args[2];
	grpc_channel_args chargs;
	grpc_event ev;
	int error = TFP_ERROR, port;
	bool started = false;

	memset(&srv, 0, sizeof(srv));
	srv.cfg = cfg;
	atomic_init(&srv.live_calls, 0);
	srv.max_threads =
		cfg->n_workers > 0 ? cfg->n_workers : SERVER_DEFAULT_WORKERS;
	srv.threads = tfp_xcalloc((size_t)srv.max_threads, sizeof(pthread_t));
	pthread_mutex_init(&srv.mu, NULL);
	pthread_cond_init(&srv.cv, NULL);

	gpr_set_log_function(server_gpr_log);
	grpc_init();
	srv.cq = grpc_completion_queue_create_for_next(NULL);

	/* The core's default 4 MB receive limit is too small for big plans;
	 * grpc-go on Terraform's side sets no limit either. */
	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[0].value.integer = -1;
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
	args[1].value.integer = -1;
	chargs.num_args = TFP_ARRAY_SIZE(args);
	chargs.args = args;
	srv.server = grpc_server_create(&chargs, NULL);
	grpc_server_register_completion_queue(srv.server, srv.cq, NULL);

	if (cfg->before_listen != NULL &&
	    cfg->before_listen(cfg->before_listen_arg) < 0)
		goto done;
	creds = server_credentials(cfg);
	port = grpc_server_add_http2_port(srv.server, cfg->listen_addr, creds);
	grpc_server_credentials_release(creds);
	if (port == 0) {
		tfp_log(TFP_LOG_ERROR, LOG_MODULE, "could not listen on %s",
			cfg->listen_addr);
		goto done;
	}
	grpc_server_start(srv.server);
	started = true;
	server_arm(&srv);
	tfp_log(TFP_LOG_DEBUG, LOG_MODULE, "Listening on %s (%s)",
		cfg->listen_addr, cfg->client_ca_pem ? "mTLS" : "plaintext");
	if (on_listening)
		on_listening(arg);

	server_loop(&srv);
	error = TFP_OK;

done:
	if (!started) {
		/* A server that never started still needs a shutdown before
		 * it can be destroyed. */
		server_begin_shutdown(&srv);
		server_loop(&srv);
	}
	pool_stop(&srv);
	grpc_completion_queue_shutdown(srv.cq);
	do {
		ev = grpc_completion_queue_next(
			srv.cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	} while (ev.type != GRPC_QUEUE_SHUTDOWN);
	grpc_server_destroy(srv.server);
	grpc_completion_queue_destroy(srv.cq);
	grpc_shutdown();
	free(srv.threads);
	pthread_cond_destroy(&srv.cv);
	pthread_mutex_destroy(&srv.mu);
	atomic_store(&stop_requested, false);
	tfp_log(TFP_LOG_DEBUG, LOG_MODULE, "gRPC server stopped");
	return error;
}

void tfp_server_request_stop(void)
{
	atomic_store(&stop_requested, true);
}
