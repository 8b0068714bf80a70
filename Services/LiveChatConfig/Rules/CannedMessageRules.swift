import ServiceKit
import WireModels

extension LiveChatCannedMessage: LiveChatObject {}
extension LiveChatCannedMessageCategory: LiveChatObject {}

/// The permission the seed spells `Manage Pulbic Canned Messages`; both spellings are honoured.
enum CannedMessagePermission {
    static let name = "Manage Public Canned Messages"
    static let seedSpelling = "Manage Pulbic Canned Messages"
}

/// `/cannedMessages`: public messages need the permission; a private one belongs to the agent who made it.
struct CannedMessageRules: ItemRules {
    static let kind = "cannedMessage"
    let title = "Canned message"
    let permission: String? = CannedMessagePermission.name
    let store: ConfigurationSQLRepository

    let hasPrivateItems = true
    func isPrivate(_ item: LiveChatCannedMessage) -> Bool { item.isPrivate == true }

    func validated(
        _ item: LiveChatCannedMessage, previous: LiveChatCannedMessage?, in request: ConfigurationRequest
    ) async throws -> LiveChatCannedMessage {
        var message = item
        message.name = try Validation.name(message.name)
        _ = try Validation.required(message.message, "message")
        message.categoryId = message.categoryId ?? 0
        message.isPrivate = message.isPrivate ?? false
        message.shortcuts = message.shortcuts ?? ""
        if let previous, previous.isPrivate != message.isPrivate {
            throw Validation.invalid("isPrivate", "A canned message cannot move between private and public.")
        }
        if message.categoryId != 0,
            try await !self.store.contains(id: message.categoryId!, in: request.scope(CannedMessageCategoryRules.kind))
        {
            throw Validation.invalid("categoryId", "Category \(message.categoryId!) does not exist.")
        }
        return message
    }
}

/// `/cannedMessageCategories`: a tree through `parentId` (0: the root), without cycles. Deleting one deletes
/// its sub-categories and moves their messages to the root.
struct CannedMessageCategoryRules: ItemRules {
    static let kind = "cannedMessageCategory"
    let title = "Canned message category"
    let permission: String? = CannedMessagePermission.name
    let store: ConfigurationSQLRepository

    let hasPrivateItems = true
    func isPrivate(_ item: LiveChatCannedMessageCategory) -> Bool { item.isPrivate == true }

    func validated(
        _ item: LiveChatCannedMessageCategory, previous: LiveChatCannedMessageCategory?, in request: ConfigurationRequest
    ) async throws -> LiveChatCannedMessageCategory {
        var category = item
        category.name = try Validation.name(category.name)
        let parent = try Validation.required(category.parentId, "parentId")
        _ = try Validation.required(category.isPrivate, "isPrivate")
        guard parent != 0 else { return category }
        let categories = try await self.categories(in: request)
        guard categories[parent] != nil else { throw Validation.invalid("parentId", "Category \(parent) does not exist.") }
        // Walking up from the new parent must never reach the category itself.
        var ancestor: Int? = parent
        var seen = Set<Int>()
        while let current = ancestor, current != 0, seen.insert(current).inserted {
            if current == category.id { throw Validation.invalid("parentId", "A category cannot be inside itself.") }
            ancestor = categories[current]?.parentId
        }
        return category
    }

    func willDelete(_ item: LiveChatCannedMessageCategory, in request: ConfigurationRequest) async throws {
        let categories = try await self.categories(in: request)
        var doomed: Set<Int> = [item.id ?? 0]
        var grew = true
        while grew {
            let children = categories.values.filter { doomed.contains($0.parentId ?? 0) }.compactMap(\.id)
            grew = !Set(children).isSubset(of: doomed)
            doomed.formUnion(children)
        }
        for id in doomed where id != item.id { _ = try await self.store.delete(id: id, in: request.scope(Self.kind)) }
        for var message in try await self.store.items(LiveChatCannedMessage.self, in: request.scope(CannedMessageRules.kind))
        where doomed.contains(message.categoryId ?? 0) {
            message.categoryId = 0
            _ = try await self.store.update(message, nameKey: nil, in: request.scope(CannedMessageRules.kind))
        }
    }

    func categories(in request: ConfigurationRequest) async throws -> [Int: LiveChatCannedMessageCategory] {
        Dictionary(
            uniqueKeysWithValues: try await self.store.items(LiveChatCannedMessageCategory.self, in: request.scope(Self.kind)).map {
                ($0.id ?? 0, $0)
            })
    }
}
