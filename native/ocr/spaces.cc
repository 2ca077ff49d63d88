#include "ocr/spaces.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

namespace ocr {
namespace {

float Median(std::vector<float> v) {
  if (v.empty()) return 0.f;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// Characters after which a space is rare (opening brackets, quotes) and before which it is rare
// (closing punctuation): the model's "Makefi le", "tar .gz" and "real [] ;" errors sit there.
// A slash is neither: "and/or" and "/usr/bin" have no space beside it, a running header
// "19 / 237" or "Linux / Unix" one on each side (SpacedSlash).
bool Opens(const std::string& s) {
  static const std::set<std::string> k{"(", "[", "{", "\"", "'", "“", "‘", "«", "¿", "¡", "/", "\\", "$", "@", "#"};
  return k.count(s) > 0;
}
bool Closes(const std::string& s) {
  static const std::set<std::string> k{".", ",", ";", ":", ")", "]", "}", "!", "?", "%", "'", "\"", "’", "”", "»", "-", "_", "="};
  return k.count(s) > 0;
}

// Beside a slash the recognizer's own space signal stays near 0 even where a space is drawn
// (rendered "19 / 237": 0.03-0.13, and the model below reads "19/237"), so the pixels decide
// there: a slash with a blank run of at least 1/8 of the line height and twice the line's typical
// one on each side stands between two spaces. Both sides, because one wide side is a narrow glyph
// in a monospaced cell ("http://") or a letter's bearing ("TCP/IP"), not a space. Rendered sans,
// serif and monospaced lines at 14-28 px: 0.146-0.27 h spaced, at most 0.104 h unspaced.
// The two sides of a typeset " / " are alike; a path's slash before a table's column gap
// ("sim/pdp11/   pdp11_cpumod.h", a narrow "1" in its monospaced cell on the other side) is not.
// Each side is at least 0.6 of the line's word spaces, where it has some the recognizer is sure of.
bool WideGap(float inkGap, float letterGap, float h) { return inkGap >= 0.125f * h && inkGap >= 2.f * letterGap; }
bool SpacedSlash(float before, float after, float letterGap, float wordGap, float h) {
  const float lo = std::min(before, after);
  return WideGap(before, letterGap, h) && WideGap(after, letterGap, h) && lo >= 0.5f * std::max(before, after) && lo >= 0.6f * wordGap;
}

// A logistic model of "a space stands here" over the gap between two characters, fitted on the
// shared corpus (clean and degraded pages; leave-one-document-out checked). Every feature is
// relative to the line itself or to the model's input height, so it carries across fonts and sizes:
// the model's own space signal, the blank time steps, the widest blank ink run, that run over the
// line's typical one, and the distance between character centers over the line's pitch (a
// monospaced space is a whole empty cell: twice the pitch).
constexpr float kBias = -4.262f, kModelSpace = 1.575f, kLogSpaceProb = 2.785f, kGapSteps = 0.213f,
                kInkGap = 11.104f, kRelInkGap = 0.255f, kPitch = 1.470f, kAfterOpen = 0.035f,
                kBeforeClose = -2.524f;

}  // namespace

std::vector<bool> SpacesBefore(const std::vector<CharHit>& chars, const std::vector<float>& ink, int height,
                               const std::vector<std::string>& charset, const RecOptions& opt) {
  std::vector<bool> space(chars.size(), false);
  if (chars.size() < 2) return space;
  if (!opt.restoreSpaces) {
    for (size_t i = 1; i < chars.size(); ++i) space[i] = chars[i].modelSpace;
    return space;
  }
  const float h = static_cast<float>(height), step = h / 6.f;  // the recognizer's stride: 8 of 48 rows
  const size_t n = chars.size() - 1;
  std::vector<float> dist(n), inkGap(n);
  const int width = static_cast<int>(ink.size());
  for (size_t i = 1; i < chars.size(); ++i) {
    const float a = (chars[i - 1].x0 + chars[i - 1].x1) / 2.f, b = (chars[i].x0 + chars[i].x1) / 2.f;
    dist[i - 1] = b - a;
    int run = 0, best = 0;
    for (int x = std::max(0, static_cast<int>(std::floor(a))); x < std::min(width, static_cast<int>(std::ceil(b))); ++x) {
      run = ink[x] <= 0.f ? run + 1 : 0;
      best = std::max(best, run);
    }
    inkGap[i - 1] = static_cast<float>(best);
  }
  const float pitch = std::max(Median(dist), step);
  const float inkMed = Median(inkGap);
  // The typical gap for WideGap, from the gaps beside no slash (in "19 / 237" half of them are).
  std::vector<float> plain;
  for (size_t i = 0; i < n; ++i)
    if (charset[chars[i].cls] != "/" && charset[chars[i + 1].cls] != "/") plain.push_back(inkGap[i]);
  const float letterGap = plain.empty() ? inkMed : Median(plain);
  // And the line's word spaces, the ones the recognizer is sure of: a spaced slash's blanks are
  // spaces, not a wide glyph's bearings ("gnuplot/<version>" in Computer Modern).
  std::vector<float> words;
  for (size_t i = 0; i < n; ++i)
    if (chars[i + 1].modelSpace && chars[i + 1].gapSpace > 0.5f && charset[chars[i].cls] != "/" && charset[chars[i + 1].cls] != "/") words.push_back(inkGap[i]);
  const float wordGap = words.empty() ? 0.f : Median(words);
  for (size_t i = 1; i < chars.size(); ++i) {
    const CharHit& c = chars[i];
    const float gapSteps = (c.x0 - chars[i - 1].x1) / step;
    // A spaced slash (SpacedSlash): chars[i] is the slash or the character after it.
    const bool slashBefore = i >= 2 && charset[chars[i - 1].cls] == "/" && SpacedSlash(inkGap[i - 2], inkGap[i - 1], letterGap, wordGap, h);
    const bool slashAfter = i + 1 < chars.size() && charset[c.cls] == "/" && SpacedSlash(inkGap[i - 1], inkGap[i], letterGap, wordGap, h);
    if (slashBefore || slashAfter) {
      space[i] = true;
      continue;
    }
    if (!c.modelSpace && c.gapSpace <= 0.01f && gapSteps < 4.f) continue;
    const float z = kBias + kModelSpace * (c.modelSpace ? 1.f : 0.f) +
                    kLogSpaceProb * std::log10(std::max(c.gapSpace, 1e-4f)) + kGapSteps * gapSteps +
                    kInkGap * inkGap[i - 1] / h + kRelInkGap * (inkGap[i - 1] + 1.f) / (inkMed + 1.f) +
                    kPitch * dist[i - 1] / pitch + kAfterOpen * (Opens(charset[chars[i - 1].cls]) ? 1.f : 0.f) +
                    kBeforeClose * (Closes(charset[c.cls]) ? 1.f : 0.f) + opt.spaceBias;
    space[i] = z > 0.f;
  }
  return space;
}

}  // namespace ocr
