/*
 * What the Clusters API needs from the Instance Pools API (pools.c).
 */
#ifndef EMU_POOLS_H
#define EMU_POOLS_H

struct emu_workspace;

/**
 * The node_type_id of the workspace's pool with this id (borrowed, valid
 * until the pool changes), or NULL when there is no such pool.
 */
const char *emu_pools_node_type(struct emu_workspace *ws, const char *pool_id);

#endif
