resource "databricks_git_credential" "ci" {
  git_provider          = "gitHub"
  git_username          = "ci-bot"
  personal_access_token = var.github_token
}
