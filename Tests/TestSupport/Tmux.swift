import Foundation

/// A real terminal for a test: a private tmux server (its own short socket path), one pane of a
/// given size, keys sent with send-keys, the screen read with capture-pane.
public final class Tmux: Sendable {
    public let socket: String

    /// Starts `command` (run by sh) in a detached session of `columns` x `rows`.
    public init(_ command: String, columns: Int = 100, rows: Int = 30, environment: [String: String] = [:]) async throws
    {
        socket = "/tmp/lct-\(UUID().uuidString.prefix(8))"
        let env = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let result = try await Spawn.run(
            "/usr/bin/tmux",
            [
                "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(columns)", "-y", "\(rows)",
                "env \(env) TERM=xterm-256color LANG=C.UTF-8 \(command); sleep 30"
            ])
        guard result.status == 0 else {
            throw NSError(
                domain: "Tmux", code: Int(result.status),
                userInfo: [NSLocalizedDescriptionKey: "tmux: \(result.stderr)"])
        }
    }

    /// Types `text` literally (UTF-8 is fine).
    public func type(_ text: String) async throws {
        _ = try await Spawn.run("/usr/bin/tmux", ["-S", socket, "send-keys", "-l", text])
    }

    /// Presses named keys: Enter, Tab, C-c, F2...
    public func press(_ keys: String...) async throws {
        _ = try await Spawn.run("/usr/bin/tmux", ["-S", socket, "send-keys"] + keys)
    }

    /// A walk-in as a rep types it on the form: the name, Tab, the phone, Ctrl-S.
    public func saveLead(_ name: String, phone: String) async throws {
        try await type(name)
        try await press("Tab")
        try await type(phone)
        try await press("C-s")
    }

    /// Pastes `text` as a terminal does (bracketed, when the program asked for it), in one go.
    /// `bracketed: false`: as a terminal that does not bracket pastes (a serial line, some PuTTY
    /// settings, a scanner): every character arrives as a key, in one burst.
    public func paste(_ text: String, bracketed: Bool = true) async throws {
        let file = NSTemporaryDirectory() + "/paste-\(UUID().uuidString)"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await Spawn.run("/usr/bin/tmux", ["-S", socket, "load-buffer", file])
        _ = try await Spawn.run("/usr/bin/tmux", ["-S", socket, "paste-buffer"] + (bracketed ? ["-p"] : []) + ["-d"])
    }

    /// Resizes the window (the program gets SIGWINCH and, in curses, KEY_RESIZE).
    public func resize(columns: Int, rows: Int) async throws {
        _ = try await Spawn.run("/usr/bin/tmux", ["-S", socket, "resize-window", "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The process the pane runs (the shell or program it was started with).
    public func panePID() async throws -> Int32? {
        Int32(
            try await Spawn.run("/usr/bin/tmux", ["-S", socket, "list-panes", "-F", "#{pane_pid}"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Sends `signal` (e.g. "HUP") to the program the pane's shell runs (its one child), as a
    /// dropped SSH session or a shutdown would; returns how many processes got it.
    @discardableResult
    public func signalProgram(_ signal: String) async throws -> Int {
        guard let shell = try await panePID() else { return 0 }
        let pids = try await Spawn.run("/usr/bin/pgrep", ["-P", String(shell)]).stdout.split(separator: "\n")
        for pid in pids { _ = try await Spawn.run("/bin/kill", ["-\(signal)", String(pid)]) }
        return pids.count
    }

    public func screen() async throws -> String {
        try await Spawn.run("/usr/bin/tmux", ["-S", socket, "capture-pane", "-p"]).stdout
    }

    /// Polls the screen every 20 ms until `predicate` holds or `timeout` passes.
    public func waitFor(timeout: Duration = .seconds(30), _ predicate: @escaping (String) -> Bool) async throws -> Bool
    {
        try await waitUntil(timeout: timeout) { predicate(try await self.screen()) }
    }

    public func stop() async {
        _ = try? await Spawn.run("/usr/bin/tmux", ["-S", socket, "kill-server"])
        unlink(socket)
    }
}
