/** The benchmark's arithmetic: percentiles, byte totals on both sides, the video ratio and the target checks. */
import { describe, expect, it } from 'vitest';
import { percentile } from '@/bench/probes';
import { checkTargets, summarise, tables } from '@/bench/report';
import type { PageCost, RecordedResult, VideoResult } from '@/bench/runs';

const baseline: PageCost = { elements: 5000, windowMs: 10_000, scriptMs: 100, taskMs: 200, heapBytes: 1_000_000, longTasks: [] };

function recorded(latencies: Array<number | null>, overrides: Partial<RecordedResult> = {}): RecordedResult {
  return {
    cost: { elements: 0, windowMs: 10_000, scriptMs: 400, taskMs: 600, heapBytes: 3_000_000, longTasks: [120] },
    firstFrameMs: 280,
    firstFrameStages: { connect: 150, record: -20, forward: 30, transfer: 0, rebuild: 50, paint: 40, snapshotBytes: 5000 },
    latencies,
    behindCustomer: [0, 1, 16],
    ownPaint: [8, 9, 10],
    stages: [{ page: 1, recorder: 1, transit: 2, apply: 8, paint: 3 }],
    sessionMs: 60_000,
    viewer: { sent: 10_000, received: 40_000, packetsSent: 100 },
    customer: { sent: 40_000, received: 10_000, packetsSent: 300 },
    frames: 300,
    frameBytes: 15_000,
    messages: [{ type: 'events', events: [{ type: 3, data: { source: 1 }, timestamp: 1 }] }],
    clockSkewMs: 0,
    viewerFps: 60,
    ...overrides,
  } as RecordedResult;
}

const video: VideoResult = { sessionMs: 60_000, sender: { sent: 7_400_000, received: 0, packetsSent: 1 }, receiver: { sent: 100_000, received: 0, packetsSent: 1 }, framesEncoded: 1800, width: 1280, height: 720, codec: 'video/VP8' } as VideoResult;

describe('bench report', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile([], 50)).toBeNaN();
  });

  it('counts transport bytes on both sides, for us and for the video, and a lost probe as lost', () => {
    const s = summarise('session', 'Session', 539, baseline, recorded([5, 10, 20, null]), video);
    expect(s.latencyMs).toMatchObject({ probes: 4, missing: 1, p50: 10, max: 20 });
    expect(s.bytes.total).toBe(50_000);
    expect(s.video?.total).toBe(7_500_000);
    expect(s.video?.ratio).toBe(150);
    expect(s.recorder.extraScriptMs).toBe(300);
    expect(s.recorder.extraHeapBytes).toBe(2_000_000);
    expect(s.behindCustomerMs).toEqual({ p50: 1, p95: 16 });
  });

  it('checks each target, passing at the limit and missing past it, with by how much', () => {
    const session = summarise('session', 'Session', 539, baseline, recorded([9, 10, 10, 25]), video);
    const small = summarise('nodes-5k', '5k', 4988, baseline, recorded([11, 12, 13]), null);
    const checks = checkTargets([session, small]);
    const byWhat = (scenario: string, what: string) => checks.find((c) => c.scenario === scenario && c.what === what);
    expect(byWhat('session', 'mutation->paint p50')?.pass).toBe(true);
    expect(byWhat('session', 'mutation->paint p95')?.pass).toBe(true);
    expect(byWhat('session', 'video bytes / Meekijk bytes')).toMatchObject({ measured: 150, pass: true });
    expect(byWhat('nodes-5k', 'mutation->paint p50')?.pass).toBe(false);
    expect(byWhat('nodes-5k', 'consent->first frame')).toMatchObject({ measured: 280, pass: true });
    expect(byWhat('nodes-5k', 'longest recorder task')).toMatchObject({ measured: 120, pass: false });
    const text = tables([session, small], checks);
    expect(text).toContain('**miss** (+2 ms, 20% over)');
    expect(text).toContain('| 150x |');
  });

  it('says "none over 50 ms" when the browser reported no long task, and passes', () => {
    const small = summarise('nodes-5k', '5k', 4988, baseline, recorded([11, 12, 13]), null);
    small.recorder.longTasks = [];
    const checks = checkTargets([small]);
    expect(checks.find((c) => c.what === 'longest recorder task')).toMatchObject({ measured: 0, pass: true, shown: 'none over 50 ms' });
    expect(tables([small], checks)).toContain('| longest recorder task | none over 50 ms | ≤ 50 ms | pass |');
  });
});
