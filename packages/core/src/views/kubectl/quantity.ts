// Just enough of k8s.io/apimachinery resource.Quantity for kubectl describe node: parse
// "100m", "70Mi", "2", "3922088Ki", add them up, and print them back in canonical form
// ("1500m", "2", "1k", "170Mi").

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** Value in thousandths of the unit (millicores, millibytes), rounded up. */
  milli: bigint;
  format: QuantityFormat;
}

export const ZERO_QUANTITY: Quantity = { milli: 0n, format: 'DecimalSI' };

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Parses a quantity string; undefined when it is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', num = '', suffix = ''] = m;
  const [intPart, fracPart = ''] = num.split('.') as [string, string?];
  // value = digits × 10^-fracLen × multiplier × 1000 (milli)
  let numerator = BigInt((intPart || '0') + fracPart) * 1000n;
  let denominator = 10n ** BigInt(fracPart.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    numerator *= 1024n ** BigInt(BINARY[suffix]!);
    format = 'BinarySI';
  } else {
    let exp: number;
    if (suffix in DECIMAL) {
      exp = DECIMAL[suffix]!;
    } else {
      exp = Number(suffix.slice(1));
      format = 'DecimalExponent';
    }
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else denominator *= 10n ** BigInt(-exp);
  }
  const milli = ceilDiv(numerator, denominator);
  return { milli: sign === '-' ? -milli : milli, format };
}

/** resource.Quantity.Add: a zero receiver takes the other operand's format. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.milli === 0n ? b.format : a.format };
}

/** Value() in whole units, rounded up (bytes for memory). */
export function quantityValue(q: Quantity): bigint {
  return ceilDiv(q.milli, 1000n);
}

function decimalCanonical(milli: bigint, exponentStyle: boolean): string {
  if (milli === 0n) return '0';
  let amount = milli;
  let exponent = -3;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  // Keep the exponent a multiple of three (Go's % keeps the sign, as JS's does).
  switch (exponent % 3) {
    case 1:
    case -2:
      amount *= 10n;
      exponent -= 1;
      break;
    case 2:
    case -1:
      amount *= 100n;
      exponent -= 2;
      break;
  }
  if (exponentStyle) return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  const suffix = Object.entries(DECIMAL).find(([, e]) => e === exponent)?.[0];
  return suffix === undefined ? `${amount}e${exponent}` : `${amount}${suffix}`;
}

/** Quantity.String(): the canonical form kubectl prints. */
export function formatQuantity(q: Quantity): string {
  if (q.format === 'BinarySI') {
    const abs = q.milli < 0n ? -q.milli : q.milli;
    // Small or fractional binary values are shown in decimal, as Go does.
    if (abs < 1024n * 1000n || q.milli % 1000n !== 0n) return decimalCanonical(q.milli, false);
    let amount = q.milli / 1000n;
    let power = 0;
    while (power < 6 && amount % 1024n === 0n) {
      amount /= 1024n;
      power++;
    }
    return `${amount}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][power]}`;
  }
  return decimalCanonical(q.milli, q.format === 'DecimalExponent');
}
