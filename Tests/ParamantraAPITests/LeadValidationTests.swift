import Testing

@testable import ParamantraAPI

@Suite("Lead validation and cleaning")
struct LeadValidationTests {
    static let walkIn = Lead(
        firstName: "Donald", lastName: "Joe", phone: "9978521205", email: "donaldjoe@gmail.com",
        subject: "Walk-in", channel: "Walk-in", rep: "smithparkar")

    @Test func aCompleteLeadIsValid() throws {
        let valid = try Self.walkIn.validated().get()
        #expect(valid.phone.tenDigits == "9978521205")
        #expect(valid.warnings.isEmpty)
    }

    @Test("each required field is reported at the field", arguments: [LeadField.phone, .subject, .channel, .rep])
    func requiredField(field: LeadField) {
        var lead = Self.walkIn
        lead[field] = "   "
        let problems = lead.problems()
        #expect(problems == [FieldProblem(field, "\(field.label) is required")])
    }

    @Test func namesAndEmailAreOptional() throws {
        let lead = Lead(phone: "9876543210", subject: "s", channel: "c", rep: "r")
        #expect(try lead.validated().get().lead.firstName == "")
    }

    @Test func problemsComeInFormOrder() {
        let lead = Lead(firstName: String(repeating: "a", count: 101), phone: "12", email: "nope")
        let fields = lead.problems().map(\.field)
        #expect(fields == [.firstName, .phone, .email, .subject, .channel, .rep])
    }

    @Test(
        "email shapes",
        arguments: [
            ("donaldjoe@gmail.com", true), ("a.b+tag@sub.example.co.in", true), ("josé@exämple.in", true),
            ("nope", false), ("a@b", false), ("a@@b.com", false), ("@b.com", false), ("a b@c.com", false),
            ("a@b..com", false), ("a@-b.com", false), (".a@b.com", false), ("a@b.com.", false)
        ])
    func emailShape(email: String, ok: Bool) {
        var lead = Self.walkIn
        lead.email = email
        #expect(lead.problems().contains { $0.field == .email } == !ok)
    }

    @Test func landlineIsAWarningNotAnError() throws {
        var lead = Self.walkIn
        lead.phone = "022 2345 6789"
        let valid = try lead.validated().get()
        #expect(valid.warnings.map(\.field) == [.phone])
        #expect(valid.warnings.first?.severity == .warning)
    }

    @Test func lengthLimitsAreGenerousButReal() {
        var lead = Self.walkIn
        lead.notes = String(repeating: "n", count: 5000)
        #expect(lead.problems().isEmpty)
        lead.notes += "!"
        #expect(lead.problems().map(\.field) == [.notes])
        lead = Self.walkIn
        lead.lastName = String(repeating: "é", count: 100)  // counted in characters, not bytes
        #expect(lead.problems().isEmpty)
    }

    @Test("UTF-8 names survive unchanged", arguments: ["José", "नमस्ते", "山田 太郎", "Zoë 👩🏽‍💻", "O'Brien-Smith", "Ñandú"])
    func unicodeSurvives(name: String) throws {
        var lead = Self.walkIn
        lead.firstName = name
        lead.notes = name
        let valid = try lead.validated().get()
        #expect(valid.lead.firstName == name)
        #expect(Array(valid.lead.firstName.unicodeScalars) == Array(name.unicodeScalars))
        #expect(valid.lead.notes == name)
    }

    @Test func controlCharactersLeaveOneLineFields() throws {
        var lead = Self.walkIn
        lead.firstName = "Don\u{1B}[31mald\u{07}"
        lead.lastName = "Jo\te\nSmith\r\n"
        lead.subject = "Walk\u{0}-in\u{9B}2J"
        let cleaned = try lead.validated().get().lead
        #expect(cleaned.firstName == "Donald")
        #expect(cleaned.lastName == "Jo e Smith")
        #expect(cleaned.subject == "Walk-in")
    }

    @Test func notesKeepTheirLines() throws {
        var lead = Self.walkIn
        lead.notes = "Line one\r\nLine two\n\tindented\u{1B}]0;title\u{07}\n"
        let cleaned = try lead.validated().get().lead
        #expect(cleaned.notes == "Line one\nLine two\n\tindented")
    }

    @Test func fieldsMapToTheirWireNames() {
        #expect(
            LeadField.allCases.map(\.wireName) == [
                "f_name", "l_name", "phonefax", "email", "proje_1", "notes", "subject", "channel_id", "rep_id",
                "alert_client", "alert_rep"
            ])
    }
}
