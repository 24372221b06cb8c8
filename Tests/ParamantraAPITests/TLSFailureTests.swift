import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import ParamantraAPI

/// A failed handshake is said in words (self-signed, expired, wrong host name, untrusted
/// authority, not TLS at all), over real TLS on loopback with certificates made by openssl;
/// the library's own text stays for `--verbose`.
@Suite("TLS failures in words", .serialized)
struct TLSFailureTests {
    @Test func aSelfSignedCertificateIsNamed() async throws {
        try await Certificates.with { certs in
            let server = try await TLSServer.start(certificate: certs.selfSigned, key: certs.key)
            defer { server.stop() }
            let outcome = await Self.send(to: server.port, host: "localhost")
            #expect(
                outcome
                    == .temporary(
                        reason: "secure connection failed: the server's certificate is not trusted: self-signed",
                        retryAfter: nil), "\(outcome)")
            // The library's words are kept for --verbose, never shown as the reason.
            do throws(TransportError) {
                _ = try await HTTPClientTransport().send(
                    Self.request(port: server.port, host: "localhost"), deadline: .seconds(10))
                Issue.record("a self-signed certificate was accepted")
            } catch {
                guard case .tlsFailure(let reason, let detail) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(!reason.contains("handshake.cc"))
                #expect(detail.contains("CERTIFICATE_VERIFY_FAILED"), "\(detail)")
            }
        }
    }

    @Test func anExpiredCertificateSaysWhen() async throws {
        try await Certificates.with { certs in
            let server = try await TLSServer.start(certificate: certs.expired, key: certs.key)
            defer { server.stop() }
            let outcome = await Self.send(to: server.port, host: "localhost")
            let until = try certs.notAfter(certs.expired)
            #expect(
                outcome
                    == .temporary(
                        reason:
                            "secure connection failed: the server's certificate is not trusted: expired on \(until)",
                        retryAfter: nil), "\(outcome)")
        }
    }

    @Test func aCertificateForAnotherHostIsAWrongHostName() async throws {
        try await Certificates.with { certs in
            let server = try await TLSServer.start(certificate: certs.otherHost, key: certs.key)
            defer { server.stop() }
            let outcome = await Self.send(to: server.port, host: "localhost", trusting: certs.authority)
            #expect(
                outcome
                    == .temporary(
                        reason:
                            "secure connection failed: the server's certificate is not trusted: wrong host name (it is not made out to localhost)",
                        retryAfter: nil), "\(outcome)")
        }
    }

    @Test func anUnknownAuthorityIsNamedAndAKnownOneGetsThrough() async throws {
        try await Certificates.with { certs in
            let server = try await TLSServer.start(certificate: certs.localhost, key: certs.key)
            defer { server.stop() }
            let untrusted = await Self.send(to: server.port, host: "localhost")
            #expect(
                untrusted
                    == .temporary(
                        reason:
                            "secure connection failed: the server's certificate is not trusted: not signed by an authority this machine trusts",
                        retryAfter: nil), "\(untrusted)")
            // The same server with its authority trusted: the handshake passes and the answer is
            // read (an empty 200: the lead may have arrived).
            let trusted = await Self.send(to: server.port, host: "localhost", trusting: certs.authority)
            #expect(
                trusted == .uncertain(reason: "HTTP 200 with an empty body"), "\(trusted)")
        }
    }

    @Test func plainHTTPOnAnHTTPSURLIsNotACertificateProblem() async throws {
        let server = try await TLSServer.start(certificate: nil, key: nil)
        defer { server.stop() }
        let outcome = await Self.send(to: server.port, host: "127.0.0.1")
        #expect(
            outcome
                == .temporary(
                    reason:
                        "secure connection failed: no secure connection could be made (does 127.0.0.1:\(server.port) speak https?)",
                    retryAfter: nil), "\(outcome)")
    }

    static func request(port: Int, host: String) -> HTTPRequestSpec {
        let credentials = Credentials(
            endpoint: URL(string: "https://\(host):\(port)/paramantra/api/data/new/format/json")!,
            apiKey: APIKey("tls-test-key-0123"), appName: "TLS")
        return LeadRequest.build(.walkIn(), credentials: credentials, phoneFormat: .tenDigits)
    }

    static func send(to port: Int, host: String, trusting authority: String? = nil) async -> DeliveryOutcome {
        let credentials = Credentials(
            endpoint: URL(string: "https://\(host):\(port)/paramantra/api/data/new/format/json")!,
            apiKey: APIKey("tls-test-key-0123"), appName: "TLS")
        let client = ParamantraClient(
            transport: HTTPClientTransport(additionalTrustRoots: authority.map { [$0] } ?? []), deadline: .seconds(10))
        return await client.send(.walkIn(), credentials: credentials).outcome
    }
}

/// Certificates made by openssl in a temporary folder: one key for all of them.
struct Certificates {
    let folder: String
    var key: String { folder + "/key.pem" }
    var selfSigned: String { folder + "/self-signed.pem" }
    var expired: String { folder + "/expired.pem" }
    var authority: String { folder + "/authority.pem" }
    var localhost: String { folder + "/localhost.pem" }
    var otherHost: String { folder + "/other-host.pem" }

    static func with(_ body: (Certificates) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "/lc-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let certs = Certificates(folder: folder)
        try certs.make()
        try await body(certs)
    }

    private func make() throws {
        let names = "subjectAltName=DNS:localhost,IP:127.0.0.1"
        try openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
        try openssl(
            "req", "-x509", "-key", key, "-out", selfSigned, "-days", "30", "-subj", "/CN=localhost", "-addext", names)
        // Valid until yesterday.
        try openssl("req", "-new", "-key", key, "-subj", "/CN=localhost", "-out", folder + "/req.csr")
        try openssl(
            "x509", "-req", "-in", folder + "/req.csr", "-key", key, "-days", "-1", "-out", expired)
        // An authority, and two leaves it signs: one for localhost, one for another host.
        try openssl(
            "req", "-x509", "-key", key, "-out", authority, "-days", "30", "-subj", "/CN=LeadConsole test authority",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
        for (out, subject, san) in [
            (localhost, "/CN=localhost", names), (otherHost, "/CN=other.example", "subjectAltName=DNS:other.example")
        ] {
            try "\(san)\n".write(toFile: folder + "/ext.cnf", atomically: true, encoding: .utf8)
            try openssl("req", "-new", "-key", key, "-subj", subject, "-out", folder + "/leaf.csr")
            try openssl(
                "x509", "-req", "-in", folder + "/leaf.csr", "-CA", authority, "-CAkey", key, "-CAcreateserial",
                "-days", "30", "-extfile", folder + "/ext.cnf", "-out", out)
        }
    }

    /// The certificate's last valid day, as the diagnosis writes it (2026-12-02).
    func notAfter(_ certificate: String) throws -> String {
        let time = try NIOSSLCertificate.fromPEMFile(certificate)[0].notValidAfter
        var parts = tm()
        var t = time
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }

    private func openssl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments) failed"])
        }
    }
}

/// A loopback server that completes a TLS handshake with `certificate` (or none: plain TCP) and
/// answers any request with an empty 200.
struct TLSServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(certificate: String?, key: String?) async throws -> TLSServer {
        var context: NIOSSLContext?
        if let certificate, let key {
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            context = try NIOSSLContext(configuration: configuration)
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let context {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try child.pipeline.syncOperations.addHandler(EmptyOK())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TLSServer(channel: channel)
    }

    func stop() { channel.close(promise: nil) }

    private final class EmptyOK: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer))).whenComplete { _ in
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
