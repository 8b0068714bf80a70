import ServiceKit

/// The `chatwoot-groups` executable.
@main
struct App {
    static func main() throws {
        try ServiceMain.run { try await buildApplication(reader: $0) }
    }
}
