import Foundation
import TestSupport
import Testing

/// `leadconsole --demo` runs its sandbox as a program of its own (leadconsole-sandbox), so the
/// console's binary carries no server. That server must never outlive its console.
@Suite("the demo's sandbox")
struct DemoSandboxTests {
    /// The console on a pty with --demo; its one child is the sandbox, which answers on loopback.
    /// Then the console is killed with SIGKILL (no handler runs, nothing is cleaned up) and the
    /// sandbox must be gone (or a zombie waiting for a reaper) within the deadline, having read
    /// the end of its input.
    @Test func theSandboxAnswersAndEndsWithItsConsoleEvenAKilledOne() async throws {
        let script = """
            import os, select, signal, struct, subprocess, sys, time, fcntl, termios, urllib.request
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
            console = subprocess.Popen([sys.argv[1], "--demo"], stdin=slave, stdout=slave, stderr=slave,
                                       start_new_session=True, env=env)
            os.close(slave)
            seen, deadline = b"", time.time() + 30
            while b"First name" not in seen and time.time() < deadline:
                if select.select([master], [], [], 0.5)[0]:
                    seen += os.read(master, 65536)
            if b"First name" not in seen:
                console.kill(); sys.exit("the form never appeared")
            # Any of the console's threads may have started it: every thread's children.
            children = [pid for task in os.listdir(f"/proc/{console.pid}/task")
                        for pid in open(f"/proc/{console.pid}/task/{task}/children").read().split()]
            names = [open(f"/proc/{pid}/comm").read().strip() for pid in children]
            print("children", names)
            sandbox = int(children[0])
            ports = [line.split()[1] for line in open(f"/proc/net/tcp").read().splitlines()[1:] if line.split()[3] == "0A"]
            listening = {int(p.split(":")[1], 16) for p in ports}
            answered = set()
            for port in listening:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/__sandbox/leads", timeout=2)
                    answered.add(port)
                except Exception:
                    pass
            print("a sandbox answers", bool(answered))
            console.send_signal(signal.SIGKILL)
            console.wait()
            def alive(pid):
                try:
                    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
                except FileNotFoundError:
                    return False
            deadline = time.time() + 20
            while alive(sandbox) and time.time() < deadline:
                time.sleep(0.05)
            print("sandbox after the console's kill:", "running" if alive(sandbox) else "gone")
            if alive(sandbox):
                os.kill(sandbox, signal.SIGKILL)
            """
        let result = try await Spawn.run("/usr/bin/env", ["python3", "-c", script, Binary.path], timeout: .seconds(90))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("children ['leadconsole-san']"), "\(result.stdout)")
        #expect(result.stdout.contains("a sandbox answers True"), "\(result.stdout)")
        #expect(result.stdout.contains("sandbox after the console's kill: gone"), "\(result.stdout)")
    }
}
