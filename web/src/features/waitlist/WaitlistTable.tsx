import { AlertDialog, DropdownMenu } from 'radix-ui';
import { Button } from '../../components/ui';
import type { PriorityTier, WaitlistRowFragment } from '../../generated/graphql';
import { StatusBadge, TIER_LABEL, TierBadge } from './badges';
import { RemoveIcon, SendIcon, TierIcon } from './icons';

export interface RowActions {
  sendOffer(entry: WaitlistRowFragment): void;
  remove(entry: WaitlistRowFragment): void;
  setTier(entry: WaitlistRowFragment, tier: PriorityTier | null): void;
  /** Entries with a request under way: their buttons wait. */
  busy: ReadonlySet<string>;
  /** Whether a seat is free for a new offer now. */
  canOffer: boolean;
}

const time = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const when = (iso: string) => time.format(new Date(iso));

export const personName = (entry: WaitlistRowFragment) => entry.user.name ?? entry.user.email ?? entry.user.id;

/**
 * The page's entries. The table is a polite live region: totals and rows that change are read out
 * without taking the person's focus. On phones each row becomes a card (`responsive-table`).
 */
export function WaitlistTable({ rows, caption, actions, busy }: { rows: WaitlistRowFragment[]; caption: string; actions: RowActions; busy: boolean }) {
  return (
    <div className="table-wrap">
      <table className="responsive-table wl-table" aria-live="polite" aria-busy={busy}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Place
            </th>
            <th scope="col">Person</th>
            <th scope="col">Tier</th>
            <th scope="col">Status</th>
            <th scope="col">Joined</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((entry) => (
            <Row key={entry.id} entry={entry} actions={actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ entry, actions }: { entry: WaitlistRowFragment; actions: RowActions }) {
  const name = personName(entry);
  const busy = actions.busy.has(entry.id);
  const waiting = entry.status === 'WAITING';
  return (
    <tr>
      <td className="num" data-label="Place">
        {entry.position ?? <span className="muted">–</span>}
      </td>
      <td className="cell-main" data-label="Person">
        <div className="cell-title">{name}</div>
        {entry.user.email && entry.user.email !== name && <div className="cell-sub">{entry.user.email}</div>}
      </td>
      <td data-label="Tier">
        <TierBadge tier={entry.priorityTier} />
      </td>
      <td data-label="Status">
        <StatusBadge status={entry.status} />
        {entry.offerExpiresAt && <div className="cell-sub">until {when(entry.offerExpiresAt)}</div>}
      </td>
      <td data-label="Joined">{when(entry.joinedAt)}</td>
      <td className="wl-actions-cell" data-label="Actions">
        <div className="wl-actions">
          <Button
            variant="ghost"
            className="wl-icon"
            aria-label={`Send offer to ${name}`}
            title={waiting ? (actions.canOffer ? 'Send offer' : 'No free seat: raise the capacity first') : 'Only people waiting can get an offer'}
            disabled={busy || !waiting || !actions.canOffer}
            onClick={() => actions.sendOffer(entry)}
          >
            <SendIcon />
          </Button>
          <TierMenu entry={entry} name={name} disabled={busy} onSetTier={(tier) => actions.setTier(entry, tier)} />
          <RemoveButton name={name} disabled={busy} onConfirm={() => actions.remove(entry)} />
        </div>
      </td>
    </tr>
  );
}

function TierMenu({ entry, name, disabled, onSetTier }: { entry: WaitlistRowFragment; name: string; disabled: boolean; onSetTier(tier: PriorityTier | null): void }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" className="wl-icon" aria-label={`Change tier of ${name}`} title="Change tier" disabled={disabled}>
          <TierIcon />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="wl-menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="wl-menu-label">Tier of {name}</DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={entry.priorityTier} onValueChange={(value) => onSetTier(value as PriorityTier)}>
            {(['VIP', 'PREMIUM', 'STANDARD'] as const).map((tier) => (
              <DropdownMenu.RadioItem key={tier} value={tier} className="wl-menu-item">
                <DropdownMenu.ItemIndicator className="wl-menu-check">✓</DropdownMenu.ItemIndicator>
                {TIER_LABEL[tier]}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="wl-menu-separator" />
          <DropdownMenu.Item className="wl-menu-item" onSelect={() => onSetTier(null)}>
            Use the ticket&apos;s tier
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function RemoveButton({ name, disabled, onConfirm }: { name: string; disabled: boolean; onConfirm(): void }) {
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>
        <Button variant="ghost" className="wl-icon wl-icon-danger" aria-label={`Remove ${name}`} title="Remove from the waitlist" disabled={disabled}>
          <RemoveIcon />
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog-content wl-dialog">
          <AlertDialog.Title className="dialog-title">Remove {name} from the waitlist?</AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">
            They lose their place in line. A seat or open offer they hold goes to the next person. This cannot be undone.
          </AlertDialog.Description>
          <div className="form-actions">
            <AlertDialog.Cancel asChild>
              <Button>Keep</Button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <Button variant="danger" onClick={onConfirm}>
                Remove
              </Button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
