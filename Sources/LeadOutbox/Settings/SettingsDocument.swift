import Foundation

/// config.json's object as its names and values, read by JSONDecoder. Each value is read as
/// the type its key wants (a flag as true or false, the rest as strings), so reading a good
/// file throws nothing and casts nothing: JSONSerialization's `Any` values cost a dynamic cast
/// each, whose first use scanned the runtime's conformance records, the largest part of the
/// time `prompt` spent reading its settings before its first question (perf).
struct SettingsDocument: Decodable {
    struct Entry {
        let name: String
        /// Nil for a name that is no setting.
        let key: Settings.Key?
        /// The value as `Settings.set` takes it (a flag as "true" or "false"); nil when the JSON
        /// value is of another type than its key takes (a number, null, a list...).
        let text: String?
    }

    /// In the order of their names, so the first problem reported is the same at every run.
    let entries: [Entry]

    private struct Name: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: Name.self)
        entries = object.allKeys.sorted { $0.stringValue < $1.stringValue }.map { name in
            guard let key = Settings.Key(rawValue: name.stringValue) else {
                return Entry(name: name.stringValue, key: nil, text: nil)
            }
            let text =
                key.isFlag
                ? (try? object.decode(Bool.self, forKey: name)).map { $0 ? "true" : "false" }
                : try? object.decode(String.self, forKey: name)
            return Entry(name: name.stringValue, key: key, text: text)
        }
    }
}
