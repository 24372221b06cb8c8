import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import LeadTransfer

/// Files as spreadsheets write them, read with the CSV library and the column rules, and queued
/// into a real SQLite outbox.
@Suite("CSV import and export")
struct CSVImportTests {
    /// A temp folder with `text` written as leads.csv (bytes exactly as given).
    static func file(_ bytes: [UInt8]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transfer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("leads.csv")
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ text: String, bom: Bool = false) throws -> URL {
        try file((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
    }

    static let defaults = Lead(project: "", subject: "Expo", channel: "Walk-in", rep: "smith")

    func rows(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let file = try CSVLeadFile(url: url)
        var rows: [[String]] = []
        while let row = try file.next() { rows.append(row) }
        return (file.header, rows)
    }

    /// A title and an empty row above the header are skipped: the header is the row naming the
    /// most known columns among the first 20; `--header-row` overrides; the rows keep the
    /// sheet's own numbers.
    @Test func aTitleAboveTheHeaderIsSkipped() throws {
        let url = try Self.file(
            "Expo sign-ups 3 Dec\n\nName,Mobile No.,Comments\nAsha,9820012345,2BHK\nRavi,9820012346,\n", bom: true)
        let file = try CSVLeadFile(url: url)
        #expect(file.header == ["Name", "Mobile No.", "Comments"])
        #expect(file.reading.contains("header: row 3"), "\(file.reading)")
        #expect(try file.next() == ["Asha", "9820012345", "2BHK"] && file.rowNumber == 4)
        #expect(try file.next() == ["Ravi", "9820012346", ""] && file.rowNumber == 5)
        #expect(try file.next() == nil)
        // Given: that row is the header, whatever it says.
        let given = try CSVLeadFile(url: url, headerRow: 1)
        #expect(given.header == ["Expo sign-ups 3 Dec"] && !given.reading.contains { $0.hasPrefix("header") })
        #expect(throws: ImportError.self) { try CSVLeadFile(url: url, headerRow: 2) }
        // A plain file is read as before.
        let plain = try CSVLeadFile(url: try Self.file("Phone,Name\n9820012345,Asha\n"))
        #expect(plain.header == ["Phone", "Name"] && plain.reading.isEmpty && plain.rowNumber == 1)
    }

    @Test func theHeaderIsTheRowNamingTheMostKnownColumns() {
        func rows(_ cells: [[String]]) -> [HeaderChoice.Row] {
            cells.enumerated().map { HeaderChoice.Row(number: $0.offset + 1, cells: $0.element) }
        }
        // A title naming one known word ("Name") loses to the row naming three.
        #expect(HeaderChoice.index(in: rows([["Name of the event"], [], ["Name", "Phone", "Email"]]), wanted: nil) == 2)
        // Ties go to the earliest; nothing known keeps the first row with anything in it.
        #expect(HeaderChoice.index(in: rows([[], ["Phone"], ["Mobile"]]), wanted: nil) == 1)
        #expect(HeaderChoice.index(in: rows([[""], ["A", "B"], ["C"]]), wanted: nil) == 1)
        #expect(HeaderChoice.index(in: rows([]), wanted: nil) == nil)
        // A field named twice counts once: a data row of two phones is not a header.
        #expect(HeaderChoice.score(["Phone", "Mobile", "Cell"]) == 1)
        #expect(HeaderChoice.index(in: rows([["Title"], ["Name", "Phone"]]), wanted: 1) == 0)
    }

    @Test func awkwardSpreadsheetCSVIsReadAsRecords() throws {
        // A BOM, CRLF, a quoted comma, a doubled quote, a line break inside quotes, a blank line,
        // a short row, Devanagari.
        let url = try Self.file(
            "Name,Mobile No,Comments\r\n\"Rao, Asha\",98765 43210,\"wants \"\"2BHK\"\"\r\nnear station\"\r\n\r\nनमस्ते शर्मा,9822012345\r\n",
            bom: true)
        let (header, rows) = try rows(url)
        #expect(header == ["Name", "Mobile No", "Comments"])
        #expect(rows[0] == ["Rao, Asha", "98765 43210", "wants \"2BHK\"\r\nnear station"])
        #expect(RowReader.isBlank(rows[1]))
        #expect(rows[2] == ["नमस्ते शर्मा", "9822012345"])
        #expect(rows.count == 3)
    }

    @Test func theLastRowIsReadWhenTheFileDoesNotEndInALineBreak() throws {
        // Google Sheets and hand-made files end without one; CSV.swift dropped that row with a
        // read error. UTF-8, Windows-1252 and UTF-16 alike.
        let utf8 = try rows(try Self.file("Name,Phone\nAsha,9820012345\nRavi,9820012346"))
        #expect(utf8.rows == [["Asha", "9820012345"], ["Ravi", "9820012346"]])
        let latin = try rows(try Self.file(Array("Name;Phone\nJos".utf8) + [0xE9] + Array(";9820012345".utf8)))
        #expect(latin.rows == [["José", "9820012345"]])
        let utf16 = try rows(
            try Self.file([0xFF, 0xFE] + "Name\tPhone\nZoë\t1".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        #expect(utf16.header == ["Name", "Phone"] && utf16.rows == [["Zoë", "1"]])
    }

    @Test func headersMapByCommonNamesAndByMap() throws {
        let map = try ColumnMap(header: [
            "First Name", "SURNAME", "Contact Number", "E-Mail", "Lead Source", "Remarks", "Colour"
        ])
        #expect(
            map.targets == [
                0: .field(.firstName), 1: .field(.lastName), 2: .field(.phone), 3: .field(.email), 4: .field(.channel),
                5: .field(.notes)
            ])
        #expect(map.unused == ["Colour"])
        let mapped = try ColumnMap(header: ["Cell", "Who"], overrides: ["Cell": "phone", "who": "name"])
        #expect(mapped.targets == [0: .field(.phone), 1: .fullName])
        #expect(throws: ImportError.self) { try ColumnMap(header: ["Cell"], overrides: ["Mobile": "phone"]) }
        #expect(throws: ImportError.self) { try ColumnMap(header: ["Cell"], overrides: ["Cell": "fax"]) }
    }

    @Test func rowsBecomeLeadsWithDefaultsAndCleanText() throws {
        let map = try ColumnMap(header: ["name", "phone", "channel", "notes"])
        let reader = RowReader(map: map, defaults: Self.defaults)
        let lead = reader.lead(from: ["  Asha  Rao Kumar ", "98765 43210", "", "line one\nline \u{1B}[31mtwo"])
        #expect(lead.firstName == "Asha" && lead.lastName == "Rao Kumar")
        // Empty or unmapped: the defaults.
        #expect(lead.channel == "Walk-in" && lead.subject == "Expo" && lead.rep == "smith")
        #expect(lead.notes == "line one\nline two")
        #expect(reader.lead(from: ["Ravi"]).phone.isEmpty)  // a short row is a row with empty cells
    }

    @Test func theImporterQueuesValidRowsOnceAndWritesTheRejected() async throws {
        let url = try Self.file(
            "first name,last name,phone,email\nAsha,Rao,9876543210,asha@example.in\nRavi,K,123,\nAsha,Rao,9876543210,asha@example.in\nMeera,Iyer,+91 98999 88877,meera@example\n"
        )
        let folder = url.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try LeadDatabase(directory: folder.appendingPathComponent("data"))
        let importer = LeadImporter(
            reader: RowReader(
                map: try ColumnMap(header: ["first name", "last name", "phone", "email"]), defaults: Self.defaults))
        let rejected = folder.appendingPathComponent("leads.rejected.csv")
        var problems: [LeadImporter.Problem] = []
        let summary = try await importer.run(
            file: try CSVLeadFile(url: url), database: database, rejectedFile: rejected,
            problem: { problems.append($0) })
        #expect(summary.rows == 4 && summary.invalid == 2 && summary.queued == 1 && summary.alreadyImported == 1)
        #expect(problems.map(\.place) == ["row 3", "row 5"])
        let rejectedText = try String(contentsOf: rejected, encoding: .utf8)
        #expect(
            rejectedText.hasPrefix(
                "first name,last name,phone,email,problem,lead_id\r\nRavi,K,123,,Phone must have ten digits")
        )
        // A row that never became a lead has no lead_id: the file imports as new rows.
        #expect(rejectedText.components(separatedBy: "\r\n")[1].hasSuffix(","), "\(rejectedText)")
        #expect(rejectedText.contains("Meera,Iyer,+91 98999 88877,meera@example,Email"))  // kept as typed, for fixing
        var info = stat()
        stat(rejected.path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        // The same file again: nothing new.
        let again = try await importer.run(
            file: try CSVLeadFile(url: url), database: database, rejectedFile: nil, problem: { _ in })
        #expect(again.queued == 0 && again.alreadyImported == 2)
        #expect(try await database.counts().values.reduce(0, +) == 1)
    }

    /// The columns of a file to fix: the sheet's own, then problem and lead_id, never twice.
    @Test func aFileToFixKeepsTheSheetsColumnsAndAddsOursOnce() {
        let columns = FixColumns(sheetHeader: ["Nom", "Téléphone"])
        #expect(columns.header == ["Nom", "Téléphone", "problem", "lead_id"])
        let id = UUID()
        #expect(columns.row(["Dubois"], problem: "why", leadID: id) == ["Dubois", "", "why", id.uuidString])
        // A stray cell past the header is kept, after ours.
        #expect(columns.row(["Dubois", "98", "x"], problem: "why", leadID: nil) == ["Dubois", "98", "why", "", "x"])
        // Our own file again: its problem and lead_id are filled where they are.
        let again = FixColumns(sheetHeader: ["Nom", "Problem", "Lead ID", "Téléphone"])
        #expect(again.header == ["Nom", "Problem", "Lead ID", "Téléphone"])
        #expect(
            again.row(["Dubois", "old", "kept", "98"], problem: "new", leadID: nil) == ["Dubois", "new", "kept", "98"])
    }

    /// The file to fix is written as its sheet was: the delimiter, and the encoding with its mark
    /// (Windows-1252 as UTF-8 with a mark, which keeps every accent).
    @Test func aFileToFixIsWrittenInItsSheetsFormat() throws {
        func written(_ format: CSVOut.Format) throws -> [UInt8] {
            let stream = OutputStream.toMemory()
            let out = try CSVOut(stream: stream, format: format)
            try out.write(["Prénom", "a;b"], neutralize: false)
            out.finish()
            return Array(stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
        }
        #expect(try written(.plain) == Array("Prénom,a;b\r\n".utf8))
        #expect(
            try written(CSVOut.Format(delimiter: ";", encoding: .windows1252))
                == [0xEF, 0xBB, 0xBF] + Array("Prénom;\"a;b\"\r\n".utf8))
        #expect(
            try written(CSVOut.Format(delimiter: "\t", encoding: .utf16LE))
                == [0xFF, 0xFE] + Array("Prénom\ta;b\r\n".data(using: .utf16LittleEndian)!))
        #expect(
            try written(CSVOut.Format(delimiter: ",", encoding: .utf16BE))
                == [0xFE, 0xFF] + Array("Prénom,a;b\r\n".data(using: .utf16BigEndian)!))
    }

    @Test func aSheetWithoutAPhoneColumnQueuesNothingAndSaysWhy() async throws {
        let url = try Self.file("Name,E-mail\nAsha Rao,asha@example.in\nRavi,ravi@example.in\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let map = try ColumnMap(header: ["Name", "E-mail"])
        #expect(!map.fills(.phone) && map.fills(.firstName) && map.fills(.lastName))
        let importer = LeadImporter(reader: RowReader(map: map, defaults: Self.defaults))
        var problems: [LeadImporter.Problem] = []
        let summary = try await importer.run(
            file: try CSVLeadFile(url: url), database: nil, rejectedFile: nil, problem: { problems.append($0) })
        #expect(summary.invalid == 2 && problems.map(\.message) == ["Phone is required", "Phone is required"])
    }

    @Test func aDryRunQueuesNothing() async throws {
        let url = try Self.file("phone\n9876543210\nabc\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let importer = LeadImporter(reader: RowReader(map: try ColumnMap(header: ["phone"]), defaults: Self.defaults))
        let summary = try await importer.run(
            file: try CSVLeadFile(url: url), database: nil, rejectedFile: nil, problem: { _ in })
        #expect(summary.rows == 2 && summary.invalid == 1 && summary.queued == 0)
    }

    @Test func aFileWithoutAHeaderOrThatIsMissingIsAClearError() throws {
        #expect(throws: ImportError.self) { try CSVLeadFile(url: URL(fileURLWithPath: "/nonexistent/leads.csv")) }
        let empty = try Self.file("")
        #expect(throws: ImportError.self) { try CSVLeadFile(url: empty) }
    }

    @Test func exportedCellsCannotRunAsFormulas() {
        #expect(CSVOut.neutralized("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        for cell in ["+91 98", "-2+3", "@SUM(A1)", "\tx", "\rx"] { #expect(CSVOut.neutralized(cell).hasPrefix("'")) }
        for cell in ["9876543210", "Asha", "", "a=b"] { #expect(CSVOut.neutralized(cell) == cell) }
    }

    @Test func theSummarySaysWhetherEveryValidRowReachedTheCRM() {
        var summary = ImportSummary()
        summary.states = [.accepted: 8, .duplicate: 2]
        #expect(summary.exitStatus == 0)
        summary.states[.rejected] = 1
        #expect(summary.exitStatus == 1)
        summary.states[.queued] = 1
        #expect(summary.exitStatus == 75)
        summary.states[.held] = 1
        #expect(summary.exitStatus == 77)
        #expect(
            summary.lines.last
                == "next, still queued: leadconsole retry (or they go out with the next import or console start)")
    }

    @Test func progressSaysDoneRateAndETA() {
        #expect(
            ImportProgress.bar(done: 50, total: 100, failures: 2, elapsed: 10, width: 10)
                == "[#####.....] 50/100  5/s  ETA 10s  failures 2")
        #expect(
            ImportProgress.line(done: 50, total: 100, failures: 2, elapsed: 10)
                == "delivered 50/100, 5 leads/s, failures 2")
    }
}

@Suite("import summary")
struct ImportSummaryTests {
    @Test func rowsOfAnEarlierImportCountAndNameTheCommandThatSendsThem() {
        var summary = ImportSummary()
        summary.rows = 20
        summary.alreadyImported = 20
        summary.earlierStates = [.rejected: 20]
        #expect(summary.exitStatus == 1)
        #expect(summary.lines.contains { $0.contains("rejected by the CRM: 20") })
        #expect(summary.lines.contains { $0.contains("leadconsole retry --rejected") })
        summary.earlierStates = [.held: 12, .queued: 8]
        summary.hold = .endpoint
        #expect(summary.exitStatus == 78)
        #expect(summary.lines.contains { $0.contains("held (check the endpoint URL): 12") })
        #expect(summary.lines.contains { $0.contains("leadconsole config set endpoint URL") })
        summary.earlierStates = [.accepted: 20]
        #expect(summary.exitStatus == 0)
    }
}
