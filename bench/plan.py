#!/usr/bin/env python3
"""terraform plan wall time and provider peak RSS, side by side with a baseline.

Runs real terraform against a fresh brickform-emulator:
  1. the quickstart (a scope, a secret, an ACL), applied, then `terraform
     plan` timed N times;
  2. the same shape with Terraform's built-in terraform_data resources, the
     floor that Terraform itself costs (no provider process, no API);
  3. a large workspace: S scopes with 3 secrets and 2 ACLs each, applied,
     then a refreshing plan timed, with the API calls it made.
Peak RSS is the provider's own VmHWM, which it logs at exit at DEBUG level
(getrusage's maxrss is inherited across exec from terraform and misleads).

    bench/plan.py [--runs 7] [--scopes 100] [--build build]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request

QUICKSTART = """
terraform {
  required_providers { databricks = { source = "brickform/databricks" } }
}
provider "databricks" {}
resource "databricks_secret_scope" "app" { name = "quickstart-app" }
resource "databricks_secret" "db_password" {
  scope        = databricks_secret_scope.app.name
  key          = "db-password"
  string_value = "correct-horse-battery-staple"
}
resource "databricks_secret_acl" "data_engineers" {
  scope      = databricks_secret_scope.app.name
  principal  = "data-engineers"
  permission = "READ"
}
"""

BASELINE = """
resource "terraform_data" "scope" { input = "quickstart-app" }
resource "terraform_data" "secret" { input = [terraform_data.scope.output, "db-password"] }
resource "terraform_data" "acl" { input = [terraform_data.scope.output, "data-engineers", "READ"] }
"""

SCALE = """
terraform {
  required_providers { databricks = { source = "brickform/databricks" } }
}
provider "databricks" {}
locals {
  scopes = toset([for i in range(%d) : "team-${i}"])
  pairs  = { for p in setproduct(local.scopes, ["a", "b", "c"]) : "${p[0]}/${p[1]}" => p }
  acls   = { for p in setproduct(local.scopes, ["readers", "writers"]) : "${p[0]}/${p[1]}" => p }
}
resource "databricks_secret_scope" "s" {
  for_each = local.scopes
  name     = each.key
}
resource "databricks_secret" "k" {
  for_each     = local.pairs
  scope        = databricks_secret_scope.s[each.value[0]].name
  key          = each.value[1]
  string_value = "v-${each.key}"
}
resource "databricks_secret_acl" "a" {
  for_each   = local.acls
  scope      = databricks_secret_scope.s[each.value[0]].name
  principal  = each.value[1]
  permission = "READ"
}
"""


class Bench:
    def __init__(self, build, work, emu_args=()):
        self.work = work
        plugins = os.path.join(work, "plugins")
        os.makedirs(plugins)
        os.symlink(os.path.abspath(os.path.join(build, "terraform-provider-databricks")),
                   os.path.join(plugins, "terraform-provider-databricks"))
        rc = os.path.join(work, "dev.tfrc")
        with open(rc, "w") as f:
            f.write('provider_installation {\n dev_overrides { "brickform/databricks" = "%s" }\n'
                    ' direct {}\n}\n' % plugins)
        self.token = "dapi-bench"
        self.emu = subprocess.Popen(
            [os.path.join(build, "brickform-emulator"), "--port", "0", "--token", self.token,
             *emu_args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.emu.stdout.readline().decode()
        self.url = line.split("listening on ", 1)[1].strip()
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=rc, CHECKPOINT_DISABLE="1",
                        TF_IN_AUTOMATION="1", DATABRICKS_HOST=self.url,
                        DATABRICKS_TOKEN=self.token)
        for k in ("TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH"):
            self.env.pop(k, None)

    def close(self):
        self.emu.terminate()
        self.emu.wait()

    def tf(self, d, *args, env=None):
        subprocess.run(["terraform", "-chdir=" + d, *args, "-no-color", "-input=false"],
                       env=env or self.env, check=True, capture_output=True)

    def config(self, name, text):
        d = os.path.join(self.work, name)
        os.makedirs(d)
        with open(os.path.join(d, "main.tf"), "w") as f:
            f.write(text)
        return d

    def time_plan(self, d, runs):
        xs = []
        for _ in range(runs):
            t0 = time.perf_counter()
            self.tf(d, "plan", "-detailed-exitcode")
            xs.append((time.perf_counter() - t0) * 1000)
        return xs

    def counts(self):
        with urllib.request.urlopen(self.url + "/_emulator/requests") as r:
            return json.load(r).get("counts", {})

    def api(self, method, path, body=None):
        req = urllib.request.Request(
            self.url + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "Bearer " + self.token,
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            return json.load(r)

    def peak_rss_kb(self, d):
        log = os.path.join(self.work, "rss.log")
        env = dict(self.env, TF_LOG_PROVIDER="DEBUG", TF_LOG_PATH=log)
        self.tf(d, "plan", env=env)
        peaks = [int(m) for m in re.findall(r"VmHWM[^0-9]*([0-9]+) kB", open(log).read())]
        os.remove(log)
        return max(peaks) if peaks else None


def summary(xs):
    return f"median {statistics.median(xs):.0f} ms (min {min(xs):.0f}, max {max(xs):.0f}, n={len(xs)})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--scopes", type=int, default=100)
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="brickform-bench.")
    b = Bench(a.build, work)
    try:
        q = b.config("quickstart", QUICKSTART)
        b.tf(q, "apply", "-auto-approve")
        base = b.config("baseline", BASELINE)
        b.tf(base, "apply", "-auto-approve")
        tq = b.time_plan(q, a.runs)
        tb = b.time_plan(base, a.runs)
        print(f"quickstart plan (3 resources, refreshing): {summary(tq)}")
        print(f"terraform_data baseline plan (3 resources): {summary(tb)}")
        print(f"ratio quickstart/baseline: {statistics.median(tq) / statistics.median(tb):.2f}")
        rss = b.peak_rss_kb(q)
        print(f"provider peak RSS (VmHWM) during the quickstart plan: {rss} kB")

        s = b.config("scale", SCALE % a.scopes)
        b.tf(s, "apply", "-auto-approve", "-parallelism=10")
        before = b.counts()
        ts = b.time_plan(s, 1)
        after = b.counts()
        calls = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
        n = a.scopes * 6
        print(f"scale plan ({n} resources: {a.scopes} scopes, {3 * a.scopes} secrets,"
              f" {2 * a.scopes} ACLs): {summary(ts)}")
        print(f"  API calls during that plan: {sum(calls.values())} {calls}")
        print(f"  (a per-resource list, as the official provider does, would be {n})")
        rss = b.peak_rss_kb(s)
        print(f"provider peak RSS (VmHWM) during the scale plan: {rss} kB")
        b.tf(s, "destroy", "-auto-approve", "-parallelism=10")
    finally:
        b.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
