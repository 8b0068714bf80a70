import Conditions
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension LiveChatChat: ResponseEncodable {}

/// The history queries: chats, offline messages, missed and refused chats, agent chats. Each takes a
/// required `timeFrom`/`timeTo` window read in `timezone`; the first three come in pages (spec note §5.19–5.20).
/// The seed names no permission; reading history needs `View Chat History` (decision 47).
struct HistoryController {
    let runtime: ChatRuntime
    let publicURL: String
    static let permission = "View Chat History"

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/chats", use: self.chats)
        group.get("/chats/:id", use: self.chat)
        group.get("/offlineMessages", use: self.offlineMessages)
        group.get("/missedAndRefusedChats", use: self.missedAndRefusedChats)
        group.get("/agentChats", use: self.agentChats)
        let security = ["basicAuth", "bearerAuth"]
        let errors: [Int: String] = [400: "Invalid query", 401: "Unauthorized", 403: "Missing permission View Chat History"]
        for (path, summary, ok) in [
            ("/api/v1/livechat/chats", "Search answered chats in a time window", "{total, previousPage, nextPage, chats}"),
            ("/api/v1/livechat/chats/{id}", "Get a chat with its transcript", "Chat"),
            ("/api/v1/livechat/offlineMessages", "Search offline messages in a time window", "{total, previousPage, nextPage, offlineMessages}"),
            ("/api/v1/livechat/missedAndRefusedChats", "Search missed and refused chats in a time window", "{total, previousPage, nextPage, missedAndRefusedChats}"),
            ("/api/v1/livechat/agentChats", "Search agent-to-agent chats in a time window", "{agentChats}"),
        ] {
            document.describe(
                .get, path,
                .init(
                    summary, tag: "History", security: security, responses: [200: ok, 404: "Not found"].merging(errors) { a, _ in a },
                    query: path.hasSuffix("}") ? [] : Self.windowParameters + (path.hasSuffix("agentChats") ? [] : Self.searchParameters)
                )
            )
        }
    }

    /// The time window every history search needs.
    static let windowParameters: [QueryParameter] = [
        .init("timeFrom", "Start of the window: ISO 8601, read in `timezone` when it has no offset", required: true),
        .init("timeTo", "End of the window: ISO 8601, read in `timezone` when it has no offset", required: true),
        .init("timezone", "`±hh:mm` or an IANA zone name; default UTC"),
    ]

    /// The filters and the page of the paged searches.
    static let searchParameters: [QueryParameter] = [
        .init("pageIndex", "Page number, from 1", .integer),
        .init("pageSize", "Items a page, 1-500; default 10", .integer),
        .init("agentId", "Only chats this agent took part in", .integer),
        .init("departmentId", "Only chats of this department", .integer),
        .init("categoryId", "Only chats wrapped up in this category", .integer),
        .init("keywords", "Words the transcript contains"),
    ]

    @Sendable func chats(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = try HistoryQuery(request: request, context: context, paged: true)
        let presenter = try await self.runtime.presenter(siteId: query.siteId, time: query.time)
        let conditions = try ChatConditions(query: request.uri.queryParameters)
        return try LiveChatJSON.response(try await self.searchChats(query, conditions: conditions, presenter: presenter, path: request.uri.path))
    }

    @Sendable func chat(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try context.require(permission: Self.permission)
        let time = try HistoryTime(timezone: request.uri.queryParameters.get("timezone"))
        let record = try await self.runtime.chat(id: try context.objectID("Chat"), for: context.identity)
        let presenter = try await self.runtime.presenter(siteId: context.identity.tenant, time: time)
        return try LiveChatJSON.response(presenter.chat(record, messages: try await self.runtime.chats.messages(chatId: record.id)))
    }

    @Sendable func offlineMessages(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = try HistoryQuery(request: request, context: context, paged: true)
        let presenter = try await self.runtime.presenter(siteId: query.siteId, time: query.time)
        return try LiveChatJSON.response(try await self.searchOfflineMessages(query, presenter: presenter, path: request.uri.path))
    }

    @Sendable func missedAndRefusedChats(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = try HistoryQuery(request: request, context: context, paged: true)
        var wanted: Set<ChatStatus> = [.missed, .refused]
        if let type = query.parameters.get("type"), !type.isEmpty {
            guard let status = ChatStatus(rawValue: type.lowercased()), wanted.contains(status) else { throw Validation.invalid("type", "must be missed or refused.") }
            wanted = [status]
        }
        let presenter = try await self.runtime.presenter(siteId: query.siteId, time: query.time)
        let statuses = ChatStatus.allCases.filter(wanted.contains)
        return try LiveChatJSON.response(try await self.searchMissedAndRefused(query, statuses: statuses, presenter: presenter, path: request.uri.path))
    }

    /// Not paged: the seed gives this query no page parameters.
    @Sendable func agentChats(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = try HistoryQuery(request: request, context: context, paged: false)
        let presenter = try await self.runtime.presenter(siteId: query.siteId, time: query.time)
        return try LiveChatJSON.response(try await self.searchAgentChats(query, presenter: presenter))
    }

    /// Keywords match the transcript, the visitor's name and email, ignoring case.
    static func chat(_ chat: LiveChatChat, contains keywords: String) -> Bool {
        ([chat.name ?? "", chat.email ?? ""] + chat.chatTranscript.map(\.content)).contains { $0.lowercased().contains(keywords) }
    }
}

/// The window, zone, filters and page of a history query.
struct HistoryQuery {
    let siteId: String
    let parameters: Parameters
    let time: HistoryTime
    let from: Int64
    let to: Int64
    let pageIndex: Int
    let pageSize: Int
    let keywords: String?

    init(request: Request, context: AuthenticatedContext, paged: Bool) throws {
        try context.require(permission: HistoryController.permission)
        self.siteId = context.identity.tenant
        self.parameters = request.uri.queryParameters
        self.time = try HistoryTime(timezone: self.parameters.get("timezone"))
        self.from = try self.time.parse(self.parameters.get("timeFrom"), "timeFrom")
        self.to = try self.time.parse(self.parameters.get("timeTo"), "timeTo")
        guard self.from <= self.to else { throw Validation.invalid("timeFrom", "must not be after timeTo.") }
        self.pageIndex = try Validation.queryNumber(self.parameters.get("pageIndex"), "pageIndex", default: 1, range: 1...1_000_000)
        self.pageSize = try Validation.queryNumber(self.parameters.get("pageSize"), "pageSize", default: 10, range: 1...500)
        let keywords = self.parameters.get("keywords")?.trimmingCharacters(in: .whitespaces).lowercased()
        self.keywords = keywords?.isEmpty == false ? keywords : nil
        for name in ["agentId", "departmentId", "categoryId", "campaignId", "visitorSegmentation"] {
            if let value = self.parameters.get(name), !value.isEmpty, Int(value) == nil { throw Validation.invalid(name, "must be a number.") }
        }
    }

    func int(_ name: String) -> Int? { self.parameters.get(name).flatMap { Int($0) } }

    /// One page of `items`, each presented only when it is on the page, with links to the pages either side
    /// (null at the edges).
    func page<Record, Item>(
        _ items: [Record], key: String, publicURL: String, path: String, present: (Record) async throws -> Item
    ) async rethrows -> LiveChatPage<Item> {
        let start = (self.pageIndex - 1) * self.pageSize
        var slice: [Item] = []
        for record in items.dropFirst(start).prefix(self.pageSize) { slice.append(try await present(record)) }
        func link(_ index: Int) -> String {
            var components = URLComponents(string: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) + path : publicURL + path)
            var query = self.parameters.map { URLQueryItem(name: String($0.key), value: String($0.value)) }.filter { $0.name != "pageIndex" }
            query.append(URLQueryItem(name: "pageIndex", value: String(index)))
            components?.queryItems = query
            return components?.string ?? path
        }
        return LiveChatPage(
            total: items.count, previousPage: self.pageIndex > 1 ? link(self.pageIndex - 1) : nil,
            nextPage: start + self.pageSize < items.count ? link(self.pageIndex + 1) : nil, items: slice, itemsKey: key
        )
    }
}

/// `conditions[i][field|operate|value]` on the chats query: every condition must hold.
struct ChatConditions {
    static let fields: Set<String> = [
        "agent", "campaign", "name", "email", "phone", "rating", "ratingcomment", "department", "transferred", "visitorsegment", "ssouserid", "lastmessagesentby",
    ]
    let conditions: [Condition]
    static let maxConditions = 1000

    init(query: Parameters) throws {
        var parts: [Int: [String: String]] = [:]
        for (key, value) in query {
            // Hummingbird decodes values but not names, and clients (and the gateway, which refuses raw brackets
            // in a query) send `conditions%5B0%5D%5Bfield%5D`.
            let name = String(key).removingPercentEncoding ?? String(key)
            guard let match = name.wholeMatch(of: /conditions\[(\d+)\]\[(\w+)\]/) else { continue }
            // The index is only an order; bounded so that `index + 1` (the condition's number) cannot overflow.
            guard let index = Int(match.1), index < Self.maxConditions else {
                throw Validation.invalid(name, "the condition index must be between 0 and \(Self.maxConditions - 1).")
            }
            parts[index, default: [:]][match.2.lowercased()] = String(value)
        }
        var conditions: [Condition] = []
        for (index, part) in parts.sorted(by: { $0.key < $1.key }) {
            let field = try Validation.required(part["field"], "conditions[\(index)][field]")
            guard Self.fields.contains(field.lowercased()) else { throw Validation.invalid("conditions[\(index)][field]", "'\(field)' is not a chat field.") }
            conditions.append(try Self.condition(number: index + 1, field: field, operator: part["operate"] ?? part["operator"] ?? "is", value: part["value"] ?? ""))
        }
        self.conditions = conditions
    }

    static func condition(number: Int, field: String, operator name: String, value: String) throws -> Condition {
        let result = Result { () throws(ConditionError) -> Condition in try Condition(number: number, field: field, operator: name, value: value) }
        switch result {
        case .success(let condition): return condition
        case .failure(let error): throw Validation.invalid("conditions[\(number - 1)][operate]", error.description)
        }
    }

    func matches(_ chat: LiveChatChat, record: ChatRecord, presenter: ChatPresenter) -> Bool {
        guard !self.conditions.isEmpty else { return true }
        var facts: [String: String] = [
            "campaign": String(record.campaignId), "name": chat.name ?? "", "email": chat.email ?? "", "department": chat.department ?? "",
            "phone": chat.prechatFields.first { $0.name.lowercased() == "phone" }?.value ?? "", "rating": chat.postChat?.ratingGrade ?? "",
            "ratingComment": chat.postChat?.ratingComment ?? "", "transferred": String(record.participants.count > 1), "visitorSegment": String(record.segmentId),
            "ssoUserId": chat.ssoUserId ?? "", "lastMessageSentBy": chat.chatTranscript.last { $0.type != "system" }?.type ?? "",
        ]
        // `agent` holds when any agent of the chat satisfies it.
        return self.conditions.allSatisfy { condition in
            guard condition.field.lowercased() == "agent" else { return condition.matches(Facts(facts)) }
            return chat.agents.contains { name in
                facts["agent"] = name
                return condition.matches(Facts(facts))
            }
        }
    }
}
