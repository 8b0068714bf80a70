/// Contact-center settings the CMI depends on, set through the administration extension.
struct CMISettings: Codable, Sendable, Equatable, CMIRepresentable {
    static let xmlRootName = "settings"
    static let xmlListRootName = "settings"

    /// "Built-in Callback IVR Number needs to be defined to the system in order to add new callbacks" (seed L1300).
    var callbackIvrNumber: String?
    /// `maxCalls` of a new callback.
    var callbackMaxCalls: Int?
}
