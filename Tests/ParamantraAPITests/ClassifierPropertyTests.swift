import Foundation
import PropertyBased
import Testing

@testable import ParamantraAPI

/// Whatever a server sends, the classifier returns an outcome and lets no control character
/// into a message meant for the screen.
@Suite("Classifier properties")
struct ClassifierPropertyTests {
    static let bases: [String] = [
        ResponseClassifierTests.success, ResponseClassifierTests.duplicate, ResponseClassifierTests.notAuthorized,
        "{\"status\":false,\"error\":\"\\u001b[2J\\u001b]0;x\\u0007boom\\u009b31m\"}",
        "[{\"status\":\"failed\",\"message\":\"bad\\r\\nthing\\u0000\",\"unique_id\":\"\\u001b[31m12\"}]",
        "<!DOCTYPE html><html><body><h1>502 \u{1B}[5mBad Gateway</h1></body></html>",
        "[{\"unique_id\":true,\"status\":\"success\"}]", "[{\"unique_id\":1e999,\"status\":\"success\"}]",
        "[[[[[[[[[[]]]]]]]]]]", "{\"error\":{\"nested\":[1,2,3]}}", ""
    ]

    static func check(status: Int, body: Data, retryAfter: String) {
        let response = HTTPResponseData(
            status: status, headers: ["Retry-After": retryAfter, "Location": retryAfter], body: body)
        let outcome = ResponseClassifier.classify(response)
        #expect(TerminalText.isClean(outcome.description), "\(outcome.description.debugDescription)")
        if let id = outcome.crmID { #expect(TerminalText.isClean(id) && !id.isEmpty) }
        let raw = ResponseClassifier.rawBody(response)
        #expect(TerminalText.isClean(raw))
        #expect(raw.utf8.count <= ResponseClassifier.rawBodyCap * 10 + 64)
        if case .temporary(_, let wait?) = outcome { #expect(wait >= .zero) }
    }

    @Test func randomBytesAnyStatus() async {
        await propertyCheck(
            count: 500,
            input: Gen.int(in: 0...999), Gen<UInt8>.value(in: 0...255).array(of: 0...400), Gen.latin1.string(of: 0...12)
        ) { status, bytes, header in
            Self.check(status: status, body: Data(bytes), retryAfter: header)
        }
    }

    @Test func mutatedDocumentBodies() async {
        let edits = zip(Gen.int(in: 0...10_000), Gen.int(in: 0...3), Gen<UInt8>.value(in: 0...255)).array(of: 0...6)
        await propertyCheck(
            count: 800,
            input: Gen.element(of: Self.bases), edits,
            Gen.element(of: [200, 201, 204, 302, 400, 401, 402, 404, 429, 500, 503])
        ) { base, edits, status in
            var bytes = Array((base ?? "").utf8)
            for (position, kind, byte) in edits {
                let at = bytes.isEmpty ? 0 : position % bytes.count
                switch kind {
                case 0 where !bytes.isEmpty: bytes.remove(at: at)
                case 1: bytes.insert(byte, at: at)
                case 2 where !bytes.isEmpty: bytes[at] = byte
                default: bytes = Array(bytes.prefix(at))  // truncation
                }
            }
            Self.check(status: status ?? 200, body: Data(bytes), retryAfter: "\(edits.first?.0 ?? 0)")
        }
    }

    @Test func unmutatedDocumentBodiesKeepTheirMeaningUnderEveryStatus() async {
        await propertyCheck(count: 200, input: Gen.int(in: 200...599)) { status in
            #expect(
                ResponseClassifier.classify(
                    HTTPResponseData(status: status, body: Data(ResponseClassifierTests.duplicate.utf8))
                ).isDelivered)
            if case .unauthorized = ResponseClassifier.classify(
                HTTPResponseData(status: status, body: Data(ResponseClassifierTests.notAuthorized.utf8)))
            {
            } else {
                Issue.record("Not authorized with \(status) was not unauthorized")
            }
        }
    }
}
