/** Which of the viewer's and the tab's messages are control's (lib/background/control/control-session.ts). */
import type { TabToBackground } from '@/lib/protocol/runtime';
import type { ToExtension } from '@/lib/protocol/wire';

export type ViewerControlMessage = Extract<ToExtension, { type: 'control-request' | 'control-release' | 'click' | 'key' | 'scroll' | 'pointer' }>;
export type TabControlMessage = Extract<TabToBackground, { type: 'control-answer' | 'control-revoke' | 'control-click-result' | 'control-key-result' }>;

const VIEWER_TYPES = new Set<string>(['control-request', 'control-release', 'click', 'key', 'scroll', 'pointer']);
const TAB_TYPES = new Set<string>(['control-answer', 'control-revoke', 'control-click-result', 'control-key-result']);
export const isViewerControl = (m: ToExtension): m is ViewerControlMessage => VIEWER_TYPES.has(m.type);
export const isTabControl = (m: TabToBackground): m is TabControlMessage => TAB_TYPES.has(m.type);
