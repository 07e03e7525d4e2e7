#!/usr/bin/env python3
"""Refreshing `terraform plan` time of one job as its task count grows.

Tasks are keyed (a set of blocks matched by task_key), which Terraform core
handles per element; this shows what that costs, side by side with the
provider's own share (its ReadResource + PlanResourceChange, from the
provider's DEBUG log).

    bench/jobs_plan.py [--tasks 2,50,150] [--runs 3] [--build build]
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import Bench, summary  # noqa: E402

JOB = """
terraform {
  required_providers { databricks = { source = "brickform/databricks" } }
}
provider "databricks" {}
resource "databricks_job" "big" {
  name = "bench-%d-tasks"
  job_cluster {
    job_cluster_key = "c"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 2
    }
  }
  dynamic "task" {
    for_each = range(%d)
    content {
      task_key        = format("t%%03d", task.value)
      job_cluster_key = "c"
      notebook_task { notebook_path = "/Workspace/bench/n${task.value}" }
      dynamic "depends_on" {
        for_each = task.value == 0 ? [] : [task.value - 1]
        content { task_key = format("t%%03d", depends_on.value) }
      }
    }
  }
}
"""


def provider_ms(b, d):
    log = os.path.join(b.work, "p.log")
    env = dict(b.env, TF_LOG_PROVIDER="DEBUG", TF_LOG_PATH=log)
    b.tf(d, "plan", env=env)
    total = 0.0
    for line in open(log):
        m = re.search(r'tf_req_duration_ms=(\d+)', line)
        if m and ("ReadResource" in line or "PlanResourceChange" in line):
            total += int(m.group(1))
    os.remove(log)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default="2,50,150")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    b = Bench(a.build, tempfile.mkdtemp(prefix="brickform-bench."))
    try:
        base = None
        for n in [int(x) for x in a.tasks.split(",")]:
            d = b.config("job%d" % n, JOB % (n, n))
            b.tf(d, "apply", "-auto-approve")
            xs = b.time_plan(d, a.runs)
            med = statistics.median(xs)
            base = base or med
            print(f"{n:4d} tasks: plan {summary(xs)}; ratio to first {med / base:.1f}; "
                  f"provider RPCs {provider_ms(b, d):.0f} ms")
            b.tf(d, "destroy", "-auto-approve")
    finally:
        b.close()


if __name__ == "__main__":
    main()
