#include "sim/mail_source.hpp"

#include "sim/mail_gen.hpp"
#include "sim/mime_codec.hpp"
#include "sim/mime_split.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gc::sim {

namespace fs = std::filesystem;

uint32_t mail_store::add_generated(uint32_t gen_index) {
  entries_.push_back(entry{gen_index, nullptr, {}});
  return uint32_t(entries_.size() - 1);
}

uint32_t mail_store::add_raw(std::string raw) {
  entry e;
  auto top = parse_message(std::string_view(raw).substr(0, raw.find("\r\n\r\n")));
  if (auto h = top.header("Message-ID")) {
    auto ids = message_id_list(*h);
    e.message_id = ids.empty() ? trim(*h) : ids[0];
  }
  e.raw = std::make_shared<const std::string>(std::move(raw));
  entries_.push_back(std::move(e));
  return uint32_t(entries_.size() - 1);
}

const std::string& mail_store::message_id(uint32_t i) const {
  auto& e = entries_.at(i);
  return e.raw ? e.message_id : gen_->mails()[e.gen].message_id;
}

std::optional<uint32_t> mail_store::generated_index(uint32_t i) const {
  auto& e = entries_.at(i);
  if (e.raw) return std::nullopt;
  return e.gen;
}

mail_part mail_store::tree(uint32_t i) const {
  auto& e = entries_.at(i);
  return e.raw ? parse_message(*e.raw) : gen_->render(e.gen);
}

std::shared_ptr<const mail_view> mail_store::view(uint32_t i) const {
  auto& e = entries_.at(i);
  if (e.view) return e.view;
  auto v = std::make_shared<mail_view>();
  v->tree = tree(i);
  v->raw_size = e.raw ? e.raw->size() : render_raw(v->tree).size();
  v->snippet = make_snippet(v->tree);
  e.view = v;
  view_order_.push_back(i);
  view_bytes_ += v->raw_size;
  while (view_bytes_ > view_budget_ && view_order_.size() > 1) {
    auto& old = entries_[view_order_.front()];
    view_order_.pop_front();
    view_bytes_ -= old.view->raw_size;
    old.view.reset();
  }
  return v;
}

std::string mail_store::raw(uint32_t i) const {
  auto& e = entries_.at(i);
  return e.raw ? *e.raw : render_raw(gen_->render(e.gen));
}

namespace {
gc::result<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return gc::error{"io", "cannot read " + p.string()};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
} // namespace

gc::result<std::vector<std::string>> load_eml_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return gc::error{"bad_config", "not a directory: " + dir};
  std::vector<fs::path> files;
  for (auto& de : fs::directory_iterator(dir, ec))
    if (de.is_regular_file()) files.push_back(de.path());
  if (ec) return gc::error{"io", "cannot list " + dir + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (auto& f : files) {
    auto text = slurp(f);
    if (!text) return text.error();
    if (text->find(':') == std::string::npos) continue;   // not a message
    out.push_back(to_crlf(*text));
  }
  return out;
}

gc::result<std::vector<std::string>> load_mbox(const std::string& file) {
  auto text = slurp(file);
  if (!text) return text.error();
  std::vector<std::string> out;
  for (auto& m : split_mbox(*text)) out.push_back(to_crlf(m));
  if (out.empty()) return gc::error{"bad_config", "no messages in mbox " + file};
  return out;
}

std::optional<int64_t> parse_rfc822_date(std::string_view s) {
  std::string t = trim(s);
  if (auto comma = t.find(','); comma != std::string::npos) t = t.substr(comma + 1);
  std::istringstream in(t);
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  std::string mon, time, zone;
  if (!(in >> day >> mon >> year >> time)) return std::nullopt;
  in >> zone;
  static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  int m = -1;
  for (int i = 0; i < 12; ++i)
    if (lower(mon).rfind(months[i], 0) == 0) m = i;
  if (m < 0) return std::nullopt;
  if (year < 100) year += year < 50 ? 2000 : 1900;
  if (std::sscanf(time.c_str(), "%d:%d:%d", &hh, &mm, &ss) < 2) return std::nullopt;
  int off = 0;
  if (!zone.empty() && (zone[0] == '+' || zone[0] == '-') && zone.size() >= 5) {
    int v = std::atoi(zone.substr(1, 4).c_str());
    off = (v / 100 * 60 + v % 100) * (zone[0] == '-' ? -1 : 1);
  } else {
    static const std::pair<const char*, int> zones[] = {{"EST", -300}, {"EDT", -240}, {"CST", -360},
        {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420}};
    for (auto [z, o] : zones)
      if (zone == z) off = o;
  }
  // days from civil (Howard Hinnant's algorithm)
  int m1 = m + 1;
  int y = year - (m1 <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int mp = (m1 + 9) % 12;
  int doy = (153 * mp + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = int64_t(era) * 146097 + doe - 719468;
  int64_t secs = days * 86400 + hh * 3600 + mm * 60 + ss - int64_t(off) * 60;
  return secs * 1000;
}

std::string normalize_subject(std::string_view s) {
  std::string t = trim(s);
  for (bool again = true; again;) {
    again = false;
    for (std::string_view p : {"re:", "fwd:", "fw:", "aw:", "wg:", "tr:"}) {
      if (lower(t.substr(0, p.size())) == p) {
        t = trim(t.substr(p.size()));
        again = true;
      }
    }
  }
  return lower(t);
}

} // namespace gc::sim
