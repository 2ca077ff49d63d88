// Greedy CTC decoding into characters with their positions in the recognizer's input.
#pragma once
#include <cstdint>
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

// What decoding needs of one time step: the arg-max class, its probability, the space class's
// probability. The recognition graph can output exactly these (AugmentRecognizer).
struct StepsView {
  const int64_t* best = nullptr;
  const float* prob = nullptr;
  const float* space = nullptr;
  int steps = 0;
};

// Reduces [steps, classes] probabilities to per-step values (for a graph that was not augmented).
// spaceIdx >= classes: the model has no space class (space = 0).
void ReduceSteps(const float* probs, int steps, int classes, int spaceIdx, int64_t* best, float* prob, float* space);

// Greedy CTC over one line's steps. stepPx: input columns per time step; x0: column of step 0 (a
// piece of a longer line starts further right); spaceIdx: the space class.
void GreedyCtc(const StepsView& s, int spaceIdx, float stepPx, float x0, std::vector<CharHit>& out);

}  // namespace ocr
