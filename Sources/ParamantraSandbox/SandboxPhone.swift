/// The sandbox's own reading of a phone number, written apart from the client's so that a
/// mistake in one is caught by the other: ten digits, after an optional +91, 0091, 91 (when 12
/// digits) or 0 (when 11 digits). nil when it is not such a number.
enum SandboxPhone {
    static func tenDigits(_ raw: String) -> String? {
        var text = raw.filter { $0 != " " && $0 != "-" }
        if text.hasPrefix("+91") { text.removeFirst(3) } else if text.hasPrefix("0091") { text.removeFirst(4) }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if text.count == 12 && text.hasPrefix("91") { text.removeFirst(2) }
        if text.count == 11 && text.hasPrefix("0") { text.removeFirst(1) }
        return text.count == 10 ? text : nil
    }
}
