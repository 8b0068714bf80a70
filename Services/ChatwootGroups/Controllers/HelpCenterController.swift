import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension ChatwootPortal: ResponseEncodable {}
extension ChatwootPortalList: ResponseEncodable {}
extension ChatwootCategoryEnvelope: ResponseEncodable {}
extension ChatwootArticleEnvelope: ResponseEncodable {}

/// Help center (`/api/v1/accounts/{account_id}/portals`): every member lists portals and writes articles;
/// administrators create and change portals and categories (Chatwoot's `PortalPolicy`, `CategoryPolicy`, `ArticlePolicy`).
/// `{id}` is the portal's slug, as Chatwoot's routes have it.
struct HelpCenterController {
    let access: ChatwootAccess
    let helpCenter: HelpCenterSQLRepository

    /// `portal_create_update_payload`, flat as the swagger gives it or wrapped in `portal` as Chatwoot's dashboard sends it.
    struct PortalInput: Codable, Sendable {
        /// The locales a portal offers.
        struct Config: Codable, Sendable {
            var allowedLocales: [String]?
            var defaultLocale: String?

            enum CodingKeys: String, CodingKey {
                case allowedLocales = "allowed_locales"
                case defaultLocale = "default_locale"
            }
        }

        /// The members of the body, at the top or under `portal`.
        struct Fields: Codable, Sendable {
            var name: String?
            var slug: String?
            var customDomain: String?
            var color: String?
            var headerText: String?
            var homepageLink: String?
            var pageTitle: String?
            var archived: Bool?
            var config: Config?

            enum CodingKeys: String, CodingKey {
                case name, slug, color, archived, config
                case customDomain = "custom_domain"
                case headerText = "header_text"
                case homepageLink = "homepage_link"
                case pageTitle = "page_title"
            }
        }

        var portal: Fields?
        var name: String?
        var slug: String?
        var customDomain: String?
        var color: String?
        var headerText: String?
        var homepageLink: String?
        var pageTitle: String?
        var archived: Bool?
        var config: Config?

        enum CodingKeys: String, CodingKey {
            case portal, name, slug, color, archived, config
            case customDomain = "custom_domain"
            case headerText = "header_text"
            case homepageLink = "homepage_link"
            case pageTitle = "page_title"
        }

        var changes: HelpCenterSQLRepository.PortalChanges {
            let config = self.portal?.config ?? self.config
            return HelpCenterSQLRepository.PortalChanges(
                name: self.portal?.name ?? self.name, slug: self.portal?.slug ?? self.slug,
                customDomain: self.portal?.customDomain ?? self.customDomain, color: self.portal?.color ?? self.color,
                headerText: self.portal?.headerText ?? self.headerText, homepageLink: self.portal?.homepageLink ?? self.homepageLink,
                pageTitle: self.portal?.pageTitle ?? self.pageTitle, archived: self.portal?.archived ?? self.archived,
                allowedLocales: config?.allowedLocales, defaultLocale: config?.defaultLocale)
        }
    }

    /// `category_create_update_payload`, flat or wrapped in `category`.
    struct CategoryInput: Codable, Sendable {
        /// The members of the body, at the top or under `category`.
        struct Fields: Codable, Sendable {
            var name: String?
            var description: String?
            var position: Int?
            var slug: String?
            var locale: String?
            var icon: String?
            var parentCategoryId: Int?
            var associatedCategoryId: Int?

            enum CodingKeys: String, CodingKey {
                case name, description, position, slug, locale, icon
                case parentCategoryId = "parent_category_id"
                case associatedCategoryId = "associated_category_id"
            }
        }

        var category: Fields?
        var name: String?
        var description: String?
        var position: Int?
        var slug: String?
        var locale: String?
        var icon: String?
        var parentCategoryId: Int?
        var associatedCategoryId: Int?

        enum CodingKeys: String, CodingKey {
            case category, name, description, position, slug, locale, icon
            case parentCategoryId = "parent_category_id"
            case associatedCategoryId = "associated_category_id"
        }

        var input: HelpCenterSQLRepository.CategoryInput {
            HelpCenterSQLRepository.CategoryInput(
                name: self.category?.name ?? self.name, slug: self.category?.slug ?? self.slug, locale: self.category?.locale ?? self.locale,
                description: self.category?.description ?? self.description, position: self.category?.position ?? self.position,
                icon: self.category?.icon ?? self.icon, parentCategoryID: self.category?.parentCategoryId ?? self.parentCategoryId,
                associatedCategoryID: self.category?.associatedCategoryId ?? self.associatedCategoryId)
        }
    }

    /// `article_create_update_payload`, flat or wrapped in `article`; `status` 0/1/2 or its name.
    struct ArticleInput: Codable, Sendable {
        /// The members of the body, at the top or under `article`.
        struct Fields: Codable, Sendable {
            var title: String?
            var slug: String?
            var position: Int?
            var content: String?
            var description: String?
            var categoryId: Int?
            var authorId: Int?
            var associatedArticleId: Int?
            var status: JSONValue?
            var locale: String?
            var meta: JSONValue?

            enum CodingKeys: String, CodingKey {
                case title, slug, position, content, description, status, locale, meta
                case categoryId = "category_id"
                case authorId = "author_id"
                case associatedArticleId = "associated_article_id"
            }
        }

        var article: Fields?
        var title: String?
        var slug: String?
        var position: Int?
        var content: String?
        var description: String?
        var categoryId: Int?
        var authorId: Int?
        var associatedArticleId: Int?
        var status: JSONValue?
        var locale: String?
        var meta: JSONValue?

        enum CodingKeys: String, CodingKey {
            case article, title, slug, position, content, description, status, locale, meta
            case categoryId = "category_id"
            case authorId = "author_id"
            case associatedArticleId = "associated_article_id"
        }

        func input() throws -> HelpCenterSQLRepository.ArticleInput {
            HelpCenterSQLRepository.ArticleInput(
                title: self.article?.title ?? self.title, slug: self.article?.slug ?? self.slug, content: self.article?.content ?? self.content,
                description: self.article?.description ?? self.description, position: self.article?.position ?? self.position,
                categoryID: self.article?.categoryId ?? self.categoryId, authorID: self.article?.authorId ?? self.authorId,
                associatedArticleID: self.article?.associatedArticleId ?? self.associatedArticleId,
                status: try Self.status(self.article?.status ?? self.status), locale: self.article?.locale ?? self.locale,
                meta: self.article?.meta ?? self.meta)
        }

        /// Chatwoot's article `status` enum by number (0 draft, 1 published, 2 archived) or name; else Rails' 422.
        static func status(_ value: JSONValue?) throws -> Int? {
            let statuses = HelpCenterSQLRepository.statuses
            switch value {
            case nil, .null: return nil
            case .number(let number) where [0, 1, 2].contains(number): return Int(number)
            case .string(let name) where statuses.contains(name): return statuses.firstIndex(of: name)
            case .number(let number): throw Self.invalidStatus(ChatwootRows.text(number: number))
            case .string(let text): throw Self.invalidStatus(text)
            default: throw ServiceError(.badRequest, message: "status must be 0, 1 or 2", field: "status")
            }
        }

        private static func invalidStatus(_ text: String) -> ServiceError {
            ServiceError(.unprocessableContent, message: "'\(text)' is not a valid status", field: "status")
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Help Center")
            .post(
                "/{account_id}/portals", "Add a new portal", body: PortalInput.self, returns: ChatwootPortal.self, errors: [422: "Invalid"],
                use: self.create
            )
            .get("/{account_id}/portals", "List all portals in an account", returns: ChatwootPortalList.self, use: self.list)
            .patch(
                "/{account_id}/portals/{id}", "Update a portal", body: PortalInput.self, returns: ChatwootPortal.self, errors: [422: "Invalid"],
                use: self.update
            )
            .post(
                "/{account_id}/portals/{id}/categories", "Add a new category", body: CategoryInput.self, returns: ChatwootCategoryEnvelope.self,
                errors: [422: "Invalid"], use: self.createCategory
            )
            .post(
                "/{account_id}/portals/{id}/articles", "Add a new article", body: ArticleInput.self, returns: ChatwootArticleEnvelope.self,
                errors: [422: "Invalid"], use: self.createArticle
            )
    }

    /// The account's portals with their counts.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootPortalList {
        let caller = try await self.access.member(context)
        let portals = try await self.helpCenter.portals(account: caller.accountID)
        let page = request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1
        return ChatwootPortalList(payload: portals, meta: .init(currentPage: page, portalsCount: portals.count))
    }

    /// Creates a portal (Chatwoot answers the portal itself, not the swagger's `payload` list).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: PortalInput) async throws -> ChatwootPortal {
        let caller = try await self.access.administrator(context)
        return try await self.helpCenter.createPortal(account: caller.accountID, input.changes)
    }

    /// Changes a portal found by its slug.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: PortalInput) async throws -> ChatwootPortal {
        let caller = try await self.access.administrator(context)
        let portal = try await self.helpCenter.portal(slug: try Self.slug(context), account: caller.accountID)
        return try await self.helpCenter.updatePortal(portal, input.changes)
    }

    /// Adds a category to a portal.
    @Sendable func createCategory(_ request: Request, context: AuthenticatedContext, input: CategoryInput) async throws -> ChatwootCategoryEnvelope {
        let caller = try await self.access.administrator(context)
        let portal = try await self.helpCenter.portal(slug: try Self.slug(context), account: caller.accountID)
        return ChatwootCategoryEnvelope(payload: try await self.helpCenter.createCategory(portal, input.input))
    }

    /// Adds an article (a draft unless `status` says otherwise) to a portal.
    @Sendable func createArticle(_ request: Request, context: AuthenticatedContext, input: ArticleInput) async throws -> ChatwootArticleEnvelope {
        let caller = try await self.access.member(context)
        let portal = try await self.helpCenter.portal(slug: try Self.slug(context), account: caller.accountID)
        return ChatwootArticleEnvelope(payload: try await self.helpCenter.createArticle(portal, try input.input()))
    }

    /// The portal slug of the path.
    private static func slug(_ context: AuthenticatedContext) throws -> String {
        guard let slug = context.parameters.get("id"), !slug.isEmpty else { throw ChatwootRows.notFound }
        return slug
    }
}
