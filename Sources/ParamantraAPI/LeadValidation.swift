/// A problem with one field, for the form to show next to it.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable { case error, warning }
    public let field: LeadField
    public let message: String
    public let severity: Severity

    public init(_ field: LeadField, _ message: String, severity: Severity = .error) {
        self.field = field
        self.message = message
        self.severity = severity
    }

    public var description: String { "\(field.label): \(message)" }
}

/// A lead that passed validation: cleaned, with its phone number parsed. Only this type can be
/// turned into a request, so an invalid lead never reaches the network.
public struct ValidLead: Sendable, Hashable {
    public let lead: Lead
    public let phone: PhoneNumber
    /// Soft problems (a landline number) that do not block sending.
    public let warnings: [FieldProblem]
}

extension Lead {
    /// Every problem, in form order; errors block sending, warnings do not.
    public func problems() -> [FieldProblem] {
        switch validated() {
        case .success(let valid): return valid.warnings
        case .failure(let failure): return failure.problems
        }
    }

    public struct ValidationFailure: Error, Sendable, Equatable {
        public let problems: [FieldProblem]
        public init(problems: [FieldProblem]) { self.problems = problems }
        public var errors: [FieldProblem] { problems.filter { $0.severity == .error } }
    }

    /// Cleans the lead and checks it field by field (form order).
    public func validated() -> Result<ValidLead, ValidationFailure> {
        let lead = cleaned()
        var problems: [FieldProblem] = []
        var phone: PhoneNumber?
        for field in LeadField.allCases {
            let value = lead[field]
            if field == .alertClient || field == .alertRep { continue }
            if field.isRequired && value.isEmpty {
                problems.append(FieldProblem(field, "\(field.label) is required"))
                continue
            }
            if value.count > field.maxLength {
                problems.append(
                    FieldProblem(
                        field, "\(field.label) is too long (\(value.count) characters, at most \(field.maxLength))"))
                continue
            }
            switch field {
            case .phone:
                switch PhoneNumber.parse(value) {
                case .success(let parsed):
                    phone = parsed
                    if !parsed.isMobile {
                        problems.append(
                            FieldProblem(
                                .phone, "Not a mobile number (mobiles start 6-9); sent as a landline",
                                severity: .warning))
                    }
                case .failure(let problem):
                    problems.append(FieldProblem(.phone, problem.description))
                }
            case .email where !value.isEmpty:
                if let message = EmailShape.problem(value) {
                    problems.append(FieldProblem(.email, message))
                }
            default:
                break
            }
        }
        if let phone, !problems.contains(where: { $0.severity == .error }) {
            return .success(ValidLead(lead: lead, phone: phone, warnings: problems))
        }
        return .failure(ValidationFailure(problems: problems))
    }
}

/// The shape of an address, not its existence: one @, a local part, a dotted domain of letters,
/// digits and hyphens (any script: internationalised domains are allowed), no spaces.
enum EmailShape {
    static func problem(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return parts.count < 2 ? "Email needs an @ (name@example.com)" : "Email has more than one @"
        }
        let local = parts[0]
        let domain = parts[1]
        if local.isEmpty { return "Email needs a name before the @" }
        if local.count > 64 { return "Email name part is too long (at most 64 characters)" }
        if email.contains(where: { $0.isWhitespace }) { return "Email cannot contain spaces" }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            return "Email name part has a misplaced dot"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            return "Email domain looks wrong (expected something like example.com)"
        }
        for label in labels {
            if label.hasPrefix("-") || label.hasSuffix("-")
                || !label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            {
                return "Email domain looks wrong (expected something like example.com)"
            }
        }
        return nil
    }
}
