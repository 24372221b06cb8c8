import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// The stats screen in a real terminal (tmux): a lead saved with Ctrl-S is in its counts, and
/// when the CRM answers, the open screen shows it without a key pressed.
@Suite("stats screen in a terminal")
struct StatsTerminalTests {
    @Test func aSavedLeadIsCountedAndItsAnswerArrivesLive() async throws {
        let crm = try await DownCRM.start(channel: "Expo", extra: ["TZ": "Asia/Kolkata"])
        defer { crm.remove() }
        let tmux = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: crm.environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.saveLead("Meera", phone: "9876543219")
        #expect(try await tmux.waitFor { $0.contains("9876543219  retry in ") })
        try await tmux.press("F6")
        let counted = try await tmux.waitFor {
            $0.contains("Stats · Today") && $0.contains("· 1 lead · Asia/Kolkata, UTC+05:30")
                && $0.contains("Waiting: 1 queued") && $0.contains("Expo") && !$0.contains("CRM answers: 1")
        }
        let before = try await tmux.screen()
        #expect(counted, "\(before)")
        // The CRM comes back; F5 on the stats screen sends now, and the answer shows by itself.
        let again = try await crm.comeBack()
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
