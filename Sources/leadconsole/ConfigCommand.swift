import ArgumentParser
import ConsoleState
import Foundation
import LeadOutbox
import ParamantraAPI

/// `leadconsole config`: where the files are, what is set, and changing it.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or change the settings (config.json, mode 600).",
        subcommands: [Path.self, Show.self, Get.self, Set.self, SetKey.self])

    struct Path: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the config file and the data folder.")
        @OptionGroup var store: StoreOptions
        func run() async throws {
            writeLine("config: \(store.locations.configFile.path)")
            writeLine("data: \(store.locations.dataDirectory.path)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting and where it comes from (the key masked).")
        @OptionGroup var store: StoreOptions
        func run() async throws {
            try await failing {
                // The helper is named, not run: show works even when it needs a passphrase.
                let effective = try store.settings(runKeyHelper: false)
                for key in Settings.Key.allCases {
                    let (value, source) = ConfigCommand.shown(key, in: effective)
                    writeLine(
                        "\(key.rawValue) = \(value)"
                            + (source == "file"
                                ? ""
                                : "  (\(source == "environment" ? "from \(EffectiveSettings.environmentNames[key] ?? "environment")" : source == "api_key_command" ? "from api_key_command" : source))")
                    )
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one setting's value, as show does (the key masked), for scripts.")
        @Argument(
            help: ArgumentHelp(
                "One of: \(Settings.Key.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "key"),
            completion: .list(Settings.Key.allCases.map(\.rawValue)))
        var key: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await failing {
                guard let setting = Settings.Key(rawValue: key) else {
                    throw CommandFailure(message: "error: \(SettingsError.unknownKey(key))", status: ExitStatus.usage)
                }
                let effective = try store.settings(runKeyHelper: false)
                writeLine(ConfigCommand.shown(setting, in: effective).value)
            }
        }
    }

    /// A setting as `show` and `get` print it: the key masked (or named as the helper's), and
    /// where the value comes from.
    static func shown(_ key: Settings.Key, in effective: EffectiveSettings) -> (value: String, source: String) {
        let fromHelper = effective.sources[.apiKey] != .environment && !effective.settings.apiKeyCommand.isEmpty
        var value = effective.settings[key]
        if key == .apiKey { value = value.isEmpty ? "(not set)" : APIKey(value).masked }
        var source = effective.sources[key]?.rawValue ?? "default"
        if key == .apiKey && fromHelper {
            value = "(printed by api_key_command when needed)"
            source = "api_key_command"
        }
        return (TerminalText.clean(value), source)
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set one setting: config set KEY VALUE (the API key: use set-key).")
        @Argument(
            help: ArgumentHelp(
                "One of: \(Settings.Key.allCases.filter { $0 != .apiKey }.map(\.rawValue).joined(separator: ", ")).",
                valueName: "key"),
            completion: .list(Settings.Key.allCases.filter { $0 != .apiKey }.map(\.rawValue)))
        var key: String
        @Argument(
            help: ArgumentHelp(
                "The value (true or false for a flag; \(Self.phoneFormats) for phone_format).", valueName: "value"),
            completion: .custom { words, index, prefix in
                // The value's choices follow from the key just before it.
                let key = index > 0 && index - 1 < words.count ? words[index - 1] : ""
                return (Settings.Key(rawValue: key).flatMap(SettingsForm.choices) ?? []).filter { $0.hasPrefix(prefix) }
            })
        var value: String
        @OptionGroup var store: StoreOptions

        static let phoneFormats = PhoneNumber.WireFormat.allCases.map(\.rawValue).joined(separator: ", ")

        func run() async throws {
            try await failing {
                guard let setting = Settings.Key(rawValue: key) else {
                    throw CommandFailure(message: "error: \(SettingsError.unknownKey(key))", status: ExitStatus.usage)
                }
                guard setting != .apiKey else {
                    throw CommandFailure(
                        message:
                            "error: the API key is never taken on the command line (it would show in ps); run: leadconsole config set-key",
                        status: ExitStatus.usage)
                }
                try ConfigCommand.update(store) { settings throws(CommandFailure) in
                    do { try settings.set(setting, value) } catch {
                        throw CommandFailure(message: "error: \(error)", status: ExitStatus.usage)
                    }
                }
                writeLine("\(setting.rawValue) = \(TerminalText.clean(value))")
                // A fixed endpoint or app name: held leads get a fresh attempt.
                if setting == .endpoint || setting == .appName { try await ConfigCommand.releaseHeld(store) }
            }
        }
    }

    struct SetKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-key",
            abstract: "Read the API key from standard input (not echoed on a terminal) and save it.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await failing {
                let key = try SecretInput.read(prompt: "Paramantra API key: ")
                guard !key.isEmpty else {
                    throw CommandFailure(message: "error: no key was given", status: ExitStatus.usage)
                }
                if let problem = Credentials(apiKey: APIKey(key), appName: "x").problems().first {
                    throw CommandFailure(message: "error: \(problem)", status: ExitStatus.usage)
                }
                try ConfigCommand.update(store) { $0.apiKey = key }
                writeLine("api_key = \(APIKey(key).masked) saved in \(store.locations.configFile.path)")
                // Leads held for refused credentials go back to the queue.
                try await ConfigCommand.releaseHeld(store)
            }
        }
    }

    /// After a fix to the credentials or the endpoint, held leads go back to the queue, due now.
    static func releaseHeld(_ store: StoreOptions) async throws {
        guard let database = try? store.database(), try await database.hasHeldLeads() else { return }
        let due = try await database.releaseAndRetryNow()
        writeLine("\(due) held or queued lead\(due == 1 ? "" : "s") will be sent again; run: leadconsole retry")
    }

    /// Loads the file (refusing a broken or exposed one), changes it, writes it back at 0600.
    static func update(_ store: StoreOptions, _ change: (inout Settings) throws(CommandFailure) -> Void)
        throws(CommandFailure)
    {
        let file = SettingsFile(url: store.locations.configFile)
        var settings: Settings
        do { settings = try file.load() } catch {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.configuration)
        }
        try change(&settings)
        do { try file.save(settings) } catch {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.cannotCreate)
        }
    }
}
