import Foundation

/// What a workbook cell says, as text a lead can hold. Spreadsheets keep phones as numbers
/// (9820012345 stored as a double) and dates as day counts; a rep expects the digits and the
/// day they typed. Pure functions, each a table test.
public enum CellValue {
    /// The zero-based column of a cell reference ("A1" → 0, "AB12" → 27); nil when it has no letters.
    public static func column(ofReference reference: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 || scalar.value >= 97 && scalar.value <= 122 else { break }
            column = column * 26 + Int((scalar.value & 0x1F))
            letters += 1
            // Excel stops at XFD (16,384 columns); three letters are the most a real sheet has.
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }

    /// A zero-based column's letters, as a cell reference spells it (0 → "A", 27 → "AB"): the
    /// inverse of `column(ofReference:)`.
    public static func columnName(_ index: Int) -> String {
        var name = ""
        var number = index + 1
        while number > 0 {
            let remainder = (number - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            number = (number - 1) / 26
        }
        return name
    }

    /// A stored number as a person wrote it: whole numbers as their digits (no ".0", no
    /// exponent: a phone stays a phone), others in the shortest form that reads back the same.
    public static func number(_ stored: String) -> String {
        guard let value = Double(stored), value.isFinite else { return stored }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = "\(value)"
        guard text.contains("e") else { return text }
        // A fraction too small or large for digits: the decimal expansion, not an exponent.
        return NSDecimalNumber(string: stored).stringValue
    }

    /// A date stored as days since the workbook's epoch (1899-12-30, or 1904-01-01 for
    /// workbooks from old Macs), as `yyyy-MM-dd`, with ` HH:mm` when it has a time of day. The
    /// day is the one written in the cell: no time zone moves it.
    public static func date(_ stored: String, date1904: Bool = false) -> String {
        guard let days = Double(stored), days.isFinite, abs(days) < 3_000_000 else { return stored }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let epoch =
            date1904 ? DateComponents(year: 1904, month: 1, day: 1) : DateComponents(year: 1899, month: 12, day: 30)
        let seconds = (days * 86_400).rounded()
        guard let start = calendar.date(from: epoch) else { return stored }
        let moment = start.addingTimeInterval(seconds)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        guard seconds.truncatingRemainder(dividingBy: 86_400) != 0 else { return day }
        return day + String(format: " %02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// Whether a number format shows a date or time: the built-in ids Excel reserves for them,
    /// or a custom code with day, month, year or hour letters outside quotes and brackets
    /// (`dd/mm/yyyy`, `[$-409]d-mmm-yy`; not `0.00`, not `"Rs" #,##0`).
    public static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) {
            return true
        }
        guard let code else { return false }
        var quoted = false
        var bracket = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            default: if !quoted && !bracket && "dmyhs".contains(character) { return true }
            }
        }
        return false
    }
}
