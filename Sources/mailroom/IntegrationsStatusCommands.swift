import ArgumentParser
import Registry

/// `mailroom integrations activate ID`: let workers send with this config again.
struct IntegrationsActivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "activate", abstract: "Mark a config active and print it.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "The config's id.")
    var id: Int

    func run() async throws {
        IntegrationsSupport.print(try IntegrationsSupport.store(paths).setStatus(id: id, .active))
    }
}

/// `mailroom integrations deactivate ID`: stop workers sending with this config, keeping it stored.
struct IntegrationsDeactivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deactivate", abstract: "Mark a config inactive and print it.")

    @OptionGroup var paths: PathOptions

    @Argument(help: "The config's id.")
    var id: Int

    func run() async throws {
        IntegrationsSupport.print(try IntegrationsSupport.store(paths).setStatus(id: id, .inactive))
    }
}
