import Conditions
import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension LiveChatChat: ResponseEncodable {}
extension LiveChatPage: ResponseEncodable {}
extension LiveChatAgentChats: ResponseEncodable {}

/// The history queries: chats, offline messages, missed and refused chats, agent chats. Each takes a
/// required `timeFrom`/`timeTo` window read in `timezone`; the first three come in pages (spec note §5.19–5.20).
/// The seed names no permission; reading history needs `View Chat History` (decision 47).
struct HistoryController {
    let runtime: ChatRuntime
    let publicURL: String
    static let permission = "View Chat History"

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("History")
        let errors: [Int: String] = [400: "Invalid query", 403: "Missing permission View Chat History", 404: "Not found"]
        let search = Self.windowParameters + Self.searchParameters
        api.get(
            "/chats", "Search answered chats in a time window", returns: LiveChatPage<LiveChatChat>.self, query: search, errors: errors,
            use: self.chats)
        api.get("/chats/{id}", "Get a chat with its transcript", returns: LiveChatChat.self, errors: errors, use: self.chat)
        api.get(
            "/offlineMessages", "Search offline messages in a time window", returns: LiveChatPage<LiveChatOfflineMessage>.self, query: search,
            errors: errors,
            use: self.offlineMessages
        )
        api.get(
            "/missedAndRefusedChats", "Search missed and refused chats in a time window", returns: LiveChatPage<LiveChatMissedOrRefused>.self,
            query: search,
            errors: errors, use: self.missedAndRefusedChats
        )
        api.get(
            "/agentChats", "Search agent-to-agent chats in a time window", returns: LiveChatAgentChats.self, query: Self.windowParameters,
            errors: errors,
            use: self.agentChats
        )
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

    @Sendable func chats(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatPage<LiveChatChat> {
        let query = try HistoryQuery(request: request, context: context)
        let conditions = try ChatConditions(query.filters.conditions)
        return try await self.searchChats(query, conditions: conditions, presenter: try await self.presenter(query), path: request.uri.path)
    }

    @Sendable func chat(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatChat {
        try context.require(permission: Self.permission)
        let time = try HistoryTime(timezone: try request.decodeQuery(as: HistoryQuery.Filters.self).timezone)
        let (id, siteId) = (try context.objectID("Chat"), context.identity.tenant)
        let (chat, messages) = try await self.runtime.transcript { try await $0.chat(id: id, siteId: siteId) }
        return try await self.runtime.presenter(site: context.site, time: time).chat(chat, messages: messages)
    }

    @Sendable func offlineMessages(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatPage<LiveChatOfflineMessage> {
        let query = try HistoryQuery(request: request, context: context)
        return try await self.searchOfflineMessages(query, presenter: try await self.presenter(query), path: request.uri.path)
    }

    @Sendable func missedAndRefusedChats(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatPage<LiveChatMissedOrRefused> {
        let query = try HistoryQuery(request: request, context: context)
        var wanted: Set<ChatStatus> = [.missed, .refused]
        if let type = query.filters.type, !type.isEmpty {
            guard let status = ChatStatus(rawValue: type.lowercased()), wanted.contains(status) else {
                throw Validation.invalid("type", "must be missed or refused.")
            }
            wanted = [status]
        }
        let statuses = ChatStatus.allCases.filter(wanted.contains)
        return try await self.searchMissedAndRefused(query, statuses: statuses, presenter: try await self.presenter(query), path: request.uri.path)
    }

    /// Not paged: the seed gives this query no page parameters.
    @Sendable func agentChats(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatAgentChats {
        let query = try HistoryQuery(request: request, context: context)
        return try await self.searchAgentChats(query, presenter: try await self.presenter(query))
    }

    func presenter(_ query: HistoryQuery) async throws -> ChatPresenter {
        try await self.runtime.presenter(site: Site(id: query.siteId), time: query.time)
    }
}

/// The window, zone, filters and page of a history query.
struct HistoryQuery {
    /// The parameters as the seed names them.
    struct Filters: Decodable {
        var timeFrom: String?
        var timeTo: String?
        var timezone: String?
        // Read as text so that a number out of range gets the range message, not "must be an integer".
        var pageIndex: String?
        var pageSize: String?
        @QueryInteger var agentId: Int?
        @QueryInteger var departmentId: Int?
        @QueryInteger var categoryId: Int?
        @QueryInteger var campaignId: Int?
        @QueryInteger var visitorSegmentation: Int?
        var keywords: String?
        var type: String?
        var conditions: IndexedList<ChatConditions.Parameter>?
    }

    let siteId: String
    /// The query as sent, for the page links.
    let parameters: Parameters
    let filters: Filters
    let time: HistoryTime
    let from: Int64
    let to: Int64
    let pageIndex: Int
    let pageSize: Int
    let keywords: String?

    init(request: Request, context: AuthenticatedContext) throws {
        try context.require(permission: HistoryController.permission)
        self.siteId = context.identity.tenant
        self.parameters = request.uri.queryParameters
        self.filters = try request.decodeQuery(as: Filters.self)
        self.time = try HistoryTime(timezone: self.filters.timezone)
        self.from = try self.time.parse(self.filters.timeFrom, "timeFrom")
        self.to = try self.time.parse(self.filters.timeTo, "timeTo")
        guard self.from <= self.to else { throw Validation.invalid("timeFrom", "must not be after timeTo.") }
        self.pageIndex = try Validation.queryNumber(self.filters.pageIndex, "pageIndex", default: 1, range: 1...1_000_000)
        self.pageSize = try Validation.queryNumber(self.filters.pageSize, "pageSize", default: 10, range: 1...500)
        let keywords = self.filters.keywords?.trimmingCharacters(in: .whitespaces).lowercased()
        self.keywords = keywords?.isEmpty == false ? keywords : nil
    }
}

/// `conditions[i][field|operate|value]` on the chats query: every condition must hold.
struct ChatConditions {
    static let fields: Set<String> = [
        "agent", "campaign", "name", "email", "phone", "rating", "ratingcomment", "department", "transferred", "visitorsegment", "ssouserid",
        "lastmessagesentby",
    ]
    let conditions: [Condition]
    static let maxConditions = 1000

    /// One `conditions[i]`; `operator` is read for `operate`, as the visitor conditions spell it.
    struct Parameter: Decodable {
        var field: String?
        var operate: String?
        var `operator`: String?
        var value: String?
    }

    init(_ list: IndexedList<Parameter>?) throws {
        var conditions: [Condition] = []
        for (index, part) in list?.indexed ?? [] {
            // The index is only an order; bounded so that `index + 1` (the condition's number) cannot overflow.
            guard (0..<Self.maxConditions).contains(index) else {
                throw Validation.invalid("conditions[\(index)]", "the condition index must be between 0 and \(Self.maxConditions - 1).")
            }
            let field = try Validation.required(part.field, "conditions[\(index)][field]")
            guard Self.fields.contains(field.lowercased()) else {
                throw Validation.invalid("conditions[\(index)][field]", "'\(field)' is not a chat field.")
            }
            conditions.append(
                try Self.condition(number: index + 1, field: field, operator: part.operate ?? part.operator ?? "is", value: part.value ?? ""))
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
            "ratingComment": chat.postChat?.ratingComment ?? "", "transferred": String(record.participants.count > 1),
            "visitorSegment": String(record.segmentId),
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
