import AsyncHTTPClient
import Configuration
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WireModels

/// Sends one outbound message to one destination through an SMS/WhatsApp carrier.
protocol CarrierAdapter: Sendable {
    func send(_ message: CMIMessage, to destination: String) async throws
}

/// The default carrier: POSTs each send as JSON to a configurable HTTP endpoint (an SMS gateway, or a bridge to
/// one); any 2xx is a delivery, anything else a failure to retry.
///
/// Reads `carrier.url` (string, optional: without it every send fails and is retried, then FAILED) and
/// `carrier.timeout` (double, seconds, default 10).
struct HTTPCarrierAdapter: CarrierAdapter {
    let url: String?
    let timeout: TimeAmount
    let httpClient: HTTPClient

    init(reader: ConfigReader, httpClient: HTTPClient) {
        self.url = reader.string(forKey: "carrier.url")
        self.timeout = .milliseconds(Int64(reader.double(forKey: "carrier.timeout", default: 10) * 1000))
        self.httpClient = httpClient
    }

    /// The JSON body the carrier receives.
    struct Send: Codable, Sendable, Equatable {
        var messageId: String
        var source: String
        var subType: String
        var contentType: String
        var destination: String
        var message: String
    }

    func send(_ message: CMIMessage, to destination: String) async throws {
        guard let url else { throw CarrierFailure(reason: "no carrier is configured (carrier.url)") }
        let body = Send(
            messageId: message.id ?? "", source: message.source, subType: message.subType,
            contentType: (message.contentType ?? .text).rawValue, destination: destination, message: message.message
        )
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response = try await self.httpClient.execute(request, timeout: self.timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else { throw CarrierFailure(reason: "carrier answered \(response.status.code)") }
    }
}

/// A send the carrier did not accept.
struct CarrierFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { self.reason }
}
