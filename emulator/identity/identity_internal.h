/*
 * What the identity family's modules share among themselves: the SCIM
 * view of /Me (identity.c) and the tokens made on behalf of service
 * principals (tokens.c) must name a service principal by the same id.
 */
#ifndef EMU_IDENTITY_INTERNAL_H
#define EMU_IDENTITY_INTERNAL_H

/**
 * The SCIM id (16 decimal digits, stable) of the service principal with
 * application_id, which the caller frees.
 */
char *emu_identity_principal_id(const char *application_id);

#endif
