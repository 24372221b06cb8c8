import Foundation
import Testing

@testable import ParamantraAPI

@Suite("Response classification")
struct ResponseClassifierTests {
    static let success =
        #"[{"contact_number":"1111111193","message":"contact_number_added"},{"contact_number":"1111111193","unique_id":2882,"status":"success"}]"#
    static let duplicate =
        #"[{"contact_number":"1111111192","status":"failed","message":"duplicate_entry","unique_id":"2879"}]"#
    static let notAuthorized = #"{"status":false,"error":"Not authorized"}"#

    func classify(_ status: Int, _ body: String, headers: [String: String] = [:]) -> DeliveryOutcome {
        ResponseClassifier.classify(HTTPResponseData(status: status, headers: headers, body: Data(body.utf8)))
    }

    @Test func theDocumentsThreeBodies() {
        #expect(classify(200, Self.success) == .accepted(crmID: "2882"))
        #expect(classify(200, Self.duplicate) == .duplicate(crmID: "2879"))
        #expect(classify(200, Self.notAuthorized) == .unauthorized(message: "Not authorized"))
    }

    @Test("Not authorized wins with any status", arguments: [200, 201, 400, 401, 402, 403, 404, 500, 503])
    func notAuthorizedAnyStatus(status: Int) {
        #expect(classify(status, Self.notAuthorized) == .unauthorized(message: "Not authorized"))
    }

    @Test func idAsNumberOrStringOrWrapped() {
        #expect(
            classify(200, #"[{"message":"contact_number_added"},{"unique_id":"2882","status":"success"}]"#)
                == .accepted(crmID: "2882"))
        #expect(
            classify(
                200,
                #"[{"contact_number":"1111111192","status":"failed","message":"duplicate_entry","unique_id":"287 9"}]"#)
                == .duplicate(crmID: "2879"))
        #expect(
            classify(200, #"[{"status":"failed","message":"duplicate_entry","unique_id":2879}]"#)
                == .duplicate(crmID: "2879"))
        #expect(classify(200, #"[{"status":"failed","message":"duplicate_entry"}]"#) == .duplicate(crmID: nil))
    }

    @Test func objectAtTheTopInsteadOfAnArray() {
        #expect(
            classify(200, #"{"contact_number":"1111111193","unique_id":2882,"status":"success"}"#)
                == .accepted(crmID: "2882"))
        #expect(
            classify(200, #"{"status":"failed","message":"duplicate_entry","unique_id":"2879"}"#)
                == .duplicate(crmID: "2879"))
        #expect(classify(200, #"[{"contact_number":"1","message":"contact_number_added"}]"#) == .accepted(crmID: nil))
    }

    @Test func duplicateBodyWithAClientErrorStatusIsStillDelivered() {
        #expect(classify(409, Self.duplicate) == .duplicate(crmID: "2879"))
    }

    @Test(
        "unreadable 2xx bodies are uncertain",
        arguments: [
            "", "   ", "<html><body>OK</body></html>", "OK lead saved", #"[{"contact_number":"1111111193","mess"#,
            #"{"something":"else"}"#, "[]", "null", "42", "\u{1B}[2J"
        ])
    func uncertain(body: String) {
        guard case .uncertain(let reason) = classify(200, body) else {
            Issue.record("expected uncertain for \(body.debugDescription)")
            return
        }
        #expect(TerminalText.isClean(reason))
    }

    @Test func aFailed2xxIsARejection() {
        #expect(
            classify(200, #"[{"contact_number":"12","status":"failed","message":"invalid_number"}]"#)
                == .rejected(status: 200, message: "invalid_number"))
        #expect(
            classify(200, #"{"status":false,"error":"channel_id does not exist"}"#)
                == .rejected(status: 200, message: "channel_id does not exist"))
    }

    @Test func statusClasses() {
        #expect(
            classify(402, #"{"status":false,"error":"Lead limit reached"}"#)
                == .rejected(status: 402, message: "Lead limit reached"))
        #expect(classify(400, "") == .rejected(status: 400, message: "HTTP 400"))
        #expect(classify(400, #"{"status":false,"error":""}"#) == .rejected(status: 400, message: "HTTP 400"))
        #expect(
            classify(400, #"{"status":false,"error":"rep_id smithparkar does not exist"}"#)
                == .rejected(status: 400, message: "rep_id smithparkar does not exist"))
        #expect(classify(401, "") == .unauthorized(message: "HTTP 401"))
        #expect(classify(403, "Forbidden") == .unauthorized(message: "Forbidden"))
        #expect(classify(500, "") == .temporary(reason: "HTTP 500 from the server", retryAfter: nil))
        #expect(
            classify(503, #"{"error":"maintenance"}"#, headers: ["Retry-After": "120"])
                == .temporary(reason: "HTTP 503 from the server: maintenance", retryAfter: .seconds(120)))
        #expect(
            classify(502, "<html><title>502 Bad Gateway</title></html>")
                == .temporary(reason: "HTTP 502 from the server", retryAfter: nil))
        #expect(
            classify(429, "", headers: ["retry-after": "7"])
                == .temporary(reason: "HTTP 429 too many requests", retryAfter: .seconds(7)))
        #expect(classify(408, "") == .temporary(reason: "HTTP 408 request timeout", retryAfter: nil))
        #expect(classify(100, "") == .uncertain(reason: "unexpected HTTP status 100"))
    }

    /// A wrong endpoint fails every lead alike: it is the settings' problem, never the lead's.
    @Test func endpointProblemsAreNotRejections() {
        #expect(
            classify(302, "", headers: ["Location": "https://cloud.paramantra.com/x"])
                == .wrongEndpoint(url: "", status: 302, answer: "a redirect to https://cloud.paramantra.com/x"))
        #expect(classify(301, "") == .wrongEndpoint(url: "", status: 301, answer: "a redirect without a location"))
        #expect(
            classify(404, "<html><h1>Not Found</h1></html>")
                == .wrongEndpoint(url: "", status: 404, answer: "Not Found"))
        #expect(classify(405, "") == .wrongEndpoint(url: "", status: 405, answer: "Method Not Allowed"))
        #expect(
            classify(410, #"{"error":"this API version is retired"}"#)
                == .wrongEndpoint(url: "", status: 410, answer: "this API version is retired"))
        // The URL is named, without any user or password in it.
        let outcome = ResponseClassifier.classify(
            HTTPResponseData(status: 404), endpoint: URL(string: "https://u:p@crm.example/paramantra/apiX")!)
        #expect(
            outcome.description
                == "check the endpoint URL: https://crm.example/paramantra/apiX answered HTTP 404, Not Found")
        // Still the body first: "Not authorized" on a 404 is about the credentials.
        #expect(
            classify(404, #"{"status":false,"error":"Not authorized"}"#) == .unauthorized(message: "Not authorized"))
        #expect(classify(100, "") == .uncertain(reason: "unexpected HTTP status 100"))
    }

    /// 431: the headers are the key and the app name, the same for every lead; 413 is this
    /// lead's own body, refused for good.
    @Test func headersTooLargeIsTheSettingsAndABodyTooLargeTheLead() {
        #expect(classify(431, "") == .headersTooLarge(answer: "Request Header Fields Too Large"))
        #expect(
            classify(431, #"{"status":false,"error":"header X-APP-NAME over 8 KB"}"#)
                == .headersTooLarge(answer: "header X-APP-NAME over 8 KB"))
        #expect(!classify(431, "").isRetryable && !classify(431, "").isDelivered)
        #expect(classify(413, "") == .rejected(status: 413, message: "HTTP 413"))
        // "Not authorized" in the body still names the credentials.
        #expect(
            classify(431, #"{"status":false,"error":"Not authorized"}"#) == .unauthorized(message: "Not authorized"))
    }

    @Test func retryAfterAsADate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(ResponseClassifier.retryAfter("Tue, 14 Nov 2023 22:14:20 GMT", now: now) == .seconds(60))
        #expect(ResponseClassifier.retryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == .seconds(0))
        #expect(ResponseClassifier.retryAfter("-5", now: now) == nil)
        #expect(ResponseClassifier.retryAfter("soon", now: now) == nil)
        #expect(ResponseClassifier.retryAfter(nil, now: now) == nil)
    }

    @Test func messagesAreCleanedForTheScreen() {
        let outcome = classify(402, "{\"error\":\"\\u001b[2J\\u001b]0;pwned\\u0007Lead \\u001b[31mlimit\"}")
        #expect(outcome == .rejected(status: 402, message: "Lead limit"))
        #expect(TerminalText.isClean(outcome.description))
    }

    @Test func theRawBodyIsKeptCappedAndEscaped() {
        let response = HTTPResponseData(
            status: 200, body: Data(("\u{1B}[31m" + String(repeating: "x", count: 10_000)).utf8))
        let raw = ResponseClassifier.rawBody(response)
        #expect(raw.hasPrefix("\\u{1B}[31mxxx"))
        #expect(raw.hasSuffix("…[cut at 4096 bytes]"))
        #expect(raw.utf8.count < 4096 + 64)
        #expect(TerminalText.isClean(raw))
    }

    @Test func hugeOrTruncatedBodiesAreNotParsed() {
        let padded = Self.success + String(repeating: " ", count: 1 << 20)
        #expect(classify(200, padded) == .uncertain(reason: "HTTP 200 with a body that is not valid JSON (truncated?)"))
        let cut = HTTPResponseData(status: 200, body: Data(Self.success.utf8), bodyTruncated: true)
        #expect(ResponseClassifier.classify(cut) == .uncertain(reason: "HTTP 200 with a body too large to read"))
    }

    @Test func invalidUTF8IsRepairedNotCrashedOn() {
        let response = HTTPResponseData(status: 200, body: Data([0xFF, 0xFE, 0x7B, 0x22, 0xC3]))
        #expect(ResponseClassifier.rawBody(response).contains("\u{FFFD}"))
        guard case .uncertain = ResponseClassifier.classify(response) else {
            Issue.record("expected uncertain")
            return
        }
    }

    @Test func everyTransportFailureIsTemporary() {
        let errors: [TransportError] = [
            .connectionRefused, .hostNotFound, .networkUnavailable, .timedOut, .deadlineExceeded,
            .connectionLost, .tlsFailure(reason: "x", detail: "y"), .badResponse("x"), .cancelled, .other("x")
        ]
        for error in errors {
            #expect(ResponseClassifier.classify(error).isRetryable)
        }
    }
}
