import WireModels

/// The translatable values of the CMI (seed §2.5 `language`): the display strings `typeDetails` and
/// `statusDetails`. Stored values are English; a request's `language` (or the user's) picks the table, and
/// a language or value without a table entry is returned as stored, never an error.
enum CMITranslations {
    /// English value → translation, per two-letter language code (lower case).
    static let tables: [String: [String: String]] = [
        "fi": [
            // Email types and statuses (seed L46–L50).
            "ACTION": "Toimenpide", "EMAIL": "Sähköposti", "EMAILIN": "Saapuva sähköposti", "EMAILOUT": "Lähtevä sähköposti",
            "TASK": "Tehtävä", "OII_EMAIL": "OII-sähköposti", "XRI": "XRI",
            "Deleted": "Poistettu", "Handled": "Käsitelty", "Closed": "Suljettu", "Pending": "Odottaa", "Sent": "Lähetetty",
            "Open": "Avoin", "Forwarded": "Välitetty",
            // Contact and chat types and statuses (seed L1556–L1595).
            "IVR": "IVR", "ChatIn Text": "Saapuva tekstichat", "ChatOut Text": "Lähtevä tekstichat", "InProcess": "Käsittelyssä",
            "Handled_AOT": "Käsitelty (AOT)", "Queued": "Jonossa", "Abandoned": "Keskeytetty", "Missed": "Vastaamaton",
            "CallIn": "Saapuva puhelu", "CallOut": "Lähtevä puhelu", "Callback": "Takaisinsoitto",
        ],
        "sv": [
            "EMAIL": "E-post", "EMAILIN": "Inkommande e-post", "EMAILOUT": "Utgående e-post", "TASK": "Uppgift",
            "Deleted": "Raderad", "Handled": "Hanterad", "Closed": "Stängd", "Pending": "Väntar", "Sent": "Skickad",
            "Open": "Öppen", "Forwarded": "Vidarebefordrad", "InProcess": "Pågår", "Queued": "I kö",
        ],
    ]

    /// `value` in `language`, or `value` itself.
    static func translate(_ value: String, to language: String?) -> String {
        guard let language, let table = self.tables[language.lowercased()] else { return value }
        return table[value] ?? value
    }

    /// An email, chat or contact with its display strings in `language`.
    static func translated(_ email: CMIEmail, to language: String?) -> CMIEmail {
        var email = email
        (email.typeDetails, email.statusDetails) = (
            email.typeDetails.map { translate($0, to: language) }, email.statusDetails.map { translate($0, to: language) }
        )
        return email
    }

    static func translated(_ chat: CMIChat, to language: String?) -> CMIChat {
        var chat = chat
        (chat.typeDetails, chat.statusDetails) = (
            chat.typeDetails.map { translate($0, to: language) }, chat.statusDetails.map { translate($0, to: language) }
        )
        return chat
    }

    static func translated(_ contact: CMIContact, to language: String?) -> CMIContact {
        var contact = contact
        (contact.typeDetails, contact.statusDetails) = (translate(contact.typeDetails, to: language), translate(contact.statusDetails, to: language))
        return contact
    }

    /// The language a request asks for: `language=` or else the signed-in user's.
    static func language(query: String?, user: String?) -> String? {
        (query?.isEmpty == false ? query : user)?.lowercased()
    }
}
