/*
 * terraform-provider-databricks: Terraform launches this binary and talks
 * to it over gRPC. Everything happens in tfp_plugin_serve().
 */
#include "plugin.h"

int main(int argc, char **argv)
{
	return tfp_plugin_serve(argc, argv);
}
