#!/usr/bin/env python3
"""The --soak mode of bench/httpd/run.sh (see bench/httpd/README.md): memory over a long
run of mixed valid and invalid requests through wrk, on bench.py's server and cases."""
import json
import os
import re
import time

import bench

SOAK_LUA = r"""
-- Valid and invalid requests mixed, one after the other on each connection.
local requests = {}
local i = 0
local function body(path)
  local f = assert(io.open(path, "rb")); local b = f:read("*a"); f:close(); return b
end
function init(args)
  local small, large, bad = body("@SMALL@"), body("@LARGE@"), body("@BAD@")
  local json = { ["Content-Type"] = "application/json" }
  requests = {
    wrk.format("GET", "/b/items/42?limit=5"),                -- valid
    wrk.format("GET", "/b/items/42?limit=1000"),             -- 400 query out of range
    wrk.format("POST", "/b/items", json, small),             -- valid 300 B
    wrk.format("POST", "/b/items", json, bad),               -- 400 body breaks the schema
    wrk.format("GET", "/c/items/7"),                         -- valid, response validated
    wrk.format("POST", "/c/items", json, large),             -- valid 10 KB, response validated
    wrk.format("POST", "/b/items", json, "{\"order_id\": "), -- 400 malformed JSON
    wrk.format("GET", "/b/nothing/here"),                    -- 404
    wrk.format("PUT", "/b/items/42"),                        -- 405
    wrk.format("POST", "/b/items", { ["Content-Type"] = "text/plain" }, "x"), -- 415
    wrk.format("GET", "/d/items/3"),                         -- mocked
    wrk.format("GET", "/c/items/999999"),                    -- 500: response breaks the spec
    wrk.format("GET", "/e10000/items/42?limit=5"),           -- valid, large spec
    wrk.format("GET", "/b/items/zero"),                      -- 400 path parameter
  }
end
function request()
  i = i + 1
  return requests[(i % #requests) + 1]
end
"""


def soak(args, work, stamp):
    small = bench.body_of_size(300)
    bad = json.loads(small)
    bad["lines"][0]["quantity"] = 0
    bad["customer"]["email"] = "not an email"
    paths = {}
    for name, text in (("SMALL", small), ("LARGE", bench.body_of_size(10 * 1024)),
                       ("BAD", json.dumps(bad))):
        paths[name] = os.path.join(work, "soak-%s.json" % name.lower())
        with open(paths[name], "w") as f:
            f.write(text)
    script = os.path.join(work, "soak.lua")
    lua = SOAK_LUA
    for name, path in paths.items():
        lua = lua.replace("@%s@" % name, path)
    with open(script, "w") as f:
        f.write(lua)

    server = bench.Httpd(args, "soak")
    samples = []
    try:
        server.start()
        pids = server.children()
        print("soak: httpd children %s; up to %d requests or %d s" % (
            pids, args.soak_requests, args.soak_seconds), flush=True)
        total = 0
        baseline = None
        started = time.time()
        case = {"path": "/", "script": script}
        # Short chunks until 10,000 requests (the baseline), then 10 s chunks.
        while total < args.soak_requests and time.time() - started < args.soak_seconds:
            chunk = 1 if baseline is None else 10
            result = bench.run_wrk(server, case, chunk, latency=False)
            total += result["requests"]
            if server.children() != pids:
                raise RuntimeError("httpd's children changed during the soak: %s -> %s" % (
                    pids, server.children()))
            mem = bench.child_memory(server)
            samples.append((total, time.time() - started, mem, result))
            print("soak: %9d requests  %s  (%d non-2xx in this chunk)" % (
                total, "  ".join("child %d: %.1f MB" % (pid, m[0] / 1024)
                                 for pid, m in sorted(mem.items())), result["non2xx"]),
                flush=True)
            if baseline is None and total >= 10000:
                baseline = samples[-1]
        log = server.error_log()
    finally:
        server.stop()
        server.cleanup()
    last = samples[-1]
    lines = ["# mod_openapi soak, %s" % stamp, "",
             "%d requests in %.0f s (14 kinds mixed: valid GET/POST 300 B/POST 10 KB through "
             "(b), (c) with response validation, (d) mock, (e) 10,000 paths; invalid: 400 "
             "query, path, body schema, malformed JSON; 404, 405, 415, 500 response "
             "validation), `wrk -t2 -c64`; children never replaced (MaxConnectionsPerChild 0)."
             % (last[0], last[1]), "",
             "| requests | " + " | ".join("child %d VmRSS (MB)" % pid for pid in pids) + " |",
             "| ---: |" + " ---: |" * len(pids)]
    for total, _, mem, _ in samples:
        lines.append("| %d | %s |" % (total, " | ".join("%.1f" % (mem[p][0] / 1024) for p in pids)))
    lines.append("")
    for pid in pids:
        growth = (last[2][pid][0] - baseline[2][pid][0]) / 1024
        lines.append("- child %d: %.1f MB after %d requests, %.1f MB after %d: %+.2f MB (%s)" % (
            pid, baseline[2][pid][0] / 1024, baseline[0], last[2][pid][0] / 1024, last[0],
            growth, "flat" if abs(growth) <= 1.0 else "GROWS"))
    errors = [l for l in log.splitlines() if re.search(r"\[(?:[\w.]+:)?(crit|alert|emerg)\]", l)]
    lines.append("- error log: %d lines, %d crit/alert/emerg" % (len(log.splitlines()), len(errors)))
    return "\n".join(lines)
