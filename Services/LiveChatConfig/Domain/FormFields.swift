import ServiceKit
import WireModels

/// The fields of a form: which types each form allows, system fields that stay, and a PUT that adds,
/// updates and deletes fields by id (spec note §5.5).
enum FormFields {
    /// Checks a whole field list and numbers the fields that have no id yet.
    static func validated(_ fields: [LiveChatField], form: LiveChatForm, field path: String = "fields") throws -> [LiveChatField] {
        var systemTypes = Set<LiveChatFieldType>()
        var ids = Set<Int>()
        var nextID = (fields.compactMap(\.id).max() ?? 0) + 1
        return try fields.enumerated().map { index, field in
            var field = field
            let name = "\(path)[\(index)]"
            field.name = try Validation.name(field.name, "\(name).name")
            let type = try Validation.required(field.type, "\(name).type")
            guard type.forms.contains(form) else {
                throw Validation.invalid("\(name).type", "A field of type \(type.rawValue) is not allowed in the \(form.rawValue) form.")
            }
            if type.isSystem, !systemTypes.insert(type).inserted {
                throw Validation.invalid("\(name).type", "The \(form.rawValue) form already has a \(type.rawValue) field.")
            }
            if type.needsOptions, (field.options ?? "").split(whereSeparator: \.isNewline).allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                throw Validation.invalid("\(name).options", "A \(type.rawValue) field needs its options, one per line.")
            }
            if field.id == nil {
                field.id = nextID
                nextID += 1
            }
            guard ids.insert(field.id!).inserted else { throw Validation.invalid("\(name).id", "Field id \(field.id!) is used twice.") }
            field.isSystem = type.isSystem
            field.isVisible = field.isVisible ?? true
            field.isRequired = field.isRequired ?? false
            return field
        }
    }

    /// Applies a PUT's `fields` to the stored ones: an element with a known id updates that field, one without
    /// an id adds a field, and custom fields left out are deleted. System fields are never removed or retyped.
    static func applying(_ patch: JSONValue, to stored: [LiveChatField], form: LiveChatForm, field path: String = "fields") throws -> [LiveChatField]
    {
        guard case .array(let elements) = patch else { throw ServiceError.invalid(path, "Parameter '\(path)' must be an array of fields.") }
        var nextID = (stored.compactMap(\.id).max() ?? 0) + 1
        var result: [LiveChatField] = []
        var kept = Set<Int>()
        for (index, element) in elements.enumerated() {
            let name = "\(path)[\(index)]"
            if case .number(let number) = element.object?["id"] ?? .null {
                guard let id = Int(exactly: number) else { throw Validation.invalid("\(name).id", "must be a field id.") }
                guard let existing = stored.first(where: { $0.id == id }) else {
                    throw Validation.invalid("\(name).id", "The form has no field with id \(id).")
                }
                var field = try JSONValue(encoding: existing).merging(element.removing("isSystem")).decode(as: LiveChatField.self)
                if existing.type?.isSystem == true, field.type != existing.type {
                    throw Validation.invalid("\(name).type", "System field \(existing.name ?? "") cannot change its type.")
                }
                if field.type?.isSystem == true, existing.type?.isSystem != true {
                    throw Validation.invalid("\(name).type", "A custom field cannot become a system field.")
                }
                field.id = id
                kept.insert(id)
                result.append(field)
            } else {
                var field = try element.removing("id", "isSystem").decode(as: LiveChatField.self)
                field.id = nextID
                nextID += 1
                result.append(field)
            }
        }
        // System fields cannot be deleted: those the body leaves out stay, after the others.
        result += stored.filter { $0.type?.isSystem == true && !kept.contains($0.id ?? 0) }
        return try Self.validated(result, form: form, field: path)
    }

    /// Applies a PUT body to a document holding a form: its `fields` as ``applying(_:to:form:field:)`` says,
    /// the rest as a JSON merge patch.
    static func merged<Document: FormDocument>(_ stored: Document, with patch: JSONValue, form: LiveChatForm) throws -> Document {
        var document = try JSONValue(encoding: stored).merging(patch.removing("fields")).decode(as: Document.self)
        if let fields = patch.object?["fields"] { document.fields = try Self.applying(fields, to: stored.fields ?? [], form: form) }
        return document
    }

    /// The fields a new form starts with.
    static func defaults(_ form: LiveChatForm) -> [LiveChatField] {
        let fields: [LiveChatField] =
            switch form {
            case .preChat:
                [
                    LiveChatField(name: "Name", type: .name, isRequired: true), LiveChatField(name: "Email", type: .email, isRequired: true),
                    LiveChatField(name: "Phone", type: .phone, isVisible: false), LiveChatField(name: "Company", type: .company, isVisible: false),
                    LiveChatField(name: "Department", type: .department, isVisible: false),
                    LiveChatField(name: "Product and Service", type: .product, isVisible: false),
                ]
            case .postChat:
                [LiveChatField(name: "Rating", type: .rating), LiveChatField(name: "Comment", type: .comment)]
            case .offlineMessage:
                [
                    LiveChatField(name: "Name", type: .name, isRequired: true), LiveChatField(name: "Email", type: .email, isRequired: true),
                    LiveChatField(name: "Phone", type: .phone, isVisible: false),
                    LiveChatField(name: "Department", type: .department, isVisible: false),
                    LiveChatField(name: "Subject", type: .subject, isRequired: true),
                    LiveChatField(name: "Content", type: .content, isRequired: true),
                    LiveChatField(name: "Attachment", type: .attachment, isVisible: false),
                ]
            case .agentWrapup:
                [LiveChatField(name: "Category", type: .category, isVisible: false, options: "Sales\nSupport\nBilling\nOther")]
            case .secureForm:
                [
                    LiveChatField(name: "Card Number", type: .cardNumber, isRequired: true),
                    LiveChatField(name: "Expiration Date", type: .expirationDate, isRequired: true),
                    LiveChatField(name: "CSC/CVV", type: .cscOrCvv, isRequired: true),
                    LiveChatField(name: "Name on Card", type: .nameOnCard, isRequired: true),
                ]
            }
        return fields.enumerated().map { index, field in
            var field = field
            field.id = index + 1
            return field
        }
    }
}

/// A settings document or object that holds a form's fields.
protocol FormDocument: Codable {
    var fields: [LiveChatField]? { get set }
}

extension LiveChatPreChat: FormDocument {}
extension LiveChatPostChat: FormDocument {}
extension LiveChatOfflineMessageSettings: FormDocument {}
extension LiveChatSecureForm: FormDocument {}
