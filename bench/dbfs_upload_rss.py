#!/usr/bin/env python3
"""Peak memory of the provider while terraform uploads a DBFS file.

Runs `terraform apply` of one databricks_dbfs_file against a fresh
brickform-emulator, for a 1 MB and a 50 MB local source file (and a plan
that refreshes the 50 MB file without downloading it), and reports the
provider process's peak resident set size for each, measured by the
kernel (getrusage of the provider, which a small wrapper starts in
Terraform's place), side by side in one run, with the ratio 50 MB / 1 MB.
Streaming in 1 MiB blocks means the two should be close; holding the
file would add 50 MB (and its base64, 67 MB more).

    bench/dbfs_upload_rss.py [--build build] [--size-mb 50]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

WRAPPER = """#!/usr/bin/env python3
import os, resource, sys
pid = os.fork()
if pid == 0:
    os.execv({provider!r}, [{provider!r}] + sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
with open({out!r}, "a") as f:
    f.write("%d\\n" % usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""

CONFIG = """terraform {
  required_providers {
    databricks = { source = "brickform/databricks" }
  }
}
provider "databricks" {}
resource "databricks_dbfs_file" "f" {
  source = "${path.module}/payload.bin"
  path   = "/FileStore/bench/payload.bin"
}
"""


def run(cmd, cwd, env):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("%s failed:\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))


def peak_kib(rss_file):
    with open(rss_file) as f:
        values = [int(x) for x in f.read().split()]
    os.unlink(rss_file)
    return max(values)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--size-mb", type=int, default=50)
    a = ap.parse_args()
    provider = os.path.abspath(os.path.join(a.build,
                                            "terraform-provider-databricks"))
    emulator = os.path.abspath(os.path.join(a.build, "brickform-emulator"))
    if shutil.which("terraform") is None:
        sys.exit("terraform is not on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        plugins, cfg = os.path.join(tmp, "plugins"), os.path.join(tmp, "cfg")
        os.makedirs(plugins)
        os.makedirs(cfg)
        rss = os.path.join(tmp, "rss")
        wrapper = os.path.join(plugins, "terraform-provider-databricks")
        with open(wrapper, "w") as f:
            f.write(WRAPPER.format(provider=provider, out=rss))
        os.chmod(wrapper, 0o755)
        with open(os.path.join(tmp, "dev.tfrc"), "w") as f:
            f.write('provider_installation {\n  dev_overrides {\n'
                    '    "brickform/databricks" = "%s"\n  }\n'
                    '  direct {}\n}\n' % plugins)
        with open(os.path.join(cfg, "main.tf"), "w") as f:
            f.write(CONFIG)
        token = "dapi-bench"
        emu = subprocess.Popen([emulator, "--port", "0", "--token", token],
                               stdout=subprocess.PIPE, text=True)
        url = None
        try:
            for _ in range(100):
                line = emu.stdout.readline()
                if line.startswith("listening on "):
                    url = line.split()[-1]
                    break
            if url is None:
                sys.exit("the emulator did not start")
            env = dict(os.environ, TF_CLI_CONFIG_FILE=os.path.join(
                tmp, "dev.tfrc"), DATABRICKS_HOST=url,
                DATABRICKS_TOKEN=token, CHECKPOINT_DISABLE="1",
                HOME=tmp)
            for k in ("TF_LOG", "TF_LOG_PATH"):
                env.pop(k, None)
            results = []
            for label, mb in (("1 MB", 1), ("%d MB" % a.size_mb, a.size_mb)):
                with open(os.path.join(cfg, "payload.bin"), "wb") as f:
                    f.write(os.urandom(mb * 1024 * 1024))
                t0 = time.perf_counter()
                run(["terraform", "apply", "-auto-approve", "-input=false",
                     "-no-color"], cfg, env)
                dt = time.perf_counter() - t0
                results.append((label + " upload (apply)", peak_kib(rss), dt))
            t0 = time.perf_counter()
            run(["terraform", "plan", "-input=false", "-no-color",
                 "-detailed-exitcode"], cfg, env)
            results.append(("%d MB refresh (plan)" % a.size_mb, peak_kib(rss),
                            time.perf_counter() - t0))
            run(["terraform", "destroy", "-auto-approve", "-input=false",
                 "-no-color"], cfg, env)
        finally:
            emu.terminate()
            emu.wait()
    print("%-28s %14s %10s" % ("case", "peak RSS MiB", "seconds"))
    for label, kib, dt in results:
        print("%-28s %14.1f %10.2f" % (label, kib / 1024.0, dt))
    print("ratio peak RSS %s / %s: %.2f" % (
        results[1][0], results[0][0], results[1][1] / results[0][1]))


if __name__ == "__main__":
    main()
