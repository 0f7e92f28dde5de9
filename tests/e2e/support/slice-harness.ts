/**
 * Runs in a plain Chromium page (bundled by tests/e2e/sliced-snapshot.test.ts with the rrweb patch): rrweb's
 * recorder with the snapshot in slices, one node per step, so the test can change the page between any two.
 */
import { EventType, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import { record, Replayer } from 'rrweb';
import { createSnapshotSlices } from '@/lib/page/record/sliced-snapshot';

const events: eventWithTime[] = [];
let held: eventWithTime[] | null = null;
let stop: (() => void) | undefined;
/**
 * The nodes the slices looked up in rrweb's mirror during the last finish: comparing a parent's children
 * with the page looks up each of them, so this tells which parents were compared.
 */
let lookedUp: Set<Node> | null = null;
const slices = createSnapshotSlices({
  mirror: {
    getId: (node) => {
      if (node) lookedUp?.add(node);
      return record.mirror.getId(node);
    },
    getNode: (id) => record.mirror.getNode(id),
    add: (node, serialized) => record.mirror.add(node, serialized),
  },
});

const lastFullSnapshot = (list: eventWithTime[]): serializedNodeWithId => {
  const full = [...list].reverse().find((event) => event.type === EventType.FullSnapshot);
  if (!full) throw new Error('no full snapshot');
  return (full.data as { node: serializedNodeWithId }).node;
};

/** A small seeded generator (mulberry32), so a failing seed can be replayed. */
let state = 1;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: T[]): T | undefined => list[Math.floor(random() * list.length)];
let made = 0;
let walked = false;

/** The elements the test may change: inside #root and inside the shadow root of #host. */
const changeable = (): Element[] => {
  const root = document.getElementById('root');
  const shadow = document.getElementById('host')?.shadowRoot;
  // Not the textarea: its text is its value to rrweb, and elements inside it are not recorded at all.
  return [...(root ? [root, ...root.querySelectorAll('*')] : []), ...(shadow ? shadow.querySelectorAll('*') : [])].filter(
    (el) => el.id !== 'host' && !el.closest('textarea'),
  );
};

export type Change = 'add' | 'remove' | 'move' | 'text' | 'attribute' | 'shadow' | 'rule' | 'ui' | 'attach';

/** Elements that may have a shadow root (the spec's list, less the custom elements the page has none of). */
const SHADOW_HOSTS = new Set(['article', 'aside', 'blockquote', 'div', 'footer', 'h1', 'h2', 'header', 'main', 'nav', 'p', 'section', 'span']);
const attachedSheet = new CSSStyleSheet();
attachedSheet.replaceSync('u { border: 3px solid rgb(0, 128, 0) }');

const changes: Record<Change, () => void> = {
  add() {
    const parent = pick(changeable());
    if (!parent) return;
    const el = document.createElement(random() < 0.5 ? 'section' : 'em');
    el.innerHTML = `new ${++made} <span>inner ${made}</span>`;
    parent.insertBefore(el, pick([...parent.childNodes]) ?? null);
  },
  remove() {
    pick(changeable().filter((el) => el.id !== 'root'))?.remove();
  },
  /** Within the light DOM: rrweb's own replay of a node moved out of a shadow root is not exact. */
  move() {
    const all = changeable().filter((el) => el.getRootNode() === document);
    const node = pick(all.filter((el) => el.id !== 'root'));
    const target = pick(all.filter((el) => node && !node.contains(el)));
    if (node && target) target.insertBefore(node, pick([...target.childNodes]) ?? null);
  },
  text() {
    const el = pick(changeable());
    const text = el && [...el.childNodes].find((node) => node.nodeType === 3);
    if (text) (text as Text).data = `changed ${++made}`;
  },
  attribute() {
    pick(changeable())?.setAttribute('data-n', String(++made));
  },
  /** A rule inserted through the CSSOM, as CSS-in-JS libraries do (invisible to a mutation observer). */
  rule() {
    const sheet = document.styleSheets[0];
    sheet?.insertRule(`.r${++made} { margin: ${made}px }`, Math.floor(random() * ((sheet?.cssRules.length ?? 0) + 1)));
  },
  /**
   * Meekijk's own UI host, appended to the body as the tab does with its indicator and outlines. The tab
   * draws inside a closed shadow root from the isolated world, which rrweb does not see: here, empty.
   */
  ui() {
    document.body.append(document.createElement('meekijk-ui'));
  },
  /**
   * A shadow root attached to an element already in the page, with a constructed stylesheet adopted, as a
   * component does when it is upgraded (Lit on connect); empty or not.
   */
  attach() {
    const el = pick(changeable().filter((e) => e.getRootNode() === document && !e.shadowRoot && SHADOW_HOSTS.has(e.localName) && e.id !== 'root'));
    if (!el) return;
    const shadow = el.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [attachedSheet];
    if (random() < 0.5) shadow.innerHTML = `<slot></slot><u>attached ${++made}</u>`;
  },
  shadow() {
    const shadow = document.getElementById('host')?.shadowRoot;
    if (!shadow) return;
    const el = document.createElement('b');
    el.textContent = `shadow ${++made}`;
    shadow.insertBefore(el, pick([...shadow.childNodes]) ?? null);
  },
};

const harness = {
  seed(seed: number) {
    state = seed;
  },
  /** One random change of one of the given kinds. */
  change(kinds: Change[]) {
    const kind = pick(kinds);
    if (kind) changes[kind]();
  },
  /** Starts recording; true when the snapshot waits for steps. */
  start(): boolean {
    held = [];
    return slices.capture(() => {
      stop = record({ emit: (event) => (held ?? events).push(event) });
    });
  },
  /** Serialises one more node; true when none are left. */
  step(): boolean {
    return slices.work(Number.NEGATIVE_INFINITY);
  },
  /** Reconciles and sends what was held, as the recorder does; returns the finished snapshot as JSON. */
  finish(): string {
    lookedUp = new Set();
    const released = slices.finish(held ?? []);
    const compared = lookedUp;
    lookedUp = null;
    walked = [...compared].some((node) => node.parentNode !== document.body);
    held = null;
    events.push(...released);
    return JSON.stringify(lastFullSnapshot(released));
  },
  /**
   * Whether the last finish compared parents with the page beyond <body>, where the test's own UI hosts
   * go (the walk over every parent looks up the children of #root and below).
   */
  walkedTree(): boolean {
    return walked;
  },
  /** rrweb's own snapshot of the page now, in one go (no slicer set). */
  snapshotAtOnce(): string {
    const from = events.length;
    record.takeFullSnapshot(true);
    return JSON.stringify(lastFullSnapshot(events.slice(from)));
  },
  /** Stops recording and replays everything into a fresh container; returns the replayed body's HTML. */
  async replay(): Promise<string> {
    stop?.();
    const root = document.createElement('div');
    document.documentElement.appendChild(root);
    const replayer = new Replayer(events, { root, showWarning: false, mouseTail: false });
    replayer.pause(events[events.length - 1]!.timestamp - events[0]!.timestamp + 1);
    const body = replayer.iframe.contentDocument?.body;
    return body ? body.innerHTML : '';
  },
};

(window as unknown as { harness: typeof harness }).harness = harness;
