data "databricks_group" "admins" {
  display_name = "admins"
}

output "admin_users" {
  value = data.databricks_group.admins.users
}

output "admin_service_principals" {
  value = data.databricks_group.admins.service_principals
}
