import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit

/// The checks every service passes: health, metrics, and an OpenAPI document that lists exactly what is served.
public enum ServiceChecks {
    /// The `{path: [method]}` pairs of an OpenAPI document.
    public static func documentedRoutes(_ body: ByteBuffer) throws -> Set<String> {
        let document = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }

    /// The routes a ``ServiceRouter`` really registered.
    public static func servedRoutes(_ router: ServiceRouter<AppRequestContext>) -> Set<String> {
        Set(router.routes.map(\.description))
    }
}
