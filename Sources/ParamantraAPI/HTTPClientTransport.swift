import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The HTTP transport on AsyncHTTPClient (SwiftNIO): one request per call, on a pooled
/// keep-alive connection, with a real deadline.
///
/// Why not URLSession any more: on Linux it runs on libcurl, which resends a POST on a new
/// connection when a reused one is closed under it, and does so without its body (`Content-Length:
/// 123`, 0 bytes) — a second request nobody asked for, which then stalled until the timeout.
/// AsyncHTTPClient never resends on its own: a connection that closes before the answer fails the
/// call with `.connectionClosedBeforeAnswer`, and the outbox decides, as a recorded attempt.
///
/// - Redirects are never followed (the credentials would go with them): the 3xx is the answer.
/// - `attemptTimeout` is how long the server may stay silent (AsyncHTTPClient's read timeout).
/// - `deadline` (per call) bounds the whole exchange, the body included: AsyncHTTPClient's own
///   deadline ends when the head arrives, so a trickling body is cut off here.
/// - At most `maxBodyBytes` of a body are kept; a longer body is cut and marked truncated.
public final class HTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// One request per connection: for `HTTPRequestSpec.newConnection`.
    private let singleUse: HTTPClient
    private let maxBodyBytes: Int

    /// `additionalTrustRoots`: PEM files of authorities trusted beside the system's (a company's
    /// own authority; the tests' one).
    public init(
        attemptTimeout: Duration = .seconds(15), connectTimeout: Duration = .seconds(10), maxBodyBytes: Int = 1 << 20,
        additionalTrustRoots: [String] = []
    ) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = additionalTrustRoots.map { .file($0) }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: additionalTrustRoots.isEmpty ? nil : tls,
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .nanoseconds(connectTimeout.nanoseconds), read: .nanoseconds(attemptTimeout.nanoseconds)),
            connectionPool: Self.pool,
            decompression: .disabled)
        // A CRM answer is a few hundred bytes; HTTP/2 would buy nothing and add a state machine.
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .shared(Self.loop), configuration: configuration)
        configuration.maximumUsesPerConnection = 1
        singleUse = HTTPClient(eventLoopGroupProvider: .shared(Self.loop), configuration: configuration)
        self.maxBodyBytes = maxBodyBytes
    }

    /// One event-loop thread for every transport of the process: a handful of requests in flight
    /// need no more, and connections spread over several threads cost a wake-up per hand-off.
    private static let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A refused or unreachable server fails the attempt at once (the outbox retries it with its
    /// backoff), instead of AsyncHTTPClient retrying the connection until the connect timeout.
    private static var pool: HTTPClient.Configuration.ConnectionPool {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(30))
        pool.retryConnectionEstablishment = false
        return pool
    }

    deinit {
        // Idle connections close in the background; nothing waits on them.
        client.shutdown().whenComplete { _ in }
        singleUse.shutdown().whenComplete { _ in }
    }

    public func send(_ request: HTTPRequestSpec, deadline: Duration) async throws(TransportError) -> HTTPResponseData {
        let expires = NIODeadline.now() + .nanoseconds(deadline.nanoseconds)
        let expired = Atomic<Bool>(false)
        let client = request.newConnection ? singleUse : self.client
        let cap = maxBodyBytes
        let work = Task { try await Self.exchange(request, on: client, until: expires, keeping: cap) }
        // The timer runs on an event loop, not on Swift's cooperative pool: it fires on time
        // however busy the pool is.
        let timer = client.eventLoopGroup.any().scheduleTask(deadline: expires) {
            expired.store(true, ordering: .sequentiallyConsistent)
            work.cancel()
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await work.result
        } onCancel: {
            work.cancel()
        }
        switch result {
        case .success(let response): return response
        case .failure(let error):
            if expired.load(ordering: .sequentiallyConsistent) { throw .deadlineExceeded }
            let failure = Self.transportError(error)
            if case .tlsFailure(_, let detail) = failure, let host = request.url.host {
                // The library says CERTIFICATE_VERIFY_FAILED for every chain problem: which one.
                let port = request.url.port ?? (request.url.scheme?.lowercased() == "http" ? 80 : 443)
                let reason = await TLSDiagnosis.reason(for: error, host: host, port: port, on: Self.loop)
                throw .tlsFailure(reason: reason, detail: detail)
            }
            throw failure
        }
    }

    private static func exchange(
        _ spec: HTTPRequestSpec, on client: HTTPClient, until expires: NIODeadline,
        keeping cap: Int
    ) async throws -> HTTPResponseData {
        var request = HTTPClientRequest(url: spec.url.absoluteString)
        request.method = HTTPMethod(rawValue: spec.method)
        for header in spec.headers { request.headers.add(name: header.name, value: header.value) }
        // A body of known length: sent whole with its Content-Length, never streamed in parts.
        request.body = .bytes(ByteBuffer(bytes: spec.body))
        let response = try await client.execute(request, deadline: expires)
        var body = Data()
        var truncated = false
        for try await chunk in response.body {
            let room = cap - body.count
            if chunk.readableBytes <= room {
                body.append(contentsOf: chunk.readableBytesView)
            } else {
                // Leaving the loop ends the request: the rest of a huge body is never read.
                body.append(contentsOf: chunk.readableBytesView.prefix(max(0, room)))
                truncated = true
                break
            }
        }
        var headers: [String: String] = [:]
        for (name, value) in response.headers where headers[name.lowercased()] == nil {
            headers[name.lowercased()] = value
        }
        return HTTPResponseData(
            status: Int(response.status.code), headers: headers, body: body, bodyTruncated: truncated)
    }

    /// What went wrong, in the transport's words. Whether the request may have arrived follows
    /// from the case (`TransportError.mayHaveBeenSent`).
    static func transportError(_ error: any Error) -> TransportError {
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed: return .connectionClosedBeforeAnswer
            case .readTimeout: return .timedOut
            case .connectTimeout, .tlsHandshakeTimeout: return .connectTimedOut
            case .deadlineExceeded: return .deadlineExceeded
            case .cancelled, .requestStreamCancelled: return .cancelled
            case .invalidURL, .emptyHost, .emptyScheme: return .other("the endpoint URL cannot be used: \(error)")
            default: return .badResponse("\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return .hostNotFound
            }
            return connectFailure(error.connectionErrors.first?.error)
        }
        if let error = error as? IOError { return connectFailure(error) }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tlsFailure(reason: "no secure connection could be made", detail: "\(error)")
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .connectTimedOut
            case .ioOnClosedChannel, .outputClosed, .eof, .alreadyClosed: return .connectionClosedBeforeAnswer
            default: return .other("\(error)")
            }
        }
        if "\(type(of: error))".contains("HTTPParserError") {
            return .badResponse("the answer is not valid HTTP: \(error)")
        }
        return .other(String(describing: error))
    }

    private static func connectFailure(_ error: (any Error)?) -> TransportError {
        guard let io = error as? IOError else { return .connectionRefused }
        switch io.errnoCode {
        case ECONNREFUSED: return .connectionRefused
        case ENETUNREACH, EHOSTUNREACH, ENETDOWN: return .networkUnavailable
        case ECONNRESET, EPIPE: return .connectionLost
        case ETIMEDOUT: return .connectTimedOut
        default: return .other("\(io)")
        }
    }
}
