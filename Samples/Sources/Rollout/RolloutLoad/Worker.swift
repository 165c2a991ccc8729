import Foundation

struct UserBody: Codable, Equatable {
    var id: Int64
    var name: String
    var email: String?
    var plan: String?
}

struct PostBody: Codable, Equatable {
    var id: Int64
    var userID: Int64
    var title: String
    var body: String
}

/// What the database must hold for a user, from the acknowledged writes of its one writer.
struct ExpectedUser {
    var name: String
    var email: String?
    /// The last plan a v2 process acknowledged (v1 writes leave it; new rows start "free").
    var plan: String
    /// Set when a write's outcome is unknown (it failed): the row is left out of the check.
    var uncertain = false
    /// Whether the expected plan was written by a v2 process before the expand migration
    /// (it was kept in the overflow column then).
    var planWrittenEarly = false
}

/// Sends requests over keep-alive connections, retrying (on another live process) only what a
/// process did not accept.
final class Client {
    let control: Control
    private var connections: [Int: HTTPConnection] = [:]

    init(control: Control) { self.control = control }

    /// The response, whether it needed another process, or why it failed.
    func send(_ method: String, _ path: String, body: [UInt8]? = nil) -> (HTTPResponse?, retried: Bool, failure: String?) {
        var retried = false
        for _ in 0..<20 {
            guard let port = control.nextPort() else {
                Thread.sleep(forTimeInterval: 0.01)
                retried = true
                continue
            }
            let connection = connections[port] ?? HTTPConnection(port: port)
            connections[port] = connection
            switch connection.send(method, path, body: body) {
            case .response(let response): return (response, retried, nil)
            case .notAccepted:
                connections[port] = nil
                retried = true
                Thread.sleep(forTimeInterval: 0.005)
            case .failed(let reason):
                connections[port] = nil
                return (nil, retried, "\(method) \(path) on :\(port): \(reason)")
            }
        }
        return (nil, retried, "\(method) \(path): no process accepted it")
    }
}

/// One load worker: owns the users and posts whose ids are `index + 1 + k·count`, so each
/// row has one writer and the order of its acknowledged writes is the order they applied.
final class Worker: @unchecked Sendable {
    let index: Int
    let count: Int
    let control: Control
    let statistics: Statistics
    let interval: Double
    var random: SplitMix
    private(set) var users: [Int64: ExpectedUser] = [:]
    private(set) var posts: [Int64: PostBody] = [:]
    private var userIDs: [Int64] = []
    private var postIDs: [Int64] = []
    private var nextUser = 0
    private var nextPost = 0
    private lazy var client = Client(control: control)
    private let plans = ["free", "pro", "team", "enterprise"]

    init(index: Int, count: Int, control: Control, statistics: Statistics, interval: Double, seed: UInt64) {
        self.index = index
        self.count = count
        self.control = control
        self.statistics = statistics
        self.interval = interval
        random = SplitMix(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
    }

    private func newID(_ counter: inout Int) -> Int64 {
        counter += 1
        return Int64((counter - 1) * count + index + 1)
    }

    func run() {
        var deadline = Date().timeIntervalSince1970
        while !control.stopRequested {
            step()
            deadline += interval
            let wait = deadline - Date().timeIntervalSince1970
            if wait > 0 { Thread.sleep(forTimeInterval: wait) } else { deadline = Date().timeIntervalSince1970 }
        }
    }

    private func token() -> String { String(random.next() % 1_000_000, radix: 36) }

    private func step() {
        let roll = random.next() % 100
        if userIDs.isEmpty || roll < 12 { return createUser() }
        switch roll {
        case 12..<22: updateUser()
        case 22..<30: createPost()
        case 30..<36: updatePost()
        case 36..<62: readUser()
        case 62..<74: get("/users?after=\(random.next() % UInt64(max(1, userIDs.count * count)))&limit=20")
        case 74..<84: get("/users?search=\(token().prefix(2))&limit=20")
        case 84..<92: readPost()
        default: get("/users/\(userIDs[Int(random.next() % UInt64(userIDs.count))])/posts")
        }
    }

    private func timed(_ write: Bool, _ method: String, _ path: String, _ body: [UInt8]?,
                       check: (HTTPResponse) -> (failure: String?, wrong: Bool)) -> HTTPResponse? {
        let phase = control.phase
        let start = DispatchTime.now().uptimeNanoseconds
        let (response, retried, failure) = client.send(method, path, body: body)
        let latency = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if let failure {
            statistics.record(phase: phase, write: write, latencyMs: latency, retried: retried, failure: failure)
            return nil
        }
        let verdict = check(response!)
        statistics.record(phase: phase, write: write, latencyMs: latency, retried: retried,
                          failure: verdict.failure, wrongValue: verdict.wrong)
        return verdict.failure == nil ? response : nil
    }

    private func expectStatus(_ expected: Int, _ method: String, _ path: String) -> (HTTPResponse) -> (failure: String?, wrong: Bool) {
        { response in
            response.status == expected ? (nil, false)
                : ("\(method) \(path): HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))", false)
        }
    }

    private func get(_ path: String) {
        _ = timed(false, "GET", path, nil, check: expectStatus(200, "GET", path))
    }

    private func createUser() {
        let phase = control.phase
        let id = newID(&nextUser)
        let user = UserBody(id: id, name: "user \(id) \(token())", email: random.next() % 3 == 0 ? nil : "u\(id)@example.com",
                            plan: plans[Int(random.next() % UInt64(plans.count))])
        let response = timed(true, "POST", "/users", try! JSONEncoder().encode(user).bytes, check: expectStatus(201, "POST", "/users"))
        guard let response else {
            users[id] = ExpectedUser(name: user.name, email: user.email, plan: "free", uncertain: true)
            return
        }
        let v2 = response.headers["x-release"] == "v2"
        users[id] = ExpectedUser(name: user.name, email: user.email, plan: v2 ? user.plan! : "free",
                                 planWrittenEarly: v2 && phase == "canary")
        userIDs.append(id)
    }

    private func updateUser() {
        let id = userIDs[Int(random.next() % UInt64(userIDs.count))]
        guard var expected = users[id], !expected.uncertain else { return }
        let user = UserBody(id: id, name: "user \(id) \(token())", email: random.next() % 3 == 0 ? nil : "u\(id).\(token())@example.com",
                            plan: plans[Int(random.next() % UInt64(plans.count))])
        let path = "/users/\(id)"
        let phase = control.phase
        guard let response = timed(true, "PUT", path, try! JSONEncoder().encode(user).bytes, check: expectStatus(200, "PUT", path)) else {
            users[id]?.uncertain = true
            return
        }
        expected.name = user.name
        expected.email = user.email
        if response.headers["x-release"] == "v2" {
            expected.plan = user.plan!
            expected.planWrittenEarly = phase == "canary"
        }
        users[id] = expected
    }

    private func readUser() {
        let id = userIDs[Int(random.next() % UInt64(userIDs.count))]
        guard let expected = users[id], !expected.uncertain else { return }
        let path = "/users/\(id)"
        _ = timed(false, "GET", path, nil) { response in
            guard response.status == 200 else {
                return ("GET \(path): HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))", false)
            }
            let problem = Self.difference(response, expected)
            return (problem.map { "GET \(path): \($0)" }, problem != nil)
        }
    }

    /// How a user response differs from what the acknowledged writes left, if it does.
    static func difference(_ response: HTTPResponse, _ expected: ExpectedUser) -> String? {
        guard let user = try? JSONDecoder().decode(UserBody.self, from: Data(response.body)) else { return "undecodable body" }
        if user.name != expected.name { return "name \(user.name.debugDescription), expected \(expected.name.debugDescription)" }
        if user.email != expected.email { return "email \(String(describing: user.email)), expected \(String(describing: expected.email))" }
        if response.headers["x-release"] == "v2", user.plan != expected.plan {
            return "plan \(String(describing: user.plan)), expected \(expected.plan)"
        }
        return nil
    }

    private func createPost() {
        let id = newID(&nextPost)
        let post = PostBody(id: id, userID: userIDs[Int(random.next() % UInt64(userIDs.count))],
                            title: "post \(id) \(token())", body: "body \(token()) \(token())")
        guard timed(true, "POST", "/posts", try! JSONEncoder().encode(post).bytes, check: expectStatus(201, "POST", "/posts")) != nil else {
            return
        }
        posts[id] = post
        postIDs.append(id)
    }

    private func updatePost() {
        guard !postIDs.isEmpty else { return createPost() }
        let id = postIDs[Int(random.next() % UInt64(postIDs.count))]
        guard var post = posts[id] else { return }
        post.title = "post \(id) \(token())"
        post.body = "body \(token())"
        let path = "/posts/\(id)"
        guard timed(true, "PUT", path, try! JSONEncoder().encode(post).bytes, check: expectStatus(200, "PUT", path)) != nil else {
            posts[id] = nil
            return
        }
        posts[id] = post
    }

    private func readPost() {
        guard !postIDs.isEmpty else { return get("/posts?search=\(token().prefix(1))") }
        let id = postIDs[Int(random.next() % UInt64(postIDs.count))]
        guard let expected = posts[id] else { return }
        let path = "/posts/\(id)"
        _ = timed(false, "GET", path, nil) { response in
            guard response.status == 200 else { return ("GET \(path): HTTP \(response.status)", false) }
            let post = try? JSONDecoder().decode(PostBody.self, from: Data(response.body))
            return post == expected ? (nil, false) : ("GET \(path): \(String(describing: post)), expected \(expected)", true)
        }
    }
}

/// A small seeded generator: the same seed gives the same request mix.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Data {
    var bytes: [UInt8] { [UInt8](self) }
}
