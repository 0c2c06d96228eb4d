#!/usr/bin/env python3
"""Memory and start time of large specs (see bench/memory/README.md), driven by
bench/memory/run.sh, which builds what this needs and passes the paths.

For each spec: `openapi-check SPEC` under /usr/bin/time (wall time, max RSS), then an httpd
(mpm_event, one child) serving it from one location in mock mode, against the same httpd
without the location: the VmRSS the location adds to the child, httpd's start time (launch
to listening) and the module's own load time (OpenAPISpec, from LogLevel openapi:debug).
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "httpd"))
from bench import HTTPD, SYSTEM_MODULES, free_port, memory, read_stat, www_data  # noqa: E402

CONFIG = """\
ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
ErrorLog "{root}/error.log"
LogLevel warn openapi:debug
LoadModule mpm_event_module {system}/mod_mpm_event.so
LoadModule authz_core_module {system}/mod_authz_core.so
LoadModule authn_core_module {system}/mod_authn_core.so
LoadModule authn_file_module {system}/mod_authn_file.so
LoadModule openapi_module {module}
StartServers 1
ServerLimit 1
ThreadsPerChild 4
ThreadLimit 4
MaxRequestWorkers 4
"""

LOCATION = """\
<Location /api>
    OpenAPISpec {spec}
    OpenAPIBasePath /api
    OpenAPIMock all
</Location>
"""


def children(parent):
    found = []
    for entry in os.listdir("/proc"):
        stat = read_stat(int(entry)) if entry.isdigit() else None
        if stat and int(stat[1]) == parent:
            found.append(int(entry))
    return found


def read(root, name):
    try:
        with open(os.path.join(root, name), errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def serve(module, spec, probe):
    """(child VmRSS KiB, start seconds, module load ms or None) of an httpd serving spec
    (None: no location), after requests to probe."""
    root = tempfile.mkdtemp(prefix="oa-memory-")
    os.chmod(root, 0o755)
    port = free_port()
    config = CONFIG.format(root=root, port=port, system=SYSTEM_MODULES, module=module)
    if spec:
        config += LOCATION.format(spec=spec)
    path = os.path.join(root, "httpd.conf")
    with open(path, "w") as f:
        f.write(config)
    cmd = [HTTPD, "-d", root, "-f", path, "-DFOREGROUND"]
    user = www_data()
    if user:
        os.chown(root, user.pw_uid, user.pw_gid)
        cmd = ["setpriv", "--reuid=%d" % user.pw_uid, "--regid=%d" % user.pw_gid,
               "--clear-groups", "--"] + cmd
    started = time.time()
    # the first configuration read logs to stderr (the error log is not open yet)
    startup = open(os.path.join(root, "startup.log"), "w")
    process = subprocess.Popen(cmd, stdout=startup, stderr=subprocess.STDOUT)
    startup.close()
    try:
        deadline = started + 120
        child = None
        while time.time() < deadline:
            if process.poll() is not None:
                raise RuntimeError("httpd exited:\n" + read(root, "startup.log")[-3000:] +
                                   read(root, "error.log")[-3000:])
            kids = children(process.pid)
            if kids:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        child = kids[0]
                        break
                except OSError:
                    pass
            time.sleep(0.02)
        if child is None:
            raise RuntimeError("httpd did not come up")
        seconds = time.time() - started
        for _ in range(20):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, probe), timeout=10).read()
            except urllib.error.HTTPError:
                pass
        time.sleep(0.3)
        rss = memory(child)[0]
        # the slowest load: the configuration reads after the first one reuse its spec
        loads = [int(ms) for ms in re.findall(r"loaded .*? in (\d+) ms",
                                              read(root, "startup.log") +
                                              read(root, "error.log"))]
        return rss, seconds, max(loads) if loads else None
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def check(tool, spec):
    """(wall seconds, max RSS KiB) of openapi-check SPEC."""
    out = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", tool, spec],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError("openapi-check %s failed:\n%s%s" % (spec, out.stdout, out.stderr))
    wall, rss = re.search(r"TIME ([\d.]+) (\d+)", out.stderr).groups()
    return float(wall), int(rss)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--module", required=True)
    parser.add_argument("--check", required=True, help="the openapi-check program")
    parser.add_argument("--fixtures", required=True, help="tests/fixtures/specs/large")
    parser.add_argument("--paths", type=int, default=5000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oa-memory-specs-")
    os.chmod(work, 0o755)
    try:
        generated = os.path.join(work, "generated.json")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_large_spec.py"), generated,
                        str(args.paths)], check=True, timeout=300)
        os.chmod(generated, 0o644)
        specs = [
            ("generated, %d operations" % (2 * args.paths), generated, 2 * args.paths,
             "/api/r00001/items/7"),
            ("Twilio v2010 (YAML)", os.path.join(args.fixtures, "twilio_api_v2010.yaml"), 0,
             "/api/2010-04-01/Accounts.json"),
            ("Box (JSON)", os.path.join(args.fixtures, "box_openapi_3.0.json"), 0,
             "/api/users/me"),
        ]
        base_rss, base_start, _ = serve(args.module, None, "/")
        print("| spec | size | openapi-check | check max RSS | httpd start | OpenAPISpec load "
              "| child RSS added | per operation |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, path, operations, probe in specs:
            wall, check_rss = check(args.check, path)
            if not operations:
                out = subprocess.run([args.check, path], capture_output=True, text=True)
                operations = int(re.search(r"(\d+) operations", out.stdout).group(1))
            rss, start, load = serve(args.module, path, probe)
            added = rss - base_rss
            print("| %s | %.1f MB | %.2f s | %.0f MB | %.2f s (%.2f s without) | %s ms "
                  "| %.1f MB | %.1f KiB |" % (
                      name, os.path.getsize(path) / 1e6, wall, check_rss / 1024, start,
                      base_start, load if load is not None else "?", added / 1024,
                      added / operations))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
