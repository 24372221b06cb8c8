import Foundation
import TestSupport
import Testing

@testable import ParamantraSandbox

/// What arrives on the wire, as the server saw it: both form encodings the vendor's own clients
/// send, malformed requests counted, and a keep-alive connection closed under a request.
@Suite("Sandbox on the wire")
struct SandboxWireTests {
    static let key = SandboxContractTests.key
    static let app = SandboxContractTests.app

    /// The vendor's PHP sample passes an array to CURLOPT_POSTFIELDS: curl then sends
    /// multipart/form-data. `curl -F` sends exactly that.
    @Test func thePHPSamplesMultipartFormIsRead() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            let fields = [
                ("f_name", "José"), ("l_name", "नमस्ते"), ("email", "DonaldJoe@gmail.com"), ("phonefax", "1111111192"),
                ("subject", "Leads From Website"), ("channel_id", "Main Website"),
                ("notes", "Client is searching 2 BHK Flat In Bangalore"), ("rep_id", "smithparkar")
            ]
            let answer = try await Curl.run(
                [
                    "-X", "POST", sandbox.endpoint.absoluteString, "-u", "\(Self.key):\(Self.key)",
                    "-H", "X-API-KEY: \(Self.key)", "-H", "ACTION-ON: \(Self.app)"
                ]
                    + fields.flatMap { ["-F", "\($0.0)=\($0.1)"] })
            #expect(answer.status == 200, "\(answer.body)")
            #expect(answer.body.contains("contact_number_added"))
            let lead = try #require(await sandbox.leads().first)
            #expect(lead.fields == Dictionary(uniqueKeysWithValues: fields))
            #expect(await sandbox.malformedRequestCount() == 0)
        }
    }

    @Test func anyOtherContentTypeIsRefusedWithTheOnesThatAreRead() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            let answer = try await Curl.run([
                "-X", "POST", sandbox.endpoint.absoluteString, "-u", "\(Self.key):\(Self.key)",
                "-H", "X-API-KEY: \(Self.key)", "-H", "ACTION-ON: \(Self.app)",
                "-H", "content-type: application/json", "-d", #"{"phonefax":"9876543210"}"#
            ])
            #expect(answer.status == 400)
            let message =
                (try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["error"] as? String
            #expect(
                message
                    == "Content-Type \"application/json\": the lead API reads application/x-www-form-urlencoded or multipart/form-data"
            )
            #expect(await sandbox.leads().isEmpty)
            #expect(await sandbox.malformedRequestCount() == 1)
        }
    }

    @Test func anEmptyFormIsMalformed() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            let answer = try await SandboxContractTests.documentCurl(sandbox.endpoint, body: "")
            #expect(answer.status == 400)
            #expect(await sandbox.malformedRequestCount() == 1)
            let listing = try await Curl.run(["http://127.0.0.1:\(sandbox.port)/__sandbox/leads"])
            #expect(listing.body.contains(#""malformed_requests":1"#), "\(listing.body)")
        }
    }

    /// What libcurl's resend looked like: `Content-Length: 123` and no body, then the client gave
    /// up and closed.
    @Test func aBodyShorterThanItsContentLengthIsCounted() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            let request =
                "POST \(SandboxConfiguration.leadPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 123\r\n\r\nphonefax=98"
            let replies = try await RawHTTP.exchange(port: sandbox.port, requests: [request], closeAfterWriting: true)
            #expect(replies.isEmpty || replies == [""])
            #expect(await waitUntil(timeout: .seconds(20)) { await sandbox.malformedRequestCount() == 1 })
            #expect(await sandbox.leads().isEmpty)
        }
    }

    @Test func closeReusedAnswersTheFirstRequestOfEachConnectionOnly() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await SandboxFaultTests.control(sandbox, "POST", #"{"mode":"close_reused"}"#)
            let basic = Data("\(Self.key):\(Self.key)".utf8).base64EncodedString()
            func request(_ phone: String) -> String {
                let body = "phonefax=\(phone)&subject=S&channel_id=C&rep_id=R"
                return
                    "POST \(SandboxConfiguration.leadPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \(basic)\r\n"
                    + "X-API-KEY: \(Self.key)\r\nACTION-ON: \(Self.app)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            // Two requests on one connection: the first answered, the second closed unanswered.
            let replies = try await RawHTTP.exchange(
                port: sandbox.port, requests: [request("9876543210"), request("9876543211")])
            #expect(replies.count == 2)
            #expect(replies.first?.hasPrefix("HTTP/1.1 200") == true, "\(replies)")
            #expect(replies.last == "")
            #expect(await sandbox.leads().map(\.contactNumber) == ["9876543210"])
            // A new connection is answered again.
            let again = try await RawHTTP.exchange(port: sandbox.port, requests: [request("9876543211")])
            #expect(again.first?.hasPrefix("HTTP/1.1 200") == true)
            #expect(await sandbox.malformedRequestCount() == 0)
        }
    }
}

/// Raw HTTP/1.1 over one TCP connection, by a Python child (so no blocking socket call runs on the
/// test's cooperative threads): writes each request, reads its answer (to Content-Length), and
/// prints each answer's status line and headers as one JSON string, "" for a closed connection.
enum RawHTTP {
    static let script = #"""
        import json, socket, sys
        port, close_after = int(sys.argv[1]), sys.argv[2] == "1"
        requests = json.load(sys.stdin)
        s = socket.create_connection(("127.0.0.1", port), timeout=15)
        replies = []
        for r in requests:
            s.sendall(r.encode())
            if close_after:
                s.close(); break
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            if not data:
                replies.append(""); break
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length": length = int(value.strip())
            while len(body) < length:
                chunk = s.recv(65536)
                if not chunk: break
                body += chunk
            replies.append(head.decode(errors="replace"))
        print(json.dumps(replies))
        """#

    static func exchange(port: Int, requests: [String], closeAfterWriting: Bool = false) async throws -> [String] {
        let input = String(decoding: try JSONEncoder().encode(requests), as: UTF8.self)
        let result = try await Spawn.run(
            "/usr/bin/env", ["python3", "-c", script, String(port), closeAfterWriting ? "1" : "0"],
            stdin: input)
        return (try? JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))) ?? []
    }
}
