import Foundation
import LeadOutbox
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadTransfer

/// Excel workbooks written by openpyxl (as Google Sheets and LibreOffice write them: inline
/// text) and by hand with Python's zipfile (as Excel writes them: shared text, rich text, a
/// namespace prefix, cells without references), read as sheets.
@Suite("xlsx import")
struct WorkbookImportTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func rows(_ sheet: any LeadSheet) throws -> [[String]] {
        var rows: [[String]] = []
        while let row = try sheet.next() { rows.append(row) }
        return rows
    }

    /// The package parts Excel writes, with `sheet` as the first sheet's XML and `shared` as
    /// the shared strings part.
    static func excelStyle(sheet: String, shared: String, date1904: Bool = false) -> String {
        """
        z = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="\(date1904 ? 1 : 0)"/><x:sheets><x:sheet name="Walk-ins" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>')
        z.writestr("xl/styles.xml", '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="3"/></cellXfs></styleSheet>')
        z.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\(shared)</sst>')
        z.writestr("xl/worksheets/data.xml", '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>\(sheet)</x:sheetData></x:worksheet>')
        z.close()
        """
    }

    @Test func openpyxlWorkbooksReadAsTheSheetShowsThem() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("expo.xlsx").path
        try await Workbook.write(
            """
            ws.title = "Expo"
            ws.append(["Name", "Mobile No.", "Email", "Visited", "Budget"])
            ws.append(["Asha Rao", 9820012345, "asha@example.in", datetime.date(2026, 11, 28), 4500000.5])
            ws.append(["Das, Rohan", 9820012346.0, None, datetime.datetime(2026, 11, 29, 14, 30), 0.1])
            ws.append(["नमस्ते शर्मा", "+91 98200 12347", "x@y.in", None, 12], )
            ws["A6"] = "Meera"
            other = wb.create_sheet("Day 2")
            other.append(["Phone", "Name"])
            other.append([9820099999, "Meera"])
            """, to: path)
        let sheet = try LeadSheets.open(URL(fileURLWithPath: path))
        #expect(sheet.header == ["Name", "Mobile No.", "Email", "Visited", "Budget"])
        #expect(sheet.reading == [#"sheet "Expo" of "Expo", "Day 2" (--sheet to choose)"#])
        let rows = try Self.rows(sheet)
        // Phones as digits, never 9.82E+09 or 9820012346.0; dates as the day written.
        #expect(rows[0] == ["Asha Rao", "9820012345", "asha@example.in", "2026-11-28", "4500000.5"])
        #expect(rows[1] == ["Das, Rohan", "9820012346", "", "2026-11-29 14:30", "0.1"])
        #expect(rows[2] == ["नमस्ते शर्मा", "+91 98200 12347", "x@y.in", "", "12"])
        // Row numbers are the sheet's own, across the rows it leaves out.
        #expect(rows[3] == ["Meera"] && sheet.rowNumber == 6 && rows.count == 4)

        let second = try LeadSheets.open(URL(fileURLWithPath: path), options: .init(sheet: "day 2"))
        #expect(second.header == ["Phone", "Name"])
        #expect(try Self.rows(second) == [["9820099999", "Meera"]])
        #expect(
            throws: ImportError.badMapping(#"--sheet Totals: \#(path) has no such sheet (it has: "Expo", "Day 2")"#)
        ) {
            try LeadSheets.open(URL(fileURLWithPath: path), options: .init(sheet: "Totals"))
        }
    }

    @Test func excelsOwnXMLSharedTextRichTextAndSparseCellsRead() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("excel.xlsx").path
        // Shared text with rich runs and a phonetic guide; a title row with a gap; cells
        // without references; a date style of a custom format; a boolean; a formula's text.
        let shared =
            "<si><t>Name</t></si><si><t>Phone</t></si><si><r><t>Rao, </t></r><r><rPr><b/></rPr><t>Asha</t></r><rPh><t>ラオ</t></rPh></si><si><t xml:space=\"preserve\"> Mr. Ravi Kumar </t></si><si><t>Visit</t></si>"
        let sheet =
            "<x:row r=\"2\"><x:c r=\"B2\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"C2\" t=\"s\"><x:v>1</x:v></x:c><x:c r=\"D2\" t=\"s\"><x:v>4</x:v></x:c></x:row>"
            + "<x:row r=\"3\"><x:c r=\"B3\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"C3\" s=\"2\"><x:v>9.820012345E9</x:v></x:c><x:c r=\"D3\" s=\"1\"><x:v>46354</x:v></x:c><x:c r=\"F3\" t=\"b\"><x:v>1</x:v></x:c></x:row>"
            + "<x:row><x:c t=\"str\"><x:f>A1</x:f><x:v>x</x:v></x:c><x:c t=\"s\"><x:v>3</x:v></x:c><x:c><x:v>9820012346</x:v></x:c></x:row>"
        try await Workbook.write(Self.excelStyle(sheet: sheet, shared: shared), to: path)
        let file = try LeadSheets.open(URL(fileURLWithPath: path))
        #expect(file.header == ["", "Name", "Phone", "Visit"])
        #expect(file.rowNumber == 2)
        let rows = try Self.rows(file)
        #expect(rows[0] == ["", "Rao, Asha", "9820012345", "2026-11-28", "", "TRUE"])
        #expect(file.rowNumber == 4)
        #expect(rows[1] == ["x", " Mr. Ravi Kumar ", "9820012346"])
        #expect(CellValue.date("46354", date1904: true) == "2030-11-29")
    }

    @Test func rowsOfAWorkbookBecomeLeadsAndBadOnesGoToTheRejectedFile() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("expo.xlsx").path
        try await Workbook.write(
            """
            ws.append(["Customer Name", "Contact Number", "Interested In"])
            ws.append(["Dr. Anil Mehta", 9820012345, "GreenGreen"])
            ws.append(["Khan, Fatima (Mrs.)", 98200, "Tower B"])
            ws.append(["Lata", 9820012347, None])
            """, to: path)
        let file = try LeadSheets.open(URL(fileURLWithPath: path))
        let map = try ColumnMap(header: file.header, overrides: ["Interested In": "project"])
        let database = try LeadDatabase(directory: folder.appendingPathComponent("data"))
        var problems: [LeadImporter.Problem] = []
        let rejected = folder.appendingPathComponent("expo.rejected.csv")
        let summary = try await LeadImporter(reader: RowReader(map: map, defaults: CSVImportTests.defaults)).run(
            file: file, database: database, rejectedFile: rejected, problem: { problems.append($0) })
        #expect(summary.rows == 3 && summary.queued == 2 && summary.invalid == 1)
        #expect(problems.map(\.place) == ["row 3"])
        let leads = try await database.history(HistoryQuery()).map(\.lead)
        let anil = try #require(leads.first { $0.firstName == "Anil" })
        #expect(anil.lastName == "Mehta" && anil.phone == "9820012345" && anil.project == "GreenGreen")
        #expect(anil.notes == "Title: Dr.")
        #expect(
            try String(contentsOf: rejected, encoding: .utf8).contains("\"Khan, Fatima (Mrs.)\",98200,Tower B,Phone"))
    }

    @Test func hostileWorkbooksAreRefusedAtOnceNamingWhatIsWrong() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Excel and openpyxl stop a cell at 32,767 characters; a hostile writer does not.
        let big = folder.appendingPathComponent("big.xlsx").path
        let rows =
            "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>Name</x:t></x:is></x:c><x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>Phone</x:t></x:is></x:c></x:row>"
            + "<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>Asha</x:t></x:is></x:c><x:c r=\"B2\"><x:v>9820012345</x:v></x:c></x:row>"
            + "<x:row r=\"3\"><x:c r=\"A3\" t=\"inlineStr\"><x:is><x:t>' + 'x' * 20000000 + '</x:t></x:is></x:c></x:row>"
        try await Workbook.write(Self.excelStyle(sheet: rows, shared: ""), to: big)
        let sheet = try LeadSheets.open(URL(fileURLWithPath: big))
        #expect(try sheet.next() == ["Asha", "9820012345"])
        #expect(
            throws: ImportError.tooLarge(
                "row 3, cell A3: a cell of more than 64 KB; the file is damaged or not a sign-up sheet")
        ) {
            try sheet.next()
        }

        let wide = folder.appendingPathComponent("wide.xlsx").path
        try await Workbook.write(
            """
            ws.append(["Phone"])
            ws.append([9820012345] + [1] * 1200)
            """, to: wide)
        let wideSheet = try LeadSheets.open(URL(fileURLWithPath: wide))
        #expect(
            throws: ImportError.tooLarge("row 2: more than 1,000 columns; the file is damaged or not a sign-up sheet")
        ) {
            try wideSheet.next()
        }

        // Not workbooks, named with the way out.
        let xls = folder.appendingPathComponent("old.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(to: xls)
        #expect(throws: ImportError.self) { try LeadSheets.open(xls) }
        #expect(ImportError.unreadable("").exitStatus == 66)
        let zip = folder.appendingPathComponent("photos.xlsx").path
        try await Workbook.write(
            """
            z = zipfile.ZipFile(out, "w"); z.writestr("a.txt", "hello"); z.close()
            """, to: zip)
        #expect(
            throws: ImportError.unreadable("\(zip) is a ZIP file but not an Excel workbook (it has no xl/workbook.xml)")
        ) { try LeadSheets.open(URL(fileURLWithPath: zip)) }
    }

    @Test(arguments: [
        ("9820012345", "9820012345"), ("9.820012345E9", "9820012345"), ("9820012346.0", "9820012346"),
        ("0.1", "0.1"), ("4500000.5", "4500000.5"), ("-12", "-12"), ("1E-7", "0.0000001"), ("abc", "abc")
    ])
    func numbersReadAsPeopleWroteThem(stored: String, shown: String) {
        #expect(CellValue.number(stored) == shown)
    }

    @Test func datesColumnsAndFormats() {
        #expect(CellValue.date("46354") == "2026-11-28")
        #expect(CellValue.date("46354.75") == "2026-11-28 18:00")
        #expect(CellValue.date("1") == "1899-12-31")
        #expect(CellValue.column(ofReference: "A1") == 0 && CellValue.column(ofReference: "AB12") == 27)
        #expect(CellValue.column(ofReference: "XFD1") == 16_383 && CellValue.column(ofReference: "12") == nil)
        for index in [0, 25, 26, 27, 701, 702, 16_383] {
            #expect(CellValue.column(ofReference: CellValue.columnName(index) + "1") == index)
        }
        #expect(CellValue.columnName(27) == "AB" && CellValue.columnName(16_383) == "XFD")
        #expect(CellValue.isDateFormat(id: 14, code: nil) && CellValue.isDateFormat(id: 164, code: "dd/mm/yyyy;@"))
        #expect(CellValue.isDateFormat(id: 165, code: "[$-409]d-mmm-yy;@"))
        #expect(!CellValue.isDateFormat(id: 3, code: nil) && !CellValue.isDateFormat(id: 166, code: "0.00"))
        #expect(
            !CellValue.isDateFormat(id: 167, code: "\"Rs\" #,##0") && !CellValue.isDateFormat(id: 0, code: "General"))
    }
}
