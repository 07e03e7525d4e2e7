# A data team's access in one plan: two groups, their users and a service
# principal as members, what each may do in the workspace (entitlements),
# and permissions on the team's job, shared cluster, cluster policy and on
# personal access tokens.
#
# Run it against brickform-emulator or a workspace (as an admin) with
# DATABRICKS_HOST and DATABRICKS_TOKEN set.
terraform {
  required_providers {
    databricks = {
      source = "brickform/databricks"
    }
  }
}

provider "databricks" {}

variable "engineers" {
  type    = list(string)
  default = ["alice@example.com", "bob@example.com"]
}

variable "analysts" {
  type    = list(string)
  default = ["carol@example.com"]
}

# --- who --------------------------------------------------------------------

resource "databricks_group" "engineers" {
  display_name               = "Data Engineers"
  allow_cluster_create       = true
  allow_instance_pool_create = true
  databricks_sql_access      = true
  workspace_access           = true
}

resource "databricks_group" "analysts" {
  display_name          = "Analysts"
  databricks_sql_access = true
  workspace_access      = true
}

resource "databricks_user" "engineer" {
  for_each     = toset(var.engineers)
  user_name    = each.value
  display_name = split("@", each.value)[0]
}

resource "databricks_user" "analyst" {
  for_each  = toset(var.analysts)
  user_name = each.value
}

# Runs the nightly job: may create clusters, has no use for the UI.
resource "databricks_service_principal" "etl" {
  display_name         = "etl-runner"
  allow_cluster_create = true
  workspace_access     = false
}

resource "databricks_group_member" "engineers" {
  for_each  = databricks_user.engineer
  group_id  = databricks_group.engineers.id
  member_id = each.value.id
}

resource "databricks_group_member" "analysts" {
  for_each  = databricks_user.analyst
  group_id  = databricks_group.analysts.id
  member_id = each.value.id
}

resource "databricks_group_member" "etl" {
  group_id  = databricks_group.engineers.id
  member_id = databricks_service_principal.etl.id
}

# Everyone in the workspace may use Databricks SQL: the built-in "users"
# group is not Terraform's, so its entitlements are managed on their own.
data "databricks_group" "users" {
  display_name = "users"
}

resource "databricks_entitlements" "workspace_users" {
  group_id              = data.databricks_group.users.id
  workspace_access      = true
  databricks_sql_access = true
}

# --- what they may do ---------------------------------------------------------

resource "databricks_cluster_policy" "team" {
  name = "data team"
  definition = jsonencode({
    "autotermination_minutes" = { type = "range", maxValue = 60, defaultValue = 30 }
    "custom_tags.team"        = { type = "fixed", value = "data" }
  })
}

resource "databricks_cluster" "shared" {
  cluster_name            = "data-team-shared"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "i3.xlarge"
  num_workers             = 1
  autotermination_minutes = 30
}

resource "databricks_job" "nightly" {
  name = "nightly aggregates"
  task {
    task_key            = "aggregate"
    existing_cluster_id = databricks_cluster.shared.id
    notebook_task {
      notebook_path = "/Shared/aggregate"
    }
  }
}

resource "databricks_permissions" "job" {
  job_id = databricks_job.nightly.id

  access_control {
    group_name       = databricks_group.engineers.display_name
    permission_level = "CAN_MANAGE_RUN"
  }
  access_control {
    user_name        = databricks_user.analyst["carol@example.com"].user_name
    permission_level = "CAN_VIEW"
  }
}

resource "databricks_permissions" "cluster" {
  cluster_id = databricks_cluster.shared.id

  access_control {
    group_name       = databricks_group.engineers.display_name
    permission_level = "CAN_RESTART"
  }
  access_control {
    group_name       = databricks_group.analysts.display_name
    permission_level = "CAN_ATTACH_TO"
  }
}

resource "databricks_permissions" "policy" {
  cluster_policy_id = databricks_cluster_policy.team.id

  access_control {
    group_name       = databricks_group.engineers.display_name
    permission_level = "CAN_USE"
  }
}

resource "databricks_permissions" "tokens" {
  authorization = "tokens"

  access_control {
    group_name       = databricks_group.engineers.display_name
    permission_level = "CAN_USE"
  }
  access_control {
    service_principal_name = databricks_service_principal.etl.application_id
    permission_level       = "CAN_USE"
  }
}

output "etl_application_id" {
  value = databricks_service_principal.etl.application_id
}

output "job_id" {
  value = databricks_job.nightly.id
}
