/*
 * go-plugin's server side, as Terraform 1.11.4 drives it
 * (terraform-plugin-protocol.md §4).
 *
 * Order matters: the cookie and protocol checks come first so a person who
 * runs the binary by hand gets a readable message and exit status 1; the
 * handshake line is the first thing ever written to stdout, and it is
 * printed only once the socket accepts connections (from the server's
 * on_listening callback), because Terraform dials as soon as it reads it.
 *
 * The socket lives in a fresh mkdtemp directory (mode 0700), so no other
 * user can connect even in plaintext mode, and both are removed on exit.
 * A SIGKILLed provider leaves them behind; nothing can prevent that.
 *
 * This file is the only writer to stdout. It includes the generated
 * health.pb-c.h for go-plugin's health service, which belongs to this layer
 * (style guide §2.2 lists health under plugin.c).
 */
#include "plugin.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <grpc/status.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "health.pb-c.h"

#include "arena.h"
#include "log.h"
#include "provider.h"
#include "rpc.h"
#include "server.h"
#include "tlscert.h"

#define PLUGIN_COOKIE_KEY "TF_PLUGIN_MAGIC_COOKIE"
#define PLUGIN_COOKIE_VALUE                                                    \
	"d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
#define PLUGIN_CORE_PROTOCOL 1
#define PLUGIN_APP_PROTOCOL  6
#define PLUGIN_SOCKET_NAME   "plugin.sock"
#define LOG_MODULE	     "sdk"

struct plugin_state {
	char dir[PATH_MAX];
	char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char listen_addr[sizeof("unix:") +
			 sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct tfp_tlscert cert;
	bool tls;
	/* AutoMTLS: the key and certificate are made on their own thread
	 * while gRPC starts (tfp_plugin_serve); cert_status is theirs. */
	pthread_t cert_thread;
	bool cert_started, cert_joined;
	int cert_status;
	const char *client_cert;
	struct tfp_server_config *cfg;
};

/* --- go-plugin's own services --------------------------------------------- */

/*
 * grpc.health.v1.Health/Check. go-plugin registers service "plugin"; the
 * empty name means the whole server, as in grpc-go's health server. Other
 * names get NOT_FOUND, as grpc-go answers.
 */
static int health_check(struct tfp_arena *a, const uint8_t *req, size_t req_len,
			uint8_t **resp, size_t *resp_len, const char **err_msg,
			void *payload)
{
	Grpc__Health__V1__HealthCheckResponse out =
		GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
	Grpc__Health__V1__HealthCheckRequest *in;
	ProtobufCAllocator alloc;

	(void)payload;
	tfp_arena_protobuf_allocator(a, &alloc);
	in = grpc__health__v1__health_check_request__unpack(&alloc, req_len,
							    req);
	if (in == NULL) {
		*err_msg = "malformed HealthCheckRequest";
		return GRPC_STATUS_INVALID_ARGUMENT;
	}
	if (in->service[0] != '\0' && strcmp(in->service, "plugin") != 0) {
		*err_msg =
			tfp_arena_printf(a, "unknown service %s", in->service);
		return GRPC_STATUS_NOT_FOUND;
	}
	out.status =
		GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
	*resp_len =
		grpc__health__v1__health_check_response__get_packed_size(&out);
	*resp = tfp_arena_alloc(a, *resp_len + 1);
	grpc__health__v1__health_check_response__pack(&out, *resp);
	return GRPC_STATUS_OK;
}

static const struct tfp_method plugin_methods[] = {
	{.path = "/grpc.health.v1.Health/Check",
	 .kind = TFP_METHOD_UNARY_INLINE,
	 .fn = health_check},
	{.path = "/plugin.GRPCController/Shutdown",
	 .kind = TFP_METHOD_SHUTDOWN},
	/* Logs go straight to stderr, and the provider never dials back, so
	 * these two streams stay open and silent until Terraform hangs up. */
	{.path = "/plugin.GRPCStdio/StreamStdio",
	 .kind = TFP_METHOD_HOLD_STREAM},
	{.path = "/plugin.GRPCBroker/StartStream",
	 .kind = TFP_METHOD_HOLD_STREAM},
};

/* --- checks before serving ------------------------------------------------ */

static void print_not_a_program(const struct tfp_provider_def *def)
{
	fprintf(stderr,
		"This binary is a plugin for Terraform: %s\n"
		"(terraform-provider-%s %s). It is not meant to be run "
		"directly.\n\n"
		"Declare the provider in a Terraform configuration:\n\n"
		"  terraform {\n"
		"    required_providers {\n"
		"      %s = { source = \"%s\" }\n"
		"    }\n"
		"  }\n\n"
		"then run terraform init, and terraform plan or terraform "
		"apply;\n"
		"Terraform starts this program itself.\n",
		def->desc, def->name, def->version, def->name, def->source);
}

/*
 * PLUGIN_PROTOCOL_VERSIONS is the comma-separated list of protocol versions
 * the client speaks ("5,6" from Terraform). Unset means the client takes
 * our default, as in go-plugin.
 */
static bool client_offers_protocol_6(const char *list)
{
	const char *p = list;

	if (list == NULL || *list == '\0')
		return true;
	while (*p != '\0') {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 1 && *p == '6')
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

/* --- the socket ----------------------------------------------------------- */

static int make_socket_dir(struct plugin_state *st, const char *base)
{
	char real[PATH_MAX];
	int n;

	if (realpath(base, real) == NULL)
		return TFP_ERROR;
	n = snprintf(st->dir, sizeof(st->dir), "%s/brickform-XXXXXX", real);
	/* sun_path holds 108 bytes with the NUL: check before mkdtemp so a
	 * too-long base leaves nothing behind. */
	if (n < 0 || (size_t)n + sizeof("/" PLUGIN_SOCKET_NAME) >
			     sizeof(st->socket_path)) {
		errno = ENAMETOOLONG;
		return TFP_ERROR;
	}
	if (mkdtemp(st->dir) == NULL)
		return TFP_ERROR;
	n = snprintf(st->socket_path, sizeof(st->socket_path), "%s/%s", st->dir,
		     PLUGIN_SOCKET_NAME);
	if (n < 0 || (size_t)n >= sizeof(st->socket_path))
		goto too_long; /* not reached: checked above */
	n = snprintf(st->listen_addr, sizeof(st->listen_addr), "unix:%s",
		     st->socket_path);
	if (n < 0 || (size_t)n >= sizeof(st->listen_addr))
		goto too_long;
	/* Nothing can be there in a fresh directory, but a stale socket file
	 * would make bind fail, so make sure. */
	unlink(st->socket_path);
	return TFP_OK;

too_long:
	rmdir(st->dir);
	errno = ENAMETOOLONG;
	return TFP_ERROR;
}

/*
 * $PLUGIN_UNIX_SOCKET_DIR, else $TMPDIR, else /tmp, like go-plugin's
 * os.CreateTemp. A directory that is missing, or whose path is too long for
 * sun_path, is skipped for the next one rather than failing outright.
 */
static int choose_socket_path(struct plugin_state *st)
{
	const char *candidates[] = {getenv("PLUGIN_UNIX_SOCKET_DIR"),
				    getenv("TMPDIR"), "/tmp"};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(candidates); i++) {
		const char *base = candidates[i];

		if (base == NULL || *base == '\0')
			continue;
		if (make_socket_dir(st, base) == TFP_OK)
			return TFP_OK;
		tfp_log(TFP_LOG_WARN, LOG_MODULE,
			"cannot create the plugin socket under %s: %s", base,
			strerror(errno));
	}
	st->dir[0] = '\0';
	return TFP_ERROR;
}

static void remove_socket(struct plugin_state *st)
{
	if (st->dir[0] == '\0')
		return;
	if (unlink(st->socket_path) < 0 && errno != ENOENT)
		tfp_log(TFP_LOG_WARN, LOG_MODULE, "unlink %s: %s",
			st->socket_path, strerror(errno));
	if (rmdir(st->dir) < 0)
		tfp_log(TFP_LOG_WARN, LOG_MODULE, "rmdir %s: %s", st->dir,
			strerror(errno));
}

/* --- AutoMTLS ------------------------------------------------------------- */

/*
 * A P-256 key, a self-signed certificate and OpenSSL's first-use set-up
 * are about a third of the time to the handshake, and nothing needs them
 * until the server adds its port: they are made on a thread of their own
 * while the provider's types are built and gRPC starts.
 */
static void *cert_main(void *arg)
{
	struct plugin_state *st = arg;

	st->cert_status = tfp_tlscert_generate(&st->cert, "brickform", "P-256");
	return NULL;
}

static void cert_start(struct plugin_state *st)
{
	if (pthread_create(&st->cert_thread, NULL, cert_main, st) == 0)
		st->cert_started = true;
	else
		cert_main(st); /* no thread: make it here */
}

/* Waits for the certificate (once); its status. */
static int cert_wait(struct plugin_state *st)
{
	if (st->cert_started && !st->cert_joined) {
		pthread_join(st->cert_thread, NULL);
		st->cert_joined = true;
	}
	return st->cert_status;
}

/* tfp_server_config.before_listen: the TLS fields, once the cert is made. */
static int cert_ready(void *arg)
{
	struct plugin_state *st = arg;

	if (cert_wait(st) < 0)
		return TFP_ERROR;
	st->cfg->client_ca_pem = st->client_cert;
	st->cfg->server_cert_pem = st->cert.cert_pem;
	st->cfg->server_key_pem = st->cert.key_pem;
	return TFP_OK;
}

/* --- serving -------------------------------------------------------------- */

/* The go-plugin handshake line; Terraform dials as soon as it reads it. */
static void print_handshake(void *arg)
{
	const struct plugin_state *st = arg;

	printf("%d|%d|unix|%s|grpc|%s\n", PLUGIN_CORE_PROTOCOL,
	       PLUGIN_APP_PROTOCOL, st->socket_path,
	       st->tls ? st->cert.cert_b64 : "");
	fflush(stdout);
}

static void on_sigterm(int sig)
{
	(void)sig;
	/* Only an atomic store: safe in a signal handler. */
	tfp_server_request_stop();
}

static void install_signals(void)
{
	struct sigaction sa;

	/* The terminal sends Ctrl-C to the whole process group; Terraform
	 * then asks us to stop with StopProvider, so SIGINT itself must not
	 * kill the provider mid-apply (go-plugin does the same). */
	signal(SIGINT, SIG_IGN);
	/* A closed stderr pipe must not kill the process on the next log
	 * line. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * Logs the process's peak resident set (VmHWM) at exit, for bench/plan.py.
 * getrusage's maxrss would include what terraform used before exec.
 */
static void log_peak_rss(void)
{
	char line[256];
	FILE *f;

	if (!tfp_log_enabled(TFP_LOG_DEBUG))
		return;
	f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0) {
			line[strcspn(line, "\n")] = '\0';
			tfp_log(TFP_LOG_DEBUG, LOG_MODULE,
				"exiting: peak resident set %s", line);
			break;
		}
	}
	fclose(f);
}

/*
 * glibc gives each thread that allocates its own malloc arena, up to eight
 * per core: with sixteen workers and gRPC's threads, a plan of 1,000
 * resources left ~6 MB of freed memory spread over arenas (peak RSS 32 MB
 * against 26 MB with two; bench/scale.py). Every call's memory is its own
 * arena's chunks, so contention stays low; MALLOC_ARENA_MAX still wins.
 */
static void limit_malloc_arenas(void)
{
	if (getenv("MALLOC_ARENA_MAX") == NULL)
		mallopt(M_ARENA_MAX, 2);
}

/* cJSON's allocations abort on exhaustion, like every other one. */
static void install_cjson_hooks(void)
{
	cJSON_Hooks hooks = { .malloc_fn = tfp_xmalloc, .free_fn = free };

	cJSON_InitHooks(&hooks);
}

int tfp_plugin_serve(const struct tfp_provider_def *def, int argc,
		     char **argv)
{
	struct plugin_state st;
	struct tfp_server_config cfg;
	struct tfp_method *methods = NULL;
	struct tfp_provider *provider = NULL;
	const struct tfp_method *rpc;
	const char *cookie, *client_cert;
	size_t n_rpc = 0;
	int status = 1;

	tfp_log_init();
	install_cjson_hooks();
	memset(&st, 0, sizeof(st));

	if (argc > 1 && (strcmp(argv[1], "--version") == 0 ||
			 strcmp(argv[1], "-version") == 0 ||
			 strcmp(argv[1], "version") == 0)) {
		printf("terraform-provider-%s %s\n", def->name, def->version);
		return 0;
	}

	cookie = getenv(PLUGIN_COOKIE_KEY);
	if (cookie == NULL || strcmp(cookie, PLUGIN_COOKIE_VALUE) != 0) {
		print_not_a_program(def);
		return 1;
	}
	if (!client_offers_protocol_6(getenv("PLUGIN_PROTOCOL_VERSIONS"))) {
		fprintf(stderr,
			"terraform-provider-%s speaks Terraform plugin "
			"protocol 6, but the client offered only "
			"PLUGIN_PROTOCOL_VERSIONS=%s.\n"
			"Use Terraform 1.0 or later.\n",
			def->name, getenv("PLUGIN_PROTOCOL_VERSIONS"));
		return 1;
	}
	install_signals();
	limit_malloc_arenas();

	client_cert = getenv("PLUGIN_CLIENT_CERT");
	st.tls = client_cert != NULL && *client_cert != '\0';
	st.client_cert = client_cert;
	st.cfg = &cfg;
	if (st.tls)
		cert_start(&st);
	if (choose_socket_path(&st) < 0) {
		fprintf(stderr, "terraform-provider-%s: cannot create "
				"a unix socket directory (tried "
				"$PLUGIN_UNIX_SOCKET_DIR, $TMPDIR, /tmp)\n", def->name);
		goto done;
	}

	rpc = tfp_rpc_methods(&n_rpc);
	methods = tfp_xcalloc(TFP_ARRAY_SIZE(plugin_methods) + n_rpc,
			      sizeof(*methods));
	memcpy(methods, plugin_methods, sizeof(plugin_methods));
	if (n_rpc > 0)
		memcpy(methods + TFP_ARRAY_SIZE(plugin_methods), rpc,
		       n_rpc * sizeof(*rpc));

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen_addr = st.listen_addr;
	cfg.methods = methods;
	cfg.n_methods = TFP_ARRAY_SIZE(plugin_methods) + n_rpc;
	/* rpc.c's handlers take the provider as their payload. */
	provider = tfp_provider_new(def);
	cfg.payload = provider;
	if (st.tls) {
		cfg.before_listen = cert_ready;
		cfg.before_listen_arg = &st;
	}
	tfp_log(TFP_LOG_DEBUG, LOG_MODULE,
		"Starting terraform-provider-%s %s (protocol %d, %s)",
		def->name, def->version, PLUGIN_APP_PROTOCOL,
		st.tls ? "AutoMTLS" : "plaintext");
	if (tfp_server_run(&cfg, print_handshake, &st) < 0) {
		if (st.tls && cert_wait(&st) < 0)
			fprintf(stderr, "terraform-provider-%s: cannot generate "
					"the TLS certificate for AutoMTLS\n",
				def->name);
		else
			fprintf(stderr,
				"terraform-provider-%s: cannot listen on %s\n",
				def->name, st.socket_path);
		goto done;
	}
	status = 0;
	log_peak_rss();

done:
	if (st.tls)
		cert_wait(&st);
	remove_socket(&st);
	if (provider != NULL)
		tfp_provider_free(provider);
	free(methods);
	tfp_tlscert_dispose(&st.cert);
	return status;
}
