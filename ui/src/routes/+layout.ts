// Single-page app: Tauri serves build/index.html (adapter-static fallback), no SSR.
export const ssr = false;
export const prerender = false;
