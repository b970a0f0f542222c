import { bulkCountError, capacityError } from './forms';

describe('the capacity and bulk-offer fields', () => {
  it('takes a whole number of seats from those already taken up to 100,000', () => {
    expect(capacityError('30', 12)).toBeNull();
    expect(capacityError('12', 12)).toBeNull();
    expect(capacityError('11', 12)).toBe('At least 12: that many seats are already taken.');
    expect(capacityError('2.5', 0)).toBe('Enter a whole number of seats.');
    expect(capacityError('', 0)).toBe('Enter a whole number of seats.');
    expect(capacityError('100001', 0)).toBe('At most 100,000 seats.');
  });

  it('sends 1 to the free seats (at most 100) offers', () => {
    expect(bulkCountError('3', 5)).toBeNull();
    expect(bulkCountError('0', 5)).toBe('Send at least 1 offer.');
    expect(bulkCountError('6', 5)).toBe('Only 5 seats are free for offers now.');
    expect(bulkCountError('2', 1)).toBe('Only 1 seat is free for offers now.');
    expect(bulkCountError('101', 500)).toBe('At most 100 at a time.');
    expect(bulkCountError('x', 5)).toBe('Enter a whole number of people.');
  });
});
