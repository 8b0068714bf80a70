import Foundation
import Testing
import WireModels

@Suite("Wire models")
struct WireModelsTests {
    @Test("The Chatwoot profile encodes with Chatwoot's snake_case names and decodes back")
    func chatwootProfileRoundTrip() throws {
        let profile = ChatwootProfile(
            id: 1, accessToken: "tok", accountId: 1, displayName: nil, messageSignature: nil, email: "a@b.c", name: "Ann", pubsubToken: "pst",
            role: "administrator", uiSettings: .object([:]), type: "SuperAdmin", accounts: [.init(id: 1, name: "Acme", role: "administrator")]
        )
        let data = try JSONEncoder().encode(profile)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["access_token"] as? String == "tok")
        #expect(json["available_name"] as? String == "Ann")
        #expect(json["pubsub_token"] as? String == "pst")
        #expect((json["accounts"] as? [[String: Any]])?.first?["availability_status"] as? String == "offline")
        #expect(try JSONDecoder().decode(ChatwootProfile.self, from: data) == profile)
    }

    @Test("The internal credential check round-trips")
    func verificationRoundTrip() throws {
        let request = CredentialVerificationRequest(scheme: "basic", email: "a@b.c", secret: "k", siteId: "10000")
        #expect(try JSONDecoder().decode(CredentialVerificationRequest.self, from: JSONEncoder().encode(request)) == request)
        let agent = VerifiedAgent(
            siteId: "10000", agentId: "1", name: "Ann", email: "a@b.c", isAdministrator: true, permissions: ["Manage Campaigns"])
        #expect(try JSONDecoder().decode(VerifiedAgent.self, from: JSONEncoder().encode(agent)) == agent)
    }
}
