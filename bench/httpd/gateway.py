#!/usr/bin/python3
"""Gateway mode's cost (bench/httpd/run.sh --gateway): one httpd proxying to a second one
(the bare handler, which parses and echoes JSON), with and without mod_openapi's
validation in front, in one run. Cases, each a <Location> of the same gateway httpd:

  plain  ProxyPass only
  req    OpenAPIDispatch backend: request validation
  full   as req with OpenAPIValidateResponses on (the echoed JSON held and validated)

for a 300-byte JSON POST and a 1 MB JSON POST (an order with ~15,000 lines). Prints and
writes (results/<date>-gateway.md) median req/s and the gateway httpd's CPU per request,
with ratios to plain. The backend's CPU is not counted: it does the same work in every
case."""
import argparse
import datetime
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

GATEWAY = """
LoadModule proxy_module {system}/mod_proxy.so
LoadModule proxy_http_module {system}/mod_proxy_http.so
<Location /plain>
    ProxyPass http://127.0.0.1:{backend}/bare
</Location>
<Location /req>
    OpenAPISpec specs/gateway-spec.yaml
    OpenAPIBasePath /req
    OpenAPIDispatch backend
    OpenAPIMaxBodySize 4000000
    ProxyPass http://127.0.0.1:{backend}/bare
</Location>
<Location /full>
    OpenAPISpec specs/gateway-spec.yaml
    OpenAPIBasePath /full
    OpenAPIDispatch backend
    OpenAPIMaxBodySize 4000000
    OpenAPIValidateResponses on
    OpenAPIMaxResponseBodySize 4000000
    ProxyPass http://127.0.0.1:{backend}/bare
</Location>
"""

CASES = ("plain", "req", "full")
SIZES = (("300 B", 300, 64), ("1 MB", 1024 * 1024, 4))  # (name, bytes, connections)


def start(args, backend_port=None):
    server = bench.Httpd(args, "gateway" if backend_port else "backend", padded=False)
    if backend_port:
        # The benchmark spec, with room for a 1 MB order's lines.
        with open(os.path.join(bench.HERE, "spec.yaml")) as f:
            spec = f.read().replace("maxItems: 1000", "maxItems: 100000")
        with open(os.path.join(server.root, "specs/gateway-spec.yaml"), "w") as f:
            f.write(spec)
        os.chmod(os.path.join(server.root, "specs/gateway-spec.yaml"), 0o644)
        with open(server.config, "a") as f:
            f.write(GATEWAY.format(system=bench.SYSTEM_MODULES, backend=backend_port))
    return server.start()


def body_near(target):
    """A valid order of about target bytes: bench.body_of_size grows one line at a time,
    too slow for a megabyte, so the line count is estimated first."""
    if target < 10000:
        return bench.body_of_size(target)
    one = len(json.dumps(bench.order(1), separators=(",", ":")))
    per_line = len(json.dumps(bench.order(101), separators=(",", ":"))) - one
    value = bench.order(1 + 100 * (target - one) // per_line)
    for i, line in enumerate(value["lines"]):  # the spec's sku pattern has 4 digits
        line["sku"] = "ABC-%04d" % (1000 + i % 9000)
    return json.dumps(value, separators=(",", ":"))


def check(gateway, bodies):
    """Every case answers 201 with the body; validation is on where it should be."""
    for _, body, _ in bodies:
        for case in CASES:
            status, _, answer = gateway.request("POST", "/%s/items" % case, body=body,
                                                headers={"Content-Type": "application/json"})
            if status != 201 or len(answer) < len(body) // 2:
                raise RuntimeError("%s: %d %r" % (case, status, answer[:200]))
    bad = '{"order_id": 7}'
    for case, expected in (("plain", 201), ("req", 400), ("full", 400)):
        status, _, answer = gateway.request("POST", "/%s/items" % case, body=bad,
                                            headers={"Content-Type": "application/json"})
        if status != expected:
            raise RuntimeError("%s: invalid body answered %d, not %d: %r"
                               % (case, status, expected, answer[:200]))


def main():
    parser = argparse.ArgumentParser()
    for name in ("--module", "--bare", "--plugin", "--results"):
        parser.add_argument(name, required=True)
    parser.add_argument("--twilio")
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oa-bench-gateway-")
    os.chmod(work, 0o755)
    bodies = [(name, body_near(size), connections)
              for name, size, connections in SIZES]
    backend = start(args)
    gateway = None
    try:
        gateway = start(args, backend.port)
        check(gateway, bodies)
        runs = {}
        for name, body, connections in bodies:
            script = bench.lua_post(work, name.replace(" ", ""), body)
            for case in CASES:  # warm-up
                bench.run_wrk(gateway, {"path": "/%s/items" % case}, 2, connections, script,
                              latency=False)
            for _ in range(args.repeats):
                for case in CASES:  # interleaved
                    result = bench.run_wrk(gateway, {"path": "/%s/items" % case},
                                           args.seconds, connections, script)
                    if result["non2xx"]:  # a wrong answer; socket errors (timeouts on
                        # a loaded machine) are counted in the table instead
                        raise RuntimeError("%s %s: %d non-2xx answers" % (
                            case, name, result["non2xx"]))
                    runs.setdefault((name, case), []).append(result)
    finally:
        for server in (gateway, backend):
            if server:
                server.stop()
                server.cleanup()
    lines = ["| body | case | req/s | gateway CPU µs/req | req/s ratio | CPU ratio | other load "
             "| socket errors |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, _, _ in bodies:
        base_rps = bench.median([r["rps"] for r in runs[(name, "plain")]])
        base_cpu = bench.median([r["cpu_us"] for r in runs[(name, "plain")]])
        for case in CASES:
            rps = bench.median([r["rps"] for r in runs[(name, case)]])
            cpu = bench.median([r["cpu_us"] for r in runs[(name, case)]])
            other = bench.median([r["other"] for r in runs[(name, case)]])
            errors = sum(r["socket_errors"] for r in runs[(name, case)])
            lines.append("| %s | %s | %.0f | %.0f | %.2f | %.2f | %.0f %% | %d |" % (
                name, case, rps, cpu, rps / base_rps, cpu / base_cpu, other, errors))
    text = ("Gateway mode: `wrk -t2 -d%ds` POST, medians of %d interleaved runs; plain = "
            "ProxyPass only, req = + request validation, full = + response validation. "
            "%d cores shared by wrk, both httpds and the rest of the machine (other load: CPU of "
            "neither wrk nor the gateway, the backend httpd included).\n\n%s\n"
            % (args.seconds, args.repeats, os.cpu_count(), "\n".join(lines)))
    print(text)
    os.makedirs(args.results, exist_ok=True)
    path = os.path.join(args.results, "%s-gateway.md" % datetime.date.today().isoformat())
    with open(path, "w") as f:
        f.write(text)
    print("written to %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
