/*
 * The tfplugin6.Provider service: protobuf in, protobuf out.
 *
 * Each handler unpacks its request into the call's arena, decodes the
 * DynamicValues it needs with the resource's type, calls provider.c or
 * lifecycle.c, and packs the response with the diagnostics. gRPC status
 * codes are only for transport problems (a request that does not unpack);
 * everything a user can act on is a diagnostic (terraform-plugin-go's rule).
 *
 * The invariant "a failure carries a diagnostic" is enforced here: a
 * negative result with no error diagnostic becomes an internal error.
 * Only this file and server.c include generated protobuf code.
 */
#include "rpc.h"

#include <protobuf-c/protobuf-c.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "arena.h"
#include "decode.h"
#include "diag.h"
#include "lifecycle.h"
#include "log.h"
#include "msgpack.h"
#include "provider.h"
#include "statejson.h"
#include "tfplugin6.pb-c.h"

/* gRPC status codes used here (grpc/status.h, without the dependency). */
#define RPC_STATUS_OK 0
#define RPC_STATUS_INVALID_ARGUMENT 3

/* --- plumbing ----------------------------------------------------------- */

/* Everything one RPC needs, on the handler's stack. */
struct rpc {
	struct tfp_arena *arena;
	struct tfp_provider *provider;
	struct tfp_diags diags;
	struct tfp_call call;
	const char *name;
	struct timespec start;
};

static void rpc_begin(struct rpc *r, struct tfp_arena *a, void *payload,
		      const char *name, const char *type_name)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->provider = payload;
	r->name = name;
	tfp_diags_init(&r->diags, a);
	tfp_provider_call_init(&r->call, r->provider, a, &r->diags, type_name);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
}

static void *rpc_unpack(struct tfp_arena *a,
			const ProtobufCMessageDescriptor *desc,
			const uint8_t *req, size_t len, const char **err)
{
	ProtobufCAllocator alloc;
	ProtobufCMessage *m;

	tfp_arena_protobuf_allocator(a, &alloc);
	m = protobuf_c_message_unpack(desc, &alloc, len, req);
	if (m == NULL)
		*err = tfp_arena_printf(a, "malformed %s", desc->name);
	return m;
}

static Tfplugin6__AttributePath *path_to_pb(struct tfp_arena *a,
					    const struct tfp_path *p)
{
	Tfplugin6__AttributePath *pb = tfp_arena_alloc(a, sizeof(*pb));
	size_t i;

	tfplugin6__attribute_path__init(pb);
	pb->n_steps = p->n;
	pb->steps = tfp_arena_alloc(a, (p->n + 1) * sizeof(*pb->steps));
	for (i = 0; i < p->n; i++) {
		Tfplugin6__AttributePath__Step *s =
			tfp_arena_alloc(a, sizeof(*s));

		tfplugin6__attribute_path__step__init(s);
		switch (p->steps[i].kind) {
		case TFP_STEP_ATTR:
			s->selector_case =
				TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
			s->attribute_name = (char *)p->steps[i].name;
			break;
		case TFP_STEP_KEY:
			s->selector_case =
				TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
			s->element_key_string =
				(char *)tfp_utf8_clean(a, p->steps[i].name);
			break;
		case TFP_STEP_INDEX:
			s->selector_case =
				TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT;
			s->element_key_int = p->steps[i].index;
			break;
		}
		pb->steps[i] = s;
	}
	return pb;
}

/*
 * Converts the diagnostics, first enforcing the invariant that a failed
 * call says why.
 */
static void rpc_diags(struct rpc *r, int result, size_t *n_out,
		      Tfplugin6__Diagnostic ***out)
{
	Tfplugin6__Diagnostic **pb;
	size_t i;

	if (result < 0 && !tfp_diags_has_error(&r->diags))
		tfp_diag_error(&r->diags, "Internal error",
			       "%s failed without a diagnostic. This is a bug "
			       "in brickform.",
			       r->name);
	pb = tfp_arena_alloc(r->arena, (r->diags.n + 1) * sizeof(*pb));
	for (i = 0; i < r->diags.n; i++) {
		const struct tfp_diag *d = &r->diags.items[i];
		Tfplugin6__Diagnostic *x = tfp_arena_alloc(r->arena, sizeof(*x));

		tfplugin6__diagnostic__init(x);
		x->severity = d->severity == TFP_SEV_ERROR
				      ? TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR
				      : TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING;
		x->summary = (char *)tfp_utf8_clean(r->arena, d->summary);
		x->detail = (char *)tfp_utf8_clean(r->arena, d->detail);
		if (d->path != NULL && d->path->n > 0)
			x->attribute = path_to_pb(r->arena, d->path);
		pb[i] = x;
	}
	*n_out = r->diags.n;
	*out = pb;
}

static int rpc_finish(struct rpc *r, ProtobufCMessage *resp, uint8_t **out,
		      size_t *out_len)
{
	size_t n = protobuf_c_message_get_packed_size(resp);
	uint8_t *buf = tfp_arena_alloc(r->arena, n + 1);

	protobuf_c_message_pack(resp, buf);
	*out = buf;
	*out_len = n;
	if (tfp_log_enabled(TFP_LOG_DEBUG)) {
		struct timespec end;
		char ms[32];
		const char *kv[] = { "tf_rpc", r->name, "tf_resource_type",
				     r->call.type_name ? r->call.type_name
						       : "",
				     "tf_req_duration_ms", ms, NULL };

		clock_gettime(CLOCK_MONOTONIC, &end);
		snprintf(ms, sizeof(ms), "%ld",
			 (long)((end.tv_sec - r->start.tv_sec) * 1000 +
				(end.tv_nsec - r->start.tv_nsec) / 1000000));
		tfp_log_kv(TFP_LOG_DEBUG, "sdk.proto", kv,
			   "Served request with %zu diagnostic(s)",
			   r->diags.n);
	}
	return RPC_STATUS_OK;
}

/*
 * A DynamicValue as Terraform sends it: msgpack when present, else JSON,
 * else null (terraform-plugin-protocol.md §7.1).
 */
static int dv_decode(struct tfp_value **out, struct rpc *r,
		     const struct tfp_type *t, const Tfplugin6__DynamicValue *dv)
{
	if (dv != NULL && dv->msgpack.len > 0)
		return tfp_msgpack_decode(out, r->arena, t, dv->msgpack.data,
					  dv->msgpack.len, &r->diags);
	if (dv != NULL && dv->json.len > 0)
		return tfp_json_decode_value(out, r->arena, t,
					     (const char *)dv->json.data,
					     dv->json.len, &r->diags);
	*out = tfp_value_null(r->arena, t);
	return TFP_OK;
}

static Tfplugin6__DynamicValue *dv_encode(struct rpc *r,
					  const struct tfp_value *v)
{
	Tfplugin6__DynamicValue *dv;
	uint8_t *buf = NULL;
	size_t len = 0;

	if (v == NULL || tfp_msgpack_encode(&buf, &len, r->arena, v,
					    &r->diags) < 0)
		return NULL;
	dv = tfp_arena_alloc(r->arena, sizeof(*dv));
	tfplugin6__dynamic_value__init(dv);
	dv->msgpack.data = buf;
	dv->msgpack.len = len;
	return dv;
}

static int unknown_type(struct rpc *r, const char *kind, const char *name)
{
	return tfp_diag_error(&r->diags, tfp_arena_printf(r->arena,
							  "Unknown %s type",
							  kind),
			      "This provider has no %s named \"%s\". Check "
			      "the provider version in the lock file.",
			      kind, name ? name : "");
}

/* --- schema ------------------------------------------------------------- */

static Tfplugin6__Schema__Attribute **attrs_to_pb(struct tfp_arena *a,
						  const struct tfp_attr *attrs,
						  size_t *n_out);

/* A nested attribute's object (protocol 6 nested_type). */
static Tfplugin6__Schema__Object *nested_to_pb(struct tfp_arena *a,
					       const struct tfp_attr *at)
{
	Tfplugin6__Schema__Object *o = tfp_arena_alloc(a, sizeof(*o));

	tfplugin6__schema__object__init(o);
	o->attributes = attrs_to_pb(a, at->nested, &o->n_attributes);
	o->nesting = (Tfplugin6__Schema__Object__NestingMode)at->nesting;
	return o;
}

static Tfplugin6__Schema__Attribute **attrs_to_pb(struct tfp_arena *a,
						  const struct tfp_attr *attrs,
						  size_t *n_out)
{
	Tfplugin6__Schema__Attribute **out;
	size_t n = 0, i;

	while (attrs != NULL && attrs[n].name != NULL)
		n++;
	out = tfp_arena_alloc(a, (n + 1) * sizeof(*out));
	for (i = 0; i < n; i++) {
		Tfplugin6__Schema__Attribute *x = tfp_arena_alloc(a, sizeof(*x));

		tfplugin6__schema__attribute__init(x);
		x->name = (char *)attrs[i].name;
		if (attrs[i].nested != NULL) {
			/* Either a type or a nested type, never both. */
			x->nested_type = nested_to_pb(a, &attrs[i]);
		} else {
			const char *type_json = tfp_type_json(a, attrs[i].type);

			x->type.data = (uint8_t *)type_json;
			x->type.len = strlen(type_json);
		}
		x->description = (char *)(attrs[i].desc ? attrs[i].desc : "");
		x->required = (attrs[i].flags & TFP_REQUIRED) != 0;
		x->optional = (attrs[i].flags & TFP_OPTIONAL) != 0;
		x->computed = (attrs[i].flags & TFP_COMPUTED) != 0;
		x->sensitive = (attrs[i].flags & TFP_SENSITIVE) != 0;
		x->deprecated = (attrs[i].flags & TFP_DEPRECATED) != 0;
		out[i] = x;
	}
	*n_out = n;
	return out;
}

static Tfplugin6__Schema__Block *block_to_pb(struct tfp_arena *a,
					     const struct tfp_attr *attrs,
					     const struct tfp_block *blocks,
					     const char *desc, bool deprecated)
{
	Tfplugin6__Schema__Block *b = tfp_arena_alloc(a, sizeof(*b));
	size_t nb = 0, i;

	tfplugin6__schema__block__init(b);
	while (blocks != NULL && blocks[nb].name != NULL)
		nb++;
	b->description = (char *)(desc ? desc : "");
	b->deprecated = deprecated;
	b->attributes = attrs_to_pb(a, attrs, &b->n_attributes);
	b->n_block_types = nb;
	b->block_types = tfp_arena_alloc(a, (nb + 1) * sizeof(*b->block_types));
	for (i = 0; i < nb; i++) {
		Tfplugin6__Schema__NestedBlock *x =
			tfp_arena_alloc(a, sizeof(*x));

		tfplugin6__schema__nested_block__init(x);
		x->type_name = (char *)blocks[i].name;
		x->block = block_to_pb(a, blocks[i].attrs, blocks[i].blocks,
				       blocks[i].desc,
				       blocks[i].flags & TFP_DEPRECATED);
		x->nesting = (Tfplugin6__Schema__NestedBlock__NestingMode)
				     blocks[i]
					     .nesting;
		x->min_items = blocks[i].min_items;
		x->max_items = blocks[i].max_items;
		b->block_types[i] = x;
	}
	return b;
}

struct ProtobufCMessage *tfp_rpc__schema_block(struct tfp_arena *a,
					       const struct tfp_attr *attrs,
					       const struct tfp_block *blocks)
{
	return &block_to_pb(a, attrs, blocks, "", false)->base;
}

static Tfplugin6__Schema *schema_to_pb(struct tfp_arena *a, int64_t version,
				       const struct tfp_attr *attrs,
				       const struct tfp_block *blocks,
				       const char *desc)
{
	Tfplugin6__Schema *s = tfp_arena_alloc(a, sizeof(*s));

	tfplugin6__schema__init(s);
	s->version = version;
	s->block = block_to_pb(a, attrs, blocks, desc, false);
	return s;
}

static Tfplugin6__ServerCapabilities *capabilities(struct tfp_arena *a)
{
	Tfplugin6__ServerCapabilities *c = tfp_arena_alloc(a, sizeof(*c));

	tfplugin6__server_capabilities__init(c);
	/* One schema fetch per process instead of three, and a plan call
	 * on destroy so the provider sees it coming. */
	c->get_provider_schema_optional = 1;
	c->plan_destroy = 1;
	return c;
}

static int rpc_get_provider_schema(struct tfp_arena *a, const uint8_t *req,
				   size_t len, uint8_t **out, size_t *out_len,
				   const char **err, void *payload)
{
	Tfplugin6__GetProviderSchema__Response resp =
		TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__INIT;
	struct rpc r;
	size_t i, n;

	if (rpc_unpack(a, &tfplugin6__get_provider_schema__request__descriptor,
		       req, len, err) == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "GetProviderSchema", NULL);
	resp.provider = schema_to_pb(a, 0, tfp_provider_config_attrs(r.provider), NULL,
				     tfp_provider_def(r.provider)->desc);
	n = tfp_provider_n_resources(r.provider);
	resp.n_resource_schemas = n;
	resp.resource_schemas =
		tfp_arena_alloc(a, (n + 1) * sizeof(*resp.resource_schemas));
	for (i = 0; i < n; i++) {
		const struct tfp_resource *res =
			tfp_provider_resource_at(r.provider, i)->res;
		Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry *e =
			tfp_arena_alloc(a, sizeof(*e));

		tfplugin6__get_provider_schema__response__resource_schemas_entry__init(
			e);
		e->key = (char *)res->type_name;
		e->value = schema_to_pb(a, res->schema_version, res->attrs,
					res->blocks, res->desc);
		resp.resource_schemas[i] = e;
	}
	n = tfp_provider_n_data_sources(r.provider);
	resp.n_data_source_schemas = n;
	resp.data_source_schemas = tfp_arena_alloc(
		a, (n + 1) * sizeof(*resp.data_source_schemas));
	for (i = 0; i < n; i++) {
		const struct tfp_data_source *ds =
			tfp_provider_data_source_at(r.provider, i)->ds;
		Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry
			*e = tfp_arena_alloc(a, sizeof(*e));

		tfplugin6__get_provider_schema__response__data_source_schemas_entry__init(
			e);
		e->key = (char *)ds->type_name;
		e->value = schema_to_pb(a, 0, ds->attrs, ds->blocks, ds->desc);
		resp.data_source_schemas[i] = e;
	}
	resp.server_capabilities = capabilities(a);
	rpc_diags(&r, TFP_OK, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_get_metadata(struct tfp_arena *a, const uint8_t *req,
			    size_t len, uint8_t **out, size_t *out_len,
			    const char **err, void *payload)
{
	Tfplugin6__GetMetadata__Response resp =
		TFPLUGIN6__GET_METADATA__RESPONSE__INIT;
	struct rpc r;
	size_t i, n;

	if (rpc_unpack(a, &tfplugin6__get_metadata__request__descriptor, req,
		       len, err) == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "GetMetadata", NULL);
	resp.server_capabilities = capabilities(a);
	n = tfp_provider_n_resources(r.provider);
	resp.n_resources = n;
	resp.resources = tfp_arena_alloc(a, (n + 1) * sizeof(*resp.resources));
	for (i = 0; i < n; i++) {
		Tfplugin6__GetMetadata__ResourceMetadata *m =
			tfp_arena_alloc(a, sizeof(*m));

		tfplugin6__get_metadata__resource_metadata__init(m);
		m->type_name = (char *)tfp_provider_resource_at(r.provider, i)
				       ->res->type_name;
		resp.resources[i] = m;
	}
	n = tfp_provider_n_data_sources(r.provider);
	resp.n_data_sources = n;
	resp.data_sources =
		tfp_arena_alloc(a, (n + 1) * sizeof(*resp.data_sources));
	for (i = 0; i < n; i++) {
		Tfplugin6__GetMetadata__DataSourceMetadata *m =
			tfp_arena_alloc(a, sizeof(*m));

		tfplugin6__get_metadata__data_source_metadata__init(m);
		m->type_name = (char *)tfp_provider_data_source_at(r.provider,
								   i)
				       ->ds->type_name;
		resp.data_sources[i] = m;
	}
	rpc_diags(&r, TFP_OK, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

/* --- provider ----------------------------------------------------------- */

static int rpc_validate_provider_config(struct tfp_arena *a,
					const uint8_t *req, size_t len,
					uint8_t **out, size_t *out_len,
					const char **err, void *payload)
{
	Tfplugin6__ValidateProviderConfig__Response resp =
		TFPLUGIN6__VALIDATE_PROVIDER_CONFIG__RESPONSE__INIT;
	Tfplugin6__ValidateProviderConfig__Request *q;
	struct tfp_value *config = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__validate_provider_config__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ValidateProviderConfig", NULL);
	error = dv_decode(&config, &r, tfp_provider_config_type(r.provider),
			  q->config);
	if (error == TFP_OK)
		error = tfp_provider_validate(r.provider, &r.call, config);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_configure_provider(struct tfp_arena *a, const uint8_t *req,
				  size_t len, uint8_t **out, size_t *out_len,
				  const char **err, void *payload)
{
	Tfplugin6__ConfigureProvider__Response resp =
		TFPLUGIN6__CONFIGURE_PROVIDER__RESPONSE__INIT;
	Tfplugin6__ConfigureProvider__Request *q;
	struct tfp_value *config = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__configure_provider__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ConfigureProvider", NULL);
	error = dv_decode(&config, &r, tfp_provider_config_type(r.provider),
			  q->config);
	if (error == TFP_OK)
		error = tfp_provider_configure(r.provider, &r.call, config,
					       q->terraform_version);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_stop_provider(struct tfp_arena *a, const uint8_t *req,
			     size_t len, uint8_t **out, size_t *out_len,
			     const char **err, void *payload)
{
	Tfplugin6__StopProvider__Response resp =
		TFPLUGIN6__STOP_PROVIDER__RESPONSE__INIT;
	struct rpc r;

	if (rpc_unpack(a, &tfplugin6__stop_provider__request__descriptor, req,
		       len, err) == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "StopProvider", NULL);
	tfp_log(TFP_LOG_INFO, "rpc",
		"stop requested: interrupting long-running operations");
	tfp_provider_stop(r.provider);
	return rpc_finish(&r, &resp.base, out, out_len);
}

/* --- resources ---------------------------------------------------------- */

static int rpc_validate_resource_config(struct tfp_arena *a,
					const uint8_t *req, size_t len,
					uint8_t **out, size_t *out_len,
					const char **err, void *payload)
{
	Tfplugin6__ValidateResourceConfig__Response resp =
		TFPLUGIN6__VALIDATE_RESOURCE_CONFIG__RESPONSE__INIT;
	Tfplugin6__ValidateResourceConfig__Request *q;
	const struct tfp_rt_resource *rt;
	struct tfp_value *config = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__validate_resource_config__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ValidateResourceConfig", q->type_name);
	rt = tfp_provider_find_resource(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "resource", q->type_name);
		goto done;
	}
	r.call.data = rt->res->data;
	r.call.op = "validate";
	error = dv_decode(&config, &r, rt->type, q->config);
	if (error < 0)
		goto done;
	error = tfp_lifecycle_validate(&r.call, rt->res->attrs,
				       rt->res->blocks, config);
	if (rt->res->validate != NULL && tfp_value_is_known(config) &&
	    rt->res->validate(&r.call, config) < 0)
		error = TFP_ERROR;
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_upgrade_resource_state(struct tfp_arena *a, const uint8_t *req,
				      size_t len, uint8_t **out,
				      size_t *out_len, const char **err,
				      void *payload)
{
	Tfplugin6__UpgradeResourceState__Response resp =
		TFPLUGIN6__UPGRADE_RESOURCE_STATE__RESPONSE__INIT;
	Tfplugin6__UpgradeResourceState__Request *q;
	const struct tfp_rt_resource *rt;
	struct tfp_value *state = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__upgrade_resource_state__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "UpgradeResourceState", q->type_name);
	rt = tfp_provider_find_resource(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "resource", q->type_name);
		goto done;
	}
	r.call.data = rt->res->data;
	if (q->version > rt->res->schema_version) {
		error = tfp_diag_error(
			&r.diags, "State from a newer provider",
			"The state of this %s was written by a newer "
			"provider (schema version %lld; this one knows %lld). "
			"Upgrade brickform.",
			q->type_name, (long long)q->version,
			(long long)rt->res->schema_version);
		goto done;
	}
	if (q->raw_state == NULL || q->raw_state->json.len == 0) {
		error = tfp_diag_error(&r.diags, "Unsupported state format",
				       "The state of this %s has no JSON "
				       "form (flatmap state is not "
				       "supported).",
				       q->type_name);
		goto done;
	}
	/* Decoding into the current type drops attributes that no longer
	 * exist and sets new ones to null: the only upgrade so far. */
	error = tfp_json_decode_value(&state, a, rt->type,
				      (const char *)q->raw_state->json.data,
				      q->raw_state->json.len, &r.diags);
	if (error == TFP_OK) {
		resp.upgraded_state = dv_encode(&r, state);
		if (resp.upgraded_state == NULL)
			error = TFP_ERROR;
	}
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_read_resource(struct tfp_arena *a, const uint8_t *req,
			     size_t len, uint8_t **out, size_t *out_len,
			     const char **err, void *payload)
{
	Tfplugin6__ReadResource__Response resp =
		TFPLUGIN6__READ_RESOURCE__RESPONSE__INIT;
	Tfplugin6__ReadResource__Request *q;
	const struct tfp_rt_resource *rt;
	struct tfp_value *prior = NULL, *state = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__read_resource__request__descriptor, req,
		       len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ReadResource", q->type_name);
	rt = tfp_provider_find_resource(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "resource", q->type_name);
		goto done;
	}
	r.call.data = rt->res->data;
	error = dv_decode(&prior, &r, rt->type, q->current_state);
	if (error < 0)
		goto done;
	/* Whatever happens, Terraform gets a state back: the prior one
	 * unless the read says otherwise. */
	resp.new_state = q->current_state;
	resp.private_ = q->private_;
	if (tfp_provider_deferred(r.provider, &r.call)) {
		/* Kept as it is: the apply configures with known settings
		 * and works from the real object. */
		tfp_diag_warning(r.call.diags, "Not refreshed",
				 "%s was not read: the provider's settings "
				 "(such as host or token) are known only "
				 "after apply. The plan uses its last known "
				 "state.",
				 q->type_name);
		error = TFP_OK;
		goto done;
	}
	error = tfp_provider_require_client(r.provider, &r.call);
	if (error == TFP_OK)
		error = tfp_provider_check_type(
			r.provider, &r.call, rt->res->provider_flags);
	if (error < 0)
		goto done;
	r.call.private_in.data = q->private_.data;
	r.call.private_in.len = q->private_.len;
	error = tfp_lifecycle_read(&state, &r.call, rt, prior);
	if (r.call.private_set) {
		resp.private_.data = (uint8_t *)r.call.private_out.data;
		resp.private_.len = r.call.private_out.len;
	}
	resp.new_state = dv_encode(&r, state);
	if (resp.new_state == NULL) {
		resp.new_state = q->current_state;
		error = TFP_ERROR;
	}
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_plan_resource_change(struct tfp_arena *a, const uint8_t *req,
				    size_t len, uint8_t **out,
				    size_t *out_len, const char **err,
				    void *payload)
{
	Tfplugin6__PlanResourceChange__Response resp =
		TFPLUGIN6__PLAN_RESOURCE_CHANGE__RESPONSE__INIT;
	Tfplugin6__PlanResourceChange__Request *q;
	const struct tfp_rt_resource *rt;
	struct tfp_value *prior = NULL, *proposed = NULL, *config = NULL;
	struct tfp_plan_result plan;
	struct rpc r;
	size_t i;
	int error;

	q = rpc_unpack(a, &tfplugin6__plan_resource_change__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "PlanResourceChange", q->type_name);
	rt = tfp_provider_find_resource(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "resource", q->type_name);
		goto done;
	}
	r.call.data = rt->res->data;
	r.call.op = "plan";
	error = dv_decode(&prior, &r, rt->type, q->prior_state);
	if (error == TFP_OK)
		error = dv_decode(&proposed, &r, rt->type,
				  q->proposed_new_state);
	if (error == TFP_OK)
		error = dv_decode(&config, &r, rt->type, q->config);
	if (error < 0)
		goto done;
	/* A type the configured client cannot serve fails at plan time,
	 * before anything is applied (nothing is checked before configure
	 * has made a client). */
	if (!tfp_value_is_null(proposed))
		error = tfp_provider_check_type(r.provider, &r.call,
						rt->res->provider_flags);
	if (error < 0)
		goto done;
	error = tfp_lifecycle_plan(&plan, &r.call, rt, prior, proposed, config);
	if (error < 0)
		goto done;
	resp.planned_state = dv_encode(&r, plan.planned);
	if (resp.planned_state == NULL) {
		error = TFP_ERROR;
		goto done;
	}
	resp.planned_private = q->prior_private;
	resp.n_requires_replace = plan.n_requires_replace;
	resp.requires_replace = tfp_arena_alloc(
		a, (plan.n_requires_replace + 1) * sizeof(*resp.requires_replace));
	for (i = 0; i < plan.n_requires_replace; i++)
		resp.requires_replace[i] =
			path_to_pb(a, plan.requires_replace[i]);
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_apply_resource_change(struct tfp_arena *a, const uint8_t *req,
				     size_t len, uint8_t **out,
				     size_t *out_len, const char **err,
				     void *payload)
{
	Tfplugin6__ApplyResourceChange__Response resp =
		TFPLUGIN6__APPLY_RESOURCE_CHANGE__RESPONSE__INIT;
	Tfplugin6__ApplyResourceChange__Request *q;
	const struct tfp_rt_resource *rt;
	struct tfp_value *prior = NULL, *planned = NULL, *state = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__apply_resource_change__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ApplyResourceChange", q->type_name);
	/* Until something happens remotely, the prior state stands. */
	resp.new_state = q->prior_state;
	rt = tfp_provider_find_resource(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "resource", q->type_name);
		goto done;
	}
	r.call.data = rt->res->data;
	error = dv_decode(&prior, &r, rt->type, q->prior_state);
	if (error == TFP_OK)
		error = dv_decode(&planned, &r, rt->type, q->planned_state);
	if (error == TFP_OK)
		error = tfp_provider_require_client(r.provider, &r.call);
	if (error == TFP_OK)
		error = tfp_provider_check_type(r.provider, &r.call,
						rt->res->provider_flags);
	if (error < 0)
		goto done;
	r.call.private_in.data = q->planned_private.data;
	r.call.private_in.len = q->planned_private.len;
	error = tfp_lifecycle_apply(&state, &r.call, rt, prior, planned);
	{
		Tfplugin6__DynamicValue *dv = dv_encode(&r, state);

		/* A state that cannot be encoded must not erase what the
		 * prior state recorded. */
		if (dv != NULL)
			resp.new_state = dv;
		else
			error = TFP_ERROR;
	}
	resp.private_ = q->planned_private;
	if (r.call.private_set) {
		resp.private_.data = (uint8_t *)r.call.private_out.data;
		resp.private_.len = r.call.private_out.len;
	}
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_import_resource_state(struct tfp_arena *a, const uint8_t *req,
				     size_t len, uint8_t **out,
				     size_t *out_len, const char **err,
				     void *payload)
{
	Tfplugin6__ImportResourceState__Response resp =
		TFPLUGIN6__IMPORT_RESOURCE_STATE__RESPONSE__INIT;
	Tfplugin6__ImportResourceState__Request *q;
	Tfplugin6__ImportResourceState__ImportedResource *ir;
	const struct tfp_rt_resource *rt;
	struct tfp_value *state = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__import_resource_state__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ImportResourceState", q->type_name);
	rt = tfp_provider_find_resource(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "resource", q->type_name);
		goto done;
	}
	r.call.data = rt->res->data;
	error = tfp_provider_require_client(r.provider, &r.call);
	if (error == TFP_OK)
		error = tfp_provider_check_type(
			r.provider, &r.call, rt->res->provider_flags);
	if (error == TFP_OK)
		error = tfp_lifecycle_import(&state, &r.call, rt, q->id);
	if (error < 0)
		goto done;
	ir = tfp_arena_alloc(a, sizeof(*ir));
	tfplugin6__import_resource_state__imported_resource__init(ir);
	ir->type_name = q->type_name;
	if (r.call.private_set) {
		ir->private_.data = (uint8_t *)r.call.private_out.data;
		ir->private_.len = r.call.private_out.len;
	}
	ir->state = dv_encode(&r, state);
	if (ir->state == NULL) {
		error = TFP_ERROR;
		goto done;
	}
	resp.n_imported_resources = 1;
	resp.imported_resources = tfp_arena_alloc(a, sizeof(ir));
	resp.imported_resources[0] = ir;
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_move_resource_state(struct tfp_arena *a, const uint8_t *req,
				   size_t len, uint8_t **out, size_t *out_len,
				   const char **err, void *payload)
{
	Tfplugin6__MoveResourceState__Response resp =
		TFPLUGIN6__MOVE_RESOURCE_STATE__RESPONSE__INIT;
	Tfplugin6__MoveResourceState__Request *q;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__move_resource_state__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "MoveResourceState", q->target_type_name);
	/* No capability is advertised, so Terraform should not call this;
	 * answer with a diagnostic rather than a transport error. */
	error = tfp_diag_error(&r.diags, "Move not supported",
			       "brickform cannot move state from %s to %s.",
			       q->source_type_name, q->target_type_name);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

/* --- data sources ------------------------------------------------------- */

static int rpc_validate_data_resource_config(struct tfp_arena *a,
					     const uint8_t *req, size_t len,
					     uint8_t **out, size_t *out_len,
					     const char **err, void *payload)
{
	Tfplugin6__ValidateDataResourceConfig__Response resp =
		TFPLUGIN6__VALIDATE_DATA_RESOURCE_CONFIG__RESPONSE__INIT;
	Tfplugin6__ValidateDataResourceConfig__Request *q;
	const struct tfp_rt_data_source *rt;
	struct tfp_value *config = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a,
		       &tfplugin6__validate_data_resource_config__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ValidateDataResourceConfig", q->type_name);
	rt = tfp_provider_find_data_source(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "data source", q->type_name);
		goto done;
	}
	r.call.data = rt->ds->data;
	error = dv_decode(&config, &r, rt->type, q->config);
	if (error == TFP_OK)
		error = tfp_lifecycle_validate(&r.call, rt->ds->attrs,
					       rt->ds->blocks, config);
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_read_data_source(struct tfp_arena *a, const uint8_t *req,
				size_t len, uint8_t **out, size_t *out_len,
				const char **err, void *payload)
{
	Tfplugin6__ReadDataSource__Response resp =
		TFPLUGIN6__READ_DATA_SOURCE__RESPONSE__INIT;
	Tfplugin6__ReadDataSource__Request *q;
	const struct tfp_rt_data_source *rt;
	struct tfp_value *config = NULL, *state = NULL;
	struct rpc r;
	int error;

	q = rpc_unpack(a, &tfplugin6__read_data_source__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ReadDataSource", q->type_name);
	rt = tfp_provider_find_data_source(r.provider, q->type_name);
	if (rt == NULL) {
		error = unknown_type(&r, "data source", q->type_name);
		goto done;
	}
	r.call.data = rt->ds->data;
	r.call.op = "read";
	error = dv_decode(&config, &r, rt->type, q->config);
	/* A local data source needs no client, of any kind. */
	if (error == TFP_OK && !rt->ds->local)
		error = tfp_provider_require_client(r.provider, &r.call);
	if (error == TFP_OK && !rt->ds->local)
		error = tfp_provider_check_type(r.provider, &r.call,
						rt->ds->provider_flags);
	if (error == TFP_OK)
		error = rt->ds->read(&state, &r.call, config);
	if (error == TFP_ENOTFOUND)
		error = tfp_diag_error(&r.diags, "Not found",
				       "%s found nothing matching the "
				       "arguments: %s",
				       q->type_name,
				       r.call.last_error.message
					       ? r.call.last_error.message
					       : "");
	if (error == TFP_OK) {
		resp.state = dv_encode(&r, state);
		if (resp.state == NULL)
			error = TFP_ERROR;
	}
done:
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

/* --- what brickform does not offer -------------------------------------- */

/*
 * Functions and ephemeral resources: the provider declares none in its
 * schema, so Terraform never calls these for a valid configuration. They
 * still answer with a proper response (an empty list, or a diagnostic)
 * instead of UNIMPLEMENTED, because a transport error reads like a crash.
 */
static int rpc_get_functions(struct tfp_arena *a, const uint8_t *req,
			     size_t len, uint8_t **out, size_t *out_len,
			     const char **err, void *payload)
{
	Tfplugin6__GetFunctions__Response resp =
		TFPLUGIN6__GET_FUNCTIONS__RESPONSE__INIT;
	struct rpc r;

	if (rpc_unpack(a, &tfplugin6__get_functions__request__descriptor, req,
		       len, err) == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "GetFunctions", NULL);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_call_function(struct tfp_arena *a, const uint8_t *req,
			     size_t len, uint8_t **out, size_t *out_len,
			     const char **err, void *payload)
{
	Tfplugin6__CallFunction__Response resp =
		TFPLUGIN6__CALL_FUNCTION__RESPONSE__INIT;
	Tfplugin6__CallFunction__Request *q;
	Tfplugin6__FunctionError *fe;
	struct rpc r;

	q = rpc_unpack(a, &tfplugin6__call_function__request__descriptor, req,
		       len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "CallFunction", NULL);
	fe = tfp_arena_alloc(a, sizeof(*fe));
	tfplugin6__function_error__init(fe);
	fe->text = tfp_arena_printf(a, "brickform has no function named \"%s\"",
				    q->name);
	resp.error = fe;
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int no_ephemeral(struct rpc *r, const char *type_name)
{
	return tfp_diag_error(&r->diags, "Unknown ephemeral resource type",
			      "brickform has no ephemeral resource named "
			      "\"%s\".",
			      type_name ? type_name : "");
}

static int rpc_validate_ephemeral(struct tfp_arena *a, const uint8_t *req,
				  size_t len, uint8_t **out, size_t *out_len,
				  const char **err, void *payload)
{
	Tfplugin6__ValidateEphemeralResourceConfig__Response resp =
		TFPLUGIN6__VALIDATE_EPHEMERAL_RESOURCE_CONFIG__RESPONSE__INIT;
	Tfplugin6__ValidateEphemeralResourceConfig__Request *q;
	struct rpc r;
	int error;

	q = rpc_unpack(
		a,
		&tfplugin6__validate_ephemeral_resource_config__request__descriptor,
		req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "ValidateEphemeralResourceConfig",
		  q->type_name);
	error = no_ephemeral(&r, q->type_name);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_open_ephemeral(struct tfp_arena *a, const uint8_t *req,
			      size_t len, uint8_t **out, size_t *out_len,
			      const char **err, void *payload)
{
	Tfplugin6__OpenEphemeralResource__Response resp =
		TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__RESPONSE__INIT;
	Tfplugin6__OpenEphemeralResource__Request *q;
	struct rpc r;
	int error;

	q = rpc_unpack(a,
		       &tfplugin6__open_ephemeral_resource__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "OpenEphemeralResource", q->type_name);
	error = no_ephemeral(&r, q->type_name);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_renew_ephemeral(struct tfp_arena *a, const uint8_t *req,
			       size_t len, uint8_t **out, size_t *out_len,
			       const char **err, void *payload)
{
	Tfplugin6__RenewEphemeralResource__Response resp =
		TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__RESPONSE__INIT;
	Tfplugin6__RenewEphemeralResource__Request *q;
	struct rpc r;
	int error;

	q = rpc_unpack(a,
		       &tfplugin6__renew_ephemeral_resource__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "RenewEphemeralResource", q->type_name);
	error = no_ephemeral(&r, q->type_name);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

static int rpc_close_ephemeral(struct tfp_arena *a, const uint8_t *req,
			       size_t len, uint8_t **out, size_t *out_len,
			       const char **err, void *payload)
{
	Tfplugin6__CloseEphemeralResource__Response resp =
		TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__RESPONSE__INIT;
	Tfplugin6__CloseEphemeralResource__Request *q;
	struct rpc r;
	int error;

	q = rpc_unpack(a,
		       &tfplugin6__close_ephemeral_resource__request__descriptor,
		       req, len, err);
	if (q == NULL)
		return RPC_STATUS_INVALID_ARGUMENT;
	rpc_begin(&r, a, payload, "CloseEphemeralResource", q->type_name);
	error = no_ephemeral(&r, q->type_name);
	rpc_diags(&r, error, &resp.n_diagnostics, &resp.diagnostics);
	return rpc_finish(&r, &resp.base, out, out_len);
}

/* --- the table ---------------------------------------------------------- */

#define RPC_PATH(name) "/tfplugin6.Provider/" name

static const struct tfp_method rpc_methods[] = {
	/* Schema and metadata are cheap and pure: served on the queue
	 * thread. Everything that may touch the network uses a worker. */
	{ RPC_PATH("GetMetadata"), TFP_METHOD_UNARY_INLINE, rpc_get_metadata },
	{ RPC_PATH("GetProviderSchema"), TFP_METHOD_UNARY,
	  rpc_get_provider_schema },
	{ RPC_PATH("ValidateProviderConfig"), TFP_METHOD_UNARY_INLINE,
	  rpc_validate_provider_config },
	{ RPC_PATH("ValidateResourceConfig"), TFP_METHOD_UNARY,
	  rpc_validate_resource_config },
	{ RPC_PATH("ValidateDataResourceConfig"), TFP_METHOD_UNARY,
	  rpc_validate_data_resource_config },
	{ RPC_PATH("UpgradeResourceState"), TFP_METHOD_UNARY,
	  rpc_upgrade_resource_state },
	{ RPC_PATH("ConfigureProvider"), TFP_METHOD_UNARY,
	  rpc_configure_provider },
	{ RPC_PATH("ReadResource"), TFP_METHOD_UNARY, rpc_read_resource },
	{ RPC_PATH("PlanResourceChange"), TFP_METHOD_UNARY,
	  rpc_plan_resource_change },
	{ RPC_PATH("ApplyResourceChange"), TFP_METHOD_UNARY,
	  rpc_apply_resource_change },
	{ RPC_PATH("ImportResourceState"), TFP_METHOD_UNARY,
	  rpc_import_resource_state },
	{ RPC_PATH("MoveResourceState"), TFP_METHOD_UNARY_INLINE,
	  rpc_move_resource_state },
	{ RPC_PATH("ReadDataSource"), TFP_METHOD_UNARY, rpc_read_data_source },
	{ RPC_PATH("ValidateEphemeralResourceConfig"), TFP_METHOD_UNARY_INLINE,
	  rpc_validate_ephemeral },
	{ RPC_PATH("OpenEphemeralResource"), TFP_METHOD_UNARY_INLINE,
	  rpc_open_ephemeral },
	{ RPC_PATH("RenewEphemeralResource"), TFP_METHOD_UNARY_INLINE,
	  rpc_renew_ephemeral },
	{ RPC_PATH("CloseEphemeralResource"), TFP_METHOD_UNARY_INLINE,
	  rpc_close_ephemeral },
	{ RPC_PATH("GetFunctions"), TFP_METHOD_UNARY_INLINE, rpc_get_functions },
	{ RPC_PATH("CallFunction"), TFP_METHOD_UNARY_INLINE, rpc_call_function },
	/* Must never wait behind a slow apply: served on the queue thread. */
	{ RPC_PATH("StopProvider"), TFP_METHOD_UNARY_INLINE, rpc_stop_provider },
};

const struct tfp_method *tfp_rpc_methods(size_t *n)
{
	*n = TFP_ARRAY_SIZE(rpc_methods);
	return rpc_methods;
}
