data "databricks_group" "admins" {
  display_name = "admins"
}

output "admin_users" {
  value = data.databricks_group.admins.users
}
