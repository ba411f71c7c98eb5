import type { Grade } from './types.ts';

export function gradeOf(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  if (score >= 40) return 'D';
  return 'F';
}

/** 100 when share is 0, falling to 0 when share reaches `zeroAt`. */
export function scoreFromShare(share: number, zeroAt: number): number {
  return Math.round(Math.max(0, Math.min(100, 100 * (1 - share / zeroAt))));
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 && share > 0 ? 2 : 1)}%`;
}
