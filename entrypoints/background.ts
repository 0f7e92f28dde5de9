import { createBackground } from '@/lib/session/background';

export default defineBackground(() => {
  createBackground();
});
