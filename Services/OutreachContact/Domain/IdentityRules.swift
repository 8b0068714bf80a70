import Foundation
import ServiceKit
import WireModels

/// What makes an identity valid and what makes two identities the same (spec §5.9, decision 126).
enum IdentityRules {
    static let maxLength = 256

    /// The identity type a client named, in the seed's spelling; 400 naming `member` when it is not one.
    static func type(_ spelling: String?, member: String) throws -> Comm100IdentityType {
        guard let spelling, !spelling.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing(member) }
        guard let type = Comm100IdentityType(spelling: spelling) else {
            throw ServiceError.invalid(
                member,
                "Field '\(member)' must be one of \(Comm100IdentityType.allCases.map(\.rawValue).joined(separator: ", ")), not '\(FieldValues.shortened(spelling))'."
            )
        }
        return type
    }

    /// The value, trimmed, checked for its type: an email address for `email`, a phone number (digits with an optional
    /// `+`, spaces, dashes, dots and parentheses; not strict E.164, spec §6 #66) for `SMS` and `whatsApp`.
    static func value(_ raw: String?, type: Comm100IdentityType, member: String) throws -> String {
        let value = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ServiceError.missing(member) }
        guard value.count <= Self.maxLength, value.utf8.count <= 4 * Self.maxLength else {
            throw ServiceError.invalid(member, "Field '\(member)' is longer than \(Self.maxLength) characters.")
        }
        switch type {
        case .email:
            guard FieldValues.isEmail(value) else {
                throw ServiceError.invalid(member, "Field '\(member)' must be an email address, not '\(FieldValues.shortened(value))'.")
            }
        case .SMS, .whatsApp:
            guard self.phoneDigits(value).wholeMatch(of: /\+?\d{3,20}/) != nil else {
                throw ServiceError.invalid(member, "Field '\(member)' must be a phone number, not '\(FieldValues.shortened(value))'.")
            }
        default: break
        }
        return value
    }

    /// What uniqueness and `:identify` compare: lower-cased, and for phone numbers without separators.
    static func key(_ value: String, type: Comm100IdentityType) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        switch type {
        case .SMS, .whatsApp: return self.phoneDigits(trimmed)
        default: return trimmed
        }
    }

    static func phoneDigits(_ value: String) -> String {
        value.filter { !" -.()".contains($0) }
    }
}
