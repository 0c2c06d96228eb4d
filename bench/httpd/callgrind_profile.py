#!/usr/bin/env python3
"""The --profile mode of bench/httpd/run.sh (see bench/httpd/README.md): instructions per
request under callgrind, on bench.py's server and cases."""
import http.client
import os
import shutil
import subprocess

import bench

def callgrind_total(path):
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("no totals in %s" % path)


def profile(args, work, stamp):
    """Instructions per request of each case, counted by callgrind in a single httpd
    process (-X) from ap_read_request and ap_process_async_request on (the request's own
    work: hooks, handler, filters; not the event loop), as the difference between runs of
    FEW and MANY requests so that first-request costs cancel out."""
    few, many = 100, 100 + args.profile_requests
    cases, bodies = bench.make_cases(work)
    wanted = [c for c in cases if not c["key"].startswith("e")]
    outdir = os.path.join(args.results, "%s-profile" % stamp)
    os.makedirs(outdir, exist_ok=True)
    rows = []
    for case in wanted:
        counts = {}
        for n in (few, many):
            server = bench.Httpd(args, "cg", padded=False)
            out = os.path.join(server.root, "callgrind.out")
            server.wrapper = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                              "--toggle-collect=ap_read_request",
                              "--toggle-collect=ap_process_async_request"]
            try:
                server.start(timeout=120, single=True)
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                headers = {"Content-Type": "application/json"} if "body" in case else {}
                for header in case.get("headers", []):  # (f), (g): the JWT
                    name, _, value = header.partition(": ")
                    headers[name] = value
                for _ in range(n):
                    conn.request("POST" if "body" in case else "GET", case["path"],
                                 body=case.get("body"), headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status not in (200, 201):
                        raise RuntimeError("%s: %d" % (case["path"], response.status))
                conn.close()
            finally:
                server.stop()
            counts[n] = callgrind_total(out)
            if n == many:
                name = "%s-%s" % (case["key"], case["op"].replace(" ", "").lower())
                annotated = subprocess.run(
                    ["callgrind_annotate", "--inclusive=yes", "--threshold=99", out],
                    capture_output=True, text=True, timeout=300).stdout
                with open(os.path.join(outdir, name + ".txt"), "w") as f:
                    f.write(annotated)
                shutil.copy(out, os.path.join(outdir, name + ".callgrind"))
            server.cleanup()
        per = (counts[many] - counts[few]) / (many - few)
        rows.append((case, per))
        print("profile: %-40s %-10s %8.0f instructions/request" % (case["label"], case["op"], per),
              flush=True)
    base = {c["op"]: per for c, per in rows if c["key"] == "a"}
    lines = ["# mod_openapi instructions per request (callgrind), %s" % stamp, "",
             "Single httpd process (-X), one keep-alive connection, %d requests per case; "
             "counted from ap_read_request and ap_process_async_request down (parsing, every "
             "hook, the handler, serialization, output filters, writes' user-space part)." %
             (many - few), "",
             "| case | request | instructions/request | ÷ (a) | extra over (a) |",
             "| --- | --- | ---: | ---: | ---: |"]
    for case, per in rows:
        lines.append("| %s | %s | %.0f | %.2f | %+.0f |" % (
            case["label"], case["op"], per, per / base[case["op"]], per - base[case["op"]]))
    lines += ["", "Per case: callgrind_annotate --inclusive=yes output and the callgrind file in "
              "`%s/`." % os.path.relpath(outdir, bench.HERE)]
    return "\n".join(lines)
