import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// The HTTP transport on Foundation's `URLSession` (FoundationNetworking on Linux).
///
/// - One attempt per call; redirects are never followed (the credentials would go with them).
/// - `attemptTimeout` is URLSession's request timeout: how long the server may stay silent.
/// - `deadline` (per call) is enforced here by cancelling the task, because on Linux URLSession
///   ignores its resource timeout and a trickling server could otherwise hold a request forever.
/// - At most `maxBodyBytes` of a body are kept; a longer body is cut and marked truncated.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let delegate: SessionDelegate

    public init(attemptTimeout: Duration = .seconds(15), maxBodyBytes: Int = 1 << 20) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = attemptTimeout.seconds
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        delegate = SessionDelegate(maxBodyBytes: maxBodyBytes)
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.invalidateAndCancel()
    }

    public func send(_ request: HTTPRequestSpec, deadline: Duration) async throws(TransportError) -> HTTPResponseData {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for header in request.headers {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        urlRequest.httpBody = request.body

        let task = session.dataTask(with: urlRequest)
        let exchange = Exchange()
        delegate.register(exchange, for: task)
        defer { delegate.unregister(task) }

        let timer = Task {
            try? await Task.sleep(for: deadline)
            if !Task.isCancelled { exchange.cancel(task, because: .deadlineExceeded) }
        }
        defer { timer.cancel() }

        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                exchange.wait(with: continuation)
                task.resume()
            }
        } onCancel: {
            exchange.cancel(task, because: .cancelled)
        }
        return try result.get()
    }
}

/// The state of one request while URLSession works on it.
private final class Exchange: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<HTTPResponseData, TransportError>, Never>?
        var finished: Result<HTTPResponseData, TransportError>?
        var cancelReason: TransportError?
        var response: HTTPURLResponse?
        var body = Data()
        var truncated = false
    }
    private let state = Mutex(State())

    func wait(with continuation: CheckedContinuation<Result<HTTPResponseData, TransportError>, Never>) {
        let done: Result<HTTPResponseData, TransportError>? = state.withLock { s in
            if let finished = s.finished { return finished }
            s.continuation = continuation
            return nil
        }
        if let done { continuation.resume(returning: done) }
    }

    func cancel(_ task: URLSessionTask, because reason: TransportError) {
        state.withLock { s in
            if s.cancelReason == nil { s.cancelReason = reason }
        }
        task.cancel()
    }

    func received(_ response: URLResponse) {
        state.withLock { $0.response = response as? HTTPURLResponse }
    }

    /// Appends body bytes; returns false once the cap is passed (the caller stops the task).
    func received(_ data: Data, cap: Int) -> Bool {
        state.withLock { s in
            let room = cap - s.body.count
            if data.count <= room {
                s.body.append(data)
                return true
            }
            s.body.append(data.prefix(max(0, room)))
            s.truncated = true
            s.cancelReason = s.cancelReason ?? .badResponse("body too large")
            return false
        }
    }

    func complete(error: (any Error)?) {
        let (continuation, result) = state.withLock { s -> (CheckedContinuation<Result<HTTPResponseData, TransportError>, Never>?, Result<HTTPResponseData, TransportError>) in
            let result = Self.result(of: s, error: error)
            if s.continuation == nil { s.finished = result }
            let c = s.continuation
            s.continuation = nil
            return (c, result)
        }
        continuation?.resume(returning: result)
    }

    private static func result(of s: State, error: (any Error)?) -> Result<HTTPResponseData, TransportError> {
        // A body cut at the cap is still an answer: the classifier reports it as unreadable.
        if let response = s.response, error == nil || s.truncated {
            var headers: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            return .success(HTTPResponseData(status: response.statusCode, headers: headers, body: s.body, bodyTruncated: s.truncated))
        }
        if let reason = s.cancelReason { return .failure(reason) }
        guard let error else { return .failure(.badResponse("no HTTP response")) }
        return .failure(Self.transportError(error))
    }

    private static func transportError(_ error: any Error) -> TransportError {
        guard let urlError = error as? URLError else { return .other(String(describing: error)) }
        switch urlError.code {
        case .cannotConnectToHost: return .connectionRefused
        case .cannotFindHost, .dnsLookupFailed: return .hostNotFound
        case .notConnectedToInternet, .internationalRoamingOff, .dataNotAllowed: return .networkUnavailable
        case .timedOut: return .timedOut
        case .networkConnectionLost: return .connectionLost
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return .tlsFailure(urlError.localizedDescription)
        case .badServerResponse, .cannotParseResponse, .cannotDecodeRawData, .zeroByteResource:
            return .badResponse(urlError.localizedDescription)
        case .cancelled: return .cancelled
        default: return .other(urlError.localizedDescription)
        }
    }
}

/// Routes URLSession's callbacks to the exchange of each task.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let exchanges = Mutex<[Int: Exchange]>([:])
    private let maxBodyBytes: Int

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    func register(_ exchange: Exchange, for task: URLSessionTask) {
        exchanges.withLock { $0[task.taskIdentifier] = exchange }
    }

    func unregister(_ task: URLSessionTask) {
        _ = exchanges.withLock { $0.removeValue(forKey: task.taskIdentifier) }
    }

    private func exchange(_ task: URLSessionTask) -> Exchange? {
        exchanges.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        exchange(dataTask)?.received(response)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if exchange(dataTask)?.received(data, cap: maxBodyBytes) == false {
            dataTask.cancel()
        }
    }

    /// Never follow a redirect: the 3xx itself becomes the answer.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        exchange(task)?.complete(error: error)
    }
}

extension Duration {
    /// Seconds as a floating-point number, for Foundation APIs and rates (one definition for
    /// every module).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
