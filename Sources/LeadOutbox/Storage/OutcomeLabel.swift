import ParamantraAPI

/// One word per outcome, as stored with each attempt and printed by the command line.
public enum OutcomeLabel {
    /// Not an attempt: a correction of the lead (e, Ctrl-S; a fixed row imported), its old
    /// values in the message. Never sent, so no answer.
    public static let edited = "edited"

    public static func of(_ outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .accepted: return "accepted"
        case .duplicate: return "duplicate"
        case .unauthorized: return "unauthorized"
        case .wrongEndpoint: return "endpoint"
        case .headersTooLarge: return "settings"
        case .rejected: return "rejected"
        case .temporary: return "temporary"
        case .uncertain: return "uncertain"
        }
    }
}
