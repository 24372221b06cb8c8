import TestSupport

/// `leadconsole --demo` on a pty of its own (100x30, a session of its own, so the pty is not its
/// controlling terminal), driven by a Python script: for what tmux cannot do to a console (close
/// its terminal under it, kill it outright). The script's start waits up to 30 s for the form;
/// what follows it sees `console` (the Popen) and `master` (the pty's other end).
enum PtyConsole {
    static let start = """
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

        """

    /// Runs `start` then `then` against the binary under test.
    static func run(then script: String) async throws -> Spawn.Result {
        try await Spawn.run("/usr/bin/env", ["python3", "-c", start + script, Binary.path], timeout: .seconds(90))
    }
}
