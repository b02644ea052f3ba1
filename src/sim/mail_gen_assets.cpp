// Tiny but valid attachment bytes: a one-page PDF with a correct xref table, two PNGs and a
// baseline JPEG (8x8 grey, single-code Huffman tables).
#include "sim/mail_gen.hpp"

#include <cstdio>
#include <vector>

namespace gc::sim::gen {
namespace {

std::string bytes(std::initializer_list<unsigned> v) {
  std::string s;
  for (auto b : v) s += char(b);
  return s;
}

std::string pdf_escape(const std::string& t) {
  std::string out;
  for (char c : t) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += uint8_t(c) < 0x80 ? c : '?';
  }
  return out;
}

} // namespace

std::string make_pdf(const std::string& title, uint64_t variant) {
  std::string content = "BT /F1 18 Tf 72 720 Td (" + pdf_escape(title) + ") Tj ET\n"
                        "BT /F1 11 Tf 72 690 Td (Document " + std::to_string(variant) + ") Tj ET\n";
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  char line[32];
  for (auto off : offsets) {
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string logo_png() {
  return bytes({0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
                0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02,
                0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44,
                0x41, 0x54, 0x78, 0xda, 0x63, 0x90, 0x2a, 0x7e, 0x01, 0x44, 0x0c, 0x10, 0x0a,
                0x00, 0x25, 0xa2, 0x05, 0xd5, 0x80, 0x5e, 0x9b, 0x36, 0x00, 0x00, 0x00, 0x00,
                0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82});
}

std::string chart_png() {
  return bytes({0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
                0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02,
                0x00, 0x00, 0x00, 0x12, 0x16, 0xf1, 0x4d, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44,
                0x41, 0x54, 0x78, 0xda, 0x63, 0x30, 0x59, 0x11, 0x0c, 0x41, 0x0c, 0x70, 0x16,
                0x00, 0x46, 0x5e, 0x07, 0x1b, 0x98, 0xde, 0xdb, 0xb8, 0x00, 0x00, 0x00, 0x00,
                0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82});
}

std::string photo_jpeg() {
  std::string j = bytes({0xFF, 0xD8,                                       // SOI
                         0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00,
                         0x00, 0x01, 0x00, 0x01, 0x00, 0x00,                // APP0 JFIF
                         0xFF, 0xDB, 0x00, 0x43, 0x00});                    // DQT, table 0
  j += std::string(64, char(1));
  j += bytes({0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,  // SOF0 8x8
              0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0x00,                                                      // DHT DC0: one code
              0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0x00,                                                      // DHT AC0: EOB only
              0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,  // SOS
              0x3F,                                                      // DC=0, EOB, pad 1s
              0xFF, 0xD9});                                              // EOI
  return j;
}

} // namespace gc::sim::gen
