import Foundation
import WireModels

/// The texts a campaign shows visitors, keyed by category and name, with each language's default wording.
/// Only `currentText` is the site's to change (spec note §5.15).
enum LanguageCatalogue {
    /// A text of the catalogue: where it is used, its macros, and its wording per language.
    struct Entry {
        var category: LiveChatLanguageText.Category
        var name: String
        var macros: String
        /// English, French, Spanish, German.
        var texts: [String]
    }

    /// The campaign languages, with the column of ``Entry/texts`` each reads (English for those without a
    /// translation of their own).
    static let languages: [String: Int] = [
        "English": 0, "French": 1, "Spanish": 2, "German": 3, "Italian": 0, "Portuguese": 0, "Dutch": 0, "Japanese": 0,
        "Chinese (Simplified)": 0, "Chinese (Traditional)": 0, "Korean": 0, "Russian": 0, "Arabic": 0, "Hebrew": 0,
    ]

    /// The documented name of a language the client spelled in any case, or nil.
    static func language(named name: String) -> String? {
        Self.languages.keys.first { $0.lowercased() == name.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// Languages written right to left.
    static let rightToLeft: Set<String> = ["Arabic", "Hebrew"]

    static let entries: [Entry] = [
        Entry(category: .buttons, name: "Start Chat", macros: "", texts: ["Start Chat", "Démarrer le chat", "Iniciar chat", "Chat starten"]),
        Entry(category: .buttons, name: "End Chat", macros: "", texts: ["End Chat", "Terminer le chat", "Finalizar chat", "Chat beenden"]),
        Entry(category: .buttons, name: "Send", macros: "", texts: ["Send", "Envoyer", "Enviar", "Senden"]),
        Entry(category: .buttons, name: "Submit", macros: "", texts: ["Submit", "Envoyer", "Enviar", "Absenden"]),
        Entry(
            category: .buttons, name: "Leave a Message", macros: "",
            texts: ["Leave a message", "Laisser un message", "Dejar un mensaje", "Nachricht hinterlassen"]),
        Entry(category: .fields, name: "Name", macros: "", texts: ["Name", "Nom", "Nombre", "Name"]),
        Entry(category: .fields, name: "Email", macros: "", texts: ["Email", "E-mail", "Correo electrónico", "E-Mail"]),
        Entry(category: .fields, name: "Phone", macros: "", texts: ["Phone", "Téléphone", "Teléfono", "Telefon"]),
        Entry(category: .fields, name: "Subject", macros: "", texts: ["Subject", "Objet", "Asunto", "Betreff"]),
        Entry(category: .fields, name: "Content", macros: "", texts: ["Message", "Message", "Mensaje", "Nachricht"]),
        Entry(
            category: .prompts, name: "Required Field", macros: "{!Field.Name}",
            texts: [
                "{!Field.Name} is required.", "{!Field.Name} est obligatoire.", "{!Field.Name} es obligatorio.", "{!Field.Name} ist erforderlich.",
            ]),
        Entry(
            category: .prompts, name: "Invalid Email", macros: "",
            texts: [
                "Please enter a valid email address.", "Veuillez saisir une adresse e-mail valide.", "Introduzca un correo electrónico válido.",
                "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
            ]),
        Entry(
            category: .systemMessages, name: "Waiting", macros: "{!Queue.Position}",
            texts: [
                "Please wait, an agent will be with you shortly. You are number {!Queue.Position} in the queue.",
                "Veuillez patienter, un agent va vous répondre. Vous êtes numéro {!Queue.Position} dans la file.",
                "Espere, un agente le atenderá en breve. Usted es el número {!Queue.Position} de la cola.",
                "Bitte warten Sie, ein Mitarbeiter ist gleich für Sie da. Sie sind Nummer {!Queue.Position} in der Warteschlange.",
            ]),
        Entry(
            category: .systemMessages, name: "Agent Joined", macros: "{!Agent.Name}",
            texts: [
                "{!Agent.Name} has joined the chat.", "{!Agent.Name} a rejoint le chat.", "{!Agent.Name} se ha unido al chat.",
                "{!Agent.Name} ist dem Chat beigetreten.",
            ]),
        Entry(
            category: .systemMessages, name: "Chat Ended", macros: "{!Agent.Name}",
            texts: [
                "The chat has been ended.", "Le chat est terminé.", "El chat ha finalizado.", "Der Chat wurde beendet.",
            ]),
        Entry(
            category: .systemMessages, name: "Transferred", macros: "{!Agent.Name}",
            texts: [
                "You have been transferred to {!Agent.Name}.", "Vous avez été transféré à {!Agent.Name}.", "Ha sido transferido a {!Agent.Name}.",
                "Sie wurden an {!Agent.Name} weitergeleitet.",
            ]),
        Entry(
            category: .audioChat, name: "Audio Request", macros: "{!Agent.Name}",
            texts: [
                "{!Agent.Name} invites you to an audio chat.", "{!Agent.Name} vous invite à un chat audio.",
                "{!Agent.Name} le invita a un chat de audio.",
                "{!Agent.Name} lädt Sie zu einem Audio-Chat ein.",
            ]),
        Entry(
            category: .videoChat, name: "Video Request", macros: "{!Agent.Name}",
            texts: [
                "{!Agent.Name} invites you to a video chat.", "{!Agent.Name} vous invite à un chat vidéo.",
                "{!Agent.Name} le invita a un chat de vídeo.",
                "{!Agent.Name} lädt Sie zu einem Video-Chat ein.",
            ]),
        Entry(
            category: .screenSharing, name: "Screen Sharing Request", macros: "{!Agent.Name}",
            texts: [
                "{!Agent.Name} asks to view your screen.", "{!Agent.Name} demande à voir votre écran.", "{!Agent.Name} solicita ver su pantalla.",
                "{!Agent.Name} möchte Ihren Bildschirm sehen.",
            ]),
        Entry(
            category: .transcriptEmail, name: "Subject", macros: "{!Agent.Name},{!Visitor.Name}",
            texts: [
                "Chat transcript: {!Agent.Name} with {!Visitor.Name}", "Transcription du chat : {!Agent.Name} avec {!Visitor.Name}",
                "Transcripción del chat: {!Agent.Name} con {!Visitor.Name}", "Chatprotokoll: {!Agent.Name} mit {!Visitor.Name}",
            ]),
        Entry(category: .mobile, name: "Chat Now", macros: "", texts: ["Chat now", "Discuter", "Chatear ahora", "Jetzt chatten"]),
        Entry(category: .embedded, name: "Minimize", macros: "", texts: ["Minimize", "Réduire", "Minimizar", "Minimieren"]),
        Entry(
            category: .chatbot, name: "Transfer to Agent", macros: "",
            texts: [
                "Talk to an agent", "Parler à un agent", "Hablar con un agente", "Mit einem Mitarbeiter sprechen",
            ]),
    ]

    /// The full catalogue in `language`, with the site's `currentText` overrides keyed by `category/name`.
    static func texts(language: String, overrides: [String: String]) -> [LiveChatLanguageText] {
        let column = Self.languages[language] ?? 0
        return Self.entries.map { entry in
            let defaultText = entry.texts[column]
            return LiveChatLanguageText(
                category: entry.category, name: entry.name, defaultText: defaultText,
                currentText: overrides[Self.key(entry.category, entry.name)] ?? defaultText, macros: entry.macros
            )
        }
    }

    static func key(_ category: LiveChatLanguageText.Category, _ name: String) -> String {
        "\(category.rawValue)/\(name.lowercased())"
    }

    /// The catalogue entry a client's `category` and `name` name, any case.
    static func entry(category: LiveChatLanguageText.Category, name: String) -> Entry? {
        Self.entries.first { $0.category == category && $0.name.lowercased() == name.lowercased() }
    }
}
