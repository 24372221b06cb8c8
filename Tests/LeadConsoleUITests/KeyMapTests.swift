import ConsoleState
import Foundation
import LeadOutbox
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

    @Test func typingGoesInAtTheCaret() {
        var state = self.state
        state.form.caret = 3
        #expect(KeyMap.handle(.character("é"), state).actions == [.edit(.firstName, "José", caret: 4, length: 4)])
        state.form.caret = 0
        #expect(KeyMap.handle(.character("न"), state).actions == [.edit(.firstName, "नJos", caret: 1)])
        #expect(KeyMap.handle(.backspace, state).actions == [])
        #expect(KeyMap.handle(.delete, state).actions == [.edit(.firstName, "os", caret: 0)])
        #expect(KeyMap.handle(.end, state).actions == [.moveCaret(3)])
    }

    @Test func tabOrRightTakesTheSuggestedValue() {
        var state = self.state
        state.suggestions = Suggestions(values: [.channel: ["Expo 2026"]])
        state.form.focus = .channel
        state.form.lead.channel = "Ex"
        state.form.caret = 2
        #expect(KeyMap.handle(.tab, state).actions == [.edit(.channel, "Expo 2026", caret: 9), .focus(.rep)])
        #expect(KeyMap.handle(.right, state).actions == [.edit(.channel, "Expo 2026", caret: 9)])
        // Drawn dim after the typed text, the cursor at the end of what was typed.
        let buffer = MainView.render(
            state, columns: 80, rows: 24, theme: Theme(color: true), now: Date(timeIntervalSince1970: 0))
        let row = buffer.lines.firstIndex { $0.contains("*Channel") }!
        #expect(buffer.lines[row].contains("Expo 2026") && buffer[17 + 2, row].style.foreground == .gray)
        #expect(buffer.cursor == CursorPosition(column: 19, row: row))
        // With the caret inside the text there is nothing to complete: Right moves.
        state.form.caret = 1
        #expect(KeyMap.handle(.right, state).actions == [.moveCaret(2)])
    }

    @Test func ctrlNClearsAndCtrlYUndoes() {
        #expect(KeyMap.handle(.control("n"), state).actions == [.clearForm])
        #expect(KeyMap.handle(.control("y"), state).actions == [.restoreClearedForm])
    }

    @Test func movingBetweenFields() {
        // A walk-in is a name, Tab, a phone: the phone comes right after the first name.
        #expect(KeyMap.handle(.tab, state).actions == [.focus(.phone)])
        #expect(KeyMap.handle(.down, state).actions == [.focus(.phone)])
        #expect(KeyMap.handle(.backTab, state).actions == [.focus(.alertRep)])  // wraps around
        #expect(KeyMap.handle(.up, state).actions == [.focus(.alertRep)])
        #expect(KeyMap.handle(.enter, state).actions == [.focus(.phone)])
        var notes = state
        notes.form.focus = .notes
        notes.form.lead.notes = "ab"
        notes.form.caret = 1
        #expect(KeyMap.handle(.enter, notes).actions == [.edit(.notes, "a\nb", caret: 2)])
        // Up and Down move between fields in Notes too (the fixed keys).
        #expect(KeyMap.handle(.down, notes).actions == [.focus(.subject)])
    }

    @Test func keysThatWorkEverywhere() {
        var empty = AppState(settings: Settings())
        #expect(KeyMap.handle(.control("s"), state).actions == [.submit])
        #expect(KeyMap.handle(.function(5), state).actions == [.retryNow])
        #expect(KeyMap.handle(.function(2), state).actions == [.show(.main)])
        #expect(KeyMap.handle(.function(3), state).actions == [.show(.history)])
        #expect(KeyMap.handle(.function(4), state).actions == [.show(.settings)])
        #expect(KeyMap.handle(.alt("3"), state).actions == [.show(.history)])
        #expect(KeyMap.handle(.alt("4"), state).actions == [.show(.settings)])
        #expect(KeyMap.handle(.function(1), state).actions == [.showOverlay(.help)])
        // ? is typed in a text field, and is help elsewhere.
        var typing = state
        typing.form.caret = 3
        #expect(KeyMap.handle(.character("?"), typing).actions == [.edit(.firstName, "Jos?", caret: 4, length: 4)])
        empty.form.focus = .alertClient
        #expect(KeyMap.handle(.character("?"), empty).actions == [.showOverlay(.help)])
        // An empty form quits at once; F10, Ctrl-Q and Ctrl-C alike.
        for key in [Key.function(10), .control("q"), .control("c")] { #expect(KeyMap.handle(key, empty).quit) }
        #expect(KeyMap.handle(.function(9), empty) == KeyMap.Result())
    }

    @Test func quittingWithATypedLeadAsksFirst() {
        var state = self.state
        #expect(KeyMap.handle(.function(10), state) == KeyMap.Result(actions: [.showOverlay(.confirmQuit)]))
        state.overlay = .confirmQuit
        #expect(KeyMap.handle(.character("y"), state).quit)
        // Anything else stays, and is not typed.
        #expect(KeyMap.handle(.character("n"), state) == KeyMap.Result(actions: [.showOverlay(nil)]))
        #expect(KeyMap.handle(.function(10), state) == KeyMap.Result(actions: [.showOverlay(nil)]))
        state.overlay = .help
        #expect(KeyMap.handle(.character("x"), state) == KeyMap.Result(actions: [.showOverlay(nil)]))
    }

    @Test func spaceTogglesAnAlert() {
        var alert = state
        alert.form.focus = .alertRep
        #expect(KeyMap.handle(.character(" "), alert).actions == [.edit(.alertRep, "1")])
        #expect(KeyMap.handle(.character("x"), alert).actions.isEmpty)
    }

    @Test func ctrlZSuspendsFromAnyScreen() {
        #expect(KeyMap.handle(.control("z"), state) == KeyMap.Result(suspend: true))
        var history = state
        history.screen = .history
        #expect(KeyMap.handle(.control("z"), history).suspend)
    }

    @Test func aPasteLargerThanTheFieldIsCutAndSaysSo() {
        var state = self.state
        state.form.caret = 3
        let actions = KeyMap.handle(.paste(String(repeating: "x", count: 250)), state).actions
        #expect(
            actions == [
                .edit(.firstName, "Jos" + String(repeating: "x", count: 97), caret: 100, length: 100),
                .warn("Pasted text cut to fit First name (at most 100 characters): 153 left out")
            ])
        // A full field takes nothing and still says why.
        state.form.lead.firstName = String(repeating: "y", count: 100)
        #expect(
            KeyMap.handle(.paste("more"), state).actions == [
                .warn("Pasted text cut to fit First name (at most 100 characters): 4 left out")
            ])
    }

    /// A paste too long to keep whole (past `Paste.keptBytes`): the characters reading dropped
    /// are counted with those the field had no room for, so the message's count is the truth.
    @Test func aHugePasteCountsWhatReadingDropped() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .focus(.notes))
        let actions = KeyMap.handle(.paste(String(repeating: "p", count: 5_010), leftOut: 1_000_000), state).actions
        #expect(
            actions == [
                .edit(.notes, String(repeating: "p", count: 5_000), caret: 5_000, length: 5_000),
                .warn("Pasted text cut to fit Notes (at most 5000 characters): 1000010 left out")
            ])
        // All of what was kept fits, but reading dropped some: still said.
        #expect(
            KeyMap.handle(.paste("abc", leftOut: 7), state).actions.last
                == .warn("Pasted text cut to fit Notes (at most 5000 characters): 7 left out"))
    }

    /// Typing at the end tells the store the new length, so no key counts the whole field; an
    /// edit anywhere else, or a lead changed whole, counts again and the caret stays true.
    @Test func aKeyTypedAtTheEndCarriesTheFieldsLength() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .focus(.notes))
        func press(_ key: Key) {
            for action in KeyMap.handle(key, state).actions { _ = reduce(&state, action) }
        }
        // Devanagari: "नमस्ते" is three characters (स्ते is one), so a byte count would mislead.
        _ = reduce(&state, .edit(.notes, "नमस्ते"))
        #expect(state.form.caret == 3 && state.form.length(of: .notes) == 3)
        #expect(KeyMap.handle(.character("क"), state).actions == [.edit(.notes, "नमस्तेक", caret: 4, length: 4)])
        // A combining sign typed at the end joins the last character: the length does not grow.
        press(.character("क"))
        #expect(KeyMap.handle(.character("\u{93F}"), state).actions == [.edit(.notes, "नमस्तेकि", caret: 4, length: 4)])
        press(.character("\u{93F}"))
        // In the middle, the editor counts: no length is claimed.
        press(.left)
        #expect(KeyMap.handle(.character("x"), state).actions == [.edit(.notes, "नमस्तेxकि", caret: 4)])
        press(.character("x"))
        #expect(state.form.length(of: .notes) == 5 && state.form.caret == 4)
        // The lead replaced whole (a restored draft, a cleared form): the old length is forgotten.
        state.form.lead.notes = "ab"
        state.form.caret = 2
        #expect(state.form.length(of: .notes) == 2)
        #expect(KeyMap.handle(.character("c"), state).actions == [.edit(.notes, "abc", caret: 3, length: 3)])
    }

    @Test func pastedTextLosesControlSequences() {
        var state = self.state
        state.form.caret = 3
        #expect(
            KeyMap.handle(.paste("Ravi\u{1B}[31m Kumar\r\n"), state).actions == [
                .edit(.firstName, "JosRavi Kumar ", caret: 14, length: 14)
            ])
        var notes = state
        notes.form.focus = .notes
        notes.form.caret = 0
        #expect(KeyMap.handle(.paste("a\r\nb\u{7}"), notes).actions == [.edit(.notes, "a\nb", caret: 3, length: 3)])
    }

    @Test func historyScreenKeys() {
        var state = AppState(settings: Settings())
        state.screen = .history
        let moves: [(Key, BrowseMove)] = [
            (.up, .up), (.character("k"), .up), (.down, .down), (.character("j"), .down), (.pageUp, .pageUp),
            (.pageDown, .pageDown), (.home, .home), (.end, .end)
        ]
        for (key, move) in moves { #expect(KeyMap.handle(key, state).actions == [.browse(move)]) }
        #expect(KeyMap.handle(.character("/"), state).actions == [.editSearch("")])
        #expect(KeyMap.handle(.character("f"), state).actions == [.cycleFilter])
        #expect(KeyMap.handle(.enter, state).actions == [.openDetail])
        #expect(KeyMap.handle(.character("r"), state).actions == [.resendSelected])
        #expect(KeyMap.handle(.character("e"), state).actions == [.copySelectedToForm])
        #expect(KeyMap.handle(.character("?"), state).actions == [.showOverlay(.help)])
        #expect(KeyMap.handle(.escape, state).actions == [.show(.main)])
        // Typing a search: letters (even j, k, ?) go into it; Enter applies, Esc cancels.
        state.historyScreen.searchDraft = "as"
        #expect(KeyMap.handle(.character("j"), state).actions == [.editSearch("asj")])
        #expect(KeyMap.handle(.character("?"), state).actions == [.editSearch("as?")])
        #expect(KeyMap.handle(.control("w"), state).actions == [.editSearch("")])
        #expect(KeyMap.handle(.enter, state).actions == [.applySearch])
        #expect(KeyMap.handle(.escape, state).actions == [.editSearch(nil)])
    }

    static func facts(
        stdin: Bool = true, stdout: Bool = true, term: String? = "xterm-256color", known: Bool = true,
        cursor: Bool = true, utf8: Bool = true
    ) -> TerminalPreflight.Facts {
        TerminalPreflight.Facts(
            stdinIsTerminal: stdin, stdoutIsTerminal: stdout, term: term, termIsKnown: known,
            termCanAddressCursor: cursor, localeIsUTF8: utf8)
    }

    @Test func startUpRefusesWhatWouldBreakTheTerminal() {
        #expect(TerminalPreflight.refusal(Self.facts()) == nil)
        #expect(TerminalPreflight.refusal(Self.facts(stdin: false))?.contains("needs a terminal") == true)
        #expect(TerminalPreflight.refusal(Self.facts(stdout: false))?.contains("needs a terminal") == true)
        #expect(TerminalPreflight.refusal(Self.facts(term: nil))?.contains("TERM is not set") == true)
        #expect(
            TerminalPreflight.refusal(Self.facts(term: "vt9000", known: false))?.contains("\"vt9000\" is unknown")
                == true)
        #expect(
            TerminalPreflight.refusal(Self.facts(term: "dumb", cursor: false))?.contains("cannot move the cursor")
                == true)
        #expect(TerminalPreflight.refusal(Self.facts(utf8: false))?.contains("LANG=C.UTF-8") == true)
    }

    /// Typing stops at a field's limit as pasting does, and the message line counts every key
    /// left out on one line.
    @Test func typingStopsAtTheLimitAndCountsWhatIsLeftOut() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .focus(.notes))
        _ = reduce(&state, .edit(.notes, String(repeating: "n", count: 4_999)))
        func type(_ character: Character) {
            for action in KeyMap.handle(.character(character), state).actions { _ = reduce(&state, action) }
        }
        type("a")
        #expect(state.form.lead.notes.count == 5_000)
        for _ in 0..<3 { type("b") }
        #expect(state.form.lead.notes.count == 5_000 && !state.form.lead.notes.contains("b"))
        #expect(state.banners.map(\.text) == ["Notes is full (at most 5000 characters): 3 typed characters left out"])
        // Room again after a Backspace: one more key goes in.
        for action in KeyMap.handle(.backspace, state).actions { _ = reduce(&state, action) }
        type("c")
        #expect(state.form.lead.notes.hasSuffix("c") && state.form.lead.notes.count == 5_000)
        type("d")
        #expect(state.banners.last?.text == "Notes is full (at most 5000 characters): 4 typed characters left out")
    }
}
