import Foundation

/// One header, kept in order: the exact request is asserted byte for byte in tests.
public struct HTTPHeader: Sendable, Hashable {
    public let name: String
    public let value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request as plain data: built by a pure function, sent by a transport.
public struct HTTPRequestSpec: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    public var url: URL
    public var headers: [HTTPHeader]
    public var body: Data
    /// Send on a connection of its own, never one from the pool: the attempt after a connection
    /// was closed under a request (the pool's other idle connections may be just as stale).
    public var newConnection: Bool = false

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Safe to log: secret headers are replaced, the body (a customer's details) is summarised.
    public var description: String {
        let shown = headers.map { h -> String in
            let secret = ["authorization", "x-api-key"].contains(h.name.lowercased())
            return "\(h.name): \(secret ? "<redacted>" : h.value)"
        }
        return "\(method) \(url.absoluteString) [\(shown.joined(separator: ", "))] body \(body.count) bytes"
    }
}

/// What came back, as far as it could be read.
public struct HTTPResponseData: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data
    /// True when the server sent more than the transport keeps; `body` holds the first part.
    public var bodyTruncated: Bool

    public init(status: Int, headers: [String: String] = [:], body: Data = Data(), bodyTruncated: Bool = false) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
        self.bodyTruncated = bodyTruncated
    }
}

/// Why a request produced no usable answer.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    case connectionRefused
    case hostNotFound
    case networkUnavailable
    /// No answer within the per-attempt timeout.
    case timedOut
    /// The overall deadline passed while the server was still answering (a trickling server).
    case deadlineExceeded
    /// The connection dropped; the request may have arrived.
    case connectionLost
    /// The server closed the connection after the request went out and before any answer: a
    /// keep-alive connection closed under a request, or a server restarting. The request may
    /// have been read; one more attempt at once, on a new connection, is what a history screen does.
    case connectionClosedBeforeAnswer
    /// No connection within the connect timeout: nothing was sent.
    case connectTimedOut
    /// The TLS handshake failed: `reason` in a person's words ("the server's certificate is not
    /// trusted: self-signed"), `detail` in the TLS library's (for `--verbose`).
    case tlsFailure(reason: String, detail: String)
    case badResponse(String)
    case cancelled
    case other(String)

    /// False only when the request surely never left: no connection was made.
    public var mayHaveBeenSent: Bool {
        switch self {
        case .connectionRefused, .hostNotFound, .networkUnavailable, .tlsFailure, .connectTimedOut: return false
        default: return true
        }
    }

    public var description: String {
        switch self {
        case .connectionRefused: return "connection refused"
        case .hostNotFound: return "host not found"
        case .networkUnavailable: return "network unavailable"
        case .timedOut: return "timed out waiting for the server"
        case .deadlineExceeded: return "the server took too long to answer"
        case .connectionLost: return "connection lost"
        case .connectionClosedBeforeAnswer: return "the server closed the connection before answering"
        case .connectTimedOut: return "timed out connecting to the server"
        case .tlsFailure(let reason, _): return "secure connection failed: \(reason)"
        case .badResponse(let why): return "unreadable answer: \(why)"
        case .cancelled: return "cancelled"
        case .other(let why): return why
        }
    }
}

/// Sends one request, one attempt, no redirects followed. The only door to the network.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestSpec, deadline: Duration) async throws(TransportError) -> HTTPResponseData
}
