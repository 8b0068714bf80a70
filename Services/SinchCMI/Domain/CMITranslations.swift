import WireModels

/// The translatable values of the CMI (seed §2.5 `language`): the display strings `typeDetails` and
/// `statusDetails`. Stored values are English; a request's `language` (or the user's) picks the translation, and
/// a language or value without one is returned as stored, never an error.
enum CMITranslations {
    /// English value → Finnish and Swedish, for every operative type and status the seed names (L47, L50, L590,
    /// L1503, L1508), the `EMAILIN` a load derives (decision 89) and the values of its contact examples (L1556–L1595).
    /// `XRI` and `IVR` read the same in every language.
    static let table: [String: (fi: String, sv: String)] = [
        "ACTION": ("Toimenpide", "Åtgärd"), "EMAIL": ("Sähköposti", "E-post"), "EMAILIN": ("Saapuva sähköposti", "Inkommande e-post"),
        "EMAILOUT": ("Lähtevä sähköposti", "Utgående e-post"), "TASK": ("Tehtävä", "Uppgift"), "OII_EMAIL": ("OII-sähköposti", "OII-e-post"),
        "Chat": ("Chatti", "Chatt"), "ChatOut": ("Lähtevä chatti", "Utgående chatt"), "ChatIn Text": ("Saapuva tekstichat", "Inkommande textchatt"),
        "ChatOut Text": ("Lähtevä tekstichat", "Utgående textchatt"), "CallIn": ("Saapuva puhelu", "Inkommande samtal"),
        "CallOut": ("Lähtevä puhelu", "Utgående samtal"), "Callback": ("Takaisinsoitto", "Återuppringning"),
        "Deleted": ("Poistettu", "Raderad"), "Handled": ("Käsitelty", "Hanterad"), "Handled_AOT": ("Käsitelty (AOT)", "Hanterad (AOT)"),
        "Closed": ("Suljettu", "Stängd"), "Pending": ("Odottaa", "Väntar"), "Sent": ("Lähetetty", "Skickad"), "Open": ("Avoin", "Öppen"),
        "Forwarded": ("Välitetty", "Vidarebefordrad"), "InProcess": ("Käsittelyssä", "Pågår"), "Queued": ("Jonossa", "I kö"),
        "Abandoned": ("Keskeytetty", "Avbruten"), "Missed": ("Vastaamaton", "Missad"),
    ]

    /// `value` in `language` (`fi` or `sv`, any case), or `value` itself.
    static func translate(_ value: String, to language: String?) -> String {
        switch language?.lowercased() {
        case "fi": self.table[value]?.fi ?? value
        case "sv": self.table[value]?.sv ?? value
        default: value
        }
    }

    /// An email, chat or contact with its display strings in `language`.
    static func translated(_ email: CMIEmail, to language: String?) -> CMIEmail {
        var email = email
        email.typeDetails = email.typeDetails.map { translate($0, to: language) }
        email.statusDetails = email.statusDetails.map { translate($0, to: language) }
        return email
    }

    static func translated(_ chat: CMIChat, to language: String?) -> CMIChat {
        var chat = chat
        chat.typeDetails = chat.typeDetails.map { translate($0, to: language) }
        chat.statusDetails = chat.statusDetails.map { translate($0, to: language) }
        return chat
    }

    static func translated(_ contact: CMIContact, to language: String?) -> CMIContact {
        var contact = contact
        (contact.typeDetails, contact.statusDetails) = (translate(contact.typeDetails, to: language), translate(contact.statusDetails, to: language))
        return contact
    }
}
