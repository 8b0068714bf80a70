import WireModels

/// The internal calls conversation makes to outreach-contact (ARCHITECTURE §3): contacts for `include=` and for knowing
/// who wrote. Contacts are read on many requests and change rarely, so each is cached for `ttl` per site.
public struct OutreachContactClient: Sendable {
    /// Ids one lookup asks for at most (the route's limit).
    public static let lookupLimit = 200
    public let client: InternalClient
    let cache: ExpiringCache<String, Comm100Contact?>

    public init(client: InternalClient, ttl: Duration = .seconds(10)) {
        self.client = client
        self.cache = ExpiringCache(ttl: ttl)
    }

    /// The site's contacts among `ids`, by id (unknown ids are absent); 503 naming outreach-contact when it is down.
    /// `fresh` asks outreach-contact even for ids read moments ago (a check before a write: a contact just made or
    /// just deleted counts as it is now).
    public func contacts(ids: Set<String>, site: String, fresh: Bool = false) async throws -> [String: Comm100Contact] {
        var found: [String: Comm100Contact] = [:]
        var missing: [String] = []
        for id in ids.sorted() {
            if !fresh, let cached = self.cache.kept("\(site)/\(id)") {
                if let contact = cached { found[id] = contact }
            } else {
                missing.append(id)
            }
        }
        for start in stride(from: 0, to: missing.count, by: Self.lookupLimit) {
            let batch = Array(missing[start..<min(start + Self.lookupLimit, missing.count)])
            let path = "/internal/sites/\(site)/contacts:lookup"
            let answered = try await self.client.post(path, ContactLookupRequest(ids: batch), as: [Comm100Contact].self) ?? []
            let byId = Dictionary(answered.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for id in batch {
                self.cache.keep(byId[id], for: "\(site)/\(id)")
                if let contact = byId[id] { found[id] = contact }
            }
        }
        return found
    }

    /// The contacts owning the identity `value` of `identityType` (not cached: a new contact must be found at once).
    public func identify(identityType: String, value: String, site: String) async throws -> [Comm100Contact] {
        let request = ContactIdentifyRequest(identityType: identityType, value: value)
        return try await self.client.post("/internal/sites/\(site)/contacts:identify", request, as: [Comm100Contact].self) ?? []
    }
}
