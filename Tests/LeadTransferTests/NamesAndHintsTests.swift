import Foundation
import ParamantraAPI
import Testing

@testable import LeadTransfer

/// Names, numbers and headings as people write them on a sign-up sheet.
@Suite("names, numbers and column hints")
struct NamesAndHintsTests {
    /// The headings of a French Excel sheet and of Indian expo forms, as they are written:
    /// accents, dots and case do not matter.
    @Test func headingsInTheWordsPeopleUse() throws {
        let french = try ColumnMap(header: ["Prénom", "Nom", "Téléphone", "Courriel", "Remarques"])
        #expect(french.targets[0] == .field(.firstName) && french.targets[1] == .field(.lastName))
        #expect(french.targets[2] == .field(.phone) && french.targets[3] == .field(.email))
        for phone in ["Mobile No.", "Contact No", "Portable", "Numéro", "TÉLÉPHONE", "Tel"] {
            #expect(try ColumnMap(header: ["Name", phone]).targets[1] == .field(.phone), "\(phone)")
        }
        #expect(try ColumnMap(header: ["Name of Visitor", "Cell"]).targets == [0: .fullName, 1: .field(.phone)])
        // What is still unknown is offered its nearest field, never the notes for a phone.
        #expect(ColumnMap.nearestField(to: "Téléphone portable") == "phone")
    }

    @Test func titlesInNameColumnsGoToTheNotesAfterTheNotesColumn() throws {
        let map = try ColumnMap(header: ["First Name", "Last Name", "Phone", "Remarks"])
        let lead = RowReader(map: map, defaults: CSVImportTests.defaults).lead(
            from: ["Dr. Anil", "Mehta (senior)", "9820012345", "wants 3BHK"])
        #expect(lead.firstName == "Anil" && lead.lastName == "Mehta")
        #expect(lead.notes == "wants 3BHK\nTitle: Dr.\nName remark: senior")
    }

    @Test(arguments: ["9.82001E+09", "9.82001e+09", "9,82001E+09", "9E+9"])
    func aPhoneInScientificNotationSaysHowToFixTheSheet(cell: String) throws {
        let map = try ColumnMap(header: ["Name", "Mobile"])
        let (_, problems) = RowReader(map: map, defaults: CSVImportTests.defaults).read(["Asha", cell])
        #expect(
            problems == [
                FieldProblem(
                    .phone,
                    "the spreadsheet turned this number into \(cell): format the column as text (or as a number with 0 decimals) and export again"
                )
            ])
    }

    @Test func aPhoneWithDigitsIsNotScientific() throws {
        let map = try ColumnMap(header: ["Name", "Mobile"])
        #expect(RowReader(map: map, defaults: CSVImportTests.defaults).read(["Asha", "9820012345"]).problems.isEmpty)
    }

    @Test func columnsNothingReadsGetTheNearestField() throws {
        #expect(ColumnMap.nearestField(to: "Interested In") == "project")
        #expect(ColumnMap.nearestField(to: "Visited") == "notes")
        #expect(ColumnMap.nearestField(to: "WhatsApp No.") == "phone")
        #expect(ColumnMap.nearestField(to: "Visitor") == "name")
        #expect(ColumnMap.nearestField(to: "Attended By") == "rep")
        #expect(ColumnMap.nearestField(to: "Campaign") == "channel")
        #expect(ColumnMap.nearestField(to: "Purpose of visit") == "subject")
        #expect(ColumnMap.nearestField(to: "E-mail ID") == "email")
        let map = try ColumnMap(header: ["Name", "Phone", "Interested In", "Budget"])
        #expect(map.hints == [#"--map "Interested In=project""#, #"--map "Budget=notes""#])
    }

    /// An export imported again: its delivery columns are not read and get no hint (the words
    /// would say last_error=last_name and alert_customer=name, which would overwrite the name).
    @Test func ourOwnExportColumnsGetNoHint() throws {
        let map = try ColumnMap(header: LeadExport.columns)
        #expect(map.unused.contains("last_error") && map.unused.contains("alert_customer"))
        #expect(map.hints.isEmpty, "\(map.hints)")
        #expect(ColumnMap.isExportBookkeeping("Last Error") && !ColumnMap.isExportBookkeeping("Last Name"))
        let mixed = try ColumnMap(header: ["state", "phone", "Budget"])
        #expect(mixed.hints == [#"--map "Budget=notes""#])
    }

    @Test func severalColumnsCanBeKeptInTheNotesUnderTheirHeadings() throws {
        let map = try ColumnMap(
            header: ["Name", "Phone", "Comments", "Budget", "City"], overrides: ["Budget": "notes", "City": "notes"])
        #expect(map.unused.isEmpty)
        let lead = RowReader(map: map, defaults: CSVImportTests.defaults).lead(
            from: ["Asha", "9820012345", "call after 6", "50 L", "Pune"])
        #expect(lead.notes == "call after 6\nBudget: 50 L\nCity: Pune")
    }
}

/// docs/files.md shows the headings the code reads: one list, kept equal by this test.
@Suite("one source for the column names")
struct KnownColumnsTests {
    @Test func theReadmeTableIsTheCodesList() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/files.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(
            text.contains(ColumnMap.knownColumnsTable),
            "docs/files.md's column table differs from ColumnMap.knownColumns")
        for known in ColumnMap.knownColumns {
            for name in known.names {
                #expect(
                    (try ColumnMap(header: [name])).targets[0] == known.target, "\(name) is not read as \(known.field)")
            }
        }
    }
}
