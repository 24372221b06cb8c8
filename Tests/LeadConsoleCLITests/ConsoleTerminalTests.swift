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
        let accepted = try await tmux.waitFor { $0.contains("José नमस्ते") && $0.contains("9876543210  accepted #") }
        // The form is ready for the next walk-in; the defaults stayed.
        let screen = try await tmux.screen()
        #expect(accepted, "\(screen)")
        #expect(screen.contains("Walk-in (demo)") && screen.contains("1 accepted"))
        // A bad phone is shown at the field and nothing is sent.
        try await tmux.press("Tab", "Tab")
        try await tmux.type("123")
        try await tmux.press("C-s")
        #expect(try await tmux.waitFor { $0.contains("↳ Phone must have ten digits") })
        // The form holds a phone: quitting asks first, and "y" quits.
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
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

@Suite("console settings in a terminal")
struct ConsoleSettingsTerminalTests {
    @Test func fixingTheKeyOnTheSettingsScreenReleasesTheHeldLead() async throws {
        try await SandboxEnvironment.with { env in
            // The console starts with a wrong key in its config file, like a rep with a typo.
            let folder = env.folder
            var environment = ["LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config"]
            for (key, value) in [("endpoint", env.sandbox.endpoint.absoluteString), ("app_name", "CLITEST"), ("default_channel", "Walk-in"),
                                 ("default_subject", "Walk-in"), ("default_rep", "smith")] {
                _ = try await Binary.run(["config", "set", key, value], environment: environment)
            }
            _ = try await Binary.run(["config", "set-key"], environment: environment, stdin: "wrong-key-12345678\n")
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            let tmux = try await Tmux("\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            #expect(try await tmux.waitFor { $0.contains("No leads yet") })
            try await tmux.type("Asha")
            try await tmux.press("Tab", "Tab")
            try await tmux.type("9876543210")
            try await tmux.press("C-s")
            #expect(try await tmux.waitFor { $0.contains("HELD") })
            try await tmux.press("F4")
            #expect(try await tmux.waitFor { $0.contains("Settings") && $0.contains("5678") })
            #expect(!(try await tmux.screen()).contains("wrong-key"))
            // On the API key field: erase it and type the right one.
            for _ in 0..<18 { try await tmux.press("BSpace") }
            try await tmux.type(env.key)
            #expect(!(try await tmux.screen()).contains(env.key))
            try await tmux.press("C-s")
            let delivered = try await tmux.waitFor { $0.contains("Asha") && $0.contains("9876543210  accepted #") }
            let screen = try await tmux.screen()
            #expect(delivered, "\(screen)")
            try await tmux.press("C-q")
            #expect(try await tmux.waitFor { $0.contains("exit=0") })
            await tmux.stop()
        }
    }
}
