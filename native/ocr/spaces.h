// Where the spaces of a recognized line go, from the decoder's characters and the crop's ink.
#pragma once
#include <string>
#include <vector>

#include "ocr/ctc.h"
#include "ocr/options.h"

namespace ocr {

// Returns, for each character, whether a space stands before it (the first is always false).
// chars: positions in pixels of the crop scaled to `height`; ink: that crop's InkProfile. The
// model's own spaces alone when opt.restoreSpaces is off; else the gaps' geometry decides too.
std::vector<bool> SpacesBefore(const std::vector<CharHit>& chars, const std::vector<float>& ink, int height,
                               const std::vector<std::string>& charset, const RecOptions& opt);

}  // namespace ocr
