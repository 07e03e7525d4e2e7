/*
 * terraform-provider-databricks: Terraform launches this binary and talks
 * to it over gRPC.
 *
 * The composition root, and not part of the framework library: it hands
 * the Databricks provider's definition (resources/databricks.h) to the
 * framework's serve function, which does everything else. A person who
 * runs `terraform-provider-databricks exporter ...` gets the exporter
 * (exporter/) instead; nothing else changes the plugin path.
 */
#include <string.h>
#include "databricks.h"
#include "exporter.h"
#include "plugin.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exporter") == 0)
		return tfp_exporter_main(argc - 2, argv + 2);
	return tfp_plugin_serve(&tfp_databricks_provider, argc, argv);
}
