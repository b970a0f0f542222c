/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OfferForm } from './OfferForm';
import { emptyOffer, type OfferFormValues } from './offer-validation';

function setup(options: { result?: { fields: Record<string, string>; other: string[] }; current?: { price: string } } = {}) {
  const onSubmit = jest.fn(async (_values: OfferFormValues) => options.result ?? { fields: {}, other: [] });
  render(<OfferForm initial={emptyOffer} current={options.current} submitLabel="Create offer" onSubmit={onSubmit} onCancel={() => undefined} />);
  return { onSubmit, user: userEvent.setup(), submit: () => screen.getByRole('button', { name: 'Create offer' }) };
}

describe('the offer form', () => {
  it('keeps submit disabled until the offer is valid, then sends the typed decimal', async () => {
    const { onSubmit, user, submit } = setup();
    expect(submit()).toBeDisabled();
    await user.type(screen.getByLabelText('Title'), 'VIP lounge');
    expect(submit()).toBeDisabled();
    await user.type(screen.getByLabelText('Price', { exact: true }), '12.50');
    expect(submit()).toBeEnabled();
    await user.click(submit());
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ title: 'VIP lounge', price: '12.50' });
  });

  it.each([
    ['12.345', 'at most two decimals'],
    ['1,000', 'at most two decimals'],
    ['1000000', 'at most two decimals'],
    ['-1', 'at most two decimals'],
  ])('shows an invalid price (%s) on the field, marked invalid and described, and sends nothing', async (price, message) => {
    const { onSubmit, user, submit } = setup();
    await user.type(screen.getByLabelText('Title'), 'Hoodie');
    const input = screen.getByLabelText('Price', { exact: true });
    await user.type(input, price);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain('-error');
    expect(screen.getByText(new RegExp(message))).toBeTruthy();
    expect(submit()).toBeDisabled();
    await user.click(submit());
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('accepts 999999.99 and refuses an original price below the price', async () => {
    const { user, submit } = setup();
    await user.type(screen.getByLabelText('Title'), 'Booth');
    await user.type(screen.getByLabelText('Price', { exact: true }), '999999.99');
    expect(submit()).toBeEnabled();
    await user.type(screen.getByLabelText('Original price (optional)'), '99999.99');
    expect(screen.getByText('The original price must be at least the price.')).toBeTruthy();
    expect(submit()).toBeDisabled();
  });

  it('refuses zero units and an http image URL', async () => {
    const { user, submit } = setup();
    await user.type(screen.getByLabelText('Title'), 'Tote');
    await user.type(screen.getByLabelText('Price', { exact: true }), '0');
    await user.type(screen.getByLabelText('Units for sale'), '0');
    expect(screen.getByText('At least 1 unit, or leave empty for unlimited.')).toBeTruthy();
    await user.clear(screen.getByLabelText('Units for sale'));
    await user.type(screen.getByLabelText('Image URL (optional)'), 'http://cdn.example.com/a.png');
    expect(screen.getByText('Use an https:// address.')).toBeTruthy();
    expect(submit()).toBeDisabled();
    await user.clear(screen.getByLabelText('Image URL (optional)'));
    await user.type(screen.getByLabelText('Image URL (optional)'), 'https://cdn.example.com/a.png');
    expect(submit()).toBeEnabled();
  });

  it('shows the server BAD_USER_INPUT on the field extensions.field names', async () => {
    const { user, submit } = setup({ result: { fields: { price: 'price must be at most 999999.99 in USD.' }, other: [] } });
    await user.type(screen.getByLabelText('Title'), 'Hoodie');
    await user.type(screen.getByLabelText('Price', { exact: true }), '5');
    await user.click(submit());
    const price = screen.getByLabelText('Price', { exact: true });
    expect(await screen.findByText('price must be at most 999999.99 in USD.')).toBeTruthy();
    expect(price).toHaveAttribute('aria-invalid', 'true');
  });

  it('when editing, an empty price keeps the current one', async () => {
    const onSubmit = jest.fn(async () => ({ fields: {}, other: [] }));
    render(
      <OfferForm
        initial={{ ...emptyOffer, title: 'Hoodie' }}
        current={{ price: '$35.00' }}
        submitLabel="Save changes"
        onSubmit={onSubmit}
        onCancel={() => undefined}
      />,
    );
    expect(screen.getByText('Now $35.00. Leave empty to keep it.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  });
});
