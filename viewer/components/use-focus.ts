import { useEffect, useRef } from 'preact/hooks';

/**
 * Focus follows the screen (WCAG 2.4.3): when a page or panel appears (or `key` changes), its heading
 * takes focus, so a screen reader announces it and Tab continues from there, not from the top.
 */
export function useFocusOnShow<T extends HTMLElement>(key?: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}
