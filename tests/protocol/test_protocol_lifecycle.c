/*
 * The resource lifecycle over the wire, as Terraform drives it: schema,
 * validate (with unknowns and with a bad value), configure, plan with an
 * unknown name, plan, apply, read, a no-op plan, a plan that must replace,
 * import, destroy and a read of the destroyed object, against a fresh
 * brickform-emulator. Values are built with the provider's own value model
 * and msgpack codec, as Terraform would send them.
 *
 * It asserts the lifecycle contract: unknowns survive planning, computed
 * values are unknown only where they will change, RequiresReplace appears
 * only where declared, apply returns what was planned, and a refresh after
 * destroy reports the object gone.
 *
 * A provider configured with settings known only after apply keeps the
 * prior state on refresh, with a warning, and fails anything else that
 * needs the service.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <protobuf-c/protobuf-c.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "arena.h"
#include "diag.h"
#include "msgpack.h"
#include "databricks.h"
#include "provider.h"
#include "tfp_client.h"
#include "tfplugin6.pb-c.h"

#define RPC(name) "/tfplugin6.Provider/" name
#define TOKEN "dapi-protocol-test"

struct world {
	pid_t emulator;
	char url[256];
	struct tfp_client *client;
	struct tfp_provider *types; /* the provider's tables, for types */
	struct tfp_arena *arena;
	struct tfp_diags diags;
	const struct tfp_type *scope_type;
};

/* --- emulator --------------------------------------------------------------- */

static int start_emulator(struct world *w)
{
	const char *bin = getenv("TFP_EMULATOR");
	int out[2];
	FILE *f;
	char line[256];

	if (bin == NULL || pipe(out) < 0)
		return -1;
	w->emulator = fork();
	if (w->emulator == 0) {
		/* Die with the test, so a failed assertion cannot leave an
		 * emulator holding ctest's pipes open. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execl(bin, bin, "--port", "0", "--token", TOKEN, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	f = fdopen(out[0], "r");
	if (f == NULL || fgets(line, sizeof(line), f) == NULL ||
	    strncmp(line, "listening on ", 13) != 0)
		return -1;
	line[strcspn(line, "\n")] = '\0';
	snprintf(w->url, sizeof(w->url), "%s", line + 13);
	/* Keep the pipe open: the emulator may print more. */
	return 0;
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	const char *env[] = { "DATABRICKS_HOST", "DATABRICKS_TOKEN", NULL };
	struct tfp_client_opts opts = { .mtls = true, .env = env };

	assert_int_equal(start_emulator(w), 0);
	w->client = tfp_client_start_opts(&opts);
	assert_non_null(w->client);
	w->types = tfp_provider_new(&tfp_databricks_provider);
	w->arena = tfp_arena_new();
	tfp_diags_init(&w->diags, w->arena);
	w->scope_type =
		tfp_provider_find_resource(w->types, "databricks_secret_scope")
			->type;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	int status = 0;

	/* Shutdown also frees the client. */
	if (w->client != NULL)
		assert_int_equal(tfp_client_shutdown(w->client, 2000, &status),
				 0);
	kill(w->emulator, SIGTERM);
	waitpid(w->emulator, NULL, 0);
	tfp_provider_free(w->types);
	tfp_arena_free(w->arena);
	free(w);
	return 0;
}

/* --- values on the wire --------------------------------------------------- */

static Tfplugin6__DynamicValue *dv(struct world *w, const struct tfp_value *v)
{
	Tfplugin6__DynamicValue *d = tfp_arena_alloc(w->arena, sizeof(*d));
	uint8_t *buf = NULL;
	size_t len = 0;

	tfplugin6__dynamic_value__init(d);
	assert_int_equal(tfp_msgpack_encode(&buf, &len, w->arena, v, &w->diags),
			 TFP_OK);
	d->msgpack.data = buf;
	d->msgpack.len = len;
	return d;
}

static struct tfp_value *undv(struct world *w, const struct tfp_type *t,
			      const Tfplugin6__DynamicValue *d)
{
	struct tfp_value *v = NULL;

	assert_non_null(d);
	assert_int_equal(tfp_msgpack_decode(&v, w->arena, t, d->msgpack.data,
					    d->msgpack.len, &w->diags),
			 TFP_OK);
	return v;
}

/* A scope config: name (NULL = unknown), everything else null/empty. */
static struct tfp_value *scope_config(struct world *w, const char *name)
{
	struct tfp_value *v = tfp_value_object(w->arena, w->scope_type);
	int i = tfp_type_attr_index(w->scope_type, "keyvault_metadata");

	if (name != NULL)
		tfp_value_set_string(w->arena, v, "name", name);
	else
		tfp_value_set(v, "name",
			      tfp_value_unknown(w->arena, &tfp_type_string));
	v->u.coll.items[i] = tfp_value_collection(
		w->arena, w->scope_type->attr_types[i], 0);
	return v;
}

static void assert_no_diags(size_t n, Tfplugin6__Diagnostic **d)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_error("diagnostic: %s: %s\n", d[i]->summary, d[i]->detail);
	assert_int_equal(n, 0);
}

#define CALL(w, name, req, desc, out)                                          \
	do {                                                                   \
		int status_ = -1;                                              \
		assert_int_equal(tfp_client_call_pb((w)->client, RPC(name),    \
						    &(req).base, (desc),       \
						    (ProtobufCMessage **)(out), \
						    &status_),                 \
				 0);                                           \
		assert_int_equal(status_, TFP_GRPC_OK);                        \
	} while (0)

static Tfplugin6__PlanResourceChange__Response *
plan(struct world *w, const struct tfp_value *prior,
     const struct tfp_value *proposed, const struct tfp_value *config)
{
	Tfplugin6__PlanResourceChange__Request q =
		TFPLUGIN6__PLAN_RESOURCE_CHANGE__REQUEST__INIT;
	Tfplugin6__PlanResourceChange__Response *r = NULL;

	q.type_name = "databricks_secret_scope";
	q.prior_state = dv(w, prior);
	q.proposed_new_state = dv(w, proposed);
	q.config = dv(w, config);
	CALL(w, "PlanResourceChange", q,
	     &tfplugin6__plan_resource_change__response__descriptor, &r);
	assert_no_diags(r->n_diagnostics, r->diagnostics);
	return r;
}

static struct tfp_value *apply(struct world *w, const struct tfp_value *prior,
			       const Tfplugin6__DynamicValue *planned,
			       const struct tfp_value *config)
{
	Tfplugin6__ApplyResourceChange__Request q =
		TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
	Tfplugin6__ApplyResourceChange__Response *r = NULL;
	struct tfp_value *state;

	q.type_name = "databricks_secret_scope";
	q.prior_state = dv(w, prior);
	q.planned_state = (Tfplugin6__DynamicValue *)planned;
	q.config = dv(w, config);
	CALL(w, "ApplyResourceChange", q,
	     &tfplugin6__apply_resource_change__response__descriptor, &r);
	assert_no_diags(r->n_diagnostics, r->diagnostics);
	state = undv(w, w->scope_type, r->new_state);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	return state;
}

static struct tfp_value *read_state(struct world *w,
				    const struct tfp_value *prior)
{
	Tfplugin6__ReadResource__Request q =
		TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
	Tfplugin6__ReadResource__Response *r = NULL;
	struct tfp_value *state;

	q.type_name = "databricks_secret_scope";
	q.current_state = dv(w, prior);
	CALL(w, "ReadResource", q,
	     &tfplugin6__read_resource__response__descriptor, &r);
	assert_no_diags(r->n_diagnostics, r->diagnostics);
	state = undv(w, w->scope_type, r->new_state);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	return state;
}

/* --- the sequence --------------------------------------------------------- */

static void schema(struct world *w)
{
	Tfplugin6__GetProviderSchema__Request q =
		TFPLUGIN6__GET_PROVIDER_SCHEMA__REQUEST__INIT;
	Tfplugin6__GetProviderSchema__Response *r = NULL;
	size_t i, j, found = 0;

	CALL(w, "GetProviderSchema", q,
	     &tfplugin6__get_provider_schema__response__descriptor, &r);
	assert_non_null(r->provider);
	assert_non_null(r->server_capabilities);
	assert_true(r->server_capabilities->plan_destroy);
	assert_true(r->server_capabilities->get_provider_schema_optional);
	for (i = 0; i < r->n_resource_schemas; i++) {
		const Tfplugin6__Schema__Block *b =
			r->resource_schemas[i]->value->block;

		if (strncmp(r->resource_schemas[i]->key, "databricks_secret",
			    17) == 0)
			found++;
		assert_true(strlen(b->description) > 0);
		for (j = 0; j < b->n_attributes; j++) {
			assert_true(strlen(b->attributes[j]->description) > 0);
			if (strcmp(r->resource_schemas[i]->key,
				   "databricks_secret") == 0 &&
			    strcmp(b->attributes[j]->name, "string_value") == 0)
				assert_true(b->attributes[j]->sensitive);
		}
	}
	/* secret_scope, secret, secret_acl */
	assert_int_equal(found, 3);
	assert_no_diags(r->n_diagnostics, r->diagnostics);
	protobuf_c_message_free_unpacked(&r->base, NULL);
}

static void validate(struct world *w)
{
	Tfplugin6__ValidateResourceConfig__Request q =
		TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__REQUEST__INIT;
	Tfplugin6__ValidateResourceConfig__Response *r = NULL;
	const Tfplugin6__AttributePath *p;

	q.type_name = "databricks_secret_scope";
	q.config = dv(w, scope_config(w, NULL));
	CALL(w, "ValidateResourceConfig", q,
	     &tfplugin6__validate_resource_config__response__descriptor, &r);
	/* Unknown values are never a validation error. */
	assert_no_diags(r->n_diagnostics, r->diagnostics);
	protobuf_c_message_free_unpacked(&r->base, NULL);

	q.config = dv(w, scope_config(w, "no spaces allowed"));
	CALL(w, "ValidateResourceConfig", q,
	     &tfplugin6__validate_resource_config__response__descriptor, &r);
	assert_int_equal(r->n_diagnostics, 1);
	assert_int_equal(r->diagnostics[0]->severity,
			 TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
	p = r->diagnostics[0]->attribute;
	assert_non_null(p);
	assert_int_equal(p->n_steps, 1);
	assert_string_equal(p->steps[0]->attribute_name, "name");
	protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* Configures the provider for the emulator with token (NULL: unknown, as
 * Terraform sends it when it comes from a resource not yet made, such as
 * a new workspace's token; that is no error, Terraform configures again
 * before apply). */
static void configure_token(struct world *w, const char *token)
{
	Tfplugin6__ConfigureProvider__Request q =
		TFPLUGIN6__CONFIGURE_PROVIDER__REQUEST__INIT;
	Tfplugin6__ConfigureProvider__Response *r = NULL;
	struct tfp_value *cfg =
		tfp_value_object(w->arena, tfp_provider_config_type(w->types));

	tfp_value_set_string(w->arena, cfg, "host", w->url);
	tfp_value_set(cfg, "token",
		      token ? tfp_value_string(w->arena, token)
			    : tfp_value_unknown(w->arena, &tfp_type_string));
	q.terraform_version = "1.11.4";
	q.config = dv(w, cfg);
	CALL(w, "ConfigureProvider", q,
	     &tfplugin6__configure_provider__response__descriptor, &r);
	assert_no_diags(r->n_diagnostics, r->diagnostics);
	protobuf_c_message_free_unpacked(&r->base, NULL);
}

static void configure(struct world *w)
{
	configure_token(w, TOKEN);
}

static void test_protocol__scope_lifecycle(void **state)
{
	struct world *w = *state;
	struct tfp_value *null = tfp_value_null(w->arena, w->scope_type);
	struct tfp_value *cfg, *planned, *st, *st2, *renamed;
	Tfplugin6__PlanResourceChange__Response *p;
	Tfplugin6__ImportResourceState__Request iq =
		TFPLUGIN6__IMPORT_RESOURCE_STATE__REQUEST__INIT;
	Tfplugin6__ImportResourceState__Response *ir = NULL;
	Tfplugin6__StopProvider__Request sq =
		TFPLUGIN6__STOP_PROVIDER__REQUEST__INIT;
	Tfplugin6__StopProvider__Response *sr = NULL;

	schema(w);
	validate(w);
	configure(w);

	/* Plan with the name unknown: it stays unknown, and so do the
	 * computed values the apply will set. */
	cfg = scope_config(w, NULL);
	p = plan(w, null, cfg, cfg);
	planned = undv(w, w->scope_type, p->planned_state);
	assert_true(tfp_value_is_unknown(tfp_value_get(planned, "name")));
	assert_true(tfp_value_is_unknown(tfp_value_get(planned, "id")));
	assert_true(tfp_value_is_unknown(tfp_value_get(planned,
						       "backend_type")));
	assert_int_equal(p->n_requires_replace, 0);
	protobuf_c_message_free_unpacked(&p->base, NULL);

	/* Plan with it known, then apply: the state is wholly known and
	 * keeps what was planned. */
	cfg = scope_config(w, "proto-scope");
	p = plan(w, null, cfg, cfg);
	st = apply(w, null, p->planned_state, cfg);
	protobuf_c_message_free_unpacked(&p->base, NULL);
	assert_true(tfp_value_wholly_known(st));
	assert_string_equal(tfp_value_get_string(st, "name"), "proto-scope");
	assert_string_equal(tfp_value_get_string(st, "id"), "proto-scope");
	assert_string_equal(tfp_value_get_string(st, "backend_type"),
			    "DATABRICKS");

	/* Refresh returns the same object. */
	st2 = read_state(w, st);
	assert_true(tfp_value_equal(st, st2));

	/* A no-op plan: Terraform proposes the state; nothing changes. */
	p = plan(w, st, st, cfg);
	assert_true(tfp_value_equal(undv(w, w->scope_type, p->planned_state),
				    st));
	assert_int_equal(p->n_requires_replace, 0);
	protobuf_c_message_free_unpacked(&p->base, NULL);

	/* Renaming forces replacement at exactly "name". */
	renamed = tfp_value_copy(w->arena, st);
	tfp_value_set_string(w->arena, renamed, "name", "proto-scope-2");
	p = plan(w, st, renamed, scope_config(w, "proto-scope-2"));
	assert_int_equal(p->n_requires_replace, 1);
	assert_int_equal(p->requires_replace[0]->n_steps, 1);
	assert_string_equal(p->requires_replace[0]->steps[0]->attribute_name,
			    "name");
	protobuf_c_message_free_unpacked(&p->base, NULL);

	/* Import by name gives the skeleton that read then fills. */
	iq.type_name = "databricks_secret_scope";
	iq.id = "proto-scope";
	CALL(w, "ImportResourceState", iq,
	     &tfplugin6__import_resource_state__response__descriptor, &ir);
	assert_no_diags(ir->n_diagnostics, ir->diagnostics);
	assert_int_equal(ir->n_imported_resources, 1);
	st2 = read_state(w, undv(w, w->scope_type,
				 ir->imported_resources[0]->state));
	protobuf_c_message_free_unpacked(&ir->base, NULL);
	assert_string_equal(tfp_value_get_string(st2, "name"), "proto-scope");

	/* Destroy (plan_destroy: a plan with a null proposal first). */
	p = plan(w, st, null, null);
	assert_true(tfp_value_is_null(undv(w, w->scope_type, p->planned_state)));
	assert_true(tfp_value_is_null(apply(w, st, p->planned_state, null)));
	protobuf_c_message_free_unpacked(&p->base, NULL);
	/* A refresh now reports it gone: Terraform drops it from state. */
	assert_true(tfp_value_is_null(read_state(w, st)));

	CALL(w, "StopProvider", sq,
	     &tfplugin6__stop_provider__response__descriptor, &sr);
	assert_string_equal(sr->error, "");
	protobuf_c_message_free_unpacked(&sr->base, NULL);
}

/* --- settings known only after apply ------------------------------------- */

static void test_protocol__deferred_read(void **state)
{
	struct world *w = *state;
	struct tfp_value *null = tfp_value_null(w->arena, w->scope_type);
	struct tfp_value *cfg = scope_config(w, "deferred-scope"), *st;
	Tfplugin6__PlanResourceChange__Response *p;
	Tfplugin6__ReadResource__Request rq =
		TFPLUGIN6__READ_RESOURCE__REQUEST__INIT;
	Tfplugin6__ReadResource__Response *rr = NULL;
	Tfplugin6__ApplyResourceChange__Request aq =
		TFPLUGIN6__APPLY_RESOURCE_CHANGE__REQUEST__INIT;
	Tfplugin6__ApplyResourceChange__Response *ar = NULL;
	const char *env[] = { "DATABRICKS_HOST", "DATABRICKS_TOKEN", NULL };
	struct tfp_client_opts opts = { .mtls = true, .env = env };
	struct tfp_client *configured = w->client;
	int status = 0;

	/* A scope that existed when the state was written and is gone
	 * since, so a real read would drop it. */
	configure(w);
	p = plan(w, null, cfg, cfg);
	st = apply(w, null, p->planned_state, cfg);
	protobuf_c_message_free_unpacked(&p->base, NULL);
	p = plan(w, st, null, null);
	apply(w, st, p->planned_state, null);
	protobuf_c_message_free_unpacked(&p->base, NULL);

	/* A second provider process, configured with an unknown token: its
	 * refresh keeps the prior state, unread, with a warning. */
	w->client = tfp_client_start_opts(&opts);
	assert_non_null(w->client);
	configure_token(w, NULL);
	rq.type_name = "databricks_secret_scope";
	rq.current_state = dv(w, st);
	CALL(w, "ReadResource", rq,
	     &tfplugin6__read_resource__response__descriptor, &rr);
	assert_true(tfp_value_equal(undv(w, w->scope_type, rr->new_state),
				    st));
	assert_int_equal(rr->n_diagnostics, 1);
	assert_int_equal(rr->diagnostics[0]->severity,
			 TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING);
	assert_string_equal(rr->diagnostics[0]->summary, "Not refreshed");
	assert_non_null(strstr(rr->diagnostics[0]->detail,
			       "databricks_secret_scope"));
	protobuf_c_message_free_unpacked(&rr->base, NULL);

	/* Anything else that needs the service still fails. */
	aq.type_name = "databricks_secret_scope";
	aq.prior_state = dv(w, null);
	aq.planned_state = dv(w, st);
	aq.config = dv(w, cfg);
	CALL(w, "ApplyResourceChange", aq,
	     &tfplugin6__apply_resource_change__response__descriptor, &ar);
	assert_int_equal(ar->n_diagnostics, 1);
	assert_int_equal(ar->diagnostics[0]->severity,
			 TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
	assert_string_equal(ar->diagnostics[0]->summary,
			    "Provider not configured");
	protobuf_c_message_free_unpacked(&ar->base, NULL);
	assert_int_equal(tfp_client_shutdown(w->client, 2000, &status), 0);

	/* The configured provider reads for real: the scope is gone. */
	w->client = configured;
	assert_true(tfp_value_is_null(read_state(w, st)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_protocol__scope_lifecycle,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol__deferred_read,
						setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
