resource "databricks_cluster_policy" "team" {
  name = "data team"
  definition = jsonencode({
    "autotermination_minutes" = { type = "fixed", value = 20, hidden = true }
    "custom_tags.Team"        = { type = "fixed", value = "data" }
    "dbus_per_hour"           = { type = "range", maxValue = 10 }
  })
  max_clusters_per_user = 2

  libraries {
    pypi {
      package = "requests==2.31.0"
    }
  }
}
