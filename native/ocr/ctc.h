// Greedy CTC decoding into characters with their positions in the recognizer's input.
#pragma once
#include <vector>

namespace ocr {

// One decoded character. Positions are pixels of the crop as the recognizer saw it (scaled to the
// model's input height), so they compare across lines and across pieces of one line.
struct CharHit {
  int cls = 0;              // class index into the charset (never blank, never the space class)
  float x0 = 0, x1 = 0;     // first and one-past-last pixel column of the character's time steps
  float prob = 0;           // highest probability over the character's steps
  float gapSpace = 0;       // highest space-class probability in the gap before this character
  bool modelSpace = false;  // the model itself emitted a space between the previous character and this one
};

// probs: [steps, classes] probabilities of one line. stepPx: input columns per time step; x0:
// column of step 0 (a piece of a longer line starts further right). spaceIdx: the space class
// (classes or more when the model has none).
void GreedyCtc(const float* probs, int steps, int classes, int spaceIdx, float stepPx, float x0,
               std::vector<CharHit>& out);

}  // namespace ocr
