#!/usr/bin/env bash
# The cluster spec attributes of the official schema beyond the everyday
# ones round-trip through the emulator and plan clean, on a cluster and
# on a job cluster: gp3 EBS settings, S3 encryption and ACL settings of
# init scripts and log delivery, abfss and gcs init scripts, NFS mounts,
# workload_type, azure_attributes with Log Analytics, gcp_attributes and
# remote disks, and provider_config.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 100

config_text <<'EOF_TF'
locals {
  spark = "15.4.x-scala2.12"
}
resource "databricks_cluster" "aws" {
  cluster_name            = "aws-extras"
  spark_version           = local.spark
  node_type_id            = "i3.xlarge"
  num_workers             = 1
  autotermination_minutes = 20
  aws_attributes {
    ebs_volume_type       = "GENERAL_PURPOSE_SSD"
    ebs_volume_count      = 1
    ebs_volume_size       = 100
    ebs_volume_iops       = 3000
    ebs_volume_throughput = 125
  }
  init_scripts {
    s3 {
      destination       = "s3://scripts/init.sh"
      region            = "us-west-2"
      enable_encryption = true
      encryption_type   = "sse-kms"
      kms_key           = "arn:aws:kms:us-west-2:123456789012:key/abc"
      canned_acl        = "bucket-owner-full-control"
    }
  }
  init_scripts {
    abfss {
      destination = "abfss://scripts@account.dfs.core.windows.net/init.sh"
    }
  }
  init_scripts {
    gcs {
      destination = "gs://scripts/init.sh"
    }
  }
  cluster_log_conf {
    s3 {
      destination = "s3://logs/clusters"
      region      = "us-west-2"
      endpoint    = "https://s3.us-west-2.amazonaws.com"
    }
  }
  cluster_mount_info {
    local_mount_dir_path  = "/mnt/shared"
    remote_mount_dir_path = "/exports/shared"
    network_filesystem_info {
      server_address = "10.0.0.5"
      mount_options  = "sync"
    }
  }
  workload_type {
    clients {
      jobs      = true
      notebooks = false
    }
  }
  provider_config {
    workspace_id = "1234567890"
  }
}
resource "databricks_cluster" "azure" {
  cluster_name            = "azure-extras"
  spark_version           = local.spark
  node_type_id            = "i3.xlarge"
  num_workers             = 1
  autotermination_minutes = 20
  azure_attributes {
    availability       = "SPOT_WITH_FALLBACK_AZURE"
    first_on_demand    = 1
    spot_bid_max_price = -1
    log_analytics_info {
      log_analytics_workspace_id = "la-workspace"
      log_analytics_primary_key  = "la-key"
    }
  }
}
resource "databricks_cluster" "gcp" {
  cluster_name                   = "gcp-extras"
  spark_version                  = local.spark
  node_type_id                   = "i3.xlarge"
  num_workers                    = 1
  autotermination_minutes        = 20
  remote_disk_throughput         = 250
  total_initial_remote_disk_size = 500
  gcp_attributes {
    availability           = "PREEMPTIBLE_WITH_FALLBACK_GCP"
    boot_disk_size         = 100
    google_service_account = "etl@project.iam.gserviceaccount.com"
    local_ssd_count        = 1
    zone_id                = "HA"
  }
}
resource "databricks_job" "j" {
  name = "extras"
  task {
    task_key = "t"
    notebook_task {
      notebook_path = "/Shared/t"
    }
    new_cluster {
      spark_version = local.spark
      node_type_id  = "i3.xlarge"
      num_workers   = 1
      aws_attributes {
        ebs_volume_iops = 3000
      }
      init_scripts {
        gcs {
          destination = "gs://scripts/init.sh"
        }
      }
      workload_type {
        clients {
          jobs = true
        }
      }
    }
  }
}
output "aws_id" { value = databricks_cluster.aws.id }
EOF_TF
apply_clean
tf output -raw aws_id
api GET "/api/2.1/clusters/get?cluster_id=$(cat "$WORK/last.out")" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["aws_attributes"]["ebs_volume_iops"] == 3000, c["aws_attributes"]
assert c["init_scripts"][0]["s3"]["canned_acl"] == "bucket-owner-full-control", c["init_scripts"]
assert c["init_scripts"][1]["abfss"]["destination"].startswith("abfss://"), c["init_scripts"]
assert c["cluster_mount_info"][0]["network_filesystem_info"]["server_address"] == "10.0.0.5", c
assert c["workload_type"]["clients"] == {"jobs": True, "notebooks": False}, c["workload_type"]
assert "provider_config" not in c, "provider_config reached the workspace"' ||
	fail "the cluster's spec in the workspace"
ok "every cluster spec attribute of the official schema round-trips and plans clean"

done_testing
