import Foundation

/// The secret API key. Its printed, debug and reflected forms show at most the last four
/// characters (none for a short key), so it cannot leak through `print`, string interpolation,
/// `dump` or a log line by accident. Read `revealed` only where the key must travel.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let revealed: String

    public init(_ key: String) { self.revealed = key }

    /// "••••wxyz" for a key of 12 or more characters, "••••" otherwise: showing four characters of
    /// a short key would give away too much of it.
    public var masked: String {
        revealed.count >= 12 ? "••••" + String(revealed.suffix(4)) : "••••"
    }

    public var isEmpty: Bool { revealed.isEmpty }
    public var description: String { masked }
    public var debugDescription: String { "APIKey(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }
}

/// Where and as whom leads are sent.
public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let defaultEndpoint = URL(string: "https://cloud.paramantra.com/paramantra/api/data/new/format/json")!

    public var endpoint: URL
    public var apiKey: APIKey
    /// Sent as the `ACTION-ON` header.
    public var appName: String

    public init(endpoint: URL = Credentials.defaultEndpoint, apiKey: APIKey, appName: String) {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.appName = appName
    }

    /// Plain http is allowed (the vendor's document uses it) but Basic auth then travels in clear:
    /// the UI and the command line warn whenever this is true.
    public var isPlainHTTP: Bool { endpoint.scheme?.lowercased() == "http" }

    /// A loopback endpoint (the sandbox): plain http there never leaves the machine.
    public var isLoopback: Bool {
        let host = (endpoint.host ?? "").lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missingKey, missingAppName
        case keyHasInvalidCharacters
        case appNameHasInvalidCharacters
        case endpointNotHTTP(String)
        case endpointWithoutHost(String)

        public var description: String {
            switch self {
            case .missingKey: return "The API key is empty"
            case .missingAppName: return "The app name (ACTION-ON) is empty"
            case .keyHasInvalidCharacters:
                return "The API key holds a space, colon or control character; copy it again from Paramantra"
            case .appNameHasInvalidCharacters: return "The app name holds a control character"
            case .endpointNotHTTP(let url):
                return "The endpoint must be an http:// or https:// URL (got \(TerminalText.clean(url)))"
            case .endpointWithoutHost(let url): return "The endpoint URL has no host (got \(TerminalText.clean(url)))"
            }
        }
    }

    /// Problems that would make every request fail or let a value break out of its header.
    public func problems() -> [Problem] {
        var found: [Problem] = []
        if apiKey.isEmpty {
            found.append(.missingKey)
        } else if apiKey.revealed.unicodeScalars.contains(where: {
            TerminalText.isControl($0) || $0 == ":" || $0 == " " || $0.value > 0x7E
        }) {
            // A colon would split the Basic user from its password; non-ASCII cannot go in a header.
            found.append(.keyHasInvalidCharacters)
        }
        if appName.trimmingSpace(newlines: false).isEmpty {
            found.append(.missingAppName)
        } else if appName.unicodeScalars.contains(where: { TerminalText.isControl($0) || $0.value > 0x7E }) {
            found.append(.appNameHasInvalidCharacters)
        }
        let scheme = endpoint.scheme?.lowercased()
        if scheme != "http" && scheme != "https" {
            found.append(.endpointNotHTTP(endpoint.absoluteString))
        } else if (endpoint.host ?? "").isEmpty {
            found.append(.endpointWithoutHost(endpoint.absoluteString))
        }
        return found
    }

    /// Parses a user-typed endpoint; nil when it is not a URL at all.
    public static func endpoint(from text: String) -> URL? {
        let trimmed = text.trimmingSpace()
        guard !trimmed.isEmpty, let url = URL(string: trimmed), url.scheme != nil else { return nil }
        return url
    }

    public var description: String {
        "\(endpoint.absoluteString) as \(appName) with key \(apiKey.masked)"
    }
    public var debugDescription: String {
        "Credentials(endpoint: \(endpoint.absoluteString), appName: \(appName), apiKey: \(apiKey.masked))"
    }
}
