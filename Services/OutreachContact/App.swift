import ServiceKit

/// The `outreach-contact` executable.
@main
struct App {
    static func main() async throws {
        try await ServiceMain.run(buildApplication)
    }
}
