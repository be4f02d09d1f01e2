/** Intersection over union of two masks. Pure. */

/**
 * @param a [H, W] uint8, selected where ≥ 128 (the PNGs are 0/255; 128 splits anti-aliased edges).
 * @param b [H, W] uint8, likewise.
 * @returns |a ∩ b| / |a ∪ b|; 1 when both are empty.
 */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`mask sizes differ: ${a.length} vs ${b.length}`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] >= 128;
    const y = b[i] >= 128;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}
