import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

@Suite("History queries")
struct HistoryQueryTests {
    /// 30 leads: phones 9000000000-29, every third accepted, names with awkward characters.
    func seeded(_ folder: TempFolder) async throws -> LeadDatabase {
        let database = try LeadDatabase(directory: folder.url)
        for n in 0..<30 {
            let name = n == 7 ? "100%_Sure" : n == 8 ? "O\"Brien" : n == 9 ? "नमस्ते" : "Lead\(n)"
            let lead = try await database.enqueue(
                validLead(String(9_000_000_000 + n), first: name, email: "p\(n)@example.in"))
            if n % 3 == 0 {
                try await database.record(report(.accepted(crmID: "\(n)")), for: lead.id, policy: .standard)
            }
        }
        return database
    }

    @Test func aNumberIsFoundHoweverItIsSpelt() async throws {
        try await TempFolder.with { folder in
            let database = try await seeded(folder)
            let typed = try await database.enqueue(validLead("98200 11111", first: "Typed"))
            for spelling in [
                "9820011111", "98200 11111", "+91 98200 11111", "+919820011111", "09820011111", "0091 98200 11111",
                "919820011111", "98200-11111", "(98200) 11111", "98200", "+91 98200"
            ] {
                let found = try await database.history(HistoryQuery(search: spelling, limit: 50))
                #expect(found.map(\.id) == [typed.id], "\(spelling): \(found.map(\.phone))")
            }
            // A shorter run of digits anywhere in the number (the last five the customer reads out).
            #expect(try await database.history(HistoryQuery(search: "11111", limit: 50)).map(\.id) == [typed.id])
            // Letters: not a number, the ordinary search.
            #expect(try await database.history(HistoryQuery(search: "typed", limit: 50)).map(\.id) == [typed.id])
        }
    }

    @Test func phoneSearchNormalisesOnlyNumbers() {
        #expect(PhoneSearch.digits(of: "+91 98200 11111") == "9820011111")
        #expect(PhoneSearch.digits(of: "0091-98200-11111") == "9820011111")
        #expect(PhoneSearch.digits(of: "09820011111") == "9820011111")
        #expect(PhoneSearch.digits(of: "9198765432") == "9198765432")  // ten digits starting 91: a number, kept
        #expect(PhoneSearch.digits(of: "123") == nil)
        #expect(PhoneSearch.digits(of: "rao 9820") == nil)
    }

    @Test func newestFirstPagedByKey() async throws {
        try await TempFolder.with { folder in
            let database = try await seeded(folder)
            var seen: [Int64] = []
            var before: Int64?
            while true {
                let page = try await database.history(HistoryQuery(before: before, limit: 7))
                if page.isEmpty { break }
                seen += page.map(\.id)
                before = page.last?.id
            }
            #expect(seen == Array((1...30).reversed()))
        }
    }

    @Test func pagesReadUpwardAndFromTheOldEndComeNewestFirst() async throws {
        try await TempFolder.with { folder in
            let database = try await seeded(folder)
            // Scrolling up from lead 10: the seven just above it, in display order.
            #expect(
                try await database.history(HistoryQuery(after: 10, limit: 7)).map(\.id) == Array((11...17).reversed()))
            // End: the oldest page, still newest first.
            #expect(try await database.history(HistoryQuery(oldestFirst: true, limit: 5)).map(\.id) == [5, 4, 3, 2, 1])
            // Upward under a filter keeps the filter.
            let accepted = try await database.history(HistoryQuery(state: .accepted, after: 10, limit: 3))
            #expect(accepted.map(\.id) == [19, 16, 13])
        }
    }

    @Test func filterByState() async throws {
        try await TempFolder.with { folder in
            let database = try await seeded(folder)
            let accepted = try await database.history(HistoryQuery(state: .accepted, limit: 100))
            #expect(accepted.count == 10 && accepted.allSatisfy { $0.state == .accepted })
            #expect(accepted.map(\.id) == accepted.map(\.id).sorted(by: >))
            let counts = try await database.counts()
            #expect(counts[.accepted] == 10 && counts[.queued] == 20 && counts[.held] == 0)
            // The counters kept by triggers agree with a real count after every kind of change.
            _ = try await database.claimNextDue()
            try await database.record(report(.unauthorized(message: "no")), for: 2, policy: .standard)
            try await database.record(report(.rejected(status: 402, message: "no")), for: 3, policy: .standard)
            let kept = try await database.counts()
            let real = try await database.read { db in
                Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(
                        db, sql: "SELECT state, COUNT(*) AS n FROM lead GROUP BY state"
                    )
                    .map { (LeadState(rawValue: $0["state"])!, $0["n"] as Int) })
            }
            for state in LeadState.allCases { #expect(kept[state] == real[state, default: 0], "\(state)") }
            // The 18 queued behind the refused lead are held with it.
            #expect(kept[.held] == 19 && kept[.rejected] == 1 && kept[.queued] == 0)
        }
    }

    @Test(
        "search by name, phone or email",
        arguments: [
            ("lead1", 11),  // Lead1, Lead10-19
            ("LEAD2", 11),  // case does not matter
            ("9000000025", 1),
            ("00000002", 11),  // inside the phone: ...02 and ...20-29
            ("p29@", 1),
            ("100%_", 1),  // % and _ are text, not wildcards
            ("o\"b", 1),  // quotes are text
            ("नमस", 1),
            ("%", 1),  // short queries scan, still literal
            ("zz", 0),
            ("nobody", 0)
        ])
    func search(query: String, expected: Int) async throws {
        try await TempFolder.with { folder in
            let database = try await seeded(folder)
            let found = try await database.history(HistoryQuery(search: query, limit: 100))
            #expect(found.count == expected, "\(found.map(\.lead.firstName))")
        }
    }

    @Test func searchCombinesWithStateAndPaging() async throws {
        try await TempFolder.with { folder in
            let database = try await seeded(folder)
            let page = try await database.history(HistoryQuery(state: .accepted, search: "lead", before: 20, limit: 3))
            #expect(page.map(\.id) == [19, 16, 13])
        }
    }
}
