/*
 * The identity family's interface to the other emulator families: who
 * exists in a workspace's SCIM directory (scim.c) and who is an admin.
 * The Permissions and Token APIs check principals through these.
 *
 * Every function expects the workspace lock held (module.h: handlers run
 * under it) and looks only at workspace ws, the root or a hosted one.
 */
#ifndef EMU_IDENTITY_H
#define EMU_IDENTITY_H

#include <stdbool.h>

#include <cjson/cJSON.h>

struct emu_workspace;

/* The SCIM module: Users, Groups and ServicePrincipals (scim.c). */
extern const struct emu_module emu_module_scim;

/* Ids of the built-in groups every workspace starts with. */
#define EMU_SCIM_ADMINS_ID "4200000000000100"
#define EMU_SCIM_USERS_ID  "4200000000000101"

/** Is there a user with this userName (ASCII case ignored) in ws? */
bool emu_scim_user_exists(struct emu_workspace *ws, const char *user_name);
/** Is there a group with this displayName in ws? */
bool emu_scim_group_exists(struct emu_workspace *ws, const char *display_name);
/** Is there a service principal with this applicationId in ws? */
bool emu_scim_sp_exists(struct emu_workspace *ws, const char *application_id);
/**
 * The directory's spelling of the user user_name (ASCII case ignored), or
 * NULL when ws has none; *display_name gets its displayName (NULL when it
 * has none). Both are borrowed until the next write to the directory.
 */
const char *emu_scim_user_name(struct emu_workspace *ws, const char *user_name,
			       const char **display_name);
/** The same for the service principal with application_id. */
const char *emu_scim_sp_name(struct emu_workspace *ws,
			     const char *application_id,
			     const char **display_name);
/**
 * Is principal (a userName, an applicationId or a group's displayName) in
 * the admins group of ws, directly or through a group that is?
 */
bool emu_scim_is_admin(struct emu_workspace *ws, const char *principal);

/**
 * Is principal (a userName, an applicationId or a group's displayName) in
 * the group named group_name in ws, directly or through a group that is?
 */
bool emu_scim_in_group(struct emu_workspace *ws, const char *principal,
		       const char *group_name);

/**
 * The SCIM view of principal (a userName or an applicationId) as /Me shows
 * it, as a new object, or NULL when ws's directory has no such principal.
 */
cJSON *emu_scim_me(struct emu_workspace *ws, const char *principal);

/**
 * Removes from obj every top-level member that SCIM's attributes= and
 * excludedAttributes= (comma-separated, either may be NULL or empty) leave
 * out; id and schemas always stay, as the service always returns them.
 */
void emu_scim_project(cJSON *obj, const char *attributes, const char *excluded);

/**
 * The applicationId of the service principal whose SCIM id is id in ws,
 * or NULL when there is none (a pointer into the directory, valid until
 * the next change).
 */
const char *emu_scim_sp_application_id(struct emu_workspace *ws,
				       const char *id);

/**
 * Is secret an OAuth secret (sp_secrets.c) of the service principal with
 * application_id in ws, not deleted and not expired? The token endpoint
 * (oauth.c) takes it as that principal's client secret.
 */
bool emu_sp_secret_valid(struct emu_workspace *ws, const char *application_id,
			 const char *secret);

#endif
