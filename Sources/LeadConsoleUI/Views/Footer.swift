import ConsoleState
import Foundation

/// One entry of the keys row: its words ("F5 retry") and the key a click on them presses (nil:
/// words only). The same value draws the entry and answers the click: no text is parsed back.
public struct FooterEntry: Sendable, Equatable {
    public let words: String
    public let key: Key?

    public init(_ words: String, _ key: Key?) {
        self.words = words
        self.key = key
    }
}

/// The keys row of a screen: ways to say it, widest first; the first that fits the width is
/// drawn, so a narrow terminal gets shorter words or fewer entries instead of a cut "F1 hel".
public struct Footer: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let entries: [FooterEntry]
        public let separator: String

        /// Entries set apart by " · ".
        public static func dotted(_ entries: FooterEntry...) -> Line { Line(entries: entries, separator: " · ") }
        /// Entries set apart by two spaces, for the narrowest terminals.
        public static func spaced(_ entries: FooterEntry...) -> Line { Line(entries: entries, separator: "  ") }

        public var text: String { entries.map(\.words).joined(separator: separator) }
    }

    public let lines: [Line]

    public init(_ lines: Line...) { self.lines = lines }

    /// The first line that fits `width` (the last one when none does).
    public func line(width: Int) -> Line {
        lines.first { DisplayWidth.of($0.text) <= width } ?? lines.last ?? Line(entries: [], separator: "")
    }

    /// Draws the line that fits at `row` from `column`, and marks each entry with a key as a
    /// button: clicking it presses the key.
    func draw(_ buffer: inout ScreenBuffer, column: Int, row: Int, width: Int, style: CellStyle) {
        let line = line(width: width)
        buffer.write(line.text, column: column, row: row, style: style, maxWidth: width)
        var at = column
        let gap = DisplayWidth.of(line.separator)
        for entry in line.entries {
            let wide = DisplayWidth.of(entry.words)
            if let key = entry.key { buffer.mark(row: row, columns: at..<min(at + wide, column + width), .key(key)) }
            at += wide + gap
        }
    }
}
