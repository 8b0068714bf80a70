import SQLKit
import ServiceKit

/// sinch-cmi's schema so far: users with their rights.
enum SinchMigrations {
    static let all: [Migration] = [
        Migration("sinch-001-users", statements: [
            """
            CREATE TABLE users (
                guid VARCHAR(36) PRIMARY KEY, login VARCHAR(200) NOT NULL UNIQUE, name VARCHAR(200) NOT NULL,
                language VARCHAR(16) NOT NULL, rights TEXT NOT NULL, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL
            )
            """
        ])
    ]
}
