import Foundation
import LeadOutbox
import ParamantraAPI
import Synchronization
import TestSupport
import Testing

@testable import LeadTransfer

/// The import's rules without the command line: options read and refused with the way to write
/// them, the columns said, a sheet without a phone column diagnosed, the files for fixing placed.
@Suite("the import's rules")
struct ImportJobTests {
    @Test func optionsAreReadOrRefusedWithTheWayToWriteThem() throws {
        #expect(try ImportJob.overrides(["Cell No=phone", " Name = name "]) == ["Cell No": "phone", "Name": "name"])
        #expect(throws: ImportJob.UsageError.self) { try ImportJob.overrides(["phone"]) }
        #expect(try ImportJob.separator(nil) == nil)
        #expect(try ImportJob.separator("tab") == "\t" && ImportJob.separator(";") == ";")
        do {
            _ = try ImportJob.separator("::")
            Issue.record("a two-character delimiter was taken")
        } catch {
            #expect(error.description == "--delimiter ::: give , ; tab or |")
        }
        #expect(try ImportJob.encoding("windows-1252") != nil && ImportJob.encoding(nil) == nil)
        #expect(throws: ImportJob.UsageError.self) { try ImportJob.encoding("latin-9") }
        try ImportJob.checkHeaderRow(1000)
        #expect(throws: ImportJob.UsageError.self) { try ImportJob.checkHeaderRow(0) }
    }

    @Test func theColumnsAndAMissingPhoneAreSaid() throws {
        let header = ["Customer Name", "Mobile No.", "Remarks"]
        let map = try ColumnMap(header: header)
        #expect(
            ImportJob.columnsLine(map, header: header).hasPrefix(
                "columns: Customer Name → first and last name, Mobile No. → Phone"))
        #expect(ImportJob.missingPhone(map, header: header, file: "a.csv") == nil)
        let noPhone = ["Customer Name", "Visited On"]
        let message = try #require(
            ImportJob.missingPhone(try ColumnMap(header: noPhone), header: noPhone, file: "b.csv"))
        #expect(message.hasPrefix("no column of b.csv is read as the phone; columns: \"Customer Name\" (name)"))
        #expect(message.hasSuffix("name the phone column with --map \"COLUMN=phone\""))
    }

    @Test func theFilesForFixingGoBesideTheSheetOrAreNamedByTheMoment() {
        let folder = URL(fileURLWithPath: "/tmp/imports")
        #expect(
            ImportJob.fixFileBase(sheet: "/data/expo.csv", hasFolder: true, folder: folder).path == "/data/expo.csv")
        let piped = ImportJob.fixFileBase(
            sheet: "-", hasFolder: false, folder: folder, now: Date(timeIntervalSince1970: 0))
        #expect(piped.deletingLastPathComponent().path == "/tmp/imports")
        #expect(piped.lastPathComponent.hasPrefix("import-19") && piped.pathExtension == "csv")
        #expect(
            ImportJob.rerunOptions(mappings: ["Cell=phone"], subject: "Expo", channel: nil, rep: "smith", project: nil)
                == ["--map", "Cell=phone", "--subject", "Expo", "--rep", "smith"])
    }

    /// An import whose leads another process delivers waits for that process's answers, heard
    /// through the outbox's folder, not read again on a clock; and Ctrl-C ends the wait at once.
    @Test func anImportWaitsForAnotherDeliverersAnswersAndCtrlCEndsTheWait() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let lead = try await database.enqueue(validLead("9876512302"))
            let signal = OutboxSignal(database: database.path)
            // Nothing answers yet: Ctrl-C (a stop that rings) ends the wait.
            let (stopped, ended) = (Flag(), Flag())
            Task {
                try await ImportJob.waitForOtherDeliverer(
                    ids: [lead.id], database: database, signal: signal, patience: .seconds(3600),
                    stop: { stopped.isSet }, progress: { _ in })
                ended.set()
            }
            #expect(await !waitUntil(timeout: .milliseconds(300)) { ended.isSet })
            stopped.set()
            signal.ring()
            #expect(await waitUntil(timeout: .seconds(3)) { ended.isSet })  // not the 5 s until a progress line

            let lines = Lines()
            let answered = Task {
                let start = ContinuousClock.now
                try await ImportJob.waitForOtherDeliverer(
                    ids: [lead.id], database: database, signal: signal, patience: .seconds(60), stop: { false },
                    progress: { lines.add($0) })
                return ContinuousClock.now - start
            }
            // Then the other process: another connection to the file settles the lead (held here).
            let other = try LeadDatabase(directory: folder.url)
            _ = try await other.holdQueued(forMissingSettings: "no API key")
            let waited = try await answered.value
            #expect(waited < .seconds(30) && lines.all.isEmpty)
        }
    }

    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    final class Flag: Sendable {
        private let value = Atomic(false)
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }
}
