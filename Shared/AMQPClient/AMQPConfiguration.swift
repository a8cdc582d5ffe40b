/// Where and how to connect, and the limits the connection keeps.
public struct AMQPConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var virtualHost: String
    public var username: String
    public var password: String
    /// Shown in the management UI; also names the connection's thread and metrics.
    public var connectionName: String
    /// Heartbeat interval negotiated with the broker; a silent connection is declared dead after two intervals.
    public var heartbeat: Duration
    public var connectTimeout: Duration
    /// Time allowed for synchronous broker operations (declarations, consumer set-up).
    public var operationTimeout: Duration
    /// How long a publish may wait for its confirm (including while disconnected or blocked) before it fails.
    public var publishTimeout: Duration
    /// Most publishes awaiting their confirm at once; more wait their turn.
    public var confirmWindow: Int
    /// First and largest wait between reconnection attempts (doubling in between).
    public var reconnectBackoff: (initial: Duration, maximum: Duration)

    public init(
        host: String = "127.0.0.1",
        port: Int = 5672,
        virtualHost: String = "/",
        username: String,
        password: String,
        connectionName: String,
        heartbeat: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(5),
        operationTimeout: Duration = .seconds(10),
        publishTimeout: Duration = .seconds(15),
        confirmWindow: Int = 1000,
        reconnectBackoff: (initial: Duration, maximum: Duration) = (.milliseconds(200), .seconds(5))
    ) {
        self.host = host
        self.port = port
        self.virtualHost = virtualHost
        self.username = username
        self.password = password
        self.connectionName = connectionName
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.publishTimeout = publishTimeout
        self.confirmWindow = confirmWindow
        self.reconnectBackoff = reconnectBackoff
    }
}

extension Duration {
    /// Whole microseconds, for rabbitmq-c's timeouts.
    var microseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }
}
