import NIOHTTP1
import Testing

@testable import Gateway

@Suite("Request targets and known credentials")
struct RequestTargetTests {
    @Test(
        "Origin-form targets with RFC 3986 characters and well-formed escapes pass unchanged",
        arguments: [
            "/", "/RI/cmi/contacts", "/a/b?x=1&y=2", "/contact/contacts:query", "/a;b=c/@!$'()*+,~._-", "/a?b/c?d", "/%E2%82%AC?q=%FF%00",
            "//double", "/a%2Fb", "/api/v1/livechat/chats?conditions[0][field]=name&conditions[0][value]=Ann", "/a?ids[]=1&ids[]=2",
            "/a/.../b", "/a..b/c", "/.well-known/x", "/a/b?x=../..",
        ]
    )
    func originForm(_ target: String) throws {
        let parsed = try #require(RequestTarget(target, method: .GET))
        #expect(parsed.uri == target)
        #expect(parsed.authority == nil)
    }

    @Test(
        "Targets the gateway cannot forward are refused",
        arguments: [
            "/a|b", "/a\\b", "/a^b", "/a{b", "/a}b", "/a\"b", "/a<b", "/a>b", "/a`b", "/a b", "/a#frag", "/a%", "/a%4", "/a%zz",
            "/a?q=%G0", "/a[0]", "/a\u{7F}", "/a\u{01}", "/é", "/%FF", "/%C3", "/%00", "/a%0Ab", "", "a/b", "*", "example.com:443",
            "ftp://host/a", "http://user@host/a", "http:///a", "http://host:8x/", "http://ho|st/", "http://[zz]/",
            "/a/../b", "/a/./b", "/a/%2e%2E/b", "/..", "/a/.", "/a/%2e?x", "/outboundunichannel/carrierCallbacks/../x", "http://host/a/../b",
        ]
    )
    func refused(_ target: String) {
        #expect(RequestTarget(target, method: .GET) == nil)
    }

    @Test("Absolute-form becomes origin-form with its authority; asterisk-form is for OPTIONS only")
    func otherForms() throws {
        let absolute = try #require(RequestTarget("http://gw.example:8080/RI/cmi/x?y=1", method: .GET))
        #expect(absolute.uri == "/RI/cmi/x?y=1")
        #expect(absolute.authority == "gw.example:8080")
        #expect(try #require(RequestTarget("HTTPS://[::1]?q", method: .GET)).uri == "/?q")
        #expect(try #require(RequestTarget("http://h", method: .GET)).uri == "/")
        #expect(RequestTarget("*", method: .OPTIONS)?.uri == "*")
    }

    @Test("Credentials are known by keyed hash, forgotten on demand, and the set stays bounded")
    func knownCredentials() {
        let known = KnownCredentials(capacity: 4)
        let alice = known.fingerprint(["Authorization": "Basic YWxpY2U6eA=="])!
        #expect(known.fingerprint(["Accept": "*/*"]) == nil)
        #expect(known.fingerprint(["api_access_token": "t"]) != known.fingerprint(["Authorization": "t"]))
        #expect(KnownCredentials(capacity: 4).fingerprint(["Authorization": "Basic YWxpY2U6eA=="]) != alice)  // keyed per process
        #expect(!known.contains(alice))
        known.learn(alice)
        #expect(known.contains(alice))
        known.forget(alice)
        #expect(!known.contains(alice))
        let many = (0..<20).map { known.fingerprint(["Authorization": "Bearer \($0)"])! }
        for fingerprint in many { known.learn(fingerprint) }
        #expect(many.filter(known.contains).count <= 4)
        #expect(known.contains(many[19]))
    }
}
