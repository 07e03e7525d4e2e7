/*
 * What the composition root (main.c) sets on the emulated Account API
 * before serving: the account id clients must name in
 * /api/2.0/accounts/{account_id}/... (--account-id) and how long a new
 * workspace stays PROVISIONING (--workspace-provision-ms). Every account
 * state made afterwards (start-up, /_emulator/reset) copies them. Other
 * families read the account id through emu_account_id (the account's
 * OAuth token endpoint, identity/oauth.c).
 */
#ifndef EMU_ACCOUNT_H
#define EMU_ACCOUNT_H

#include <stdint.h>

#define EMU_ACCOUNT_DEFAULT_ID		 "00000000-0000-4000-8000-000000000001"
#define EMU_ACCOUNT_DEFAULT_PROVISION_MS 300
/* Largest --workspace-provision-ms: one day. */
#define EMU_ACCOUNT_MAX_PROVISION_MS 86400000LL

/**
 * Sets the account id (copied; NULL keeps the current one) and the
 * provisioning delay (< 0 keeps the current one). Call before serving
 * requests: it writes process-wide defaults without locking.
 */
void emu_account_set_defaults(const char *account_id, int64_t provision_ms);

struct emu_workspace;

/** The account id ws serves (lock held; borrowed from its state). */
const char *emu_account_id(struct emu_workspace *ws);

#endif
