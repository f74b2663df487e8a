// Formatting for the UI: money with its currency, dates, percentages. Pure.
export function formatMoney(amount: number, currency: string | null): string {
  const n = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${currency} ${n}` : n;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  return value.length > 10 ? value.slice(0, 10) : value;
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 10000) / 100}%`;
}

/** "0.3" or "30%" or "30" (read as percent when > 1 for rates) → 0.3; NaN when unreadable. */
export function parseRate(input: string): number {
  const s = input.trim();
  const pct = s.endsWith('%');
  const n = Number(pct ? s.slice(0, -1) : s);
  if (!Number.isFinite(n)) return Number.NaN;
  return pct || n > 1 ? n / 100 : n;
}
