import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// A lead request's body as flat form fields, in either encoding the vendor's own clients send:
/// `application/x-www-form-urlencoded` (the document's curl sample, and our client) and
/// `multipart/form-data` (the PHP sample: an array given to `CURLOPT_POSTFIELDS` makes curl send
/// multipart). Anything else is refused with the list of what is read.
enum SandboxForm {
    static let readable = "application/x-www-form-urlencoded or multipart/form-data"

    enum Problem: Error, Equatable, CustomStringConvertible {
        case unsupportedContentType(String?)
        case notAForm(String)

        var description: String {
            switch self {
            case .unsupportedContentType(let type):
                return "Content-Type \(type.map { "\"\($0)\"" } ?? "missing"): the lead API reads \(readable)"
            case .notAForm(let why): return why
            }
        }
    }

    static func fields(contentType: String?, body: ByteBuffer) -> Result<[String: String], Problem> {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.first?.lowercased() {
        case "application/x-www-form-urlencoded":
            guard body.readableBytes > 0 else { return .failure(.notAForm("the body is empty: no form fields")) }
            guard let fields = urlEncoded(String(buffer: body)) else {
                return .failure(.notAForm("body is not application/x-www-form-urlencoded UTF-8"))
            }
            return .success(fields)
        case "multipart/form-data":
            let boundary = parts.dropFirst().lazy
                .compactMap { parameter -> String? in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                    guard pair.count == 2, pair[0].lowercased() == "boundary" else { return nil }
                    return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }.first
            guard let boundary, !boundary.isEmpty else {
                return .failure(.notAForm("multipart/form-data without a boundary"))
            }
            return multipart(body, boundary: boundary)
        default:
            return .failure(.unsupportedContentType(contentType))
        }
    }

    /// Decodes a form body into flat fields (`+` is a space, `%XX` bytes by Foundation's
    /// `removingPercentEncoding`); nil when it is not valid UTF-8 percent-encoding. Not
    /// Hummingbird's URLEncodedFormDecoder: it decodes into Codable types and reads `a[b]`
    /// as nesting, while the CRM's fields are plain names with any text.
    static func urlEncoded(_ body: String) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawKey = String(parts[0]).replacingOccurrences(of: "+", with: " ")
            let rawValue = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ") : ""
            guard let key = rawKey.removingPercentEncoding, let value = rawValue.removingPercentEncoding else {
                return nil
            }
            fields[key] = value
        }
        return fields
    }

    /// Each part named by its Content-Disposition becomes a field; its body must be UTF-8 text.
    static func multipart(_ body: ByteBuffer, boundary: String) -> Result<[String: String], Problem> {
        let parser = MultipartParser(boundary: boundary)
        var fields: [String: String] = [:]
        var headers = HTTPHeaders()
        var value = ByteBuffer()
        var invalid: String?
        parser.onHeader = { name, text in headers.add(name: name, value: text) }
        parser.onBody = { chunk in value.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let part = MultipartPart(headers: headers, body: value)
            if let name = part.name {
                if let text = String(validatingUTF8Bytes: value.readableBytesView) {
                    fields[name] = text
                } else {
                    invalid = "multipart field \(name) is not UTF-8 text"
                }
            }
            headers = HTTPHeaders()
            value = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            return .failure(.notAForm("body is not multipart/form-data with boundary \(boundary): \(error)"))
        }
        if let invalid { return .failure(.notAForm(invalid)) }
        guard !fields.isEmpty else { return .failure(.notAForm("multipart/form-data body without a named part")) }
        return .success(fields)
    }
}

extension String {
    /// The bytes as a String when they are valid UTF-8, nil otherwise (never repaired).
    init?(validatingUTF8Bytes bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput:
                self = String(scalars)
                return
            case .error: return nil
            }
        }
    }
}
