"""Unit tests for append_metadata.py (standard library only).

Run: python3 -m unittest discover -s tools/test -p 'test_*.py'
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import append_metadata  # noqa: E402


def run_cli(*args):
    """Run append_metadata.main quietly; return (exit code, stderr text)."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = append_metadata.main(list(args))
    return code, err.getvalue()


class AppendMetadataTest(unittest.TestCase):
    """The footer layout, byte for byte, and the validation of the inputs."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.library = os.path.join(self.dir.name, "libflights_helper.so")
        with open(self.library, "wb") as f:
            f.write(b"\x7fELF not really a library")

    def tearDown(self):
        self.dir.cleanup()

    def output(self, name="flights_helper.duckdb_extension"):
        return os.path.join(self.dir.name, "build", "release", name)

    def test_footer_layout(self):
        out = self.output()
        code, err = run_cli("--library", self.library, "--output", out, "--extension-version", "v0.1.0",
                            "--platform", "linux_amd64")
        self.assertEqual(code, 0, err)
        with open(out, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\x7fELF not really a library"))
        footer = data[len(b"\x7fELF not really a library"):]
        self.assertEqual(len(footer), 22 + 8 * 32 + 256)
        self.assertEqual(footer[:22], b"\x00\x93\x04\x10duckdb_signature\x80\x04")
        fields = [footer[22 + 32 * i: 22 + 32 * (i + 1)] for i in range(8)]
        self.assertEqual([f.rstrip(b"\x00") for f in fields],
                         [b"", b"", b"", b"C_STRUCT", b"v0.1.0", b"v1.2.0", b"linux_amd64", b"4"])
        for f in fields:
            self.assertEqual(len(f), 32)
        self.assertEqual(footer[22 + 256:], b"\x00" * 256)

    def test_options(self):
        out = self.output()
        code, err = run_cli("--library", self.library, "--output", out, "--extension-version", "v9.9.9",
                            "--platform", "osx_arm64", "--abi-type", "CPP", "--capi-version", "v1.3.0")
        self.assertEqual(code, 0, err)
        with open(out, "rb") as f:
            tail = f.read()[-(8 * 32 + 256):-256]
        self.assertEqual([tail[32 * i: 32 * (i + 1)].rstrip(b"\x00") for i in range(3, 7)],
                         [b"CPP", b"v9.9.9", b"v1.3.0", b"osx_arm64"])

    def test_copy_to(self):
        """--copy-to also writes the finished file where DuckDB's pipeline collects it."""
        out = self.output()
        artifact = os.path.join(self.dir.name, "build", "release", "extension", "flights_helper",
                                "flights_helper.duckdb_extension")
        code, err = run_cli("--library", self.library, "--output", out, "--extension-version", "v0.1.0",
                            "--platform", "linux_amd64", "--copy-to", artifact)
        self.assertEqual(code, 0, err)
        with open(out, "rb") as a, open(artifact, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_default_platform(self):
        self.assertRegex(append_metadata.default_platform(), r"^(linux|osx|windows)_(amd64|arm64)$")

    def test_field_too_long(self):
        code, err = run_cli("--library", self.library, "--output", self.output(),
                            "--extension-version", "v" + "1" * 31)
        self.assertEqual(code, 1)
        self.assertIn("at most 31 fit", err)
        self.assertFalse(os.path.exists(self.output()))
        code, _ = run_cli("--library", self.library, "--output", self.output(), "--extension-version", "v" + "1" * 30)
        self.assertEqual(code, 0)

    def test_non_ascii_field(self):
        code, err = run_cli("--library", self.library, "--output", self.output(), "--extension-version", "v1é")
        self.assertEqual(code, 1)
        self.assertIn("ASCII", err)

    def test_output_name(self):
        code, err = run_cli("--library", self.library, "--output", self.output("flights_helper.so"),
                            "--extension-version", "v0.1.0")
        self.assertEqual(code, 1)
        self.assertIn(".duckdb_extension", err)
        code, err = run_cli("--library", self.library, "--output", self.output("flights-helper.duckdb_extension"),
                            "--extension-version", "v0.1.0")
        self.assertEqual(code, 1)
        self.assertIn("identifier", err)

    def test_refuses_a_library_that_already_has_metadata(self):
        out = self.output()
        self.assertEqual(run_cli("--library", self.library, "--output", out, "--extension-version", "v0.1.0")[0], 0)
        code, err = run_cli("--library", out, "--output", self.output("again.duckdb_extension"),
                            "--extension-version", "v0.1.0")
        self.assertEqual(code, 1)
        self.assertIn("already ends with", err)

    def test_missing_library(self):
        code, err = run_cli("--library", os.path.join(self.dir.name, "missing.so"), "--output", self.output(),
                            "--extension-version", "v0.1.0")
        self.assertEqual(code, 1)
        self.assertIn("missing.so", err)


class PlatformTest(unittest.TestCase):
    """The platform string and library file name, for every platform we build for."""

    # (platform.system(), platform.machine(), Rust target, DuckDB platform, cargo's library file)
    MAPPINGS = [
        ("Linux", "x86_64", "x86_64-unknown-linux-gnu", "linux_amd64", "libflights_helper.so"),
        ("Linux", "aarch64", "aarch64-unknown-linux-gnu", "linux_arm64", "libflights_helper.so"),
        ("Darwin", "arm64", "aarch64-apple-darwin", "osx_arm64", "libflights_helper.dylib"),
        ("Darwin", "x86_64", "x86_64-apple-darwin", "osx_amd64", "libflights_helper.dylib"),
        ("Windows", "AMD64", "x86_64-pc-windows-msvc", "windows_amd64", "flights_helper.dll"),
    ]

    def test_every_mapping(self):
        for system, machine, target, platform_name, library in self.MAPPINGS:
            with self.subTest(platform=platform_name):
                self.assertEqual(append_metadata.platform_for(system, machine), platform_name)
                self.assertEqual(append_metadata.platform_for_cargo_target(target), platform_name)
                self.assertEqual(append_metadata.library_file_name("flights_helper", platform_name), library)
        self.assertEqual(sorted(p for _, _, _, p, _ in self.MAPPINGS), sorted(append_metadata.SUPPORTED_PLATFORMS))

    def test_print_host_and_overrides(self):
        """--print as the Makefile calls it: the host, CARGO_TARGET=, PLATFORM=."""
        for system, machine, target, platform_name, library in self.MAPPINGS:
            with self.subTest(platform=platform_name):
                self.assertEqual(print_cli("--print", "platform", "--cargo-target", target), (0, platform_name))
                self.assertEqual(print_cli("--print", "library-file", "--cargo-target", target), (0, library))
                self.assertEqual(print_cli("--print", "library-file", "--platform", platform_name), (0, library))
        # DUCKDB_PLATFORM= wins over CARGO_TARGET= (e.g. a musl build named as DuckDB names it).
        self.assertEqual(print_cli("--print", "platform", "--platform", "linux_amd64_musl",
                                   "--cargo-target", "x86_64-unknown-linux-gnu"), (0, "linux_amd64_musl"))
        self.assertEqual(print_cli("--print", "platform"), (0, append_metadata.default_platform()))

    def test_build_settings(self):
        """--print build: DUCKDB_PLATFORM= gives a Rust target only where it is not the host's (a cross build)."""
        build = append_metadata.build_settings
        self.assertEqual(build("osx_amd64", host="aarch64-apple-darwin"),
                         ("osx_amd64", "libflights_helper.dylib", "x86_64-apple-darwin"))
        self.assertEqual(build("osx_arm64", host="aarch64-apple-darwin"), ("osx_arm64", "libflights_helper.dylib", None))
        self.assertEqual(build("linux_arm64", host="x86_64-unknown-linux-gnu"),
                         ("linux_arm64", "libflights_helper.so", "aarch64-unknown-linux-gnu"))
        self.assertEqual(build("linux_amd64", host="x86_64-unknown-linux-gnu"), ("linux_amd64", "libflights_helper.so", None))
        self.assertEqual(build("windows_amd64", host="x86_64-pc-windows-msvc"), ("windows_amd64", "flights_helper.dll", None))
        self.assertEqual(build(None, "aarch64-apple-darwin", host="x86_64-unknown-linux-gnu"),
                         ("osx_arm64", "libflights_helper.dylib", "aarch64-apple-darwin"))
        self.assertEqual(build("linux_amd64_musl", "x86_64-unknown-linux-musl", host="x86_64-unknown-linux-gnu"),
                         ("linux_amd64_musl", "libflights_helper.so", "x86_64-unknown-linux-musl"))
        with self.assertRaisesRegex(ValueError, "not built for the platform 'linux_amd64_musl'"):
            build("linux_amd64_musl", host="x86_64-unknown-linux-gnu")
        here = append_metadata.default_platform()
        library = append_metadata.library_file_name("flights_helper", here)
        code, printed = print_cli("--print", "build")
        self.assertEqual((code, printed.split()[:3]), (0, [here, library, "-"]))
        self.assertRegex(printed.split()[3], r"^v[0-9]+\.[0-9]+\.[0-9]+")
        with tempfile.TemporaryDirectory() as folder:
            toml = os.path.join(folder, "Cargo.toml")
            with open(toml, "w") as f:
                f.write('[package]\nname = "x"\nversion = "1.2.3"\n\n[dependencies]\nduckdb = { version = "=1" }\n')
            self.assertEqual(append_metadata.cargo_version(toml), "v1.2.3")

    def test_unknown_platforms(self):
        for system, machine in [("Linux", "riscv64"), ("FreeBSD", "amd64"), ("Windows", "ARM64")]:
            with self.subTest(system=system, machine=machine):
                with self.assertRaisesRegex(ValueError, "pass --platform"):
                    append_metadata.platform_for(system, machine)
        code, err = run_cli("--print", "platform", "--cargo-target", "x86_64-unknown-linux-musl")
        self.assertEqual(code, 1)
        self.assertIn("x86_64-unknown-linux-musl", err)
        self.assertIn("PLATFORM=", err)
        with self.assertRaisesRegex(ValueError, "wasm_eh"):
            append_metadata.library_file_name("flights_helper", "wasm_eh")

    def test_read_footer_and_refooter(self):
        footer = append_metadata.build_footer("C_STRUCT", "v0.1.0", "v1.2.0", "linux_amd64")
        data = b"library bytes" + footer
        self.assertEqual(append_metadata.read_footer(data),
                         {"abi_type": "C_STRUCT", "extension_version": "v0.1.0", "capi_version": "v1.2.0",
                          "platform": "linux_amd64"})
        signed = data[:-256] + b"\x01" * 256
        older = append_metadata.refooter(signed, extension_version="v0.0.1")
        self.assertEqual(len(older), len(data))
        self.assertTrue(older.startswith(b"library bytes"))
        self.assertEqual(append_metadata.read_footer(older)["extension_version"], "v0.0.1")
        self.assertEqual(older[-256:], b"\x00" * 256)  # the old signature is gone
        with self.assertRaisesRegex(ValueError, "does not end with"):
            append_metadata.read_footer(b"library bytes")
        with self.assertRaisesRegex(ValueError, "unknown footer field"):
            append_metadata.refooter(data, version="v2")


def print_cli(*args):
    """Run append_metadata.main quietly; return (exit code, stdout without the newline)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = append_metadata.main(list(args))
    return code, out.getvalue().strip()


if __name__ == "__main__":
    unittest.main()
