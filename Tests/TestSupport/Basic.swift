import Foundation

/// An `Authorization: Basic` header value.
public func basicAuthorization(_ username: String, _ password: String) -> String {
    "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
}
