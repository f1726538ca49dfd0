import ArgumentParser
import Registry

/// `mailroom integrations show ID`: print one config in the response shape.
struct IntegrationsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one config (never its key).")

    @OptionGroup var paths: PathOptions

    @Argument(help: "The config's id.")
    var id: Int

    func run() async throws {
        IntegrationsSupport.print(try IntegrationsSupport.store(paths).config(id: id))
    }
}
