// Clean-ups of recognized text that the Chinese+English PP-OCR models need on Latin documents.
#pragma once
#include <string>

namespace ocr {

// In a line without any CJK ideograph left after the fix-up: full-width ASCII forms become ASCII
// ("＆" → "&"), lone CJK look-alikes of ASCII symbols become the symbol ("二" → "="), and a
// leading middle dot used as a bullet becomes "•". Lines of CJK text are returned unchanged.
std::string FixLatinLine(const std::string& utf8);
// The two halves of FixLatinLine, for lines kept as words: whether the line qualifies (no CJK
// text), and the mapping of one word (lineStart: the line's first word, for the bullet rule),
// which also puts back digits read as letters inside numbers and code ("2O24", "i=O;", "Oxff").
bool LatinFixApplies(const std::string& line);
std::string MapLatin(const std::string& word, bool lineStart);

}  // namespace ocr
