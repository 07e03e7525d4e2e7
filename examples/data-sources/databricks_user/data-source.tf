data "databricks_user" "me" {
  user_name = "me@example.com"
}

output "home" {
  value = data.databricks_user.me.home
}
