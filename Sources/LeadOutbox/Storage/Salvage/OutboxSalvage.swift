/// What a damaged outbox file still holds, read from its pages and its WAL without SQLite:
/// the best copy of each lead and attempt (pass one keeps where it is; pass two reads it again,
/// so a million leads are never all in memory), and every witness of how many leads there were.
///
/// `@unchecked Sendable`: built on a thread of its own (`offThePool`), then read by one task at
/// a time; its files are read with pread, and its one mutable part is pass two's page cache.
struct OutboxSalvage: @unchecked Sendable {
    /// The copy of a row to keep: the one the b-tree reaches, else the newest version of its
    /// page, else the newest old copy (`PageScan.Standing`); between equals, the later write.
    struct Pick {
        let location: PageScan.Location
        let standing: PageScan.Standing
        let updatedAt: Double
        let isCut: Bool

        func isBetter(than other: Pick) -> Bool {
            if standing != other.standing { return standing > other.standing }
            if updatedAt != other.updatedAt { return updatedAt > other.updatedAt }
            if isCut != other.isCut { return !isCut }
            return Self.order(location.source) > Self.order(other.location.source)
        }

        private static func order(_ source: DatabaseImage.Source) -> Int {
            if case .wal(let frame) = source { return frame + 1 }
            return 0
        }
    }

    let scan: PageScan
    private(set) var leads: [Int64: Pick] = [:]
    private(set) var attempts: [Int64: Pick] = [:]
    /// The highest id each table's sqlite_sequence row gave, over every copy found.
    private(set) var sequence: [String: Int64] = [:]
    /// Ids the file recorded as not in the lead table (lead_gap), with the reason.
    private(set) var gaps: [(first: Int64, last: Int64, reason: String)] = []
    /// Phones of leads, from the phone index: what is left of a lead whose row is lost.
    private(set) var indexedPhones: [Int64: String] = [:]
    private var stateCounts: [String: (standing: PageScan.Standing, count: Int64)] = [:]

    init(path: String) {
        scan = PageScan(image: DatabaseImage(path: path)) { type, name, sql in
            OurSchema.objects.contains(OurSchema.Object(type: type, name: name, sql: sql))
        }
        var seenGaps = Set<[Int64]>()
        scan.run { row in
            guard let kind = OutboxRows.kind(of: row) else { return }
            switch kind {
            case .lead:
                Self.keep(&leads, row, updatedAt: Self.number(row.values[3]))
            case .attempt:
                Self.keep(&attempts, row, updatedAt: Self.number(row.values[2]))
            case .sequence(let table, let highest):
                sequence[table] = max(sequence[table] ?? 0, highest)
            case .gap(let first, let last, let reason):
                if seenGaps.insert([first, last]).inserted { gaps.append((first, last, reason)) }
            case .stateCount(let state, let count):
                if let known = stateCounts[state], known.standing >= row.standing { return }
                stateCounts[state] = (row.standing, count)
            case .phoneEntry(let id, let phone):
                indexedPhones[id] = phone
            }
        }
    }

    /// Static: a method of `self` called from the scan's closure would share the dictionary
    /// being grown with a copy of `self`, and copy it on every insert.
    private static func keep(_ picks: inout [Int64: Pick], _ row: PageScan.Row, updatedAt: Double) {
        let pick = Pick(location: row.location, standing: row.standing, updatedAt: updatedAt, isCut: row.isCut)
        if let known = picks[row.rowID!], !pick.isBetter(than: known) { return }
        picks[row.rowID!] = pick
    }

    var pageSize: Int { scan.image.pageSize }
    var headerWasSound: Bool { scan.image.headerIsSound }

    /// How many leads the state counts say the table held (nil when none was read): with the
    /// ids recorded as gaps, a floor under the highest id given.
    var countedLeads: Int64? {
        stateCounts.isEmpty ? nil : stateCounts.values.reduce(0) { $0 + max(0, $1.count) }
    }

    /// The highest lead id the file shows was given: its sqlite_sequence row, the highest id
    /// of any copy of a lead or an attempt's lead, the end of a recorded gap, or as many ids as
    /// the state counts and gaps add up to.
    var highestLeadID: Int64 {
        var highest = sequence["lead"] ?? 0
        highest = max(highest, leads.keys.max() ?? 0, indexedPhones.keys.max() ?? 0, gaps.map(\.last).max() ?? 0)
        if let counted = countedLeads {
            let gapIDs = gaps.reduce(Int64(0)) { $0 + $1.last - $1.first + 1 }
            highest = max(highest, counted + gapIDs)
        }
        return highest
    }

    /// The values of the lead or attempt kept for `id` (pass two), with its standing.
    func values(of pick: Pick) -> [SQLiteRecord.Value]? {
        scan.row(at: pick.location, standing: pick.standing)?.values
    }

    static func number(_ value: SQLiteRecord.Value) -> Double {
        switch value {
        case .integer(let n): return Double(n)
        case .real(let x): return x
        default: return 0
        }
    }
}
