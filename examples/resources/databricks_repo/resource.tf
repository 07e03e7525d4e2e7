resource "databricks_repo" "pipelines" {
  url    = "https://github.com/example/pipelines.git"
  path   = "/Repos/production/pipelines"
  branch = "main"
}
