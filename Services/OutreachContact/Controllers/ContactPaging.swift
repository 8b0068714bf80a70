import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

/// `pageIndex`, `pageSize`, `sortBy` and `sortOrder` as every Contact API list reads them (spec §2.7): pages from 1,
/// 10 a page by default, 0 for all, at most 500; `sortBy` one of the contact's top-level members, `sortOrder` asc or
/// desc (decision 134).
struct ContactPaging {
    static let maxPageSize = 500
    var pageIndex: Int
    /// 0: every match on one page.
    var pageSize: Int
    var sortBy: String?
    var ascending: Bool

    init(pageIndex: Int?, pageSize: Int?, sortBy: String?, sortOrder: String?) throws {
        self.pageIndex = pageIndex ?? 1
        self.pageSize = pageSize ?? 10
        guard (1...ListQuery.Limits().maxIndex).contains(self.pageIndex) else {
            throw ServiceError.invalid("pageIndex", "Parameter 'pageIndex' must be between 1 and \(ListQuery.Limits().maxIndex).")
        }
        guard (0...Self.maxPageSize).contains(self.pageSize) else {
            throw ServiceError.invalid("pageSize", "Parameter 'pageSize' must be between 0 (all) and \(Self.maxPageSize).")
        }
        switch (sortOrder ?? "").trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "asc": self.ascending = true
        case "desc": self.ascending = false
        default:
            throw ServiceError.invalid("sortOrder", "Parameter 'sortOrder' must be asc or desc, not '\(FieldValues.shortened(sortOrder ?? ""))'.")
        }
        let sortBy = sortBy?.trimmingCharacters(in: .whitespaces)
        self.sortBy = sortBy?.isEmpty == false ? sortBy : nil
    }

    /// The page in SQL, sorted by `sortBy` (default `createTime`), then id.
    func listQuery(fields: [FieldDefinition]) throws -> ListQuery {
        var sortable: [String: any SQLExpression] = [
            "name": SQLColumn("name_key", table: "contacts"), "createTime": SQLColumn("create_time", table: "contacts"),
            "lastUpdatedTime": SQLColumn("last_updated_time", table: "contacts"), "id": SQLColumn("id", table: "contacts"),
        ]
        for name in ["firstName", "lastName"] {
            if let field = fields.first(where: { $0.isSystem && $0.name == name }) {
                // Unset sorts as "" on both engines (their NULLs sort at opposite ends).
                sortable[name] = SQLFunction(
                    "LOWER", args: SQLFunction("COALESCE", args: ContactFilter.stored("text_value", of: field), SQLLiteral.string("")))
            }
        }
        let (index, size) = self.pageSize == 0 ? (1, Int(Int32.max)) : (self.pageIndex, self.pageSize)
        do {
            return try ListQuery(
                pageIndex: index, pageSize: size, sortBy: self.sortBy, ascending: self.ascending, sortable: sortable,
                defaultSort: [ListQuery.SortKey(SQLColumn("create_time", table: "contacts"), self.ascending ? .ascending : .descending)])
        } catch {
            throw ServiceError.invalid(error.field, "Parameter '\(error.field)' \(error.message)")
        }
    }

    /// The page with links to the pages either side (null at the edges): this request's URL with `pageIndex` changed
    /// (spec §6 #14).
    func page(total: Int, contacts: [Comm100Contact], request: Request) -> Comm100ContactPage {
        guard self.pageSize > 0 else { return Comm100ContactPage(contacts: contacts, previousPage: nil, nextPage: nil, total: total) }
        // The address the client used: the gateway's forwarded host, else Host; anything odd in them is not echoed.
        let forwardedProto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased()
        let scheme = forwardedProto == "https" ? "https" : "http"
        let claimed = request.headers[HTTPField.Name("X-Forwarded-Host")!] ?? request.head.authority ?? ""
        let host =
            !claimed.isEmpty && claimed.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) } ? claimed : "localhost"
        let query = (URLComponents(string: request.uri.description)?.queryItems ?? []).filter {
            $0.name.lowercased() != "pageindex" && $0.name.lowercased() != "pagesize"
        }
        func link(_ index: Int) -> String {
            var components = URLComponents()
            components.queryItems =
                query + [URLQueryItem(name: "pageIndex", value: String(index)), URLQueryItem(name: "pageSize", value: String(self.pageSize))]
            return "\(scheme)://\(host)\(request.uri.path)?\(components.percentEncodedQuery ?? "")"
        }
        let start = (self.pageIndex - 1) * self.pageSize
        return Comm100ContactPage(
            contacts: contacts, previousPage: self.pageIndex > 1 ? link(self.pageIndex - 1) : nil,
            nextPage: start + self.pageSize < total ? link(self.pageIndex + 1) : nil, total: total)
    }
}
