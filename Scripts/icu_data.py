#!/usr/bin/env python3
"""The ICU data LeadConsole's release binary carries: the toolchain's, less what it never reads.

Static Foundation links ICU's whole data package (icudtNN_dat, 34 MB of 80 MB): every language's
collation, locale names, currencies and units, 200 character-set converters, transliteration and
the Thai/Khmer/Chinese word dictionaries. LeadConsole's text is English and its formats are fixed
(ISO 8601, en_US_POSIX), so it keeps: ICU's core tables (normalization, properties, time zones,
plurals, likely subtags, supplemental data), the root and English (en, en_*) locales and time-zone
names and the break rules; it drops every collation (0.9 MB: the root's tables and rules; nothing
collates) and the names of languages, regions and units and spelled-out numbers (LeadConsole
prints none). A locale that is dropped falls back to root, as ICU does for any locale it lacks. On Linux, Foundation's current locale is en_001 whatever LANG says (measured:
fr_FR.UTF-8 and hi_IN.UTF-8, generated with localedef, still give en_001), and LeadConsole names
en_US_POSIX where a format matters. `make test-release` runs the end-to-end tests on this binary.

Usage: icu_data.py ARCHIVE FOLDER CLANG
ARCHIVE is the toolchain's static lib_FoundationICU.a. Writes FOLDER/icudata.o, which defines
leadconsole_icu_data, and prints the linker option that makes it ICU's data:
--defsym=icudtNN_dat=leadconsole_icu_data (a symbol defined before the archives are searched, so
the archive's 34 MB member is never pulled in; an object defining icudtNN_dat itself would clash
with it). What was kept goes to stderr.

Written by hand: no library reads ICU's common data format ("CmnD": a header, a table of
contents of name and data offsets, the items aligned to 16 bytes); icupkg 72 refuses 76's
4,855 names.
"""
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")


def wanted(name: str) -> bool:
    """Whether an item (its name without the icudtNNl/ prefix) is kept."""
    parts = name.split("/")
    leaf = parts[-1]
    is_locale = bool(LOCALE.match(leaf)) and leaf != "res_index.res"
    english = leaf == "root.res" or leaf == "en.res" or leaf.startswith("en_")
    if len(parts) == 1:
        if leaf.endswith((".cnv", ".spp", ".cfu")) or leaf == "unames.icu":
            return False  # legacy charsets; stringprep profiles; spoof checks; character names
        return english or not is_locale
    tree = parts[0]
    if tree in ("translit", "lang", "region", "unit", "rbnf"):
        return False  # transliteration; names of languages, regions and units; spelled-out numbers
    # curr stays: ICU's number symbols read it for any number or date format, and without it
    # DateFormatter cannot be made (Foundation traps) and 1,000 loses its comma (make test-release).
    if tree == "brkitr" and (leaf.endswith(".dict") or "_cj" in leaf or leaf in ("word_fi_sv.brk", "sent_el.brk")):
        return False  # word dictionaries and line rules for Chinese, Japanese, Thai, Lao, Khmer, Burmese
    if tree == "coll":
        # Nothing collates: the one caller of ucol_open linked in is CoreFoundation's comparison
        # of strings under a locale (localizedCompare and kin), which LeadConsole never asks
        # for, and which falls back to comparing code units when no collator can be opened.
        return False
    return english or not is_locale


def packaged_data(archive: Path) -> tuple[str, bytes]:
    """The data symbol's name and bytes, read from the archive's one object that defines it."""
    listing = subprocess.run(["nm", "-A", "--defined-only", str(archive)], capture_output=True, text=True,
                             check=True).stdout
    for line in listing.splitlines():
        match = re.match(r".*:(.+\.o):[0-9a-f]+ R (icudt\d+_dat)$", line)
        if match:
            member, symbol = match.groups()
            break
    else:
        sys.exit(f"icu_data.py: no icudtNN_dat in {archive}")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["ar", "x", str(archive.resolve()), member], cwd=folder, check=True)
        out = Path(folder) / "data.bin"
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", member, str(out)], cwd=folder,
                       check=True)
        return symbol, out.read_bytes()


def items(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and (name, bytes) items of a common data package."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        sys.exit("icu_data.py: not an ICU common data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    result = []
    for index, (name_offset, data_offset) in enumerate(entries):
        start = header_size + name_offset
        name = data[start:data.index(b"\0", start)].decode("ascii")
        end = entries[index + 1][1] if index + 1 < count else len(data) - header_size
        result.append((name, data[header_size + data_offset:header_size + end]))
    return data[:header_size], result


def package(header: bytes, kept: list[tuple[str, bytes]]) -> bytes:
    """A common data package of the kept items, in the same (sorted) order."""
    toc = 4 + 8 * len(kept)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    name_offsets, offset = [], toc
    for name, _ in kept:
        name_offsets.append(offset)
        offset += len(name) + 1
    first = -(-(len(header) + offset) // 16) * 16 - len(header)
    body, data_offsets, position = bytearray(), [], first
    for _, item in kept:
        data_offsets.append(position)
        padded = item + b"\0" * (-len(item) % 16)
        body += padded
        position += len(padded)
    table = struct.pack("<I", len(kept)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets))
    return header + table + names + b"\0" * (first - offset) + bytes(body)


ASSEMBLY = """\
    .section .rodata.leadconsole_icu_data,"a",@progbits
    .globl leadconsole_icu_data
    .type leadconsole_icu_data,@object
    .balign 16
leadconsole_icu_data:
    .incbin "icudt.dat"
    .size leadconsole_icu_data, . - leadconsole_icu_data
    .section .note.GNU-stack,"",@progbits
"""


def main() -> None:
    archive, folder, clang = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    symbol, data = packaged_data(archive)
    header, everything = items(data)
    prefix = everything[0][0].split("/")[0] + "/"
    kept = [(name, item) for name, item in everything if wanted(name[len(prefix):])]
    result = package(header, kept)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "icudt.dat").write_bytes(result)
    (folder / "icudata.S").write_text(ASSEMBLY)
    # ICU reads its data in place, so it must stay aligned to 16 bytes (.balign above).
    subprocess.run([clang, "-c", "icudata.S", "-o", "icudata.o"], cwd=folder, check=True)
    print(f"icu_data.py: kept {len(kept)} of {len(everything)} items, {len(result):,} of {len(data):,} bytes",
          file=sys.stderr)
    print(f"--defsym={symbol}=leadconsole_icu_data")


if __name__ == "__main__":
    main()
