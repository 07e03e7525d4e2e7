/*
 * The cluster specification shared by every resource that describes a
 * cluster: a job's job_cluster.new_cluster and task.new_cluster today,
 * databricks_cluster later. It is the Clusters API's ClusterSpec with the
 * official provider's attribute names (official-provider-behaviour.md
 * §1.2), without the fields only a standing cluster has (cluster_id,
 * state, idempotency_token, autotermination_minutes, is_pinned).
 *
 * The tables are plain data for jsonmap.c: every field maps to the JSON
 * field of the same name, single objects (autoscale, aws_attributes,
 * docker_image, ...) are list blocks with max_items 1.
 */
#ifndef TFP_CLUSTER_SPEC_H
#define TFP_CLUSTER_SPEC_H

#include "schema.h"

/** The attributes of a cluster spec; ends with TFP_ATTR_END. */
extern const struct tfp_attr tfp_cluster_spec_attrs[];
/** The nested blocks of a cluster spec; ends with TFP_BLOCK_END. */
extern const struct tfp_block tfp_cluster_spec_blocks[];

#endif
