#!/usr/bin/env python3
"""Append DuckDB's extension metadata footer to a shared library.

DuckDB reads the last 512 bytes of a `.duckdb_extension` file: a 22-byte
WebAssembly custom-section header, eight 32-byte NUL-padded fields (three
unused, ABI type, extension version, C API version, platform, magic "4"),
then 256 bytes where a signature would go (zero: the build is unsigned).
DuckDB derives the entry symbol from the file name, so the output must be
called `<extension name>.duckdb_extension`.
"""
import argparse
import os
import platform
import sys

SECTION_HEADER = b"\x00\x93\x04\x10" + b"duckdb_signature" + b"\x80\x04"
FIELD_SIZE = 32
SIGNATURE_SIZE = 256


def default_platform() -> str:
    """The platform string DuckDB reports with `PRAGMA platform` for this machine."""
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower())
    system = {"linux": "linux", "darwin": "osx", "windows": "windows"}[platform.system().lower()]
    return f"{system}_{arch}"


def field(value: str) -> bytes:
    data = value.encode("ascii")
    if len(data) >= FIELD_SIZE:
        raise ValueError(f"metadata field {value!r} is longer than {FIELD_SIZE - 1} bytes")
    return data.ljust(FIELD_SIZE, b"\x00")


def footer(abi_type: str, extension_version: str, capi_version: str, platform_name: str) -> bytes:
    fields = ["", "", "", abi_type, extension_version, capi_version, platform_name, "4"]
    return SECTION_HEADER + b"".join(field(f) for f in fields) + b"\x00" * SIGNATURE_SIZE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, help="the built shared library (.so)")
    parser.add_argument("--output", required=True, help="the .duckdb_extension file to write")
    parser.add_argument("--extension-version", required=True, help="e.g. v0.1.0")
    parser.add_argument("--platform", default=default_platform(), help="as PRAGMA platform reports it")
    parser.add_argument("--abi-type", default="C_STRUCT")
    parser.add_argument("--capi-version", default="v1.2.0")
    args = parser.parse_args()

    if not args.output.endswith(".duckdb_extension"):
        parser.error("--output must end in .duckdb_extension (DuckDB derives the entry symbol from it)")
    try:
        with open(args.library, "rb") as f:
            library = f.read()
        meta = footer(args.abi_type, args.extension_version, args.capi_version, args.platform)
    except (OSError, ValueError) as e:
        print(f"append_metadata: {e}", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(library + meta)
    os.replace(tmp, args.output)
    print(f"wrote {args.output} ({args.abi_type}, C API {args.capi_version}, {args.platform})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
