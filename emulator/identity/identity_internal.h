/*
 * What the identity family's modules share among themselves: the SCIM
 * view of /Me (identity.c) and the tokens made on behalf of service
 * principals (tokens.c) must name a service principal by the same id;
 * the token endpoint (oauth.c) accepts the secrets of sp_secrets.c.
 */
#ifndef EMU_IDENTITY_INTERNAL_H
#define EMU_IDENTITY_INTERNAL_H

/**
 * The SCIM id (16 decimal digits, stable) of the service principal with
 * application_id, which the caller frees.
 */
char *emu_identity_principal_id(const char *application_id);

#include <stdbool.h>

struct emu_workspace;

/**
 * Is secret an OAuth secret (sp_secrets.c) of the service principal with
 * application_id in ws, not deleted and not expired?
 */
bool emu_sp_secret_valid(struct emu_workspace *ws, const char *application_id,
			 const char *secret);

#endif
