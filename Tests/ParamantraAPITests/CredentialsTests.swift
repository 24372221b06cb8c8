import Foundation
import Testing

@testable import ParamantraAPI

@Suite("Credentials and the secret key")
struct CredentialsTests {
    static let key = "sk-LIVE-9f8e7d6c5b4a3210WXYZ"
    static let credentials = Credentials(apiKey: APIKey(key), appName: "ACME")

    @Test func everyPrintedFormShowsAtMostTheLastFour() {
        var dumped = ""
        dump(Self.credentials, to: &dumped)
        var dumpedKey = ""
        dump(APIKey(Self.key), to: &dumpedKey)
        let forms = [
            "\(Self.credentials)", String(describing: Self.credentials), String(reflecting: Self.credentials),
            "\(Self.credentials.apiKey)", String(reflecting: Self.credentials.apiKey), dumped, dumpedKey,
            "\([Self.credentials])", "\(Optional(Self.credentials) as Any)"
        ]
        for form in forms {
            #expect(!form.contains(Self.key))
            #expect(!form.contains(String(Self.key.dropLast(4).suffix(6))), "\(form)")
        }
        #expect("\(Self.credentials.apiKey)" == "••••WXYZ")
    }

    @Test func aShortKeyShowsNothing() {
        #expect(APIKey("abcd1234").masked == "••••")
    }

    @Test func defaultsAreTheVendorsHTTPSEndpoint() {
        #expect(
            Self.credentials.endpoint.absoluteString
                == "https://cloud.paramantra.com/paramantra/api/data/new/format/json")
        #expect(!Self.credentials.isPlainHTTP)
    }

    @Test func plainHTTPIsAllowedButFlagged() {
        let plain = Credentials(
            endpoint: URL(string: "http://cloud.paramantra.com/paramantra/api/data/new/format/json")!,
            apiKey: APIKey(Self.key), appName: "ACME")
        #expect(plain.isPlainHTTP)
        #expect(!plain.isLoopback)
        #expect(plain.problems().isEmpty)
        let local = Credentials(
            endpoint: URL(string: "http://127.0.0.1:8080/x")!, apiKey: APIKey(Self.key), appName: "A")
        #expect(local.isPlainHTTP && local.isLoopback)
    }

    @Test func problemsThatWouldBreakEveryRequest() {
        func problems(key: String = CredentialsTests.key, app: String = "ACME", url: String = "https://x.example/y")
            -> [Credentials.Problem]
        {
            Credentials(endpoint: URL(string: url)!, apiKey: APIKey(key), appName: app).problems()
        }
        #expect(problems(key: "") == [.missingKey])
        #expect(problems(key: "ab:cd") == [.keyHasInvalidCharacters])
        #expect(problems(key: "abc\r\nX-Evil: 1") == [.keyHasInvalidCharacters])
        #expect(problems(app: " ") == [.missingAppName])
        #expect(problems(app: "A\nB") == [.appNameHasInvalidCharacters])
        #expect(problems(url: "ftp://x.example/y") == [.endpointNotHTTP("ftp://x.example/y")])
        #expect(problems(url: "https:///nohost") == [.endpointWithoutHost("https:///nohost")])
        #expect(Credentials.endpoint(from: "not a url") == nil)
        #expect(Credentials.endpoint(from: " https://x.example/y ")?.host == "x.example")
    }

    @Test func problemMessagesNeverHoldTheKey() {
        let bad = Credentials(apiKey: APIKey(Self.key + " "), appName: "A")
        for problem in bad.problems() {
            #expect(!problem.description.contains(Self.key))
        }
    }
}
