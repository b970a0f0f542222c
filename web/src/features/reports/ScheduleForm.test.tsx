/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ScheduleForm } from './ScheduleForm';
import { emptySchedule, toCreateInput, type ScheduleFormValues } from './schedule-form';

function setup(options: { result?: { fields: Record<string, string>; other: string[] }; initial?: ScheduleFormValues } = {}) {
  const onSubmit = jest.fn(async (_values: ScheduleFormValues) => options.result ?? { fields: {}, other: [] });
  render(
    <ScheduleForm initial={options.initial ?? emptySchedule('Europe/Paris')} submitLabel="Create schedule" onSubmit={onSubmit} onCancel={() => undefined} />,
  );
  return { onSubmit, user: userEvent.setup(), submit: () => screen.getByRole('button', { name: 'Create schedule' }) };
}

describe('the schedule form', () => {
  it('keeps submit disabled until a recipient is given, then sends a weekly schedule', async () => {
    const { onSubmit, user, submit } = setup();
    expect(submit()).toBeDisabled();
    expect(screen.getByLabelText('Time zone')).toHaveValue('Europe/Paris');
    await user.selectOptions(screen.getByLabelText('Day of the week'), 'FRIDAY');
    await user.type(screen.getByLabelText('Recipients'), 'finance@acme.example, Finance@acme.example\nceo@acme.example');
    expect(submit()).toBeEnabled();
    await user.click(submit());
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(toCreateInput(onSubmit.mock.calls[0]![0])).toEqual({
      frequency: 'WEEKLY',
      weekday: 'FRIDAY',
      dayOfMonth: null,
      timeOfDay: '08:00',
      timeZone: 'Europe/Paris',
      format: 'XLSX',
      recipients: ['finance@acme.example', 'ceo@acme.example'],
      isActive: true,
    });
  });

  it('offers the IANA zones and defaults to the browser’s', () => {
    render(<ScheduleForm initial={emptySchedule()} submitLabel="Create" onSubmit={jest.fn()} onCancel={() => undefined} />);
    const zone = screen.getByLabelText('Time zone') as HTMLSelectElement;
    expect(zone.value).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    const offered = [...zone.options].map((option) => option.value);
    expect(offered).toEqual(expect.arrayContaining(['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo']));
  });

  it.each([
    ['no domain', 'bob@', '“bob@” is not an email address'],
    ['an undotted domain', 'finance@acme', '“finance@acme” is not an email address'],
    ['a display name', 'Finance <finance@acme.example>', 'is not an email address'],
    ['21 addresses', Array.from({ length: 21 }, (_, i) => `r${i}@acme.example`).join(','), 'At most 20 recipients; this list has 21.'],
  ])('shows invalid recipients (%s) on the field, marked invalid and described, and sends nothing', async (_case, recipients, message) => {
    const { onSubmit, user, submit } = setup();
    const input = screen.getByLabelText('Recipients');
    await user.click(input);
    await user.paste(recipients);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain('-error');
    expect(screen.getByText(message, { exact: false })).toBeTruthy();
    expect(submit()).toBeDisabled();
    await user.type(input, '{enter}');
    await user.click(submit());
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('says an emptied recipient list needs one address', async () => {
    const { user, submit } = setup({ initial: { ...emptySchedule('UTC'), recipients: 'a@acme.example' } });
    expect(submit()).toBeEnabled();
    await user.clear(screen.getByLabelText('Recipients'));
    expect(screen.getByText('Add at least one recipient.')).toBeTruthy();
    expect(submit()).toBeDisabled();
  });

  it.each(['8:00', '24:00', '12:60', '0800'])('refuses the time %s (HH:MM, 24-hour)', async (time) => {
    const { user, submit } = setup({ initial: { ...emptySchedule('UTC'), recipients: 'a@acme.example' } });
    const input = screen.getByLabelText('Time');
    await user.clear(input);
    await user.type(input, time);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('A 24-hour time written HH:MM, e.g. 08:00 or 17:30.')).toBeTruthy();
    expect(submit()).toBeDisabled();
    await user.clear(input);
    await user.type(input, '23:59');
    expect(submit()).toBeEnabled();
  });

  it('asks a day of the week for WEEKLY, a day 1 to 28 for MONTHLY and neither for DAILY', async () => {
    const { onSubmit, user, submit } = setup({ initial: { ...emptySchedule('UTC'), recipients: 'a@acme.example' } });
    expect(screen.getByLabelText('Day of the week')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Frequency'), 'MONTHLY');
    expect(screen.queryByLabelText('Day of the week')).toBeNull();
    const day = screen.getByLabelText('Day of the month');
    await user.clear(day);
    await user.type(day, '29');
    expect(screen.getByText('A day from 1 to 28 (every month has it).')).toBeTruthy();
    expect(day).toHaveAttribute('aria-invalid', 'true');
    expect(submit()).toBeDisabled();
    await user.clear(day);
    await user.type(day, '28');
    expect(submit()).toBeEnabled();
    await user.selectOptions(screen.getByLabelText('Frequency'), 'DAILY');
    expect(screen.queryByLabelText('Day of the month')).toBeNull();
    await user.click(submit());
    expect(toCreateInput(onSubmit.mock.calls[0]![0])).toMatchObject({ frequency: 'DAILY', weekday: null, dayOfMonth: null });
  });

  it('shows the server BAD_USER_INPUT on the field extensions.field names, until that field changes', async () => {
    const message = 'Recipient 1 ("x@acme.example") is not an email address; write one address per entry, like name@example.com.';
    const { user, submit } = setup({ result: { fields: { recipients: message }, other: [] } });
    const input = screen.getByLabelText('Recipients');
    await user.type(input, 'x@acme.example');
    await user.click(submit());
    expect(await screen.findByText(message)).toBeTruthy();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain('-error');
    await user.type(input, 'm');
    expect(screen.queryByText(message)).toBeNull();
    expect(input).not.toHaveAttribute('aria-invalid');
  });

  it('shows an error that names no field above the form', async () => {
    const { user, submit } = setup({ result: { fields: {}, other: ['You cannot manage this event.'] } });
    await user.type(screen.getByLabelText('Recipients'), 'x@acme.example');
    await user.click(submit());
    expect(await screen.findByRole('alert')).toHaveTextContent('You cannot manage this event.');
  });
});
