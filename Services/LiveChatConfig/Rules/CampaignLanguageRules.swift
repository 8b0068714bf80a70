import WireModels

/// `/campaigns/{id}/language`: the catalogue in the campaign's language, where only `currentText` changes.
struct CampaignLanguageRules: CampaignSettingRules {
    static let kind = "language"
    let title = "Campaign language"
    let store: ConfigurationSQLRepository

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatCampaignLanguage {
        var language = LiveChatCampaignLanguage()
        language.isUseDefaultLanguageText = true
        language.isRTL = LanguageCatalogue.rightToLeft.contains(try await self.campaignLanguage(in: request))
        language.languageTexts = []
        return language
    }

    /// Texts are matched by category and name; those the body leaves out keep their text.
    func merged(_ stored: LiveChatCampaignLanguage, with patch: JSONValue) throws -> LiveChatCampaignLanguage {
        var language = try JSONValue(encoding: stored).merging(patch.removing("languageTexts")).decode(as: LiveChatCampaignLanguage.self)
        guard let texts = patch.object?["languageTexts"] else { return language }
        var merged = stored.languageTexts ?? []
        for (index, text) in try texts.decode(as: [LiveChatLanguageText].self).enumerated() {
            let category = try Validation.required(text.category, "languageTexts[\(index)].category")
            let name = try Validation.required(text.name, "languageTexts[\(index)].name")
            guard let entry = LanguageCatalogue.entry(category: category, name: name) else {
                throw Validation.invalid("languageTexts[\(index)]", "The catalogue has no text '\(name)' in category \(category.rawValue).")
            }
            guard let current = text.currentText else { continue }
            if let position = merged.firstIndex(where: { $0.category == category && $0.name?.lowercased() == name.lowercased() }) {
                merged[position].currentText = current
            } else {
                merged.append(LiveChatLanguageText(category: category, name: entry.name, defaultText: "", currentText: current, macros: entry.macros))
            }
        }
        language.languageTexts = merged
        return language
    }

    /// Keeps only the texts that differ from the language's defaults, so a new campaign language brings its own.
    func validated(_ setting: LiveChatCampaignLanguage, in request: ConfigurationRequest) async throws -> LiveChatCampaignLanguage {
        var language = setting
        _ = try Validation.required(language.isUseDefaultLanguageText, "isUseDefaultLanguageText")
        let defaults = LanguageCatalogue.texts(language: try await self.campaignLanguage(in: request), overrides: [:])
        language.languageTexts = (language.languageTexts ?? []).compactMap { text in
            guard let category = text.category, let name = text.name, let entry = LanguageCatalogue.entry(category: category, name: name) else {
                return nil
            }
            let defaultText = defaults.first { $0.category == category && $0.name == entry.name }?.defaultText
            guard let current = text.currentText, current != defaultText else { return nil }
            return LiveChatLanguageText(category: category, name: entry.name, defaultText: "", currentText: current, macros: entry.macros)
        }
        return language
    }

    func presented(_ setting: LiveChatCampaignLanguage, in request: ConfigurationRequest) async throws -> LiveChatCampaignLanguage {
        var language = setting
        let overrides = Dictionary(
            (setting.languageTexts ?? []).compactMap { text in
                text.category.map { (LanguageCatalogue.key($0, text.name ?? ""), text.currentText ?? "") }
            },
            uniquingKeysWith: { _, last in last }
        )
        language.languageTexts = LanguageCatalogue.texts(language: try await self.campaignLanguage(in: request), overrides: overrides)
        return language
    }

    func campaignLanguage(in request: ConfigurationRequest) async throws -> String {
        try await self.store.item(LiveChatCampaign.self, id: request.campaignId, in: request.siteScope(CampaignRules.kind))?.language ?? "English"
    }
}
