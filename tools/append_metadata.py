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

    python3 tools/append_metadata.py \\
        --library target/release/libflights_helper.so \\
        --output build/release/flights_helper.duckdb_extension \\
        --extension-version v0.1.0 [--platform linux_amd64] \\
        [--abi-type C_STRUCT] [--capi-version v1.2.0]

The Makefile asks this script, too, which platform it builds for, what cargo
calls the library there and which Rust target to pass (one mapping, unit-tested)::

    python3 tools/append_metadata.py --print build [--platform P] [--cargo-target T]
    python3 tools/append_metadata.py --print platform [--cargo-target T]
    python3 tools/append_metadata.py --print library-file [--platform P]

``--print build`` prints four words: the platform (``--platform``, else the
one of ``--cargo-target``, else this machine's), the library file cargo
writes there, the Rust target to build for (``--cargo-target``; else, when
``--platform`` names a platform whose Rust target is not the host of
``rustc -vV``, that target, e.g. ``osx_amd64`` on an arm64 Mac is
``x86_64-apple-darwin``; else ``-``: the host), and ``v`` + the package
version in Cargo.toml (the default extension version). ``--print platform`` is this
machine's platform or the one of the Rust target ``T``; ``--print
library-file`` is the file cargo writes on that platform
(``libflights_helper.so``, ``libflights_helper.dylib``, ``flights_helper.dll``).
``--copy-to PATH`` (repeatable) also writes the finished extension to PATH,
e.g. where DuckDB's pipeline collects it
(``build/release/extension/flights_helper/flights_helper.duckdb_extension``).

Runs on Python 3.6 and later: DuckDB's Linux build container (manylinux_2_28)
may have no newer ``python3``.
"""
import argparse
import os
import platform
import re
import shutil
import subprocess
import sys

SECTION_HEADER = b"\x00\x93\x04\x10" + b"duckdb_signature" + b"\x80\x04"
FIELD_SIZE = 32
FIELD_COUNT = 8
MAGIC = "4"
SIGNATURE_SIZE = 256
FOOTER_SIZE = len(SECTION_HEADER) + FIELD_COUNT * FIELD_SIZE + SIGNATURE_SIZE
SUFFIX = ".duckdb_extension"


# The platforms DuckDB names in PRAGMA platform that we build for, by Rust
# target triple. Anything else: pass --platform as PRAGMA platform reports it.
CARGO_TARGET_PLATFORMS = {
    "x86_64-unknown-linux-gnu": "linux_amd64",
    "aarch64-unknown-linux-gnu": "linux_arm64",
    "x86_64-apple-darwin": "osx_amd64",
    "aarch64-apple-darwin": "osx_arm64",
    "x86_64-pc-windows-msvc": "windows_amd64",
}
SUPPORTED_PLATFORMS = tuple(CARGO_TARGET_PLATFORMS.values())


def platform_for(system, machine):
    """Return DuckDB's platform name for an OS and CPU as Python's ``platform`` reports them.

    x86_64 Linux is ``linux_amd64``, aarch64 Linux ``linux_arm64``, macOS
    ``osx_amd64`` or ``osx_arm64``, x64 Windows ``windows_amd64``. Raises
    ValueError on anything else: pass ``--platform`` there (musl and MinGW
    builds need it too).
    """
    arch = {"x86_64": "amd64", "amd64": "amd64", "x64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine.lower())
    system_name = {"linux": "linux", "darwin": "osx", "windows": "windows"}.get(system.lower())
    name = f"{system_name}_{arch}"
    if arch is None or system_name is None or name not in SUPPORTED_PLATFORMS:
        raise ValueError(f"no default platform for {system} on {machine}: "
                         "pass --platform (DUCKDB_PLATFORM= to make) as PRAGMA platform reports it")
    return name


def default_platform():
    """Return the platform name DuckDB reports with ``PRAGMA platform`` here (see platform_for)."""
    return platform_for(platform.system(), platform.machine())


def platform_for_cargo_target(target):
    """Return DuckDB's platform name for a Rust target triple (``aarch64-apple-darwin`` -> ``osx_arm64``)."""
    try:
        return CARGO_TARGET_PLATFORMS[target]
    except KeyError:
        known = ", ".join(sorted(CARGO_TARGET_PLATFORMS))
        raise ValueError(f"no DuckDB platform known for the Rust target {target!r} (known: {known}); "
                         "pass --platform (DUCKDB_PLATFORM= to make) as PRAGMA platform reports it") from None


def cargo_target_for(platform_name):
    """Return the Rust target triple of a DuckDB platform, or None when we do not build it."""
    for target, name in CARGO_TARGET_PLATFORMS.items():
        if name == platform_name:
            return target
    return None


def host_cargo_target():
    """Return the host triple of ``rustc -vV`` (what cargo builds for without --target), or None."""
    try:
        out = subprocess.check_output(["rustc", "-vV"], stderr=subprocess.DEVNULL, universal_newlines=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in out.splitlines():
        if line.startswith("host: "):
            return line[len("host: "):].strip()
    return None


def build_settings(platform_name=None, cargo_target=None, name="flights_helper", host=None):
    """Return (platform, library file, Rust target or None) for a build, as ``--print build`` prints them.

    The platform is ``platform_name``, else the one of ``cargo_target``, else
    this machine's. The Rust target is ``cargo_target`` when given; else the
    platform's own target when that is not the host's (``host``, default
    ``rustc -vV``), i.e. a cross build; else None (cargo's default). Raises
    ValueError for a platform we do not build (e.g. ``linux_amd64_musl``)
    unless ``cargo_target`` says what to build it with.
    """
    if not platform_name:
        platform_name = platform_for_cargo_target(cargo_target) if cargo_target else default_platform()
    library = library_file_name(name, platform_name)
    if cargo_target:
        return platform_name, library, cargo_target
    target = cargo_target_for(platform_name)
    if target is None:
        known = ", ".join(SUPPORTED_PLATFORMS)
        raise ValueError(f"flights_helper is not built for the platform {platform_name!r} (built: {known}); "
                         "give its Rust target with CARGO_TARGET= to build it anyway")
    host = host or host_cargo_target()
    if host is None:  # no rustc to ask: compare with this machine's platform
        return platform_name, library, None if platform_name == default_platform() else target
    return platform_name, library, None if target == host else target


def cargo_version(cargo_toml):
    """Return ``v`` + the ``version = "..."`` of the first section of a Cargo.toml ([package])."""
    with open(cargo_toml, encoding="utf-8") as f:
        for line in f:
            if line.startswith("[") and not line.startswith("[package]"):
                break
            m = re.match(r'version\s*=\s*"([^"]+)"', line)
            if m:
                return "v" + m.group(1)
    raise ValueError(f"no version in the [package] section of {cargo_toml}")


def library_file_name(name, platform_name):
    """Return the file cargo writes for the cdylib ``name`` on a DuckDB platform.

    ``lib<name>.so`` on Linux, ``lib<name>.dylib`` on macOS, ``<name>.dll``
    on Windows; raises ValueError for a platform of another OS.
    """
    system = platform_name.split("_", 1)[0]
    if system == "linux":
        return f"lib{name}.so"
    if system == "osx":
        return f"lib{name}.dylib"
    if system == "windows":
        return f"{name}.dll"
    raise ValueError(f"no library file name known for the platform {platform_name!r}")


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


def read_footer(data):
    """Return the fields of the footer ``data`` ends with, as a dict.

    Keys: ``abi_type``, ``extension_version``, ``capi_version``, ``platform``
    (the unused fields and the magic value are checked, not returned).
    Raises ValueError when ``data`` does not end with a footer.
    """
    if not has_footer(data):
        raise ValueError("the file does not end with DuckDB extension metadata")
    start = len(data) - FOOTER_SIZE + len(SECTION_HEADER)
    fields = [data[start + FIELD_SIZE * i: start + FIELD_SIZE * (i + 1)].rstrip(b"\x00").decode("ascii", "replace")
              for i in range(FIELD_COUNT)]
    if fields[7] != MAGIC:
        raise ValueError(f"the metadata's magic value is {fields[7]!r}, not {MAGIC!r}")
    return {"abi_type": fields[3], "extension_version": fields[4], "capi_version": fields[5],
            "platform": fields[6]}


def refooter(data, **changes):
    """Return ``data`` (a built extension) with some footer fields replaced.

    ``changes`` are keys of read_footer (e.g. ``extension_version="v0.0.1"``).
    The signature slot is emptied: whatever signed the old bytes no longer
    holds for the new ones.
    """
    fields = read_footer(data)
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"unknown footer field(s): {', '.join(sorted(unknown))}")
    fields.update(changes)
    return data[:-FOOTER_SIZE] + build_footer(fields["abi_type"], fields["extension_version"],
                                              fields["capi_version"], fields["platform"])


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


def print_value(what, args):
    """Return the value ``--print WHAT`` prints (see the module docstring)."""
    if what == "build":
        platform_name, library, target = build_settings(args.platform, args.cargo_target, args.name)
        version = cargo_version(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cargo.toml"))
        return f"{platform_name} {library} {target or '-'} {version}"
    if args.platform:
        platform_name = args.platform
    elif args.cargo_target:
        platform_name = platform_for_cargo_target(args.cargo_target)
    else:
        platform_name = default_platform()
    if what == "platform":
        return platform_name
    return library_file_name(args.name, platform_name)


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", help="the built shared library, e.g. target/release/libflights_helper.so")
    parser.add_argument("--output", help="the file to write: <extension name>.duckdb_extension")
    parser.add_argument("--extension-version", help="the version DuckDB reports, e.g. v0.1.0")
    parser.add_argument("--platform", help="as PRAGMA platform reports it (default: this machine's)")
    parser.add_argument("--abi-type", default="C_STRUCT", help="default: C_STRUCT (the stable C API)")
    parser.add_argument("--capi-version", default="v1.2.0", help="lowest C API version needed (default: v1.2.0)")
    parser.add_argument("--print", choices=("build", "platform", "library-file"), dest="print_what",
                        help="only print the platform, the library file cargo writes there, or both and the "
                             "Rust target to build for (build), and exit")
    parser.add_argument("--cargo-target", help="with --print: the Rust target triple built for (default: the host)")
    parser.add_argument("--copy-to", action="append", default=[], metavar="PATH",
                        help="also write the finished extension to PATH (repeatable; folders are created)")
    parser.add_argument("--name", default="flights_helper", help="with --print library-file: the crate's library name")
    args = parser.parse_args(argv)

    try:
        if args.print_what:
            print(print_value(args.print_what, args))
            return 0
        missing = [flag for flag, value in (("--library", args.library), ("--output", args.output),
                                            ("--extension-version", args.extension_version)) if not value]
        if missing:
            parser.error(f"the following arguments are required: {', '.join(missing)}")
        name = extension_name(args.output)
        platform_name = args.platform or default_platform()
        footer = build_footer(args.abi_type, args.extension_version, args.capi_version, platform_name)
        stem = library_stem(args.library)
        if stem != name:
            print(f"append_metadata: warning: library {stem!r} is written as extension {name!r}; "
                  f"DuckDB will look for the entry point {name}_init_c_api", file=sys.stderr)
        size = write_extension(args.library, args.output, footer)
        for copy in args.copy_to:
            os.makedirs(os.path.dirname(os.path.abspath(copy)), exist_ok=True)
            shutil.copyfile(args.output, copy)
    except (OSError, ValueError) as e:
        print(f"append_metadata: error: {e}", file=sys.stderr)
        return 1
    also = "".join(f" and {copy}" for copy in args.copy_to)
    print(f"wrote {args.output}{also} ({size} bytes; {args.abi_type}, {args.extension_version}, "
          f"C API {args.capi_version}, {platform_name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
