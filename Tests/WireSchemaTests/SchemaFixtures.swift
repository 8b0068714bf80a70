import Foundation
import WireSchema

// Fixtures for the shapes WireModels does not have (yet): recursion, snake_case with Foundation leaves, and failures.

/// A recursive type: a department tree (children by array, a dictionary of the same).
struct DepartmentNode: Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var children: [DepartmentNode]
    /// `[String: T]` with a recursive value.
    var byName: [String: DepartmentNode]?
}

/// Recursion through an optional (a class can hold itself).
final class Comment: Codable, Sendable {
    let text: String
    let replyTo: Comment?
    init(text: String, replyTo: Comment?) {
        self.text = text
        self.replyTo = replyTo
    }
}

/// Foundation leaves and a dictionary, as a Chatwoot-like wire type written with camelCase names (encoder: snake_case).
struct ChatwootContact: Codable, Sendable, Equatable {
    var id: UUID
    var createdAt: Date
    var avatarURL: URL?
    var customAttributes: [String: String]
    var additionalAttributes: [String: JSONValue]?
    var lastActivityAt: Date?
}

/// A non-optional recursion (a class), which no walk can build.
final class Chain: Codable, Sendable {
    let next: Chain
    init(next: Chain) { self.next = next }
}

/// A string enum that did not opt in.
enum Mood: String, Codable, CaseIterable { case happy, sad }
struct Feeling: Codable { var mood: Mood }
