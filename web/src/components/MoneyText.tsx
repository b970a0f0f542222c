/** Money as the server formatted it: the dashboard's one currency formatter is `Money.formatted`. */
export function MoneyText({ money, className }: { money: { formatted: string } | null | undefined; className?: string }) {
  return <span className={className}>{money?.formatted ?? '—'}</span>;
}
