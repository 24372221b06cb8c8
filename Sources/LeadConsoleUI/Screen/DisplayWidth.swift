import CDisplayWidth

/// How many terminal cells text takes, by glibc's `wcwidth` — the function ncursesw itself uses,
/// so what a view lays out is what the terminal draws. CJK and emoji take two cells, combining
/// marks and zero-width joiners none, control characters none (they never reach a cell).
public enum DisplayWidth {
    /// Makes sure `wcwidth` knows UTF-8 (it answers -1 outside ASCII in the C locale).
    @discardableResult
    public static func prepare() -> Bool { lc_use_utf8_ctype() == 1 }

    /// Cells of one grapheme cluster, counted as ncursesw places it: every scalar takes its
    /// wcwidth, zero-width ones (marks, virama, ZWJ, variation selectors) join the cell before.
    /// Swift joins a Devanagari conjunct ("स्ते") into one Character that ncurses spreads over
    /// two cells, so a Character can be wider than 2.
    public static func of(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + max(0, Int(lc_wcwidth($1.value))) }
    }

    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The longest prefix of `text` that fits in `cells`, and the cells it takes.
    public static func prefix(_ text: some StringProtocol, fitting cells: Int) -> (text: Substring, width: Int) {
        let whole = Substring(text)
        var used = 0
        var end = whole.startIndex
        for index in whole.indices {
            let w = of(whole[index])
            if used + w > cells { break }
            used += w
            end = whole.index(after: index)
        }
        return (whole[whole.startIndex..<end], used)
    }
}
