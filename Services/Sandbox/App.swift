import ServiceKit

/// The `sandbox` executable: our stand-ins for Twilio and Telnyx (see ``buildSandbox(reader:)``).
@main
struct App {
    static func main() throws {
        try ServiceMain.run { try await buildSandbox(reader: $0) }
    }
}
