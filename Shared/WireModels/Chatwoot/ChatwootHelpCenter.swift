/// A help-center portal as Chatwoot's `portals/_portal` partial renders it (swagger `portal_item`): `config` lists the
/// allowed locales with their counts, `meta` the portal's article and category counts.
public struct ChatwootPortal: Codable, Sendable, Equatable {
    /// One allowed locale with what it holds (Chatwoot's `_portal_config` partial).
    public struct Locale: Codable, Sendable, Equatable {
        public var code: String
        public var articlesCount: Int
        public var categoriesCount: Int

        public init(code: String, articlesCount: Int, categoriesCount: Int) {
            self.code = code
            self.articlesCount = articlesCount
            self.categoriesCount = categoriesCount
        }

        enum CodingKeys: String, CodingKey {
            case code
            case articlesCount = "articles_count"
            case categoriesCount = "categories_count"
        }
    }

    /// The portal's locales.
    public struct Config: Codable, Sendable, Equatable {
        public var allowedLocales: [Locale]
        public var defaultLocale: String

        public init(allowedLocales: [Locale], defaultLocale: String) {
            self.allowedLocales = allowedLocales
            self.defaultLocale = defaultLocale
        }

        enum CodingKeys: String, CodingKey {
            case allowedLocales = "allowed_locales"
            case defaultLocale = "default_locale"
        }
    }

    /// Article and category counts (swagger `portal_meta`).
    public struct Meta: Codable, Sendable, Equatable {
        public var allArticlesCount: Int
        public var archivedArticlesCount: Int
        public var publishedCount: Int
        public var draftArticlesCount: Int
        public var categoriesCount: Int
        public var defaultLocale: String

        public init(
            allArticlesCount: Int, archivedArticlesCount: Int, publishedCount: Int, draftArticlesCount: Int, categoriesCount: Int,
            defaultLocale: String
        ) {
            self.allArticlesCount = allArticlesCount
            self.archivedArticlesCount = archivedArticlesCount
            self.publishedCount = publishedCount
            self.draftArticlesCount = draftArticlesCount
            self.categoriesCount = categoriesCount
            self.defaultLocale = defaultLocale
        }

        enum CodingKeys: String, CodingKey {
            case allArticlesCount = "all_articles_count"
            case archivedArticlesCount = "archived_articles_count"
            case publishedCount = "published_count"
            case draftArticlesCount = "draft_articles_count"
            case categoriesCount = "categories_count"
            case defaultLocale = "default_locale"
        }
    }

    public var id: Int
    public var color: String
    public var customDomain: String?
    public var headerText: String?
    public var homepageLink: String?
    public var name: String
    public var pageTitle: String?
    public var slug: String
    public var archived: Bool
    public var accountId: Int
    public var config: Config
    public var meta: Meta

    public init(
        id: Int, color: String, customDomain: String?, headerText: String?, homepageLink: String?, name: String, pageTitle: String?, slug: String,
        archived: Bool, accountId: Int, config: Config, meta: Meta
    ) {
        self.id = id
        self.color = color
        self.customDomain = customDomain
        self.headerText = headerText
        self.homepageLink = homepageLink
        self.name = name
        self.pageTitle = pageTitle
        self.slug = slug
        self.archived = archived
        self.accountId = accountId
        self.config = config
        self.meta = meta
    }

    enum CodingKeys: String, CodingKey {
        case id, color, name, slug, archived, config, meta
        case customDomain = "custom_domain"
        case headerText = "header_text"
        case homepageLink = "homepage_link"
        case pageTitle = "page_title"
        case accountId = "account_id"
    }
}

/// `GET /portals` as Chatwoot answers it: `{"payload": [...], "meta": {"current_page", "portals_count"}}`.
public struct ChatwootPortalList: Codable, Sendable, Equatable {
    /// The page and how many portals there are.
    public struct Meta: Codable, Sendable, Equatable {
        public var currentPage: Int
        public var portalsCount: Int

        public init(currentPage: Int, portalsCount: Int) {
            self.currentPage = currentPage
            self.portalsCount = portalsCount
        }

        enum CodingKeys: String, CodingKey {
            case currentPage = "current_page"
            case portalsCount = "portals_count"
        }
    }

    public var payload: [ChatwootPortal]
    public var meta: Meta

    public init(payload: [ChatwootPortal], meta: Meta) {
        self.payload = payload
        self.meta = meta
    }
}

/// A category as another category shows it (Chatwoot's `_associated_category` partial).
public struct ChatwootCategoryReference: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var slug: String
    public var locale: String

    public init(id: Int, name: String, slug: String, locale: String) {
        self.id = id
        self.name = name
        self.slug = slug
        self.locale = locale
    }
}

/// A help-center category (swagger `category`, Chatwoot's `categories/_category` partial).
public struct ChatwootCategory: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var slug: String
    public var locale: String
    public var description: String?
    public var position: Int?
    public var icon: String?
    public var portalId: Int
    public var accountId: Int
    public var parentCategoryId: Int?
    public var associatedCategoryId: Int?
    public var parentCategory: ChatwootCategoryReference?
    public var rootCategory: ChatwootCategoryReference?
    public var relatedCategories: [ChatwootCategoryReference]

    public init(
        id: Int, name: String, slug: String, locale: String, description: String?, position: Int?, icon: String?, portalId: Int, accountId: Int,
        parentCategory: ChatwootCategoryReference?, rootCategory: ChatwootCategoryReference?
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.locale = locale
        self.description = description
        self.position = position
        self.icon = icon
        self.portalId = portalId
        self.accountId = accountId
        self.parentCategoryId = parentCategory?.id
        self.associatedCategoryId = rootCategory?.id
        self.parentCategory = parentCategory
        self.rootCategory = rootCategory
        self.relatedCategories = []
    }

    enum CodingKeys: String, CodingKey {
        case id, name, slug, locale, description, position, icon
        case portalId = "portal_id"
        case accountId = "account_id"
        case parentCategoryId = "parent_category_id"
        case associatedCategoryId = "associated_category_id"
        case parentCategory = "parent_category"
        case rootCategory = "root_category"
        case relatedCategories = "related_categories"
    }
}

/// One category as Chatwoot's create answers it: `{"payload": {...}}`.
public struct ChatwootCategoryEnvelope: Codable, Sendable, Equatable {
    public var payload: ChatwootCategory

    public init(payload: ChatwootCategory) {
        self.payload = payload
    }
}

/// A help-center article (swagger `article`, Chatwoot's `articles/_article` partial): `status` by name,
/// `updated_at` in epoch seconds, the author as an agent.
public struct ChatwootArticle: Codable, Sendable, Equatable {
    /// The article's category, as the partial shows it (ids and names of none when the article has no category).
    public struct Category: Codable, Sendable, Equatable {
        public var id: Int?
        public var name: String?
        public var slug: String?
        public var locale: String?

        public init(id: Int?, name: String?, slug: String?, locale: String?) {
            self.id = id
            self.name = name
            self.slug = slug
            self.locale = locale
        }
    }

    public var id: Int
    public var slug: String
    public var title: String
    public var content: String?
    public var description: String?
    public var status: String
    public var position: Int?
    public var locale: String
    public var accountId: Int
    public var portalId: Int
    public var categoryId: Int?
    public var authorId: Int
    public var associatedArticleId: Int?
    public var updatedAt: Int64
    public var meta: JSONValue
    public var category: Category
    public var views: Int
    public var author: ChatwootAgent?
    public var associatedArticles: [JSONValue]

    public init(
        id: Int, slug: String, title: String, content: String?, description: String?, status: String, position: Int?, locale: String,
        accountId: Int, portalId: Int, authorId: Int, associatedArticleId: Int?, updatedAt: Int64, meta: JSONValue, category: Category,
        views: Int, author: ChatwootAgent?
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.content = content
        self.description = description
        self.status = status
        self.position = position
        self.locale = locale
        self.accountId = accountId
        self.portalId = portalId
        self.categoryId = category.id
        self.authorId = authorId
        self.associatedArticleId = associatedArticleId
        self.updatedAt = updatedAt
        self.meta = meta
        self.category = category
        self.views = views
        self.author = author
        self.associatedArticles = []
    }

    enum CodingKeys: String, CodingKey {
        case id, slug, title, content, description, status, position, locale, meta, category, views, author
        case accountId = "account_id"
        case portalId = "portal_id"
        case categoryId = "category_id"
        case authorId = "author_id"
        case associatedArticleId = "associated_article_id"
        case updatedAt = "updated_at"
        case associatedArticles = "associated_articles"
    }
}

/// One article as Chatwoot's create answers it: `{"payload": {...}}`.
public struct ChatwootArticleEnvelope: Codable, Sendable, Equatable {
    public var payload: ChatwootArticle

    public init(payload: ChatwootArticle) {
        self.payload = payload
    }
}
