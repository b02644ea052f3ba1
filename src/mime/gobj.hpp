#pragma once
// RAII for GMime/GLib handles (style.md §3). gobj<T> owns one GObject reference; adopt() takes
// over a "transfer full" pointer, ref() adds a reference to a borrowed one. Non-GObject handles
// (g_malloc'd strings, GDateTime, GMimeReferences, parser options) use unique_ptr deleters.
// No bare *_unref / *_free / g_free outside this file.
#include <gmime/gmime.h>

#include <memory>
#include <utility>

namespace gc::mime {

template <class T>
class gobj {
public:
  static gobj adopt(T* p) { return gobj{p}; }                       // transfer full
  static gobj ref(T* p) {                                           // borrowed -> owned
    if (p) g_object_ref(p);
    return gobj{p};
  }
  gobj() = default;
  gobj(const gobj& o) : p_{o.p_} {
    if (p_) g_object_ref(p_);
  }
  gobj(gobj&& o) noexcept : p_{std::exchange(o.p_, nullptr)} {}
  gobj& operator=(gobj o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~gobj() {
    if (p_) g_object_unref(p_);
  }
  T* get() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

private:
  explicit gobj(T* p) : p_{p} {}
  T* p_ = nullptr;
};

struct gfree {
  void operator()(void* p) const noexcept { g_free(p); }
};
struct date_time_unref {
  void operator()(GDateTime* p) const noexcept { g_date_time_unref(p); }
};
struct references_free {
  void operator()(GMimeReferences* p) const noexcept { g_mime_references_free(p); }
};
struct parser_options_free {
  void operator()(GMimeParserOptions* p) const noexcept { g_mime_parser_options_free(p); }
};

using gchar_ptr = std::unique_ptr<char, gfree>;
using date_time_ptr = std::unique_ptr<GDateTime, date_time_unref>;
using references_ptr = std::unique_ptr<GMimeReferences, references_free>;
using parser_options_ptr = std::unique_ptr<GMimeParserOptions, parser_options_free>;

// g_mime_init() exactly once per process (std::call_once). Every entry point of gc_mime calls
// it first. g_mime_shutdown() is deliberately never called: other threads may still be parsing
// while the process exits, and the OS reclaims the memory anyway.
void init_gmime_once();

// Fresh parser options for one parse (loose RFC compliance, fallback charsets UTF-8 then
// windows-1252 for undeclared 8-bit header text). Each parse owns its copy, so the warning
// callback and its user data are never shared between threads.
parser_options_ptr make_parser_options();

} // namespace gc::mime
