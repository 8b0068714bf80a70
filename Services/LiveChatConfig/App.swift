import ServiceKit

/// The `livechat-config` executable.
@main
struct App {
    static func main() async throws {
        try await ServiceMain.run(buildApplication)
    }
}
