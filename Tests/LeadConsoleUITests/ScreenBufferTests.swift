import Testing

@testable import LeadConsoleUI

@Suite("Display width and the screen buffer")
struct ScreenBufferTests {
    init() { DisplayWidth.prepare() }

    /// As ncursesw places them: the sum of wcwidth over the scalars.
    @Test(
        "cells per grapheme, as wcwidth says",
        arguments: [
            ("a", 1), ("é", 1), ("e\u{301}", 1), ("न", 1), ("स्", 1), ("ते", 1), ("स्ते", 2), ("山", 2), ("한", 2),
            ("👋", 2), ("👩🏽‍💻", 6), ("❤️", 1), ("\u{7}", 0), ("\u{301}", 0)
        ])
    func width(text: String, cells: Int) {
        #expect(DisplayWidth.of(text) == cells)
    }

    @Test func aDevanagariConjunctIsOneCharacterOverTwoCells() {
        // Swift's runtime joins a conjunct into one Character (its compiler's literal check does
        // not); ncurses spreads it over the cells of its two consonants.
        let conjunct = "स्ते"
        #expect(conjunct.count == 1)
        #expect(DisplayWidth.of(conjunct.first!) == 2)
    }

    @Test func stringsAndPrefixes() {
        #expect(DisplayWidth.of("नमस्ते") == 4)
        #expect(DisplayWidth.of("山田 太郎") == 9)
        #expect(DisplayWidth.prefix("山田太郎", fitting: 5) == ("山田", 4))
        #expect(DisplayWidth.prefix("José", fitting: 10) == ("José", 4))
    }

    @Test func writingClipsAtTheEdgeWithoutSplittingAWideCharacter() {
        var buffer = ScreenBuffer(columns: 8, rows: 2)
        #expect(buffer.write("ab山田太郎", column: 0, row: 0) == 8)
        #expect(buffer.lines == ["ab山田太", "        "])
        #expect(buffer[2, 0].character == "山" && buffer[3, 0].isContinuation && buffer[7, 0].isContinuation)
        var narrow = ScreenBuffer(columns: 3, rows: 1)
        narrow.write("a山b", column: 1, row: 0)
        #expect(narrow.lines == [" a "])  // 山 would straddle the edge: not drawn
    }

    @Test func maxWidthAndStyles() {
        var buffer = ScreenBuffer(columns: 10, rows: 1)
        let red = CellStyle(foreground: .red, bold: true)
        #expect(buffer.write("Rejected by CRM", column: 1, row: 0, style: red, maxWidth: 8) == 8)
        #expect(buffer.lines == [" Rejected "])
        #expect(buffer[1, 0].style == red && buffer[9, 0].style == .plain)
    }

    @Test func devanagariAndEmojiKeepTheirCells() {
        var buffer = ScreenBuffer(columns: 12, rows: 1)
        #expect(buffer.write("नमस्ते 👋!", column: 0, row: 0) == 8)
        #expect(buffer.lines == ["नमस्ते 👋!    "])
        #expect(String(buffer[2, 0].character) == "स्ते" && buffer[3, 0].isContinuation)
        #expect(buffer[5, 0].character == "👋" && buffer[6, 0].isContinuation && buffer[7, 0].character == "!")
    }

    @Test func controlCharactersTakeNoCell() {
        var buffer = ScreenBuffer(columns: 6, rows: 1)
        buffer.write("a\u{1B}b\u{7}c", column: 0, row: 0)
        #expect(buffer.lines == ["abc   "])
    }

    @Test func onlyChangedCellsAreRedrawn() {
        var first = ScreenBuffer(columns: 5, rows: 2)
        first.write("hello", column: 0, row: 0)
        #expect(first.changes(since: nil).count == 10)
        var second = first
        second.write("J", column: 0, row: 1)
        let changes = second.changes(since: first)
        #expect(changes.count == 1 && changes[0].column == 0 && changes[0].row == 1 && changes[0].cell.character == "J")
        #expect(ScreenBuffer(columns: 6, rows: 2).changes(since: first).count == 12)  // resized: everything
    }
}
