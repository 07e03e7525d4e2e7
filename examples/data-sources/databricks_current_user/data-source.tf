data "databricks_current_user" "me" {}

output "home" {
  value = data.databricks_current_user.me.home
}

output "acl_principal_id" {
  value = data.databricks_current_user.me.acl_principal_id
}
