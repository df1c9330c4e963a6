"""The newest glibc the shared objects in a Lambda package need.

The python3.11 Lambda runtime runs on Amazon Linux 2, whose glibc is 2.26
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). A wheel built for a newer
glibc installs and imports fine on the machine that builds the package and fails on Lambda
at import ("version `GLIBC_2.34' not found"), so the package is checked before it ships.

What a shared object needs is in its ELF `.gnu.version_r` section (the one `readelf -V` shows
as "Version needs"): for each library, the symbol versions it uses, GLIBC_2.17 and the like.

    python -m deploy.glibc [--max 2.26] PATH...    (zips or directories)
"""

from __future__ import annotations

import argparse
import os
import re
import struct
import sys
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

LAMBDA_GLIBC = (2, 26)

NOT_ELF = "not an ELF file"
UNSUPPORTED = "only 64-bit little-endian ELF files are supported, this one is {kind}"
TRUNCATED = "truncated or malformed ELF file: {what} lies outside the file"
NO_SECTIONS = "ELF file without section headers: the versions it needs cannot be read"

_MAGIC = b"\x7fELF"
_CLASSES = {1: "32-bit", 2: "64-bit"}
_ENCODINGS = {1: "little-endian", 2: "big-endian"}
SHT_GNU_VERNEED = 0x6FFFFFFE
# e_shoff (u64) at 0x28; e_shentsize, e_shnum, e_shstrndx (u16) at 0x3a.
_HEADER = struct.Struct("<Q")
_SECTION_COUNTS = struct.Struct("<HHH")
# sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign,
# sh_entsize.
_SECTION = struct.Struct("<IIQQQQIIQQ")
# vn_version, vn_cnt, vn_file, vn_aux, vn_next.
_VERNEED = struct.Struct("<HHIII")
# vna_hash, vna_flags, vna_other, vna_name, vna_next.
_VERNAUX = struct.Struct("<IHHII")
# GLIBC_2.3.4 counts as 2.3: Lambda's limit is a major.minor release. GLIBCXX_ (libstdc++)
# and GLIBC_PRIVATE are not glibc releases.
_GLIBC_VERSION = re.compile(r"GLIBC_(\d+)\.(\d+)(?:\.\d+)*")


class ElfError(ValueError):
    """The bytes are not an ELF file this module can read."""


@dataclass(frozen=True)
class Finding:
    """A shared object in a package that needs a newer glibc than allowed."""

    package: str
    member: str
    needed: tuple[int, int]


def glibc_needed(data: bytes) -> tuple[int, int] | None:
    """The highest GLIBC_x.y the ELF file ``data`` needs; None if it needs no glibc version."""
    names = _version_names(data)
    versions = [(int(m[1]), int(m[2])) for m in map(_GLIBC_VERSION.fullmatch, names) if m]
    return max(versions, default=None)


def scan_zip(path: Path, limit: tuple[int, int]) -> list[Finding]:
    """Every shared object in the zip at ``path`` that needs a glibc newer than ``limit``."""
    return _over(path.name, _zip_needs(path), limit)


def scan_directory(path: Path, limit: tuple[int, int]) -> list[Finding]:
    """Every shared object under ``path`` that needs a glibc newer than ``limit``."""
    return _over(path.name, _directory_needs(path), limit)


def is_shared_object(name: str) -> bool:
    """Whether a file name is a shared object's: `_rust.abi3.so`, `libpq-9ab3.so.5.16`."""
    base = name.rsplit("/", 1)[-1]
    return base.endswith(".so") or ".so." in base


def _over(
    package: str, needs: Iterable[tuple[str, tuple[int, int] | None]], limit: tuple[int, int]
) -> list[Finding]:
    return [
        Finding(package, member, needed)
        for member, needed in needs
        if needed is not None and needed > limit
    ]


def _zip_needs(path: Path) -> Iterator[tuple[str, tuple[int, int] | None]]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.is_dir() and is_shared_object(info.filename):
                yield from _needs(info.filename, archive.read(info))


def _directory_needs(path: Path) -> Iterator[tuple[str, tuple[int, int] | None]]:
    for root, _directories, files in os.walk(path):
        for name in sorted(files):
            file = Path(root, name)
            # A link names a file that is checked where it lies (or lies outside the package).
            if is_shared_object(name) and not file.is_symlink():
                yield from _needs(file.relative_to(path).as_posix(), file.read_bytes())


def _needs(member: str, data: bytes) -> Iterator[tuple[str, tuple[int, int] | None]]:
    # A file only named like a shared object (a linker script, a text file) needs no glibc.
    if not data.startswith(_MAGIC):
        return
    try:
        yield member, glibc_needed(data)
    except ElfError as error:
        raise ElfError(f"{member}: {error}") from error


def _version_names(data: bytes) -> list[str]:
    """The version names (GLIBC_2.17, ...) in every Version needs section of ``data``."""
    sections = _sections(data)
    names = []
    for section in sections:
        if section[1] != SHT_GNU_VERNEED:
            continue
        link = section[6]
        if link >= len(sections):
            raise ElfError(TRUNCATED.format(what="the version names' string table"))
        names += _verneed_names(data, section, strings=sections[link][4])
    return names


def _sections(data: bytes) -> list[tuple[int, ...]]:
    _check_ident(data)
    (offset,) = _unpack(_HEADER, data, 0x28, "the ELF header")
    entry_size, count, _names = _unpack(_SECTION_COUNTS, data, 0x3A, "the ELF header")
    if offset == 0:
        raise ElfError(NO_SECTIONS)
    if entry_size != _SECTION.size:
        raise ElfError(TRUNCATED.format(what=f"a section header of {entry_size} bytes"))
    if count == 0:
        # More than 0xff00 sections: the real count is the first header's sh_size.
        count = _unpack(_SECTION, data, offset, "the section headers")[5]
    return [
        _unpack(_SECTION, data, offset + index * _SECTION.size, "the section headers")
        for index in range(count)
    ]


def _check_ident(data: bytes) -> None:
    if not data.startswith(_MAGIC):
        raise ElfError(NOT_ELF)
    if len(data) < 0x40:
        raise ElfError(TRUNCATED.format(what="the ELF header"))
    elf_class, encoding = data[4], data[5]
    if (elf_class, encoding) != (2, 1):
        kind = f"{_CLASSES.get(elf_class, 'unknown class')} {_ENCODINGS.get(encoding, 'unknown')}"
        raise ElfError(UNSUPPORTED.format(kind=kind))


def _verneed_names(data: bytes, section: tuple[int, ...], *, strings: int) -> list[str]:
    start, size, entries = section[4], section[5], section[7]
    if start + size > len(data):
        raise ElfError(TRUNCATED.format(what="the Version needs section"))
    names = []
    offset = start
    # sh_info holds the number of entries; the bound also stops a vn_next loop in a bad file.
    for _ in range(entries):
        _version, count, _file, aux, following = _unpack(_VERNEED, data, offset, "a Verneed")
        names += _vernaux_names(data, offset + aux, count, strings=strings)
        if following == 0:
            break
        offset += following
    return names


def _vernaux_names(data: bytes, offset: int, count: int, *, strings: int) -> list[str]:
    names = []
    for _ in range(count):
        _hash, _flags, _other, name, following = _unpack(_VERNAUX, data, offset, "a Vernaux")
        names.append(_string(data, strings + name))
        if following == 0:
            break
        offset += following
    return names


def _unpack(layout: struct.Struct, data: bytes, offset: int, what: str) -> tuple[int, ...]:
    if offset + layout.size > len(data):
        raise ElfError(TRUNCATED.format(what=what))
    return layout.unpack_from(data, offset)


def _string(data: bytes, offset: int) -> str:
    end = data.find(b"\0", offset)
    if offset >= len(data) or end < 0:
        raise ElfError(TRUNCATED.format(what="a version name"))
    return data[offset:end].decode("ascii", "replace")


def _version(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"(\d+)\.(\d+)", text)
    if not found:
        raise argparse.ArgumentTypeError(f"not a glibc version like 2.26: {text!r}")
    return int(found[1]), int(found[2])


def _shown(version: tuple[int, int]) -> str:
    return ".".join(map(str, version))


def _path(text: str) -> Path:
    path = Path(text)
    if not (path.is_dir() or zipfile.is_zipfile(path)):
        raise argparse.ArgumentTypeError(f"neither a zip file nor a directory: {text}")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.glibc",
        description="Check that every shared object in the packages runs on a glibc "
        "(default 2.26: the python3.11 Lambda runtime, Amazon Linux 2).",
    )
    parser.add_argument("--max", type=_version, default=LAMBDA_GLIBC, metavar="X.Y")
    parser.add_argument("paths", nargs="+", type=_path, metavar="PATH", help="zip or directory")
    arguments = parser.parse_args(argv)
    limit: tuple[int, int] = arguments.max
    shown = _shown(limit)
    checked, findings = 0, []
    try:
        for path in arguments.paths:
            needs = list(_directory_needs(path) if path.is_dir() else _zip_needs(path))
            checked += len(needs)
            findings += _over(str(path), needs, limit)
    except ElfError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 2
    for finding in findings:
        needed = _shown(finding.needed)
        print(f"{finding.package}: {finding.member} needs GLIBC_{needed} (> {shown})")
    packages = len(arguments.paths)
    if findings:
        print(
            f"{len(findings)} of {checked} shared objects in {packages} packages "
            f"need glibc > {shown}"
        )
        return 1
    print(f"{checked} shared objects checked in {packages} packages, all need glibc ≤ {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
