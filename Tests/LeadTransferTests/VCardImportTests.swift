import ContactCards
import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import LeadTransfer

/// Contacts as phones export them: vCard 2.1 (older Android, Nokia) with quoted-printable text,
/// 3.0 (iPhone, Google Contacts) with folded lines and a photo, 4.0 with `tel:` URIs.
@Suite("vCard import")
struct VCardImportTests {
    static func file(_ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("contacts.vcf")
        try Data(text.utf8).write(to: url)
        return url
    }

    static let photo = String(repeating: " QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n", count: 20_000)

    @Test func everyVersionAPhoneExportsIsReadAsOneRowPerCard() throws {
        let url = try Self.file(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E0=A4=B6=E0=A4=B0=E0=A5=8D=E0=A4=AE=E0=A4=BE;=E0=A4=B0=E0=A4=BE=\r\n=E0=A4=B9=E0=A5=81=E0=A4=B2;;;\r\n"
                + "TEL;HOME:022 2345 6789\r\nTEL;CELL;PREF:+91 98200 12345\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Met at expo=0D=0Awants 2BHK\r\nEND:VCARD\r\n"
                + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Anil Mehta\r\nN:Mehta;Anil;;Dr.;\r\nORG:Green Homes\\, Pune;Sales\r\n"
                + "item1.TEL;type=WORK;type=VOICE:+91 20 2345 6789\r\nitem2.TEL;type=CELL:98200 1\r\n 2346\r\n"
                + "EMAIL;type=INTERNET;type=HOME:anil@example.in\r\nEMAIL;type=WORK:anil@green.in\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\n"
                + Self.photo + "END:VCARD\r\n"
                + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Meera Iyer\r\nTEL;VALUE=uri;TYPE=\"voice,cell\":tel:+91-98200-12347\r\nEND:VCARD\r\n"
        )
        let sheet = try LeadSheets.open(url)
        #expect(sheet.header == VCardContact.header)
        var rows: [[String]] = []
        var places: [String] = []
        while let row = try sheet.next() {
            rows.append(row)
            places.append(sheet.place)
        }
        #expect(rows.count == 3)
        #expect(
            rows[0] == ["राहुल", "शर्मा", "", "+91 98200 12345", "", "Home phone: 022 2345 6789\nMet at expo\r\nwants 2BHK"])
        #expect(
            rows[1] == [
                "Anil", "Mehta", "", "98200 12346", "anil@example.in",
                "Work phone: +91 20 2345 6789\nOther email: anil@green.in\nTitle: Dr.\nCompany: Green Homes, Pune, Sales"
            ])
        #expect(rows[2] == ["", "", "Meera Iyer", "+91-98200-12347", "", ""])
        #expect(places == ["card 1 (line 1)", "card 2 (line 9)", "card 3 (line 20021)"])

        // Through the importer: the same rules as any sheet.
        let map = try ColumnMap(header: sheet.header)
        let reader = RowReader(map: map, defaults: CSVImportTests.defaults)
        let meera = reader.lead(from: rows[2])
        #expect(meera.firstName == "Meera" && meera.lastName == "Iyer" && meera.phone == "+91-98200-12347")
        #expect(reader.lead(from: rows[0]).notes.contains("wants 2BHK"))
    }

    @Test func damagedContactFilesSayWhereAndStop() throws {
        let cut = try Self.file("BEGIN:VCARD\nVERSION:3.0\nFN:Asha\nTEL:9820012345\n")
        let sheet = try LeadSheets.open(cut)
        #expect(throws: ImportError.malformed("card 1 (line 1): the file ends before its END:VCARD")) {
            try sheet.next()
        }
        let huge = try Self.file(
            "BEGIN:VCARD\nFN:Asha\nNOTE:" + String(repeating: "x", count: 100) + "\n"
                + String(repeating: " \(String(repeating: "y", count: 1000))\n", count: 100) + "END:VCARD\n")
        #expect(throws: ImportError.self) { try LeadSheets.open(huge).next() }
        let nul = try Self.file("BEGIN:VCARD\nFN:As\u{0}ha\nEND:VCARD\n")
        // A NUL is an unreadable file, exit 66, in a vCard as in a CSV (it was 65 here, "too large").
        let refusal = ImportError.undecodable("line 2: a NUL byte; the file is damaged or not a vCard export")
        #expect(throws: refusal) { try LeadSheets.open(nul).next() }
        #expect(refusal.exitStatus == 66)
    }

    @Test(arguments: [
        ("TEL;TYPE=CELL:98200", "TEL", ["cell"]), ("item1.EMAIL;type=INTERNET:a@b.in", "EMAIL", ["internet"]),
        ("TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+91", "TEL", ["voice", "cell"]),
        ("TEL;CELL;PREF:1", "TEL", ["cell", "pref"])
    ])
    func propertiesReadTheirNameAndTypes(line: String, name: String, types: [String]) throws {
        let property = try #require(VCardProperty(line: line))
        #expect(property.name == name && property.types == types)
    }
}
