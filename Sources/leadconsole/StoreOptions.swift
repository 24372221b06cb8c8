import ArgumentParser
import Foundation
import LeadOutbox
import ParamantraAPI

/// Where the data and the settings live; shared by every command that uses the store.
struct StoreOptions: ParsableArguments, StorePlace {
    @Option(
        help: ArgumentHelp(
            "Data folder (else LEADCONSOLE_DATA_DIR, else $XDG_DATA_HOME/leadconsole).", valueName: "dir"),
        completion: .directory)
    var dataDir: String?
    @Option(
        help: ArgumentHelp(
            "Config folder (else LEADCONSOLE_CONFIG_DIR, else $XDG_CONFIG_HOME/leadconsole).", valueName: "dir"),
        completion: .directory)
    var configDir: String?
}

/// The folders as given on a command line the parser did not read (the console's fast start:
/// `leadconsole`, `leadconsole --demo`), where the environment decides.
struct StoreFolders: StorePlace {
    var dataDir: String?
    var configDir: String?
}

/// The data and config folders a command was given, and what is opened from them.
protocol StorePlace: Sendable {
    var dataDir: String? { get }
    var configDir: String? { get }
}

extension StorePlace {
    var locations: DataLocations {
        DataLocations.resolve(dataDir: dataDir, configDir: configDir)
    }

    /// The folders, from an environment the caller read once (the console's start reads it
    /// once for the folders and the settings: each read builds the whole dictionary anew).
    func locations(environment: [String: String]) -> DataLocations {
        DataLocations.resolve(dataDir: dataDir, configDir: configDir, environment: environment)
    }

    /// The settings file with the environment on top; a broken file stops the command with the
    /// file, the line and the fix.
    /// With `runKeyHelper` false (config show), `api_key_command` is named, not run.
    /// `environment` and `locations`, when given, are the ones the caller already has.
    func settings(
        keyFile: String? = nil, runKeyHelper: Bool = true, environment: [String: String]? = nil,
        locations given: DataLocations? = nil
    ) throws(CommandFailure) -> EffectiveSettings {
        let environment = environment ?? ProcessEnvironment.current()
        let file = SettingsFile(url: (given ?? locations(environment: environment)).configFile)
        do {
            let fromFile = try file.load()
            var effective = try EffectiveSettings.resolve(
                file: fromFile, fileExists: FileManager.default.fileExists(atPath: file.url.path),
                environment: environment)
            if let keyFile {
                effective.settings.apiKey = try CredentialSource.readKeyFile(keyFile)
                effective.sources[.apiKey] = .file
            } else if runKeyHelper, effective.sources[.apiKey] != .environment,
                !effective.settings.apiKeyCommand.isEmpty
            {
                // --api-key-file, then PARAMANTRA_API_KEY, then the helper, then config.json's key.
                effective.settings.apiKey = try KeyHelper.key(from: effective.settings.apiKeyCommand)
                effective.sources[.apiKey] = .helper
            }
            // Whichever source it came from, refused before anything is sent.
            let length = effective.settings.apiKey.utf8.count
            if length > Settings.maximumKeyBytes {
                let source =
                    keyFile
                    ?? (effective.sources[.apiKey] == .environment
                        ? "PARAMANTRA_API_KEY"
                        : effective.sources[.apiKey] == .helper ? "api_key_command" : "config.json")
                throw CommandFailure(
                    message:
                        "error: the API key (from \(source)) is \(length) bytes long; a Paramantra key is at most \(Settings.maximumKeyBytes): check where it comes from",
                    status: ExitStatus.configuration)
            }
            return effective
        } catch let problem as SettingsFile.Problem {
            throw CommandFailure(message: "error: \(problem)", status: ExitStatus.configuration)
        } catch let failure as KeyHelper.Failure {
            throw CommandFailure(message: "error: \(failure)", status: ExitStatus.configuration)
        } catch let error as SettingsError {
            throw CommandFailure(message: "error: environment: \(error)", status: ExitStatus.configuration)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.configuration)
        }
    }

    /// The database opened to read only (history, export): no write lock, nothing created; nil
    /// when there is none yet.
    func reader() throws(CommandFailure) -> LeadDatabase? {
        do {
            return try LeadDatabase.reading(from: locations.dataDirectory, marker: locations.marker)
        } catch let error as StoreError {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.of(error))
        } catch {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.cannotCreate)
        }
    }

    /// The delivery lock of the data folder, for a command that must be the only one writing
    /// (doctor, restore); refused naming the command to run again once the others are closed.
    func exclusiveLock(for command: String) throws(CommandFailure) -> DeliveryLock {
        do {
            if let lock = try DeliveryLock.tryAcquire(locations.deliveryLockFile) { return lock }
        } catch {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.cannotCreate)
        }
        throw CommandFailure(
            message:
                "another leadconsole (console, import, retry) is using \(locations.dataDirectory.path): close it, then run leadconsole \(command) again",
            status: ExitStatus.temporary)
    }

    func database() throws(CommandFailure) -> LeadDatabase {
        do {
            return try LeadDatabase(locations: locations)
        } catch let error as StoreError {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.of(error))
        } catch {
            throw CommandFailure(message: "error: \(error)", status: ExitStatus.cannotCreate)
        }
    }
}

/// Runs a command body, turning a `CommandFailure` into its message and exit status.
func failing<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw reported(error) }
}

/// `failing` for a synchronous body, run where it is called (no suspension point).
func failingNow<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw reported(error) }
}

/// A command's failure said on standard error, as the exit status it ends with; any other error
/// is left to ArgumentParser. A full disk, a damaged or locked database: the file is named, and
/// the status is never 1, which means "rejected by the CRM".
private func reported(_ error: any Error) -> any Error {
    switch error {
    case let failure as CommandFailure:
        writeLine(failure.message, toError: true)
        return ExitCode(failure.status)
    case let error as StoreError:
        writeLine("error: \(error)", toError: true)
        return ExitCode(ExitStatus.of(error))
    default:
        return error
    }
}
