import ArgumentParser
import Foundation
import ParamantraAPI
import TestSupport
import Testing

@testable import leadconsole

/// What an installed tool owes its users: a version that names its commit, completion in the
/// shell, one setting at a time for scripts, help written as paragraphs.
@Suite("shipping: version, completion, help")
struct ShippingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func theVersionNamesTheCommitItWasBuiltFrom() async throws {
        let head = try await Spawn.run(
            "/usr/bin/env", ["git", "-C", Self.repository, "rev-parse", "--short=12", "HEAD"])
        let commit = head.status == 0 ? head.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
        for arguments in [["--version"], ["-V"], ["version"]] {
            let result = try await Binary.run(arguments)
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("leadconsole 0.2.0 (commit \(commit)"), "\(arguments): \(result.stdout)")
        }
    }

    /// Runs bash's completion for `line` the way readline would, in `folder`.
    static func complete(_ line: String, in folder: String) async throws -> [String] {
        let script = folder + "/completion.bash"
        let generated = try await Binary.run(["--generate-completion-script", "bash"])
        try generated.stdout.write(toFile: script, atomically: true, encoding: .utf8)
        let driver = """
            cd "$1"; source "$2"
            COMP_LINE="$3"; COMP_POINT=${#COMP_LINE}
            read -r -a COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _leadconsole "${COMP_WORDS[0]}" "${COMP_WORDS[$COMP_CWORD]}" "${COMP_WORDS[$((COMP_CWORD-1))]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = URL(fileURLWithPath: Binary.path).deletingLastPathComponent().path + ":/usr/bin:/bin"
        let result = try await Spawn.run(
            "/bin/bash", ["-c", driver, "bash", folder, script, line], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test func bashCompletesSheetsFoldersSettingsStatesAndFormats() async throws {
        let folder = NSTemporaryDirectory() + "/complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/backups", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["expo.csv", "expo.xlsx", "phone.vcf", "photo.png"] {
            FileManager.default.createFile(atPath: folder + "/" + name, contents: Data())
        }
        // import offers sheets and folders, not pictures.
        #expect(
            try await Self.complete("leadconsole import ", in: folder) == [
                "backups", "expo.csv", "expo.xlsx", "phone.vcf"
            ])
        #expect(
            try await Self.complete("leadconsole config set ", in: folder) == [
                "alert_client", "alert_rep", "api_key_command", "app_name", "backup_dir", "default_channel",
                "default_project", "default_rep", "default_subject", "endpoint", "keep_project", "mouse",
                "phone_format",
                "scan_format"
            ])
        #expect(try await Self.complete("leadconsole config get api", in: folder) == ["api_key", "api_key_command"])
        // A setting's value, where it has a fixed set of them.
        #expect(
            try await Self.complete("leadconsole config set phone_format ", in: folder)
                == PhoneNumber.WireFormat.allCases.map(\.rawValue).sorted())
        #expect(try await Self.complete("leadconsole config set mouse ", in: folder) == ["false", "true"])
        #expect(try await Self.complete("leadconsole config set mouse t", in: folder) == ["true"])
        #expect(try await Self.complete("leadconsole export --format ", in: folder) == ["csv", "json", "xlsx"])
        #expect(
            try await Self.complete("leadconsole history --state ", in: folder) == [
                "accepted", "duplicate", "held", "queued", "rejected", "sending"
            ])
        #expect(try await Self.complete("leadconsole retry --data-dir ", in: folder) == ["backups"])
        #expect(try await Self.complete("leadconsole export -o ex", in: folder) == ["expo.csv", "expo.xlsx"])
        #expect(try await Self.complete("leadconsole imp", in: folder) == ["import"])
        // Help names every format export writes.
        let exportHelp = try await Binary.run(["export", "--help"]).stdout
        let overview = exportHelp.components(separatedBy: "USAGE:").first ?? ""
        #expect(overview.contains("xlsx"), "\(exportHelp)")
        // zsh and fish get theirs from the same parser.
        for shell in ["zsh", "fish"] {
            let script = try await Binary.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("set-key") && script.stdout.contains("xlsx"))
        }
    }

    @Test func configGetPrintsOneSettingTheKeyMasked() async throws {
        let folder = NSTemporaryDirectory() + "/config-get-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["LEADCONSOLE_CONFIG_DIR": folder + "/config", "LEADCONSOLE_DATA_DIR": folder + "/data"]
        let set = try await Binary.run(["config", "set", "default_rep", "smith"], environment: environment)
        #expect(set.status == 0)
        #expect(try await Binary.run(["config", "get", "default_rep"], environment: environment).stdout == "smith\n")
        var withKey = environment
        withKey["PARAMANTRA_API_KEY"] = "sk-live-0123456789abcdef"
        let key = try await Binary.run(["config", "get", "api_key"], environment: withKey)
        #expect(
            key.status == 0 && !key.stdout.contains("0123456789") && key.stdout.hasSuffix("cdef\n"), "\(key.stdout)")
        let unknown = try await Binary.run(["config", "get", "colour"], environment: environment)
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown setting \"colour\""))
    }

    @Test func theConsoleIsParsedOnItsOwnButHelpAndMistakesGoThroughTheRoot() async throws {
        #expect(LeadConsole.consoleArguments([]) == [])
        #expect(LeadConsole.consoleArguments(["--demo"]) == ["--demo"])
        #expect(LeadConsole.consoleArguments(["console", "--no-color"]) == ["--no-color"])
        #expect(LeadConsole.consoleArguments(["console", "--help"]) == nil)
        #expect(LeadConsole.consoleArguments(["history"]) == nil)
        // A mistyped option is reported by the root parser, naming the whole command.
        let wrong = try await Binary.run(["console", "--bogus"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Usage: leadconsole console"), "\(wrong.stderr)")
    }

    /// The console as a rep starts it is read without the parser, and means what the parser
    /// would have made of it; anything more goes to the parser.
    @Test func theEverydayConsoleStartsWithoutTheParser() throws {
        for arguments in [
            [], ["console"], ["--demo"], ["console", "--demo", "--no-color"], ["--no-mouse", "--demo"],
            ["console", "--plain"]
        ] {
            let fast = try #require(LeadConsole.fastConsole(arguments), "\(arguments)")
            // What the parser makes of them (`leadconsole` alone opens the console: its default).
            let parsed = try ConsoleCommand.parse(
                arguments.first == "console" ? Array(arguments.dropFirst()) : arguments)
            #expect(
                [fast.demo, fast.noColor, fast.noMouse, fast.plain]
                    == [parsed.demo, parsed.noColor, parsed.noMouse, parsed.plain]
                    && fast.store.dataDir == nil && fast.store.configDir == nil, "\(arguments)")
        }
        // `prompt` is plain mode, with or without the demo.
        for arguments in [["prompt"], ["prompt", "--demo"]] {
            let fast = try #require(LeadConsole.fastConsole(arguments), "\(arguments)")
            let parsed = try PromptCommand.parse(Array(arguments.dropFirst()))
            #expect(fast.plain && fast.demo == parsed.demo && fast.store.dataDir == nil, "\(arguments)")
        }
        for arguments in [
            ["--demo", "--demo"], ["--data-dir", "/tmp/x"], ["console", "--help"], ["--bogus"], ["history"],
            ["prompt", "--no-color"], ["prompt", "--data-dir", "/tmp/x"]
        ] {
            #expect(LeadConsole.fastConsole(arguments) == nil, "\(arguments)")
        }
    }

    @Test func helpIsWrittenAsParagraphsTheParserWraps() {
        // A line break inside a paragraph stays in the help as a break in mid-sentence.
        func commands(_ root: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
            [root] + root.configuration.subcommands.flatMap { commands($0) }
        }
        for command in commands(LeadConsole.self) {
            let discussion = command.configuration.discussion
            let paragraphs = discussion.components(separatedBy: "\n\n")
            #expect(
                paragraphs.allSatisfy { !$0.contains("\n") },
                "\(command.configuration.commandName ?? "?"): \(discussion)")
        }
    }
}
