import NIOCore
import Testing

@testable import ServiceKit

@Suite("SSRF guard")
struct TargetGuardTests {
    @Test(
        "Loopback, private, link-local, metadata and unique-local targets are refused",
        arguments: [
            "http://127.0.0.1/hook", "http://10.1.2.3/hook", "http://172.16.0.1/hook", "http://192.168.1.1/hook",
            "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook",
            "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook", "http://localhost/hook",
        ])
    func refused(url: String) async {
        await #expect(throws: TargetRefused.self) { try await TargetGuard(allowPrivateNetworks: false).check(url) }
    }

    @Test("Public addresses pass, and private ones pass when allowed")
    func allowed() async throws {
        try await TargetGuard(allowPrivateNetworks: false).check("https://93.184.216.34/hook")
        try await TargetGuard(allowPrivateNetworks: true).check("http://127.0.0.1:8080/hook")
    }

    @Test("Targets that are not http URLs are refused even when private networks are allowed")
    func schemes() async {
        await #expect(throws: TargetRefused.self) { try await TargetGuard(allowPrivateNetworks: true).check("file:///etc/passwd") }
        await #expect(throws: TargetRefused.self) { try await TargetGuard(allowPrivateNetworks: true).check("not a url") }
    }
}
