#!/usr/bin/env python3
"""Install-by-name tests that need more than one DuckDB process or startup settings.

Run with the python of each pinned DuckDB (make test-install does both):

    .venv/duckdb-2.0/bin/python test/install/test_repository.py
    .venv/duckdb-1.5/bin/python test/install/test_repository.py

Needs build/release/flights_helper.duckdb_extension (make release) and the
``openssl`` command. Every DuckDB runs in a fresh process with a private
extension_directory and extension_repository_directory under a temporary
folder: nothing is written to ~/.duckdb.

* Updating a repository in place: INSTALL keeps the installed build, FORCE
  INSTALL replaces it (both DuckDB lines).
* Signed repositories (DuckDB 2.0): started WITHOUT allow_unsigned_extensions,
  a repository signed by make_repository.py --signing-key with a throwaway
  RSA key made here registers, installs and loads; a copy with one byte
  flipped, a binary signed with another key and an unsigned binary are
  refused at INSTALL; an installed file replaced afterwards is refused at
  LOAD. The private keys live in the temporary folder only and never appear
  in the repository or the tool's output. On DuckDB 1.5 the test checks that
  CREATE EXTENSION REPOSITORY does not exist there (README says signed
  repositories need DuckDB 2.0).
"""
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tools")
EXTENSION = os.path.join(ROOT, "build", "release", "flights_helper.duckdb_extension")
DUCKDB_VERSION = "v" + duckdb.__version__
IS_DUCKDB_2 = duckdb.__version__.split(".")[0] == "2"

sys.path.insert(0, TOOLS)
import append_metadata  # noqa: E402

# Runs SQL statements in one fresh database and prints one JSON result per
# statement: ["ok", rows] or ["error", message]; it stops at the first error.
DRIVER = r"""
import json, sys, duckdb
config, statements = json.loads(sys.stdin.read())
results = []
try:
    con = duckdb.connect(":memory:", config=config)
except duckdb.Error as e:
    print(json.dumps([["error", "connect: " + str(e)]])); sys.exit(0)
for sql in statements:
    try:
        results.append(["ok", [list(map(str, r)) for r in con.execute(sql).fetchall()]])
    except duckdb.Error as e:
        results.append(["error", str(e)])
        break
print(json.dumps(results))
"""


def run_duckdb(config, statements):
    """Run ``statements`` in a new DuckDB process opened with ``config``; return the results."""
    result = subprocess.run([sys.executable, "-c", DRIVER], input=json.dumps([config, statements]),
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"the DuckDB process failed:\n{result.stderr}")
    return json.loads(result.stdout)


def make_repository(*args):
    """Run make_repository.py with ``args``; return its combined output (fails the test on error)."""
    result = subprocess.run([sys.executable, os.path.join(TOOLS, "make_repository.py"),
                             "--extension", EXTENSION, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"make_repository.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


def serve(test, folder):
    """Serve ``folder`` over HTTP on loopback for the rest of ``test``; return its URL."""
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    test.addCleanup(thread.join)
    test.addCleanup(server.server_close)
    test.addCleanup(server.shutdown)
    return f"http://127.0.0.1:{server.server_address[1]}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def platform_name():
    with open(EXTENSION, "rb") as f:
        return append_metadata.read_footer(f.read())["platform"]


def repository_file(repository):
    return os.path.join(repository, DUCKDB_VERSION, platform_name(), "flights_helper.duckdb_extension.gz")


class Scratch(unittest.TestCase):
    """A temporary folder per test, with private DuckDB directories."""

    def setUp(self):
        if not os.path.isfile(EXTENSION):
            self.fail(f"{EXTENSION} is missing: run make release")
        self.tmp = tempfile.mkdtemp(prefix="flights_helper_install_")
        self.addCleanup(shutil.rmtree, self.tmp)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def config(self, name="db", unsigned=False):
        """Startup settings: private directories; allow_unsigned_extensions only when asked."""
        config = {"extension_directory": self.path(name, "extensions"),
                  "allow_unsigned_extensions": "true" if unsigned else "false",
                  # Never reach for DuckDB's own extension server (httpfs and the like).
                  "autoinstall_known_extensions": "false"}
        if IS_DUCKDB_2:
            config["extension_repository_directory"] = self.path(name, "extension_repositories")
        return config

    def assert_ok(self, results, count):
        self.assertEqual(len(results), count, results)
        for status, value in results:
            self.assertEqual(status, "ok", value)
        return results

    def assert_error(self, results, text):
        status, message = results[-1]
        self.assertEqual(status, "error", f"expected an error containing {text!r}; got {results}")
        self.assertIn(text, message)
        return message


class UpdateInPlaceTest(Scratch):
    """A team rebuilds its repository at the same URL: FORCE INSTALL picks the new build up."""

    def test_force_install_replaces_an_older_build_from_the_same_repository(self):
        repo = self.path("repo")
        make_repository("--output", repo, "--duckdb-version", DUCKDB_VERSION, "--extension-version", "v0.0.1")
        install = f"INSTALL flights_helper FROM '{repo}'"
        version = "SELECT extension_version FROM duckdb_extensions() WHERE extension_name = 'flights_helper'"
        results = self.assert_ok(run_duckdb(self.config(unsigned=True), [install, version]), 2)
        self.assertEqual(results[1][1], [["v0.0.1"]])

        make_repository("--output", repo, "--duckdb-version", DUCKDB_VERSION)  # the new build, same place
        # A plain INSTALL keeps what is installed ...
        results = self.assert_ok(run_duckdb(self.config(unsigned=True), [install, version]), 2)
        self.assertEqual(results[1][1], [["v0.0.1"]])
        # ... FORCE INSTALL replaces it, and LOAD by name loads the new one.
        results = self.assert_ok(run_duckdb(self.config(unsigned=True), [
            "FORCE " + install, "LOAD flights_helper", version, "SELECT 'v' || flights_helper_version()"]), 4)
        self.assertEqual(results[2][1], results[3][1])
        self.assertNotEqual(results[2][1], [["v0.0.1"]])

    def test_install_over_http(self):
        """A static web server (here on loopback) is a repository; a missing version is DuckDB's HTTP 404."""
        repo = self.path("repo")
        make_repository("--output", repo, "--duckdb-version", DUCKDB_VERSION)
        url = serve(self, repo)
        results = self.assert_ok(run_duckdb(self.config(unsigned=True), [
            f"INSTALL flights_helper FROM '{url}'", "LOAD flights_helper",
            "SELECT installed_from, extension_version = 'v' || flights_helper_version() FROM duckdb_extensions() "
            "WHERE extension_name = 'flights_helper'"]), 3)
        self.assertEqual(results[2][1], [[url, "True"]])
        message = self.assert_error(run_duckdb(self.config("other", unsigned=True), [
            f"INSTALL flights_helper FROM '{url}/elsewhere'"]), "(HTTP 404)")
        self.assertIn(f'at URL "{url}/elsewhere/{DUCKDB_VERSION}/{platform_name()}/flights_helper.duckdb_extension.gz"',
                      message)

    def test_an_unsigned_build_needs_allow_unsigned_extensions(self):
        repo = self.path("repo")
        make_repository("--output", repo, "--duckdb-version", DUCKDB_VERSION)
        results = run_duckdb(self.config(), [f"INSTALL flights_helper FROM '{repo}'", "LOAD flights_helper"])
        self.assert_error(results, "doesn't have a valid signature")


NEEDS_2 = unittest.skipUnless(IS_DUCKDB_2, "signed custom repositories need DuckDB 2.0")


class SignedRepositoryTest(Scratch):
    """DuckDB 2.0 started without allow_unsigned_extensions trusts a registered repository's key."""

    def setUp(self):
        super().setUp()
        if shutil.which("openssl") is None:
            self.fail("the signed-repository tests need the openssl command (install OpenSSL)")
        self.key_a = self.new_key("a")
        self.key_b = self.new_key("b")

    def new_key(self, name, bits=2048):
        """A throwaway RSA private key in the scratch folder (mode 600)."""
        path = self.path(f"{name}.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}",
                        "-out", path], check=True, capture_output=True)
        os.chmod(path, 0o600)
        return path

    def signed_repository(self, name, key):
        repo = self.path(name)
        output = make_repository("--output", repo, "--duckdb-version", DUCKDB_VERSION, "--signing-key", key)
        self.assert_key_not_leaked(output)
        return repo

    def private_der(self, key):
        """The private key's DER bytes (what would leak if the key were copied in binary form)."""
        return subprocess.run(["openssl", "pkey", "-in", key, "-outform", "DER"], check=True,
                              capture_output=True).stdout

    def assert_key_not_leaked(self, text):
        """No line of either private key's PEM body appears in ``text``."""
        for key in (self.key_a, self.key_b):
            with open(key) as f:
                body = [line for line in f.read().splitlines() if line and not line.startswith("-----")]
            self.assertGreater(len(body), 10)
            for line in body:
                self.assertNotIn(line, text)

    def register(self, repo, name="r"):
        return ["SET allow_extension_repositories = 'allowed'",
                f"CREATE EXTENSION REPOSITORY {name} WITH PREFIX '{repo}'"]

    @NEEDS_2
    def test_register_install_load_without_unsigned_extensions(self):
        repo = self.signed_repository("repo", self.key_a)
        # The repository publishes the public key, and nothing in it holds a private key.
        with open(os.path.join(repo, ".well-known", "duckdb-extension-repo.json")) as f:
            published = json.load(f)["signature_keys"]
        public = subprocess.run(["openssl", "pkey", "-in", self.key_a, "-pubout"], check=True,
                                capture_output=True, text=True).stdout
        self.assertEqual(published, [public])
        for folder, _, files in os.walk(repo):
            for name in files:
                with open(os.path.join(folder, name), "rb") as f:
                    data = f.read()
                if name.endswith(".gz"):
                    data = gzip.decompress(data)
                # (The library itself holds the words "PRIVATE KEY": rustls parses PEM. Look for the key.)
                self.assertNotIn(self.private_der(self.key_a), data, name)
                self.assert_key_not_leaked(data.decode("latin-1"))

        results = self.assert_ok(run_duckdb(self.config(), [
            "SELECT current_setting('allow_unsigned_extensions')",
            *self.register(repo),
            "INSTALL flights_helper FROM r",
            "LOAD flights_helper FROM r",
            "SELECT flights_helper_version() IS NOT NULL, flight_secret_env_name('s', 'API_KEY')",
            "SELECT loaded, installed_from FROM duckdb_extensions() WHERE extension_name = 'flights_helper'",
        ]), 7)
        self.assertEqual(results[0][1], [["False"]])
        self.assertEqual(results[5][1], [["True", "S_API_KEY"]])
        self.assertEqual(results[6][1], [["True", "r"]])

        # A later session with the same directories loads it without registering again.
        self.assert_ok(run_duckdb(self.config(), ["LOAD flights_helper FROM r", "SELECT flights_helper_version()"]), 2)

        # An installed file replaced afterwards (here: the same build signed with another key) is refused at LOAD.
        # (An install from a registered repository lands in a folder of its own.)
        installed = self.path("db", "extensions", DUCKDB_VERSION, platform_name(), "repositories", "r",
                              "flights_helper.duckdb_extension")
        self.assertTrue(os.path.isfile(installed))
        other = self.signed_repository("other", self.key_b)
        with open(installed, "wb") as f:
            f.write(gzip.decompress(open(repository_file(other), "rb").read()))
        message = self.assert_error(run_duckdb(self.config(), ["LOAD flights_helper FROM r"]),
                                    "signature is either missing or invalid")
        self.assertIn("could not be loaded", message)
        # The unsigned build in its place is refused the same way.
        shutil.copyfile(EXTENSION, installed)
        self.assert_error(run_duckdb(self.config(), ["LOAD flights_helper FROM r"]),
                          "signature is either missing or invalid")

    def tampered_copy(self, repo, offset_from_end=None):
        """A copy of ``repo`` whose binary has one byte flipped (in the library, or at an offset from the end)."""
        copy = self.path(os.path.basename(repo) + "_tampered")
        shutil.copytree(repo, copy)
        path = repository_file(copy)
        data = bytearray(gzip.decompress(open(path, "rb").read()))
        at = len(data) // 2 if offset_from_end is None else len(data) - offset_from_end
        data[at] ^= 0x01
        with open(path, "wb") as f:
            f.write(gzip.compress(bytes(data), mtime=0))
        return copy

    def assert_install_refused(self, repo):
        results = run_duckdb(self.config(), [*self.register(repo), "INSTALL flights_helper FROM r"])
        self.assert_error(results, "doesn't have a valid signature")
        installed = self.path("db", "extensions", DUCKDB_VERSION, platform_name(), "repositories", "r",
                              "flights_helper.duckdb_extension")
        self.assertFalse(os.path.exists(installed))
        self.assertFalse(os.path.exists(os.path.dirname(installed)) and os.listdir(os.path.dirname(installed)))

    @NEEDS_2
    def test_signed_repository_over_http(self):
        """Over http(s) DuckDB reads .well-known through httpfs; USING PUBLIC KEY needs no httpfs."""
        repo = self.signed_repository("repo", self.key_a)
        url = serve(self, repo)
        self.assert_error(run_duckdb(self.config(), self.register(url)), "requires the httpfs extension")
        public = subprocess.run(["openssl", "pkey", "-in", self.key_a, "-pubout"], check=True,
                                capture_output=True, text=True).stdout
        results = self.assert_ok(run_duckdb(self.config(), [
            "SET allow_extension_repositories = 'allowed'",
            f"CREATE EXTENSION REPOSITORY r WITH PREFIX '{url}' USING PUBLIC KEY '{public}'",
            "INSTALL flights_helper FROM r", "LOAD flights_helper FROM r",
            "SELECT flights_helper_version() IS NOT NULL"]), 5)
        self.assertEqual(results[4][1], [["True"]])

    @NEEDS_2
    def test_one_byte_flipped_in_the_library_is_refused(self):
        self.assert_install_refused(self.tampered_copy(self.signed_repository("repo", self.key_a)))

    @NEEDS_2
    def test_one_byte_flipped_in_the_footer_is_refused(self):
        # The second byte of the extension version field ('v0.1.0' -> 'v1.1.0'): the footer is signed too.
        offset = append_metadata.SIGNATURE_SIZE + 4 * append_metadata.FIELD_SIZE - 1
        self.assert_install_refused(self.tampered_copy(self.signed_repository("repo", self.key_a), offset))

    @NEEDS_2
    def test_a_binary_signed_with_another_key_is_refused(self):
        repo = self.signed_repository("repo", self.key_a)
        other = self.signed_repository("other", self.key_b)
        shutil.copyfile(repository_file(other), repository_file(repo))  # key A published, key B's binary
        self.assert_install_refused(repo)

    @NEEDS_2
    def test_an_unsigned_binary_is_refused(self):
        repo = self.signed_repository("repo", self.key_a)
        make_repository("--output", repo, "--duckdb-version", DUCKDB_VERSION)  # unsigned, key A still published
        self.assert_install_refused(repo)

    def test_the_signed_repository_still_works_with_allow_unsigned(self):
        # Plain INSTALL FROM '<folder>' (no registration) with unsigned allowed: how DuckDB 1.5 uses it.
        repo = self.signed_repository("repo", self.key_a)
        self.assert_ok(run_duckdb(self.config(unsigned=True), [
            f"INSTALL flights_helper FROM '{repo}'", "LOAD flights_helper", "SELECT flights_helper_version()"]), 3)

    def test_a_key_that_is_not_rsa_2048_is_refused_by_the_tool(self):
        big = self.new_key("big", bits=3072)
        result = subprocess.run([sys.executable, os.path.join(TOOLS, "make_repository.py"), "--extension", EXTENSION,
                                 "--output", self.path("repo"), "--duckdb-version", DUCKDB_VERSION,
                                 "--signing-key", big], capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn("RSA-2048", result.stderr)
        self.assertFalse(os.path.exists(self.path("repo")))


@unittest.skipIf(IS_DUCKDB_2, "DuckDB 1.5 only")
class NoSignedRepositoriesBeforeDuckDB2Test(Scratch):
    def test_create_extension_repository_does_not_exist(self):
        results = run_duckdb(self.config(unsigned=True), ["CREATE EXTENSION REPOSITORY r WITH PREFIX '/nowhere'"])
        self.assert_error(results, "syntax error")


if __name__ == "__main__":
    print(f"DuckDB {duckdb.__version__} (python package): {__file__}")
    unittest.main(verbosity=2)
