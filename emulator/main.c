/*
 * brickform-emulator: command line entry point.
 *
 * Parses options, loads --state, starts the server, prints exactly
 * "listening on <url>" on stdout (tests read that line to learn the port),
 * then waits for SIGINT or SIGTERM, stops the server and saves --state.
 * Everything else it says goes to stderr.
 *
 * Signals are blocked before any thread starts, so the server's threads
 * inherit the mask and only sigwait() here ever sees them: shutdown then
 * runs as ordinary code, not inside a signal handler.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account/account.h"
#include "compute/clusters_internal.h"
#include "faults.h"
#include "server.h"
#include "util.h"
#include "workspace.h"

#ifndef TFP_VERSION
#define TFP_VERSION "0.0.0"
#endif

#define DEFAULT_PORT 8080

/* How long stopping the server may take before the process saves its
 * state and exits anyway (a handler stuck on a client that never reads). */
#define STOP_GRACE_MS 3000

/*
 * Saving --state once, by whoever gets there first: the main thread after
 * the server stopped, or the stop watchdog when stopping takes too long.
 */
struct stopper {
	struct emu_workspace *ws;
	const char *state;
	atomic_flag saved;
};

static int stopper_save(struct stopper *st)
{
	char err[512];

	if (st->state == NULL || atomic_flag_test_and_set(&st->saved))
		return 0;
	if (emu_workspace_save_file(st->ws, st->state, err, sizeof(err)) < 0) {
		fprintf(stderr, "brickform-emulator: cannot save state: %s\n",
			err);
		return -1;
	}
	return 0;
}

/* A signal must end the process: if the server has not stopped within
 * STOP_GRACE_MS, save and leave without it. */
static void *stop_watchdog(void *arg)
{
	struct stopper *st = arg;
	struct timespec ts = {STOP_GRACE_MS / 1000,
			      (STOP_GRACE_MS % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	fprintf(stderr, "brickform-emulator: the server did not stop within "
			"%d ms; exiting without it\n",
		STOP_GRACE_MS);
	_exit(stopper_save(st) < 0 ? 1 : 0);
	return NULL;
}

static const char usage_text[] =
	"Usage: brickform-emulator [OPTIONS]\n"
	"\n"
	"A local Databricks workspace emulator for tests and CI. It serves a\n"
	"subset of the Databricks REST API from memory, on loopback by "
	"default.\n"
	"\n"
	"Options:\n"
	"  --port N          TCP port to listen on (default 8080; 0 picks a\n"
	"                    free port, printed on the \"listening on\" line)\n"
	"  --bind ADDR       address to listen on (default 127.0.0.1); a\n"
	"                    numeric IPv4 or IPv6 address, or localhost\n"
	"  --allow-remote    allow a non-loopback --bind address. The "
	"emulator\n"
	"                    has no TLS and its /_emulator/ controls need no\n"
	"                    token: only use this on a trusted network\n"
	"  --token T         accept personal access token T (repeatable). "
	"Without\n"
	"                    any --token, every bearer token is accepted, but "
	"an\n"
	"                    Authorization header is still required\n"
	"  --state FILE      load the workspace from FILE at start (if it "
	"exists)\n"
	"                    and save it there on SIGINT/SIGTERM (mode 0600: "
	"it\n"
	"                    holds secret values)\n"
	"  --run-duration-ms N\n"
	"                    how long an emulated job run takes from start to\n"
	"                    TERMINATED, in milliseconds (default 2000; 0 "
	"ends\n"
	"                    runs as soon as they start)\n"
	"  --cluster-start-ms N\n"
	"                    how long a cluster stays PENDING or RESTARTING "
	"(ms,\n"
	"                    default 3000; 0-86400000, like the three below)\n"
	"  --cluster-resize-ms N\n"
	"                    how long a cluster stays RESIZING (default "
	"1000)\n"
	"  --cluster-terminate-ms N\n"
	"                    how long a cluster stays TERMINATING (default "
	"1000)\n"
	"  --library-install-ms N\n"
	"                    how long a library takes to install on a "
	"running\n"
	"                    cluster (default 1000)\n"
	"  --account-id UUID the account the Account API serves under\n"
	"                    /api/2.0/accounts/UUID/ (default\n"
	"                    " EMU_DEFAULT_ACCOUNT_ID ")\n"
	"  --cloud aws|azure|gcp\n"
	"                    the cloud the workspace plays (default aws): "
	"its\n"
	"                    node types and zones, the *_attributes it "
	"fills,\n"
	"                    its storage URL schemes and credential types "
	"in\n"
	"                    Unity Catalog, and (azure) Key Vault-backed "
	"secret\n"
	"                    scopes; another cloud's are refused. Without "
	"--cloud\n"
	"                    the AWS workspace also takes the other "
	"clouds'\n"
	"                    attributes, URLs and credentials. Shown by\n"
	"                    GET /_emulator/cloud\n"
	"  --workspace-provision-ms N\n"
	"                    how long a workspace created through the "
	"Account\n"
	"                    API stays PROVISIONING (ms, default 300)\n"
	"  --oauth-client ID:SECRET\n"
	"                    accept this OAuth service principal at POST\n"
	"                    /oidc/v1/token and the account's\n"
	"                    /oidc/accounts/{account_id}/v1/token (client\n"
	"                    credentials; repeatable).\n"
	"                    Its access tokens act as ID on every API\n"
	"  --oauth-token-ttl SECONDS\n"
	"                    lifetime of issued OAuth access tokens, "
	"1-86400\n"
	"                    (default 3600); expired tokens get 401\n"
	"  --basic-user USER:PASSWORD\n"
	"                    accept HTTP Basic authorization with this user\n"
	"                    and password on every API, acting as USER\n"
	"                    (repeatable); a wrong password gets 401\n"
	"  --faults SPEC     inject faults: comma-separated "
	"[SCOPE:]KIND=VALUE\n"
	"                    rules, KIND one of 429, 503, 500, reset,\n"
	"                    drop-create (VALUE a rate 0-1 or N%), latency\n"
	"                    (VALUE N, Nms or Ns) or retry-after (seconds\n"
	"                    sent with 429, default 1). SCOPE is\n"
	"                    [METHOD ]PATH, PATH exact or ending in '*'.\n"
	"                    Unscoped rules skip /_emulator/, /.well-known/\n"
	"                    and /oidc/. Example:\n"
	"                    --faults '429=0.05,503=0.03,latency=20ms,\n"
	"                    POST /api/2.0/secrets/scopes/create:503=0.5'\n"
	"  --seed N          seed for --faults (0 to 2^53-1; default "
	"random,\n"
	"                    shown by GET /_emulator/faults)\n"
	"  --rate-limit N    answer 429 REQUEST_LIMIT_EXCEEDED with\n"
	"                    Retry-After: 1 beyond N requests per second\n"
	"                    (token bucket, burst N; default 0: no limit)\n"
	"  --verbose         log each request (never headers or tokens) to "
	"stderr\n"
	"  --help            show this help and exit\n"
	"  --version         show the version and exit\n"
	"\n"
	"Once listening it prints \"listening on http://ADDR:PORT\" on "
	"stdout.\n"
	"\n"
	"Supported APIs (paths as on Databricks):\n"
	"  GET  /.well-known/databricks-config               (no token "
	"needed)\n"
	"  GET  /oidc/.well-known/oauth-authorization-server (no token "
	"needed)\n"
	"  POST /oidc/v1/token                               (client "
	"credentials)\n"
	"  POST /oidc/accounts/{account_id}/v1/token         (client "
	"credentials)\n"
	"       (both also take the token exchange of workload identity\n"
	"       federation, for the policies of /_emulator/oidc/federation)\n"
	"  GET  /github-actions/idtoken  GitHub Actions' ID tokens (bearer "
	"the\n"
	"       request token of /_emulator/github)\n"
	"  GET  /aad/auth                302 to Entra ID, naming the tenant of\n"
	"       /_emulator/azure\n"
	"  GET  /api/2.0/preview/scim/v2/Me\n"
	"  POST|GET /api/2.0/preview/scim/v2/{Users,Groups,ServicePrincipals}\n"
	"  GET|PUT|PATCH|DELETE /api/2.0/preview/scim/v2/{kind}/{id}\n"
	"  POST /api/2.0/token/create | token/delete\n"
	"  GET  /api/2.0/token/list\n"
	"  GET|PUT|PATCH /api/2.0/permissions/{type}/{id}[/permissionLevels]\n"
	"       (jobs, clusters, cluster-policies, instance-pools, notebooks,\n"
	"       directories, files, repos, pipelines, sql/warehouses;\n"
	"       authorization/tokens and authorization/passwords)\n"
	"  POST /api/2.0/secrets/scopes/create | scopes/delete\n"
	"  GET  /api/2.0/secrets/scopes/list\n"
	"  POST /api/2.0/secrets/put | delete\n"
	"  GET  /api/2.0/secrets/list | get\n"
	"  POST /api/2.0/secrets/acls/put | acls/delete\n"
	"  GET  /api/2.0/secrets/acls/get | acls/list\n"
	"  GET|PATCH /api/2.0/workspace-conf\n"
	"  POST|GET /api/2.0/ip-access-lists; GET|PATCH|PUT|DELETE .../{id}\n"
	"  GET|PATCH|DELETE /api/2.0/settings/types/{type}/names/default\n"
	"  POST /api/{2.0,2.1,2.2}/jobs/create | reset | update | delete | "
	"run-now\n"
	"  GET  /api/{2.0,2.1,2.2}/jobs/get | list\n"
	"  POST /api/{2.0,2.1,2.2}/jobs/runs/submit | cancel | cancel-all | "
	"delete\n"
	"  GET  /api/{2.0,2.1,2.2}/jobs/runs/get | list | get-output\n"
	"  POST /api/{2.0,2.1}/clusters/create | edit | update | resize | "
	"start\n"
	"       | restart | delete | permanent-delete | pin | unpin | events\n"
	"  GET  /api/{2.0,2.1}/clusters/get | list | spark-versions\n"
	"       | list-node-types | list-zones\n"
	"  POST /api/2.0/libraries/install | uninstall\n"
	"  GET  /api/2.0/libraries/cluster-status | all-cluster-statuses\n"
	"  POST /api/2.0/policies/clusters/create | edit | delete\n"
	"  GET  /api/2.0/policies/clusters/get | list\n"
	"  POST /api/2.0/instance-pools/create | edit | delete\n"
	"  GET  /api/2.0/instance-pools/get | list\n"
	"  POST /api/2.0/instance-profiles/add | edit | remove\n"
	"  GET  /api/2.0/instance-profiles/list\n"
	"  POST /api/2.0/dbfs/put | create | add-block | close | mkdirs | "
	"move\n"
	"       | delete\n"
	"  GET  /api/2.0/dbfs/read | get-status | list\n"
	"  *    /api/2.0/global-init-scripts[/{script_id}]\n"
	"  *    /api/2.0/sql/warehouses[/{id}[/edit | start | stop]]\n"
	"  GET|PUT /api/2.0/sql/config/warehouses; GET /api/2.0/preview/sql/"
	"data_sources\n"
	"  *    /api/2.1/unity-catalog/catalogs | schemas | "
	"storage-credentials\n"
	"       | external-locations | permissions | metastore_summary\n"
	"       | volumes | tables | bindings | metastores/{id}/systemschemas"
	" | ...\n"
	"  *    /api/2.0/accounts/{account_id}/credentials | "
	"storage-configurations\n"
	"       | networks | workspaces | vpc-endpoints | "
	"private-access-settings\n"
	"       | customer-managed-keys | log-delivery\n"
	"       | workspaces/{id}/permissionassignments\n"
	"\n"
	"Test controls (not part of Databricks; no token needed):\n"
	"  GET    /_emulator/health     readiness check\n"
	"  GET    /_emulator/cloud      {\"cloud\": \"aws\"|\"azure\"|\"gcp\", "
	"\"strict\": B}\n"
	"  GET    /_emulator/requests   captured requests and per-path counts\n"
	"  DELETE /_emulator/requests   clear the request log\n"
	"  POST   /_emulator/reset      empty the workspace and the request "
	"log\n"
	"  GET    /_emulator/faults     fault rules, seed and injected counts\n"
	"  POST   /_emulator/faults     {\"spec\": \"...\", \"seed\": N}: "
	"change faults\n"
	"  DELETE /_emulator/faults     turn faults off\n"
	"  GET    /_emulator/clusters/settings   cluster and library delays\n"
	"  POST   /_emulator/clusters/settings   {\"start_ms\": N, ...}: "
	"change them\n"
	"  POST   /_emulator/clusters/fail-next-start\n"
	"                               {\"state\": \"TERMINATED\"|\"ERROR\", "
	"...}:\n"
	"                               the next cluster launch fails\n"
	"  POST   /_emulator/github     {\"request_token\", \"subject\", ...}: "
	"GitHub\n"
	"                               Actions' ID token stand-in\n"
	"  POST   /_emulator/oidc/federation\n"
	"                               {\"issuer\", \"subject\", "
	"\"audience\",\n"
	"                               \"client_id\"}: add a federation "
	"policy\n"
	"                               (GET lists, DELETE removes them)\n"
	"  GET    /_emulator/accounts/settings   account id, provisioning "
	"delay\n"
	"  POST   /_emulator/accounts/fail-next-workspace\n"
	"                               {\"message\": \"...\"}: the next "
	"workspace\n"
	"                               ends FAILED\n"
	"\n"
	"Each workspace made with the Account API is served, until its "
	"delete,\n"
	"at http://DEPLOYMENT.localhost:PORT (the Host header picks it;\n"
	"accounts.localhost names the start-up workspace).\n"
	"\n"
	"The workspace user is admin@example.com; the workspace id is\n"
	"900800700600. See docs/emulator.md.\n";

struct options {
	unsigned port;
	const char *bind;
	bool allow_remote;
	const char **tokens;
	size_t ntokens;
	const char *state;
	bool verbose;
	int64_t run_duration_ms;
	const char **oauth_clients;
	size_t noauth_clients;
	int64_t oauth_token_ttl_s;
	const char **basic_users;
	size_t nbasic_users;
	const char *faults;
	bool seed_given;
	uint64_t seed;
	unsigned rate_limit;
	struct emu_clusters_delays cluster_delays;
	const char *account_id;
	int64_t workspace_provision_ms;
	enum emu_cloud cloud;
	bool cloud_given;
};

enum {
	OPT_PORT = 256,
	OPT_BIND,
	OPT_ALLOW_REMOTE,
	OPT_TOKEN,
	OPT_STATE,
	OPT_VERBOSE,
	OPT_VERSION,
	OPT_RUN_DURATION,
	OPT_OAUTH_CLIENT,
	OPT_OAUTH_TTL,
	OPT_BASIC_USER,
	OPT_FAULTS,
	OPT_SEED,
	OPT_RATE_LIMIT,
	OPT_CLUSTER_START,
	OPT_CLUSTER_RESIZE,
	OPT_CLUSTER_TERMINATE,
	OPT_LIBRARY_INSTALL,
	OPT_ACCOUNT_ID,
	OPT_WORKSPACE_PROVISION,
	OPT_CLOUD,
};

/*
 * Appends a NAME:SECRET option value (--oauth-client, --basic-user) to
 * list; -1 when either part is empty. The value is not echoed in the
 * message: it holds a secret.
 */
static int add_pair(const char ***list, size_t *n, const char *value,
		    const char *option, const char *form)
{
	const char *colon = strchr(value, ':');

	if (!colon || colon == value || colon[1] == '\0') {
		fprintf(stderr, "brickform-emulator: invalid %s: expected %s\n",
			option, form);
		return -1;
	}
	*list = emu_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = value;
	return 0;
}

static int parse_port(unsigned *out, const char *text)
{
	char *end = NULL;
	unsigned long v;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || v > 65535)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Milliseconds for --run-duration-ms: 0 to one day. */
static int parse_duration(int64_t *out, const char *text)
{
	char *end = NULL;
	unsigned long long v;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v > 86400000ULL)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* A decimal integer from 0 to max, digits only. */
static int parse_uint(uint64_t *out, const char *text, uint64_t max)
{
	char *end = NULL;
	unsigned long long v;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int usage_error(const char *option, const char *value,
		       const char *expected)
{
	fprintf(stderr, "brickform-emulator: invalid %s '%s': expected %s\n",
		option, value, expected);
	return 2;
}

/* Returns -1 to exit with status 0 (--help/--version), 0 to run, 2 on a
 * usage error. */
static int parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, OPT_PORT},
		{"bind", required_argument, NULL, OPT_BIND},
		{"allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE},
		{"token", required_argument, NULL, OPT_TOKEN},
		{"state", required_argument, NULL, OPT_STATE},
		{"verbose", no_argument, NULL, OPT_VERBOSE},
		{"run-duration-ms", required_argument, NULL, OPT_RUN_DURATION},
		{"oauth-client", required_argument, NULL, OPT_OAUTH_CLIENT},
		{"oauth-token-ttl", required_argument, NULL, OPT_OAUTH_TTL},
		{"basic-user", required_argument, NULL, OPT_BASIC_USER},
		{"faults", required_argument, NULL, OPT_FAULTS},
		{"seed", required_argument, NULL, OPT_SEED},
		{"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
		{"cluster-start-ms", required_argument, NULL,
		 OPT_CLUSTER_START},
		{"cluster-resize-ms", required_argument, NULL,
		 OPT_CLUSTER_RESIZE},
		{"cluster-terminate-ms", required_argument, NULL,
		 OPT_CLUSTER_TERMINATE},
		{"library-install-ms", required_argument, NULL,
		 OPT_LIBRARY_INSTALL},
		{"account-id", required_argument, NULL, OPT_ACCOUNT_ID},
		{"workspace-provision-ms", required_argument, NULL,
		 OPT_WORKSPACE_PROVISION},
		{"cloud", required_argument, NULL, OPT_CLOUD},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	uint64_t v = 0;
	int c;

	for (;;) {
		c = getopt_long(argc, argv, "h", longopts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case OPT_PORT:
			if (parse_port(&o->port, optarg) < 0) {
				fprintf(stderr,
					"brickform-emulator: invalid --port "
					"'%s': expected 0-65535\n",
					optarg);
				return 2;
			}
			break;
		case OPT_BIND:
			o->bind = optarg;
			break;
		case OPT_ALLOW_REMOTE:
			o->allow_remote = true;
			break;
		case OPT_TOKEN:
			if (*optarg == '\0') {
				fprintf(stderr, "brickform-emulator: --token "
						"must not be empty\n");
				return 2;
			}
			o->tokens = emu_xrealloc(o->tokens,
						 (o->ntokens + 1) *
							 sizeof(*o->tokens));
			o->tokens[o->ntokens++] = optarg;
			break;
		case OPT_STATE:
			o->state = optarg;
			break;
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		case OPT_RUN_DURATION:
			if (parse_duration(&o->run_duration_ms, optarg) < 0) {
				fprintf(stderr,
					"brickform-emulator: invalid "
					"--run-duration-ms '%s': expected "
					"0-86400000\n",
					optarg);
				return 2;
			}
			break;
		case OPT_OAUTH_CLIENT:
			if (add_pair(&o->oauth_clients, &o->noauth_clients,
				     optarg, "--oauth-client", "ID:SECRET") < 0)
				return 2;
			break;
		case OPT_BASIC_USER:
			if (add_pair(&o->basic_users, &o->nbasic_users, optarg,
				     "--basic-user", "USER:PASSWORD") < 0)
				return 2;
			break;
		case OPT_OAUTH_TTL:
			if (parse_uint(&v, optarg, 86400) < 0 || v == 0)
				return usage_error("--oauth-token-ttl", optarg,
						   "1-86400 seconds");
			o->oauth_token_ttl_s = (int64_t)v;
			break;
		case OPT_FAULTS:
			o->faults = optarg;
			break;
		case OPT_SEED:
			if (parse_uint(&o->seed, optarg, EMU_FAULTS_MAX_SEED) <
			    0)
				return usage_error("--seed", optarg,
						   "0-9007199254740991");
			o->seed_given = true;
			break;
		case OPT_RATE_LIMIT:
			if (parse_uint(&v, optarg, 1000000) < 0)
				return usage_error("--rate-limit", optarg,
						   "0-1000000 requests per "
						   "second");
			o->rate_limit = (unsigned)v;
			break;
		case OPT_CLUSTER_START:
		case OPT_CLUSTER_RESIZE:
		case OPT_CLUSTER_TERMINATE:
		case OPT_LIBRARY_INSTALL: {
			static const char *const names[] = {
				"--cluster-start-ms",
				"--cluster-resize-ms",
				"--cluster-terminate-ms",
				"--library-install-ms",
			};
			int64_t *delays[] = {
				&o->cluster_delays.start_ms,
				&o->cluster_delays.resize_ms,
				&o->cluster_delays.terminate_ms,
				&o->cluster_delays.library_install_ms,
			};
			int k = c - OPT_CLUSTER_START;

			if (parse_duration(delays[k], optarg) < 0)
				return usage_error(names[k], optarg,
						   "0-86400000 milliseconds");
			break;
		}
		case OPT_ACCOUNT_ID:
			if (!emu_is_uuid(optarg))
				return usage_error("--account-id", optarg,
						   "a UUID");
			o->account_id = optarg;
			break;
		case OPT_WORKSPACE_PROVISION:
			if (parse_duration(&o->workspace_provision_ms, optarg) <
			    0)
				return usage_error("--workspace-provision-ms",
						   optarg,
						   "0-86400000 milliseconds");
			break;
		case OPT_CLOUD:
			if (emu_cloud_parse(&o->cloud, optarg) < 0)
				return usage_error("--cloud", optarg,
						   "aws, azure or gcp");
			o->cloud_given = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case OPT_VERSION:
			printf("brickform-emulator %s\n", TFP_VERSION);
			return -1;
		default:
			fprintf(stderr, "Try 'brickform-emulator --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"brickform-emulator: unexpected argument '%s'\n"
			"Try 'brickform-emulator --help'.\n",
			argv[optind]);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {
		.port = DEFAULT_PORT,
		.run_duration_ms = EMU_DEFAULT_RUN_DURATION_MS,
		.cluster_delays = {EMU_CLUSTERS_DEFAULT_START_MS,
				   EMU_CLUSTERS_DEFAULT_RESIZE_MS,
				   EMU_CLUSTERS_DEFAULT_TERMINATE_MS,
				   EMU_CLUSTERS_DEFAULT_LIBRARY_MS},
		.workspace_provision_ms = EMU_ACCOUNT_DEFAULT_PROVISION_MS,
	};
	struct emu_workspace_options wopts;
	struct emu_server_options sopts;
	struct emu_workspace *ws = NULL;
	struct emu_server *server = NULL;
	struct emu_faults *faults;
	sigset_t stop_signals;
	struct stopper stopper = {.saved = ATOMIC_FLAG_INIT};
	pthread_t watchdog;
	char err[512];
	int sig = 0, status = 1, error;

	emu_util_init();
	error = parse_options(&o, argc, argv);
	if (error != 0) {
		status = error < 0 ? 0 : error;
		goto done;
	}
	/* Before the workspace exists: its clusters state copies them. */
	emu_clusters_set_defaults(&o.cluster_delays);
	emu_account_set_defaults(o.workspace_provision_ms);

	/* Before any thread exists: see the file comment. SIGPIPE is ignored
	 * so a client hanging up mid-response cannot kill the process. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&wopts, 0, sizeof(wopts));
	wopts.tokens = o.tokens;
	wopts.ntokens = o.ntokens;
	wopts.oauth_clients = o.oauth_clients;
	wopts.noauth_clients = o.noauth_clients;
	wopts.oauth_token_ttl_s = o.oauth_token_ttl_s;
	wopts.account_id = o.account_id;
	wopts.basic_users = o.basic_users;
	wopts.cloud = o.cloud;
	wopts.cloud_strict = o.cloud_given;
	wopts.nbasic_users = o.nbasic_users;
	ws = emu_workspace_new(&wopts);
	emu_workspace_set_run_duration_ms(ws, o.run_duration_ms);
	faults = emu_workspace_faults(ws);
	if (o.faults &&
	    emu_faults_set_spec(faults, o.faults, err, sizeof(err)) < 0) {
		fprintf(stderr, "brickform-emulator: invalid --faults: %s\n",
			err);
		status = 2;
		goto done;
	}
	if (o.seed_given)
		emu_faults_set_seed(faults, o.seed);
	emu_faults_set_rate_limit(faults, o.rate_limit);
	if (o.state &&
	    emu_workspace_load_file(ws, o.state, err, sizeof(err)) < 0) {
		fprintf(stderr, "brickform-emulator: cannot load state: %s\n",
			err);
		goto done;
	}

	memset(&sopts, 0, sizeof(sopts));
	sopts.bind = o.bind;
	sopts.port = o.port;
	sopts.allow_remote = o.allow_remote;
	sopts.verbose = o.verbose;
	if (emu_server_start(&server, ws, &sopts, err, sizeof(err)) < 0) {
		fprintf(stderr, "brickform-emulator: %s\n", err);
		goto done;
	}
	printf("listening on %s\n", emu_server_url(server));
	fflush(stdout);

	while (sigwait(&stop_signals, &sig) != 0)
		;
	if (o.verbose)
		fprintf(stderr, "brickform-emulator: %s, stopping\n",
			strsignal(sig));
	stopper.ws = ws;
	stopper.state = o.state;
	if (pthread_create(&watchdog, NULL, stop_watchdog, &stopper) == 0)
		pthread_detach(watchdog);
	emu_server_stop(server);
	server = NULL;
	status = stopper_save(&stopper) < 0 ? 1 : 0;

done:
	emu_server_stop(server);
	emu_workspace_free(ws);
	free(o.tokens);
	free(o.oauth_clients);
	free(o.basic_users);
	return status;
}
