import Foundation
import ServiceKit
import WireModels

extension LiveChatConversionAction: LiveChatObject {}
extension LiveChatVisitorSegment: LiveChatObject {}
extension LiveChatSecureForm: LiveChatObject {}
extension LiveChatWebhook: LiveChatObject { var name: String? { nil } }
extension LiveChatCustomVariable: LiveChatObject {}

/// `/conversionsActions` (also `/conversionActions`; permission `Manage Settings`).
struct ConversionActionRules: ItemRules, UniquelyNamed {
    static let kind = "conversionAction"
    let title = "Conversion action"
    let permission: String? = "Manage Settings"

    func validated(
        _ item: LiveChatConversionAction, previous: LiveChatConversionAction?, in request: ConfigurationRequest
    ) async throws -> LiveChatConversionAction {
        var action = item
        action.name = try Validation.name(action.name)
        action.isEnable = action.isEnable ?? true
        action.type = action.type ?? .url
        action.isCaseSensitive = action.isCaseSensitive ?? false
        action.isAssignValue = action.isAssignValue ?? false
        action.isAssignValueFromCustomVariable = action.isAssignValueFromCustomVariable ?? false
        // `matchValue` is optional in the seed (L848), so a body with only `name` is a valid action (LC-3).
        if action.type == .customVariable { _ = try Validation.required(action.customVariable, "customVariable") }
        if action.type != .api {
            action.matchType = action.matchType ?? .is
            action.matchValue = action.matchValue ?? ""
        }
        if action.matchType == .regularExpression, let pattern = action.matchValue, (try? NSRegularExpression(pattern: pattern)) == nil {
            throw ServiceError.invalid("matchValue", "Parameter 'matchValue' is not a valid regular expression.")
        }
        if action.isAssignValue == true {
            if action.isAssignValueFromCustomVariable == true {
                _ = try Validation.required(action.customVariableForAssignValue, "customVariableForAssignValue")
            } else {
                _ = try Validation.required(action.assignValue, "assignValue")
            }
        }
        return action
    }
}

/// `/visitorSegments` (also `/visitorSegmentations`; permission `Manage Settings`): the conditions engine
/// decides membership; lower `priority` wins.
struct VisitorSegmentRules: ItemRules, UniquelyNamed {
    static let kind = "visitorSegment"
    let title = "Visitor segment"
    let permission: String? = "Manage Settings"
    let agents: LiveChatAgentSQLRepository

    func validated(
        _ item: LiveChatVisitorSegment, previous: LiveChatVisitorSegment?, in request: ConfigurationRequest
    ) async throws -> LiveChatVisitorSegment {
        var segment = item
        segment.name = try Validation.name(segment.name)
        segment.isEnable = segment.isEnable ?? true
        segment.priority = segment.priority ?? 1
        segment.color = segment.color ?? "#329fd9"
        segment.description = segment.description ?? ""
        segment.notification = segment.notification ?? LiveChatVisitorSegment.Notification.none
        _ = try VisitorConditions.compiled(segment.conditions)
        segment.conditions = VisitorConditions.normalized(segment.conditions)
        if case .agents(let ids) = segment.notification! {
            let known = Set(try await self.agents.agents(siteId: request.siteId).map(\.id))
            if let unknown = ids.first(where: { !known.contains($0) }) {
                throw Validation.invalid("notification", "Agent \(unknown) does not exist.")
            }
        }
        return segment
    }
}

/// `/secureForms`: card forms, starting with the four card fields.
struct SecureFormRules: ItemRules, UniquelyNamed {
    static let kind = "secureForm"
    let title = "Secure form"
    let permission: String? = "Manage Settings"

    func merged(_ stored: LiveChatSecureForm, with patch: JSONValue) throws -> LiveChatSecureForm {
        var form = try FormFields.merged(stored, with: patch, form: .secureForm)
        form.id = stored.id
        return form
    }

    func validated(_ item: LiveChatSecureForm, previous: LiveChatSecureForm?, in request: ConfigurationRequest) async throws -> LiveChatSecureForm {
        var form = item
        form.name = try Validation.name(form.name)
        form.description = form.description ?? ""
        form.fields = try FormFields.validated(form.fields ?? FormFields.defaults(.secureForm), form: .secureForm)
        return form
    }
}

/// `/webhooks`: one of the four events to an absolute http(s) URL; several per event are allowed.
struct WebhookRules: ItemRules {
    static let kind = "webhook"
    let title = "Webhook"
    let permission: String? = "Manage Settings"

    func validated(_ item: LiveChatWebhook, previous: LiveChatWebhook?, in request: ConfigurationRequest) async throws -> LiveChatWebhook {
        var webhook = item
        _ = try Validation.required(webhook.event, "event")
        try Validation.webURL(try Validation.required(webhook.targetUrl, "targetUrl"), "targetUrl")
        // Deliveries are signed (Standard Webhooks); the secret is made here unless the client brings one.
        if webhook.secret?.isEmpty ?? true {
            webhook.secret = previous?.secret ?? "whsec_" + Data((0..<24).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
        }
        return webhook
    }
}

/// `/customVariables`: names unique per site, since conversion actions and conditions refer to them by name.
struct CustomVariableRules: ItemRules, UniquelyNamed {
    static let kind = "customVariable"
    let title = "Custom variable"
    let permission: String? = "Manage Settings"

    func validated(
        _ item: LiveChatCustomVariable, previous: LiveChatCustomVariable?, in request: ConfigurationRequest
    ) async throws -> LiveChatCustomVariable {
        var variable = item
        variable.name = try Validation.name(variable.name)
        guard variable.name!.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ServiceError.invalid("name", "Parameter 'name' may hold only letters, digits, '_' and '-', as conditions refer to it.")
        }
        _ = try Validation.required(variable.type, "type")
        variable.value = variable.value ?? ""
        variable.hyperlink = variable.hyperlink ?? ""
        if !variable.hyperlink!.isEmpty { try Validation.webURL(variable.hyperlink!.replacingOccurrences(of: "{!value}", with: "x"), "hyperlink") }
        return variable
    }
}
