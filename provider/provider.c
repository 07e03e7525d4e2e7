/*
 * The provider runtime (provider.h): the definition the provider handed
 * the framework, the object types of its tables, the client configure
 * made, and the stop flag.
 *
 * A configuration whose values are unknown at configure time (a host
 * computed by another resource) is not an error: Terraform configures
 * again with known values before apply, and any call that needs the
 * client in between reports that the provider could not be configured
 * yet (tfp_provider_require_client), except a refresh, which keeps the
 * prior state with a warning (tfp_provider_deferred): the plan of a
 * workspace whose token another resource is about to replace must not
 * fail because the new token is not known yet.
 */
#include "provider.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"

struct tfp_provider {
	const struct tfp_provider_def *def;
	struct tfp_arena *arena; /* types and tables: lives as long as p */
	const struct tfp_type *config_type;
	struct tfp_rt_resource *resources;
	size_t n_resources;
	struct tfp_rt_data_source *data_sources;
	size_t n_data_sources;

	pthread_mutex_t lock; /* guards client */
	void *client;
	atomic_bool stop;
	/* Configured with unknown settings: no client until apply. */
	atomic_bool deferred;
};

struct tfp_provider *tfp_provider_new(const struct tfp_provider_def *def)
{
	struct tfp_provider *p = tfp_xcalloc(1, sizeof(*p));
	size_t i;

	p->def = def;
	p->arena = tfp_arena_new();
	p->config_type = tfp_schema_type(p->arena, def->config_attrs, NULL);
	while (def->resources[p->n_resources] != NULL)
		p->n_resources++;
	p->resources = tfp_arena_alloc(
		p->arena, (p->n_resources + 1) * sizeof(*p->resources));
	for (i = 0; i < p->n_resources; i++) {
		const struct tfp_resource *r = def->resources[i];

		p->resources[i].res = r;
		p->resources[i].type =
			tfp_schema_type(p->arena, r->attrs, r->blocks);
	}
	while (def->data_sources[p->n_data_sources] != NULL)
		p->n_data_sources++;
	p->data_sources = tfp_arena_alloc(
		p->arena, (p->n_data_sources + 1) * sizeof(*p->data_sources));
	for (i = 0; i < p->n_data_sources; i++) {
		const struct tfp_data_source *ds = def->data_sources[i];

		p->data_sources[i].ds = ds;
		p->data_sources[i].type =
			tfp_schema_type(p->arena, ds->attrs, ds->blocks);
	}
	pthread_mutex_init(&p->lock, NULL);
	atomic_init(&p->stop, false);
	atomic_init(&p->deferred, false);
	return p;
}

void tfp_provider_free(struct tfp_provider *p)
{
	if (p == NULL)
		return;
	if (p->client != NULL && p->def->client_free != NULL)
		p->def->client_free(p->client);
	pthread_mutex_destroy(&p->lock);
	tfp_arena_free(p->arena);
	free(p);
}

const struct tfp_provider_def *tfp_provider_def(const struct tfp_provider *p)
{
	return p->def;
}

const struct tfp_attr *tfp_provider_config_attrs(const struct tfp_provider *p)
{
	return p->def->config_attrs;
}

const struct tfp_type *tfp_provider_config_type(const struct tfp_provider *p)
{
	return p->config_type;
}

size_t tfp_provider_n_resources(const struct tfp_provider *p)
{
	return p->n_resources;
}

const struct tfp_rt_resource *tfp_provider_resource_at(
	const struct tfp_provider *p, size_t i)
{
	return i < p->n_resources ? &p->resources[i] : NULL;
}

const struct tfp_rt_resource *tfp_provider_find_resource(
	const struct tfp_provider *p, const char *type_name)
{
	size_t i;

	for (i = 0; type_name != NULL && i < p->n_resources; i++)
		if (strcmp(p->resources[i].res->type_name, type_name) == 0)
			return &p->resources[i];
	return NULL;
}

size_t tfp_provider_n_data_sources(const struct tfp_provider *p)
{
	return p->n_data_sources;
}

const struct tfp_rt_data_source *tfp_provider_data_source_at(
	const struct tfp_provider *p, size_t i)
{
	return i < p->n_data_sources ? &p->data_sources[i] : NULL;
}

const struct tfp_rt_data_source *tfp_provider_find_data_source(
	const struct tfp_provider *p, const char *type_name)
{
	size_t i;

	for (i = 0; type_name != NULL && i < p->n_data_sources; i++)
		if (strcmp(p->data_sources[i].ds->type_name, type_name) == 0)
			return &p->data_sources[i];
	return NULL;
}

void tfp_provider_call_init(struct tfp_call *call, struct tfp_provider *p,
			    struct tfp_arena *a, struct tfp_diags *d,
			    const char *type_name)
{
	memset(call, 0, sizeof(*call));
	call->arena = a;
	call->diags = d;
	call->type_name = type_name;
	call->stop = &p->stop;
	pthread_mutex_lock(&p->lock);
	call->client = p->client;
	pthread_mutex_unlock(&p->lock);
}

int tfp_provider_validate(struct tfp_provider *p, struct tfp_call *call,
			  const struct tfp_value *config)
{
	int error = tfp_lifecycle_validate(call, p->def->config_attrs, NULL,
					   config);

	if (error < 0 || p->def->validate == NULL)
		return error;
	return p->def->validate(call, config);
}

int tfp_provider_configure(struct tfp_provider *p, struct tfp_call *call,
			   const struct tfp_value *config,
			   const char *terraform_version)
{
	void *client = NULL;
	int error;

	error = p->def->configure(&client, call, config, terraform_version);
	atomic_store(&p->deferred, error == TFP_OK && client == NULL);
	if (error < 0 || client == NULL)
		return error;
	pthread_mutex_lock(&p->lock);
	if (p->client == NULL) {
		p->client = client;
		client = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	if (client != NULL && p->def->client_free != NULL)
		p->def->client_free(client);
	return TFP_OK;
}

int tfp_provider_require_client(struct tfp_provider *p, struct tfp_call *call)
{
	const char *what = call->type_name ? call->type_name : "the provider";

	if (call->client != NULL)
		return TFP_OK;
	return tfp_diag_error(call->diags, "Provider not configured",
			      "The %s provider's settings were not known when "
			      "Terraform configured it, so %s cannot reach "
			      "its service yet.%s%s",
			      p->def->name, what,
			      p->def->unconfigured_hint ? " " : "",
			      p->def->unconfigured_hint ? p->def->unconfigured_hint
							: "");
}

bool tfp_provider_deferred(struct tfp_provider *p, const struct tfp_call *call)
{
	return call->client == NULL && atomic_load(&p->deferred);
}

int tfp_provider_check_type(struct tfp_provider *p, struct tfp_call *call,
			    unsigned provider_flags)
{
	if (call->client == NULL || p->def->check_type == NULL)
		return TFP_OK;
	return p->def->check_type(call, provider_flags);
}

void tfp_provider_stop(struct tfp_provider *p)
{
	atomic_store(&p->stop, true);
}
