// PDF bytes live in shared memory so the probe thread, the render thread and the job read one copy.

/** `bytes` itself when it already sits in a SharedArrayBuffer, else one shared copy of it. */
export function inSharedMemory(bytes: Buffer): Buffer {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = Buffer.from(new SharedArrayBuffer(bytes.byteLength));
  bytes.copy(shared);
  return shared;
}
