import LeadStore
import ParamantraAPI
import Testing
@testable import LeadConsoleUI

@Suite("Key map and start-up checks")
struct KeyMapTests {
    var state: AppState {
        var state = AppState(settings: Settings())
        state.form.lead.firstName = "Jos"
        return state
    }

    @Test func typingAppendsToTheFocusedField() {
        #expect(KeyMap.main(.character("é"), state).actions == [.edit(.firstName, "José")])
        #expect(KeyMap.main(.character("न"), state).actions == [.edit(.firstName, "Josन")])
        #expect(KeyMap.main(.backspace, state).actions == [.edit(.firstName, "Jo")])
    }

    @Test func movingBetweenFields() {
        #expect(KeyMap.main(.tab, state).actions == [.focus(.lastName)])
        #expect(KeyMap.main(.backTab, state).actions == [.focus(.alertRep)])  // wraps around
        #expect(KeyMap.main(.enter, state).actions == [.focus(.lastName)])
        var notes = state
        notes.form.focus = .notes
        #expect(KeyMap.main(.enter, notes).actions == [.edit(.notes, "\n")])
    }

    @Test func commands() {
        #expect(KeyMap.main(.control("s"), state).actions == [.submit])
        #expect(KeyMap.main(.function(5), state).actions == [.retryNow])
        #expect(KeyMap.main(.control("q"), state).quit)
        #expect(KeyMap.main(.control("c"), state).quit)
        #expect(KeyMap.main(.function(9), state) == KeyMap.Result())
    }

    @Test func spaceTogglesAnAlert() {
        var alert = state
        alert.form.focus = .alertRep
        #expect(KeyMap.main(.character(" "), alert).actions == [.edit(.alertRep, "1")])
        #expect(KeyMap.main(.character("x"), alert).actions.isEmpty)
    }

    @Test func pastedTextLosesControlSequences() {
        #expect(KeyMap.main(.paste("Ravi\u{1B}[31m Kumar\r\n"), state).actions == [.edit(.firstName, "JosRavi Kumar ")])
        var notes = state
        notes.form.focus = .notes
        #expect(KeyMap.main(.paste("a\r\nb\u{7}"), notes).actions == [.edit(.notes, "a\nb")])
    }

    static func facts(stdin: Bool = true, stdout: Bool = true, term: String? = "xterm-256color", known: Bool = true,
                      cursor: Bool = true, utf8: Bool = true) -> TerminalPreflight.Facts {
        TerminalPreflight.Facts(stdinIsTerminal: stdin, stdoutIsTerminal: stdout, term: term, termIsKnown: known,
                                termCanAddressCursor: cursor, localeIsUTF8: utf8)
    }

    @Test func startUpRefusesWhatWouldBreakTheTerminal() {
        #expect(TerminalPreflight.refusal(Self.facts()) == nil)
        #expect(TerminalPreflight.refusal(Self.facts(stdin: false))?.contains("needs a terminal") == true)
        #expect(TerminalPreflight.refusal(Self.facts(stdout: false))?.contains("needs a terminal") == true)
        #expect(TerminalPreflight.refusal(Self.facts(term: nil))?.contains("TERM is not set") == true)
        #expect(TerminalPreflight.refusal(Self.facts(term: "vt9000", known: false))?.contains("\"vt9000\" is unknown") == true)
        #expect(TerminalPreflight.refusal(Self.facts(term: "dumb", cursor: false))?.contains("cannot move the cursor") == true)
        #expect(TerminalPreflight.refusal(Self.facts(utf8: false))?.contains("LANG=C.UTF-8") == true)
    }
}
