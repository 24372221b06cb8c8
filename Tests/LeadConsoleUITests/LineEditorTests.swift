import Testing

@testable import LeadConsoleUI

/// Field editing: the caret, the erase keys, and whole characters (a Devanagari syllable or an
/// emoji with modifiers is one step).
@Suite("Line editor and field window")
struct LineEditorTests {
    init() { DisplayWidth.prepare() }

    func apply(_ key: Key, _ text: String, _ caret: Int, multiline: Bool = false) -> LineEditor.Outcome? {
        LineEditor.apply(key, to: text, caret: caret, multiline: multiline)
    }

    @Test func movingTheCaret() {
        #expect(apply(.left, "abc", 2) == .moved(1))
        #expect(apply(.left, "abc", 0) == .moved(0))
        #expect(apply(.right, "abc", 3) == .moved(3))
        #expect(apply(.home, "abc", 2) == .moved(0))
        #expect(apply(.control("e"), "abc", 0) == .moved(3))
        // In Notes, Home and End stay on the caret's line.
        #expect(apply(.home, "one\ntwo", 6, multiline: true) == .moved(4))
        #expect(apply(.end, "one\ntwo", 1, multiline: true) == .moved(3))
    }

    @Test func erasing() {
        #expect(apply(.backspace, "José", 4) == .edited("Jos", caret: 3))
        #expect(apply(.backspace, "José", 0) == nil)
        #expect(apply(.delete, "José", 0) == .edited("osé", caret: 0))
        #expect(apply(.delete, "José", 4) == nil)
        #expect(apply(.control("u"), "Ravi Kumar", 5) == .edited("Kumar", caret: 0))
        #expect(apply(.control("k"), "Ravi Kumar", 4) == .edited("Ravi", caret: 4))
        #expect(apply(.control("w"), "Ravi Kumar  ", 12) == .edited("Ravi ", caret: 5))
        #expect(apply(.control("w"), "Ravi Kumar", 4) == .edited(" Kumar", caret: 0))
        #expect(apply(.control("u"), "one\ntwo", 6, multiline: true) == .edited("one\no", caret: 4))
        #expect(apply(.control("k"), "one\ntwo", 1, multiline: true) == .edited("o\ntwo", caret: 1))
    }

    /// Typing at the end takes the quick way, and still counts what a mark joins to the last
    /// character as one character.
    @Test func typingAtTheEndCountsCharactersAsTheyJoin() {
        #expect(apply(.character("x"), "abc", 3) == .edited("abcx", caret: 4))
        #expect(apply(.character("ि"), "क", 1) == .edited("कि", caret: 1))
        #expect(apply(.paste("ab"), "", 0) == .edited("ab", caret: 2))
        #expect(apply(.enter, "one", 3, multiline: true) == .edited("one\n", caret: 4))
        #expect(apply(.character("x"), "abc", 1) == .edited("axbc", caret: 2))
    }

    /// Ctrl-Left/Right move a word, Ctrl-Delete and Ctrl-Backspace erase one, in a line (Notes:
    /// on the caret's line only).
    @Test func words() {
        #expect(apply(.wordLeft, "Ravi Kumar", 10) == .moved(5))
        #expect(apply(.wordLeft, "Ravi Kumar  ", 12) == .moved(5))
        #expect(apply(.wordLeft, "Ravi", 0) == .moved(0))
        #expect(apply(.wordRight, "Ravi Kumar", 0) == .moved(4))
        #expect(apply(.wordRight, "Ravi Kumar", 4) == .moved(10))
        #expect(apply(.eraseWordAfter, "Ravi Kumar", 4) == .edited("Ravi", caret: 4))
        #expect(apply(.eraseWordAfter, "Ravi Kumar", 10) == nil)
        #expect(apply(.eraseWordBefore, "Ravi Kumar", 10) == .edited("Ravi ", caret: 5))
        #expect(apply(.wordRight, "one two\nthree", 4, multiline: true) == .moved(7))
        #expect(apply(.wordLeft, "one\ntwo", 4, multiline: true) == .moved(4))
    }

    @Test func wholeCharactersAreOneStep() {
        let name = "नमस्ते"
        // Backspace removes the last syllable the way Swift counts it, never half a character.
        guard case .edited(let text, let caret) = apply(.backspace, name, name.count) else {
            Issue.record("no edit")
            return
        }
        #expect(text + "स्ते" == name || text + "ते" == name)
        #expect(caret == text.count)
        #expect(apply(.backspace, "👍🏽", 1) == .edited("", caret: 0))
        #expect(apply(.character("é"), "Jos", 3) == .edited("José", caret: 4))
        #expect(apply(.paste("Kumar"), "Ravi ", 5) == .edited("Ravi Kumar", caret: 10))
        #expect(apply(.enter, "ab", 1) == nil)
        #expect(apply(.enter, "ab", 1, multiline: true) == .edited("a\nb", caret: 2))
    }

    @Test func theFieldWindowKeepsTheCaretInView() {
        #expect(FieldWindow.of("José", caret: 2, width: 10) == FieldWindow(text: "José", caretColumn: 2))
        let long = String(repeating: "abcdefghij", count: 5)
        // At the end: the end shows, the start is marked cut.
        let end = FieldWindow.of(long, caret: 50, width: 12)
        #expect(end.text == "…" + String(long.suffix(10)) && end.caretColumn == 11)
        // At the start: the start shows, the end is marked cut.
        let start = FieldWindow.of(long, caret: 0, width: 12)
        #expect(start.text == "abcdefghija…")
        #expect(start.caretColumn == 0)
        // Wide characters count two cells each.
        let wide = FieldWindow.of("山田太郎山田太郎", caret: 8, width: 9)
        #expect(wide.text == "…太郎山田" || DisplayWidth.of(wide.text) <= 9)
        #expect(DisplayWidth.of(wide.text) <= 9 && wide.caretColumn == DisplayWidth.of(wide.text))
    }
}
