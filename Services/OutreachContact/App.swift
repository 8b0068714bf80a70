import ServiceKit

/// The `outreach-contact` executable.
@main
struct App {
    static func main() throws {
        try ServiceMain.run(buildApplication)
    }
}
