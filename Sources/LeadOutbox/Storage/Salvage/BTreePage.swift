/// One b-tree page of an SQLite file, parsed from its bytes without trusting them
/// (docs/salvage.md, "Pages"): every offset is checked against the page before it is used, and
/// a cell that points outside the page is skipped, not followed.
struct BTreePage {
    enum Kind: UInt8 {
        case indexInterior = 2
        case tableInterior = 5
        case indexLeaf = 10
        case tableLeaf = 13

        var isLeaf: Bool { self == .indexLeaf || self == .tableLeaf }
        var headerSize: Int { isLeaf ? 8 : 12 }
    }

    let kind: Kind
    let bytes: [UInt8]
    /// Where the b-tree header starts: 100 on page 1 (after the file header), else 0.
    let headerOffset: Int
    let usableSize: Int
    /// Cell offsets the cell pointer array lists, each checked to lie in the cell content area.
    let cells: [Int]
    /// Offsets read from the pointer array past its stated count that still point at cells: a
    /// page whose count was damaged, or cells freed without being wiped. Read as old copies.
    let extraCells: [Int]
    /// The right-most child of an interior page.
    let rightChild: UInt32?

    /// Parses `bytes` as a b-tree page; nil when its header is not one. With `assume`, a page
    /// whose type byte is damaged is read as that kind (its cells are then checked one by one).
    init?(_ bytes: [UInt8], pageNumber: Int, usableSize: Int, assume: Kind? = nil) {
        let headerOffset = pageNumber == 1 ? 100 : 0
        guard bytes.count >= headerOffset + 12, usableSize <= bytes.count else { return nil }
        guard let kind = Kind(rawValue: bytes[headerOffset]) ?? assume else { return nil }
        let count = Int(bytes[headerOffset + 3]) << 8 | Int(bytes[headerOffset + 4])
        let pointers = headerOffset + kind.headerSize
        guard pointers + 2 * count <= usableSize else { return nil }
        self.kind = kind
        self.bytes = bytes
        self.headerOffset = headerOffset
        self.usableSize = usableSize
        let contentEnd = usableSize
        func pointer(_ i: Int) -> Int? {
            let at = pointers + 2 * i
            guard at + 2 <= usableSize else { return nil }
            let offset = Int(bytes[at]) << 8 | Int(bytes[at + 1])
            // A cell lies after the pointer array and at least 4 bytes before the usable end.
            guard offset >= pointers + 2 * count, offset + 4 <= contentEnd else { return nil }
            return offset
        }
        cells = (0..<count).compactMap(pointer)
        var extra: [Int] = []
        var i = count
        while let offset = pointer(i), !cells.contains(offset), !extra.contains(offset), extra.count < 512 {
            extra.append(offset)
            i += 1
        }
        extraCells = extra
        if kind.isLeaf {
            rightChild = nil
        } else {
            rightChild = Self.uint32(bytes, headerOffset + 8)
        }
    }

    /// The children of an interior table page, left to right (the right-most last).
    var children: [UInt32] {
        guard kind == .tableInterior || kind == .indexInterior else { return [] }
        return cells.map { Self.uint32(bytes, $0) } + (rightChild.map { [$0] } ?? [])
    }

    /// A table-leaf cell: the payload's size, the row id, and where the payload starts.
    func tableLeafCell(at offset: Int) -> (payloadSize: Int, rowID: Int64, payloadStart: Int)? {
        var at = offset
        guard let size = SQLiteRecord.varint(bytes, &at, end: usableSize), size > 0, size < 1 << 30,
            let rowID = SQLiteRecord.varint(bytes, &at, end: usableSize)
        else { return nil }
        return (Int(size), rowID, at)
    }

    /// An index-leaf cell (a WITHOUT ROWID table's row): the payload's size and start.
    func indexLeafCell(at offset: Int) -> (payloadSize: Int, payloadStart: Int)? {
        var at = offset
        guard let size = SQLiteRecord.varint(bytes, &at, end: usableSize), size > 0, size < 1 << 30 else {
            return nil
        }
        return (Int(size), at)
    }

    /// How many payload bytes a cell keeps on its own page (the rest goes to overflow pages), as
    /// the file format defines it for table leaves and for index pages.
    static func localSize(payload: Int, usableSize u: Int, table: Bool) -> Int {
        let maxLocal = table ? u - 35 : (u - 12) * 64 / 255 - 23
        if payload <= maxLocal { return payload }
        let minLocal = (u - 12) * 32 / 255 - 23
        let k = minLocal + (payload - minLocal) % (u - 4)
        return k <= maxLocal ? k : minLocal
    }

    static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        guard offset + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}
