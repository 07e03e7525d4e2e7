data "databricks_instance_profiles" "all" {}

output "instance_profile_arns" {
  value = [for p in data.databricks_instance_profiles.all.instance_profiles : p.arn]
}
