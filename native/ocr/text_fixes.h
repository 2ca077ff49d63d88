// Clean-ups of recognized text that the Chinese+English PP-OCR models need on Latin documents.
#pragma once
#include <string>

namespace ocr {

// In a line without any CJK ideograph left after the fix-up: full-width ASCII forms become ASCII
// ("＆" → "&"), lone CJK look-alikes of ASCII symbols become the symbol ("二" → "="), and a
// leading middle dot used as a bullet becomes "•". Lines of CJK text are returned unchanged.
std::string FixLatinLine(const std::string& utf8);

}  // namespace ocr
