// Boxes in the upright frame. The engine's boxes are in the pixels of the image as submitted;
// `rotation` (0/90/180/270) is the clockwise angle that turns that image upright. Layout is
// decided upright and its block boxes are mapped back to the submitted image's pixels.
export type Rotation = 0 | 90 | 180 | 270;
export type Point = [number, number];

/** Axis-aligned box, x0 < x1, y0 < y1 (floats). */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const normRotation = (r: unknown): Rotation => (r === 90 || r === 180 || r === 270 ? r : 0);

/** A submitted-image point (image width w, height h) in the upright frame. */
export function toUpright([x, y]: Point, rotation: Rotation, w: number, h: number): Point {
  if (rotation === 90) return [h - y, x];
  if (rotation === 180) return [w - x, h - y];
  if (rotation === 270) return [y, w - x];
  return [x, y];
}

/** The inverse of toUpright: an upright point back in the submitted image's pixels. */
export function fromUpright([u, v]: Point, rotation: Rotation, w: number, h: number): Point {
  if (rotation === 90) return [v, h - u];
  if (rotation === 180) return [w - u, h - v];
  if (rotation === 270) return [w - v, u];
  return [u, v];
}

export function rectOf(points: Point[]): Rect {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

export function unionRect(rs: Rect[]): Rect {
  return {
    x0: Math.min(...rs.map((r) => r.x0)),
    y0: Math.min(...rs.map((r) => r.y0)),
    x1: Math.max(...rs.map((r) => r.x1)),
    y1: Math.max(...rs.map((r) => r.y1)),
  };
}

/** The upright rect's four corners, clockwise from its upright top-left, in submitted pixels (rounded). */
export function quadFromUpright(r: Rect, rotation: Rotation, w: number, h: number): [Point, Point, Point, Point] {
  const corners: Point[] = [
    [r.x0, r.y0],
    [r.x1, r.y0],
    [r.x1, r.y1],
    [r.x0, r.y1],
  ];
  return corners.map((p) => fromUpright(p, rotation, w, h).map((c) => Math.round(c)) as Point) as [
    Point,
    Point,
    Point,
    Point,
  ];
}

export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
