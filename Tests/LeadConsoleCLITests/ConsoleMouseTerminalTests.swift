import Foundation
import TestSupport
import Testing

/// The mouse in a real terminal: tmux forwards the terminal's own SGR mouse reports (what xterm,
/// VTE and tmux send for a click) to the console, which decodes them itself.
@Suite("console mouse in a terminal")
struct ConsoleMouseTerminalTests {
    /// A click (press and release) at a 0-based cell, as a terminal reports it.
    static func click(_ tmux: Tmux, column: Int, row: Int) async throws {
        try await tmux.type("\u{1B}[<0;\(column + 1);\(row + 1)M")
        try await tmux.type("\u{1B}[<0;\(column + 1);\(row + 1)m")
    }

    static func row(of text: String, in screen: String) -> Int? {
        screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }
    }

    @Test func aClickFocusesAFieldAndAFooterKeyIsPressed() async throws {
        let tmux = try await Tmux("\(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        let email = try #require(Self.row(of: "  Email", in: try await tmux.screen()))
        try await Self.click(tmux, column: 30, row: email)
        try await tmux.type("asha@example.in")
        let typed = try await tmux.waitFor(timeout: .seconds(5)) { $0.contains("Email          asha@example.in") }
        let afterTyping = try await tmux.screen()
        #expect(typed, "\(afterTyping)")
        // "F1 help" in the footer is a button.
        let screen = try await tmux.screen()
        let footer = try #require(Self.row(of: "F1 help", in: screen))
        let line = screen.split(separator: "\n", omittingEmptySubsequences: false)[footer]
        let column = line.distance(from: line.startIndex, to: line.range(of: "F1 help")!.lowerBound)
        try await Self.click(tmux, column: column + 2, row: footer)
        #expect(try await tmux.waitFor { $0.contains("Keys") && $0.contains("Any key closes") })
        try await tmux.press("Escape")
        #expect(try await tmux.waitFor { !$0.contains("Any key closes") })
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        let quit = try await tmux.waitFor(timeout: .seconds(10)) { $0.contains("exit=0") }
        let final = try await tmux.screen()
        #expect(quit, "\(final)")
        await tmux.stop()
    }

    /// The history pane beside the form (120 columns): a click selects a row there, a
    /// double-click opens that lead's detail on the history screen, as F3 and Enter would.
    @Test func aDoubleClickOnThePaneOpensThatLead() async throws {
        let tmux = try await Tmux("\(Binary.path) console --demo; echo \"exit=$?\"", columns: 120, rows: 36)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.saveLead("Asha", phone: "9876500011")
        #expect(try await tmux.waitFor { $0.contains("9876500011  accepted") })
        try await tmux.saveLead("Ravi", phone: "9876500012")
        #expect(try await tmux.waitFor { $0.contains("9876500012  accepted") })
        let screen = try await tmux.screen()
        let row = try #require(Self.row(of: "9876500011", in: screen))
        let line = screen.split(separator: "\n", omittingEmptySubsequences: false)[row]
        let column = line.distance(from: line.startIndex, to: line.range(of: "9876500011")!.lowerBound)
        // Two clicks on the cell, as quickly as a person double-clicks.
        try await tmux.type(
            "\u{1B}[<0;\(column + 1);\(row + 1)M\u{1B}[<0;\(column + 1);\(row + 1)m"
                + "\u{1B}[<0;\(column + 1);\(row + 1)M\u{1B}[<0;\(column + 1);\(row + 1)m")
        let opened = try await tmux.waitFor { $0.contains("Lead #1") && $0.contains("First name        Asha") }
        let detail = try await tmux.screen()
        #expect(opened, "\(detail)")
        try await tmux.press("F10")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }

    @Test func noMouseLeavesClicksToTheTerminal() async throws {
        let tmux = try await Tmux("\(Binary.path) console --demo --no-mouse; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        let email = try #require(Self.row(of: "  Email", in: try await tmux.screen()))
        try await Self.click(tmux, column: 30, row: email)
        try await tmux.type("Asha")
        // The focus stayed on First name; the report became nothing (no stray characters).
        let stayed = try await tmux.waitFor(timeout: .seconds(5)) { $0.contains("First name     Asha ") }
        let afterClick = try await tmux.screen()
        #expect(stayed, "\(afterClick)")
        #expect(!(try await tmux.screen()).contains("[<0"))
        try await tmux.press("C-q")
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }
}
