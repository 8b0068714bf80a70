import ServiceKit
import WireModels

/// `/autoAllocation` (permission `Manage Settings`); `isEnable` is the site config's `isEnableAutoAllocation`.
struct AutoAllocationRules: SettingRules {
    static let kind = "autoAllocation"
    let title = "Auto allocation"
    let permission: String? = "Manage Settings"
    let configs: SettingReader<SiteConfigRules>

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatAutoAllocation {
        Self.pinned(
            """
            {"allocationRule": "load banlancing", "isLastChattedPreferred": false, "isMaxChatForAllAgents": false, "maxChatForAllAgents": 5,
             "isAllocateChatWhenAgentInAudioVideo": false, "isAllowAgentManualAcceptChat": true}
            """)
    }

    func validated(_ setting: LiveChatAutoAllocation, in request: ConfigurationRequest) async throws -> LiveChatAutoAllocation {
        _ = try Validation.required(setting.isEnable, "isEnable")
        try Validation.atLeast(setting.maxChatForAllAgents, 1, "maxChatForAllAgents")
        return setting
    }

    func presented(_ setting: LiveChatAutoAllocation, in request: ConfigurationRequest) async throws -> LiveChatAutoAllocation {
        var allocation = setting
        allocation.isEnable = try await self.configs.config(site: request.site).isEnableAutoAllocation ?? false
        return allocation
    }

    /// The site config holds the switch; the copy in this document is never read.
    func didSave(_ setting: LiveChatAutoAllocation, in request: ConfigurationRequest) async throws {
        try await self.configs.update(in: request) { $0.isEnableAutoAllocation = setting.isEnable }
    }
}
