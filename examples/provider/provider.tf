provider "databricks" {
  host  = "https://dbc-1234.cloud.databricks.com"
  token = var.databricks_token
}

variable "databricks_token" {
  type      = string
  sensitive = true
}
