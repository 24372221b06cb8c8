import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The salvage's reader of SQLite's file format, held against files SQLite itself wrote.
@Suite("salvage reader")
struct SalvageReaderTests {
    @Test func varintsReadAsTheFileFormatDefinesThem() {
        func read(_ bytes: [UInt8]) -> Int64? {
            var offset = 0
            return SQLiteRecord.varint(bytes, &offset)
        }
        #expect(read([0x05]) == 5)
        #expect(read([0x81, 0x00]) == 128)
        #expect(read([0xFF, 0x7F]) == 16383)
        // Nine bytes: the last one whole.
        #expect(read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == -1)
        #expect(read([0x81]) == nil)
    }

    @Test func aRecordKeepsTheTextBeforeALostPageAndNothingAfter() throws {
        // Header: size 4, then NULL, integer (1 byte), text of 10 bytes ((10*2)+13 = 33).
        let payload: [UInt8] = [4, 0, 1, 33, 7] + Array("Sunil Rao!".utf8)
        let whole = try #require(SQLiteRecord.values(payload, payloadSize: payload.count, intactUpTo: payload.count))
        #expect(whole == [.null, .integer(7), .text("Sunil Rao!")])
        let cut = try #require(SQLiteRecord.values(payload, payloadSize: payload.count, intactUpTo: 10))
        #expect(cut == [.null, .integer(7), .cut("Sunil")])
        // A header that claims more bytes than the payload has is not a record.
        #expect(SQLiteRecord.values(payload, payloadSize: payload.count + 1, intactUpTo: payload.count) == nil)
    }

    @Test func textThatIsNotTextIsFoundWhereItStarts() {
        let good = Array("नमस्ते".utf8)
        #expect(SQLiteRecord.firstBadByte(good[...]) == nil)
        // A multi-byte character cut by the slice's end may go on on the next page.
        #expect(SQLiteRecord.firstBadByte(good[0..<4]) == nil)
        #expect(SQLiteRecord.firstBadByte((Array("ab".utf8) + [0, 0x41])[...]) == 2)
        #expect(SQLiteRecord.firstBadByte((Array("abc".utf8) + [0xFF])[...]) == 3)
    }

    @Test func idRangesSubtractAndPrint() {
        let all: [ClosedRange<Int64>] = [1...200]
        let missing = IDRanges.subtract(all, IDRanges.of(Array(1...30) + Array(45...186) + Array(188...200)))
        #expect(missing == [31...44, 187...187])
        #expect(IDRanges.text(missing) == "31-44, 187")
        #expect(IDRanges.count(missing) == 15)
        #expect(IDRanges.subtract([1...10], [1...10]).isEmpty)
    }

    /// A WAL SQLite wrote is read frame for frame; a frame whose bytes changed fails its own
    /// checksum, and the frames after it are still proven (SQLite would stop reading there).
    @Test func walFramesAreCheckedOneByOne() async throws {
        try await TempFolder.with { folder in
            let path = folder.url.appendingPathComponent("w.sqlite").path
            var configuration = Configuration()
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try await pool.write { db in try db.execute(sql: "CREATE TABLE t (x TEXT)") }
            for n in 0..<5 {
                try await pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: ["row \(n)"]) }
            }
            // Copied while open: SQLite checkpoints and deletes the WAL when the last connection closes.
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: path + ".copy-wal")
            let wal = try #require(WALFile(path: path + ".copy-wal"))
            #expect(wal.frames.count >= 6)
            #expect(wal.frames.allSatisfy { $0.isIntact && $0.isCommitted })
            // One byte of the third frame's page changed.
            let handle = try #require(FileHandle(forUpdatingAtPath: path + ".copy-wal"))
            try handle.seek(toOffset: UInt64(wal.frames[2].dataOffset + 100))
            try handle.write(contentsOf: Data([0x5A]))
            try handle.close()
            let damaged = try #require(WALFile(path: path + ".copy-wal"))
            #expect(damaged.frames.map(\.isIntact) == wal.frames.indices.map { $0 != 2 })
            #expect(damaged.frames.last!.isCommitted)
        }
    }

    /// Every row SQLite reads from a file of ours, the page reader reads too, by its shape.
    @Test func thePageReaderFindsEveryLeadSQLiteReads() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let notes = String(repeating: "नमस्ते, a 3BHK near the station. ", count: 120)
            var leads: [ValidLead] = []
            for n in 0..<120 {
                var lead = validLead(String(9_820_000_000 + n), first: "Lead\(n)").lead
                if n % 10 == 0 { lead.notes = String(notes.prefix(4_000)) }
                leads.append(try lead.validated().get())
            }
            let ids = try await database.enqueue(batch: leads)
            let salvage = OutboxSalvage(path: database.path)
            #expect(Set(salvage.leads.keys) == Set(ids))
            #expect(salvage.highestLeadID == ids.max())
            #expect(salvage.leads.values.allSatisfy { $0.standing == .reached && !$0.isCut })
            // The phone index holds every lead's phone.
            #expect(salvage.indexedPhones[ids[7]] == "9820000007")
            let long = try #require(salvage.leads[ids[10]])
            let values = try #require(salvage.values(of: long))
            #expect(values[10] == .text(try await database.lead(id: ids[10]).lead.notes))
            #expect(
                try await database.lead(id: ids[10]).lead.notes.utf8.count > 4_100, "long enough to overflow its page")
        }
    }
}
