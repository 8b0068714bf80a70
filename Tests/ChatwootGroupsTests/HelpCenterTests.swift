import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot help center")
struct HelpCenterTests {
    static let path = "/api/v1/accounts/1/portals"

    /// A bare portal (as Chatwoot answers create and update) checked against the swagger's `portal_item`, through the
    /// update operation's `portal_single` envelope.
    static func checkPortal(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        let wrapped = Data(#"{"payload": "#.utf8) + Data(buffer: response.body) + Data("}".utf8)
        let violations = ChatwootSwagger.violations("PATCH", "\(Self.path)/any", status: 200, body: wrapped)
        #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
    }

    @Test("Portals: administrators create and update them by slug, with locales and counts; every member lists them; Chatwoot's 422s")
    func portals() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let created = try await client.chatwoot(
                .post, Self.path,
                json: #"""
                    {"name": "Handbook", "slug": "handbook", "color": "#FFFFFF", "header_text": "Welcome", "custom_domain": "https://help.acme.test/x",
                     "homepage_link": "https://acme.test", "page_title": "Acme Help", "config": {"allowed_locales": ["en", "es", "en"], "default_locale": "en"}}
                    """#)
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            Self.checkPortal(created)
            #expect(created.object["slug"] as? String == "handbook")
            #expect(created.object["custom_domain"] as? String == "help.acme.test")
            #expect(created.object["archived"] as? Bool == false)
            #expect(created.object["account_id"] as? Int == 1)
            let config = try #require(created.object["config"] as? [String: Any])
            #expect((config["allowed_locales"] as? [[String: Any]])?.map { $0["code"] as? String } == ["en", "es"])
            #expect(config["default_locale"] as? String == "en")
            #expect((created.object["meta"] as? [String: Any])?["all_articles_count"] as? Int == 0)

            // Wrapped as Chatwoot's dashboard sends it; no color shows Chatwoot's default.
            let docs = try await client.chatwoot(.post, Self.path, json: #"{"portal": {"name": "Docs", "slug": "docs"}}"#)
            #expect(docs.status == .ok)
            #expect(docs.object["color"] as? String == "#1f93ff")
            #expect(((docs.object["config"] as? [String: Any])?["allowed_locales"] as? [[String: Any]])?.map { $0["code"] as? String } == ["en"])

            for (body, field) in [
                (#"{"slug": "nameless"}"#, "name"), (#"{"name": "No slug"}"#, "slug"), (#"{"name": "Taken", "slug": "handbook"}"#, "slug"),
                (#"{"name": "Color", "slug": "color", "color": "blue"}"#, "color"),
                (#"{"name": "Domain", "slug": "domain", "custom_domain": "help.acme.test"}"#, "custom_domain"),
            ] {
                let refused = try await client.chatwoot(.post, Self.path, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(try await client.chatwoot(.post, Self.path, json: #"{"name": 5, "slug": "x"}"#).status == .badRequest)
            #expect(try await client.chatwoot(.post, Self.path, json: #"{"name": "x", "slug": "y", "archived": "no"}"#).status == .badRequest)

            // Agents list portals but neither create nor change them.
            let agent = try await client.chatwootUser("Portal Agent")
            let listed = try await client.chatwoot(.get, Self.path, token: agent.token)
            #expect(listed.status == .ok)
            #expect((listed.object["payload"] as? [[String: Any]])?.map { $0["slug"] as? String } == ["handbook", "docs"])
            #expect((listed.object["meta"] as? [String: Any])?["portals_count"] as? Int == 2)
            #expect(try await client.chatwoot(.post, Self.path, token: agent.token, json: #"{"name": "A", "slug": "a"}"#).status == .unauthorized)
            #expect(try await client.chatwoot(.patch, "\(Self.path)/handbook", token: agent.token, json: #"{"name": "A"}"#).status == .unauthorized)

            // Update by slug: name, slug, locales, archived; the old slug is gone, a taken one refused.
            let updated = try await client.chatwoot(
                .patch, "\(Self.path)/handbook",
                json: #"{"name": "Manual", "slug": "manual", "archived": true, "config": {"allowed_locales": ["fr", "de"]}}"#)
            #expect(updated.status == .ok, "\(String(buffer: updated.body))")
            Self.checkPortal(updated)
            #expect(updated.object["name"] as? String == "Manual" && updated.object["archived"] as? Bool == true)
            #expect(updated.object["header_text"] as? String == "Welcome")
            let locales = try #require(updated.object["config"] as? [String: Any])
            #expect((locales["allowed_locales"] as? [[String: Any]])?.map { $0["code"] as? String } == ["fr", "de"])
            #expect(locales["default_locale"] as? String == "en")
            #expect(try await client.chatwoot(.patch, "\(Self.path)/handbook", json: #"{"name": "x"}"#).status == .notFound)
            #expect(try await client.chatwoot(.patch, "\(Self.path)/manual", json: #"{"slug": "docs"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.patch, "\(Self.path)/manual", json: #"{"name": ""}"#).status == .unprocessableContent)

            // Another account: its own list is empty, our portals 404, and slugs stay unique across accounts.
            let other = try await client.chatwootAccount("Other Help")
            let outsider = try await client.chatwootUser("Help Outsider", account: other, role: "administrator")
            #expect(try await client.chatwoot(.get, Self.path, token: outsider.token).status == .unauthorized)
            let theirs = "/api/v1/accounts/\(other)/portals"
            #expect((try await client.chatwoot(.get, theirs, token: outsider.token).object["payload"] as? [Any])?.isEmpty == true)
            #expect(try await client.chatwoot(.patch, "\(theirs)/manual", token: outsider.token, json: #"{"name": "x"}"#).status == .notFound)
            let clash = try await client.chatwoot(.post, theirs, token: outsider.token, json: #"{"name": "Mine", "slug": "manual"}"#)
            #expect(clash.status == .unprocessableContent)
            #expect(try await client.chatwoot(.post, theirs, token: outsider.token, json: #"{"name": "Mine", "slug": "theirs"}"#).status == .ok)
        }
    }

    @Test("Categories and articles: in the portal's locales, unique slugs, authors of the account; agents write articles; counts follow")
    func categoriesAndArticles() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let portal = try await client.chatwoot(
                .post, Self.path, json: #"{"name": "Help", "slug": "help", "config": {"allowed_locales": ["en", "es"]}}"#)
            #expect(portal.status == .ok)
            let categories = "\(Self.path)/help/categories"
            let created = try await client.chatwoot(
                .post, categories, json: #"{"name": "Billing", "slug": "billing", "locale": "es", "position": 2, "description": "Money"}"#)
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let category = try #require(created.object["payload"] as? [String: Any])
            let categoryData = try JSONSerialization.data(withJSONObject: category)
            #expect(ChatwootSwagger.violations("POST", categories, status: 200, body: categoryData).isEmpty)
            let categoryID = try #require(category["id"] as? Int)
            #expect(category["locale"] as? String == "es" && category["position"] as? Int == 2 && category["portal_id"] as? Int != nil)
            // A child category names its parent.
            let child = try await client.chatwoot(
                .post, categories,
                json: #"{"category": {"name": "Refunds", "slug": "refunds", "locale": "es", "parent_category_id": \#(categoryID)}}"#)
            #expect(child.status == .ok)
            #expect(((child.object["payload"] as? [String: Any])?["parent_category"] as? [String: Any])?["slug"] as? String == "billing")

            for (body, field) in [
                (#"{"slug": "x", "locale": "en"}"#, "name"), (#"{"name": "x", "locale": "en"}"#, "slug"),
                (#"{"name": "x", "slug": "x", "locale": "fr"}"#, "locale"), (#"{"name": "x", "slug": "billing", "locale": "es"}"#, "locale"),
                (#"{"name": "x", "slug": "y", "locale": "en", "parent_category_id": 999999}"#, "parent_category_id"),
            ] {
                let refused = try await client.chatwoot(.post, categories, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            // The same slug in another locale is another category.
            #expect(try await client.chatwoot(.post, categories, json: #"{"name": "Billing", "slug": "billing", "locale": "en"}"#).status == .ok)
            let agent = try await client.chatwootUser("Help Writer")
            #expect(try await client.chatwoot(.post, categories, token: agent.token, json: #"{"name": "a", "slug": "a"}"#).status == .unauthorized)
            #expect(try await client.chatwoot(.post, "\(Self.path)/nowhere/categories", json: #"{"name": "a", "slug": "a"}"#).status == .notFound)

            // Articles: an agent writes one in the category (its locale), a draft unless a status is given.
            let articles = "\(Self.path)/help/articles"
            let written = try await client.chatwoot(
                .post, articles, token: agent.token,
                json: #"""
                    {"title": "How to pay", "content": "Use a card.", "description": "Paying", "category_id": \#(categoryID),
                     "author_id": \#(agent.id), "meta": {"tags": ["pay"]}}
                    """#)
            #expect(written.status == .ok, "\(String(buffer: written.body))")
            let article = try #require(written.object["payload"] as? [String: Any])
            // Chatwoot renders `status` by name, where the swagger types it an integer (with names for its enum).
            let violations = ChatwootSwagger.violations("POST", articles, status: 200, body: try JSONSerialization.data(withJSONObject: article))
            #expect(violations.count == 1 && violations.first?.contains("$.status is string(\"draft\"), not integer") == true, "\(violations)")
            #expect(article["status"] as? String == "draft" && article["locale"] as? String == "es" && article["views"] as? Int == 0)
            #expect((article["slug"] as? String)?.hasSuffix("-how-to-pay") == true)
            #expect((article["category"] as? [String: Any])?["name"] as? String == "Billing")
            #expect((article["author"] as? [String: Any])?["id"] as? Int == agent.id)
            #expect((article["meta"] as? [String: Any])?["tags"] as? [String] == ["pay"])

            let published = try await client.chatwoot(
                .post, articles, json: #"{"article": {"title": "Welcome", "slug": "welcome", "status": 1, "author_id": 1}}"#)
            #expect(published.status == .ok)
            let publishedArticle = try #require(published.object["payload"] as? [String: Any])
            #expect(publishedArticle["status"] as? String == "published" && publishedArticle["locale"] as? String == "en")
            #expect(try await client.chatwoot(.post, articles, json: #"{"title": "Old", "status": "archived", "author_id": 1}"#).status == .ok)

            let other = try await client.chatwootAccount("Other Writers")
            let stranger = try await client.chatwootUser("Help Stranger", account: other, role: "administrator")
            for (body, field) in [
                (#"{"content": "x", "author_id": 1}"#, "title"), (#"{"title": "x"}"#, "author_id"),
                (#"{"title": "x", "author_id": \#(stranger.id)}"#, "author_id"),
                (#"{"title": "x", "author_id": 1, "category_id": 999999}"#, "category_id"),
                (#"{"title": "x", "author_id": 1, "status": "live"}"#, "status"), (#"{"title": "x", "author_id": 1, "status": 7}"#, "status"),
                (#"{"title": "x", "author_id": 1, "slug": "welcome"}"#, "slug"),
                (#"{"title": "x", "author_id": 1, "associated_article_id": 999999}"#, "associated_article_id"),
            ] {
                let refused = try await client.chatwoot(.post, articles, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(try await client.chatwoot(.post, articles, json: #"{"title": 3, "author_id": 1}"#).status == .badRequest)
            let theirArticles = "/api/v1/accounts/\(other)/portals/help/articles"
            #expect(
                try await client.chatwoot(.post, theirArticles, token: stranger.token, json: #"{"title": "x", "author_id": 1}"#).status == .notFound)

            // The portal counts what it holds, in all and per locale.
            let listed = try await client.chatwoot(.get, Self.path)
            let help = try #require((listed.object["payload"] as? [[String: Any]])?.first)
            let meta = try #require(help["meta"] as? [String: Any])
            #expect(meta["all_articles_count"] as? Int == 3 && meta["published_count"] as? Int == 1)
            #expect(meta["draft_articles_count"] as? Int == 1 && meta["archived_articles_count"] as? Int == 1)
            #expect(meta["categories_count"] as? Int == 3)
            let byLocale = ((help["config"] as? [String: Any])?["allowed_locales"] as? [[String: Any]]) ?? []
            #expect(byLocale.map { $0["articles_count"] as? Int } == [2, 1])
            #expect(byLocale.map { $0["categories_count"] as? Int } == [1, 2])
        }
    }
}
