/// What the worker does with a job once it knows (or cannot know) which config sends it.
public enum ConfigSelection: Sendable, Equatable {
    /// Send with this config.
    case use(ResolvedConfig)
    /// The job itself is wrong (names a config of another environment, an inactive or unknown one,
    /// or none while several are active): it fails with this reason.
    case fail(String)
    /// The config cannot be used right now (its key reference does not resolve, or no config is active):
    /// the job is held under `integration` (0 when it names none) until the registry changes.
    case hold(integration: Int, reason: String)
}
