// Graph rewrites exposed to JS: the engine's record of them, and the rewrite itself for tests and
// scripts/bench-graph.mjs.
#pragma once
#include <napi.h>

#include "ocr/onnx_fuse.h"
#include "ocr/onnx_widen.h"

namespace binding {

Napi::Object FromFuseCounts(Napi::Env env, const ocr::FuseCounts& c);

// fuseModel(bytes: Uint8Array) → { model: Buffer, counts }. Sync (a few milliseconds per model).
// Throws a JS Error for bytes that are not a rewritable ONNX model.
Napi::Value FuseModel(const Napi::CallbackInfo& info);

// widenModel(bytes: Uint8Array) → { model: Buffer, counts: { tensors, types } }: the float16 →
// float32 rewrite done at load (onnx_widen.h). Sync. Throws a JS Error for bytes that are not an
// ONNX model.
Napi::Value WidenModel(const Napi::CallbackInfo& info);

}  // namespace binding
