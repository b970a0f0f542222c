import { createLogger } from '../../kernel/logger';
import { createEnvelope } from '../../kernel/events/envelope';
import { MemoryBus } from '../../kernel/events/memory-bus';

describe('the in-process bus of the embedded default', () => {
  it('delivers every message once per consumer group, in order, including those sent before it joined', async () => {
    const bus = new MemoryBus(createLogger('silent'));
    const first = createEnvelope('A', { n: 1 });
    await bus.publish([{ topic: 't', key: 'k', envelope: first }]);
    const groupOne: number[] = [];
    const groupTwo: number[] = [];
    await bus.subscribe({ groupId: 'one', topics: ['t'], handler: async (m) => void groupOne.push((m.envelope.data as { n: number }).n) });
    await bus.subscribe({ groupId: 'two', topics: ['t'], handler: async (m) => void groupTwo.push((m.envelope.data as { n: number }).n) });
    await bus.publish([2, 3].map((n) => ({ topic: 't', key: 'k', envelope: createEnvelope('A', { n }) })));
    await bus.dispose();
    expect(groupOne).toEqual([1, 2, 3]);
    expect(groupTwo).toEqual([1, 2, 3]);
  });
});
