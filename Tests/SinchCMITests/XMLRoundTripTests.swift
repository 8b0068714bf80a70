import Foundation
import Testing
import WireModels
import XMLCoder

@testable import SinchCMI

@Suite("sinch-cmi XML round trips")
struct XMLRoundTripTests {
    /// Encodes with the service's XML encoder under the object's root element, decodes with its decoder.
    static func roundTrip<T: CMIRepresentable & Equatable>(_ value: T) throws -> (T, String) {
        let data = try value.xmlDocument()
        return (try XMLDecoder.cmi.decode(T.self, from: data), String(decoding: data, as: UTF8.self))
    }

    static func check<T: CMIRepresentable & Equatable>(_ value: T, contains fragments: [String]) throws {
        let (decoded, xml) = try roundTrip(value)
        #expect(decoded == value, "\(T.self) changed in XML: \(xml)")
        #expect(xml.contains("<\(T.xmlRootName)>"))
        for fragment in fragments { #expect(xml.contains(fragment), "\(fragment) missing in \(xml)") }
    }

    static let queue = CMIQueueRef(id: "97C9F85A2F55484198FD908C6A97FA7D", name: "Direct Sales")

    @Test("Emails and script results")
    func emailsAndScripts() throws {
        try Self.check(
            CMIEmail(
                id: "50753BBE49774211AC8286DBCBE17741", fromQueue: Self.queue, channelType: "email", channelSubType: "inbound", type: .emailIn,
                typeDetails: "EMAIL", status: "handled", statusDetails: "Handled", caseId: "68108", cid: "CID0DCB56DFCC80", title: "Order",
                content: "<p>Hey,</p> ", remarks: "VIP",
                attachments: [
                    CMIAttachmentInfo(
                        id: "064C7F3C69A64566A0D661ADB0DC0153", filename: "Help.pdf", mimeType: "application/pdf", size: 440721, originator: .customer
                    ),
                    CMIAttachmentInfo(id: "68F94FB8567748869A7D873DAEF46B1B", filename: "Notes.txt", mimeType: "text/plain", size: 440),
                ],
                originator: "boss@big.corp", destination: "sales@corp", fromAddress: CMIEmailAddress(name: "Boss", address: "boss@big.corp"),
                toAddress: [CMIEmailAddress(address: "sales@corp")], ccAddress: [CMIEmailAddress(name: "Jack", address: "jack@corp")],
                agentId: "AAAA0000000000000000000000000001", agentName: "Smith", dateCreated: "2017-02-23T11:49:09.340Z"
            ),
            contains: ["<mime_type>application/pdf</mime_type>", "<from_address><name>Boss</name>"]
        )
        try Self.check(
            CMIScriptResult(
                id: "11111111111111111111111111111111", scriptId: "22222222222222222222222222222222", name: "Cars",
                contactId: "33333333333333333333333333333333", originalcontactId: "44444444444444444444444444444444",
                modificationtime: "2017-02-23T11:49:09.340Z",
                scriptquestions: [
                    CMIScriptResultQuestion(
                        id: "55555555555555555555555555555555", data: "Current Car", controltype: "multicombobox", datatype: "text", ordinal: 1,
                        scriptanswers: [
                            CMIScriptResultAnswer(id: "66666666666666666666666666666666", answerdata: "Volvo", ordinal: 1),
                            CMIScriptResultAnswer(id: "77777777777777777777777777777777", answerdata: "Saab", ordinal: 2),
                        ]
                    )
                ]
            ),
            contains: ["<answerdata>Saab</answerdata>"]
        )
    }

    @Test("Chats, new chats, recordings and listen-log entries")
    func chatsAndRecordings() throws {
        let message = CMIChatTranscriptMessage(
            message: "Hello", originator: "v@x.com", timestamp: "2019-09-08T11:09:14.000Z", systemMessage: false, type: .text)
        try Self.check(
            CMIChat(
                id: "336FFFD5C6FF11E68ACA005056A75D9A", channelType: "chat", channelSubType: "text", type: .chatIn, typeDetails: "Chat",
                status: .inQueue, statusDetails: "Open", originator: "v@x.com", destination: "sales@x.com", title: "",
                dateCreated: "2019-09-08T11:09:14.000Z",
                fromQueue: Self.queue, participants: [CMIChatParticipant(alias: "", uniquekey: "Sinch Contact Center")],
                transcript: CMIChatTranscript(messages: [message, message])
            ),
            contains: ["<system_message>false</system_message>", "<uniquekey>Sinch Contact Center</uniquekey>"]
        )
        let newChat = try XMLDecoder.cmi.decode(
            CMINewChat.self,
            from: Data(
                "<chat><channel_type>chatout</channel_type><channel_sub_type>sms</channel_sub_type><originator>a</originator><destination>b</destination><title></title><from_queue><id>\(Self.queue.id)</id></from_queue><transcript><messages><message>Hi</message><originator>a</originator></messages></transcript></chat>"
                    .utf8)
        )
        #expect(newChat.channelType == .chatout && newChat.transcript.messages.map(\.message) == ["Hi"])
        try Self.check(newChat, contains: ["<channel_type>chatout</channel_type>"])
        let entry = CMIListenLog(
            id: "88888888888888888888888888888888", userGuid: "99999999999999999999999999999999", userId: "admin", userName: "Administrator",
            description: "listened because", userSessionId: "6936084DBA3C4941C80F2CB2E3EC00E3", timeStamp: "2017-07-01T10:00:00.000Z"
        )
        try Self.check(entry, contains: ["<user_guid>99999999999999999999999999999999</user_guid>"])
        try Self.check(
            CMICallRecording(
                id: "A0000000000000000000000000000001", callId: "CA000000000000000000000000000001", contactId: "CC000000000000000000000000000001",
                ownerId: "0A000000000000000000000000000001", ownerType: .outboundCampaign, ownerName: "Direct Sales",
                fileName: "100\\\\2017_07_00\\\\x.wav", filePath: "", creationTime: "2017-07-01T10:00:00.000Z", listenLog: [entry]
            ),
            contains: ["<owner_type>outbound campaign</owner_type>", "<listen_log><id>88888888888888888888888888888888</id>"]
        )
    }

    @Test("Callbacks, contacts, messages and consents")
    func theRest() throws {
        try Self.check(
            CMICallback(
                id: "B0000000000000000000000000000001", callbackQueueNumber: "153", creationTime: "2019-10-04T12:36:02.440Z",
                creatorId: "AAAA0000000000000000000000000001", creatorName: "Smith", customerNumber: "+35854852156",
                extraData: "<XML><Skills>ENGLISH=4</Skills></XML>", gwPrefix: "FIN", failures: 1, lastResult: "NO_ANSWER", maxCalls: 99,
                nextCallTime: "2019-10-04T13:00:00.000Z", notes: "Morning", originalQueueNumber: "152", originalQueueName: "Sales"
            ),
            contains: ["<extraData>&lt;XML&gt;"]
        )
        try Self.check(
            CMINewCallback(callbackQueueNumber: "505", customerNumber: "85412369512", nextCallTime: "2019-10-04T12:36:02.440Z"),
            contains: ["<callbackQueueNumber>505</callbackQueueNumber>"])
        try Self.check(
            CMICallbackUpdate(customerNumber: "1", lastResult: .reschedule, nextCallTime: "2030-01-01T08:00:00.000Z", notes: "n"),
            contains: ["<lastResult>RESCHEDULE</lastResult>"]
        )
        try Self.check(
            CMIContact(
                id: "DBEC8B07E3F0E9119E1D0050568C5E24", contactGroupId: "73CED646FA0947E0AA4E0367FB1B9BCC", channel: .phone, type: .callIn,
                typeDetails: "IVR", status: .handled, statusDetails: "Handled_AOT", source: "0505551234", destination: "0505550000",
                queueId: "1EFC92416F0A46DC9BBC08A842B89D93", queueName: "Phone Queue", arrivalTime: "2019-10-17T13:35:49.773Z",
                disconnectTime: "2019-10-17T13:35:49.780Z", totalDuration: 7, record: true, script: true,
                requiredAgent: CMIRequiredAgent(id: "AAAA0000000000000000000000000001", name: "Smith", type: CMIRequiredAgent.preferredType),
                connectTime: "2019-10-17T13:35:49.775Z", waitingDuration: 2, handlingDuration: 5, wrapUpTotalDuration: 0
            ),
            contains: ["<requiredAgent><id>AAAA0000000000000000000000000001</id>", "<record>true</record>"]
        )
        try Self.check(
            CMIMessage(
                id: "F5168FBDD6914C8DB1C6D0BD64563A39", message: "Hello", source: "12345678@sms.social365.com", subType: "sms",
                sendTime: "2020-06-30T13:15:30.123Z", creationTime: "2020-06-01T10:00:00.000Z", maxRetryCount: 5, retryDelay: 300, contentType: .text,
                destinations: [
                    CMIMessageDestination(address: "+358401234567", status: .added), CMIMessageDestination(address: "+36584215", status: .handled),
                ]
            ),
            contains: ["<destinations><destination><address>+358401234567</address><status>ADDED</status></destination><destination>"]
        )
        try Self.check(CMICustomerConsent(address: "+8541255455", usage: .recording, consent: true), contains: ["<usage>recording</usage>"])
    }
}
