import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /paramantra/api/data/new/format/json`: faults first (they stand for a broken network or
/// server in front of the CRM), then authentication, validation and the duplicate check.
struct LeadEndpoint: Sendable {
    let configuration: SandboxConfiguration
    let ledger: SandboxLedger

    static let requiredFields = ["phonefax", "subject", "channel_id", "rep_id"]
    /// The most header bytes a request may carry (names, values and their separators).
    static let maximumHeaderBytes = 16 * 1024

    func respond(to request: Request, context: SandboxContext) async throws -> Response {
        let (mode, faults) = await ledger.nextLeadRequest()
        if let latency = faults.latencyMs, latency > 0 {
            try await Task.sleep(for: .milliseconds(latency))
        }
        let noisy = faults.escapeSequences ?? false

        switch mode {
        case .drop:
            // Close without a byte of answer; the lead is not kept.
            try? await context.channel.close()
            return Response(status: .ok)
        case .status:
            let status = faults.status ?? 503
            var extra: HTTPFields = [:]
            if let retryAfter = faults.retryAfter { extra[.retryAfter] = retryAfter }
            let message = faults.message ?? Self.reasonPhrase(status)
            return SandboxRoutes.json(.init(code: status), SandboxBodies.error(message, noisy: noisy), headers: extra)
        case .html:
            let status = faults.status ?? 502
            return Response(
                status: .init(code: status), headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: SandboxBodies.html(status: status))))
        case .redirect:
            let location = faults.location ?? "https://127.0.0.1\(SandboxConfiguration.leadPath)"
            return Response(
                status: .init(code: faults.status ?? 302), headers: [.location: location, .contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<a href=\"\(location)\">moved</a>")))
        default:
            break
        }

        // Headers over a web server's usual limit (Node's 16 KB) are refused before anything is
        // read, as a real front end does: a key or app name pasted wrong lands here.
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
        if headerBytes > Self.maximumHeaderBytes {
            return SandboxRoutes.json(
                .init(code: 431), SandboxBodies.error(Self.reasonPhrase(431), noisy: noisy))
        }

        // The body first, whoever sends it: a short or unreadable one is counted as malformed,
        // since that is what a client resending without its body produces.
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: SandboxRoutes.maxBody)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return SandboxRoutes.json(
                .contentTooLarge, SandboxBodies.error("request body over \(SandboxRoutes.maxBody) bytes", noisy: noisy))
        } catch {
            // The connection ended before Content-Length bytes came: nobody is left to answer.
            await ledger.countMalformed()
            try? await context.channel.close()
            return Response(status: .badRequest)
        }

        if mode == .closeReused {
            let connection = ObjectIdentifier(context.channel)
            if await ledger.request(onConnection: connection) == 1 {
                let ledger = self.ledger
                context.channel.closeFuture.whenComplete { _ in Task { await ledger.connectionClosed(connection) } }
            } else {
                try? await context.channel.close()
                return Response(status: .ok)
            }
        }

        let fields: [String: String]
        switch SandboxForm.fields(contentType: request.headers[.contentType], body: body) {
        case .success(let found): fields = found
        case .failure(let problem):
            await ledger.countMalformed()
            return SandboxRoutes.json(.badRequest, SandboxBodies.error(problem.description, noisy: noisy))
        }

        guard isAuthorized(request.headers) else {
            return SandboxRoutes.json(.unauthorized, SandboxBodies.notAuthorized)
        }
        for name in Self.requiredFields where (fields[name] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            return SandboxRoutes.json(.badRequest, SandboxBodies.error("\(name) is required", noisy: noisy))
        }
        guard let phone = SandboxPhone.tenDigits(fields["phonefax"] ?? "") else {
            return SandboxRoutes.json(
                .init(code: 402), SandboxBodies.error("phonefax must be a ten-digit number", noisy: noisy))
        }

        let answer: String
        switch try await ledger.add(contactNumber: phone, fields: fields) {
        case .duplicate(let id):
            answer = SandboxBodies.duplicate(phone: phone, id: id, noisy: noisy)
        case .added(let id):
            answer = SandboxBodies.success(phone: phone, id: id, noisy: noisy)
        }

        switch mode {
        case .truncated:
            return SandboxRoutes.json(.ok, String(answer.prefix(answer.count / 2)))
        case .notJSON:
            return Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "OK lead saved")))
        case .empty:
            return Response(status: .ok, headers: [.contentLength: "0"])
        case .huge:
            let page = "<html><body>" + String(repeating: "x", count: 1_000_000 - 26) + "</body></html>"
            return Response(
                status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: page)))
        case .acceptNoAnswer:
            // Hold the connection, answer nothing, until the client gives up, the sandbox stops,
            // or two minutes pass.
            let giveUp = ContinuousClock.now.advanced(by: .seconds(120))
            while context.channel.isActive, ContinuousClock.now < giveUp, !Task.isCancelled, await !ledger.stopping {
                try? await Task.sleep(for: .milliseconds(50))
            }
            try? await context.channel.close()
            return Response(status: .ok)
        case .trickle:
            let pause = Duration.milliseconds(max(1, faults.trickleMs ?? 200))
            let bytes = Array(answer.utf8)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(contentLength: bytes.count) { writer in
                    for byte in bytes {
                        try await writer.write(ByteBuffer(bytes: [byte]))
                        try await Task.sleep(for: pause)
                    }
                    try await writer.finish(nil)
                })
        default:
            return SandboxRoutes.json(.ok, answer)
        }
    }

    /// The standard phrase of the statuses a fault is likely to ask for (the vendor lists 550 too).
    static func reasonPhrase(_ status: Int) -> String {
        let phrases = [
            400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
            408: "Request Timeout", 409: "Conflict", 410: "Gone", 422: "Unprocessable Content",
            413: "Content Too Large", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
            500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout", 550: "Permission denied"
        ]
        return phrases[status] ?? "HTTP \(status)"
    }

    /// Basic key:key, `X-API-KEY` and `ACTION-ON` must all match (names are case-insensitive).
    private func isAuthorized(_ headers: HTTPFields) -> Bool {
        let key = configuration.apiKey
        guard let authorization = headers[.authorization], authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            String(decoding: decoded, as: UTF8.self) == "\(key):\(key)"
        else { return false }
        guard let xKey = HTTPField.Name("X-API-KEY"), headers[xKey] == key else { return false }
        guard let actionOn = HTTPField.Name("ACTION-ON"), headers[actionOn] == configuration.appName else {
            return false
        }
        return true
    }
}
