/*
 * What the Clusters API needs from the Cluster Policies API (policies.c).
 */
#ifndef EMU_POLICIES_H
#define EMU_POLICIES_H

#include <stdbool.h>

#include <cjson/cJSON.h>

struct emu_workspace;

/** True when the workspace has a cluster policy with this id. */
bool emu_policies_exists(struct emu_workspace *ws, const char *policy_id);

/**
 * The values policy_id fixes in a cluster's maps, as a new object
 * {"custom_tags": {...}, "spark_conf": {...}, "spark_env_vars": {...}}
 * (only the maps it fixes something in); NULL for an unknown policy. The
 * caller deletes it.
 */
cJSON *emu_policies_fixed_maps(struct emu_workspace *ws,
			       const char *policy_id);

#endif
