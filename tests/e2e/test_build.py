"""The autotools build: clear configure errors for missing dependencies, and a staged
install for packaging."""
import os
import subprocess
import tempfile

import pytest

from httpd import BUILD_DIR, SRC_DIR

CONFIGURE = os.path.join(SRC_DIR, "configure")


def configure(*args, env=None):
    work = tempfile.mkdtemp(prefix="oa-configure-")
    done = subprocess.run([CONFIGURE] + list(args), cwd=work, capture_output=True, text=True,
                          env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("package, message", [
    ("jansson", "jansson not found by pkg-config: install libjansson-dev"),
    ("yaml-0.1", "libyaml not found by pkg-config: install libyaml-dev"),
    ("libpcre2-8", "PCRE2 not found by pkg-config: install libpcre2-dev"),
    ("libcurl", "libcurl not found by pkg-config: install libcurl4-openssl-dev"),
    ("libcrypto", "libcrypto not found by pkg-config: install libssl-dev"),
])
def test_a_missing_library_is_named(package, message, tmp_path):
    # A pkg-config that knows every package but one.
    fake = tmp_path / "pkg-config"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in %s*) exit 1;; esac; done\n'
                    'exec /usr/bin/pkg-config "$@"\n' % package)
    fake.chmod(0o755)
    code, output = configure("PKG_CONFIG=%s" % fake)
    assert code != 0
    assert message in output, output


def test_a_missing_apxs_is_named():
    code, output = configure("--with-apxs=/nonexistent/apxs")
    assert code != 0
    assert "apxs not found: install apache2-dev (Debian) or pass --with-apxs=PATH" in output


def test_install_stages_everything_under_destdir(tmp_path):
    stage = tmp_path / "stage"
    # the same extra flags as the build under test, so that nothing is rebuilt differently
    flags = [f for f in os.environ.get("OA_MAKE_FLAGS", "").split("\n") if f]
    done = subprocess.run(["make", "-s", "install", "DESTDIR=%s" % stage, "prefix=/usr"] + flags,
                          cwd=BUILD_DIR, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    installed = sorted(str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file())
    assert installed == sorted([
        "etc/apache2/mods-available/openapi.conf",
        "etc/apache2/mods-available/openapi.load",
        "usr/bin/openapi-check",
        "usr/bin/openapi-run",
        "usr/include/apache2/openapi_plugin.h",
        "usr/lib/apache2/modules/mod_openapi.so",
        "usr/share/man/man1/openapi-check.1",
        "usr/share/pkgconfig/mod_openapi.pc",
    ] + ["usr/share/mod_openapi/swagger-ui/" + f for f in sorted([
        "LICENSE", "NOTICE", "favicon-16x16.png", "favicon-32x32.png", "index.css",
        "oauth2-redirect.html", "oauth2-redirect.js", "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js", "swagger-ui.css"])])
