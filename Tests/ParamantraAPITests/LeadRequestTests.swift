import Foundation
import Testing

@testable import ParamantraAPI

@Suite("Request building, byte for byte")
struct LeadRequestTests {
    static let credentials = Credentials(
        endpoint: URL(string: "https://cloud.paramantra.com/paramantra/api/data/new/format/json")!,
        apiKey: APIKey("dpDlgKEYEzfcmsm"), appName: "rABHC")

    /// The vendor's curl sample, field for field.
    static let documentLead = Lead(
        firstName: "Donald", lastName: "Joe", phone: "919978521205", email: "donaldjoe@gmail.com",
        project: "GreenGreen", notes: "I want to know more about this", subject: "Lead from Facebook",
        channel: "Facebook", rep: "donaldjoe")

    func body(_ lead: Lead, _ format: PhoneNumber.WireFormat = .tenDigits) throws -> String {
        let request = LeadRequest.build(try lead.validated().get(), credentials: Self.credentials, phoneFormat: format)
        return String(decoding: request.body, as: UTF8.self)
    }

    @Test func theDocumentsExampleLead() throws {
        #expect(
            try body(Self.documentLead, .countryCode)
                == "f_name=Donald&l_name=Joe&email=donaldjoe%40gmail.com&phonefax=919978521205"
                + "&subject=Lead%20from%20Facebook&channel_id=Facebook&proje_1=GreenGreen"
                + "&notes=I%20want%20to%20know%20more%20about%20this&rep_id=donaldjoe&alert_client=0&alert_rep=0")
        #expect(try body(Self.documentLead).contains("&phonefax=9978521205&"))
    }

    @Test func headersAsTheCurlSampleSendsThem() throws {
        let request = LeadRequest.build(try Self.documentLead.validated().get(), credentials: Self.credentials)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "https://cloud.paramantra.com/paramantra/api/data/new/format/json")
        #expect(
            request.headers == [
                HTTPHeader(
                    "Authorization", "Basic " + Data("dpDlgKEYEzfcmsm:dpDlgKEYEzfcmsm".utf8).base64EncodedString()),
                HTTPHeader("X-API-KEY", "dpDlgKEYEzfcmsm"),
                HTTPHeader("ACTION-ON", "rABHC"),
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                HTTPHeader("Accept", "application/json"),
                HTTPHeader("Cache-Control", "no-cache"),
                HTTPHeader("User-Agent", LeadRequest.userAgent)
            ])
        #expect(request.header("authorization") == "Basic ZHBEbGdLRVlFemZjbXNtOmRwRGxnS0VZRXpmY21zbQ==")
    }

    @Test(
        "awkward names are percent-encoded",
        arguments: [
            ("Tom & Jerry", "Tom%20%26%20Jerry"),
            ("a=b", "a%3Db"),
            ("C++", "C%2B%2B"),
            ("100%", "100%25"),
            ("José", "Jos%C3%A9"),
            ("नमस्ते", "%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87"),
            ("👋", "%F0%9F%91%8B"),
            ("a-b.c_d~e", "a-b.c_d~e")
        ])
    func awkwardName(name: String, encoded: String) throws {
        var lead = Self.documentLead
        lead.firstName = name
        #expect(try body(lead).hasPrefix("f_name=\(encoded)&l_name=Joe&"))
    }

    @Test func emptyOptionalFieldsAreLeftOutAndAlertsAlwaysSent() throws {
        let lead = Lead(phone: "9876543210", subject: "Walk-in", channel: "Walk-in", rep: "smith", alertClient: true)
        #expect(
            try body(lead)
                == "phonefax=9876543210&subject=Walk-in&channel_id=Walk-in&rep_id=smith&alert_client=1&alert_rep=0")
    }

    @Test func multilineNotesKeepTheirNewlines() throws {
        var lead = Self.documentLead
        lead.notes = "2BHK\nBudget 80L"
        #expect(try body(lead).contains("&notes=2BHK%0ABudget%2080L&"))
    }

    @Test func theLoggedFormHidesTheKey() throws {
        let request = LeadRequest.build(try Self.documentLead.validated().get(), credentials: Self.credentials)
        let text = "\(request)"
        #expect(!text.contains("dpDlgKEYEzfcmsm"))
        #expect(!text.contains("ZHBEbGdLRVlFemZjbXNt"))
        #expect(text.contains("ACTION-ON: rABHC"))
    }
}
