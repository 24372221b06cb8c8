import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// A badge scanner in keyboard mode, in a real terminal: each card typed at machine speed with
/// an Enter after each line, as the scanner types it; what reaches the CRM is checked field by
/// field at the sandbox.
@Suite("console: scanned cards")
struct ConsoleScanTests {
    static let settings = SandboxEnvironment.walkInDefaults + [("scan_format", "name|company|phone|email")]

    /// A console under tmux with the settings above; `body` gets it and the sandbox.
    static func withConsole(_ body: (Tmux, SandboxEnvironment) async throws -> Void) async throws {
        try await SandboxEnvironment.with { env in
            try await env.console(settings) { tmux in try await body(tmux, env) }
        }
    }

    /// The fields the CRM got, as `name|last|phone|email|notes`.
    static func received(_ env: SandboxEnvironment) async -> [String] {
        await env.sandbox.leads().map { lead in
            ["f_name", "l_name", "phonefax", "email", "notes"].map { lead.fields[$0] ?? "-" }.joined(separator: "|")
        }
    }

    /// What the form's row `label` holds on `screen` (its left half).
    static func row(_ label: String, _ screen: String) -> String? {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains(" \(label) ") }) else { return nil }
        let form = line.split(separator: "│").first.map(String.init) ?? ""
        return form.components(separatedBy: label).last?.trimmingCharacters(in: .whitespaces)
    }

    static let cards: [(scan: String, label: String, sent: String)] = [
        (
            "BEGIN:VCARD\rVERSION:3.0\rN:Kumar;Rahul;;;\rFN:Rahul Kumar\rORG:Acme Tools\rTITLE:Buyer\r"
                + "TEL;TYPE=WORK:+91 22 4000 1111\rTEL;TYPE=CELL:+91 98200 11111\rEMAIL:rahul@acme.in\rEND:VCARD\r",
            "Rahul Kumar (vCard)",
            "Rahul|Kumar|9820011111|rahul@acme.in|Work phone: +91 22 4000 1111\nCompany: Acme Tools\nJob title: Buyer"
        ),
        (
            #"MECARD:N:Iyer,Lata;TEL:+919820022222;EMAIL:lata@x.in;NOTE:stall 4\; demo;;"# + "\r",
            "Lata Iyer (MECARD)", "Lata|Iyer|9820022222|lata@x.in|stall 4; demo"
        ),
        (
            "BIZCARD:N:Vikram;X:Rao;C:Rao Exports;B:02240001111;M:9820033333;E:v@rao.in;;\r",
            "Vikram Rao (BIZCARD)", "Vikram|Rao|9820033333|v@rao.in|Company: Rao Exports\nWork phone: 02240001111"
        ),
        ("tel:+91-98200-44444\r", "9820044444 (tel: link)", "-|-|9820044444|-|-"),
        ("98200 55555\r", "9820055555 (phone number)", "-|-|9820055555|-|-"),
        (
            "Khan, Fatima|Khan Textiles|9820066666|fatima@khan.in\r", "Fatima Khan (badge)",
            "Fatima|Khan|9820066666|fatima@khan.in|Company: Khan Textiles"
        )
    ]

    /// The form holds Asha, typed, with the first two cards waiting behind her: each Ctrl-S
    /// sends the form and brings in the next card (the status line counts what waits; the message
    /// line may already be the last lead's answer), and the CRM gets all three exactly.
    /// (A Ctrl-S while the lead before is still being saved is the same key twice: this waits for
    /// each answer, as a rep looks at the form, before the next.)
    static func sendAshaThenTheTwoCards(_ tmux: Tmux, _ env: SandboxEnvironment) async throws {
        try await tmux.press("C-s")
        #expect(try await tmux.waitFor { row("First name", $0) == "Rahul" && $0.contains("1 scan waiting") })
        #expect(try await tmux.waitFor { $0.contains("History (F3) 1 accepted") })
        try await tmux.press("C-s")
        #expect(try await tmux.waitFor { row("First name", $0) == "Lata" && !$0.contains("scan waiting") })
        #expect(try await tmux.waitFor { $0.contains("History (F3) 2 accepted") })
        try await tmux.press("C-s")
        let arrived = await waitUntil(timeout: .seconds(30)) { await env.sandbox.leads().count >= 3 }
        let screen = try await tmux.screen()
        #expect(arrived, "\(screen)")
        #expect(await received(env) == ["Asha|-|9876543210|-|-", cards[0].sent, cards[1].sent])
    }

    @Test func eachFormatFillsTheFormAndReachesTheCRMExactly() async throws {
        try await Self.withConsole { tmux, env in
            for (index, card) in Self.cards.enumerated() {
                try await tmux.type(card.scan)
                let filled = try await tmux.waitFor { $0.contains("Scanned: \(card.label)") }
                let screen = try await tmux.screen()
                #expect(filled, "\(card.label):\n\(screen)")
                // Not one line of the card was typed into a field.
                for marker in ["BEGIN:", "VERSION:", "MECARD:", "BIZCARD:", "tel:+", "Textiles|"] {
                    #expect(!screen.contains(marker), "\(marker) on screen:\n\(screen)")
                }
                try await tmux.press("C-s")
                // Its answer on screen before the next card, so the next "Scanned:" is the newest message.
                let answered = try await tmux.waitFor { $0.contains("History (F3) \(index + 1) accepted") }
                let after = try await tmux.screen()
                #expect(answered, "\(card.label) never answered:\n\(after)")
            }
            let got = await Self.received(env)
            #expect(got == Self.cards.map(\.sent))
        }
    }

    /// A queue at the stand: a lead being typed, then two cards back to back in one burst. The
    /// typed lead is not touched; the cards wait, and each fills the next form after Ctrl-S.
    @Test func cardsBehindATypedLeadWaitAndFillTheNextFormsInTurn() async throws {
        try await Self.withConsole { tmux, env in
            try await tmux.type("Asha\t98765 43210")
            #expect(try await tmux.waitFor { $0.contains("98765 43210") })
            try await tmux.type(Self.cards[0].scan + Self.cards[1].scan)
            #expect(try await tmux.waitFor { $0.contains("Scan waiting: Lata Iyer (MECARD), 2 in line") })
            let typed = try await tmux.screen()
            #expect(typed.contains("Asha") && typed.contains("2 scans waiting"))
            try await Self.sendAshaThenTheTwoCards(tmux, env)
        }
    }

    /// The SSH session drops (SIGHUP) with a typed lead and two cards waiting behind it: the next
    /// console puts the lead back and the two cards back in line, and all three reach the CRM.
    @Test func aHangUpKeepsTheCardsWaitingBehindTheTypedLead() async throws {
        try await SandboxEnvironment.with { env in
            try await env.console(Self.settings) { tmux in
                try await tmux.type("Asha\t98765 43210")
                #expect(try await tmux.waitFor { $0.contains("98765 43210") })
                try await tmux.type(Self.cards[0].scan + Self.cards[1].scan)
                #expect(try await tmux.waitFor { $0.contains("2 scans waiting") })
                #expect(try await tmux.signalProgram("HUP") == 1)
                #expect(try await tmux.waitFor { $0.contains("exit=") })
            }
            try await env.console(Self.settings) { tmux in
                let restored = try await tmux.waitFor {
                    Self.row("First name", $0) == "Asha" && $0.contains("2 scans waiting")
                        && $0.contains("Put back the lead you were typing, and the 2 scans waiting behind it")
                }
                let screen = try await tmux.screen()
                #expect(restored, "\(screen)")
                try await Self.sendAshaThenTheTwoCards(tmux, env)
            }
        }
    }
}
