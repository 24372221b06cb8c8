/// A damaged database file and its WAL as pages, without SQLite (docs/salvage.md): the page
/// size and the usable size come from the header when it is sound, else from the WAL's header,
/// else from what the pages show; each page has its versions, newest first.
final class DatabaseImage {
    /// Where a version of a page was read from: the main file, or a frame of the WAL.
    enum Source: Hashable, Sendable {
        case main
        case wal(frame: Int)
    }

    struct Version {
        let source: Source
        let bytes: [UInt8]
        /// The newest version of its page that can be read: what the b-tree holds now.
        let isCurrent: Bool
    }

    let pageSize: Int
    let usableSize: Int
    /// Pages to read: as many as the main file holds, or the WAL names, whichever is more.
    let pageCount: Int
    /// The file header's magic string and page size were sound (else they were worked out).
    let headerIsSound: Bool
    private let main: FileReader?
    private let wal: WALFile?
    private let walReader: FileReader?
    /// Committed frames of each page, newest first.
    private let walFrames: [Int: [WALFile.Frame]]

    static let magic = Array("SQLite format 3\0".utf8)

    init(path: String) {
        main = FileReader(path: path)
        walReader = FileReader(path: path + "-wal")
        let header = main?.read(at: 0, count: 100) ?? []
        var log = walReader.flatMap { WALFile(path: path + "-wal", reader: $0) }
        var stated = Self.statedPageSize(header)
        // A header may be damaged into another valid-looking size: what the pages show wins.
        if let claimed = stated, let main, Self.pageSizeShown(by: main, claimed: claimed) != claimed { stated = nil }
        let size = stated ?? log?.pageSize ?? main.map { Self.pageSizeShown(by: $0, claimed: nil) } ?? 4096
        if let found = log, found.pageSize != size { log = nil }
        wal = log
        headerIsSound = stated != nil
        pageSize = size
        // Reserved bytes at each page's end (none in a file SQLite made by default).
        usableSize = size - (headerIsSound ? Int(header[20]) : 0)
        var frames: [Int: [WALFile.Frame]] = [:]
        for frame in log?.frames ?? [] where frame.isCommitted {
            frames[frame.page, default: []].insert(frame, at: 0)
        }
        walFrames = frames
        let mainPages = Int((main?.size ?? 0) / Int64(size))
        pageCount = max(mainPages, frames.keys.max() ?? 0)
    }

    /// The page size a sound header states: the magic string in place, a power of two from 512
    /// to 65536 (1 meaning 65536), and the fixed payload fractions 64, 32, 32.
    static func statedPageSize(_ header: [UInt8]) -> Int? {
        guard header.count >= 100, Array(header[0..<16]) == magic, header[21] == 64, header[22] == 32,
            header[23] == 32
        else { return nil }
        let raw = Int(header[16]) << 8 | Int(header[17])
        let size = raw == 1 ? 65536 : raw
        guard size >= 512, size & (size - 1) == 0, Int(header[20]) < size - 480 else { return nil }
        return size
    }

    /// The page size under which most of the file reads as b-tree pages with well-formed cells;
    /// the header's `claimed` size wins a tie, then 4096 (SQLite's default).
    static func pageSizeShown(by file: FileReader, claimed: Int?) -> Int {
        var best = (size: claimed ?? 4096, score: -1)
        for shift in 9...16 {
            let size = 1 << shift
            // The first 2 MB (at least 64 pages) tell: a guess must not read a large file eight times.
            let pages = min(Int(file.size / Int64(size)), max(64, (2 << 20) / size))
            var score = 0
            for n in stride(from: 1, through: pages, by: 1) {
                let bytes = file.read(at: Int64(n - 1) * Int64(size), count: size)
                guard bytes.count == size, let page = BTreePage(bytes, pageNumber: n, usableSize: size) else {
                    continue
                }
                if page.kind.isLeaf {
                    if let first = page.cells.first, Self.cellLooksWellFormed(page, first) { score += 1 }
                } else if !page.cells.isEmpty {
                    score += 1
                }
            }
            if score > best.score || (score == best.score && size == (claimed ?? 4096)) { best = (size, score) }
        }
        return best.size
    }

    private static func cellLooksWellFormed(_ page: BTreePage, _ offset: Int) -> Bool {
        let start: Int
        let size: Int
        if page.kind == .tableLeaf {
            guard let cell = page.tableLeafCell(at: offset) else { return false }
            (start, size) = (cell.payloadStart, cell.payloadSize)
        } else {
            guard let cell = page.indexLeafCell(at: offset) else { return false }
            (start, size) = (cell.payloadStart, cell.payloadSize)
        }
        let local = BTreePage.localSize(payload: size, usableSize: page.usableSize, table: page.kind == .tableLeaf)
        guard start + local <= page.usableSize else { return false }
        return SQLiteRecord.header(Array(page.bytes[start..<start + local]), payloadSize: size) != nil
    }

    /// Every readable version of page `number`, newest first (the first is current).
    func versions(of number: Int) -> [Version] {
        var found: [Version] = []
        for frame in walFrames[number] ?? [] where frame.isIntact {
            if let bytes = walReader?.read(at: frame.dataOffset, count: pageSize), bytes.count == pageSize {
                found.append(Version(source: .wal(frame: frame.index), bytes: bytes, isCurrent: found.isEmpty))
            }
        }
        if let bytes = mainPage(number) {
            found.append(Version(source: .main, bytes: bytes, isCurrent: found.isEmpty))
        }
        return found
    }

    /// The version a b-tree walk or an overflow chain reads.
    func current(_ number: Int) -> [UInt8]? {
        guard number >= 1, number <= pageCount else { return nil }
        for frame in walFrames[number] ?? [] where frame.isIntact {
            if let bytes = walReader?.read(at: frame.dataOffset, count: pageSize), bytes.count == pageSize {
                return bytes
            }
        }
        return mainPage(number)
    }

    /// One version by its source (a row found in pass one is read again from it).
    func page(_ number: Int, from source: Source) -> [UInt8]? {
        switch source {
        case .main: return mainPage(number)
        case .wal(let index):
            guard let frame = wal?.frames[index], frame.page == number else { return nil }
            let bytes = walReader?.read(at: frame.dataOffset, count: pageSize)
            return bytes?.count == pageSize ? bytes : nil
        }
    }

    /// Whether a committed WAL frame of the page newer than every readable version failed its
    /// checksum: the versions read are older than the page's last write.
    func hasLostNewerVersion(of number: Int) -> Bool {
        guard let frames = walFrames[number], let newest = frames.first else { return false }
        return !newest.isIntact
    }

    private func mainPage(_ number: Int) -> [UInt8]? {
        guard let main, number >= 1 else { return nil }
        let bytes = main.read(at: Int64(number - 1) * Int64(pageSize), count: pageSize)
        return bytes.count == pageSize ? bytes : nil
    }

    /// The freelist's pages (trunks and leaves), from a sound header; empty when it cannot be
    /// read. What they hold are old copies.
    func freePages() -> Set<Int> {
        guard headerIsSound, let first = current(1), first.count >= 40 else { return [] }
        var free = Set<Int>()
        var trunk = Int(BTreePage.uint32(first, 32))
        let total = Int(BTreePage.uint32(first, 36))
        while trunk >= 1, trunk <= pageCount, !free.contains(trunk), free.count <= total {
            free.insert(trunk)
            guard let bytes = current(trunk) else { break }
            let leaves = min(Int(BTreePage.uint32(bytes, 4)), (usableSize - 8) / 4)
            for i in 0..<leaves {
                let leaf = Int(BTreePage.uint32(bytes, 8 + 4 * i))
                if leaf >= 1, leaf <= pageCount { free.insert(leaf) }
            }
            trunk = Int(BTreePage.uint32(bytes, 0))
        }
        return free
    }
}
