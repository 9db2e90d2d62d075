"""The contract with DuckDB's community-extensions pipeline, checked without building anything.

* The Makefile's pipeline targets (section 2), as its jobs call them, with extension-ci-tools/ empty:
  dry runs (make -n) for each platform, the version override, the unstable C API refused, the
  steps that do nothing inside the Linux build container, the Windows venv path.
* The pins agree: description.yml's name, version and license with Cargo.toml; its excluded
  platforms with the workflow's; the workflow, .gitmodules and the submodule on one extension-ci-tools
  branch; the runner's requirements with requirements-duckdb-2.0.txt.
* Nothing of ours reads extension-ci-tools/ (DuckDB's pipeline replaces that folder).

The full build and DuckDB's own runner are ../shared/tools/community-pipeline.sh's job.
Standard library only; needs make and git. Run: python3 -m unittest discover -s tools/test -p test_pipeline_contract.py
"""
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import append_metadata  # noqa: E402
import description_yml  # noqa: E402

CI_TOOLS_BRANCH = "v1.5-variegata"
CI_TOOLS_COMMIT = "72e76e99cd7fee45a99739cd118ec2db64e034ec"
ARTIFACT = "build/release/extension/flights_helper/flights_helper.duckdb_extension"
# What the pipeline's jobs set, removed so that each test sets exactly what it means.
PIPELINE_VARIABLES = ("DUCKDB_PLATFORM", "DUCKDB_GIT_VERSION", "LINUX_CI_IN_DOCKER", "EXTENSION_VERSION",
                      "DUCKDB_TEST_VERSION", "SKIP_TESTS", "USE_UNSTABLE_C_API", "CARGO_TARGET", "CARGO_TARGET_DIR",
                      "OS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")


def make(*args, **variables):
    """Run make in the checkout with only ``variables`` of the pipeline's set; return (exit code, output)."""
    env = {k: v for k, v in os.environ.items() if k not in PIPELINE_VARIABLES}
    env.update(variables)
    done = subprocess.run(["make", "--no-print-directory", "-C", ROOT, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
    return done.returncode, done.stdout


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def cargo_package():
    """name, version and license of Cargo.toml's [package]."""
    section = read("Cargo.toml").split("\n[", 1)[0]
    return {k: re.search(rf'^{k} = "([^"]+)"', section, re.M).group(1) for k in ("name", "version", "license")}


class MakeContractTest(unittest.TestCase):
    """The targets DuckDB's pipeline calls, as it calls them (dry runs: nothing is built)."""

    def dry(self, *targets, **variables):
        code, out = make("-n", "-B", *targets, **variables)
        self.assertEqual(code, 0, out)
        return out

    def test_every_target_exists(self):
        for target in ("set_duckdb_version", "set_duckdb_tag", "configure", "configure_ci", "release", "debug",
                       "test_release", "test_debug", "clean", "clean_all"):
            with self.subTest(target=target):
                self.dry(target)

    def test_platforms(self):
        """DUCKDB_PLATFORM names the footer's platform; a Rust target only where it is not rustc's host."""
        for platform_name in append_metadata.SUPPORTED_PLATFORMS:
            with self.subTest(platform=platform_name):
                _, library, target = append_metadata.build_settings(platform_name)
                out = self.dry("release", DUCKDB_PLATFORM=platform_name)
                cargo = re.search(r"^cargo build --release(.*)$", out, re.M).group(1).strip()
                self.assertEqual(cargo, f"--target {target}" if target else "")
                folder = f"target/{target}/release" if target else "target/release"
                self.assertIn(f"--library {folder}/{library} ", out)
                self.assertIn(f"--platform {platform_name}", out)
                self.assertIn(f"--copy-to {ARTIFACT} ", out)
        out = self.dry("release", DUCKDB_PLATFORM="osx_amd64")
        host = append_metadata.host_cargo_target()
        if host != "x86_64-apple-darwin":  # e.g. an arm64 Mac: osx_amd64 is a cross build
            self.assertIn("cargo build --release --target x86_64-apple-darwin", out)
        out = self.dry("debug", DUCKDB_PLATFORM="windows_amd64")
        self.assertIn("debug/flights_helper.dll", out)
        self.assertIn("--copy-to build/debug/extension/flights_helper/flights_helper.duckdb_extension", out)

    def test_version(self):
        version = "v" + cargo_package()["version"]
        self.assertIn(f"--extension-version {version} ", self.dry("release"))
        self.assertIn("--extension-version v9.8.7 ", self.dry("release", EXTENSION_VERSION="v9.8.7"))

    def test_unstable_c_api_refused(self):
        code, out = make("-n", "release", USE_UNSTABLE_C_API="1")
        self.assertNotEqual(code, 0)
        self.assertIn("stable C API v1.2.0", out)

    def test_inside_the_linux_build_container(self):
        """configure_ci and test_release do nothing there (and create nothing): the job runs them outside."""
        existed = os.path.exists(os.path.join(ROOT, "configure"))
        code, out = make("set_duckdb_version", "set_duckdb_tag", "configure_ci", "test_release", "test_debug",
                         LINUX_CI_IN_DOCKER="1", DUCKDB_PLATFORM="linux_amd64", DUCKDB_GIT_VERSION="v1.5.5")
        self.assertEqual(code, 0, out)
        self.assertIn("configure_ci: nothing to do inside the build container", out)
        self.assertIn("test_release: skipped", out)
        self.assertIn("DUCKDB_GIT_VERSION=v1.5.5", out)
        self.assertEqual(os.path.exists(os.path.join(ROOT, "configure")), existed)

    def test_tests_skip_where_the_build_cannot_load(self):
        for variables in ({"DUCKDB_PLATFORM": "windows_amd64_mingw"}, {"SKIP_TESTS": "1"}):
            with self.subTest(**variables):
                self.assertIn("test_release: skipped", self.dry("test_release", **variables))

    def test_test_release_runs_our_runner_on_test_sql(self):
        out = self.dry("test_release", LINUX_CI_IN_DOCKER="0")
        self.assertIn("configure/venv/bin/python3 tools/sqllogictest --extension "
                      "build/release/flights_helper.duckdb_extension test/sql", out)
        self.assertIn("-r tools/requirements-runner.txt", out)
        out = self.dry("configure", DUCKDB_TEST_VERSION="1.5.6")
        self.assertIn("pip install --quiet --disable-pip-version-check duckdb==1.5.6", out)

    def test_windows(self):
        """On Windows (make from cmd, through Git's sh) the venv's python is Scripts/python.exe."""
        out = self.dry("configure", "test_release", OS="Windows_NT")
        self.assertIn("python -m venv configure/venv", out)
        self.assertIn("configure/venv/Scripts/python.exe tools/sqllogictest", out)


class PinsAgreeTest(unittest.TestCase):
    """One fact, one value: the submission files agree with each other and with Cargo.toml."""

    def setUp(self):
        self.description = description_yml.read(os.path.join(ROOT, "description.yml"))

    def test_description_matches_cargo(self):
        package = cargo_package()
        self.assertEqual(self.description["extension.name"], package["name"])
        self.assertEqual(self.description["extension.version"], package["version"])
        self.assertEqual(self.description["extension.license"], package["license"])
        self.assertTrue(read("LICENSE").startswith(f"{package['license']} License\n"))

    def test_description_has_every_field_the_pipeline_reads(self):
        d = self.description
        for key in ("extension.description", "extension.maintainers", "docs.hello_world", "docs.extended_description"):
            self.assertTrue(d.get(key), key)
        self.assertEqual((d["extension.language"], d["extension.build"], d["extension.requires_toolchains"]),
                         ("Rust", "cargo", "rust;python3"))
        for key in ("repo.github", "repo.ref"):  # placeholders until the submission, and they say so
            self.assertIn("FILL-IN", d[key], key)

    def test_workflow(self):
        workflow = read(".github/workflows/MainDistributionPipeline.yml")
        uses = "duckdb/extension-ci-tools/.github/workflows/_extension_distribution.yml@" + CI_TOOLS_BRANCH
        self.assertIn(f"uses: {uses}\n", workflow)
        value = lambda key: re.search(rf"^\s+{key}: '?([^'\n]*)'?$", workflow, re.M).group(1)  # noqa: E731
        self.assertEqual(value("ci_tools_version"), CI_TOOLS_BRANCH)
        self.assertEqual(value("extension_name"), self.description["extension.name"])
        self.assertEqual(value("extra_toolchains"), self.description["extension.requires_toolchains"])
        self.assertEqual(value("exclude_archs"), self.description["extension.excluded_platforms"])

    def test_submodule(self):
        modules = read(".gitmodules")
        self.assertIn("path = extension-ci-tools\n", modules)
        self.assertIn("url = https://github.com/duckdb/extension-ci-tools\n", modules)
        self.assertIn(f"branch = {CI_TOOLS_BRANCH}\n", modules)
        staged = subprocess.run(["git", "-C", ROOT, "ls-files", "-s", "extension-ci-tools"], stdout=subprocess.PIPE,
                                universal_newlines=True).stdout
        self.assertEqual(staged.split()[:2], ["160000", CI_TOOLS_COMMIT])

    def test_windows_links_the_c_runtime_statically(self):
        config = read(".cargo/config.toml")
        self.assertIn('[target.x86_64-pc-windows-msvc]\nrustflags = ["-Ctarget-feature=+crt-static"]', config)

    def test_runner_pins(self):
        def pins(path):
            return dict(line.split("==") for line in read(path).splitlines() if "==" in line and not line.startswith("#"))
        runner, ours = pins("tools/requirements-runner.txt"), pins("tools/requirements-duckdb-2.0.txt")
        self.assertEqual(set(runner), {"duckdb", "pyarrow", "google-re2"})
        self.assertEqual(runner, {name: ours[name] for name in runner})


class NothingReadsExtensionCiToolsTest(unittest.TestCase):
    """DuckDB's pipeline replaces extension-ci-tools/; our clones have it empty: no code of ours may use it."""

    def test_no_reference_outside_comments(self):
        files = ["Makefile", ".ci/run"] + [os.path.join("tools", f) for f in sorted(os.listdir(os.path.join(ROOT, "tools")))
                                           if f.endswith((".py", ".sh"))]
        for path in files:
            for n, line in enumerate(read(path).splitlines(), 1):
                code = line.split("#", 1)[0]
                with self.subTest(path=path, line=n):
                    self.assertNotIn("extension-ci-tools", code)


if __name__ == "__main__":
    unittest.main()
