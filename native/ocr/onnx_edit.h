// Rewrites of ONNX model bytes before a session is created from them (protobuf wire format; no
// ONNX library needed).
#pragma once
#include <cstdint>
#include <string>

namespace ocr {

// Names of the outputs AugmentRecognizer gives the recognition graph.
inline constexpr const char* kRecBestClass = "ocr_best_class";  // int64 [N, T]: arg-max class per time step
inline constexpr const char* kRecBestProb = "ocr_best_prob";    // float [N, T]: its probability
inline constexpr const char* kRecSpaceProb = "ocr_space_prob";  // float [N, T, 1]: the space class's probability
inline constexpr const char* kRecShape = "ocr_probs_shape";     // int64 [3]: N, T, classes of the replaced output

// Returns the recognition model with its [N, T, classes] probability output replaced by the small
// outputs above, so that CTC decoding never needs the whole distribution (on a
// GPU only these cross to the host). Throws std::runtime_error when the bytes are not an ONNX model
// with one graph output.
std::string AugmentRecognizer(const std::string& model, int64_t spaceClass);

}  // namespace ocr
