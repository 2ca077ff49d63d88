// Process-wide ONNX Runtime environment and session creation.
#pragma once
#include <memory>
#include <string>

#include <onnxruntime_cxx_api.h>

namespace ocr {

// The one Ort::Env of the process, created on first use (thread-safe).
Ort::Env& OrtEnv();

// Folder that holds the loaded libonnxruntime.so.1 (execution providers are looked up there).
std::string OrtLibraryDir();

// Creates a session for one model file. Throws std::runtime_error with a message that names the
// file, or the missing provider library and where it was looked for.
// With `edit`, the file's bytes go through it first (a graph rewrite); when the rewrite throws, the
// model is loaded as it is and *edited is false.
std::unique_ptr<Ort::Session> CreateSession(const std::string& modelPath, const std::string& provider,
                                            int intraOpThreads, int deviceId,
                                            std::string (*edit)(const std::string&, int64_t) = nullptr,
                                            int64_t editArg = 0, bool* edited = nullptr);

}  // namespace ocr
