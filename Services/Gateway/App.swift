import ServiceKit

/// The `gateway` executable.
@main
struct App {
    static func main() throws {
        try ServiceMain.run(buildApplication)
    }
}
