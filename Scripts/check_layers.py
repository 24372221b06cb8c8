#!/usr/bin/env python3
"""The layering rule (README, "Architecture"), checked on the sources' imports.

    leadconsole (wiring) -> CursesBackend -> LeadConsoleUI -> LeadStore -> ParamantraAPI
                            LeadTransfer -> LeadStore;   ParamantraSandbox stands alone
    leadconsole-sandbox -> ParamantraSandbox; both programs -> SandboxCommandLine (options)

- only CursesBackend imports curses (CNcurses) or the terminal's signal hook;
- the UI (LeadConsoleUI) never imports the database (GRDB) or an HTTP stack;
- views are pure: nothing in Views/ reads the clock;
- nothing points back up: the API client imports no LeadConsole module, the store no UI;
- the console's program carries no server (neither its imports nor its Package.swift target).

Usage: check_layers.py [ROOT]   (ROOT: the repository by default)
       check_layers.py --self-test   (plants each kind of violation in a copy; each must be caught)
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

CURSES = r"^import (CNcurses|CTerminalSignals)\b"
# (files, forbidden pattern, why)
RULES = [
    (lambda p: p.parts[0] in ("Sources", "Tests", "Benchmarks") and not p.parts[:2] == ("Sources", "CursesBackend"),
     CURSES, "only CursesBackend touches curses"),
    (lambda p: p.parts[:2] == ("Sources", "LeadConsoleUI"),
     r"^import (GRDB|AsyncHTTPClient|NIO\w*|CursesBackend|LeadTransfer|ParamantraSandbox)\b",
     "the UI reads state and sends actions; storage and HTTP belong to the store and the API client"),
    (lambda p: p.parts[:2] == ("Sources", "LeadStore"),
     r"^import (LeadConsoleUI|CursesBackend|LeadTransfer|ParamantraSandbox|AsyncHTTPClient)\b",
     "the store depends on the API client only"),
    (lambda p: p.parts[:2] == ("Sources", "LeadTransfer"),
     r"^import (LeadConsoleUI|CursesBackend|ParamantraSandbox|AsyncHTTPClient)\b",
     "import and export sit on the store, beside the UI"),
    (lambda p: p.parts[:2] == ("Sources", "ParamantraAPI"),
     r"^import (LeadStore|LeadConsoleUI|CursesBackend|LeadTransfer|ParamantraSandbox|GRDB)\b",
     "the API client depends on nothing of ours"),
    (lambda p: p.parts[:2] == ("Sources", "ParamantraSandbox"),
     r"^import (LeadStore|LeadConsoleUI|CursesBackend|LeadTransfer|ParamantraAPI|GRDB)\b",
     "the sandbox answers like the vendor and shares no code with the client"),
    (lambda p: p.parts[:2] in (("Sources", "leadconsole"), ("Sources", "SandboxCommandLine")),
     r"^import (ParamantraSandbox|Hummingbird\w*)\b",
     "the console's binary carries no server: the sandbox is leadconsole-sandbox, a program of its own"),
    (lambda p: p.parts[:3] == ("Sources", "LeadConsoleUI", "Views"),
     r"\bDate\(\)|\bDate\.now\b", "views are pure: now comes from the console loop"),
]


def check(root: pathlib.Path) -> list[str]:
    problems = []
    for folder in ("Sources", "Tests", "Benchmarks"):
        for file in sorted((root / folder).rglob("*.swift")):
            relative = file.relative_to(root)
            lines = file.read_text(encoding="utf-8").splitlines()
            for applies, pattern, why in RULES:
                if not applies(relative):
                    continue
                for number, line in enumerate(lines, 1):
                    code = line.split("//", 1)[0]
                    if re.search(pattern, code):
                        problems.append(f"layering: {relative}:{number}: {line.strip()}  ({why})")
    return problems


def check_package(root: pathlib.Path) -> list[str]:
    """Only CursesBackend may depend on the curses modules (what SwiftPM links, not only what
    a file imports)."""
    try:
        described = subprocess.run(["swift", "package", "dump-package"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        return [f"layering: cannot read Package.swift: {error}"]
    problems = []
    for target in json.loads(described.stdout)["targets"]:
        names = [value[0] if isinstance(value, list) else value
                 for dependency in target.get("dependencies", []) for value in dependency.values()]
        for curses in ("CNcurses", "CTerminalSignals"):
            if curses in names and target["name"] != "CursesBackend":
                problems.append(f"layering: Package.swift: target {target['name']} depends on {curses} (only CursesBackend may)")
        if target["name"] == "leadconsole" and {"ParamantraSandbox", "Hummingbird"} & set(names):
            problems.append("layering: Package.swift: leadconsole depends on the sandbox's server "
                            "(it runs leadconsole-sandbox instead, and its binary stays lean)")
    return problems


def self_test(repo: pathlib.Path) -> int:
    if check(repo):
        print("self-test: the repository itself fails the check")
        return 1
    plants = [
        ("Sources/LeadConsoleUI/Views/MainView.swift", "import CNcurses"),
        ("Sources/LeadStore/State/Store.swift", "import CNcurses"),
        ("Tests/LeadConsoleUITests/KeyMapTests.swift", "import CTerminalSignals"),
        ("Sources/LeadConsoleUI/Views/BrowserView.swift", "import GRDB"),
        ("Sources/LeadConsoleUI/Console.swift", "import AsyncHTTPClient"),
        ("Sources/LeadConsoleUI/Views/MainView.swift", "let stamp = Date()"),
        ("Sources/ParamantraAPI/Lead.swift", "import LeadStore"),
        ("Sources/LeadStore/State/Store.swift", "import LeadConsoleUI"),
        ("Sources/leadconsole/ConsoleCommand.swift", "import ParamantraSandbox"),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        for path, line in plants:
            tree = pathlib.Path(scratch) / "tree"
            shutil.rmtree(tree, ignore_errors=True)
            for folder in ("Sources", "Tests", "Benchmarks"):
                shutil.copytree(repo / folder, tree / folder)
            with open(tree / path, "a", encoding="utf-8") as file:
                file.write("\n" + line + "\n")
            if not check(tree):
                print(f"self-test: not caught: {line!r} in {path}")
                return 1
    print(f"layering self-test: {len(plants)} planted violations caught")
    return 0


def main() -> int:
    repo = pathlib.Path(__file__).resolve().parent.parent
    if sys.argv[1:] == ["--self-test"]:
        return self_test(repo)
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else repo
    problems = check(root) + check_package(root)
    for problem in problems:
        print(problem)
    if not problems:
        print("layering: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
