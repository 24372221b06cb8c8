import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// The stats screen in a real terminal (tmux): a lead saved with Ctrl-S is in its counts, and
/// when the CRM answers, the open screen shows it without a key pressed.
@Suite("stats screen in a terminal")
struct StatsTerminalTests {
    @Test func aSavedLeadIsCountedAndItsAnswerArrivesLive() async throws {
        let key = "tmux-key-0123456789"
        // The CRM is down when the lead is saved (a free port, then nothing on it).
        let first = try await Sandbox.start(SandboxConfiguration(apiKey: key, appName: "TMUX"))
        let port = first.port
        let endpoint = first.endpoint.absoluteString
        await first.stop()
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = [
            "PARAMANTRA_URL": endpoint, "PARAMANTRA_API_KEY": key, "PARAMANTRA_APP_NAME": "TMUX",
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config", "HOME": folder,
            "TZ": "Asia/Kolkata", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ]
        for (name, value) in [("default_subject", "Walk-in"), ("default_channel", "Expo"), ("default_rep", "smith")] {
            _ = try await Binary.run(["config", "set", name, value], environment: environment)
        }
        let tmux = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.type("Meera")
        try await tmux.press("Tab")
        try await tmux.type("9876543219")
        try await tmux.press("C-s")
        #expect(try await tmux.waitFor { $0.contains("9876543219  retry in ") })
        try await tmux.press("F6")
        let counted = try await tmux.waitFor {
            $0.contains("Stats · Today") && $0.contains("· 1 lead · Asia/Kolkata, UTC+05:30")
                && $0.contains("Waiting: 1 queued") && $0.contains("Expo") && !$0.contains("CRM answers: 1")
        }
        let before = try await tmux.screen()
        #expect(counted, "\(before)")
        // The CRM comes back; F5 on the stats screen sends now, and the answer shows by itself.
        let again = try await Sandbox.start(SandboxConfiguration(port: port, apiKey: key, appName: "TMUX"))
        defer { Task { await again.stop() } }
        try await tmux.press("F5")
        let answered = try await tmux.waitFor {
            $0.contains("CRM answers: 1 · median") && $0.contains("Waiting: nothing")
                && $0.range(of: #"accepted +█+ 1 \(100%\)"#, options: .regularExpression) != nil
        }
        let after = try await tmux.screen()
        #expect(answered, "\(after)")
        #expect(await again.leads().map { $0.fields["f_name"] } == ["Meera"])
        // Another period, and back to the form.
        try await tmux.type("3")
        #expect(try await tmux.waitFor { $0.contains("Stats · The last 7 days") && $0.contains("1 lead in 7 days") })
        try await tmux.press("Escape")
        #expect(try await tmux.waitFor { $0.contains("First name") })
        try await tmux.press("F10")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }
}
