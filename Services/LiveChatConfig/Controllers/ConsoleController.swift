import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `/api/v1/livechat/console/...`: Switchboard's extension for the agent's side of live chat: waiting and
/// active chats, accept, refuse, write, transfer, end, wrap up, and chats between agents.
struct ConsoleController {
    let runtime: ChatRuntime

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Agent console (extension)", isExtension: true)
        let errors: [Int: String] = [400: "Invalid", 403: "Not yours", 404: "Not found", 409: "Wrong state"]
        api.get("/console/chats", "The site's waiting and active chats", returns: [ChatSummary].self, errors: errors, use: self.list)
        api.post("/console/chats/{id}/accept", "Accept a waiting chat", returns: EmptyBody.self, status: .noContent, errors: errors) { _, context in
            try await self.runtime.accept(chatId: try context.objectID("Chat"), by: context.identity)
            return EmptyBody()
        }
        api.post("/console/chats/{id}/refuse", "Refuse a waiting chat", returns: EmptyBody.self, status: .noContent, errors: errors) { _, context in
            try await self.runtime.refuse(chatId: try context.objectID("Chat"), by: context.identity)
            return EmptyBody()
        }
        api.post(
            "/console/chats/{id}/messages", "Write in the chat you serve", body: VisitorController.Line.self, returns: EmptyBody.self,
            status: .noContent,
            errors: errors
        ) { _, context, line in
            try await self.runtime.agentMessage(chatId: try context.objectID("Chat"), by: context.identity, content: try line.text())
            return EmptyBody()
        }
        api.post(
            "/console/chats/{id}/transfer", "Transfer the chat to an agent or a department", body: Transfer.self, returns: Transfer.self,
            errors: errors
        ) { _, context, target in
            let chat = try await self.runtime.transfer(
                chatId: try context.objectID("Chat"), by: context.identity, toAgent: target.agentId, toDepartment: target.departmentId)
            return Transfer(agentId: chat.agentId, departmentId: chat.departmentId)
        }
        api.post("/console/chats/{id}/end", "End the chat", returns: EmptyBody.self, status: .noContent, errors: errors) { _, context in
            try await self.runtime.agentEnd(chatId: try context.objectID("Chat"), by: context.identity)
            return EmptyBody()
        }
        api.post(
            "/console/chats/{id}/wrapup", "Wrap up an answered chat", body: LiveChatWrapup.self, returns: EmptyBody.self, status: .noContent,
            errors: errors
        ) { _, context, wrapup in
            try await self.runtime.wrapUp(chatId: try context.objectID("Chat"), by: context.identity, wrapup: wrapup)
            return EmptyBody()
        }
        api.post(
            "/console/agentChats", "Start a chat with other agents", body: AgentChatLine.self, returns: VisitorController.Created.self, errors: errors
        ) { _, context, line in
            VisitorController.Created(
                id: try await self.runtime.agentChat(id: nil, with: line.agentIds ?? [], by: context.identity, content: try line.text()))
        }
        api.post(
            "/console/agentChats/{id}/messages", "Write in an agent chat", body: AgentChatLine.self, returns: EmptyBody.self, status: .noContent,
            errors: errors
        ) { _, context, line in
            _ = try await self.runtime.agentChat(id: try context.objectID("Agent chat"), with: [], by: context.identity, content: try line.text())
            return EmptyBody()
        }
    }

    /// A waiting or active chat as the console lists it.
    struct ChatSummary: Codable, ResponseEncodable {
        var id: Int
        var status: String
        var campaignId: Int
        var departmentId: Int
        var agentId: Int
        var name: String?
        var requestTime: String
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [ChatSummary] {
        _ = try await self.runtime.agentRecord(context.identity)
        let since = self.runtime.clock.milliseconds() - 7 * 86_400_000
        let time = try HistoryTime(timezone: nil)
        let open = try await self.runtime.database.read { try await $0.chats.chats(siteId: context.identity.tenant, from: since, to: Int64.max) }
            .filter { $0.status == .queued || $0.status == .active }
        return open.map {
            ChatSummary(
                id: $0.id, status: $0.status.rawValue, campaignId: $0.campaignId, departmentId: $0.departmentId, agentId: $0.agentId, name: $0.name,
                requestTime: time.format($0.requestTime))
        }
    }

    /// Where a chat goes: an agent, or whoever of a department allocation picks; answered with where it went.
    struct Transfer: Codable, ResponseEncodable {
        var agentId: Int?
        var departmentId: Int?
    }

    /// A line to other agents; a new agent chat names them.
    struct AgentChatLine: Decodable {
        var agentIds: [Int]?
        var content: String

        func text() throws -> String { try VisitorController.Line(content: self.content).text() }
    }
}
