#include "actors/messages.hpp"

namespace gc::actors {

std::string to_string(errc x) {
  switch (x) {
    case errc::job_failed: return "job_failed";
    case errc::commit_failed: return "commit_failed";
    case errc::unavailable: return "unavailable";
    case errc::unknown_child: return "unknown_child";
    case errc::duplicate_child: return "duplicate_child";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

caf::error make_gc_error(errc code, std::string detail) {
  return caf::make_error(code, std::move(detail));
}

namespace {

// The name of an error code of one of the categories we meet; empty when unknown.
std::string code_name(const caf::error& err) {
  if (err.category() == caf::atom("gc"))
    return to_string(static_cast<errc>(err.code()));
  if (err.category() == caf::atom("system"))
    return caf::to_string(static_cast<caf::sec>(err.code()));
  if (err.category() == caf::atom("exit"))
    return caf::to_string(static_cast<caf::exit_reason>(err.code()));
  return {};
}

} // namespace

std::string error_detail(const caf::error& err) {
  if (!err)
    return "no error";
  const auto& ctx = err.context();
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  auto name = code_name(err);
  if (name.empty())
    return caf::to_string(err);
  return ctx.empty() ? name : name + " " + caf::to_string(ctx);
}

std::string error_code(const caf::error& err) {
  if (err.category() == caf::atom("gc"))
    return to_string(static_cast<errc>(err.code()));
  if (err == caf::sec::request_timeout)
    return "timeout";
  if (err == caf::sec::request_receiver_down)
    return "unavailable";
  return "actor";
}

} // namespace gc::actors
