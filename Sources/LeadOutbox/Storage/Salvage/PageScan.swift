/// Pass one of a salvage: every version of every page read as a b-tree page, each row of a
/// table leaf (and each entry of an index leaf: a WITHOUT ROWID table's row) handed on with
/// where it was found and how far it is to be believed. Nothing here knows our tables; the
/// caller decides what a row is by its shape (`OutboxRows`).
struct PageScan {
    /// How far a copy of a row is to be believed: one the b-tree still reaches, one on the
    /// newest version of a page no longer reached (its parent was lost), or an old copy (an
    /// older WAL frame, a page on the freelist, a page whose newest write was lost, a cell the
    /// page no longer lists).
    enum Standing: Int, Comparable, Sendable {
        case oldCopy = 1
        case current = 2
        case reached = 3

        static func < (a: Standing, b: Standing) -> Bool { a.rawValue < b.rawValue }
    }

    struct Location: Hashable, Sendable {
        let page: Int
        let source: DatabaseImage.Source
        let cell: Int
    }

    struct Row {
        /// The row id (nil for an index entry).
        let rowID: Int64?
        let values: [SQLiteRecord.Value]
        let location: Location
        let standing: Standing
        /// Part of the row was on an overflow page that is lost.
        var isCut: Bool { values.contains(where: \.isLost) }
    }

    let image: DatabaseImage
    /// Whether a schema object (type, name, SQL) is one we made. The rows in the trees of any
    /// other (a table of lead-shaped rows someone planted, or one their trigger would feed) are
    /// never read as ours.
    let isOurs: (_ type: String, _ name: String, _ sql: String?) -> Bool

    init(image: DatabaseImage, isOurs: @escaping (String, String, String?) -> Bool = { _, _, _ in true }) {
        self.image = image
        self.isOurs = isOurs
    }

    /// Reads every page, newest versions first, and hands each row to `visit`.
    func run(_ visit: (Row) -> Void) {
        let (reached, foreign) = schemaTrees()
        let free = image.freePages()
        guard image.pageCount > 0 else { return }
        for number in 1...image.pageCount where !foreign.contains(number) {
            let newerLost = image.hasLostNewerVersion(of: number)
            for version in image.versions(of: number) {
                let believed = version.isCurrent && !newerLost && !free.contains(number)
                let standing: Standing = believed ? (reached.contains(number) ? .reached : .current) : .oldCopy
                guard
                    let page = BTreePage(
                        version.bytes, pageNumber: number, usableSize: image.usableSize, assume: .tableLeaf),
                    page.kind.isLeaf
                else { continue }
                for (cells, listed) in [(page.cells, true), (page.extraCells, false)] {
                    for cell in cells {
                        let location = Location(page: number, source: version.source, cell: cell)
                        if let row = row(page, location, standing: listed ? standing : .oldCopy) { visit(row) }
                    }
                }
            }
        }
    }

    /// Pass two: the row found at `location` in pass one, read again. Rows read in id order sit
    /// mostly on the same page, one after another: the last page read is kept.
    func row(at location: Location, standing: Standing) -> Row? {
        let key = PageKey(page: location.page, source: location.source)
        let page: BTreePage
        if let kept = lastPage.page, lastPage.key == key {
            page = kept
        } else {
            guard let bytes = image.page(location.page, from: location.source),
                let parsed = BTreePage(
                    bytes, pageNumber: location.page, usableSize: image.usableSize, assume: .tableLeaf)
            else { return nil }
            lastPage.key = key
            lastPage.page = parsed
            page = parsed
        }
        return row(page, location, standing: standing)
    }

    struct PageKey: Equatable {
        let page: Int
        let source: DatabaseImage.Source
    }

    /// The page pass two read last (a class: the scan itself is a value shared by its readers).
    final class LastPage {
        var key: PageKey?
        var page: BTreePage?
    }

    private let lastPage = LastPage()

    private func row(_ page: BTreePage, _ location: Location, standing: Standing) -> Row? {
        if page.kind == .tableLeaf {
            guard let cell = page.tableLeafCell(at: location.cell),
                let values = record(page, start: cell.payloadStart, size: cell.payloadSize, table: true)
            else { return nil }
            return Row(rowID: cell.rowID, values: values, location: location, standing: standing)
        }
        guard let cell = page.indexLeafCell(at: location.cell),
            let values = record(page, start: cell.payloadStart, size: cell.payloadSize, table: false)
        else { return nil }
        return Row(rowID: nil, values: values, location: location, standing: standing)
    }

    /// A cell's record: its bytes on the page, then along its overflow chain (current versions)
    /// for as long as the chain holds. Text that is not text marks the overflow page it was read
    /// from as lost; on the leaf page itself it makes the row unreadable (nil).
    func record(_ page: BTreePage, start: Int, size: Int, table: Bool) -> [SQLiteRecord.Value]? {
        let usable = image.usableSize
        let local = BTreePage.localSize(payload: size, usableSize: usable, table: table)
        guard start + local <= usable else { return nil }
        var bytes = Array(page.bytes[start..<start + local])
        // Where each overflow page's bytes begin in the payload.
        var pageStarts: [Int] = []
        if local < size, start + local + 4 <= usable {
            var next = Int(BTreePage.uint32(page.bytes, start + local))
            var seen = Set<Int>()
            while bytes.count < size, next >= 1, next <= image.pageCount, seen.insert(next).inserted,
                let overflow = image.current(next)
            {
                pageStarts.append(bytes.count)
                let take = min(usable - 4, size - bytes.count)
                bytes += overflow[4..<4 + take]
                next = Int(BTreePage.uint32(overflow, 0))
            }
        }
        var intact = bytes.count
        if let bad = SQLiteRecord.firstImplausibleByte(bytes, payloadSize: size, intactUpTo: intact) {
            guard let lostPage = pageStarts.last(where: { $0 <= bad }) else { return nil }
            intact = lostPage
        }
        return SQLiteRecord.values(bytes, payloadSize: size, intactUpTo: intact)
    }

    /// Pages the b-trees named in the schema table reach, through current versions: page 1's
    /// tree (the schema) and the trees of our own objects (`reached`), and those of objects that
    /// are not ours (`foreign`, less any page ours reach: a planted schema row naming one of our
    /// root pages does not take our leads away). The schema's SQL is only compared with ours,
    /// never run; its root page numbers tell which copies SQLite itself would read.
    func schemaTrees() -> (reached: Set<Int>, foreign: Set<Int>) {
        var reached = Set<Int>()
        var roots: [(page: Int, ours: Bool)] = []
        walk(from: 1, into: &reached) { page in
            guard page.kind == .tableLeaf else { return }
            for cell in page.cells {
                guard let found = page.tableLeafCell(at: cell),
                    let values = record(page, start: found.payloadStart, size: found.payloadSize, table: true),
                    values.count == 5, case .text(let type) = values[0], case .text(let name) = values[1],
                    case .integer(let root) = values[3], root > 1, root <= image.pageCount
                else { continue }
                let sql: String? = if case .text(let text) = values[4] { text } else { nil }
                roots.append((Int(root), isOurs(type, name, sql)))
            }
        }
        for root in roots where root.ours { walk(from: root.page, into: &reached) { _ in } }
        var foreign = Set<Int>()
        for root in roots where !root.ours { walk(from: root.page, into: &foreign) { _ in } }
        return (reached, foreign.subtracting(reached))
    }

    private func walk(from root: Int, into reached: inout Set<Int>, leaf: (BTreePage) -> Void) {
        var stack = [root]
        while let number = stack.popLast() {
            guard number >= 1, number <= image.pageCount, !reached.contains(number),
                let bytes = image.current(number),
                let page = BTreePage(bytes, pageNumber: number, usableSize: image.usableSize)
            else { continue }
            reached.insert(number)
            if page.kind.isLeaf {
                leaf(page)
            } else {
                stack += page.children.reversed().map(Int.init)
            }
        }
    }
}
