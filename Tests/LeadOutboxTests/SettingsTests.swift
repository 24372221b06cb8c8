import Foundation
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

@Suite("Settings and locations")
struct SettingsTests {
    @Test func savedAtomicallyOwnerOnlyAndReadBack() async throws {
        try await TempFolder.with { folder in
            let file = SettingsFile(url: folder.url.appendingPathComponent("cfg/config.json"))
            var settings = Settings()
            settings.apiKey = "sk-live-abcdefgh1234"
            settings.appName = "ACME"
            try settings.set(.alertRep, "yes")
            try settings.set(.phoneFormat, "91-ten-digits")
            settings.defaultChannel = "Walk-in"
            try file.save(settings)
            #expect(mode(file.url.path) == 0o600)
            #expect(mode(file.url.deletingLastPathComponent().path) == 0o700)
            #expect(try file.load() == settings)
            let leftovers = try FileManager.default.contentsOfDirectory(
                atPath: file.url.deletingLastPathComponent().path)
            #expect(leftovers == ["config.json"])
        }
    }

    @Test func noFileMeansDefaults() throws {
        let settings = try SettingsFile(url: URL(fileURLWithPath: "/nonexistent/config.json")).load()
        #expect(settings == Settings())
        #expect(settings.endpoint == "https://cloud.paramantra.com/paramantra/api/data/new/format/json")
        #expect(settings.credentials == nil)
    }

    @Test func aFileOthersCanReadIsRefusedWithTheFix() async throws {
        try await TempFolder.with { folder in
            let url = folder.url.appendingPathComponent("config.json")
            try Data(#"{"api_key":"x"}"#.utf8).write(to: url)
            chmod(url.path, 0o644)
            let problem = #expect(throws: SettingsFile.Problem.self) { try SettingsFile(url: url).load() }
            #expect(
                problem.map { "\($0)" }
                    == "\(url.path) holds the API key and can be read by other users (mode 644); fix it with: chmod 600 \(url.path)"
            )
        }
    }

    @Test(
        "a broken file names the file, the line and the problem",
        arguments: [
            ("{\n  \"api_key\": \"k\",\n  \"app_name\": \n}", 4, "not valid JSON"),
            ("{\n  \"api_key\": \"k\",\n  \"apikey\": \"k\"\n}", 3, "unknown setting \"apikey\""),
            ("{\n  \"alert_rep\": \"yes\"\n}", 2, "alert_rep must be true or false"),
            ("{\n\n  \"phone_format\": \"12\"\n}", 3, "phone_format must be ten-digits or 91-ten-digits"),
            ("{\n  \"endpoint\": \"ftp://x\"\n}", 2, "endpoint must be an http:// or https:// URL"),
            ("{\n  \"alert_rep\": 1\n}", 2, "alert_rep must be true or false"),
            ("{\n  \"app_name\": true\n}", 2, "app_name must be a string"),
            ("{\n  \"api_key\": \"k\",\n  \"app_name\": null\n}", 3, "app_name must be a string"),
            ("{\n  \"app_name\": [\"A\"]\n}", 2, "app_name must be a string"),
            ("[1, 2]", 1, "expected a JSON object"),
            ("\"just text\"", 1, "expected a JSON object"),
            ("", 1, "not valid JSON")
        ])
    func broken(text: String, line: Int, problem: String) async throws {
        try await TempFolder.with { folder in
            let url = folder.url.appendingPathComponent("config.json")
            try Data(text.utf8).write(to: url)
            chmod(url.path, 0o600)
            do {
                _ = try SettingsFile(url: url).load()
                Issue.record("loaded a broken file")
            } catch {
                let message = "\(error)"
                #expect(message.hasPrefix("\(url.path) line \(line): "), "\(message)")
                #expect(message.contains(problem), "\(message)")
            }
        }
    }

    @Test func theEnvironmentOverridesTheFileAndSaysSo() throws {
        var file = Settings()
        file.apiKey = "from-file-1234567"
        file.appName = "FILEAPP"
        let effective = try EffectiveSettings.resolve(
            file: file, fileExists: true,
            environment: [
                "PARAMANTRA_API_KEY": "from-env-7654321", "PARAMANTRA_URL": "http://127.0.0.1:9/x"
            ])
        #expect(effective.settings.apiKey == "from-env-7654321")
        #expect(effective.settings.appName == "FILEAPP")
        #expect(effective.sources[.apiKey] == .environment && effective.sources[.endpoint] == .environment)
        #expect(effective.sources[.appName] == .file)
        #expect(effective.settings.credentials?.endpoint.absoluteString == "http://127.0.0.1:9/x")
    }

    @Test func locationsFollowFlagsThenVariablesThenXDG() {
        let env = ["HOME": "/home/rep", "XDG_DATA_HOME": "/xdg/data", "XDG_CONFIG_HOME": "relative/ignored"]
        let xdg = DataLocations.resolve(environment: env)
        #expect(xdg.databaseFile.path == "/xdg/data/leadconsole/leads.sqlite")
        #expect(xdg.configFile.path == "/home/rep/.config/leadconsole/config.json")
        let variables = DataLocations.resolve(
            environment: env.merging(["LEADCONSOLE_DATA_DIR": "/d", "LEADCONSOLE_CONFIG_DIR": "/c"]) { $1 })
        #expect(variables.databaseFile.path == "/d/leads.sqlite" && variables.configFile.path == "/c/config.json")
        let flags = DataLocations.resolve(
            dataDir: "/f", configDir: "/g", environment: env.merging(["LEADCONSOLE_DATA_DIR": "/d"]) { $1 })
        #expect(flags.dataDirectory.path == "/f" && flags.configDirectory.path == "/g")
        #expect(DataLocations.resolve(environment: ["HOME": "/h"]).dataDirectory.path == "/h/.local/share/leadconsole")
    }

    @Test func environmentValuesStayOutOfTheFileUnlessEdited() throws {
        var file = Settings()
        file.apiKey = "file-key-1234567"
        file.appName = "FILEAPP"
        let effective = try EffectiveSettings.resolve(
            file: file, fileExists: true,
            environment: [
                "PARAMANTRA_API_KEY": "env-key-7654321", "PARAMANTRA_APP_NAME": "ENVAPP"
            ])
        var edited = effective.settings
        edited.defaultChannel = "Expo"  // an ordinary edit
        edited.appName = "TYPEDAPP"  // the rep typed over an environment value
        let saved = effective.persistable(edited, file: file)
        #expect(saved.apiKey == "file-key-1234567")  // the environment's key is not written
        #expect(saved.appName == "TYPEDAPP")
        #expect(saved.defaultChannel == "Expo")
    }
}
