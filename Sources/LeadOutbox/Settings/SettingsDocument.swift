import Foundation

/// config.json's object as its names and values, read by JSONDecoder. Each value is read as
/// the type its key wants (a flag as true or false, the rest as strings), so reading a good
/// file throws nothing and casts nothing: JSONSerialization's `Any` values cost a dynamic cast
/// each, whose first use scanned the runtime's conformance records, the largest part of the
/// time `prompt` spent reading its settings before its first question (perf).
struct SettingsDocument: Decodable {
    enum Value: Equatable {
        case text(String)
        case flag(Bool)
        /// A value of another JSON type than its key takes (a number, null, a list...).
        case wrongType
        /// A name that is no setting; `SettingsFile.parse` names it.
        case unknownKey
    }

    /// In the order of their names, so the first problem reported is the same at every run.
    let entries: [(name: String, value: Value)]

    private struct Name: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: Name.self)
        entries = object.allKeys.sorted { $0.stringValue < $1.stringValue }.map { name in
            guard let key = Settings.Key(rawValue: name.stringValue) else { return (name.stringValue, .unknownKey) }
            let value: Value? =
                key.isFlag
                ? (try? object.decode(Bool.self, forKey: name)).map(Value.flag)
                : (try? object.decode(String.self, forKey: name)).map(Value.text)
            return (name.stringValue, value ?? .wrongType)
        }
    }
}
