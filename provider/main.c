/*
 * terraform-provider-databricks: Terraform launches this binary and talks
 * to it over gRPC.
 *
 * The composition root, and not part of the framework library: it hands
 * the Databricks provider's definition (resources/databricks.h) to the
 * framework's serve function, which does everything else.
 */
#include "databricks.h"
#include "plugin.h"

int main(int argc, char **argv)
{
	return tfp_plugin_serve(&tfp_databricks_provider, argc, argv);
}
