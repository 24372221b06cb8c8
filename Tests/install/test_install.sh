#!/usr/bin/env bash
# The installed tool, as an IT person gets it: `make install` lays out every file under
# DESTDIR/PREFIX; the .deb from `make deb` installs with dpkg -i (its Depends met), runs, has its
# manual page (rendered without a warning, naming every subcommand and the KEYS, ENVIRONMENT,
# FILES and EXIT STATUS sections) and its bash completion; dpkg -r removes every file. Needs root
# (dpkg). Run by `make test-install`, after `make deb`.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root: it installs and removes a package with dpkg"

# make install into a staging folder: every file where its tool looks.
stage=$(mktemp -d)
trap 'rm -rf "$stage"; dpkg -r leadconsole >/dev/null 2>&1 || true' EXIT
make --no-print-directory install PREFIX=/usr/local DESTDIR="$stage" >/dev/null
for file in bin/leadconsole bin/leadconsole-sandbox share/man/man1/leadconsole.1.gz share/bash-completion/completions/leadconsole \
  share/zsh/site-functions/_leadconsole share/fish/vendor_completions.d/leadconsole.fish; do
  [ -s "$stage/usr/local/$file" ] || fail "make install did not write $file"
done
for program in leadconsole leadconsole-sandbox; do
  file "$stage/usr/local/bin/$program" | grep -q ", stripped" || fail "the installed $program is not stripped"
done
make --no-print-directory uninstall PREFIX=/usr/local DESTDIR="$stage" >/dev/null
[ -z "$(find "$stage" -type f)" ] || fail "make uninstall left: $(find "$stage" -type f)"

# The package.
deb=$(ls -t .build/deb/leadconsole_*.deb | head -n1)
dpkg -r leadconsole >/dev/null 2>&1 || true
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb"
depends=$(dpkg-query -W -f='${Depends}' leadconsole)
# The loader of glibc 2.36 or later, for the packed relocations (GLIBC_ABI_DT_RELR).
[[ "$depends" == *"libc6 (>= 2.36)"* ]] || fail "Depends does not ask for glibc 2.36 (packed relocations): $depends"
for library in libc6 libsqlite3-0 libncursesw6 zlib1g; do
  [[ "$depends" == *"$library"* ]] || fail "Depends lacks $library: $depends"
done
# The C++ runtime is inside the binary (Scripts/release-toolset.sh): nothing to map at each start.
[[ "$depends" != *"libstdc++"* ]] || fail "Depends asks for libstdc++, which should be linked statically: $depends"
[ "$(command -v leadconsole)" = /usr/bin/leadconsole ] || fail "leadconsole is not on PATH"
version=$(leadconsole --version)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
[[ "$version" == "leadconsole "*" (commit $commit"* ]] || fail "--version said: $version (HEAD is $commit)"
# `leadconsole sandbox` runs the installed sandbox beside it: its first line is its URL.
sandbox_out=$(mktemp)
leadconsole sandbox --port 0 > "$sandbox_out" 2>/dev/null & sandbox=$!
for _ in $(seq 600); do [ -s "$sandbox_out" ] && break; sleep 0.05; done
kill "$sandbox" 2>/dev/null; wait "$sandbox" 2>/dev/null || true
grep -q '^http://127.0.0.1:[0-9]*/paramantra/' "$sandbox_out" || fail "leadconsole sandbox printed: $(cat "$sandbox_out")"
rm -f "$sandbox_out"
[ "$(man -w leadconsole)" = /usr/share/man/man1/leadconsole.1.gz ] || fail "man -w: $(man -w leadconsole 2>&1)"
warnings=$(MANWIDTH=100 man leadconsole 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man warns: $warnings"
page=$(MANWIDTH=100 man leadconsole 2>/dev/null | col -b)
subcommands=$(leadconsole --experimental-dump-help | python3 -c '
import json, sys
def names(command):
    for sub in command.get("subcommands", []):
        if sub.get("shouldDisplay", True):
            yield sub["commandName"]
            yield from names(sub)
print("\n".join(sorted(set(names(json.load(sys.stdin)["command"])))))')
[ "$(echo "$subcommands" | wc -l)" -ge 15 ] || fail "too few subcommands found: $subcommands"
for name in $subcommands; do
  grep -qw -- "$name" <<< "$page" || fail "the manual page does not name the subcommand $name"
done
for section in KEYS ENVIRONMENT FILES "EXIT STATUS" "Ctrl-S send" PARAMANTRA_API_KEY "75 *kept in the outbox"; do
  grep -q -- "$section" <<< "$page" || fail "the manual page lacks: $section"
done
# The installed bash completion completes settings.
words=$(bash -c 'source /usr/share/bash-completion/completions/leadconsole
  COMP_LINE="leadconsole config set "; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(leadconsole config set ""); COMP_CWORD=3
  _leadconsole leadconsole "" set; printf "%s\n" "${COMPREPLY[@]}"')
grep -qx endpoint <<< "$words" && grep -qx backup_dir <<< "$words" || fail "completion of config set gave: $words"

dpkg -r leadconsole >/dev/null
[ ! -e /usr/bin/leadconsole ] && [ ! -e /usr/bin/leadconsole-sandbox ] && [ ! -e /usr/share/man/man1/leadconsole.1.gz ] \
  && [ ! -e /usr/share/bash-completion/completions/leadconsole ] || fail "dpkg -r left files behind"
echo "install test: make install/uninstall, the .deb ($(du -h "$deb" | cut -f1), Depends: $depends), --version, man (${#subcommands} bytes of subcommand names), completion: ok"
