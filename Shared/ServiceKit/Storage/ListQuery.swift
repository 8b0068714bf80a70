import SQLKit

/// One page of a list, sorted by allow-listed fields, with its filters compiled to SQL: every list of every
/// service (Comm100 `pageIndex`/`pageSize`/`sortBy`/`conditions[i]`, Chatwoot's filters) pages and counts in the
/// database, never in Swift.
public struct ListQuery: Sendable {
    /// From 1.
    public var pageIndex: Int
    public var pageSize: Int
    /// Allow-listed sort columns, most significant first; `id` always breaks ties, so pages never overlap.
    public var sort: [SortKey]
    /// What rows must satisfy beyond the service's own scope (tenant, window): filters and conditions.
    public var predicates: [any SQLExpression] = []

    /// A column to sort by and its direction.
    public struct SortKey: Sendable {
        public var column: any SQLExpression
        public var direction: SQLDirection
        public init(_ column: any SQLExpression, _ direction: SQLDirection = .ascending) {
            self.column = column
            self.direction = direction
        }
    }

    /// How large pages may be.
    public struct Limits: Sendable {
        public var defaultSize: Int
        public var maxSize: Int
        public var maxIndex: Int
        public init(defaultSize: Int = 10, maxSize: Int = 500, maxIndex: Int = 1_000_000) {
            self.defaultSize = defaultSize
            self.maxSize = maxSize
            self.maxIndex = maxIndex
        }
    }

    public init(pageIndex: Int, pageSize: Int, sort: [SortKey]) {
        self.pageIndex = max(1, pageIndex)
        self.pageSize = max(1, pageSize)
        self.sort = sort
    }

    /// A page from the client's `sortBy` (one of `sortable`'s names, any case; nil or empty: `defaultSort`) and
    /// `ascending`. The caller checks page numbers against ``Limits`` where it reads them, so the error names its
    /// own parameter.
    public init(
        pageIndex: Int, pageSize: Int, sortBy: String?, ascending: Bool = true, sortable: [String: any SQLExpression], defaultSort: [SortKey]
    ) throws(ListQueryError) {
        self.init(pageIndex: pageIndex, pageSize: pageSize, sort: defaultSort)
        if let sortBy, !sortBy.isEmpty {
            guard let column = sortable.first(where: { $0.key.lowercased() == sortBy.lowercased() })?.value else {
                throw ListQueryError("sortBy", "must be one of \(sortable.keys.sorted().joined(separator: ", ")).")
            }
            self.sort = [SortKey(column, ascending ? .ascending : .descending)]
        }
    }

    /// Rows skipped before this page.
    public var offset: Int { (self.pageIndex - 1) * self.pageSize }

    /// Adds a predicate rows must satisfy.
    public mutating func filter(_ predicate: any SQLExpression) {
        self.predicates.append(predicate)
    }

    /// A copy of `select` narrowed to the query's predicates (`select` itself is left as it was).
    public func narrowed(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        let copy = select.database.select()
        copy.select = select.select
        return self.predicates.reduce(copy) { $0.where($1) }
    }

    /// How many rows `select` (its tables, joins and predicates, not its columns) matches: one `COUNT(*)`.
    public func count(_ select: SQLSelectBuilder) async throws -> Int {
        let narrowed = self.narrowed(select)
        let counter = select.database.select()
        counter.select.tables = narrowed.select.tables
        counter.select.joins = narrowed.select.joins
        counter.select.predicate = narrowed.select.predicate
        counter.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
        return Int(try await counter.first(CountRow.self)?.count ?? 0)
    }

    /// The page of `select` decoded as `Row`, sorted, then `idColumn`, and its total: `total` when the caller knows
    /// it another way (a maintained count), else ``count(_:)``.
    public func page<Row: Decodable>(
        _ select: SQLSelectBuilder, as type: Row.Type, idColumn: any SQLExpression = SQLColumn("id"), total: Int? = nil
    ) async throws -> (total: Int, rows: [Row]) {
        let counted: Int
        if let total { counted = total } else { counted = try await self.count(select) }
        let total = counted
        guard self.offset < total else { return (total, []) }
        return (total, try await self.rows(select, as: Row.self, idColumn: idColumn))
    }

    /// The page of `select` decoded as `Row`, without a total.
    public func rows<Row: Decodable>(
        _ select: SQLSelectBuilder, as type: Row.Type, idColumn: any SQLExpression = SQLColumn("id")
    ) async throws -> [Row] {
        let page = self.narrowed(select)
        for key in self.sort { page.orderBy(key.column, key.direction) }
        return try await page.orderBy(idColumn, self.sort.last?.direction ?? .ascending)
            .limit(self.pageSize).offset(self.offset)
            .all(Row.self)
    }
}

/// A list parameter the client got wrong.
public struct ListQueryError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(self.field) \(self.message)" }
}
