resource "databricks_sql_global_config" "this" {
  security_policy      = "DATA_ACCESS_CONTROL"
  instance_profile_arn = "arn:aws:iam::123456789012:instance-profile/sql"
  data_access_config = {
    "spark.sql.session.timeZone" : "UTC"
  }
  sql_config_params = {
    "ANSI_MODE" : "true"
  }
}
