#include "ocr/text_fixes.h"

#include <cstring>
#include <vector>

namespace ocr {
namespace {

std::vector<char32_t> Decode(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

void Encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsCjk(char32_t c) { return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF); }

char32_t LookAlike(char32_t c) {
  switch (c) {
    case U'二': return U'=';
    case U'一': return U'-';
    case U'丨': return U'|';
    case U'口': return U'O';
    case U'〇': return U'O';
    case U'。': return U'.';
    case U'、': return U',';
    case U'〈': return U'<';
    case U'〉': return U'>';
    case 0x3000: return U' ';  // ideographic space
    default: return c;
  }
}

}  // namespace

bool LatinFixApplies(const std::string& line) {
  std::vector<char32_t> cps = Decode(line);
  size_t latin = 0;
  for (char32_t c : cps) {
    c = LookAlike(c);
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width ASCII block
    if (IsCjk(c)) return false;                             // real CJK text: leave as recognized
    if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) ++latin;
  }
  return latin > 0 || cps.size() <= 2;
}

// Letters read for digits inside numbers and code: O/o and l/I between two digits ("2O24",
// "1l7"), O after = ( [ , : + * / < > or a digit and before , ; ) ] : or a digit ("x=(O,0)",
// "i=O;"), and a leading "Ox" before hex digits ("Oxff").
void DigitsInNumbers(std::vector<char32_t>& c) {
  auto digit = [&](size_t i) { return i < c.size() && c[i] >= U'0' && c[i] <= U'9'; };
  auto in = [](char32_t ch, const char* set) { return ch != 0 && ch < 0x80 && std::strchr(set, static_cast<char>(ch)); };
  auto hex = [](char32_t ch) { return (ch >= U'0' && ch <= U'9') || (ch >= U'a' && ch <= U'f') || (ch >= U'A' && ch <= U'F'); };
  if (c.size() >= 4 && c[0] == U'O' && (c[1] == U'x' || c[1] == U'X') && hex(c[2]) && hex(c[3])) c[0] = U'0';
  for (size_t i = 0; i < c.size(); ++i) {
    const bool before = i > 0 && digit(i - 1), after = digit(i + 1);
    const char32_t prev = i > 0 ? c[i - 1] : 0, next = i + 1 < c.size() ? c[i + 1] : 0;
    if ((c[i] == U'O' || c[i] == U'o') && before && after) c[i] = U'0';
    else if ((c[i] == U'l' || c[i] == U'I') && before && after) c[i] = U'1';
    else if (c[i] == U'O' && (before || in(prev, "=([,:+*/<>")) && (after || in(next, ",;)]:"))) c[i] = U'0';
  }
}

std::string MapLatin(const std::string& utf8, bool lineStart) {
  std::vector<char32_t> cps = Decode(utf8);
  for (char32_t& c : cps) {
    c = LookAlike(c);
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
  }
  DigitsInNumbers(cps);
  if (lineStart && cps.size() == 1 && cps[0] == U'·') cps[0] = U'•';
  std::string out;
  out.reserve(utf8.size());
  for (char32_t c : cps) Encode(c, out);
  return out;
}

std::string FixLatinLine(const std::string& utf8) {
  if (!LatinFixApplies(utf8)) return utf8;
  std::vector<char32_t> cps = Decode(utf8);
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t c = LookAlike(cps[i]);
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (i == 0 && c == U'·' && (cps.size() == 1 || cps[1] == U' ')) c = U'•';
    Encode(c, out);
  }
  return out;
}

}  // namespace ocr
