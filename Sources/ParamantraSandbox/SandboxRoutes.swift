import Foundation
import Hummingbird
import NIOCore

/// The request context: Hummingbird's, plus the connection, so that a fault can drop it.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The routes: the lead endpoint as docs/api-contract.md describes it, and the
/// `/__sandbox/...` controls used by the demo and the tests.
enum SandboxRoutes {
    static let maxBody = 1 << 20

    static func router(configuration: SandboxConfiguration, ledger: SandboxLedger) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: JSONNotFound())
        let leads = LeadEndpoint(configuration: configuration, ledger: ledger)
        router.post(RouterPath(SandboxConfiguration.leadPath)) { request, context in
            try await leads.respond(to: request, context: context)
        }
        router.get("/__sandbox/leads") { _, _ in
            let leads = await ledger.leads
            let count = await ledger.leadRequests
            let malformed = await ledger.malformedRequests
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            struct Listing: Encodable {
                let leads: [SandboxLead]
                let leadRequests: Int
                let malformedRequests: Int
                enum CodingKeys: String, CodingKey {
                    case leads
                    case leadRequests = "lead_requests"
                    case malformedRequests = "malformed_requests"
                }
            }
            return json(
                .ok,
                String(
                    decoding: try encoder.encode(
                        Listing(leads: leads, leadRequests: count, malformedRequests: malformed)),
                    as: UTF8.self))
        }
        router.get("/__sandbox/faults") { _, _ in
            json(.ok, String(decoding: try JSONEncoder().encode(await ledger.faults), as: UTF8.self))
        }
        router.post("/__sandbox/faults") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            do {
                let faults = try JSONDecoder().decode(SandboxFaults.self, from: Data(buffer: body))
                await ledger.setFaults(faults)
                return json(.ok, String(decoding: try JSONEncoder().encode(faults), as: UTF8.self))
            } catch {
                return json(.badRequest, SandboxBodies.error("faults: \(error)", noisy: false))
            }
        }
        router.delete("/__sandbox/faults") { _, _ in
            await ledger.setFaults(.none)
            return json(.ok, "{\"status\":true}")
        }
        return router
    }

    static func json(_ status: HTTPResponse.Status, _ body: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Unknown paths and methods get a JSON 404, as "JSON is returned by all API responses".
struct JSONNotFound: RouterMiddleware {
    typealias Context = SandboxContext
    func handle(_ request: Request, context: SandboxContext, next: (Request, SandboxContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound || error.status == .methodNotAllowed
        {
            let what = "\(request.method) \(request.uri.path)"
            return SandboxRoutes.json(.notFound, SandboxBodies.error("Not found: \(what)", noisy: false))
        }
    }
}
