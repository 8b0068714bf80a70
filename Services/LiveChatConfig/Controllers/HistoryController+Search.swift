import Conditions
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The history searches in SQL: each filters, counts and pages in the database, on one reader snapshot, and reads
/// only the page's chats, participants and transcripts.
extension HistoryController {
    /// `/chats`: answered chats. Conditions SQL cannot run (a pre-chat phone, a rating, a regular expression) are
    /// checked in Swift on what SQL found, which then also pages there.
    func searchChats(
        _ query: HistoryQuery, conditions: ChatConditions, presenter: ChatPresenter, path: String
    ) async throws -> LiveChatPage<LiveChatChat> {
        let fields = ChatSQLRepository.conditionFields(agentNames: presenter.agentNames, departmentNames: presenter.departmentNames)
        let compiled = fields.compile(conditions.conditions)
        var search = query.search([.active, .ended])
        search.agentId = query.filters.agentId
        search.departmentId = query.filters.departmentId
        search.categoryId = query.filters.categoryId
        search.keywords = query.keywords
        search.conditions = compiled.predicate
        let publicURL = self.publicURL
        let chatSearch = search
        return try await self.runtime.database.read { tx in
            let chats = tx.chats
            guard !compiled.residual.isEmpty else {
                let found = try await chats.page(chatSearch, query.listQuery(sortedBy: SQLColumn("request_time", table: "chats")))
                let messages = try await chats.messages(chatIds: found.chats.map(\.id))
                let items = found.chats.map { presenter.chat($0, messages: messages[$0.id] ?? []) }
                return query.page(total: found.total, items: items, key: "chats", publicURL: publicURL, path: path)
            }
            let residual = ChatConditions(conditions: compiled.residual)
            var matching: [ChatRecord] = []
            for record in try await chats.all(chatSearch) {
                let chat = presenter.chat(record, messages: try await chats.messages(chatId: record.id))
                if residual.matches(chat, record: record, presenter: presenter) { matching.append(record) }
            }
            let shown = Array(matching.dropFirst(query.listQuery(sortedBy: SQLColumn("id")).offset).prefix(query.pageSize))
            let messages = try await chats.messages(chatIds: shown.map(\.id))
            return query.page(
                total: matching.count, items: shown.map { presenter.chat($0, messages: messages[$0.id] ?? []) }, key: "chats", publicURL: publicURL,
                path: path)
        }
    }

    /// `/missedAndRefusedChats`.
    func searchMissedAndRefused(
        _ query: HistoryQuery, statuses: [ChatStatus], presenter: ChatPresenter, path: String
    ) async throws -> LiveChatPage<LiveChatMissedOrRefused> {
        var search = query.search(statuses)
        search.campaignId = query.filters.campaignId
        search.departmentId = query.filters.departmentId
        search.segmentId = query.filters.visitorSegmentation
        let publicURL = self.publicURL
        let chatSearch = search
        return try await self.runtime.database.read { tx in
            let chats = tx.chats
            let found = try await chats.page(chatSearch, query.listQuery(sortedBy: SQLColumn("request_time", table: "chats")))
            let messages = try await chats.messages(chatIds: found.chats.map(\.id))
            let items = found.chats.map {
                LiveChatMissedOrRefused(type: $0.status.rawValue, chat: presenter.chat($0, messages: messages[$0.id] ?? []))
            }
            return query.page(total: found.total, items: items, key: "missedAndRefusedChats", publicURL: publicURL, path: path)
        }
    }

    /// `/offlineMessages`. Keywords also search the form's fields, stored as JSON: SQL finds the messages whose
    /// JSON holds them and Swift keeps those where a field's value (not a member name) does.
    func searchOfflineMessages(_ query: HistoryQuery, presenter: ChatPresenter, path: String) async throws -> LiveChatPage<LiveChatOfflineMessage> {
        let publicURL = self.publicURL
        return try await self.runtime.database.read { tx in
            let messages = tx.chats
            let select = messages.selectOfflineMessages(
                siteId: query.siteId, from: query.from, to: query.to, campaignId: query.filters.campaignId, departmentId: query.filters.departmentId,
                agentId: query.filters.agentId, segmentId: query.filters.visitorSegmentation, keywords: query.keywords
            )
            let list = query.listQuery(sortedBy: SQLColumn("time"))
            guard let keywords = query.keywords else {
                let found = try await list.page(select, as: OfflineMessageRecord.self)
                return query.page(
                    total: found.total, items: found.rows.map(presenter.offlineMessage), key: "offlineMessages", publicURL: publicURL,
                    path: path)
            }
            let matching = try await messages.offlineMessages(select).filter { record in
                ([record.content, record.name ?? "", record.email ?? ""] + record.fields.value.map { $0.value ?? "" }).joined(separator: "\n")
                    .lowercased()
                    .contains(keywords)
            }
            let shown = matching.dropFirst(list.offset).prefix(query.pageSize).map(presenter.offlineMessage)
            return query.page(total: matching.count, items: Array(shown), key: "offlineMessages", publicURL: publicURL, path: path)
        }
    }

    /// `/agentChats`: not paged (the seed gives it no page parameters).
    func searchAgentChats(_ query: HistoryQuery, presenter: ChatPresenter) async throws -> LiveChatAgentChats {
        try await self.runtime.database.read { tx in
            let found = try await tx.chats.agentChats(
                siteId: query.siteId, from: query.from, to: query.to, agentId: query.filters.agentId, keywords: query.keywords
            )
            return LiveChatAgentChats(agentChats: found.map(presenter.agentChat))
        }
    }
}

extension HistoryQuery {
    /// The site's chats in the window with `statuses`.
    func search(_ statuses: [ChatStatus]) -> ChatSearch {
        ChatSearch(siteId: self.siteId, from: self.from, to: self.to, statuses: statuses)
    }

    /// The page, oldest first by `column`, then id.
    func listQuery(sortedBy column: any SQLExpression) -> ListQuery {
        ListQuery(pageIndex: self.pageIndex, pageSize: self.pageSize, sort: [ListQuery.SortKey(column)])
    }

    /// A page whose items and total the database found, with links to the pages either side (null at the edges).
    func page<Item>(total: Int, items: [Item], key: String, publicURL: String, path: String) -> LiveChatPage<Item> {
        let start = (self.pageIndex - 1) * self.pageSize
        func link(_ index: Int) -> String {
            var components = URLComponents(string: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) + path : publicURL + path)
            var query = self.parameters.map { URLQueryItem(name: String($0.key), value: String($0.value)) }.filter { $0.name != "pageIndex" }
            query.append(URLQueryItem(name: "pageIndex", value: String(index)))
            components?.queryItems = query
            return components?.string ?? path
        }
        return LiveChatPage(
            total: total, previousPage: self.pageIndex > 1 ? link(self.pageIndex - 1) : nil,
            nextPage: start + self.pageSize < total ? link(self.pageIndex + 1) : nil, items: items, itemsKey: key
        )
    }
}

extension ChatConditions {
    /// Conditions already read (those SQL could not run).
    init(conditions: [Condition]) {
        self.conditions = conditions
    }
}
