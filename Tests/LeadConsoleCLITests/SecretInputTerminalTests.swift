import Foundation
import TestSupport
import Testing

/// `config set-key` on a real terminal (tmux): the key is never echoed, and echo comes back
/// however the command ends.
@Suite("set-key on a terminal")
struct SecretInputTerminalTests {
    static let key = "sk-live-terminal-abcdef123456"

    func folders() -> (environment: [String: String], config: String) {
        let folder = NSTemporaryDirectory() + "lc-\(UUID().uuidString)"
        return (
            ["LEADCONSOLE_CONFIG_DIR": folder + "/config", "LEADCONSOLE_DATA_DIR": folder + "/data"],
            folder + "/config/config.json"
        )
    }

    @Test func theKeyIsNotEchoedAndIsSaved() async throws {
        let (environment, config) = folders()
        let tmux = try await Tmux("\(Binary.path) config set-key", environment: environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("Paramantra API key:") })
        try await tmux.type(Self.key)
        try await tmux.press("Enter")
        #expect(try await tmux.waitFor { $0.contains("saved in") })
        let screen = try await tmux.screen()
        #expect(!screen.contains("abcdef123456"), "\(screen)")
        #expect(screen.contains("api_key = ••••3456 saved in \(config)"))
        let saved = try String(contentsOfFile: config, encoding: .utf8)
        #expect(saved.contains(Self.key))
        await tmux.stop()
    }

    @Test func ctrlCRestoresEcho() async throws {
        let (environment, config) = folders()
        // After the command, a shell line shows whether typed text is echoed again.
        let tmux = try await Tmux(
            "\(Binary.path) config set-key; echo \"exit=$?\"; read -r line; echo \"got:$line\"",
            environment: environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("Paramantra API key:") })
        try await tmux.type("half-typed-secret")
        try await tmux.press("C-c")
        #expect(try await tmux.waitFor { $0.contains("exit=130") })
        try await tmux.type("echoed")
        #expect(try await tmux.waitFor { $0.contains("echoed") })  // echo is back on
        let screen = try await tmux.screen()
        #expect(!screen.contains("half-typed-secret"))
        #expect(!FileManager.default.fileExists(atPath: config))
        await tmux.stop()
    }
}
