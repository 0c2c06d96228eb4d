"""Loaded specs shared between locations, httpd's two configuration reads and graceful
restarts (mod_openapi_spec_cache.c): a spec file serves every location that names it from
one load, and a graceful restart reloads it only when a file it read changed."""
import os
import signal
import time

REUSED = "OAPI15000"


def spec_with(path_name, note=""):
    return """openapi: 3.0.3
info: {title: cache, version: "1"%s}
paths:
  /%s:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {path: %s}
""" % (note, path_name, path_name)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)


def graceful_restart(server):
    """SIGUSR1 to the httpd this test started; waits until it serves again."""
    before = server.error_log().count("resuming normal operations")
    with open(os.path.join(server.root, "httpd.pid")) as f:
        parent = int(f.read().strip())
    assert parent == server.process.pid
    os.kill(parent, signal.SIGUSR1)
    deadline = time.time() + 20
    while time.time() < deadline and \
            server.error_log().count("resuming normal operations") == before:
        time.sleep(0.1)
    assert server.error_log().count("resuming normal operations") == before + 1, \
        server.error_log()


def reuses(server, spec):
    return [line for line in server.error_log().splitlines()
            if REUSED in line and spec in line]


TWO_LOCATIONS = """
<Location /one>
    OpenAPISpec @ROOT@/cached.yaml
    OpenAPIBasePath /one
    OpenAPIMock all
</Location>
<Location /two>
    OpenAPISpec @ROOT@/cached.yaml
    OpenAPIBasePath /two
    OpenAPIMock all
</Location>
"""


def test_two_locations_share_one_load(httpd):
    server = httpd(TWO_LOCATIONS, start=False)
    spec = os.path.join(server.root, "cached.yaml")
    write(spec, spec_with("a"))
    # one configuration read (-t): the second location takes the first one's spec
    code, output = server.configtest()
    assert code == 0, output
    assert len([line for line in output.splitlines() if REUSED in line]) == 1, output
    server.start()
    assert server.get("/one/a").status == 200
    assert server.get("/two/a").status == 200
    # the second configuration read at start-up reuses it for both locations
    assert len(reuses(server, spec)) == 2, server.error_log()


def test_graceful_restart_reloads_a_changed_spec(httpd):
    server = httpd(TWO_LOCATIONS, start=False)
    spec = os.path.join(server.root, "cached.yaml")
    write(spec, spec_with("a"))
    server.start()
    assert server.get("/one/a").status == 200
    assert server.get("/one/b").status == 404
    seen = len(reuses(server, spec))
    graceful_restart(server)  # nothing changed: the spec loaded before serves
    assert len(reuses(server, spec)) == seen + 2
    assert server.get("/two/a").status == 200
    # same size, a later mtime: the cache must not keep the old paths
    write(spec, spec_with("b"))
    stat = os.stat(spec)
    os.utime(spec, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    seen = len(reuses(server, spec))
    graceful_restart(server)
    for location in ("/one", "/two"):
        assert server.get(location + "/b").status == 200
        assert server.get(location + "/a").status == 404
    # loaded once for the new file: the second location reuses it, nothing else does
    assert len(reuses(server, spec)) == seen + 1, server.error_log()


def test_graceful_restart_reloads_a_changed_referenced_file(httpd):
    """A file the spec reaches by $ref counts as much as the spec's own file."""
    server = httpd("""
<Location /api>
    OpenAPISpec @ROOT@/root.yaml
    OpenAPIBasePath /api
    OpenAPIMock all
</Location>
""", start=False)
    write(os.path.join(server.root, "root.yaml"), """openapi: 3.0.3
info: {title: cache, version: "1"}
paths:
  /thing:
    $ref: "./thing.yaml"
""")
    thing = os.path.join(server.root, "thing.yaml")
    write(thing, """get:
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema: {type: object}
          example: {version: 1}
""")
    server.start()
    assert server.get("/api/thing").body.strip() == '{"version":1}'
    write(thing, open(thing).read().replace("version: 1", "version: 22"))
    graceful_restart(server)
    assert server.get("/api/thing").body.strip() == '{"version":22}'
