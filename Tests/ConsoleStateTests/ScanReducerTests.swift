import ContactCards
import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import ConsoleState

/// A scanned card into the form: a unit that fills a free form, waits behind an unsent lead,
/// and never writes over typing.
@Suite("scans into the form")
struct ScanReducerTests {
    static let vCard = """
        BEGIN:VCARD
        VERSION:3.0
        N:Kumar;Rahul
        ORG:Acme Tools
        TEL;TYPE=CELL:+91 98200 11111
        EMAIL:rahul@acme.in
        END:VCARD
        """
    static let mecard = "MECARD:N:Iyer,Lata;TEL:9820022222;EMAIL:lata@x.in;;"

    func typed(_ state: inout AppState, _ field: LeadField, _ text: String) {
        _ = reduce(&state, .focus(field))
        _ = reduce(&state, .edit(field, text))
    }

    @Test func aScanFillsAFreeFormAndAsksWhoThePhoneIs() {
        var state = AppState(settings: ReducerTests.settings)
        let effects = reduce(&state, .scanned(Self.vCard))
        #expect(state.form.lead.firstName == "Rahul" && state.form.lead.lastName == "Kumar")
        #expect(state.form.lead.phone == "9820011111" && state.form.lead.email == "rahul@acme.in")
        // Every required field is filled: the cursor waits in Notes for a remark, on a line of its own.
        #expect(state.form.lead.notes == "Company: Acme Tools\n")
        #expect(state.form.focus == .notes && state.form.caret == "Company: Acme Tools\n".count)
        #expect(state.form.lead.cleaned().notes == "Company: Acme Tools")
        // The kept fields are the settings' still.
        #expect(state.form.lead.subject == "Walk-in at Expo" && state.form.lead.rep == "smith")
        #expect(effects == [.lookUpCustomer(PhoneNumber(tenDigits: "9820011111"))])
        #expect(state.form.customer == .asking(phone: "9820011111"))
        #expect(state.banners.last?.text == "Scanned: Rahul Kumar (vCard)")
    }

    @Test func theCursorGoesToTheFirstEmptyRequiredField() {
        var settings = ReducerTests.settings
        settings.defaultChannel = ""
        var state = AppState(settings: settings)
        _ = reduce(&state, .scanned("MECARD:N:Iyer,Lata;EMAIL:lata@x.in;;"))
        #expect(state.form.focus == .phone)
        _ = reduce(&state, .edit(.phone, "9820022222"))
        _ = reduce(&state, .clearForm)
        _ = reduce(&state, .scanned(Self.mecard))
        #expect(state.form.focus == .channel)
    }

    @Test func aScanBehindAnUnsentLeadWaitsAndFillsTheNextFormAfterCtrlS() {
        var state = AppState(settings: ReducerTests.settings)
        typed(&state, .firstName, "Asha")
        typed(&state, .phone, "9876543210")
        let typedLead = state.form.lead
        #expect(reduce(&state, .scanned(Self.vCard)).isEmpty)
        #expect(reduce(&state, .scanned(Self.mecard)).isEmpty)
        // Nothing typed is touched; the message line says the scans wait.
        #expect(state.form.lead == typedLead)
        #expect(state.scans.map(\.label) == ["Rahul Kumar", "Lata Iyer"])
        #expect(state.banners.last?.text.hasPrefix("Scan waiting: Lata Iyer (MECARD), 2 in line") == true)
        // Ctrl-S sends what was typed; the first scan fills the next form, the second still waits.
        let effects = reduce(&state, .submit)
        #expect(state.saving.values.map(\.valid.lead.firstName) == ["Asha"])
        #expect(effects.contains(.lookUpCustomer(PhoneNumber(tenDigits: "9820011111"))))
        #expect(state.form.lead.firstName == "Rahul" && state.scans.map(\.label) == ["Lata Iyer"])
        #expect(state.banners.last?.text == "Scanned: Rahul Kumar (vCard) · 1 more waiting")
        // A second Ctrl-S before the first lead's save has finished is the same key twice.
        #expect(reduce(&state, .submit).isEmpty)
        #expect(state.form.lead.firstName == "Rahul" && state.saving.count == 1)
    }

    @Test func ctrlNSetsTheUnsentLeadAsideForTheWaitingScan() {
        var state = AppState(settings: ReducerTests.settings)
        typed(&state, .firstName, "Asha")
        _ = reduce(&state, .scanned(Self.mecard))
        _ = reduce(&state, .clearForm)
        #expect(state.form.lead.firstName == "Lata" && state.form.lead.phone == "9820022222")
        #expect(state.cleared?.lead.firstName == "Asha" && state.scans.isEmpty)
    }

    @Test func aNumberAloneCompletesTheLeadBeingTyped() {
        var state = AppState(settings: ReducerTests.settings)
        typed(&state, .firstName, "Asha")
        let effects = reduce(&state, .scanned("tel:+91-98200-33333"))
        #expect(state.form.lead.firstName == "Asha" && state.form.lead.phone == "9820033333")
        #expect(effects == [.lookUpCustomer(PhoneNumber(tenDigits: "9820033333"))])
        #expect(state.scans.isEmpty && state.form.focus == .firstName)
        // A second number is the next visitor's: it waits.
        _ = reduce(&state, .scanned("98200 44444"))
        #expect(state.form.lead.phone == "9820033333" && state.scans.map(\.phone) == ["9820044444"])
    }

    @Test func aScanThatCannotBeReadLeavesTheFormAsItWas() {
        var state = AppState(settings: ReducerTests.settings)
        typed(&state, .firstName, "Asha")
        let before = state.form
        #expect(reduce(&state, .scanned("BEGIN:VCARD\nN:Kumar;Rahul")).isEmpty)
        #expect(state.form == before && state.scans.isEmpty)
        #expect(
            state.banners.last?.text
                == "Scan not read: the vCard ended before its END:VCARD (the scan was cut short); the form is as it was"
        )
    }

    @Test func aBadgeIsReadInTheSettingsFormat() throws {
        var settings = ReducerTests.settings
        settings.scanFormat = try ScanFormat("name|company|phone|email")
        var state = AppState(settings: settings)
        _ = reduce(&state, .scanned("Khan, Dr. Fatima|Acme|9820055555|f@x.in"))
        #expect(state.form.lead.firstName == "Fatima" && state.form.lead.lastName == "Khan")
        #expect(state.form.lead.notes == "Title: Dr.\nCompany: Acme\n")
        #expect(state.banners.last?.text == "Scanned: Fatima Khan (badge)")
    }

    @Test func aScannedValueIsCleanAndFitsItsField() {
        var state = AppState(settings: ReducerTests.settings)
        let long = String(repeating: "x", count: 300)
        _ = reduce(&state, .scanned("MECARD:N:\(long),Ra\u{1B}[31mhul;TEL:9820011111;;"))
        #expect(state.form.lead.firstName == "Rahul")
        #expect(state.form.lead.lastName.count == LeadField.lastName.maxLength)
    }
}
