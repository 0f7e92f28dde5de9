import { describe, expect, it, vi } from 'vitest';
import { createBatcher } from '@/lib/page/record/event-batcher';
import { endOfTask } from '@/lib/shared/schedule';
import { manualSchedule } from './manual-schedule';

describe('createBatcher', () => {
  it('delivers everything pushed during one task as one batch, in order, after the task', () => {
    const clock = manualSchedule();
    const deliver = vi.fn();
    const batcher = createBatcher<number>(deliver, { schedule: clock.schedule });
    batcher.push(1);
    batcher.push(2);
    batcher.push(3);
    expect(deliver).not.toHaveBeenCalled();
    expect(clock.pending).toBe(1);
    clock.run();
    expect(deliver.mock.calls).toEqual([[[1, 2, 3]]]);
  });

  it('schedules again for the next task', () => {
    const clock = manualSchedule();
    const deliver = vi.fn();
    const batcher = createBatcher<string>(deliver, { schedule: clock.schedule });
    batcher.push('a');
    clock.run();
    batcher.push('b');
    batcher.push('c');
    expect(clock.pending).toBe(1);
    clock.run();
    expect(deliver.mock.calls).toEqual([[['a']], [['b', 'c']]]);
  });

  it('schedules nothing and delivers nothing while nothing was pushed', () => {
    const clock = manualSchedule();
    const deliver = vi.fn();
    const batcher = createBatcher<number>(deliver, { schedule: clock.schedule });
    expect(clock.pending).toBe(0);
    batcher.flush();
    expect(deliver).not.toHaveBeenCalled();
  });

  it('flush() delivers at once, and the scheduled run then delivers no empty batch', () => {
    const clock = manualSchedule();
    const deliver = vi.fn();
    const batcher = createBatcher<number>(deliver, { schedule: clock.schedule });
    batcher.push(1);
    batcher.flush();
    expect(deliver.mock.calls).toEqual([[[1]]]);
    batcher.push(2);
    clock.run();
    expect(deliver.mock.calls).toEqual([[[1]], [[2]]]);
    clock.run();
    expect(deliver).toHaveBeenCalledTimes(2);
    for (const [batch] of deliver.mock.calls) expect(batch).not.toEqual([]);
  });

  it('puts what is pushed while a batch is being delivered into the next batch', () => {
    const clock = manualSchedule();
    const batches: number[][] = [];
    const batcher = createBatcher<number>((items) => {
      batches.push(items);
      if (items[0] === 1) batcher.push(99);
    }, { schedule: clock.schedule });
    batcher.push(1);
    clock.run();
    expect(batches).toEqual([[1]]);
    clock.run();
    expect(batches).toEqual([[1], [99]]);
  });

  it('stop() drops what waits and ignores what comes after', () => {
    const clock = manualSchedule();
    const deliver = vi.fn();
    const batcher = createBatcher<number>(deliver, { schedule: clock.schedule });
    batcher.push(1);
    batcher.stop();
    clock.run();
    batcher.push(2);
    batcher.flush();
    clock.run();
    expect(deliver).not.toHaveBeenCalled();
    expect(clock.pending).toBe(0);
  });

  it('by default delivers after the current task, not during it', async () => {
    const batches: number[][] = [];
    const delivered = new Promise<void>((resolve) => {
      const batcher = createBatcher<number>((items) => {
        batches.push(items);
        resolve();
      });
      for (let i = 0; i < 100; i++) batcher.push(i);
    });
    expect(batches).toEqual([]);
    await delivered;
    expect(batches).toEqual([Array.from({ length: 100 }, (_, i) => i)]);
  });
});

describe('endOfTask', () => {
  it('runs the function once, after the code that scheduled it', async () => {
    const order: string[] = [];
    const ran = new Promise<void>((resolve) =>
      endOfTask(() => {
        order.push('scheduled');
        resolve();
      }),
    );
    order.push('same task');
    await ran;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['same task', 'scheduled']);
  });
});
