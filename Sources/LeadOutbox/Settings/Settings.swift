import ContactCards
import Foundation
import ParamantraAPI

/// What a rep sets once: where leads go, as whom, and the form's defaults.
public struct Settings: Sendable, Hashable {
    public var endpoint: String = Credentials.defaultEndpoint.absoluteString
    public var apiKey: String = ""
    public var appName: String = ""
    public var defaultSubject: String = ""
    public var defaultChannel: String = ""
    public var defaultRep: String = ""
    public var defaultProject: String = ""
    public var alertClient = false
    public var alertRep = false
    public var phoneFormat: PhoneNumber.WireFormat = .tenDigits
    /// Whether Project and the alerts stay as they were for the next lead (an expo's project all
    /// day); when false they go back to the defaults after each lead. Subject, Channel and Rep
    /// always stay.
    public var keepProject = true
    /// Whether the console takes clicks and the wheel (as htop and mc do); false leaves the mouse
    /// to the terminal (`--no-mouse` does the same for one run).
    public var mouse = true
    /// A folder (a USB stick) where the console keeps a rolling copy of the database; empty: none.
    public var backupDir: String = ""
    /// A program that prints the API key (a password manager), run without a shell when the key
    /// is needed; empty: none. The key it prints is never stored.
    public var apiKeyCommand: String = ""
    /// How the expo's badges print a visitor when they are not a vCard or MECARD
    /// (`name|company|phone|email`); nil: only the standard cards are scans.
    public var scanFormat: ScanFormat?

    public init() {}

    /// The keys of config.json, in the order `config show` prints them.
    public enum Key: String, CaseIterable, Sendable {
        case endpoint
        case apiKey = "api_key"
        case appName = "app_name"
        case defaultSubject = "default_subject"
        case defaultChannel = "default_channel"
        case defaultRep = "default_rep"
        case defaultProject = "default_project"
        case alertClient = "alert_client"
        case alertRep = "alert_rep"
        case phoneFormat = "phone_format"
        case keepProject = "keep_project"
        case mouse
        case backupDir = "backup_dir"
        case apiKeyCommand = "api_key_command"
        case scanFormat = "scan_format"

        public var isFlag: Bool { [.alertClient, .alertRep, .keepProject, .mouse].contains(self) }

        /// The name the settings screen and its messages give it.
        public var label: String {
            switch self {
            case .endpoint: return "Endpoint URL"
            case .apiKey: return "API key"
            case .appName: return "App name"
            case .defaultSubject: return "Subject"
            case .defaultChannel: return "Channel"
            case .defaultRep: return "Rep"
            case .defaultProject: return "Project"
            case .alertClient: return "Alert customer"
            case .alertRep: return "Alert rep"
            case .phoneFormat: return "Phone on wire"
            case .keepProject: return "Keep project"
            case .mouse: return "Mouse"
            case .backupDir: return "Backup folder"
            case .apiKeyCommand: return "Key command"
            case .scanFormat: return "Badge format"
            }
        }
    }

    public subscript(key: Key) -> String {
        switch key {
        case .endpoint: return endpoint
        case .apiKey: return apiKey
        case .appName: return appName
        case .defaultSubject: return defaultSubject
        case .defaultChannel: return defaultChannel
        case .defaultRep: return defaultRep
        case .defaultProject: return defaultProject
        case .alertClient: return alertClient ? "true" : "false"
        case .alertRep: return alertRep ? "true" : "false"
        case .phoneFormat: return phoneFormat.rawValue
        case .keepProject: return keepProject ? "true" : "false"
        case .mouse: return mouse ? "true" : "false"
        case .backupDir: return backupDir
        case .apiKeyCommand: return apiKeyCommand
        case .scanFormat: return scanFormat?.description ?? ""
        }
    }

    /// The longest API key sent: a key goes into two headers of every request, and a 13 MB one
    /// (a wrong file given as the key file) would be answered 431 as if the lead were at fault.
    public static let maximumKeyBytes = 512

    /// Sets a value given as text (from `config set` or the file); the message says what is wrong.
    public mutating func set(_ key: Key, _ text: String) throws(SettingsError) {
        let value = text.trimmingSpace()
        switch key {
        case .endpoint:
            guard let url = Credentials.endpoint(from: value),
                ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else {
                throw SettingsError.invalidValue(
                    key.rawValue, "an http:// or https:// URL, e.g. \(Credentials.defaultEndpoint.absoluteString)")
            }
            endpoint = url.absoluteString
        case .apiKey:
            guard value.utf8.count <= Self.maximumKeyBytes else {
                throw SettingsError.invalidValue(
                    key.rawValue, "at most \(Self.maximumKeyBytes) bytes long (a Paramantra key is far shorter)")
            }
            apiKey = value
        case .appName: appName = value
        case .defaultSubject: defaultSubject = value
        case .defaultChannel: defaultChannel = value
        case .defaultRep: defaultRep = value
        case .defaultProject: defaultProject = value
        case .alertClient, .alertRep, .keepProject, .mouse:
            guard
                let flag = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][
                    value.lowercased()]
            else {
                throw SettingsError.invalidValue(key.rawValue, "true or false")
            }
            switch key {
            case .alertClient: alertClient = flag
            case .alertRep: alertRep = flag
            case .mouse: mouse = flag
            default: keepProject = flag
            }
        case .phoneFormat:
            guard let format = PhoneNumber.WireFormat(rawValue: value) else {
                throw SettingsError.invalidValue(
                    key.rawValue, PhoneNumber.WireFormat.allCases.map(\.rawValue).joined(separator: " or "))
            }
            phoneFormat = format
        case .backupDir:
            guard value.isEmpty || value.hasPrefix("/") else {
                throw SettingsError.invalidValue(
                    key.rawValue, "an absolute folder path, e.g. /media/usb/leads (or empty)")
            }
            backupDir = value
        case .apiKeyCommand:
            guard value.isEmpty || !CommandLineWords.split(value).isEmpty else {
                throw SettingsError.invalidValue(key.rawValue, "a command, e.g. pass show paramantra/acme (or empty)")
            }
            apiKeyCommand = value
        case .scanFormat:
            do {
                scanFormat = value.isEmpty ? nil : try ScanFormat(value)
            } catch {
                throw SettingsError.invalidValue(key.rawValue, error.description + " (or empty)")
            }
        }
    }

    /// What keeps leads from going out, in a person's words ("no API key"); nil when nothing.
    public var missingCredentials: String? {
        var missing: [String] = []
        if endpoint.trimmingSpace(newlines: false).isEmpty {
            missing.append("no endpoint URL")
        } else if Credentials.endpoint(from: endpoint) == nil {
            missing.append("the endpoint URL is not a URL")
        }
        if apiKey.isEmpty { missing.append("no API key") }
        if appName.isEmpty { missing.append("no app name") }
        return missing.isEmpty ? nil : missing.joined(separator: ", ")
    }

    /// The credentials, or nil while the key or app name is missing.
    public var credentials: Credentials? {
        guard let url = Credentials.endpoint(from: endpoint), !apiKey.isEmpty, !appName.isEmpty else { return nil }
        return Credentials(endpoint: url, apiKey: APIKey(apiKey), appName: appName)
    }
}

public enum SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidValue(String, String)
    case unknownKey(String)

    public var description: String {
        switch self {
        case .invalidValue(let key, let expected): return "\(key) must be \(expected)"
        case .unknownKey(let key):
            return
                "unknown setting \"\(key)\" (known: \(Settings.Key.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
