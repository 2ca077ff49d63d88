// File type from the leading bytes; the client's file name and Content-Type are never trusted.
export type FileType = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'pdf';
export type FileKind = 'image' | 'pdf';

function startsWith(buf: Uint8Array, sig: number[], at = 0): boolean {
  if (buf.length < at + sig.length) return false;
  return sig.every((b, i) => buf[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function detectType(buf: Uint8Array): FileType | undefined {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, ascii('GIF87a')) || startsWith(buf, ascii('GIF89a'))) return 'gif';
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(buf, ascii('BM')) && buf.length >= 26) return 'bmp';
  // PDF readers accept the header anywhere in the first 1 KiB.
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return undefined;
}

export function kindOf(type: FileType): FileKind {
  return type === 'pdf' ? 'pdf' : 'image';
}
