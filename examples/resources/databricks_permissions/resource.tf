resource "databricks_permissions" "job_usage" {
  job_id = databricks_job.this.id

  access_control {
    group_name       = "data-engineers"
    permission_level = "CAN_MANAGE_RUN"
  }
  access_control {
    user_name        = "alice@example.com"
    permission_level = "CAN_VIEW"
  }
}

resource "databricks_permissions" "token_usage" {
  authorization = "tokens"

  access_control {
    group_name       = "data-engineers"
    permission_level = "CAN_USE"
  }
}
