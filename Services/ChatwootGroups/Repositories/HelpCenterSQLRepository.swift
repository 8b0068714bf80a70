import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Help-center portals, their categories and articles on SQLite or PostgreSQL, checked as Chatwoot's `Portal`,
/// `Category` and `Article` models check them. Portals are found by slug, as Chatwoot's routes name them.
struct HelpCenterSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let users: UserSQLRepository

    /// Chatwoot's `Portal::DEFAULT_COLOR`, shown when a portal has none.
    static let defaultColor = "#1f93ff"
    /// Chatwoot's article `status` enum, by stored value.
    static let statuses = ["draft", "published", "archived"]

    /// A portal row.
    struct PortalRow: Codable, Sendable {
        var id: Int
        var accountId: Int
        var name: String
        var slug: String
        var customDomain: String?
        var color: String?
        var headerText: String?
        var homepageLink: String?
        var pageTitle: String?
        var archived: Bool
        var config: String
    }

    /// The locales a portal keeps in its `config`.
    struct Locales: Codable, Sendable {
        var allowedLocales: [String]
        var defaultLocale: String

        enum CodingKeys: String, CodingKey {
            case allowedLocales = "allowed_locales"
            case defaultLocale = "default_locale"
        }
    }

    /// What a portal create or update sets; nil leaves a member as it is.
    struct PortalChanges: Sendable {
        var name: String?
        var slug: String?
        var customDomain: String?
        var color: String?
        var headerText: String?
        var homepageLink: String?
        var pageTitle: String?
        var archived: Bool?
        var allowedLocales: [String]?
        var defaultLocale: String?
    }

    /// What a category create sets.
    struct CategoryInput: Sendable {
        var name: String?
        var slug: String?
        var locale: String?
        var description: String?
        var position: Int?
        var icon: String?
        var parentCategoryID: Int?
        var associatedCategoryID: Int?
    }

    /// What an article create sets (`status` already one of ``statuses``' indexes).
    struct ArticleInput: Sendable {
        var title: String?
        var slug: String?
        var content: String?
        var description: String?
        var position: Int?
        var categoryID: Int?
        var authorID: Int?
        var associatedArticleID: Int?
        var status: Int?
        var locale: String?
        var meta: JSONValue?
    }

    // MARK: Portals

    /// The account's portals, oldest first.
    func portals(account: Int) async throws -> [ChatwootPortal] {
        let rows = try await self.database.readStatement { sql in
            try await Self.selectPortals(sql).where("account_id", .equal, account).orderBy("id").all(PortalRow.self)
        }
        return try await self.render(rows)
    }

    /// The account's portal with this slug; another account's (or none) is a 404.
    func portal(slug: String, account: Int) async throws -> PortalRow {
        let row = try await self.database.readStatement { sql in
            try await Self.selectPortals(sql).where("account_id", .equal, account).where("slug", .equal, slug).first(PortalRow.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    func createPortal(account: Int, _ changes: PortalChanges) async throws -> ChatwootPortal {
        let name = try Self.present(changes.name, "name")
        let slug = try Self.present(changes.slug, "slug")
        let color = try Self.validColor(changes.color)
        // Chatwoot keeps the host of a custom domain given as a URL (`parsed_custom_domain`).
        let domain = Self.blankAsNil(changes.customDomain).map { text in
            URL(string: text).flatMap { url in ["http", "https"].contains(url.scheme?.lowercased() ?? "") ? url.host : nil } ?? text
        }
        let locales = Self.locales(allowed: changes.allowedLocales, default: changes.defaultLocale, current: nil)
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            try await Self.requireFree(slug: slug, domain: domain, except: nil, on: tx.sql)
            let row = try await tx.sql.insert(into: "portals")
                .columns(
                    "account_id", "name", "slug", "custom_domain", "color", "header_text", "homepage_link", "page_title", "archived", "config",
                    "created_at", "updated_at"
                )
                .values(
                    account, name, slug, domain, color, changes.headerText, Self.blankAsNil(changes.homepageLink), changes.pageTitle,
                    changes.archived ?? false, try ChatwootRows.text(encoding: locales), now, now
                )
                .returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return try await self.rendered(id)
    }

    func updatePortal(_ current: PortalRow, _ changes: PortalChanges) async throws -> ChatwootPortal {
        let name = try changes.name.map { try Self.present($0, "name") } ?? current.name
        let slug = try changes.slug.map { try Self.present($0, "slug") } ?? current.slug
        let color = try changes.color.map { try Self.validColor($0) } ?? current.color
        let domain = changes.customDomain.map { Self.blankAsNil($0) } ?? current.customDomain
        let stored = try? ChatwootRows.decode(Locales.self, current.config)
        let locales = Self.locales(allowed: changes.allowedLocales, default: changes.defaultLocale, current: stored)
        try await self.database.transaction { tx in
            try await Self.requireFree(slug: slug, domain: domain, except: current.id, on: tx.sql)
            try await tx.sql.update("portals").set("name", to: name).set("slug", to: slug).set("custom_domain", to: domain)
                .set("color", to: color).set("header_text", to: changes.headerText ?? current.headerText)
                .set("homepage_link", to: changes.homepageLink.map { Self.blankAsNil($0) } ?? current.homepageLink)
                .set("page_title", to: changes.pageTitle ?? current.pageTitle).set("archived", to: changes.archived ?? current.archived)
                .set("config", to: try ChatwootRows.text(encoding: locales)).set("updated_at", to: self.clock.milliseconds())
                .where("id", .equal, current.id).run()
        }
        return try await self.rendered(current.id)
    }

    // MARK: Categories

    func createCategory(_ portal: PortalRow, _ input: CategoryInput) async throws -> ChatwootCategory {
        let name = try Self.present(input.name, "name")
        let slug = try Self.present(input.slug, "slug")
        let locale = Self.blankAsNil(input.locale) ?? "en"
        let allowed = Self.locales(of: portal).allowedLocales
        guard allowed.contains(locale) else {
            let list = "[" + allowed.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
            throw ServiceError(.unprocessableContent, message: "Locale \(locale) of category is not part of portal's \(list).", field: "locale")
        }
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            for (id, field) in [(input.parentCategoryID, "parent_category_id"), (input.associatedCategoryID, "associated_category_id")] {
                guard let id else { continue }
                if try await tx.sql.select().column("id").from("portal_categories").where("id", .equal, id).where("portal_id", .equal, portal.id)
                    .first(IDRow.self) == nil
                {
                    let label = field == "parent_category_id" ? "Parent category" : "Associated category"
                    throw ServiceError(.unprocessableContent, message: "\(label) must exist", field: field)
                }
            }
            if try await tx.sql.select().column("id").from("portal_categories").where("portal_id", .equal, portal.id).where("slug", .equal, slug)
                .where("locale", .equal, locale).first(IDRow.self) != nil
            {
                throw ServiceError(.unprocessableContent, message: "Locale should be unique in the category and portal", field: "locale")
            }
            let row = try await tx.sql.insert(into: "portal_categories")
                .columns(
                    "account_id", "portal_id", "name", "slug", "locale", "description", "position", "icon", "parent_category_id",
                    "associated_category_id", "created_at", "updated_at"
                )
                .values(
                    portal.accountId, portal.id, name, slug, locale, input.description, input.position, input.icon, input.parentCategoryID,
                    input.associatedCategoryID, now, now
                )
                .returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return try await self.category(id)
    }

    /// A category with the categories it names.
    func category(_ id: Int) async throws -> ChatwootCategory {
        try await self.database.read { tx in
            guard
                let row = try await tx.sql.select().columns(Self.categoryColumns).from("portal_categories").where("id", .equal, id)
                    .first(CategoryRow.self)
            else { throw ChatwootRows.notFound }
            let named = [row.parentCategoryId, row.associatedCategoryId].compactMap { $0 }
            let references =
                named.isEmpty
                ? [:]
                : Dictionary(
                    uniqueKeysWithValues: try await tx.sql.select().columns(Self.categoryColumns).from("portal_categories")
                        .where("id", .in, named).all(CategoryRow.self).map {
                            ($0.id, ChatwootCategoryReference(id: $0.id, name: $0.name, slug: $0.slug, locale: $0.locale))
                        })
            return ChatwootCategory(
                id: row.id, name: row.name, slug: row.slug, locale: row.locale, description: row.description, position: row.position, icon: row.icon,
                portalId: row.portalId, accountId: row.accountId, parentCategory: row.parentCategoryId.flatMap { references[$0] },
                rootCategory: row.associatedCategoryId.flatMap { references[$0] })
        }
    }

    // MARK: Articles

    func createArticle(_ portal: PortalRow, _ input: ArticleInput) async throws -> ChatwootArticle {
        let title = try Self.present(input.title, "title")
        guard let author = input.authorID else { throw ServiceError(.unprocessableContent, message: "Author must exist", field: "author_id") }
        guard try await !self.users.memberIDs(account: portal.accountId, among: [author]).isEmpty else {
            throw ServiceError(.unprocessableContent, message: "Author must exist", field: "author_id")
        }
        let meta = try ChatwootRows.object(input.meta, field: "meta") ?? .object([:])
        let now = self.clock.milliseconds()
        // Chatwoot's `ensure_article_slug`: the time and the parameterized title when no slug is given.
        let slug = Self.blankAsNil(input.slug) ?? "\(now / 1000)-\(Self.parameterize(title))"
        let id = try await self.database.transaction { tx in
            var locale = Self.blankAsNil(input.locale) ?? Self.locales(of: portal).defaultLocale
            if let category = input.categoryID {
                guard
                    let row = try await tx.sql.select().columns(Self.categoryColumns).from("portal_categories").where("id", .equal, category)
                        .where("portal_id", .equal, portal.id).first(CategoryRow.self)
                else { throw ServiceError(.unprocessableContent, message: "Category must exist", field: "category_id") }
                // An article takes its category's locale (Chatwoot's `ensure_locale_in_article`).
                locale = row.locale
            }
            var associated: Int?
            if let id = input.associatedArticleID {
                guard
                    let row = try await tx.sql.select().columns("id", "associated_article_id").from("portal_articles").where("id", .equal, id)
                        .where("portal_id", .equal, portal.id).first(AssociationRow.self)
                else { throw ServiceError(.unprocessableContent, message: "Associated article must exist", field: "associated_article_id") }
                // Always the root article, so associations stay one level deep (`find_root_article_id`).
                associated = row.associatedArticleId ?? row.id
            }
            if try await tx.sql.select().column("id").from("portal_articles").where("slug", .equal, slug).first(IDRow.self) != nil {
                throw ServiceError(.unprocessableContent, message: "Slug has already been taken", field: "slug")
            }
            let row = try await tx.sql.insert(into: "portal_articles")
                .columns(
                    "account_id", "portal_id", "category_id", "author_id", "associated_article_id", "title", "slug", "content", "description",
                    "status", "position", "locale", "meta", "views", "created_at", "updated_at"
                )
                .values(
                    portal.accountId, portal.id, input.categoryID, author, associated, title, slug, input.content, input.description,
                    input.status ?? 0, input.position, locale, try ChatwootRows.text(meta), 0, now, now
                )
                .returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return try await self.article(id)
    }

    /// An article with its category and author.
    func article(_ id: Int) async throws -> ChatwootArticle {
        let (row, category) = try await self.database.read { tx in
            guard
                let row = try await tx.sql.select().columns(Self.articleColumns).from("portal_articles").where("id", .equal, id)
                    .first(ArticleRow.self)
            else { throw ChatwootRows.notFound }
            var category: CategoryRow?
            if let id = row.categoryId {
                category = try await tx.sql.select().columns(Self.categoryColumns).from("portal_categories").where("id", .equal, id)
                    .first(CategoryRow.self)
            }
            return (row, category)
        }
        let author = try await self.users.agents(account: row.accountId, ids: [row.authorId]).first
        return ChatwootArticle(
            id: row.id, slug: row.slug, title: row.title, content: row.content, description: row.description,
            status: Self.statuses.indices.contains(row.status) ? Self.statuses[row.status] : "draft", position: row.position, locale: row.locale,
            accountId: row.accountId, portalId: row.portalId, authorId: row.authorId, associatedArticleId: row.associatedArticleId,
            updatedAt: row.updatedAt / 1000, meta: ChatwootRows.json(row.meta),
            category: .init(id: category?.id, name: category?.name, slug: category?.slug, locale: category?.locale), views: row.views, author: author)
    }

    // MARK: Rendering

    private func rendered(_ id: Int) async throws -> ChatwootPortal {
        let rows = try await self.database.readStatement { sql in
            try await Self.selectPortals(sql).where("id", .equal, id).all(PortalRow.self)
        }
        guard let portal = try await self.render(rows).first else { throw ChatwootRows.notFound }
        return portal
    }

    /// Portals as Chatwoot's `_portal` partial shows them, with their counts (per locale and in all) counted in SQL.
    func render(_ rows: [PortalRow]) async throws -> [ChatwootPortal] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        let (articles, categories) = try await self.database.read { tx in
            let articles = try await tx.sql.select().columns("portal_id", "locale", "status")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("portal_articles").where("portal_id", .in, ids)
                .groupBy("portal_id").groupBy("locale").groupBy("status").all(ArticleCountRow.self)
            let categories = try await tx.sql.select().columns("portal_id", "locale")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("portal_categories").where("portal_id", .in, ids)
                .groupBy("portal_id").groupBy("locale").all(CategoryCountRow.self)
            return (articles, categories)
        }
        return rows.map { row in
            let locales = Self.locales(of: row)
            let own = articles.filter { $0.portalId == row.id }
            let ownCategories = categories.filter { $0.portalId == row.id }
            func articleCount(status: Int? = nil, locale: String? = nil) -> Int {
                own.filter { (status == nil || $0.status == status) && (locale == nil || $0.locale == locale) }.reduce(0) { $0 + Int($1.count) }
            }
            return ChatwootPortal(
                id: row.id, color: Self.blankAsNil(row.color) ?? Self.defaultColor, customDomain: row.customDomain, headerText: row.headerText,
                homepageLink: row.homepageLink, name: row.name, pageTitle: row.pageTitle, slug: row.slug, archived: row.archived,
                accountId: row.accountId,
                config: .init(
                    allowedLocales: locales.allowedLocales.map { code in
                        .init(
                            code: code, articlesCount: articleCount(locale: code),
                            categoriesCount: ownCategories.filter { $0.locale == code }.reduce(0) { $0 + Int($1.count) })
                    }, defaultLocale: locales.defaultLocale),
                meta: .init(
                    allArticlesCount: articleCount(), archivedArticlesCount: articleCount(status: 2), publishedCount: articleCount(status: 1),
                    draftArticlesCount: articleCount(status: 0), categoriesCount: ownCategories.reduce(0) { $0 + Int($1.count) },
                    defaultLocale: locales.defaultLocale))
        }
    }

    // MARK: Rules

    /// A portal's locales as Chatwoot's `normalize_config` leaves them: the allowed ones without blanks or repeats
    /// (else the default, else `en`), the default the given one, else the first allowed.
    static func locales(allowed: [String]?, default given: String?, current: Locales?) -> Locales {
        var seen: Set<String> = []
        let list = (allowed ?? current?.allowedLocales ?? []).filter { !$0.isEmpty && seen.insert($0).inserted }
        let defaultLocale = blankAsNil(given) ?? current?.defaultLocale ?? list.first ?? "en"
        return Locales(allowedLocales: list.isEmpty ? [defaultLocale] : list, defaultLocale: defaultLocale)
    }

    static func locales(of row: PortalRow) -> Locales {
        (try? ChatwootRows.decode(Locales.self, row.config)) ?? Locales(allowedLocales: ["en"], defaultLocale: "en")
    }

    /// Rails' `parameterize` of `underscore`: lower case, runs of anything but letters, digits, `_` and `-` as one `-`.
    static func parameterize(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "-" {
                out.append(character)
            } else if !out.hasSuffix("-") {
                out.append("-")
            }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    private static func present(_ text: String?, _ field: String) throws -> String {
        guard let text = blankAsNil(text) else { throw ChatwootRows.blank(field) }
        return text
    }

    static func blankAsNil(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }

    /// Chatwoot's color format: `#` and 3 or 6 hex digits; blank allowed.
    private static func validColor(_ text: String?) throws -> String? {
        guard let text = blankAsNil(text) else { return nil }
        let digits = text.dropFirst()
        guard text.hasPrefix("#"), digits.count == 3 || digits.count == 6, digits.allSatisfy(\.isHexDigit) else {
            throw ServiceError(.unprocessableContent, message: "Color is invalid", field: "color")
        }
        return text
    }

    /// Slugs and custom domains are unique across accounts (Chatwoot's unique indexes).
    private static func requireFree(slug: String, domain: String?, except id: Int?, on sql: any SQLDatabase) async throws {
        let taken = sql.select().column("id").from("portals").where("slug", .equal, slug)
        if let id { taken.where("id", .notEqual, id) }
        if try await taken.first(IDRow.self) != nil {
            throw ServiceError(.unprocessableContent, message: "Slug has already been taken", field: "slug")
        }
        guard let domain else { return }
        let used = sql.select().column("id").from("portals").where("custom_domain", .equal, domain)
        if let id { used.where("id", .notEqual, id) }
        if try await used.first(IDRow.self) != nil {
            throw ServiceError(.unprocessableContent, message: "Custom domain has already been taken", field: "custom_domain")
        }
    }

    // MARK: Rows

    private static func selectPortals(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select()
            .columns(
                "id", "account_id", "name", "slug", "custom_domain", "color", "header_text", "homepage_link", "page_title", "archived", "config"
            )
            .from("portals")
    }

    private static let categoryColumns = [
        "id", "account_id", "portal_id", "name", "slug", "locale", "description", "position", "icon", "parent_category_id", "associated_category_id",
    ]

    private static let articleColumns = [
        "id", "account_id", "portal_id", "category_id", "author_id", "associated_article_id", "title", "slug", "content", "description", "status",
        "position", "locale", "meta", "views", "updated_at",
    ]

    private struct CategoryRow: Codable {
        var id: Int
        var accountId: Int
        var portalId: Int
        var name: String
        var slug: String
        var locale: String
        var description: String?
        var position: Int?
        var icon: String?
        var parentCategoryId: Int?
        var associatedCategoryId: Int?
    }

    private struct ArticleRow: Codable {
        var id: Int
        var accountId: Int
        var portalId: Int
        var categoryId: Int?
        var authorId: Int
        var associatedArticleId: Int?
        var title: String
        var slug: String
        var content: String?
        var description: String?
        var status: Int
        var position: Int?
        var locale: String
        var meta: String
        var views: Int
        var updatedAt: Int64
    }

    private struct AssociationRow: Codable {
        var id: Int
        var associatedArticleId: Int?
    }

    private struct ArticleCountRow: Codable {
        var portalId: Int
        var locale: String
        var status: Int
        var count: Int64
    }

    private struct CategoryCountRow: Codable {
        var portalId: Int
        var locale: String
        var count: Int64
    }
}

extension ChatwootRows {
    /// A JSON number as Rails would echo it in a message: whole numbers without a fraction.
    static func text(number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
