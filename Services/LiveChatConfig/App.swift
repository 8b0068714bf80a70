import ServiceKit

/// The `livechat-config` executable.
@main
struct App {
    static func main() throws {
        try ServiceMain.run(buildApplication)
    }
}
