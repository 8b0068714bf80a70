import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import Prometheus

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json`: the routes every service serves.
public struct PlatformController: Sendable {
    let registry: PrometheusCollectorRegistry
    let document: OpenAPIDocument
    let readiness: [ReadinessCheck]

    public init(registry: PrometheusCollectorRegistry, document: OpenAPIDocument, readiness: [ReadinessCheck]) {
        self.registry = registry
        self.document = document
        self.readiness = readiness
    }

    public func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/healthz", use: self.health)
        router.get("/readyz", use: self.ready)
        router.get("/metrics", use: self.metrics)
        router.get("/openapi.json", use: self.openAPI)
        let tag = "Operations"
        document.describe(.get, "/healthz", .init("Liveness: the process answers", tag: tag, isExtension: true))
        document.describe(
            .get, "/readyz",
            .init(
                "Readiness: storage and the services this one calls are reachable", tag: tag, isExtension: true,
                responses: [200: "Ready", 503: "Not ready"]))
        document.describe(.get, "/metrics", .init("Prometheus metrics in text format", tag: tag, isExtension: true))
        document.describe(.get, "/openapi.json", .init("This document", tag: tag, isExtension: true))
    }

    /// The process is alive.
    @Sendable func health(_ request: Request, context: AppRequestContext) -> Response {
        Self.json(.ok, ["status": "ok"])
    }

    /// Every dependency answers; otherwise 503 naming the ones that do not.
    @Sendable func ready(_ request: Request, context: AppRequestContext) async -> Response {
        var failures: [String: String] = [:]
        await withTaskGroup(of: (String, String?).self) { group in
            for check in self.readiness {
                group.addTask {
                    do {
                        try await check.check()
                        return (check.name, nil)
                    } catch {
                        return (check.name, String(describing: error))
                    }
                }
            }
            for await (name, failure) in group {
                if let failure { failures[name] = failure }
            }
        }
        if failures.isEmpty {
            return Self.json(.ok, ["status": "ready", "checks": Dictionary(uniqueKeysWithValues: self.readiness.map { ($0.name, "ok") })])
        }
        context.logger.warning("Not ready", metadata: ["failures": .string(failures.description)])
        return Self.json(.serviceUnavailable, ["status": "unavailable", "failing": failures.keys.sorted()])
    }

    /// The Prometheus text exposition.
    @Sendable func metrics(_ request: Request, context: AppRequestContext) -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        self.registry.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer))
        )
    }

    /// The OpenAPI 3.1 document of every route this service serves.
    @Sendable func openAPI(_ request: Request, context: AppRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: self.document.json())))
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
