import Foundation
import TestSupport
import Testing

/// The real binary in a real terminal (tmux): a walk-in lead from keys to the CRM.
@Suite("console in a terminal")
struct ConsoleTerminalTests {
    @Test func aWalkInLeadFromKeysToTheCRM() async throws {
        let tmux = try await Tmux("\(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.type("José")
        try await tmux.press("Tab")
        try await tmux.type("नमस्ते")
        try await tmux.press("Tab")
        try await tmux.type("98765 43210")
        try await tmux.press("C-s")
        let accepted = try await tmux.waitFor { $0.contains("accepted  9876543210 José नमस्ते #") }
        // The form is ready for the next walk-in; the defaults stayed.
        let screen = try await tmux.screen()
        #expect(accepted, "\(screen)")
        #expect(screen.contains("Walk-in (demo)") && screen.contains("1 accepted"))
        // A bad phone is shown at the field and nothing is sent.
        try await tmux.press("Tab", "Tab")
        try await tmux.type("123")
        try await tmux.press("C-s")
        #expect(try await tmux.waitFor { $0.contains("↳ Phone must have ten digits") })
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }

    @Test func refusesWithoutATerminal() async throws {
        let result = try await Binary.run(["console", "--demo"], environment: ["TERM": "xterm-256color"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("the console needs a terminal"))
    }

    @Test func refusesADumbTerminalCleanly() async throws {
        let tmux = try await Tmux("TERM=dumb \(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 10)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("exit=64") })
        let screen = try await tmux.screen()
        #expect(screen.contains("cannot move the cursor"))
        await tmux.stop()
    }
}
