import ServiceKit
import WireModels

/// Turns stored chats and offline messages into the seed's objects: agent and department names instead of
/// ids, times in the requested zone.
struct ChatPresenter: Sendable {
    let agentNames: [Int: String]
    let departmentNames: [Int: String]
    let time: HistoryTime

    init(siteId: String, agents: LiveChatAgentSQLRepository, store: ConfigurationSQLRepository, time: HistoryTime) async throws {
        self.agentNames = Dictionary(uniqueKeysWithValues: try await agents.agents(siteId: siteId).map { ($0.id, $0.displayName) })
        self.departmentNames = Dictionary(
            uniqueKeysWithValues: try await store.items(LiveChatDepartment.self, in: ConfigurationScope(siteId: siteId, kind: DepartmentRules.kind))
                .map {
                    ($0.id ?? 0, $0.name ?? "")
                })
        self.time = time
    }

    func chat(_ record: ChatRecord, messages: [ChatMessageRecord]) -> LiveChatChat {
        LiveChatChat(
            id: record.id, ssoUserId: record.ssoUserId, name: record.name, email: record.email, department: self.departmentNames[record.departmentId],
            agents: record.participants.compactMap { self.agentNames[$0] }, prechatFields: record.prechat.value,
            customVariables: record.customVariables.value,
            requestTime: self.time.format(record.requestTime),
            waitingTime: record.acceptTime.map { HistoryTime.duration(from: record.requestTime, to: $0) },
            endTime: record.endTime.map(self.time.format),
            chatTranscript: messages.map { LiveChatMessage(time: self.time.format($0.time), sender: $0.sender, type: $0.type, content: $0.content) },
            attachments: record.attachments.value, postChat: record.postchat?.value, wrapup: record.wrapup?.value
        )
    }

    func offlineMessage(_ record: OfflineMessageRecord) -> LiveChatOfflineMessage {
        LiveChatOfflineMessage(
            id: record.id, time: self.time.format(record.time), ssoUserId: record.ssoUserId, name: record.name, email: record.email,
            department: self.departmentNames[record.departmentId], agent: self.agentNames[record.agentId], content: record.content,
            fields: record.fields.value, customVariables: record.customVariables.value, attachment: record.attachment?.value
        )
    }

    func agentChat(_ record: AgentChatRecord) -> LiveChatAgentChat {
        LiveChatAgentChat(
            agents: record.members.compactMap { self.agentNames[$0] },
            transcript: record.messages.map {
                LiveChatMessage(time: self.time.format($0.time), sender: self.agentNames[$0.agentId] ?? "", type: nil, content: $0.content)
            }
        )
    }
}
