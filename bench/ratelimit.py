#!/usr/bin/env python3
"""Should the client's 15 requests/second default adapt to a workspace's 429s?

One emulator, one workspace of N jobs each with a databricks_permissions
(permission reads cannot be batched: one GET each). The workspace is set
up unthrottled, then for each workspace limit W (emulator rate-limit, 429
REQUEST_LIMIT_EXCEEDED with Retry-After: 1 beyond it) a refreshing
`terraform plan` is timed twice, side by side:
  - the client at its default (15 req/s, or whatever the build does by
    default, adaptive or not);
  - the client told the workspace's limit (rate_limit = W): the oracle a
    user could only configure by knowing W.
Reported per W: plan time, requests the workspace admitted and throttled,
and the ratio default/oracle. Also W = 0 (no workspace limit) to show the
client's own limit is what bounds the unbatched reads.

    bench/ratelimit.py [--n 60] [--limits 0,5,10,30] [--build build]
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import Bench  # noqa: E402
from scale import HEAD  # noqa: E402

CONFIG = HEAD + """
resource "databricks_job" "j" {
  count = %(n)d
  name  = "report-${count.index}"
}
resource "databricks_permissions" "p" {
  count  = %(n)d
  job_id = databricks_job.j[count.index].id
  access_control {
    group_name       = "users"
    permission_level = "CAN_VIEW"
  }
}
"""


def control(b, path, body):
    req = urllib.request.Request(b.url + path, method="POST",
                                 data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def rate_counters(b):
    with urllib.request.urlopen(b.url + "/_emulator/requests") as r:
        j = json.load(r)
    return j.get("admitted", 0), j.get("throttled", 0)


def timed_plan(b, d, rate):
    env = dict(b.env)
    if rate is not None:
        env["TF_VAR_rate"] = str(rate)
    control(b, "/_emulator/rate-limit", {"per_second": b.limit})
    t0 = time.perf_counter()
    b.tf(d, "plan", "-detailed-exitcode", env=env)
    dt = time.perf_counter() - t0
    admitted, throttled = rate_counters(b)
    return dt, admitted, throttled


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--limits", default="0,5,10,30")
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="brickform-ratelimit.")
    b = Bench(a.build, work)
    try:
        d = b.config("managed", CONFIG % {"n": a.n})
        b.tf(d, "apply", "-auto-approve", "-parallelism=20",
             env=dict(b.env, TF_VAR_rate="1000"))
        print(f"{a.n} jobs + {a.n} permissions; terraform's default parallelism (10)")
        print(f"{'W':>4s} | {'client':>14s} | {'plan s':>7s} | {'admitted':>8s} | "
              f"{'429s':>5s} | default/oracle")
        for w in (int(x) for x in a.limits.split(",")):
            b.limit = w
            dt, adm, thr = timed_plan(b, d, None)
            if w > 0:
                dt2, adm2, thr2 = timed_plan(b, d, w)
            print(f"{w:4d} | {'default':>14s} | {dt:7.1f} | {adm:8d} | {thr:5d} |")
            if w > 0:
                print(f"{w:4d} | {'rate_limit=W':>14s} | {dt2:7.1f} | {adm2:8d} | "
                      f"{thr2:5d} | {dt / dt2:.2f}", flush=True)
    finally:
        b.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
