#!/usr/bin/env python3
"""The manual page: swift-argument-parser's generate-manual writes the commands and options from
the parser itself; this adds what a parser cannot know, printed by `leadconsole manual-sections`
from the tables the console's help screen and the commands use (keys, environment, files, exit
statuses), in place of the generic EXIT STATUS. Blank lines between paragraphs become .Pp (mdoc
warns on empty lines).

Usage: man_page.py GENERATED.1 LEADCONSOLE OUTPUT.1   (GENERATED.1: the plugin's page)
       man_page.py --tool GENERATE_MANUAL_TOOL LEADCONSOLE OUTPUT.1
"""
import subprocess
import sys
import tempfile
from pathlib import Path


def generated(tool: str, binary: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([tool, binary, "--output-directory", folder], check=True)
        return (Path(folder) / "leadconsole.1").read_text(encoding="utf-8")


def main(page: str, binary: str, output: str) -> None:
    sections = subprocess.run([binary, "manual-sections"], check=True, capture_output=True, text=True).stdout
    lines = [".Pp" if line.strip() == "" else line for line in page.splitlines()]
    end = next((i for i, line in enumerate(lines) if line.startswith('.Sh "EXIT STATUS"')), len(lines))
    lines = lines[:end] + sections.splitlines()
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--tool":
        main(generated(sys.argv[2], sys.argv[3]), sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4:
        main(Path(sys.argv[1]).read_text(encoding="utf-8"), sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
