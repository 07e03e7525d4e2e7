/*
 * The pure selection rules behind databricks_spark_version and
 * databricks_node_type: given the workspace's catalogue (the reply of
 * GET /api/2.x/clusters/spark-versions or clusters/list-node-types), pick
 * the one entry the arguments describe. No I/O, so tests/unit/
 * test_compute_select.c drives them with fixture catalogues.
 *
 * The rules are the official provider's (its SDK's SelectSparkVersion and
 * Smallest), with one deliberate difference: when no node type matches,
 * the official provider silently falls back to a cloud default (i3.xlarge,
 * Standard_D4ds_v5, n1-standard-4) that ignores the arguments; here that is
 * an error naming the arguments.
 *
 * The double underscore marks the functions semi-private (libgit2's
 * convention): only the two data sources and their unit test call them.
 */
#ifndef TFP_COMPUTE_SELECT_H
#define TFP_COMPUTE_SELECT_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"

struct cJSON;
struct tfp_arena;
struct tfp_diags;

/** What databricks_spark_version asks for. */
struct tfp_spark_version_req {
	/* Several matches: take the newest (true) or fail (false). */
	bool latest;
	bool long_term_support; /* "LTS" in the name, or "-esr-" in the key */
	bool ml, genomics, gpu, beta, photon, graviton;
	/* A prefix of the Scala version in the key: "2.1" matches both
	 * "-scala2.12" and "-scala2.13". Never NULL. */
	const char *scala;
	/* "Apache Spark <spark_version>" must be in the name; NULL or ""
	 * for any. */
	const char *spark_version;
};

/**
 * The runtime key ("15.4.x-scala2.12") in reply's "versions" array that req
 * selects, into *out (borrowed from reply).
 *
 * A version matches when its key contains "-scala<scala>" and not
 * "apache-spark-", and each of "-ml-", "-hls-" (genomics), "-gpu-",
 * "-photon-", "-aarch64-" (graviton) is in the key exactly when the flag
 * is set, and "Beta" is in the name exactly when beta is set; plus the LTS
 * and Spark version conditions when asked. Two matches that differ only in
 * "-scala2.12" / "-scala2.13" give the 2.12 one. Otherwise several matches
 * with latest give the highest runtime version (major.minor before ".x-";
 * equal versions in key order), and without latest are an error.
 *
 * Returns TFP_OK, or TFP_ERROR with a diagnostic in d (strings in a) that
 * names every filter value and how many versions matched.
 */
int tfp_compute__select_spark_version(const char **out, struct tfp_diags *d,
				      struct tfp_arena *a,
				      const struct cJSON *reply,
				      const struct tfp_spark_version_req *req);

/** What databricks_node_type asks for; zero and false mean "any". */
struct tfp_node_type_req {
	int64_t min_memory_gb, gb_per_core, min_cores, min_gpus;
	int64_t local_disk_min_size; /* GB of local disks, NVMe included */
	bool local_disk;
	const char *category; /* compared without regard to case; NULL = any */
	bool photon_driver_capable, photon_worker_capable;
	/* Exactly the Graviton (arm) nodes when set, none of them when not. */
	bool graviton;
	/* Exactly the fleet node types ("-fleet." in the id) when set, none
	 * of them when not. */
	bool fleet;
	bool is_io_cache_enabled, support_port_forwarding;
};

/**
 * The smallest node type in reply's "node_types" array that req admits,
 * into *out (borrowed from reply).
 *
 * Hidden node types and those whose node_info.status says
 * NotAvailableInRegion or NotEnabledOnSubscription are skipped. The rest
 * are ordered by: deprecated last, then cores, memory, local disks, local
 * disk size, NVMe disks, NVMe size, GPUs, instance type id and node type
 * id, and the first that passes every filter wins. GPU nodes pass only
 * when min_gpus is set. Memory is compared in whole GB (memory_mb / 1024),
 * gb_per_core as whole GB over whole cores.
 *
 * Returns TFP_OK, or TFP_ERROR with a diagnostic in d (strings in a) that
 * names the filters in force and how many node types were considered.
 */
int tfp_compute__select_node_type(const char **out, struct tfp_diags *d,
				  struct tfp_arena *a,
				  const struct cJSON *reply,
				  const struct tfp_node_type_req *req);

#endif
