import SQLKit
import ServiceKit

/// CSAT answers (helper P's range, chatwoot-080 to chatwoot-089): the Client API and the survey page store them.
extension ChatwootMigrations {
    static let clientAPI: [Migration] = [
        Migration("chatwoot-080-csat-survey-responses") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            // Chatwoot's `csat_survey_responses`: one answer per survey message, with the conversation's contact and
            // the agent it was assigned to when answered (reports read them by conversation, agent and time).
            try await database.raw(
                """
                CREATE TABLE csat_survey_responses (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id),
                    conversation_id BIGINT NOT NULL REFERENCES conversations(id), message_id BIGINT NOT NULL UNIQUE REFERENCES messages(id),
                    contact_id BIGINT NOT NULL, assigned_agent_id BIGINT, rating INTEGER NOT NULL, feedback_message TEXT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX csat_survey_responses_account ON csat_survey_responses (account_id, created_at)").run()
            try await database.raw("CREATE INDEX csat_survey_responses_conversation ON csat_survey_responses (conversation_id)").run()
            try await database.raw("CREATE INDEX csat_survey_responses_agent ON csat_survey_responses (assigned_agent_id)").run()
        }
    ]
}
