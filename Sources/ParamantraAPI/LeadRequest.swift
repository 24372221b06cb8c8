import Foundation

/// Builds the exact request the vendor's curl sample sends (docs/api-contract.md).
public enum LeadRequest {
    public static let contentType = "application/x-www-form-urlencoded"
    public static let userAgent = "LeadConsole/1.0"

    /// Form fields in the order of the vendor's curl sample. Empty optional text fields are left
    /// out (an empty `email=` could be refused as a malformed address); alerts are always sent,
    /// `0` unless turned on, as the sample does.
    public static func formPairs(_ valid: ValidLead, phoneFormat: PhoneNumber.WireFormat) -> [(String, String)] {
        let lead = valid.lead
        var pairs: [(String, String)] = []
        func optional(_ field: LeadField) {
            let value = lead[field]
            if !value.isEmpty { pairs.append((field.wireName, value)) }
        }
        optional(.firstName)
        optional(.lastName)
        optional(.email)
        pairs.append((LeadField.phone.wireName, valid.phone.wire(phoneFormat)))
        pairs.append((LeadField.subject.wireName, lead.subject))
        pairs.append((LeadField.channel.wireName, lead.channel))
        optional(.project)
        optional(.notes)
        pairs.append((LeadField.rep.wireName, lead.rep))
        pairs.append((LeadField.alertClient.wireName, lead.alertClient ? "1" : "0"))
        pairs.append((LeadField.alertRep.wireName, lead.alertRep ? "1" : "0"))
        return pairs
    }

    /// POST, form body, Basic key:key, `X-API-KEY` and `ACTION-ON`, all three as the sample does.
    public static func build(
        _ valid: ValidLead, credentials: Credentials, phoneFormat: PhoneNumber.WireFormat = .tenDigits
    ) -> HTTPRequestSpec {
        let body = FormEncoding.encode(formPairs(valid, phoneFormat: phoneFormat))
        let key = credentials.apiKey.revealed
        let basic = Data("\(key):\(key)".utf8).base64EncodedString()
        return HTTPRequestSpec(
            method: "POST",
            url: credentials.endpoint,
            headers: [
                HTTPHeader("Authorization", "Basic \(basic)"),
                HTTPHeader("X-API-KEY", key),
                HTTPHeader("ACTION-ON", credentials.appName),
                HTTPHeader("Content-Type", contentType),
                HTTPHeader("Accept", "application/json"),
                HTTPHeader("Cache-Control", "no-cache"),
                HTTPHeader("User-Agent", userAgent)
            ],
            body: Data(body.utf8)
        )
    }

    /// The standard phrase of the statuses a wrong endpoint answers with, for a bodiless answer.
    static func reasonPhrase(_ status: Int) -> String {
        [404: "Not Found", 405: "Method Not Allowed", 410: "Gone", 431: "Request Header Fields Too Large"][status]
            ?? "HTTP \(status)"
    }
}
