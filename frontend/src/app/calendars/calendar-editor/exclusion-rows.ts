import type { ExclusionValue } from '../excluded-days';

/** One exclusion row as the editor holds it: its kind and the text of each input. */
export interface ExclusionRow {
  kind: 'date' | 'range' | 'cron';
  date: string;
  from: string;
  to: string;
  cron: string;
}

export const EXCLUSION_KINDS: { value: ExclusionRow['kind']; label: string }[] = [
  { value: 'date', label: 'Whole day' },
  { value: 'range', label: 'From … to' },
  { value: 'cron', label: 'Cron expression' },
];

export function emptyRow(kind: ExclusionRow['kind'] = 'date'): ExclusionRow {
  return { kind, date: '', from: '', to: '', cron: '' };
}

/** The API's exclusion of a row (the server checks what the text means). */
export function toExclusion(row: ExclusionRow): ExclusionValue {
  switch (row.kind) {
    case 'date':
      return { date: row.date.trim() };
    case 'range':
      return { from: row.from.trim(), to: row.to.trim() };
    case 'cron':
      return { cron: row.cron.trim() };
  }
}

export function toRow(exclusion: ExclusionValue): ExclusionRow {
  if ('date' in exclusion) return { ...emptyRow('date'), date: exclusion.date };
  if ('cron' in exclusion) return { ...emptyRow('cron'), cron: exclusion.cron };
  return { ...emptyRow('range'), from: exclusion.from, to: exclusion.to };
}
