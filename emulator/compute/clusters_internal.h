/*
 * Internals of the emulated Clusters and Libraries APIs, shared by their
 * four files and used nowhere else, except emu_clusters_set_defaults()
 * (main.c applies --cluster-start-ms and friends through it):
 *
 *   clusters.c          the clusters/... handlers, events, the test
 *                       controls under /_emulator/clusters/, the route
 *                       table (libraries and catalogue routes included)
 *   clusters_state.c    cluster objects: ids, the lazy state machine,
 *                       events, the ClusterDetails view, --state
 *   clusters_catalog.c  the spark-versions, node-types and zones
 *                       catalogues, and the checks of a cluster spec
 *                       against them
 *   libraries.c         libraries/...: install, uninstall, statuses
 *
 * Both APIs are one module ("clusters"), because libraries live and die
 * with their cluster. Everything runs with the workspace lock held
 * (module.h).
 *
 * Time: there is no background thread. A cluster in a transitional state
 * (PENDING, RESTARTING, RESIZING, TERMINATING) carries the workspace-clock
 * time at which that state ends; clusters_advance() applies every
 * transition that is due before a handler looks at the cluster, so a read
 * at time T sees exactly what a real workspace would show at T.
 */
#ifndef EMU_CLUSTERS_INTERNAL_H
#define EMU_CLUSTERS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "workspace.h"

struct emu_request;
struct emu_response;

/* --- the part main.c uses ------------------------------------------------- */

/* How long the transitional states last, in workspace-clock milliseconds. */
struct emu_clusters_delays {
	int64_t start_ms;	    /* PENDING and RESTARTING */
	int64_t resize_ms;	    /* RESIZING */
	int64_t terminate_ms;	    /* TERMINATING */
	int64_t library_install_ms; /* PENDING -> INSTALLING -> INSTALLED */
};

#define EMU_CLUSTERS_DEFAULT_START_MS	  3000
#define EMU_CLUSTERS_DEFAULT_RESIZE_MS	  1000
#define EMU_CLUSTERS_DEFAULT_TERMINATE_MS 1000
#define EMU_CLUSTERS_DEFAULT_LIBRARY_MS	  1000
/* Largest delay accepted anywhere: one day. */
#define EMU_CLUSTERS_MAX_DELAY_MS 86400000LL

/**
 * Sets the delays every new clusters state starts with (the command-line
 * values; /_emulator/reset returns to them). Call before serving requests:
 * it writes a process-wide default without locking.
 */
void emu_clusters_set_defaults(const struct emu_clusters_delays *d);

/* --- clusters ------------------------------------------------------------- */

/* Emulator-only caps, so a long-running emulator keeps bounded memory. */
#define CLUSTERS_MAX		  1000
#define CLUSTERS_MAX_EVENTS	  1000 /* per cluster; the oldest go first */
#define CLUSTERS_MAX_LIBRARIES	  1000 /* per cluster */
#define CLUSTERS_MAX_SPEC_BYTES	  ((size_t)256 * 1024 * 1024)
#define CLUSTERS_MAX_CUSTOM_TAGS  45
#define CLUSTERS_MAX_SSH_KEYS	  10
#define CLUSTERS_MAX_INIT_SCRIPTS 10
#define CLUSTERS_MAX_NUM_WORKERS  100000
#define CLUSTERS_MAX_CLUSTER_NAME 100

enum clusters_state_id {
	CL_PENDING = 0,
	CL_RUNNING,
	CL_RESTARTING,
	CL_RESIZING,
	CL_TERMINATING,
	CL_TERMINATED,
	CL_ERROR,
	CL_NSTATES,
};

struct cl_event {
	int64_t timestamp;
	const char *type; /* static: "CREATING", "RUNNING", ... */
	cJSON *details;	  /* object, owned */
};

struct cl_library {
	char *key;	/* canonical JSON of library: identity */
	cJSON *library; /* normalised Library object */
	int64_t added;	/* install request time */
	bool uninstall; /* UNINSTALL_ON_RESTART */
};

struct cl_cluster {
	char *id;
	char *creator;
	cJSON *spec;  /* the last user spec; integers as exact raw nodes */
	/* What the cluster policy fixed in custom_tags, spark_conf and
	 * spark_env_vars at the last create or edit (policies.h); shown in
	 * the cluster's details but not in its spec. NULL: no policy. */
	cJSON *policy_maps;
	size_t bytes; /* printed size of spec, for CLUSTERS_MAX_SPEC_BYTES */
	uint64_t seq; /* creation order */
	int state;    /* enum clusters_state_id */
	int64_t phase_end; /* when the current transitional state ends */
	int64_t start_time;
	int64_t terminated_time;     /* 0 until TERMINATED */
	int64_t last_restarted_time; /* 0 until the driver first runs */
	int64_t running_since; /* driver start, for libraries; -1: not up */
	int64_t spark_context_id;
	int64_t resize_from; /* workers before a resize */
	bool pinned;
	char *message; /* state_message while TERMINATING/ED, ERROR */
	cJSON *termination_reason; /* while TERMINATING/TERMINATED/ERROR */
	int fail_state; /* armed failure: CL_ERROR, CL_TERMINATED, 0 */
	char *fail_message;
	struct cl_event *events; /* oldest first */
	size_t nevents;
	struct cl_library *libs; /* install order */
	size_t nlibs;
};

struct clusters_state {
	struct cl_cluster **clusters; /* creation order */
	size_t nclusters;
	size_t spec_bytes;
	struct emu_clusters_delays delays;
	uint64_t rng;
	uint64_t next_seq;
	/* POST /_emulator/clusters/fail-next-start */
	bool fail_armed;
	int fail_state;
	char *fail_message;
	char *fail_cluster_id; /* NULL: any cluster */
};

/* The state names as the API spells them ("PENDING"), by state. */
extern const char *const clusters_state_names[CL_NSTATES];

/** The state name as the API spells it ("PENDING"). */
const char *clusters_state_name(int state);
/** The state with that API name, or -1. */
int clusters_state_lookup(const char *name);

/* The module's state functions (module.h), for its descriptor. */
void *clusters_state_new(void);
void clusters_state_free(void *state);
cJSON *clusters_state_save(const void *state);
int clusters_state_load(void *state, const cJSON *json, char *err,
			size_t errlen);

/** The cluster with id, or NULL (no clock advance). */
struct cl_cluster *clusters_find(const struct clusters_state *st,
				 const char *id);

/**
 * Adds a new cluster with spec (taken, from clusters_spec_from) created by
 * creator at now, with a fresh id, in no state yet (the caller starts it).
 * Returns it, or NULL after writing the error (a limit) into resp.
 */
struct cl_cluster *clusters_insert(struct clusters_state *st, cJSON *spec,
				   const char *creator, int64_t now,
				   struct emu_response *resp);
/** Removes and frees c (permanent-delete), libraries and events too. */
void clusters_remove(struct clusters_state *st, struct cl_cluster *c);

/**
 * Replaces c's spec with spec (taken), within CLUSTERS_MAX_SPEC_BYTES.
 * Returns 0, or -1 after writing the error (spec is then freed).
 */
int clusters_spec_set(struct clusters_state *st, struct cl_cluster *c,
		      cJSON *spec, struct emu_response *resp);
/** The workers a spec asks for (with autoscale, min_workers). */
int64_t clusters_target_workers(const cJSON *spec);

/** Records an event (details taken; NULL: {}); the oldest go past the cap. */
void clusters_event_add(struct cl_cluster *c, int64_t ts, const char *type,
			cJSON *details);
/** Event details {"user": user}. */
cJSON *clusters_user_details(const char *user);
/** Event details {current_num_workers, target_num_workers}. */
cJSON *clusters_workers_details(int64_t current, int64_t target);

/* Transitions started by a request at now. */
void clusters_begin_pending(struct clusters_state *st, struct cl_cluster *c,
			    int64_t now);
void clusters_begin_restarting(struct clusters_state *st, struct cl_cluster *c,
			       int64_t now, const char *user);
void clusters_begin_terminating(struct clusters_state *st, struct cl_cluster *c,
				int64_t now, const char *user);

/** 400 INVALID_STATE "Cluster <id> is in unexpected state Pending.". */
int clusters_invalid_state(struct emu_response *resp,
			   const struct cl_cluster *c);
/** ClusterDetails of c in a workspace of cloud (the *_attributes it
 * fills); with_spec adds "spec" (get, not list). */
cJSON *clusters_details_json(const struct cl_cluster *c, enum emu_cloud cloud,
			     bool with_spec);
/** Forgets an armed fail-next-start. */
void clusters_fail_disarm(struct clusters_state *st);

/**
 * The cluster named by the request's cluster_id argument, brought up to
 * the workspace clock; NULL after writing the error (missing argument, or
 * 400 INVALID_PARAMETER_VALUE "Cluster <id> does not exist").
 */
struct cl_cluster *clusters_arg(struct emu_request *req,
				struct emu_response *resp);

/** Applies every transition of c due at or before now. */
void clusters_advance(struct clusters_state *st, struct cl_cluster *c,
		      int64_t now);

/* --- the catalogues (clusters_catalog.c) ---------------------------------- */

struct cl_node_type {
	const char *id;
	int64_t memory_mb;
	int num_cores;
	int num_gpus;
	const char *category;
	const char *description;
	int local_disks; /* NVMe instance-store disks */
	int local_disk_gb;
	bool graviton;
	bool photon;
	bool deprecated;
	bool hidden;
	bool nvme;     /* non-AWS tables: the local disks are NVMe */
	bool io_cache; /* the disk cache is on by default */
};

/** The node type with id in cloud's catalogue, or NULL. */
const struct cl_node_type *clusters_node_type(enum emu_cloud cloud,
					      const char *id);
/** The zone list-zones names default_zone in cloud ("us-west-2a"). */
const char *clusters_default_zone(enum emu_cloud cloud);

/**
 * Checks a cluster spec (create, edit, or the result of an update) for
 * types and against cloud's catalogue; strict (emu_workspace_cloud_strict)
 * also refuses another cloud's *_attributes. Returns 0, or -1 after
 * writing a 400 INVALID_PARAMETER_VALUE into resp.
 */
int clusters_check_spec(const cJSON *spec, enum emu_cloud cloud, bool strict,
			struct emu_response *resp);
/**
 * A stored spec from a request object (create or edit body, a merged
 * update): a copy without cluster_id and null members, integers as exact
 * raw nodes (one of magnitude 2^53 or more, or infinite, is a 400),
 * checked by clusters_check_spec. NULL after writing the error.
 */
cJSON *clusters_spec_from(const cJSON *obj, enum emu_cloud cloud, bool strict,
			  struct emu_response *resp);
/** clusters_spec_from with the cloud of the request's workspace. */
cJSON *clusters_spec_of(const struct emu_request *req, const cJSON *obj,
			struct emu_response *resp);

void clusters_spark_versions(struct emu_request *req,
			     struct emu_response *resp);
void clusters_list_node_types(struct emu_request *req,
			      struct emu_response *resp);
void clusters_list_zones(struct emu_request *req, struct emu_response *resp);

/* --- libraries (libraries.c) ---------------------------------------------- */

/** Frees the libraries of c. */
void clusters_libs_free(struct cl_cluster *c);
/** Drops the libraries marked UNINSTALL_ON_RESTART (a driver restart). */
void clusters_libs_restart(struct cl_cluster *c);
/** The libraries of c for --state, or NULL when it has none. */
cJSON *clusters_libs_save(const struct cl_cluster *c);
/** Loads libraries saved by clusters_libs_save. Returns 0 or -1. */
int clusters_libs_load(struct cl_cluster *c, const cJSON *json, char *err,
		       size_t errlen);

void libraries_install(struct emu_request *req, struct emu_response *resp);
void libraries_uninstall(struct emu_request *req, struct emu_response *resp);
void libraries_cluster_status(struct emu_request *req,
			      struct emu_response *resp);
void libraries_all_statuses(struct emu_request *req, struct emu_response *resp);

#endif
