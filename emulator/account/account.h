/*
 * What the composition root (main.c) sets on the emulated Account API
 * before serving: how long a new workspace stays PROVISIONING
 * (--workspace-provision-ms). Every account
 * state made afterwards (start-up, /_emulator/reset) copies them.
 */
#ifndef EMU_ACCOUNT_H
#define EMU_ACCOUNT_H

#include <stdint.h>

#define EMU_ACCOUNT_DEFAULT_PROVISION_MS 300
/* Largest --workspace-provision-ms: one day. */
#define EMU_ACCOUNT_MAX_PROVISION_MS 86400000LL

/**
 * Sets the provisioning delay (< 0 keeps the current one). Call before
 * serving requests: it writes a process-wide default without locking.
 * The account id is the workspace's (emu_workspace_options.account_id).
 */
void emu_account_set_defaults(int64_t provision_ms);

#endif
