import Conditions
import Foundation
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

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
    /// The query as sent, the path and the public address, for the page links.
    let parameters: Parameters
    let path: String
    let publicURL: String
    let filters: Filters
    let time: HistoryTime
    let from: Int64
    let to: Int64
    let pageIndex: Int
    let pageSize: Int
    let keywords: String?

    init(request: Request, context: AuthenticatedContext, publicURL: String) throws {
        try context.require(permission: HistoryController.permission)
        self.siteId = context.identity.tenant
        self.parameters = request.uri.queryParameters
        (self.path, self.publicURL) = (request.uri.path, publicURL)
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
            do {
                conditions.append(
                    try Condition(number: index + 1, field: field, operator: part.operate ?? part.operator ?? "is", value: part.value ?? ""))
            } catch {
                throw Validation.invalid("conditions[\(index)][operate]", error.description)
            }
        }
        self.conditions = conditions
    }

    /// Conditions already read (those SQL could not run).
    init(conditions: [Condition]) {
        self.conditions = conditions
    }

    func matches(_ chat: LiveChatChat, record: ChatRecord) -> Bool {
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

extension HistoryQuery {
    /// The site's chats in the window with `statuses`.
    func search(_ statuses: [ChatStatus]) -> ChatSearch {
        ChatSearch(siteId: self.siteId, from: self.from, to: self.to, statuses: statuses)
    }

    /// The page, oldest first by `column`, then id.
    func listQuery(sortedBy column: any SQLExpression) -> ListQuery {
        ListQuery(pageIndex: self.pageIndex, pageSize: self.pageSize, sort: [ListQuery.SortKey(column)])
    }

    /// Items skipped before the page.
    var offset: Int { (self.pageIndex - 1) * self.pageSize }

    /// A page whose items and total the database found, with links to the pages either side (null at the edges).
    func page<Item>(total: Int, items: some Sequence<Item>, key: String) -> LiveChatPage<Item> {
        func link(_ index: Int) -> String {
            let url = (self.publicURL.hasSuffix("/") ? String(self.publicURL.dropLast()) : self.publicURL) + self.path
            var components = URLComponents(string: url)
            var query = self.parameters.map { URLQueryItem(name: String($0.key), value: String($0.value)) }.filter { $0.name != "pageIndex" }
            query.append(URLQueryItem(name: "pageIndex", value: String(index)))
            components?.queryItems = query
            return components?.string ?? self.path
        }
        return LiveChatPage(
            total: total, previousPage: self.pageIndex > 1 ? link(self.pageIndex - 1) : nil,
            nextPage: self.offset + self.pageSize < total ? link(self.pageIndex + 1) : nil, items: Array(items), itemsKey: key
        )
    }
}
