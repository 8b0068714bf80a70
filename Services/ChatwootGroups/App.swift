import ServiceKit

/// The `chatwoot-groups` executable.
@main
struct App {
    static func main() async throws {
        try await ServiceMain.run(buildApplication)
    }
}
