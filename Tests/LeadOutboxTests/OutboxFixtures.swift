import Foundation
import ParamantraAPI

@testable import LeadOutbox

/// A delivery report as the client gives it, for the outcome writer's tests.
func report(_ outcome: DeliveryOutcome, status: Int? = 200) -> DeliveryReport {
    DeliveryReport(outcome: outcome, httpStatus: status, rawBody: "{}", elapsed: .milliseconds(12))
}
