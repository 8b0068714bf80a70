import HTTPTypes
import Hummingbird
import ServiceKit

/// Contact-center settings the CMI depends on, set through the administration extension.
struct CMISettings: Codable, Sendable, Equatable, CMIRepresentable {
    static let xmlRootName = "settings"
    static let xmlListRootName = "settings"

    /// "Built-in Callback IVR Number needs to be defined to the system in order to add new callbacks" (seed L1300).
    var callbackIvrNumber: String?
    /// `maxCalls` of a new callback.
    var callbackMaxCalls: Int?
}

/// A `PUT /RI/cmi-admin/settings` body: a partial document. Members it leaves out (or sends as JSON `null`) keep
/// their stored value, so `{}` changes nothing; an empty `callbackIvrNumber` clears the number; a member the
/// settings do not have is a 400 naming it, so a misspelt key cannot pass for a change that was made.
struct CMISettingsPatch: Decodable, Sendable, Equatable {
    var callbackIvrNumber: String?
    var callbackMaxCalls: Int?

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case callbackIvrNumber, callbackMaxCalls
    }

    init(from decoder: any Decoder) throws {
        let names = Set(CodingKeys.allCases.map(\.rawValue))
        for key in try decoder.container(keyedBy: CMIKey.self).allKeys where !names.contains(key.stringValue) {
            throw ServiceError(
                .badRequest, message: "Unknown settings member: \(key.stringValue) (the settings are \(names.sorted().joined(separator: ", ")))",
                field: key.stringValue
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.callbackIvrNumber = try container.decodeIfPresent(String.self, forKey: .callbackIvrNumber)
        self.callbackMaxCalls = try container.decodeIfPresent(Int.self, forKey: .callbackMaxCalls)
    }

    /// The stored settings with this patch applied.
    func applied(to stored: CMISettings) -> CMISettings {
        var settings = stored
        if let number = self.callbackIvrNumber { settings.callbackIvrNumber = number.isEmpty ? nil : number }
        if let maxCalls = self.callbackMaxCalls { settings.callbackMaxCalls = maxCalls }
        return settings
    }
}
