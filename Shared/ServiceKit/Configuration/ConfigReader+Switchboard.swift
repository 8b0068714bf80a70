import Configuration
import SystemPackage

extension ConfigReader {
    /// The reader every executable uses: command line, environment, `.env`, then the service's defaults.
    ///
    /// Keys are dotted (`http.port`); the command line spells them `--http-port`, the environment `HTTP_PORT`.
    /// Secrets (`bootstrap.apiKey`, `internal.token`, `db.url`) are redacted in any printed configuration.
    public static func switchboard(defaults: [AbsoluteConfigKey: ConfigValue]) async throws -> ConfigReader {
        let secretVariables: Set<String> = ["BOOTSTRAP_API_KEY", "INTERNAL_TOKEN", "DB_URL"]
        let secretFlags: Set<String> = ["--bootstrap-api-key", "--internal-token", "--db-url"]
        return ConfigReader(providers: [
            CommandLineArgumentsProvider(secretsSpecifier: .specific(secretFlags)),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(secretVariables)),
            try await EnvironmentVariablesProvider(
                environmentFilePath: ".env",
                allowMissing: true,
                secretsSpecifier: .specific(secretVariables)
            ),
            InMemoryProvider(values: defaults),
        ])
    }
}
