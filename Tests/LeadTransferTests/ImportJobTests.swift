import Foundation
import LeadOutbox
import ParamantraAPI
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
}
