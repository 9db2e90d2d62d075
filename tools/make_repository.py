#!/usr/bin/env python3
"""Write a DuckDB extension repository: a folder any static web server can host.

DuckDB's ``INSTALL <name> FROM '<repository>'`` reads
``<repository>/v<duckdb version>/<platform>/<name>.duckdb_extension.gz``.
Our one C_STRUCT binary serves every DuckDB version from 1.4 on, so the same
bytes go into every version folder listed in ``duckdb_versions.txt``.

With ``--signing-key <private.pem>`` (RSA-2048) every binary is signed and
``.well-known/duckdb-extension-repo.json`` publishes the public key, so DuckDB
2.0 installs it from a registered ``CREATE EXTENSION REPOSITORY`` without
``allow_unsigned_extensions``. Signing uses the ``openssl`` command line; the
private key is read by openssl only, never copied, written or printed.

The signature (tried against DuckDB 2.0.1): the file without its last 256
bytes (the signature slot; the rest of the footer is covered), cut into
1 MiB chunks from offset 0; the raw 32-byte SHA-256 of each chunk,
concatenated; the SHA-256 of that; signed with RSA PKCS#1 v1.5 over SHA-256
(``openssl pkeyutl -sign -pkeyopt digest:sha256``). The 256 signature bytes
fill the slot.

Usage::

    python3 tools/make_repository.py \\
        --extension build/release/flights_helper.duckdb_extension \\
        --output build/repository [--versions-file tools/duckdb_versions.txt]
        [--duckdb-version v2.0.1 ...] [--signing-key private.pem]
        [--extension-version v0.0.1]

``--duckdb-version`` (repeatable) replaces the versions file;
``--extension-version`` re-writes the version in the footer (tests use it
to make an "older" build). Files of other platforms already in the output
folder are left as they are, so cross-builds can add theirs.
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import append_metadata  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VERSIONS_FILE = os.path.join(HERE, "duckdb_versions.txt")
CHUNK = 1024 * 1024
SIGNATURE_SIZE = append_metadata.SIGNATURE_SIZE
WELL_KNOWN = os.path.join(".well-known", "duckdb-extension-repo.json")
VERSION_RE = re.compile(r"^v\d+\.\d+\.\d+$")


def read_versions(path):
    """Return the DuckDB versions listed in ``path`` (one a line, ``#`` comments), checked."""
    versions = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if not VERSION_RE.match(line):
                raise ValueError(f"{path}:{number}: {line!r} is not a DuckDB release like v2.0.1")
            if line in versions:
                raise ValueError(f"{path}:{number}: {line} is listed twice")
            versions.append(line)
    if not versions:
        raise ValueError(f"{path} lists no DuckDB version")
    return versions


def signed_hash(data):
    """Return the 32-byte digest DuckDB verifies the signature of ``data`` (a whole extension file) over."""
    body = data[:-SIGNATURE_SIZE]
    chunk_digests = b"".join(hashlib.sha256(body[i:i + CHUNK]).digest() for i in range(0, len(body), CHUNK))
    return hashlib.sha256(chunk_digests).digest()


def openssl(args, what):
    """Run ``openssl args``; return its stdout bytes or raise ValueError naming ``what`` failed."""
    if shutil.which("openssl") is None:
        raise ValueError("signing needs the openssl command, which is not installed")
    result = subprocess.run(["openssl", *args], capture_output=True)
    if result.returncode != 0:
        # openssl's messages name files and reasons, never key material.
        raise ValueError(f"openssl could not {what}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def public_key_pem(signing_key):
    """Return the PEM public key of the private key file ``signing_key``."""
    pem = openssl(["pkey", "-in", signing_key, "-pubout"], "read the signing key").decode("ascii")
    if "PRIVATE" in pem or not pem.startswith("-----BEGIN PUBLIC KEY-----"):
        raise ValueError("openssl did not return a public key for the signing key")
    return pem


def sign(data, signing_key):
    """Return ``data`` (a built extension) with its signature slot filled, signed with ``signing_key``."""
    with tempfile.TemporaryDirectory() as tmp:
        digest_file = os.path.join(tmp, "digest")
        with open(digest_file, "wb") as f:
            f.write(signed_hash(data))
        signature = openssl(["pkeyutl", "-sign", "-in", digest_file, "-inkey", signing_key,
                             "-pkeyopt", "digest:sha256"], "sign the extension")
    if len(signature) != SIGNATURE_SIZE:
        raise ValueError(f"the signature is {len(signature)} bytes; DuckDB's slot holds {SIGNATURE_SIZE}: "
                         "use an RSA-2048 key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)")
    return data[:-SIGNATURE_SIZE] + signature


def write_atomic(path, data):
    """Write ``data`` to ``path`` through a temporary file, creating its folder."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def gzip_bytes(data):
    """Gzip ``data`` reproducibly (no file name, no time stamp)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def build_repository(extension, output, versions, signing_key=None, extension_version=None):
    """Fill ``output`` with ``extension`` for every version; return (name, platform, files written)."""
    name = append_metadata.extension_name(extension)
    with open(extension, "rb") as f:
        data = f.read()
    footer = append_metadata.read_footer(data)
    if extension_version:
        data = append_metadata.refooter(data, extension_version=extension_version)
    elif data[-SIGNATURE_SIZE:] != b"\x00" * SIGNATURE_SIZE:
        data = append_metadata.refooter(data)  # an old signature would not hold for the new key
    if signing_key:
        data = sign(data, signing_key)
    packed = gzip_bytes(data)
    platform_name = footer["platform"]
    written = []
    for version in versions:
        path = os.path.join(output, version, platform_name, f"{name}.duckdb_extension.gz")
        write_atomic(path, packed)
        written.append(path)
    well_known = os.path.join(output, WELL_KNOWN)
    if signing_key:
        document = json.dumps({"signature_keys": [public_key_pem(signing_key)]}, indent=2) + "\n"
        if os.path.exists(well_known):
            with open(well_known, encoding="utf-8") as f:
                if f.read() != document:
                    print(f"make_repository: warning: {well_known} published another key; files signed with "
                          "it (other platforms) no longer verify: rebuild them with this key", file=sys.stderr)
        write_atomic(well_known, document.encode("ascii"))
        written.append(well_known)
    elif os.path.exists(well_known):
        print(f"make_repository: warning: {well_known} publishes a signing key but these files are unsigned: "
              "DuckDB refuses them from a registered repository (pass --signing-key, or delete that file)",
              file=sys.stderr)
    return name, platform_name, written


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extension", required=True, help="the built <name>.duckdb_extension")
    parser.add_argument("--output", required=True, help="the repository folder, e.g. build/repository")
    parser.add_argument("--versions-file", default=DEFAULT_VERSIONS_FILE,
                        help="DuckDB versions, one a line (default: duckdb_versions.txt next to this script)")
    parser.add_argument("--duckdb-version", action="append", dest="duckdb_versions",
                        help="a DuckDB version folder to fill, e.g. v2.0.1 (repeatable; replaces --versions-file)")
    parser.add_argument("--signing-key", help="a PEM RSA-2048 private key: sign, and publish its public key")
    parser.add_argument("--extension-version", help="write this version into the footer instead (tests)")
    args = parser.parse_args(argv)
    try:
        if args.duckdb_versions:
            versions = args.duckdb_versions
            for version in versions:
                if not VERSION_RE.match(version):
                    raise ValueError(f"--duckdb-version {version!r} is not a DuckDB release like v2.0.1")
        else:
            versions = read_versions(args.versions_file)
        if args.signing_key and not os.path.isfile(args.signing_key):
            raise ValueError(f"the signing key {args.signing_key} does not exist")
        name, platform_name, written = build_repository(args.extension, args.output, versions,
                                                        args.signing_key, args.extension_version)
    except (OSError, ValueError) as e:
        print(f"make_repository: error: {e}", file=sys.stderr)
        return 1
    signed = "signed, public key in " + WELL_KNOWN if args.signing_key else "unsigned"
    print(f"wrote {args.output}: {name} for {platform_name}, DuckDB {', '.join(versions)} ({signed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
