import ArgumentParser
import Registry

/// `mailroom integrations add [FILE|-]`: store a new config from a create request.
struct IntegrationsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a config from a create request ({\"integration\": 4, \"data\": {...}}) and print it."
    )

    @OptionGroup var paths: PathOptions
    @OptionGroup var keys: KeyDirectoryOptions

    @Argument(help: "The request file, or - for stdin.")
    var file: String = "-"

    func run() async throws {
        let store = IntegrationsSupport.store(paths, keyDirectories: keys.directories)
        let request = try IntegrationsSupport.readRequest(file)
        IntegrationsSupport.print(try store.create(request: request))
    }
}
