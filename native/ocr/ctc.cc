#include "ocr/ctc.h"

#include <algorithm>

namespace ocr {

void GreedyCtc(const float* probs, int steps, int classes, int spaceIdx, float stepPx, float x0,
               std::vector<CharHit>& out) {
  int prev = 0;
  bool pendingSpace = false;
  float gapSpace = 0;
  for (int t = 0; t < steps; ++t) {
    const float* row = probs + static_cast<size_t>(t) * classes;
    const int idx = static_cast<int>(std::max_element(row, row + classes) - row);
    const float p = row[idx];
    if (idx == 0) {
      if (spaceIdx < classes) gapSpace = std::max(gapSpace, row[spaceIdx]);
    } else if (idx == spaceIdx) {
      pendingSpace = true;
      gapSpace = std::max(gapSpace, p);
    } else if (idx == prev && !out.empty()) {
      CharHit& c = out.back();
      c.x1 = x0 + (t + 1) * stepPx;
      c.prob = std::max(c.prob, p);
    } else {
      CharHit c;
      c.cls = idx;
      c.x0 = x0 + t * stepPx;
      c.x1 = x0 + (t + 1) * stepPx;
      c.prob = p;
      c.gapSpace = gapSpace;
      c.modelSpace = pendingSpace;
      out.push_back(c);
      pendingSpace = false;
      gapSpace = 0;
    }
    prev = idx;
  }
}

}  // namespace ocr
