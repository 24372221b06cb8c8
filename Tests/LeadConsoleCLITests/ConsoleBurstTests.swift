import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// Keys at machine speed: a barcode scanner or a paste types leads with no delay between keys.
@Suite("console under a burst of keys")
struct ConsoleBurstTests {
    /// Thirty leads as one burst (name, Tab, Tab, phone, Ctrl-S, thirty times, no pause): the CRM
    /// gets exactly those thirty, every field exact — no letter of the next lead in this one.
    @Test func thirtyLeadsInOneBurstArriveExactly() async throws {
        try await SandboxEnvironment.with { env in
            try await env.console { tmux in try await Self.burst(tmux, env) }
        }
    }

    static func burst(_ tmux: Tmux, _ env: SandboxEnvironment) async throws {
        let leads = (0..<30).map { n in
            (name: "Guest\(String(format: "%02d", n))x", phone: String(9_820_000_100 + n))
        }
        let burst = leads.map { "\($0.name)\t\($0.phone)\u{13}" }.joined()
        try await tmux.type(burst)
        let arrived = await waitUntil(timeout: .seconds(60)) { await env.sandbox.leads().count >= 30 }
        let received = await env.sandbox.leads()
        let shown = try await tmux.screen()
        #expect(arrived, "\(received.count) arrived:\n\(shown)")
        let got = Set(
            received.map {
                "\($0.fields["f_name"] ?? "")|\($0.fields["l_name"] ?? "-")|\($0.fields["phonefax"] ?? "")"
            })
        let sent = Set(leads.map { "\($0.name)|-|\($0.phone)" })
        #expect(
            got == sent, "missing: \(sent.subtracting(got).sorted()) unexpected: \(got.subtracting(sent).sorted())")
        #expect(received.count == 30)
        // The form is empty again: nothing of the burst is left in it.
        let screen = try await tmux.screen()
        #expect(!screen.contains("Guest29x9"), "\(screen)")
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
    }
}
