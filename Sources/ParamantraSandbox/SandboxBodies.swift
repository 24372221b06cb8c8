import Foundation

/// The answers, in the exact shapes of the vendor's document (docs/api-contract.md, in our words).
enum SandboxBodies {
    static let escapeNoise = "\u{1B}[2J\u{1B}[31m\u{1B}]0;sandbox-title\u{07}"

    /// `[{"contact_number":"…","message":"contact_number_added"},{"contact_number":"…","unique_id":2882,"status":"success"}]`
    static func success(phone: String, id: Int, noisy: Bool) -> String {
        let message = noisy ? escapeNoise + "contact_number_added" : "contact_number_added"
        return "[{\"contact_number\":\(json(phone)),\"message\":\(json(message))},"
            + "{\"contact_number\":\(json(phone)),\"unique_id\":\(id),\"status\":\"success\"}]"
    }

    /// `[{"contact_number":"…","status":"failed","message":"duplicate_entry","unique_id":"2879"}]`
    static func duplicate(phone: String, id: Int, noisy: Bool) -> String {
        let message = noisy ? "duplicate_entry" + escapeNoise : "duplicate_entry"
        return
            "[{\"contact_number\":\(json(phone)),\"status\":\"failed\",\"message\":\(json(message)),\"unique_id\":\(json(String(id)))}]"
    }

    /// `{"status":false,"error":"Not authorized"}`
    static let notAuthorized = "{\"status\":false,\"error\":\"Not authorized\"}"

    static func error(_ message: String, noisy: Bool) -> String {
        "{\"status\":false,\"error\":\(json(noisy ? escapeNoise + message : message))}"
    }

    static func html(status: Int) -> String {
        "<!DOCTYPE html><html><head><title>\(status) Bad Gateway</title></head>"
            + "<body><h1>\(status) Bad Gateway</h1><hr><center>nginx</center></body></html>\n"
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
