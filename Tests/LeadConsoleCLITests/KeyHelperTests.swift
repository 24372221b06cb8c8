import Foundation
import TestSupport
import Testing

/// The key from a helper program (`api_key_command`), as git credential helpers work: run
/// without a shell when the key is needed, its first line used, never stored.
@Suite("api_key_command")
struct KeyHelperTests {
    static let lead = [
        "--first-name", "Asha", "--phone", "9876543210", "--subject", "Expo", "--channel", "Expo", "--rep", "smith"
    ]

    /// A helper script in `folder`: prints `output` (after noting its arguments) and exits `status`.
    static func helper(in folder: String, output: String, status: Int = 0) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/key helper.sh"
        let script = "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/ran\"\nprintf '\(output)'\nexit \(status)\n"
        FileManager.default.createFile(
            atPath: path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o700])
        return path
    }

    @Test func theKeyComesFromTheHelperAndIsNeverStored() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            let helper = try Self.helper(in: env.folder + "/bin", output: env.key + "\\nsecond line\\n")
            // Quoted as a shell would read it: the space in the path, an argument with a space.
            let command = "'\(helper)' show \"paramantra/acme corp\""
            let set = try await Binary.run(["config", "set", "api_key_command", command], environment: environment)
            #expect(set.status == 0, "\(set.stderr)")
            let sent = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
            #expect(await env.sandbox.leads().count == 1)
            #expect(
                try String(contentsOfFile: env.folder + "/bin/ran", encoding: .utf8) == "show paramantra/acme corp\n")
            let config = try String(contentsOfFile: env.folder + "/config/config.json", encoding: .utf8)
            #expect(!config.contains(env.key))
            let show = try await Binary.run(["config", "show"], environment: environment)
            #expect(show.stdout.contains("api_key = (printed by api_key_command when needed)  (from api_key_command)"))
            #expect(!show.stdout.contains(env.key) && !sent.stdout.contains(env.key) && !sent.stderr.contains(env.key))

            // PARAMANTRA_API_KEY wins: the helper is not run at all.
            try FileManager.default.removeItem(atPath: env.folder + "/bin/ran")
            let fromEnvironment = try await Binary.run(
                ["submit", "--phone", "9876543211"] + Self.lead.dropFirst(4), environment: env.environment)
            #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
            #expect(!FileManager.default.fileExists(atPath: env.folder + "/bin/ran"))
        }
    }

    @Test(
        "a helper that fails is a configuration error, and nothing is sent",
        arguments: [
            ("", 1, "failed (exit status 1)"),
            ("\\n", 0, "printed no key (its first line is empty)")
        ])
    func aFailingHelperIsAConfigurationError(output: String, status: Int, why: String) async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            let helper = try Self.helper(in: env.folder + "/bin", output: output, status: status)
            _ = try await Binary.run(["config", "set", "api_key_command", "'\(helper)'"], environment: environment)
            let result = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(result.status == 78)
            #expect(result.stderr.contains("api_key_command \"'\(helper)'\" \(why)"), "\(result.stderr)")
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    @Test func aMissingProgramIsNamed() async throws {
        var settingsEnvironment = ["LEADCONSOLE_CONFIG_DIR": NSTemporaryDirectory() + "/lc-\(UUID().uuidString)/config"]
        settingsEnvironment["LEADCONSOLE_DATA_DIR"] = settingsEnvironment["LEADCONSOLE_CONFIG_DIR"]! + "/../data"
        _ = try await Binary.run(
            ["config", "set", "api_key_command", "no-such-helper-program get"], environment: settingsEnvironment)
        let result = try await Binary.run(["retry"], environment: settingsEnvironment)
        #expect(result.status == 78 && result.stderr.contains("names no program found in PATH"), "\(result.stderr)")
    }
}

/// A helper runs as you with your key in reach: one that anyone else could change is not run,
/// and no source may hand over a "key" longer than any key.
@Suite("api_key_command and keys: trust")
struct KeyTrustTests {
    @Test func aHelperOthersCouldChangeIsNeverRun() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            let folder = env.folder + "/bin"
            let helper = try KeyHelperTests.helper(in: folder, output: env.key + "\\n")
            let set = try await Binary.run(
                ["config", "set", "api_key_command", "'\(helper)'"], environment: environment)
            #expect(set.status == 0, "\(set.stderr)")
            // A script anyone may write, then a script of ours in a folder anyone may write.
            let named = (folder as NSString).standardizingPath
            for (path, mode, says) in [
                (helper, mode_t(0o777), "mode 777"), (folder, mode_t(0o777), "\(named) can be written by other users")
            ] {
                chmod(helper, 0o700)
                chmod(folder, 0o755)
                chmod(path, mode)
                let refused = try await Binary.run(["submit"] + KeyHelperTests.lead, environment: environment)
                #expect(refused.status == 78, "\(refused.stdout) \(refused.stderr)")
                #expect(refused.stderr.contains("is not run") && refused.stderr.contains(says), "\(refused.stderr)")
                #expect(!FileManager.default.fileExists(atPath: folder + "/ran"), "the helper ran")
            }
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    @Test func aKeyLongerThanAnyKeyIsRefusedBeforeAnythingIsSent() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = String(repeating: "k", count: 600)
            let fromEnvironment = try await Binary.run(["submit"] + KeyHelperTests.lead, environment: environment)
            #expect(fromEnvironment.status == 78, "\(fromEnvironment.stderr)")
            #expect(
                fromEnvironment.stderr.contains("api_key must be at most 512 bytes long"), "\(fromEnvironment.stderr)")
            // A wrong file given as the key file: 13 KB of it would have gone out as two headers.
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let file = env.folder + "/big-key"
            FileManager.default.createFile(
                atPath: file, contents: Data(String(repeating: "x", count: 13_000).utf8),
                attributes: [.posixPermissions: 0o600])
            environment["PARAMANTRA_API_KEY"] = nil
            let fromFile = try await Binary.run(
                ["submit", "--api-key-file", file] + KeyHelperTests.lead, environment: environment)
            #expect(fromFile.status == 78 && fromFile.stderr.contains("is 13000 bytes long"), "\(fromFile.stderr)")
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }
}
