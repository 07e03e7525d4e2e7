/*
 * The Clusters API's interface to the other emulator families: whether a
 * cluster exists and who created it. The Permissions API (permissions.c
 * in identity/) asks, as a cluster's ACL lives and dies with the cluster
 * and its creator holds CAN_MANAGE on it from the start.
 *
 * Expects the workspace lock held (module.h: handlers run under it).
 */
#ifndef EMU_CLUSTERS_H
#define EMU_CLUSTERS_H

struct emu_workspace;

/**
 * The creator_user_name of cluster id in ws, borrowed until the next
 * write to the Clusters API; NULL when ws has no such cluster (never
 * created, or permanently deleted).
 */
const char *emu_clusters_creator(struct emu_workspace *ws, const char *id);

#endif
