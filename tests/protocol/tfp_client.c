/*
 * The Terraform side of the plugin protocol, for tests (see tfp_client.h).
 *
 * Processes are started with posix_spawn: the test process already runs
 * gRPC's threads, and only exec-style spawning is safe after that. Every
 * descriptor we create is close-on-exec, so the provider inherits only its
 * stdin (/dev/null), the stdout pipe and, unless captured, our stderr.
 *
 * Each call uses its own pluck completion queue, so calls from several
 * threads do not see each other's events. gRPC is initialised once per
 * client (grpc_init is reference-counted) and shut down when it is freed.
 */
#include "tfp_client.h"

#include <errno.h>
#include <fcntl.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <poll.h>
#include <protobuf-c/protobuf-c.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tlscert.h"

extern char **environ;

#define CLIENT_DEFAULT_CALL_MS	30000
#define CLIENT_DEFAULT_START_MS 20000
#define CLIENT_PROBE_MS		5000
#define CLIENT_HANDSHAKE_MAX	4096

/* A go-plugin stream the client opens and never feeds (stdio, broker). */
struct client_stream {
	grpc_call *call;
	grpc_metadata_array initial_md, trailing_md;
	grpc_status_code status;
	grpc_slice details;
	grpc_byte_buffer *send;
	bool done;
};

struct tfp_client {
	pid_t pid;     /* 0 once reaped */
	int stdout_fd; /* read end of the provider's stdout */
	char handshake[CLIENT_HANDSHAKE_MAX];
	char *fields[6]; /* point into fields_buf */
	char fields_buf[CLIENT_HANDSHAKE_MAX];
	char target[CLIENT_HANDSHAKE_MAX + 8];
	char *server_pem; /* from the handshake's DER; NULL in plaintext */
	struct tfp_tlscert cert; /* our client certificate (mtls) */
	grpc_channel_credentials *creds;
	grpc_channel *channel;
	int call_timeout_ms;
	pthread_mutex_t mu; /* protects last_status */
	char last_status[512];
	grpc_completion_queue *streams_cq; /* NULL until streams are opened */
	struct client_stream streams[2];
	int n_streams;
};

/* --- small helpers -------------------------------------------------------- */

static void client_err(const char *fmt, ...) TFP_PRINTF(1, 2);

static void client_err(const char *fmt, ...)
{
	va_list ap;

	fputs("tfp_client: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pipe whose ends are not inherited (spawn dup2s the one it hands on). */
static int pipe_cloexec(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static const char *provider_path(const char *given)
{
	const char *p = given ? given : getenv("TFP_PROVIDER");

	if (p == NULL || *p == '\0') {
		client_err("TFP_PROVIDER is not set (ctest sets it)");
		return NULL;
	}
	return p;
}

/* --- environment ---------------------------------------------------------- */

struct envlist {
	char **v;
	size_t n, cap;
	char **owned; /* strings we allocated */
	size_t n_owned;
};

static bool env_key_is(const char *entry, const char *key, size_t keylen)
{
	return strncmp(entry, key, keylen) == 0 &&
	       (entry[keylen] == '=' || entry[keylen] == '\0');
}

static void env_remove(struct envlist *e, const char *key, size_t keylen)
{
	size_t i, j = 0;

	for (i = 0; i < e->n; i++)
		if (!env_key_is(e->v[i], key, keylen))
			e->v[j++] = e->v[i];
	e->n = j;
	e->v[e->n] = NULL;
}

static void env_push(struct envlist *e, char *entry)
{
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
		if (e->v == NULL)
			abort();
	}
	e->v[e->n++] = entry;
	e->v[e->n] = NULL;
}

/* "KEY=VALUE" sets (replacing any KEY), "KEY" removes. */
static void env_apply(struct envlist *e, const char *entry)
{
	const char *eq = strchr(entry, '=');
	size_t keylen = eq ? (size_t)(eq - entry) : strlen(entry);

	env_remove(e, entry, keylen);
	if (eq != NULL)
		env_push(e, (char *)entry);
}

static void env_own(struct envlist *e, char *s)
{
	e->owned = realloc(e->owned, (e->n_owned + 1) * sizeof(*e->owned));
	if (e->owned == NULL)
		abort();
	e->owned[e->n_owned++] = s;
}

/*
 * Our environment, less anything that would change what the provider does
 * under test: the cookie and go-plugin's PLUGIN_* variables are only set
 * deliberately.
 */
static void env_init(struct envlist *e)
{
	char **p;

	memset(e, 0, sizeof(*e));
	env_push(e, NULL);
	e->n = 0;
	for (p = environ; *p != NULL; p++) {
		if (strncmp(*p, "TF_PLUGIN_MAGIC_COOKIE=", 23) == 0 ||
		    strncmp(*p, "PLUGIN_", 7) == 0)
			continue;
		env_push(e, *p);
	}
}

static void env_dispose(struct envlist *e)
{
	size_t i;

	for (i = 0; i < e->n_owned; i++)
		free(e->owned[i]);
	free(e->owned);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* --- processes ------------------------------------------------------------ */

/* err_fd < 0: the child shares our stderr. */
static int spawn(const char *path, const char *const *args, char **envp,
		 int out_fd, int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char *argv[16];
	size_t n = 0;
	int err;

	argv[n++] = (char *)path;
	while (args != NULL && args[n - 1] != NULL && n < 15) {
		argv[n] = (char *)args[n - 1];
		n++;
	}
	argv[n] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	if (err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	err = posix_spawn(pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		client_err("cannot start %s: %s", path, strerror(err));
		return -1;
	}
	return 0;
}

static int decode_wait_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return -1;
}

/* Waits up to timeout_ms; returns 0 once reaped, -1 on timeout. */
static int wait_exit(pid_t pid, int timeout_ms, int *exit_status)
{
	long deadline = now_ms() + timeout_ms;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			*exit_status = decode_wait_status(st);
			return 0;
		}
		if (r < 0 && errno != EINTR) {
			client_err("waitpid: %s", strerror(errno));
			*exit_status = -1;
			return 0;
		}
		if (now_ms() >= deadline)
			return -1;
		usleep(2000);
	}
}

static void kill_and_reap(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static int append(char **buf, size_t *len, size_t *cap, const char *data,
		  size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = (*cap ? *cap * 2 : 4096);

		while (ncap < *len + n + 1)
			ncap *= 2;
		*buf = realloc(*buf, ncap);
		if (*buf == NULL)
			abort();
		*cap = ncap;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

int tfp_client_exec(const char *const *args, const char *const *env,
		    int timeout_ms, struct tfp_exec_result *r)
{
	struct envlist e;
	const char *path;
	int out[2] = {-1, -1}, err[2] = {-1, -1};
	size_t out_cap = 0, err_cap = 0;
	long deadline = now_ms() + timeout_ms;
	pid_t pid = 0;
	int error = -1;

	memset(r, 0, sizeof(*r));
	r->exit_status = -1;
	env_init(&e);
	path = provider_path(NULL);
	if (path == NULL)
		goto done;
	for (; env != NULL && *env != NULL; env++)
		env_apply(&e, *env);
	if (pipe_cloexec(out) < 0 || pipe_cloexec(err) < 0) {
		client_err("pipe: %s", strerror(errno));
		goto done;
	}
	if (spawn(path, args, e.v, out[1], err[1], &pid) < 0)
		goto done;
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;

	append(&r->out, &r->out_len, &out_cap, "", 0);
	append(&r->err, &r->err_len, &err_cap, "", 0);
	while (out[0] >= 0 || err[0] >= 0) {
		struct pollfd pfd[2] = {{out[0], POLLIN, 0},
					{err[0], POLLIN, 0}};
		long left = deadline - now_ms();
		char buf[4096];
		int i;

		if (left <= 0) {
			client_err("the provider did not exit within %d ms",
				   timeout_ms);
			kill_and_reap(pid);
			pid = 0;
			goto done;
		}
		if (poll(pfd, 2, (int)left) < 0 && errno != EINTR)
			goto done;
		for (i = 0; i < 2; i++) {
			int *fd = i == 0 ? &out[0] : &err[0];
			ssize_t n;

			if (*fd < 0 || pfd[i].revents == 0)
				continue;
			n = read(*fd, buf, sizeof(buf));
			if (n > 0 && i == 0)
				append(&r->out, &r->out_len, &out_cap, buf,
				       (size_t)n);
			else if (n > 0)
				append(&r->err, &r->err_len, &err_cap, buf,
				       (size_t)n);
			else if (n == 0 || errno != EINTR) {
				close(*fd);
				*fd = -1;
			}
		}
	}
	if (wait_exit(pid,
		      (int)(deadline - now_ms() > 0 ? deadline - now_ms() : 1),
		      &r->exit_status) < 0) {
		client_err("the provider closed its output but did not exit");
		kill_and_reap(pid);
		pid = 0;
		r->exit_status = -1;
		goto done;
	}
	pid = 0;
	error = 0;
done:
	if (pid > 0)
		kill_and_reap(pid);
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	if (err[0] >= 0)
		close(err[0]);
	if (err[1] >= 0)
		close(err[1]);
	env_dispose(&e);
	return error;
}

void tfp_exec_result_dispose(struct tfp_exec_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* --- handshake ------------------------------------------------------------ */

/* Reads the first stdout line within the deadline. */
static int read_handshake(struct tfp_client *c, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t len = 0;

	for (;;) {
		struct pollfd pfd = {c->stdout_fd, POLLIN, 0};
		long left = deadline - now_ms();
		char *nl;
		ssize_t n;

		if (left <= 0) {
			client_err("no handshake line within %d ms",
				   timeout_ms);
			return -1;
		}
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			client_err("poll: %s", strerror(errno));
			return -1;
		}
		if (pfd.revents == 0)
			continue;
		n = read(c->stdout_fd, c->handshake + len,
			 sizeof(c->handshake) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			c->handshake[len] = '\0';
			client_err("the provider closed stdout before a "
				   "handshake line (got \"%s\")",
				   c->handshake);
			return -1;
		}
		len += (size_t)n;
		c->handshake[len] = '\0';
		nl = strchr(c->handshake, '\n');
		if (nl != NULL) {
			if (nl[1] != '\0') {
				client_err("output after the handshake line: "
					   "\"%s\"",
					   nl + 1);
				return -1;
			}
			*nl = '\0';
			return 0;
		}
		if (len == sizeof(c->handshake) - 1) {
			client_err("handshake line too long");
			return -1;
		}
	}
}

/* core|app|network|address|grpc|cert: exactly six '|'-separated fields. */
static int parse_handshake(struct tfp_client *c)
{
	char *p;
	size_t i = 0;

	memcpy(c->fields_buf, c->handshake, sizeof(c->fields_buf));
	p = c->fields_buf;
	c->fields[i++] = p;
	for (; *p != '\0'; p++) {
		if (*p != '|')
			continue;
		if (i == 6) {
			client_err("more than 6 fields: \"%s\"", c->handshake);
			return -1;
		}
		*p = '\0';
		c->fields[i++] = p + 1;
	}
	if (i != 6) {
		client_err("%zu fields instead of 6: \"%s\"", i, c->handshake);
		return -1;
	}
	if (strcmp(c->fields[0], "1") != 0 || strcmp(c->fields[1], "6") != 0 ||
	    strcmp(c->fields[2], "unix") != 0 ||
	    strcmp(c->fields[4], "grpc") != 0 || c->fields[3][0] != '/') {
		client_err("unexpected handshake \"%s\"", c->handshake);
		return -1;
	}
	snprintf(c->target, sizeof(c->target), "unix:%s", c->fields[3]);
	return 0;
}

/* RawStd base64 DER (go-plugin's field 6) -> PEM, as go-plugin decodes it. */
static char *cert_b64_to_pem(const char *b64)
{
	size_t len = strlen(b64), padded = (len + 3) / 4 * 4, i;
	unsigned char *in = NULL, *der = NULL;
	const unsigned char *p;
	X509 *x = NULL;
	BIO *bio = NULL;
	char *pem = NULL, *data;
	long n;
	int der_len;

	in = calloc(1, padded + 1);
	der = calloc(1, padded);
	if (in == NULL || der == NULL)
		goto done;
	memcpy(in, b64, len);
	for (i = len; i < padded; i++)
		in[i] = '=';
	der_len = EVP_DecodeBlock(der, in, (int)padded);
	if (der_len <= 0) {
		client_err("handshake certificate is not base64");
		goto done;
	}
	p = der;
	x = d2i_X509(NULL, &p, der_len);
	if (x == NULL) {
		client_err("handshake certificate is not DER");
		goto done;
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_X509(bio, x) != 1)
		goto done;
	n = BIO_get_mem_data(bio, &data);
	pem = calloc(1, (size_t)n + 1);
	if (pem != NULL)
		memcpy(pem, data, (size_t)n);
done:
	BIO_free(bio);
	X509_free(x);
	free(in);
	free(der);
	return pem;
}

static grpc_channel *make_channel(const char *target,
				  grpc_channel_credentials *creds, bool tls)
{
	grpc_arg args[3];
	grpc_channel_args chargs;

	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[0].value.integer = -1;
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
	args[1].value.integer = -1;
	/* go-plugin's tls.Config has ServerName "localhost". */
	args[2].type = GRPC_ARG_STRING;
	args[2].key = (char *)GRPC_SSL_TARGET_NAME_OVERRIDE_ARG;
	args[2].value.string = (char *)"localhost";
	chargs.num_args = tls ? 3 : 2;
	chargs.args = args;
	return grpc_channel_create(target, creds, &chargs);
}

/* --- the session ---------------------------------------------------------- */

struct tfp_client *tfp_client_start(bool mtls)
{
	struct tfp_client_opts o;

	memset(&o, 0, sizeof(o));
	o.mtls = mtls;
	return tfp_client_start_opts(&o);
}

struct tfp_client *tfp_client_start_opts(const struct tfp_client_opts *opts)
{
	struct tfp_client *c;
	struct envlist e;
	const char *path;
	const char *const *p;
	int out[2] = {-1, -1};
	bool ok = false;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->stdout_fd = -1;
	c->call_timeout_ms = opts->call_timeout_ms > 0 ? opts->call_timeout_ms
						       : CLIENT_DEFAULT_CALL_MS;
	pthread_mutex_init(&c->mu, NULL);
	grpc_init();
	env_init(&e);

	path = provider_path(opts->provider);
	if (path == NULL)
		goto done;

	env_apply(&e, TFP_CLIENT_COOKIE_ENV);
	env_apply(&e, "PLUGIN_PROTOCOL_VERSIONS=5,6");
	env_apply(&e, "PLUGIN_MIN_PORT=10000");
	env_apply(&e, "PLUGIN_MAX_PORT=25000");
	if (opts->mtls) {
		char *entry;
		size_t n;

		if (tfp_tlscert_generate(&c->cert, "brickform-test",
					 opts->client_curve ? opts->client_curve
							    : "P-521") < 0) {
			client_err("cannot generate the client certificate");
			goto done;
		}
		n = strlen("PLUGIN_CLIENT_CERT=") + strlen(c->cert.cert_pem) +
		    1;
		entry = malloc(n);
		if (entry == NULL)
			abort();
		snprintf(entry, n, "PLUGIN_CLIENT_CERT=%s", c->cert.cert_pem);
		env_own(&e, entry);
		env_apply(&e, entry);
	}
	for (p = opts->env; p != NULL && *p != NULL; p++)
		env_apply(&e, *p);

	if (pipe_cloexec(out) < 0) {
		client_err("pipe: %s", strerror(errno));
		goto done;
	}
	if (spawn(path, NULL, e.v, out[1], -1, &c->pid) < 0) {
		c->pid = 0;
		goto done;
	}
	close(out[1]);
	out[1] = -1;
	c->stdout_fd = out[0];
	out[0] = -1;

	if (read_handshake(c, opts->start_timeout_ms > 0
				      ? opts->start_timeout_ms
				      : CLIENT_DEFAULT_START_MS) < 0 ||
	    parse_handshake(c) < 0)
		goto done;

	if (c->fields[5][0] != '\0') {
		grpc_ssl_pem_key_cert_pair pair;

		c->server_pem = cert_b64_to_pem(c->fields[5]);
		if (c->server_pem == NULL)
			goto done;
		pair.private_key = c->cert.key_pem;
		pair.cert_chain = c->cert.cert_pem;
		c->creds = grpc_ssl_credentials_create(
			c->server_pem, opts->mtls ? &pair : NULL, NULL, NULL);
	} else {
		c->creds = grpc_insecure_credentials_create();
	}
	c->channel = make_channel(c->target, c->creds, c->server_pem != NULL);
	if (c->channel == NULL) {
		client_err("cannot create a channel to %s", c->target);
		goto done;
	}
	ok = true;
done:
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	env_dispose(&e);
	if (!ok) {
		tfp_client_free(c);
		return NULL;
	}
	return c;
}

/* One unary call on channel; the status message goes to status_msg. */
static int call_on(grpc_channel *channel, int timeout_ms, const char *method,
		   const uint8_t *req, size_t len, uint8_t **resp,
		   size_t *resp_len, int *grpc_status, char *status_msg,
		   size_t status_msg_size)
{
	grpc_completion_queue *cq = NULL;
	grpc_call *call = NULL;
	grpc_byte_buffer *send = NULL, *recv = NULL;
	grpc_metadata_array initial_md, trailing_md;
	grpc_status_code status = GRPC_STATUS_UNKNOWN;
	grpc_slice details = grpc_empty_slice(), method_slice, body;
	const char *error_string = NULL;
	grpc_op ops[6];
	grpc_event ev;
	gpr_timespec deadline;
	int error = -1;

	*resp = NULL;
	*resp_len = 0;
	*grpc_status = GRPC_STATUS_UNKNOWN;
	grpc_metadata_array_init(&initial_md);
	grpc_metadata_array_init(&trailing_md);
	cq = grpc_completion_queue_create_for_pluck(NULL);
	deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
				gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
	method_slice = grpc_slice_from_copied_string(method);
	call = grpc_channel_create_call(channel, NULL, GRPC_PROPAGATE_DEFAULTS,
					cq, method_slice, NULL, deadline, NULL);
	grpc_slice_unref(method_slice);
	if (call == NULL) {
		client_err("grpc_channel_create_call failed");
		goto done;
	}

	body = len > 0 ? grpc_slice_from_copied_buffer((const char *)req, len)
		       : grpc_empty_slice();
	send = grpc_raw_byte_buffer_create(&body, 1);
	grpc_slice_unref(body);

	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_SEND_MESSAGE;
	ops[1].data.send_message.send_message = send;
	ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[3].data.recv_initial_metadata.recv_initial_metadata = &initial_md;
	ops[4].op = GRPC_OP_RECV_MESSAGE;
	ops[4].data.recv_message.recv_message = &recv;
	ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[5].data.recv_status_on_client.trailing_metadata = &trailing_md;
	ops[5].data.recv_status_on_client.status = &status;
	ops[5].data.recv_status_on_client.status_details = &details;
	ops[5].data.recv_status_on_client.error_string = &error_string;
	if (grpc_call_start_batch(call, ops, 6, call, NULL) != GRPC_CALL_OK) {
		client_err("grpc_call_start_batch failed");
		goto done;
	}
	ev = grpc_completion_queue_pluck(
		cq, call, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	if (ev.type != GRPC_OP_COMPLETE) {
		client_err("the call did not complete");
		goto done;
	}

	*grpc_status = (int)status;
	if (status_msg != NULL) {
		size_t n = GRPC_SLICE_LENGTH(details);

		if (n >= status_msg_size)
			n = status_msg_size - 1;
		memcpy(status_msg, GRPC_SLICE_START_PTR(details), n);
		status_msg[n] = '\0';
	}
	if (recv != NULL) {
		grpc_byte_buffer_reader reader;
		grpc_slice all;

		if (!grpc_byte_buffer_reader_init(&reader, recv))
			goto done;
		all = grpc_byte_buffer_reader_readall(&reader);
		grpc_byte_buffer_reader_destroy(&reader);
		*resp_len = GRPC_SLICE_LENGTH(all);
		*resp = malloc(*resp_len + 1);
		if (*resp == NULL)
			abort();
		memcpy(*resp, GRPC_SLICE_START_PTR(all), *resp_len);
		grpc_slice_unref(all);
	}
	error = 0;
done:
	if (send != NULL)
		grpc_byte_buffer_destroy(send);
	if (recv != NULL)
		grpc_byte_buffer_destroy(recv);
	grpc_slice_unref(details);
	gpr_free((void *)error_string);
	grpc_metadata_array_destroy(&initial_md);
	grpc_metadata_array_destroy(&trailing_md);
	if (call != NULL)
		grpc_call_unref(call);
	grpc_completion_queue_shutdown(cq);
	grpc_completion_queue_destroy(cq);
	return error;
}

int tfp_client_call(struct tfp_client *c, const char *method,
		    const uint8_t *req, size_t len, uint8_t **resp,
		    size_t *resp_len, int *grpc_status)
{
	char msg[sizeof(c->last_status)];
	int error;

	error = call_on(c->channel, c->call_timeout_ms, method, req, len, resp,
			resp_len, grpc_status, msg, sizeof(msg));
	if (error == 0) {
		pthread_mutex_lock(&c->mu);
		memcpy(c->last_status, msg, sizeof(msg));
		pthread_mutex_unlock(&c->mu);
	}
	return error;
}

int tfp_client_call_pb(struct tfp_client *c, const char *method,
		       const struct ProtobufCMessage *req,
		       const struct ProtobufCMessageDescriptor *resp_desc,
		       struct ProtobufCMessage **resp, int *grpc_status)
{
	size_t len = protobuf_c_message_get_packed_size(req), resp_len = 0;
	uint8_t *buf = malloc(len + 1), *out = NULL;
	int error;

	if (buf == NULL)
		abort();
	*resp = NULL;
	protobuf_c_message_pack(req, buf);
	error = tfp_client_call(c, method, buf, len, &out, &resp_len,
				grpc_status);
	free(buf);
	if (error == 0 && *grpc_status == GRPC_STATUS_OK) {
		*resp = protobuf_c_message_unpack(resp_desc, NULL, resp_len,
						  out ? out : (uint8_t *)"");
		if (*resp == NULL) {
			client_err("%s: the response is not a valid %s", method,
				   resp_desc->name);
			error = -1;
		}
	}
	free(out);
	return error;
}

const char *tfp_client_last_status_message(struct tfp_client *c)
{
	return c->last_status;
}

const char *tfp_client_handshake_line(const struct tfp_client *c)
{
	return c->handshake;
}

const char *tfp_client_socket_path(const struct tfp_client *c)
{
	return c->fields[3];
}

const char *tfp_client_server_cert_b64(const struct tfp_client *c)
{
	return c->fields[5];
}

pid_t tfp_client_pid(const struct tfp_client *c)
{
	return c->pid;
}

int tfp_client_probe(struct tfp_client *c, enum tfp_client_probe probe,
		     int *grpc_status)
{
	/* HealthCheckRequest{service: "plugin"} */
	static const uint8_t req[] = {0x0a, 6, 'p', 'l', 'u', 'g', 'i', 'n'};
	struct tfp_tlscert other = TFP_TLSCERT_INIT;
	grpc_channel_credentials *creds = NULL;
	grpc_channel *ch = NULL;
	grpc_ssl_pem_key_cert_pair pair;
	uint8_t *resp = NULL;
	size_t resp_len = 0;
	int error = -1;

	switch (probe) {
	case TFP_PROBE_PLAINTEXT:
		creds = grpc_insecure_credentials_create();
		break;
	case TFP_PROBE_NO_CLIENT_CERT:
		if (c->server_pem == NULL)
			goto done;
		creds = grpc_ssl_credentials_create(c->server_pem, NULL, NULL,
						    NULL);
		break;
	case TFP_PROBE_WRONG_CLIENT_CERT:
		if (c->server_pem == NULL ||
		    tfp_tlscert_generate(&other, "intruder", "P-256") < 0)
			goto done;
		pair.private_key = other.key_pem;
		pair.cert_chain = other.cert_pem;
		creds = grpc_ssl_credentials_create(c->server_pem, &pair, NULL,
						    NULL);
		break;
	}
	ch = make_channel(c->target, creds, probe != TFP_PROBE_PLAINTEXT);
	if (ch == NULL)
		goto done;
	error = call_on(ch, CLIENT_PROBE_MS, "/grpc.health.v1.Health/Check",
			req, sizeof(req), &resp, &resp_len, grpc_status, NULL,
			0);
done:
	free(resp);
	if (ch != NULL)
		grpc_channel_destroy(ch);
	if (creds != NULL)
		grpc_channel_credentials_release(creds);
	tfp_tlscert_dispose(&other);
	return error;
}

/* --- go-plugin's streams -------------------------------------------------- */

/*
 * StreamStdio is server-streaming: the client sends one Empty and closes
 * its side. StartStream is bidirectional and the client sends nothing.
 * Either way the single batch completes only when the call ends.
 */
static int stream_open(struct tfp_client *c, const char *method,
		       bool send_empty)
{
	struct client_stream *st = &c->streams[c->n_streams];
	grpc_slice m = grpc_slice_from_copied_string(method);
	grpc_op ops[5];
	size_t n = 0;

	memset(st, 0, sizeof(*st));
	grpc_metadata_array_init(&st->initial_md);
	grpc_metadata_array_init(&st->trailing_md);
	st->details = grpc_empty_slice();
	st->call = grpc_channel_create_call(
		c->channel, NULL, GRPC_PROPAGATE_DEFAULTS, c->streams_cq, m,
		NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	grpc_slice_unref(m);
	if (st->call == NULL)
		return -1;
	c->n_streams++;

	memset(ops, 0, sizeof(ops));
	ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
	if (send_empty) {
		grpc_slice empty = grpc_empty_slice();

		st->send = grpc_raw_byte_buffer_create(&empty, 1);
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = st->send;
		ops[n++].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	}
	ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
	ops[n++].data.recv_initial_metadata.recv_initial_metadata =
		&st->initial_md;
	ops[n].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	ops[n].data.recv_status_on_client.trailing_metadata = &st->trailing_md;
	ops[n].data.recv_status_on_client.status = &st->status;
	ops[n++].data.recv_status_on_client.status_details = &st->details;
	if (grpc_call_start_batch(st->call, ops, n, st, NULL) != GRPC_CALL_OK) {
		client_err("%s: cannot start the stream", method);
		st->done = true;
		return -1;
	}
	return 0;
}

int tfp_client_open_streams(struct tfp_client *c)
{
	if (c->streams_cq != NULL)
		return -1;
	c->streams_cq = grpc_completion_queue_create_for_next(NULL);
	if (stream_open(c, "/plugin.GRPCStdio/StreamStdio", true) < 0 ||
	    stream_open(c, "/plugin.GRPCBroker/StartStream", false) < 0)
		return -1;
	return 0;
}

/* Collects finished streams, waiting at most timeout_ms for each event. */
static void streams_collect(struct tfp_client *c, int timeout_ms)
{
	for (;;) {
		gpr_timespec deadline = gpr_time_add(
			gpr_now(GPR_CLOCK_MONOTONIC),
			gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
		grpc_event ev = grpc_completion_queue_next(c->streams_cq,
							   deadline, NULL);

		if (ev.type != GRPC_OP_COMPLETE)
			return;
		((struct client_stream *)ev.tag)->done = true;
	}
}

int tfp_client_streams_pending(struct tfp_client *c)
{
	int i, n = 0;

	if (c->streams_cq == NULL)
		return 0;
	streams_collect(c, 0);
	for (i = 0; i < c->n_streams; i++)
		if (!c->streams[i].done)
			n++;
	return n;
}

static void streams_close(struct tfp_client *c)
{
	grpc_event ev;
	int i;

	if (c->streams_cq == NULL)
		return;
	for (i = 0; i < c->n_streams; i++)
		if (!c->streams[i].done)
			grpc_call_cancel(c->streams[i].call, NULL);
	/* Cancelling completes every pending batch promptly. */
	while (tfp_client_streams_pending(c) > 0)
		streams_collect(c, 100);
	for (i = 0; i < c->n_streams; i++) {
		struct client_stream *st = &c->streams[i];

		grpc_call_unref(st->call);
		if (st->send != NULL)
			grpc_byte_buffer_destroy(st->send);
		grpc_slice_unref(st->details);
		grpc_metadata_array_destroy(&st->initial_md);
		grpc_metadata_array_destroy(&st->trailing_md);
	}
	grpc_completion_queue_shutdown(c->streams_cq);
	do {
		ev = grpc_completion_queue_next(
			c->streams_cq, gpr_inf_future(GPR_CLOCK_REALTIME),
			NULL);
	} while (ev.type != GRPC_QUEUE_SHUTDOWN);
	grpc_completion_queue_destroy(c->streams_cq);
	c->streams_cq = NULL;
	c->n_streams = 0;
}

int tfp_client_wait_exit(struct tfp_client *c, int timeout_ms, int *exit_status)
{
	char dir[sizeof(c->fields_buf)], *slash;
	const char *sock = c->fields[3];
	struct stat stbuf;

	*exit_status = -1;
	if (c->pid <= 0)
		return -1;
	if (wait_exit(c->pid, timeout_ms, exit_status) < 0) {
		client_err("the provider did not exit within %d ms",
			   timeout_ms);
		return -1;
	}
	c->pid = 0;
	snprintf(dir, sizeof(dir), "%s", sock);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	if (stat(sock, &stbuf) == 0 || errno != ENOENT) {
		client_err("the socket %s is still there", sock);
		return -1;
	}
	if (stat(dir, &stbuf) == 0 || errno != ENOENT) {
		client_err("the socket directory %s is still there", dir);
		return -1;
	}
	return 0;
}

int tfp_client_shutdown(struct tfp_client *c, int timeout_ms, int *exit_status)
{
	uint8_t *resp = NULL;
	size_t resp_len = 0;
	int status = -1, error = -1;

	*exit_status = -1;
	if (tfp_client_call(c, "/plugin.GRPCController/Shutdown",
			    (const uint8_t *)"", 0, &resp, &resp_len,
			    &status) < 0 ||
	    status != GRPC_STATUS_OK) {
		client_err("Shutdown failed: status %d (%s)", status,
			   c->last_status);
		goto done;
	}
	if (resp_len != 0) {
		client_err("Shutdown answered %zu bytes, not an empty message",
			   resp_len);
		goto done;
	}
	/* go-plugin closes the connection right after Shutdown returns. */
	grpc_channel_destroy(c->channel);
	c->channel = NULL;
	error = tfp_client_wait_exit(c, timeout_ms, exit_status);
done:
	free(resp);
	tfp_client_free(c);
	return error;
}

void tfp_client_free(struct tfp_client *c)
{
	if (c == NULL)
		return;
	streams_close(c);
	if (c->channel != NULL)
		grpc_channel_destroy(c->channel);
	if (c->creds != NULL)
		grpc_channel_credentials_release(c->creds);
	if (c->pid > 0)
		kill_and_reap(c->pid);
	if (c->stdout_fd >= 0)
		close(c->stdout_fd);
	free(c->server_pem);
	tfp_tlscert_dispose(&c->cert);
	pthread_mutex_destroy(&c->mu);
	free(c);
	grpc_shutdown();
}
