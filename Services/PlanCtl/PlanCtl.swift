import ArgumentParser

/// `planctl`: PlanMonitor's command line for operators and the officials who import the directive.
@main
struct PlanCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planctl",
        abstract: "PlanMonitor's command line: the directive, the departments' shares, records, monthly reports and figures, the services' health.",
        discussion: """
            Commands that call the services connect to RabbitMQ as the broker user planctl and call the instances \
            of the org unit given by --org-unit.
            Environment: PLANMONITOR_AMQP_HOST (127.0.0.1), PLANMONITOR_AMQP_PORT (5673), PLANMONITOR_AMQP_VHOST \
            (planmonitor), PLANMONITOR_AMQP_USER (planctl), PLANMONITOR_AMQP_PASSWORD (planmonitor-<user>-dev), \
            PLANMONITOR_ORG_UNIT (31), PLANMONITOR_LOG_LEVEL (error: what the broker client logs to stderr).
            """,
        subcommands: [
            DirectiveCommand.self, ShareCommand.self, RecordsCommand.self, ReportCommand.self, ObservationsCommand.self, BriefingCommand.self,
            PictureCommand.self, InfrastructureCommand.self, DemoCommand.self, HealthCommand.self,
        ]
    )
}
