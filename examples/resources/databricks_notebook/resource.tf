resource "databricks_notebook" "ingest" {
  source = "${path.module}/notebooks/ingest.py"
  path   = "/Shared/etl/ingest"
}
