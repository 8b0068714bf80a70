import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension HTTPField.Name {
    /// The token a visitor got when starting a chat.
    static let visitorToken = Self("X-Visitor-Token")!
}

/// `/api/v1/livechat/visitor/...`: Switchboard's extension for the visitor's side of live chat (what the chat
/// window does): start a chat on a campaign, write, end, rate, or leave an offline message. Public, like a
/// chat window; a chat's later calls need the token its start returned.
struct VisitorController {
    let runtime: ChatRuntime

    func addRoutes(to router: some RouterMethods<AppRequestContext>, document: OpenAPIDocument) {
        router.post("/api/v1/livechat/visitor/chats", use: self.start)
        router.get("/api/v1/livechat/visitor/chats/:id", use: self.get)
        router.post("/api/v1/livechat/visitor/chats/:id/messages", use: self.message)
        router.post("/api/v1/livechat/visitor/chats/:id/end", use: self.end)
        router.post("/api/v1/livechat/visitor/chats/:id/postChat", use: self.survey)
        router.post("/api/v1/livechat/visitor/offlineMessages", use: self.offlineMessage)
        let tag = "Visitor runtime (extension)"
        for (method, path, summary, responses) in [
            (HTTPRequest.Method.post, "/api/v1/livechat/visitor/chats", "Start a chat: bans, pre-chat, routing and allocation decide", [200: "{chatId, visitorToken, status, agentId}", 400: "Invalid request", 403: "Banned", 404: "No such campaign"]),
            (.get, "/api/v1/livechat/visitor/chats/{id}", "The chat as the visitor sees it (X-Visitor-Token)", [200: "Chat", 404: "Not found"]),
            (.post, "/api/v1/livechat/visitor/chats/{id}/messages", "Send a message (X-Visitor-Token)", [204: "Sent", 404: "Not found", 409: "Ended"]),
            (.post, "/api/v1/livechat/visitor/chats/{id}/end", "Leave the chat (X-Visitor-Token)", [204: "Ended", 404: "Not found", 409: "Already ended"]),
            (.post, "/api/v1/livechat/visitor/chats/{id}/postChat", "Rate the chat (X-Visitor-Token)", [204: "Saved", 404: "Not found", 409: "Not answered"]),
            (.post, "/api/v1/livechat/visitor/offlineMessages", "Leave an offline message", [200: "{id}", 400: "Invalid message", 403: "Banned", 404: "No such campaign"]),
        ] {
            document.describe(method, path, .init(summary, tag: tag, isExtension: true, responses: responses))
        }
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: ChatRuntime.ChatRequest.self, context: context)
        return try LiveChatJSON.response(try await self.runtime.start(body))
    }

    struct VisitorView: Encodable {
        var id: Int
        var status: String
        var agents: [String]
        var chatTranscript: [LiveChatMessage]
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chat = try await self.runtime.visitorChat(id: try Self.chatID(context), token: try Self.token(request))
        let presenter = try await self.runtime.presenter(siteId: chat.siteId)
        let shown = presenter.chat(chat, messages: try await self.runtime.chats.messages(chatId: chat.id))
        return try LiveChatJSON.response(VisitorView(id: chat.id, status: chat.status.rawValue, agents: shown.agents, chatTranscript: shown.chatTranscript))
    }

    struct Line: Decodable { var content: String }

    @Sendable func message(_ request: Request, context: AppRequestContext) async throws -> Response {
        let line = try await request.decode(as: Line.self, context: context)
        guard !line.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ServiceError.missing("content") }
        try await self.runtime.visitorMessage(chatId: try Self.chatID(context), token: try Self.token(request), content: line.content)
        return Response(status: .noContent)
    }

    @Sendable func end(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.runtime.visitorEnd(chatId: try Self.chatID(context), token: try Self.token(request))
        return Response(status: .noContent)
    }

    @Sendable func survey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let survey = try await request.decode(as: LiveChatSurvey.self, context: context)
        try await self.runtime.submitSurvey(chatId: try Self.chatID(context), token: try Self.token(request), survey: survey)
        return Response(status: .noContent)
    }

    struct Created: Encodable { var id: Int }

    @Sendable func offlineMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: ChatRuntime.OfflineMessageRequest.self, context: context)
        return try LiveChatJSON.response(Created(id: try await self.runtime.submitOfflineMessage(body)))
    }

    static func chatID(_ context: AppRequestContext) throws -> Int {
        guard let id = Int(try context.parameters.require("id")) else { throw ServiceError.notFound("Chat") }
        return id
    }

    static func token(_ request: Request) throws -> String {
        guard let token = request.headers[.visitorToken], !token.isEmpty else { throw ServiceError.unauthorized("The X-Visitor-Token header is required.") }
        return token
    }
}

/// `/api/v1/livechat/console/...`: Switchboard's extension for the agent's side of live chat: waiting and
/// active chats, accept, refuse, write, transfer, end, wrap up, and chats between agents.
struct ConsoleController {
    let runtime: ChatRuntime

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/console/chats", use: self.list)
        group.post("/console/chats/:id/accept", use: self.accept)
        group.post("/console/chats/:id/refuse", use: self.refuse)
        group.post("/console/chats/:id/messages", use: self.message)
        group.post("/console/chats/:id/transfer", use: self.transfer)
        group.post("/console/chats/:id/end", use: self.end)
        group.post("/console/chats/:id/wrapup", use: self.wrapup)
        group.post("/console/agentChats", use: self.startAgentChat)
        group.post("/console/agentChats/:id/messages", use: self.agentChatMessage)
        let tag = "Agent console (extension)"
        let security = ["basicAuth", "bearerAuth"]
        for (method, path, summary) in [
            (HTTPRequest.Method.get, "/api/v1/livechat/console/chats", "The site's waiting and active chats"),
            (.post, "/api/v1/livechat/console/chats/{id}/accept", "Accept a waiting chat"),
            (.post, "/api/v1/livechat/console/chats/{id}/refuse", "Refuse a waiting chat"),
            (.post, "/api/v1/livechat/console/chats/{id}/messages", "Write in the chat you serve"),
            (.post, "/api/v1/livechat/console/chats/{id}/transfer", "Transfer the chat to an agent or a department"),
            (.post, "/api/v1/livechat/console/chats/{id}/end", "End the chat"),
            (.post, "/api/v1/livechat/console/chats/{id}/wrapup", "Wrap up an answered chat"),
            (.post, "/api/v1/livechat/console/agentChats", "Start a chat with other agents"),
            (.post, "/api/v1/livechat/console/agentChats/{id}/messages", "Write in an agent chat"),
        ] {
            document.describe(
                method, path, .init(summary, tag: tag, security: security, isExtension: true, responses: [200: "OK", 204: "Done", 400: "Invalid", 403: "Not yours", 404: "Not found", 409: "Wrong state"])
            )
        }
    }

    struct ChatSummary: Encodable {
        var id: Int
        var status: String
        var campaignId: Int
        var departmentId: Int
        var agentId: Int
        var name: String?
        var requestTime: String
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        _ = try await self.runtime.agentRecord(context.identity)
        let since = self.runtime.clock.milliseconds() - 7 * 86_400_000
        let time = try HistoryTime(timezone: nil)
        let open = try await self.runtime.chats.chats(siteId: context.identity.tenant, from: since, to: Int64.max).filter { $0.status == .queued || $0.status == .active }
        return try LiveChatJSON.response(open.map {
            ChatSummary(id: $0.id, status: $0.status.rawValue, campaignId: $0.campaignId, departmentId: $0.departmentId, agentId: $0.agentId, name: $0.name, requestTime: time.format($0.requestTime))
        })
    }

    @Sendable func accept(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        _ = try await self.runtime.accept(chatId: try context.objectID("Chat"), by: context.identity)
        return Response(status: .noContent)
    }

    @Sendable func refuse(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        _ = try await self.runtime.refuse(chatId: try context.objectID("Chat"), by: context.identity)
        return Response(status: .noContent)
    }

    @Sendable func message(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let line = try await request.decode(as: VisitorController.Line.self, context: context)
        guard !line.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ServiceError.missing("content") }
        try await self.runtime.agentMessage(chatId: try context.objectID("Chat"), by: context.identity, content: line.content)
        return Response(status: .noContent)
    }

    struct Transfer: Decodable {
        var agentId: Int?
        var departmentId: Int?
    }

    @Sendable func transfer(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let target = try await request.decode(as: Transfer.self, context: context)
        let chat = try await self.runtime.transfer(chatId: try context.objectID("Chat"), by: context.identity, toAgent: target.agentId, toDepartment: target.departmentId)
        return try LiveChatJSON.response(["agentId": chat.agentId, "departmentId": chat.departmentId])
    }

    @Sendable func end(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await self.runtime.agentEnd(chatId: try context.objectID("Chat"), by: context.identity)
        return Response(status: .noContent)
    }

    @Sendable func wrapup(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let wrapup = try await request.decode(as: LiveChatWrapup.self, context: context)
        _ = try await self.runtime.wrapUp(chatId: try context.objectID("Chat"), by: context.identity, wrapup: wrapup)
        return Response(status: .noContent)
    }

    struct AgentChatLine: Decodable {
        var agentIds: [Int]?
        var content: String
    }

    @Sendable func startAgentChat(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let line = try await request.decode(as: AgentChatLine.self, context: context)
        guard !line.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ServiceError.missing("content") }
        let id = try await self.runtime.agentChat(id: nil, with: line.agentIds ?? [], by: context.identity, content: line.content)
        return try LiveChatJSON.response(VisitorController.Created(id: id))
    }

    @Sendable func agentChatMessage(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let line = try await request.decode(as: AgentChatLine.self, context: context)
        guard !line.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ServiceError.missing("content") }
        _ = try await self.runtime.agentChat(id: try context.objectID("Agent chat"), with: [], by: context.identity, content: line.content)
        return Response(status: .noContent)
    }
}
