// Word boxes in page pixels from word columns in a line crop.
#pragma once
#include "ocr/types.h"

namespace ocr {

// How a line crop was cut from the page: the quad warped to a w x h image, then turned 90°
// counter-clockwise when it was tall (vertical text) and by 180° when the classifier flipped it.
struct CropFrame {
  Quad quad{};
  int w = 0, h = 0;
  bool rotated = false;
  bool flipped = false;
};

// The page quad, clockwise from the top-left of the word as read, of the columns [x0, x1) of the
// crop as the recognizer read it, limited to the line's reported box (concentric with the crop).
Quad WordQuad(const CropFrame& frame, const Quad& lineBox, float x0, float x1);

}  // namespace ocr
