/// Faults the sandbox can play, switched at run time with `POST /__sandbox/faults`.
///
/// ```json
/// {"mode": "status", "status": 503, "count": 2, "retry_after": "5",
///  "latency_ms": 300, "escape_sequences": true, "message": "maintenance"}
/// ```
/// `mode` applies to the next `count` lead requests (all of them when `count` is absent);
/// `latency_ms` and `escape_sequences` apply to every lead request until cleared.
public struct SandboxFaults: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Answer normally.
        case none
        /// Answer `status` (500, 502, 503, 402, 429...) with a JSON error; the lead is not kept.
        case status
        /// Answer an HTML error page with `status` (default 502); the lead is not kept.
        case html
        /// Keep the lead, answer 200 with the success JSON cut in half.
        case truncated
        /// Keep the lead, answer 200 with a body that is not JSON.
        case notJSON = "not_json"
        /// Keep the lead, answer 200 with an empty body.
        case empty
        /// Close the connection without answering; the lead is not kept.
        case drop
        /// Keep the lead and never answer (until the client gives up): the "uncertain" case.
        case acceptNoAnswer = "accept_no_answer"
        /// Keep the lead and send the success body one byte every `trickle_ms`.
        case trickle
        /// Keep the lead, answer 200 with a 1 MB page that is not JSON.
        case huge
        /// Answer 302 to `location` (default the https form of the endpoint); the lead is not kept.
        case redirect
        /// Answer the first request on each connection normally; when a later request arrives on
        /// the same keep-alive connection, read it and close the connection without an answer
        /// (a server restarting, a NAT dropping a reused connection); that lead is not kept.
        case closeReused = "close_reused"
    }

    public var mode: Mode
    public var status: Int?
    public var count: Int?
    public var retryAfter: String?
    public var latencyMs: Int?
    public var trickleMs: Int?
    public var escapeSequences: Bool?
    public var message: String?
    public var location: String?

    public init(
        mode: Mode = .none, status: Int? = nil, count: Int? = nil, retryAfter: String? = nil,
        latencyMs: Int? = nil, trickleMs: Int? = nil, escapeSequences: Bool? = nil,
        message: String? = nil, location: String? = nil
    ) {
        self.mode = mode
        self.status = status
        self.count = count
        self.retryAfter = retryAfter
        self.latencyMs = latencyMs
        self.trickleMs = trickleMs
        self.escapeSequences = escapeSequences
        self.message = message
        self.location = location
    }

    public static let none = SandboxFaults()

    enum CodingKeys: String, CodingKey {
        case mode, status, count, message, location
        case retryAfter = "retry_after"
        case latencyMs = "latency_ms"
        case trickleMs = "trickle_ms"
        case escapeSequences = "escape_sequences"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .none
        status = try c.decodeIfPresent(Int.self, forKey: .status)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        // Retry-After may be given as a number of seconds or as the header's text.
        if let seconds = try? c.decodeIfPresent(Int.self, forKey: .retryAfter) {
            retryAfter = String(seconds)
        } else {
            retryAfter = try c.decodeIfPresent(String.self, forKey: .retryAfter)
        }
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs)
        trickleMs = try c.decodeIfPresent(Int.self, forKey: .trickleMs)
        escapeSequences = try c.decodeIfPresent(Bool.self, forKey: .escapeSequences)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        location = try c.decodeIfPresent(String.self, forKey: .location)
        if let status, !(100...599).contains(status) {
            throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "status must be 100-599")
        }
        if let count, count < 0 {
            throw DecodingError.dataCorruptedError(forKey: .count, in: c, debugDescription: "count must be 0 or more")
        }
    }
}
