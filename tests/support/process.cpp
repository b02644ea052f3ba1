#include "support/process.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace gc::test {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

} // namespace

child_process::child_process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                             const std::string& stdin_text) {
  int in[2], out[2], err[2];
  if (::pipe(in) || ::pipe(out) || ::pipe(err)) throw std::runtime_error("pipe failed");
  if (!env.count("PATH")) env["PATH"] = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(args[0], args.data(), envp.data());
    std::fprintf(stderr, "execve %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!stdin_text.empty()) {
    auto n = ::write(in[1], stdin_text.data(), stdin_text.size());
    (void)n;
  }
  ::close(in[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
  ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

child_process::~child_process() {
  if (!status_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
  }
  close_fd(out_fd_);
  close_fd(err_fd_);
}

void child_process::pump(int timeout_ms) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  int n = ::poll(fds, 2, timeout_ms);
  if (n <= 0) return;
  char buf[65536];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
    for (;;) {
      auto r = ::read(fds[i].fd, buf, sizeof buf);
      if (r <= 0) break;
      (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(r));
    }
  }
}

std::optional<std::string> child_process::wait_for_stdout_line(const std::string& needle,
                                                               std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t scanned = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pump(50);
    size_t pos;
    while ((pos = out_.find('\n', scanned)) != std::string::npos) {
      auto line = out_.substr(scanned, pos - scanned);
      scanned = pos + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    int st = 0;
    if (!status_ && ::waitpid(pid_, &st, WNOHANG) == pid_)
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (status_) {
      pump(0);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void child_process::signal(int sig) {
  if (!status_) ::kill(pid_, sig);
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!status_ && std::chrono::steady_clock::now() < deadline) {
    pump(20);
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  pump(0);
  return status_;
}

std::string child_process::out() {
  pump(0);
  return out_;
}
std::string child_process::err() {
  pump(0);
  return err_;
}

run_result run_process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                       const std::string& stdin_text, std::chrono::milliseconds timeout) {
  child_process p{std::move(argv), std::move(env), stdin_text};
  auto code = p.wait(timeout);
  return {code.value_or(-1), p.out(), p.err()};
}

} // namespace gc::test
