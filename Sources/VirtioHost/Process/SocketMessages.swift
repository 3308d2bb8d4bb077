import CVirtioHost
import Foundation

/// Messages over a Unix stream socket, with descriptors riding along (SCM_RIGHTS). Each call tries
/// at once and polls only when the socket is not ready, so a request and its reply cost one system
/// call each way when the peer keeps up, and never block past the deadline when it does not.
extension Descriptor {
    /// Bytes and the descriptors that came with them (close-on-exec, now the caller's).
    public struct Received {
        public var bytes: [UInt8]
        public var descriptors: [Int32]
        /// More descriptors came than `maximumDescriptors`; the rest were closed.
        public var droppedDescriptors: Bool
    }

    /// Sends every byte; the descriptors go with the first part sent.
    public func send(_ bytes: [UInt8], descriptors: [Int32] = [], until deadline: Deadline, what: String) throws(HostError) {
        var sent = 0
        var fds = descriptors
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                fds.withUnsafeBufferPointer { fdBuffer in
                    cvh_send_with_fds(raw, buffer.baseAddress! + sent, buffer.count - sent, fdBuffer.baseAddress,
                                      Int32(fdBuffer.count))
                }
            }
            if count < 0 {
                if errno == EAGAIN {
                    guard try wait(for: Int16(POLLOUT), until: deadline) else {
                        throw HostError(.timeout, "\(what) took nothing in time")
                    }
                    continue
                }
                if errno == EPIPE || errno == ECONNRESET { throw HostError(.protocolViolation, "\(what) closed the connection") }
                throw HostError.system("sending to \(what)", errno: errno)
            }
            sent += count
            fds = []
        }
    }

    /// Receives up to `count` bytes, waiting (bounded) for at least one; empty bytes mean the peer
    /// closed the connection.
    public func receive(upTo count: Int, maximumDescriptors: Int = 32, until deadline: Deadline,
                        what: String) throws(HostError) -> Received {
        var buffer = [UInt8](repeating: 0, count: max(1, count))
        var fds = [Int32](repeating: -1, count: max(1, maximumDescriptors))
        while true {
            var fdCount: Int32 = 0
            var flags: Int32 = 0
            let got = buffer.withUnsafeMutableBytes { bytes in
                fds.withUnsafeMutableBufferPointer { fdBuffer in
                    cvh_receive_with_fds(raw, bytes.baseAddress, bytes.count, fdBuffer.baseAddress, Int32(maximumDescriptors),
                                         &fdCount, &flags)
                }
            }
            if got >= 0 {
                return Received(bytes: Array(buffer.prefix(got)), descriptors: Array(fds.prefix(Int(fdCount))),
                                droppedDescriptors: flags & Int32(MSG_CTRUNC) != 0)
            }
            guard errno == EAGAIN else { throw HostError.system("receiving from \(what)", errno: errno) }
            guard try wait(for: Int16(POLLIN), until: deadline) else {
                throw HostError(.timeout, "\(what) sent nothing in time")
            }
        }
    }
}
