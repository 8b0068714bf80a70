import ServiceKit

/// The `sinch-cmi` executable.
@main
struct App {
    static func main() async throws {
        try await ServiceMain.run { try await buildApplication(reader: $0) }
    }
}
