import DequeModule
import Dispatch

/// A caller waiting for a connection of a pool: a task (suspended) or a thread (blocked).
///
/// Not generic, like everything the pool touches on the synchronous hot path
/// (``PoolQueue``, ``ConnectionSlot``): the pool is generic over its backend's connection
/// type but runs unspecialized for it, where each generic type used costs a run-time
/// metadata lookup.
final class PoolWaiter: @unchecked Sendable {
    /// The task's request (for withdrawing it on cancellation), or nil for a thread.
    let request: AnyObject?
    /// When the caller gives up, in `DispatchTime` nanoseconds.
    let deadline: UInt64
    /// For a task: called, outside the pool's lock, with the slot it was given.
    let grant: (@Sendable (Int) -> Void)?
    /// For a task: called, outside the lock, when it timed out.
    let fail: (@Sendable (any Error) -> Void)?
    /// For a thread: signalled when it was given a slot.
    let wake: DispatchSemaphore?
    /// For a thread: the slot it was given; written under the pool's lock.
    var granted: Int?

    /// A waiting task.
    init(request: AnyObject, deadline: UInt64,
         grant: @escaping @Sendable (Int) -> Void, fail: @escaping @Sendable (any Error) -> Void) {
        self.request = request
        self.deadline = deadline
        self.grant = grant
        self.fail = fail
        wake = nil
    }

    /// A waiting thread.
    init(deadline: UInt64) {
        request = nil
        self.deadline = deadline
        grant = nil
        fail = nil
        wake = DispatchSemaphore(value: 0)
    }

    var isTask: Bool { request != nil }
}

/// What a pool keeps under its lock: the free slots and the waiters, first come first served.
struct PoolQueue {
    /// Free slots, the most recently returned last (it is the likeliest to be healthy).
    var idle: [Int]
    var waiters = Deque<PoolWaiter>()
    /// The deadline the timer is set for, if it is set.
    var timerDeadline: UInt64?

    init(slots: Int) {
        idle = Array((0..<slots).reversed())
    }

    /// A free slot, if no one waits for one.
    mutating func takeFree() -> Int? {
        waiters.isEmpty ? idle.popLast() : nil
    }

    /// Hands a returned slot to the longest waiter, or keeps it free.
    mutating func giveBack(_ slot: Int) -> PoolWaiter? {
        guard let waiter = waiters.popFirst() else {
            idle.append(slot)
            return nil
        }
        if !waiter.isTask { waiter.granted = slot }
        return waiter
    }

    /// Removes a task's request that gave up; false if it no longer waits.
    mutating func withdraw(_ request: AnyObject) -> Bool {
        guard let position = waiters.firstIndex(where: { $0.request === request }) else { return false }
        waiters.remove(at: position)
        return true
    }

    /// Removes the tasks whose deadline passed; returns them, and the next deadline.
    mutating func expire(now: UInt64) -> (expired: [PoolWaiter], next: UInt64?) {
        var expired: [PoolWaiter] = []
        var next: UInt64?
        waiters.removeAll { waiter in
            guard waiter.isTask else { return false }  // threads time out by themselves
            if waiter.deadline <= now {
                expired.append(waiter)
                return true
            }
            next = min(next ?? .max, waiter.deadline)
            return false
        }
        return (expired, next)
    }
}
