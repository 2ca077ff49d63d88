#include "ocr/ctc.h"

#include <algorithm>

namespace ocr {

void ReduceSteps(const float* probs, int steps, int classes, int spaceIdx, int64_t* best, float* prob, float* space) {
  for (int t = 0; t < steps; ++t) {
    const float* row = probs + static_cast<size_t>(t) * classes;
    const int idx = static_cast<int>(std::max_element(row, row + classes) - row);
    best[t] = idx;
    prob[t] = row[idx];
    space[t] = spaceIdx < classes ? row[spaceIdx] : 0.f;
  }
}

void GreedyCtc(const StepsView& s, int spaceIdx, float stepPx, float x0, std::vector<CharHit>& out) {
  int prev = 0;
  bool pendingSpace = false;
  float gapSpace = 0;
  for (int t = 0; t < s.steps; ++t) {
    const int idx = static_cast<int>(s.best[t]);
    const float p = s.prob[t];
    if (idx == 0) {
      gapSpace = std::max(gapSpace, s.space[t]);
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
