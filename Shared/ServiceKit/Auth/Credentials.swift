import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// What a client presented, parsed from the request headers.
public enum PresentedCredential: Sendable, Hashable {
    case basic(username: String, password: String)
    case bearer(String)
    case apiAccessToken(String)

    /// Parses `Authorization: Basic|Bearer` and Chatwoot's `api_access_token` header.
    public static func from(_ headers: HTTPFields) -> PresentedCredential? {
        if let token = headers[.apiAccessToken], !token.isEmpty {
            return .apiAccessToken(token)
        }
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "basic":
            guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else { return nil }
            return .basic(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        case "bearer":
            return value.isEmpty ? nil : .bearer(value)
        default:
            return nil
        }
    }
}

extension PresentedCredential {
    /// SHA-256 of the credential's kind, parts and scope, NUL-separated: a cache key that holds no secret.
    public func digest(scope: String?) -> SHA256.Digest {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Array(text.utf8))
            hasher.update(data: [0])
        }
        switch self {
        case .basic(let username, let password):
            add("basic")
            add(username)
            add(password)
        case .bearer(let token):
            add("bearer")
            add(token)
        case .apiAccessToken(let token):
            add("api_access_token")
            add(token)
        }
        add(scope ?? "")
        return hasher.finalize()
    }
}

extension HTTPField.Name {
    public static let apiAccessToken = Self("api_access_token")!
}
