/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BuyForm } from './BuyForm';

function setup(available: number | null, result: { quantity?: string; other?: string } = {}) {
  const onBuy = jest.fn(async (_quantity: number) => result);
  render(<BuyForm offerTitle="Hoodie" available={available} onBuy={onBuy} />);
  return { onBuy, user: userEvent.setup(), input: () => screen.getByLabelText('Quantity'), buy: () => screen.getByRole('button', { name: /Buy|Sold out/ }) };
}

describe('the buy form', () => {
  it('buys 1 to 20 and refuses 0, 21 and fractions on the field, sending nothing', async () => {
    const { onBuy, user, input, buy } = setup(null);
    for (const [typed, message] of [['0', 'Enter a whole number, at least 1.'], ['21', 'At most 20 per purchase.'], ['1.5', 'Enter a whole number, at least 1.']]) {
      await user.clear(input());
      await user.type(input(), typed!);
      expect(screen.getByText(message!)).toBeTruthy();
      expect(input()).toHaveAttribute('aria-invalid', 'true');
      expect(buy()).toBeDisabled();
      await user.type(input(), '{enter}');
    }
    expect(onBuy).not.toHaveBeenCalled();
    await user.clear(input());
    await user.type(input(), '20');
    expect(buy()).toBeEnabled();
    await user.click(buy());
    expect(onBuy).toHaveBeenCalledWith(20);
  });

  it('caps the quantity at what is left', async () => {
    const { user, input, buy } = setup(3);
    await user.clear(input());
    await user.type(input(), '4');
    expect(screen.getByText('Only 3 left.')).toBeTruthy();
    expect(buy()).toBeDisabled();
  });

  it('shows Sold out, disabled, when nothing is left', () => {
    const { buy, input } = setup(0);
    expect(buy()).toHaveTextContent('Sold out');
    expect(buy()).toBeDisabled();
    expect(input()).toBeDisabled();
  });

  it('shows the server BAD_USER_INPUT on the quantity field', async () => {
    const { user, input, buy } = setup(null, { quantity: 'quantity must be a whole number from 1 to 20.' });
    await user.click(buy());
    expect(await screen.findByText('quantity must be a whole number from 1 to 20.')).toBeTruthy();
    expect(input()).toHaveAttribute('aria-invalid', 'true');
  });
});
