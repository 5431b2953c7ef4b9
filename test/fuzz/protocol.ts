// Messages between the fuzz runner (parent) and its worker processes (one case at a time each).

import type { FailureKind } from './harness.js';

export interface FailureRecord {
  kind: FailureKind;
  signature: string;
  detail: string;
}

/** The categories, in report order (categories.ts has their code; the runner needs only names). */
export const CATEGORY_NAMES = ['yaml', 'manifests', 'shell', 'scripts', 'trace', 'cli', 'options', 'exhaustion'] as const;

/** Parent → worker. */
export type ToWorker =
  | { type: 'cases'; category: string; from: number; to: number; seed: number; timeoutMs: number }
  | { type: 'minimise'; category: string; index: number; seed: number; timeoutMs: number; kind: FailureKind; signature: string; maxRuns: number }
  | { type: 'show'; category: string; index: number; seed: number };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready' }
  /** Building a category's arbitrary and shared clusters (a longer time limit applies). */
  | { type: 'warming'; category: string }
  /** While minimising: the input as generated, before any run (in case the minimisation is cut short). */
  | { type: 'original'; category: string; index: number; input: string }
  /** A case (or, while minimising, one run of the property) begins. */
  | { type: 'start'; category: string; index: number }
  /** What kind of input the case in progress has (`Category.label`), once generated. */
  | { type: 'label'; category: string; index: number; label: string }
  | { type: 'done'; category: string; index: number; ms: number; failure?: FailureRecord }
  /** The chunk is finished; the typed errors its cases saw, by class. */
  | { type: 'idle'; category: string; typed: Record<string, number> }
  /** While minimising: a smaller input that still fails the same way. */
  | { type: 'smaller'; category: string; index: number; input: string; detail: string }
  | { type: 'minimised'; category: string; index: number; reproduced: boolean; runs: number; input: string; detail: string }
  | { type: 'shown'; category: string; index: number; input: string };

/** The fast-check seed of one case: a function of the run's seed, the category and the case's index only. */
export function caseSeed(seed: number, category: string, index: number): number {
  return hash32(`${seed}/${category}/${index}`) | 0;
}

/** Deterministic 32-bit hash (FNV-1a) of a string, as a non-negative integer. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
