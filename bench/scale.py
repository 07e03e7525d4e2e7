#!/usr/bin/env python3
"""Refresh at workspace scale: terraform plan of N objects per family.

For each family, N objects are applied against a fresh brickform-emulator
(through terraform, with the provider's rate limit raised so the set-up is
quick); then `terraform plan` runs with the provider's default client rate
limit (15 requests a second, the official provider's), side by side with
the same plan of N terraform_data resources (what Terraform itself costs,
no provider). Reported per family: both plan times and their ratio, the
REST calls the plan made (from the emulator's request counts), and the
provider's peak RSS (its own VmHWM, logged at exit at DEBUG level).

The small-in-large case: 3 managed jobs in a workspace of --large jobs
made by REST (as colleagues' jobs would be): the calls their refresh makes.

    bench/scale.py [--n 1000] [--scopes 200] [--large 5000]
                   [--families jobs,clusters,catalogs,schemas,users,scopes]
                   [--build build] [--runs 3]
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import Bench  # noqa: E402

HEAD = """
terraform {
  required_providers { databricks = { source = "brickform/databricks" } }
}
variable "rate" {
  type    = number
  default = null
}
provider "databricks" {
  rate_limit = var.rate
}
"""

FAMILIES = {
    "jobs": """
resource "databricks_job" "j" {
  count = %(n)d
  name  = "etl-${count.index}"
  job_cluster {
    job_cluster_key = "c"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 2
    }
  }
  task {
    task_key        = "ingest"
    job_cluster_key = "c"
    notebook_task { notebook_path = "/Workspace/etl/ingest" }
  }
}
""",
    "clusters": """
resource "databricks_cluster" "c" {
  count                   = %(n)d
  cluster_name            = "team-${count.index}"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "i3.xlarge"
  num_workers             = 1
  autotermination_minutes = 30
  library {
    pypi { package = "requests==2.32.3" }
  }
}
""",
    "catalogs": """
resource "databricks_catalog" "c" {
  count         = %(n)d
  name          = "team_${count.index}"
  comment       = "team catalog"
  force_destroy = true
}
""",
    "schemas": """
resource "databricks_catalog" "lake" {
  name          = "lake"
  force_destroy = true
}
resource "databricks_schema" "s" {
  count        = %(n)d
  catalog_name = databricks_catalog.lake.name
  name         = "layer_${count.index}"
}
""",
    "users": """
resource "databricks_user" "u" {
  count     = %(n)d
  user_name = "user${count.index}@example.com"
}
""",
    "scopes": """
resource "databricks_secret_scope" "s" {
  count = %(n)d
  name  = "team-${count.index}"
}
""",
}

BASELINE = """
resource "terraform_data" "d" {
  count = %(n)d
  input = "object-${count.index}"
}
"""


class Scale(Bench):
    pass


def calls_during(b, fn):
    before = b.counts()
    fn()
    after = b.counts()
    return {k: after[k] - before.get(k, 0) for k in after
            if after[k] != before.get(k, 0) and not k.startswith("GET /_emulator")}


def family(a, name, n, work):
    # A workspace whose clusters and libraries settle at once.
    b = Scale(a.build, os.path.join(work, name),
              ("--cluster-start-ms", "0", "--library-install-ms", "0"))
    try:
        d = b.config("managed", HEAD + FAMILIES[name] % {"n": n})
        fast = dict(b.env, TF_VAR_rate="1000")
        t0 = time.perf_counter()
        b.tf(d, "apply", "-auto-approve", "-parallelism=20", env=fast)
        setup = time.perf_counter() - t0
        base = b.config("baseline", BASELINE % {"n": n})
        b.tf(base, "apply", "-auto-approve")
        calls = calls_during(b, lambda: b.tf(d, "plan", "-detailed-exitcode"))
        tp = b.time_plan(d, a.runs)
        tb = b.time_plan(base, a.runs)
        rss = b.peak_rss_kb(d)
        return {"family": name, "n": n, "setup_s": round(setup, 1),
                "plan_ms": statistics.median(tp), "baseline_ms": statistics.median(tb),
                "ratio": statistics.median(tp) / statistics.median(tb),
                "calls": sum(calls.values()), "by_path": calls, "rss_kb": rss}
    finally:
        b.close()


def small_in_large(a, work):
    b = Scale(a.build, os.path.join(work, "large"))
    try:
        for i in range(a.large):
            b.api("POST", "/api/2.2/jobs/create", {
                "name": "colleague-%d" % i,
                "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/x"},
                           "existing_cluster_id": "0101-000000-abcdefgh"}]})
        d = b.config("managed", HEAD + FAMILIES["jobs"] % {"n": 3})
        b.tf(d, "apply", "-auto-approve")
        calls = calls_during(b, lambda: b.tf(d, "plan", "-detailed-exitcode"))
        return {"family": "jobs (3 of %d)" % (a.large + 3), "calls": sum(calls.values()),
                "by_path": calls}
    finally:
        b.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--scopes", type=int, default=200)
    ap.add_argument("--large", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--build", default="build")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="brickform-scale.")
    results = []
    try:
        for name in a.families.split(","):
            if not name:
                continue
            n = a.scopes if name == "scopes" else a.n
            if name == "catalogs":
                # A metastore holds at most 1,000 catalogs, main and system
                # among them (QUOTA_EXCEEDED beyond, as the service).
                n = min(n, 998)
            r = family(a, name, n, work)
            results.append(r)
            print(f"{name:9s} N={n:5d}: plan {r['plan_ms']:.0f} ms vs terraform_data "
                  f"{r['baseline_ms']:.0f} ms: ratio {r['ratio']:.2f}; "
                  f"{r['calls']} REST calls; peak RSS {r['rss_kb']} kB "
                  f"(set-up apply {r['setup_s']} s)", flush=True)
            print(f"          calls: {r['by_path']}", flush=True)
        if a.large > 0:
            r = small_in_large(a, work)
            results.append(r)
            print(f"{r['family']}: {r['calls']} REST calls {r['by_path']}", flush=True)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
