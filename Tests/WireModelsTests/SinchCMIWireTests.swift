import Foundation
import Testing
import WireModels

/// Every Sinch CMI object decodes from the seed's own JSON example, encodes, and decodes back equal; where nothing
/// in the example is outside the wire type, the re-encoding is the same JSON as the example (key order and
/// whitespace aside). Examples are copied verbatim from `shared/seeds/004_480e2b1c87ded349.txt` (line numbers on each
/// fixture); the two that are not valid JSON are fixed in the test that uses them, as the notes' §6 A4 and A15 say.
@Suite("Sinch CMI wire models")
struct SinchCMIWireTests {
    // MARK: emails

    @Test("The seed's email list decodes, round-trips, and re-encodes to the same JSON")
    func emailList() throws {
        let emails = try roundTrip([CMIEmail].self, SeedJSON.emailList)
        try #require(emails.count == 2)
        #expect(emails[0].caseId == "68108")
        #expect(emails[0].attachments?.map(\.mimeType) == ["application/pdf", "text/plain", "image/jpeg"])
        #expect(emails[0].fromAddress == CMIEmailAddress(address: "Mr.Boss@Big.Company.corp"))
        #expect(emails[1].bccAddress == [CMIEmailAddress(name: "Smith, Mark", address: "Mark.Smith@bcmtr.bcm.corp")])
        #expect(emails[0].bccAddress == nil)
        try expectSameJSON(emails, SeedJSON.emailList)
    }

    @Test("The seed's single email decodes, round-trips, and re-encodes to the same JSON")
    func email() throws {
        let email = try roundTrip(CMIEmail.self, SeedJSON.email)
        #expect(email.id == "B9D3E2C14DAE42AC9EB467A4F6515EE5")
        #expect(email.fromQueue == CMIQueueRef(id: "EE9FB1FEA36A4919A7275DC67DCEF13E", name: "REG_Email_Hunt"))
        #expect(email.dateCreated == "2016-05-27T11:37:42.060Z")
        #expect(email.status == "handled")
        #expect(email.attachments?.first?.size == 440721)
        #expect(email.content.contains(#"<meta content="MSHTML 11.00.9600.18315" name="GENERATOR">"#))
        try expectSameJSON(email, SeedJSON.email)
    }

    // MARK: script results

    @Test("The seed's script result list decodes, round-trips, and re-encodes to the same JSON")
    func scriptResultList() throws {
        let results = try roundTrip([CMIScriptResult].self, SeedJSON.scriptResultList)
        try #require(results.count == 2)
        #expect(results[1].originalcontactId == "AAC3ABD95D26E61180D5005056AD40A2")
        #expect(results[1].contactId == "4B713E555D26E61180D5005056AD40A2")
        #expect(results[0].scriptquestions[0].scriptanswers.map(\.answerdata) == ["Kia", "Volvo"])
        try expectSameJSON(results, SeedJSON.scriptResultList)
    }

    @Test("The seed's single script result decodes, round-trips, and re-encodes to the same JSON")
    func scriptResult() throws {
        let result = try roundTrip(CMIScriptResult.self, SeedJSON.scriptResult)
        #expect(result.scriptId == "DCA8D3301BC74B9C8AFCB28026E7761B")
        #expect(result.modificationtime == "2017-03-01T10:00:42.470Z")
        #expect(result.scriptquestions.map(\.controltype) == ["multicombobox", "multicombobox"])
        #expect(result.scriptquestions[1].ordinal == 2)
        try expectSameJSON(result, SeedJSON.scriptResult)
    }

    // MARK: chats

    @Test("The seed's chat list decodes without participants or transcript and re-encodes to the same JSON")
    func chatList() throws {
        let chats = try roundTrip([CMIChat].self, SeedJSON.chatList)
        try #require(chats.count == 2)
        #expect(chats[0].destination == " 123456Support@Test.com")
        #expect(chats[1].fromQueue.name == "My sales chat")
        #expect(chats.allSatisfy { $0.title == "" && $0.participants == nil && $0.transcript == nil && $0.status == nil })
        try expectSameJSON(chats, SeedJSON.chatList)
    }

    @Test("The seed's single chat reads timeStamp and timestamp alike and re-encodes every line as timestamp")
    func chat() throws {
        let chat = try roundTrip(CMIChat.self, SeedJSON.chat)
        #expect(chat.participants?.count == 4)
        #expect(chat.participants?.last == CMIChatParticipant(alias: "", uniquekey: "Sinch Contact Center"))
        let lines = try #require(chat.transcript?.messages)
        try #require(lines.count == 12)
        #expect(lines[0].timestamp == "2016-11-07T12:44:27.667Z")  // spelled timeStamp in the seed
        #expect(lines[5].timestamp == "2016-11-07T12:43:47.087Z")  // spelled timestamp in the seed
        #expect(lines[11].systemMessage && lines[11].message == "Position in queue: 1 - \nNumber of agents: 4")
        #expect(lines.allSatisfy { $0.type == .text })
        try expectSameJSON(chat, SeedJSON.chat.replacingOccurrences(of: #""timeStamp""#, with: #""timestamp""#))
    }

    @Test("The seed's inbound POST /chats body decodes and round-trips")
    func newChatInbound() throws {
        let chat = try roundTrip(CMINewChat.self, SeedJSON.newChatInbound)
        #expect(chat.channelType == .chat)
        #expect(chat.title == "Discussion with Bot")
        #expect(chat.fromQueue == CMINewChat.FromQueue(id: "999102030405060708090A0B0C0D0E0F"))
        #expect(chat.participants?.map(\.alias) == ["Sam", "The Bot"])
        let times: [String?] = ["2021-08-07T12:44:22.453Z", "2021-08-07T12:44:21.453Z", "2021-08-07T12:44:20.453Z", "2021-08-07T12:44:19.453Z"]
        #expect(chat.transcript.messages.map(\.timestamp) == times)
        #expect(chat.transcript.messages.allSatisfy { $0.type == .text && $0.systemMessage == nil })
        // `from_queue.name` is not in the request schema and is not kept (notes §6 A31).
        let encoded = try jsonObject(JSONEncoder().encode(chat))
        #expect((encoded["from_queue"] as? [String: Any])?.keys.sorted() == ["id"])
    }

    @Test("The seed's outbound POST /chats body decodes with the transcript's optional fields left out")
    func newChatOutbound() throws {
        let chat = try roundTrip(CMINewChat.self, SeedJSON.newChatOutbound)
        #expect(chat.channelType == .chatout)
        #expect(chat.channelSubType == "sms")
        #expect(chat.title == "")
        let line = try #require(chat.transcript.messages.first)
        #expect(line.timestamp == nil && line.systemMessage == nil && line.type == nil)
        // `date_created` is set by the server, never read from the body (notes §6 A31).
        let encoded = try jsonObject(JSONEncoder().encode(chat))
        #expect(!encoded.keys.contains("date_created"))
        #expect(((encoded["transcript"] as? [String: Any])?["messages"] as? [[String: Any]])?.first?.keys.sorted() == ["message", "originator"])
    }

    // MARK: call recordings

    @Test("The seed's call recording list decodes without listen logs and re-encodes to the same JSON")
    func callRecordingList() throws {
        let recordings = try roundTrip([CMICallRecording].self, SeedJSON.callRecordingList)
        try #require(recordings.count == 4)
        #expect(recordings[2].ownerType == .queue)
        #expect(recordings[0].fileName == #"100\2017_07_00\05_12_01_14_SSR_100_D8296FEDDB374F4EABAF6F9A555F3853.wav"#)
        #expect(recordings.allSatisfy { $0.listenLog == nil && $0.filePath == "" })
        try expectSameJSON(recordings, SeedJSON.callRecordingList)
    }

    @Test("The seed's single call recording decodes its listen log and re-encodes to the same JSON")
    func callRecording() throws {
        let recording = try roundTrip(CMICallRecording.self, SeedJSON.callRecording)
        #expect(recording.callId == "475CD7FA939747CD9885379F5C4DEE08")
        #expect(recording.ownerType == .user)
        let entry = CMIListenLog(
            userGuid: "D0248B3AE770490EA9A7BE954BE7BA63", userId: "mark.smith", userName: "Smith, Mark", description: "xxx",
            timeStamp: "2017-06-28T12:16:23.517Z"
        )
        #expect(recording.listenLog == [entry])
        try expectSameJSON(recording, SeedJSON.callRecording)
    }

    @Test("The seed's listen log list decodes, round-trips, and re-encodes to the same JSON")
    func listenLogList() throws {
        let entries = try roundTrip([CMIListenLog].self, SeedJSON.listenLogList)
        try #require(entries.count == 2)
        #expect(entries[0].id == "F0DA314476984627B84BE99AB98C6AA6")
        #expect(entries[0].userSessionId == "6936084DBA3C4941C80F2CB2E3EC00E3")
        #expect(entries[1].userId == "Agent2 Login")
        #expect(entries[1].timeStamp == "2016-04-15T05:58:53.650Z")
        try expectSameJSON(entries, SeedJSON.listenLogList)
    }

    @Test("The seed's POST listenLog body decodes with only description and userSessionId")
    func newListenLog() throws {
        let entry = try roundTrip(CMIListenLog.self, SeedJSON.newListenLog)
        #expect(entry == CMIListenLog(description: "listened because", userSessionId: "6936084DBA3C4941C80F2CB2E3EC00E3"))
        try expectSameJSON(entry, SeedJSON.newListenLog)
    }

    // MARK: callbacks

    @Test("The seed's callback list decodes, round-trips, and re-encodes to the same JSON")
    func callbackList() throws {
        let callbacks = try roundTrip([CMICallback].self, SeedJSON.callbackList)
        try #require(callbacks.count == 2)
        #expect(callbacks[0].extraData == "<XML><Skills>ENGLISH=4</Skills></XML>")
        #expect(callbacks[0].creatorId == nil)
        #expect(callbacks[1].lastResult == "ADDED")
        #expect(callbacks[1].failures == 0 && callbacks[1].maxCalls == 99)
        try expectSameJSON(callbacks, SeedJSON.callbackList)
    }

    @Test("The seed's single callback decodes, round-trips, and re-encodes to the same JSON")
    func callback() throws {
        let callback = try roundTrip(CMICallback.self, SeedJSON.callback)
        #expect(callback.creatorName == "Smith, John")
        #expect(callback.lastResult == CMICallbackResult.noAnswer.rawValue)
        #expect(callback.originalQueueNumber == "152" && callback.callbackQueueNumber == "153")
        try expectSameJSON(callback, SeedJSON.callback)
    }

    @Test("The seed's POST /callbacks body decodes, round-trips, and re-encodes to the same JSON")
    func newCallback() throws {
        let callback = try roundTrip(CMINewCallback.self, SeedJSON.newCallback)
        #expect(callback == CMINewCallback(callbackQueueNumber: "505", customerNumber: "85412369512", nextCallTime: "2019-10-04T12:36:02.440Z"))
        try expectSameJSON(callback, SeedJSON.newCallback)
    }

    @Test("The seed's PUT /callbacks body decodes lastResult as the closed enum and re-encodes to the same JSON")
    func callbackUpdate() throws {
        let update = try roundTrip(CMICallbackUpdate.self, SeedJSON.callbackUpdate)
        #expect(update.lastResult == .handled)
        #expect(update.notes == "Comments")
        #expect(update.nextCallTime == nil && update.maxCalls == nil)
        try expectSameJSON(update, SeedJSON.callbackUpdate)
    }

    // MARK: contacts

    @Test("The seed's contact list (braces fixed to brackets) decodes, round-trips, and re-encodes to the same JSON")
    func contactList() throws {
        // The seed wraps the list in `{ … }` (L1550, L1604); the response is a JSON array (notes §6 A15).
        let seed = SeedJSON.contactList
        try #require(seed.hasPrefix("{") && seed.hasSuffix("}"))
        let fixed = "[" + String(seed.dropFirst().dropLast()) + "]"
        let contacts = try roundTrip([CMIContact].self, fixed)
        try #require(contacts.count == 3)
        #expect(contacts.map(\.channel) == [.phone, .chat, .email])
        #expect(contacts[1].subtype == "text" && contacts[1].agentName == "Agent, Name")
        #expect(contacts[2].status == .inQueue && contacts[2].statusDetails == "InProcess")
        #expect(contacts[2].arrivalTime == "2019-09-08T11:09:14Z")
        #expect(contacts[1].totalDuration == 89_048_513_266)
        #expect(contacts[0].record == true && contacts[1].record == nil && contacts[1].disconnectTime == nil)
        try expectSameJSON(contacts, fixed)
    }

    @Test("The seed's single contact decodes its required agent and re-encodes to the same JSON")
    func contact() throws {
        let contact = try roundTrip(CMIContact.self, SeedJSON.contact)
        #expect(contact.type == .callIn)
        #expect(contact.totalDuration == 7)
        let agent = CMIRequiredAgent(
            id: "30BAC5C8C39A4CA5A5B1C5509EE4F12B", name: "Surname, First Name", type: CMIRequiredAgent.preferredType,
            expirationTime: "2024-05-05T08:55:24.563Z"
        )
        #expect(contact.requiredAgent == agent)
        #expect(contact.connectTime == nil && contact.waitingDuration == nil)
        try expectSameJSON(contact, SeedJSON.contact)
    }

    @Test("A contact with statistics encodes the four statistics fields")
    func contactStatistics() throws {
        let contact = CMIContact(
            id: "336FFFD5C6FF11E68ACA005056A75D9A", contactGroupId: "336FFFD4-C6FF-11E6-8ACA-005056A75D9A", channel: .chat, type: .chatIn,
            typeDetails: "Chat", subtype: "telegram", status: .handled, statusDetails: "Handled", source: "customer@host.com",
            destination: "chat1@wicom.com", arrivalTime: "2016-12-20T21:56:47.347Z", disconnectTime: "2016-12-20T21:58:47.347Z",
            totalDuration: 120_000, connectTime: "2016-12-20T21:57:47.347Z", waitingDuration: 60_000, handlingDuration: 60_000,
            wrapUpTotalDuration: 0
        )
        let encoded = try jsonObject(JSONEncoder().encode(contact))
        #expect(encoded["connectTime"] as? String == "2016-12-20T21:57:47.347Z")
        #expect(encoded["waitingDuration"] as? Int == 60_000)
        #expect(encoded["wrapUpTotalDuration"] as? Int == 0)
        #expect(encoded["subtype"] as? String == "telegram")
        #expect(!encoded.keys.contains("record") && !encoded.keys.contains("agentId"))
        #expect(try JSONDecoder().decode(CMIContact.self, from: JSONEncoder().encode(contact)) == contact)
    }

    // MARK: messages

    @Test("The seed's message list decodes the nested destinations and re-encodes to the same JSON")
    func messageList() throws {
        let messages = try roundTrip([CMIMessage].self, SeedJSON.messageList)
        try #require(messages.count == 2)
        #expect(messages[0].destinations.destination.map(\.status) == [.added, .added])
        #expect(messages[1].destinations.destination == [CMIMessageDestination(address: "9874572", status: .processing)])
        #expect(messages[1].subType == "whatsapp" && messages[1].maxRetryCount == 5)
        #expect(messages[0].creationTime == "2020-06-12T12:36:01.320Z" && messages[0].creationDate == nil)
        try expectSameJSON(messages, SeedJSON.messageList)
    }

    @Test("The seed's single message decodes, round-trips, and re-encodes to the same JSON")
    func message() throws {
        let message = try roundTrip(CMIMessage.self, SeedJSON.message)
        #expect(message.id == "7709311E00144664847200192C96BFA9")
        #expect(message.retryDelay == 3600)
        #expect(message.destinations.destination.map(\.address) == ["9874572", "9874574"])
        #expect(message.contentType == nil)
        try expectSameJSON(message, SeedJSON.message)
    }

    @Test("The seed's scheduled SMS POST body (address quote fixed) decodes destinations without status")
    func newMessageSMS() throws {
        // `"address": +36584215"` (L1867) is a typo for `"+36584215"` (notes §6 A4).
        let fixed = SeedJSON.newMessageSMS.replacingOccurrences(of: #""address": +36584215""#, with: #""address": "+36584215""#)
        let message = try roundTrip(CMIMessage.self, fixed)
        #expect(message.id == nil && message.creationTime == nil)
        #expect(message.destinations.destination == [CMIMessageDestination(address: "+36584215"), CMIMessageDestination(address: "854125477")])
        #expect(message.sendTime == "2020-03-12T12:36:01.320Z" && message.retryDelay == 300)
        try expectSameJSON(message, fixed)
    }

    @Test("The seed's WhatsApp template POST body keeps the template JSON as text and re-encodes to the same JSON")
    func newMessageTemplate() throws {
        let message = try roundTrip(CMIMessage.self, SeedJSON.newMessageTemplate)
        #expect(message.contentType == .template)
        #expect(message.maxRetryCount == nil && message.sendTime == nil)
        let template = try jsonObject(Data(message.message.utf8))
        #expect(template["template_id"] as? String == "buttons_appt")
        #expect((template["parameters"] as? [String: Any])?["button[0]quick_reply[1]text"] as? String == "button0text")
        try expectSameJSON(message, SeedJSON.newMessageTemplate)
    }

    @Test("The seed's PUT /messages body decodes, round-trips, and re-encodes to the same JSON")
    func messageUpdate() throws {
        let message = try roundTrip(CMIMessage.self, SeedJSON.messageUpdate)
        #expect(message.destinations.destination == [CMIMessageDestination(address: "9874572"), CMIMessageDestination(address: "9874574")])
        #expect(message.maxRetryCount == 2)
        #expect(message.source == "12345678@sms.social365.com")
        try expectSameJSON(message, SeedJSON.messageUpdate)
    }

    @Test("Destinations also decode from the schema's plain array and from a single object; they encode nested")
    func messageDestinationForms() throws {
        let plain = #"{"message": "Hi", "source": "q@sms", "subType": "sms", "destinations": [{"address": "1"}, {"address": "2"}]}"#
        let single = #"{"message": "Hi", "source": "q@sms", "subType": "sms", "destinations": {"destination": {"address": "1"}}}"#
        let empty = #"{"message": "Hi", "source": "q@sms", "subType": "sms", "destinations": {}}"#
        let fromPlain = try JSONDecoder().decode(CMIMessage.self, from: Data(plain.utf8))
        #expect(fromPlain.destinations.destination == [CMIMessageDestination(address: "1"), CMIMessageDestination(address: "2")])
        let fromSingle = try JSONDecoder().decode(CMIMessage.self, from: Data(single.utf8))
        #expect(fromSingle.destinations.destination == [CMIMessageDestination(address: "1")])
        let fromEmpty = try JSONDecoder().decode(CMIMessage.self, from: Data(empty.utf8))
        #expect(fromEmpty.destinations.destination.isEmpty)
        let bad = #"{"message": "Hi", "source": "q@sms", "subType": "sms", "destinations": [{"status": "ADDED"}]}"#
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(CMIMessage.self, from: Data(bad.utf8)) }
        let built = CMIMessage(message: "Hi", source: "q@sms", subType: "sms", destinations: [CMIMessageDestination(address: "1")])
        let encoded = try jsonObject(JSONEncoder().encode(built))
        #expect(((encoded["destinations"] as? [String: Any])?["destination"] as? [[String: Any]])?.first?["address"] as? String == "1")
    }

    // MARK: customer consents

    @Test("The seed's customer consent list decodes, round-trips, and re-encodes to the same JSON")
    func customerConsentList() throws {
        let consents = try roundTrip([CMICustomerConsent].self, SeedJSON.consentList)
        #expect(consents.map(\.usage) == [.recording, .whatsapp, .recording])
        #expect(consents.map(\.consent) == [true, true, false])
        #expect(consents[2].address == "+584214777")
        try expectSameJSON(consents, SeedJSON.consentList)
    }

    @Test("The seed's POST /customerConsents body decodes, round-trips, and re-encodes to the same JSON")
    func newCustomerConsent() throws {
        let consent = try roundTrip(CMICustomerConsent.self, SeedJSON.newConsent)
        #expect(consent == CMICustomerConsent(address: "+8541255455", usage: .whatsapp, consent: true))
        try expectSameJSON(consent, SeedJSON.newConsent)
    }

    @Test("The seed's single customer consent decodes, round-trips, and re-encodes to the same JSON")
    func customerConsent() throws {
        let consent = try roundTrip(CMICustomerConsent.self, SeedJSON.consent)
        #expect(consent.usage == .recording)
        #expect(consent.address == "+8541255455")
        #expect(consent.consent)
        try expectSameJSON(consent, SeedJSON.consent)
    }

    // MARK: XML names

    @Test("Every top-level type names its XML root and list root as docs/cmi-xml.md records")
    func xmlRootNames() {
        #expect([CMIEmail.xmlRootName, CMIEmail.xmlListRootName] == ["email", "emails"])
        #expect([CMIScriptResult.xmlRootName, CMIScriptResult.xmlListRootName] == ["scriptResult", "scriptResults"])
        #expect([CMIChat.xmlRootName, CMIChat.xmlListRootName] == ["chat", "chats"])
        #expect([CMINewChat.xmlRootName, CMINewChat.xmlListRootName] == ["chat", "chats"])
        #expect([CMICallRecording.xmlRootName, CMICallRecording.xmlListRootName] == ["callRecording", "callRecordings"])
        #expect([CMIListenLog.xmlRootName, CMIListenLog.xmlListRootName] == ["listenLog", "listenLogs"])
        #expect([CMICallback.xmlRootName, CMICallback.xmlListRootName] == ["callback", "callbacks"])
        #expect([CMINewCallback.xmlRootName, CMICallbackUpdate.xmlRootName] == ["callback", "callback"])
        #expect([CMIContact.xmlRootName, CMIContact.xmlListRootName] == ["contact", "contacts"])
        #expect([CMIMessage.xmlRootName, CMIMessage.xmlListRootName] == ["message", "messages"])
        #expect([CMICustomerConsent.xmlRootName, CMICustomerConsent.xmlListRootName] == ["customerConsent", "customerConsents"])
    }
}

// MARK: helpers

/// Decodes `json`, encodes the result, decodes that, and expects the two decoded values to be equal.
private func roundTrip<T: Codable & Equatable>(
    _ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> T {
    let first = try JSONDecoder().decode(T.self, from: Data(json.utf8))
    let second = try JSONDecoder().decode(T.self, from: JSONEncoder().encode(first))
    #expect(second == first, sourceLocation: sourceLocation)
    return first
}

/// Expects `value` to encode to the same JSON as `json` apart from key order and whitespace: no field lost, renamed,
/// retyped or added, and no `null` written for an absent field.
private func expectSameJSON(_ value: some Encodable, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let actual = try canonicalJSON(JSONEncoder().encode(value))
    let expected = try canonicalJSON(Data(json.utf8))
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// `data` re-serialised with sorted keys, so two documents compare as text.
private func canonicalJSON(_ data: Data) throws -> String {
    let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: sorted, as: UTF8.self)
}

/// A JSON object as a dictionary.
private func jsonObject(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

// MARK: seed examples

/// The seed's JSON examples, verbatim (`shared/seeds/004_480e2b1c87ded349.txt`, lines as marked).
private enum SeedJSON {
    /// GET /emails: L91–L201.
    static let emailList = #"""
        [
        {
        "attachments": [
        {
        "size": 440721,
        "filename": "Help.pdf",
        "id": "064C7F3C69A64566A0D661ADB0DC0153",
        "mime_type": "application/pdf"
        },
        {
        "size": 440,
        "filename": "Notes.txt",
        "id": "68F94FB8567748869A7D873DAEF46B1B",
        "mime_type": "text/plain"
        },
        {
        "size": 88252,
        "filename": "Picture_small.jpg",
        "id": "5236C1E666554638A837CC3408A45614",
        "mime_type": "image/jpeg"
        }
        ],
        "case_id": "68108",
        "cc_address": [
        {
        "address": "Jack@bcmtr.bcm.corp",
        "name": "Jonhnson, Jack"
        }
        ],
        "channel_sub_type": "inbound",
        "channel_type": "email",
        "cid": "CID0DCB56DFCC80",
        "content": "<p>Hey,</p> <p>I would like to order excellent Sinch RI application for our system. </p> <p>Note: No matter how much it will cost!</p> <p>Br : Happy Customer / Mr. Boss</p> ",
        "date_created": "2017-02-23T11:49:09.340Z",
        "destination": "sales@bcmtr.bcm.corp",
        "from_address": {
        "address": "Mr.Boss@Big.Company.corp"
        },
        "from_queue": {
        "id": "97C9F85A2F55484198FD908C6A97FA7D",
        "name": "Direct Sales"
        },
        "id": "50753BBE49774211AC8286DBCBE17741",
        "originator": "Mr.Boss@Big.Company.corp",
        "status": "handled",
        "title": "Sinch CCtr RI order",
        "to_address": [
        {
        "address": "Mr.Boss@Big.Company.corp"
        }
        ]
        },
        {
        "attachments": [
        {
        "size": 440721,
        "filename": "Offer.pdf",
        "id": "AA4C7F3C69A64566A0D661ADB0DC0153",
        "mime_type": "application/pdf"
        },
        {
        "size": 99440,
        "filename": "OfferDetails.xls",
        "id": "AAF94FB8567748869A7D873DAEF46B1B",
        "mime_type": "application/excel"
        },
        {
        "size": 88252,
        "filename": "Info.doc",
        "id": "AA36C1E666554638A837CC3408A45614",
        "mime_type": "application/msword"
        }
        ],
        "case_id": "10512",
        "cc_address": [
        {
        "address": "Jack@bcmtr.bcm.corp",
        "name": "Jonhnson, Jack"
        }
        ],
        "bcc_address": [
        {
        "address": "Mark.Smith@bcmtr.bcm.corp",
        "name": "Smith, Mark"
        }
        ],
        "channel_sub_type": "outbound",
        "channel_type": "email",
        "cid": "CID3467C7DE37AC",
        "content": "<p> </p> <p> </p> <p>Confirmation by outgoing email!</p> <p> </p> <p> </p> <p><br> </p> <p><b>----- Description -----</b></p> <p><b>From:</b> Joe.Abraham@bcmtr.bcm.corp</p> <p><b>Created On:</b> 27.05.2016 14:24:27</p> <p><b>To:</b> reg_hunt@bcmtr.bcm.corp</p> <p><b>Cc:</b> Jack@bcmtr.bcm.corp</p> <p><b>Subject:</b> RE: attachments 1</p> <p><b>ID:</b> 10512</p><br><br><br> <p><b>----- Description -----</b></p> <p><b>From:</b> Joe.Abraham@bcmtr.bcm.corp</p> <p><b>Created On:</b> 27.05.2016 14:24:27</p> <p><b>To:</b> reg_hunt@bcmtr.bcm.corp</p> <p><b>Cc:</b> Jack@bcmtr.bcm.corp</p> <p><b>Subject:</b> attachments 1</p> <p><b>ID:</b> 10512</p><br><br> <meta content=\"MSHTML 11.00.9600.18315\" name=\"GENERATOR\"> <style>P { MARGIN-BOTTOM: 0px; MARGIN-TOP: 0px } P {margin:0;} BODY {font-family:arial;}</style> <div style=\"FONT-SIZE: 10pt; FONT-FAMILY: Tahoma; COLOR: #000000; DIRECTION: ltr\">1111</div>",
        "date_created": "2016-05-27T11:37:42.060Z",
        "destination": "Joe.Abraham@bcmtr.bcm.corp",
        "from_address": {
        "address": "reg_hunt@bcmtr.bcm.corp",
        "name": "REG_Email_Hunt"
        },
        "from_queue": {
        "id": "EE9FB1FEA36A4919A7275DC67DCEF13E",
        "name": "REG_Email_Hunt"
        },
        "id": "B9D3E2C14DAE42AC9EB467A4F6515EE5",
        "originator": "reg_hunt@bcmtr.bcm.corp",
        "status": "handled",
        "title": "Attachments for Offer",
        "to_address": [
        {
        "address": "Joe.Abraham@bcmtr.bcm.corp"
        }
        ]
        }
        ]
        """#

    /// GET /emails/{emailId}: L276–L333.
    static let email = #"""
        {
        "attachments": [
        {
        "size": 440721,
        "filename": "Offer.pdf",
        "id": "AA4C7F3C69A64566A0D661ADB0DC0153",
        "mime_type": "application/pdf"
        },
        {
        "size": 99440,
        "filename": "OfferDetails.xls",
        "id": "AAF94FB8567748869A7D873DAEF46B1B",
        "mime_type": "application/excel"
        },
        {
        "size": 88252,
        "filename": "Info.doc",
        "id": "AA36C1E666554638A837CC3408A45614",
        "mime_type": "application/msword"
        }
        ],
        "case_id": "10512",
        "cc_address": [
        {
        "address": "Jack@bcmtr.bcm.corp",
        "name": "Jonhnson, Jack"
        }
        ],
        "bcc_address": [
        {
        "address": "Mark.Smith@bcmtr.bcm.corp",
        "name": "Smith, Mark"
        }
        ],
        "channel_sub_type": "outbound",
        "channel_type": "email",
        "cid": "CID3467C7DE37AC",
        "content": "<p> </p> <p> </p> <p>Confirmation by outgoing email!</p> <p> </p> <p> </p> <p><br> </p> <p><b>----- Description -----</b></p> <p><b>From:</b> Joe.Abraham@bcmtr.bcm.corp</p> <p><b>Created On:</b> 27.05.2016 14:24:27</p> <p><b>To:</b> reg_hunt@bcmtr.bcm.corp</p> <p><b>Cc:</b> Jack@bcmtr.bcm.corp</p> <p><b>Subject:</b> RE: attachments 1</p> <p><b>ID:</b> 10512</p><br><br><br> <p><b>----- Description -----</b></p> <p><b>From:</b> Joe.Abraham@bcmtr.bcm.corp</p> <p><b>Created On:</b> 27.05.2016 14:24:27</p> <p><b>To:</b> reg_hunt@bcmtr.bcm.corp</p> <p><b>Cc:</b> Jack@bcmtr.bcm.corp</p> <p><b>Subject:</b> attachments 1</p> <p><b>ID:</b> 10512</p><br><br> <meta content=\"MSHTML 11.00.9600.18315\" name=\"GENERATOR\"> <style>P { MARGIN-BOTTOM: 0px; MARGIN-TOP: 0px } P {margin:0;} BODY {font-family:arial;}</style> <div style=\"FONT-SIZE: 10pt; FONT-FAMILY: Tahoma; COLOR: #000000; DIRECTION: ltr\">1111</div>",
        "date_created": "2016-05-27T11:37:42.060Z",
        "destination": "Joe.Abraham@bcmtr.bcm.corp",
        "from_address": {
        "address": "reg_hunt@bcmtr.bcm.corp",
        "name": "REG_Email_Hunt"
        },
        "from_queue": {
        "id": "EE9FB1FEA36A4919A7275DC67DCEF13E",
        "name": "REG_Email_Hunt"
        },
        "id": "B9D3E2C14DAE42AC9EB467A4F6515EE5",
        "originator": "reg_hunt@bcmtr.bcm.corp",
        "status": "handled",
        "title": "Attachments for Offer",
        "to_address": [
        {
        "address": "Joe.Abraham@bcmtr.bcm.corp"
        }
        ]
        }
        """#

    /// GET /scriptResults: L384–L466.
    static let scriptResultList = #"""
        [
        {
        "originalcontact_id": "599BD2A32FF7364FB2D1B53A31615C7F",
        "contact_id": "599BD2A32FF7364FB2D1B53A31615C7F",
        "id": "2B7FB50EF97F416A82AAF48463BA2B5A",
        "modificationtime": "2017-03-01T10:00:42.470Z",
        "name": "Simple car selector",
        "scriptquestions": [
        {
        "scriptanswers": [
        {
        "answerdata": "Kia",
        "id": "730FBF56981A4657B9285D3B52E7D239",
        "ordinal": 0
        },
        {
        "answerdata": "Volvo",
        "id": "E34CA4525ABF42CEB7B4A5CCE1AE03E4",
        "ordinal": 1
        }
        ],
        "controltype": "multicombobox",
        "data": "Current Car",
        "datatype": "text",
        "id": "E6AF572FE79B4550B5CBF621EFB590B7",
        "ordinal": 0
        },
        {
        "scriptanswers": [
        {
        "answerdata": "Hyndai",
        "id": "9FCD51FC65334C25851469348E41ADF4",
        "ordinal": 2
        }
        ],
        "controltype": "multicombobox",
        "data": "Next Car",
        "datatype": "text",
        "id": "B50D16A1D4834047AEFE52325B95377F",
        "ordinal": 2
        }
        ],
        "script_id": "DCA8D3301BC74B9C8AFCB28026E7761B"
        },
        {
        "originalcontact_id": "AAC3ABD95D26E61180D5005056AD40A2",
        "contact_id": "4B713E555D26E61180D5005056AD40A2",
        "id": "4F62A6B5A0DD470B84AF3157DB1E23B5",
        "modificationtime": "2017-03-01T10:01:21.370Z",
        "name": "Simple car selector",
        "scriptquestions": [
        {
        "scriptanswers": [
        {
        "answerdata": "BMW",
        "id": "1881415282E7E61180E3005056AD40A2",
        "ordinal": 0
        }
        ],
        "controltype": "multicombobox",
        "data": "Current Car",
        "datatype": "text",
        "id": "E6AF572FE79B4550B5CBF621EFB590B7",
        "ordinal": 0
        },
        {
        "scriptanswers": [
        {
        "answerdata": "Mercedes-Benz",
        "id": "7186929781E7E61180E3005056AD40A2",
        "ordinal": 1
        }
        ],
        "controltype": "multicombobox",
        "data": "Next Car",
        "datatype": "text",
        "id": "B50D16A1D4834047AEFE52325B95377F",
        "ordinal": 1
        }
        ],
        "script_id": "DCA8D3301BC74B9C8AFCB28026E7761B"
        }
        ]
        """#

    /// GET /scriptResults/{scriptResultId}: L504–L546.
    static let scriptResult = #"""
        {
        "originalcontact_id": "599BD2A32FF7364FB2D1B53A31615C7F",
        "contact_id": "599BD2A32FF7364FB2D1B53A31615C7F",
        "id": "2B7FB50EF97F416A82AAF48463BA2B5A",
        "modificationtime": "2017-03-01T10:00:42.470Z",
        "name": "Simple car selector",
        "scriptquestions": [
        {
        "scriptanswers": [
        {
        "answerdata": "Kia",
        "id": "730FBF56981A4657B9285D3B52E7D239",
        "ordinal": 0
        },
        {
        "answerdata": "Volvo",
        "id": "E34CA4525ABF42CEB7B4A5CCE1AE03E4",
        "ordinal": 1
        }
        ],
        "controltype": "multicombobox",
        "data": "Current Car",
        "datatype": "text",
        "id": "E6AF572FE79B4550B5CBF621EFB590B7",
        "ordinal": 0
        },
        {
        "scriptanswers": [
        {
        "answerdata": "Hyndai",
        "id": "9FCD51FC65334C25851469348E41ADF4",
        "ordinal": 2
        }
        ],
        "controltype": "multicombobox",
        "data": "Next Car",
        "datatype": "text",
        "id": "B50D16A1D4834047AEFE52325B95377F",
        "ordinal": 2
        }
        ],
        "script_id": "DCA8D3301BC74B9C8AFCB28026E7761B"
        }
        """#

    /// GET /chats: L623–L650.
    static let chatList = #"""
        [
        {
        "id": "9964A286A4E711E680F7005056AD5BC6",
        "originator": "sam.i.am@greeneggs.ham",
        "destination": " 123456Support@Test.com",
        "from_queue": {
        "id": "999102030405060708090A0B0C0D0E0F",
        "name": "My support chat"
        },
        "title": "",
        "date_created": "2016-11-07T12:42:12.670Z",
        "channel_type": "chat",
        "channel_sub_type": "text"
        },
        {
        "id": "2558A56EAFF511E680F7005056AD5BC6",
        "originator": "jill@customer.com",
        "destination": " 987654Sales@Test.com",
        "from_queue": {
        "id": "999102030405060708090A0B0C0D0E0F",
        "name": "My sales chat"
        },
        "date_created": "2016-11-21T14:16:57.477Z",
        "title": "",
        "channel_type": "chat",
        "channel_sub_type": "text"
        }
        ]
        """#

    /// POST /chats, "Inbound chat discussion": L688–L736.
    static let newChatInbound = #"""
        {
        "originator": "sam.i.am@greeneggs.ham",
        "destination": " 123456Support@Test.com",
        "from_queue": {
        "id": "999102030405060708090A0B0C0D0E0F",
        "name": "My support chat"
        },
        "title": "Discussion with Bot",
        "channel_type": "chat",
        "channel_sub_type": "text",
        "participants": [
        {
        "alias": "Sam",
        "uniquekey": "sam.i.am@greeneggs.ham"
        },
        {
        "alias": "The Bot",
        "uniquekey": "bot@acme.com"
        }
        ],
        "transcript": {
        "messages": [
        {
        "message": "Goodbye. Please wait while I transfer you to the queue. Have a nice day.",
        "originator":"bot@acme.com",
        "timeStamp": "2021-08-07T12:44:22.453Z",
        "type": "text"
        },
        {
        "message": "I would like to talk to a human agent",
        "originator": "sam.i.am@greeneggs.ham",
        "timeStamp": "2021-08-07T12:44:21.453Z",
        "type": "text"
        },
        {
        "message": "Is there anything else I can help with?",
        "originator": "bot@acme.com",
        "timeStamp": "2021-08-07T12:44:20.453Z",
        "type": "text"
        },
        {
        "message": "Welcome! How can I help you?",
        "originator": "bot@acme.com",
        "timeStamp": "2021-08-07T12:44:19.453Z",
        "type": "text"
        }
        ]
        }
        }
        """#

    /// POST /chats, "Outbound chat message": L738–L763.
    static let newChatOutbound = #"""
        {
        "originator": "kjiouioy9i89987ttydrtxfc@sms.sinchconversation.com",
        "destination": "+5521244222225555",
        "from_queue": {
        "id": "999102030405060708090A0B0C0D0E0F",
        "name": "Sinch conversation SMS Queue"
        },
        "title": "",
        "date_created": "2021-11-07T12:42:12.670Z",
        "channel_type": "chatout",
        "channel_sub_type": "sms",
        "participants": [
        {
        "alias": "SMS Queue",
        "uniquekey": "kjiouioy9i89987ttydrtxfc@sms.sinchconversation.com"
        }
        ],
        "transcript": {
        "messages": [
        {
        "message": "It's time do yearly maintenance for your Mercedes. You can call us or check our website www.sinch.com for booking online.",
        "originator":"kjiouioy9i89987ttydrtxfc@sms.sinchconversation.com"
        }
        ]
        }
        }
        """#

    /// GET /chats/{chatId}: L824–L942.
    static let chat = #"""
        {
        "id": "9964A286A4E711E680F7005056AD5BC6",
        "originator": "sam.i.am@greeneggs.ham",
        "destination": " 123456Support@Test.com",
        "from_queue": {
        "id": "999102030405060708090A0B0C0D0E0F",
        "name": "My support chat"
        },
        "title": "",
        "date_created": "2016-11-07T12:42:12.670Z",
        "channel_type": "chat",
        "channel_sub_type": "text",
        "participants": [
        {
        "alias": "Mark",
        "uniquekey": "Mark.Smith@SinchCCtr.com"
        },
        {
        "alias": "Sam",
        "uniquekey": "sam.i.am@greeneggs.ham"
        },
        {
        "alias": "John",
        "uniquekey": "John.Doe@SinchCCtr.com"
        },
        {
        "alias": "",
        "uniquekey": "Sinch Contact Center"
        }
        ],
        "transcript": {
        "messages": [
        {
        "message": "Bye",
        "originator": "Mark.Smith@SinchCCtr.com",
        "timeStamp": "2016-11-07T12:44:27.667Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "No, many thanks. Bye",
        "originator": "sam.i.am@greeneggs.ham",
        "timeStamp": "2016-11-07T12:44:25.220Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "Is there anything else I can help with ?",
        "originator": "Mark.Smith@SinchCCtr.com",
        "timeStamp": "2016-11-07T12:44:19.453Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "I will send this to you at your provided address",
        "originator": "Mark.Smith@SinchCCtr.com",
        "timeStamp": "2016-11-07T12:44:12.657Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "I am happy to help you with your catalogue request",
        "originator": "Mark.Smith@SinchCCtr.com",
        "timeStamp": "2016-11-07T12:44:01.997Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "This is Mark",
        "originator": "Mark.Smith@SinchCCtr.com",
        "timestamp": "2016-11-07T12:43:47.087Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "Hello.",
        "originator": "Mark.Smith@SinchCCtr.com",
        "timestamp": "2016-11-07T12:43:44.763Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "One moment please",
        "originator": "John.Doe@SinchCCtr.com",
        "timestamp": "2016-11-07T12:43:08.927Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "Sure, let me transfer you to the colleague in that department",
        "originator": "John.Doe@SinchCCtr.com",
        "timestamp": "2016-11-07T12:43:02.877Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "Hi, Could you help me with purchases of bikes? I would like the latest catalogue?",
        "originator": "sam.i.am@greeneggs.ham",
        "timestamp": "2016-11-07T12:42:50.850Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "Hello. How may I help you?",
        "originator": "John.Doe@SinchCCtr.com",
        "timestamp": "2016-11-07T12:42:27.867Z",
        "type": "text",
        "system_message": false
        },
        {
        "message": "Position in queue: 1 - \nNumber of agents: 4",
        "originator": "Sinch Contact Center",
        "timestamp": "2016-11-07T12:42:10.953Z",
        "type": "text",
        "system_message": true
        }
        ]
        }
        }
        """#

    /// GET /callRecordings: L1012–L1057.
    static let callRecordingList = #"""
        [
        {
        "call_id": "D8296FEDDB374F4EABAF6F9A555F3853",
        "contact_id": "B4C00F7C6061E711810B005056AD5BC6",
        "creation_time": "2017-07-05T09:01:25.597Z",
        "file_name": "100\\2017_07_00\\05_12_01_14_SSR_100_D8296FEDDB374F4EABAF6F9A555F3853.wav",
        "file_path": "",
        "id": "0530B4826061E711810B005056AD5BC6",
        "owner_id": "C04DEC26C5EF4D44BAE5CEE3F2EF67F7",
        "owner_name": "Jonhnson, Jack",
        "owner_type": "user"
        },
        {
        "call_id": "6E4F2AE072134F23A281F8B74B472C27",
        "contact_id": "ED453D546061E711810B005056AD5BC6",
        "creation_time": "2017-07-05T09:00:22.473Z",
        "file_name": "100\\2017_07_00\\05_12_00_11_SSR_100_6E4F2AE072134F23A281F8B74B472C27.wav",
        "file_path": "",
        "id": "A7DFE85A6061E711810B005056AD5BC6",
        "owner_id": "C04DEC26C5EF4D44BAE5CEE3F2EF67F7",
        "owner_name": "Jonhnson, Jack",
        "owner_type": "user"
        },
        {
        "call_id": "475CD7FA939747CD9885379F5C4DEE08",
        "contact_id": "76155631FB5BE711810B005056AD5BC6",
        "creation_time": "2017-06-28T12:14:11.517Z",
        "file_name": "Cr\\2017_06_04\\28_15_13_39_SSR_Cr_475CD7FA939747CD9885379F5C4DEE08.wav",
        "file_path": "",
        "id": "8734EC49FB5BE711810B005056AD5BC6",
        "owner_id": "58215C79F02345EF8E32CF7356F78065",
        "owner_name": "Direct Sales",
        "owner_type": "queue"
        },
        {
        "call_id": "475CD7FA939747CD9885379F5C4DEE08",
        "contact_id": "76155631FB5BE711810B005056AD5BC6",
        "creation_time": "2017-06-28T12:13:47.260Z",
        "file_name": "12888\\2017_06_04\\28_15_13_39_SSR_12888_475CD7FA939747CD9885379F5C4DEE08.wav",
        "file_path": "",
        "id": "B4A74B3AFB5BE711810B005056AD5BC6",
        "owner_id": "D0248B3AE770490EA9A7BE954BE7BA63",
        "owner_name": "Smith, Mark",
        "owner_type": "user"
        }
        ]
        """#

    /// GET /callRecordings/{callRecordingId}: L1107–L1126.
    static let callRecording = #"""
        {
        "call_id": "475CD7FA939747CD9885379F5C4DEE08",
        "contact_id": "08355C40FB5BE711810B005056AD5BC6",
        "creation_time": "2017-06-28T12:14:11.517Z",
        "file_name": "12888\\2017_06_04\\28_15_14_08_SSR_12888_475CD7FA939747CD9885379F5C4DEE08.wav",
        "file_path": "",
        "id": "8534EC49FB5BE711810B005056AD5BC6",
        "listen_log": [
        {
        "description": "xxx",
        "time_stamp": "2017-06-28T12:16:23.517Z",
        "user_guid": "D0248B3AE770490EA9A7BE954BE7BA63",
        "user_id": "mark.smith",
        "user_name": "Smith, Mark"
        }
        ],
        "owner_id": "D0248B3AE770490EA9A7BE954BE7BA63",
        "owner_name": "Smith, Mark",
        "owner_type": "user"
        }
        """#

    /// GET /callRecordings/{callRecordingId}/listenLog: L1165–L1184.
    static let listenLogList = #"""
        [
        {
        "id": "F0DA314476984627B84BE99AB98C6AA6",
        "description": "listened because",
        "userSessionId": "6936084DBA3C4941C80F2CB2E3EC00E3",
        "user_guid": "B2C178ABC2E84BA4A7E5B091E3FC5451",
        "user_id": "Agent Login",
        "user_name": "Agent, Name",
        "time_stamp": "2016-04-15T05:58:53.650Z"
        },
        {
        "id": "4933E5ECB9784F1C96A5F6E047995432",
        "description": "listened again",
        "userSessionId": "userSessionId",
        "user_guid": "30BAC5C8C39A4CA5A5B1C5509EE4F12B",
        "user_id": "Agent2 Login",
        "user_name": "Agent2, Name",
        "time_stamp": "2016-04-15T05:58:53.650Z"
        }
        ]
        """#

    /// POST /callRecordings/{callRecordingId}/listenLog: L1213–L1216.
    static let newListenLog = #"""
        {
        "description": "listened because",
        "userSessionId": "6936084DBA3C4941C80F2CB2E3EC00E3"
        }
        """#

    /// GET /callbacks: L1259–L1290.
    static let callbackList = #"""
        [
        {
        "callbackQueueNumber": "153",
        "creationTime": "2019-09-13T11:51:17.670Z",
        "customerNumber": "+35854852156",
        "extraData": "<XML><Skills>ENGLISH=4</Skills></XML>",
        "gwPrefix": "FIN",
        "failures": 1,
        "id": "C42C6D5CF4004CC3B75E104654D9C5BE",
        "lastCallTime": "2019-09-16T14:25:02.840Z",
        "lastResult": "NO_ANSWER",
        "maxCalls": 99,
        "nextCallTime": "2019-09-13T11:52:21.480Z",
        "notes": "Comments",
        "originalQueueNumber": "152",
        "originalQueueName": "Sales"
        },
        {
        "callbackQueueNumber": "153",
        "creationTime": "2019-09-13T11:51:16.433Z",
        "creatorId": "8EE34E893B224131AACF44677F60CF54",
        "creatorName": "Smith, John",
        "customerNumber": "124",
        "failures": 0,
        "id": "806822AF40244A29A3374C3EF98C53DA",
        "lastResult": "ADDED",
        "maxCalls": 99,
        "nextCallTime": "2019-09-13T11:52:21.480Z",
        "originalQueueNumber": "152",
        "originalQueueName": "Sales"
        }
        ]
        """#

    /// POST /callbacks: L1311–L1315.
    static let newCallback = #"""
        {
        "nextCallTime": "2019-10-04T12:36:02.440Z",
        "customerNumber": "85412369512",
        "callbackQueueNumber": "505"
        }
        """#

    /// GET /callbacks/{callbackId}: L1353–L1370.
    static let callback = #"""
        {
        "callbackQueueNumber": "153",
        "creationTime": "2019-09-13T11:51:17.670Z",
        "creatorId": "8EE34E893B224131AACF44677F60CF54",
        "creatorName": "Smith, John",
        "customerNumber": "+35854852156",
        "extraData": "<XML><Skills>ENGLISH=4</Skills></XML>",
        "gwPrefix": "FIN",
        "failures": 1,
        "id": "C42C6D5CF4004CC3B75E104654D9C5BE",
        "lastCallTime": "2019-09-16T14:25:02.840Z",
        "lastResult": "NO_ANSWER",
        "maxCalls": 99,
        "nextCallTime": "2019-09-13T11:52:21.480Z",
        "notes": "Comments",
        "originalQueueNumber": "152",
        "originalQueueName": "Sales"
        }
        """#

    /// PUT /callbacks/{callbackId}: L1402–L1412.
    static let callbackUpdate = #"""
        {
        "callbackQueueNumber": "153",
        "creationTime": "2019-09-13T11:51:17.670Z",
        "customerNumber": "+35854852156",
        "id": "C42C6D5CF4004CC3B75E104654D9C5BE",
        "lastCallTime": "2019-09-16T14:25:02.840Z",
        "lastResult": "HANDLED",
        "notes": "Comments",
        "originalQueueNumber": "152",
        "originalQueueName": "Sales"
        }
        """#

    /// GET /contacts (not valid JSON: wrapped in braces): L1550–L1604.
    static let contactList = #"""
        {
        {
        "id": "DBEC8B07E3F0E9119E1D0050568C5E24",
        "contactGroupId": "73CED646FA0947E0AA4E0367FB1B9BCC",
        "channel": "PHONE",
        "type": "CallIn",
        "typeDetails": "IVR",
        "status": "Handled",
        "statusDetails": "Handled_AOT",
        "source": "0505551234",
        "destination": "0505550000",
        "queueId": "1EFC92416F0A46DC9BBC08A842B89D93",
        "queueName": "Phone Queue",
        "arrivalTime": "2019-10-17T13:35:49.773Z",
        "disconnectTime": "2019-10-17T13:35:49.780Z",
        "totalDuration": 7,
        "record": true,
        "script": true
        },
        {
        "id": "336FFFD5C6FF11E68ACA005056A75D9A",
        "contactGroupId": "336FFFD4C6FF11E68ACA005056A75D9A",
        "channel": "CHAT",
        "type": "ChatIn",
        "typeDetails": "ChatIn Text",
        "subtype": "text",
        "status": "InProcess",
        "statusDetails": "InProcess",
        "source": "customer@host.com",
        "destination": "chat1@wicom.com",
        "agentId": "21A144F1824E4C768868D10201608E2E",
        "agentName": "Agent, Name",
        "queueId": "1EFC92416F0A46DC9BBC08A842B89D92",
        "queueName": "Chat1 (FI)",
        "arrivalTime": "2016-12-20T21:56:47.347Z",
        "totalDuration": 89048513266,
        "subject": "Request for support"
        },
        {
        "id": "D469DD256214473E93C3C1C1E8DF3A74",
        "contactGroupId": "D469DD256214473E93C3C1C1E8DF3A74",
        "channel": "EMAIL",
        "type": "EmailIn",
        "typeDetails": "EMAILIN",
        "status": "InQueue",
        "statusDetails": "InProcess",
        "source": "from@host.com",
        "destination": "email@queue.com",
        "queueId": "E09EC850E87F424293B435D22E99BD70",
        "queueName": "E-mail Support",
        "arrivalTime": "2019-09-08T11:09:14Z",
        "totalDuration": 3378644877,
        "subject": "Information of the offer"
        }
        }
        """#

    /// GET /contacts/{contactId}: L1675–L1698.
    static let contact = #"""
        {
        "id": "DBEC8B07E3F0E9119E1D0050568C5E24",
        "contactGroupId": "73CED646FA0947E0AA4E0367FB1B9BCC",
        "channel": "PHONE",
        "type": "CallIn",
        "typeDetails": "IVR",
        "status": "Handled",
        "statusDetails": "Handled_AOT",
        "source": "0505551234",
        "destination": "0505550000",
        "queueId": "1EFC92416F0A46DC9BBC08A842B89D93",
        "queueName": "Phone Queue",
        "arrivalTime": "2019-10-17T13:35:49.773Z",
        "disconnectTime": "2019-10-17T13:35:49.780Z",
        "totalDuration": 7,
        "record": true,
        "script": true,
        "requiredAgent": {
        "type": 2,
        "expirationTime": "2024-05-05T08:55:24.563Z",
        "id": "30BAC5C8C39A4CA5A5B1C5509EE4F12B",
        "name": "Surname, First Name"
        }
        }
        """#

    /// GET /messages: L1787–L1827.
    static let messageList = #"""
        [
        {
        "destinations": {
        "destination": [
        {
        "address": "9874572",
        "status": "ADDED"
        },
        {
        "address": "9874574",
        "status": "ADDED"
        } ]
        },
        "message": "It's time do yearly maintenance for your Mercedes. You can call you us or check free time from web.",
        "id": "7709311E00144664847200192C96BFA9",
        "creationTime": "2020-06-12T12:36:01.320Z",
        "source": "12345678@sms.social365.com",
        "subType": "sms",
        "sendTime": "2020-06-14T12:36:01.320Z",
        "maxRetryCount": 2,
        "retryDelay": 3600
        },
        {
        "destinations": {
        "destination": [
        {
        "address": "9874572",
        "status": "PROCESSING"
        }
        ]
        },
        "message": "It's time do yearly maintenance for your Mercedes. You can call you us or check free time from web.",
        "id": "7709311E00144664847200192C96BFA9",
        "creationTime": "2020-06-12T12:36:01.320Z",
        "source": "12345678@whatsapp.social365.com",
        "subType": "whatsapp",
        "sendTime": "2020-06-14T12:36:01.320Z",
        "maxRetryCount": 5,
        "retryDelay": 3600
        }
        ]
        """#

    /// POST /messages, "SMS message with schedule" (not valid JSON: L1867): L1863–L1880.
    static let newMessageSMS = #"""
        {
        "destinations": {
        "destination": [
        {
        "address": +36584215"
        },
        {
        "address": "854125477"
        }
        ]
        },
        "message": "It's time do yearly maintenance for your Mercedes. You can call you us or check free time from web www.sinch.com",
        "source": "12345678@sms.social365.com",
        "subType": "sms",
        "sendTime": "2020-03-12T12:36:01.320Z",
        "maxRetryCount": 2,
        "retryDelay": 300
        }
        """#

    /// POST /messages, "WhatsApp template message": L1882–L1894.
    static let newMessageTemplate = #"""
        {
        "destinations": {
        "destination": [
        {
        "address": "+32542115485"
        }
        ]
        },
        "message": "{\"template_body\": \"Dear Customer Your Reservation is ready. Please select your method of ticket delivery: Email, Post or WhatsApp\",\"type\": \"template\",\"template_id\": \"buttons_appt\",\"language_code\": \"en\",\"parameters\": {\"body[1]text\": \"Customer\",\"body[2]text\": \"ready\",\"button[0]quick_reply[1]text\": \"button0text\",\"button[1]quick_reply[1]text\": \"button1text\",\"button[2]quick_reply[1]text\": \"button2text\"}}",
        "source": "11ERHG2PJ0NJKMNF7WRTR9Y1551@whatsapp.sinchconversation.com",
        "subType": "whatsapp",
        "contentType": "template"
        }
        """#

    /// GET /messages/{messageId}: L1938–L1958.
    static let message = #"""
        {
        "destinations": {
        "destination": [
        {
        "address": "9874572",
        "status": "ADDED"
        },
        {
        "address": "9874574",
        "status": "ADDED"
        } ]
        },
        "message": "It's time do yearly maintenance for your Mercedes. You can call you us or check free time from web.",
        "id": "7709311E00144664847200192C96BFA9",
        "creationTime": "2020-06-12T12:36:01.320Z",
        "source": "12345678@sms.social365.com",
        "subType": "sms",
        "sendTime": "2020-06-14T12:36:01.320Z",
        "maxRetryCount": 2,
        "retryDelay": 3600
        }
        """#

    /// PUT /messages/{messageId}: L1997–L2016.
    static let messageUpdate = #"""
        {
        "destinations": {
        "destination": [
        {
        "address": "9874572"
        },
        {
        "address": "9874574"
        }
        ]
        },
        "message": "It's time do yearly maintenance for your Mercedes. You can call you us or check free time from web.",
        "id": "7709311E00144664847200192C96BFA9",
        "creationTime": "2020-06-12T12:36:01.320Z",
        "source": "12345678@sms.social365.com",
        "subType": "sms",
        "sendTime": "2020-06-14T12:36:01.320Z",
        "maxRetryCount": 2,
        "retryDelay": 3600
        }
        """#

    /// GET /customerConsents: L2042–L2058.
    static let consentList = #"""
        [
        {
        "address": "+8541255455",
        "usage": "recording",
        "consent": true
        },
        {
        "address": "+325154786",
        "usage": "whatsapp",
        "consent": true
        },
        {
        "address": "+584214777",
        "usage": "recording",
        "consent": false
        }
        ]
        """#

    /// POST /customerConsents: L2075–L2079.
    static let newConsent = #"""
        {
        "address": "+8541255455",
        "usage": "whatsapp",
        "consent": true
        }
        """#

    /// GET /customerConsents/{usage}_{address}: L2098–L2102.
    static let consent = #"""
        {
        "address": "+8541255455",
        "usage": "recording",
        "consent": true
        }
        """#
}
