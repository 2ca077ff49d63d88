// Loads PDFium (WebAssembly) with a bound on its memory. The emscripten build may grow its heap to
// 2 GB; a hostile page (a content stream inflating to gigabytes) would take all of it and leave the
// thread's heap that size. Here the heap may not grow past `maxBytes` (about: emscripten over-grows
// by up to 20 % per step): PDFium's allocation fails, the page fails, and the caller replaces the
// thread (the memory of a WebAssembly instance is returned only with its thread).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { PDFiumLibrary } from '@hyzyla/pdfium';

const require = createRequire(import.meta.url);
let wasm: Buffer | undefined;

export function initPdfium(maxBytes?: number): Promise<PDFiumLibrary> {
  if (!maxBytes) return PDFiumLibrary.init();
  wasm ??= readFileSync(require.resolve('@hyzyla/pdfium/pdfium.wasm'));
  const bytes = wasm;
  return PDFiumLibrary.init({
    instantiateWasm: (imports, done) => {
      const env = imports.env as Record<string, unknown>;
      const resize = env.emscripten_resize_heap as (requested: number) => number;
      env.emscripten_resize_heap = (requested: number) => (requested >>> 0 > maxBytes ? 0 : resize(requested));
      void (
        WebAssembly.instantiate(bytes as BufferSource, imports) as Promise<WebAssembly.WebAssemblyInstantiatedSource>
      ).then((r) =>
        (done as unknown as (i: WebAssembly.Instance, m: WebAssembly.Module) => void)(r.instance, r.module),
      );
      return {};
    },
  });
}
