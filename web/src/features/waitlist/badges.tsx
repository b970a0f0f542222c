import { Badge } from '../../components/ui';
import type { PriorityTier, WaitlistStatus } from '../../generated/graphql';

const STATUS: Record<WaitlistStatus, { label: string; tone: 'success' | 'neutral' | 'warning' | 'danger' }> = {
  WAITING: { label: 'Waiting', tone: 'neutral' },
  OFFERED: { label: 'Offer sent', tone: 'warning' },
  ACCEPTED: { label: 'Accepted', tone: 'success' },
  DECLINED: { label: 'Declined', tone: 'danger' },
  EXPIRED: { label: 'Offer expired', tone: 'danger' },
  REMOVED: { label: 'Removed', tone: 'danger' },
  LEFT: { label: 'Left', tone: 'neutral' },
};

export const TIER_LABEL: Record<PriorityTier, string> = { VIP: 'VIP', PREMIUM: 'Premium', STANDARD: 'Standard' };

/** The status in words; the colour only repeats it. */
export function StatusBadge({ status }: { status: WaitlistStatus }) {
  const { label, tone } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function TierBadge({ tier }: { tier: PriorityTier }) {
  return <span className={`wl-tier wl-tier-${tier.toLowerCase()}`}>{TIER_LABEL[tier]}</span>;
}
