/** The page agent's outbox: batches in order, a full snapshot serialised in a task of its own. */
import { describe, expect, it } from 'vitest';
import { createOutbox } from '@/lib/page/page-agent';

function setUp() {
  const sent: string[] = [];
  const later: Array<() => void> = [];
  const outbox = createOutbox((json) => sent.push(json), (fn) => later.push(fn));
  const run = () => later.splice(0).forEach((fn) => fn());
  const types = () => sent.map((json) => (JSON.parse(json) as Array<{ type: number }>).map((e) => e.type).join(','));
  return { outbox, sent, later, run, types };
}

describe('createOutbox', () => {
  it('posts ordinary batches at once, as JSON text', () => {
    const { outbox, sent } = setUp();
    outbox.post([{ type: 3, data: { source: 1 }, timestamp: 1 }]);
    expect(sent).toEqual(['[{"type":3,"data":{"source":1},"timestamp":1}]']);
  });

  it('posts a full snapshot in a later task, and what follows it after it', () => {
    const { outbox, later, run, types } = setUp();
    outbox.post([{ type: 4 }, { type: 2 }]);
    outbox.post([{ type: 3 }]);
    expect(types()).toEqual([]);
    expect(later).toHaveLength(1);
    run();
    expect(types()).toEqual(['4,2', '3']);
    outbox.post([{ type: 3 }]);
    expect(types()).toEqual(['4,2', '3', '3']);
  });

  it('drops what has not gone when cleared', () => {
    const { outbox, run, sent } = setUp();
    outbox.post([{ type: 2 }]);
    outbox.clear();
    run();
    expect(sent).toEqual([]);
  });
});
