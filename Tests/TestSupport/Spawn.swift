import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs programs from tests with posix_spawn, off Swift's cooperative pool.
///
/// Why not Foundation.Process: on this image it hangs on daemonising children (tmux), and its
/// waits block a cooperative thread; with two cores that starves an in-process server the test
/// is talking to (measured: curl timing out against the sandbox). Here each wait runs on its own
/// thread, output goes to temp files, and the child gets a clean signal mask and dispositions.
public enum Spawn {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// A started child whose output goes to files, for long-running programs (a server).
    public final class Child: Sendable {
        public let pid: pid_t
        public let stdoutPath: String
        public let stderrPath: String

        init(pid: pid_t, stdoutPath: String, stderrPath: String) {
            self.pid = pid
            self.stdoutPath = stdoutPath
            self.stderrPath = stderrPath
        }

        public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        public func signal(_ signal: Int32) { kill(pid, signal) }

        /// Waits for the exit status (on its own thread); kills the child after `timeout`.
        public func wait(timeout: Duration = .seconds(60)) async -> Int32 {
            let pid = self.pid
            let killer = Task {
                try await Task.sleep(for: timeout)
                kill(pid, SIGKILL)
            }
            defer { killer.cancel() }
            return await onThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
                if status & 0x7F == 0 { return (status >> 8) & 0xFF }
                return 128 + (status & 0x7F)
            }
        }
    }

    /// Runs to completion and returns status and output.
    public static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil,
        stdin: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let child = try start(path, arguments, environment: environment, stdin: stdin)
        let status = await child.wait(timeout: timeout)
        defer {
            unlink(child.stdoutPath)
            unlink(child.stderrPath)
        }
        return Result(status: status, stdout: child.stdout, stderr: child.stderr)
    }

    public static func start(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil,
        stdin: String? = nil
    ) throws -> Child {
        let folder = NSTemporaryDirectory()
        let id = UUID().uuidString
        let outPath = folder + "/spawn-\(id).out"
        let errPath = folder + "/spawn-\(id).err"
        var inPath = "/dev/null"
        if let stdin {
            inPath = folder + "/spawn-\(id).in"
            try Data(stdin.utf8).write(to: URL(fileURLWithPath: inPath))
        }
        defer { if stdin != nil { unlink(inPath) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // SwiftNIO opens its sockets without close-on-exec: a child would otherwise inherit an
        // in-process server's listening socket and keep it alive after the server stops.
        closeFrom(3, in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw NSError(
                domain: "Spawn", code: Int(rc),
                userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(path): \(String(cString: strerror(rc)))"])
        }
        return Child(pid: pid, stdoutPath: outPath, stderrPath: errPath)
    }
}

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift does not import.
private func closeFrom(_ fd: Int32, in actions: inout posix_spawn_file_actions_t) {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
        return
    }
    _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, fd)
}

/// Runs blocking work on a thread of its own, never on the cooperative pool.
public func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held. The
/// default deadline is for a loaded machine (make test-under-load); a wait returns as soon as the
/// condition holds, so it costs nothing when things are quick.
public func waitUntil(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
