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


def mapped_inodes(pid, name):
    """The inodes of the files called `name` that process pid has mapped."""
    inodes = set()
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 6 and fields[5].endswith("/" + name):
                inodes.add(int(fields[4]))
    return inodes


def test_a_new_module_file_is_loaded_at_a_graceful_restart(httpd):
    """The cache keeps mod_openapi loaded (cached specs point at its code); a new file in
    its place, as a package upgrade leaves, drops the cache at the next graceful restart,
    so that httpd loads the new file, as it does for any other module."""
    server = httpd(TWO_LOCATIONS, start=False)
    spec = os.path.join(server.root, "cached.yaml")
    write(spec, spec_with("a"))
    server.start()
    module = os.path.join(server.root, "modules", "mod_openapi.so")
    old = os.stat(module).st_ino
    assert mapped_inodes(server.process.pid, "mod_openapi.so") == {old}
    graceful_restart(server)  # the same file: kept, the spec reused
    assert mapped_inodes(server.process.pid, "mod_openapi.so") == {old}
    seen = len(reuses(server, spec))
    # a new file in its place (a new inode, as dpkg installs it)
    fresh = module + ".new"
    with open(module, "rb") as src, open(fresh, "wb") as dst:
        dst.write(src.read())
    os.chmod(fresh, 0o644)
    os.rename(fresh, module)
    new = os.stat(module).st_ino
    assert new != old
    graceful_restart(server)
    assert mapped_inodes(server.process.pid, "mod_openapi.so") == {new}
    for location in ("/one", "/two"):
        assert server.get(location + "/a").status == 200
    # loaded anew for the new module: only the second location reuses it
    assert len(reuses(server, spec)) == seen + 1, server.error_log()
