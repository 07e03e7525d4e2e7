#!/usr/bin/env python3
"""Process start to go-plugin handshake line, as Terraform sees it.

Spawns the provider the way Terraform does (magic cookie, protocol list,
and a client certificate so AutoMTLS runs), times from spawn to the first
line on stdout, then asks it to exit by closing stdin and sending SIGTERM.
Reports the median, min and max over N runs, with TLS and without, and
the ratio between the two. Also reported, from /proc at the handshake:
the shared libraries the process has mapped and its resident set.

    bench/startup.py [--runs 30] [--provider build/terraform-provider-databricks]
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def client_cert(tmp):
    key, crt = os.path.join(tmp, "c.key"), os.path.join(tmp, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", crt, "-days", "1",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    return open(crt).read()


def snapshot(pid):
    """(shared libraries mapped, VmRSS in kB) of a live process."""
    libs = set()
    try:
        with open(f"/proc/{pid}/maps") as f:
            for line in f:
                path = line.split()[-1]
                if ".so" in os.path.basename(path):
                    libs.add(path)
        with open(f"/proc/{pid}/status") as f:
            rss = next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), None)
    except OSError:
        return None, None
    return len(libs), rss


def once(provider, env, info=None):
    t0 = time.perf_counter()
    p = subprocess.Popen([provider], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    line = p.stdout.readline()
    dt = (time.perf_counter() - t0) * 1000
    if info is not None:
        info.extend(snapshot(p.pid))
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    if not line.startswith(b"1|6|unix|"):
        sys.exit(f"unexpected handshake: {line!r}")
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--provider", default="build/terraform-provider-databricks")
    a = ap.parse_args()
    base = dict(os.environ, TF_PLUGIN_MAGIC_COOKIE=COOKIE,
                PLUGIN_PROTOCOL_VERSIONS="5,6")
    base.pop("TF_LOG", None)
    with tempfile.TemporaryDirectory() as tmp:
        tls = dict(base, PLUGIN_CLIENT_CERT=client_cert(tmp))
        results = {}
        for name, env in (("mtls", tls), ("plain", base)):
            info = []
            once(a.provider, env, info)  # warm the page cache
            xs = [once(a.provider, env) for _ in range(a.runs)]
            results[name] = xs
            print(f"{name:6s} start->handshake: median {statistics.median(xs):.1f} ms"
                  f" (min {min(xs):.1f}, max {max(xs):.1f}, n={len(xs)});"
                  f" at the handshake: {info[0]} shared libraries, RSS {info[1]} kB")
        ratio = statistics.median(results["mtls"]) / statistics.median(results["plain"])
        print(f"ratio mtls/plain: {ratio:.2f}")


if __name__ == "__main__":
    main()
