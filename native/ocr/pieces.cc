#include "ocr/pieces.h"

#include <algorithm>

namespace ocr {

std::vector<Piece> PlanPieces(const std::vector<float>& ink, int maxWidth, int overlap) {
  const int width = static_cast<int>(ink.size());
  std::vector<Piece> pieces;
  int start = 0;
  while (maxWidth > 0 && width - start > maxWidth) {
    // The cut goes where no character is: the middle of the widest run of blank columns in the
    // second half of the window (the last one on ties), else the faintest column.
    const int lo = start + maxWidth / 2, hi = start + maxWidth;
    int cut = -1, bestLen = 0;
    for (int x = lo; x < hi;) {
      if (ink[x] > 0.f) { ++x; continue; }
      int e = x;
      while (e < hi && ink[e] <= 0.f) ++e;
      if (e - x >= bestLen) { bestLen = e - x; cut = (x + e) / 2; }
      x = e;
    }
    if (cut < 0) cut = static_cast<int>(std::min_element(ink.begin() + lo, ink.begin() + hi) - ink.begin());
    pieces.push_back(Piece{std::max(0, start - overlap), std::min(width, cut + overlap), start, cut});
    start = cut;
  }
  pieces.push_back(Piece{std::max(0, start - overlap), width, start, width});
  return pieces;
}

}  // namespace ocr
