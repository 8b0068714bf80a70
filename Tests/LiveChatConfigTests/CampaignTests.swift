import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import LiveChatConfig

@Suite("livechat-config campaigns and their settings")
struct CampaignTests {
    @Test("A new campaign answers every setting at once with its defaults, and an installation code of its own")
    func defaults() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let id = try await chat.createCampaign("Sales", language: "french")
            let listed = try await chat.get("/campaigns")
            #expect(listed.array.map { $0["name"] as? String } == ["Sales"])
            #expect(listed.array.first?["language"] as? String == "French")

            let button = try await chat.get("/campaigns/\(id)/chatButton").object
            #expect(button["type"] as? String == "adaptive" && button[path: "image.position.type"] as? String == "buttomRight")
            let window = try await chat.get("/campaigns/\(id)/chatWindow").object
            #expect(window["style"] as? String == "classic" && window[path: "header.type"] as? String == "agentInfo")
            let preChat = try await chat.get("/campaigns/\(id)/preChat").object
            #expect((preChat["fields"] as? [[String: Any]])?.compactMap { $0["type"] as? String }.prefix(2) == ["name", "email"])
            #expect((preChat["fields"] as? [[String: Any]])?.allSatisfy { $0["isSystem"] as? Bool == true } == true)
            #expect(try await chat.get("/campaigns/\(id)/prechat").object["fieldLayout"] as? String == "vertical")
            let postChat = try await chat.get("/campaigns/\(id)/postChat").object
            #expect((postChat["fields"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["rating", "comment"])
            #expect(try await chat.get("/campaigns/\(id)/offlineMessage").object["isUseOwnPage"] as? Bool == false)
            let invitation = try await chat.get("/campaigns/\(id)/invitation").object
            #expect(invitation["style"] as? String == "popup" && (invitation["autoInvitations"] as? [Any])?.isEmpty == true)
            #expect(invitation[path: "manualInvitation.message.content"] as? String == "Hello, how may I help you?")
            #expect(try await chat.get("/campaigns/\(id)/agentWrapup").array.first?["type"] as? String == "category")
            let routing = try await chat.get("/campaigns/\(id)/routingRules").object
            #expect(routing["isEnable"] as? Bool == false && routing["type"] as? String == "simple" && (routing["rules"] as? [Any])?.isEmpty == true)
            #expect(routing[path: "fail.routeTobject"] as? String == "department")
            let language = try await chat.get("/campaigns/\(id)/language").object
            let texts = language["languageTexts"] as? [[String: Any]] ?? []
            #expect(texts.count == LanguageCatalogue.entries.count)
            #expect(texts.first { $0["name"] as? String == "Start Chat" }?["defaultText"] as? String == "Démarrer le chat")

            let code = try await chat.get("/campaigns/\(id)/code").object["code"] as? String ?? ""
            #expect(code.contains("code_plan:\(id)") && code.contains("site_id=10000"))
            #expect(try await chat.get("/campaigns/\(id)/code").object["code"] as? String == code)
            let other = try await chat.createCampaign("Support")
            #expect(try await chat.get("/campaigns/\(other)/code").object["code"] as? String != code)
            #expect(try await chat.get("/campaigns/999999/code").status == .notFound)
            #expect(try await chat.get("/campaigns/999999/chatButton").status == .notFound)
        }
    }

    @Test("Names are mandatory and unique ignoring case; the language must be one the catalogue has; PUT is partial")
    func campaignCrud() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let id = try await chat.createCampaign("Sales")
            #expect(try await chat.post("/campaigns", #"{"name": "SALES", "language": "English"}"#).status == .conflict)
            let missing = try await chat.post("/campaigns", #"{"language": "English"}"#)
            #expect(missing.status == .badRequest && missing.text.contains("name"))
            let language = try await chat.post("/campaigns", #"{"name": "X", "language": "Klingon"}"#)
            #expect(language.status == .badRequest && language.text.contains("language"))
            let updated = try await chat.put("/campaigns/\(id)", #"{"description": "Sales team"}"#).object
            #expect(updated["name"] as? String == "Sales" && updated["description"] as? String == "Sales team")
            #expect(try await chat.get("/campaigns/\(id)").object["description"] as? String == "Sales team")
            #expect(try await chat.put("/campaigns/424242", #"{"description": "x"}"#).status == .notFound)
        }
    }

    @Test("Deleting a campaign removes its settings, auto invitations, custom rules and SSO entry")
    func cascade() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let id = try await chat.createCampaign("Sales")
            let keep = try await chat.createCampaign("Support")
            let agent = try await chat.createAgent("router@example.com")
            let invitation = try await chat.post("/campaigns/\(id)/invitation/autoInvitations", #"{"name": "Pricing"}"#).object["id"] as? Int ?? 0
            let rule =
                try await chat.post(
                    "/campaigns/\(id)/routingRules/customRules",
                    #"{"name": "VIP", "isEnable": true, "routeToObject": "agent", "routeToId": \#(agent.id)}"#
                ).object["id"] as? Int ?? 0
            #expect(try await chat.put("/campaigns/\(id)/chatButton", #"{"type": "textLink"}"#).status == .ok)
            #expect(try await chat.get("/visitorSSO").object["campaignSSOOptions"].map { ($0 as? [Any])?.count } == 2)

            let deleted = try await chat.delete("/campaigns/\(id)")
            #expect(deleted.status == .ok && deleted.body.readableBytes == 0)
            #expect(try await chat.get("/campaigns/\(id)/chatButton").status == .notFound)
            #expect(try await chat.get("/campaigns/\(id)/invitation/autoInvitations/\(invitation)").status == .notFound)
            #expect(try await chat.get("/campaigns/\(id)/routingRules/customRules/\(rule)").status == .notFound)
            let options = try await chat.get("/visitorSSO").object["campaignSSOOptions"] as? [[String: Any]] ?? []
            #expect(options.map { $0["campaignId"] as? Int } == [keep])
            #expect(try await chat.get("/campaigns").array.count == 1)
            #expect(try await chat.delete("/campaigns/\(id)").status == .notFound)
        }
    }

    @Test("Settings take partial updates, flat dotted names, any-case enums and the corrected spellings; bad values are 400s naming the field")
    func settingUpdates() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let id = try await chat.createCampaign("Sales")
            let button = try await chat.put(
                "/campaigns/\(id)/chatButton", #"{"type": "IMAGE", "image.position.type": "bottomLeft", "image": {"position": {"x": "10%"}}}"#)
            #expect(button.status == .ok)
            #expect(button.object["type"] as? String == "image")
            #expect(
                button.object[path: "image.position.type"] as? String == "buttomLeft" && button.object[path: "image.position.x"] as? String == "10%")
            #expect(button.object[path: "image.position.y"] as? String == "0%" && button.object[path: "adaptive.themeColor"] as? String == "#329fd9")
            let badPosition = try await chat.put("/campaigns/\(id)/chatButton", #"{"image": {"position": {"y": "ten"}}}"#)
            #expect(badPosition.status == .badRequest && badPosition.text.contains("image.position.y"))
            let badEnum = try await chat.put("/campaigns/\(id)/chatWindow", #"{"style": "fancy"}"#)
            #expect(badEnum.status == .badRequest && badEnum.text.contains("style"))
            let window = try await chat.put(
                "/campaigns/\(id)/chatWindow",
                #"{"body": {"backgroundImageId": 7}, "advanced": {"isAutoEndChatWhenVisitorInactivity": true, "timeAutoEndChatWhenVisitorInactivity": 15}}"#
            )
            #expect(window.object[path: "body.backgroudImageId"] as? Int == 7 && window.object["color"] as? String == "#329fd9")
            let tooShort = try await chat.put("/campaigns/\(id)/chatWindow", #"{"advanced": {"timeAutoEndChatWhenVisitorInactivity": 0}}"#)
            #expect(tooShort.status == .badRequest)
            let ownPage = try await chat.put("/campaigns/\(id)/offlineMessage", #"{"isUseOwnPage": true}"#)
            #expect(ownPage.status == .badRequest && ownPage.text.contains("page.url"))
            #expect(
                try await chat.put("/campaigns/\(id)/offlineMessage", #"{"isUseOwnPage": true, "page": {"url": "https://example.com/contact"}}"#)
                    .status == .ok)
            #expect(try await chat.put("/campaigns/\(id)/chatButton", "[1]").status == .badRequest)
            #expect(try await chat.put("/campaigns/\(id)/chatButton", "{").status == .badRequest)

            let style = try await chat.put("/campaigns/\(id)/invitation", #"{"style": "bubble", "autoInvitations": [{"name": "ignored"}]}"#).object
            #expect(style["style"] as? String == "bubble" && (style["autoInvitations"] as? [Any])?.isEmpty == true)
            let manual = try await chat.put(
                "/campaigns/\(id)/invitation/manualInvitation", #"{"message": {"content": "Need help?"}, "popup": {"position": "bottomRight"}}"#
            ).object
            #expect(manual[path: "message.content"] as? String == "Need help?" && manual[path: "popup.position"] as? String == "buttomRight")
            #expect(manual[path: "message.font"] as? String == "Arial")
            #expect(try await chat.get("/campaigns/\(id)/invitation").object[path: "manualInvitation.message.content"] as? String == "Need help?")
        }
    }

    @Test(
        "Form fields: system fields stay and keep their type, custom fields are added, updated and deleted by id, and each form allows its own types")
    func formFields() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let id = try await chat.createCampaign("Sales")
            let fields = try await chat.get("/campaigns/\(id)/preChat").object["fields"] as? [[String: Any]] ?? []
            let nameField = fields.first { $0["type"] as? String == "name" }?["id"] as? Int ?? 0
            let added = try await chat.put(
                "/campaigns/\(id)/preChat",
                #"""
                {"fields": [{"id": \#(nameField), "name": "Your name"}, {"name": "Plan", "type": "select", "options": "Free\nPro"}]}
                """#)
            #expect(added.status == .ok)
            let afterAdd = added.object["fields"] as? [[String: Any]] ?? []
            #expect(afterAdd.first?["name"] as? String == "Your name" && afterAdd.first?["type"] as? String == "name")
            let plan = afterAdd.first { $0["name"] as? String == "Plan" }
            #expect(plan?["isSystem"] as? Bool == false && plan?["id"] as? Int != nil)
            #expect(afterAdd.count == fields.count + 1)  // system fields left out of the body stay

            let removed =
                try await chat.put("/campaigns/\(id)/preChat", #"{"fields": [{"id": \#(nameField)}]}"#).object["fields"] as? [[String: Any]] ?? []
            #expect(removed.count == fields.count && !removed.contains { $0["name"] as? String == "Plan" })

            for (body, field) in [
                (#"{"fields": [{"name": "Stars", "type": "rating"}]}"#, "fields[0].type"),
                (#"{"fields": [{"name": "Choice", "type": "radio"}]}"#, "fields[0].options"),
                (#"{"fields": [{"id": \#(nameField), "type": "text"}]}"#, "fields[0].type"),
                (#"{"fields": [{"id": 9999, "name": "Ghost"}]}"#, "fields[0].id"),
                (#"{"fields": [{"name": "Second email", "type": "email"}]}"#, "type"),
                (#"{"fields": [{"type": "text"}]}"#, "name"),
            ] {
                let refused = try await chat.put("/campaigns/\(id)/preChat", body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(refused.text.contains(field), "\(refused.text)")
            }
            let wrapup = try await chat.put("/campaigns/\(id)/agentWrapup", #"[{"name": "Outcome", "type": "radio", "options": "Sold\nLost"}]"#)
            #expect(wrapup.status == .ok, "\(wrapup.text)")
            #expect(wrapup.array.map { $0["type"] as? String } == ["radio", "category"])
            #expect(try await chat.put("/campaigns/\(id)/agentWrapup", #"{"name": "x"}"#).status == .badRequest)
            #expect(try await chat.put("/campaigns/\(id)/postChat", #"{"fields": [{"name": "Email", "type": "email"}]}"#).status == .badRequest)
        }
    }

    @Test("Language: only currentText changes, matched by category and name; a new campaign language brings its defaults and keeps the overrides")
    func language() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let id = try await chat.createCampaign("Sales")
            let changed = try await chat.put(
                "/campaigns/\(id)/language",
                #"""
                {"isUseDefaultLanguageText": false, "languageTexts": [{"category": "buttons", "name": "start chat", "currentText": "Talk to us", "defaultText": "ignored"}]}
                """#)
            #expect(changed.status == .ok)
            let texts = changed.object["languageTexts"] as? [[String: Any]] ?? []
            let start = texts.first { $0["name"] as? String == "Start Chat" }
            #expect(start?["currentText"] as? String == "Talk to us" && start?["defaultText"] as? String == "Start Chat")
            #expect(texts.first { $0["name"] as? String == "End Chat" }?["currentText"] as? String == "End Chat")
            let unknown = try await chat.put("/campaigns/\(id)/language", #"{"languageTexts": [{"category": "buttons", "name": "Dance"}]}"#)
            #expect(unknown.status == .badRequest && unknown.text.contains("languageTexts[0]"))

            #expect(try await chat.put("/campaigns/\(id)", #"{"language": "German"}"#).status == .ok)
            let german = try await chat.get("/campaigns/\(id)/language").object["languageTexts"] as? [[String: Any]] ?? []
            #expect(german.first { $0["name"] as? String == "Start Chat" }?["currentText"] as? String == "Talk to us")
            #expect(german.first { $0["name"] as? String == "End Chat" }?["currentText"] as? String == "Chat beenden")
        }
    }
}
