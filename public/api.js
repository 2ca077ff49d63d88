// Talking to the API from the page: the key (kept in this browser only, localStorage), requests
// with it, and error bodies ({ error, message }) turned into readable messages.
const KEY = 'ocr-api-key';

export const apiKey = {
  get: () => localStorage.getItem(KEY) ?? '',
  set: (v) => (v ? localStorage.setItem(KEY, v) : localStorage.removeItem(KEY)),
};

/** "1 line", "3 lines". */
export const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** fetch() on this origin with the API key header when one is set. */
export function api(path, init = {}) {
  const headers = new Headers(init.headers);
  const key = apiKey.get();
  if (key) headers.set('authorization', `Bearer ${key}`);
  return fetch(path, { ...init, headers, credentials: 'same-origin' });
}

/** An Error carrying the API's message for a non-2xx response. */
export async function failure(res) {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (body && body.message) message = `${body.error ?? res.status}: ${body.message}`;
  } catch {
    // not JSON: keep the status line
  }
  const err = new Error(message);
  err.status = res.status;
  return err;
}

/** A Blob as a data: URL (the CSP allows data: images, not blob:). */
export function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}
