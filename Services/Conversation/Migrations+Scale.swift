import SQLKit
import ServiceKit

/// What keeps the conversation list's first pages and unread counts as fast at a million conversations as at ten
/// thousand (decisions 290–291 and 373, `docs/benchmarks.md`): the statements of migrations conversation-090 to -094 of
/// ``ConversationMigrations/all``.
extension ConversationMigrations {
    static let dayMilliseconds: Int64 = 86_400_000

    /// conversation-090: `conversation_day_counts`, how many conversations each site has per UTC day of their last reply,
    /// in use and in the trash, kept by triggers on `conversations` in every engine (whatever writes a conversation, the
    /// count follows in the same transaction), and the counts of the conversations already stored. An unfiltered page's
    /// total reads a row a day of its window instead of every conversation in it.
    static func dayCounts(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_day_counts (
                site_id VARCHAR(64) NOT NULL, is_deleted BOOLEAN NOT NULL, day BIGINT NOT NULL, conversation_count BIGINT NOT NULL,
                PRIMARY KEY (site_id, is_deleted, day)
            )
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO conversation_day_counts (site_id, is_deleted, day, conversation_count)
            SELECT site_id, is_deleted, last_replied_time / 86400000, COUNT(*) FROM conversations
            GROUP BY site_id, is_deleted, last_replied_time / 86400000
            """
        ).run()
        let add = """
            INSERT INTO conversation_day_counts (site_id, is_deleted, day, conversation_count)
            VALUES (NEW.site_id, NEW.is_deleted, NEW.last_replied_time / 86400000, 1)
            ON CONFLICT (site_id, is_deleted, day) DO UPDATE SET conversation_count = conversation_day_counts.conversation_count + 1;
            """
        let remove = """
            UPDATE conversation_day_counts SET conversation_count = conversation_count - 1
            WHERE site_id = OLD.site_id AND is_deleted = OLD.is_deleted AND day = OLD.last_replied_time / 86400000;
            """
        try await CountingTriggers(
            name: "conversations", table: "conversations", columns: ["site_id", "is_deleted", "last_replied_time"], add: add, remove: remove,
            moved: """
                OLD.site_id <> NEW.site_id OR OLD.is_deleted <> NEW.is_deleted
                    OR OLD.last_replied_time / 86400000 <> NEW.last_replied_time / 86400000
                """
        ).create(sql, engine)
    }

    /// conversation-091: indexes for the conditions views and lists use most (a status, an assignee or none, a priority):
    /// each holds the very expression ServiceKit's `ConditionFilter` compares (`LOWER(COALESCE(column, ''))`), then the
    /// last reply time, so such a page and its total read only the matching conversations of the window. Unread counts
    /// (no window) read `(site_id, is_read, is_deleted)`.
    static func conditionIndexes(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE INDEX conversations_site_agent_status ON conversations (site_id, is_deleted, LOWER(COALESCE(assigned_agent_id, '')),
                LOWER(COALESCE(status, '')), last_replied_time)
            """
        ).run()
        try await sql.raw(
            """
            CREATE INDEX conversations_site_status_priority ON conversations (site_id, is_deleted, LOWER(COALESCE(status, '')),
                LOWER(COALESCE(priority, '')), last_replied_time)
            """
        ).run()
        try await sql.raw("CREATE INDEX conversations_site_unread ON conversations (site_id, is_read, is_deleted)").run()
    }

    /// conversation-092: the two condition indexes of conversation-091 again, with the compared columns themselves at
    /// the end: neither engine reads an indexed expression's column from the index, so a total still fetched every
    /// matching row (994 at 1,000,000 conversations: 2 ms on SQLite); now both count from the index alone.
    static func coveringConditionIndexes(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw("DROP INDEX conversations_site_agent_status").run()
        try await sql.raw("DROP INDEX conversations_site_status_priority").run()
        try await sql.raw(
            """
            CREATE INDEX conversations_site_agent_status ON conversations (site_id, is_deleted, LOWER(COALESCE(assigned_agent_id, '')),
                LOWER(COALESCE(status, '')), last_replied_time, assigned_agent_id, status)
            """
        ).run()
        try await sql.raw(
            """
            CREATE INDEX conversations_site_status_priority ON conversations (site_id, is_deleted, LOWER(COALESCE(status, '')),
                LOWER(COALESCE(priority, '')), last_replied_time, status, priority)
            """
        ).run()
    }

    /// conversation-093: the condition indexes once more, as (…, last reply, `id`, the raw columns, `is_read`): the raw
    /// columns after the last reply of -092 broke the order a page reads in (last reply, then id), so SQLite walked the
    /// whole window instead (5.7 ms at 1,000,000); `id` right after the last reply keeps it, and `is_read` lets a view's
    /// unread count read the view's index alone (SQLite's sampled statistics rate every index alike and took the unread
    /// index, 44,541 rows, 100 ms).
    static func orderedConditionIndexes(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw("DROP INDEX conversations_site_agent_status").run()
        try await sql.raw("DROP INDEX conversations_site_status_priority").run()
        try await sql.raw(
            """
            CREATE INDEX conversations_site_agent_status ON conversations (site_id, is_deleted, LOWER(COALESCE(assigned_agent_id, '')),
                LOWER(COALESCE(status, '')), last_replied_time, id, assigned_agent_id, status, is_read)
            """
        ).run()
        try await sql.raw(
            """
            CREATE INDEX conversations_site_status_priority ON conversations (site_id, is_deleted, LOWER(COALESCE(status, '')),
                LOWER(COALESCE(priority, '')), last_replied_time, id, status, priority, is_read)
            """
        ).run()
    }

    /// conversation-094: `conversation_unread_counts`, how many conversations each site has per read and trash flag,
    /// kept by triggers like the day counts: `unreadCount`'s `allCount` (the site's unread conversations in use, with no
    /// window) reads one row instead of counting tens of thousands (decision 373).
    static func unreadCounts(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_unread_counts (
                site_id VARCHAR(64) NOT NULL, is_read BOOLEAN NOT NULL, is_deleted BOOLEAN NOT NULL, conversation_count BIGINT NOT NULL,
                PRIMARY KEY (site_id, is_read, is_deleted)
            )
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO conversation_unread_counts (site_id, is_read, is_deleted, conversation_count)
            SELECT site_id, is_read, is_deleted, COUNT(*) FROM conversations GROUP BY site_id, is_read, is_deleted
            """
        ).run()
        let add = """
            INSERT INTO conversation_unread_counts (site_id, is_read, is_deleted, conversation_count)
            VALUES (NEW.site_id, NEW.is_read, NEW.is_deleted, 1)
            ON CONFLICT (site_id, is_read, is_deleted) DO UPDATE SET conversation_count = conversation_unread_counts.conversation_count + 1;
            """
        let remove = """
            UPDATE conversation_unread_counts SET conversation_count = conversation_count - 1
            WHERE site_id = OLD.site_id AND is_read = OLD.is_read AND is_deleted = OLD.is_deleted;
            """
        try await CountingTriggers(
            name: "conversations_unread", table: "conversations", columns: ["site_id", "is_read", "is_deleted"], add: add, remove: remove,
            moved: "OLD.site_id <> NEW.site_id OR OLD.is_read <> NEW.is_read OR OLD.is_deleted <> NEW.is_deleted"
        ).create(sql, engine)
    }
}
