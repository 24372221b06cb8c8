import Foundation
import ParamantraSandbox
import TestSupport

/// The built `leadconsole` binary, next to the test bundle in the build folder, or the one
/// LEADCONSOLE_TEST_BINARY names (`make test-release` runs these tests on the release build).
enum Binary {
    static let path: String = {
        if let chosen = ProcessInfo.processInfo.environment["LEADCONSOLE_TEST_BINARY"], !chosen.isEmpty {
            return chosen
        }
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary sits in Foo.xctest (a file on Linux) inside the build folder.
        if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("leadconsole").path
    }()

    /// Runs `leadconsole ARGS` with exactly `environment` (plus PATH and a UTF-8 locale).
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws
        -> Spawn.Result
    {
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["LANG"] = "C.UTF-8"
        env["HOME"] = NSTemporaryDirectory()
        // Every run gets its own data and config folders unless the test shares one.
        if env["LEADCONSOLE_DATA_DIR"] == nil {
            let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
            env["LEADCONSOLE_DATA_DIR"] = folder + "/data"
            env["LEADCONSOLE_CONFIG_DIR"] = folder + "/config"
            env["XDG_STATE_HOME"] = env["XDG_STATE_HOME"] ?? folder + "/state"
        }
        return try await Spawn.run(path, arguments, environment: env, stdin: stdin)
    }
}

/// A sandbox in this process, and the environment that points `leadconsole` at it.
struct SandboxEnvironment {
    let sandbox: Sandbox
    let key: String
    /// This test's data and config folders, shared by every command it runs.
    let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"

    var environment: [String: String] {
        [
            "PARAMANTRA_URL": sandbox.endpoint.absoluteString, "PARAMANTRA_API_KEY": key,
            "PARAMANTRA_APP_NAME": "CLITEST",
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config",
            // The outbox's marker (how many leads the folder held) stays in the test's folder.
            "XDG_STATE_HOME": folder + "/state"
        ]
    }

    /// The form's kept fields a walk-in needs (Subject, Channel, Rep), as a rep sets them once.
    static let walkInDefaults = [("default_channel", "Walk-in"), ("default_subject", "Expo"), ("default_rep", "smith")]

    /// `leadconsole config set KEY VALUE` for each pair, in this test's folders.
    func configure(_ settings: [(String, String)] = walkInDefaults) async throws {
        for (key, value) in settings {
            _ = try await Binary.run(["config", "set", key, value], environment: environment)
        }
    }

    /// `leadconsole console` in tmux (120x36) after `configure(settings)`, once its form and pane
    /// are up; the pane prints `exit=N` when the console ends.
    func console(
        _ settings: [(String, String)] = walkInDefaults, _ body: (Tmux) async throws -> Void
    ) async throws {
        try await configure(settings)
        var environment = environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        let tmux = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 120, rows: 36, environment: environment)
        defer { Task { await tmux.stop() } }
        guard try await tmux.waitFor({ $0.contains("No leads yet") }) else {
            throw TmuxConsoleError(screen: try await tmux.screen())
        }
        try await body(tmux)
        await tmux.stop()
    }

    static func with(_ body: (SandboxEnvironment) async throws -> Void) async throws {
        let key = "cli-key-\(UUID().uuidString.prefix(13))"
        let sandbox = try await Sandbox.start(SandboxConfiguration(apiKey: key, appName: "CLITEST"))
        do {
            try await body(SandboxEnvironment(sandbox: sandbox, key: key))
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }
}

/// The console never showed its form.
struct TmuxConsoleError: Error, CustomStringConvertible {
    let screen: String
    var description: String { "the console's form never appeared:\n\(screen)" }
}
