/*
 * What the identity family's modules share among themselves: the SCIM
 * view of /Me (identity.c) and the tokens made on behalf of service
 * principals (tokens.c) must name a service principal by the same id, and
 * the Token API asks the Permissions API (permissions.c) who may use
 * tokens.
 */
#ifndef EMU_IDENTITY_INTERNAL_H
#define EMU_IDENTITY_INTERNAL_H

#include <stdbool.h>

/**
 * The SCIM id (16 decimal digits, stable) of the service principal with
 * application_id, which the caller frees.
 */
char *emu_identity_principal_id(const char *application_id);

struct emu_workspace;

/**
 * May principal (a userName or an applicationId) make personal access
 * tokens in ws? Admins always may; others once the tokens ACL of the
 * Permissions API (permissions.c) is set only when it gives them, or a
 * group they are in, CAN_USE or CAN_MANAGE.
 */
bool emu_permissions_may_use_tokens(struct emu_workspace *ws,
				    const char *principal);

#endif
