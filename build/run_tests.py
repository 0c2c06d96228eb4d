#!/usr/bin/python3
"""Checks the tree (build/check-*.py: the core's include graph, the maps in README.md and
docs/, the config fields and directive reference, the message tags; and the checkers' own
tests in tests/lint), builds mod_openapi twice (plain, and with AddressSanitizer +
UndefinedBehaviorSanitizer) and runs every test against each build: the exports check of
mod_openapi.so, the core's unit-test programs (the JSON Schema test suite among them) and
the end-to-end tests against a real httpd. Then a bounded fuzzing run, and the standalone
check: the README's test command (`build/test.sh --quick`) in a copy of the repository in
an empty directory, so that nothing outside the repository is needed. Prints one line per
step and, last, "N passed, N failed".

usage: build/run_tests.py [--quick | --standalone]
  --quick       plain build only, no fuzzing, no standalone copy
  --standalone  the standalone check only
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SANITIZE_FLAGS = "-fsanitize=address,undefined -fno-sanitize-recover=undefined " \
                 "-fno-omit-frame-pointer"
VARIANTS = [("plain", "", ""), ("sanitize", SANITIZE_FLAGS, "-fsanitize=address,undefined")]
STEP_TIMEOUT = 900
FUZZ_SECONDS = 60  # per target (tests/fuzz/fuzz_*.c), run one after the other

totals = {"passed": 0, "failed": 0, "skipped": 0}
summary = []


def say(text):
    print(text, flush=True)


def run(cmd, cwd=SRC, env=None, timeout=STEP_TIMEOUT):
    """Runs a command, echoing its output; returns (exit code, output)."""
    started = time.time()
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=timeout)
        output, code = done.stdout, done.returncode
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode(errors="replace") if isinstance(
            expired.stdout, bytes) else (expired.stdout or "")
        output += "\n(timed out after %d s)\n" % timeout
        code = 124
    sys.stdout.write(output)
    say("(%s: exit %d in %.1f s)" % (" ".join(cmd[:3]), code, time.time() - started))
    return code, output


def record(step, passed, failed, skipped=0, note=""):
    totals["passed"] += passed
    totals["failed"] += failed
    totals["skipped"] += skipped
    summary.append("%-44s %4d passed, %3d failed%s%s" % (
        step, passed, failed, ", %d skipped" % skipped if skipped else "",
        "  " + note if note else ""))


def build(variant, cflags, ldflags):
    build_dir = os.path.join(SRC, "build-test-" + variant)
    if run([os.path.join(SRC, "build", "configure-dir.sh"), build_dir])[0] != 0:
        return None
    code, _ = run(["make", "-s", "-j%d" % (os.cpu_count() or 2),
                   "EXTRA_CFLAGS=" + cflags, "EXTRA_LDFLAGS=" + ldflags], cwd=build_dir)
    return build_dir if code == 0 else None


def sanitizer_env(variant):
    env = dict(os.environ)
    env["OA_SRCDIR"] = SRC
    if variant == "sanitize":
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    return env


def counted_step(name, cmd, env=None):
    """Runs a program whose last count line is "N passed, N failed[, N skipped]"."""
    code, output = run(cmd, env=env)
    counts = re.findall(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", output, re.M)
    if not counts:
        record(name, 0, 1, note="(no result line; exit %d)" % code)
        return
    passed, failed, skipped = (int(x or 0) for x in counts[-1])
    if code != 0 and failed == 0:
        failed = 1  # a sanitizer report or crash after the counts
    record(name, passed, failed, skipped)


def unit_tests(variant, build_dir):
    env = sanitizer_env(variant)
    for program in sorted(glob.glob(os.path.join(build_dir, "tests/unit/test_*"))):
        if program.endswith((".c", ".o", ".d")):
            continue
        counted_step("%s unit %s" % (variant, os.path.basename(program)), [program], env)


def lint():
    """Checks of the tree itself: the core's include graph, the maps, and the checkers'
    own tests (each checker must catch what it is for)."""
    counted_step("lint core include graph (check-deps)",
                 ["/usr/bin/python3", os.path.join(SRC, "build", "check-deps.py"), SRC])
    counted_step("lint maps (check-maps)",
                 ["/usr/bin/python3", os.path.join(SRC, "build", "check-maps.py"), SRC])
    counted_step("lint config fields and directive reference (check-config)",
                 ["/usr/bin/python3", os.path.join(SRC, "build", "check-config.py")])
    counted_step("lint message tags (check-tags)",
                 ["/usr/bin/python3", os.path.join(SRC, "build", "check-tags.py")])
    code, output = run(["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "tests/lint"])
    last = output.strip().splitlines()[-1] if output.strip() else ""
    passed = sum(int(n) for n in re.findall(r"(\d+) passed", last))
    failed = sum(int(n) for n in re.findall(r"(\d+) (?:failed|errors?)", last))
    record("lint checkers' tests (pytest)", passed, failed or (1 if code else 0))


def e2e_tests(variant, build_dir, cflags, ldflags):
    env = sanitizer_env(variant)
    env["OA_MAKE_FLAGS"] = "EXTRA_CFLAGS=%s\nEXTRA_LDFLAGS=%s" % (cflags, ldflags)
    env["OA_BUILD_DIR"] = build_dir
    env["OA_SANITIZE"] = "1" if variant == "sanitize" else "0"
    code, output = run(["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "tests/e2e"], env=env)
    last = output.strip().splitlines()[-1] if output.strip() else ""
    passed = sum(int(n) for n in re.findall(r"(\d+) passed", last))
    failed = sum(int(n) for n in re.findall(r"(\d+) (?:failed|errors?)", last))
    skipped = sum(int(n) for n in re.findall(r"(\d+) skipped", last))
    if code != 0 and failed == 0:
        failed = 1
    record("%s e2e (pytest, real httpd)" % variant, passed, failed, skipped)


def fuzz():
    script = os.path.join(SRC, "tests/fuzz/run.sh")
    if not os.path.exists(script):
        return
    targets = sorted(os.path.basename(p)[len("fuzz_"):-len(".c")]
                     for p in glob.glob(os.path.join(SRC, "tests/fuzz/fuzz_*.c")))
    for target in targets:
        code, output = run(["bash", script, str(FUZZ_SECONDS), target],
                           timeout=FUZZ_SECONDS * 5 + 600)
        record("fuzz_%s (libFuzzer, %d s)" % (target, FUZZ_SECONDS), 1 if code == 0 else 0,
               0 if code == 0 else 1)


# A path that leads out of the repository, to the reference folder once beside it.
OUTSIDE_PATH = re.compile(r"\.\./shared\b")


def repository_files():
    """The files of the repository: what git tracks and what it would (not ignored)."""
    if os.path.isdir(os.path.join(SRC, ".git")) or os.path.isfile(os.path.join(SRC, ".git")):
        done = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=SRC,
                              stdout=subprocess.PIPE, check=True, timeout=60)
        return [f for f in done.stdout.decode().split("\0") if f]
    return [os.path.relpath(os.path.join(d, f), SRC) for d, dirs, files in os.walk(SRC)
            for f in files if not os.path.relpath(d, SRC).startswith("build-")]


def standalone():
    """The README's test command in a copy of the repository alone in an empty directory."""
    files = [f for f in repository_files() if os.path.isfile(os.path.join(SRC, f))]
    outside = []
    for name in files:
        with open(os.path.join(SRC, name), "rb") as f:
            text = f.read().decode("utf-8", "replace")
        outside += ["%s:%d" % (name, text.count("\n", 0, m.start()) + 1)
                    for m in OUTSIDE_PATH.finditer(text)]
    if outside:
        say("paths outside the repository: " + ", ".join(outside))
    record("standalone: no path outside the repository", 0 if outside else 1,
           1 if outside else 0)
    work = tempfile.mkdtemp(prefix="oa-standalone-")
    os.chmod(work, 0o755)  # httpd's children (another user) read specs from the copy
    copy = os.path.join(work, "mod_openapi")
    for name in files:
        os.makedirs(os.path.dirname(os.path.join(copy, name)), exist_ok=True)
        shutil.copy2(os.path.join(SRC, name), os.path.join(copy, name))
    say("copied %d files to %s (nothing beside it)" % (len(files), copy))
    code, output = run(["bash", "build/test.sh", "--quick"], cwd=copy, timeout=2 * STEP_TIMEOUT)
    counts = re.findall(r"^(\d+) passed, (\d+) failed$", output, re.M)
    passed, failed = (int(x) for x in counts[-1]) if counts else (0, 1)
    if code != 0 and failed == 0:
        failed = 1
    record("standalone copy: build/test.sh --quick", passed, failed)
    if failed == 0:
        shutil.rmtree(work)


def main():
    quick = "--quick" in sys.argv
    if "--standalone" in sys.argv:
        say("==== standalone copy of the repository")
        standalone()
        return finish()
    say("==== lint")
    lint()
    for variant, cflags, ldflags in VARIANTS[:1] if quick else VARIANTS:
        say("==== %s build" % variant)
        build_dir = build(variant, cflags, ldflags)
        if not build_dir:
            record("%s build" % variant, 0, 1)
            continue
        record("%s build" % variant, 1, 0)
        counted_step("%s exports of mod_openapi.so" % variant,
                     ["/usr/bin/python3", os.path.join(SRC, "build", "check-exports.py"),
                      build_dir, SRC])
        say("==== %s unit tests" % variant)
        unit_tests(variant, build_dir)
        say("==== %s end-to-end tests" % variant)
        e2e_tests(variant, build_dir, cflags, ldflags)
    if not quick:
        say("==== fuzzing")
        fuzz()
        say("==== standalone copy of the repository")
        standalone()
    return finish()


def finish():
    say("")
    say("==== summary")
    for line in summary:
        say(line)
    say("%d passed, %d failed" % (totals["passed"], totals["failed"]))
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
