/*
 * What cluster.c (the databricks_cluster resource) and cluster_api.c (its
 * calls to the Clusters and Libraries APIs, and the waits on the cluster
 * state machine) share, plus the pure functions the unit tests call.
 */
#ifndef TFP_CLUSTER_INTERNAL_H
#define TFP_CLUSTER_INTERNAL_H

#include <stdbool.h>
#include "call.h"

struct cJSON;
struct tfp_type;
struct tfp_value;

/* How long create and update may wait on a cluster unless the timeouts
 * block says otherwise (the official provider's 30 minutes), and how long
 * at most edit retries INVALID_STATE (its 15 minutes). */
#define TFP_CLUSTER_WAIT_MS (30L * 60 * 1000)
#define TFP_CLUSTER_EDIT_RETRY_MS (15L * 60 * 1000)

/* --- calls (cluster_api.c) ------------------------------------------------ */

/** GET clusters/get: TFP_ENOTFOUND (no diagnostic) when the cluster is gone. */
int tfp_cluster__get(struct cJSON **out, struct tfp_call *call,
		     const char *id);

/** POST clusters/<op> (pin, unpin, start, permanent-delete) for one cluster. */
int tfp_cluster__post(struct tfp_call *call, const char *op, const char *id);

/**
 * Waits until the cluster is RUNNING. A cluster that ends TERMINATED or in
 * ERROR instead is an error quoting the workspace's state message.
 * *out (may be NULL) gets the last clusters/get reply.
 */
int tfp_cluster__wait_running(struct cJSON **out, struct tfp_call *call,
			      const char *id, long timeout_ms);

/**
 * Waits while the cluster is in a transition (PENDING, RESTARTING,
 * RESIZING, TERMINATING); *out gets the reply that ended the wait.
 */
int tfp_cluster__wait_settled(struct cJSON **out, struct tfp_call *call,
			      const char *id, long timeout_ms);

/**
 * POST clusters/edit with spec (the full cluster spec, cluster_id added
 * here). INVALID_STATE (the cluster is in a transition) is retried after
 * the transition ends, for up to timeout_ms (at most
 * TFP_CLUSTER_EDIT_RETRY_MS).
 */
int tfp_cluster__edit(struct tfp_call *call, const char *id,
		      struct cJSON *spec, long timeout_ms);

/** POST clusters/resize with the size fields (num_workers or autoscale) of spec. */
int tfp_cluster__resize(struct tfp_call *call, const char *id,
			const struct cJSON *spec);

/** Whether the cluster is pinned (one cached list of pinned clusters per
 * provider process, refreshed after any write to the Clusters API). */
int tfp_cluster__is_pinned(bool *out, struct tfp_call *call, const char *id);

/**
 * The cluster's libraries as a value of set_type (the library block):
 * what libraries/cluster-status lists for it, without the ones marked for
 * removal at the next restart, the ones installed on all clusters, and the
 * ones that failed (so a failed library is planned again).
 */
int tfp_cluster__libraries_read(struct tfp_value **out, struct tfp_call *call,
				const struct tfp_type *set_type,
				const char *id);

/**
 * Installs the libraries of want that have is not in have and uninstalls
 * the ones of have not in want (both known sets of library objects, or
 * null). Neither call restarts the cluster or starts a terminated one.
 * *installed says whether anything was installed.
 */
int tfp_cluster__libraries_change(bool *installed, struct tfp_call *call,
				  const char *id, const struct tfp_value *have,
				  const struct tfp_value *want);

/**
 * Waits until no library of the cluster is pending, resolving or
 * installing. Failed libraries are an error naming each with the
 * workspace's message.
 */
int tfp_cluster__libraries_wait(struct tfp_call *call, const char *id,
				long timeout_ms);

/* --- pure functions ------------------------------------------------------- */

/**
 * The object a state is read from, built from a clusters/get reply (a new
 * tree; the caller deletes it): the user's own maps from "spec" (so tags
 * and Spark settings a cluster policy adds are not drift), num_workers
 * left out when the cluster autoscales and 0 when absent otherwise.
 */
struct cJSON *tfp_cluster__state_json(const struct cJSON *details);

/** True when two data_security_mode values mean the same access mode
 * (the workspace answers SINGLE_USER for DATA_SECURITY_MODE_DEDICATED...). */
bool tfp_cluster__same_access_mode(const char *a, const char *b);

/** True for the states a cluster only passes through. */
bool tfp_cluster__transitional(const char *state);

#endif
