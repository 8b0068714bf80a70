import ServiceKit

/// The `conversation` executable.
@main
struct App {
    static func main() throws {
        try ServiceMain.run { reader in try await buildApplication(reader: reader) }
    }
}
