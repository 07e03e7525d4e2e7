/*
 * The Clusters API's interface to the other emulator families: whether a
 * cluster exists and who created it. The Permissions API (permissions.c
 * in identity/) asks, as a cluster's ACL lives and dies with the cluster
 * and its creator holds CAN_MANAGE on it from the start. The Jobs API
 * checks its job clusters' cloud blocks here.
 *
 * Expects the workspace lock held (module.h: handlers run under it).
 */
#ifndef EMU_CLUSTERS_H
#define EMU_CLUSTERS_H

#include <cjson/cJSON.h>

struct emu_response;
struct emu_workspace;

/**
 * The creator_user_name of cluster id in ws, borrowed until the next
 * write to the Clusters API; NULL when ws has no such cluster (never
 * created, or permanently deleted).
 */
const char *emu_clusters_creator(struct emu_workspace *ws, const char *id);

/**
 * Checks the cloud attributes blocks of a cluster spec (a job cluster's
 * new_cluster) against ws's --cloud, as clusters/create does: on a strict
 * workspace another cloud's block is 400 INVALID_PARAMETER_VALUE
 * "aws_attributes can only be specified for clusters running in AWS", and
 * the own block's availability must be the cloud's. Returns 0 (always,
 * when ws is not strict), or -1 after writing the error into resp.
 */
int emu_clusters_check_cloud(struct emu_workspace *ws, const cJSON *spec,
			     struct emu_response *resp);

#endif
