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
        await #expect(throws: TargetRefused.self) { try await TargetGuard(allowPrivateNetworks: false).vet(url) }
    }

    @Test("Public addresses pass, and private ones pass when allowed")
    func allowed() async throws {
        let public4 = try await TargetGuard(allowPrivateNetworks: false).vet("https://93.184.216.34/hook")
        #expect(public4 == VettedTarget(url: "https://93.184.216.34/hook", host: "93.184.216.34", isLiteral: true, addresses: ["93.184.216.34"]))
        let private4 = try await TargetGuard(allowPrivateNetworks: true).vet("http://127.0.0.1:8080/hook")
        #expect(private4.addresses == ["127.0.0.1"])
        let public6 = try await TargetGuard(allowPrivateNetworks: false).vet("http://[2606:2800:220:1::1]:8080/hook")
        #expect(public6.host == "2606:2800:220:1::1" && public6.isLiteral)
    }

    @Test("Targets that are not http URLs are refused even when private networks are allowed")
    func schemes() async {
        await #expect(throws: TargetRefused.self) { try await TargetGuard(allowPrivateNetworks: true).vet("file:///etc/passwd") }
        await #expect(throws: TargetRefused.self) { try await TargetGuard(allowPrivateNetworks: true).vet("not a url") }
    }

    @Test("A name is looked up once; every address must pass, and attempts take them in turn")
    func namesAreResolvedOnceAndEveryAddressVetted() async throws {
        let answer = [try SocketAddress(ipAddress: "93.184.216.34", port: 443), try SocketAddress(ipAddress: "2606:2800:220:1::1", port: 443)]
        let vetted = try await TargetGuard(allowPrivateNetworks: false) { host, port in
            #expect(host == "hooks.example" && port == 443)
            return answer + answer
        }.vet("https://hooks.example/in")
        #expect(vetted.host == "hooks.example" && !vetted.isLiteral)
        #expect(vetted.addresses == ["93.184.216.34", "2606:2800:220:1::1"])
        #expect((1...3).map(vetted.address(forAttempt:)) == ["93.184.216.34", "2606:2800:220:1::1", "93.184.216.34"])

        let mixed = answer + [try SocketAddress(ipAddress: "169.254.169.254", port: 443)]
        await #expect(throws: TargetRefused.self) {
            try await TargetGuard(allowPrivateNetworks: false) { _, _ in mixed }.vet("https://hooks.example/in")
        }
    }

    @Test("A name without an answer is unresolved (retried later), not refused")
    func unresolvedIsNotRefused() async {
        struct NoAnswer: Error {}
        await #expect(throws: TargetUnresolved.self) {
            try await TargetGuard(allowPrivateNetworks: false) { _, _ in throw NoAnswer() }.vet("https://hooks.example/in")
        }
        await #expect(throws: TargetUnresolved.self) {
            try await TargetGuard(allowPrivateNetworks: false) { _, _ in [] }.vet("https://hooks.example/in")
        }
    }
}
