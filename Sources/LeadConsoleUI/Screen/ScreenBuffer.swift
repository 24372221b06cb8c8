/// How a cell is drawn. Every status also has a text label, so `plain` loses no meaning
/// (NO_COLOR, --no-color).
public struct CellStyle: Sendable, Hashable {
    public enum Color: Sendable, Hashable { case normal, red, green, yellow, blue, cyan, gray }
    public var foreground: Color = .normal
    public var bold = false
    public var reverse = false
    public var underline = false

    public init(foreground: Color = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = CellStyle()
}

/// One cell: a grapheme and its style. A grapheme wider than one cell fills its first cell and
/// marks the rest as continuations, so a diff never splits it.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: CellStyle
    /// The right half of a wide character drawn in the cell before.
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", style: .plain, isContinuation: false)
}

public struct CursorPosition: Sendable, Equatable {
    public let column: Int
    public let row: Int
    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }
}

/// The in-memory screen a view draws into: state → buffer is a pure function, the terminal
/// backend writes only the cells that differ from the previous frame.
public struct ScreenBuffer: Sendable, Equatable {
    public let columns: Int
    public let rows: Int
    private(set) var cells: [Cell]
    /// Where the terminal's cursor goes (the end of the focused field), if anywhere.
    public var cursor: CursorPosition?
    /// What clicks on this frame mean (fields, list rows, footer keys).
    public internal(set) var targets: [TargetArea] = []

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        cells = Array(repeating: .blank, count: self.columns * self.rows)
    }

    public subscript(column: Int, row: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Writes `text` from (column, row), clipped at `maxWidth` cells and the right edge. Outside
    /// text is cleaned by the model (TerminalText) before it gets here; a control character that
    /// still arrives takes no cell. A wide character that would straddle the edge is not drawn
    /// (a blank stays). Returns the cells used.
    @discardableResult
    public mutating func write(
        _ text: some StringProtocol, column: Int, row: Int, style: CellStyle = .plain, maxWidth: Int? = nil
    ) -> Int {
        guard row >= 0, row < rows, column < columns else { return 0 }
        let limit = min(columns - max(column, 0), maxWidth ?? Int.max)
        var x = column
        for character in text {
            let width = DisplayWidth.of(character)
            // Swift's Characters are whole grapheme clusters, marks included; what is left with no
            // width (a control character, a stray mark with nothing to sit on) takes no cell.
            if width == 0 { continue }
            if x + width - column > limit { break }
            if x >= 0 {
                cells[row * columns + x] = Cell(character: character, style: style, isContinuation: false)
                for extra in 1..<max(1, width) {
                    cells[row * columns + x + extra] = Cell(character: " ", style: style, isContinuation: true)
                }
            }
            x += width
        }
        return x - column
    }

    /// Paints `style` over a run of cells (a selected row, a focused field).
    public mutating func fill(column: Int, row: Int, width: Int, style: CellStyle, character: Character = " ") {
        guard row >= 0, row < rows else { return }
        for x in max(0, column)..<min(columns, column + width) {
            cells[row * columns + x] = Cell(character: character, style: style, isContinuation: false)
        }
    }

    /// The rows as text, wide characters once (for tests and screenshots).
    public var lines: [String] {
        (0..<rows).map { row in
            var line = ""
            for column in 0..<columns where !self[column, row].isContinuation {
                line.append(self[column, row].character)
            }
            return line
        }
    }

    /// Cells that differ from `previous` (all of them when the size changed): what the backend
    /// must write for this frame.
    public func changes(since previous: ScreenBuffer?) -> [(column: Int, row: Int, cell: Cell)] {
        // Built with the labels it is returned with: an array of unlabeled tuples returned as
        // labeled ones is converted by a runtime cast of every element (a third of a full frame's
        // time, and the first protocol look-up of the console's start; make bench).
        var changed: [(column: Int, row: Int, cell: Cell)] = []
        let all = previous == nil || previous!.columns != columns || previous!.rows != rows
        if all { changed.reserveCapacity(columns * rows) }
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = self[column, row]
                if all || previous![column, row] != cell { changed.append((column: column, row: row, cell: cell)) }
            }
        }
        return changed
    }
}
