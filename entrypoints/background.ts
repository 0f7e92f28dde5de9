import { createBackground } from '@/lib/background/background';

export default defineBackground(() => {
  createBackground();
});
