import Foundation
import ParamantraAPI

/// The API key from a helper program, as git credential helpers and aws `credential_process`
/// work: `api_key_command` (e.g. `pass show paramantra/acme`, `secret-tool lookup service
/// paramantra`) is run without a shell when the key is needed; the first line it prints is the
/// key. The key is never stored, logged or passed on a command line; the helper's own prompts
/// (a passphrase) reach the terminal, since its standard input and error are ours.
public enum KeyHelper {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let command: String
        public let why: String
        /// The fix, when it is not another command.
        public var fix = "leadconsole config set api_key_command \"COMMAND\" (or set PARAMANTRA_API_KEY)"
        public var description: String { "api_key_command \"\(command)\" \(why); fix it with: \(fix)" }
    }

    /// Runs `command` and returns the first line it printed.
    public static func key(from command: String, timeout: Duration = .seconds(30)) throws(Failure) -> String {
        let words = CommandLineWords.split(command)
        guard let program = words.first else { throw Failure(command: command, why: "is not a command") }
        guard let path = resolve(program) else {
            throw Failure(command: command, why: "names no program found in PATH")
        }
        // It runs as us with our key in reach: it, and every folder above it, must be ours or
        // root's and writable by no one else (a 0777 script, or one in a 0777 folder, is not run).
        if let problem = TrustedPaths.check(URL(fileURLWithPath: path), .program) {
            throw Failure(
                command: command, why: "is not run: \(problem.path) \(problem.what)",
                fix: problem.fix + " (or another api_key_command)")
        }
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw Failure(command: command, why: "could not be started (no pipe)") }
        let spawned = ChildProcess.spawn(
            path, [path] + words.dropFirst(), streams: [STDOUT_FILENO: .descriptor(pipe[1])],
            closing: [pipe[0], pipe[1]])
        close(pipe[1])
        guard case .success(let pid) = spawned else {
            close(pipe[0])
            if case .failure(let failure) = spawned {
                throw Failure(command: command, why: "could not be started: \(failure)")
            }
            throw Failure(command: command, why: "could not be started")
        }
        // Read what it prints until it exits or the deadline passes (then it is killed).
        let (output, timedOut) = ChildOutput.read(pipe[0], deadline: .now + timeout)
        close(pipe[0])
        if timedOut { kill(pid, SIGKILL) }
        let status = ChildProcess.wait(pid)
        if timedOut { throw Failure(command: command, why: "did not finish within \(timeout.components.seconds) s") }
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            throw Failure(
                command: command, why: exited ? "failed (exit status \(code))" : "was killed by signal \(status & 0x7F)"
            )
        }
        let text = String(decoding: output, as: UTF8.self)
        let key =
            text.split(separator: "\n", omittingEmptySubsequences: false).first.map {
                $0.trimmingSpace()
            } ?? ""
        guard !key.isEmpty else { throw Failure(command: command, why: "printed no key (its first line is empty)") }
        guard key.utf8.count <= Settings.maximumKeyBytes else {
            throw Failure(
                command: command,
                why:
                    "printed a first line of \(key.utf8.count) bytes, longer than any API key (at most \(Settings.maximumKeyBytes))"
            )
        }
        return key
    }

    /// A program name as execvp would find it: a path as given, else the first match in PATH.
    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
