import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// The real binary in a real terminal (tmux): a walk-in lead from keys to the CRM.
@Suite("console in a terminal")
struct ConsoleTerminalTests {
    @Test func aWalkInLeadFromKeysToTheCRM() async throws {
        let tmux = try await Tmux("\(Binary.path) --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        // A walk-in: the name, Tab, the phone (the last name, when it matters, is one Tab further).
        try await tmux.type("José")
        try await tmux.press("Tab")
        try await tmux.type("98765 43210")
        try await tmux.press("Tab")
        try await tmux.type("नमस्ते")
        try await tmux.press("C-s")
        let accepted = try await tmux.waitFor { $0.contains("José नमस्ते") && $0.contains("9876543210  accepted #") }
        // The form is ready for the next walk-in; the defaults stayed.
        let screen = try await tmux.screen()
        #expect(accepted, "\(screen)")
        #expect(screen.contains("Walk-in (demo)") && screen.contains("1 accepted"))
        // A bad phone is shown at the field and nothing is sent.
        try await tmux.press("Tab")
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

    @Test func aClosedTerminalEndsTheConsoleInsteadOfSpinning() async throws {
        // Found when a benchmark's tmux was killed under a running console that never got (or
        // lost) its SIGHUP: poll(2) answered at once forever after and it used a whole core. Here
        // the terminal is a pty that is not the console's controlling terminal, so closing it
        // sends no signal: only the hang-up on the tty itself can tell the console.
        let result = try await PtyConsole.run(
            then: """
                os.close(master)
                try:
                    console.wait(timeout=20)
                    print("ended", console.returncode)
                except subprocess.TimeoutExpired:
                    console.kill(); sys.exit("the console kept running after its terminal closed")
                """)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("ended 0"), "\(result.stdout)")
    }

    /// Cron and CI are unchanged: without a terminal the console refuses, whatever TERM says
    /// (TERM=dumb or unset opens plain mode only on a terminal).
    @Test(arguments: ["xterm-256color", "dumb", ""])
    func refusesWithoutATerminal(term: String) async throws {
        let result = try await Binary.run(["console", "--demo"], environment: ["TERM": term])
        #expect(result.status == 64)
        #expect(result.stderr.contains("the console needs a terminal"), "\(result.stderr)")
    }

    /// A terminal that cannot move the cursor gets plain mode instead of a refusal.
    @Test func aDumbTerminalOpensPlainMode() async throws {
        let tmux = try await Tmux("TERM=dumb \(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 10)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("plain mode") && $0.contains("First name:") })
        try await tmux.type("!quit\r")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
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
            for (key, value) in [
                ("endpoint", env.sandbox.endpoint.absoluteString), ("app_name", "CLITEST"),
                ("default_channel", "Walk-in"),
                ("default_subject", "Walk-in"), ("default_rep", "smith")
            ] {
                _ = try await Binary.run(["config", "set", key, value], environment: environment)
            }
            _ = try await Binary.run(["config", "set-key"], environment: environment, stdin: "wrong-key-12345678\n")
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            let tmux = try await Tmux(
                "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            #expect(try await tmux.waitFor { $0.contains("No leads yet") })
            try await tmux.saveLead("Asha", phone: "9876543210")
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

@Suite("console in a terminal: the rest of the proof")
struct ConsoleTerminalProofTests {
    @Test func aDuplicateThenAResizeMidFormKeepsWhatWasTyped() async throws {
        let tmux = try await Tmux("\(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") && $0.contains("DEMO") })
        try await tmux.saveLead("Asha", phone: "9876543210")
        #expect(try await tmux.waitFor { $0.contains("9876543210  accepted #") })
        // The same phone again: the returning customer's card under the phone as it is typed;
        // the rep has seen it, and one Ctrl-S sends.
        try await tmux.type("Asha R")
        try await tmux.press("Tab")
        try await tmux.type("98765 43210")
        #expect(try await tmux.waitFor { $0.contains("↳ seen 1× as Asha · last today ") && $0.contains("CRM #") })
        try await tmux.press("C-s")
        #expect(try await tmux.waitFor { $0.contains("9876543210  duplicate #") })
        // Half a lead typed, then the window shrinks below the minimum and grows again.
        try await tmux.type("Ravi")
        try await tmux.press("Tab", "Tab")
        try await tmux.type("Kumar")
        try await tmux.resize(columns: 50, rows: 14)
        #expect(try await tmux.waitFor { $0.contains("enlarge") })
        try await tmux.resize(columns: 80, rows: 24)
        let restored = try await tmux.waitFor {
            $0.contains("First name     Ravi") && $0.contains("Last name      Kumar")
        }
        let screen = try await tmux.screen()
        #expect(restored, "\(screen)")
        // 80 columns: the history is below the form.
        #expect(screen.contains("─ History (F3)"))
        // F10 with a typed lead asks; y quits with status 0 and the shell's screen comes back.
        try await tmux.press("F10")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        let after = try await tmux.screen()
        #expect(!after.contains("First name") && !after.contains("LeadConsole"), "\(after)")
        await tmux.stop()
    }

    @Test func theServerDownThenUpGoesFromRetryToAccepted() async throws {
        // The console starts against a server that is down.
        let crm = try await DownCRM.start()
        let environment = crm.environment
        let tmux = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.saveLead("Meera", phone: "9876543219")
        let waiting = try await tmux.waitFor { $0.contains("9876543219  retry in ") }
        let down = try await tmux.screen()
        #expect(waiting, "\(down)")
        // The server comes back on the same port; F5 sends now instead of after the backoff.
        let again = try await crm.comeBack()
        try await tmux.press("F5")
        let accepted = try await tmux.waitFor { $0.contains("9876543219  accepted #") }
        let up = try await tmux.screen()
        #expect(accepted, "\(up)")
        #expect(await again.leads().map { $0.fields["f_name"] } == ["Meera"])
        try await tmux.press("F10")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
        await again.stop()
        crm.remove()
    }

    @Test func aFirstStartSavesSettingsPrivatelyAndNeverShowsTheKey() async throws {
        try await SandboxEnvironment.with { env in
            let folder = env.folder
            let environment = [
                "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config", "HOME": folder,
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            ]
            let tmux = try await Tmux(
                "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            // No config yet: the settings screen says what to fill in, on the API key.
            #expect(try await tmux.waitFor { $0.contains("Welcome! Fill in the endpoint URL, API key and app name") })
            var screens: [String] = []
            try await tmux.press("BTab")  // up to the endpoint
            try await tmux.press("C-u")
            try await tmux.type(env.sandbox.endpoint.absoluteString)
            try await tmux.press("Tab")
            // The key, typed in two pieces and pasted-style; every screen on the way is kept.
            try await tmux.type(String(env.key.prefix(8)))
            #expect(try await tmux.waitFor { $0.contains("API key        ••••") })
            screens.append(try await tmux.screen())
            try await tmux.type(String(env.key.dropFirst(8)))
            #expect(try await tmux.waitFor { $0.contains("•" + String(env.key.suffix(4))) })
            screens.append(try await tmux.screen())
            try await tmux.press("Tab")
            try await tmux.type("CLITEST")
            for value in ["Walk-in", "Walk-in", "smith"] {
                try await tmux.press("Tab")
                try await tmux.type(value)
            }
            #expect(try await tmux.waitFor { $0.contains("Rep            smith") })
            screens.append(try await tmux.screen())
            try await tmux.press("C-s")
            #expect(try await tmux.waitFor { $0.contains("Settings saved") && $0.contains("No leads yet") })
            screens.append(try await tmux.screen())
            // Shown masked with its last four characters, never whole, never its first part.
            #expect(screens.contains { $0.contains(String(env.key.suffix(4))) })
            for screen in screens { #expect(!screen.contains(env.key) && !screen.contains(String(env.key.prefix(8)))) }
            // On disk, readable by the owner only.
            var info = stat()
            #expect(stat(folder + "/config/config.json", &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
            let saved = try String(contentsOfFile: folder + "/config/config.json", encoding: .utf8)
            #expect(saved.contains(env.key) && saved.contains("CLITEST"))
            // The console now sends with them.
            try await tmux.saveLead("Zoya", phone: "9876500001")
            #expect(try await tmux.waitFor { $0.contains("9876500001  accepted #") })
            try await tmux.press("F10")
            #expect(try await tmux.waitFor { $0.contains("exit=0") })
            await tmux.stop()
        }
    }

    /// With every PARAMANTRA_* variable set, F4 opens on the first value the rep can change and
    /// Tab passes over the read-only ones: Subject, Channel and Rep typed with Tab between them
    /// land in their own keys of config.json.
    @Test func settingsFromTheEnvironmentAreNeverTypedInto() async throws {
        try await SandboxEnvironment.with { env in
            let folder = env.folder
            var environment = env.environment
            environment["HOME"] = folder
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            let tmux = try await Tmux(
                "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            #expect(try await tmux.waitFor { $0.contains("No leads yet") })
            try await tmux.press("F4")
            #expect(try await tmux.waitFor { $0.contains("(PARAMANTRA_APP_NAME, read-only)") })
            for (index, value) in ["Walk-in", "Expo", "smithparkar"].enumerated() {
                if index > 0 { try await tmux.press("Tab") }
                try await tmux.press("C-u")
                try await tmux.type(value)
            }
            let typed = try await tmux.waitFor { $0.contains("Rep            smithparkar") }
            let screen = try await tmux.screen()
            #expect(typed, "\(screen)")
            try await tmux.press("C-s")
            #expect(try await tmux.waitFor { $0.contains("Settings saved") })
            let saved = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: folder + "/config/config.json"))) as? [String: Any])
            #expect(saved["default_subject"] as? String == "Walk-in", "\(saved)")
            #expect(saved["default_channel"] as? String == "Expo", "\(saved)")
            #expect(saved["default_rep"] as? String == "smithparkar", "\(saved)")
            try await tmux.press("F10")
            #expect(try await tmux.waitFor { $0.contains("exit=0") })
            await tmux.stop()
        }
    }
}
