import Conditions
import WireModels

/// Where a campaign's routing sends a visitor (spec note §5.8).
enum RouteDecision: Sendable, Equatable {
    /// Any agent of the site.
    case anyAgent(priority: LiveChatPriority)
    case department(Int, priority: LiveChatPriority)
    case agent(Int, priority: LiveChatPriority)
    /// The visitor is sent to the offline message window; the message goes to these addresses.
    case offlineMessage(emails: String)
}

enum ChatRouting {
    /// Routing off: anybody; simple: its target; rules: the first enabled rule whose conditions match, by
    /// order then id, else the fail branch.
    static func route(_ routing: LiveChatRoutingRule, rules: [LiveChatCustomRule], facts: Facts) -> RouteDecision {
        guard routing.isEnable == true else { return .anyAgent(priority: .normal) }
        if routing.type != .rules {
            return Self.target(routing.simpleRouteToObject, routing.simpleRouteToId, routing.simpleRoutePriority)
        }
        let ordered = rules.filter { $0.isEnable == true }.sorted { ($0.order ?? 0, $0.id ?? 0) < ($1.order ?? 0, $1.id ?? 0) }
        for rule in ordered {
            if let set = try? VisitorConditions.compiled(rule.conditions), set.matches(facts) {
                return Self.target(rule.routeToObject, rule.routeToId, rule.routePriority)
            }
        }
        if routing.failType == .offlineMessage { return .offlineMessage(emails: routing.fail?.offlineMessageEmails ?? "") }
        return Self.target(routing.fail?.routeTobject, routing.fail?.routeToId, routing.fail?.routePriority)
    }

    static func target(_ object: LiveChatRouteTarget?, _ id: Int?, _ priority: LiveChatPriority?) -> RouteDecision {
        guard let id, id != 0 else { return .anyAgent(priority: priority ?? .normal) }
        return object == .agent ? .agent(id, priority: priority ?? .normal) : .department(id, priority: priority ?? .normal)
    }
}

/// Hides card numbers in stored transcripts when the site masks them (`isEnableCreditCardMasking`).
enum CardMasking {
    /// Runs of 13 to 19 digits, spaces or dashes between them allowed, become `****` plus the last four digits.
    static func masked(_ text: String) -> String {
        guard let pattern = try? Regex(#"\b(?:\d[ -]?){12,18}\d\b"#) else { return text }
        return text.replacing(pattern) { match in
            let digits = match.output[0].substring.map(String.init)?.filter(\.isNumber) ?? ""
            return "****" + String(digits.suffix(4))
        }
    }
}
