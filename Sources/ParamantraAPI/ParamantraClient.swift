import Foundation
import Logging

/// The shared Paramantra API client: validates, builds, sends one attempt, classifies.
/// Retrying is the caller's job (the outbox), with `RetryPolicy`.
public struct ParamantraClient: Sendable {
    public let transport: any HTTPTransport
    /// The longest one attempt may take, however slowly the server trickles its answer.
    public let deadline: Duration
    public let logger: Logger

    public init(
        transport: any HTTPTransport = HTTPClientTransport(),
        deadline: Duration = .seconds(30),
        logger: Logger = Logger(label: "leadconsole.api")
    ) {
        self.transport = transport
        self.deadline = deadline
        self.logger = logger
    }

    /// One attempt. Never throws: every failure is an outcome, with what the server said.
    /// `newConnection`: send on a connection of its own (the attempt after one was closed under it).
    public func send(
        _ lead: ValidLead, credentials: Credentials, phoneFormat: PhoneNumber.WireFormat = .tenDigits,
        newConnection: Bool = false
    ) async -> DeliveryReport {
        let clock = ContinuousClock()
        let start = clock.now
        if let problem = credentials.problems().first {
            // A broken key or URL would fail every lead the same way: hold them, do not send.
            logger.warning("not sending: \(problem)")
            return DeliveryReport(
                outcome: .unauthorized(message: problem.description), httpStatus: nil, rawBody: "", elapsed: .zero)
        }
        var request = LeadRequest.build(lead, credentials: credentials, phoneFormat: phoneFormat)
        request.newConnection = newConnection
        logger.debug("sending lead", metadata: ["request": "\(request)"])
        do {
            let response = try await transport.send(request, deadline: deadline)
            let outcome = ResponseClassifier.classify(response, endpoint: credentials.endpoint)
            // A gateway's 502/504 may come after the CRM itself took the lead.
            let report = DeliveryReport(
                outcome: outcome, httpStatus: response.status,
                rawBody: ResponseClassifier.rawBody(response), elapsed: clock.now - start,
                mayHaveArrived: response.status == 502 || response.status == 504)
            logger.info(
                "lead delivery: \(outcome)", metadata: ["status": "\(response.status)", "elapsed": "\(report.elapsed)"])
            return report
        } catch {
            let outcome = ResponseClassifier.classify(error)
            logger.info("lead delivery: \(outcome)")
            if case .tlsFailure(_, let detail) = error { logger.debug("TLS library: \(detail)") }
            return DeliveryReport(
                outcome: outcome, httpStatus: nil, rawBody: "", elapsed: clock.now - start,
                mayHaveArrived: error.mayHaveBeenSent)
        }
    }
}
