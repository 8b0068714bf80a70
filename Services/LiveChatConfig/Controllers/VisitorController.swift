import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension HTTPField.Name {
    /// The token a visitor got when starting a chat.
    static let visitorToken = Self("X-Visitor-Token")!
}

extension ChatRuntime.ChatStarted: ResponseEncodable {}

/// `/api/v1/livechat/visitor/...`: Switchboard's extension for the visitor's side of live chat (what the chat
/// window does): start a chat on a campaign, write, end, rate, or leave an offline message. Public, like a
/// chat window; a chat's later calls need the token its start returned.
struct VisitorController {
    let runtime: ChatRuntime

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        let chat: [Int: String] = [401: "No X-Visitor-Token", 404: "Not found"]
        api.post(
            "/chats", "Start a chat: bans, pre-chat, routing and allocation decide", body: ChatRuntime.ChatRequest.self,
            returns: ChatRuntime.ChatStarted.self,
            errors: [400: "Invalid request", 403: "Banned", 404: "No such campaign"]
        ) { _, _, chat in try await self.runtime.start(chat) }
        api.get("/chats/{id}", "The chat as the visitor sees it (X-Visitor-Token)", returns: VisitorView.self, errors: chat, use: self.get)
        api.post(
            "/chats/{id}/messages", "Send a message (X-Visitor-Token)", body: Line.self, returns: EmptyBody.self, status: .noContent,
            errors: chat.merging([409: "Ended"]) { own, _ in own }
        ) { request, context, line in
            try await self.runtime.visitorMessage(chatId: try context.objectID("Chat"), token: try Self.token(request), content: try line.text())
            return EmptyBody()
        }
        api.post(
            "/chats/{id}/end", "Leave the chat (X-Visitor-Token)", returns: EmptyBody.self, status: .noContent,
            errors: chat.merging([409: "Already ended"]) { own, _ in own }
        ) {
            request, context in
            try await self.runtime.visitorEnd(chatId: try context.objectID("Chat"), token: try Self.token(request))
            return EmptyBody()
        }
        api.post(
            "/chats/{id}/postChat", "Rate the chat (X-Visitor-Token)", body: LiveChatSurvey.self, returns: EmptyBody.self, status: .noContent,
            errors: chat.merging([409: "Not answered"]) { own, _ in own }
        ) { request, context, survey in
            try await self.runtime.submitSurvey(chatId: try context.objectID("Chat"), token: try Self.token(request), survey: survey)
            return EmptyBody()
        }
        api.post(
            "/offlineMessages", "Leave an offline message", body: ChatRuntime.OfflineMessageRequest.self, returns: Created.self,
            errors: [400: "Invalid message", 403: "Banned", 404: "No such campaign"]
        ) { _, _, message in Created(id: try await self.runtime.submitOfflineMessage(message)) }
    }

    /// What the visitor sees of a chat.
    struct VisitorView: Codable, ResponseEncodable {
        var id: Int
        var status: String
        var agents: [String]
        var chatTranscript: [LiveChatMessage]
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> VisitorView {
        let (id, hash) = (try context.objectID("Chat"), SecretHasher.tokenHash(try Self.token(request)))
        let (chat, messages) = try await self.runtime.transcript { try await $0.chat(id: id, visitorTokenHash: hash) }
        let shown = try await self.runtime.presenter(site: Site(id: chat.siteId)).chat(chat, messages: messages)
        return VisitorView(id: chat.id, status: chat.status.rawValue, agents: shown.agents, chatTranscript: shown.chatTranscript)
    }

    /// A line of a chat.
    struct Line: Decodable {
        var content: String

        /// The content, which must not be blank.
        func text() throws -> String {
            guard !self.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ServiceError.missing("content") }
            return self.content
        }
    }

    /// The id of what was made.
    struct Created: Codable, ResponseEncodable {
        var id: Int
    }

    static func token(_ request: Request) throws -> String {
        guard let token = request.headers[.visitorToken], !token.isEmpty else {
            throw ServiceError.unauthorized("The X-Visitor-Token header is required.")
        }
        return token
    }
}
