/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdForm } from './AdForm';
import { emptyAd, toCreateAdInput, type AdFormValues } from './ad-validation';

function setup(result: { fields: Record<string, string>; other: string[] } = { fields: {}, other: [] }) {
  const onSubmit = jest.fn(async (_values: AdFormValues) => result);
  render(<AdForm initial={emptyAd} submitLabel="Create ad" onSubmit={onSubmit} onCancel={() => undefined} />);
  return { onSubmit, user: userEvent.setup(), submit: () => screen.getByRole('button', { name: 'Create ad' }) };
}

async function fillValid(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Name'), 'Sponsor banner');
  await user.type(screen.getByLabelText('Creative URL'), 'https://cdn.example.com/banner.png');
  await user.type(screen.getByLabelText('Click URL'), 'http://sponsor.example.com/');
}

describe('the ad form', () => {
  it('enables submit once name and http(s) URLs are valid and sends lists split by commas', async () => {
    const { onSubmit, user, submit } = setup();
    expect(submit()).toBeDisabled();
    await fillValid(user);
    await user.type(screen.getByLabelText('Placements'), 'lobby-banner, stage.sidebar');
    expect(submit()).toBeEnabled();
    await user.click(submit());
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(toCreateAdInput('ev-1', onSubmit.mock.calls[0]![0])).toMatchObject({
      eventId: 'ev-1',
      placements: ['lobby-banner', 'stage.sidebar'],
      targetSessions: [],
      frequencyCap: null,
      aspectRatio: '16:9',
      weight: 1,
    });
  });

  it.each([
    ['Click URL', 'javascript:alert(1)', 'Use an http:// or https:// address without spaces or credentials.'],
    ['Creative URL', 'data:image/png;base64,AAAA', 'Use an http:// or https:// address without spaces or credentials.'],
    ['Frequency cap', '0', 'A whole number from 1 to 1000, or empty for no cap.'],
    ['Aspect ratio', '16x9', 'Width:height in whole numbers, e.g. 16:9.'],
    ['Placements', 'lobby banner', 'Names of 1–64 letters, digits, “.”, “_” or “-”, separated by commas.'],
  ])('refuses %s = %s with its rule and sends nothing', async (label, value, message) => {
    const { onSubmit, user, submit } = setup();
    await fillValid(user);
    const input = screen.getByLabelText(label);
    await user.clear(input);
    await user.type(input, value);
    expect(screen.getByText(message)).toBeTruthy();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    await user.click(submit());
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a name over 200 characters and a schedule that ends before it starts', async () => {
    const { user, submit } = setup();
    await fillValid(user);
    await user.type(screen.getByLabelText('Name'), 'x'.repeat(200));
    expect(screen.getByText('At most 200 characters.')).toBeTruthy();
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Banner');
    await user.type(screen.getByLabelText('Starts (optional)'), '2026-12-02T10:00');
    await user.type(screen.getByLabelText('Ends (optional)'), '2026-12-01T10:00');
    expect(screen.getByText('The end must come after the start.')).toBeTruthy();
    expect(submit()).toBeDisabled();
  });

  it('shows the server BAD_USER_INPUT on its field', async () => {
    const { user, submit } = setup({ fields: { clickUrl: 'clickUrl must not contain credentials.' }, other: [] });
    await fillValid(user);
    await user.click(submit());
    expect(await screen.findByText('clickUrl must not contain credentials.')).toBeTruthy();
    expect(screen.getByLabelText('Click URL')).toHaveAttribute('aria-invalid', 'true');
  });
});
