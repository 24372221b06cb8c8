import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The marker outside the data folder that remembers how many leads it held: grown by every
/// save, checked by every opening, trusted only when no one else could have written it.
@Suite("outbox marker")
struct OutboxMarkerTests {
    /// A data folder and a state folder beside it.
    static func folders(_ folder: TempFolder) -> (data: URL, marker: OutboxMarker) {
        let data = folder.url.appendingPathComponent("data")
        return (data, OutboxMarker(stateDirectory: folder.url.appendingPathComponent("state"), dataDirectory: data))
    }

    @Test func everySaveThatGivesANewIdGrowsTheMarker() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            let database = try LeadDatabase(directory: data, marker: marker)
            _ = try await database.enqueue(validLead("9820000001"))
            _ = try await database.enqueue(batch: [validLead("9820000002"), validLead("9820000003")])
            let record = try #require(try marker.read())
            #expect(record.highestID == 3 && record.leads == 3)
            #expect(record.dataDirectory == OutboxMarker.realPath(data))
            #expect(mode(marker.file.path) == 0o600 && mode(marker.folder.path) == 0o700)
            // An import whose rows are all there already gives no id, and writes nothing.
            let row = [ImportedRow(lead: validLead("9820000004"))]
            _ = try await database.importRows(row)
            _ = try await database.importRows(row)
            #expect(try marker.read()?.highestID == 4)
            #expect(try await database.read { try LeadGaps.unexplained($0) }.isEmpty, "no id used up")
        }
    }

    /// `history` and `export` read through `reading(from:)`: a damaged file is named, with the
    /// way out, before anything is read from it.
    @Test func aDamagedFileReadToListIsNamedWithTheWayOut() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            do {
                let database = try LeadDatabase(directory: data, marker: marker)
                for n in 0..<200 { _ = try await database.enqueue(validLead(String(9_800_000_000 + n))) }
            }
            let path = data.appendingPathComponent("leads.sqlite").path
            // Only the page of AUTOINCREMENT's counter: the schema reads, the first query fails.
            let page = try await DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_sequence'")
            }
            try DamagedDatabase.overwrite(page: try #require(page), of: path)
            do {
                _ = try LeadDatabase.reading(from: data, marker: marker)
                Issue.record("a damaged database was opened to read without an error")
            } catch let error as StoreError {
                guard case .database(let named, _, let failure) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(named == path && failure == .corrupt)
                #expect("\(error)".contains("leadconsole doctor"), "\(error)")
            }
        }
    }

    @Test func aFileHoldingFewerLeadsThanTheFolderGaveIsRefused() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            let database = try LeadDatabase(directory: data, marker: marker)
            _ = try await database.enqueue(batch: (0..<5).map { validLead(String(9_820_000_000 + $0)) })
            let file = data.appendingPathComponent("leads.sqlite").path
            // An older copy put in its place (three leads), then an emptied file.
            try await database.outsideTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            let older = folder.url.appendingPathComponent("older")
            let copy = try LeadDatabase(directory: older)
            _ = try await copy.enqueue(batch: (0..<3).map { validLead(String(9_820_000_000 + $0)) })
            try await copy.outsideTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            for (replacement, says) in [
                (
                    older.appendingPathComponent("leads.sqlite").path,
                    "it holds leads up to #3 only, but held 5 leads (ids up to 5)"
                ),
                (nil, "it is empty or missing, but held 5 leads (ids up to 5)")
            ] {
                _ = try? FileManager.default.removeItem(atPath: file)
                for suffix in ["-wal", "-shm"] { _ = try? FileManager.default.removeItem(atPath: file + suffix) }
                if let replacement {
                    try FileManager.default.copyItem(atPath: replacement, toPath: file)
                } else {
                    FileManager.default.createFile(atPath: file, contents: Data())
                }
                for open in [
                    { _ = try LeadDatabase(directory: data, marker: marker) },
                    { _ = try LeadDatabase.reading(from: data, marker: marker) }
                ] {
                    do {
                        try open()
                        Issue.record("\(says): opened")
                    } catch let error as StoreError {
                        guard case .database(let path, let why, .missingLeads) = error else {
                            Issue.record("\(error)")
                            continue
                        }
                        #expect(path == file && why.hasPrefix(says), "\(why)")
                        #expect(ExitStatus.of(error) == ExitStatus.cannotCreate)
                        #expect(error.description.contains("leadconsole doctor --accept-loss"))
                    }
                }
                // Refused before SQLite made anything of it: an emptied file stays empty.
                if replacement == nil {
                    #expect(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int == 0)
                }
            }
        }
    }

    @Test func aMarkerAnotherUserCouldHaveWrittenIsRefusedAndOneForAnotherFolderIgnored() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            let database = try LeadDatabase(directory: data, marker: marker)
            _ = try await database.enqueue(validLead())
            // A marker file others can write.
            chmod(marker.file.path, 0o666)
            #expect(throws: StoreError.self) { try marker.read() }
            chmod(marker.file.path, 0o600)
            // A state folder others can write: refused before the database is opened.
            chmod(marker.folder.path, 0o777)
            do {
                _ = try LeadDatabase(directory: data, marker: marker)
                Issue.record("opened with a state folder open to all")
            } catch let error as StoreError {
                guard case .untrusted(let problem) = error else { throw error }
                #expect(problem.path == marker.folder.path && problem.fix == "chmod 700 \(marker.folder.path)")
                #expect(ExitStatus.of(error) == ExitStatus.configuration)
            }
            chmod(marker.folder.path, 0o700)
            // A record naming another folder (two paths, one file name) says nothing about this one.
            var record = try #require(try marker.read())
            record.dataDirectory = "/elsewhere"
            record.highestID = 1_000
            try marker.write(record)
            #expect(try marker.read() == nil)
            _ = try LeadDatabase(directory: data, marker: marker)
        }
    }

    @Test func aSymbolicLinkInPlaceOfTheMarkerIsNeitherReadNorWrittenThrough() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            let elsewhere = folder.url.appendingPathComponent("elsewhere.json").path
            FileManager.default.createFile(atPath: elsewhere, contents: Data("untouched".utf8))
            try FileManager.default.createDirectory(at: marker.folder, withIntermediateDirectories: true)
            chmod(marker.folder.path, 0o700)
            try FileManager.default.createSymbolicLink(atPath: marker.file.path, withDestinationPath: elsewhere)
            #expect(try marker.read() == nil)
            let database = try LeadDatabase(directory: data, marker: marker)
            _ = try await database.enqueue(validLead())
            #expect(try marker.read()?.highestID == 1)
            #expect(String(decoding: FileManager.default.contents(atPath: elsewhere)!, as: UTF8.self) == "untouched")
        }
    }

    /// A folder used before markers existed gets one when it is first opened to write.
    @Test func anOlderFolderGetsItsMarkerAtItsFirstOpening() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            let old = try LeadDatabase(directory: data)
            _ = try await old.enqueue(batch: (0..<4).map { validLead(String(9_820_000_000 + $0)) })
            #expect(try marker.read() == nil)
            _ = try LeadDatabase(directory: data, marker: marker)
            #expect(try marker.read()?.highestID == 4)
        }
    }

    /// A sound file holding fewer leads than the folder gave: doctor says which are missing and
    /// changes nothing; with the loss accepted, the ids are recorded and never given again.
    @Test func doctorOnAnOlderCopyNamesWhatItLacksAndAcceptsTheLossOnlyWhenAsked() async throws {
        try await TempFolder.with { folder in
            let (data, marker) = Self.folders(folder)
            let database = try LeadDatabase(directory: data, marker: marker)
            _ = try await database.enqueue(batch: (0..<3).map { validLead(String(9_820_000_000 + $0)) })
            try marker.write(
                OutboxMarker.Record(dataDirectory: marker.dataDirectory, highestID: 7, leads: 7, at: Date()))
            let report = try await DatabaseDoctor.run(directory: data, marker: marker)
            #expect(report.verdict == .sound && report.missing == [4...7] && !report.isComplete)
            #expect(report.saved[.queued] == 3 && report.movedTo == nil)
            #expect(throws: StoreError.self) { _ = try LeadDatabase(directory: data, marker: marker) }

            let accepted = try await DatabaseDoctor.run(directory: data, marker: marker, acceptLoss: true)
            #expect(accepted.verdict == .lossAccepted && accepted.missing == [4...7] && !accepted.isComplete)
            let reopened = try LeadDatabase(directory: data, marker: marker)
            #expect(try await reopened.enqueue(validLead("9820000009")).id == 8)
            let again = try await DatabaseDoctor.run(directory: data, marker: marker)
            #expect(again.verdict == .sound && again.isComplete && again.accountedFor == 4)
        }
    }
}
