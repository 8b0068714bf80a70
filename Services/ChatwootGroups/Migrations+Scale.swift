import SQLKit
import ServiceKit

/// What keeps the conversation list's counts as fast at a million conversations as at ten thousand (`docs/benchmarks.md`,
/// decision 356).
extension ChatwootMigrations {
    /// chatwoot-051: `conversation_tab_counts`, how many conversations each account has per inbox, status and assignee
    /// (0: none), kept by triggers on `conversations` in both engines (whatever writes a conversation, the count follows in
    /// the same transaction), and the counts of those already stored. The dashboard's four tab counts (`meta`) under a
    /// status and the caller's inboxes read a few rows of it instead of every open conversation.
    static func tabCounts(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_tab_counts (
                account_id BIGINT NOT NULL, inbox_id BIGINT NOT NULL, status VARCHAR(16) NOT NULL, assignee_id BIGINT NOT NULL,
                conversation_count BIGINT NOT NULL, PRIMARY KEY (account_id, inbox_id, status, assignee_id)
            )
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO conversation_tab_counts (account_id, inbox_id, status, assignee_id, conversation_count)
            SELECT account_id, inbox_id, status, COALESCE(assignee_id, 0), COUNT(*) FROM conversations
            GROUP BY account_id, inbox_id, status, COALESCE(assignee_id, 0)
            """
        ).run()
        let add = """
            INSERT INTO conversation_tab_counts (account_id, inbox_id, status, assignee_id, conversation_count)
            VALUES (NEW.account_id, NEW.inbox_id, NEW.status, COALESCE(NEW.assignee_id, 0), 1)
            ON CONFLICT (account_id, inbox_id, status, assignee_id)
            DO UPDATE SET conversation_count = conversation_tab_counts.conversation_count + 1;
            """
        let remove = """
            UPDATE conversation_tab_counts SET conversation_count = conversation_count - 1
            WHERE account_id = OLD.account_id AND inbox_id = OLD.inbox_id AND status = OLD.status
                AND assignee_id = COALESCE(OLD.assignee_id, 0);
            """
        try await CountingTriggers(
            name: "conversations_tab", table: "conversations", columns: ["account_id", "inbox_id", "status", "assignee_id"], add: add,
            remove: remove,
            moved: """
                OLD.account_id <> NEW.account_id OR OLD.inbox_id <> NEW.inbox_id OR OLD.status <> NEW.status
                    OR COALESCE(OLD.assignee_id, 0) <> COALESCE(NEW.assignee_id, 0)
                """
        ).create(sql, engine)
    }
}
