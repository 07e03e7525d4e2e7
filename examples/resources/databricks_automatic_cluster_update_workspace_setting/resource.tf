resource "databricks_automatic_cluster_update_workspace_setting" "this" {
  automatic_cluster_update_workspace {
    enabled = true
    maintenance_window {
      week_day_based_schedule {
        day_of_week = "MONDAY"
        frequency   = "EVERY_WEEK"
        window_start_time {
          hours   = 1
          minutes = 30
        }
      }
    }
  }
}
