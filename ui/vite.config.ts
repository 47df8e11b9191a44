import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: { port: Number(process.env.UI_PORT ?? 3000), strictPort: true },
  preview: { port: Number(process.env.UI_PORT ?? 3000), strictPort: true },
});
