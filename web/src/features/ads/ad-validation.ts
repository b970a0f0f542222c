import type { CreateAdInput, UpdateAdInput } from '../../generated/graphql';

/** What the ad form holds: text as typed. Lists are comma-separated. */
export interface AdFormValues {
  name: string;
  mediaUrl: string;
  clickUrl: string;
  startsAt: string;
  endsAt: string;
  placements: string;
  targetSessions: string;
  frequencyCap: string;
  aspectRatio: string;
  weight: string;
  isActive: boolean;
}

export type AdFormErrors = Partial<Record<keyof AdFormValues, string>>;

const PLACEMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ASPECT_RATIO = /^[1-9][0-9]{0,3}:[1-9][0-9]{0,3}$/;

export const splitList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function urlError(value: string): string | undefined {
  const url = value.trim();
  if (!url) return 'Enter an http:// or https:// address.';
  if (url.length > 2048) return 'At most 2048 characters.';
  if (!/^https?:\/\/[^\s/@]+(\/\S*)?$/i.test(url)) return 'Use an http:// or https:// address without spaces or credentials.';
  return undefined;
}

function wholeNumber(value: string, min: number, max: number, message: string): string | undefined {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) return message;
  return undefined;
}

/** The contract's ad rules, checked as the person types (the server checks them again). */
export function validateAd(values: AdFormValues): AdFormErrors {
  const errors: AdFormErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = 'Give the ad a name.';
  else if (name.length > 200) errors.name = 'At most 200 characters.';
  errors.mediaUrl = urlError(values.mediaUrl);
  errors.clickUrl = urlError(values.clickUrl);
  if (values.startsAt && values.endsAt && values.startsAt >= values.endsAt) errors.endsAt = 'The end must come after the start.';
  const placements = splitList(values.placements);
  if (placements.length > 20) errors.placements = 'At most 20 placements.';
  else if (placements.some((placement) => !PLACEMENT.test(placement))) errors.placements = 'Names of 1–64 letters, digits, “.”, “_” or “-”, separated by commas.';
  if (splitList(values.targetSessions).length > 100) errors.targetSessions = 'At most 100 sessions.';
  if (values.frequencyCap.trim()) errors.frequencyCap = wholeNumber(values.frequencyCap.trim(), 1, 1000, 'A whole number from 1 to 1000, or empty for no cap.');
  if (values.aspectRatio.trim() && !ASPECT_RATIO.test(values.aspectRatio.trim())) errors.aspectRatio = 'Width:height in whole numbers, e.g. 16:9.';
  errors.weight = wholeNumber(values.weight.trim(), 1, 1000, 'A whole number from 1 to 1000.');
  for (const key of Object.keys(errors) as (keyof AdFormErrors)[]) if (!errors[key]) delete errors[key];
  return errors;
}

export const emptyAd: AdFormValues = {
  name: '',
  mediaUrl: '',
  clickUrl: '',
  startsAt: '',
  endsAt: '',
  placements: '',
  targetSessions: '',
  frequencyCap: '',
  aspectRatio: '16:9',
  weight: '1',
  isActive: true,
};

/** `datetime-local` text (the person's time zone) as an ISO instant, or null when empty. */
export const toInstant = (local: string) => (local ? new Date(local).toISOString() : null);

/** An ISO instant as `datetime-local` text in the person's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function common(values: AdFormValues) {
  return {
    name: values.name.trim(),
    mediaUrl: values.mediaUrl.trim(),
    clickUrl: values.clickUrl.trim(),
    isActive: values.isActive,
    startsAt: toInstant(values.startsAt),
    endsAt: toInstant(values.endsAt),
    placements: splitList(values.placements),
    targetSessions: splitList(values.targetSessions),
    frequencyCap: values.frequencyCap.trim() ? Number(values.frequencyCap) : null,
    aspectRatio: values.aspectRatio.trim() || null,
    weight: Number(values.weight),
  };
}

export const toCreateAdInput = (eventId: string, values: AdFormValues): CreateAdInput => ({ eventId, ...common(values) });
export const toUpdateAdInput = (values: AdFormValues): UpdateAdInput => common(values);
