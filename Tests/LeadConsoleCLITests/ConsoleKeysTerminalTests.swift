import Foundation
import TestSupport
import Testing

/// Keys as real terminals send them, through tmux (which sends Home as ESC[1~ and End as ESC[4~
/// whatever TERM says), and a paste far larger than any field.
@Suite("console keys in a terminal")
struct ConsoleKeysTerminalTests {
    @Test(
        "Home and End edit where they should, typed fast, under any TERM",
        arguments: ["xterm-256color", "screen-256color", "tmux-256color"])
    func homeAndEnd(term: String) async throws {
        let tmux = try await Tmux(
            "env TERM=\(term) \(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
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

    /// What `modifiedKeys` types, and what First name then holds: `1abc 5`.
    static let modifiedKeySteps: [(keys: String, then: String)] = [
        ("", "abc def"),
        ("\u{1B}[1;5D", "X"),  // Ctrl-Left: before "def"
        ("\u{1B}[1;2D", "Y"),  // Shift-Left: one back
        ("\u{1B}[1;3D", "Z"),  // Alt-Left: one back
        ("\u{1B}[1;5H", "1"),  // Ctrl-Home
        ("\u{1B}[1;2F", "2"),  // Shift-End
        ("\u{1B}[1;5D\u{1B}[3;5~", "3"),  // Ctrl-Left, Ctrl-Delete: the last word goes
        ("\u{1B}[1;2A\u{1B}[1;2B", "4"),  // Shift-Up, Shift-Down: away and back, at the end
        // ^H where terminfo's Backspace is ^? (all four here): Ctrl-Backspace, the word "34" goes
        ("\u{08}", "5")
    ]

    /// Keys in one burst (a paste the terminal did not bracket, a scanner, keys sent faster than
    /// read): plain characters are read many at a time, and an escape sequence among them still
    /// reaches the terminal's decoder whole and in order, under every TERM. The filler before
    /// puts the first sequence at a different place in a read each time: inside it, at its last
    /// byte, cut by its end. A sequence lost or read out of order would leave text like `[D` in
    /// the field.
    @Test(
        "keys in one burst do the same under every TERM",
        arguments: zip(["xterm-256color", "tmux-256color", "screen-256color", "linux"], [30, 122, 123, 250]))
    func keysInOneBurst(term: String, filler: Int) async throws {
        let tmux = try await Tmux(
            "env TERM=\(term) \(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        // Filler typed and erased (Ctrl-U); then Left, Ctrl-Home, Shift-End, Ctrl-Left.
        let burst =
            String(repeating: "q", count: filler) + "\u{15}" + "abcd\u{1B}[DX" + "\u{1B}[1;5HY" + "\u{1B}[1;2FZ"
            + " ef\u{1B}[1;5DW"
        try await tmux.paste(burst, bracketed: false)
        let typed = try await tmux.waitFor { $0.contains("First name     YabcXdZ Wef") }
        let screen = try await tmux.screen()
        #expect(typed, "\(term): \(screen)")
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }

    /// Keys held with Ctrl, Shift or Alt, as xterm sends them (`ESC[1;5D` …), under every TERM:
    /// where terminfo lists them ncurses decodes them (and they were once dropped), elsewhere
    /// our own decoder does; either way the same key. Ctrl-Left/Right go a word, Ctrl-Delete
    /// erases one, the other modifiers are the plain key.
    @Test(
        "modified keys do the same under every TERM",
        arguments: ["xterm-256color", "tmux-256color", "screen-256color", "linux"])
    func modifiedKeys(term: String) async throws {
        let tmux = try await Tmux(
            "env TERM=\(term) \(Binary.path) console --demo; echo \"exit=$?\"", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        let steps = Self.modifiedKeySteps
        for step in steps {
            if !step.keys.isEmpty { try await tmux.type(step.keys) }
            try await tmux.type(step.then)
        }
        let typed = try await tmux.waitFor { $0.contains("First name     1abc 5") }
        let screen = try await tmux.screen()
        #expect(typed, "\(term): \(screen)")
        try await tmux.press("C-q")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("exit=0") })
        await tmux.stop()
    }

    /// 200 KB arriving as plain keystrokes (a paste the terminal did not bracket, a serial
    /// line, a scanner): typing stops at Notes' limit with the true count left out, the console
    /// still answers, and after it quits nothing of the flood reaches the shell.
    @Test func aFloodOfKeysIsStillTyping() async throws {
        let leak = NSTemporaryDirectory() + "/flood-leak-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: leak) }
        let tmux = try await Tmux(
            "\(Binary.path) console --demo; echo \"exit=$?\"; timeout 3 cat > \(leak); echo shell-read-done",
            columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        for _ in 0..<5 { try await tmux.press("Tab") }
        let line = "touch /tmp/lc-flood\n"
        let lines = 200_000 / line.utf8.count
        let text = String(repeating: line, count: lines)
        // Through tmux's buffer without -p: not bracketed, every character a key.
        try await tmux.paste(text, bracketed: false)
        let sent = ContinuousClock.now
        // Notes is full at 5,000 characters; every character past it is counted.
        let leftOut = text.count - 5_000
        let counted = try await tmux.waitFor(timeout: .seconds(120)) {
            $0.contains("Notes is full (at most 5000 characters): \(leftOut) typed characters left out")
        }
        let screen = try await tmux.screen()
        #expect(counted, "\(screen)")
        try await tmux.press("F1")
        let answered = try await tmux.waitFor(timeout: .seconds(30)) { $0.contains("Any key closes") }
        print("flood of \(text.utf8.count) keys: F1 answered \((ContinuousClock.now - sent)) after the flood was sent")
        #expect(answered)
        try await tmux.press("Escape")
        try await tmux.press("F10")
        #expect(try await tmux.waitFor { $0.contains("Quit and lose it?") })
        try await tmux.type("y")
        #expect(try await tmux.waitFor { $0.contains("shell-read-done") })
        let reached = (try? String(contentsOfFile: leak, encoding: .utf8)) ?? ""
        #expect(!reached.contains("touch"), "the shell read \(reached.count) characters of the flood")
        await tmux.stop()
    }

    /// A megabyte pasted into Notes: kept up to the field's limit, the rest left out with a word
    /// on the message line, and nothing of it read as keys or left for the shell.
    @Test func aMegabytePasteStaysText() async throws {
        let tmux = try await Tmux(
            "\(Binary.path) console --demo; echo \"exit=$?\"; sleep 1; echo shell-after", columns: 100, rows: 30)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        // To Notes: First, Last, Phone, Email, Project, Notes.
        for _ in 0..<5 { try await tmux.press("Tab") }
        let line = "n0tes Alert customer [x] Tab\tCtrl-S \u{13} Ctrl-Q \u{11} y\n"
        let text = String(repeating: line, count: 1_048_576 / line.utf8.count)
        try await tmux.paste(text)
        // Keys right behind the paste, in the same burst (as a scanner or a fast rep sends them):
        // back to Project, a word there. They were once read with the paste's last chunk and lost.
        try await tmux.press("BTab", "K", "a", "y")
        // How long it takes is Benchmarks/paste.sh's number (make bench), not this test's.
        let cut = try await tmux.waitFor(timeout: .seconds(60)) { $0.contains("Pasted text cut to fit Notes") }
        let screen = try await tmux.screen()
        #expect(cut, "\(screen)")
        // Nothing of it became keys: no lead saved, the other fields empty, the console still up.
        #expect(screen.contains("No leads yet") && screen.contains("Alert customer [ ] no"), "\(screen)")
        let behind = try await tmux.waitFor { $0.contains("Project        Kay") }
        let after = try await tmux.screen()
        #expect(behind, "\(after)")
        for label in ["First name", "Last name", "*Phone", "Email"] {
            // (A kept field's row starts with its mark, ↺.)
            let rows = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .map { $0.hasPrefix("↺") ? String($0.dropFirst()).trimmingCharacters(in: .whitespaces) : $0 }
            let row = rows.first { $0.hasPrefix(label) }
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
        let environment = [
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ]
        let tmux = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 120, rows: 36, environment: environment)
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("Welcome!") })
        try await tmux.press("Escape")
        #expect(try await tmux.waitFor { $0.contains("First name") })
        try await tmux.type("Pooja")
        try await tmux.press("Tab")
        try await tmux.type("9876543210")
        for _ in 0..<5 { try await tmux.press("Tab") }  // Last name, Email, Project, Notes, then Subject
        try await tmux.type("Walk-in")
        try await tmux.press("Tab")
        try await tmux.type("Walk-in")
        try await tmux.press("Tab")
        try await tmux.type("smith")
        try await tmux.press("C-s")
        let held = try await tmux.waitFor {
            $0.contains("HELD: no API key, no app name — set it in Settings (F4)")
                && $0.contains("9876543210  held: no API key")
        }
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

@Suite("console job control and hang-ups")
struct ConsoleJobControlTerminalTests {
    /// Ctrl-Z gives the shell back; `fg` brings the console back, drawn whole, the typed text kept.
    @Test func ctrlZSuspendsAndFgRedraws() async throws {
        let tmux = try await Tmux(
            "bash --norc --noprofile -i", columns: 100, rows: 30,
            environment: ["PS1": "shell\\$ ", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        defer { Task { await tmux.stop() } }
        #expect(try await tmux.waitFor { $0.contains("shell$") })
        try await tmux.type("\(Binary.path) console --demo\n")
        #expect(try await tmux.waitFor { $0.contains("No leads yet") })
        try await tmux.type("Meera")
        try await tmux.press("C-z")
        let stopped = try await tmux.waitFor { $0.contains("Stopped") && !$0.contains("First name") }
        let whileStopped = try await tmux.screen()
        #expect(stopped, "\(whileStopped)")
        // Keys typed now go to the shell, not to a field.
        try await tmux.type("echo typed-in-shell\n")
        #expect(try await tmux.waitFor { $0.contains("typed-in-shell") })
        try await tmux.type("fg\n")
        let back = try await tmux.waitFor {
            $0.contains("First name     Meera") && $0.contains("DEMO") && !$0.contains("typed-in-shell")
        }
        let afterFg = try await tmux.screen()
        #expect(back, "\(afterFg)")
        try await tmux.press("C-q")
        try await tmux.type("y")
        // The shell's next prompt, on the last line, says the console has ended and bash reads again.
        // Keys typed before that could reach the console as it ends, and be lost with it.
        let prompted = try await tmux.waitFor { screen in
            screen.split(separator: "\n").last(where: { !$0.isEmpty }) == "shell$"
                && screen.contains("typed-in-shell")
        }
        let afterQuit = try await tmux.screen()
        #expect(prompted, "\(afterQuit)")
        try await tmux.type("echo done-$?\n")
        #expect(try await tmux.waitFor { $0.contains("done-0") })
        await tmux.stop()
    }

    /// An SSH session dropped (SIGHUP) with a typed, unsent lead: the next console puts it back.
    @Test func aHangUpKeepsTheTypedLeadForTheNextStart() async throws {
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = [
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config",
            "PARAMANTRA_API_KEY": "hup-key-0123456789", "PARAMANTRA_APP_NAME": "HUP",
            "PARAMANTRA_URL": "http://127.0.0.1:9/paramantra/api/data/new/format/json",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ]
        let first = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
        defer { Task { await first.stop() } }
        #expect(try await first.waitFor { $0.contains("No leads yet") })
        try await first.type("Farah")
        try await first.press("Tab")
        try await first.type("98200 12345")
        #expect(try await first.waitFor { $0.contains("98200 12345") })
        // The console itself: the child of the pane's shell.
        #expect(try await first.signalProgram("HUP") == 1)
        #expect(try await first.waitFor { $0.contains("exit=") })
        #expect(FileManager.default.fileExists(atPath: folder + "/data/draft.json"))
        await first.stop()

        let second = try await Tmux(
            "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
        defer { Task { await second.stop() } }
        let restored = try await second.waitFor {
            $0.contains("First name     Farah") && $0.contains("98200 12345") && $0.contains("Put back the lead")
        }
        let secondScreen = try await second.screen()
        #expect(restored, "\(secondScreen)")
        // Once: the draft is gone from disk.
        #expect(!FileManager.default.fileExists(atPath: folder + "/data/draft.json"))
        try await second.press("C-q")
        try await second.type("y")
        #expect(try await second.waitFor { $0.contains("exit=0") })
        await second.stop()
    }

    /// A draft.json the console did not write (another user's, or a FIFO planted to catch the
    /// next draft) is never loaded: the console starts at once with an empty form, one line says
    /// why, and the file is left as it was.
    @Test func aPlantedDraftIsLeftAlone() async throws {
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(
            atPath: folder + "/data", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let environment = [
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config",
            "XDG_STATE_HOME": folder + "/state",
            "PARAMANTRA_API_KEY": "draft-key-0123456789", "PARAMANTRA_APP_NAME": "DRAFT",
            "PARAMANTRA_URL": "http://127.0.0.1:9/paramantra/api/data/new/format/json",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ]
        let draft = folder + "/data/draft.json"
        var plants: [(make: () -> Void, why: String)] = [
            ({ _ = mkfifo(draft, 0o600) }, "was not loaded: it is not a regular file")
        ]
        if OtherUser.available {
            plants.append(
                (
                    {
                        FileManager.default.createFile(
                            atPath: draft, contents: Data(#"{"firstName":"Planted"}"#.utf8),
                            attributes: [.posixPermissions: 0o644])
                        OtherUser.own(draft)
                    }, "was not loaded: it belongs to another user (\(OtherUser.name))"
                ))
        }
        for plant in plants {
            unlink(draft)
            plant.make()
            let tmux = try await Tmux(
                "\(Binary.path) console; echo \"exit=$?\"", columns: 200, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            let said = try await tmux.waitFor { $0.contains("No leads yet") && $0.contains(plant.why) }
            let screen = try await tmux.screen()
            #expect(said, "\(screen)")
            #expect(!screen.contains("Planted") && !screen.contains("Put back the lead"), "\(screen)")
            try await tmux.press("C-q")
            #expect(try await tmux.waitFor { $0.contains("exit=0") })
            await tmux.stop()
            // Left as it was: still there, still theirs.
            var info = stat()
            #expect(lstat(draft, &info) == 0)
        }
    }
}
