import { parse } from 'graphql';
import { OperationCostCache } from '../../gateway/cost-cache';

describe('the operation cost cache', () => {
  const document = parse('query Q($n: Int, $show: Boolean!, $note: String) { a(limit: $n) { id b @include(if: $show) { id } } c(note: $note) }');

  function counting(cache: OperationCostCache) {
    let computed = 0;
    const cost = (variables: Record<string, unknown>, result = 1) =>
      cache.costOf(document, 'Q', variables, () => {
        computed += 1;
        return result;
      });
    return { cost, computed: () => computed };
  }

  it('keys on the variables that can change the cost only: other inputs are neither kept nor a reason to cost again', () => {
    const cache = new OperationCostCache(['limit']);
    const { cost, computed } = counting(cache);
    cost({ n: 5, show: true, note: 'x'.repeat(1_000_000) });
    cost({ n: 5, show: true, note: 'someone@example.com', unused: 'y'.repeat(1_000_000) });
    expect(computed()).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('costs again when a list size or a @skip/@include condition changes', () => {
    const { cost, computed } = counting(new OperationCostCache(['limit']));
    cost({ n: 5, show: true });
    cost({ n: 6, show: true });
    cost({ n: 6, show: false });
    cost({ n: 5, show: true });
    expect(computed()).toBe(3);
  });

  it('does not keep a huge value given to a size variable', () => {
    const cache = new OperationCostCache(['limit']);
    const { cost, computed } = counting(cache);
    cost({ n: 'z'.repeat(10_000), show: true });
    cost({ n: 'z'.repeat(10_000), show: true });
    expect(computed()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('keeps at most its bound of entries, forgetting the oldest first', () => {
    const cache = new OperationCostCache(['limit'], 3);
    const { cost, computed } = counting(cache);
    for (const n of [1, 2, 3, 4]) cost({ n, show: true });
    expect(cache.size).toBe(3);
    cost({ n: 4, show: true });
    expect(computed()).toBe(4);
    cost({ n: 1, show: true });
    expect(computed()).toBe(5);
  });
});
