#!/usr/bin/env python3
"""Drives the console and `prompt` on ptys for Benchmarks/scan-and-prompt.sh (see there).

Usage: scan_and_prompt.py path/to/leadconsole RUNS
"""
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

BIN, RUNS = sys.argv[1], int(sys.argv[2])


def spawn(argv, term, data=None):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(os.environ, TERM=term, LANG="C.UTF-8")
    if data:
        env["LEADCONSOLE_DATA_DIR"] = data
    child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=env)
    os.close(slave)
    return child, master


def wait_for(master, text, seen=b"", timeout=30.0):
    """Reads until `text` arrives; returns (the time it arrived, everything read)."""
    deadline = time.perf_counter() + timeout
    while text not in seen:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise SystemExit(f"timed out waiting for {text!r}; the terminal's last bytes: {seen[-600:]!r}")
        if select.select([master], [], [], left)[0]:
            seen += os.read(master, 65536)
    return time.perf_counter(), seen


def stop(child, master):
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
    os.close(master)


def vcard():
    """A vCard of 1 KB as a phone's QR code holds one, lines ended by Enter (CR)."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:Kumar;Rahul;;;", "FN:Rahul Kumar", "ORG:Acme Tools",
             "TITLE:Regional buyer", "TEL;TYPE=CELL:+91 98200 11111", "TEL;TYPE=WORK:+91 22 4000 1111",
             "EMAIL:rahul.kumar@acme-tools.example.in", "URL:https://acme-tools.example.in"]
    note = "NOTE:"
    while len("\r".join(lines + [note, "END:VCARD"]).encode()) + 1 < 1024:
        note += "x"
    return ("\r".join(lines + [note, "END:VCARD"]) + "\r").encode()


def scan_once(run):
    """Types the card a key a millisecond; returns the milliseconds from its last key (the
    scanner's Enter) and from the key that ends the card (END:VCARD's D) until 'Scanned:'
    reached the terminal."""
    # A history of its own: the card left in the form when the last run was stopped would be
    # put back (a draft), and this run's card would rightly wait behind it.
    child, master = spawn([BIN, "console"], "xterm-256color", data=f"{os.environ['LEADCONSOLE_DATA_DIR']}-{run}")
    wait_for(master, b"First name")
    # Let the first frames settle (the history loads just after the form is drawn).
    end = time.perf_counter() + 0.5
    while time.perf_counter() < end:
        if select.select([master], [], [], 0.05)[0]:
            os.read(master, 65536)
    card = vcard()
    out, seen_at = b"", None
    start = time.perf_counter()
    written = []
    for index in range(len(card)):
        due = start + index * 0.001
        while time.perf_counter() < due:
            pass
        os.write(master, card[index:index + 1])
        written.append(time.perf_counter())
        # Read what the console draws meanwhile, so it never blocks on a full pty.
        while select.select([master], [], [], 0)[0]:
            out += os.read(master, 65536)
            if seen_at is None and b"Scanned:" in out:
                seen_at = time.perf_counter()
    if seen_at is None:
        seen_at, _ = wait_for(master, b"Scanned:", out)
    stop(child, master)
    ends = written[card.rindex(b"D")]
    return (seen_at - written[-1]) * 1000, (seen_at - ends) * 1000, (written[-1] - start) * 1000


def first_prompt_ms(argv, term, text):
    start = time.perf_counter()
    child, master = spawn(argv, term)
    arrived, _ = wait_for(master, text)
    stop(child, master)
    return (arrived - start) * 1000


scans = [scan_once(run) for run in range(RUNS)]
fills = sorted(fill for fill, _, _ in scans)
from_end = sorted(after for _, after, _ in scans)
typing = statistics.median(typed for _, _, typed in scans)
print(f"a 1 KB vCard ({len(vcard())} bytes) typed at 1 ms a key ({typing:.0f} ms of typing), "
      f"until 'Scanned:' reached the terminal ({RUNS} runs):")
print(f"  after its last key (the Enter)   median {statistics.median(fills):.1f} ms, worst {fills[-1]:.1f} ms"
      "   (target: within 50 ms; below 0: filled before the Enter came)")
print(f"  after END:VCARD's last letter    median {statistics.median(from_end):.1f} ms, worst {from_end[-1]:.1f} ms")

first_prompt_ms([BIN, "prompt"], "dumb", b"First name: ")  # the database exists from here on
prompt, dialog = [], []
for _ in range(RUNS):
    prompt.append(first_prompt_ms([BIN, "prompt"], "dumb", b"First name: "))
    dialog.append(first_prompt_ms(["dialog", "--inputbox", "First name", "8", "40"], "xterm-256color", b"First name"))
p, d = statistics.median(prompt), statistics.median(dialog)
print(f"launch to the first prompt (median of {RUNS}):")
print(f"  leadconsole prompt      {p:.1f} ms")
print(f"  dialog --inputbox       {d:.1f} ms")
print(f"  ratio                   {p / d:.2f}x dialog   (target: under 2x)")
