/// The part of a field's text that fits its box, chosen so the caret is always inside it: a long
/// value scrolls under the caret, with "…" marking text cut on either side.
public struct FieldWindow: Equatable, Sendable {
    /// What to draw.
    public let text: String
    /// Cells from the box's left edge to the caret.
    public let caretColumn: Int

    public static func of(_ value: String, caret: Int, width: Int) -> FieldWindow {
        let characters = Array(value)
        let caret = max(0, min(caret, characters.count))
        let width = max(2, width)
        // The caret needs a cell of its own at the end.
        if DisplayWidth.of(value) <= width - 1 {
            return FieldWindow(text: value, caretColumn: characters[..<caret].reduce(0) { $0 + DisplayWidth.of($1) })
        }
        // Walk left from the caret for at most the box less the marks, then fill to the right.
        var start = caret
        var used = 0
        let budget = width - 2
        while start > 0 {
            let cell = DisplayWidth.of(characters[start - 1])
            if used + cell > budget { break }
            used += cell
            start -= 1
        }
        var shown = start > 0 ? "…" : ""
        var column = start > 0 ? 1 : 0
        // Character by character: String(slice) is generic over the slice, and its first use
        // makes the runtime scan every conformance record, before the console's first frame.
        for character in characters[start..<caret] { shown.append(character) }
        column += used
        var end = caret
        var total = column
        while end < characters.count {
            let cell = DisplayWidth.of(characters[end])
            if total + cell > width - 1 { break }
            total += cell
            end += 1
        }
        for character in characters[caret..<end] { shown.append(character) }
        if end < characters.count { shown += "…" }
        return FieldWindow(text: shown, caretColumn: column)
    }
}
