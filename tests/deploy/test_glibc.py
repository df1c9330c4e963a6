"""deploy.glibc: the newest glibc an ELF file needs, and the check of a Lambda package's zip."""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from deploy.glibc import (
    NOT_ELF,
    UNSUPPORTED,
    ElfError,
    Finding,
    glibc_needed,
    main,
    scan_directory,
    scan_zip,
)

ROOT = Path(__file__).resolve().parents[2]
LAMBDA = (2, 26)
SHT_STRTAB = 3
SHT_GNU_VERNEED = 0x6FFFFFFE
# e_ident, e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize,
# e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx.
ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
SECTION = struct.Struct("<IIQQQQIIQQ")
VERNEED = struct.Struct("<HHIII")
VERNAUX = struct.Struct("<IHHII")
NATIVE = "pkg/_speedups.cpython-311-x86_64-linux-gnu.so"
BUNDLED = "pkg.libs/libpq-e9b5c9ac.so.5.18"


def make_elf(needs: dict[str, list[str]], *, elf_class: int = 2, encoding: int = 1) -> bytes:
    """A shared object whose Version needs section lists ``needs`` (library -> versions)."""
    strings = bytearray(b"\0")

    def string(text: str) -> int:
        strings.extend(text.encode() + b"\0")
        return len(strings) - len(text) - 1

    verneed = bytearray()
    for index, (library, versions) in enumerate(needs.items()):
        following = 0 if index == len(needs) - 1 else VERNEED.size + VERNAUX.size * len(versions)
        verneed += VERNEED.pack(1, len(versions), string(library), VERNEED.size, following)
        for number, version in enumerate(versions, start=2):
            following = 0 if number == len(versions) + 1 else VERNAUX.size
            verneed += VERNAUX.pack(0, 0, number, string(version), following)
    names = b"\0.dynstr\0.gnu.version_r\0.shstrtab\0"
    dynstr_at = ELF_HEADER.size
    verneed_at = dynstr_at + len(strings)
    names_at = verneed_at + len(verneed)
    sections_at = names_at + len(names)
    sections = [
        SECTION.pack(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        SECTION.pack(1, SHT_STRTAB, 0, 0, dynstr_at, len(strings), 0, 0, 1, 0),
        SECTION.pack(24, SHT_STRTAB, 0, 0, names_at, len(names), 0, 0, 1, 0),
    ]
    if needs:
        sections.append(
            SECTION.pack(9, SHT_GNU_VERNEED, 2, 0, verneed_at, len(verneed), 1, len(needs), 8, 0)
        )
    ident = b"\x7fELF" + bytes([elf_class, encoding, 1]) + bytes(9)
    header = ELF_HEADER.pack(
        ident, 3, 62, 1, 0, 0, sections_at, 0, ELF_HEADER.size, 56, 0, SECTION.size,
        len(sections), 2,
    )  # fmt: skip
    return header + bytes(strings) + bytes(verneed) + names + b"".join(sections)


def needing(version: str) -> bytes:
    return make_elf({"libc.so.6": ["GLIBC_2.2.5", version]})


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# Facts of this machine's Debian 12 (bookworm) packages, read with `readelf -V` and
# `objdump -T`: coreutils' ls uses GLIBC_2.34 symbols (__libc_start_main), zlib1g's libz
# nothing newer than GLIBC_2.14 (memcpy).
@pytest.mark.parametrize(
    ("file", "expected"),
    [("/usr/bin/ls", (2, 34)), ("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", (2, 14))],
)
def test_it_reads_the_newest_glibc_a_system_file_needs(file: str, expected: tuple) -> None:
    assert glibc_needed(Path(file).read_bytes()) == expected


def test_the_dynamic_linker_needs_no_glibc_version() -> None:
    # ld.so is glibc's own and resolves nothing from another library: no Version needs section.
    data = Path("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2").read_bytes()

    assert glibc_needed(data) is None


def test_it_takes_the_highest_glibc_version_over_every_library_numerically() -> None:
    data = make_elf(
        {
            "libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.9", "GLIBC_2.3.4"],
            "libm.so.6": ["GLIBC_2.10"],
            "libpthread.so.0": ["GLIBC_2.3.2"],
        }
    )

    assert glibc_needed(data) == (2, 10)


def test_it_ignores_versions_that_are_not_glibc_releases() -> None:
    data = make_elf(
        {
            "libc.so.6": ["GLIBC_2.17", "GLIBC_PRIVATE"],
            "libstdc++.so.6": ["GLIBCXX_3.4.30", "CXXABI_1.3.13"],
        }
    )

    assert glibc_needed(data) == (2, 17)


@pytest.mark.parametrize("needs", [{}, {"libstdc++.so.6": ["GLIBCXX_3.4"]}])
def test_an_elf_file_that_needs_no_glibc_version_needs_none(needs: dict) -> None:
    assert glibc_needed(make_elf(needs)) is None


def test_it_refuses_a_file_that_is_not_elf() -> None:
    with pytest.raises(ElfError) as refused:
        glibc_needed(b"/* GNU ld script */\nGROUP ( libc.so.6 )\n")

    assert str(refused.value) == NOT_ELF


@pytest.mark.parametrize(
    ("elf_class", "encoding", "kind"),
    [(1, 1, "32-bit little-endian"), (2, 2, "64-bit big-endian")],
)
def test_it_refuses_an_elf_file_it_cannot_read(elf_class: int, encoding: int, kind: str) -> None:
    data = make_elf({"libc.so.6": ["GLIBC_2.17"]}, elf_class=elf_class, encoding=encoding)

    with pytest.raises(ElfError) as refused:
        glibc_needed(data)

    assert str(refused.value) == UNSUPPORTED.format(kind=kind)


def test_it_refuses_a_truncated_elf_file() -> None:
    with pytest.raises(ElfError, match="truncated"):
        glibc_needed(needing("GLIBC_2.17")[:-1])


def test_scan_zip_reports_each_shared_object_that_needs_a_newer_glibc(tmp_path: Path) -> None:
    package = make_zip(
        tmp_path / "site.zip",
        {
            NATIVE: needing("GLIBC_2.34"),
            BUNDLED: needing("GLIBC_2.28"),
            "pkg.libs/libssl-6a9b88ec.so.3": needing("GLIBC_2.17"),
            # Not named as a shared object: not checked.
            "pkg/data.bin": needing("GLIBC_2.34"),
            # Named as one but not ELF (a linker script): needs nothing.
            "pkg/libc.so": b"GROUP ( libc.so.6 )\n",
        },
    )

    assert scan_zip(package, LAMBDA) == [
        Finding("site.zip", NATIVE, (2, 34)),
        Finding("site.zip", BUNDLED, (2, 28)),
    ]


def test_scan_zip_finds_nothing_when_every_shared_object_fits(tmp_path: Path) -> None:
    package = make_zip(tmp_path / "site.zip", {NATIVE: needing("GLIBC_2.26")})

    assert scan_zip(package, LAMBDA) == []


def test_scan_directory_reports_like_scan_zip(tmp_path: Path) -> None:
    for member, data in ((NATIVE, needing("GLIBC_2.34")), (BUNDLED, needing("GLIBC_2.17"))):
        (tmp_path / "site" / member).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / member).write_bytes(data)

    assert scan_directory(tmp_path / "site", LAMBDA) == [Finding("site", NATIVE, (2, 34))]


def test_the_command_names_each_offender_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = make_zip(
        tmp_path / "site.zip", {NATIVE: needing("GLIBC_2.34"), BUNDLED: needing("GLIBC_2.17")}
    )
    good = make_zip(tmp_path / "lookup.zip", {BUNDLED: needing("GLIBC_2.26")})

    code = main(["--max", "2.26", str(bad), str(good)])

    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{bad}: {NATIVE} needs GLIBC_2.34 (> 2.26)",
        "1 of 3 shared objects in 2 packages need glibc > 2.26",
    ]


def test_the_command_passes_packages_that_fit_and_says_what_it_checked(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "site.zip", {NATIVE: needing("GLIBC_2.26"), BUNDLED: b"ld script"})
    (tmp_path / "venv" / "lib").mkdir(parents=True)
    (tmp_path / "venv" / "lib" / "_yaml.so").write_bytes(needing("GLIBC_2.14"))

    # Run as the Makefile runs it, so the module's entry point is tested too.
    completed = subprocess.run(
        [sys.executable, "-m", "deploy.glibc", str(good), str(tmp_path / "venv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout == "2 shared objects checked in 2 packages, all need glibc ≤ 2.26\n"


def test_the_command_refuses_a_path_that_is_no_package(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a zip")

    with pytest.raises(SystemExit) as refused:
        main([str(tmp_path / "notes.txt")])

    assert refused.value.code == 2
