import Foundation
import LeadOutbox
import ParamantraAPI

/// Values the rep used before for Subject, Channel, Rep and Project, most recent first, kept in
/// memory: read once from the newest leads at start, then each lead written puts its own values
/// first. Completing a field costs a scan of at most `limit` short strings, never the database.
public struct Suggestions: Sendable, Equatable {
    public static let fields: [LeadField] = [.subject, .channel, .rep, .project]
    static let limit = 50

    public private(set) var values: [LeadField: [String]] = [:]

    public init(values: [LeadField: [String]] = [:]) {
        for (field, list) in values where Self.fields.contains(field) {
            self.values[field] = Array(Self.distinct(list).prefix(Self.limit))
        }
    }

    /// A lead was written: its values are the most recent now.
    mutating func note(_ lead: Lead) {
        for field in Self.fields where !lead[field].isEmpty {
            values[field] = Array(Self.distinct([lead[field]] + (values[field] ?? [])).prefix(Self.limit))
        }
    }

    /// What `typed` completes to: the most recent value that starts with it (any case) and is
    /// longer; nil when none, or when nothing is typed.
    public func completion(_ field: LeadField, typed: String) -> String? {
        guard !typed.isEmpty, let list = values[field] else { return nil }
        let lower = typed.lowercased()
        return list.first { $0.count > typed.count && $0.lowercased().hasPrefix(lower) }
    }

    static func distinct(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
