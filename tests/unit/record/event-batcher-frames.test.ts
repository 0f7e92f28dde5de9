/** The batcher with a frame clock: at most one end-of-task batch per frame, continuous samples ride along. */
import { describe, expect, it, vi } from 'vitest';
import { createBatcher } from '@/lib/page/record/event-batcher';
import { manualSchedule as manual } from './manual-schedule';

type Item = { kind: 'change' | 'cursor'; n: number };

function setUp() {
  const task = manual();
  const frame = manual();
  const deliver = vi.fn<(items: Item[]) => void>();
  const batcher = createBatcher<Item>(deliver, { schedule: task.schedule, nextFrame: frame.schedule, isContinuous: (i) => i.kind === 'cursor' });
  const batches = () => deliver.mock.calls.map(([items]) => items.map((i) => `${i.kind[0]}${i.n}`));
  return { task, frame, batcher, batches };
}

describe('createBatcher with a frame clock', () => {
  it('sends the first change of a frame at the end of its task', () => {
    const { task, batcher, batches } = setUp();
    batcher.push({ kind: 'change', n: 1 });
    expect(task.pending).toBe(1);
    task.run();
    expect(batches()).toEqual([['c1']]);
  });

  it('holds later changes of the same frame, and cursor samples, for the next frame: one message', () => {
    const { task, frame, batcher, batches } = setUp();
    batcher.push({ kind: 'change', n: 1 });
    task.run();
    batcher.push({ kind: 'change', n: 2 });
    batcher.push({ kind: 'cursor', n: 3 });
    batcher.push({ kind: 'change', n: 4 });
    expect(task.pending).toBe(0);
    frame.run();
    expect(batches()).toEqual([['c1'], ['c2', 'c3', 'c4']]);
    // A new frame: the next change goes at once again.
    batcher.push({ kind: 'change', n: 5 });
    task.run();
    expect(batches()).toEqual([['c1'], ['c2', 'c3', 'c4'], ['c5']]);
  });

  it('lets cursor samples wait for a frame, and a change take them along', () => {
    const { task, frame, batcher, batches } = setUp();
    batcher.push({ kind: 'cursor', n: 1 });
    expect(task.pending).toBe(0);
    expect(frame.pending).toBe(1);
    batcher.push({ kind: 'change', n: 2 });
    task.run();
    expect(batches()).toEqual([['c1', 'c2']]);
    frame.run();
    expect(batches()).toEqual([['c1', 'c2']]);
  });

  it('flush() and stop() behave as without a frame clock', () => {
    const { task, frame, batcher, batches } = setUp();
    batcher.push({ kind: 'cursor', n: 1 });
    batcher.flush();
    expect(batches()).toEqual([['c1']]);
    batcher.push({ kind: 'change', n: 2 });
    batcher.stop();
    task.run();
    frame.run();
    expect(batches()).toEqual([['c1']]);
  });
});

describe('createBatcher with an allowance of task batches per frame', () => {
  it('sends up to the allowance at the end of their tasks, then waits for the frame', () => {
    const task = manual();
    const frame = manual();
    const deliver = vi.fn<(items: Item[]) => void>();
    const batcher = createBatcher<Item>(deliver, { schedule: task.schedule, nextFrame: frame.schedule, isContinuous: (i) => i.kind === 'cursor', taskBatchesPerFrame: 2 });
    const batches = () => deliver.mock.calls.map(([items]) => items.map((i) => `${i.kind[0]}${i.n}`));
    // A key press: rrweb's input event, then the page's reaction to it, each at the end of its own task.
    batcher.push({ kind: 'change', n: 1 });
    task.run();
    batcher.push({ kind: 'change', n: 2 });
    task.run();
    expect(batches()).toEqual([['c1'], ['c2']]);
    batcher.push({ kind: 'change', n: 3 });
    expect(task.pending).toBe(0);
    frame.run();
    expect(batches()).toEqual([['c1'], ['c2'], ['c3']]);
    batcher.push({ kind: 'change', n: 4 });
    expect(task.pending).toBe(1);
  });
});
