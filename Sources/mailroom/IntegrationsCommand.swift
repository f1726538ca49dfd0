import ArgumentParser

/// `mailroom integrations …`: manage SendGrid integration configs in the registry.
struct IntegrationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integrations",
        abstract: "Manage SendGrid integration configs (the platform's /integrations format).",
        subcommands: [
            IntegrationsAddCommand.self,
            IntegrationsListCommand.self,
            IntegrationsShowCommand.self,
            IntegrationsUpdateCommand.self,
            IntegrationsActivateCommand.self,
            IntegrationsDeactivateCommand.self,
            IntegrationsRemoveCommand.self,
        ]
    )
}
