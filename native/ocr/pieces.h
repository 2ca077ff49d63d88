// Splitting wide text lines into pieces the recognizer reads faster: its cost per column grows with
// the input width, so a full-width line costs less as a few overlapping pieces cut at blank columns.
#pragma once
#include <vector>

namespace ocr {

struct Piece {
  int begin = 0, end = 0;          // columns given to the recognizer (core plus overlap)
  int coreBegin = 0, coreEnd = 0;  // characters whose center falls here belong to this piece
};

// Pieces of a line `width` columns wide whose ink profile is `ink`: cores of at most `maxWidth`
// columns cut in the middle of the widest blank run of their second half, each widened by
// `overlap` columns of context on both sides. One piece when the line fits (or maxWidth is 0).
std::vector<Piece> PlanPieces(const std::vector<float>& ink, int maxWidth, int overlap);

}  // namespace ocr
