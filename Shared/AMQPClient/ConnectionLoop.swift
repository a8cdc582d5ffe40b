import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The mailbox of one connection's thread: other threads hand it commands and wake it; only that thread runs them.
///
/// rabbitmq-c connections are not thread-safe, so each `AMQPConnection` has a thread of its own that owns the
/// C handle; everything else reaches the handle through commands submitted here.
final class ConnectionLoop: Sendable {
    typealias Command = @Sendable (ConnectionCore) -> Void

    private let commands = Mutex<[Command]>([])
    /// The read end is polled by the connection thread next to the socket; a byte on the write end wakes it.
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    /// Mirrors of the thread's state for cheap reads from anywhere.
    let connected = Atomic<Bool>(false)
    let blocked = Atomic<Bool>(false)

    init() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { fatalError("pipe() failed: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    /// Queues `command` for the connection thread and wakes it.
    func submit(_ command: @escaping Command) {
        let wasEmpty = commands.withLock { queue in
            queue.append(command)
            return queue.count == 1
        }
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(wakeWriteFD, &byte, 1)
        }
    }

    /// Everything submitted so far, in order; called by the connection thread only.
    func takeCommands() -> [Command] {
        commands.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Empties the wake pipe after a wake-up.
    func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReadFD, &buffer, buffer.count) > 0 {}
    }
}
