/*
 * StopProvider while a slow call runs: Terraform sends it on Ctrl-C, and it
 * must be answered at once even though a ReadResource is stuck waiting for
 * the workspace; the stuck read must then end promptly with a diagnostic
 * instead of running into its timeout.
 *
 * The "workspace" is a loopback socket that accepts connections and never
 * answers, so the read really blocks in the REST client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <protobuf-c/protobuf-c.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "arena.h"
#include "diag.h"
#include "msgpack.h"
#include "databricks.h"
#include "provider.h"
#include "tfp_client.h"
#include "tfplugin6.pb-c.h"

#define RPC(name) "/tfplugin6.Provider/" name

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A listening socket nobody accepts from: requests hang. */
static int black_hole(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return fd;
}

static Tfplugin6__DynamicValue *dv(struct tfp_arena *a, struct tfp_diags *d,
				   const struct tfp_value *v)
{
	Tfplugin6__DynamicValue *x = tfp_arena_alloc(a, sizeof(*x));
	uint8_t *buf = NULL;
	size_t len = 0;

	tfplugin6__dynamic_value__init(x);
	assert_int_equal(tfp_msgpack_encode(&buf, &len, a, v, d), TFP_OK);
	x->msgpack.data = buf;
	x->msgpack.len = len;
	return x;
}

struct read_job {
	struct tfp_client *client;
	uint8_t *req;
	size_t len;
	int status;
	double done_ms;
	Tfplugin6__ReadResource__Response *resp;
};

static void *do_read(void *arg)
{
	struct read_job *j = arg;
	uint8_t *resp = NULL;
	size_t resp_len = 0;

	if (tfp_client_call(j->client, RPC("ReadResource"), j->req, j->len,
			    &resp, &resp_len, &j->status) == 0 &&
	    j->status == TFP_GRPC_OK)
		j->resp = (Tfplugin6__ReadResource__Response *)
			protobuf_c_message_unpack(
				&tfplugin6__read_resource__response__descriptor,
				NULL, resp_len, resp);
	free(resp);
	j->done_ms = now_ms();
	return NULL;
}

static void test_protocol__stop_interrupts_a_stuck_read(void **state)
{
	const char *env[] = { "DATABRICKS_HOST", "DATABRICKS_TOKEN", NULL };
	struct tfp_client_opts opts = { .mtls = true, .env = env };
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_provider *types = tfp_provider_new(&tfp_databricks_provider);
	struct tfp_diags d;
	Tfplugin6__ConfigureProvider__Request cq =
		TFPLUGIN6__CONFIGURE_PROVIDER__REQUEST__INIT;
	Tfplugin6__ConfigureProvider__Response *cr = NULL;
	Tfplugin6__ReadResource__Request rq =
		TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
	Tfplugin6__StopProvider__Request sq =
		TFPLUGIN6__STOP_PROVIDER__REQUEST__INIT;
	Tfplugin6__StopProvider__Response *sr = NULL;
	const struct tfp_type *scope_type =
		tfp_provider_find_resource(types, "databricks_secret_scope")
			->type;
	struct tfp_value *cfg, *state_v;
	struct read_job job = { 0 };
	struct tfp_client *c;
	pthread_t th;
	double stop_sent, stop_answered;
	int port = 0, hole, status = -1, exit_status = 0;

	(void)state;
	tfp_diags_init(&d, a);
	hole = black_hole(&port);
	assert_true(hole >= 0);
	c = tfp_client_start_opts(&opts);
	assert_non_null(c);

	cfg = tfp_value_object(a, tfp_provider_config_type(types));
	tfp_value_set_string(a, cfg, "host",
			     tfp_arena_printf(a, "http://127.0.0.1:%d", port));
	tfp_value_set_string(a, cfg, "token", "dapi-stop-test");
	cq.config = dv(a, &d, cfg);
	assert_int_equal(tfp_client_call_pb(
				 c, RPC("ConfigureProvider"), &cq.base,
				 &tfplugin6__configure_provider__response__descriptor,
				 (ProtobufCMessage **)&cr, &status),
			 0);
	assert_int_equal(cr->n_diagnostics, 0);
	protobuf_c_message_free_unpacked(&cr->base, NULL);

	/* A refresh of a scope: its list call never gets an answer. */
	state_v = tfp_value_object(a, scope_type);
	tfp_value_set_string(a, state_v, "name", "stuck");
	tfp_value_set_string(a, state_v, "id", "stuck");
	tfp_value_set(state_v, "keyvault_metadata",
		      tfp_value_collection(
			      a,
			      scope_type->attr_types[tfp_type_attr_index(
				      scope_type, "keyvault_metadata")],
			      0));
	rq.type_name = "databricks_secret_scope";
	rq.current_state = dv(a, &d, state_v);
	job.client = c;
	job.len = protobuf_c_message_get_packed_size(&rq.base);
	job.req = tfp_arena_alloc(a, job.len);
	protobuf_c_message_pack(&rq.base, job.req);
	assert_int_equal(pthread_create(&th, NULL, do_read, &job), 0);
	usleep(500 * 1000); /* the read is now waiting on the socket */
	assert_true(job.done_ms == 0);

	stop_sent = now_ms();
	assert_int_equal(tfp_client_call_pb(
				 c, RPC("StopProvider"), &sq.base,
				 &tfplugin6__stop_provider__response__descriptor,
				 (ProtobufCMessage **)&sr, &status),
			 0);
	stop_answered = now_ms();
	assert_int_equal(status, TFP_GRPC_OK);
	protobuf_c_message_free_unpacked(&sr->base, NULL);
	pthread_join(th, NULL);

	/* StopProvider did not wait behind the read... */
	assert_true(stop_answered - stop_sent < 1000);
	/* ...and the read ended soon after, with a diagnostic, not after
	 * the 60 s request timeout. */
	assert_true(job.done_ms - stop_sent < 5000);
	assert_int_equal(job.status, TFP_GRPC_OK);
	assert_non_null(job.resp);
	assert_true(job.resp->n_diagnostics >= 1);
	assert_int_equal(job.resp->diagnostics[0]->severity,
			 TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
	/* The prior state is kept: nothing is lost on an interrupted read. */
	assert_non_null(job.resp->new_state);
	print_message("stop answered in %.1f ms; read ended %.1f ms after stop: "
		      "%s\n",
		      stop_answered - stop_sent, job.done_ms - stop_sent,
		      job.resp->diagnostics[0]->summary);
	protobuf_c_message_free_unpacked(&job.resp->base, NULL);

	assert_int_equal(tfp_client_shutdown(c, 3000, &exit_status), 0);
	close(hole);
	tfp_provider_free(types);
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol__stop_interrupts_a_stuck_read),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
