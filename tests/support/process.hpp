#pragma once
// Runs a program as a child process for end-to-end tests: environment, stdin text, captured
// stdout/stderr, waiting for a line, signals, exit status.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gc::test {

class child_process {
public:
  // Starts `argv[0]` with `argv` and exactly `env` (plus PATH). stdout and stderr are captured.
  child_process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                const std::string& stdin_text = "");
  ~child_process();  // SIGKILLs the child if it still runs
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Waits until stdout has a line containing `needle`; returns it, or nullopt on timeout/exit.
  std::optional<std::string> wait_for_stdout_line(const std::string& needle,
                                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));
  void signal(int sig);
  // Waits for exit; returns the exit code (128+N if killed by signal N), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  std::string out();  // everything read from stdout so far (drains the pipe first)
  std::string err();  // everything read from stderr so far
  int pid() const { return pid_; }

private:
  void pump(int timeout_ms);
  int pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  std::optional<int> status_;
};

// Runs to completion; returns {exit code, stdout, stderr}.
struct run_result {
  int code;
  std::string out;
  std::string err;
};
run_result run_process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                       const std::string& stdin_text = "",
                       std::chrono::milliseconds timeout = std::chrono::seconds(120));

} // namespace gc::test
