import ArgumentParser
import Registry

/// `mailroom integrations remove ID`: delete a config; its id is never given out again.
struct IntegrationsRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a config.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "The config's id.")
    var id: Int

    func run() async throws {
        let removed = try IntegrationsSupport.store(paths).remove(id: id)
        Output.line("removed integration \(removed.id)")
    }
}
