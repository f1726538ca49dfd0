import ArgumentParser
import Registry

/// `mailroom integrations update ID [FILE|-]`: change a config; the key only with `changeKeys: true`.
struct IntegrationsUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Update a config from {\"data\": {...}, \"status\": ...} and print it.",
        discussion: "The stored key is replaced only when data.changeKeys is true; otherwise any key in the request is ignored."
    )

    @OptionGroup var paths: PathOptions
    @OptionGroup var keys: KeyDirectoryOptions

    @Argument(help: "The config's id.")
    var id: Int

    @Argument(help: "The request file, or - for stdin.")
    var file: String = "-"

    func run() async throws {
        let store = IntegrationsSupport.store(paths, keyDirectories: keys.directories)
        let request = try IntegrationsSupport.readRequest(file)
        IntegrationsSupport.print(try store.update(id: id, request: request))
    }
}
