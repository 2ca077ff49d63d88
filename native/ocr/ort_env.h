// Process-wide ONNX Runtime environment and session creation.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <onnxruntime_cxx_api.h>

#include "ocr/options.h"

namespace ocr {

// The one Ort::Env of the process, created on first use (thread-safe).
Ort::Env& OrtEnv();

// Folder that holds the loaded libonnxruntime.so.1 (execution providers are looked up there).
std::string OrtLibraryDir();

// A rewrite of a model's bytes before its session is created (onnx_fuse.h, onnx_edit.h).
using ModelEdit = std::function<std::string(const std::string&)>;

// Creates a session for one model file. Throws std::runtime_error with a message that names the
// file, or the missing provider library and where it was looked for.
// The file's bytes go through each of `edits` in turn; an edit that throws is skipped. When the
// session cannot be created from the rewritten bytes, the model is loaded as it is. (*applied)[k]
// says whether edit k is in the loaded graph.
// The provider, device, intra-op threads and spinning come from `config`.
std::unique_ptr<Ort::Session> CreateSession(const std::string& modelPath, const EngineConfig& config,
                                            const std::vector<ModelEdit>& edits = {},
                                            std::vector<bool>* applied = nullptr);

}  // namespace ocr
