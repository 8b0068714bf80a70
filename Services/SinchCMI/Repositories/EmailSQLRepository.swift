import SQLKit
import ServiceKit
import WireModels

/// Emails the contact center handled (read-only through the CMI; loaded through the admin extension).
struct EmailSQLRepository {
    let sql: any SQLDatabase

    /// Replaces any email with the same id.
    func put(_ email: CMIEmail) async throws {
        try await self.sql.delete(from: "emails").where("id", .equal, email.id).run()
        try await self.sql.insert(into: "emails").row(EmailRow(email)).run()
    }

    func email(id: String) async throws -> CMIEmail? {
        try await self.sql.select().column("*").from("emails").where("id", .equal, id).first(EmailRow.self)?.email
    }

    /// Emails with the given case id and cid (exact), newest first.
    func emails(caseId: String?, cid: String?, limit: Int?) async throws -> [CMIEmail] {
        let select = self.sql.select().column("*").from("emails").orderBy("date_created", .descending).orderBy("id").limit(limit)
        if let caseId { select.where("case_id", .equal, caseId) }
        if let cid { select.where("cid", .equal, cid) }
        return try await select.all(EmailRow.self).map(\.email)
    }
}

/// An `emails` row: a column per member; the queue as its id and name; addresses and attachments, read and written
/// whole with the email, as JSON.
struct EmailRow: Codable, Sendable {
    var id, fromQueueId, fromQueueName, channelType, channelSubType, status, title, content, originator, destination, dateCreated: String
    var type: CMIEmailType?
    var typeDetails, statusDetails, caseId, cid, remarks, agentId, agentName: String?
    var fromAddress: JSONText<CMIEmailAddress>
    var toAddress: JSONText<[CMIEmailAddress]>
    var ccAddress, bccAddress: JSONText<[CMIEmailAddress]>?
    var attachments: JSONText<[CMIAttachmentInfo]>?

    init(_ e: CMIEmail) {
        (self.id, self.fromQueueId, self.fromQueueName, self.channelType, self.channelSubType) = (
            e.id, e.fromQueue.id, e.fromQueue.name, e.channelType, e.channelSubType
        )
        (self.type, self.typeDetails, self.status, self.statusDetails, self.caseId, self.cid) = (
            e.type, e.typeDetails, e.status, e.statusDetails, e.caseId, e.cid
        )
        (self.title, self.content, self.remarks, self.originator, self.destination) = (e.title, e.content, e.remarks, e.originator, e.destination)
        (self.fromAddress, self.toAddress, self.ccAddress, self.bccAddress) = (
            JSONText(e.fromAddress), JSONText(e.toAddress), e.ccAddress.map(JSONText.init), e.bccAddress.map(JSONText.init)
        )
        (self.attachments, self.agentId, self.agentName, self.dateCreated) = (e.attachments.map(JSONText.init), e.agentId, e.agentName, e.dateCreated)
    }

    var email: CMIEmail {
        CMIEmail(
            id: self.id, fromQueue: CMIQueueRef(id: self.fromQueueId, name: self.fromQueueName), channelType: self.channelType,
            channelSubType: self.channelSubType, type: self.type, typeDetails: self.typeDetails, status: self.status,
            statusDetails: self.statusDetails, caseId: self.caseId, cid: self.cid, title: self.title, content: self.content, remarks: self.remarks,
            attachments: self.attachments?.value, originator: self.originator, destination: self.destination, fromAddress: self.fromAddress.value,
            toAddress: self.toAddress.value, ccAddress: self.ccAddress?.value, bccAddress: self.bccAddress?.value, agentId: self.agentId,
            agentName: self.agentName, dateCreated: self.dateCreated
        )
    }
}
