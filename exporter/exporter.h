/*
 * `terraform-provider-databricks exporter`: writes a workspace's objects
 * as Terraform configuration that plans clean (only imports) on the first
 * try. provider/main.c calls it when argv[1] is "exporter"; the plugin
 * path is unchanged.
 */
#ifndef TFP_EXPORTER_H
#define TFP_EXPORTER_H

/** Runs the exporter with the arguments after "exporter"; an exit code. */
int tfp_exporter_main(int argc, char **argv);

#endif
