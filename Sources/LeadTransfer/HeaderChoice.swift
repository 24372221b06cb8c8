/// Which row of a sheet is its header. People put a title ("Expo sign-ups, 3 Dec"), an empty
/// row or a note above the column names; the header is the row, among the first
/// `searchedRows` with anything in them, whose cells name the most known columns (ties go to
/// the earliest). A sheet whose rows name no known column keeps its first non-blank row, as
/// before. `--header-row N` (the sheet's own row number) overrides. Pure: rows in, index out.
enum HeaderChoice {
    static let searchedRows = 20

    struct Row {
        let number: Int
        let cells: [String]
    }

    /// The index in `rows` (the sheet's first rows, in order) of the header, or nil when none is
    /// there (no non-blank row; or `wanted` is not among them).
    static func index(in rows: [Row], wanted: Int?) -> Int? {
        if let wanted { return rows.firstIndex { $0.number == wanted } }
        let candidates = rows.indices.filter { !RowReader.isBlank(rows[$0].cells) }.prefix(searchedRows)
        guard let first = candidates.first else { return nil }
        var best = (index: first, score: score(rows[first].cells))
        for index in candidates.dropFirst() {
            let found = score(rows[index].cells)
            if found > best.score { best = (index, found) }
        }
        return best.index
    }

    /// How many cells name a column we know (each field counted once).
    static func score(_ cells: [String]) -> Int {
        var seen: [ColumnMap.Target] = []
        for cell in cells {
            guard let target = ColumnMap.commonNames[ColumnMap.normalize(cell)], !seen.contains(target) else {
                continue
            }
            seen.append(target)
        }
        return seen.count
    }

    /// What looking for the header found: the header, the rows read after it (to be handed out
    /// first), and a fault met while looking ahead (thrown when its row is reached: the rows
    /// before it are read).
    struct Found {
        let header: Row
        let ahead: [Row]
        let fault: ImportError?
        /// The first row with anything in it.
        let firstFilled: Int?
    }

    /// Reads rows with `next` until the header is surely among them (`searchedRows` rows with
    /// anything in them, or up to `wanted`), and chooses it. One way for every kind of sheet.
    /// `noHeader`: the message when the sheet has none.
    static func find(
        wanted: Int?, path: String, noHeader: String, next: () throws(ImportError) -> Row?
    ) throws(ImportError) -> Found {
        var rows: [Row] = []
        var filled = 0
        var fault: ImportError?
        while filled < searchedRows || (wanted.map { (rows.last?.number ?? 0) < $0 } ?? false) {
            let found: Row?
            do { found = try next() } catch {
                // Past a row that may be the header, the fault waits for its place; before it,
                // nothing was read.
                guard filled >= 1 else { throw error }
                fault = error
                break
            }
            guard let row = found else { break }
            rows.append(row)
            if !RowReader.isBlank(row.cells) { filled += 1 }
        }
        guard let index = index(in: rows, wanted: wanted), !RowReader.isBlank(rows[index].cells) else {
            if let wanted { throw missing(wanted, path: path) }
            throw .noHeader(noHeader)
        }
        return Found(
            header: rows[index], ahead: Array(rows[(index + 1)...]), fault: fault,
            firstFilled: rows.first { !RowReader.isBlank($0.cells) }?.number)
    }

    /// The rows read while the header was looked for, handed out before the rest of the sheet;
    /// after them, the fault met while looking, if any, thrown at its place.
    struct RowsAhead {
        private var rows: ArraySlice<Row> = []
        private var fault: ImportError?

        init() {}
        init(_ found: Found) {
            rows = found.ahead[...]
            fault = found.fault
        }

        /// The next row read ahead; nil once they are all handed out.
        mutating func next() throws(ImportError) -> Row? {
            if let row = rows.popFirst() { return row }
            if let fault { throw fault }
            return nil
        }
    }

    /// Said when `--header-row` names a row the sheet does not have (or an empty one).
    static func missing(_ wanted: Int, path: String) -> ImportError {
        .noHeader("--header-row \(wanted): \(path) has no row \(wanted) with anything in it")
    }
}
