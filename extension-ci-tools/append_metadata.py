#!/usr/bin/env python3
"""Append DuckDB's extension metadata footer to a shared library.

A loadable `.duckdb_extension` file is the shared library followed by a
footer that DuckDB checks before it opens the library:

* a 22-byte WebAssembly custom-section header: ``00 93 04 10``, the ASCII
  bytes ``duckdb_signature``, then ``80 04``;
* eight 32-byte NUL-padded ASCII fields, in this order: three unused (all
  zero), the ABI type, the extension version, the C API version, the platform
  and the magic value ``4``;
* 256 zero bytes where a signature would go (our builds are unsigned, so
  DuckDB loads them only with ``allow_unsigned_extensions``).

DuckDB derives the entry symbol from the file name (``<name>_init_c_api`` for
the C_STRUCT ABI), so the output must be called ``<name>.duckdb_extension``.

Usage::

    python3 extension-ci-tools/append_metadata.py \\
        --library target/release/libflights_helper.so \\
        --output build/release/flights_helper.duckdb_extension \\
        --extension-version v0.1.0 [--platform linux_amd64] \\
        [--abi-type C_STRUCT] [--capi-version v1.2.0]
"""
import argparse
import os
import platform
import re
import sys

SECTION_HEADER = b"\x00\x93\x04\x10" + b"duckdb_signature" + b"\x80\x04"
FIELD_SIZE = 32
FIELD_COUNT = 8
MAGIC = "4"
SIGNATURE_SIZE = 256
FOOTER_SIZE = len(SECTION_HEADER) + FIELD_COUNT * FIELD_SIZE + SIGNATURE_SIZE
SUFFIX = ".duckdb_extension"


def default_platform():
    """Return the platform name DuckDB reports with ``PRAGMA platform`` here.

    x86_64 Linux is ``linux_amd64``, aarch64 Linux ``linux_arm64``, macOS
    ``osx_amd64`` or ``osx_arm64``. Raises ValueError on anything else: pass
    ``--platform`` there (musl and MinGW builds need it too).
    """
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    system = {"linux": "linux", "darwin": "osx", "windows": "windows"}.get(platform.system().lower())
    if arch is None or system is None:
        raise ValueError(f"no default platform for {platform.system()} on {platform.machine()}: "
                         "pass --platform as PRAGMA platform reports it")
    return f"{system}_{arch}"


def encode_field(name, value):
    """Return ``value`` as one 32-byte NUL-padded ASCII field.

    Raises ValueError when the value is not ASCII, contains a NUL, or does
    not leave room for at least one NUL terminator (31 bytes at most).
    """
    try:
        data = value.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError(f"{name} {value!r} must be ASCII") from None
    if b"\x00" in data:
        raise ValueError(f"{name} {value!r} must not contain a NUL byte")
    if len(data) >= FIELD_SIZE:
        raise ValueError(f"{name} {value!r} is {len(data)} bytes; at most {FIELD_SIZE - 1} fit")
    return data.ljust(FIELD_SIZE, b"\x00")


def build_footer(abi_type, extension_version, capi_version, platform_name):
    """Return the complete metadata footer (``FOOTER_SIZE`` bytes)."""
    fields = [
        ("unused field", ""),
        ("unused field", ""),
        ("unused field", ""),
        ("ABI type", abi_type),
        ("extension version", extension_version),
        ("C API version", capi_version),
        ("platform", platform_name),
        ("magic value", MAGIC),
    ]
    footer = SECTION_HEADER + b"".join(encode_field(n, v) for n, v in fields) + b"\x00" * SIGNATURE_SIZE
    assert len(footer) == FOOTER_SIZE
    return footer


def has_footer(data):
    """Tell whether ``data`` already ends with a metadata footer."""
    return len(data) >= FOOTER_SIZE and data[-FOOTER_SIZE:].startswith(SECTION_HEADER)


def extension_name(output):
    """Return the extension name DuckDB derives from the output file name.

    Raises ValueError unless the name ends in ``.duckdb_extension`` and the
    rest is a valid C identifier (it becomes part of the entry symbol).
    """
    base = os.path.basename(output)
    if not base.endswith(SUFFIX):
        raise ValueError(f"--output must be named <extension name>{SUFFIX}, got {base!r}")
    name = base[: -len(SUFFIX)]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"extension name {name!r} (from --output) is not a valid identifier")
    return name


def library_stem(library):
    """Return the name a shared library was built under: libfoo.so -> foo."""
    stem = os.path.basename(library)
    for suffix in (".so", ".dylib", ".dll"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return stem[3:] if stem.startswith("lib") else stem


def write_extension(library, output, footer):
    """Write ``library`` bytes + ``footer`` to ``output`` (atomically), creating its folder."""
    with open(library, "rb") as f:
        data = f.read()
    if not data:
        raise ValueError(f"{library} is empty")
    if has_footer(data):
        raise ValueError(f"{library} already ends with DuckDB extension metadata")
    folder = os.path.dirname(os.path.abspath(output))
    os.makedirs(folder, exist_ok=True)
    tmp = f"{output}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.write(footer)
        os.chmod(tmp, 0o755)
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return len(data) + len(footer)


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, help="the built shared library, e.g. target/release/libflights_helper.so")
    parser.add_argument("--output", required=True, help="the file to write: <extension name>.duckdb_extension")
    parser.add_argument("--extension-version", required=True, help="the version DuckDB reports, e.g. v0.1.0")
    parser.add_argument("--platform", help="as PRAGMA platform reports it (default: this machine's)")
    parser.add_argument("--abi-type", default="C_STRUCT", help="default: C_STRUCT (the stable C API)")
    parser.add_argument("--capi-version", default="v1.2.0", help="lowest C API version needed (default: v1.2.0)")
    args = parser.parse_args(argv)

    try:
        name = extension_name(args.output)
        platform_name = args.platform or default_platform()
        footer = build_footer(args.abi_type, args.extension_version, args.capi_version, platform_name)
        stem = library_stem(args.library)
        if stem != name:
            print(f"append_metadata: warning: library {stem!r} is written as extension {name!r}; "
                  f"DuckDB will look for the entry point {name}_init_c_api", file=sys.stderr)
        size = write_extension(args.library, args.output, footer)
    except (OSError, ValueError) as e:
        print(f"append_metadata: error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {args.output} ({size} bytes; {args.abi_type}, {args.extension_version}, "
          f"C API {args.capi_version}, {platform_name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
