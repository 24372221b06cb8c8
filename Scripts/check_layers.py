#!/usr/bin/env python3
"""The layering rule (docs/architecture.md), checked on Package.swift and on the sources' imports.

    leadconsole (wiring) -> CursesBackend -> LeadConsoleUI -> ConsoleState -> LeadOutbox -> ContactCards -> ParamantraAPI
                            LeadTransfer -> LeadOutbox;   ParamantraSandbox stands alone
    ContactCards (vCard, MECARD, names) is read by import, the settings, the state and the UI's scanner
    leadconsole-sandbox -> ParamantraSandbox; both programs -> SandboxCommandLine (options)

- a file imports only modules its target declares in Package.swift (the lists are the map);
- what a module may never depend on (FORBIDDEN), in Package.swift and in any import:
  the UI never sees the outbox (LeadOutbox), the database (GRDB) or an HTTP stack; the console
  state never GRDB; import/export never the console state; nothing points back up;
- only LeadOutbox imports GRDB among the modules (a bench or a test may read a database);
- only CursesBackend imports curses (CNcurses) or the terminal's signal hook;
- views are pure: nothing in Views/ reads the clock;
- inside a module, folders do not lean on each other in circles (a type declared in one folder
  and used in another is an edge; a cycle of edges is reported with the names that make it).

Usage: check_layers.py [ROOT]   (ROOT: the repository by default)
       check_layers.py --self-test   (plants each kind of violation in a copy; each must be caught)
"""
import collections
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

OURS = {"ParamantraAPI", "ContactCards", "LeadOutbox", "ConsoleState", "LeadConsoleUI", "CursesBackend", "LeadTransfer",
        "ParamantraSandbox", "SandboxCommandLine"}
HTTP = {"AsyncHTTPClient", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "NIOTLS", "Hummingbird"}
FORBIDDEN = {
    "ParamantraAPI": OURS - {"ParamantraAPI"} | {"GRDB"},
    "ContactCards": OURS - {"ContactCards", "ParamantraAPI"} | {"GRDB"} | HTTP,
    "LeadOutbox": {"ConsoleState", "LeadConsoleUI", "CursesBackend", "LeadTransfer", "ParamantraSandbox"} | HTTP,
    "ConsoleState": {"GRDB", "LeadConsoleUI", "CursesBackend", "LeadTransfer", "ParamantraSandbox"} | HTTP,
    "LeadConsoleUI": {"LeadOutbox", "GRDB", "CursesBackend", "LeadTransfer", "ParamantraSandbox"} | HTTP,
    "LeadTransfer": {"ConsoleState", "LeadConsoleUI", "CursesBackend", "ParamantraSandbox"} | HTTP,
    "ParamantraSandbox": OURS - {"ParamantraSandbox"} | {"GRDB"},
    "leadconsole": {"ParamantraSandbox", "Hummingbird"},
    "SandboxCommandLine": {"ParamantraSandbox", "Hummingbird"},
}
WHY = {
    "ParamantraAPI": "the API client depends on nothing of ours",
    "ContactCards": "cards are read from text alone: no outbox, no state, no screen, no network",
    "LeadOutbox": "the outbox sits on the API client; the console state and files sit on it",
    "ConsoleState": "the console state reaches the outbox through the Store's dependencies, never SQL",
    "LeadConsoleUI": "the UI reads state and sends actions; the outbox, SQL and HTTP sit below the state",
    "LeadTransfer": "import and export sit on the outbox, beside the console",
    "ParamantraSandbox": "the sandbox answers like the vendor and shares no code with the client",
    "leadconsole": "the console's binary carries no server: the sandbox is leadconsole-sandbox",
    "SandboxCommandLine": "the console's binary carries no server: the sandbox is leadconsole-sandbox",
}
CURSES = {"CNcurses", "CTerminalSignals"}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+)?import\s+(?:struct\s+|enum\s+|class\s+)?(\w+)")
DECLARATION = re.compile(
    r"^(?:(?:public|internal|private|fileprivate|final|package|nonisolated|@\w+)\s+)*"
    r"(?:struct|enum|class|actor|protocol|typealias)\s+([A-Za-z_]\w*)", re.M)


def describe(root: pathlib.Path) -> dict:
    """Package.swift as SwiftPM reads it: each target's folder and declared dependencies."""
    described = subprocess.run(["swift", "package", "dump-package"], cwd=root, capture_output=True, text=True,
                               check=True)
    targets = {}
    for target in json.loads(described.stdout)["targets"]:
        names = set()
        for dependency in target.get("dependencies", []):
            for value in dependency.values():
                names.add(value[0] if isinstance(value, list) else value)
        default = {"test": "Tests", "executable": "Sources", "regular": "Sources", "system-target": "Sources",
                   "plugin": "Plugins"}.get(target["type"], "Sources")
        path = target.get("path") or f"{default}/{target['name']}"
        targets[target["name"]] = {"path": path, "dependencies": names, "type": target["type"]}
    return targets


def owner(relative: pathlib.Path, targets: dict) -> str | None:
    """The target whose folder holds the file (the longest folder that contains it)."""
    best = None
    for name, target in targets.items():
        folder = pathlib.PurePath(target["path"])
        if relative.parts[:len(folder.parts)] == folder.parts and (
                best is None or len(folder.parts) > len(pathlib.PurePath(targets[best]["path"]).parts)):
            best = name
    return best


def check_imports(root: pathlib.Path, targets: dict) -> list[str]:
    # Every module the package knows: its targets and the products they depend on.
    known = set(targets).union(*(target["dependencies"] for target in targets.values()))
    problems = []
    for folder in ("Sources", "Tests", "Benchmarks"):
        for file in sorted((root / folder).rglob("*.swift")):
            relative = file.relative_to(root)
            target = owner(relative, targets)
            if target is None:
                continue
            declared = targets[target]["dependencies"]
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                found = IMPORT.match(line.split("//", 1)[0])
                if not found:
                    continue
                module = found.group(1)
                where = f"layering: {relative}:{number}: {line.strip()}"
                if module in CURSES and target != "CursesBackend":
                    problems.append(f"{where}  (only CursesBackend touches curses)")
                elif module in FORBIDDEN.get(target, ()):
                    problems.append(f"{where}  ({WHY[target]})")
                elif module == "GRDB" and folder == "Sources" and target != "LeadOutbox":
                    problems.append(f"{where}  (only LeadOutbox opens the database)")
                elif module in known and module != target and module not in declared:
                    problems.append(f"{where}  ({target} does not declare {module} in Package.swift)")
    return problems


def check_views(root: pathlib.Path) -> list[str]:
    problems = []
    for file in sorted((root / "Sources/LeadConsoleUI/Views").rglob("*.swift")):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bDate\(\)|\bDate\.now\b", line.split("//", 1)[0]):
                problems.append(f"layering: {file.relative_to(root)}:{number}: {line.strip()}  "
                                "(views are pure: now comes from the console loop)")
    return problems


def check_package(targets: dict) -> list[str]:
    problems = []
    for name, target in targets.items():
        for dependency in sorted(target["dependencies"]):
            if dependency in CURSES and name != "CursesBackend":
                problems.append(f"layering: Package.swift: {name} depends on {dependency} (only CursesBackend may)")
            if dependency in FORBIDDEN.get(name, ()):
                problems.append(f"layering: Package.swift: {name} depends on {dependency} ({WHY[name]})")
    return problems


def check_folders(root: pathlib.Path, targets: dict) -> list[str]:
    """Folder cycles inside each module of Sources: an edge A -> B when a file in folder A names
    a type declared (only) in folder B. Files at the module's top level belong to no folder."""
    problems = []
    for name, target in sorted(targets.items()):
        module = root / target["path"]
        if target["type"] == "test" or not module.is_dir() or not target["path"].startswith("Sources/"):
            continue
        files = sorted(module.rglob("*.swift"))

        def folder(file: pathlib.Path) -> str | None:
            parts = file.relative_to(module).parts
            return parts[0] if len(parts) > 1 else None
        declared = collections.defaultdict(set)
        for file in files:
            for type_name in DECLARATION.findall(file.read_text(encoding="utf-8")):
                declared[type_name].add(folder(file))
        edges = collections.defaultdict(dict)
        for file in files:
            here = folder(file)
            if here is None:
                continue
            code = re.sub(r"//.*", "", file.read_text(encoding="utf-8"))
            for word in set(re.findall(r"\b[A-Z]\w*\b", code)):
                places = declared.get(word, set())
                if len(places) == 1:
                    there = next(iter(places))
                    if there is not None and there != here:
                        edges[here].setdefault(there, f"{file.name} names {word}")
        for a in sorted(edges):
            for b in sorted(edges[a]):
                if a < b and a in edges.get(b, {}):
                    problems.append(f"layering: {target['path']}: folders {a}/ and {b}/ use each other "
                                    f"({edges[a][b]}; {edges[b][a]})")
    return problems


def check(root: pathlib.Path, targets: dict) -> list[str]:
    return check_imports(root, targets) + check_views(root) + check_package(targets) + check_folders(root, targets)


def self_test(repo: pathlib.Path) -> int:
    targets = describe(repo)
    if check(repo, targets):
        print("self-test: the repository itself fails the check")
        return 1
    plants = [
        ("Sources/LeadConsoleUI/Views/MainView.swift", "import CNcurses"),
        ("Sources/ConsoleState/Store.swift", "import CNcurses"),
        ("Tests/LeadConsoleUITests/KeyMapTests.swift", "import CTerminalSignals"),
        ("Sources/LeadConsoleUI/Views/BrowserView.swift", "import GRDB"),
        ("Sources/LeadConsoleUI/Views/BrowserView.swift", "import LeadOutbox"),
        ("Sources/ConsoleState/Store.swift", "import GRDB"),
        ("Sources/LeadTransfer/LeadExport.swift", "import ConsoleState"),
        ("Sources/LeadConsoleUI/Console.swift", "import AsyncHTTPClient"),
        ("Sources/LeadConsoleUI/Views/MainView.swift", "let stamp = Date()"),
        ("Sources/ParamantraAPI/Lead.swift", "import LeadOutbox"),
        ("Sources/ContactCards/CardScan.swift", "import LeadOutbox"),
        ("Sources/ParamantraAPI/Lead.swift", "import ContactCards"),
        ("Sources/LeadOutbox/Storage/LeadDatabase.swift", "import ConsoleState"),
        ("Sources/ConsoleState/Store.swift", "import LeadConsoleUI"),
        ("Sources/leadconsole/ConsoleCommand.swift", "import ParamantraSandbox"),
        # An import its target does not declare.
        ("Sources/LeadTransfer/LeadExport.swift", "import ArgumentParser"),
        # A folder cycle: Files/ (lowest) naming a type of Storage/.
        ("Sources/LeadOutbox/Files/FileLock.swift", "let planted: LeadDatabase? = nil"),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        for path, line in plants:
            tree = pathlib.Path(scratch) / "tree"
            shutil.rmtree(tree, ignore_errors=True)
            for folder in ("Sources", "Tests", "Benchmarks"):
                shutil.copytree(repo / folder, tree / folder)
            with open(tree / path, "a", encoding="utf-8") as file:
                file.write("\n" + line + "\n")
            if not check(tree, targets):
                print(f"self-test: not caught: {line!r} in {path}")
                return 1
    # Package.swift itself: a dependency the map forbids.
    for name, dependency in [("LeadConsoleUI", "LeadOutbox"), ("ConsoleState", "GRDB"), ("leadconsole", "ParamantraSandbox")]:
        planted = {key: dict(value, dependencies=set(value["dependencies"])) for key, value in targets.items()}
        planted[name]["dependencies"].add(dependency)
        if not check_package(planted):
            print(f"self-test: not caught: {name} depending on {dependency} in Package.swift")
            return 1
    print(f"layering self-test: {len(plants) + 3} planted violations caught")
    return 0


def main() -> int:
    repo = pathlib.Path(__file__).resolve().parent.parent
    if sys.argv[1:] == ["--self-test"]:
        return self_test(repo)
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else repo
    try:
        targets = describe(root)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"layering: cannot read Package.swift: {error}")
        return 1
    problems = check(root, targets)
    for problem in problems:
        print(problem)
    if not problems:
        print("layering: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
