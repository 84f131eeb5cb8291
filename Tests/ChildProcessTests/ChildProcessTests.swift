import ChildProcess
import Foundation
import Testing

// MARK: - ChildProcess

@Suite("ChildProcess: run a program to its end")
struct ChildProcessTests {
  static let sh = "/bin/sh"

  @Test("exit codes come back; a signal is 128 + its number")
  func statuses() throws {
    #expect(try ChildProcess.run(Self.sh, ["-c", "exit 0"]).status == 0)
    #expect(try ChildProcess.run(Self.sh, ["-c", "exit 3"]).status == 3)
    #expect(try ChildProcess.run(Self.sh, ["-c", "exit 255"]).status == 255)
    #expect(try ChildProcess.run(Self.sh, ["-c", "kill -TERM $$"]).status == 143)
    #expect(try ChildProcess.run(Self.sh, ["-c", "kill -INT $$"]).status == 130)
  }

  @Test("both streams are read as they fill: 1 MB on each does not deadlock")
  func bigOutputs() throws {
    let r = try ChildProcess.run(
      Self.sh, ["-c", "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2; echo x >&2"],
      timeout: 30)
    #expect(!r.timedOut)
    #expect(r.stdout.count == 1_000_000 && r.stdout.allSatisfy { $0 == 0 })
    #expect(r.stderr.count == 1_000_002 && r.stderrText.hasSuffix("x\n"))
  }

  @Test("standard input: bytes are fed in full, then closed; nil is /dev/null")
  func standardInput() throws {
    let data = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    let r = try ChildProcess.run("/bin/cat", [], stdin: data, timeout: 30)
    #expect(r.status == 0 && r.stdout == data)
    let empty = try ChildProcess.run("/bin/cat", [], stdin: [], timeout: 10)
    #expect(empty.status == 0 && empty.stdout.isEmpty && !empty.timedOut)
    let none = try ChildProcess.run("/bin/cat", [], timeout: 10)
    #expect(none.status == 0 && none.stdout.isEmpty && !none.timedOut)
  }

  @Test("the environment is exactly the given one, or this process's")
  func environment() throws {
    let r = try ChildProcess.run("/usr/bin/env", [], environment: ["A": "1", "B": "two words"])
    #expect(Set(r.stdoutText.split(separator: "\n")) == ["A=1", "B=two words"])
    let inherited = try ChildProcess.run("/usr/bin/env", [])
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    #expect(inherited.stdoutText.contains("PATH=\(path)\n"))
  }

  @Test("the deadline kills a child that never ends")
  func timeout() throws {
    let start = Date()
    let r = try ChildProcess.run("/bin/sleep", ["30"], timeout: 0.3)
    #expect(r.timedOut)
    #expect(r.status == 128 + SIGKILL)
    #expect(Date().timeIntervalSince(start) < 10)
  }

  @Test("without capture, a daemon left holding the streams does not keep the caller waiting")
  func daemonWithoutCapture() throws {
    let start = Date()
    let r = try ChildProcess.run(Self.sh, ["-c", "sleep 20 & exit 0"], capture: false, timeout: 15)
    #expect(r.status == 0 && !r.timedOut)
    #expect(Date().timeIntervalSince(start) < 10)
    _ = try ChildProcess.run("/usr/bin/pkill", ["-f", "^sleep 20$"])
  }

  @Test("children spawned at once inherit no one else's pipes: each sees only 0, 1 and 2")
  func noLeakedDescriptors() async throws {
    let lists = await withTaskGroup(of: String.self) { group in
      for _ in 0..<16 {
        group.addTask {
          // `ls` of its own /proc/self/fd also shows the directory it is reading: 4 entries.
          (try? ChildProcess.run("/bin/ls", ["/proc/self/fd"], stdin: [1, 2, 3]))?.stdoutText
            ?? "failed"
        }
      }
      var all: [String] = []
      for await text in group { all.append(text) }
      return all
    }
    for text in lists {
      let fds = text.split(separator: "\n").compactMap { Int($0) }
      #expect(fds.count == 4 && fds.prefix(3) == [0, 1, 2], "descriptors: \(text)")
    }
  }

  @Test("a program that does not exist is a SpawnError naming it")
  func missingProgram() {
    #expect(throws: ChildProcess.SpawnError.self) {
      try ChildProcess.run("/nonexistent/program", [])
    }
    let message = (try? ChildProcess.run("/nonexistent/program", [])).map { _ in "" }
    #expect(message == nil)
    do {
      _ = try ChildProcess.run("/nonexistent/program", [])
    } catch {
      #expect(error.description.contains("/nonexistent/program"))
      #expect(error.description.contains("No such file"))
    }
  }
}
