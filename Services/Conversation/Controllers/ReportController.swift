import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `/api/v3/anytime/reports/…` (seed 000 L1475–L1716; spec §3.19, §5.22, §6 RP1–RP10; decisions 280–284): four realtime
/// reports, four historical ones and their CSV exports, computed by ``ReportBuilder`` from the site's history.
struct ReportController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Reports")
        let errors = [400: "Invalid parameter"]
        api.get("/reports/realtime/now", "Open conversations now by status and priority, and those without an agent", returns: Reports.Now.self) {
            _, context in try await ReportBuilder(store: self.store, site: context.site).now()
        }
        api.get(
            "/reports/realtime/bytime", "Created, resolved, replied and reopened conversations over the last days (UTC) up to now",
            returns: Reports.ByTime.self, query: [QueryParameter("days", "1 (today, the default) to 15", .integer)], errors: errors
        ) { request, context in
            let days = try Self.days(try request.decodeQuery(as: ReportParameters.Query.self).days)
            return try await ReportBuilder(store: self.store, site: context.site).byTime(days: days)
        }
        api.get(
            "/reports/realtime/today", "Created, resolved, replied and reopened conversations today (UTC): bytime with days=1",
            returns: Reports.ByTime.self
        ) { _, context in try await ReportBuilder(store: self.store, site: context.site).byTime(days: 1) }
        api.get(
            "/reports/realtime/departments", "Each department's open conversations now and what it replied to and resolved today",
            returns: Reports.MemberList.self
        ) { _, context in
            let builder = ReportBuilder(store: self.store, site: context.site)
            let departments = try await self.store.directory.liveChat.departments(siteId: context.site).compactMap { $0.id.map(String.init) }
            return Reports.MemberList(dataList: try await builder.members(.department, view: .site, members: departments, showAll: true))
        }
        api.get(
            "/reports/realtime/agents", "Each agent's open conversations now and what they replied to and resolved today",
            returns: Reports.MemberList.self,
            query: [
                QueryParameter("viewType", "site (default), agent, department (its members), account or channel (only its conversations)"),
                QueryParameter("viewValue", "The agent, department, channel account or channel"),
            ], errors: errors, use: self.agents)
        let historical = [
            QueryParameter("startTime", "Start of the range (inclusive), ISO 8601", required: true),
            QueryParameter("endTime", "End of the range (exclusive), ISO 8601", required: true),
            QueryParameter("viewType", "site (default), agent, department, account or channel"),
            QueryParameter("viewValue", "The agent, department, channel account or channel"),
            QueryParameter("timeUnit", "hour, day (default), week (from Monday) or month"),
            QueryParameter("dimensionType", "byTime (default), byAgent, byDepartment or byChannel"),
        ]
        let export = [
            QueryParameter("timeOffset", "Hours east of UTC (may be fractional) for bucket starts, shown times and zone-less inputs"),
            QueryParameter("dateFormat", "yyyy, MM, dd, HH and mm among separators; yyyy-MM-dd by default"),
        ]
        let csv = [200: "The report (text/csv)", 400: "Invalid parameter"]
        api.get(
            "/reports/volume", "Created, closed, replied, reopened and open conversations", returns: Reports.Volume.self, query: historical,
            errors: errors
        ) {
            request, context in try await self.historical(request, context).volume(self.parameters(request), try Self.dimension(request)).0
        }
        api.raw(.get, "/reports/volume/export", "The volume report as CSV", responses: csv, query: historical + export) { request, context in
            let (builder, parameters, dimension) = (self.historical(request, context), try self.parameters(request), try Self.dimension(request))
            let (report, rows) = try await builder.volume(parameters, dimension)
            let names = try await builder.names(dimension, keys: rows.map(\.key), parameters: parameters, rows: rows)
            return try Self.csv(ReportCSV.volume(report, rows: rows, names: names, parameters: parameters), name: "volume")
        }
        api.get("/reports/channel", "Messages per channel", returns: Reports.Channel.self, query: historical, errors: errors) { request, context in
            try await self.historical(request, context).channel(self.parameters(request), try Self.dimension(request)).0
        }
        api.raw(.get, "/reports/channel/export", "The channel report as CSV (siteId is ignored)", responses: csv, query: historical + export) {
            request, context in
            let (builder, parameters, dimension) = (self.historical(request, context), try self.parameters(request), try Self.dimension(request))
            let (report, rows) = try await builder.channel(parameters, dimension)
            let names = Dictionary(uniqueKeysWithValues: zip(rows.map(\.key), report.dataList.map(\.name)))
            return try Self.csv(ReportCSV.channel(report, rows: rows, names: names, parameters: parameters), name: "channel")
        }
        api.get(
            "/reports/efficiency", "Response times, conversation length and messages per conversation", returns: Reports.Efficiency.self,
            query: historical, errors: errors
        ) { request, context in
            try await self.historical(request, context).efficiency(self.parameters(request), try Self.dimension(request)).0
        }
        api.raw(.get, "/reports/efficiency/export", "The efficiency report as CSV", responses: csv, query: historical + export) { request, context in
            let (builder, parameters, dimension) = (self.historical(request, context), try self.parameters(request), try Self.dimension(request))
            let (report, rows) = try await builder.efficiency(parameters, dimension)
            let names = try await builder.names(dimension, keys: rows.map(\.key), parameters: parameters, rows: rows)
            return try Self.csv(ReportCSV.efficiency(report, rows: rows, names: names, parameters: parameters), name: "efficiency")
        }
        let sla = [
            QueryParameter("startTime", "Start of the range (inclusive), ISO 8601", required: true),
            QueryParameter("endTime", "End of the range (exclusive), ISO 8601", required: true),
            QueryParameter("timeUnit", "day (default), week (from Monday) or month"),
            QueryParameter("dimensionType", "slaPolicies (default), agent or department"),
        ]
        api.get(
            "/reports/sla", "SLA targets met, their mean minutes and the conversations with a breach", returns: Reports.SLA.self, query: sla,
            errors: errors
        ) {
            request, context in
            let parameters = try self.parameters(request, units: [.day, .week, .month])
            return try await self.historical(request, context).sla(parameters, try Self.slaDimension(request)).0
        }
        api.raw(.get, "/reports/sla/export", "The SLA report as CSV (spec §6 RP6)", responses: csv, query: sla + export) { request, context in
            let (builder, parameters) = (self.historical(request, context), try self.parameters(request, units: [.day, .week, .month]))
            let dimension = try Self.slaDimension(request)
            let (report, rows) = try await builder.sla(parameters, dimension)
            let members: ReportParameters.Dimension? =
                switch dimension {
                case .slaPolicies: nil
                case .agent: .byAgent
                case .department: .byDepartment
                }
            var names: [String: String] = [:]
            if let members { names = try await builder.names(members, keys: rows.map(\.key), parameters: parameters, rows: rows) }
            return try Self.csv(ReportCSV.sla(report, rows: rows, names: names, parameters: parameters), name: "sla")
        }
    }

    /// `viewType=department` shows the department's members (from livechat-config), `agent` the one agent; `account`
    /// and `channel` count only those conversations (spec §5.22).
    @Sendable func agents(_ request: Request, context: AuthenticatedContext) async throws -> Reports.MemberList {
        let query = try request.decodeQuery(as: ReportParameters.Query.self)
        let view = try ReportView(type: query.viewType, value: query.viewValue)
        let builder = ReportBuilder(store: self.store, site: context.site)
        let agents = try await self.store.directory.liveChat.agents(siteId: context.site)
        let rows: [Reports.MemberNow]
        switch view.kind {
        case .site, .account, .channel:
            rows = try await builder.members(.agent, view: view.kind == .site ? .site : view, members: agents.map { String($0.id) }, showAll: true)
        case .agent:
            rows = try await builder.members(.agent, view: .site, members: [view.value ?? ""], showAll: false)
        case .department:
            let members = agents.filter { agent in agent.departments.contains { String($0) == view.value } }.map { String($0.id) }
            rows = try await builder.members(.agent, view: .site, members: members, showAll: false)
        }
        return Reports.MemberList(dataList: rows)
    }

    func historical(_ request: Request, _ context: AuthenticatedContext) -> ReportBuilder {
        ReportBuilder(store: self.store, site: context.site)
    }

    /// The parameters of volume, channel and efficiency, or with `units` those of the SLA report (always by time).
    func parameters(_ request: Request, units: [ReportParameters.TimeUnit]? = nil) throws -> ReportParameters {
        let query = try request.decodeQuery(as: ReportParameters.Query.self)
        guard let units else {
            // Rows by member need no buckets (a wrong dimensionType is refused where it is read).
            let byTime = ((try? ReportParameters.dimension(query.dimensionType)) ?? .byTime) == .byTime
            return try ReportParameters(query, cutsByTime: byTime)
        }
        return try ReportParameters(query, units: units)
    }

    static func dimension(_ request: Request) throws -> ReportParameters.Dimension {
        try ReportParameters.dimension(try request.decodeQuery(as: ReportParameters.Query.self).dimensionType)
    }

    static func slaDimension(_ request: Request) throws -> ReportParameters.SLADimension {
        try ReportParameters.slaDimension(try request.decodeQuery(as: ReportParameters.Query.self).dimensionType)
    }

    /// `days` of bytime: 1 when absent, else a whole number from 1 to 15 (spec §6 RP1).
    static func days(_ text: String?) throws -> Int {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return 1 }
        guard let days = Int(text), (1...15).contains(days) else {
            throw ServiceError.invalid("days", "Parameter 'days' must be a whole number from 1 to 15, not '\(AnytimeLimits.shortened(text))'.")
        }
        return days
    }

    static func csv(_ rows: [[String]], name: String) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)-report.csv\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: try ReportCSV.text(rows))))
    }
}
