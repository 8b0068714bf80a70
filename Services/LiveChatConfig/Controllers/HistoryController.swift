import Conditions
import Foundation
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension LiveChatChat: ResponseEncodable {}
extension LiveChatPage: ResponseEncodable {}
extension LiveChatAgentChats: ResponseEncodable {}

/// The history queries: chats, offline messages, missed and refused chats, agent chats. Each takes a
/// required `timeFrom`/`timeTo` window read in `timezone`; the first three come in pages (spec note §5.19–5.20).
/// The seed names no permission; reading history needs `View Chat History` (decision 47). Each search filters,
/// counts and pages in SQL on one reader snapshot, and reads only the page's chats, participants and transcripts.
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

    /// `/chats`: answered chats. Conditions SQL cannot run (a pre-chat phone, a rating, a regular expression) are
    /// checked in Swift on what SQL found, which then also pages there.
    @Sendable func chats(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatPage<LiveChatChat> {
        let query = try HistoryQuery(request: request, context: context, publicURL: self.publicURL)
        let conditions = try ChatConditions(query.filters.conditions)
        let presenter = try await self.presenter(query)
        let fields = ChatSQLRepository.conditionFields(agentNames: presenter.agentNames, departmentNames: presenter.departmentNames)
        let compiled = fields.compile(conditions.conditions)
        var search = query.search([.active, .ended])
        search.agentId = query.filters.agentId
        search.departmentId = query.filters.departmentId
        search.categoryId = query.filters.categoryId
        search.keywords = query.keywords
        search.conditions = compiled.predicate
        return try await self.runtime.database.read { [search] tx in
            guard !compiled.residual.isEmpty else {
                let found = try await tx.chats.page(search, query.listQuery(sortedBy: SQLColumn("request_time", table: "chats")))
                return query.page(total: found.total, items: try await Self.shown(found.chats, presenter, tx), key: "chats")
            }
            let residual = ChatConditions(conditions: compiled.residual)
            var matching: [ChatRecord] = []
            for record in try await tx.chats.all(search) {
                let chat = presenter.chat(record, messages: try await tx.chats.messages(chatId: record.id))
                if residual.matches(chat, record: record) { matching.append(record) }
            }
            let shown = try await Self.shown(Array(matching.dropFirst(query.offset).prefix(query.pageSize)), presenter, tx)
            return query.page(total: matching.count, items: shown, key: "chats")
        }
    }

    @Sendable func chat(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatChat {
        try context.require(permission: Self.permission)
        let time = try HistoryTime(timezone: try request.decodeQuery(as: HistoryQuery.Filters.self).timezone)
        let (id, siteId) = (try context.objectID("Chat"), context.identity.tenant)
        let (chat, messages) = try await self.runtime.transcript { try await $0.chat(id: id, siteId: siteId) }
        return try await self.runtime.presenter(site: context.site, time: time).chat(chat, messages: messages)
    }

    /// `/offlineMessages`. Keywords also search the form's fields, stored as JSON: SQL finds the messages whose
    /// JSON holds them and Swift keeps those where a field's value (not a member name) does.
    @Sendable func offlineMessages(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatPage<LiveChatOfflineMessage> {
        let query = try HistoryQuery(request: request, context: context, publicURL: self.publicURL)
        let presenter = try await self.presenter(query)
        return try await self.runtime.database.read { tx in
            let select = tx.chats.selectOfflineMessages(
                siteId: query.siteId, from: query.from, to: query.to, campaignId: query.filters.campaignId, departmentId: query.filters.departmentId,
                agentId: query.filters.agentId, segmentId: query.filters.visitorSegmentation, keywords: query.keywords
            )
            guard let keywords = query.keywords else {
                let found = try await query.listQuery(sortedBy: SQLColumn("time")).page(select, as: OfflineMessageRecord.self)
                return query.page(total: found.total, items: found.rows.map(presenter.offlineMessage), key: "offlineMessages")
            }
            let matching = try await select.orderBy("time").orderBy("id").all(OfflineMessageRecord.self).filter { record in
                ([record.content, record.name ?? "", record.email ?? ""] + record.fields.value.map { $0.value ?? "" }).joined(separator: "\n")
                    .lowercased().contains(keywords)
            }
            let shown = matching.dropFirst(query.offset).prefix(query.pageSize).map(presenter.offlineMessage)
            return query.page(total: matching.count, items: shown, key: "offlineMessages")
        }
    }

    @Sendable func missedAndRefusedChats(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatPage<LiveChatMissedOrRefused> {
        let query = try HistoryQuery(request: request, context: context, publicURL: self.publicURL)
        var wanted: Set<ChatStatus> = [.missed, .refused]
        if let type = query.filters.type, !type.isEmpty {
            guard let status = ChatStatus(rawValue: type.lowercased()), wanted.contains(status) else {
                throw Validation.invalid("type", "must be missed or refused.")
            }
            wanted = [status]
        }
        var search = query.search(ChatStatus.allCases.filter(wanted.contains))
        search.campaignId = query.filters.campaignId
        search.departmentId = query.filters.departmentId
        search.segmentId = query.filters.visitorSegmentation
        let presenter = try await self.presenter(query)
        return try await self.runtime.database.read { [search] tx in
            let found = try await tx.chats.page(search, query.listQuery(sortedBy: SQLColumn("request_time", table: "chats")))
            let shown = try await Self.shown(found.chats, presenter, tx)
            let items = zip(found.chats, shown).map { LiveChatMissedOrRefused(type: $0.status.rawValue, chat: $1) }
            return query.page(total: found.total, items: items, key: "missedAndRefusedChats")
        }
    }

    /// Not paged: the seed gives this query no page parameters.
    @Sendable func agentChats(_ request: Request, context: AuthenticatedContext) async throws -> LiveChatAgentChats {
        let query = try HistoryQuery(request: request, context: context, publicURL: self.publicURL)
        let presenter = try await self.presenter(query)
        return try await self.runtime.database.read { tx in
            let found = try await tx.chats.agentChats(
                siteId: query.siteId, from: query.from, to: query.to, agentId: query.filters.agentId, keywords: query.keywords)
            return LiveChatAgentChats(agentChats: found.map(presenter.agentChat))
        }
    }

    func presenter(_ query: HistoryQuery) async throws -> ChatPresenter {
        try await self.runtime.presenter(site: Site(id: query.siteId), time: query.time)
    }

    /// The chats as the history shows them, their transcripts read in one query.
    static func shown(_ chats: [ChatRecord], _ presenter: ChatPresenter, _ tx: Tx) async throws -> [LiveChatChat] {
        let messages = try await tx.chats.messages(chatIds: chats.map(\.id))
        return chats.map { presenter.chat($0, messages: messages[$0.id] ?? []) }
    }
}
