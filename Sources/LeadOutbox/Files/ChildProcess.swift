import Foundation
import Glibc

/// Starting a program, the one way both our child programs are started (the API key helper, the
/// demo's sandbox): posix_spawn with the standard streams we choose, argv built and freed here.
///
/// Not swift-subprocess: its API ties a child's life to a closure and is async, while the demo's
/// sandbox must live as long as the console (its stdin a pipe only the console holds) and the key
/// helper runs inside synchronous settings loading; these few lines do both without a package.
public enum ChildProcess {
    /// What a child's standard stream is: one of our descriptors (dup2'd there), or /dev/null.
    public enum Stream: Sendable {
        case descriptor(Int32)
        case null
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let code: Int32
        public var description: String { String(cString: strerror(code)) }
    }

    /// Starts `path` with `arguments` (argv[0] first); `streams` sets the child's descriptors 0-2
    /// (one not named is inherited); `closing` are closed in the child (the other ends of pipes).
    public static func spawn(
        _ path: String, _ arguments: [String], streams: [Int32: Stream] = [:], closing: [Int32] = []
    ) -> Result<pid_t, Failure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in streams.sorted(by: { $0.key < $1.key }) {
            switch stream {
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0)
            }
        }
        for descriptor in closing { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        return spawned == 0 ? .success(pid) : .failure(Failure(code: spawned))
    }

    /// Waits for `pid` to end (EINTR retried) and returns its wait status.
    @discardableResult
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}
