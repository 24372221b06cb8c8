import ParamantraAPI
import Testing

@testable import ContactCards

/// What a badge scanner types, read as the lead form needs it: each format, field by field.
@Suite("card scans")
struct CardScanTests {
    static let vCard = """
        BEGIN:VCARD
        VERSION:3.0
        N:Kumar;Rahul;;Dr.;
        FN:Dr. Rahul Kumar
        ORG:Acme Tools;Sales
        TITLE:Regional manager
        TEL;TYPE=WORK,VOICE:+91 22 4000 1111
        TEL;TYPE=CELL:+91 98200-11111
        EMAIL;TYPE=INTERNET:rahul@acme.in
        URL:https://acme.in
        PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ
         AAAQABAAD
        END:VCARD
        """

    @Test func aVCardGivesItsNameMobileEmailAndTheRestAsNotes() throws {
        let contact = try CardScan.read(Self.vCard, format: nil).get()
        #expect(contact.kind == .vCard)
        #expect(contact.firstName == "Rahul" && contact.lastName == "Kumar")
        #expect(contact.phone == "9820011111")
        #expect(contact.email == "rahul@acme.in")
        #expect(
            contact.notes == [
                "Work phone: +91 22 4000 1111", "Title: Dr.", "Company: Acme Tools, Sales",
                "Job title: Regional manager", "Website: https://acme.in"
            ])
        #expect(contact.label == "Rahul Kumar")
    }

    @Test func aVCardWithOnlyAFullNameSplitsItAsImportDoes() throws {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Khan, Dr. Fatima\r\nTEL:tel:9876543210\r\nEND:VCARD\r\n"
        let contact = try CardScan.read(text, format: nil).get()
        #expect(contact.firstName == "Fatima" && contact.lastName == "Khan" && contact.notes == ["Title: Dr."])
        #expect(contact.phone == "9876543210")
    }

    @Test func aVCardCutShortIsNotRead() {
        let text = "BEGIN:VCARD\nN:Kumar;Rahul\nTEL:9820011111"
        #expect(CardScan.read(text, format: nil) == .failure(.cutShort(.vCard)))
        #expect(!CardScan.isComplete(text))
        #expect(CardScan.isComplete(text + "\nEND:VCARD"))
    }

    @Test func aMECARDWithEscapesAndTwoNumbers() throws {
        let text =
            #"MECARD:N:Kumar,Rahul;TEL:+912240001111;TEL:+919820011111;EMAIL:r@x.in;ORG:A\;B Ltd;NOTE:Met at stall 4\: demo;;"#
        #expect(CardScan.isComplete(text))
        #expect(!CardScan.isComplete(String(text.dropLast())))
        let contact = try CardScan.read(text, format: nil).get()
        #expect(contact.kind == .meCard)
        #expect(contact.firstName == "Rahul" && contact.lastName == "Kumar")
        // The first mobile, not the first number.
        #expect(contact.phone == "9820011111")
        #expect(contact.email == "r@x.in")
        #expect(contact.notes == ["Company: A;B Ltd", "Met at stall 4: demo", "Other phone: +912240001111"])
    }

    @Test func aBIZCARDTakesTheMobileAndKeepsTheOthers() throws {
        let text = "BIZCARD:N:Rahul;X:Kumar;T:Manager;C:Acme;B:+912240001111;M:+919820011111;F:02240001112;E:r@x.in;;"
        let contact = try CardScan.read(text, format: nil).get()
        #expect(contact.kind == .bizCard)
        #expect(contact.firstName == "Rahul" && contact.lastName == "Kumar" && contact.phone == "9820011111")
        #expect(contact.email == "r@x.in")
        #expect(
            contact.notes == [
                "Job title: Manager", "Company: Acme", "Work phone: +912240001111", "Fax phone: 02240001112"
            ])
    }

    @Test func aTelLinkAndABareNumberFillThePhone() throws {
        let link = try CardScan.read("tel:+91-98200-11111;ext=12", format: nil).get()
        #expect(link.kind == .telLink && link.phone == "9820011111" && link.label == "9820011111")
        let bare = try CardScan.read("+91 98200 11111", format: nil).get()
        #expect(bare.kind == .phoneNumber && bare.phone == "9820011111")
        // A foreign number stays as printed, for the form to point at.
        #expect(try CardScan.read("tel:+44 20 7946 0000", format: nil).get().phone == "+44 20 7946 0000")
    }

    @Test func aBadgeInTheExposFormat() throws {
        let format = try ScanFormat("name|company|phone|email")
        let contact = try CardScan.read("Rahul Kumar|Acme Tools|9820011111|r@x.in|", format: format).get()
        #expect(contact.kind == .badge)
        #expect(contact.firstName == "Rahul" && contact.lastName == "Kumar" && contact.phone == "9820011111")
        #expect(contact.email == "r@x.in" && contact.notes == ["Company: Acme Tools"])
        // Another count of fields is not this badge; without a format nothing is.
        #expect(CardScan.read("Rahul Kumar|Acme Tools", format: format) == .failure(.notACard))
        #expect(CardScan.read("Rahul Kumar|Acme Tools|9820011111|r@x.in", format: nil) == .failure(.notACard))
        let semicolons = try ScanFormat("skip;last_name;first_name;phone")
        let other = try CardScan.read("B-0042;Iyer;Lata;98200 22222", format: semicolons).get()
        #expect(other.firstName == "Lata" && other.lastName == "Iyer" && other.phone == "9820022222")
    }

    @Test(arguments: [
        ("name company phone", ScanFormat.Problem.noDelimiter),
        ("name|company|mobile", .unknownField("mobile")),
        ("name|phone|phone", .repeated("phone")),
        ("name|company", .noContact),
        ("company|phone", .noName),
        ("name|first_name|phone", .twoNames)
    ])
    func aBadgeFormatThatCannotWorkIsRefused(text: String, problem: ScanFormat.Problem) {
        #expect(throws: problem) { try ScanFormat(text) }
    }

    @Test func markersAreFoundWithoutCaseAndTheirBeginningsAreKnown() {
        #expect(CardScan.marker(of: "begin:vcard") == .vCard)
        #expect(CardScan.marker(of: "TEL:123") == .telLink)
        #expect(CardScan.marker(of: "BEGIN:VCAR") == nil)
        #expect(CardScan.mayStartMarker("BEGIN:VC") && CardScan.mayStartMarker("me") && CardScan.mayStartMarker("T"))
        #expect(!CardScan.mayStartMarker("Bhavna") && !CardScan.mayStartMarker("tell"))
        #expect(CardScan.isBarePhone("98200 11111") && !CardScan.isBarePhone("12345") && !CardScan.isBarePhone("9820a"))
    }

    @Test func textThatIsNoCardOrHoldsNothingIsRefusedWithAReason() {
        #expect(CardScan.read("hello there", format: nil) == .failure(.notACard))
        #expect(CardScan.read("MECARD:NOTE:;;", format: nil) == .failure(.nothingInIt(.meCard)))
        #expect(CardScan.Problem.cutShort(.vCard).description.contains("END:VCARD"))
    }
}
