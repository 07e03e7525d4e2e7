/*
 * The compute family's internal header: what its files (cluster.c,
 * cluster_api.c, the compute data sources) and their unit tests share.
 * The cluster spec tables other families embed are in cluster_spec.h.
 * Prefix: tfp_compute_.
 */
#ifndef TFP_COMPUTE_INTERNAL_H
#define TFP_COMPUTE_INTERNAL_H

/* === clusters ======================================================== */

/*
 * What cluster.c (the databricks_cluster resource) and cluster_api.c (its
 * calls to the Clusters and Libraries APIs, and the waits on the cluster
 * state machine) share, plus the pure functions the unit tests call.
 */

#include <stdbool.h>
#include "call.h"
#include "rest.h"

struct cJSON;
struct tfp_type;
struct tfp_value;

/* How long create and update may wait on a cluster unless the timeouts
 * block says otherwise (the official provider's 30 minutes), and how long
 * at most edit retries INVALID_STATE (its 15 minutes). */
#define TFP_CLUSTER_WAIT_MS (30L * 60 * 1000)
#define TFP_CLUSTER_EDIT_RETRY_MS (15L * 60 * 1000)

/* --- calls (cluster_api.c) ------------------------------------------------ */

/**
 * The Clusters and Libraries APIs' "no such cluster" answers beyond the
 * REST client's generic rules, which databricks.c gives the client: 400
 * INVALID_PARAMETER_VALUE "Cluster <id> does not exist" from any call but
 * clusters/create, the GET clusters/get 400 "... does not exist", and
 * INVALID_STATE from GET clusters/get (a cluster purged after 30 days).
 * Ends with .path NULL.
 */
extern const struct tfp_rest_not_found tfp_compute_not_found[];

/** GET clusters/get: TFP_ENOTFOUND (no diagnostic) when the cluster is gone. */
/* A refresh's read of a cluster: from the batched clusters/list when it
 * answers (no policy), else clusters/get. */
int tfp_compute__cluster_refresh(struct cJSON **out, struct tfp_call *call,
				 const char *id);
int tfp_compute__cluster_get(struct cJSON **out, struct tfp_call *call,
		     const char *id);

/** POST clusters/<op> (pin, unpin, start, permanent-delete) for one cluster. */
int tfp_compute__cluster_post(struct tfp_call *call, const char *op, const char *id);

/**
 * Waits until the cluster is RUNNING. A cluster that ends TERMINATED or in
 * ERROR instead is an error quoting the workspace's state message.
 * *out (may be NULL) gets the last clusters/get reply.
 */
int tfp_compute__cluster_wait_running(struct cJSON **out, struct tfp_call *call,
			      const char *id, long timeout_ms);

/**
 * Waits while the cluster is in a transition (PENDING, RESTARTING,
 * RESIZING, TERMINATING); *out gets the reply that ended the wait.
 */
int tfp_compute__cluster_wait_settled(struct cJSON **out, struct tfp_call *call,
			      const char *id, long timeout_ms);

/**
 * POST clusters/edit with spec (the full cluster spec, cluster_id added
 * here). INVALID_STATE (the cluster is in a transition) is retried after
 * the transition ends, for up to timeout_ms (at most
 * TFP_CLUSTER_EDIT_RETRY_MS).
 */
int tfp_compute__cluster_edit(struct tfp_call *call, const char *id,
		      struct cJSON *spec, long timeout_ms);

/** POST clusters/resize with the size fields (num_workers or autoscale) of spec. */
int tfp_compute__cluster_resize(struct tfp_call *call, const char *id,
			const struct cJSON *spec);

/** Whether the cluster is pinned (one cached list of pinned clusters per
 * provider process, refreshed after any write to the Clusters API). */
int tfp_compute__cluster_is_pinned(bool *out, struct tfp_call *call, const char *id);

/**
 * The cluster's libraries as a value of set_type (the library block):
 * what libraries/cluster-status lists for it, without the ones marked for
 * removal at the next restart, the ones installed on all clusters, and the
 * ones that failed (so a failed library is planned again).
 */
int tfp_compute__cluster_libraries_read(struct tfp_value **out, struct tfp_call *call,
				const struct tfp_type *set_type,
				const char *id);

/**
 * Installs the libraries of want that have is not in have and uninstalls
 * the ones of have not in want (both known sets of library objects, or
 * null). Neither call restarts the cluster or starts a terminated one.
 * *installed says whether anything was installed.
 */
int tfp_compute__cluster_libraries_change(bool *installed, struct tfp_call *call,
				  const char *id, const struct tfp_value *have,
				  const struct tfp_value *want);

/**
 * Waits until no library of the cluster is pending, resolving or
 * installing. Failed libraries are an error naming each with the
 * workspace's message.
 */
int tfp_compute__cluster_libraries_wait(struct tfp_call *call, const char *id,
				long timeout_ms);

/* --- pure functions ------------------------------------------------------- */

/**
 * The object a state is read from, built from a clusters/get reply (a new
 * tree; the caller deletes it): the user's own maps from "spec" (so tags
 * and Spark settings a cluster policy adds are not drift), num_workers
 * left out when the cluster autoscales and 0 when absent otherwise.
 */
struct cJSON *tfp_compute__cluster_state_json(const struct cJSON *details);

/** True when two data_security_mode values mean the same access mode
 * (the workspace answers SINGLE_USER for DATA_SECURITY_MODE_DEDICATED...). */
bool tfp_compute__cluster_same_access_mode(const char *a, const char *b);

/** True for the states a cluster only passes through. */
bool tfp_compute__cluster_transitional(const char *state);

/* === node type and Spark version selection =========================== */

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
