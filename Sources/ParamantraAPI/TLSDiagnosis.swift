import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// A failed TLS handshake in a person's words: "the server's certificate is not trusted:
/// self-signed", "expired on 2026-11-30", "wrong host name". BoringSSL reports every chain
/// failure as the same CERTIFICATE_VERIFY_FAILED (with a source line, `handshake.cc:320`), so
/// the reason is found by looking at the certificate itself: one more handshake that verifies
/// nothing, reads the server's certificate and closes. Nothing is sent on it.
enum TLSDiagnosis {
    /// The words for `error`, a handshake failure towards `host`:`port`.
    static func reason(for error: any Error, host: String, port: Int, on group: any EventLoopGroup) async -> String {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the server's certificate is not trusted: wrong host name (it is not made out to \(host))"
        }
        guard "\(error)".contains("CERTIFICATE_VERIFY_FAILED") else {
            // Not the certificate: the port may not speak TLS at all (an http server on https).
            return "no secure connection could be made (does \(host):\(port) speak https?)"
        }
        guard let certificate = await peerCertificate(host: host, port: port, on: group) else {
            return "the server's certificate is not trusted"
        }
        return "the server's certificate is not trusted: " + why(certificate, now: Date())
    }

    /// Why a certificate the verifier refused is refused, most telling reason first.
    static func why(_ certificate: NIOSSLCertificate, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince1970)
        if certificate.notValidAfter < seconds {
            return "expired on \(day(certificate.notValidAfter))"
        }
        if certificate.notValidBefore > seconds {
            return "not valid before \(day(certificate.notValidBefore)) (is this machine's clock right?)"
        }
        if certificate.subjectName == certificate.issuerName {
            return "self-signed"
        }
        return "not signed by an authority this machine trusts"
    }

    private static func day(_ time: time_t) -> String {
        var parts = tm()
        var t = time
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }

    /// The server's leaf certificate, from a handshake that verifies nothing; nil when none
    /// comes within 3 seconds.
    private static func peerCertificate(host: String, port: Int, on group: any EventLoopGroup) async
        -> NIOSSLCertificate?
    {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        // SNI carries names only: an address is sent without it.
        let name = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(3))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: name)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatch())
                }
            }
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return nil }
        defer { channel.close(promise: nil) }
        let watch = try? await channel.pipeline.handler(type: HandshakeWatch.self).get()
        guard let done = watch?.done else { return nil }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(3)) {
            done.fail(ChannelError.connectTimeout(.seconds(3)))
        }
        defer { timeout.cancel() }
        guard (try? await done.futureResult.get()) != nil else { return nil }
        return try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
        }.get()
    }

    /// Completes `done` when the handshake does, or fails it when the channel ends first.
    private final class HandshakeWatch: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var done: EventLoopPromise<Void>?

        func handlerAdded(context: ChannelHandlerContext) {
            done = context.eventLoop.makePromise()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { done?.succeed(()) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done?.fail(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            done?.fail(ChannelError.eof)
            context.fireChannelInactive()
        }
    }
}
