#include "ocr/word_boxes.h"

#include <algorithm>
#include <cmath>

namespace ocr {

Quad WordQuad(const CropFrame& f, const Quad& lineBox, float x0, float x1) {
  auto dist = [](const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); };
  const float w = static_cast<float>(f.w), h = static_cast<float>(f.h);
  const float readW = f.rotated ? h : w, readH = f.rotated ? w : h;
  // The reported box shares the crop's center and axes; only its sides are shorter.
  const float boxW = std::min(w, dist(lineBox[0], lineBox[1])), boxH = std::min(h, dist(lineBox[0], lineBox[3]));
  const float bx0 = (w - boxW) / 2, bx1 = (w + boxW) / 2, by0 = (h - boxH) / 2, by1 = (h + boxH) / 2;
  auto toPage = [&](float rx, float ry) {
    if (f.flipped) {
      rx = readW - rx;
      ry = readH - ry;
    }
    float x = rx, y = ry;
    if (f.rotated) {
      x = w - ry;
      y = rx;
    }
    x = std::clamp(x, bx0, bx1);
    y = std::clamp(y, by0, by1);
    const float s = w > 0 ? x / w : 0, t = h > 0 ? y / h : 0;
    const Quad& q = f.quad;
    Point p;
    p.x = (1 - s) * (1 - t) * q[0].x + s * (1 - t) * q[1].x + s * t * q[2].x + (1 - s) * t * q[3].x;
    p.y = (1 - s) * (1 - t) * q[0].y + s * (1 - t) * q[1].y + s * t * q[2].y + (1 - s) * t * q[3].y;
    return p;
  };
  return Quad{toPage(x0, 0), toPage(x1, 0), toPage(x1, readH), toPage(x0, readH)};
}

}  // namespace ocr
