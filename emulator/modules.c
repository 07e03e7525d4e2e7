/*
 * The list of emulated APIs (module.h). To add one, write emulator/<family>/<api>.c
 * ending with `const struct emu_module emu_module_<api>`, and declare and
 * list it here. Order matters only when two patterns match the
 * same path: the earlier module wins.
 */
#include "module.h"

extern const struct emu_module emu_module_identity;
extern const struct emu_module emu_module_scim;
extern const struct emu_module emu_module_scim_control;
extern const struct emu_module emu_module_sp_secrets;
extern const struct emu_module emu_module_oauth;
extern const struct emu_module emu_module_tokens;
extern const struct emu_module emu_module_permissions;
extern const struct emu_module emu_module_secrets;
extern const struct emu_module emu_module_jobs;
extern const struct emu_module emu_module_uc;
extern const struct emu_module emu_module_clusters;
extern const struct emu_module emu_module_policies;
extern const struct emu_module emu_module_pools;
extern const struct emu_module emu_module_account;
extern const struct emu_module emu_module_dbfs;
extern const struct emu_module emu_module_init_scripts;
extern const struct emu_module emu_module_workspace;
extern const struct emu_module emu_module_sql_warehouses;
extern const struct emu_module emu_module_sql_statements;
extern const struct emu_module emu_module_pipelines;
extern const struct emu_module emu_module_settings;
extern const struct emu_module emu_module_azure;
extern const struct emu_module emu_module_google;
extern const struct emu_module emu_module_github;
extern const struct emu_module emu_module_oidc_federation;

/* One module per line, whatever the count. */
/* clang-format off */
const struct emu_module *const emu_modules[] = {
	&emu_module_clusters, /* before control: /_emulator/clusters/ */
	&emu_module_account, /* before control: /_emulator/accounts/ */
	&emu_module_scim_control, /* before control: /_emulator/scim/ */
	&emu_module_settings, /* before control: /_emulator/settings/ */
	&emu_module_azure, /* before control: /_emulator/azure */
	&emu_module_google, /* before control: /_emulator/google */
	&emu_module_github, /* before control: /_emulator/github */
	&emu_module_oidc_federation, /* before control: /_emulator/oidc/ */
	&emu_module_control,
	&emu_module_identity, /* /Me, before scim's {kind} routes */
	&emu_module_scim,
	&emu_module_sp_secrets,
	&emu_module_oauth,
	&emu_module_tokens,
	&emu_module_permissions,
	&emu_module_secrets,
	&emu_module_jobs,
	&emu_module_uc,
	&emu_module_policies,
	&emu_module_pools,
	&emu_module_dbfs,
	&emu_module_init_scripts,
	&emu_module_workspace,
	&emu_module_sql_warehouses,
	&emu_module_sql_statements,
	&emu_module_pipelines,
	NULL,
};
/* clang-format on */
