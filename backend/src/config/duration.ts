const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const SHORT = /^(\d+)\s*([smhdw])$/i;
/** ISO 8601 durations of weeks, days, hours, minutes and seconds (no years or months: not fixed). */
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

/**
 * A duration in milliseconds from `30d`, `12h`, `90m`, `45s`, `2w`, or ISO 8601 (`P30D`, `PT12H`,
 * `P1DT12H`); undefined when the text is neither (years and months are refused: they vary).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const short = SHORT.exec(trimmed);
  if (short) return Number(short[1]) * UNIT_MS[short[2].toLowerCase() as keyof typeof UNIT_MS];
  const iso = ISO.exec(trimmed);
  if (!iso || trimmed.length <= 1 || /T$/i.test(trimmed)) return undefined;
  const [weeks, days, hours, minutes, seconds] = iso.slice(1).map((part) => Number(part ?? 0));
  return weeks * UNIT_MS.w + days * UNIT_MS.d + hours * UNIT_MS.h + minutes * UNIT_MS.m + seconds * UNIT_MS.s;
}
