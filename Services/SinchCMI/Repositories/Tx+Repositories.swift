import ServiceKit

/// A transaction hands out the repositories, so what one request changes commits (or not) together.
extension Tx {
    var emails: EmailSQLRepository { EmailSQLRepository(sql: self.sql) }
    var scriptResults: ScriptResultSQLRepository { ScriptResultSQLRepository(sql: self.sql) }
    var queues: QueueSQLRepository { QueueSQLRepository(sql: self.sql) }
    var chats: ChatSQLRepository { ChatSQLRepository(sql: self.sql) }
    var recordings: CallRecordingSQLRepository { CallRecordingSQLRepository(sql: self.sql) }
    var callbacks: CallbackSQLRepository { CallbackSQLRepository(sql: self.sql) }
    var messages: MessageSQLRepository { MessageSQLRepository(sql: self.sql) }
    var contacts: ContactSQLRepository { ContactSQLRepository(sql: self.sql) }
    var consents: CustomerConsentSQLRepository { CustomerConsentSQLRepository(sql: self.sql) }
    var settings: SettingsSQLRepository { SettingsSQLRepository(sql: self.sql) }
    func users(clock: WallClock) -> UserSQLRepository { UserSQLRepository(sql: self.sql, clock: clock) }
}
