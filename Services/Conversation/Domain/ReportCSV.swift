import CSV
import Foundation
import HTTPTypes
import ServiceKit

/// The report exports (spec §5.22, §6 RP6–RP7; decision 283): the JSON report's rows as CSV written by yaslab's
/// CSV.swift, a header row first and, for volume, channel and efficiency, a totals row last. Row times are shown at
/// `timeOffset` in `dateFormat`; each row is named (the bucket's start, or the member's name).
enum ReportCSV {
    /// `rows` as CSV text, lines ending in CRLF (RFC 4180).
    static func text(_ rows: [[String]]) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row) }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw ServiceError(.internalServerError, message: "The CSV could not be written.")
        }
        return String(decoding: data, as: UTF8.self) + (rows.isEmpty ? "" : "\r\n")
    }

    static func number(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The columns every export starts with.
    static let lead = ["id", "name", "startTime", "endTime"]

    static func lead(_ row: ReportBuilder.Row, names: [String: String], parameters: ReportParameters) -> [String] {
        [row.key, names[row.key] ?? row.key, parameters.display(row.start), parameters.display(row.end)]
    }

    static func totalLead(_ parameters: ReportParameters) -> [String] {
        ["total", "Total", parameters.display(parameters.start), parameters.display(parameters.end)]
    }

    static func volume(_ report: Reports.Volume, rows: [ReportBuilder.Row], names: [String: String], parameters: ReportParameters) -> [[String]] {
        let metrics = ["createdConversations", "closedConversations", "repliedConversations", "reopenedConversations", "openConversations"]
        let header = Self.lead + metrics.flatMap { [$0, $0 + "Percentage"] }
        let lines = zip(report.dataList, rows).map { item, row in
            Self.lead(row, names: names, parameters: parameters) + [
                String(item.createdConversations), Self.number(item.createdConversationsPercentage), String(item.closedConversations),
                Self.number(item.closedConversationsPercentage), String(item.repliedConversations), Self.number(item.repliedConversationsPercentage),
                String(item.reopenedConversations), Self.number(item.reopenedConversationsPercentage), String(item.openConversations),
                Self.number(item.openConversationsPercentage),
            ]
        }
        let totals = [
            report.totalCreatedConversations, report.totalClosedConversations, report.totalRepliedConversations, report.totalReopenedConversations,
            report.totalOpenConversations,
        ]
        return [header] + lines + [Self.totalLead(parameters) + totals.flatMap { [String($0), ""] }]
    }

    static func channel(_ report: Reports.Channel, rows: [ReportBuilder.Row], names: [String: String], parameters: ReportParameters) -> [[String]] {
        let header = Self.lead + report.channelTotalNumbers.flatMap { [$0.channelName, $0.channelName + " %"] }
        let lines = zip(report.dataList, rows).map { item, row in
            Self.lead(row, names: names, parameters: parameters)
                + item.channelEfficiencies.flatMap { [String($0.channelMessageNumber), Self.number($0.channelPercentage)] }
        }
        let all = report.channelTotalNumbers.reduce(0) { $0 + $1.totalNumber }
        let totals = report.channelTotalNumbers.flatMap { [String($0.totalNumber), Self.number(Reports.percentage($0.totalNumber, of: all))] }
        return [header] + lines + [Self.totalLead(parameters) + totals]
    }

    static func efficiency(
        _ report: Reports.Efficiency, rows: [ReportBuilder.Row], names: [String: String], parameters: ReportParameters
    ) -> [[String]] {
        let header = Self.lead + ["avgAgentResponseTime", "avgFirstResponseTime", "avgConversationTime", "avgContactMessages", "avgAgentMessages"]
        let lines = zip(report.dataList, rows).map { item, row in
            Self.lead(row, names: names, parameters: parameters) + [
                item.avgAgentResponseTime, item.avgFirstResponseTime, item.avgConversationTime, Self.number(item.avgContactMessages),
                Self.number(item.avgAgentMessages),
            ]
        }
        let totals = [
            report.totalAvgAgentResponseTime, report.totalAvgFirstResponseTime, report.totalAvgConversationTime,
            Self.number(report.totalAvgContactMessages), Self.number(report.totalAvgAgentMessages),
        ]
        return [header] + lines + [Self.totalLead(parameters) + totals]
    }

    static func sla(_ report: Reports.SLA, rows: [ReportBuilder.Row], names: [String: String], parameters: ReportParameters) -> [[String]] {
        let header =
            Self.lead + [
                "firstRespondTimeAchievedPercentage", "avgFirstRespondTime", "nextRespondTimeAchievedPercentage", "avgNextRespondTime",
                "resolveTimeAchievedPercentage", "avgResolveTime", "breachedTickets",
            ]
        let lines = zip(report.dataList, rows).map { item, row in
            Self.lead(row, names: names, parameters: parameters) + [
                Self.number(item.firstRespondTimeAchievedPercentage), Self.number(item.avgFirstRespondTime),
                Self.number(item.nextRespondTimeAchievedPercentage), Self.number(item.avgNextRespondTime),
                Self.number(item.resolveTimeAchievedPercentage), Self.number(item.avgResolveTime), String(item.breachedTickets),
            ]
        }
        return [header] + lines
    }
}
