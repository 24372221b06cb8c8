import Foundation
import GRDB
import ParamantraAPI

/// What the history pane and `leadconsole history` ask for: newest first, paged by key.
public struct HistoryQuery: Sendable, Hashable {
    public var state: LeadState?
    /// Matches name, phone or email anywhere (three characters or more use the trigram index).
    public var search: String?
    /// Only leads older than this id (the last id of the previous page).
    public var before: Int64?
    /// Only leads newer than this id: the page just above one already shown (scrolling up).
    public var after: Int64?
    /// The oldest page instead of the newest (End in the history screen).
    public var oldestFirst: Bool
    public var limit: Int

    public init(
        state: LeadState? = nil, search: String? = nil, before: Int64? = nil, after: Int64? = nil,
        oldestFirst: Bool = false, limit: Int = 50
    ) {
        self.state = state
        self.search = search
        self.before = before
        self.after = after
        self.oldestFirst = oldestFirst
        self.limit = limit
    }

    /// Pages that start from the old end are read in ascending id order (then reversed).
    var readsAscending: Bool { after != nil || oldestFirst }
}

extension LeadDatabase {
    /// One page, newest first. Keyset paging (`id < before`, `id > after`), never OFFSET, so
    /// page 1,000 costs what page 1 does, in either direction.
    public func history(_ query: HistoryQuery) async throws -> [StoredLead] {
        try await read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let state = query.state {
                conditions.append("state = ?")
                arguments.append(state.rawValue)
            }
            if let before = query.before {
                conditions.append("id < ?")
                arguments.append(before)
            }
            if let after = query.after {
                conditions.append("id > ?")
                arguments.append(after)
            }
            if let search = query.search?.trimmingSpace(newlines: false).lowercased(), !search.isEmpty {
                if let digits = PhoneSearch.digits(of: search) {
                    // A number, however it was spelt: its normalised digits as a prefix of the
                    // stored ten (the phone index); a shorter one anywhere in the number too.
                    let prefix = "phone >= ? AND phone < ?"
                    if digits.count >= 10 {
                        conditions.append(prefix)
                        arguments += [digits, digits + ":"]
                    } else {
                        conditions.append(
                            "(\(prefix) OR id IN (SELECT rowid FROM lead_search WHERE lead_search MATCH ?))")
                        arguments += [digits, digits + ":", "\"" + digits + "\""]
                    }
                } else if search.count >= 3 {
                    conditions.append("id IN (SELECT rowid FROM lead_search WHERE lead_search MATCH ?)")
                    // A phrase query: the text is matched as typed, quotes doubled.
                    arguments.append("\"" + search.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                } else {
                    conditions.append("search_text LIKE ? ESCAPE '\\'")
                    let escaped = search.replacingOccurrences(of: "\\", with: "\\\\")
                        .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                    arguments.append("%" + escaped + "%")
                }
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(max(1, min(query.limit, 10_000)))
            let order = query.readsAscending ? "ASC" : "DESC"
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(StoredLead.columns) FROM lead \(whereClause) ORDER BY id \(order) LIMIT ?",
                arguments: StatementArguments(arguments)
            ).map(StoredLead.init(row:))
            return query.readsAscending ? rows.reversed() : rows
        }
    }

    /// Subject, Channel, Rep and Project as used in the newest `scanning` leads, most recent
    /// first (an id-ordered read of a bounded page: the same cost at a million leads).
    public func recentValues(scanning: Int = 2_000) async throws -> [LeadField: [String]] {
        try await read { db in
            var values: [LeadField: [String]] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT subject, channel, rep, project FROM lead ORDER BY id DESC LIMIT ?",
                arguments: [scanning])
            while let row = try rows.next() {
                for (index, field) in [LeadField.subject, .channel, .rep, .project].enumerated() {
                    let value: String = row[index]
                    if !value.isEmpty { values[field, default: []].append(value) }
                }
            }
            return values
        }
    }

    /// How many leads are in each state (every state present, zero when none).
    public func counts() async throws -> [LeadState: Int] {
        try await read { db in
            var counts = Dictionary(uniqueKeysWithValues: LeadState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, n FROM state_count") {
                if let state = LeadState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }
}

/// A search that is a phone number as people write it: `98200 11111`, `+91 98200 11111`,
/// `0091-98200-11111`, `09820011111`, `(982) 001-1111`.
public enum PhoneSearch {
    /// The digits to look for, country and trunk prefixes removed; nil when `text` is not a
    /// number (letters in it) or has fewer than four digits.
    public static func digits(of text: String) -> String? {
        let allowed = Set("0123456789 +-().")
        guard text.allSatisfy({ allowed.contains($0) }) else { return nil }
        var digits = text.filter(\.isNumber)
        guard digits.count >= 4 else { return nil }
        let trimmed = text.trimmingSpace(newlines: false)
        if digits.hasPrefix("0091") && digits.count > 4 {
            digits.removeFirst(4)
        } else if trimmed.hasPrefix("+91") || (digits.hasPrefix("91") && digits.count == 12) {
            digits.removeFirst(2)
        } else if digits.hasPrefix("0") && digits.count == 11 {
            digits.removeFirst(1)
        }
        return digits.count >= 4 ? digits : nil
    }
}
