data "databricks_users" "company_users" {
  filter           = "userName co \"@example.com\""
  extra_attributes = "emails,active"
}

output "user_names" {
  value = [for u in data.databricks_users.company_users.users : u.user_name]
}
