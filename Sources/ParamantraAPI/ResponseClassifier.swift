import Foundation

/// Turns whatever came back into one `DeliveryOutcome`. Pure: no I/O, total over every input.
/// The decoding is defensive (docs/api-contract.md): `unique_id` as number or string, an
/// array or an object at the top, any body with any status.
public enum ResponseClassifier {
    /// Bytes of a body kept in a report.
    public static let rawBodyCap = 4096
    /// Characters of a server message shown to a person.
    public static let messageCap = 300

    /// `endpoint` is the URL the request went to, named in a wrong-endpoint outcome.
    public static func classify(_ response: HTTPResponseData, endpoint: URL? = nil, now: Date = Date())
        -> DeliveryOutcome
    {
        let status = response.status
        let json = response.bodyTruncated ? nil : parseJSON(response.body)
        let entries = json.map(objects(in:)) ?? []

        // A "Not authorized" body means what it says whatever the status (even 200).
        if entries.contains(where: isNotAuthorized) {
            return .unauthorized(message: message(in: entries) ?? "Not authorized")
        }
        if let id = duplicateID(in: entries) {
            return .duplicate(crmID: id.value)
        }
        if let id = acceptedID(in: entries) {
            return .accepted(crmID: id.value)
        }
        switch status {
        case 300..<400:
            // Never followed: the credentials would go with it. Often http that moved to https,
            // or a Wi-Fi login page standing in for every address.
            let location = String(TerminalText.clean(response.headers["location"] ?? "").prefix(messageCap))
            return .wrongEndpoint(
                url: url(endpoint), status: status,
                answer: location.isEmpty ? "a redirect without a location" : "a redirect to \(location)")
        case 404, 405, 410:
            // No such path or method here: a mistyped URL fails every lead alike, so it is held
            // for the settings, never rejected for good.
            return .wrongEndpoint(
                url: url(endpoint), status: status,
                answer: message(in: entries) ?? bodySnippet(response, parsed: json != nil)
                    ?? LeadRequest.reasonPhrase(status))
        case 401, 403:
            return .unauthorized(
                message: message(in: entries) ?? bodySnippet(response, parsed: json != nil) ?? "HTTP \(status)")
        case 431:
            // Request Header Fields Too Large: the headers are the key and the app name, the
            // same for every lead. Rejecting the lead would be wrong; the settings are held.
            return .headersTooLarge(
                answer: message(in: entries) ?? bodySnippet(response, parsed: json != nil)
                    ?? LeadRequest.reasonPhrase(status))
        case 408, 429:
            return .temporary(
                reason: "HTTP \(status)" + (status == 429 ? " too many requests" : " request timeout"),
                retryAfter: retryAfter(response.headers["retry-after"], now: now))
        case 400..<500:
            return .rejected(
                status: status,
                message: message(in: entries) ?? bodySnippet(response, parsed: json != nil) ?? "HTTP \(status)")
        case 500..<600:
            return .temporary(
                reason: "HTTP \(status) from the server" + (message(in: entries).map { ": \($0)" } ?? ""),
                retryAfter: retryAfter(response.headers["retry-after"], now: now))
        case 200..<300:
            if let failed = failedMessage(in: entries) {
                return .rejected(status: status, message: failed)
            }
            return .uncertain(reason: unreadableReason(response, parsed: json != nil))
        default:
            return .uncertain(reason: "unexpected HTTP status \(status)")
        }
    }

    /// The endpoint as shown in a message: no user name or password, capped.
    private static func url(_ endpoint: URL?) -> String {
        guard let endpoint else { return "" }
        var parts = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)
        parts?.user = nil
        parts?.password = nil
        return String(TerminalText.clean(parts?.string ?? endpoint.absoluteString).prefix(messageCap))
    }

    /// A transport failure as an outcome: all of them are worth another try.
    public static func classify(_ error: TransportError) -> DeliveryOutcome {
        .temporary(reason: error.description, retryAfter: nil)
    }

    /// The body as kept in the history: at most `rawBodyCap` bytes, invalid UTF-8 repaired,
    /// control characters escaped so it can be shown or logged without acting on a terminal.
    public static func rawBody(_ response: HTTPResponseData) -> String {
        let capped = response.body.prefix(rawBodyCap)
        var text = TerminalText.escapeControls(String(decoding: capped, as: UTF8.self))
        if response.body.count > rawBodyCap || response.bodyTruncated {
            text += " …[cut at \(rawBodyCap) bytes]"
        }
        return text
    }

    /// `Retry-After` as seconds or an HTTP date; negative or unreadable values are ignored.
    /// An HTTP-date (IMF-fixdate, "Tue, 14 Nov 2023 22:14:20 GMT"), parsed by a value made once
    /// (a DateFormatter per header was the old way).
    private static let httpDate = Date.ParseStrategy(
        format:
            "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
        locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(identifier: "GMT")!)

    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let raw = value?.trimmingSpace(newlines: false), !raw.isEmpty else { return nil }
        if let seconds = Int(raw) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = try? httpDate.parse(raw) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return .seconds(max(0, Int(seconds.rounded(.up))))
    }

    // MARK: - Reading the JSON

    /// Bodies over this size are not parsed: a real answer is a few hundred bytes.
    private static let parseCap = 256 * 1024

    private static func parseJSON(_ body: Data) -> Any? {
        guard !body.isEmpty, body.count <= parseCap else { return nil }
        return try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }

    /// The objects of the answer: the top object, or the objects of a top array.
    private static func objects(in json: Any) -> [[String: Any]] {
        if let object = json as? [String: Any] { return [object] }
        if let array = json as? [Any] { return array.compactMap { $0 as? [String: Any] } }
        return []
    }

    private static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            // A JSON boolean arrives as an NSNumber too; it is not an id or a message.
            if isBoolNumber(n) { return nil }
            return n.stringValue
        default: return nil
        }
    }

    private static func lowered(_ value: Any?) -> String {
        (string(value) ?? "").lowercased()
    }

    private static func isNotAuthorized(_ object: [String: Any]) -> Bool {
        let error = lowered(object["error"]) + " " + lowered(object["message"])
        return error.contains("not authorized") || error.contains("not authorised") || error.contains("unauthorized")
    }

    /// An id as the CRM gave it: "287 9" (the PDF's line wrap) and " 2879 " both read 2879.
    private struct CRMID { let value: String? }

    private static func crmID(_ object: [String: Any]) -> String? {
        guard let raw = string(object["unique_id"]) else { return nil }
        let cleaned = TerminalText.clean(raw).filter { !$0.isWhitespace }
        return cleaned.isEmpty ? nil : String(cleaned.prefix(64))
    }

    private static func duplicateID(in entries: [[String: Any]]) -> CRMID? {
        guard let entry = entries.first(where: { lowered($0["message"]).contains("duplicate") }) else { return nil }
        return CRMID(value: crmID(entry))
    }

    private static func acceptedID(in entries: [[String: Any]]) -> CRMID? {
        if let entry = entries.first(where: { lowered($0["status"]) == "success" && crmID($0) != nil }) {
            return CRMID(value: crmID(entry))
        }
        if let entry = entries.first(where: {
            lowered($0["status"]) == "success" || lowered($0["message"]) == "contact_number_added"
        }) {
            // "Added" without an id: the lead is there; the id is looked for in any entry.
            return CRMID(value: crmID(entry) ?? entries.lazy.compactMap(crmID).first)
        }
        return nil
    }

    private static func failedMessage(in entries: [[String: Any]]) -> String? {
        guard
            let entry = entries.first(where: {
                let status = lowered($0["status"])
                return status == "failed" || status == "false" || status == "error"
                    || (($0["status"] as? NSNumber).map { isBoolNumber($0) && !$0.boolValue } ?? false)
            })
        else { return nil }
        return message(in: [entry]) ?? "the CRM answered \"failed\" without a reason"
    }

    /// The first human message in the answer, cleaned and capped.
    private static func message(in entries: [[String: Any]]) -> String? {
        for entry in entries {
            for key in ["error", "message", "msg", "detail", "reason"] {
                if let text = string(entry[key]) {
                    let cleaned = TerminalText.clean(text).trimmingSpace(newlines: false)
                    if !cleaned.isEmpty { return String(cleaned.prefix(messageCap)) }
                }
            }
        }
        return nil
    }

    /// A short readable piece of a non-JSON body (an HTML error page's text, say); JSON without a
    /// message says nothing a person can use.
    private static func bodySnippet(_ response: HTTPResponseData, parsed: Bool) -> String? {
        if parsed { return nil }
        let text = String(decoding: response.body.prefix(8192), as: UTF8.self)
        let withoutTags = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        let cleaned = TerminalText.clean(withoutTags)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return cleaned.isEmpty ? nil : String(cleaned.prefix(messageCap))
    }

    private static func unreadableReason(_ response: HTTPResponseData, parsed: Bool) -> String {
        if response.bodyTruncated { return "HTTP \(response.status) with a body too large to read" }
        if response.body.isEmpty { return "HTTP \(response.status) with an empty body" }
        if parsed { return "HTTP \(response.status) with JSON of an unknown shape" }
        let start = String(decoding: response.body.prefix(64), as: UTF8.self).lowercased()
        if start.contains("<html") || start.contains("<!doctype") {
            return "HTTP \(response.status) with an HTML page instead of JSON"
        }
        return "HTTP \(response.status) with a body that is not valid JSON (truncated?)"
    }
}

/// JSONSerialization hands booleans over as NSNumber; on Linux their objCType is "c" (char),
/// which no JSON number gets.
private func isBoolNumber(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}
