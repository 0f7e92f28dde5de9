/**
 * Live replay of the customer's tab with rrweb's Replayer, in rrweb's sandboxed iframe (sandbox
 * "allow-same-origin" only: the recorded page's scripts never run, invariant 8).
 *
 * Events are re-stamped with the viewer's clock on arrival: the customer's clock may be off by seconds,
 * and the replayer schedules by timestamp, so we play everything as soon as it arrives.
 */
import { Replayer } from 'rrweb';
import type { eventWithTime } from '@rrweb/types';
import type { WireRrwebEvent } from '@/lib/protocol/wire';

export interface LiveReplay {
  add(events: WireRrwebEvent[]): void;
  /** Scale the recorded viewport to fit the stage. */
  fit(): void;
  /** Events applied so far (for the status line and tests). */
  readonly applied: number;
  /** The replay iframe and its node ids (rrweb's mirror), for pointing and remote clicks. */
  frame(): { iframe: HTMLIFrameElement; idOf: (node: Node) => number } | undefined;
  stop(): void;
}

const FULL_SNAPSHOT = 2;

export function startLiveReplay(stage: HTMLElement): LiveReplay {
  let replayer: Replayer | undefined;
  let applied = 0;
  let size = { width: 1280, height: 720 };

  const fit = () => {
    const wrapper = stage.querySelector<HTMLElement>('.replayer-wrapper');
    if (!wrapper) return;
    const scale = Math.min(stage.clientWidth / size.width, stage.clientHeight / size.height, 1);
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.transformOrigin = 'top left';
    wrapper.style.left = `${Math.max(0, (stage.clientWidth - size.width * scale) / 2)}px`;
  };
  const observer = new ResizeObserver(fit);
  observer.observe(stage);

  const start = (first: eventWithTime) => {
    replayer?.destroy();
    stage.replaceChildren();
    replayer = new Replayer([], {
      root: stage,
      liveMode: true,
      mouseTail: false,
      showWarning: false,
      UNSAFE_replayCanvas: false,
      triggerFocus: false,
    });
    replayer.on('resize', (dimension) => {
      const d = dimension as { width: number; height: number };
      size = { width: d.width, height: d.height };
      fit();
    });
    replayer.startLive(first.timestamp);
  };

  return {
    add(events) {
      for (const raw of events) {
        const event = { ...raw, timestamp: Date.now() } as eventWithTime;
        if (!replayer) {
          // A replay can only begin at a full snapshot (or the Meta event right before it).
          if (event.type !== 4 && event.type !== FULL_SNAPSHOT) continue;
          start(event);
        }
        try {
          replayer?.addEvent(event);
          applied++;
        } catch (error) {
          console.warn('meekijk: event could not be replayed', error);
        }
      }
    },
    fit,
    get applied() {
      return applied;
    },
    frame() {
      const iframe = replayer?.iframe;
      const mirror = replayer?.getMirror();
      return iframe && mirror ? { iframe, idOf: (node: Node) => mirror.getId(node) } : undefined;
    },
    stop() {
      observer.disconnect();
      replayer?.destroy();
      replayer = undefined;
    },
  };
}
