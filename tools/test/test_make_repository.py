"""Unit tests for make_repository.py (standard library only; signing is tested end to end in
test/install/test_repository.py, which needs openssl and DuckDB 2.0).

Run: python3 -m unittest discover -s tools/test -p 'test_*.py'
"""
import contextlib
import gzip
import hashlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import append_metadata  # noqa: E402
import make_repository  # noqa: E402


def run_cli(*args):
    """Run make_repository.main quietly; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = make_repository.main(list(args))
    return code, out.getvalue(), err.getvalue()


class MakeRepositoryTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.extension = self.path("build", "flights_helper.duckdb_extension")
        os.makedirs(os.path.dirname(self.extension))
        self.data = b"\x7fELF library" + append_metadata.build_footer("C_STRUCT", "v0.1.0", "v1.2.0", "osx_arm64")
        with open(self.extension, "wb") as f:
            f.write(self.data)

    def path(self, *parts):
        return os.path.join(self.dir.name, *parts)

    def read_gz(self, *parts):
        with open(self.path(*parts), "rb") as f:
            return gzip.decompress(f.read())

    def test_every_version_folder_gets_the_same_bytes(self):
        code, out, err = run_cli("--extension", self.extension, "--output", self.path("repo"),
                                 "--duckdb-version", "v1.5.6", "--duckdb-version", "v2.0.1")
        self.assertEqual(code, 0, err)
        self.assertIn("osx_arm64", out)
        for version in ("v1.5.6", "v2.0.1"):
            self.assertEqual(self.read_gz("repo", version, "osx_arm64", "flights_helper.duckdb_extension.gz"), self.data)
        self.assertEqual(sorted(os.listdir(self.path("repo"))), ["v1.5.6", "v2.0.1"])  # no .well-known unsigned

    def test_reproducible(self):
        gz = ("repo", "v2.0.1", "osx_arm64", "flights_helper.duckdb_extension.gz")
        run_cli("--extension", self.extension, "--output", self.path("repo"), "--duckdb-version", "v2.0.1")
        with open(self.path(*gz), "rb") as f:
            first = f.read()
        run_cli("--extension", self.extension, "--output", self.path("repo"), "--duckdb-version", "v2.0.1")
        with open(self.path(*gz), "rb") as f:
            self.assertEqual(f.read(), first)

    def test_other_platforms_are_left_alone(self):
        other = self.path("repo", "v2.0.1", "linux_amd64", "flights_helper.duckdb_extension.gz")
        os.makedirs(os.path.dirname(other))
        with open(other, "wb") as f:
            f.write(b"linux build")
        self.assertEqual(run_cli("--extension", self.extension, "--output", self.path("repo"),
                                 "--duckdb-version", "v2.0.1")[0], 0)
        with open(other, "rb") as f:
            self.assertEqual(f.read(), b"linux build")

    def test_extension_version_rewrites_the_footer(self):
        self.assertEqual(run_cli("--extension", self.extension, "--output", self.path("old"),
                                 "--duckdb-version", "v2.0.1", "--extension-version", "v0.0.1")[0], 0)
        data = self.read_gz("old", "v2.0.1", "osx_arm64", "flights_helper.duckdb_extension.gz")
        self.assertEqual(append_metadata.read_footer(data)["extension_version"], "v0.0.1")
        self.assertEqual(len(data), len(self.data))

    def test_an_old_signature_is_dropped_when_not_signing(self):
        with open(self.extension, "wb") as f:
            f.write(self.data[:-256] + b"\x07" * 256)
        run_cli("--extension", self.extension, "--output", self.path("repo"), "--duckdb-version", "v2.0.1")
        self.assertEqual(self.read_gz("repo", "v2.0.1", "osx_arm64", "flights_helper.duckdb_extension.gz"), self.data)

    def test_versions_file(self):
        good = self.path("versions.txt")
        with open(good, "w") as f:
            f.write("# comment\nv1.4.4\n\nv2.0.1  # tested\n")
        self.assertEqual(make_repository.read_versions(good), ["v1.4.4", "v2.0.1"])
        for text, message in [("1.4.4\n", "not a DuckDB release"), ("v2.0.1\nv2.0.1\n", "listed twice"),
                              ("# nothing\n", "lists no DuckDB version")]:
            with self.subTest(text=text):
                with open(good, "w") as f:
                    f.write(text)
                with self.assertRaisesRegex(ValueError, message):
                    make_repository.read_versions(good)

    def test_the_projects_versions_file(self):
        """At least one 1.4.x, 1.5.x and 2.0.x release, and the ones make test installs on."""
        versions = make_repository.read_versions(make_repository.DEFAULT_VERSIONS_FILE)
        for line in ("v1.4.", "v1.5.", "v2.0."):
            self.assertTrue(any(v.startswith(line) for v in versions), line)
        self.assertIn("v1.5.6", versions)
        self.assertIn("v2.0.1", versions)

    def test_errors(self):
        code, _, err = run_cli("--extension", self.extension, "--output", self.path("repo"), "--duckdb-version", "2.0.1")
        self.assertEqual(code, 1)
        self.assertIn("not a DuckDB release", err)
        code, _, err = run_cli("--extension", self.extension, "--output", self.path("repo"),
                               "--signing-key", self.path("missing.pem"))
        self.assertEqual(code, 1)
        self.assertIn("does not exist", err)
        no_footer = self.path("flights_helper.duckdb_extension")
        with open(no_footer, "wb") as f:
            f.write(b"just a library")
        code, _, err = run_cli("--extension", no_footer, "--output", self.path("repo"))
        self.assertEqual(code, 1)
        self.assertIn("does not end with DuckDB extension metadata", err)
        self.assertFalse(os.path.exists(self.path("repo")))

    def test_signed_hash_covers_all_but_the_signature_in_1_mib_chunks(self):
        body = bytes(range(256)) * (10 * 1024)  # 2.5 MiB: two whole chunks and a partial one
        data = body + b"\xaa" * 256
        mib = 1024 * 1024
        chunks = [body[0:mib], body[mib:2 * mib], body[2 * mib:]]
        expected = hashlib.sha256(b"".join(hashlib.sha256(c).digest() for c in chunks)).digest()
        self.assertEqual(make_repository.signed_hash(data), expected)
        self.assertEqual(make_repository.signed_hash(body + b"\xbb" * 256), expected)  # the slot is not covered
        changed = bytearray(data)
        changed[mib + 5] ^= 1
        self.assertNotEqual(make_repository.signed_hash(bytes(changed)), expected)


if __name__ == "__main__":
    unittest.main()
