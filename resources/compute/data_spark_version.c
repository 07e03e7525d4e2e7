/*
 * Data source databricks_spark_version: the Databricks Runtime key
 * ("15.4.x-scala2.12") that fits some criteria, for a cluster's
 * spark_version.
 *
 * REST: GET /api/2.1/clusters/spark-versions ({"versions": [{key, name}]}),
 * through the read cache: the catalogue does not change during a run, and
 * several of these data sources in one configuration need one request.
 *
 * Quirks that explain the code:
 *  - scala defaults to "2.1", a prefix that matches both "-scala2.12" and
 *    "-scala2.13" keys (the official provider's current default; its
 *    older docs said "2.12"); a runtime offered in both gives the 2.12
 *    key.
 *  - photon and graviton are deprecated (runtimes no longer come in
 *    separate Photon and Graviton builds) but still accepted.
 *  - The selection itself is pure and lives in compute_select.c.
 */
#include <cjson/cJSON.h>
#include "compute_internal.h"
#include "rest.h"
#include "schema.h"

#define SV_DEFAULT_SCALA "2.1"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr sv_attrs[] = {
	{ .name = "latest", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "When several versions match, take the newest (true, the "
		  "default) instead of failing." },
	{ .name = "long_term_support", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only long-term support (LTS) and extended support (ESR) "
		  "versions." },
	{ .name = "ml", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only ML runtimes (otherwise none of them)." },
	{ .name = "genomics", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only Genomics (HLS) runtimes (otherwise none of them)." },
	{ .name = "gpu", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only GPU runtimes (otherwise none of them)." },
	{ .name = "beta", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only Beta runtimes (otherwise none of them)." },
	{ .name = "scala", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The Scala version, or a prefix of it: \"2.1\" (the "
		  "default) matches 2.12 and 2.13, preferring 2.12." },
	{ .name = "spark_version", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only runtimes of this Apache Spark version: \"3\", "
		  "\"3.5\" or \"3.5.0\"." },
	{ .name = "photon", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "Only Photon runtimes. Deprecated: set runtime_engine = "
		  "\"PHOTON\" on the cluster instead." },
	{ .name = "graviton", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "Only runtimes built for AWS Graviton. Deprecated: the "
		  "workspace picks that build from the node type." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The runtime key, e.g. \"15.4.x-scala2.12\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- handler -------------------------------------------------------------- */

static int sv_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *config)
{
	struct tfp_spark_version_req req = {
		.latest = tfp_value_get_bool(config, "latest", true),
		.long_term_support =
			tfp_value_get_bool(config, "long_term_support", false),
		.ml = tfp_value_get_bool(config, "ml", false),
		.genomics = tfp_value_get_bool(config, "genomics", false),
		.gpu = tfp_value_get_bool(config, "gpu", false),
		.beta = tfp_value_get_bool(config, "beta", false),
		.photon = tfp_value_get_bool(config, "photon", false),
		.graviton = tfp_value_get_bool(config, "graviton", false),
		.scala = tfp_value_get_string(config, "scala"),
		.spark_version = tfp_value_get_string(config, "spark_version"),
	};
	struct tfp_value *v;
	cJSON *reply = NULL;
	const char *id;
	int error;

	if (req.scala == NULL)
		req.scala = SV_DEFAULT_SCALA;
	error = tfp_rest_call(&reply, call, "GET",
			      "/api/2.1/clusters/spark-versions", NULL, NULL,
			      TFP_REST_CACHE);
	if (error < 0)
		return error;
	error = tfp_compute__select_spark_version(&id, call->diags, call->arena,
						  reply, &req);
	if (error < 0)
		return error;
	v = tfp_value_copy(call->arena, config);
	tfp_value_set(v, "latest", tfp_value_bool(call->arena, req.latest));
	tfp_value_set_string(call->arena, v, "scala", req.scala);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_spark_version = {
	.type_name = "databricks_spark_version",
	.attrs = sv_attrs,
	.desc = "The Databricks Runtime version (the key for a cluster's "
		"spark_version) that fits the arguments: by default the "
		"newest non-ML, non-GPU, non-Beta runtime.",
	.read = sv_read,
};
