// Imported first by tests that keep many pages in flight: N-API async work runs on libuv's pool
// (4 threads unless UV_THREADPOOL_SIZE says more, read when the pool first starts).
process.env.UV_THREADPOOL_SIZE ??= '8';
export {};
