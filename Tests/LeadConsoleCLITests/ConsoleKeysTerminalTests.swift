import Foundation
import TestSupport
import Testing

/// Keys as real terminals send them, through tmux (which sends Home as ESC[1~ and End as ESC[4~
/// whatever TERM says), and a paste far larger than any field.
@Suite("console keys in a terminal")
struct ConsoleKeysTerminalTests {
    @Test("Home and End edit where they should, typed fast, under any TERM",
          arguments: ["xterm-256color", "screen-256color", "tmux-256color"])
    func homeAndEnd(term: String) async throws {
        let tmux = try await Tmux("env TERM=\(term) \(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.type("lakshmi@exampl")
        try await tmux.press("Home")
        try await tmux.type("X")
        // End and the next characters in one burst: none may be swallowed.
        try await tmux.press("End", "e", ".", "c", "o", "m")
        let typed = try await tmux.waitFor { $0.contains("First name     Xlakshmi@example.com") }
        let screen = try await tmux.screen()
        #expect(typed, "\(screen)")
        // On the history screen End goes to the oldest lead; it is not Escape.
        try await tmux.press("F3")
        #expect(try await tmux.waitFor { $0.contains("History") && !$0.contains("First name") })
        try await tmux.press("End")
        try await Task.sleep(for: .milliseconds(300))  // a wrong Escape would show the form again
        #expect(!(try await tmux.screen()).contains("First name"))
        try await tmux.press("Escape")
        #expect(try await tmux.waitFor { $0.contains("First name") })
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }

    /// A megabyte pasted into Notes: kept up to the field's limit, the rest left out with a word
    /// on the message line, and nothing of it read as keys or left for the shell.
    @Test func aMegabytePasteStaysText() async throws {
        let tmux = try await Tmux("\(Binary.path) console --demo; echo \"exit=$?\"; sleep 1; echo shell-after", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        // To Notes: First, Last, Phone, Email, Project, Notes.
        for _ in 0..<5 { try await tmux.press("Tab") }
        let line = "n0tes Alert customer [x] Tab\tCtrl-S \u{13} Ctrl-Q \u{11} y\n"
        let text = String(repeating: line, count: 1_048_576 / line.utf8.count)
        let clock = ContinuousClock()
        let start = clock.now
        try await tmux.paste(text)
        let cut = try await tmux.waitFor(timeout: .seconds(60)) { $0.contains("Pasted text cut to fit Notes") }
        let elapsed = clock.now - start
        let screen = try await tmux.screen()
        #expect(cut, "\(screen)")
        // Read in large chunks, not a byte per system call through ncurses (that took 7-11 s).
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        // Nothing of it became keys: no lead saved, the other fields empty, the console still up.
        #expect(screen.contains("No leads yet") && screen.contains("Alert customer [ ] no"), "\(screen)")
        for label in ["First name", "Last name", "*Phone", "Email", "Project"] {
            let row = screen.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
            let value = row.map { String($0.split(separator: "│")[0]).trimmingCharacters(in: .whitespaces) }
            #expect(value == label, "\(label) holds \(value ?? "?")")
        }
        #expect(!screen.contains("exit="))
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("shell-after") })
        #expect(!(try await tmux.screen()).contains("not found"))
        await tmux.stop()
    }
}

@Suite("console states that never lie")
struct ConsoleHeldStateTerminalTests {
    /// A rep who skips the first-start settings (Esc) and saves a lead sees it held with the
    /// reason, never "sending…" forever.
    @Test func noKeyMeansHeldWithTheReasonNotSendingForever() async throws {
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config",
                           "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let tmux = try await Tmux("\(Binary.path) console; echo \"exit=$?\"", columns: 120, rows: 36, environment: environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("Welcome!") })
        try await tmux.press("Escape")
        #expect(try await tmux.waitFor { $0.contains("First name") })
        try await tmux.type("Pooja")
        try await tmux.press("Tab", "Tab")
        try await tmux.type("9876543210")
        for _ in 0..<4 { try await tmux.press("Tab") }  // Email, Project, Notes, then Subject
        try await tmux.type("Walk-in")
        try await tmux.press("Tab")
        try await tmux.type("Walk-in")
        try await tmux.press("Tab")
        try await tmux.type("smith")
        try await tmux.press("C-s")
        let held = try await tmux.waitFor { $0.contains("HELD: no API key, no app name — set it in Settings (F4)") && $0.contains("9876543210  held: no API key") }
        let screen = try await tmux.screen()
        #expect(held, "\(screen)")
        #expect(!screen.contains("sending"), "\(screen)")
        try await tmux.press("F5")
        #expect(try await tmux.waitFor { $0.contains("Cannot send the 1 waiting: no API key, no app name") })
        try await tmux.press("F10")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }
}
