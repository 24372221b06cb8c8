import Foundation
import Testing

@testable import LeadOutbox

/// The trust rules as a pure table, and the splitting of api_key_command into words.
@Suite("trust rules and command words")
struct TrustAndWordsTests {
    static let me: uid_t = 1000
    static func facts(owner: uid_t = me, mode: mode_t, folder: Bool = true) -> TrustedPaths.Facts {
        TrustedPaths.Facts(owner: owner, mode: mode, isDirectory: folder)
    }

    @Test func theRulesOfEachKind() {
        typealias Case = (TrustedPaths.Kind, TrustedPaths.Facts, String?)
        let cases: [Case] = [
            (.configFolder, Self.facts(mode: 0o700), nil),
            (.configFolder, Self.facts(mode: 0o755), nil),
            (.configFolder, Self.facts(owner: 0, mode: 0o755), nil),
            (.configFolder, Self.facts(mode: 0o777), "chmod 700 /p"),
            (.configFolder, Self.facts(mode: 0o775), "chmod 700 /p"),
            (.configFolder, Self.facts(owner: 1001, mode: 0o700), "choose another path"),
            (.dataFolder, Self.facts(mode: 0o700), nil),
            (.dataFolder, Self.facts(mode: 0o750), "chmod 700 /p"),
            (.dataFolder, Self.facts(mode: 0o1777), "chmod 700 /p"),
            (.secretFile, Self.facts(mode: 0o600, folder: false), nil),
            (.secretFile, Self.facts(mode: 0o400, folder: false), nil),
            (.secretFile, Self.facts(mode: 0o640, folder: false), "chmod 600 /p"),
            (.secretFile, Self.facts(owner: 1001, mode: 0o600, folder: false), "choose another path"),
            (.backupFolder, Self.facts(owner: 0, mode: 0o555), nil),  // a CD
            (.backupFolder, Self.facts(mode: 0o757), "chmod 700 /p")
        ]
        for (kind, facts, fix) in cases {
            let problem = TrustedPaths.problem("/p", kind, facts, me: Self.me)
            if let fix {
                #expect(
                    problem?.fix.hasPrefix(fix) == true,
                    "\(kind) \(String(facts.mode, radix: 8)): \(String(describing: problem))")
            } else {
                #expect(problem == nil, "\(kind) \(String(facts.mode, radix: 8)): \(String(describing: problem))")
            }
        }
        // A path with spaces is quoted so the fix can be pasted.
        #expect(
            TrustedPaths.problem("/a b", .dataFolder, Self.facts(mode: 0o755), me: Self.me)?.fix.hasPrefix(
                "chmod 700 '/a b'") == true)
    }

    @Test func commandWordsSplitAsAShellWould() {
        #expect(CommandLineWords.split("pass show paramantra/acme") == ["pass", "show", "paramantra/acme"])
        #expect(
            CommandLineWords.split(#"secret-tool lookup service "paramantra crm""#) == [
                "secret-tool", "lookup", "service", "paramantra crm"
            ])
        #expect(CommandLineWords.split(#"'/opt/my tools/key' --x=a\ b ''"#) == ["/opt/my tools/key", "--x=a b", ""])
        #expect(CommandLineWords.split("  ") == [])
        #expect(CommandLineWords.split("pass 'unclosed") == [])
        // No shell: a variable or a pipe is just text.
        #expect(CommandLineWords.split("echo $HOME | cat") == ["echo", "$HOME", "|", "cat"])
    }
}
