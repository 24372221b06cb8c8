import Foundation
import Testing

@testable import ParamantraSandbox

/// The sandbox answers as docs/api-contract.md says, checked with the real curl.
@Suite("Sandbox contract")
struct SandboxContractTests {
    static let key = "dpDlgSANDBOXEzfcmsm"
    static let app = "rSBHC"
    /// The body of the vendor's curl sample, with the PDF's line breaks taken out.
    static let documentBody =
        "f_name=Donald&l_name=Joe&email=donaldjoe@gmail.com&phonefax=919978521205&subject=Lead from Facebook&channel_id=Facebook&proje_1=GreenGreen&notes=I want to know more about this&rep_id=donaldjoe&alert_client=0&alert_rep=0"

    static func withSandbox(dataFile: URL? = nil, _ body: (Sandbox) async throws -> Void) async throws {
        let sandbox = try await Sandbox.start(SandboxConfiguration(apiKey: key, appName: app, dataFile: dataFile))
        do {
            try await body(sandbox)
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    /// The vendor's curl command, word for word, with its masked key replaced.
    static func documentCurl(_ url: URL, key: String = key, body: String = documentBody) async throws -> Curl.Answer {
        try await Curl.run([
            "-X", "POST", url.absoluteString,
            "-u", "\(key):\(key)",
            "-H", "ACTION-ON: \(app)",
            "-H", "cache-control: no-cache",
            "-H", "content-type: application/x-www-form-urlencoded",
            "-H", "X-API-KEY: \(key)",
            "-d", body
        ])
    }

    @Test func theDocumentsCurlGetsSuccessThenDuplicateThenNotAuthorized() async throws {
        try await Self.withSandbox { sandbox in
            let first = try await Self.documentCurl(sandbox.endpoint)
            let id = try #require(await sandbox.leads().first?.id)
            #expect(first.status == 200)
            #expect(
                first.body
                    == #"[{"contact_number":"9978521205","message":"contact_number_added"},{"contact_number":"9978521205","unique_id":\#(id),"status":"success"}]"#
            )
            #expect(first.headers["content-type"] == "application/json; charset=utf-8")

            let second = try await Self.documentCurl(sandbox.endpoint)
            #expect(
                second.body
                    == #"[{"contact_number":"9978521205","status":"failed","message":"duplicate_entry","unique_id":"\#(id)"}]"#
            )

            let wrong = try await Self.documentCurl(sandbox.endpoint, key: "dpDlgWRONGEzfcmsm")
            #expect(wrong.status == 401)
            #expect(wrong.body == #"{"status":false,"error":"Not authorized"}"#)
            #expect(await sandbox.leads().count == 1)
        }
    }

    @Test func everyFieldIsKeptAsReceived() async throws {
        try await Self.withSandbox { sandbox in
            _ = try await Self.documentCurl(sandbox.endpoint)
            let lead = try #require(await sandbox.leads().first)
            #expect(lead.contactNumber == "9978521205")
            #expect(
                lead.fields == [
                    "f_name": "Donald", "l_name": "Joe", "email": "donaldjoe@gmail.com", "phonefax": "919978521205",
                    "subject": "Lead from Facebook", "channel_id": "Facebook", "proje_1": "GreenGreen",
                    "notes": "I want to know more about this", "rep_id": "donaldjoe", "alert_client": "0",
                    "alert_rep": "0"
                ])
        }
    }

    @Test func allThreeCredentialsMustMatchWithHeaderNamesInAnyCase() async throws {
        try await Self.withSandbox { sandbox in
            let url = sandbox.endpoint.absoluteString
            let basic = "authorization: basic " + Data("\(Self.key):\(Self.key)".utf8).base64EncodedString()
            let halfBasic = "Authorization: Basic " + Data("\(Self.key):other".utf8).base64EncodedString()
            let cases: [([String], Int)] = [
                ([basic, "x-api-key: \(Self.key)", "action-on: \(Self.app)"], 200),
                (["x-api-key: \(Self.key)", "action-on: \(Self.app)"], 401),
                ([basic, "action-on: \(Self.app)"], 401),
                ([basic, "x-api-key: \(Self.key)"], 401),
                ([basic, "x-api-key: \(Self.key)x", "action-on: \(Self.app)"], 401),
                ([basic, "x-api-key: \(Self.key)", "action-on: other"], 401),
                ([halfBasic, "X-API-KEY: \(Self.key)", "ACTION-ON: \(Self.app)"], 401)
            ]
            for (headers, expected) in cases {
                let answer = try await Curl.run(
                    ["-X", "POST", url] + headers.flatMap { ["-H", $0] } + [
                        "-d", "phonefax=9876543210&subject=s&channel_id=c&rep_id=r"
                    ])
                #expect(answer.status == expected, "\(headers)")
            }
        }
    }

    @Test("a missing required field is a 400 naming it", arguments: ["phonefax", "subject", "channel_id", "rep_id"])
    func missingField(field: String) async throws {
        try await Self.withSandbox { sandbox in
            let body = Self.documentBody.split(separator: "&").filter { !$0.hasPrefix(field + "=") }.joined(
                separator: "&")
            let answer = try await Self.documentCurl(sandbox.endpoint, body: body)
            #expect(answer.status == 400)
            #expect(answer.body == #"{"status":false,"error":"\#(field) is required"}"#)
            #expect(await sandbox.leads().isEmpty)
        }
    }

    @Test(
        "phone numbers",
        arguments: [
            ("9876543210", 200), ("+919876543210", 200), ("00919876543210", 200), ("919876543210", 200),
            ("09876543210", 200),
            ("98765 43210", 200), ("12345", 402), ("98765abcde", 402), ("9876543210123", 402)
        ])
    func phoneNumbers(phone: String, status: Int) async throws {
        try await Self.withSandbox { sandbox in
            let body = Self.documentBody.replacingOccurrences(
                of: "phonefax=919978521205",
                with: "phonefax=" + (phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? phone))
            let answer = try await Self.documentCurl(sandbox.endpoint, body: body)
            #expect(answer.status == status)
            if status == 402 {
                #expect(answer.body == #"{"status":false,"error":"phonefax must be a ten-digit number"}"#)
            }
            if status == 200 { #expect(await sandbox.leads().first?.contactNumber == "9876543210") }
        }
    }

    @Test func theSamePhoneInAnotherFormIsADuplicate() async throws {
        try await Self.withSandbox { sandbox in
            _ = try await Self.documentCurl(sandbox.endpoint)  // 919978521205
            let again = try await Self.documentCurl(
                sandbox.endpoint, body: Self.documentBody.replacingOccurrences(of: "919978521205", with: "09978521205"))
            #expect(again.body.contains("duplicate_entry"))
        }
    }

    @Test func idsGrow() async throws {
        try await Self.withSandbox { sandbox in
            for n in 0..<5 {
                _ = try await Self.documentCurl(
                    sandbox.endpoint,
                    body: Self.documentBody.replacingOccurrences(of: "919978521205", with: "987654321\(n)"))
            }
            let ids = await sandbox.leads().map(\.id)
            #expect(ids == ids.sorted() && Set(ids).count == 5)
        }
    }

    @Test func otherPathsAndMethodsAreAJSON404() async throws {
        try await Self.withSandbox { sandbox in
            let base = "http://127.0.0.1:\(sandbox.port)"
            for (method, path) in [
                ("GET", "/"), ("GET", "/paramantra/api/data/new/format/json"), ("POST", "/paramantra/api/data/new"),
                ("PUT", "/paramantra/api/data/new/format/json"), ("POST", "/__sandbox/nothing")
            ] {
                let answer = try await Curl.run(["-X", method, base + path])
                #expect(answer.status == 404, "\(answer.error)")
                #expect(
                    answer.body
                        == #"{"status":false,"error":"Not found: \#(method) \#(path.replacingOccurrences(of: "/", with: "\\/"))"}"#
                )
            }
        }
    }

    @Test func leadsSurviveARestartInTheDataFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("leads.jsonl")
        var firstID = 0
        try await Self.withSandbox(dataFile: file) { sandbox in
            _ = try await Self.documentCurl(sandbox.endpoint)
            firstID = try #require(await sandbox.leads().first?.id)
        }
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try await Self.withSandbox(dataFile: file) { sandbox in
            #expect(await sandbox.leads().map(\.id) == [firstID])
            let again = try await Self.documentCurl(sandbox.endpoint)
            #expect(again.body.contains(#""unique_id":"\#(firstID)""#))
            _ = try await Self.documentCurl(
                sandbox.endpoint, body: Self.documentBody.replacingOccurrences(of: "919978521205", with: "9876500000"))
            #expect(await sandbox.leads().last!.id > firstID)
        }
    }

    @Test func aBrokenDataFileIsNamedNotIgnored() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).jsonl")
        try Data("{\"id\": 1}\nnot json\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect {
            _ = try await Sandbox.start(SandboxConfiguration(dataFile: file))
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("line 1")
        }
    }
}
