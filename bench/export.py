#!/usr/bin/env python3
"""The exporter at workspace scale: time, REST calls and peak RSS.

One emulator is populated by REST as a workspace that grew by hand: J jobs
(two tasks each on a shared job cluster, the first running a notebook, a
daily schedule), C all-purpose clusters each with a library, N notebooks in
folders of 50. Then `terraform-provider-databricks exporter` exports jobs,
compute, notebooks and directories at the client's default rate limit (15
requests a second), its requests counted by the emulator. Reported, from
one run:
  - wall time, and the time the rate limit alone needs for the calls made
    (calls / 15): their ratio is what the exporter adds beyond waiting;
  - REST calls per path;
  - the exporter's peak RSS (wait4's rusage of that one process);
  - the files written.

    bench/export.py [--jobs 1000] [--clusters 200] [--notebooks 500] [--build build]
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import Bench  # noqa: E402

RATE = 15.0


class Workspace(Bench):
    def clear_log(self):
        req = urllib.request.Request(self.url + "/_emulator/requests", method="DELETE")
        urllib.request.urlopen(req).close()


def populate(w, a):
    for i in range(a.notebooks):
        folder = "/Shared/team_%d" % (i // 50)
        if i % 50 == 0:
            w.api("POST", "/api/2.0/workspace/mkdirs", {"path": folder})
        w.api("POST", "/api/2.0/workspace/import", {
            "path": "%s/nb_%d" % (folder, i), "format": "SOURCE", "language": "PYTHON",
            "content": base64.b64encode(b"print(%d)\n" % i).decode()})
    for i in range(a.clusters):
        c = w.api("POST", "/api/2.1/clusters/create", {
            "cluster_name": "analyst-%d" % i, "spark_version": "15.4.x-scala2.12",
            "node_type_id": "i3.xlarge", "num_workers": 1, "autotermination_minutes": 60})
        w.api("POST", "/api/2.0/libraries/install", {
            "cluster_id": c["cluster_id"],
            "libraries": [{"pypi": {"package": "requests==2.32.3"}}]})
    for i in range(a.jobs):
        k = i % max(a.notebooks, 1)
        w.api("POST", "/api/2.2/jobs/create", {
            "name": "etl-%d" % i,
            "job_clusters": [{"job_cluster_key": "shared", "new_cluster": {
                "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge",
                "num_workers": 2}}],
            "tasks": [
                {"task_key": "ingest", "job_cluster_key": "shared",
                 "notebook_task": {"notebook_path": "/Shared/team_%d/nb_%d" % (k // 50, k)}},
                {"task_key": "publish", "job_cluster_key": "shared",
                 "depends_on": [{"task_key": "ingest"}],
                 "spark_python_task": {"python_file": "dbfs:/jobs/publish.py"}}],
            "schedule": {"quartz_cron_expression": "0 0 %d * * ?" % (i % 24),
                         "timezone_id": "UTC"}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=1000)
    ap.add_argument("--clusters", type=int, default=200)
    ap.add_argument("--notebooks", type=int, default=500)
    ap.add_argument("--build", default="build")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="brickform-export.")
    w = Workspace(a.build, work, ("--cluster-start-ms", "0", "--library-install-ms", "0"))
    try:
        t0 = time.perf_counter()
        populate(w, a)
        print(f"populated {a.jobs} jobs, {a.clusters} clusters with a library, "
              f"{a.notebooks} notebooks in {time.perf_counter() - t0:.0f} s", flush=True)
        w.clear_log()
        out = os.path.join(work, "export")
        t0 = time.perf_counter()
        p = subprocess.Popen(
            [os.path.join(a.build, "terraform-provider-databricks"), "exporter",
             "-skip-interactive", "-directory", out,
             "-services", "jobs,compute,notebooks,directories"],
            env=w.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err = p.stderr.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("exporter failed:\n" + err[-2000:])
        counts = {k: v for k, v in w.counts().items() if not k.startswith("GET /_emulator")}
        calls = sum(counts.values())
        floor = calls / RATE
        files = sum(len(fs) for _, _, fs in os.walk(out))
        print(f"export: {wall:.1f} s wall, {calls} REST calls (the rate limit alone needs "
              f"{floor:.1f} s: ratio {wall / floor if floor else 0:.2f}); peak RSS "
              f"{usage.ru_maxrss} kB; {files} files written")
        for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {v:6d}  {k}")
    finally:
        w.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
